"""Conditions: the backend-agnostic tree a query's filter is made of.

``Q(age__gte=18, name="Ann")`` parses pyrant/Django-style keywords into :class:`Lookup`
leaves joined by :class:`And`; ``|``, ``&`` and ``~`` compose them into :class:`Or`, :class:`And`
and :class:`Not`. Every name and value is checked here, when the condition is built, so a bad
query fails before anything runs and backends receive only well-formed trees.

Values are always data: a lookup's value is compared as a literal, never read as an operator.
The semantics of each lookup are defined by the reference evaluator in ``doqu._evaluate`` and
documented in ``docs/query-semantics.md``.
"""

from __future__ import annotations

import dataclasses
import datetime
import decimal
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ._capabilities import Capabilities
from ._limits import check_limits
from ._names import split_key
from ._records import check_field_name, check_value
from ._regex import check_pattern
from .errors import (
    InvalidArgumentError,
    InvalidLookupValueError,
    QueryError,
    UnsupportedError,
    UnsupportedLookupError,
)

__all__ = [
    "LOOKUPS",
    "MATCH_ALL",
    "MAX_QUERY_DEPTH",
    "And",
    "Condition",
    "Lookup",
    "Not",
    "Or",
    "Q",
    "conjunction",
    "joined",
    "parse_conditions",
]

#: deepest nesting of And/Or/Not accepted (as deep as a document may be)
MAX_QUERY_DEPTH = 100


def _fail(lookup: str, field: str, value: Any, expected: str) -> InvalidLookupValueError:
    return InvalidLookupValueError(
        f"lookup {field}__{lookup} expects {expected}, got {type(value).__name__} {value!r}",
        lookup=lookup,
        field=field,
        value=value,
    )


def _any_value(lookup: str, field: str, value: Any) -> Any:
    if isinstance(value, tuple):
        return list(value)
    return value


def _comparable(lookup: str, field: str, value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(
        value, int | float | decimal.Decimal | str | datetime.date
    ):
        raise _fail(lookup, field, value, "a number, str, date or datetime")
    return value


def _sequence(lookup: str, field: str, value: Any) -> Any:
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        raise _fail(lookup, field, value, "a list, tuple or set of values")
    return [list(v) if isinstance(v, tuple) else v for v in value]


def _pair(lookup: str, field: str, value: Any) -> Any:
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, list | tuple):
        raise _fail(lookup, field, value, "a (low, high) pair")
    if len(value) != 2:
        raise _fail(lookup, field, value, "a (low, high) pair of exactly two values")
    return (_comparable(lookup, field, value[0]), _comparable(lookup, field, value[1]))


def _bool(lookup: str, field: str, value: Any) -> Any:
    if not isinstance(value, bool):
        raise _fail(lookup, field, value, "True or False")
    return value


def _text(lookup: str, field: str, value: Any) -> Any:
    if not isinstance(value, str):
        raise _fail(lookup, field, value, "a str")
    return value


def _pattern(lookup: str, field: str, value: Any) -> Any:
    return check_pattern(lookup, field, _text(lookup, field, value))


