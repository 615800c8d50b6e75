"""``get()`` and ``get_many()``: reading by key, in order, and the error for a missing key."""

from __future__ import annotations

import pytest

from ..._storage import StorageAdapter
from ...errors import DocumentNotFoundError
from .._fixtures import Oracle, StorageFixtures
from ._support import seed
from .test_save import Item, Point

__all__ = ["GetContract", "GetManyContract"]

ANN = {"name": "Ann", "tags": ["a", "b"], "address": {"city": "Oslo"}}
BOB = {"name": "Bob", "tags": [], "address": {"city": "Bergen"}}
CY = {"name": "Cy"}


class GetContract(StorageFixtures):
    """``get(doc_class, primary_key)``."""

    def test_get_returns_the_saved_record(self, storage: StorageAdapter) -> None:
        seed(storage, {"ann": ANN, "bob": BOB})
        assert storage.get(dict, "ann") == {
            "name": "Ann",
            "tags": ["a", "b"],
            "address": {"city": "Oslo"},
        }

    def test_get_of_a_missing_key_raises_key_error(self, storage: StorageAdapter) -> None:
        seed(storage, {"ann": ANN})
        with pytest.raises(KeyError):
            storage.get(dict, "nobody")

    def test_get_of_a_missing_key_names_it(self, storage: StorageAdapter) -> None:
        with pytest.raises(DocumentNotFoundError, match="'nobody'") as caught:
            storage.get(dict, "nobody")
        assert caught.value.key == "nobody"

    def test_get_after_delete_raises_key_error(self, storage: StorageAdapter) -> None:
        seed(storage, {"ann": ANN})
        storage.delete("ann")
        with pytest.raises(KeyError):
            storage.get(dict, "ann")

    def test_get_returns_a_fresh_copy_each_time(self, storage: StorageAdapter, raw: Oracle) -> None:
        seed(storage, {"ann": ANN})
        first = storage.get(dict, "ann")
        first["tags"].append("c")
        first["address"]["city"] = "Bergen"
        first["extra"] = 1
        assert storage.get(dict, "ann") == ANN
        assert raw.get("ann") == ANN

    def test_get_reads_records_written_through_the_back_door(
        self, storage: StorageAdapter, raw: Oracle
    ) -> None:
        raw.put("bob", {"name": "Bob", "age": 25})
        assert storage.get(dict, "bob") == {"name": "Bob", "age": 25}

    def test_get_loads_a_dataclass(self, storage: StorageAdapter) -> None:
        storage.save({"x": 1, "y": 2}, "p")
        assert storage.get(Point, "p") == Point(1, 2)

    def test_get_gives_an_object_with_pk_its_key(self, storage: StorageAdapter) -> None:
        storage.save({"name": "lamp"}, "i1")
        assert storage.get(Item, "i1") == Item("lamp", pk="i1")


class GetManyContract(StorageFixtures):
    """``get_many(doc_class, primary_keys)``."""

    def test_get_many_returns_documents_in_the_order_asked(self, storage: StorageAdapter) -> None:
        seed(storage, {"ann": ANN, "bob": BOB, "cy": CY})
        assert storage.get_many(dict, ["cy", "ann", "bob"]) == [CY, ANN, BOB]

    def test_get_many_repeats_a_key_asked_twice_as_independent_copies(
        self, storage: StorageAdapter
    ) -> None:
        seed(storage, {"ann": ANN})
        first, second = storage.get_many(dict, ["ann", "ann"])
        assert first == second == ANN
        first["tags"].append("c")
        assert second == ANN

    def test_get_many_of_no_keys_is_empty(self, storage: StorageAdapter) -> None:
        seed(storage, {"ann": ANN})
        assert storage.get_many(dict, []) == []

    def test_get_many_with_a_missing_key_names_it(self, storage: StorageAdapter) -> None:
        seed(storage, {"ann": ANN})
        with pytest.raises(DocumentNotFoundError, match="'zed'") as caught:
            storage.get_many(dict, ["ann", "zed"])
        assert caught.value.key == "zed"

    def test_get_many_with_missing_keys_names_them_all(self, storage: StorageAdapter) -> None:
        seed(storage, {"ann": ANN})
        with pytest.raises(KeyError, match=r"\['xa', 'yb'\]"):
            storage.get_many(dict, ["xa", "ann", "yb"])

    def test_get_many_accepts_any_iterable(self, storage: StorageAdapter) -> None:
        seed(storage, {"ann": ANN, "bob": BOB})
        assert storage.get_many(dict, iter(("bob", "ann"))) == [BOB, ANN]

    def test_get_many_of_three_hundred_keys(self, storage: StorageAdapter) -> None:
        keys = storage.save_many({"n": n} for n in range(300))
        documents = storage.get_many(dict, reversed(keys))
        assert documents == [{"n": n} for n in reversed(range(300))]

    def test_get_many_loads_the_doc_class(self, storage: StorageAdapter) -> None:
        seed(storage, {"i1": {"name": "lamp"}, "i2": {"name": "desk"}})
        assert storage.get_many(Item, ["i2", "i1"]) == [Item("desk", "i2"), Item("lamp", "i1")]
