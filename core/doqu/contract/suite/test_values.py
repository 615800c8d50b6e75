"""``values(name)``: the distinct values of a field under a query's conditions.

``values()`` returns values in doqu's total order; most tests sort anyway so that each checks
one thing, and ``test_values_come_in_doqus_order`` checks the order itself.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..._storage import StorageAdapter
from ..._values import sort_key
from .._fixtures import StorageFixtures
from ._support import seed

__all__ = ["DistinctValuesContract"]

PEOPLE = {
    "ann": {"city": "Oslo", "age": 37, "tags": ["a", "b"], "address": {"zip": "0150"}},
    "bob": {"city": "Bergen", "age": 25, "tags": ["b", "c"], "address": {"zip": "5003"}},
    "cy": {"city": "Oslo", "age": 25, "tags": "d", "address": {"zip": "0150"}},
    "dee": {"city": None, "tags": []},
    "eve": {},
}


def distinct(values: list[Any]) -> list[Any]:
    """``values`` in doqu's order."""
    return sorted(values, key=sort_key)


class DistinctValuesContract(StorageFixtures):
    """``Query.values(name)``."""

    def test_values_lists_each_value_once(self, storage: StorageAdapter) -> None:
        seed(storage, PEOPLE)
        assert distinct(storage.find().values("age")) == [25, 37]

    def test_values_include_none_but_not_missing(self, storage: StorageAdapter) -> None:
        seed(storage, PEOPLE)
        assert distinct(storage.find().values("city")) == [None, "Bergen", "Oslo"]

    def test_values_under_conditions(self, storage: StorageAdapter) -> None:
        seed(storage, PEOPLE)
        assert distinct(storage.find(age=25).values("city")) == ["Bergen", "Oslo"]
        assert distinct(storage.find().where_not(city="Oslo").values("age")) == [25]

    def test_values_of_a_missing_field_are_empty(self, storage: StorageAdapter) -> None:
        seed(storage, PEOPLE)
        assert storage.find().values("nothing") == []

    def test_values_without_a_match_are_empty(self, storage: StorageAdapter) -> None:
        seed(storage, PEOPLE)
        assert storage.find(city="Rome").values("age") == []

    def test_values_unwind_lists(self, storage: StorageAdapter) -> None:
        seed(storage, PEOPLE)
        assert distinct(storage.find().values("tags")) == ["a", "b", "c", "d"]

    def test_values_of_a_dotted_field(self, storage: StorageAdapter) -> None:
        seed(storage, PEOPLE)
        assert distinct(storage.find().values("address.zip")) == ["0150", "5003"]

    def test_values_through_a_list_of_records(self, storage: StorageAdapter) -> None:
        seed(
            storage,
            {
                "a": {"pets": [{"kind": "cat"}, {"kind": "dog"}]},
                "b": {"pets": [{"kind": "dog"}, {"name": "Rex"}]},
            },
        )
        assert distinct(storage.find().values("pets.kind")) == ["cat", "dog"]

    def test_values_count_equal_numbers_once(self, storage: StorageAdapter) -> None:
        seed(storage, {"a": {"n": 1}, "b": {"n": 1.0}, "c": {"n": True}, "d": {"n": "1"}})
        found = distinct(storage.find().values("n"))
        assert len(found) == 3
        assert found[0] == 1
        assert found[1:] == ["1", True]

    def test_values_of_nested_records(self, storage: StorageAdapter) -> None:
        seed(storage, PEOPLE)
        assert distinct(storage.find().values("address")) == [{"zip": "0150"}, {"zip": "5003"}]

    def test_values_of_datetimes(self, storage: StorageAdapter) -> None:
        seed(
            storage,
            {
                "a": {"at": datetime(2024, 1, 1, 0, 0, 0, 5000)},
                "b": {"at": datetime(2024, 1, 1, 0, 0, 0, 5000)},
                "c": {"at": datetime(2023, 1, 1)},
            },
        )
        found = distinct(storage.find().values("at"))
        assert found == [datetime(2023, 1, 1), datetime(2024, 1, 1, 0, 0, 0, 5000)]

    def test_values_ignore_order_by(self, storage: StorageAdapter) -> None:
        seed(storage, PEOPLE)
        assert distinct(storage.find().order_by("-age").values("age")) == [25, 37]

    def test_values_come_in_doqus_order(self, storage: StorageAdapter) -> None:
        # saved out of order, and of several types: the result is sorted as order_by sorts
        seed(storage, {"a": {"v": "b"}, "b": {"v": 3}, "c": {"v": None}, "d": {"v": "a"}})
        seed(storage, {"e": {"v": 1.5}, "f": {"v": True}, "g": {"v": -2}})
        assert storage.find().values("v") == distinct(["b", 3, None, "a", 1.5, True, -2])
