"""Conditions compiled to SQL over the JSON column, exactly where SQL reproduces doqu's meaning.

Each condition compiles to two predicates, *sure* (implies a match) and *possible* (implied by
a match). A lookup SQL states exactly has ``sure == possible``; one it cannot (a regex, a
date part, a dict value, a dotted path through a list, ...) is ``sure = 0, possible = 1``, and
``Not`` swaps them. The query selects ``possible`` rows; when the whole tree was exact that is
the answer, else the reference evaluator filters the rows on the client. Either way the
answer is memory's.

What makes a lookup exact (``docs`` of the plugin's README list them):

* a type bracket per value: numbers are ``json_type`` integer/real (1 = 1.0, and ``true`` is
  not 1), strings text, datetimes the fixed-width text of their ``$date`` tag, ``None`` null or
  missing; NaN is a tag, so a numeric comparison never matches it;
* multikey: at a list the test also runs on each element (``json_each``), and the list itself
  never equals a scalar;
* dotted paths: exact through dicts; a guard sends records with a list on the way to the
  client, unless the path is known to hold no list in this collection (``flat``).
"""

from __future__ import annotations

import datetime
import functools
import itertools
import json
import math
import operator
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from doqu.backend import And, Condition, Lookup, Not, Or

from ._codec import DATE_TAG, iso

__all__ = ["Sql", "compile_condition", "json_path", "quote_name"]


@dataclass(frozen=True, slots=True)
class Sql:
    """A fragment of SQL and its ``?`` parameters, in order."""

    text: str
    params: tuple[Any, ...] = ()


_TRUE, _FALSE = Sql("1"), Sql("0")
_CHAIN = 64  # terms joined flat by AND / OR; longer joins nest (see _balanced)
#: values of one type bracket at which ``in`` becomes one JSON parameter (``json_each``)
_MANY = 8


def quote_name(name: str) -> str:
    """An SQL identifier for ``name``."""
    return '"' + name.replace('"', '""') + '"'


def json_path(field: str) -> str | None:
    """The SQL string literal of the JSON path of a dotted field, or ``None`` if it has none.

    Labels are quoted, so any name but one holding ``"`` (SQLite's paths cannot escape it) works.
    """
    parts = field.split(".")
    if any('"' in part for part in parts):
        return None
    path = "$" + "".join(f'."{part}"' for part in parts)
    return "'" + path.replace("'", "''") + "'"


def _join(items: Iterable[Sql], operator: str, neutral: Sql, absorbing: Sql) -> Sql:
    parts = [item for item in items if item != neutral]
    if absorbing in parts:
        return absorbing
    if not parts:
        return neutral
    return _balanced(parts, operator)


def _balanced(parts: Sequence[Sql], operator: str) -> Sql:
    """``parts`` joined by ``operator`` as a balanced tree: a flat chain of n terms is an
    expression n deep, and SQLite refuses expressions over 1000 deep; this one is log2(n)."""
    if len(parts) == 1:
        return parts[0]
    if len(parts) > _CHAIN:
        middle = len(parts) // 2
        parts = [_balanced(parts[:middle], operator), _balanced(parts[middle:], operator)]
    text = f" {operator} ".join(f"({p.text})" for p in parts)
    return Sql(text, tuple(itertools.chain.from_iterable(p.params for p in parts)))


def _and(items: Iterable[Sql]) -> Sql:
    return _join(items, "AND", _TRUE, _FALSE)


def _or(items: Iterable[Sql]) -> Sql:
    return _join(items, "OR", _FALSE, _TRUE)


def _not(item: Sql) -> Sql:
    if item == _TRUE:
        return _FALSE
    if item == _FALSE:
        return _TRUE
    # a NULL (a comparison with a missing value) would make NOT unknown: it is false here
    return Sql(f"NOT coalesce(({item.text}), 0)", item.params)


