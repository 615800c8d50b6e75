"""Records as JSON text: what SQLite's JSON functions can read, with tags for what JSON lacks.

JSON holds ``None``, ``bool``, 64-bit ``int``, finite ``float``, ``str``, lists and dicts as
they are. The other values are one-member objects whose name starts with ``$``, which no user
field name may (core refuses it), so a tag never collides with a record's own dict::

    datetime  {"$date": "2024-01-31T12:00:00.000000"}   fixed width: compares as text in SQL
    date      {"$date": "2024-01-31T00:00:00.000000", "$day": 1}  equals midnight, as in doqu
    bytes     {"$bytes": "<base64>"}       UUID  {"$uuid": "<32 hex digits>"}
    NaN       {"$nan": 1}

Infinities are written as ``9e999`` / ``-9e999``, which SQLite reads as real infinities, so
they compare as numbers in SQL; Python reads them back as ``inf``.
"""

from __future__ import annotations

import base64
import datetime
import json
import math
import uuid
from typing import Any

__all__ = ["DATE_TAG", "decode", "encode", "iso"]

Record = dict[str, Any]

DATE_TAG = "$date"
_DAY_TAG = "$day"
_BYTES_TAG = "$bytes"
_UUID_TAG = "$uuid"
_NAN_TAG = "$nan"
_INF = "9e999"


def iso(value: datetime.date) -> str:
    """The fixed-width text of a datetime (a date is its midnight): sorts as it compares."""
    if not isinstance(value, datetime.datetime):
        value = datetime.datetime(value.year, value.month, value.day)
    return (
        f"{value.year:04d}-{value.month:02d}-{value.day:02d}T{value.hour:02d}:"
        f"{value.minute:02d}:{value.second:02d}.{value.microsecond:06d}"
    )


def _tag(value: Any) -> Any:
    """The JSON form of a value ``json`` cannot write (its ``default`` hook)."""
    if isinstance(value, datetime.date):
        if isinstance(value, datetime.datetime):
            return {DATE_TAG: iso(value)}
        return {DATE_TAG: iso(value), _DAY_TAG: 1}
    if isinstance(value, bytes):
        return {_BYTES_TAG: base64.b64encode(value).decode("ascii")}
    if isinstance(value, uuid.UUID):
        return {_UUID_TAG: value.hex}
    raise TypeError(f"doqu-sqlite cannot store {type(value).__name__} {value!r}")


_dumps = json.JSONEncoder(
    ensure_ascii=False, allow_nan=False, separators=(",", ":"), default=_tag
).encode


def _non_finite(value: Any, marker: str) -> Any:
    """``value`` with NaN tagged and infinities replaced by ``marker`` strings (the rare, slow
    path of :func:`encode`)."""
    if isinstance(value, float) and not math.isfinite(value):
        if math.isnan(value):
            return {_NAN_TAG: 1}
        return marker if value > 0 else "-" + marker
    if isinstance(value, dict):
        return {name: _non_finite(item, marker) for name, item in value.items()}
    if isinstance(value, list | tuple):
        return [_non_finite(item, marker) for item in value]
    return value


def encode(record: Record) -> str:
    """The JSON text stored for ``record``."""
    try:
        return _dumps(record)
    except ValueError:  # a NaN or an infinity somewhere: JSON has neither
        # a random marker no stored string holds stands in for each infinity, then becomes
        # the number literal SQLite reads as one
        marker = uuid.uuid4().hex
        text = _dumps(_non_finite(record, marker))
        return text.replace(f'"-{marker}"', "-" + _INF).replace(f'"{marker}"', _INF)


def _untag(value: dict[str, Any]) -> Any:
    """A tagged object's value (``json``'s ``object_hook``); other dicts stay as they are."""
    if len(value) > 2 or not value:
        return value
    name = next(iter(value))
    if name == DATE_TAG:
        moment = datetime.datetime.fromisoformat(value[DATE_TAG])
        return moment.date() if _DAY_TAG in value else moment
    if name == _BYTES_TAG:
        return base64.b64decode(value[_BYTES_TAG])
    if name == _UUID_TAG:
        return uuid.UUID(hex=value[_UUID_TAG])
    if name == _NAN_TAG:
        return math.nan
    return value


_plain_loads = json.JSONDecoder().decode
_tagged_loads = json.JSONDecoder(object_hook=_untag).decode


def decode(text: str) -> Any:
    """The record (or value) stored as ``text``."""
    # a tag is a '"$' in the text; plain records skip the per-dict hook
    return _tagged_loads(text) if '"$' in text else _plain_loads(text)
