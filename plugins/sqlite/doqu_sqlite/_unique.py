"""Unique indexes with doqu's semantics: a side table of entries, kept by triggers.

A unique index on ``people`` named ``email`` keeps the table ``people__email__entries`` of
``(entry PRIMARY KEY, id)``: one row per entry :func:`doqu.backend.unique_entries` gives for a
record (each element of a list, a missing field of a compound index as ``None``, no entry for a
record without any of the fields), written as text that equal values share (1 and 1.0 alike,
``True`` and 1 apart). Triggers on the collection's table rewrite a record's entries in the
statement that writes it, so every write (a save, ``update()``, a delete through a query, another
process) keeps them exact, and a clash aborts that statement: nothing of it is written.

The triggers call the SQL function ``doqu_unique_entries(fields, value, ...)`` (the JSON of each
top-level field the index reaches), which every connection doqu-sqlite opens registers
(:func:`register_functions`): a program writing such a table through plain ``sqlite3`` calls it
too, or its writes fail with "no such function".
"""

from __future__ import annotations

import functools
import json
import sqlite3
from typing import Any

from doqu.backend import entry_text, unique_entries
from doqu.errors import DuplicateKeyError

from ._codec import decode
from ._compile import json_path, quote_name

__all__ = ["build", "owner_of", "register_functions"]

FUNCTION = "doqu_unique_entries"


def _heads(fields: tuple[str, ...]) -> list[str]:
    """The top-level names ``fields`` start with: all of a record that their values depend on."""
    return list(dict.fromkeys(field.split(".", 1)[0] for field in fields))


@functools.lru_cache(maxsize=64)
def _spec(text: str) -> tuple[tuple[str, ...], list[str]]:
    fields = tuple(json.loads(text))
    return fields, _heads(fields)


def _entries_json(fields: str, *values: str | None) -> str:
    """The SQL function: a record's entries, as a JSON array of :func:`entry_text`.

    It gets the JSON of the record's top-level fields the index reaches (NULL when missing),
    not the whole record: decoding those alone is enough, and cheaper.
    """
    names, heads = _spec(fields)
    record = {head: decode(text) for head, text in zip(heads, values, strict=True) if text}
    return json.dumps([entry_text(key) for key in unique_entries(record, names)])


def register_functions(connection: sqlite3.Connection) -> None:
    """Make the SQL functions doqu-sqlite's triggers call available on ``connection``."""
    connection.create_function(FUNCTION, -1, _entries_json, deterministic=True)


def _names(collection: str, name: str) -> tuple[str, str]:
    """The side table, and the prefix of the triggers, of index ``name`` on ``collection``."""
    return quote_name(f"{collection}__{name}__entries"), f"{collection}__{name}__unique"


def build(
    connection: sqlite3.Connection, collection: str, name: str, fields: tuple[str, ...]
) -> None:
    """Create the side table and its triggers, and fill it (in the caller's transaction).

    Raises ``DuplicateKeyError`` naming two records that share an entry.
    """
    table = quote_name(collection)
    side, trigger = _names(collection, name)
    spec = json.dumps(list(fields)).replace("'", "''")
    paths = [json_path(head) for head in _heads(fields)]

    def entries(row: str) -> str:
        heads = "".join(f", {row}.doc -> {path}" for path in paths)
        return f"json_each({FUNCTION}('{spec}'{heads}))"

    insert = f"INSERT INTO {side} (entry, id) SELECT value, NEW.id FROM {entries('NEW')}"
    forget = f"DELETE FROM {side} WHERE id = OLD.id"
    connection.execute(
        f"CREATE TABLE {side} (entry TEXT PRIMARY KEY NOT NULL, id NOT NULL) WITHOUT ROWID"
    )
    connection.execute(f"CREATE INDEX {quote_name(trigger + '__id')} ON {side} (id)")
    connection.execute(
        f"CREATE TRIGGER {quote_name(trigger + '__insert')} AFTER INSERT ON {table} "
        f"BEGIN {insert}; END"
    )
    connection.execute(
        f"CREATE TRIGGER {quote_name(trigger + '__update')} AFTER UPDATE OF doc ON {table} "
        f"BEGIN {forget}; {insert}; END"
    )
    connection.execute(
        f"CREATE TRIGGER {quote_name(trigger + '__delete')} AFTER DELETE ON {table} "
        f"BEGIN {forget}; END"
    )
    each = f"{table} AS t, {entries('t')} AS e"
    try:
        connection.execute(f"INSERT INTO {side} (entry, id) SELECT e.value, t.id FROM {each}")
    except sqlite3.IntegrityError as error:
        clash = connection.execute(
            f"SELECT e.value, min(t.id), max(t.id) FROM {each} "
            "GROUP BY e.value HAVING count(*) > 1 LIMIT 1"
        ).fetchone()
        entry, first, second = clash if clash else (None, None, None)
        shown = _values(connection, table, first, fields, entry)
        raise DuplicateKeyError(
            f"unique index {name!r} on {', '.join(fields)} was not created: records {first!r} "
            f"and {second!r} both hold {shown!r}; change or delete one of them, then create the "
            "index again",
            key=shown,
            index=name,
        ) from error


def _values(
    connection: sqlite3.Connection, table: str, key: Any, fields: tuple[str, ...], entry: Any
) -> Any:
    """The values record ``key`` holds as ``entry`` (one value for a one-field index)."""
    row = connection.execute(f"SELECT doc FROM {table} WHERE id = ?", (key,)).fetchone()
    found = unique_entries(decode(row[0]) if row else {}, fields)
    for sort, values in found.items():
        if entry_text(sort) == entry:
            return values[0] if len(values) == 1 else values
    return None


def owner_of(
    connection: sqlite3.Connection,
    collection: str,
    name: str,
    fields: tuple[str, ...],
    text: str,
    key: Any,
) -> tuple[Any, Any] | None:
    """``(other record's key, values)`` for an entry of the record ``text`` another holds."""
    side, _ = _names(collection, name)
    for sort, values in unique_entries(decode(text), fields).items():
        row = connection.execute(
            f"SELECT id FROM {side} WHERE entry = ? AND id IS NOT ?", (entry_text(sort), key)
        ).fetchone()
        if row is not None:
            return row[0], values[0] if len(values) == 1 else values
    return None
