"""Document classes as views: the conditions a record must meet to be one of a class.

A class declares them as ``__view__ = Q(...)``; subclasses AND theirs with their bases'. Every
query through the class starts from them, so reads and writes through it never reach a record
outside, and ``get`` of such a record is "not found" with a message that says why.
"""

from __future__ import annotations

from typing import Any

from ._conditions import And, Condition
from ._evaluate import matcher
from ._records import Record
from .errors import DocumentNotFoundError, QueryError

__all__ = ["check_creatable", "combined_view", "refuse_outside", "view_of"]


def combined_view(cls: type[Any]) -> Condition | None:
    """The view of a class being created: its own ``__view__`` ANDed with its bases' views."""
    parts: list[Condition] = []
    for base in cls.__bases__:
        inherited = view_of(base)
        if inherited is not None and inherited not in parts:
            parts.append(inherited)
    own = cls.__dict__.get("__view__")
    if own is not None:
        if not isinstance(own, Condition):
            raise TypeError(
                f"{cls.__name__}.__view__ must be a condition such as Q(name__exists=True), "
                f"got {own!r}"
            )
        if own not in parts:
            parts.append(own)
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else And(tuple(parts))


def view_of(doc_class: Any) -> Condition | None:
    """The conditions every record seen as ``doc_class`` meets, ``None`` for any record."""
    view = getattr(doc_class, "__view__", None)
    return view if isinstance(view, Condition) else None


def refuse_outside(doc_class: type[Any], view: Condition, items: list[tuple[Any, Record]]) -> None:
    """Raise ``DocumentNotFoundError`` for the first record that is not in the view."""
    meets = matcher(view)
    for key, record in items:
        if not meets(record):
            name = doc_class.__name__
            raise DocumentNotFoundError(
                f"the record with key {key!r} exists but is not a {name}: it does not meet "
                f"{name}.__view__ {view!r}; get it as a class whose view it meets, or as dict",
                key=key,
            )


def check_creatable(doc_class: type[Any], view: Condition, record: Record) -> None:
    """Raise ``QueryError`` unless a record ``get_or_create`` would make meets the view."""
    if not matcher(view)(record):
        name = doc_class.__name__
        raise QueryError(
            f"get_or_create() would create {record!r}, which is not a {name}: it does not "
            f"meet {name}.__view__ {view!r}; give conditions (or field defaults) that meet it"
        )
