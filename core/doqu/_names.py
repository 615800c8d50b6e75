"""Reading a keyword such as ``address__city__in`` as a field path and a lookup.

``__`` separates path parts the way mongoengine and Django users write them: the last part is
the lookup when it names one (``address__city__in`` is ``in`` on ``address.city``); otherwise
the whole key is an equality on a nested field, which the document class must declare
(``address__city="Oslo"``). Dotted keys (``"address.city__in"``) keep working. A name that
reads both ways is an error showing both readings, never a guess that silently matches
nothing. A field whose own name contains ``__`` is reached with ``doqu.Lookup(name, lookup,
value)``, or by keyword when the document class declares it.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from .errors import UnsupportedLookupError

__all__ = ["declared_rule", "declares", "split_key"]

_SEP = "__"


def declared_rule(fields: Mapping[str, Any], path: str) -> Any:
    """The schema rule ``path`` (dotted) reaches through ``fields``, or ``None``."""
    first, *rest = path.split(".")
    rule = fields.get(first)
    for part in rest:
        if rule is None:
            return None
        rule = rule.child(part)
    return rule


def declares(doc_class: type[Any] | None, path: str) -> bool:
    """Whether ``doc_class`` declares the (dotted) field ``path``."""
    fields = getattr(doc_class, "__fields__", None)
    return isinstance(fields, Mapping) and declared_rule(fields, path) is not None


def split_key(key: str, lookups: Collection[str], doc_class: type[Any] | None) -> tuple[str, str]:
    """``(field path, lookup)`` for keyword ``key``; see the module docstring for the rules."""
    parts = key.split(_SEP)
    if len(parts) == 1:
        return key, "equals"
    if "" in parts:  # "__x", "a____b": an empty name part, refused as such by the Lookup
        field, _, lookup = key.rpartition(_SEP)
        return field, lookup
    head, last = ".".join(parts[:-1]), parts[-1]
    whole = ".".join(parts)
    literal = key.rpartition(_SEP)[0]  # the field named with "__" itself, when declared
    readings: list[tuple[str, str]] = []
    if last in lookups:
        named = literal != head and declares(doc_class, literal)
        if not named or declares(doc_class, head):
            readings.append((head, last))
        if named:
            readings.append((literal, last))
    if declares(doc_class, whole):
        readings.append((whole, "equals"))
    if declares(doc_class, key):
        readings.append((key, "equals"))
    if len(readings) == 1:
        return readings[0]
    name = getattr(doc_class, "__name__", "dict")
    if readings:
        shown = " and as ".join(f"doqu.Lookup({f!r}, {op!r}, value)" for f, op in readings)
        raise UnsupportedLookupError(
            f"{key!r} is ambiguous for {name}: it reads as {shown}; pass the one you mean to "
            "where(), or use the explicit spelling (e.g. a trailing __equals)",
            lookup=last,
            field=head,
        )
    raise UnsupportedLookupError(
        f"unknown lookup {last!r} in {key}; valid lookups: {', '.join(lookups)}. If "
        f"{whole!r} is a nested field, write {key}__equals=... ({name} does not declare it); "
        f"a field whose name contains '__' is reached with doqu.Lookup({literal or key!r}, "
        f"lookup, value)",
        lookup=last,
        field=head,
    )
