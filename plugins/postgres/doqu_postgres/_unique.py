"""Unique indexes with doqu's semantics: a side table of entries, written with each record.

A collection with unique indexes has one side table ``(idx, entry, key)``, primary key
``(idx, entry)``: per index, one row for each entry :func:`doqu.backend.unique_entries` gives a
record (each element of a list, a missing field of a compound index as ``None``, none for a
record holding none of the fields). ``entry`` is the SHA-256 of
:func:`doqu.backend.entry_text`, which equal values share (1 and 1.0 alike, ``True`` and 1
apart; the digest keeps a long value within a btree key). The storage writes a record's
entries in the transaction that writes the record, so a clash writes nothing; ``key``
references the record ``ON DELETE CASCADE``, so every delete frees its entries.

The unique indexes of each table are recorded in ``doqu_indexes``. Every write carries a guard
(:attr:`SideTable.guard`): it writes no row unless the indexes recorded are the ones the writer
computed entries for, so a storage that missed an index another process created notices
(:class:`StaleIndexesError`), reloads them and writes again. Creating an index locks the
collection's table against writers first, so a write either commits before the index is
filled from the records, or its guard sees the index.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg import errors

from doqu.backend import Record, entry_text, unique_entries
from doqu.errors import BackendError, DuplicateKeyError

from ._codec import decode
from ._compile import KEYS, identifier, json_list, quote

__all__ = ["META", "EntryTakenError", "SideTable", "StaleIndexesError", "UniqueIndex"]

#: the table recording each collection's unique indexes
META = "doqu_indexes"

#: ``(index name, entry digest) -> (key as JSON, the entry's values)``
Entries = dict[tuple[str, bytes], tuple[str, tuple[Any, ...]]]


class StaleIndexesError(Exception):
    """A write found unique indexes its storage did not know: reload them and write again."""


class EntryTakenError(Exception):
    """The side table refused an entry of ``entries``: another record holds it."""

    def __init__(self, entries: Entries) -> None:
        super().__init__("a unique entry is taken")
        self.entries = entries


@dataclass(frozen=True, slots=True)
class UniqueIndex:
    """A unique index as recorded in ``doqu_indexes``."""

    name: str
    fields: tuple[str, ...]


def _digest(sort: tuple[Any, ...]) -> bytes:
    return hashlib.sha256(entry_text(sort).encode()).digest()


def _shown(values: tuple[Any, ...]) -> Any:
    return values[0] if len(values) == 1 else list(values)


class SideTable:
    """The side table of one collection, and the statements that keep it."""

    def __init__(self, collection: str, table: str) -> None:
        self.collection = collection
        self.table = table
        tag = hashlib.sha256(collection.encode()).hexdigest()[:8]
        self.name = identifier(f"{collection[:40]}__unique_{tag}")
        self._key_index = identifier(f"{collection[:40]}__unique_{tag}_key")
        #: true exactly when the unique indexes recorded are those of ``%(doqu_u)s``
        self.guard = (
            f"(SELECT COALESCE(jsonb_agg(name ORDER BY name COLLATE \"C\"), '[]') "
            f"FROM {META} WHERE tbl = {quote(collection)}) = %(doqu_u)s::jsonb"
        )

    # -- the record of indexes -----------------------------------------------------------------

    @staticmethod
    def create_meta(conn: psycopg.Connection[Any]) -> None:
        conn.execute(
            f"CREATE TABLE IF NOT EXISTS {META} (tbl text NOT NULL, name text NOT NULL, "
            "fields jsonb NOT NULL, PRIMARY KEY (tbl, name))"
        )

    def load(self, conn: psycopg.Connection[Any]) -> tuple[UniqueIndex, ...]:
        """The unique indexes recorded for the collection, by name (code point order)."""
        rows = conn.execute(
            f'SELECT name, fields::text FROM {META} WHERE tbl = %s ORDER BY name COLLATE "C"',
            (self.collection,),
        ).fetchall()
        return tuple(UniqueIndex(name, tuple(json.loads(fields))) for name, fields in rows)

    def forget_all(self, conn: psycopg.Connection[Any]) -> None:
        """Drop the side table and the record of indexes (the collection's table is new or gone)."""
        conn.execute(f"DROP TABLE IF EXISTS {self.name}")
        conn.execute(f"DELETE FROM {META} WHERE tbl = %s", (self.collection,))

    # -- entries -------------------------------------------------------------------------------

    @staticmethod
    def entries(indexes: Sequence[UniqueIndex], rows: Iterable[tuple[str, Record]]) -> Entries:
        """The entries of ``rows`` (``(key as JSON, record)``); ``DuplicateKeyError`` if two
        of them share one."""
        found: Entries = {}
        for key, record in rows:
            for index in indexes:
                for sort, values in unique_entries(record, index.fields).items():
                    entry = (index.name, _digest(sort))
                    other = found.setdefault(entry, (key, values))[0]
                    if other != key:
                        raise DuplicateKeyError(
                            f"unique index {index.name!r} on {', '.join(index.fields)}: records "
                            f"{json.loads(other)!r} and {json.loads(key)!r} both hold "
                            f"{_shown(values)!r}; store another value in one of them",
                            key=_shown(values),
                            index=index.name,
                        )
        return found

    @staticmethod
    def names(indexes: Sequence[UniqueIndex]) -> str:
        """The guard's parameter: the names of ``indexes`` as JSON."""
        return json.dumps([index.name for index in indexes])

    def forget(self, conn: psycopg.Connection[Any], keys: str) -> None:
        """Remove the entries of the records ``keys`` (a JSON list) are about to replace."""
        conn.execute(f"DELETE FROM {self.name} WHERE key = {KEYS}", {"k": keys})

    def insert(self, conn: psycopg.Connection[Any], entries: Entries) -> None:
        """Write ``entries``; :class:`EntryTakenError` when another record holds one of them."""
        if not entries:
            return
        try:
            conn.execute(
                f"INSERT INTO {self.name} (idx, entry, key) SELECT {self._ROW} FROM "
                "jsonb_array_elements(%s::jsonb) AS r",
                (self._payload(entries),),
            )
        except errors.UniqueViolation:
            raise EntryTakenError(entries) from None

    _ROW = "r->>0, decode(r->>1, 'hex'), r->2"

    @staticmethod
    def _payload(entries: Entries) -> str:
        """``entries`` as one JSON list of ``[index name, entry as hex, key]``."""
        return json_list(
            [
                f'[{json.dumps(name)},"{entry.hex()}",{key}]'
                for (name, entry), (key, _) in entries.items()
            ]
        )

    def duplicate(
        self, conn: psycopg.Connection[Any], indexes: Sequence[UniqueIndex], entries: Entries
    ) -> DuplicateKeyError:
        """The error for a refused write of ``entries``, naming the record holding one."""
        row = conn.execute(
            f"SELECT s.idx, s.entry, s.key::text FROM {self.name} AS s JOIN (SELECT {self._ROW} "
            "FROM jsonb_array_elements(%s::jsonb) AS r) AS v(idx, entry, key) "
            "ON s.idx = v.idx AND s.entry = v.entry AND s.key <> v.key LIMIT 1",
            (self._payload(entries),),
        ).fetchone()
        if row is None:  # the holder went meanwhile
            return DuplicateKeyError(
                f"a write to table {self.collection!r} broke a unique index; store other values"
            )
        name, entry, owner = row
        values = _shown(entries[(name, bytes(entry))][1])
        fields = next(index.fields for index in indexes if index.name == name)
        owner = decode(owner)
        return DuplicateKeyError(
            f"unique index {name!r} on {', '.join(fields)} already holds {values!r} (record "
            f"{owner!r}); store another value, or change or delete record {owner!r} first",
            key=values,
            index=name,
        )

    # -- creating an index ---------------------------------------------------------------------

    def create(
        self, conn: psycopg.Connection[Any], index: UniqueIndex, known: Sequence[UniqueIndex]
    ) -> bool:
        """Record ``index`` and fill its entries from every record, in the caller's transaction;
        false if it exists already. ``DuplicateKeyError`` names two records that clash."""
        same = next((found for found in known if found.name == index.name), None)
        if same is not None:
            if same != index:
                raise BackendError(
                    f"a unique index named {index.name!r} already exists on "
                    f"{', '.join(same.fields)}; give the index on {', '.join(index.fields)} "
                    "another name",
                    code="index_conflict",
                )
            return False
        # writers wait from here to the commit; readers do not
        conn.execute(f"LOCK TABLE {self.table} IN SHARE ROW EXCLUSIVE MODE")
        conn.execute(
            f"CREATE TABLE IF NOT EXISTS {self.name} (idx text NOT NULL, entry bytea NOT NULL, "
            f"key jsonb NOT NULL REFERENCES {self.table} (key) ON DELETE CASCADE, "
            "PRIMARY KEY (idx, entry))"
        )
        conn.execute(f"CREATE INDEX IF NOT EXISTS {self._key_index} ON {self.name} (key)")
        rows = conn.execute(f"SELECT key::text, doc FROM {self.table}")
        try:
            entries = self.entries([index], rows)
        except DuplicateKeyError as error:
            raise DuplicateKeyError(
                f"unique index {index.name!r} was not created: {error}, then create the index "
                "again",
                key=error.key,
                index=index.name,
            ) from None
        self.insert(conn, entries)  # no clash: the index is new
        conn.execute(
            f"INSERT INTO {META} (tbl, name, fields) VALUES (%s, %s, %s::jsonb)",
            (self.collection, index.name, json.dumps(list(index.fields))),
        )
        return True
