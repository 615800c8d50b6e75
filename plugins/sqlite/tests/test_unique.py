"""Unique indexes: the side table of entries stays exactly what the records hold, through every
kind of write, and its text keeps equal values together and unequal ones apart."""

from __future__ import annotations

import sqlite3

import pytest

from doqu import Index
from doqu.backend import entry_text, unique_entries
from doqu.errors import DuplicateKeyError
from doqu_sqlite import SQLiteStorage, register_functions
from doqu_sqlite._codec import encode

FIELDS = ("tags",)


def side_rows(storage: SQLiteStorage) -> set[tuple[str, object]]:
    with sqlite3.connect(storage.path) as connection:
        rows = connection.execute('SELECT entry, id FROM "people__tags__entries"').fetchall()
    return set(rows)


def expected_rows(storage: SQLiteStorage) -> set[tuple[str, object]]:
    return {
        (entry_text(sort), key)
        for key in storage
        for sort in unique_entries(storage.get(dict, key), FIELDS)
    }


def test_entries_follow_every_kind_of_write(storage: SQLiteStorage) -> None:
    for key, record in {"a": {"tags": [1, 2]}, "b": {"tags": "x"}, "c": {}}.items():
        storage.save(record, key)
    storage.ensure_index(Index("tags", unique=True))  # filled from the existing records
    # (number bracket 3, not NaN, value), (str bracket 4, value); a record without tags: none
    assert side_rows(storage) == {
        ("((3/1,1/1,1/1))", "a"),
        ("((3/1,1/1,2/1))", "a"),
        ('((4/1,"x"))', "b"),
    }
    storage.save({"tags": [2, 3]}, "a")
    storage.find(tags="x").update(tags=[4.0, 5])
    storage.save({"tags": []}, "c")
    with pytest.raises(DuplicateKeyError):
        storage.save_many([{"tags": [6]}, {"tags": [6.0]}])  # one transaction: neither stays
    assert expected_rows(storage) == side_rows(storage)
    storage.find(tags=4).delete()
    storage.delete("c")
    assert side_rows(storage) == {("((3/1,1/1,2/1))", "a"), ("((3/1,1/1,3/1))", "a")}
    # another program writing the table with the function registered keeps them too
    with sqlite3.connect(storage.path, isolation_level=None) as connection:
        register_functions(connection)
        connection.execute(
            'INSERT INTO "people" (id, doc) VALUES (?, ?)', ("f", encode({"tags": [7]}))
        )
        with pytest.raises(sqlite3.IntegrityError):
            connection.execute(
                'INSERT INTO "people" (id, doc) VALUES (?, ?)', ("g", encode({"tags": [3.0]}))
            )
    assert expected_rows(storage) == side_rows(storage)
    assert sorted(storage) == ["a", "f"]
    storage.clear()
    assert side_rows(storage) == set()
