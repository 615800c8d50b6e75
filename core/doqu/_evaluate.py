"""The reference semantics of conditions and ordering, evaluated on the client.

The memory backend runs queries with this module, simple backends can too (a ``query_items`` is
``run(spec, items)``), and every other backend must give the same answers; the contract suite
compares them. The rules are MongoDB's (5.0 to 8.0), so the MongoDB plugin compiles each lookup
to one native operator; ``docs/query-semantics.md`` states them for users.

A path reaches *elements* the way MongoDB's matcher walks a document: through dicts by name,
through a list into each dict element (and into element ``n`` for a numeric part), and at a
list it ends on, to each element and to the list itself. A dict without the next name, or a
scalar in the way, yields ``MISSING``, which equals ``None``; a scalar *inside* a list yields
nothing. A lookup matches when one element passes its test; ``ne`` and ``nin`` negate
``equals`` and ``in``; ``between``, ``contains_all`` and ``year`` join independent tests, so
different elements of a list may meet them.
"""

from __future__ import annotations

import contextlib
import datetime
import decimal
import heapq
import itertools
import math
import operator
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from ._conditions import LOOKUPS, And, Condition, Lookup, Not, Or
from ._query import Key, QuerySpec
from ._records import Record
from ._regex import compile_pattern
from ._values import MISSING, rank, sort_key

__all__ = ["element_reader", "matcher", "order_key", "run", "sort_records"]

#: a compiled condition: whether a record matches.
Predicate = Callable[[Record], bool]
_Test = Callable[[Any], bool]
_Reader = Callable[[Record], list[Any]]


def _always(record: Record) -> bool:
    return True


def _never(record: Record) -> bool:
    return False


def matcher(condition: Condition) -> Predicate:
    """Compile ``condition`` once into a function telling whether a record matches it."""
    if isinstance(condition, Lookup):
        return _BUILDERS[condition.lookup](condition.field, condition.value)
    if isinstance(condition, Not):
        inner = matcher(condition.item)
        return lambda record: not inner(record)
    if isinstance(condition, And | Or):
        parts = [matcher(item) for item in condition.items]
        if not parts:
            return _always if isinstance(condition, And) else _never
        if len(parts) == 1:
            return parts[0]
        if isinstance(condition, And):
            if len(parts) == 2:  # the common pair, without a generator per record
                first, second = parts
                return lambda record: first(record) and second(record)
            return lambda record: all(part(record) for part in parts)
        return lambda record: any(part(record) for part in parts)
    raise TypeError(f"cannot evaluate {type(condition).__name__} {condition!r}: not a condition")


def sort_records(
    items: Iterable[tuple[Key, Record]], order: Sequence[tuple[str, bool]]
) -> list[tuple[Key, Record]]:
    """``(key, record)`` pairs sorted by ``order`` (``(field, descending)`` pairs), ties by key.

    A missing field sorts as ``None``; a list by its smallest element ascending and its largest
    descending, an empty list before ``None``.
    """
    result = sorted(items, key=lambda item: sort_key(item[0]))
    # sorts are stable (reverse=True too): sorting by the least significant field first
    # leaves ties of each pass in the order of the passes before it
    for field, descending in reversed(order):
        field_key = order_key(field, descending)
        result.sort(key=lambda item: field_key(item[1]), reverse=descending)
    return result


def run(spec: QuerySpec, items: Iterable[tuple[Key, Record]]) -> Iterator[tuple[Key, Record]]:
    """The ``(key, record)`` pairs of ``items`` that ``spec`` selects, in its order and window.

    Streams when ``spec.order`` is empty; records are yielded as given, not copied.
    """
    test = matcher(spec.condition)
    selected = items if test is _always else ((k, r) for k, r in items if test(r))
    stop = None if spec.limit is None else spec.offset + spec.limit
    if spec.order:
        if stop is not None and stop <= _TOP:
            selected = _top_records(selected, spec.order, stop)
        else:
            selected = sort_records(selected, spec.order)
    return itertools.islice(selected, spec.offset, stop)


#: windows ending at most this far in are picked with a heap, not a sort of every match
_TOP = 1000


class _Descending:
    """A sort key that orders in reverse, so one tuple can mix directions."""

    __slots__ = ("key",)

    def __init__(self, key: tuple[Any, ...]) -> None:
        self.key = key

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Descending) and self.key == other.key

    def __lt__(self, other: _Descending) -> bool:
        return other.key < self.key

    __hash__ = None  # type: ignore[assignment]


def _top_records(
    items: Iterable[tuple[Key, Record]], order: Sequence[tuple[str, bool]], count: int
) -> list[tuple[Key, Record]]:
    """The first ``count`` pairs :func:`sort_records` would give, without sorting them all."""
    keys = [(order_key(field, descending), descending) for field, descending in order]

    def composite(item: tuple[Key, Record]) -> tuple[Any, ...]:
        record = item[1]
        fields = [_Descending(key(record)) if desc else key(record) for key, desc in keys]
        return (*fields, sort_key(item[0]))

    return heapq.nsmallest(count, items, key=composite)


# -- paths ------------------------------------------------------------------------------------

