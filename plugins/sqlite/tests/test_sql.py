"""What runs in SQL: the planner uses ensure_index's expression indexes; exact lookups need no
client filtering; unique indexes follow doqu's equality."""

from __future__ import annotations

import datetime

import pytest

import doqu
from doqu import Document, Index, Q
from doqu.backend import And, Lookup, Not, Or
from doqu.errors import DuplicateKeyError
from doqu_sqlite import SQLiteStorage
from doqu_sqlite._compile import compile_condition


def seed(storage: SQLiteStorage) -> None:
    storage.save_many(
        {"age": n % 90, "name": f"n{n}", "geo": {"zip": f"{n:04d}"}} for n in range(500)
    )


def test_indexed_equality_uses_the_index(storage: SQLiteStorage) -> None:
    seed(storage)
    storage.ensure_index(Index("age"))
    plan = storage.explain(storage.find(age=30))
    assert plan == ["SEARCH people USING INDEX people__age (<expr>=?)"]
    assert storage.find(age=30).count() == 6


def test_indexed_range_uses_the_index(storage: SQLiteStorage) -> None:
    seed(storage)
    storage.ensure_index(Index("age"))
    plan = storage.explain(storage.find(age__between=(10, 12)))
    assert plan == ["SEARCH people USING INDEX people__age (<expr>>? AND <expr><?)"]
    assert storage.find(age__between=(10, 12)).count() == 18


def test_indexed_dotted_path_uses_the_index(storage: SQLiteStorage) -> None:
    seed(storage)
    storage.ensure_index(Index("geo.zip"))
    plan = storage.explain(storage.find(**{"geo.zip": "0042"}))
    assert plan == ["SEARCH people USING INDEX people__geo_zip (<expr>=?)"]


def test_a_list_in_an_indexed_field_is_still_found(storage: SQLiteStorage) -> None:
    seed(storage)
    storage.ensure_index(Index("age"))
    storage.save({"age": [7, 30]}, "listed")
    # the value index alone would miss the list: records holding one come from the type index
    assert storage.explain(storage.find(age=30)) == [
        "MULTI-INDEX OR",
        "INDEX 1",
        "SEARCH people USING INDEX people__age (<expr>=?)",
        "INDEX 2",
        "CORRELATED SCALAR SUBQUERY 1",
        "SCAN e VIRTUAL TABLE INDEX 3:",
        "SEARCH people USING INDEX people__type__age (<expr>=?)",
    ]
    assert "listed" in set(storage.find(age=30).keys())
    storage.delete("listed")
    assert storage.explain(storage.find(age=30)) == [
        "SEARCH people USING INDEX people__age (<expr>=?)"
    ]


def test_an_unindexed_query_scans(storage: SQLiteStorage) -> None:
    seed(storage)
    assert storage.explain(storage.find(age=30))[0] == "SCAN people"


@pytest.mark.parametrize(
    "condition",
    [
        Lookup("a", "equals", 1),
        Lookup("a", "ne", "x"),
        Lookup("a", "gte", 1.5),
        Lookup("a", "between", (datetime.datetime(2024, 1, 1), datetime.datetime(2025, 1, 1))),
        Lookup("a", "in", [1, "x", None, True]),
        Lookup("a", "nin", [1, 2]),
        Lookup("a", "exists", False),
        Lookup("a", "startswith", "ab"),
        Lookup("a", "contains_all", ["x", 1]),
        Not(Or((Lookup("a", "lt", 3), And((Lookup("b", "endswith", "z"),))))),
    ],
)
def test_lookups_compile_exactly(condition: object) -> None:
    _, exact = compile_condition(condition)  # type: ignore[arg-type]
    assert exact


@pytest.mark.parametrize(
    "condition",
    [
        Lookup("a", "matches", "^x"),
        Lookup("a", "equals", {"x": 1}),
        Lookup("a", "year", 2024),
        Lookup("a.b", "equals", 1),  # a list may be on the way
        Not(Lookup("a", "matches", "x")),
    ],
)
def test_other_lookups_are_narrowed_in_sql_and_decided_on_the_client(condition: object) -> None:
    _, exact = compile_condition(condition)  # type: ignore[arg-type]
    assert not exact


