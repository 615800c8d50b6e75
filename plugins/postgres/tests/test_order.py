"""order_by and slices run in SQL where SQL orders as doqu does, and on the client elsewhere:
the plans show the pushdown, and the answers equal memory://'s either way."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

import doqu
from doqu import StorageAdapter
from doqu_postgres import PostgresStorage

MIXED: dict[Any, dict[str, Any]] = {
    "a": {"v": 2},
    "b": {"v": 1.5},
    "c": {"v": "Zebra"},
    "d": {"v": "apple"},
    "e": {"v": "\u00e9clair"},  # after 'z' by code point, before it in most collations
    "f": {"v": True},
    "g": {"v": False},
    "h": {"v": None},
    "i": {},
    "j": {"v": datetime.datetime(2024, 1, 2, 3, 4, 5, 6)},
    "k": {"v": 2.0},  # ties with "a" and 7: ordered by key
    7: {"v": 2},
    "l": {"v": -(10**18)},
    "m": {"v": float("inf")},
    "n": {"w": {"v": 1}, "v": "10"},
}


def seeded(storage: StorageAdapter, records: dict[Any, dict[str, Any]]) -> StorageAdapter:
    for key, record in records.items():
        storage.save(record, key)
    return storage


def answers(storage: StorageAdapter, *order: str, window: slice | None = None) -> list[Any]:
    query = storage.find().order_by(*order)
    if window is not None:
        query = query[window]
    return [key for key, _ in query.items()]


@pytest.mark.parametrize("order", [("v",), ("-v",), ("v", "-w.v")])
@pytest.mark.parametrize(
    "window", [None, slice(2, 9), slice(0, 1), slice(20, 30), slice(3, None), slice(30, None)]
)
def test_sql_orders_mixed_values_as_memory_does(
    storage: PostgresStorage, order: tuple[str, ...], window: slice | None
) -> None:
    memory = seeded(doqu.connect("memory://"), MIXED)
    seeded(storage, MIXED)
    assert answers(storage, *order, window=window) == answers(memory, *order, window=window)


@pytest.mark.parametrize(
    "odd",
    [
        {"v": [3, 0]},  # a list orders by its smallest element ascending
        {"v": {"x": 1}},
        {"v": b"\x00"},
        {"v": datetime.date(2000, 1, 1)},  # an inexact record
        {"v": float("nan")},
    ],
)
def test_values_sql_cannot_order_are_ordered_on_the_client(
    storage: PostgresStorage, odd: dict[str, Any]
) -> None:
    records = {**MIXED, "odd": odd}
    memory = seeded(doqu.connect("memory://"), records)
    seeded(storage, records)
    for order in ("v", "-v"):
        assert answers(storage, order) == answers(memory, order)
        for window in (slice(1, 4), slice(5, None)):
            assert answers(storage, order, window=window) == answers(memory, order, window=window)


def test_an_ordered_slice_is_one_limited_sorted_statement(storage: PostgresStorage) -> None:
    storage.save_many([{"age": n % 60, "n": n} for n in range(500)])
    plan = "\n".join(storage.explain(storage.find(age__gte=30).order_by("-age")[100:150]))
    assert plan.startswith("Limit"), plan
    sort = plan.split("Sort Key: ", 1)[1].split("\n", 1)[0]
    assert sort.startswith("(CASE jsonb_typeof(("), plan
    assert "doc -> 'age'::text" in sort, plan
    assert sort.count("DESC") == 5, plan  # the age terms descend, the key's do not
    assert [doc["n"] for doc in storage.find(age__gte=30).order_by("-age", "n")[:3]] == [
        59,
        119,
        179,
    ]


def test_an_unordered_query_sorts_nothing(storage: PostgresStorage) -> None:
    plan = "\n".join(storage.explain(storage.find(age__gte=30)))
    assert "Sort" not in plan, plan
    assert "Limit" not in plan, plan


def test_a_condition_sql_cannot_decide_orders_on_the_client(storage: PostgresStorage) -> None:
    # a regex is decided by the reference evaluator: SQL selects, the client orders
    plan = "\n".join(storage.explain(storage.find(name__matches="^a").order_by("age")[:5]))
    assert "Sort" not in plan, plan
    assert "Limit" not in plan, plan
