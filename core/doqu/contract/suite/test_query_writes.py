"""Writing through a query: ``delete()`` and ``update(**changes)`` on every match."""

from __future__ import annotations

from typing import Any

import pytest

from ..._storage import StorageAdapter
from ...errors import InvalidDocumentError
from .._fixtures import Oracle, StorageFixtures
from ._support import keys, seed

__all__ = ["QueryDeleteContract", "QueryUpdateContract"]

PEOPLE: dict[str, dict[str, Any]] = {
    "ann": {"name": "Ann", "city": "Oslo", "address": {"street": "Storgata 1", "zip": "0150"}},
    "bob": {"name": "Bob", "city": "Bergen"},
    "cy": {"name": "Cy", "city": "Oslo", "pets": [{"name": "Tom"}, {"name": "Rex"}]},
    "dee": {"name": "Dee"},
}


class QueryDeleteContract(StorageFixtures):
    """``Query.delete()``."""

    def test_query_delete_removes_the_matches_and_counts_them(
        self, storage: StorageAdapter, raw: Oracle
    ) -> None:
        seed(storage, PEOPLE)
        assert storage.find(city="Oslo").delete() == 2
        assert sorted(raw.keys()) == ["bob", "dee"]

    def test_query_delete_without_a_match_deletes_nothing(
        self, storage: StorageAdapter, raw: Oracle
    ) -> None:
        seed(storage, PEOPLE)
        assert storage.find(city="Rome").delete() == 0
        assert sorted(raw.keys()) == ["ann", "bob", "cy", "dee"]

    def test_query_delete_of_everything(self, storage: StorageAdapter, raw: Oracle) -> None:
        seed(storage, PEOPLE)
        assert storage.find().delete() == 4
        assert list(raw.keys()) == []

    def test_query_delete_with_a_composed_condition(
        self, storage: StorageAdapter, raw: Oracle
    ) -> None:
        seed(storage, PEOPLE)
        assert (storage.find(city="Bergen") | storage.find(city__exists=False)).delete() == 2
        assert sorted(raw.keys()) == ["ann", "cy"]

    def test_query_delete_ignores_the_order(self, storage: StorageAdapter, raw: Oracle) -> None:
        seed(storage, PEOPLE)
        assert storage.find(city="Oslo").order_by("-name").delete() == 2
        assert sorted(raw.keys()) == ["bob", "dee"]


class QueryUpdateContract(StorageFixtures):
    """``Query.update(**changes)``."""

    def test_query_update_sets_a_field_on_the_matches(
        self, storage: StorageAdapter, raw: Oracle
    ) -> None:
        seed(storage, PEOPLE)
        assert storage.find(city="Oslo").update(active=True) == 2
        assert raw.get("ann") == {**PEOPLE["ann"], "active": True}
        assert raw.get("cy") == {**PEOPLE["cy"], "active": True}
        assert raw.get("bob") == PEOPLE["bob"]
        assert raw.get("dee") == PEOPLE["dee"]

    def test_query_update_replaces_a_value(self, storage: StorageAdapter, raw: Oracle) -> None:
        seed(storage, PEOPLE)
        assert storage.find(name="Bob").update(city="Oslo") == 1
        assert raw.get("bob") == {"name": "Bob", "city": "Oslo"}
        assert keys(storage.find(city="Oslo")) == {"ann", "bob", "cy"}

    def test_query_update_without_a_match_writes_nothing(
        self, storage: StorageAdapter, raw: Oracle
    ) -> None:
        seed(storage, PEOPLE)
        assert storage.find(city="Rome").update(city="Oslo") == 0
        assert [raw.get(key) for key in PEOPLE] == list(PEOPLE.values())

    def test_query_update_counts_matches_already_holding_the_value(
        self, storage: StorageAdapter
    ) -> None:
        seed(storage, PEOPLE)
        assert storage.find(city="Oslo").update(city="Oslo") == 2

    def test_query_update_of_several_fields(self, storage: StorageAdapter, raw: Oracle) -> None:
        seed(storage, PEOPLE)
        storage.find(name="Dee").update(city="Tromsø", age=51, tags=["x"], meta={"v": 1})
        assert raw.get("dee") == {
            "name": "Dee",
            "city": "Tromsø",
            "age": 51,
            "tags": ["x"],
            "meta": {"v": 1},
        }

    def test_query_update_to_none_keeps_the_field(
        self, storage: StorageAdapter, raw: Oracle
    ) -> None:
        seed(storage, PEOPLE)
        storage.find(name="Bob").update(city=None)
        assert raw.get("bob") == {"name": "Bob", "city": None}

    def test_query_update_of_a_dotted_field_keeps_its_siblings(
        self, storage: StorageAdapter, raw: Oracle
    ) -> None:
        seed(storage, PEOPLE)
        storage.find(name="Ann").update(**{"address.zip": "0151"})
        assert raw.get("ann") == {
            "name": "Ann",
            "city": "Oslo",
            "address": {"street": "Storgata 1", "zip": "0151"},
        }

    def test_query_update_of_a_dotted_field_creates_missing_records(
        self, storage: StorageAdapter, raw: Oracle
    ) -> None:
        seed(storage, PEOPLE)
        storage.find(name="Bob").update(**{"address.geo.lat": 60.4})
        assert raw.get("bob") == {
            "name": "Bob",
            "city": "Bergen",
            "address": {"geo": {"lat": 60.4}},
        }

    def test_query_update_of_a_list_element_by_index(
        self, storage: StorageAdapter, raw: Oracle
    ) -> None:
        seed(storage, PEOPLE)
        storage.find(name="Cy").update(**{"pets.1.name": "Max"})
        assert raw.get("cy") == {
            "name": "Cy",
            "city": "Oslo",
            "pets": [{"name": "Tom"}, {"name": "Max"}],
        }

    def test_query_update_is_seen_by_later_queries(self, storage: StorageAdapter) -> None:
        seed(storage, PEOPLE)
        storage.find(city__exists=False).update(city="Bergen")
        assert keys(storage.find(city="Bergen")) == {"bob", "dee"}
        assert storage.find(city__exists=False).count() == 0

    def test_query_update_through_a_non_record_fails_and_writes_nothing(
        self, storage: StorageAdapter, raw: Oracle
    ) -> None:
        seed(storage, {"a": {"address": {"city": "Oslo"}}, "b": {"address": "Bergen"}})
        with pytest.raises(InvalidDocumentError, match="address"):
            storage.find().update(**{"address.city": "Tromsø"})
        assert raw.get("a") == {"address": {"city": "Oslo"}}
        assert raw.get("b") == {"address": "Bergen"}
