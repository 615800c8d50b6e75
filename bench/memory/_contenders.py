"""The contenders: a plain-Python floor, memory:// scanning, and memory:// with indexes.

Each op returns what it computed, so the runner checks that every contender did the same work.
The floor is what any in-process store must at least do: a comprehension over a list of dicts,
``heapq`` for the top of an order, a set for distinct values; it copies nothing.
"""

from __future__ import annotations

import heapq
from typing import Any, ClassVar

import doqu

__all__ = ["CONTENDERS", "OPS", "Contender"]

Row = dict[str, Any]
AGE = 30  # equality: 1 in 73 people (1.4%)
LOW = 85  # range: ages 85-90, 6 in 73 (8%), ordered by score, first 20
OPS = ("equality", "unique", "range_top", "count", "values")


class Contender:
    """One way of holding ``rows`` and answering the ops on them."""

    name: ClassVar[str]

    def __init__(self, rows: list[Row]) -> None:
        raise NotImplementedError

    def equality(self) -> int:
        """Sum of the ages of people aged ``AGE`` (reads every matching record)."""
        raise NotImplementedError

    def unique(self, email: str) -> int:
        """The age of the one person with ``email``."""
        raise NotImplementedError

    def range_top(self) -> list[float]:
        """Scores of the first 20 people aged ``LOW`` or more, by score, then email."""
        raise NotImplementedError

    def count(self) -> int:
        """How many active people are 40 or older."""
        raise NotImplementedError

    def values(self) -> list[str]:
        """The distinct cities."""
        raise NotImplementedError


class Floor(Contender):
    name = "floor"

    def __init__(self, rows: list[Row]) -> None:
        self.rows = rows

    def equality(self) -> int:
        return sum(row["age"] for row in self.rows if row["age"] == AGE)

    def unique(self, email: str) -> int:
        return int(next(row["age"] for row in self.rows if row["email"] == email))

    def range_top(self) -> list[float]:
        top = heapq.nsmallest(
            20,
            (row for row in self.rows if row["age"] >= LOW),
            key=lambda row: (row["score"], row["email"]),
        )
        return [row["score"] for row in top]

    def count(self) -> int:
        return sum(1 for row in self.rows if row["active"] and row["age"] >= 40)

    def values(self) -> list[str]:
        return sorted({row["address"]["city"] for row in self.rows})


class Memory(Contender):
    name = "memory"
    indexes: ClassVar[tuple[str, ...]] = ()

    def __init__(self, rows: list[Row]) -> None:
        self.storage = doqu.connect("memory://")
        for field in self.indexes:
            self.storage.ensure_index(doqu.Index(field))
        self.storage.save_many(rows)

    def equality(self) -> int:
        return sum(row["age"] for row in self.storage.find(age=AGE))

    def unique(self, email: str) -> int:
        return int(next(row["age"] for row in self.storage.find(email=email)))

    def range_top(self) -> list[float]:
        query = self.storage.find(age__gte=LOW).order_by("score", "email")[:20]
        return [row["score"] for row in query]

    def count(self) -> int:
        return self.storage.find(active=True, age__gte=40).count()

    def values(self) -> list[str]:
        return sorted(self.storage.find().values("address.city"))


class MemoryIndexed(Memory):
    name = "memory-indexed"
    indexes = ("age", "email")


CONTENDERS: tuple[type[Contender], ...] = (Floor, Memory, MemoryIndexed)
