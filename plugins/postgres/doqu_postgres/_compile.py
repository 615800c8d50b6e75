"""Conditions compiled to SQL over the JSONB document column, exact where SQL can be.

A condition compiles to two SQL booleans over a row: ``match`` (NULL counts as false: negations
coalesce) and ``recheck``. Where ``recheck`` is false, ``match`` is exactly doqu's answer for
that row; where it is true the row is selected anyway and the reference evaluator decides on
the client. So the selection ``recheck OR match`` is a superset of the answer, and ``NOT
recheck AND match`` counts, deletes and updates in SQL alone. ``recheck`` is true for rows the
codec marked inexact (``-0.0``, strings with NUL), for paths that step through a list before
their last part (MongoDB's walk into list elements), and always for regular expressions
(PostgreSQL's dialect differs from Python's).

Leaf tests follow doqu's rules (``doqu._evaluate``): a path reaches its value and, when that is
a list, each element; ``MISSING`` (SQL NULL) equals ``None``; comparisons stay inside a type
bracket by ``jsonb_typeof`` (bools are not numbers, ``1`` equals ``1.0`` as JSONB numerics);
strings compare by code point (``COLLATE "C"``); datetimes by their fixed-width ISO text. Field
names are SQL literals (so expression indexes match); values are parameters."""

from __future__ import annotations

import datetime
import decimal
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from doqu.backend import And, Condition, Lookup, Not, Or

from ._codec import INFINITY, encode_value

__all__ = [
    "FALSE",
    "KEYS",
    "TRUE",
    "Compiled",
    "compile_condition",
    "identifier",
    "json_list",
    "path_sql",
    "quote",
    "walks_a_list",
]

TRUE, FALSE = "TRUE", "FALSE"
_DOC = "doc"
_INEXACT_ROW = "NOT exact"
_OPS = {"gt": ">", "gte": ">=", "lt": "<", "lte": "<="}


@dataclass(frozen=True, slots=True)
class Compiled:
    """SQL for a condition: rows where ``recheck`` holds are decided on the client."""

    match: str
    recheck: str
    params: dict[str, Any]

    @property
    def exact(self) -> bool:
        """Whether SQL decides every row exactly but the codec's inexact ones."""
        return self.recheck == _INEXACT_ROW

    def selection(self) -> str:
        """The rows to read: every match, and every row to re-check."""
        return f"({self.recheck}) OR ({self.match})"

    def decided(self) -> str:
        """The rows SQL alone finds matching."""
        return f"NOT ({self.recheck}) AND ({self.match})"


def quote(text: str) -> str:
    """``text`` as a SQL string literal (standard_conforming_strings, on by default), with
    ``%`` doubled: every statement is run with (named) parameters."""
    return "'" + text.replace("'", "''").replace("%", "%%") + "'"


#: the keys of parameter ``k`` (a :func:`json_list` of keys), as ``key = {KEYS}`` tests them
#: (one index probe each)
KEYS = "ANY(ARRAY(SELECT jsonb_array_elements(%(k)s::jsonb)))"


def json_list(texts: list[str]) -> str:
    """The JSON array of the JSON ``texts``: one parameter, which costs the client little."""
    return "[" + ",".join(texts) + "]"


def identifier(name: str) -> str:
    """``name`` as a quoted SQL identifier, with ``%`` doubled (statements take parameters)."""
    return '"' + name.replace('"', '""').replace("%", "%%") + '"'


def _param(params: Params, value: Any) -> str:
    name = f"p{len(params)}"
    params[name] = value
    return f"%({name})s"


def path_sql(parts: list[str]) -> str:
    """The JSONB value at ``parts`` through objects only (SQL NULL when missing)."""
    return _DOC + "".join(f"->{quote(part)}" for part in parts)


def walks_a_list(parts: list[str]) -> str:
    """Whether the path steps through a list before its last part (never NULL)."""
    steps = [f"jsonb_typeof({path_sql(parts[:n])}) = 'array'" for n in range(1, len(parts))]
    return f"COALESCE({' OR '.join(steps)}, FALSE)" if steps else FALSE


