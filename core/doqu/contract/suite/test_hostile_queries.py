"""Hostile and careless queries: long value lists, wide and deep condition trees.

A backend that compiles conditions into its own query language meets its parser's limits
long before doqu's (SQLite refuses expressions over 1000 deep); the answer must still be the
reference evaluator's, on every backend.
"""

from __future__ import annotations

from typing import Any

from ..._storage import StorageAdapter
from .._fixtures import StorageFixtures
from ._support import keys, seed

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
