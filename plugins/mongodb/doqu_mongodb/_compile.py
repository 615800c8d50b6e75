"""Conditions compiled to MongoDB query filters, orders to sort specifications.

Each lookup becomes the one native operator with doqu's reference semantics (``doqu._evaluate``
states them; they are MongoDB's). Values always stay data:

* ``equals`` is always ``$eq``, so a value such as ``{"$ne": None}`` is compared literally;
  ``$in``/``$nin``/``$all`` refuse operator-like dicts ("cannot nest $ under $in"), so a value
  list holding one is spelled as ``$eq`` tests joined with ``$or``/``$and``;
* text lookups send their value as an escaped regular expression (only metacharacters are
  escaped: RE2, FerretDB's engine, rejects escapes it does not know);
* patterns are sent as ``{"$regex": pattern}`` strings, never as compiled ``re`` objects;
  a store that matches in process (mongomock) is given a linear-time pattern object instead;
* no lookup produces ``$where`` or server-side JavaScript.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping, Sequence
from typing import Any, NamedTuple

from doqu import And, Condition, Lookup, Not, Or

__all__ = [
    "NOTHING",
    "Filter",
    "RegexOperator",
    "escape_regex",
    "compile_filter",
    "compile_sort",
    "server_regex",
]

Filter = dict[str, Any]

#: how a ``matches`` pattern is sent: ``(pattern, caseless)`` -> the operator on the field
RegexOperator = Callable[[str, bool], Filter]

#: a filter no document matches (every document has an ``_id``).
NOTHING: Filter = {"_id": {"$in": []}}

_METACHARACTERS = frozenset("\\.^$|?*+()[]{}")
_ID = "_id"


def escape_regex(text: str) -> str:
    """``text`` as a regular expression matching it literally, in PCRE, RE2 and Python.

    Only metacharacters are escaped, and NUL is written ``\\x00`` (MongoDB refuses a NUL in a
    pattern).
    """
    return "".join(
        "\\" + char if char in _METACHARACTERS else "\\x00" if char == "\x00" else char
        for char in text
    )


def server_regex(pattern: str, caseless: bool) -> Filter:
    """``pattern`` for a server to run: ``{"$regex": pattern}``, with ``$options`` if caseless."""
    return {"$regex": pattern, "$options": "i"} if caseless else {"$regex": pattern}


class _Dialect(NamedTuple):
    end_anchor: str
    regex: RegexOperator


def compile_filter(
    condition: Condition, *, end_anchor: str = r"\z", regex: RegexOperator = server_regex
) -> Filter:
    """The query filter selecting the records ``condition`` matches.

    ``end_anchor`` is the regular expression for "end of the string" in the server's dialect
    (``\\z`` for MongoDB's PCRE and FerretDB's RE2, ``\\Z`` for Python's ``re``); ``regex``
    builds the operator for a ``matches`` pattern.
    """
    return _compile(condition, _Dialect(end_anchor, regex))


def _compile(condition: Condition, dialect: _Dialect) -> Filter:
    if isinstance(condition, Lookup):
        return _LOOKUPS[condition.lookup](condition.field, condition.value, dialect)
    if isinstance(condition, Not):
        inner = _compile(condition.item, dialect)
        return NOTHING if not inner else {} if inner == NOTHING else {"$nor": [inner]}
    if isinstance(condition, And):
        return _all_of([_compile(item, dialect) for item in condition.items])
    if isinstance(condition, Or):
        return _any_of([_compile(item, dialect) for item in condition.items])
    raise TypeError(f"cannot compile {type(condition).__name__} {condition!r}: not a condition")


def compile_sort(
    order: Sequence[tuple[str, bool]], *, windowed: bool
) -> list[tuple[str, int]] | None:
    """The sort specification for ``order``; ties (and unordered windows) go by key."""
    if not order and not windowed:
        return None
    sort = [(field, -1 if descending else 1) for field, descending in order]
    if all(field != _ID for field, _ in order):
        sort.append((_ID, 1))
    return sort


# -- joining ----------------------------------------------------------------------------------


def _all_of(parts: list[Filter]) -> Filter:
    if NOTHING in parts:
        return NOTHING
    flat: list[Filter] = []
    for part in parts:
        flat.extend(part["$and"] if list(part) == ["$and"] else [part] if part else [])
    return _joined("$and", flat, empty={})


def _any_of(parts: list[Filter]) -> Filter:
    if {} in parts:
        return {}
    flat: list[Filter] = []
    for part in parts:
        flat.extend(part["$or"] if list(part) == ["$or"] else [part] if part != NOTHING else [])
    return _joined("$or", flat, empty=NOTHING)


def _joined(operator: str, parts: list[Filter], *, empty: Filter) -> Filter:
    if not parts:
        return empty
    return parts[0] if len(parts) == 1 else {operator: parts}


# -- lookups ----------------------------------------------------------------------------------


def _has_operator(value: Any) -> bool:
    """Whether ``value`` holds a dict with a ``$`` name (which no doqu record can hold)."""
    if isinstance(value, Mapping):
        return any(
            (isinstance(name, str) and name.startswith("$")) or _has_operator(item)
            for name, item in value.items()
        )
    if isinstance(value, list | tuple):
        return any(_has_operator(item) for item in value)
    return False


def _one_of(field: str, values: list[Any]) -> Filter:
    plain = [value for value in values if not _has_operator(value)]
    tests = [{field: {"$eq": value}} for value in values if _has_operator(value)]
    if plain:
        tests.insert(0, {field: {"$in": plain}})
    return _any_of(tests)


def _none_of(field: str, values: list[Any]) -> Filter:
    if not _has_operator(values):
        return {field: {"$nin": values}}
    found = _one_of(field, values)
    return {} if found == NOTHING else {"$nor": [found]}


def _every_of(field: str, values: list[Any]) -> Filter:
    if not values:
        return NOTHING  # MongoDB's $all with no values matches nothing (mongomock: everything)
    if not _has_operator(values):
        return {field: {"$all": values}}
    return _all_of([{field: {"$eq": value}} for value in values])


def _operator(name: str) -> Callable[[str, Any, _Dialect], Filter]:
    return lambda field, value, _: {field: {name: value}}


def _text(
    *, at_start: bool = False, at_end: bool = False
) -> Callable[[str, Any, _Dialect], Filter]:
    def build(field: str, text: str, dialect: _Dialect) -> Filter:
        end = dialect.end_anchor if at_end else ""
        pattern = ("^" if at_start else "") + escape_regex(text) + end
        return {field: {"$regex": pattern}}

    return build


def _year(field: str, year: int, _: _Dialect) -> Filter:
    bounds: Filter = {"$gte": datetime.datetime(year, 1, 1)}
    if year < datetime.MAXYEAR:
        bounds["$lt"] = datetime.datetime(year + 1, 1, 1)
    return {field: bounds}


def _date_part(operator: str) -> Callable[[str, int, _Dialect], Filter]:
    # a list (or anything else) is not a date: $month would raise on it, so it is guarded
    def build(field: str, wanted: int, _: _Dialect) -> Filter:
        path = "$" + field
        part = {"$cond": [{"$eq": [{"$type": path}, "date"]}, {operator: path}, None]}
        return {"$expr": {"$eq": [part, wanted]}}

    return build


_LOOKUPS: dict[str, Callable[[str, Any, _Dialect], Filter]] = {
    "equals": _operator("$eq"),
    "ne": _operator("$ne"),
    "gt": _operator("$gt"),
    "gte": _operator("$gte"),
    "lt": _operator("$lt"),
    "lte": _operator("$lte"),
    "between": lambda field, pair, _: {field: {"$gte": pair[0], "$lte": pair[1]}},
    "in": lambda field, values, _: _one_of(field, values),
    "nin": lambda field, values, _: _none_of(field, values),
    "exists": _operator("$exists"),
    "startswith": _text(at_start=True),
    "endswith": _text(at_end=True),
    "contains": _text(),
    "contains_any": lambda field, values, _: _one_of(field, values),
    "contains_all": lambda field, values, _: _every_of(field, values),
    "matches": lambda field, pattern, dialect: {field: dialect.regex(pattern, False)},
    "matches_caseless": lambda field, pattern, dialect: {field: dialect.regex(pattern, True)},
    "year": _year,
    "month": _date_part("$month"),
    "day": _date_part("$dayOfMonth"),
}
