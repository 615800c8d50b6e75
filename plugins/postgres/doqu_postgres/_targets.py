"""What the contract suite runs against: the server ``DOQU_POSTGRES_URL`` names.

Each storage a target makes is a new table ``contract_<hex>``; the target's cleanup drops
every table it made.
"""

from __future__ import annotations

import json
import os
import threading
import uuid
from collections.abc import Callable, Iterable
from typing import Any

import psycopg

from doqu import StorageAdapter, Target
from doqu.errors import DoquError

from ._codec import decode, encode
from ._storage import PostgresStorage

__all__ = ["URL_ENV", "PostgresOracle", "postgres_target"]

#: the environment variable naming the server the tests use.
URL_ENV = "DOQU_POSTGRES_URL"


class PostgresOracle:
    """Raw SQL access to a storage's table, bypassing the adapter (the contract's back door)."""

    def __init__(self, storage: StorageAdapter) -> None:
        if not isinstance(storage, PostgresStorage):
            raise TypeError(f"PostgresOracle needs a PostgresStorage, got {storage!r}")
        self.table = storage.table
        self._conninfo = storage.address.conninfo

    def _run(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        with psycopg.connect(self._conninfo, autocommit=True) as conn:
            cursor = conn.execute(sql, params)
            return cursor.fetchall() if cursor.description else []

    def get(self, key: Any) -> dict[str, Any] | None:
        """The record stored under ``key``, or ``None``."""
        rows = self._run(
            f"SELECT doc::text FROM {self.table} WHERE key = %s::jsonb", (json.dumps(key),)
        )
        if not rows:
            return None
        record: dict[str, Any] = decode(rows[0][0])
        return record

    def put(self, key: Any, record: dict[str, Any]) -> None:
        """Store ``record`` under ``key``, replacing any record there."""
        encoded = encode(record)
        self._run(
            f"INSERT INTO {self.table} (key, doc, exact) VALUES (%s::jsonb, %s::jsonb, %s) "
            "ON CONFLICT (key) DO UPDATE SET doc = EXCLUDED.doc, exact = EXCLUDED.exact",
            (json.dumps(key), encoded.text, encoded.exact),
        )

    def keys(self) -> Iterable[Any]:
        """Every stored key."""
        return [decode(text) for (text,) in self._run(f"SELECT key::text FROM {self.table}")]


class _Tables:
    """Makes storages on fresh tables of one server, and drops them all at the end."""

    def __init__(self, url: str) -> None:
        self._url = url
        self._lock = threading.Lock()
        self._made: list[PostgresStorage] = []

    def make(self) -> PostgresStorage:
        storage = PostgresStorage(self._url, collection=f"contract_{uuid.uuid4().hex}")
        with self._lock:
            self._made.append(storage)
        return storage

    def drop_all(self) -> None:
        with self._lock:
            made, self._made = self._made, []
        for storage in made:
            storage.reconnect()  # a test may have closed it
            storage.drop()
            storage.close()


def _connect_args(url: str) -> Callable[[StorageAdapter], tuple[str, dict[str, str]]]:
    """How another process reaches a storage's table: the server's URL and the collection."""

    def connect_args(storage: StorageAdapter) -> tuple[str, dict[str, str]]:
        if not isinstance(storage, PostgresStorage):
            raise TypeError(f"the postgres target reaches PostgresStorage only, got {storage!r}")
        return url, {"collection": storage.address.collection}

    return connect_args


def postgres_target() -> Target:
    """The server ``DOQU_POSTGRES_URL`` names (a throwaway one under the project's test
    command); required when ``CI=true``: a missing server then fails the run."""
    required = os.environ.get("CI") == "true"
    url = os.environ.get(URL_ENV)
    if not url:
        return Target(
            "postgres",
            factory=_unavailable,
            unavailable=f"{URL_ENV} is not set; run the tests through the project's test "
            "command, which starts PostgreSQL",
            required=required,
        )
    tables = _Tables(url)
    return Target(
        "postgres",
        factory=tables.make,
        oracle=PostgresOracle,
        cleanup=tables.drop_all,
        connect_args=_connect_args(url),
        required=required,
    )


def _unavailable() -> PostgresStorage:
    raise DoquError("this test target is unavailable; see its 'unavailable' reason")
