"""The total order and the equality of stored values, shared by every client-side evaluator.

doqu orders values of different types the way MongoDB orders BSON types, so results sort the
same on every backend::

    missing = None < numbers < str < dict < list < bytes/UUID < bool < date/datetime

Numbers (``int``, ``float``, ``Decimal``) compare by value across types, NaN below every other
number; ``bool`` is its own type and never equals ``0``/``1``; ``date`` compares as midnight
``datetime``; ``str`` by code point; dicts pair by pair (type bracket, name, value), lists
element by element.
"""

from __future__ import annotations

import datetime
import decimal
import math
import uuid
from typing import Any

__all__ = ["MISSING", "rank", "sort_key"]


class _Missing:
    """Marker for a field a record does not have (sorts with ``None``)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()

_NULL, _NUMBER, _STRING, _OBJECT, _ARRAY, _BINARY, _BOOL, _DATE = 1, 3, 4, 5, 6, 7, 9, 10


def rank(value: Any) -> int:
    """The type bracket of ``value``; only values of one bracket compare with each other."""
    if value is None or value is MISSING:
        return _NULL
    if isinstance(value, bool):
        return _BOOL
    if isinstance(value, int | float | decimal.Decimal):
        return _NUMBER
    if isinstance(value, str):
        return _STRING
    if isinstance(value, dict):
        return _OBJECT
    if isinstance(value, list | tuple):
        return _ARRAY
    if isinstance(value, bytes | uuid.UUID):
        return _BINARY
    if isinstance(value, datetime.date):
        return _DATE
    raise TypeError(f"cannot order a {type(value).__name__}: {value!r}")


def sort_key(value: Any) -> tuple[Any, ...]:
    """A key that orders any two stored values as described in the module docstring."""
    kind = rank(value)
    if kind == _NUMBER:
        if isinstance(value, float) and math.isnan(value):
            return (kind, 0, 0)
        if isinstance(value, decimal.Decimal) and value.is_nan():
            return (kind, 0, 0)
        return (kind, 1, value)
    if kind == _DATE:
        if not isinstance(value, datetime.datetime):
            value = datetime.datetime(value.year, value.month, value.day)
        return (kind, value.replace(tzinfo=None) - (value.utcoffset() or datetime.timedelta()))
    if kind == _BINARY:
        # MongoDB orders binary data by length, then subtype (UUID is subtype 4), then bytes
        raw, subtype = (value.bytes, 4) if isinstance(value, uuid.UUID) else (value, 0)
        return (kind, len(raw), subtype, raw)
    if kind == _OBJECT:
        # MongoDB compares objects pair by pair: the value's type bracket, then the name,
        # then the value
        return (kind, tuple((rank(item), name, sort_key(item)) for name, item in value.items()))
    if kind == _ARRAY:
        return (kind, tuple(sort_key(item) for item in value))
    if kind == _NULL:
        return (kind,)
    return (kind, value)
