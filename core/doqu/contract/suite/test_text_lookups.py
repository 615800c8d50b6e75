"""String lookups: ``startswith``, ``endswith``, ``contains`` and the regex lookups.

They test str values and the str elements of lists, case-sensitively unless caseless, and
never match other types.
"""

from __future__ import annotations

from ..._storage import StorageAdapter
from .._fixtures import StorageFixtures
from .._requirements import requires
from ._support import keys, seed

__all__ = ["RegexLookupContract", "StringLookupContract"]

TEXTS = {
    "a": {"s": "Anna"},
    "b": {"s": "anna"},
    "c": {"s": "Hannah"},
    "d": {"s": ["Ann", "Bo"]},
    "e": {"s": 5},
    "f": {"s": None},
    "g": {},
    "h": {"s": ""},
}


class StringLookupContract(StorageFixtures):
    """Case-sensitive substring tests."""

    def test_startswith_is_case_sensitive(self, storage: StorageAdapter) -> None:
        seed(storage, TEXTS)
        assert keys(storage.find(s__startswith="An")) == {"a", "d"}
        assert keys(storage.find(s__startswith="an")) == {"b"}

    def test_startswith_an_empty_string_matches_every_string(self, storage: StorageAdapter) -> None:
        seed(storage, TEXTS)
        assert keys(storage.find(s__startswith="")) == {"a", "b", "c", "d", "h"}

    def test_endswith(self, storage: StorageAdapter) -> None:
        seed(storage, TEXTS)
        assert keys(storage.find(s__endswith="nah")) == {"c"}
        assert keys(storage.find(s__endswith="na")) == {"a", "b"}

    def test_endswith_matches_a_list_element(self, storage: StorageAdapter) -> None:
        seed(storage, TEXTS)
        assert keys(storage.find(s__endswith="o")) == {"d"}

    def test_contains_finds_a_substring_anywhere(self, storage: StorageAdapter) -> None:
        seed(storage, TEXTS)
        assert keys(storage.find(s__contains="nn")) == {"a", "b", "c", "d"}

    def test_contains_is_case_sensitive(self, storage: StorageAdapter) -> None:
        seed(storage, TEXTS)
        assert keys(storage.find(s__contains="NN")) == set()
        assert keys(storage.find(s__contains="H")) == {"c"}

    def test_contains_an_empty_string_matches_every_string(self, storage: StorageAdapter) -> None:
        seed(storage, TEXTS)
        assert keys(storage.find(s__contains="")) == {"a", "b", "c", "d", "h"}

    def test_string_lookups_never_match_other_types(self, storage: StorageAdapter) -> None:
        seed(storage, TEXTS)
        assert keys(storage.find(s__startswith="5")) == set()
        assert keys(storage.find(s__contains="None")) == set()
        assert keys(storage.find(s__endswith="5")) == set()

    def test_string_lookups_on_non_ascii_text(self, storage: StorageAdapter) -> None:
        seed(storage, {"a": {"s": "Ærøskøbing"}, "b": {"s": "straße"}, "c": {"s": "東京都"}})
        assert keys(storage.find(s__startswith="Ærø")) == {"a"}
        assert keys(storage.find(s__endswith="ße")) == {"b"}
        assert keys(storage.find(s__contains="京")) == {"c"}


class RegexLookupContract(StorageFixtures):
    """``matches`` and ``matches_caseless``: unanchored regular-expression search."""

    @requires("regex")
    def test_matches_searches_anywhere_in_the_string(self, storage: StorageAdapter) -> None:
        seed(storage, TEXTS)
        assert keys(storage.find(s__matches="nn")) == {"a", "b", "c", "d"}

    @requires("regex")
    def test_matches_honours_anchors(self, storage: StorageAdapter) -> None:
        seed(storage, TEXTS)
        assert keys(storage.find(s__matches="^A")) == {"a", "d"}
        assert keys(storage.find(s__matches="a$")) == {"a", "b"}

    @requires("regex")
    def test_matches_is_case_sensitive(self, storage: StorageAdapter) -> None:
        seed(storage, TEXTS)
        assert keys(storage.find(s__matches="^a")) == {"b"}

    @requires("regex")
    def test_matches_caseless_ignores_case(self, storage: StorageAdapter) -> None:
        seed(storage, TEXTS)
        assert keys(storage.find(s__matches_caseless="^a")) == {"a", "b", "d"}
        assert keys(storage.find(s__matches_caseless="HANNAH")) == {"c"}

    @requires("regex")
    def test_matches_character_classes_and_repeats(self, storage: StorageAdapter) -> None:
        seed(storage, TEXTS)
        assert keys(storage.find(s__matches="^[AH]")) == {"a", "c", "d"}
        assert keys(storage.find(s__matches="n{2}a")) == {"a", "b", "c"}
        assert keys(storage.find(s__matches="^.{4}$")) == {"a", "b"}

    @requires("regex")
    def test_matches_alternation(self, storage: StorageAdapter) -> None:
        seed(storage, TEXTS)
        assert keys(storage.find(s__matches="^(Bo|Cy)$")) == {"d"}

    @requires("regex")
    def test_matches_an_empty_pattern_matches_every_string(self, storage: StorageAdapter) -> None:
        seed(storage, TEXTS)
        assert keys(storage.find(s__matches="")) == {"a", "b", "c", "d", "h"}

    @requires("regex")
    def test_matches_never_matches_other_types(self, storage: StorageAdapter) -> None:
        seed(storage, TEXTS)
        assert keys(storage.find(s__matches="5")) == set()
        assert keys(storage.find(s__matches_caseless="none")) == set()
