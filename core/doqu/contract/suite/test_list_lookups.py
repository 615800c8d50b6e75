"""Lookups on list fields: ``contains_any`` (MongoDB's ``$in``) and ``contains_all`` (``$all``)."""

from __future__ import annotations

from ..._storage import StorageAdapter
from .._fixtures import StorageFixtures
from .._requirements import requires
from ._support import keys, seed

__all__ = ["ListLookupContract"]

LISTS = {
    "a": {"t": ["red", "blue"]},
    "b": {"t": ["red"]},
    "c": {"t": []},
    "d": {"t": "red"},
    "e": {},
    "f": {"t": ["blue", "green"]},
    "g": {"t": [1, 2]},
}


class ListLookupContract(StorageFixtures):
    """Element tests on lists (a scalar field counts as a one-element list)."""

    def test_contains_any_matches_a_shared_element(self, storage: StorageAdapter) -> None:
        seed(storage, LISTS)
        assert keys(storage.find(t__contains_any=["red", "green"])) == {"a", "b", "d", "f"}

    def test_contains_any_with_an_empty_list_matches_nothing(self, storage: StorageAdapter) -> None:
        seed(storage, LISTS)
        assert keys(storage.find(t__contains_any=[])) == set()

    def test_contains_any_compares_numbers_by_value(self, storage: StorageAdapter) -> None:
        seed(storage, LISTS)
        assert keys(storage.find(t__contains_any=[2.0])) == {"g"}

    def test_contains_all_needs_every_element(self, storage: StorageAdapter) -> None:
        seed(storage, LISTS)
        assert keys(storage.find(t__contains_all=["red", "blue"])) == {"a"}

    def test_contains_all_ignores_order_and_repeats(self, storage: StorageAdapter) -> None:
        seed(storage, LISTS)
        assert keys(storage.find(t__contains_all=["blue", "red", "red"])) == {"a"}

    def test_contains_all_of_one_value(self, storage: StorageAdapter) -> None:
        seed(storage, LISTS)
        assert keys(storage.find(t__contains_all=["red"])) == {"a", "b", "d"}

    def test_contains_all_with_an_empty_list_matches_nothing(self, storage: StorageAdapter) -> None:
        seed(storage, LISTS)
        assert keys(storage.find(t__contains_all=[])) == set()

    @requires("nested_lists")
    def test_list_elements_are_not_flattened_twice(self, storage: StorageAdapter) -> None:
        seed(storage, {**LISTS, "h": {"t": [["red"]]}})
        assert keys(storage.find(t="red")) == {"a", "b", "d"}
        assert keys(storage.find(t=["red"])) == {"b", "h"}

    def test_lookups_on_a_list_test_each_element(self, storage: StorageAdapter) -> None:
        seed(storage, LISTS)
        assert keys(storage.find(t__gt=1)) == {"g"}
        assert keys(storage.find(t__startswith="gr")) == {"f"}
        assert keys(storage.find(t__in=["blue"])) == {"a", "f"}
