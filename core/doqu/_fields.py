"""Declared fields: the type, default and rules of one field of a :class:`~doqu.Document`.

:func:`Field` declares a field; the :class:`DeclaredField` it returns is a descriptor: it reads
and writes its value in the document's record and checks it against its rules when the document
is validated. Types are checked strictly, as doqu compares values: ``bool`` is not an ``int``,
an ``int`` is accepted for ``float``, a ``datetime`` is not a ``date``. ``None`` means "no
value", so every field that is not ``required`` accepts it (and ``X | None`` matters only inside
``list[...]`` and ``dict[...]``, and to decide whether an annotated field is required).
"""

from __future__ import annotations

import copy
import datetime
import decimal
import reprlib
import types
import typing
import uuid
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, Generic, Protocol, Self, TypeVar, overload

from ._values import MISSING, sort_key
from ._views import ATOMIC, DictView, ListView
from .errors import ValidationError

if TYPE_CHECKING:
    from ._documents import Document

__all__ = ["DeclaredField", "Field", "RuleError", "Kind", "Rule", "short_repr"]

T = TypeVar("T")

_repr = reprlib.Repr()
_repr.maxstring = _repr.maxother = 80
_repr.maxlist = _repr.maxdict = 10


def short_repr(value: Any) -> str:
    """``repr(value)``, shortened so that a large value cannot flood an error message."""
    return _repr.repr(value)


def _describe(value: Any) -> str:
    return "None" if value is None else f"{type(value).__name__} {short_repr(value)}"


class RuleError(Exception):
    """A value broke a rule. Raised inside a check; the caller turns it into a message.

    Each enclosing level adds its path part on the way out (innermost first), so paths are only
    built when a check fails.
    """

    def __init__(self, rule: str, detail: str, value: Any) -> None:
        super().__init__(detail)
        self.rule = rule
        self.detail = detail
        self.value = value
        self.parts: list[str] = []

    def at(self, part: str) -> None:
        """Record that the failing value sits at ``part`` (``".name"`` or ``"[3]"``)."""
        self.parts.append(part)

    def error(self, prefix: str, note: str = "") -> ValidationError:
        """The user-facing error; ``prefix`` names the class or field the check started at."""
        path = prefix + "".join(reversed(self.parts))
        return ValidationError(
            f"{path}: {self.detail}{note}",
            field=path.partition(".")[2],
            rule=self.rule,
            value=self.value,
        )


class Rule(Protocol):
    """Something a value can be checked against, and that dotted paths can step into."""

    def check(self, value: Any, fill: bool) -> None:
        """Raise :class:`RuleError` unless ``value`` is acceptable.

        With ``fill``, nested documents get their missing defaults written into their records.
        """

    def child(self, part: str) -> Rule | None:
        """The rule for the path part ``part`` below this one, if the schema declares it."""


class Kind:
    """How values of one declared type are checked, read (``wrap``) and stepped into.

    This base class is the kind of untyped fields: it accepts any value.
    """

    __slots__ = ("exact", "holds_documents", "name", "wraps")

    def __init__(self, name: str, *, wraps: bool = False, holds_documents: bool = True) -> None:
        #: the type as written in messages, e.g. ``list[int]``
        self.name = name
        #: whether reading a value builds document views over it
        self.wraps = wraps
        #: whether a valid value may contain documents, which are stored as their records
        self.holds_documents = holds_documents
        #: the exact classes whose values ``check`` accepts at once (the fast path of checks)
        self.exact: frozenset[type] = frozenset()

    def check(self, value: Any, fill: bool) -> None:
        """Raise :class:`RuleError` unless ``value`` has this type."""

    def wrap(self, value: Any) -> Any:
        """The value a field of this type reads as (views over nested documents)."""
        return value

    def child(self, part: str) -> Rule | None:
        """The rule for path part ``part`` inside values of this type."""
        return None

    def mismatch(self, value: Any) -> RuleError:
        """The error for a value that is not of this type."""
        return RuleError("type", f"expected {self.name}, got {_describe(value)}", value)


