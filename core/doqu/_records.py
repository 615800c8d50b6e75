"""Records: the plain data every backend stores, and the checks that keep it storable.

A record is a ``dict`` with ``str`` keys whose values are ``None``, ``bool``, ``int``
(64-bit), ``float``, ``str``, ``datetime``, and — where the backend declares it — ``date``,
``Decimal``, ``bytes`` and ``UUID``; plus lists and nested records of those. Checks run in core
before a backend sees the data, so every backend refuses the same input with the same error
and nothing is half-written.
"""

from __future__ import annotations

import datetime
import decimal
import math
import uuid
from collections.abc import Callable, Mapping
from typing import Any

from ._capabilities import Capabilities
from ._limits import MAX_DOCUMENT_BYTES, check_limits, check_text
from ._plain import NotPlain, plain_size, remember_name
from .errors import InvalidDocumentError, InvalidFieldNameError, QueryError, UnsupportedError

__all__ = [
    "KEY_FIELD",
    "Record",
    "check_changes",
    "check_field_name",
    "check_record",
    "check_value",
    "copied",
]

Record = dict[str, Any]

#: reserved top-level field: the primary key lives beside the record, never inside it.
KEY_FIELD = "_id"

_INT64_MIN = -(2**63)
_INT64_MAX = 2**63 - 1

# value type -> the capability that must be declared to store it (None: always allowed)
_SCALARS: dict[type, str | None] = {
    str: None,
    bool: None,
    int: None,
    float: None,
    type(None): None,
    datetime.datetime: None,
    datetime.date: "date_values",
    decimal.Decimal: "decimal_values",
    bytes: "bytes_values",
    uuid.UUID: "uuid_values",
}


def copied(value: Any, convert: Callable[[Any], Any] | None = None) -> Any:
    """``value`` (a record or part of one) with every container copied, the way backends return
    records: mappings as dicts, lists and tuples as lists.

    ``convert``, if given, maps every value that is not a container (to a driver's types and
    back, say). A backend that keeps records as objects stores and hands out such copies.
    """
    if convert is None and type(value) in _SCALARS:
        return value  # the common case, without the calls below
    if isinstance(value, Mapping):
        return {name: copied(item, convert) for name, item in value.items()}
    if isinstance(value, list | tuple):
        return [copied(item, convert) for item in value]
    return value if convert is None else convert(value)


def check_field_name(name: object, *, dotted: bool = False, where: str = "field name") -> str:
    """Return ``name`` if it is a valid field name, else raise ``InvalidFieldNameError``.

    Valid: a non-empty ``str`` without NUL that does not start with ``$``. With ``dotted``,
    ``name`` is a path and each dot-separated part must be valid; without it, dots are refused
    because they would be read as a path later. A path may not start at ``_id``: records never
    hold it, and a backend storing the key there must not let queries reach the key by name.
    """
    if not isinstance(name, str):
        raise InvalidFieldNameError(
            f"{where} must be a str, got {type(name).__name__} {name!r}", field=name
        )
    parts = name.split(".") if dotted else [name]
    for part in parts:
        if not part:
            raise InvalidFieldNameError(
                f"{where} {name!r} is empty or has an empty part; use names like 'a' or 'a.b'",
                field=name,
            )
        if part.startswith("$"):
            raise InvalidFieldNameError(
                f"{where} {name!r} starts with '$'; names starting with '$' are reserved for "
                "operators and are never accepted from data",
                field=name,
            )
        if "\x00" in part:
            raise InvalidFieldNameError(f"{where} {name!r} contains a NUL character", field=name)
        check_text(part, what=where, name=True)
        if not dotted and "." in part:
            raise InvalidFieldNameError(
                f"{where} {name!r} contains '.', which doqu reads as a path into nested "
                "records; rename the field or nest a record",
                field=name,
            )
    if dotted and parts[0] == KEY_FIELD:
        raise InvalidFieldNameError(
            f"{where} {name!r} starts at {KEY_FIELD!r}, which is reserved for the primary key and "
            "is never a field; read keys with get(), get_many() or a query's keys()",
            field=name,
        )
    return name


