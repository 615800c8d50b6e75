"""The reference semantics, lookup by lookup: each case names the records it must select."""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Iterator
from typing import Any

import pytest

from doqu import And, Condition, Lookup, Not, Or, Q, QuerySpec
from doqu._conditions import LOOKUPS
from doqu._evaluate import matcher, run, sort_records

NAN = float("nan")
UTC_MINUS_1 = datetime.timezone(datetime.timedelta(hours=-1))


def selected(condition: Condition, records: dict[str, dict[str, Any]]) -> list[str]:
    test = matcher(condition)
    return [name for name, record in records.items() if test(record)]


def all_but(records: dict[str, dict[str, Any]], *names: str) -> list[str]:
    return [name for name in records if name not in names]


NUMBERS: dict[str, dict[str, Any]] = {
    "missing": {},
    "null": {"a": None},
    "zero": {"a": 0},
    "one": {"a": 1},
    "five": {"a": 5},
    "five_float": {"a": 5.0},
    "six": {"a": 6},
    "decimal": {"a": decimal.Decimal("5.5")},
    "nan": {"a": NAN},
    "str_six": {"a": "6"},
    "true": {"a": True},
    "false": {"a": False},
    "list": {"a": [1, 7]},
    "nested": {"a": [[5, 6]]},
}

NUMBER_CASES = [
    (Q(a=5), ["five", "five_float"]),
    (Q(a=1), ["one", "list"]),
    (Q(a=True), ["true"]),
    (Q(a=0), ["zero"]),
    (Q(a=5.5), ["decimal"]),
    (Q(a__gt=5), ["six", "decimal", "list"]),
    (Q(a__gte=5), ["five", "five_float", "six", "decimal", "list"]),
    (Q(a__lt=5), ["zero", "one", "list"]),
    (Q(a__lte=1), ["zero", "one", "list"]),
    (Q(a__gt=decimal.Decimal("5.4")), ["six", "decimal", "list"]),
    (Q(a__gt="5"), ["str_six"]),
    (Q(a__between=(2, 6)), ["five", "five_float", "six", "decimal", "list"]),
    # 7 >= 6 and 1 <= 6: each bound is met by another element of the list
    (Q(a__between=(6, 6)), ["six", "list"]),
    (Q(a__between=(8, 9)), []),
    (
        Q(a__ne=5),
        all_but(NUMBERS, "five", "five_float"),
    ),
    (
        Q(a__ne=1),
        all_but(NUMBERS, "one", "list"),
    ),
    (Q(a=None), ["missing", "null"]),
    (
        Q(a__ne=None),
        all_but(NUMBERS, "missing", "null"),
    ),
    (Q(a__in=[1, None]), ["missing", "null", "one", "list"]),
    (Q(a__in=[]), []),
    (
        Q(a__nin=[1, None]),
        all_but(NUMBERS, "missing", "null", "one", "list"),
    ),
    (Q(a__nin=[]), list(NUMBERS)),
    (Q(a__exists=True), all_but(NUMBERS, "missing")),
    (Q(a__exists=False), ["missing"]),
    (Q(a=NAN), ["nan"]),
    (Q(a__gte=NAN), ["nan"]),
    (Q(a__gt=NAN), []),
    (Q(a__lt=100), ["zero", "one", "five", "five_float", "six", "decimal", "list"]),
    (Q(a=[5, 6]), ["nested"]),
    (Q(a=[1, 7]), ["list"]),
    (Q(a=[7, 1]), []),
    (Q(a__contains_any=[7, True]), ["true", "list"]),
    (Q(a__contains_all=[1, 7]), ["list"]),
    (Q(a__contains_all=[1]), ["one", "list"]),
    (Q(a__contains_all=[]), []),
    (Q(a__contains_any=[]), []),
]

STRINGS: dict[str, dict[str, Any]] = {
    "missing": {},
    "title": {"s": "Hello world"},
    "lower": {"s": "hello"},
    "tags": {"s": ["foo", "Hello"]},
    "number": {"s": 5},
    "literal": {"s": ".*x"},
    "lines": {"s": "a\nb"},
}

