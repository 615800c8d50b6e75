"""The backend protocol: the seam between doqu's core and a backend.

Users call :class:`~doqu.StorageAdapter`'s public API (``save``, ``get``, ``find``, ...);
core checks and converts their input, then calls the methods named here, and only these. A
backend subclasses ``StorageAdapter``, which declares the first six (and ``clear``) abstract
and gives the others client-side defaults built on ``query_items``. A :class:`~doqu.Query`
holds its storage as a ``BackendProtocol``, so the type checker sees the boundary too.

Every record handed to these methods has passed :func:`doqu.backend.check_record` and every
key ``check_key``; every ``QuerySpec`` was built and checked by a query. Records given are
fresh copies the backend may keep; records yielded become the caller's.
``docs/plugin-guide.md`` gives each method's exact semantics.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Protocol

from ._capabilities import Capabilities
from ._conditions import Condition
from ._indexes import Index
from ._query import Key, QuerySpec
from ._records import Record

__all__ = ["BackendProtocol"]


class BackendProtocol(Protocol):
    """What core calls on a storage: the methods a backend implements or overrides."""

    @property
    def capabilities(self) -> Capabilities:
        """What the backend can do (core refuses the rest before calling it)."""
        ...

    # -- abstract in StorageAdapter ----------------------------------------------------------

    def add_record(self, record: Record) -> Key:
        """Store ``record`` under a new key the backend generates; return the key."""
        ...

    def put_record(self, key: Key, record: Record) -> None:
        """Store ``record`` under ``key``, replacing any record there (an upsert)."""
        ...

    def fetch_records(self, keys: Sequence[Key]) -> Iterator[tuple[Key, Record]]:
        """Yield ``(key, record)`` for each of ``keys`` that exists, in any order."""
        ...

    def remove_record(self, key: Key) -> bool:
        """Delete the record under ``key``; return whether there was one."""
        ...

    def query_items(self, spec: QuerySpec) -> Iterator[tuple[Key, Record]]:
        """Yield ``(key, record)`` for the records ``spec`` selects, in its order and window."""
        ...

    def clear(self) -> None:
        """Delete every record of this storage."""
        ...

    # -- defaulted in StorageAdapter ---------------------------------------------------------

    def add_records(self, records: Sequence[Record]) -> list[Key]:
        """Store new records; return their keys in order."""
        ...

    def put_records(self, items: Sequence[tuple[Key, Record]]) -> None:
        """Upsert ``(key, record)`` pairs."""
        ...

    def insert_records(self, items: Sequence[tuple[Key, Record]]) -> None:
        """Store ``(key, record)`` pairs under keys that must be free: inserts, never upserts.

        A key already stored, or repeated in ``items``, raises ``DuplicateKeyError`` naming it
        (``.key``) when nothing of ``items`` was written, or ``PartialWriteError`` whose
        ``written`` are exactly the keys stored when some were (the items before it, and on a
        server that goes on after a failure, such as FerretDB v1, some after it); no record
        already stored is ever replaced.
        """
        ...

    def count_records(self, spec: QuerySpec) -> int:
        """How many records ``spec`` selects (its window applied)."""
        ...

    def distinct_values(self, spec: QuerySpec, field: str) -> list[Any]:
        """Distinct values of ``field`` (lists unwound) over the records ``spec`` selects."""
        ...

    def delete_records(self, spec: QuerySpec) -> int:
        """Delete the records ``spec`` selects; return how many."""
        ...

    def update_records(self, spec: QuerySpec, changes: Mapping[str, Any]) -> int:
        """Set each (dotted) field of ``changes`` on the records ``spec`` selects."""
        ...

    def get_or_create_record(
        self, condition: Condition, record: Record
    ) -> tuple[Key, Record, bool]:
        """The first record matching ``condition``, or ``record`` stored as a new one."""
        ...

    def query_records(self, spec: QuerySpec) -> Iterator[Record]:
        """The records of :meth:`query_items` without their keys (for ``dict`` results)."""
        ...

    def iter_keys(self) -> Iterator[Key]:
        """Every key, in any order."""
        ...

    def create_index(self, index: Index) -> None:
        """Create ``index`` if it does not exist; enforce ``unique`` when declared."""
        ...

    def close(self) -> None:
        """Release connections and files; safe to call twice."""
        ...

    def reconnect(self) -> None:
        """Drop the connection and open a new one."""
        ...
