"""Unique indexes: the side table of entries stays exactly what the records hold through every
kind of write, compares as doqu does (not as JSONB does), and a storage that missed an index
another one created still keeps it."""

from __future__ import annotations

import datetime
import hashlib
import re
from collections.abc import Callable
from typing import Any

import psycopg
import pytest

from doqu import Index
from doqu.backend import entry_text, unique_entries
from doqu.errors import BackendError, DuplicateKeyError
from doqu_postgres import PostgresStorage
from doqu_postgres._unique import SideTable

FIELDS = ("tags",)


def side_rows(raw: psycopg.Connection[Any], storage: PostgresStorage) -> set[tuple[Any, ...]]:
    name = SideTable(storage.address.collection, storage.table).name
    rows = raw.execute(f"SELECT idx, entry, key FROM {name}").fetchall()
    return {(idx, bytes(entry), key) for idx, entry, key in rows}


def expected_rows(storage: PostgresStorage) -> set[tuple[Any, ...]]:
    return {
        ("tags", hashlib.sha256(entry_text(sort).encode()).digest(), key)
        for key in storage
        for sort in unique_entries(storage.get(dict, key), FIELDS)
    }


def test_entries_follow_every_kind_of_write(
    storage: PostgresStorage, raw: psycopg.Connection[Any]
) -> None:
    for key, record in {"a": {"tags": [1, 2]}, "b": {"tags": "x"}, "c": {}}.items():
        storage.save(record, key)
    storage.ensure_index(Index("tags", unique=True))  # filled from the existing records
    assert len(side_rows(raw, storage)) == 3  # a: 1 and 2; b: "x"; c holds no entry
    assert side_rows(raw, storage) == expected_rows(storage)
    storage.save({"tags": [2, 3]}, "a")
    storage.find(tags="x").update(tags=[4.0, 5])
    storage.save({"tags": []}, "c")
    storage.save_many([{"tags": [7]}, {"tags": 8}])
    with pytest.raises(DuplicateKeyError):
        storage.save_many([{"tags": [6]}, {"tags": [6.0]}])  # one transaction: neither stays
    storage.get_or_create(dict, tags=9)
    assert side_rows(raw, storage) == expected_rows(storage)
    assert len(side_rows(raw, storage)) == 8  # a: 2, 3; b: 4, 5; c: []; 7; 8; 9
    storage.find(tags=4).delete()
    storage.delete("c")
    assert side_rows(raw, storage) == expected_rows(storage)
    storage.clear()
    assert side_rows(raw, storage) == set()


@pytest.mark.parametrize(
    ("first", "second", "clash"),
    [
        (0, -0.0, True),  # JSONB has no -0.0: the codec tags it, doqu finds it equal to 0
        (datetime.date(2024, 1, 2), datetime.datetime(2024, 1, 2), True),
        (1, 1.0, True),
        (True, 1, False),
        ({"a": 1, "b": 2}, {"b": 2, "a": 1}, False),  # documents keep their order
        (2**53 + 1, float(2**53), False),
        ("x" * 10_000, "x" * 10_000, True),  # beyond a btree key: the entry is a digest
    ],
)
def test_entries_compare_as_doqu_does(
    storage: PostgresStorage, first: Any, second: Any, clash: bool
) -> None:
    storage.ensure_index(Index("v", unique=True))
    storage.save({"v": first}, "first")
    refused = False
    try:
        storage.save({"v": second}, "second")
    except DuplicateKeyError:
        refused = True
    assert refused is clash
    assert len(storage) == (1 if clash else 2)


def test_a_clash_names_the_holder_and_the_value(storage: PostgresStorage) -> None:
    storage.ensure_index(Index("a", "b", unique=True, name="a_b"))
    storage.save({"a": 1, "b": [2, 3]}, "holder")
    with pytest.raises(
        DuplicateKeyError, match=re.escape("already holds [1.0, 3] (record 'holder')")
    ) as caught:
        storage.save({"a": 1.0, "b": 3}, "other")
    assert (caught.value.index, caught.value.key) == ("a_b", [1.0, 3])


def test_storages_that_missed_the_index_still_keep_it(
    make_storage: Callable[..., PostgresStorage],
) -> None:
    creator = make_storage()
    # each knows no unique index: they load them when opened, and this one comes later
    saver, updater, bulk, getter = (
        make_storage(collection=creator.address.collection) for _ in range(4)
    )
    saver.save({"email": "ann@x"}, "ann")
    saver.save({"email": "bob@x"}, "bob")
    creator.ensure_index(Index("email", unique=True))
    with pytest.raises(DuplicateKeyError, match="ann@x"):
        saver.save({"email": "ann@x"}, "cy")
    with pytest.raises(DuplicateKeyError, match="ann@x"):
        updater.find(email="bob@x").update(email="ann@x")
    with pytest.raises(DuplicateKeyError, match="bob@x"):
        bulk.save_many([{"email": "dan@x"}, {"email": "bob@x"}])
    getter.get_or_create(dict, email="eve@x")
    with pytest.raises(DuplicateKeyError, match="eve@x"):
        creator.save({"email": "eve@x"})
    assert sorted(creator.find().values("email")) == ["ann@x", "bob@x", "eve@x"]


def test_existing_duplicates_name_both_records_and_leave_no_index(
    storage: PostgresStorage,
) -> None:
    storage.save({"tags": ["x", "y"]}, "a")
    storage.save({"tags": ["z", "y"]}, "b")
    with pytest.raises(DuplicateKeyError, match="records 'a' and 'b' both hold 'y'"):
        storage.ensure_index(Index("tags", unique=True))
    storage.save({"tags": ["x"]}, "c")


def test_a_second_index_of_the_same_name_on_other_fields_is_refused(
    storage: PostgresStorage,
) -> None:
    storage.ensure_index(Index("email", unique=True, name="contact"))
    storage.ensure_index(Index("email", unique=True, name="contact"))
    with pytest.raises(BackendError, match="'contact' already exists on email"):
        storage.ensure_index(Index("phone", unique=True, name="contact"))


def test_a_new_table_of_a_dropped_name_has_no_unique_index(
    make_storage: Callable[..., PostgresStorage],
) -> None:
    storage = make_storage()
    storage.ensure_index(Index("email", unique=True))
    storage.save({"email": "ann@x"})
    storage.drop()
    again = make_storage(collection=storage.address.collection)
    again.save({"email": "ann@x"})
    again.save({"email": "ann@x"})
    assert len(again) == 2