def _int_between(low: int, high: int) -> Callable[[str, str, Any], Any]:
    def check(lookup: str, field: str, value: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise _fail(lookup, field, value, f"an int from {low} to {high}")
        return value

    return check


# name -> (value check/normaliser, capability the backend must declare or None)
LOOKUPS: dict[str, tuple[Callable[[str, str, Any], Any], str | None]] = {
    "equals": (_any_value, None),
    "ne": (_any_value, None),
    "gt": (_comparable, None),
    "gte": (_comparable, None),
    "lt": (_comparable, None),
    "lte": (_comparable, None),
    "between": (_pair, None),
    "in": (_sequence, None),
    "nin": (_sequence, None),
    "exists": (_bool, None),
    "startswith": (_text, None),
    "endswith": (_text, None),
    "contains": (_text, None),
    "contains_any": (_sequence, None),
    "contains_all": (_sequence, None),
    "matches": (_pattern, "regex"),
    "matches_caseless": (_pattern, "regex"),
    "year": (_int_between(1, 9999), "date_parts"),
    "month": (_int_between(1, 12), "date_parts"),
    "day": (_int_between(1, 31), "date_parts"),
}


class Condition:
    """Base of the condition tree; combine with ``&``, ``|`` and ``~``."""

    __slots__ = ()

    def __and__(self, other: Condition) -> Condition:
        return joined(And, self, _as_condition(other))

    def __or__(self, other: Condition) -> Condition:
        return joined(Or, self, _as_condition(other))

    def __invert__(self) -> Condition:
        return self.item if isinstance(self, Not) else Not(self)

    def lookups(self) -> Iterable[Lookup]:
        """Every leaf of the tree, depth first."""
        raise NotImplementedError(f"{type(self).__name__}.lookups() is not implemented")

    def check(self, capabilities: Capabilities) -> None:
        """Raise ``UnsupportedError`` if a backend with ``capabilities`` cannot run this."""
        for leaf in self.lookups():
            needed = LOOKUPS[leaf.lookup][1]
            if needed is not None and not getattr(capabilities, needed):
                raise UnsupportedError(
                    f"lookup {leaf.field}__{leaf.lookup} needs capability {needed!r}, which "
                    "this backend does not declare",
                    capability=needed,
                )
            check_limits(leaf.value, path=f"{leaf.field}__{leaf.lookup}")
            check_value(
                leaf.value, capabilities, path=f"value of {leaf.field}__{leaf.lookup}", literal=True
            )


def _as_condition(other: object) -> Condition:
    if not isinstance(other, Condition):
        raise InvalidArgumentError(
            f"conditions combine only with conditions, got {type(other).__name__} {other!r}; "
            "build one with doqu.Q(field=value), or pass lookups as keywords: where(age=1)",
            argument="condition",
            value=other,
        )
    return other


@dataclass(frozen=True, slots=True)
class Lookup(Condition):
    """One ``field__lookup=value`` test. ``field`` may be dotted to reach nested records."""

    field: str
    lookup: str
    value: Any

    def __post_init__(self) -> None:
        check_field_name(self.field, dotted=True)
        entry = LOOKUPS.get(self.lookup)
        if entry is None:
            raise UnsupportedLookupError(
                f"unknown lookup {self.lookup!r} in {self.field}__{self.lookup}; valid lookups: "
                f"{', '.join(LOOKUPS)}",
                lookup=self.lookup,
                field=self.field,
            )
        object.__setattr__(self, "value", entry[0](self.lookup, self.field, self.value))

    def lookups(self) -> Iterable[Lookup]:
        yield self


def _nested(condition: Condition, children: Iterable[Condition]) -> None:
    """Record ``condition``'s depth, refusing one over :data:`MAX_QUERY_DEPTH`."""
    depth = 1 + max((getattr(child, "depth", 0) for child in children), default=0)
    if depth > MAX_QUERY_DEPTH:
        raise QueryError(
            f"the condition is nested more than {MAX_QUERY_DEPTH} levels deep; join many "
            "conditions at one level instead (Q(a=1) | Q(a=2) | ... stays one level deep, "
            "and a__in=[1, 2, ...] is one lookup)"
        )
    object.__setattr__(condition, "depth", depth)


@dataclass(frozen=True, slots=True)
class And(Condition):
    """All of ``items`` hold. ``And(())`` matches every record."""

    items: tuple[Condition, ...]
    #: levels of And/Or/Not from here down (a lookup is none)
    depth: int = dataclasses.field(default=1, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        _nested(self, self.items)

    def lookups(self) -> Iterable[Lookup]:
        for item in self.items:
            yield from item.lookups()


@dataclass(frozen=True, slots=True)
class Or(Condition):
    """At least one of ``items`` holds. ``Or(())`` matches no record."""

    items: tuple[Condition, ...]
    depth: int = dataclasses.field(default=1, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        _nested(self, self.items)

    def lookups(self) -> Iterable[Lookup]:
        for item in self.items:
            yield from item.lookups()


@dataclass(frozen=True, slots=True)
class Not(Condition):
    """``item`` does not hold."""

    item: Condition
    depth: int = dataclasses.field(default=1, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        _nested(self, (self.item,))

    def lookups(self) -> Iterable[Lookup]:
        return self.item.lookups()


def joined(kind: type[And] | type[Or], first: Condition, second: Condition) -> Condition:
    """``first`` and ``second`` joined by ``kind``, one level: ``(a | b) | c`` is ``Or((a, b,
    c))``, so a chain of a thousand ``|`` stays one level deep."""
    items = [
        *(first.items if isinstance(first, kind) else (first,)),
        *(second.items if isinstance(second, kind) else (second,)),
    ]
    return kind(tuple(items))


#: the condition every record matches.
MATCH_ALL = And(())


def parse_conditions(
    conditions: Mapping[str, Any], doc_class: type[Any] | None = None
) -> list[Condition]:
    """Turn ``{"age__gte": 18, "address__city__in": [...]}`` into checked :class:`Lookup` leaves.

    A key without ``__`` is an ``equals`` test. Otherwise ``__`` separates path parts and the
    last part must be a known lookup, unless ``doc_class`` declares the whole key as a nested
    field (rules in ``doqu._names``): a typo such as ``age__gtt`` is an error, never a silent
    equality on a field nobody has.
    """
    leaves: list[Condition] = []
    for key, value in conditions.items():
        if not isinstance(key, str):
            check_field_name(key)
        field, lookup = split_key(key, LOOKUPS, doc_class)
        leaves.append(Lookup(field, lookup, value))
    return leaves


def conjunction(conditions: Iterable[Condition], leaves: list[Condition]) -> Condition:
    """``conditions`` and ``leaves`` joined with AND (one condition stays itself)."""
    items = [_as_condition(c) for c in conditions] + leaves
    return items[0] if len(items) == 1 else And(tuple(items))


def Q(*conditions: Condition, **lookups: Any) -> Condition:  # noqa: N802 - Django's name
    """Build a condition: ``Q(age__gte=18) | ~Q(name__startswith="A")``.

    Positional conditions and keyword lookups are joined with AND.
    """
    return conjunction(conditions, parse_conditions(lookups))