class _Scalar(Kind):
    __slots__ = ("excluded", "types")

    def __init__(
        self, name: str, types_: tuple[type, ...], excluded: tuple[type, ...] = ()
    ) -> None:
        super().__init__(name, holds_documents=dict in types_ or list in types_)
        self.types = types_
        self.excluded = excluded
        if not self.holds_documents:
            self.exact = frozenset(types_)

    def check(self, value: Any, fill: bool) -> None:
        if not isinstance(value, self.types) or isinstance(value, self.excluded):
            raise self.mismatch(value)


class _List(Kind):
    __slots__ = ("item",)

    def __init__(self, item: Kind) -> None:
        super().__init__(
            f"list[{item.name}]", wraps=item.wraps, holds_documents=item.holds_documents
        )
        self.item = item

    def check(self, value: Any, fill: bool) -> None:
        if not isinstance(value, list):
            raise self.mismatch(value)
        exact = self.item.exact
        if exact:
            for item in value:
                if type(item) not in exact:
                    break
            else:
                return
        check = self.item.check
        for index, item in enumerate(value):
            try:
                check(item, fill)
            except RuleError as invalid:
                invalid.at(f"[{index}]")
                raise

    def wrap(self, value: Any) -> Any:
        # a live view: appending to it or replacing an item changes the stored list
        return ListView(value, self.item.wrap) if isinstance(value, list) else value

    def child(self, part: str) -> Rule | None:
        return self.item if part.isdigit() else None


class _Dict(Kind):
    __slots__ = ("item",)

    def __init__(self, item: Kind) -> None:
        super().__init__(
            f"dict[str, {item.name}]", wraps=item.wraps, holds_documents=item.holds_documents
        )
        self.item = item

    def check(self, value: Any, fill: bool) -> None:
        if not isinstance(value, dict):
            raise self.mismatch(value)
        check = self.item.check
        for name, item in value.items():
            if not isinstance(name, str):
                raise RuleError("type", f"expected str keys, got key {_describe(name)}", value)
            try:
                check(item, fill)
            except RuleError as invalid:
                invalid.at(f".{name}")
                raise

    def wrap(self, value: Any) -> Any:
        return DictView(value, self.item.wrap) if isinstance(value, dict) else value

    def child(self, part: str) -> Rule | None:
        return self.item


class _Optional(Kind):
    __slots__ = ("item",)

    def __init__(self, item: Kind) -> None:
        super().__init__(
            f"{item.name} | None", wraps=item.wraps, holds_documents=item.holds_documents
        )
        self.item = item
        self.exact = item.exact  # None takes the slow path, which knows about required

    def check(self, value: Any, fill: bool) -> None:
        if value is None:
            return
        try:
            self.item.check(value, fill)
        except RuleError as invalid:
            if invalid.rule == "type" and not invalid.parts:  # the value itself, not inside it
                raise self.mismatch(value) from None
            raise

    def wrap(self, value: Any) -> Any:
        return None if value is None else self.item.wrap(value)

    def child(self, part: str) -> Rule | None:
        return self.item.child(part)


_ANY = Kind("any value")
#: values that are never containers, so a default of one of them need not be copied
_ATOMIC = ATOMIC
_SCALARS: dict[type, Kind] = {
    str: _Scalar("str", (str,)),
    int: _Scalar("int", (int,), (bool,)),
    float: _Scalar("float", (int, float), (bool,)),
    bool: _Scalar("bool", (bool,)),
    datetime.datetime: _Scalar("datetime", (datetime.datetime,)),
    datetime.date: _Scalar("date", (datetime.date,), (datetime.datetime,)),
    decimal.Decimal: _Scalar("Decimal", (decimal.Decimal,)),
    bytes: _Scalar("bytes", (bytes,)),
    uuid.UUID: _Scalar("UUID", (uuid.UUID,)),
    dict: _Scalar("dict", (dict,)),
    list: _Scalar("list", (list,)),
}


def _admits_none(type_: object) -> bool:
    if type_ is None or type_ is Any or type_ is type(None):
        return True
    origin = typing.get_origin(type_)
    return origin in (typing.Union, types.UnionType) and type(None) in typing.get_args(type_)


