"""Round trips of every value type: what is saved comes back equal and of the same type.

The base types every backend stores are tested unconditionally; the others only where the
backend declares them.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest

from ..._storage import StorageAdapter
from ...errors import UnsupportedError
from .._fixtures import Oracle, StorageFixtures
from .._requirements import requires
from ._support import keys

__all__ = ["ValueTypeContract"]

BASE_VALUES = {
    "none": None,
    "true": True,
    "false": False,
    "zero": 0,
    "int": 42,
    "negative-int": -7,
    "int64-max": 2**63 - 1,
    "int64-min": -(2**63),
    "float": 1.5,
    "integral-float": 2.0,
    "negative-float": -0.25,
    "huge-float": 1.7976931348623157e308,
    "tiny-float": 5e-324,
    "empty-str": "",
    "str": "plain text",
    "datetime": datetime(2024, 2, 29, 12, 30, 45, 123000),
    "epoch": datetime(1970, 1, 1),
    "before-epoch": datetime(1901, 12, 13, 20, 45, 52),
    "far-future": datetime(9999, 12, 31, 23, 59, 59, 999000),
    "empty-list": [],
    "mixed-list": [1, "a", None, True, 2.5, datetime(2024, 1, 1)],
    "empty-dict": {},
    "nested-dict": {"a": {"b": [1, {"c": None, "d": False}]}, "e": 0.5},
}


INFINITIES = {"inf": float("inf"), "-inf": float("-inf")}
FLOAT_MAX = 1.7976931348623157e308


def same(got: Any, expected: Any) -> bool:
    """Equal, with the same type at every level (``True`` is not ``1``, ``2.0`` not ``2``).

    An int may come back as a subclass of ``int`` (pymongo's ``Int64``): it is an int.
    """
    if type(expected) is int:
        return isinstance(got, int) and not isinstance(got, bool) and got == expected
    if type(got) is not type(expected):
        return False
    if isinstance(expected, dict):
        return got.keys() == expected.keys() and all(same(got[k], expected[k]) for k in expected)
    if isinstance(expected, list):
        return len(got) == len(expected) and all(map(same, got, expected))
    return bool(got == expected)


def round_trip(storage: StorageAdapter, raw: Oracle, value: Any) -> tuple[Any, Any]:
    """``value`` saved, then read back through the adapter and through the back door."""
    key = storage.save({"v": value})
    stored = raw.get(key)
    assert stored is not None
    return storage.get(dict, key)["v"], stored["v"]


class ValueTypeContract(StorageFixtures):
    """Every storable value type."""

    @pytest.mark.parametrize("value", list(BASE_VALUES.values()), ids=list(BASE_VALUES))
    def test_base_value_round_trips(self, storage: StorageAdapter, raw: Oracle, value: Any) -> None:
        read, stored = round_trip(storage, raw, value)
        assert same(read, value)
        assert same(stored, value)

    @pytest.mark.parametrize("value", list(BASE_VALUES.values()), ids=list(BASE_VALUES))
    def test_base_value_is_found_by_equality(self, storage: StorageAdapter, value: Any) -> None:
        key = storage.save({"v": value})
        storage.save({"v": "other"})
        assert keys(storage.find(v=value)) == {key}

    @requires("nested_lists")
    def test_nested_lists_round_trip(self, storage: StorageAdapter, raw: Oracle) -> None:
        value = [[1, 2], [], [[3]]]
        read, stored = round_trip(storage, raw, value)
        assert same(read, value)
        assert same(stored, value)

    @requires("nested_lists")
    def test_nested_lists_are_found_by_equality(self, storage: StorageAdapter) -> None:
        key = storage.save({"v": [[1, 2], [], [[3]]]})
        storage.save({"v": [[1, 2]]})
        assert keys(storage.find(v=[[1, 2], [], [[3]]])) == {key}

    def test_datetimes_keep_milliseconds(self, storage: StorageAdapter, raw: Oracle) -> None:
        value = datetime(2024, 1, 1, 12, 0, 0, 1000)
        assert round_trip(storage, raw, value) == (value, value)

    @requires("datetime_microseconds")
    def test_datetimes_keep_microseconds(self, storage: StorageAdapter, raw: Oracle) -> None:
        value = datetime(2024, 1, 1, 12, 0, 0, 123456)
        assert round_trip(storage, raw, value) == (value, value)

    @requires("decimal_values")
    @pytest.mark.parametrize(
        "value",
        [Decimal("1.10"), Decimal("-0.000001"), Decimal("12345678901234567890.123"), Decimal(0)],
        ids=["trailing-zero", "small", "long", "zero"],
    )
    def test_decimal_round_trips_exactly(
        self, storage: StorageAdapter, raw: Oracle, value: Decimal
    ) -> None:
        read, stored = round_trip(storage, raw, value)
        assert type(read) is Decimal
        assert str(read) == str(value)
        assert str(stored) == str(value)

    @requires("decimal_values")
    def test_decimal_equals_a_number_of_equal_value(self, storage: StorageAdapter) -> None:
        key = storage.save({"v": Decimal("2.50")})
        storage.save({"v": Decimal("2.51")})
        assert keys(storage.find(v=2.5)) == {key}
        assert keys(storage.find(v=Decimal("2.5"))) == {key}

    @requires("date_values")
    def test_date_round_trips_as_a_date(self, storage: StorageAdapter, raw: Oracle) -> None:
        read, stored = round_trip(storage, raw, date(2024, 2, 29))
        assert type(read) is date
        assert read == date(2024, 2, 29)
        assert stored == date(2024, 2, 29)

    @requires("bytes_values")
    @pytest.mark.parametrize(
        "value", [b"", b"\x00\xff\x10binary", bytes(range(256))], ids=["empty", "nul", "all"]
    )
    def test_bytes_round_trip(self, storage: StorageAdapter, raw: Oracle, value: bytes) -> None:
        read, stored = round_trip(storage, raw, value)
        assert type(read) is bytes
        assert read == value
        assert stored == value

    @requires("bytes_values")
    def test_bytes_are_found_by_equality(self, storage: StorageAdapter) -> None:
        key = storage.save({"v": b"\x00\x01"})
        storage.save({"v": b"\x00\x02"})
        assert keys(storage.find(v=b"\x00\x01")) == {key}

    @requires("uuid_values")
    def test_uuid_round_trips(self, storage: StorageAdapter, raw: Oracle) -> None:
        value = uuid.UUID("12345678-1234-5678-1234-567812345678")
        read, stored = round_trip(storage, raw, value)
        assert type(read) is uuid.UUID
        assert read == value
        assert stored == value

    @requires("uuid_values")
    def test_uuids_are_found_by_equality(self, storage: StorageAdapter) -> None:
        key = storage.save({"v": uuid.UUID(int=1)})
        storage.save({"v": uuid.UUID(int=2)})
        assert keys(storage.find(v=uuid.UUID(int=1))) == {key}

    @requires("infinity_values")
    @pytest.mark.parametrize("value", list(INFINITIES.values()), ids=list(INFINITIES))
    def test_infinity_round_trips(self, storage: StorageAdapter, raw: Oracle, value: float) -> None:
        read, stored = round_trip(storage, raw, value)
        assert same(read, value)
        assert same(stored, value)

    @requires("infinity_values")
    def test_infinities_sort_beyond_every_finite_number(self, storage: StorageAdapter) -> None:
        storage.save({"v": FLOAT_MAX}, "max")
        storage.save({"v": float("inf")}, "inf")
        storage.save({"v": float("-inf")}, "-inf")
        storage.save({"v": -FLOAT_MAX}, "min")
        storage.save({"v": 2**63 - 1}, "int")
        order = ["-inf", "min", "int", "max", "inf"]
        assert list(storage.find().order_by("v").keys()) == order
        assert list(storage.find().order_by("-v").keys()) == order[::-1]
        assert keys(storage.find(v__gt=FLOAT_MAX)) == {"inf"}
        assert keys(storage.find(v__lt=-FLOAT_MAX)) == {"-inf"}
        assert keys(storage.find(v=float("-inf"))) == {"-inf"}
        assert keys(storage.find(v__lt=float("inf"))) == {"-inf", "min", "int", "max"}

    @pytest.mark.parametrize("value", list(INFINITIES.values()), ids=list(INFINITIES))
    def test_infinity_is_stored_where_declared_and_refused_before_writing_elsewhere(
        self, storage: StorageAdapter, raw: Oracle, value: float
    ) -> None:
        key = storage.save({"v": 1.5, "n": 1})
        writes: list[Callable[[], object]] = [
            lambda: storage.save({"v": value}, "new"),
            lambda: storage.save_many([{"v": 2.5}, {"w": [value]}]),
            lambda: storage.find(n=1).update(v=value),
        ]
        if storage.capabilities.infinity_values:
            for write in writes:
                write()
            assert storage.get(dict, "new") == {"v": value}
            assert storage.get(dict, key) == {"v": value, "n": 1}
            assert len(storage) == 4
            return
        for write in writes:
            with pytest.raises(
                UnsupportedError, match=r"does not declare capability 'infinity_"
            ) as e:
                write()
            assert e.value.capability == "infinity_values"
            assert repr(value) in str(e.value)
        assert list(storage.find().keys()) == [key]
        assert raw.get(key) == {"v": 1.5, "n": 1}

    @requires("nan_values")
    def test_nan_round_trips(self, storage: StorageAdapter, raw: Oracle) -> None:
        read, stored = round_trip(storage, raw, float("nan"))
        assert type(read) is float
        assert math.isnan(read)
        assert math.isnan(stored)

    @requires("nan_values")
    def test_nan_sorts_below_every_number(self, storage: StorageAdapter) -> None:
        storage.save({"v": 1}, "a")
        storage.save({"v": float("nan")}, "b")
        storage.save({"v": -1e300}, "c")
        assert list(storage.find().order_by("v").keys()) == ["b", "c", "a"]
