"""Small helpers the contract tests share: seeding records under chosen keys, reading keys."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..._query import Key, Query
from ..._records import Record
from ..._storage import StorageAdapter
from ..._values import sort_key
from .._fixtures import Oracle

__all__ = ["keys", "ordered", "seed", "stored"]


def seed(storage: StorageAdapter, records: Mapping[str, Any]) -> None:
    """Save each record under its key, through the adapter."""
    for key, record in records.items():
        storage.save(record, key)


def keys(query: Query[Any]) -> set[Key]:
    """The keys a query selects, as a set (for unordered queries)."""
    return set(query.keys())


def ordered(query: Query[Any]) -> list[Key]:
    """The keys a query selects, in its order."""
    return list(query.keys())


def stored(raw: Oracle) -> list[Record | None]:
    """Every record behind the back door, in doqu's value order (for unkeyed comparisons)."""
    return sorted(map(raw.get, raw.keys()), key=sort_key)
