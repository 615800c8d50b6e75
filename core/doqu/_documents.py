"""Documents: typed views on records, with declared fields, validation and a storage API.

A :class:`Document` holds its record dict itself; declared fields read and write that dict, and
fields the class does not declare stay in it untouched, so saving never drops them. Loading is
one allocation per record: nothing is copied or validated until the document is saved.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ClassVar, Self, TypeVar, dataclass_transform

from ._class_views import combined_view
from ._declare import declare_annotated
from ._fields import DeclaredField, Field, Kind, Rule, RuleError, short_repr
from ._names import declared_rule
from ._records import KEY_FIELD, Record
from ._values import MISSING
from ._views import View, plain
from .errors import DocumentNotFoundError

if TYPE_CHECKING:
    from ._conditions import Condition
    from ._indexes import Index
    from ._query import Key, Query
    from ._storage import StorageAdapter

__all__ = ["Document"]

D = TypeVar("D", bound="Document")


@dataclass_transform(kw_only_default=True, field_specifiers=(Field,))
class Document(View):
    """A document class: declare fields, then create, load, validate and save documents.

    ::

        class Person(Document):
            name: str                       # required: no default, None not allowed
            age: int = 0
            tags: list[str] = Field(default=list, validators=[unique])
            address: Address | None = None

        ann = Person(name="Ann")
        key = ann.save(storage)

    Fields are annotations (typed through PEP 681, checked with mypy --strict), or ``Field(Type,
    ...)`` without annotation as in earlier versions; a class should use one form, as type
    checkers see only annotated fields in the constructor.

    Attribute access (``doc.age``) follows the schema: defaults, nested views. Item access
    (``doc["x"]``, ``"x" in doc``, ``doc.get("x")``) reads and writes the record as stored, for
    any field, declared or not. ``doc.record`` is the record itself. Assigning an attribute
    that is not a field raises ``AttributeError``, so a typo cannot silently go unsaved;
    subclasses that need more instance attributes declare them in ``__slots__``.
    """

    __slots__ = ("_views", "pk")

    #: the declared fields by name, base classes' first (read-only).
    __fields__: ClassVar[Mapping[str, DeclaredField[Any]]] = MappingProxyType({})
    #: indexes that ``storage.ensure_indexes(cls)`` creates.
    __indexes__: ClassVar[tuple[Index, ...]] = ()
    #: the conditions a record meets to be one of this class (``Q(name__exists=True)``), ANDed
    #: with the base classes'; every query through the class applies them. ``None``: any record.
    __view__: ClassVar[Condition | None] = None
    # derived from __fields__ for the constructor: fields whose values may hold documents, and
    # fields with defaults
    _converted: ClassVar[tuple[str, ...]] = ()
    _defaulted: ClassVar[tuple[DeclaredField[Any], ...]] = ()

    _data: Record
    # the nested document views read so far, by field name, with the record each views
    _views: dict[str, tuple[Record, Document]]
    #: the primary key, ``None`` until the document is saved or when it is a nested view.
    pk: Key

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        declare_annotated(cls)
        cls.__view__ = combined_view(cls)
        fields: dict[str, DeclaredField[Any]] = {}
        for klass in reversed(cls.__mro__):
            for name, attribute in vars(klass).items():
                if isinstance(attribute, DeclaredField):
                    fields[name] = attribute
                elif name in fields:  # a subclass replaced the field with something else
                    del fields[name]
        for name, field in fields.items():
            if field.required is None:  # declared without annotation: not required unless said
                field.required = False
            _check_declaration(cls, name, field)
        cls.__fields__ = MappingProxyType(fields)
        cls._converted = tuple(name for name, field in fields.items() if field.holds_documents)
        cls._defaulted = tuple(field for field in fields.values() if field.has_default)

    def __init__(self, **values: Any) -> None:
        fields = self.__fields__
        if not fields.keys() >= values.keys():
            unknown = [name for name in values if name not in fields]
            raise TypeError(
                f"{type(self).__name__}() got unknown field(s) {', '.join(map(repr, unknown))}; "
                f"declared fields: {', '.join(map(repr, fields)) or 'none'}. Set fields outside "
                f"the schema with doc[{unknown[0]!r}] = value"
            )
        data: Record = dict(values)
        for name in self._converted:
            if name in data:
                data[name] = plain(data[name])
        for field in self._defaulted:
            if field.name not in data:
                data[field.name] = plain(field.make_default())
        _set_data(self, data)
        _set_pk(self, None)

    @classmethod
    def from_record(cls, record: Record, key: Key) -> Self:
        """A document viewing ``record`` (kept, not copied) stored under ``key``.

        Nothing is checked here: loading stays cheap, and :meth:`to_record` validates on save.
        """
        document = _new(cls)
        _set_data(document, record)
        _set_pk(document, key)
        return document

    @classmethod
    def _field_kind(cls) -> Kind:
        """How a field typed with this class checks and reads its values (see ``_fields``)."""
        return _Nested(cls)

    # -- the record --------------------------------------------------------------------------

    @property
    def record(self) -> Record:
        """The record this document is a view on (the dict itself, not a copy)."""
        return self._data

    def __getitem__(self, name: str) -> Any:
        return self._data[name]

    def __setitem__(self, name: str, value: Any) -> None:
        self._data[name] = plain(value)

    def __delitem__(self, name: str) -> None:
        del self._data[name]

    def __contains__(self, name: object) -> bool:
        return name in self._data

    def get(self, name: str, default: Any = None) -> Any:
        """The stored value of field ``name``, or ``default`` if the record lacks it."""
        return self._data.get(name, default)

    def _fill(self, field: DeclaredField[Any]) -> Any:
        """Write the default of a field the record lacks into it; ``None`` if it has none."""
        if not field.has_default:
            return None
        value = self._data[field.name] = plain(field.make_default())
        return value

    def _view(self, field: DeclaredField[Any], value: Any) -> Any:
        """What field ``field`` reads as, for its stored ``value``: the same document view
        each time while the record holds the same nested record."""
        try:
            views = self._views
        except AttributeError:  # the first view read: loading a record stays one allocation
            views = {}
            _set_views(self, views)
        seen = views.get(field.name)
        if seen is not None and seen[0] is value:
            return seen[1]
        view = field.kind.wrap(value)
        if isinstance(view, Document):  # a view of the dict itself, valid while it is stored
            views[field.name] = (value, view)
        return view

    if not TYPE_CHECKING:  # hidden from type checkers, which then flag the typo statically

        def __setattr__(self, name: str, value: Any) -> None:
            if not hasattr(type(self), name):
                fields = ", ".join(map(repr, self.__fields__)) or "none"
                raise AttributeError(
                    f"{type(self).__name__} has no field {name!r}; declared fields: {fields}. "
                    f"Set fields outside the schema with doc[{name!r}] = value"
                )
            object.__setattr__(self, name, value)

    # -- validation --------------------------------------------------------------------------

    def validate(self) -> None:
        """Raise ``ValidationError`` unless the record meets the schema.

        Missing fields that have a default get it written into the record first, nested
        documents included.
        """
        cls = type(self)
        try:
            cls._check_fields(self._data, fill=True)
        except RuleError as invalid:
            raise invalid.error(cls.__name__) from invalid.__cause__

    def to_record(self) -> Record:
        """Validate, then return the record to store (a shallow copy)."""
        self.validate()
        return dict(self._data)

    @classmethod
    def check_changes(cls, changes: Mapping[str, Any]) -> None:
        """Raise ``ValidationError`` unless ``query.update(**changes)`` keeps the schema.

        Each (dotted) name is checked against the field it reaches, through nested document
        fields; names the schema does not declare are not checked.
        """
        for name, value in changes.items():
            rule: Rule | None = declared_rule(cls.__fields__, name)
            if rule is None:
                continue
            try:
                rule.check(value, False)
            except RuleError as invalid:
                raise invalid.error(f"{cls.__name__}.{name}") from invalid.__cause__

    @classmethod
    def _check_fields(cls, record: Record, fill: bool) -> None:
        for name, field in cls.__fields__.items():
            value = record.get(name, MISSING)
            if type(value) in field.fast:  # the common case, checked without a call
                continue
            if value is MISSING and field.has_default:
                if not fill:
                    continue
                value = record[name] = plain(field.make_default())
            try:
                field.check(value, fill)
            except RuleError as invalid:
                invalid.at(f".{name}")
                raise

    # -- storage -----------------------------------------------------------------------------

    def save(self, storage: StorageAdapter, primary_key: Key | None = None) -> Key:
        """Validate and store this document (under ``primary_key``, else its ``pk``).

        Returns the key, which also becomes ``pk``.
        """
        key: Key = storage.save(self, primary_key)
        return key

    def delete(self, storage: StorageAdapter) -> None:
        """Delete this document's record from ``storage``; ``KeyError`` if it is not there."""
        if self.pk is None:
            raise DocumentNotFoundError(
                f"cannot delete {self!r}: it has no pk, so it was never saved; save() it first",
                key=None,
            )
        storage.delete(self.pk)

    @classmethod
    def objects(cls, storage: StorageAdapter) -> Query[Self]:
        """A query over every document of this class (every record in its view) in ``storage``."""
        return storage.find(cls)

    def convert_to(self, doc_class: type[D], values: Mapping[str, Any] | None = None) -> D:
        """This document's record (the same dict) and key seen as ``doc_class``, with
        ``values`` then set on it (as the original doqu's ``convert_to`` took them).

        ``person.convert_to(User, {"username": "ann"})``, saved, is the same record now in
        ``User``'s view. A value of a declared field is set as its attribute, any other as an
        item (``doc[name] = value``). Nothing is checked until it is saved.
        """
        if values is not None and not isinstance(values, Mapping):
            raise TypeError(
                "convert_to() takes values as a mapping of field names to values, e.g. "
                f"convert_to(User, {{'username': 'ann'}}), got {values!r}"
            )
        converted = doc_class.from_record(self._data, self.pk)
        for name, value in (values or {}).items():
            if name in doc_class.__fields__:
                setattr(converted, name, value)
            else:
                converted[name] = value
        return converted

    # -- comparison and display --------------------------------------------------------------

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Document):
            return NotImplemented
        return type(self) is type(other) and self.pk == other.pk and self._data == other._data

    def __repr__(self) -> str:
        data = self._data
        shown = "".join(
            f" {name}={short_repr(data[name])}" for name in self.__fields__ if name in data
        )
        return f"<{type(self).__name__} pk={self.pk!r}{shown}>"