def compile_condition(condition: Condition) -> Compiled:
    """Compile ``condition`` (already checked by core)."""
    params: Params = {}
    match, recheck = _compile(condition, params)
    if recheck == FALSE:
        recheck = _INEXACT_ROW
    elif recheck != TRUE:
        recheck = f"{_INEXACT_ROW} OR {recheck}"
    return Compiled(match, recheck, params)


def _compile(condition: Condition, params: Params) -> tuple[str, str]:
    if isinstance(condition, Lookup):
        return _lookup(condition, params)
    if isinstance(condition, Not):
        match, recheck = _compile(condition.item, params)
        return f"NOT COALESCE({match}, FALSE)", recheck
    if isinstance(condition, And | Or):
        if not condition.items:
            return (TRUE if isinstance(condition, And) else FALSE), FALSE
        parts = [_compile(item, params) for item in condition.items]
        joiner = " AND " if isinstance(condition, And) else " OR "
        match = joiner.join(f"({m})" for m, _ in parts)
        rechecks = [r for _, r in parts if r != FALSE]
        if TRUE in rechecks:
            return match, TRUE
        return match, " OR ".join(dict.fromkeys(rechecks)) or FALSE
    raise TypeError(f"cannot compile {type(condition).__name__} {condition!r}")


# -- leaves -----------------------------------------------------------------------------------

_ElementTest = Callable[[str], str]
Params = dict[str, Any]


def _lookup(leaf: Lookup, params: Params) -> tuple[str, str]:
    parts = leaf.field.split(".")
    value = path_sql(parts)
    # an intermediate list makes the path walk into its elements: decided on the client
    recheck = walks_a_list(parts)
    lookup = leaf.lookup
    if lookup in ("matches", "matches_caseless"):
        return FALSE, TRUE
    if lookup in ("month", "day"):
        # on the plain value only (a list is never a date), as MongoDB's $month does
        start = 6 if lookup == "month" else 9
        return (
            f"COALESCE(substr({value}->>'$dt', {start}, 2)::int = {int(leaf.value)}, FALSE)",
            recheck,
        )
    if lookup == "exists":
        found = f"({value}) IS NOT NULL"
        return (found if leaf.value else f"NOT ({found})"), recheck
    built = _LEAVES[lookup](leaf.value, params)
    if built is None:
        return FALSE, TRUE
    if isinstance(built, str):  # a whole-value test (e.g. equals None)
        return built.replace("{v}", value), recheck
    return _some(value, built), recheck


def _some(value: str, test: _ElementTest) -> str:
    """Some element the path reaches passes ``test``: the value itself, or a list's element."""
    return (
        f"(COALESCE({test(value)}, FALSE) OR CASE WHEN jsonb_typeof({value}) = 'array' THEN "
        f"EXISTS (SELECT 1 FROM jsonb_array_elements({value}) AS e WHERE {test('e')}) "
        "ELSE FALSE END)"
    )


def _equals(value: Any, params: Params) -> str | _ElementTest | None:
    if value is None:
        return "({v} IS NULL OR " + _some("{v}", lambda e: f"{e} = 'null'::jsonb") + ")"
    encoded = encode_value(value)
    if not encoded.exact:
        return None
    literal = _param(params, encoded.text) + "::jsonb"
    if isinstance(value, dict | list):
        return lambda e: f"{e} = {literal}"
    # a scalar (or a one-key tag): equal, or an element of the list; both sides can use an
    # index (btree on the value, GIN for containment)
    as_list = _param(params, f"[{encoded.text}]")
    return f"({{v}} = {literal} OR {{v}} @> {as_list}::jsonb)"


def _one_of(values: list[Any], params: Params) -> str | _ElementTest | None:
    if not values:
        return FALSE
    literals = []
    for value in values:
        if value is None:
            continue
        encoded = encode_value(value)
        if not encoded.exact:
            return None
        literals.append(encoded.text)
    tests: list[str] = []
    if any(value is None for value in values):
        tests.append("{v} IS NULL OR " + _some("{v}", lambda e: f"{e} = 'null'::jsonb"))
    if literals:
        array = _param(params, literals)
        tests.append(_some("{v}", lambda e: f"{e} = ANY({array}::jsonb[])"))
    return "(" + " OR ".join(tests) + ")"


