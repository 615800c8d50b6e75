"""Equality, membership, presence and range lookups on top-level fields.

Expected values follow ``docs/query-semantics.md``: values compare within their type bracket,
``bool`` is not a number, a list matches when it or any element matches, and a missing field
equals ``None``.
"""

from __future__ import annotations

from datetime import datetime

from ..._storage import StorageAdapter
from .._fixtures import StorageFixtures
from .._requirements import requires
from ._support import keys, seed

__all__ = ["ComparisonLookupContract", "EqualityLookupContract"]

NUMBERS = {
    "a": {"n": 1},
    "b": {"n": 2},
    "c": {"n": 2.5},
    "d": {"n": 3},
    "e": {"n": "2"},
    "f": {"n": True},
    "g": {"n": None},
    "h": {},
    "i": {"n": [1, 5]},
}


class EqualityLookupContract(StorageFixtures):
    """``equals``, ``ne``, ``in``, ``nin`` and ``exists``."""

    def test_equals_matches_equal_values_only(self, storage: StorageAdapter) -> None:
        seed(storage, NUMBERS)
        assert keys(storage.find(n=2)) == {"b"}
        assert keys(storage.find(n__equals=2)) == {"b"}

    def test_equals_treats_int_and_float_of_one_value_as_equal(
        self, storage: StorageAdapter
    ) -> None:
        seed(storage, {"a": {"n": 1}, "b": {"n": 1.0}, "c": {"n": 1.5}})
        assert keys(storage.find(n=1)) == {"a", "b"}
        assert keys(storage.find(n=1.0)) == {"a", "b"}

    def test_equals_keeps_bools_apart_from_numbers(self, storage: StorageAdapter) -> None:
        seed(storage, {"a": {"v": True}, "b": {"v": 1}, "c": {"v": 0}, "d": {"v": False}})
        assert keys(storage.find(v=True)) == {"a"}
        assert keys(storage.find(v=1)) == {"b"}
        assert keys(storage.find(v=False)) == {"d"}
        assert keys(storage.find(v=0)) == {"c"}

    def test_equals_keeps_strings_apart_from_numbers(self, storage: StorageAdapter) -> None:
        seed(storage, NUMBERS)
        assert keys(storage.find(n="2")) == {"e"}

    def test_equals_none_matches_none_and_missing(self, storage: StorageAdapter) -> None:
        seed(storage, {"a": {"v": None}, "b": {}, "c": {"v": 0}, "d": {"v": ""}, "e": {"v": []}})
        assert keys(storage.find(v=None)) == {"a", "b"}

    def test_equals_is_case_sensitive(self, storage: StorageAdapter) -> None:
        seed(storage, {"a": {"s": "Ann"}, "b": {"s": "ann"}, "c": {"s": "ANN"}})
        assert keys(storage.find(s="ann")) == {"b"}

    def test_equals_matches_a_list_holding_the_value(self, storage: StorageAdapter) -> None:
        seed(storage, {"a": {"t": ["x", "y"]}, "b": {"t": ["y"]}, "c": {"t": "x"}, "d": {}})
        assert keys(storage.find(t="x")) == {"a", "c"}

    def test_equals_with_a_list_matches_that_list_in_order(self, storage: StorageAdapter) -> None:
        seed(storage, {"a": {"t": ["x", "y"]}, "b": {"t": ["y", "x"]}, "c": {"t": ["x"]}})
        assert keys(storage.find(t=["x", "y"])) == {"a"}
        assert keys(storage.find(t=("x", "y"))) == {"a"}

    @requires("nested_lists")
    def test_equals_with_a_list_matches_an_equal_element_list(
        self, storage: StorageAdapter
    ) -> None:
        seed(storage, {"a": {"t": ["x", "y"]}, "d": {"t": [["x", "y"], "z"]}, "e": {"t": [["y"]]}})
        assert keys(storage.find(t=["x", "y"])) == {"a", "d"}

    def test_equals_with_an_empty_list_matches_empty_lists(self, storage: StorageAdapter) -> None:
        seed(storage, {"a": {"t": []}, "b": {"t": ["x"]}, "c": {}, "d": {"t": None}})
        assert keys(storage.find(t=[])) == {"a"}

    def test_equals_with_a_dict_matches_the_whole_nested_record(
        self, storage: StorageAdapter
    ) -> None:
        seed(
            storage,
            {
                "a": {"p": {"x": 1, "y": 2}},
                "b": {"p": {"x": 1}},
                "c": {"p": {"x": 1, "y": 2, "z": 3}},
            },
        )
        assert keys(storage.find(p={"x": 1, "y": 2})) == {"a"}

    def test_equals_matches_a_datetime(self, storage: StorageAdapter) -> None:
        seed(
            storage,
            {
                "a": {"at": datetime(2024, 5, 17, 12, 30, 0, 125000)},
                "b": {"at": datetime(2024, 5, 17, 12, 30, 0, 126000)},
                "c": {"at": "2024-05-17T12:30:00.125"},
            },
        )
        assert keys(storage.find(at=datetime(2024, 5, 17, 12, 30, 0, 125000))) == {"a"}

    def test_equals_empty_string_is_not_none(self, storage: StorageAdapter) -> None:
        seed(storage, {"a": {"s": ""}, "b": {"s": None}, "c": {}})
        assert keys(storage.find(s="")) == {"a"}

    def test_ne_matches_other_values_and_missing(self, storage: StorageAdapter) -> None:
        seed(storage, NUMBERS)
        assert keys(storage.find(n__ne=2)) == {"a", "c", "d", "e", "f", "g", "h", "i"}

    def test_ne_none_matches_present_values(self, storage: StorageAdapter) -> None:
        seed(storage, NUMBERS)
        assert keys(storage.find(n__ne=None)) == {"a", "b", "c", "d", "e", "f", "i"}

    def test_ne_excludes_lists_holding_the_value(self, storage: StorageAdapter) -> None:
        seed(storage, NUMBERS)
        assert keys(storage.find(n__ne=5)) == {"a", "b", "c", "d", "e", "f", "g", "h"}

    def test_in_matches_any_listed_value(self, storage: StorageAdapter) -> None:
        seed(storage, NUMBERS)
        assert keys(storage.find(n__in=[2, 3, "x"])) == {"b", "d"}

    def test_in_accepts_tuples_and_sets(self, storage: StorageAdapter) -> None:
        seed(storage, NUMBERS)
        assert keys(storage.find(n__in=(2, 3))) == {"b", "d"}
        assert keys(storage.find(n__in={2, 3})) == {"b", "d"}

    def test_in_with_none_matches_none_and_missing(self, storage: StorageAdapter) -> None:
        seed(storage, NUMBERS)
        assert keys(storage.find(n__in=[None, "2"])) == {"e", "g", "h"}

    def test_in_matches_a_list_sharing_an_element(self, storage: StorageAdapter) -> None:
        seed(storage, NUMBERS)
        assert keys(storage.find(n__in=[5, 7])) == {"i"}

    def test_in_with_an_empty_list_matches_nothing(self, storage: StorageAdapter) -> None:
        seed(storage, NUMBERS)
        assert keys(storage.find(n__in=[])) == set()

    def test_nin_matches_unlisted_values_and_missing(self, storage: StorageAdapter) -> None:
        seed(storage, NUMBERS)
        assert keys(storage.find(n__nin=[1, 2, 3])) == {"c", "e", "f", "g", "h"}

    def test_nin_with_an_empty_list_matches_everything(self, storage: StorageAdapter) -> None:
        seed(storage, NUMBERS)
        assert len(keys(storage.find(n__nin=[]))) == 9

    def test_exists_true_matches_present_fields_even_none(self, storage: StorageAdapter) -> None:
        seed(storage, NUMBERS)
        assert keys(storage.find(n__exists=True)) == {"a", "b", "c", "d", "e", "f", "g", "i"}

    def test_exists_false_matches_missing_fields(self, storage: StorageAdapter) -> None:
        seed(storage, NUMBERS)
        assert keys(storage.find(n__exists=False)) == {"h"}

    def test_exists_true_matches_empty_and_false_values(self, storage: StorageAdapter) -> None:
        seed(
            storage,
            {"a": {"v": []}, "b": {"v": 0}, "c": {"v": False}, "d": {"v": ""}, "e": {"v": {}}},
        )
        assert keys(storage.find(v__exists=True)) == {"a", "b", "c", "d", "e"}


