"""Date-part lookups: ``year`` (a datetime range), ``month`` and ``day`` (of a datetime value)."""

from __future__ import annotations

from datetime import datetime

import pytest

from ..._storage import StorageAdapter
from ...errors import InvalidLookupValueError
from .._fixtures import StorageFixtures
from .._requirements import requires
from ._support import keys, seed

__all__ = ["DatePartLookupContract"]

DATES = {
    "a": {"at": datetime(2023, 12, 31, 23, 59, 59, 999000)},
    "b": {"at": datetime(2024, 1, 1)},
    "c": {"at": datetime(2024, 6, 15, 12)},
    "d": {"at": datetime(2025, 1, 1)},
    "e": {"at": "2024-06-15"},
    "f": {},
    "g": {"at": [datetime(2024, 6, 1)]},
    "h": {"at": None},
}


class DatePartLookupContract(StorageFixtures):
    """``year``, ``month`` and ``day``."""

    @requires("date_parts")
    def test_year_matches_the_whole_year(self, storage: StorageAdapter) -> None:
        seed(storage, DATES)
        assert keys(storage.find(at__year=2024)) == {"b", "c", "g"}
        assert keys(storage.find(at__year=2023)) == {"a"}

    @requires("date_parts")
    def test_year_without_a_match_is_empty(self, storage: StorageAdapter) -> None:
        seed(storage, DATES)
        assert keys(storage.find(at__year=1999)) == set()

    @requires("date_parts")
    def test_month_compares_the_month_of_a_datetime(self, storage: StorageAdapter) -> None:
        seed(storage, DATES)
        assert keys(storage.find(at__month=6)) == {"c"}
        assert keys(storage.find(at__month=12)) == {"a"}
        assert keys(storage.find(at__month=1)) == {"b", "d"}

    @requires("date_parts")
    def test_day_compares_the_day_of_the_month(self, storage: StorageAdapter) -> None:
        seed(storage, DATES)
        assert keys(storage.find(at__day=1)) == {"b", "d"}
        assert keys(storage.find(at__day=15)) == {"c"}
        assert keys(storage.find(at__day=31)) == {"a"}

    @requires("date_parts")
    def test_date_parts_combine(self, storage: StorageAdapter) -> None:
        seed(storage, DATES)
        assert keys(storage.find(at__year=2024, at__month=1, at__day=1)) == {"b"}
        assert keys(storage.find(at__month=1).where_not(at__year=2024)) == {"d"}

    @requires("date_parts")
    def test_date_parts_take_their_whole_range_and_refuse_beyond_it(
        self, storage: StorageAdapter
    ) -> None:
        seed(storage, DATES)
        assert keys(storage.find(at__year=1)) == set()
        assert keys(storage.find(at__year=9999)) == set()
        for lookup, value in (("year", 0), ("year", 10000), ("month", 0), ("day", 32)):
            with pytest.raises(InvalidLookupValueError, match=f"at__{lookup}"):
                storage.find().where(**{f"at__{lookup}": value})
