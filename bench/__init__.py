"""doqu's benchmarks: doqu-mongodb against raw pymongo (the limit) and mongoengine (the peer).

Run ``python -m bench`` (or ``./dev bench``); ``README.md`` here says what is measured and how.
"""

from ._cli import main

__all__ = ["main"]