STRING_CASES = [
    (Q(s__startswith="Hello"), ["title", "tags"]),
    (Q(s__startswith="hello"), ["lower"]),
    (Q(s__startswith=".*"), ["literal"]),
    (Q(s__endswith="world"), ["title"]),
    (Q(s__contains="llo"), ["title", "lower", "tags"]),
    (Q(s__contains=""), ["title", "lower", "tags", "literal", "lines"]),
    (Q(s__matches="^h"), ["lower"]),
    (Q(s__matches="o w"), ["title"]),
    (Q(s__matches="b$"), ["lines"]),
    (Q(s__matches="^b"), []),
    (Q(s__matches_caseless="^h"), ["title", "lower", "tags"]),
    (Q(s__gt="a"), ["lower", "tags", "lines"]),
    (Q(s__lte="Hello"), ["tags", "literal"]),
    (Q(s__contains_any=["foo", "hello"]), ["lower", "tags"]),
    (Q(s__contains_all=["foo", "Hello"]), ["tags"]),
    (Q(s__in=["hello", 5]), ["lower", "number"]),
]

DOCUMENTS: dict[str, dict[str, Any]] = {
    "xy": {"d": {"x": 1, "y": 2}},
    "yx": {"d": {"y": 2, "x": 1}},
    "in_list": {"d": [{"x": 1, "y": 2}]},
    "empty": {"d": {}},
    "missing": {},
}

DOCUMENT_CASES = [
    # whole values, field order included, as MongoDB compares documents
    (Q(d={"x": 1, "y": 2}), ["xy", "in_list"]),
    (Q(d={}), ["empty"]),
    # a value is data: operator-looking dicts are literals no record can hold
    (Q(d={"$ne": None}), []),
    (Q(d__ne={"$ne": None}), list(DOCUMENTS)),
    (Q(d__in=[{"$exists": True}]), []),
    (Q(d={"$regex": object()}), []),
]

PATHS: dict[str, dict[str, Any]] = {
    "sub": {"a": {"b": 1}},
    "sub_empty": {"a": {}},
    "scalar": {"a": 4},
    "docs": {"a": [{"b": 1}, {"b": 2}]},
    "docs_one_missing": {"a": [{"b": 3}, {}]},
    "values": {"a": [1, 2]},
    "nulls": {"a": [None, None]},
    "list_in_doc": {"a": [{"b": [5, 6]}]},
    "deep": {"a": {"b": {"c": 1}}},
    "missing": {},
}

PATH_CASES = [
    (Q(**{"a.b": 1}), ["sub", "docs"]),
    (Q(**{"a.b": 5}), ["list_in_doc"]),
    (Q(**{"a.b": [5, 6]}), ["list_in_doc"]),
    (Q(**{"a.b.c": 1}), ["deep"]),
    # missing on the way (a dict without b, a scalar, a dict element without b) equals None;
    # a scalar or None *inside* a list is no document and reaches nothing
    (Q(**{"a.b": None}), ["sub_empty", "scalar", "docs_one_missing", "missing"]),
    (
        Q(**{"a.b__ne": None}),
        ["sub", "docs", "values", "nulls", "list_in_doc", "deep"],
    ),
    (
        Q(**{"a.b__exists": True}),
        ["sub", "docs", "docs_one_missing", "list_in_doc", "deep"],
    ),
    (Q(**{"a.b__gt": 1}), ["docs", "docs_one_missing", "list_in_doc"]),
    (
        Q(**{"a.b__ne": 1}),
        all_but(PATHS, "sub", "docs"),
    ),
    (Q(**{"a.b__in": [2, 6]}), ["docs", "list_in_doc"]),
    # numeric parts pick a list element
    (Q(**{"a.0": 1}), ["values"]),
    (Q(**{"a.0.b": 1}), ["docs"]),
    (Q(**{"a.1.b": 2}), ["docs"]),
    (Q(**{"a.1": {}}), ["docs_one_missing"]),
    (Q(**{"a.1__exists": True}), ["docs", "docs_one_missing", "values", "nulls"]),
]

DATES: dict[str, dict[str, Any]] = {
    "datetime": {"t": datetime.datetime(2020, 3, 15, 10, 0)},
    "date": {"t": datetime.date(2020, 3, 15)},
    "midnight": {"t": datetime.datetime(2020, 3, 15)},
    "new_year": {"t": datetime.datetime(2021, 1, 1)},
    # 2021-01-01 00:30 UTC
    "aware": {"t": datetime.datetime(2020, 12, 31, 23, 30, tzinfo=UTC_MINUS_1)},
    "list": {"t": [datetime.datetime(2019, 6, 1), datetime.datetime(2021, 6, 1)]},
    "nested": {"n": {"t": datetime.datetime(2020, 3, 1)}},
    "last": {"t": datetime.datetime(9999, 12, 31)},
    "text": {"t": "2020-03-15"},
    "number": {"t": 2020},
    "missing": {},
}