@dataclass(frozen=True, slots=True)
class _Bounds:
    """A compiled condition: ``sure`` implies a match, a match implies ``possible``."""

    sure: Sql
    possible: Sql

    @property
    def exact(self) -> bool:
        return self.sure == self.possible


_UNKNOWN = _Bounds(_FALSE, _TRUE)


def compile_condition(condition: Condition, flat: frozenset[str] = frozenset()) -> tuple[Sql, bool]:
    """The SQL selecting a superset of the records ``condition`` matches, and whether it is
    exact. ``flat``: dotted fields known to hold no list anywhere along their path."""
    bounds = _compile(condition, flat)
    return bounds.possible, bounds.exact


def _compile(condition: Condition, flat: frozenset[str]) -> _Bounds:
    if isinstance(condition, Lookup):
        return _lookup(condition, flat)
    if isinstance(condition, Not):
        inner = _compile(condition.item, flat)
        return _Bounds(_not(inner.possible), _not(inner.sure))
    if isinstance(condition, And | Or):
        join = _and if isinstance(condition, And) else _or
        parts = [_compile(item, flat) for item in condition.items]
        return _Bounds(join(p.sure for p in parts), join(p.possible for p in parts))
    raise TypeError(f"cannot compile {type(condition).__name__} {condition!r}")


# -- element tests: SQL for "an element (type, value) passes", or None (not expressible) -------

#: an element test: given the element's json_type, value and $date expressions, the SQL
_Test = Callable[[str, str, str], Sql]
_NUMBER_TYPES = "('integer', 'real')"
_OPERATORS = {"gt": ">", "gte": ">=", "lt": "<", "lte": "<="}


def _scalar_kind(value: Any) -> str | None:
    """Which bracket a query value compares in, if SQL can compare it exactly."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "number"
    if isinstance(value, float):
        return None if math.isnan(value) else "number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, datetime.date):
        return "date"
    return None  # dicts, lists, bytes, UUIDs, Decimals: the client compares them


_ELEMENT_TYPE = "e.type"
_PYTHON_OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    "=": operator.eq,
    ">": operator.gt,
    ">=": operator.ge,
    "<": operator.lt,
    "<=": operator.le,
}


def _number_guard(typ: str, val: str, sign: str, bool_like: bool) -> str:
    """SQL keeping only numbers among the values ``val {sign} ...`` lets through; ``bool_like``:
    whether 0 or 1 (how ``json_extract`` gives a bool) passes that comparison.

    ``json_extract`` gives numbers as numbers, strings and containers as text (which SQLite
    orders above every number), and bools as 0 and 1: a value guard costs no JSON parse, and
    the type is read only where a bool could pass.
    """
    if typ == _ELEMENT_TYPE:  # json_each has the type at hand
        return f"+{typ} IN {_NUMBER_TYPES}"
    guards = [f"{val} < ''"] if sign in (">", ">=") else []
    if bool_like:
        guards.append(f"({val} NOT IN (0, 1) OR +{typ} IN {_NUMBER_TYPES})")
    return " AND ".join(guards) or "1"


def _text_guard(typ: str, val: str) -> str:
    """SQL keeping only strings: text at all (not a number), then not a container's JSON."""
    if typ == _ELEMENT_TYPE:
        return f"+{typ} = 'text'"
    return f"{val} >= '' AND (substr({val}, 1, 1) NOT IN ('[', '{{') OR +{typ} = 'text')"


def _compare(sign: str, value: Any) -> _Test | None:
    """A test comparing an element with ``value`` by ``sign`` inside its type bracket."""
    kind = _scalar_kind(value)
    if kind == "number":
        compare = _PYTHON_OPERATORS[sign]
        guard = functools.partial(
            _number_guard, sign=sign, bool_like=compare(0, value) or compare(1, value)
        )
        return lambda typ, val, date: Sql(f"{val} {sign} ? AND {guard(typ, val)}", (value,))
    if kind == "text":
        return lambda typ, val, date: Sql(f"{val} {sign} ? AND {_text_guard(typ, val)}", (value,))
    if kind == "date":
        return lambda typ, val, date: Sql(f"{date} {sign} ?", (iso(value),))
    if sign != "=":
        return None  # ranges over None and bools: rare, left to the client
    if kind == "bool":
        literal = "'true'" if value else "'false'"
        return lambda typ, val, date: Sql(f"{typ} = {literal}")
    if kind == "null":
        # a missing value equals None (typ is NULL only for the whole value, never an element)
        return lambda typ, val, date: Sql(f"{typ} IS NULL OR {typ} = 'null'")
    return None