def kind_of(type_: object) -> Kind:
    """The :class:`Kind` for a declared field type; ``TypeError`` for types doqu cannot store."""
    if type_ is None or type_ is Any:
        return _ANY
    if isinstance(type_, type):
        if type_ in _SCALARS:
            return _SCALARS[type_]
        # a Document subclass describes itself, so this module need not import documents
        describe = getattr(type_, "_field_kind", None)
        if describe is not None:
            kind: Kind = describe()
            return kind
    origin, args = typing.get_origin(type_), typing.get_args(type_)
    if origin in (typing.Union, types.UnionType) and len(args) == 2 and type(None) in args:
        return _Optional(kind_of(args[0] if args[1] is type(None) else args[1]))
    if origin is list and len(args) == 1:
        return _List(kind_of(args[0]))
    if origin is dict and len(args) == 2 and args[0] is str:
        return _Dict(kind_of(args[1]))
    raise TypeError(
        f"Field() cannot check type {type_!r}; use str, int, float, bool, datetime, date, "
        "Decimal, bytes, UUID, dict, list, list[X], dict[str, X], X | None, a Document "
        "subclass, or None for any storable value"
    )


@overload
def Field(
    type_: type[T],
    *,
    default: T | Callable[[], T] = ...,
    required: bool = ...,
    validators: Iterable[Callable[[T], object]] = ...,
    choices: Iterable[T] | None = ...,
) -> DeclaredField[T]: ...
@overload
def Field(
    type_: object = ...,
    *,
    default: Any = ...,
    required: bool = ...,
    validators: Iterable[Callable[[Any], object]] = ...,
    choices: Iterable[Any] | None = ...,
) -> Any: ...
def Field(  # noqa: N802  (named like the class it used to be, and like pydantic's Field)
    type_: object = None,
    *,
    default: Any = MISSING,
    required: bool | None = None,
    validators: Iterable[Callable[[Any], object]] = (),
    choices: Iterable[Any] | None = None,
) -> Any:
    """Declare a field of a document, as an annotation's value or alone.

    ::

        class Person(Document):
            name: str = Field(required=True)           # the type comes from the annotation
            tags: list[str] = Field(default=list)
            age = Field(int, default=0)                # or is given here, without annotation

    ``type_`` is checked on validation (see :func:`kind_of` for the types accepted); ``None``
    accepts any storable value. ``default`` is a value (copied for each document) or a
    zero-argument callable (called for each document); it is written into the record the
    first time the field is read or the document is created or validated. ``required`` refuses
    a missing or ``None`` value; left out, an annotated field without default is required
    unless its type admits ``None`` (as a type checker reads the constructor), any other field
    is not. ``validators`` are callables ``f(value)`` that reject a value by returning ``False``
    or raising ``ValueError``. ``choices`` lists the values allowed.

    Type checkers see the annotation form (the class is a ``dataclass_transform``); a field
    declared without annotation is typed through its :class:`DeclaredField` descriptor only.
    """
    return DeclaredField(
        type_, default=default, required=required, validators=validators, choices=choices
    )


