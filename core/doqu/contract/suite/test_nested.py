"""Dotted paths: lookups that reach into nested records and through lists of records."""

from __future__ import annotations

from ..._storage import StorageAdapter
from .._fixtures import StorageFixtures
from ._support import keys, seed

__all__ = ["NestedLookupContract"]

NESTED = {
    "a": {
        "address": {"city": "Oslo", "geo": {"lat": 59.9, "lon": 10.7}},
        "pets": [{"kind": "cat", "name": "Tom"}, {"kind": "dog", "name": "Rex"}],
    },
    "b": {"address": {"city": "Bergen"}, "pets": [{"kind": "dog", "name": "Fido"}]},
    "c": {"address": "Oslo", "pets": []},
    "d": {"address": {"city": None}},
    "e": {},
}


def where(storage: StorageAdapter, **lookups: object) -> set[object]:
    """Keys matching ``lookups``, dotted names passed as ``**{"a.b": value}``."""
    return keys(storage.find().where(**lookups))


class NestedLookupContract(StorageFixtures):
    """Lookups on ``"a.b"`` paths."""

    def test_dotted_equals_reaches_a_nested_field(self, storage: StorageAdapter) -> None:
        seed(storage, NESTED)
        assert where(storage, **{"address.city": "Oslo"}) == {"a"}

    def test_dotted_path_of_three_parts(self, storage: StorageAdapter) -> None:
        seed(storage, NESTED)
        assert where(storage, **{"address.geo.lat__gt": 50}) == {"a"}
        assert where(storage, **{"address.geo.lat__lt": 50}) == set()

    def test_dotted_none_matches_none_and_missing(self, storage: StorageAdapter) -> None:
        seed(storage, NESTED)
        assert where(storage, **{"address.city": None}) == {"c", "d", "e"}

    def test_dotted_path_reaches_into_every_list_element(self, storage: StorageAdapter) -> None:
        seed(storage, NESTED)
        assert where(storage, **{"pets.kind": "dog"}) == {"a", "b"}
        assert where(storage, **{"pets.name": "Tom"}) == {"a"}

    def test_dotted_path_with_an_index_picks_one_element(self, storage: StorageAdapter) -> None:
        seed(storage, NESTED)
        assert where(storage, **{"pets.0.kind": "dog"}) == {"b"}
        assert where(storage, **{"pets.1.kind": "dog"}) == {"a"}
        assert where(storage, **{"pets.2.kind__exists": True}) == set()

    def test_dotted_exists(self, storage: StorageAdapter) -> None:
        seed(storage, NESTED)
        assert where(storage, **{"address.city__exists": True}) == {"a", "b", "d"}
        assert where(storage, **{"address.city__exists": False}) == {"c", "e"}

    def test_dotted_ne_matches_missing(self, storage: StorageAdapter) -> None:
        seed(storage, NESTED)
        assert where(storage, **{"address.city__ne": "Oslo"}) == {"b", "c", "d", "e"}

    def test_dotted_in_and_string_lookups_through_a_list(self, storage: StorageAdapter) -> None:
        seed(storage, NESTED)
        assert where(storage, **{"pets.kind__in": ["cat", "bird"]}) == {"a"}
        assert where(storage, **{"pets.name__startswith": "F"}) == {"b"}

    def test_dotted_contains_all_gathers_values_from_several_elements(
        self, storage: StorageAdapter
    ) -> None:
        seed(storage, NESTED)
        assert where(storage, **{"pets.kind__contains_all": ["cat", "dog"]}) == {"a"}

    def test_conditions_on_list_elements_hold_independently(self, storage: StorageAdapter) -> None:
        # no element is a dog named Tom, but one element is a dog and another is named Tom
        seed(storage, NESTED)
        assert where(storage, **{"pets.kind": "dog", "pets.name": "Tom"}) == {"a"}

    def test_dotted_lookups_compose(self, storage: StorageAdapter) -> None:
        seed(storage, NESTED)
        query = storage.find().where_not(**{"address.city": "Oslo"})
        assert keys(query.where(**{"pets.kind": "dog"})) == {"b"}

    def test_dotted_path_into_a_nested_list_of_numbers(self, storage: StorageAdapter) -> None:
        seed(storage, {"a": {"stats": {"scores": [3, 9]}}, "b": {"stats": {"scores": [4]}}})
        assert where(storage, **{"stats.scores__gt": 5}) == {"a"}
        assert where(storage, **{"stats.scores": 4}) == {"b"}
