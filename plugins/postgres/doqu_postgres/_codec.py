"""Records to JSONB text and back, losslessly, in a form SQL can still compare.

JSONB holds JSON's shapes only, so values beyond them are stored as *tags*: one-key objects
whose key starts with ``$``, which no record's field name can (core refuses such names), so a
user dict never looks like a tag::

    datetime        {"$dt": "2024-01-02T03:04:05.000006"}   fixed width: sorts as text
    date            {"$d": "2024-01-02"}                     equals its midnight datetime
    bytes           {"$b": "<base64>"}                       UUID   {"$u": "<32 hex digits>"}
    str with NUL    {"$s": ["a", "b"]}                       JSONB refuses \\u0000
    -0.0, NaN       {"$f": "-0.0"}, {"$f": "nan"}            JSONB numerics have neither

Numbers stay JSON numbers (JSONB numerics compare exactly): a float is written as its shortest
repr, which round-trips and orders exactly against every int and float below 2**53; an integral
float above that is written as its exact integer with ``.0``, so JSONB keeps it a float of the
exact value. Infinity is the number 10**400 (beyond every float: JSON has no infinity, and it
reads back as ``float('inf')``), so it compares as a number in SQL too. JSONB sorts an object's
keys (by length, then bytes); a dict whose order differs keeps it in a ``"$k"`` list of its
names, so equality stays order-sensitive, as doqu's is. A bytes or UUID tag equals exactly the
tags of equal values, so SQL's equality and type tests stay exact for them. A record holding
``-0.0``, NaN, a date or a str with NUL is marked *inexact*: SQL cannot compare it the way doqu
does (JSONB has no negative zero; NaN is a number below every other; a date equals its midnight
datetime; tagged strings are not strings to SQL), so queries re-check it on the client."""

from __future__ import annotations

import base64
import datetime
import json
import math
import re
import uuid
from typing import Any

from doqu.backend import Record

__all__ = ["INFINITY", "Encoded", "decode", "encode", "encode_value", "order_key"]

_DATETIME = "$dt"
_DATE = "$d"
_BYTES = "$b"
_UUID = "$u"
_FLOAT = "$f"
_NUL_STR = "$s"
_ORDER = "$k"
_RAW = "\x00n"  # marks a raw number in the JSON text; NUL never reaches the text otherwise
_RAW_PATTERN = re.compile(r'"\\u0000n([-0-9.]+)"')
_EXACT_LIMIT = 2.0**53
#: the number that stands for infinity: 10**400 with a fraction digit (so it reads as a float)
INFINITY = "1" + "0" * 400 + ".0"


class Encoded:
    """A value's JSONB text, and whether SQL compares it exactly."""

    __slots__ = ("exact", "text")

    def __init__(self, text: str, exact: bool) -> None:
        self.text = text
        self.exact = exact


def order_key(name: str) -> tuple[int, bytes]:
    """Where JSONB puts an object key: shorter keys first, then by bytes."""
    raw = name.encode()
    return len(raw), raw


