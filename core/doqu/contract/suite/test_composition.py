"""Composing conditions: ``Q`` with ``|``, ``&`` and ``~``, ``where_not()``, ``q1 | q2``."""

from __future__ import annotations

from ... import And, Not, Or, Q
from ..._storage import StorageAdapter
from .._fixtures import StorageFixtures
from ._support import keys, ordered, seed
from .test_find import PEOPLE

__all__ = ["CompositionContract"]


class CompositionContract(StorageFixtures):
    """AND, OR and NOT of conditions and of queries."""

    def test_q_or_selects_either(self, storage: StorageAdapter) -> None:
        seed(storage, PEOPLE)
        assert keys(storage.find().where(Q(city="Bergen") | Q(age=51))) == {"bob", "dee"}

    def test_q_and_selects_both(self, storage: StorageAdapter) -> None:
        seed(storage, PEOPLE)
        assert keys(storage.find().where(Q(city="Oslo") & Q(age=25))) == {"cy"}

    def test_q_not_includes_records_missing_the_field(self, storage: StorageAdapter) -> None:
        seed(storage, PEOPLE)
        assert keys(storage.find().where(~Q(city="Oslo"))) == {"bob", "dee"}

    def test_q_nests(self, storage: StorageAdapter) -> None:
        seed(storage, PEOPLE)
        condition = (Q(city="Oslo") | Q(city="Bergen")) & ~Q(age=25)
        assert keys(storage.find().where(condition)) == {"ann"}

    def test_not_of_or_is_and_of_nots(self, storage: StorageAdapter) -> None:
        seed(storage, PEOPLE)
        assert keys(storage.find().where(~(Q(city="Oslo") | Q(age=51)))) == {"bob"}
        assert keys(storage.find().where(~Q(city="Oslo") & ~Q(age=51))) == {"bob"}

    def test_double_negation_is_the_condition(self, storage: StorageAdapter) -> None:
        seed(storage, PEOPLE)
        assert keys(storage.find().where(Not(Not(Q(city="Oslo"))))) == {"ann", "cy"}

    def test_q_with_several_lookups_ands_them(self, storage: StorageAdapter) -> None:
        seed(storage, PEOPLE)
        assert keys(storage.find().where(Q(city="Oslo", age__gt=30) | Q(name="Bob"))) == {
            "ann",
            "bob",
        }

    def test_positional_conditions_and_keywords_combine(self, storage: StorageAdapter) -> None:
        seed(storage, PEOPLE)
        found = storage.find().where(Q(city="Oslo") | Q(city="Bergen"), age=25)
        assert keys(found) == {"bob", "cy"}

    def test_empty_or_matches_nothing_and_empty_and_everything(
        self, storage: StorageAdapter
    ) -> None:
        seed(storage, PEOPLE)
        assert keys(storage.find().where(Or(()))) == set()
        assert keys(storage.find().where(And(()))) == {"ann", "bob", "cy", "dee"}

    def test_where_not_drops_the_matches(self, storage: StorageAdapter) -> None:
        seed(storage, PEOPLE)
        assert keys(storage.find().where_not(city="Oslo")) == {"bob", "dee"}

    def test_where_not_drops_only_records_matching_all_its_conditions(
        self, storage: StorageAdapter
    ) -> None:
        seed(storage, PEOPLE)
        assert keys(storage.find().where_not(city="Oslo", age=25)) == {"ann", "bob", "dee"}

    def test_where_not_after_where(self, storage: StorageAdapter) -> None:
        seed(storage, PEOPLE)
        assert keys(storage.find(age=25).where_not(city="Oslo")) == {"bob"}

    def test_where_not_with_a_q(self, storage: StorageAdapter) -> None:
        seed(storage, PEOPLE)
        assert keys(storage.find().where_not(Q(age=25) | Q(age=51))) == {"ann"}

    def test_query_or_query_unites(self, storage: StorageAdapter) -> None:
        seed(storage, PEOPLE)
        assert keys(storage.find(city="Bergen") | storage.find(age=51)) == {"bob", "dee"}

    def test_query_and_query_intersects(self, storage: StorageAdapter) -> None:
        seed(storage, PEOPLE)
        assert keys(storage.find(city="Oslo") & storage.find(age=25)) == {"cy"}

    def test_query_or_itself_selects_each_match_once(self, storage: StorageAdapter) -> None:
        seed(storage, PEOPLE)
        query = storage.find(city="Oslo")
        assert sorted((query | query).keys()) == ["ann", "cy"]

    def test_combined_query_orders_and_counts(self, storage: StorageAdapter) -> None:
        seed(storage, PEOPLE)
        combined = storage.find(city="Bergen") | storage.find(age__gt=30)
        assert ordered(combined.order_by("-age")) == ["dee", "ann", "bob"]
        assert combined.count() == 3