def _text(kind: str, text: Any) -> _Test | None:
    if not isinstance(text, str) or "\x00" in text:
        return None
    if not text:
        return lambda typ, val, date: Sql(_text_guard(typ, val))
    size = len(text)
    shapes = {
        "startswith": f"substr({{val}}, 1, {size}) = ?",
        "endswith": f"substr({{val}}, -{size}) = ?",
        "contains": "instr({val}, ?) > 0",
    }
    shape = shapes[kind]
    return lambda typ, val, date: Sql(
        shape.format(val=val) + f" AND {_text_guard(typ, val)}", (text,)
    )


# -- lookups -----------------------------------------------------------------------------------


def _lookup(leaf: Lookup, flat: frozenset[str]) -> _Bounds:
    name, value = leaf.lookup, leaf.value
    if name == "ne":
        return _compile(Not(Lookup(leaf.field, "equals", value)), flat)
    if name == "nin":
        return _compile(Not(Lookup(leaf.field, "in", value)), flat)
    if name == "between":
        low, high = value
        parts = (Lookup(leaf.field, "gte", low), Lookup(leaf.field, "lte", high))
        return _compile(And(parts), flat)
    if name in ("in", "contains_any"):
        return _one_of(leaf.field, value, flat)
    if name == "contains_all":
        if not value:
            return _Bounds(_FALSE, _FALSE)  # MongoDB: $all with no values matches nothing
        if len(value) > _MANY:
            # a match holds one of the values: SQL narrows, the client checks all of them
            return _Bounds(_FALSE, _one_of(leaf.field, value, flat).possible)
        return _compile(And(tuple(Lookup(leaf.field, "equals", v) for v in value)), flat)
    if name == "exists":
        return _at(leaf.field, flat, exists=bool(value))
    test: _Test | None = None
    if name == "equals":
        test = _compare("=", value)
    elif name in _OPERATORS:
        test = _compare(_OPERATORS[name], value)
    elif name in ("startswith", "endswith", "contains"):
        test = _text(name, value)
    if test is None:
        return _UNKNOWN  # regexes, date parts, container values: the client decides
    return _at(leaf.field, flat, test=test)


def _one_of(field: str, values: Sequence[Any], flat: frozenset[str]) -> _Bounds:
    """Bounds for "equals one of ``values``": the numbers, strings and dates of a long list
    each go as one JSON array parameter, so the SQL stays small for any count of values."""
    groups: dict[str, list[Any]] = {"number": [], "text": [], "date": []}
    rest: list[Any] = []
    for value in values:
        kind = _scalar_kind(value)
        if kind == "number" and (math.isinf(value) or not -(2**63) <= value < 2**63):
            kind = None  # JSON holds neither infinities nor wider ints as SQLite reads them
        elif kind == "text" and "\x00" in value:
            kind = None
        groups.get(kind or "", rest).append(value)
    parts = []
    for kind, members in groups.items():
        if len(members) < _MANY:
            rest.extend(members)
        elif members:
            parts.append(_at(field, flat, test=_member_of(kind, members)))
    parts += [_compile(Lookup(field, "equals", value), flat) for value in rest]
    return _Bounds(_or(p.sure for p in parts), _or(p.possible for p in parts))