def test_a_dotted_path_with_no_list_on_the_way_compiles_exactly() -> None:
    _, exact = compile_condition(Lookup("a.b", "equals", 1), frozenset({"a.b"}))
    assert exact


class City(Document):
    __view__ = Q(type="city")


class Capital(City):
    __view__ = Q(capital=True)


def test_a_views_conditions_run_in_sql(storage: SQLiteStorage) -> None:
    seed(storage)
    storage.save_many({"type": "city", "name": f"c{n}", "capital": n % 10 == 0} for n in range(100))
    storage.save({"name": "x", "capital": True}, "not-a-city")
    storage.ensure_index(Index("type"))
    # the view (type = 'city' AND capital) is the WHERE clause: exact, so nothing is
    # filtered on the client, and the planner searches the index for the base's condition
    assert compile_condition(Capital.__view__, frozenset())[1]  # type: ignore[arg-type]
    # (capital, with no index saying that no record holds a list there, is also tested on
    # each list element: the subquery over json_each)
    assert storage.explain(storage.find(Capital)) == [
        "SEARCH people USING INDEX people__type (<expr>=?)",
        "CORRELATED SCALAR SUBQUERY 1",
        "SCAN e VIRTUAL TABLE INDEX 3:",
    ]
    assert storage.find(Capital).count() == 10
    assert sorted(c["name"] for c in storage.find(Capital, name__lt="c3")) == ["c0", "c10", "c20"]


def test_unique_index_follows_doqus_equality(storage: SQLiteStorage) -> None:
    storage.ensure_index(Index("v", unique=True))
    storage.save({"v": 1}, "int")
    with pytest.raises(DuplicateKeyError, match=r"holds 1\.0 \(record 'int'\)"):
        storage.save({"v": 1.0}, "float")
    storage.save({"v": True}, "bool")  # True is not 1
    storage.save({"v": "1"}, "str")  # "1" is not 1
    storage.save({"v": None}, "null")
    storage.save({}, "missing-1")  # records without the field are not indexed
    storage.save({}, "missing-2")
    with pytest.raises(DuplicateKeyError):
        storage.save({"v": None}, "null-2")
    storage.save({"v": datetime.datetime(2024, 1, 1)}, "datetime")
    with pytest.raises(DuplicateKeyError):
        storage.save({"v": datetime.date(2024, 1, 1)}, "date")  # a date equals its midnight
    assert len(storage) == 7


MIXED = [
    None,
    3,
    2.5,
    -1,
    "b",
    "a",
    "",
    datetime.datetime(2024, 1, 1),
    datetime.date(2023, 5, 1),
    True,
    False,
    [2, 1],
    [],
    {"x": 1},
    float("inf"),
    float("-inf"),
    float("nan"),
]


@pytest.mark.parametrize("indexed", [False, True])
@pytest.mark.parametrize(
    "kinds", [slice(0, 9), slice(0, 11), slice(0, None), slice(7, 9), slice(14, None)]
)
def test_ordering_in_sql_or_on_the_client_is_the_reference_order(
    storage: SQLiteStorage, indexed: bool, kinds: slice
) -> None:
    reference = doqu.connect("memory://")
    for n, value in enumerate(MIXED[kinds] * 2):
        for target in (storage, reference):
            target.save({"v": value, "n": n} if n % 5 else {"n": n}, f"k{n:02d}")
    if indexed:
        storage.ensure_index(Index("v"))
    for order in ("v", "-v"):
        expected = list(reference.find().order_by(order).keys())
        assert list(storage.find().order_by(order).keys()) == expected
        assert list(storage.find(n__gte=3).order_by(order, "n")[2:6].keys()) == list(
            reference.find(n__gte=3).order_by(order, "n")[2:6].keys()
        )
