"""The benchmark's data: eight-field people, the same for every contender.

Rows are derived from their index alone, so every run, contender and subprocess builds the
same data without sharing state, and each workload can compute its expected result.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

import doqu

__all__ = [
    "CITIES",
    "CopySource",
    "key_of",
    "object_total",
    "people",
    "person",
    "row_total",
]

CITIES = tuple(f"City {letter}" for letter in "ABCDEFGHIJKLMNOPQRST")
_TAGS = ("red", "green", "blue", "amber", "violet", "teal")
_EPOCH = datetime.datetime(2020, 1, 1)


def key_of(index: int) -> str:
    """The primary key of the stored person ``index``."""
    return f"p{index:08d}"


def person(index: int) -> dict[str, Any]:
    """Person ``index``: name, email, age, score, active, created, tags and address.

    Every other person is active, so a filter on ``active`` selects exactly half.
    """
    start = index % len(_TAGS)
    return {
        "name": f"Person {index}",
        "email": f"person{index}@example.org",
        "age": 18 + (index * 7) % 73,
        "score": (index * 37) % 1000 / 10,
        "active": index % 2 == 0,
        "created": _EPOCH + datetime.timedelta(minutes=index),
        "tags": list(_TAGS[start : start + 1 + index % 3]),
        "address": {"city": CITIES[index % len(CITIES)], "zip": f"{index % 100_000:05d}"},
    }


def people(indices: Iterable[int], *, keyed: bool = False) -> list[dict[str, Any]]:
    """Fresh rows for ``indices``; ``keyed`` adds each one's ``_id`` (for loading by pymongo)."""
    if keyed:
        return [{"_id": key_of(index), **person(index)} for index in indices]
    return [person(index) for index in indices]


def _total(
    name: str,
    email: str,
    age: int,
    score: float,
    active: bool,
    created: datetime.datetime,
    tags: list[str],
    city: str,
    zip_code: str,
) -> int:
    return (
        len(name) + len(email) + age + int(score) + active + created.minute + len(tags)
        + len(city) + len(zip_code)
    )  # fmt: skip


def row_total(row: dict[str, Any]) -> int:
    """A number that reads every field of a person row: what ``query_all_fields`` sums."""
    address = row["address"]
    return _total(
        row["name"],
        row["email"],
        row["age"],
        row["score"],
        row["active"],
        row["created"],
        row["tags"],
        address["city"],
        address["zip"],
    )


def object_total(person: Any) -> int:
    """:func:`row_total` of a person read through attributes (a Document, a mongoengine one)."""
    address = person.address
    return _total(
        person.name,
        person.email,
        person.age,
        person.score,
        person.active,
        person.created,
        person.tags,
        address.city,
        address.zip,
    )


class CopySource:
    """People ``0..n-1`` twice: in a memory:// storage under their keys (what ``doqu.copy``
    reads) and as rows with their ``_id`` (what raw pymongo writes). Built before a run."""

    def __init__(self, n: int) -> None:
        self.rows = people(range(n), keyed=True)
        self.storage = doqu.connect("memory://")
        self.storage.insert_records(
            [(row["_id"], person(index)) for index, row in enumerate(self.rows)]
        )