class _Encoder:
    __slots__ = ("exact", "literal", "raw")

    def __init__(self, literal: bool = False) -> None:
        self.exact = True
        self.raw = False
        # a query's value may hold a dict with a '$' name (core refuses them in records
        # only): its text could equal a tag, so SQL must not compare it
        self.literal = literal

    def value(self, value: Any) -> Any:
        kind = type(value)
        if kind is str:
            if "\x00" in value:
                self.exact = False
                return {_NUL_STR: value.split("\x00")}
            return value
        if kind is int or kind is bool or value is None:
            return value
        if kind is float:
            return self.number(value)
        if kind is datetime.datetime:
            return {_DATETIME: value.isoformat(timespec="microseconds")}
        if kind is datetime.date:
            self.exact = False
            return {_DATE: value.isoformat()}
        if kind is bytes:
            return {_BYTES: base64.b64encode(value).decode("ascii")}
        if kind is uuid.UUID:
            return {_UUID: value.hex}
        if kind is dict:
            return self.record(value)
        if kind is list or kind is tuple:
            return [item if _plain(item) else self.value(item) for item in value]
        raise TypeError(f"doqu-postgres cannot store {kind.__name__} {value!r}")

    def number(self, value: float) -> Any:
        if math.isnan(value):
            self.exact = False
            return {_FLOAT: "nan"}
        if math.isinf(value):
            self.raw = True
            return _RAW + (INFINITY if value > 0 else "-" + INFINITY)
        if value == 0.0 and math.copysign(1.0, value) < 0:
            self.exact = False
            return {_FLOAT: "-0.0"}
        if abs(value) >= _EXACT_LIMIT:
            self.raw = True
            return f"{_RAW}{int(value)}.0"
        return value

    def record(self, record: Record) -> dict[str, Any]:
        if self.literal and any(name.startswith("$") for name in record):
            self.exact = False
        out = {}
        for name, item in record.items():
            out[name] = item if _plain(item) else self.value(item)
        if len(out) > 1 and not _in_jsonb_order(tuple(record)):
            out[_ORDER] = list(record)
        return out


def _plain(value: Any) -> bool:
    """Whether JSON holds ``value`` as it is: the common scalars, tested first."""
    kind = type(value)
    if kind is str:
        return "\x00" not in value
    if kind is float:  # false for NaN and infinity too
        return bool(-_EXACT_LIMIT < value < _EXACT_LIMIT and value != 0.0)
    return kind is int or kind is bool or value is None


def _in_jsonb_order(names: tuple[str, ...]) -> bool:
    """Whether JSONB keeps ``names`` in this order (remembered: records share their names)."""
    known = _ORDERED.get(names)
    if known is None:
        known = list(names) == sorted(names, key=order_key)
        if len(_ORDERED) >= _ORDERED_SIZE:
            _ORDERED.clear()
        _ORDERED[names] = known
    return known


_ORDERED: dict[tuple[str, ...], bool] = {}
_ORDERED_SIZE = 4096


def encode(record: Record) -> Encoded:
    """The JSONB text of ``record`` and whether SQL compares it exactly."""
    encoder = _Encoder()
    tree = encoder.record(record)
    return Encoded(_dumps(tree, encoder.raw), encoder.exact)


def encode_value(value: Any) -> Encoded:
    """The JSONB text of one value (a query's literal), as :func:`encode` would store it."""
    encoder = _Encoder(literal=True)
    tree = encoder.value(value)
    return Encoded(_dumps(tree, encoder.raw), encoder.exact)


_to_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode


def _dumps(tree: Any, raw: bool) -> str:
    text = _to_json(tree)
    return _RAW_PATTERN.sub(r"\1", text) if raw else text


def _nul_str(parts: list[str]) -> str:
    return "\x00".join(parts)


_TAGS: dict[str, Any] = {
    _DATETIME: datetime.datetime.fromisoformat,
    _FLOAT: float,
    _DATE: datetime.date.fromisoformat,
    _BYTES: base64.b64decode,
    _UUID: lambda text: uuid.UUID(hex=text),
    _NUL_STR: _nul_str,
}


def _object(record: dict[str, Any]) -> Any:
    if len(record) == 1:
        for name, value in record.items():
            tag = _TAGS.get(name)
            if tag is not None:
                return tag(value)
    order = record.pop(_ORDER, None)
    if order is not None:
        return {name: record[name] for name in order}
    return record


# object_hook, not object_pairs_hook: the C scanner builds each dict, which is cheaper
_decoder = json.JSONDecoder(object_hook=_object)


def decode(text: str | bytes) -> Any:
    """The value stored as JSONB ``text`` (tags turned back into their values)."""
    return _decoder.decode(text.decode() if isinstance(text, bytes) else text)
