"""Corners of the query model and the storage base that mutation testing found unchecked:
unfiltered queries in compositions, one-sided slices, the edges of date-part values, repeated
keys, stored dates and Decimal NaN."""

from __future__ import annotations

import datetime
import decimal
import uuid

import pytest

from ... import Lookup, Q
from ..._indexes import Index
from ..._storage import StorageAdapter
from ...errors import DuplicateKeyError, InvalidLookupValueError, QueryError
from .._fixtures import StorageFixtures
from .._requirements import requires
from ._support import keys, ordered, seed

__all__ = ["CornerContract"]

THREE = {"a": {"n": 1}, "b": {"n": 2}, "c": {"n": 3}}


class CornerContract(StorageFixtures):
    """Edges where a plausible implementation slips."""

    def test_corner_an_unfiltered_query_composes(self, storage: StorageAdapter) -> None:
        seed(storage, THREE)
        assert keys(storage.find() | storage.find(n=1)) == {"a", "b", "c"}
        assert keys(storage.find(n=1) | storage.find()) == {"a", "b", "c"}
        assert keys(storage.find() & storage.find(n=1)) == {"a"}
        assert keys(storage.find(n__gt=1) & storage.find()) == {"b", "c"}
        assert keys(storage.find().where(~Q())) == set()
        assert keys(storage.find().where(Q())) == {"a", "b", "c"}

    @pytest.mark.parametrize("window", [slice(1, None), slice(None, 2)], ids=["offset", "limit"])
    def test_corner_a_one_sided_slice_refuses_later_calls(
        self, storage: StorageAdapter, window: slice
    ) -> None:
        seed(storage, THREE)
        sliced = storage.find().order_by("n")[window]
        for later in (
            lambda: sliced.where(n=1),
            lambda: sliced.order_by("-n"),
            lambda: sliced.values("n"),
            lambda: sliced.update(n=0),
            lambda: sliced.delete(),
        ):
            with pytest.raises(QueryError):
                later()
        assert sorted(record["n"] for record in storage.find()) == [1, 2, 3]

    @pytest.mark.parametrize(
        ("lookup", "value"),
        [("month", 0), ("month", 13), ("day", 0), ("day", 32), ("year", 0), ("year", 10000)],
    )
    def test_corner_date_parts_out_of_range_are_refused(
        self, storage: StorageAdapter, lookup: str, value: int
    ) -> None:
        with pytest.raises(InvalidLookupValueError, match=repr(value)):
            storage.find().where(**{f"d__{lookup}": value})

    @requires("date_parts")
    def test_corner_date_parts_at_their_edges_are_accepted(self, storage: StorageAdapter) -> None:
        seed(storage, {"a": {"d": datetime.datetime(9999, 12, 31)}})
        assert keys(storage.find(d__month=12, d__day=31, d__year=9999)) == {"a"}
        assert keys(storage.find(d__month=1)) == keys(storage.find(d__day=1)) == set()

    def test_corner_get_many_of_a_key_three_times_gives_independent_records(
        self, storage: StorageAdapter
    ) -> None:
        storage.save({"n": 1, "tags": ["x"]}, "a")
        records = storage.get_many(dict, ["a", "a", "a"])
        assert records == [{"n": 1, "tags": ["x"]}] * 3
        records[0]["tags"].append("y")
        records[1]["n"] = 2
        assert records[2] == {"n": 1, "tags": ["x"]}
        assert storage.get(dict, "a") == {"n": 1, "tags": ["x"]}

    @requires("unique_indexes")
    def test_corner_a_unique_index_over_distinct_records_is_created(
        self, storage: StorageAdapter
    ) -> None:
        seed(storage, {"ann": {"email": "ann@x"}, "bob": {"email": "bob@x"}, "none": {}})
        storage.ensure_index(Index("email", unique=True))
        assert keys(storage.find(email="bob@x")) == {"bob"}
        with pytest.raises(DuplicateKeyError):
            storage.save({"email": "ann@x"}, "other")

    @requires("date_values")
    def test_corner_stored_dates_filter_and_order(self, storage: StorageAdapter) -> None:
        seed(
            storage,
            {
                "new": {"d": datetime.date(2024, 6, 15)},
                "old": {"d": datetime.date(1999, 12, 31)},
                "mid": {"d": datetime.date(2024, 1, 1)},
            },
        )
        assert ordered(storage.find().order_by("d")) == ["old", "mid", "new"]
        assert ordered(storage.find().order_by("-d")) == ["new", "mid", "old"]
        assert keys(storage.find(d__gt=datetime.date(2000, 1, 1))) == {"mid", "new"}
        assert keys(storage.find(d=datetime.date(2024, 1, 1))) == {"mid"}

    @requires("decimal_values", "nan_values")
    def test_corner_decimal_nan_equals_only_nan_and_sorts_first(
        self, storage: StorageAdapter
    ) -> None:
        nan = decimal.Decimal("NaN")
        seed(storage, {"nan": {"v": nan}, "one": {"v": decimal.Decimal(1)}, "neg": {"v": -5}})
        assert keys(storage.find(v=nan)) == {"nan"}
        assert keys(storage.find(v__lt=2)) == {"one", "neg"}
        assert ordered(storage.find().order_by("v")) == ["nan", "neg", "one"]

    def test_corner_ties_in_a_window_are_broken_by_key(self, storage: StorageAdapter) -> None:
        # the records tie on "a" and sort the other way round by content
        seed(storage, {"k1": {"a": 1, "b": 2}, "k2": {"a": 1, "b": 1}, "k3": {"a": 0, "b": 3}})
        assert ordered(storage.find().order_by("a")[:3]) == ["k3", "k1", "k2"]
        assert ordered(storage.find().order_by("-a")[:2]) == ["k1", "k2"]

    def test_corner_a_numbered_path_picks_that_element(self, storage: StorageAdapter) -> None:
        seed(storage, {"seven": {"a": [7, 8]}, "eight": {"a": [8, 7]}, "short": {"a": [7]}})
        assert keys(storage.find().where(Lookup("a.0", "equals", 7))) == {"seven", "short"}
        assert keys(storage.find().where(Lookup("a.1", "equals", 7))) == {"eight"}
        assert ordered(storage.find().order_by("a.1")) == ["short", "eight", "seven"]

    @requires("nested_lists")
    def test_corner_a_numbered_path_into_a_list_in_a_list(self, storage: StorageAdapter) -> None:
        seed(storage, {"nested": {"a": [[1, 2]]}, "flat": {"a": [1, 2]}})
        assert keys(storage.find().where(Lookup("a.0.1", "equals", 2))) == {"nested"}
        assert keys(storage.find().where(Lookup("a.0.1", "equals", 1))) == set()
        assert keys(storage.find().where(Lookup("a.0.0", "equals", 1))) == {"nested"}

    @requires("date_values", "date_parts")
    def test_corner_date_parts_of_stored_dates_and_late_datetimes(
        self, storage: StorageAdapter
    ) -> None:
        # a naive datetime is UTC: read as local time, 23:30 would move to another day
        seed(
            storage,
            {
                "date": {"d": datetime.date(2024, 6, 30)},
                "late": {"d": datetime.datetime(2024, 6, 30, 23, 30)},
                "next": {"d": datetime.datetime(2024, 7, 1)},
            },
        )
        assert keys(storage.find(d__month=6)) == {"date", "late"}
        assert keys(storage.find(d__day=30)) == {"date", "late"}
        assert keys(storage.find(d__month=7, d__day=1)) == {"next"}

    @requires("unique_indexes")
    def test_corner_a_duplicate_inside_one_save_many_batch_is_refused(
        self, storage: StorageAdapter
    ) -> None:
        storage.ensure_index(Index("email", unique=True))
        with pytest.raises(DuplicateKeyError):
            storage.save_many([{"email": "a@x"}, {"email": "b@x"}, {"email": "a@x"}])
        assert storage.find(email="a@x").count() <= 1
        assert len(storage) <= 2  # the batch may be partly written

    @requires("unique_indexes")
    def test_corner_clear_frees_unique_values_and_keeps_the_index(
        self, storage: StorageAdapter
    ) -> None:
        storage.ensure_index(Index("email", unique=True))
        storage.save({"email": "a@x"}, "one")
        storage.clear()
        storage.save({"email": "a@x"}, "two")
        with pytest.raises(DuplicateKeyError):
            storage.save({"email": "a@x"}, "three")
        assert keys(storage.find()) == {"two"}

    @requires("bytes_values", "uuid_values")
    def test_corner_bytes_and_uuids_order_between_records_and_bools(
        self, storage: StorageAdapter
    ) -> None:
        # binary data sorts by length first, as MongoDB sorts it
        seed(
            storage,
            {
                "num": {"v": 1},
                "rec": {"v": {"k": 1}},
                "long": {"v": b"\x00\x00"},
                "short": {"v": b"\xff"},
                "uuid": {"v": uuid.UUID(int=0)},
                "bool": {"v": False},
            },
        )
        assert ordered(storage.find().order_by("v")) == [
            "num", "rec", "short", "long", "uuid", "bool",
        ]  # fmt: skip
        assert keys(storage.find(v=b"\xff")) == {"short"}