def _negated(build: Callable[[Any, Params], Any]) -> Callable[[Any, Params], Any]:
    def negate(value: Any, params: Params) -> str | None:
        built = build(value, params)
        if built is None:
            return None
        inner = built if isinstance(built, str) else _some("{v}", built)
        return f"NOT COALESCE({inner}, FALSE)"

    return negate


def _compare(op: str) -> Callable[[Any, Params], _ElementTest | None]:
    def build(bound: Any, params: Params) -> _ElementTest | None:
        return _comparison(op, bound, params)

    return build


def _comparison(op: str, bound: Any, params: Params) -> _ElementTest | None:
    sql = _OPS[op]
    if isinstance(bound, int | float | decimal.Decimal) and not isinstance(bound, bool):
        if isinstance(bound, float) and math.isnan(bound):
            return None
        number = _param(params, _numeric(bound))
        # CASE: SQL does not promise to test the type before it casts
        return lambda e: (
            f"CASE WHEN jsonb_typeof({e}) = 'number' THEN ({e})::numeric {sql} {number}::numeric "
            "END"
        )
    if isinstance(bound, str):
        if "\x00" in bound:
            return None
        text = _param(params, bound)
        return lambda e: (
            f"(jsonb_typeof({e}) = 'string' AND ({e} #>> '{{}}') COLLATE \"C\" {sql} {text})"
        )
    if isinstance(bound, datetime.datetime):
        moment = _param(params, bound.isoformat(timespec="microseconds"))
        return lambda e: f"(({e}->>'$dt') COLLATE \"C\" {sql} {moment})"
    return None  # a date: compared on the client


def _numeric(bound: int | float | decimal.Decimal) -> str:
    if isinstance(bound, float):
        if math.isinf(bound):
            return INFINITY if bound > 0 else "-" + INFINITY
        return str(decimal.Decimal(bound))  # the float's exact value
    return str(bound)


def _text(kind: str) -> Callable[[Any, Params], _ElementTest | None]:
    def build(text: str, params: Params) -> _ElementTest | None:
        if "\x00" in text:
            return None
        p = _param(params, text)

        def test(e: str) -> str:
            s = f"({e} #>> '{{}}')"
            body = {
                "startswith": f"starts_with({s}, {p})",
                "endswith": f"right({s}, char_length({p}::text)) = {p}",
                "contains": f"strpos({s}, {p}) > 0",
            }[kind]
            return f"(jsonb_typeof({e}) = 'string' AND {body})"

        return test

    return build


def _between(bounds: tuple[Any, Any], params: Params) -> str | None:
    low = _comparison("gte", bounds[0], params)
    high = _comparison("lte", bounds[1], params)
    if low is None or high is None:
        return None
    return f"({_some('{v}', low)} AND {_some('{v}', high)})"


def _contains_all(values: list[Any], params: Params) -> str | None:
    if not values:
        return FALSE
    tests = []
    for value in values:
        built = _equals(value, params)
        if built is None:
            return None
        tests.append(built if isinstance(built, str) else _some("{v}", built))
    return "(" + " AND ".join(tests) + ")"


def _year(year: int, params: Params) -> str | None:
    high = datetime.datetime(year + 1, 1, 1) if year < datetime.MAXYEAR else None
    low = _comparison("gte", datetime.datetime(year, 1, 1), params)
    assert low is not None
    tests = [_some("{v}", low)]
    if high is not None:
        upper = _comparison("lt", high, params)
        assert upper is not None
        tests.append(_some("{v}", upper))
    return "(" + " AND ".join(tests) + ")"


_LEAVES: dict[str, Callable[[Any, Params], Any]] = {
    "equals": _equals,
    "ne": _negated(_equals),
    "in": _one_of,
    "nin": _negated(_one_of),
    "contains_any": _one_of,
    "contains_all": _contains_all,
    "gt": _compare("gt"),
    "gte": _compare("gte"),
    "lt": _compare("lt"),
    "lte": _compare("lte"),
    "between": _between,
    "startswith": _text("startswith"),
    "endswith": _text("endswith"),
    "contains": _text("contains"),
    "year": _year,
}
