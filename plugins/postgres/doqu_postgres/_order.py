"""``order_by`` compiled to SQL, for the values SQL orders exactly as doqu does.

doqu orders across types (``missing = None < numbers < str < ... < bool < datetime``), ties by
key (ints before strings). For a path that reaches one value through objects only, and a value
that is missing, null, a number, a string, a bool or a datetime tag, the ``ORDER BY`` terms
below reproduce that order: the type bracket first, then the value of its type (JSONB numerics
exactly, strings by code point, datetimes by their fixed-width text). Anything else (a list,
whose order is its smallest or largest element; a dict; bytes, UUIDs and the codec's inexact
values) is not *orderable*: a query whose selected rows are not all orderable and decided in SQL
is ordered on the client instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ._compile import path_sql, walks_a_list

__all__ = ["Ordering", "compile_order"]

#: ``order_by`` over more fields than this orders on the client (a statement stays short)
_MOST_FIELDS = 16


@dataclass(frozen=True, slots=True)
class Ordering:
    """SQL for an order: ``ORDER BY`` terms, and the test of a row they order exactly."""

    terms: str
    orderable: str


def _terms(value: str, descending: bool) -> list[str]:
    kind = f"jsonb_typeof({value})"
    way = " DESC" if descending else ""
    return [
        # the type bracket (doqu._values): null or missing 1, numbers 3, strings 4, bools 9,
        # datetimes 10 (the only objects orderable)
        f"CASE {kind} WHEN 'number' THEN 3 WHEN 'string' THEN 4 WHEN 'boolean' THEN 9 "
        f"WHEN 'object' THEN 10 ELSE 1 END{way}",
        f"CASE WHEN {kind} = 'number' THEN ({value})::numeric END{way}",
        f"(CASE WHEN {kind} = 'string' THEN {value} #>> '{{}}' END) COLLATE \"C\"{way}",
        f"CASE WHEN {kind} = 'boolean' THEN ({value})::boolean END{way}",
        f"({value} ->> '$dt') COLLATE \"C\"{way}",
    ]


#: ties in doqu's order of keys (ints before strings), as every order ends
KEY_ORDER = ", ".join(_terms("key", False)[:3])


def compile_order(order: Sequence[tuple[str, bool]]) -> Ordering | None:
    """SQL for ``order`` (``(field, descending)`` pairs), or None to order on the client."""
    if len(order) > _MOST_FIELDS:
        return None
    terms: list[str] = []
    tests: list[str] = []
    for field, descending in order:
        parts = field.split(".")
        value = path_sql(parts)
        kind = f"jsonb_typeof({value})"
        terms += _terms(value, descending)
        tests.append(
            f"NOT {walks_a_list(parts)} AND "
            f"COALESCE({kind} <> 'array' AND ({kind} <> 'object' OR {value} ? '$dt'), TRUE)"
        )
    return Ordering(", ".join([*terms, KEY_ORDER]), " AND ".join(tests))