class ComparisonLookupContract(StorageFixtures):
    """``gt``, ``gte``, ``lt``, ``lte`` and ``between``, within one type bracket."""

    def test_gt_on_numbers(self, storage: StorageAdapter) -> None:
        seed(storage, NUMBERS)
        assert keys(storage.find(n__gt=2)) == {"c", "d", "i"}

    def test_gte_on_numbers(self, storage: StorageAdapter) -> None:
        seed(storage, NUMBERS)
        assert keys(storage.find(n__gte=2)) == {"b", "c", "d", "i"}

    def test_lt_on_numbers(self, storage: StorageAdapter) -> None:
        seed(storage, NUMBERS)
        assert keys(storage.find(n__lt=2.5)) == {"a", "b", "i"}

    def test_lte_on_numbers(self, storage: StorageAdapter) -> None:
        seed(storage, NUMBERS)
        assert keys(storage.find(n__lte=2.5)) == {"a", "b", "c", "i"}

    def test_gt_on_large_and_negative_numbers(self, storage: StorageAdapter) -> None:
        seed(
            storage,
            {"a": {"n": 2**63 - 1}, "b": {"n": -(2**63)}, "c": {"n": -0.5}, "d": {"n": 1e300}},
        )
        assert keys(storage.find(n__gt=2**62)) == {"a", "d"}
        assert keys(storage.find(n__lt=-1)) == {"b"}

    def test_gt_on_strings_compares_code_points(self, storage: StorageAdapter) -> None:
        seed(
            storage,
            {
                "a": {"s": "apple"},
                "b": {"s": "Banana"},
                "c": {"s": "cherry"},
                "d": {"s": "éclair"},
                "e": {"s": 5},
            },
        )
        assert keys(storage.find(s__gt="b")) == {"c", "d"}
        assert keys(storage.find(s__lt="b")) == {"a", "b"}

    def test_gte_on_strings_includes_the_value(self, storage: StorageAdapter) -> None:
        seed(storage, {"a": {"s": "b"}, "b": {"s": "ba"}, "c": {"s": "a"}})
        assert keys(storage.find(s__gte="b")) == {"a", "b"}

    def test_gt_and_lt_on_datetimes(self, storage: StorageAdapter) -> None:
        seed(
            storage,
            {
                "a": {"at": datetime(2023, 12, 31, 23, 59, 59, 999000)},
                "b": {"at": datetime(2024, 1, 1)},
                "c": {"at": datetime(2024, 1, 1, 0, 0, 0, 1000)},
                "d": {"at": "2025-01-01"},
            },
        )
        assert keys(storage.find(at__gt=datetime(2024, 1, 1))) == {"c"}
        assert keys(storage.find(at__gte=datetime(2024, 1, 1))) == {"b", "c"}
        assert keys(storage.find(at__lt=datetime(2024, 1, 1))) == {"a"}

    def test_comparisons_never_match_other_types(self, storage: StorageAdapter) -> None:
        seed(
            storage,
            {
                "a": {"v": "10"},
                "b": {"v": None},
                "c": {"v": True},
                "d": {"v": {"x": 1}},
                "e": {"v": datetime(2024, 1, 1)},
                "f": {},
            },
        )
        assert keys(storage.find(v__gt=0)) == set()
        assert keys(storage.find(v__lt=100)) == set()
        assert keys(storage.find(v__lte="zzz")) == {"a"}

    def test_gt_matches_a_list_with_a_greater_element(self, storage: StorageAdapter) -> None:
        seed(storage, {"a": {"n": [1, 5]}, "b": {"n": [1, 2]}, "c": {"n": []}})
        assert keys(storage.find(n__gt=4)) == {"a"}

    def test_between_includes_both_ends(self, storage: StorageAdapter) -> None:
        seed(storage, NUMBERS)
        assert keys(storage.find(n__between=(2, 3))) == {"b", "c", "d", "i"}

    def test_between_accepts_a_list_pair(self, storage: StorageAdapter) -> None:
        seed(storage, NUMBERS)
        assert keys(storage.find(n__between=[1.5, 2.5])) == {"b", "c", "i"}

    def test_between_with_low_above_high_matches_no_single_value(
        self, storage: StorageAdapter
    ) -> None:
        seed(storage, {"a": {"n": 1}, "b": {"n": 2}, "c": {"n": 3}})
        assert keys(storage.find(n__between=(3, 1))) == set()

    def test_between_on_strings(self, storage: StorageAdapter) -> None:
        seed(storage, {"a": {"s": "b"}, "b": {"s": "bz"}, "c": {"s": "c"}, "d": {"s": "ca"}})
        assert keys(storage.find(s__between=("b", "c"))) == {"a", "b", "c"}

    def test_between_on_datetimes(self, storage: StorageAdapter) -> None:
        seed(
            storage,
            {
                "a": {"at": datetime(2024, 1, 1)},
                "b": {"at": datetime(2024, 6, 30, 23, 59, 59)},
                "c": {"at": datetime(2024, 7, 1)},
            },
        )
        window = (datetime(2024, 1, 1), datetime(2024, 6, 30, 23, 59, 59))
        assert keys(storage.find(at__between=window)) == {"a", "b"}

    def test_between_on_a_list_may_use_different_elements(self, storage: StorageAdapter) -> None:
        seed(storage, {"a": {"n": [1, 10]}, "b": {"n": [5]}, "c": {"n": [7, 8]}, "d": {"n": 6}})
        assert keys(storage.find(n__between=(4, 6))) == {"a", "b", "d"}
