"""doqu-shelve: a doqu backend that keeps records in a file, on the standard library's shelve.

Installed, it serves ``shelve://`` URLs::

    import doqu

    with doqu.connect("shelve:///tmp/app.db", collection="people") as people:
        people.save({"name": "Ann"})

It is also the worked example of a third-party backend: see ``docs/plugin-guide.md`` in doqu.
"""

from ._storage import ShelveStorage

__version__ = "1.0.0a1"

__all__ = ["ShelveStorage", "__version__"]
