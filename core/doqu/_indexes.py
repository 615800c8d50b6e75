"""Index declarations a document class can carry and a backend can ensure, the entries a
unique index holds for a record (what two records must not share), and their canonical text
(what a SQL backend's side table of entries keeps unique)."""

from __future__ import annotations

import datetime
import decimal
import fractions
import itertools
import json.encoder
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ._paths import path_values
from ._records import Record, check_field_name
from ._values import sort_key

__all__ = ["Index", "entry_text", "unique_entries"]


@dataclass(frozen=True, slots=True, init=False)
class Index:
    """An index on one or more (dotted) fields: ``Index("email", unique=True)``.

    Declare indexes on a document class as ``__indexes__ = (Index(...), ...)`` and create them
    with ``storage.ensure_indexes(DocClass)``.
    """

    fields: tuple[str, ...]
    unique: bool
    name: str

    def __init__(self, *fields: str, unique: bool = False, name: str | None = None) -> None:
        if not fields:
            raise ValueError("Index() needs at least one field name, e.g. Index('email')")
        for field in fields:
            check_field_name(field, dotted=True, where="index field")
        object.__setattr__(self, "fields", tuple(fields))
        object.__setattr__(self, "unique", unique)
        object.__setattr__(self, "name", name or "_".join(fields).replace(".", "_"))


def unique_entries(record: Record, fields: Sequence[str]) -> dict[tuple[Any, ...], tuple[Any, ...]]:
    """The entries a unique index on ``fields`` holds for ``record``: sort keys -> values.

    Two records clash when they share an entry; a record's sort keys make equal values one
    entry (1 and 1.0), while ``True`` and ``1`` stay apart. As in MongoDB's multikey indexes, a
    list gives each of its elements (an empty list gives itself), a missing field of a compound
    index counts as ``None``, and a record with none of the fields holds no entry at all.
    """
    columns = []
    for field in fields:
        column: list[Any] = []
        for value in path_values(record, field):
            if isinstance(value, list) and value:
                column.extend(value)
            else:
                column.append(value)
        columns.append(column)
    if not any(columns):
        return {}
    combos = itertools.product(*(column or [None] for column in columns))
    return {tuple(sort_key(value) for value in combo): combo for combo in combos}


def entry_text(part: Any) -> str:
    """``part`` of a sort key as text, the same text exactly for equal parts.

    Numbers go by exact value (a fraction), so 1, 1.0 and ``Decimal("1.0")`` share a text
    while 2**53 + 1 and its nearest float do not; each kind of part starts with its own
    character, and strings are JSON-quoted, so no two different keys share a text.
    """
    text = _TEXTS.get(type(part))  # the exact types decoded records hold: one dict lookup
    return text(part) if text is not None else _other_text(part)


def _tuple_text(part: tuple[Any, ...]) -> str:
    return "(" + ",".join([entry_text(item) for item in part]) + ")"


def _float_text(part: float) -> str:
    if math.isinf(part):
        return "+inf" if part > 0 else "-inf"
    numerator, denominator = part.as_integer_ratio()
    return f"{numerator}/{denominator}"


def _other_text(part: Any) -> str:
    if isinstance(part, bool):
        return "T" if part else "F"
    if isinstance(part, int | float | decimal.Decimal):
        if math.isinf(part):
            return "+inf" if part > 0 else "-inf"
        value = fractions.Fraction(part)
        return f"{value.numerator}/{value.denominator}"
    if isinstance(part, str):
        return _quoted(part)
    if isinstance(part, tuple):
        return _tuple_text(part)
    if isinstance(part, bytes):
        return "b" + part.hex()
    if isinstance(part, datetime.datetime):
        return "t" + part.isoformat()
    raise TypeError(f"no unique-index text for {part!r}")  # sort_key gives no other part


_quoted: Callable[[str], str] = json.encoder.encode_basestring_ascii
_TEXTS: dict[type, Callable[[Any], str]] = {
    tuple: _tuple_text,
    str: _quoted,
    int: "{}/1".format,
    float: _float_text,
    bool: lambda part: "T" if part else "F",
}
