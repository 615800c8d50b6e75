"""Dotted paths into nested records, read and written the way MongoDB does.

Reading ``"a.b"`` steps into dicts by name and, through a list, into every dict element of
it (and into element ``n`` for a numeric part), so a path can reach several values.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._limits import check_limits, element_size
from ._records import Record
from .errors import InvalidDocumentError

__all__ = ["apply_changes", "path_values", "set_path", "unwound"]


def path_values(record: Record, path: str) -> list[Any]:
    """Every value ``path`` reaches in ``record``; empty when the field is missing."""
    current: list[Any] = [record]
    for part in path.split("."):
        found: list[Any] = []
        for value in current:
            if isinstance(value, dict):
                if part in value:
                    found.append(value[part])
            elif isinstance(value, list):
                if part.isdigit() and int(part) < len(value):
                    found.append(value[int(part)])
                found.extend(
                    item[part] for item in value if isinstance(item, dict) and part in item
                )
        current = found
        if not current:
            break
    return current


def unwound(values: list[Any]) -> list[Any]:
    """``values`` with each list replaced by its elements (one level, as MongoDB does)."""
    flat: list[Any] = []
    for value in values:
        if isinstance(value, list):
            flat.extend(value)
        else:
            flat.append(value)
    return flat


def set_path(record: Record, path: str, value: Any) -> None:
    """Set ``path`` in ``record`` to ``value``, creating missing nested dicts on the way."""
    parts = path.split(".")
    target: Any = record
    for depth, part in enumerate(parts):
        last = depth == len(parts) - 1
        if isinstance(target, dict):
            if last:
                target[part] = value
                return
            target = target.setdefault(part, {})
        elif isinstance(target, list) and part.isdigit() and int(part) < len(target):
            if last:
                target[int(part)] = value
                return
            target = target[int(part)]
        else:
            blocked = ".".join(parts[:depth])
            raise InvalidDocumentError(
                f"cannot set {path!r}: {blocked!r} holds {type(target).__name__} {target!r}, "
                "not a nested record; set the outer field to a dict first",
                field=path,
                value=value,
            )


def apply_changes(record: Record, changes: Mapping[str, Any]) -> Record:
    """``record`` with ``changes`` (dotted field -> value) set in place, refused with
    ``InvalidDocumentError`` if the result is over the limits of a record: call it for every
    record before writing any."""
    for field, value in changes.items():
        set_path(record, field, value)
    check_limits(record)
    return record


def change_growth(changes: Mapping[str, Any]) -> int | None:
    """At most how many bytes (as the limits count them) setting ``changes`` adds to a record;
    ``None`` if a change is dotted (it may create records on its way or meet a non-record, so
    only the record itself can tell).

    A flat change replaces one field, or adds it: the record grows by at most the new field's
    size. A backend that knows an upper bound of a record's size can skip reading the records
    whose bound plus this stays within the limit (see ``apply_changes``).
    """
    if any("." in field for field in changes):
        return None
    return sum(element_size(field, value) for field, value in changes.items())
