"""Index declarations a document class can carry and a backend can ensure."""

from __future__ import annotations

from dataclasses import dataclass

from ._records import check_field_name

__all__ = ["Index"]


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
