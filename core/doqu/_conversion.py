"""Conversion between user objects and records: the small protocol behind ``doc_class``.

``doc_class`` may be ``dict``, a :class:`doqu.Document` subclass, a dataclass, or any class
implementing :class:`Convertible`. Each is reduced once per query to a :class:`Codec`, so the
per-record cost is one call.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Callable, Mapping
from typing import Any, Protocol, Self, runtime_checkable

from ._records import Record
from .errors import InvalidArgumentError, InvalidDocumentError

__all__ = ["Codec", "Convertible", "codec_for", "to_record"]

_KEY_ATTRIBUTE = "pk"


@runtime_checkable
class Convertible(Protocol):
    """What a class implements to be used as ``doc_class``.

    ``from_record`` receives a record the caller may keep (backends hand out fresh dicts) and
    the record's primary key. If instances have a ``pk`` attribute, ``save()`` uses it as the
    key when none is passed and sets it to the key afterwards.
    """

    @classmethod
    def from_record(cls, record: Record, key: Any) -> Self:
        """Build an instance from a stored record and its primary key."""
        ...

    def to_record(self) -> Record:
        """The record to store: a dict of storable values (see ``doqu._records``)."""
        ...


@dataclasses.dataclass(frozen=True, slots=True)
class Codec:
    """How one ``doc_class`` is loaded from records and checked on update."""

    load: Callable[[Record, Any], Any]
    #: checks ``update(**changes)`` values against the class's schema, if it has one.
    check_changes: Callable[[Mapping[str, Any]], None]


def _no_check(changes: Mapping[str, Any]) -> None:
    return None


def _load_dict(record: Record, key: Any) -> Any:
    return record


def _dataclass_loader(cls: type) -> Callable[[Record, Any], Any]:
    names = frozenset(f.name for f in dataclasses.fields(cls) if f.init)
    takes_key = _KEY_ATTRIBUTE in names

    def load(record: Record, key: Any) -> Any:
        kwargs = {name: value for name, value in record.items() if name in names}
        if takes_key:
            kwargs[_KEY_ATTRIBUTE] = key
        return cls(**kwargs)

    return load


_codecs: dict[type[Any], Codec] = {}


def codec_for(doc_class: type[Any]) -> Codec:
    """The :class:`Codec` for ``doc_class``; ``InvalidArgumentError`` for unusable classes."""
    codec = _codecs.get(doc_class)
    if codec is None:
        codec = _codecs[doc_class] = _make_codec(doc_class)
    return codec


def _make_codec(doc_class: type[Any]) -> Codec:
    if doc_class is dict:
        return Codec(_load_dict, _no_check)
    if isinstance(doc_class, type) and issubclass(doc_class, Convertible):
        check = getattr(doc_class, "check_changes", _no_check)
        return Codec(doc_class.from_record, check)
    if dataclasses.is_dataclass(doc_class) and isinstance(doc_class, type):
        return Codec(_dataclass_loader(doc_class), _no_check)
    raise InvalidArgumentError(
        f"doc_class must be dict, a doqu.Document subclass, a dataclass, or a class with "
        f"from_record()/to_record() (doqu.Convertible); got {doc_class!r}",
        argument="doc_class",
        value=doc_class,
    )


_convertible: dict[type[Any], bool] = {}


def _is_convertible(cls: type[Any]) -> bool:
    known = _convertible.get(cls)
    if known is None:
        known = _convertible[cls] = issubclass(cls, Convertible)
    return known


def to_record(data: Any) -> tuple[Record, Any]:
    """The record to store for ``data`` and the key it carries (``None`` if it has none)."""
    # dict first, then a per-class answer: a runtime Protocol check costs microseconds a call
    if type(data) is dict or isinstance(data, Mapping):
        return dict(data), None
    if _is_convertible(type(data)):
        return data.to_record(), getattr(data, _KEY_ATTRIBUTE, None)
    if dataclasses.is_dataclass(data) and not isinstance(data, type):
        record = dataclasses.asdict(data)
        key = record.pop(_KEY_ATTRIBUTE, None)
        return record, key
    raise InvalidDocumentError(
        f"cannot store {type(data).__name__} {data!r}: pass a dict, a doqu.Document, a "
        "dataclass instance, or an object with to_record()",
        value=data,
    )


def bind_key(data: Any, key: Any) -> None:
    """Tell a saved object its key, when it has a ``pk`` attribute to hold it."""
    if type(data) is not dict and hasattr(data, _KEY_ATTRIBUTE):
        # a frozen object cannot learn its key; the caller still gets it from save()
        with contextlib.suppress(AttributeError, dataclasses.FrozenInstanceError):
            setattr(data, _KEY_ATTRIBUTE, key)
