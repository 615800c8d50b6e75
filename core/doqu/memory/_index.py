"""Field indexes of the memory backend: which records hold each value a field reaches.

An index maps the sort key of every element the evaluator's reader gives for a field (each
element of a list and the list itself, ``MISSING`` for a missing field) to the keys of the
records holding it. A lookup's element test depends on the element's sort key alone (its type
bracket, NaN-ness and value), so the records an ``equals``/``in``/range lookup matches are
exactly the postings of the sort keys that pass the test: 1 and 1.0 share a key, True does not.

The distinct sort keys are kept sorted for ranges, lazily: keys new since the last range query
are merged in by the next one, keys no record holds any more are skipped and dropped then.

For ``order_by`` the index also gives every record in the field's order (:meth:`in_order`). A
record holding one value that is not a list sorts by that value's sort key, its one entry; the
others (a list, or no value the path reaches) sort by the evaluator's ``order_key`` (the
smallest element ascending, the largest descending), which is kept beside the entries.
"""

from __future__ import annotations

import bisect
import heapq
import itertools
from collections.abc import Iterable, Iterator
from operator import itemgetter
from typing import Any

from .._conditions import And, Condition, Lookup
from .._evaluate import element_reader, order_key
from .._query import Key
from .._records import Record
from .._values import rank, sort_key

__all__ = ["SMALL", "FieldIndex", "candidates"]