_new = object.__new__
# slot setters: they skip Document.__setattr__, so loading a record stays one allocation
_set_data = View.__dict__["_data"].__set__
_set_pk = Document.__dict__["pk"].__set__
_set_views = Document.__dict__["_views"].__set__
_RESERVED = frozenset(dir(Document))


def _check_declaration(cls: type[Document], name: str, field: DeclaredField[Any]) -> None:
    where = f"{cls.__name__}.{name}"
    if field.name != name:
        raise TypeError(
            f"{where} is the Field already declared as {field.name!r}; create one Field per name"
        )
    if name == KEY_FIELD or name in _RESERVED:
        raise TypeError(
            f"{where}: {name!r} is reserved by doqu.Document; name the field differently and "
            f"reach a stored {name!r} field as doc[{name!r}]"
        )
    if field.has_default and not callable(field.default):
        try:
            field.check(plain(field.default), False)
        except RuleError as invalid:
            raise invalid.error(where, " (in the field's default)") from invalid.__cause__


class _Nested(Kind):
    """A field typed with a Document subclass: a nested record, read as a view."""

    __slots__ = ("document",)

    def __init__(self, document: type[Document]) -> None:
        super().__init__(document.__name__, wraps=True)
        self.document = document

    def check(self, value: Any, fill: bool) -> None:
        if not isinstance(value, dict):
            raise self.mismatch(value)
        self.document._check_fields(value, fill)

    def wrap(self, value: Any) -> Any:
        return self.document.from_record(value, None) if isinstance(value, dict) else value

    def child(self, part: str) -> Rule | None:
        return self.document.__fields__.get(part)
