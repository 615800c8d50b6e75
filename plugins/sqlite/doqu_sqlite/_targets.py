"""What the contract suite runs against: fresh tables in one temporary database file.

The oracle reads and writes the table with its own ``sqlite3`` connection, bypassing the
adapter; only the record format (``_codec``) is shared with it.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
import threading
import uuid
from collections.abc import Iterable
from typing import Any

from doqu import StorageAdapter, Target

from ._codec import decode, encode
from ._compile import quote_name
from ._storage import SQLiteStorage
from ._unique import register_functions

__all__ = ["SQLiteOracle", "sqlite_target"]


class SQLiteOracle:
    """Raw access to a storage's table through a connection of its own (the back door)."""

    def __init__(self, storage: StorageAdapter) -> None:
        if not isinstance(storage, SQLiteStorage):
            raise TypeError(f"SQLiteOracle reads SQLiteStorage only, got {storage!r}")
        self._path = storage.path
        self._table = quote_name(storage.collection)

    def _run(self, statement: str, params: tuple[Any, ...] = ()) -> list[Any]:
        connection = sqlite3.connect(self._path, timeout=30, isolation_level=None)
        register_functions(connection)  # a write to a table with a unique index runs its triggers
        try:
            return connection.execute(statement, params).fetchall()
        finally:
            connection.close()

    def get(self, key: Any) -> dict[str, Any] | None:
        """The record stored under ``key``, or ``None``."""
        rows = self._run(f"SELECT doc FROM {self._table} WHERE id = ?", (key,))
        return decode(rows[0][0]) if rows else None

    def put(self, key: Any, record: dict[str, Any]) -> None:
        """Store ``record`` under ``key``, replacing any record there."""
        self._run(
            f"INSERT INTO {self._table} (id, doc) VALUES (?, ?) "
            "ON CONFLICT (id) DO UPDATE SET doc = excluded.doc",
            (key, encode(record)),
        )

    def keys(self) -> Iterable[Any]:
        """Every stored key."""
        return [key for (key,) in self._run(f"SELECT id FROM {self._table}")]


class _Tables:
    """Fresh tables in one temporary database file, removed with its directory at the end."""

    def __init__(self) -> None:
        self._directory: str | None = None
        self._lock = threading.Lock()

    def make(self) -> SQLiteStorage:
        with self._lock:
            if self._directory is None:
                self._directory = tempfile.mkdtemp(prefix="doqu-sqlite-contract-")
            path = os.path.join(self._directory, "contract.db")
        return SQLiteStorage(path, collection=f"contract_{uuid.uuid4().hex}")

    def remove(self) -> None:
        with self._lock:
            directory, self._directory = self._directory, None
        if directory is not None:
            shutil.rmtree(directory, ignore_errors=True)


def _connect_args(storage: StorageAdapter) -> tuple[str, dict[str, str]]:
    """How another process opens the same table: the file's URL and the collection."""
    if not isinstance(storage, SQLiteStorage):
        raise TypeError(f"the sqlite target reaches SQLiteStorage only, got {storage!r}")
    return f"sqlite:///{os.path.abspath(storage.path)}", {"collection": storage.collection}


def sqlite_target() -> Target:
    """A file database in a temporary directory: always available (sqlite3 is stdlib)."""
    tables = _Tables()
    return Target(
        "sqlite",
        factory=tables.make,
        oracle=SQLiteOracle,
        cleanup=tables.remove,
        connect_args=_connect_args,
    )