_ARRAY = (list, tuple)


class _Empty:
    """What ordering reads from a list with no elements (it sorts below ``None``)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "EMPTY"


_EMPTY = _Empty()
# sort_key's brackets start at rank(None), so this sorts below every value
_EMPTY_KEY = (rank(None) - 1,)
_NONE_KEY = sort_key(None)


def element_reader(path: str, *, ordering: bool = False) -> _Reader:
    """A function giving the elements ``path`` reaches in a record (see the module docstring).

    With ``ordering``, a list the path ends on gives its elements only, or ``_EMPTY``.
    """
    parts = path.split(".")
    if len(parts) == 1:
        name = parts[0]

        def read_top(record: Record) -> list[Any]:
            value = record.get(name, MISSING)
            if isinstance(value, _ARRAY):
                return _leaf_array(value, ordering)
            return [value]

        return read_top

    def read(record: Record) -> list[Any]:
        found: list[Any] = []
        _walk(record, parts, 0, ordering, found)
        return found

    return read


def _leaf_array(array: Sequence[Any], ordering: bool) -> list[Any]:
    if ordering:
        return list(array) if array else [_EMPTY]
    return [*array, array]


def _walk(value: Any, parts: list[str], index: int, ordering: bool, found: list[Any]) -> None:
    while index < len(parts):
        if not isinstance(value, dict) or parts[index] not in value:
            found.append(MISSING)
            return
        value = value[parts[index]]
        index += 1
        if isinstance(value, _ARRAY):
            _walk_array(value, parts, index, ordering, found)
            return
    found.append(value)


def _walk_array(
    array: Sequence[Any], parts: list[str], index: int, ordering: bool, found: list[Any]
) -> None:
    if index == len(parts):
        found.extend(_leaf_array(array, ordering))
        return
    part = parts[index]
    offset = int(part) if part.isdigit() else -1
    for position, element in enumerate(array):
        if isinstance(element, dict):
            _walk(element, parts, index, ordering, found)
        if position != offset:
            continue
        # a numeric part also picks the element at that position, which is not unwound
        if index + 1 == len(parts):
            found.append(element)
        elif isinstance(element, dict):
            _walk(element, parts, index + 1, ordering, found)
        elif isinstance(element, _ARRAY):
            _walk_array(element, parts, index + 1, ordering, found)


def _plain_value(path: str) -> Callable[[Record], Any]:
    """A function giving the one value ``path`` names through dicts only (else ``MISSING``)."""
    parts = path.split(".")

    def read(record: Record) -> Any:
        value: Any = record
        for part in parts:
            if not isinstance(value, dict):
                return MISSING
            value = value.get(part, MISSING)
        return value

    return read


def order_key(field: str, descending: bool) -> Callable[[Record], tuple[Any, ...]]:
    read = element_reader(field, ordering=True)
    pick = max if descending else min

    def key(record: Record) -> tuple[Any, ...]:
        values = read(record)
        if len(values) == 1:
            return _EMPTY_KEY if values[0] is _EMPTY else sort_key(values[0])
        keys = (_EMPTY_KEY if value is _EMPTY else sort_key(value) for value in values)
        return pick(keys, default=_NONE_KEY)

    return key


# -- element tests ----------------------------------------------------------------------------


_brackets: dict[type, int] = {}


def _bracket(value: Any) -> int:
    """``rank(value)``, memoised by type (a rank depends on the type alone)."""
    kind = type(value)
    bracket = _brackets.get(kind)
    if bracket is None:
        bracket = _brackets[kind] = rank(value)
    return bracket


def _is_nan(value: Any) -> bool:
    if isinstance(value, float):
        return math.isnan(value)
    return isinstance(value, decimal.Decimal) and value.is_nan()


def _one_of(values: Iterable[Any]) -> _Test:
    """Equal to one of ``values``; ``None`` among them also matches ``MISSING``."""
    keys: set[tuple[Any, ...]] = set()
    for value in values:
        # a value holding something no record can store equals nothing
        with contextlib.suppress(TypeError):
            keys.add(sort_key(value))
    brackets = {key[0] for key in keys}
    return lambda element: _bracket(element) in brackets and sort_key(element) in keys


def _comparison(compare: Callable[[Any, Any], bool], bound: Any) -> _Test:
    """Compares so with ``bound``, within its type bracket; NaN only equals NaN."""
    bracket, key, nan = rank(bound), sort_key(bound), _is_nan(bound)
    return lambda element: (
        _bracket(element) == bracket and _is_nan(element) == nan and compare(sort_key(element), key)
    )


def _text(method: Callable[[str, str], bool], text: str) -> _Test:
    return lambda element: isinstance(element, str) and method(element, text)


def _regex(pattern: str, *, caseless: bool = False) -> _Test:
    search = compile_pattern(pattern, caseless=caseless).search
    return lambda element: isinstance(element, str) and search(element) is not None


# -- lookups ----------------------------------------------------------------------------------


def _some(read: _Reader, test: _Test) -> Predicate:
    return lambda record: any(map(test, read(record)))


def _all_of(predicates: list[Predicate]) -> Predicate:
    if not predicates:
        return _never  # MongoDB: $all with no values matches nothing
    return lambda record: all(predicate(record) for predicate in predicates)


def _negated(predicate: Predicate) -> Predicate:
    return lambda record: not predicate(record)


def _element_lookup(make_test: Callable[[Any], _Test]) -> Callable[[str, Any], Predicate]:
    return lambda field, value: _some(element_reader(field), make_test(value))


#: bound types whose comparison with a stored value of these types is Python's own
_PLAIN_TYPES: dict[type, frozenset[type]] = {
    int: frozenset({int, float}),
    float: frozenset({int, float}),
    str: frozenset({str}),
    bool: frozenset({bool}),
}


def _plain_comparison(
    compare: Callable[[Any, Any], bool], make_test: Callable[[Any], _Test] | None = None
) -> Callable[[str, Any], Predicate]:
    """A comparison lookup with a fast path for a top-level field holding a plain value.

    An int, float, str or bool compared with a bound of its bracket compares as Python compares them
    (NaN compares false either way, as doqu's rule says); anything else (lists, bools, other
    brackets, dotted paths, a NaN bound) takes the general element test.
    """
    general = _element_lookup(make_test or (lambda value: _comparison(compare, value)))

    def build(field: str, value: Any) -> Predicate:
        test = general(field, value)
        plain = _PLAIN_TYPES.get(type(value))
        if plain is None or "." in field or _is_nan(value):
            return test

        def fast(record: Record) -> bool:
            stored = record.get(field, MISSING)
            if type(stored) in plain:
                return compare(stored, value)
            return test(record)

        return fast

    return build


def _between(field: str, bounds: tuple[Any, Any]) -> Predicate:
    # two independent tests (different elements of a list may meet them), each with the
    # fast path of gte and lte
    low, high = bounds
    above, below = _BUILDERS["gte"](field, low), _BUILDERS["lte"](field, high)
    return lambda record: above(record) and below(record)


def _contains_all(field: str, values: list[Any]) -> Predicate:
    """Every one of ``values`` equals an element: one pass over the elements per record, so
    the time is linear in the values and the elements, not their product."""
    read = element_reader(field)
    wanted: set[tuple[Any, ...]] = set()
    for value in values:
        try:
            wanted.add(sort_key(value))
        except TypeError:  # a value no record can store equals nothing
            return _never
    if not wanted:
        return _never  # MongoDB: $all with no values matches nothing
    brackets = {key[0] for key in wanted}

    def test(record: Record) -> bool:
        found = {sort_key(e) for e in read(record) if _bracket(e) in brackets}
        return wanted <= found

    return test


def _exists(field: str, wanted: bool) -> Predicate:
    read = element_reader(field)
    return lambda record: any(value is not MISSING for value in read(record)) == wanted


def _year(field: str, year: int) -> Predicate:
    read = element_reader(field)
    tests = [_some(read, _comparison(operator.ge, datetime.datetime(year, 1, 1)))]
    if year < datetime.MAXYEAR:
        tests.append(_some(read, _comparison(operator.lt, datetime.datetime(year + 1, 1, 1))))
    return _all_of(tests)


def _date_part(part: str) -> Callable[[str, int], Predicate]:
    # MongoDB's $month/$dayOfMonth under a $type "date" guard: a list is never a date
    def build(field: str, wanted: int) -> Predicate:
        read = _plain_value(field)

        def test(record: Record) -> bool:
            value = read(record)
            if not isinstance(value, datetime.date):
                return False
            if isinstance(value, datetime.datetime) and value.tzinfo is not None:
                value = value.astimezone(datetime.UTC)
            return bool(getattr(value, part) == wanted)

        return test

    return build


_BUILDERS: dict[str, Callable[[str, Any], Predicate]] = {
    "equals": _plain_comparison(operator.eq, lambda value: _one_of([value])),
    "ne": lambda field, value: _negated(_some(element_reader(field), _one_of([value]))),
    "gt": _plain_comparison(operator.gt),
    "gte": _plain_comparison(operator.ge),
    "lt": _plain_comparison(operator.lt),
    "lte": _plain_comparison(operator.le),
    "between": _between,
    "in": _element_lookup(_one_of),
    "nin": lambda field, values: _negated(_some(element_reader(field), _one_of(values))),
    "exists": _exists,
    "startswith": _element_lookup(lambda text: _text(str.startswith, text)),
    "endswith": _element_lookup(lambda text: _text(str.endswith, text)),
    "contains": _element_lookup(lambda text: _text(operator.contains, text)),
    "contains_any": _element_lookup(_one_of),
    "contains_all": _contains_all,
    "matches": _element_lookup(_regex),
    "matches_caseless": _element_lookup(lambda pattern: _regex(pattern, caseless=True)),
    "year": _year,
    "month": _date_part("month"),
    "day": _date_part("day"),
}

if _BUILDERS.keys() != LOOKUPS.keys():  # pragma: no cover - caught by any import in tests
    raise RuntimeError(f"doqu._evaluate misses lookups {sorted(LOOKUPS.keys() - _BUILDERS)!r}")
