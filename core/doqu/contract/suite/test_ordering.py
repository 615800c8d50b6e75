"""``order_by()``: ascending and descending, several fields, mixed types, ties and lists.

Expected orders follow ``doqu._values``: missing = None < numbers < str < dict < list <
bytes/UUID < bool < datetime; str by code point; ties broken by key ascending.
"""

from __future__ import annotations

from datetime import datetime

from ..._storage import StorageAdapter
from .._fixtures import StorageFixtures
from ._support import ordered, seed

__all__ = ["OrderingContract"]

MIXED = {
    "a": {"v": True},
    "b": {"v": "x"},
    "c": {"v": 1},
    "d": {"v": None},
    "e": {"v": {"k": 1}},
    "f": {"v": datetime(2020, 1, 1)},
    "g": {"v": 2.5},
    "h": {"v": False},
    "i": {},
    "j": {"v": "A"},
}

CITIES = {
    "ann": {"city": "Oslo", "age": 37},
    "bob": {"city": "Bergen", "age": 25},
    "cy": {"city": "Oslo", "age": 25},
    "dee": {"city": "Bergen", "age": 51},
    "eve": {"city": "Oslo", "age": 37},
}


class OrderingContract(StorageFixtures):
    """The order of query results."""

    def test_order_by_numbers_ascending(self, storage: StorageAdapter) -> None:
        seed(storage, {"a": {"n": 3}, "b": {"n": 1}, "c": {"n": 2.5}, "d": {"n": -1}})
        assert ordered(storage.find().order_by("n")) == ["d", "b", "c", "a"]

    def test_order_by_numbers_descending(self, storage: StorageAdapter) -> None:
        seed(storage, {"a": {"n": 3}, "b": {"n": 1}, "c": {"n": 2.5}, "d": {"n": -1}})
        assert ordered(storage.find().order_by("-n")) == ["a", "c", "b", "d"]

    def test_order_by_interleaves_ints_and_floats(self, storage: StorageAdapter) -> None:
        seed(storage, {"a": {"n": 2}, "b": {"n": 1.5}, "c": {"n": 1}, "d": {"n": 2.0}})
        assert ordered(storage.find().order_by("n")) == ["c", "b", "a", "d"]

    def test_order_by_extreme_numbers(self, storage: StorageAdapter) -> None:
        seed(
            storage,
            {
                "a": {"n": 2**63 - 1},
                "b": {"n": -(2**63)},
                "c": {"n": -1.5},
                "d": {"n": 0},
                "e": {"n": 1e300},
            },
        )
        assert ordered(storage.find().order_by("n")) == ["b", "c", "d", "a", "e"]

    def test_order_by_strings_uses_code_points(self, storage: StorageAdapter) -> None:
        seed(
            storage,
            {
                "a": {"s": "b"},
                "b": {"s": "B"},
                "c": {"s": "a"},
                "d": {"s": "é"},
                "e": {"s": "Z"},
                "f": {"s": "😀"},
                "g": {"s": "中"},
                "h": {"s": "ab"},
            },
        )
        assert ordered(storage.find().order_by("s")) == ["b", "e", "c", "h", "a", "d", "g", "f"]

    def test_order_by_datetimes_to_the_millisecond(self, storage: StorageAdapter) -> None:
        seed(
            storage,
            {
                "a": {"at": datetime(2024, 1, 1, 0, 0, 0, 2000)},
                "b": {"at": datetime(2024, 1, 1, 0, 0, 0, 1000)},
                "c": {"at": datetime(1969, 7, 20, 20, 17)},
                "d": {"at": datetime(2024, 1, 1)},
            },
        )
        assert ordered(storage.find().order_by("at")) == ["c", "d", "b", "a"]

    def test_order_by_bools_puts_false_first(self, storage: StorageAdapter) -> None:
        seed(storage, {"a": {"v": True}, "b": {"v": False}, "c": {"v": True}})
        assert ordered(storage.find().order_by("v")) == ["b", "a", "c"]

    def test_order_by_mixed_types_ascending(self, storage: StorageAdapter) -> None:
        seed(storage, MIXED)
        assert ordered(storage.find().order_by("v")) == [
            "d", "i", "c", "g", "j", "b", "e", "h", "a", "f",
        ]  # fmt: skip

    def test_order_by_mixed_types_descending(self, storage: StorageAdapter) -> None:
        seed(storage, MIXED)
        assert ordered(storage.find().order_by("-v")) == [
            "f", "a", "h", "e", "b", "j", "g", "c", "d", "i",
        ]  # fmt: skip

    def test_order_by_a_list_uses_its_smallest_then_largest_element(
        self, storage: StorageAdapter
    ) -> None:
        seed(
            storage,
            {
                "a": {"v": []},
                "b": {"v": None},
                "c": {},
                "d": {"v": [3, 1]},
                "e": {"v": 2},
                "f": {"v": "x"},
            },
        )
        assert ordered(storage.find().order_by("v")) == ["a", "b", "c", "d", "e", "f"]
        assert ordered(storage.find().order_by("-v")) == ["f", "d", "e", "b", "c", "a"]

    def test_order_by_nested_records_compares_pair_by_pair(self, storage: StorageAdapter) -> None:
        # each pair compares by its value's type bracket first, then name, then value
        seed(
            storage,
            {
                "a": {"v": {"a": "x"}},
                "b": {"v": {"b": 1}},
                "c": {"v": {"a": 1}},
                "d": {"v": {"a": 1, "b": 0}},
                "e": {"v": {}},
            },
        )
        assert ordered(storage.find().order_by("v")) == ["e", "c", "d", "b", "a"]

    def test_order_by_several_fields(self, storage: StorageAdapter) -> None:
        seed(storage, CITIES)
        found = storage.find().order_by("city", "-age")
        assert ordered(found) == ["dee", "bob", "ann", "eve", "cy"]

    def test_order_ties_are_broken_by_key_ascending(self, storage: StorageAdapter) -> None:
        seed(storage, {"d": {"n": 1}, "a": {"n": 1}, "c": {"n": 1}, "b": {"n": 1}})
        assert ordered(storage.find().order_by("n")) == ["a", "b", "c", "d"]
        assert ordered(storage.find().order_by("-n")) == ["a", "b", "c", "d"]

    def test_order_by_a_dotted_field(self, storage: StorageAdapter) -> None:
        seed(
            storage,
            {
                "a": {"addr": {"zip": "0150"}},
                "b": {"addr": {"zip": "5003"}},
                "c": {"addr": {}},
                "d": {},
            },
        )
        assert ordered(storage.find().order_by("addr.zip")) == ["c", "d", "a", "b"]
        assert ordered(storage.find().order_by("-addr.zip")) == ["b", "a", "c", "d"]

    def test_order_by_replaces_an_earlier_order(self, storage: StorageAdapter) -> None:
        seed(storage, CITIES)
        found = storage.find().order_by("city").order_by("-age")
        assert ordered(found) == ["dee", "ann", "eve", "bob", "cy"]

    def test_order_by_with_a_condition(self, storage: StorageAdapter) -> None:
        seed(storage, CITIES)
        assert ordered(storage.find(city="Oslo").order_by("age")) == ["cy", "ann", "eve"]

    def test_order_by_yields_documents_in_order(self, storage: StorageAdapter) -> None:
        seed(storage, {"a": {"n": 2}, "b": {"n": 1}})
        assert list(storage.find().order_by("n")) == [{"n": 1}, {"n": 2}]

    def test_ordered_pages_cover_every_record_once(self, storage: StorageAdapter) -> None:
        seed(storage, {f"k{n}": {"g": n % 3} for n in range(9)})
        query = storage.find().order_by("-g")
        pages = [ordered(query[start : start + 4]) for start in (0, 4, 8)]
        assert pages == [["k2", "k5", "k8", "k1"], ["k4", "k7", "k0", "k3"], ["k6"]]
