"""Behaviours where a backend may declare a :class:`~doqu.Quirk`: each test checks the
reference rule on a backend that does not declare the quirk, and the quirk's own rule on one
that does, so a declaration is a tested promise, never a switched-off test.

Several of these cases come from MongoDB's semantics as other projects' test suites pin them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, TypeVar

from ... import Lookup
from ..._quirks import Quirk
from ..._storage import StorageAdapter
from .._fixtures import StorageFixtures
from .._requirements import requires
from ._support import keys, ordered, seed

__all__ = ["QuirkContract"]

T = TypeVar("T")


def found(storage: StorageAdapter, records: Mapping[str, Any], *lookup: Any) -> set[Any]:
    """The keys of ``records`` that ``Lookup(*lookup)`` matches on ``storage``."""
    seed(storage, records)
    return keys(storage.find().where(Lookup(*lookup)))


def expected(storage: StorageAdapter, quirk: Quirk, reference: T, rule: T) -> T:
    """``rule`` where ``storage`` declares ``quirk``, else ``reference``."""
    return rule if storage.capabilities.has(quirk) else reference


SHAPES = {
    "mixed": {"shape": [{"color": "red"}, {"color": "yellow"}]},
    "blue": {"shape": [{"color": "blue"}]},
}


class QuirkContract(StorageFixtures):
    """The reference rule, or the declared quirk's rule."""

    def test_quirk_ne_through_a_list_of_records_needs_every_element_to_differ(
        self, storage: StorageAdapter
    ) -> None:
        quirk = Quirk.NE_THROUGH_A_LIST_NEEDS_ONE_DIFFERENT_ELEMENT
        want = expected(storage, quirk, {"blue"}, {"blue", "mixed"})
        assert found(storage, SHAPES, "shape.color", "ne", "red") == want
        assert keys(storage.find().where(Lookup("shape.color", "nin", ["red"]))) == want

    def test_quirk_equals_a_whole_subdocument_through_a_list(self, storage: StorageAdapter) -> None:
        records = {"in": {"a": {"b": [{"c": 1}]}}, "other": {"a": {"b": [{"c": 2}]}}}
        want = expected(storage, Quirk.SUBDOCUMENT_THROUGH_A_LIST_MATCHES_NOTHING, {"in"}, set())
        assert found(storage, records, "a.b", "equals", {"c": 1}) == want

    def test_quirk_subdocument_equality_is_key_order_sensitive(
        self, storage: StorageAdapter
    ) -> None:
        records = {"xy": {"s": {"x": 1, "y": 2}}, "yx": {"s": {"y": 2, "x": 1}}}
        quirk = Quirk.SUBDOCUMENT_EQUALITY_IGNORES_KEY_ORDER
        assert found(storage, records, "s", "equals", {"y": 2, "x": 1}) == expected(
            storage, quirk, {"yx"}, {"xy", "yx"}
        )

    @requires("nan_values")
    def test_quirk_nan_equals_nan_and_is_not_less_than_a_number(
        self, storage: StorageAdapter
    ) -> None:
        records = {"nan": {"n": math.nan}, "one": {"n": 1.0}}
        quirk = Quirk.NAN_IS_A_PYTHON_FLOAT
        assert found(storage, records, "n", "equals", math.nan) == expected(
            storage, quirk, {"nan"}, set()
        )
        assert keys(storage.find().where(Lookup("n", "lt", 1.0))) == set()

    def test_quirk_contains_all_none_matches_a_missing_field(self, storage: StorageAdapter) -> None:
        records = {"missing": {}, "null": {"t": None}, "set": {"t": ["x"]}}
        quirk = Quirk.CONTAINS_ALL_NONE_MISSES_A_MISSING_FIELD
        assert found(storage, records, "t", "contains_all", [None]) == expected(
            storage, quirk, {"missing", "null"}, {"null"}
        )

    @requires("nested_lists", "regex")
    def test_quirk_numbered_path_regex_inside_a_nested_list(self, storage: StorageAdapter) -> None:
        records = {"nested": {"a": [["xy"]]}, "deeper": {"a": [[{"b": "xy"}]]}}
        quirk = Quirk.NUMBERED_PATH_REGEX_ENTERS_A_NESTED_LIST
        assert found(storage, records, "a.0", "matches", "^x") == expected(
            storage, quirk, set(), {"nested"}
        )
        assert keys(storage.find().where(Lookup("a.0.0.b", "matches", "^x"))) == {"deeper"}

    def test_quirk_true_is_not_one(self, storage: StorageAdapter) -> None:
        records = {"true": {"n": True}, "one": {"n": 1}}
        want = expected(storage, Quirk.BOOL_EQUALS_NUMBER, {"one"}, {"one", "true"})
        assert found(storage, records, "n", "equals", 1) == want

    @requires("nested_lists")
    def test_quirk_a_list_matches_an_equal_list_and_an_element_list(
        self, storage: StorageAdapter
    ) -> None:
        records = {"empty": {"a": []}, "one": {"a": [1]}, "nest": {"a": [[1]]}, "n": {"a": 1}}
        quirk = Quirk.LIST_EQUALITY_SPLIT_BY_LOOKUP
        assert found(storage, records, "a", "equals", [1]) == expected(
            storage, quirk, {"one", "nest"}, {"one"}
        )
        assert keys(storage.find().where(Lookup("a", "in", [[], [1]]))) == expected(
            storage, quirk, {"empty", "one", "nest"}, {"nest"}
        )

    def test_quirk_a_path_through_a_scalar_is_missing(self, storage: StorageAdapter) -> None:
        records = {"scalar": {"a": 1}, "null": {"a": {"x": None}}, "set": {"a": {"x": 1}}}
        quirk = Quirk.PATH_THROUGH_A_SCALAR_IS_NOT_MISSING
        assert found(storage, records, "a.x", "equals", None) == expected(
            storage, quirk, {"scalar", "null"}, {"null"}
        )

    def test_quirk_null_through_a_list_of_records(self, storage: StorageAdapter) -> None:
        records = {
            "empty": {"p": []},
            "none": {"p": [{"x": None}]},
            "gap": {"p": [{}, {"x": 2}]},
            "set": {"p": [{"x": 2}]},
        }
        quirk = Quirk.NULL_THROUGH_A_LIST_NEEDS_NO_NON_NULL
        want = expected(storage, quirk, {"none", "gap"}, {"empty", "none"})
        assert found(storage, records, "p.x", "equals", None) == want
        assert keys(storage.find().where(Lookup("p.x", "in", [None]))) == want

    def test_quirk_a_numbered_path_also_names_a_field_of_each_record(
        self, storage: StorageAdapter
    ) -> None:
        # MongoDB reads "p.0.x" both as element 0's "x" and as "0.x" inside each record of the
        # list, where a record without a field "0" is missing, which equals None
        records = {
            "two": {"p": [{"x": 2}]},
            "none": {"p": [{"x": None}]},
            "named": {"p": [{"0": {"x": 2}}]},
        }
        quirk = Quirk.NUMBERED_PATH_READS_ONLY_THAT_ELEMENT
        assert found(storage, records, "p.0.x", "equals", 2) == expected(
            storage, quirk, {"two", "named"}, {"two"}
        )
        none = expected(storage, quirk, {"two", "none", "named"}, {"none", "named"})
        assert keys(storage.find().where(Lookup("p.0.x", "equals", None))) == none
        assert keys(storage.find().where(Lookup("p.0.x", "in", [None, 3]))) == none
        assert keys(storage.find().where(Lookup("p.0.x", "ne", None))) == set(records) - none
        assert keys(storage.find().where(Lookup("p.0.x", "nin", [None]))) == set(records) - none

    def test_quirk_contains_all_through_a_list_of_records(self, storage: StorageAdapter) -> None:
        records = {
            "both": {"pets": [{"kind": ["cat", "dog"]}]},
            "split": {"pets": [{"kind": "cat"}, {"kind": "dog"}]},
        }
        quirk = Quirk.CONTAINS_ALL_THROUGH_A_LIST_IN_ONE_ELEMENT
        assert found(storage, records, "pets.kind", "contains_all", ["cat", "dog"]) == expected(
            storage, quirk, {"both", "split"}, {"both"}
        )

    def test_quirk_order_by_a_list_uses_its_smallest_or_largest_element(
        self, storage: StorageAdapter
    ) -> None:
        seed(storage, {"low": {"a": [3, 1]}, "mid": {"a": [2]}, "num": {"a": 1.5}})
        quirk = Quirk.ORDER_BY_A_LIST_COMPARES_WHOLE_LISTS
        assert ordered(storage.find().order_by("a")) == expected(
            storage, quirk, ["low", "num", "mid"], ["num", "mid", "low"]
        )
        assert ordered(storage.find().order_by("-a")) == ["low", "mid", "num"]

    def test_quirk_order_through_a_list_of_records_by_name(self, storage: StorageAdapter) -> None:
        seed(storage, {"two": {"p": [{"x": 3}, {"x": 1}]}, "dict": {"p": {"x": 2}}, "none": {}})
        has = storage.capabilities.has
        ascending, descending = ["none", "two", "dict"], ["two", "dict", "none"]
        if has(Quirk.ORDER_THROUGH_A_LIST_IS_THE_SERVERS):
            descending = ["dict", "none", "two"]  # "two" ties with "none", broken by key
        elif has(Quirk.ORDER_BY_A_LIST_COMPARES_WHOLE_LISTS):
            ascending = ["none", "dict", "two"]  # [3, 1] as one value, after numbers
        assert ordered(storage.find().order_by("p.x")) == ascending
        assert ordered(storage.find().order_by("-p.x")) == descending