DATE_CASES = [
    (Q(t=datetime.datetime(2020, 3, 15)), ["date", "midnight"]),
    (Q(t=datetime.date(2020, 3, 15)), ["date", "midnight"]),
    (Q(t=datetime.datetime(2021, 1, 1, 0, 30)), ["aware"]),
    (Q(t__gt=datetime.datetime(2020, 3, 15)), ["datetime", "new_year", "aware", "list", "last"]),
    (Q(t__lt=datetime.date(2020, 3, 16)), ["datetime", "date", "midnight", "list"]),
    # a year is a range [Jan 1, next Jan 1): on a list each bound may be met by another element
    (Q(t__year=2020), ["datetime", "date", "midnight", "list"]),
    (Q(t__year=2021), ["new_year", "aware", "list"]),
    (Q(t__year=9999), ["last"]),
    (Q(**{"n.t__year": 2020}), ["nested"]),
    # month and day read one date, in UTC, and never look inside a list
    (Q(t__month=3), ["datetime", "date", "midnight"]),
    (Q(t__month=1), ["new_year", "aware"]),
    (Q(t__month=6), []),
    (Q(t__day=15), ["datetime", "date", "midnight"]),
    (Q(t__day=31), ["last"]),
    (Q(**{"n.t__month": 3}), ["nested"]),
    (Q(**{"n.t__day": 1}), ["nested"]),
]

COMPOSITION_CASES = [
    (~Q(a=5), selected(Q(a__ne=5), NUMBERS)),
    (Q(a=1) | Q(a=6), ["one", "six", "list"]),
    (Q(a__gte=1) & Q(a__lte=5), ["one", "five", "five_float", "list"]),
    (Q(a__gte=1, a__lt=6) & ~Q(a__in=[5]), ["one", "decimal", "list"]),
    (Not(Q(a__exists=True)), ["missing"]),
    (Or(()), []),
    (And(()), list(NUMBERS)),
    (Not(Or(())), list(NUMBERS)),
]


def _cases(
    table: list[tuple[Condition, list[str]]], records: dict[str, dict[str, Any]]
) -> list[Any]:
    return [
        pytest.param(condition, records, expected, id=repr(condition))
        for condition, expected in table
    ]


ALL_CASES = (
    _cases(NUMBER_CASES, NUMBERS)
    + _cases(STRING_CASES, STRINGS)
    + _cases(DOCUMENT_CASES, DOCUMENTS)
    + _cases(PATH_CASES, PATHS)
    + _cases(DATE_CASES, DATES)
    + _cases(COMPOSITION_CASES, NUMBERS)
)


@pytest.mark.parametrize(("condition", "records", "expected"), ALL_CASES)
def test_lookup_selects(
    condition: Condition, records: dict[str, dict[str, Any]], expected: list[str]
) -> None:
    assert selected(condition, records) == expected


def test_every_lookup_is_in_the_table() -> None:
    tables = NUMBER_CASES + STRING_CASES + DOCUMENT_CASES + PATH_CASES + DATE_CASES
    used = {leaf.lookup for condition, _ in tables for leaf in condition.lookups()}
    assert used == set(LOOKUPS)


def test_ne_and_nin_negate_equals_and_in() -> None:
    for records in (NUMBERS, PATHS, STRINGS):
        for field in ("a", "a.b", "a.0", "s"):
            for value in (1, None, "hello", [1, 2]):
                equal = set(selected(Lookup(field, "equals", value), records))
                unequal = set(selected(Lookup(field, "ne", value), records))
                assert equal.isdisjoint(unequal)
                assert equal | unequal == set(records)
                inside = set(selected(Lookup(field, "in", [value, 5]), records))
                outside = set(selected(Lookup(field, "nin", [value, 5]), records))
                assert inside.isdisjoint(outside)
                assert inside | outside == set(records)


# -- ordering ---------------------------------------------------------------------------------


def keys_in_order(items: Items, *order: tuple[str, bool]) -> list[Any]:
    return [key for key, _ in sort_records(items, order)]


Items = list[tuple[Any, dict[str, Any]]]

