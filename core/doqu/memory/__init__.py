"""The built-in ``memory`` backend: ``doqu.connect("memory://")``.

The reference implementation of the storage interface: complete, thread-safe, and running every
query with the reference semantics of ``doqu._evaluate``. Data lives in this process only.
"""

from ._storage import MemoryOracle, MemoryStorage

__all__ = ["MemoryOracle", "MemoryStorage"]
