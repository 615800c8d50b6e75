"""The one walk that accepts a plain record: every save's check in the common case.

A record whose names are valid, whose values are the scalars every backend (or this one, by its
capabilities) stores, in dicts and lists, and that is within the limits (depth, size, UTF-8) is
accepted in a single pass over it that also adds up its size. Anything else (an invalid name, a
value to convert or refuse, a cycle, a record over a limit) makes the walk give up, and the
full checks in ``_records`` and ``_limits`` run: they name what is wrong, and convert what they
accept. The walk never raises a user's error itself, so there is one source for every message.
Sizes are counted exactly as :func:`doqu._limits.check_limits` counts them.
"""

from __future__ import annotations

import datetime
import decimal
import uuid
from collections.abc import Mapping
from typing import Any

from ._capabilities import Capabilities
from ._limits import MAX_DEPTH

__all__ = ["NotPlain", "plain_size", "remember_name"]

_INT64_MIN = -(2**63)
_INT64_MAX = 2**63 - 1
_OTHER_SIZE = 16  # as _limits counts dates, decimals and UUIDs
_KEY_FIELD = "_id"

#: valid field names (never ``_id``) and their UTF-8 lengths; bounded, so odd data cannot grow it
_NAMES: dict[str, int] = {}
_NAMES_MAX = 4096

# per capabilities object: the scalar types it declares beyond the common ones (by exact type),
# and its native types (by isinstance, as check_value accepts them)
_Declared = tuple[frozenset[type], tuple[type, ...]]
_DECLARED: dict[int, tuple[Capabilities, _Declared]] = {}
_DECLARED_MAX = 64
# what check_value converts or walks before it looks at native types
_NOT_NATIVE = (int, list, tuple, Mapping)
_OPTIONAL = {
    datetime.date: "date_values",
    decimal.Decimal: "decimal_values",
    bytes: "bytes_values",
    uuid.UUID: "uuid_values",
}


class NotPlain(Exception):  # noqa: N818 - a signal, not an error: never reaches a user
    """The record needs the full checks."""


def remember_name(name: str) -> None:
    """Record that ``name`` passed the full field-name check (and is not ``_id``)."""
    if len(_NAMES) < _NAMES_MAX:
        _NAMES[name] = len(name.encode("utf-8"))


def plain_size(record: dict[str, Any], capabilities: Capabilities) -> int:
    """The size of ``record`` as ``check_limits`` counts it; ``NotPlain`` unless it is plain.

    Its size may be over the limit: the caller compares (and the full check says so).
    """
    declared = _DECLARED.get(id(capabilities))
    if declared is None or declared[0] is not capabilities:
        types = frozenset(kind for kind, flag in _OPTIONAL.items() if getattr(capabilities, flag))
        entry = (types, tuple(capabilities.native_types))
        if len(_DECLARED) >= _DECLARED_MAX:  # capabilities built per call: keep it bounded
            _DECLARED.clear()
        declared = _DECLARED[id(capabilities)] = (capabilities, entry)
    return _record(record, declared[1], 0, True)


def _record(record: dict[str, Any], other: _Declared, depth: int, top: bool) -> int:
    if depth >= MAX_DEPTH:
        raise NotPlain  # too deep, or cyclic: the full check says which
    known = _NAMES.get
    size = 5
    for name, value in record.items():
        length = known(name)
        if length is None:
            if top or name != _KEY_FIELD or type(name) is not str:
                raise NotPlain  # a name not seen yet: the full check validates it
            length = 3  # "_id" inside a nested record is an ordinary field
        kind = type(value)
        if kind is str:
            size += 7 + length + (len(value) if value.isascii() else _text(value))
        elif kind is int:
            if not _INT64_MIN <= value <= _INT64_MAX:
                raise NotPlain
            size += 10 + length
        elif kind is float:
            if value - value != 0.0:  # NaN and infinities give NaN
                raise NotPlain
            size += 10 + length
        elif kind is bool:
            size += 3 + length
        elif value is None:
            size += 2 + length
        elif kind is dict:
            size += 2 + length + _record(value, other, depth + 1, False)
        elif kind is list:
            size += 2 + length + _list(value, other, depth + 1)
        elif kind is datetime.datetime:
            if value.tzinfo is not None:
                raise NotPlain
            size += 2 + length + _OTHER_SIZE
        else:
            size += 2 + length + _other(value, other)
    return size


def _list(items: list[Any], other: _Declared, depth: int) -> int:
    if depth >= MAX_DEPTH:
        raise NotPlain
    # every element is named by its index: a type byte, the digits and a NUL
    count = len(items)
    size = 5 + 3 * count if count <= 10 else 5 + 2 * count + _digits(count)
    for item in items:
        kind = type(item)
        if kind is str:
            size += 5 + (len(item) if item.isascii() else _text(item))
        elif kind is int:
            if not _INT64_MIN <= item <= _INT64_MAX:
                raise NotPlain
            size += 8
        elif kind is float:
            if item - item != 0.0:
                raise NotPlain
            size += 8
        elif kind is bool:
            size += 1
        elif item is None:
            pass
        elif kind is dict:
            size += _record(item, other, depth + 1, False)
        elif kind is datetime.datetime:
            if item.tzinfo is not None:
                raise NotPlain
            size += _OTHER_SIZE
        else:
            # a list in a list needs capability 'nested_lists': the full check decides
            size += _other(item, other)
    return size


def _other(value: Any, other: _Declared) -> int:
    """The size of a declared optional scalar or native value; ``NotPlain`` for anything else."""
    kind = type(value)
    if kind in other[0]:
        return 5 + len(value) if kind is bytes else _OTHER_SIZE
    if isinstance(value, other[1]) and not isinstance(value, _NOT_NATIVE):
        return 5 + len(value) if isinstance(value, bytes) else _OTHER_SIZE
    raise NotPlain


def _text(text: str) -> int:
    """The UTF-8 length of a non-ASCII ``text``; ``NotPlain`` for a lone surrogate."""
    try:
        return len(text.encode("utf-8"))
    except UnicodeEncodeError:
        raise NotPlain from None


def _digits(count: int) -> int:
    """How many digits the indices ``0`` to ``count - 1`` have in all."""
    total, width, start = 0, 1, 0
    while start < count:
        end = min(count, 10**width)
        total += (end - start) * width
        start, width = end, width + 1
    return total
