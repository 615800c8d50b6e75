"""``save()`` and ``save_many()``: insert, replace, returned keys, and what is stored."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from ... import Index
from ..._storage import SAVE_MANY_BATCH, StorageAdapter
from ...errors import DuplicateKeyError, PartialWriteError
from .._fixtures import Oracle, StorageFixtures
from .._requirements import requires

__all__ = ["Item", "Keyed", "PartialWriteContract", "Point", "SaveContract", "SaveManyContract"]


@dataclass
class Point:
    """A dataclass document without a key."""

    x: int
    y: int


@dataclass
class Item:
    """A dataclass document that carries its key in ``pk``."""

    name: str
    pk: str | None = None


class SaveContract(StorageFixtures):
    """``save(data, primary_key=None) -> key``."""

    def test_save_without_key_returns_a_new_key(self, storage: StorageAdapter, raw: Oracle) -> None:
        key = storage.save({"name": "Ann"})
        assert storage.check_key(key) == key
        assert raw.get(key) == {"name": "Ann"}

    def test_save_without_key_generates_distinct_keys(self, storage: StorageAdapter) -> None:
        keys = [storage.save({"name": "Ann"}) for _ in range(50)]
        assert len(set(keys)) == 50
        assert len(storage) == 50

    def test_save_with_key_stores_under_that_key(
        self, storage: StorageAdapter, raw: Oracle
    ) -> None:
        assert storage.save({"name": "Ann"}, "ann") == "ann"
        assert raw.get("ann") == {"name": "Ann"}
        assert list(raw.keys()) == ["ann"]

    def test_save_with_an_existing_key_replaces_the_whole_record(
        self, storage: StorageAdapter, raw: Oracle
    ) -> None:
        storage.save({"name": "Ann", "age": 37}, "ann")
        assert storage.save({"name": "Anne"}, "ann") == "ann"
        assert raw.get("ann") == {"name": "Anne"}
        assert len(storage) == 1

    def test_save_leaves_the_given_data_unchanged(self, storage: StorageAdapter) -> None:
        data = {"name": "Ann", "address": {"city": "Oslo"}, "tags": ["a"]}
        storage.save(data)
        storage.save(data, "ann")
        assert data == {"name": "Ann", "address": {"city": "Oslo"}, "tags": ["a"]}

    def test_save_stores_a_copy_of_the_data(self, storage: StorageAdapter, raw: Oracle) -> None:
        data: dict[str, Any] = {"tags": ["a"], "address": {"city": "Oslo"}}
        key = storage.save(data)
        data["tags"].append("b")
        data["address"]["city"] = "Bergen"
        data["extra"] = 1
        assert raw.get(key) == {"tags": ["a"], "address": {"city": "Oslo"}}

    def test_save_of_an_empty_record(self, storage: StorageAdapter, raw: Oracle) -> None:
        key = storage.save({})
        assert raw.get(key) == {}
        assert storage.get(dict, key) == {}

    def test_save_returns_the_key_get_reads(self, storage: StorageAdapter) -> None:
        key = storage.save({"name": "Ann"})
        assert storage.get(dict, key) == {"name": "Ann"}

    def test_save_of_a_dataclass_stores_its_fields(
        self, storage: StorageAdapter, raw: Oracle
    ) -> None:
        key = storage.save(Point(1, 2))
        assert raw.get(key) == {"x": 1, "y": 2}

    def test_save_of_an_object_with_pk_stores_under_it(
        self, storage: StorageAdapter, raw: Oracle
    ) -> None:
        assert storage.save(Item("lamp", pk="i1")) == "i1"
        assert raw.get("i1") == {"name": "lamp"}

    def test_save_tells_an_object_with_pk_its_new_key(self, storage: StorageAdapter) -> None:
        item = Item("lamp")
        key = storage.save(item)
        assert item.pk == key
        assert storage.get(Item, key) == Item("lamp", pk=key)

    def test_save_explicit_key_wins_over_the_carried_pk(
        self, storage: StorageAdapter, raw: Oracle
    ) -> None:
        assert storage.save(Item("lamp", pk="i1"), "i2") == "i2"
        assert raw.get("i2") == {"name": "lamp"}
        assert raw.get("i1") is None


class SaveManyContract(StorageFixtures):
    """``save_many(items) -> keys``."""

    def test_save_many_returns_keys_in_order(self, storage: StorageAdapter, raw: Oracle) -> None:
        keys = storage.save_many([{"n": 1}, {"n": 2}, {"n": 3}])
        assert len(set(keys)) == 3
        assert [raw.get(key) for key in keys] == [{"n": 1}, {"n": 2}, {"n": 3}]

    def test_save_many_of_nothing_writes_nothing(
        self, storage: StorageAdapter, raw: Oracle
    ) -> None:
        assert storage.save_many([]) == []
        assert list(raw.keys()) == []

    def test_save_many_mixes_keyed_and_new_items(
        self, storage: StorageAdapter, raw: Oracle
    ) -> None:
        keys = storage.save_many([Item("lamp", pk="i1"), {"n": 2}, Item("desk")])
        assert keys[0] == "i1"
        assert len(set(keys)) == 3
        assert [raw.get(key) for key in keys] == [{"name": "lamp"}, {"n": 2}, {"name": "desk"}]

    def test_save_many_replaces_records_under_existing_keys(
        self, storage: StorageAdapter, raw: Oracle
    ) -> None:
        storage.save({"name": "old", "extra": 1}, "i1")
        assert storage.save_many([Item("new", pk="i1")]) == ["i1"]
        assert raw.get("i1") == {"name": "new"}
        assert len(storage) == 1

    def test_save_many_tells_objects_their_keys(self, storage: StorageAdapter) -> None:
        items = [Item("lamp"), Item("desk", pk="d1")]
        keys = storage.save_many(items)
        assert [item.pk for item in items] == keys
        assert keys[1] == "d1"

    def test_save_many_accepts_a_generator(self, storage: StorageAdapter, raw: Oracle) -> None:
        keys = storage.save_many({"n": n} for n in range(3))
        assert [raw.get(key) for key in keys] == [{"n": 0}, {"n": 1}, {"n": 2}]

    def test_save_many_of_a_thousand_records(self, storage: StorageAdapter, raw: Oracle) -> None:
        keys = storage.save_many({"n": n} for n in range(1000))
        assert len(set(keys)) == 1000
        assert len(storage) == 1000
        assert raw.get(keys[999]) == {"n": 999}


class PartialWriteContract(StorageFixtures):
    """``save_many`` failing part-way says which keys it wrote; a retry with keys is idempotent.

    The failure is a real one: a duplicate under a unique index, late in the items.
    """

    ITEMS = SAVE_MANY_BATCH + 50
    DUPLICATE = SAVE_MANY_BATCH + 10  # in the second batch

    def items(self) -> list[dict[str, Any]]:
        found = [{"i": i, "email": f"{i}@example.org"} for i in range(self.ITEMS)]
        found[self.DUPLICATE]["email"] = "5@example.org"
        return found

    @requires("unique_indexes")
    def test_save_many_failing_part_way_names_the_keys_written(
        self, storage: StorageAdapter, raw: Oracle
    ) -> None:
        storage.ensure_index(Index("email", unique=True))
        with pytest.raises(
            PartialWriteError, match=f"wrote 1000 of {self.ITEMS} records"
        ) as caught:
            storage.save_many(self.items())
        assert isinstance(caught.value.__cause__, DuplicateKeyError)
        assert (len(caught.value.written), caught.value.total) == (1000, self.ITEMS)
        for number, key in enumerate(caught.value.written):
            assert raw.get(key) == {"i": number, "email": f"{number}@example.org"}
        assert 1000 <= len(storage) < self.ITEMS  # the failed batch may be partly written

    @requires("unique_indexes")
    def test_save_many_retried_with_keys_writes_each_record_once(
        self, storage: StorageAdapter, raw: Oracle
    ) -> None:
        storage.ensure_index(Index("email", unique=True))
        items = [Keyed(f"k{item['i']}", item["i"], item["email"]) for item in self.items()]
        with pytest.raises(PartialWriteError):
            storage.save_many(items)
        items[self.DUPLICATE].email = "fixed@example.org"
        assert storage.save_many(items) == [f"k{i}" for i in range(self.ITEMS)]
        assert len(storage) == self.ITEMS
        assert raw.get(f"k{self.DUPLICATE}") == {"i": self.DUPLICATE, "email": "fixed@example.org"}

    @requires("unique_indexes")
    def test_save_many_failing_in_its_first_batch_raises_the_backend_error(
        self, storage: StorageAdapter
    ) -> None:
        storage.ensure_index(Index("email", unique=True))
        storage.save({"email": "a@example.org"})
        with pytest.raises(DuplicateKeyError):  # nothing acknowledged: nothing to report
            storage.save_many([{"email": "b@example.org"}, {"email": "a@example.org"}])
        assert 1 <= len(storage) <= 2


@dataclass
class Keyed:
    """A record with its own key (``pk``), for ``save_many``."""

    pk: str
    i: int
    email: str
