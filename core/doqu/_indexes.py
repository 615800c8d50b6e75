"""Index declarations a document class can carry and a backend can ensure, and the entries a
unique index holds for a record (what two records must not share)."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ._paths import path_values
from ._records import Record, check_field_name
from ._values import sort_key

__all__ = ["Index", "unique_entries"]


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
