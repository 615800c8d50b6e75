"""Values JSONB cannot hold as they are round-trip exactly, and SQL still compares them."""

from __future__ import annotations

import datetime
import math
import uuid
from typing import Any

import psycopg
import pytest

from doqu_postgres import PostgresStorage
from doqu_postgres._codec import decode, encode

EDGE_VALUES: list[Any] = [
    -0.0,
    1e300,
    2.0**60,
    -(2.0**70),
    5e-324,
    0.1,
    float("inf"),
    float("-inf"),
    "a\x00b",
    "\x00",
    datetime.datetime(1, 1, 1),
    datetime.datetime(2024, 2, 29, 23, 59, 59, 999999),
    2**63 - 1,
    -(2**63),
    {"b": 1, "a": 2},
    {"zz": {"y": 1, "x": [2, {"d": 1, "c": 2}]}},
    datetime.date(2024, 1, 31),
    b"\x00\xffbytes",
    b"",
    uuid.UUID(int=7),
    float("nan"),
    [[1, 2], [], [[3]]],
]


def same(left: Any, right: Any) -> bool:
    """Equal, of the same types, dicts in the same order, floats with the same sign."""
    if type(left) is not type(right):
        return False
    if isinstance(left, float):
        if math.isnan(left):
            return math.isnan(right)
        return left == right and math.copysign(1, left) == math.copysign(1, right)
    if isinstance(left, dict):
        return list(left) == list(right) and all(same(left[k], right[k]) for k in left)
    if isinstance(left, list):
        return len(left) == len(right) and all(map(same, left, right))
    return bool(left == right)


@pytest.mark.parametrize("value", EDGE_VALUES, ids=repr)
def test_a_value_round_trips_through_the_server(storage: PostgresStorage, value: Any) -> None:
    storage.save({"v": value, "list": [value]}, "k")
    back = storage.get(dict, "k")
    assert same(back, {"v": value, "list": [value]})


@pytest.mark.parametrize("value", EDGE_VALUES, ids=repr)
def test_the_codec_round_trips_without_the_server(value: Any) -> None:
    assert same(decode(encode({"v": value}).text), {"v": value})


def test_integral_floats_beyond_2_53_compare_exactly_with_ints(storage: PostgresStorage) -> None:
    # 2.0**60 is 1152921504606846976 exactly; its repr '1.152921504606847e+18' is not
    storage.save({"n": 2.0**60}, "f")
    assert storage.find(n__lt=2**60 + 1).count() == 1
    assert storage.find(n__gt=2**60).count() == 0
    assert storage.find(n=2**60).count() == 1


def test_records_holding_negative_zero_or_nul_are_rechecked(
    storage: PostgresStorage, raw: psycopg.Connection[Any]
) -> None:
    storage.save({"n": -0.0, "s": "x"}, "zero")
    storage.save({"n": 1, "s": "a\x00b"}, "nul")
    storage.save({"n": 1, "s": "a"}, "plain")
    rows = raw.execute(f"SELECT key #>> '{{}}', exact FROM {storage.table} ORDER BY 1").fetchall()
    assert rows == [("nul", False), ("plain", True), ("zero", False)]
    assert list(storage.find(n=0).keys()) == ["zero"]
    assert sorted(storage.find(s__startswith="a").keys()) == ["nul", "plain"]
    assert list(storage.find(s__contains="\x00").keys()) == ["nul"]
    assert storage.find(n__lte=0).count() == 1
    assert storage.find(s="a\x00b").delete() == 1
    assert sorted(storage) == ["plain", "zero"]


def test_dicts_keep_their_field_order_and_equality_is_order_sensitive(
    storage: PostgresStorage,
) -> None:
    storage.save({"d": {"b": 1, "a": 2}}, "ba")
    storage.save({"d": {"a": 2, "b": 1}}, "ab")
    assert list(storage.get(dict, "ba")["d"]) == ["b", "a"]
    assert list(storage.find(d={"b": 1, "a": 2}).keys()) == ["ba"]
    assert list(storage.find(d={"a": 2, "b": 1}).keys()) == ["ab"]


def test_str_and_int_keys_are_distinct(storage: PostgresStorage) -> None:
    storage.save({"kind": "int"}, 1)
    storage.save({"kind": "str"}, "1")
    assert storage.get(dict, 1) == {"kind": "int"}
    assert storage.get(dict, "1") == {"kind": "str"}
    assert sorted(storage, key=repr) == ["1", 1]


def test_generated_keys_sort_by_insertion_time(storage: PostgresStorage) -> None:
    keys = [storage.save({"n": n}) for n in range(5)] + storage.save_many([{}, {}, {}])
    assert keys == sorted(keys)
    assert len(set(keys)) == 8


def test_tagged_values_compare_as_doqu_does_not_as_dicts(storage: PostgresStorage) -> None:
    storage.save({"v": b"\x00"}, "bytes")
    storage.save({"v": uuid.UUID(int=0)}, "uuid")
    storage.save({"v": datetime.date(2024, 1, 1)}, "date")
    storage.save({"v": float("nan")}, "nan")
    storage.save({"v": 3}, "three")
    # a query's dict whose text is a tag's matches no stored value (records hold no '$' names)
    assert storage.find(v={"$b": "AA=="}).count() == 0
    assert storage.find(v={"$u": uuid.UUID(int=0).hex}).count() == 0
    assert list(storage.find(v=b"\x00").keys()) == ["bytes"]
    assert list(storage.find(v=uuid.UUID(int=0)).keys()) == ["uuid"]
    # a date equals its midnight datetime; NaN equals NaN, sorts first, and is in no range
    assert list(storage.find(v=datetime.datetime(2024, 1, 1)).keys()) == ["date"]
    assert list(storage.find(v=float("nan")).keys()) == ["nan"]
    assert list(storage.find(v__lt=4).keys()) == ["three"]
    assert list(storage.find(v__gte=0).order_by("v").keys()) == ["three"]
    assert list(storage.find(v__gte=datetime.datetime(2024, 1, 1)).keys()) == ["date"]
    assert list(storage.find(v__year=2024).keys()) == ["date"]