class DeclaredField(Generic[T]):
    """A declared field of a document (made by :func:`Field` or from an annotation).

    Reading a field with no value and no default gives ``None``. A field typed with a
    Document subclass reads as a view on the nested record, so changes go through to the
    parent; ``list[Sub]`` reads as a new list of views (assign a list to change its length).
    """

    __slots__ = (
        "_choice_keys",
        "choices",
        "default",
        "fast",
        "holds_documents",
        "kind",
        "name",
        "required",
        "typed",
        "validators",
        "wraps",
    )

    def __init__(
        self,
        type_: object = None,
        *,
        default: Any = MISSING,
        required: bool | None = None,
        validators: Iterable[Callable[[Any], object]] = (),
        choices: Iterable[Any] | None = None,
    ) -> None:
        self.kind = kind_of(type_)
        #: whether the type was given (else the field's annotation gives it)
        self.typed = type_ is not None
        self.default = default
        #: ``None`` until the owning class decides (see :func:`Field`)
        self.required: bool | None = required
        self.validators = tuple(validators)
        for validator in self.validators:
            if not callable(validator):
                raise TypeError(f"Field() validators must be callables, got {validator!r}")
        self.choices = None if choices is None else tuple(choices)
        try:
            self._choice_keys = frozenset(sort_key(choice) for choice in self.choices or ())
        except TypeError:
            raise TypeError(
                f"Field() choices must be storable values, got {self.choices!r}"
            ) from None
        #: the attribute (and record field) name, set when the owning class is created
        self.name = ""
        self._settle()

    def _settle(self) -> None:
        # copied from the kind, so reads and checks of each value look up one attribute less
        kind = self.kind
        self.wraps = kind.wraps
        self.holds_documents = kind.holds_documents
        plain_rules = self.choices is None and not self.validators
        #: exact value classes that pass every rule at once
        self.fast = kind.exact if plain_rules else frozenset()

    def annotate(self, annotation: object) -> None:
        """Take the type (unless given to :func:`Field`) and default ``required`` from the
        annotation the field is declared under."""
        if not self.typed:
            self.kind = kind_of(annotation)
            self.typed = True
            self._settle()
        if self.required is None:
            self.required = not self.has_default and not _admits_none(annotation)

    def __set_name__(self, owner: type[Any], name: str) -> None:
        # a second name is reported by the owning Document class, outside __set_name__
        if not self.name:
            self.name = name

    @overload
    def __get__(self, instance: None, owner: type[Any]) -> Self: ...
    @overload
    def __get__(self, instance: Document, owner: type[Any]) -> T: ...
    def __get__(self, instance: Document | None, owner: type[Any]) -> Self | T:
        if instance is None:
            return self
        try:
            value = instance._data[self.name]
        except KeyError:
            value = instance._fill(self)
        return instance._view(self, value) if self.wraps else value  # type: ignore[no-any-return]

    def __set__(self, instance: Document, value: T) -> None:
        if self.holds_documents:
            instance[self.name] = value  # stores documents inside it as their records
        else:  # a value of a type that holds no documents is stored as given
            instance._data[self.name] = value

    def __delete__(self, instance: Document) -> None:
        instance._data.pop(self.name, None)

    @property
    def has_default(self) -> bool:
        """Whether the field declares a default."""
        return self.default is not MISSING

    def make_default(self) -> Any:
        """A fresh default value: the callable's result, or a deep copy of the value."""
        default = self.default
        if type(default) in _ATOMIC:
            return default
        return default() if callable(default) else copy.deepcopy(default)

    def check(self, value: Any, fill: bool) -> None:
        """Raise :class:`RuleError` unless ``value`` (``MISSING`` when absent) meets the rules."""
        if type(value) in self.fast:
            return
        if value is None or value is MISSING:
            if self.required:
                state = "missing" if value is MISSING else "None"
                raise RuleError(
                    "required", f"required field is {state} (expected {self.kind.name})", value
                )
            return
        self.kind.check(value, fill)
        if self.choices is not None:
            try:
                allowed = sort_key(value) in self._choice_keys
            except TypeError:
                allowed = False
            if not allowed:
                choices = ", ".join(short_repr(choice) for choice in self.choices)
                raise RuleError(
                    "choices", f"{short_repr(value)} is not one of the choices {choices}", value
                )
        if self.validators:
            self._run_validators(value)

    def _run_validators(self, value: Any) -> None:
        shown = self.kind.wrap(value)
        for validator in self.validators:
            name = getattr(validator, "__name__", None) or repr(validator)
            try:
                accepted = validator(shown)
            except ValueError as error:
                raise RuleError(
                    "validator", f"validator {name} rejected {short_repr(value)}: {error}", value
                ) from error
            if accepted is False:
                raise RuleError(
                    "validator", f"validator {name} rejected {short_repr(value)}", value
                )

    def child(self, part: str) -> Rule | None:
        """The rule for path part ``part`` inside this field's values (for dotted updates)."""
        return self.kind.child(part)

    def __repr__(self) -> str:
        options = [self.kind.name]
        if self.required:
            options.append("required=True")
        if self.has_default:
            options.append(f"default={short_repr(self.default)}")
        if self.choices is not None:
            options.append(f"choices={short_repr(self.choices)}")
        if self.validators:
            options.append(f"validators={short_repr(self.validators)}")
        return f"Field({', '.join(options)})"