def check_value(
    value: Any, capabilities: Capabilities, *, path: str = "value", literal: bool = False
) -> Any:
    """Raise unless ``value`` is storable on a backend with ``capabilities``; return it as stored.

    What a backend reads back, core accepts back: an ``int`` subclass (bson's ``Int64``, an
    ``IntEnum``) is stored as a plain ``int``, so what one backend returns copies to any other
    and no driver's type is pickled into a file. The returned value is ``value`` itself unless
    such an int was replaced in it (a new list; nested records are fixed in place).

    With ``literal``, ``value`` is a query value: dicts in it are literal data that may never
    match, so their keys are not held to the rules for field names.
    """
    kind = type(value)
    if kind in _SCALARS:
        needed = _SCALARS[kind]
        if needed is not None and not getattr(capabilities, needed):
            raise UnsupportedError(
                f"{path} is a {kind.__name__} ({value!r}), but this backend does not declare "
                f"capability {needed!r}; convert it (e.g. to str) before storing",
                capability=needed,
            )
        if kind is int and not _INT64_MIN <= value <= _INT64_MAX:
            raise InvalidDocumentError(
                f"{path} is {value!r}, outside the 64-bit integer range every backend "
                "can store; store it as a str or Decimal",
                field=path,
                value=value,
            )
        if kind is datetime.datetime and value.tzinfo is not None:
            # backends disagree on aware datetimes (MongoDB returns naive UTC); one rule for all
            raise InvalidDocumentError(
                f"{path} is a timezone-aware datetime ({value!r}); doqu stores naive UTC "
                "datetimes: pass value.astimezone(datetime.timezone.utc).replace(tzinfo=None)",
                field=path,
                value=value,
            )
        if kind is float and not math.isfinite(value):
            _check_not_finite(value, capabilities, path)
        return value
    if isinstance(value, int):  # a subclass: bool is a scalar above
        return check_value(int(value), capabilities, path=path, literal=literal)
    if isinstance(value, list | tuple):
        items = []
        for index, item in enumerate(value):
            if isinstance(item, list | tuple) and not capabilities.nested_lists:
                raise UnsupportedError(
                    f"{path}[{index}] is a list inside a list ({item!r}), but this backend "
                    "does not declare capability 'nested_lists'; wrap the inner list in a "
                    "record, e.g. {'items': [...]}",
                    capability="nested_lists",
                )
            items.append(check_value(item, capabilities, path=f"{path}[{index}]", literal=literal))
        changed = any(new is not old for new, old in zip(items, value, strict=True))
        return items if changed else value
    if isinstance(value, Mapping):
        if literal:
            for name, item in value.items():
                check_value(item, capabilities, path=f"{path}.{name}", literal=True)
        else:
            check_record(value, capabilities, path=path)
        return value
    if isinstance(value, capabilities.native_types):
        return value
    raise InvalidDocumentError(
        f"{path} has type {type(value).__name__} ({value!r}), which this backend does not "
        "store; use None, bool, int, float, str, datetime, date, Decimal, bytes, UUID, list "
        "or dict",
        field=path,
        value=value,
    )


def _check_not_finite(value: float, capabilities: Capabilities, path: str) -> None:
    """Raise unless the backend declares it stores ``value``, a NaN or an infinity."""
    if math.isnan(value):
        if not capabilities.nan_values:
            raise UnsupportedError(
                f"{path} is NaN, but this backend does not declare capability 'nan_values'; "
                "store None for a missing number",
                capability="nan_values",
            )
    elif not capabilities.infinity_values:
        raise UnsupportedError(
            f"{path} is {value!r}, but this backend does not declare capability "
            "'infinity_values'; use a finite bound instead "
            "(e.g. sys.float_info.max) or None",
            capability="infinity_values",
        )


def check_record(record: Mapping[Any, Any], capabilities: Capabilities, *, path: str = "") -> None:
    """Raise unless every key and value of ``record`` is storable; nested records too.

    A whole record (no ``path``) is also held to the limits (:func:`doqu._limits.check_limits`).
    """
    if type(record) is not dict and not isinstance(record, Mapping):
        raise InvalidDocumentError(
            f"a record must be a dict, got {type(record).__name__} {record!r}", value=record
        )
    if not path:
        # This runs for every record saved: the common one is accepted in one walk, which
        # costs less than the driver's own encoding; anything else gets the full checks below
        if type(record) is dict:
            try:
                if plain_size(record, capabilities) <= MAX_DOCUMENT_BYTES:
                    return
            except NotPlain:
                pass
        check_limits(record)  # first: the walk below would recurse forever on a cycle
    for name, value in record.items():
        _check_record_name(name, path)
        stored = check_value(value, capabilities, path=f"{path}.{name}" if path else name)
        if stored is not value:
            record[name] = stored  # type: ignore[index]


def check_changes(changes: Mapping[str, Any], capabilities: Capabilities) -> None:
    """Raise unless ``changes`` (dotted field -> value) may be written by ``update()``."""
    if not changes:
        raise QueryError("update() needs at least one field=value change")
    for field, value in changes.items():
        check_field_name(field, dotted=True)
        # a value set at a.b is two levels down in the record: depth counts the path
        check_limits(value, path=field, depth=field.count(".") + 1)
        check_value(value, capabilities, path=field)


def _check_record_name(name: Any, path: str) -> None:
    check_field_name(name, where=f"field name in {path}" if path else "field name")
    if name == KEY_FIELD:
        if not path:
            raise InvalidDocumentError(
                f"field name {KEY_FIELD!r} is reserved for the primary key; pass the key as "
                "save(data, primary_key=...) instead",
                field=name,
            )
    else:
        remember_name(name)
