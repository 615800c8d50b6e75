"""Lazy, immutable, chainable queries.

A :class:`Query` only describes work: ``where()``, ``order_by()`` and slicing return new
queries, and the backend runs the resulting :class:`QuerySpec` when the query is iterated,
counted or otherwise read. A query talks to its storage only through the backend protocol
(:class:`doqu.backend.BackendProtocol`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Generic, TypeVar, overload

from ._conditions import (
    MATCH_ALL,
    And,
    Condition,
    Not,
    Or,
    conjunction,
    joined,
    parse_conditions,
)
from ._conversion import Convertible, codec_for
from ._records import check_changes, check_field_name
from ._values import sort_key
from .errors import InvalidArgumentError, InvalidFieldNameError, QueryError

#: the largest slice bound passed on to a backend (drivers take 64-bit counts, and offset plus
#: limit must fit too); bounds beyond it are past the end of any storage, and behave so on
#: every backend
MAX_WINDOW = 2**61

if TYPE_CHECKING:
    from ._protocol import BackendProtocol

__all__ = ["Key", "Query", "QuerySpec"]

T = TypeVar("T")
#: a primary key: ``str``, ``int`` or a backend's native type (e.g. ``ObjectId``).
Key = Any


@dataclass(frozen=True, slots=True)
class QuerySpec:
    """What a backend runs: a filter, an order, and a window.

    ``order`` holds ``(field, descending)`` pairs; when it is not empty, records that tie on
    every field are ordered by key ascending so that slices page stably. ``offset`` and
    ``limit`` apply after ordering.
    """

    condition: Condition = MATCH_ALL
    order: tuple[tuple[str, bool], ...] = ()
    offset: int = 0
    limit: int | None = None

    @property
    def is_windowed(self) -> bool:
        """Whether the spec selects a slice rather than every matching record."""
        return self.offset > 0 or self.limit is not None


class Query(Generic[T]):
    """Documents of ``doc_class`` in a storage that match a condition, in an order, in a window."""

    __slots__ = ("_spec", "doc_class", "storage")

    def __init__(
        self, storage: BackendProtocol, doc_class: type[T], spec: QuerySpec | None = None
    ) -> None:
        codec_for(doc_class)  # fail now, not when the query is read
        self.storage = storage
        self.doc_class = doc_class
        self._spec = spec if spec is not None else QuerySpec()

    @property
    def spec(self) -> QuerySpec:
        """What the backend will run."""
        return self._spec

    def _with(self, **changes: Any) -> Query[T]:
        return Query(self.storage, self.doc_class, replace(self._spec, **changes))

    def _narrowed(self, condition: Condition) -> Query[T]:
        if self._spec.is_windowed:
            raise QueryError(
                "cannot filter a sliced query: the slice would change meaning; "
                "call where() before slicing"
            )
        condition.check(self.storage.capabilities)
        current = self._spec.condition
        if isinstance(current, And) and not current.items:
            return self._with(condition=condition)
        items = current.items if isinstance(current, And) else (current,)
        return self._with(condition=And((*items, condition)))

    # -- building ----------------------------------------------------------------------------

    def where(self, *conditions: Condition, **lookups: Any) -> Query[T]:
        """Keep documents matching every condition: ``where(age__gte=18, name="Ann")``."""
        if not conditions and not lookups:
            return self
        return self._narrowed(self._condition(conditions, lookups))

    def where_not(self, *conditions: Condition, **lookups: Any) -> Query[T]:
        """Drop documents matching all of the conditions."""
        if not conditions and not lookups:
            raise QueryError("where_not() needs at least one condition")
        return self._narrowed(Not(self._condition(conditions, lookups)))

    def _condition(self, conditions: tuple[Condition, ...], lookups: dict[str, Any]) -> Condition:
        # keywords are read against doc_class, which may declare nested fields (``_names``)
        return conjunction(conditions, parse_conditions(lookups, self.doc_class))

    def order_by(self, *names: str) -> Query[T]:
        """Order by fields, ``-name`` for descending; replaces any earlier order.

        Mixed types follow doqu's total order (see ``doqu._values``); ties are broken by key.
        """
        if self._spec.is_windowed:
            raise QueryError(
                "cannot order a sliced query: the slice would select other documents; "
                "call order_by() before slicing"
            )
        order = []
        for name in names:
            if not isinstance(name, str):
                raise QueryError(f"order_by() takes field names, got {name!r}")
            descending = name.startswith("-")
            field = name[1:] if descending else name
            if field.startswith("-"):
                raise InvalidFieldNameError(
                    f"order_by field {name!r} has more than one leading '-'; write "
                    f"{'-' + field.lstrip('-')!r} to sort descending",
                    field=name,
                )
            if field[:1] == "+" or field != field.strip():
                plain = field.strip().lstrip("+")
                raise InvalidFieldNameError(
                    f"order_by field {name!r} has a leading '+' or surrounding spaces; write "
                    f"{plain!r} for ascending, {'-' + plain!r} for descending",
                    field=name,
                )
            check_field_name(field, dotted=True, where="order_by field")
            order.append((field, descending))
        return self._with(order=tuple(order))

    def _combine(self, other: object, kind: type[And] | type[Or]) -> Query[T]:
        if not isinstance(other, Query):
            raise InvalidArgumentError(
                f"a query combines only with a query, got {type(other).__name__} {other!r}",
                argument="other",
                value=other,
            )
        if other.storage is not self.storage or other.doc_class is not self.doc_class:
            raise QueryError("only queries on the same storage and doc_class can be combined")
        if self._spec.is_windowed or other._spec.is_windowed:
            raise QueryError("sliced queries cannot be combined; combine, then slice")
        combined = joined(kind, self._spec.condition, other._spec.condition)
        return self._with(condition=combined)

    def __or__(self, other: Query[T]) -> Query[T]:
        return self._combine(other, Or)

    def __and__(self, other: Query[T]) -> Query[T]:
        return self._combine(other, And)

    @overload
    def __getitem__(self, index: int) -> T: ...
    @overload
    def __getitem__(self, index: slice) -> Query[T]: ...
    def __getitem__(self, index: int | slice) -> T | Query[T]:
        """``q[3]`` reads one document; ``q[10:20]`` is a new, narrower query."""
        if isinstance(index, bool) or not isinstance(index, int | slice):
            raise InvalidArgumentError(
                f"query index must be an int or a slice, got {type(index).__name__} {index!r}; "
                "read fields from the document: q[0]['name']",
                argument="index",
                value=index,
            )
        if isinstance(index, int):
            if index > MAX_WINDOW:
                raise IndexError(f"query index {index} out of range")
            if index < 0:
                raise QueryError(f"negative index {index} is not supported; order descending")
            for document in self[index : index + 1]:
                return document
            raise IndexError(f"query index {index} out of range")
        start, stop, step = index.start, index.stop, index.step
        for bound in (start, stop):
            if bound is not None and (isinstance(bound, bool) or not isinstance(bound, int)):
                raise InvalidArgumentError(
                    f"query slice bounds must be ints, got {type(bound).__name__} {bound!r}",
                    argument="index",
                    value=bound,
                )
            if bound is not None and bound < 0:
                raise QueryError(f"negative slice bound {bound} is not supported; order descending")
        if step not in (None, 1):
            raise QueryError(f"slice step {step!r} is not supported")
        offset, limit = self._spec.offset, self._spec.limit
        if stop is not None and stop > MAX_WINDOW:
            stop = None  # no storage holds that many records: the same as no bound
        first = start or 0
        new_offset = offset + first
        if new_offset > MAX_WINDOW:
            return self._with(offset=0, limit=0)  # nothing lies that far in
        new_limit = limit if limit is None else max(0, limit - first)
        if stop is not None:
            width = max(0, stop - first)
            new_limit = width if new_limit is None else min(new_limit, width)
        return self._with(offset=new_offset, limit=new_limit)

    # -- reading -----------------------------------------------------------------------------

    def __iter__(self) -> Iterator[T]:
        if self._spec.limit == 0:
            return iter(())
        if self.doc_class is dict:
            return self.storage.query_records(self._spec)  # type: ignore[return-value]
        load = codec_for(self.doc_class).load
        return (load(record, key) for key, record in self.storage.query_items(self._spec))

    def items(self) -> Iterator[tuple[Key, T]]:
        """``(key, document)`` pairs."""
        if self._spec.limit == 0:
            return iter(())
        load = codec_for(self.doc_class).load
        return ((key, load(record, key)) for key, record in self.storage.query_items(self._spec))

    def keys(self) -> Iterator[Key]:
        """The keys of the matching documents."""
        return (key for key, _ in self.items())

    def count(self) -> int:
        """How many documents the query selects (its slice applied)."""
        if self._spec.limit == 0:
            return 0
        return self.storage.count_records(self._spec)

    def exists(self) -> bool:
        """Whether the query selects at least one document."""
        return any(True for _ in self[:1].keys())  # noqa: SIM118 - keys() skips loading

    def __bool__(self) -> bool:
        return self.exists()

    def first(self) -> T | None:
        """The first document in the query's order, or ``None``."""
        for document in self[:1]:
            return document
        return None

    def values(self, name: str) -> list[Any]:
        """Distinct values of field ``name`` (dotted allowed; lists unwound) under the conditions.

        Values come in doqu's total order (``doqu._values.sort_key``), whatever the backend
        returned; missing fields contribute nothing.
        """
        check_field_name(name, dotted=True, where="values() field")
        self._refuse_window("values()")
        return sorted(self.storage.distinct_values(self._spec, name), key=sort_key)

    def delete(self) -> int:
        """Delete every matching document; return how many were deleted."""
        self._refuse_window("delete()")
        return self.storage.delete_records(self._spec)

    def update(self, **changes: Any) -> int:
        """Set fields on every matching document: ``update(status="done")``.

        Dotted names (``**{"address.city": "Oslo"}``) set nested fields. Returns how many
        documents were updated.
        """
        changes = {name: _plain(value) for name, value in changes.items()}
        check_changes(changes, self.storage.capabilities)
        codec_for(self.doc_class).check_changes(changes)
        self._refuse_window("update()")
        return self.storage.update_records(self._spec, changes)

    def _refuse_window(self, what: str) -> None:
        if self._spec.is_windowed:
            raise QueryError(f"{what} does not apply to a sliced query; call it before slicing")

    def __repr__(self) -> str:
        spec = self._spec
        return (
            f"<Query {self.doc_class.__name__} in {self.storage!r} where {spec.condition!r}"
            f" order {spec.order!r} window [{spec.offset}:"
            f"{'' if spec.limit is None else spec.offset + spec.limit}]>"
        )


def _plain(value: Any) -> Any:
    """A document given as an ``update()`` value is stored as its record."""
    return value.to_record() if isinstance(value, Convertible) else value
