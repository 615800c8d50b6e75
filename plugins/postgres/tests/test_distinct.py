"""values() takes distinct values in SQL where it is exact, and always answers as memory does."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

import pytest

import doqu
from doqu.backend import sort_key
from doqu_postgres import PostgresStorage

RECORDS: list[dict[str, Any]] = [
    {"v": 1, "tags": ["a", "b"], "in": [{"x": 1}, {"x": 2}], "name": "Ann"},
    {"v": 1.0, "tags": ["b", ["c"]], "in": {"x": 3}, "name": "Bob"},
    {"v": b"\x00", "tags": "a", "name": "Cid"},
    {"v": uuid.UUID(int=1), "tags": [], "name": "Dan"},
    {"v": datetime.date(2024, 1, 1), "name": "Eve"},
    {"v": datetime.datetime(2024, 1, 1), "name": "Fay"},
    {"v": float("nan"), "name": "Gus"},
    {"v": -0.0, "name": "Hal"},
    {"v": None, "tags": None, "name": "Ivy"},
    {"v": {"b": 1, "a": 2}, "name": "Jon"},
    {"v": {"a": 2, "b": 1}, "name": "Kim"},
    {"name": "Lea"},
]
CASES = [
    ("v", {}),
    ("tags", {}),
    ("in.x", {}),
    ("v", {"name__matches": "^[A-E]"}),
    ("tags", {"name__in": ["Ann", "Cid"]}),
    ("v", {"v__gte": 0}),
    ("name", {"tags__gt": "a"}),  # a test over list elements beside the unwinding
]


@pytest.mark.parametrize(("field", "conditions"), CASES, ids=repr)
def test_values_equal_memorys(storage: PostgresStorage, field: str, conditions: Any) -> None:
    memory = doqu.connect("memory://")
    for n, record in enumerate(RECORDS):
        storage.save(dict(record), f"k{n}")
        memory.save(dict(record), f"k{n}")
    expected = memory.find(**conditions).values(field)
    # which of two equal values (1 and 1.0, a date and its midnight) stands for both is open
    got = storage.find(**conditions).values(field)
    assert [sort_key(value) for value in got] == [sort_key(value) for value in expected]


def test_values_of_exact_rows_come_from_sql_distinct(storage: PostgresStorage) -> None:
    storage.save_many([{"n": n % 3, "tags": ["x", n % 2]} for n in range(300)])
    calls: list[str] = []
    execute = storage._execute

    def spy(sql: str, params: dict[str, Any] | None = None) -> list[Any]:
        rows = execute(sql, params)
        calls.append(sql)
        assert len(rows) <= 3, rows  # the distinct values, not the 300 records
        return rows

    storage._execute = spy  # type: ignore[method-assign]
    assert storage.find(n__gte=0).values("tags") == [0, 1, "x"]
    assert storage.find().values("n") == [0, 1, 2]
    assert len(calls) == 2