def _member_of(kind: str, members: list[Any]) -> _Test:
    """A test for "the element is one of ``members``", all of bracket ``kind``."""
    array = "(SELECT value FROM json_each(?))"
    if kind == "date":
        dates = json.dumps([iso(value) for value in members])
        return lambda typ, val, date: Sql(f"{date} IN {array}", (dates,))
    text = json.dumps(members, ensure_ascii=False)
    if kind == "text":
        return lambda typ, val, date: Sql(f"{val} IN {array} AND {_text_guard(typ, val)}", (text,))
    guard = functools.partial(
        _number_guard, sign="=", bool_like=any(value in (0, 1) for value in members)
    )
    return lambda typ, val, date: Sql(f"{val} IN {array} AND {guard(typ, val)}", (text,))


def _at(
    field: str, flat: frozenset[str], *, test: _Test | None = None, exists: bool = True
) -> _Bounds:
    """Bounds for ``test`` (or existence) on the elements ``field`` reaches."""
    path = json_path(field)
    if path is None:
        return _UNKNOWN
    typ, val = f"json_type(doc, {path})", f"json_extract(doc, {path})"
    if test is None:
        exact = Sql(f"{typ} IS NOT NULL") if exists else Sql(f"{typ} IS NULL")
    else:
        date = f'json_extract(doc, {path[:-1]}."{DATE_TAG}"\')'
        exact = test(typ, val, date)
        if field not in flat:
            element_date = (
                f"CASE e.type WHEN 'object' THEN json_extract(e.value, '$.\"{DATE_TAG}\"') END"
            )
            element = test(_ELEMENT_TYPE, "e.value", element_date)
            exact = _or(
                [
                    exact,
                    Sql(
                        f"{typ} = 'array' AND EXISTS (SELECT 1 FROM json_each(doc, {path}) AS e "
                        f"WHERE {element.text})",
                        element.params,
                    ),
                ]
            )
    prefixes = _prefixes(field)
    if field in flat or not prefixes:
        return _Bounds(exact, exact)
    guard = _and(Sql(f"json_type(doc, {prefix}) IS NOT 'array'") for prefix in prefixes)
    sure = _and([guard, exact])
    return _Bounds(sure, _or([sure, _not(guard)]))


def _prefixes(field: str) -> Sequence[str]:
    """The JSON path literals of the proper prefixes of a dotted field."""
    parts = field.split(".")
    found = [json_path(".".join(parts[:end])) for end in range(1, len(parts))]
    return [path for path in found if path is not None]


def compile_order(order: Sequence[tuple[str, bool]]) -> tuple[str, str] | None:
    """``ORDER BY`` terms for ``order``, and a predicate true for the records they would not
    order as doqu does; ``None`` if a field has no JSON path.

    SQLite orders NULL < numbers < text < blobs, as doqu orders missing/None < numbers <
    str < ... < datetimes, and compares numbers and text as doqu does; a datetime's ``$date``
    text, cast to a blob, sorts after every string and by time. Bools (0 and 1 to
    ``json_extract``), dicts, lists and the other tags are not ordered so: then the client
    orders. Ties fall to the key, ascending. Over 64 fields the client orders too: SQLite
    limits the terms of an ORDER BY.
    """
    if len(order) > _CHAIN:
        return None
    terms, codes = [], []
    for field, descending in order:
        path = json_path(field)
        if path is None:
            return None
        date = f'json_extract(doc, {path[:-1]}."{DATE_TAG}"\')'
        value = f"coalesce(CAST({date} AS BLOB), json_extract(doc, {path}))"
        terms.append(value + (" DESC" if descending else ""))
        # one json_type per record: SQL orders its value unless this is 1
        codes.append(
            f"CASE json_type(doc, {path}) WHEN 'true' THEN 1 WHEN 'false' THEN 1 "
            f"WHEN 'array' THEN 1 WHEN 'object' THEN {date} IS NULL ELSE 0 END"
        )
        codes += [f"(json_type(doc, {prefix}) = 'array')" for prefix in _prefixes(field)]
    return ", ".join([*terms, "id"]), " OR ".join(codes)
