"""Generated keys: 24 hex digits that sort by creation time, unique across processes.

The first 16 digits are nanoseconds since the epoch (strictly increasing within a process),
the last 8 are random per process, drawn again after a fork.
"""

from __future__ import annotations

import os
import threading
import time

__all__ = ["new_key"]

_lock = threading.Lock()
_last = 0
_process = os.urandom(4).hex()


def _reseed() -> None:
    global _process
    _process = os.urandom(4).hex()


os.register_at_fork(after_in_child=_reseed)


def new_key() -> str:
    """A fresh key, greater than every key this process made before."""
    global _last
    with _lock:
        now = time.time_ns()
        _last = now = max(now, _last + 1)
    return f"{now:016x}{_process}"
