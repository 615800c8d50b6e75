"""Indexes: real SQLite expression indexes, recorded in a ``doqu_indexes`` table.

``ensure_index(Index("email"))`` on collection ``people`` makes ``people__email`` on
``json_extract(doc, '$."email"')`` (what the compiled queries compare, so the planner uses it)
and one index on ``json_type`` of every prefix of the path, which lets a query check in one
index probe that no record holds a list there, and then compile the path exactly and
index-friendly (``flat_fields``). A unique index also keeps a side table of its entries,
with doqu's (MongoDB's) semantics exactly (``_unique``).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from doqu import Index
from doqu.backend import And, Condition, Lookup, Not, Or
from doqu.errors import BackendError, UnsupportedError

from ._compile import json_path, quote_name
from ._unique import build as build_unique
from ._url import META_TABLE

__all__ = [
    "IndexDefinition",
    "build_index",
    "definitions",
    "flat_fields",
    "orderable",
    "prepare",
]

_META = META_TABLE


@dataclass(frozen=True, slots=True)
class IndexDefinition:
    """An index as recorded in the database."""

    name: str
    fields: tuple[str, ...]
    unique: bool

    @classmethod
    def of(cls, index: Index) -> IndexDefinition:
        return cls(index.name, tuple(index.fields), bool(index.unique))

    def paths(self) -> list[str]:
        paths = [json_path(field) for field in self.fields]
        found = [path for path in paths if path is not None]
        if len(found) != len(paths):
            raise UnsupportedError(
                f"index {self.name!r}: doqu-sqlite cannot index a field name holding '\"' "
                f"({self.fields!r}); rename the field"
            )
        return found


def prepare(connection: sqlite3.Connection) -> None:
    """Create the table recording indexes, if the database has none yet."""
    connection.execute(
        f"CREATE TABLE IF NOT EXISTS {_META} (tbl TEXT NOT NULL, name TEXT NOT NULL, "
        "definition TEXT NOT NULL, PRIMARY KEY (tbl, name))"
    )


def definitions(connection: sqlite3.Connection, collection: str) -> dict[str, IndexDefinition]:
    """The indexes recorded for ``collection``."""
    rows = connection.execute(f"SELECT name, definition FROM {_META} WHERE tbl = ?", (collection,))
    found = {}
    for name, text in rows:
        spec = json.loads(text)
        found[name] = IndexDefinition(name, tuple(spec["fields"]), bool(spec["unique"]))
    return found


def _prefix_fields(field: str) -> Iterator[str]:
    parts = field.split(".")
    for end in range(1, len(parts) + 1):
        yield ".".join(parts[:end])


def build_index(
    connection: sqlite3.Connection,
    collection: str,
    definition: IndexDefinition,
    existing: dict[str, IndexDefinition],
) -> None:
    """Create ``definition``'s indexes (inside the caller's transaction) unless they exist."""
    found = existing.get(definition.name)
    if found is not None:
        if found != definition:
            raise BackendError(
                f"an index named {definition.name!r} already exists as {found!r}, which differs "
                f"from {definition!r}; give the new index another name",
                code="index_conflict",
            )
        return
    table = quote_name(collection)
    paths = definition.paths()
    base = f"{collection}__{definition.name}"
    columns = ", ".join(f"json_extract(doc, {path})" for path in paths)
    connection.execute(f"CREATE INDEX IF NOT EXISTS {quote_name(base)} ON {table} ({columns})")
    for field in definition.fields:
        for prefix in _prefix_fields(field):
            name = quote_name(f"{collection}__type__{prefix}")
            kind = f"json_type(doc, {json_path(prefix)})"
            connection.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({kind})")
    if definition.unique:
        build_unique(connection, collection, definition.name, definition.fields)
    connection.execute(
        f"INSERT INTO {_META} (tbl, name, definition) VALUES (?, ?, ?)",
        (
            collection,
            definition.name,
            json.dumps({"fields": list(definition.fields), "unique": definition.unique}),
        ),
    )


def _fields(condition: Condition) -> Iterator[str]:
    if isinstance(condition, Lookup):
        yield condition.field
    elif isinstance(condition, Not):
        yield from _fields(condition.item)
    elif isinstance(condition, And | Or):
        for item in condition.items:
            yield from _fields(item)


def flat_fields(
    connection: sqlite3.Connection,
    table: str,
    condition: Condition,
    indexes: dict[str, IndexDefinition],
) -> frozenset[str]:
    """The fields of ``condition`` that hold no list anywhere along their path right now.

    Only fields whose prefixes all have ``json_type`` indexes are probed (one index lookup
    each); call it inside the transaction that runs the query, so the answer holds for it.
    """
    covered = _covered(indexes)
    return frozenset(
        field
        for field in set(_fields(condition)) & covered
        if _none_hold(connection, table, field, ("array",))
    )


def _covered(indexes: dict[str, IndexDefinition]) -> set[str]:
    """The fields whose every prefix has a ``json_type`` index."""
    return {prefix for d in indexes.values() for f in d.fields for prefix in _prefix_fields(f)}


def _none_hold(
    connection: sqlite3.Connection, table: str, field: str, kinds: tuple[str, ...]
) -> bool:
    """Whether no record holds a list on the way to ``field``, nor a value of ``kinds`` there.

    One statement per prefix and kind: each is one probe of a ``json_type`` index.
    """
    probes = [(json_path(prefix), "array") for prefix in list(_prefix_fields(field))[:-1]]
    probes += [(json_path(field), kind) for kind in kinds]
    return not any(
        connection.execute(
            f"SELECT 1 FROM {table} WHERE json_type(doc, {path}) = ? LIMIT 1", (kind,)
        ).fetchone()
        for path, kind in probes
    )


def orderable(
    connection: sqlite3.Connection,
    table: str,
    fields: Sequence[str],
    indexes: dict[str, IndexDefinition],
) -> bool:
    """Whether index probes show that SQL orders every record by ``fields`` as doqu does:
    no list, bool or dict there (a datetime is a dict, so a field holding them is not known
    orderable this way; the caller checks the selected records instead)."""
    covered = _covered(indexes)
    return all(
        field in covered
        and _none_hold(connection, table, field, ("array", "true", "false", "object"))
        for field in fields
    )
