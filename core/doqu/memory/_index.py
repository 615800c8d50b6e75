"""Field indexes of the memory backend: which records hold each value a field reaches.

An index maps the sort key of every element the evaluator's reader gives for a field (each
element of a list and the list itself, ``MISSING`` for a missing field) to the keys of the
records holding it. A lookup's element test depends on the element's sort key alone (its type
bracket, NaN-ness and value), so the records an ``equals``/``in``/range lookup matches are
exactly the postings of the sort keys that pass the test: 1 and 1.0 share a key, True does not.

The distinct sort keys are kept sorted for ranges, lazily: keys new since the last range query
are merged in by the next one, keys no record holds any more are skipped and dropped then.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from typing import Any

from .._conditions import And, Condition, Lookup
from .._evaluate import element_reader
from .._query import Key
from .._records import Record
from .._values import rank, sort_key

__all__ = ["FieldIndex", "candidates"]

_SortKey = tuple[Any, ...]
_NAN_KEY = sort_key(float("nan"))
_EQUALITY = frozenset({"equals", "in", "contains_any"})
_RANGES = frozenset({"gt", "gte", "lt", "lte", "between"})
#: an index serves a query selecting at most 1 / _SCAN_SHARE of the records
_SCAN_SHARE = 4
_SMALL = 1000


class FieldIndex:
    """The records holding each element of one field, and those elements in doqu's order."""

    def __init__(self, field: str) -> None:
        self.field = field
        self._read = element_reader(field)
        self.postings: dict[_SortKey, set[Key]] = {}
        #: how many records reach more than one element (then a range is not one interval)
        self.multikey = 0
        self._sorted: list[_SortKey] = []
        self._pending: list[_SortKey] = []

    def _entries(self, record: Record) -> set[_SortKey]:
        return {sort_key(element) for element in self._read(record)}

    def add(self, key: Key, record: Record) -> None:
        entries = self._entries(record)
        if len(entries) > 1:
            self.multikey += 1
        for entry in entries:
            holders = self.postings.get(entry)
            if holders is None:
                holders = self.postings[entry] = set()
                self._pending.append(entry)
            holders.add(key)

    def discard(self, key: Key, record: Record) -> None:
        entries = self._entries(record)
        if len(entries) > 1:
            self.multikey -= 1
        for entry in entries:
            holders = self.postings.get(entry)
            if holders is not None:
                holders.discard(key)
                if not holders:
                    del self.postings[entry]

    def clear(self) -> None:
        self.postings.clear()
        self.multikey = 0
        self._sorted, self._pending = [], []

    def ordered(self) -> list[_SortKey]:
        """The distinct sort keys some record holds, ascending."""
        if self._pending or len(self._sorted) > 2 * len(self.postings) + 16:
            # a key removed and added again is in both lists: the set drops the copy
            merged = set(self._sorted)
            merged.update(self._pending)
            self._sorted = sorted(entry for entry in merged if entry in self.postings)
            self._pending = []
        return self._sorted

    def equal(self, values: Iterable[Any]) -> set[Key]:
        """Keys of the records holding an element equal to one of ``values``."""
        found: set[Key] = set()
        for value in values:
            try:
                entry = sort_key(value)
            except TypeError:  # a value no record can hold equals nothing
                continue
            found.update(self.postings.get(entry, ()))
        return found

    def range(self, low: tuple[Any, bool] | None, high: tuple[Any, bool] | None) -> set[Key]:
        """Keys of the records holding an element within the bounds (``(value, inclusive)``).

        Elements compare only within the bound's type bracket, and NaN only with NaN.
        """
        given = low if low is not None else high
        bound = None if given is None else given[0]
        bracket = rank(bound)
        nan = sort_key(bound) == _NAN_KEY
        ordered = self.ordered()
        start = bisect.bisect_left(ordered, (bracket,))
        stop = bisect.bisect_left(ordered, (bracket + 1,))
        if low is not None:
            cut = bisect.bisect_left if low[1] else bisect.bisect_right
            start = max(start, cut(ordered, sort_key(low[0]), start, stop))
        if high is not None:
            cut = bisect.bisect_right if high[1] else bisect.bisect_left
            stop = min(stop, cut(ordered, sort_key(high[0]), start, stop))
        found: set[Key] = set()
        for entry in ordered[start:stop]:
            if (entry == _NAN_KEY) == nan:
                found.update(self.postings.get(entry, ()))
        return found

    def matching(self, lookup: Lookup) -> set[Key] | None:
        """The keys of every record ``lookup`` may match (``None``: the index cannot tell)."""
        name, value = lookup.lookup, lookup.value
        if name == "equals":
            return self.equal([value])
        if name in ("in", "contains_any"):
            return self.equal(value)
        if name == "between":
            low, high = value
            if self.multikey:
                # different elements of one list may meet the two bounds
                return self.range((low, True), None) & self.range(None, (high, True))
            return self.range((low, True), (high, True))
        if name in ("gt", "gte"):
            return self.range((value, name == "gte"), None)
        if name in ("lt", "lte"):
            return self.range(None, (value, name == "lte"))
        return None


def candidates(condition: Condition, indexes: dict[str, FieldIndex], total: int) -> set[Key] | None:
    """Keys of a superset of the records ``condition`` matches, from the smallest usable index.

    ``None`` when no index narrows it to a quarter of the ``total`` records: the caller scans
    (testing a large share of the records by key costs more than a scan). Collections of at
    most ``_SMALL`` records always use the index: it costs nothing there, and tests see it.
    The caller still tests every candidate with the whole condition, so an index only ever
    narrows what is tested.
    """
    if not indexes:
        return None
    parts = condition.items if isinstance(condition, And) else (condition,)
    best: set[Key] | None = None
    for part in parts:
        if not isinstance(part, Lookup) or part.lookup not in _EQUALITY | _RANGES:
            continue
        index = indexes.get(part.field)
        if index is None:
            continue
        found = index.matching(part)
        if found is not None and (best is None or len(found) < len(best)):
            best = found
    if best is None or (total > _SMALL and len(best) * _SCAN_SHARE > total):
        return None
    return best