MIXED: Items = [
    ("k01", {"a": 5}),
    ("k02", {"a": "x"}),
    ("k03", {}),
    ("k04", {"a": None}),
    ("k05", {"a": True}),
    ("k06", {"a": [3, 9]}),
    ("k07", {"a": []}),
    ("k08", {"a": 1.5}),
    ("k09", {"a": datetime.datetime(2020, 1, 1)}),
    ("k10", {"a": {"z": 1}}),
    ("k11", {"a": [[0]]}),
    ("k12", {"a": b"\x00"}),
    ("k13", {"a": decimal.Decimal("4")}),
    ("k14", {"a": NAN}),
    ("k15", {"a": datetime.date(2019, 1, 1)}),
]


def test_order_mixed_types_ascending() -> None:
    # empty list < None = missing < numbers (NaN first) < str < dict < list < bytes < bool < dates;
    # a list sorts by its smallest element ([3, 9] as 3, [[0]] as the list [0])
    assert keys_in_order(MIXED, ("a", False)) == [
        "k07",
        "k03",
        "k04",
        "k14",
        "k08",
        "k06",
        "k13",
        "k01",
        "k02",
        "k10",
        "k11",
        "k12",
        "k05",
        "k15",
        "k09",
    ]


def test_order_mixed_types_descending() -> None:
    # a list sorts by its largest element ([3, 9] as 9); ties (None, missing) stay by key ascending
    assert keys_in_order(MIXED, ("a", True)) == [
        "k09",
        "k15",
        "k05",
        "k12",
        "k11",
        "k10",
        "k02",
        "k06",
        "k01",
        "k13",
        "k08",
        "k14",
        "k03",
        "k04",
        "k07",
    ]


def test_order_mixed_directions() -> None:
    items: Items = [
        ("k1", {"group": 2, "n": 1}),
        ("k2", {"group": 1, "n": 1}),
        ("k3", {"group": 1, "n": 3}),
        ("k4", {"group": 2, "n": 2}),
        ("k5", {"group": 1}),
        ("k6", {"group": 1, "n": 3}),
    ]
    assert keys_in_order(items, ("group", False), ("n", True)) == [
        "k3",
        "k6",
        "k2",
        "k5",
        "k4",
        "k1",
    ]
    assert keys_in_order(items, ("group", True), ("n", False)) == [
        "k1",
        "k4",
        "k5",
        "k2",
        "k3",
        "k6",
    ]


def test_order_ties_by_key_of_mixed_types() -> None:
    items: Items = [("b", {}), (10, {}), ("B", {}), (2, {}), ("a", {})]
    assert keys_in_order(items, ("a", False)) == [2, 10, "B", "a", "b"]
    assert keys_in_order(items, ("a", True)) == [2, 10, "B", "a", "b"]


def test_order_by_dotted_path_through_lists() -> None:
    items: Items = [
        ("k1", {"a": [{"b": 3}, {"b": 1}]}),
        ("k2", {"a": {"b": 2}}),
        ("k3", {"a": [{"b": 4}, {}]}),
        ("k4", {"a": [1, 2]}),
        ("k5", {"a": {"b": [0, 9]}}),
    ]
    # a dict element without b sorts as None; scalars in the list reach nothing (None)
    assert keys_in_order(items, ("a.b", False)) == ["k3", "k4", "k5", "k1", "k2"]
    assert keys_in_order(items, ("a.b", True)) == ["k5", "k3", "k1", "k2", "k4"]


# -- run ----------------------------------------------------------------------------------------


ITEMS = [(f"k{n}", {"n": n, "odd": n % 2 == 1}) for n in range(10)]


def test_run_filters_orders_and_windows() -> None:
    spec = QuerySpec(Q(odd=True), order=(("n", True),), offset=1, limit=2)
    assert [key for key, _ in run(spec, ITEMS)] == ["k7", "k5"]


def test_run_windows_without_order_in_given_order() -> None:
    assert [key for key, _ in run(QuerySpec(offset=8), ITEMS)] == ["k8", "k9"]
    assert [key for key, _ in run(QuerySpec(Q(odd=False), limit=2), ITEMS)] == ["k0", "k2"]
    assert list(run(QuerySpec(limit=0), ITEMS)) == []


def test_run_streams_without_order() -> None:
    def items() -> Iterator[tuple[str, dict[str, Any]]]:
        yield from ITEMS[:3]
        raise AssertionError("read past the window")

    spec = QuerySpec(Q(n__lte=1), limit=2)
    assert [key for key, _ in run(spec, items())] == ["k0", "k1"]


def test_run_yields_the_given_records() -> None:
    (_, record), *_ = run(QuerySpec(Q(n=3)), ITEMS)
    assert record is ITEMS[3][1]
