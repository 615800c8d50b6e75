"""Hostile and careless queries: long value lists, wide and deep condition trees.

A backend that compiles conditions into its own query language meets its parser's limits
long before doqu's (SQLite refuses expressions over 1000 deep); the answer must still be the
reference evaluator's, on every backend.
"""

from __future__ import annotations

import functools
import operator
from typing import Any

import pytest

from ... import Q
from ..._conditions import Condition
from ..._storage import StorageAdapter
from ...errors import QueryError
from .._fixtures import StorageFixtures
from ._support import keys, seed
from .test_bad_input import shown

__all__ = ["HostileQueryContract"]

TEN_THOUSAND = list(range(10_000))

LIST_RECORDS: dict[str, Any] = {
    "five": {"n": 5, "tags": ["x", 7]},
    "past": {"n": 10_001, "tags": ["y"]},
    "text": {"n": "5", "tags": [5.0, 9999]},
    "real": {"n": 9999.0},
    "all": {"n": None, "tags": TEN_THOUSAND},
}


class HostileQueryContract(StorageFixtures):
    """Queries far larger than usual give the reference evaluator's answer on every backend."""

    def test_in_and_nin_with_ten_thousand_values(self, storage: StorageAdapter) -> None:
        seed(storage, LIST_RECORDS)
        assert keys(storage.find(n__in=TEN_THOUSAND)) == {"five", "real"}
        assert keys(storage.find(n__nin=TEN_THOUSAND)) == {"past", "text", "all"}
        assert keys(storage.find(n__in=[str(i) for i in TEN_THOUSAND])) == {"text"}
        assert keys(storage.find(n__in=[*TEN_THOUSAND, None])) == {"five", "real", "all"}
        assert storage.find(n__in=TEN_THOUSAND).count() == 2

    def test_contains_any_and_all_with_ten_thousand_values(self, storage: StorageAdapter) -> None:
        seed(storage, LIST_RECORDS)
        assert keys(storage.find(tags__contains_any=TEN_THOUSAND)) == {"five", "text", "all"}
        assert keys(storage.find(tags__contains_any=[str(i) for i in TEN_THOUSAND])) == set()
        assert keys(storage.find(tags__contains_all=TEN_THOUSAND[::-1])) == {"all"}
        assert keys(storage.find(tags__contains_all=[*TEN_THOUSAND, 10_000])) == set()
        assert keys(storage.find().where_not(tags__contains_all=TEN_THOUSAND)) == {
            "five",
            "past",
            "text",
            "real",
        }

    def test_an_or_of_a_thousand_conditions(self, storage: StorageAdapter) -> None:
        seed(storage, {f"r{n}": {"n": n} for n in (0, 7, 999, 1000, 5000)})
        either = functools.reduce(operator.or_, [Q(n=n) for n in range(1000)])
        assert keys(storage.find().where(either)) == {"r0", "r7", "r999"}
        assert keys(storage.find().where_not(either)) == {"r1000", "r5000"}
        chained = functools.reduce(operator.or_, [storage.find(n=n) for n in range(1000)])
        assert chained.count() == 3

    def test_a_thousand_chained_wheres_and_order_fields(self, storage: StorageAdapter) -> None:
        seed(storage, {"a": {"n": 1, "m": 2}, "b": {"n": 2, "m": 1}, "c": {"n": 3, "m": 1}})
        query = storage.find()
        for bound in range(1000):
            query = query.where(n__gte=bound % 2).where_not(n=bound + 3)
        assert keys(query) == {"a", "b"}
        assert list(query.order_by(*["m", "-n"] * 500).keys()) == ["b", "a"]

    def test_nesting_within_the_limit_gives_the_reference_answer(
        self, storage: StorageAdapter
    ) -> None:
        seed(storage, {f"r{n}": {"n": n} for n in range(6)})
        condition: Condition = Q(n=0)
        for level in range(40):  # alternating kinds: nothing flattens, 60 levels deep
            condition = ~(condition | Q(n=level % 5)) if level % 2 else condition & Q(n__lte=3)
        assert keys(storage.find().where(condition)) == {"r2", "r3", "r5"}

    def test_double_negation_cancels_out(self, storage: StorageAdapter) -> None:
        seed(storage, {"a": {"n": 1}, "b": {"n": 2}})
        condition = Q(n=1)
        for _ in range(5000):
            condition = ~condition
        assert condition == Q(n=1)
        assert keys(storage.find().where(condition)) == {"a"}

    def test_nesting_over_the_limit_is_refused_when_built(self, storage: StorageAdapter) -> None:
        condition = Q(n=1)
        for level in range(100):  # alternating kinds: one level each, 100 in all
            condition = (condition | Q(n=level)) if level % 2 else (condition & Q(m=level))
        seed(storage, {"a": {"n": 99}, "b": {"n": 1, "m": 0}, "c": {"n": 97}})
        assert keys(storage.find().where(condition)) == {"a"}
        with pytest.raises(QueryError, match=shown("more than 100 levels")):
            condition & Q(m=100)
        query = storage.find(n=1)
        for level in range(50):  # each step nests an OR in an AND: two levels
            query = (query | storage.find(n=level)).where_not(m=level)
        with pytest.raises(QueryError, match=shown("more than 100 levels")):
            query | storage.find(n=50)

    def test_an_empty_condition_counts_as_one_level(self, storage: StorageAdapter) -> None:
        condition = Q() | Q(n=0)  # Q() matches every record and is one level, as any And
        for level in range(98):  # alternating kinds: one level each, 100 in all
            condition = (condition | Q(n=level)) if level % 2 else (condition & Q(m=level))
        seed(storage, {"a": {"n": 97}, "b": {"n": 1, "m": 2}})
        assert keys(storage.find().where(condition)) == {"a"}
        with pytest.raises(QueryError, match=shown("more than 100 levels")):
            condition & Q(m=100)

    def test_a_negation_counts_as_one_level(self, storage: StorageAdapter) -> None:
        condition = Q(n=0)
        for level in range(50):  # each step negates an OR: two levels, 100 in all
            condition = ~(condition | Q(n=level + 1))
        seed(storage, {"a": {"n": 0}, "b": {"n": 1}, "c": {"n": 2}, "d": {"n": 60}})
        # fifty negations leave n == 0 or an odd value below 50 (b); 2 and 60 are out
        assert keys(storage.find().where(condition)) == {"a", "b"}
        with pytest.raises(QueryError, match=shown("more than 100 levels")):
            condition | Q(n=100)