_SortKey = tuple[Any, ...]
_Group = tuple[_SortKey, list[Key]]
_NAN_KEY = sort_key(float("nan"))
_EQUALITY = frozenset({"equals", "in", "contains_any"})
_RANGES = frozenset({"gt", "gte", "lt", "lte", "between"})
#: an index serves a query selecting at most 1 / _SCAN_SHARE of the records
_SCAN_SHARE = 4
#: collections this small always use an index (it costs nothing there, and tests see it)
SMALL = 1000


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
        self._order_keys = (order_key(field, False), order_key(field, True))
        #: the (ascending, descending) order keys of the records that do not sort by an entry
        self._special: dict[Key, tuple[_SortKey, _SortKey]] = {}
        #: those records grouped by order key, sorted each way; rebuilt after they change
        self._special_groups: tuple[list[_Group], list[_Group]] | None = None

    def _entries(self, record: Record) -> set[_SortKey]:
        return {sort_key(element) for element in self._read(record)}

    def add(self, key: Key, record: Record) -> None:
        elements = self._read(record)
        entries = {sort_key(element) for element in elements}
        if len(elements) != 1 or isinstance(elements[0], list | tuple):
            ascending, descending = self._order_keys
            self._special[key] = (ascending(record), descending(record))
            self._special_groups = None
        if len(entries) > 1:
            self.multikey += 1
        for entry in entries:
            holders = self.postings.get(entry)
            if holders is None:
                holders = self.postings[entry] = set()
                self._pending.append(entry)
            holders.add(key)

    def discard(self, key: Key, record: Record) -> None:
        if self._special.pop(key, None) is not None:
            self._special_groups = None
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
        self._special.clear()
        self._special_groups = None

    def ordered(self) -> list[_SortKey]:
        """The distinct sort keys some record holds, ascending."""
        if self._pending or len(self._sorted) > 2 * len(self.postings) + 16:
            # a key removed and added again is in both lists: the set drops the copy
            merged = set(self._sorted)
            merged.update(self._pending)
            self._sorted = sorted(entry for entry in merged if entry in self.postings)
            self._pending = []
        return self._sorted

    def in_order(self, descending: bool) -> Iterator[list[Key]]:
        """The keys of every record in groups that tie on the field, groups in its order.

        Ascending, a record sorts by its smallest element; descending, by its largest (as
        ``sort_records`` does); the keys within a group come in no particular order.
        """
        entries = self.ordered()
        postings, special = self.postings, self._special
        # the sorted list may still hold entries no record holds
        walk = (e for e in (reversed(entries) if descending else entries) if e in postings)
        if not special:
            for entry in walk:
                yield list(postings[entry])
            return
        # a special record is also among the holders of its elements: those skip it
        plain = ((entry, [k for k in postings[entry] if k not in special]) for entry in walk)
        first = itemgetter(0)
        merged = heapq.merge(plain, self._special_order(descending), key=first, reverse=descending)
        for _, tied in itertools.groupby(merged, key=first):
            yield [key for _, keys in tied for key in keys]

    def _special_order(self, descending: bool) -> list[_Group]:
        if self._special_groups is None:
            by_low: dict[_SortKey, list[Key]] = {}
            by_high: dict[_SortKey, list[Key]] = {}
            for key, (low, high) in self._special.items():
                by_low.setdefault(low, []).append(key)
                by_high.setdefault(high, []).append(key)
            first = itemgetter(0)
            self._special_groups = (
                sorted(by_low.items(), key=first),
                sorted(by_high.items(), key=first, reverse=True),
            )
        return self._special_groups[descending]

    def equal(self, values: Iterable[Any]) -> list[_SortKey]:
        """The entries held that equal one of ``values``."""
        found: list[_SortKey] = []
        for value in values:
            try:
                entry = sort_key(value)
            except TypeError:  # a value no record can hold equals nothing
                continue
            if entry in self.postings:
                found.append(entry)
        return found

    def range(self, low: tuple[Any, bool] | None, high: tuple[Any, bool] | None) -> list[_SortKey]:
        """The entries held within the bounds (``(value, inclusive)``).

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
        postings = self.postings  # the sorted list may still hold entries no record holds
        return [e for e in ordered[start:stop] if (e == _NAN_KEY) == nan and e in postings]

    def matching(self, lookup: Lookup) -> list[list[_SortKey]] | None:
        """The entries whose holders ``lookup`` may match, as lists whose holders it must be
        among each (``None``: the index cannot tell)."""
        name, value = lookup.lookup, lookup.value
        if name == "equals":
            return [self.equal([value])]
        if name in ("in", "contains_any"):
            return [self.equal(value)]
        if name == "between":
            low, high = value
            if self.multikey:
                # different elements of one list may meet the two bounds
                return [self.range((low, True), None), self.range(None, (high, True))]
            return [self.range((low, True), (high, True))]
        if name in ("gt", "gte"):
            return [self.range((value, name == "gte"), None)]
        if name in ("lt", "lte"):
            return [self.range(None, (value, name == "lte"))]
        return None

    def size(self, entries: list[_SortKey]) -> int:
        """How many records hold one of ``entries``, at most (a list counts once per element)."""
        postings = self.postings
        return sum(len(postings[entry]) for entry in entries)

    def holders(self, entries: list[_SortKey]) -> set[Key]:
        """The keys of the records holding one of ``entries``."""
        found: set[Key] = set()
        for entry in entries:
            found.update(self.postings[entry])
        return found


def candidates(condition: Condition, indexes: dict[str, FieldIndex], total: int) -> set[Key] | None:
    """Keys of a superset of the records ``condition`` matches, from the smallest usable index.

    ``None`` when no index narrows it to a quarter of the ``total`` records: the caller scans
    (testing a large share of the records by key costs more than a scan). The sizes are
    estimated from the postings before any set is built, so a wide range costs little more
    than the scan it leads to. Collections of at most ``SMALL`` records always use the index.
    The caller still tests every candidate with the whole condition, so an index only ever
    narrows what is tested.
    """
    if not indexes:
        return None
    parts = condition.items if isinstance(condition, And) else (condition,)
    best: tuple[int, FieldIndex, list[list[_SortKey]]] | None = None
    for part in parts:
        if not isinstance(part, Lookup) or part.lookup not in _EQUALITY | _RANGES:
            continue
        index = indexes.get(part.field)
        if index is None:
            continue
        found = index.matching(part)
        if found is None:
            continue
        size = min(index.size(entries) for entries in found)
        if best is None or size < best[0]:
            best = (size, index, found)
    if best is None or (total > SMALL and best[0] * _SCAN_SHARE > total):
        return None
    _, index, found = best
    return set.intersection(*(index.holders(entries) for entries in found))
