"""Views on stored data: documents, and the lists and dicts of documents inside them.

A field typed ``list[Pet]`` or ``dict[str, Pet]`` reads as a live view on the list or dict
stored in the record: items read as document views, and every change made through the view
(``append``, ``insert``, item assignment, ``del``, ``pop``, ...) writes the items' records into
the stored container, so an edit made through a document is never lost on save.
"""

from __future__ import annotations

import datetime
import decimal
import uuid
from collections.abc import Callable, Iterable, Iterator, MutableMapping, MutableSequence
from typing import Any, overload

__all__ = ["ATOMIC", "DictView", "ListView", "View", "plain"]

#: the exact types of values that can hold no view: stored as given, never walked into.
ATOMIC = frozenset(
    (str, int, float, bool, type(None), bytes, decimal.Decimal, uuid.UUID, datetime.datetime)
) | {datetime.date}


class View:
    """Something that reads and writes stored data (``_data``) in place."""

    __slots__ = ("_data",)

    _data: Any


def plain(value: Any) -> Any:
    """``value`` with every view in it replaced by the data it views (the object itself).

    Containers are copied only when something in them changes, so plain data costs one pass.
    """
    if type(value) in ATOMIC:
        return value
    if isinstance(value, View):
        return value._data
    if isinstance(value, list):
        changed_list: list[Any] | None = None
        for index, item in enumerate(value):
            if type(item) in ATOMIC:
                continue
            new = plain(item)
            if new is not item:
                if changed_list is None:
                    changed_list = list(value)
                changed_list[index] = new
        return value if changed_list is None else changed_list
    if isinstance(value, dict):
        changed: dict[Any, Any] | None = None
        for name, item in value.items():
            if type(item) in ATOMIC:
                continue
            new = plain(item)
            if new is not item:
                if changed is None:
                    changed = dict(value)
                changed[name] = new
        return value if changed is None else changed
    return value


class ListView(View, MutableSequence[Any]):
    """A stored list whose items read through ``wrap`` and are stored as plain data."""

    __slots__ = ("_wrap",)

    def __init__(self, data: list[Any], wrap: Callable[[Any], Any]) -> None:
        self._data = data
        self._wrap = wrap

    @overload
    def __getitem__(self, index: int) -> Any: ...
    @overload
    def __getitem__(self, index: slice) -> list[Any]: ...
    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            return [self._wrap(item) for item in self._data[index]]
        return self._wrap(self._data[index])

    @overload
    def __setitem__(self, index: int, value: Any) -> None: ...
    @overload
    def __setitem__(self, index: slice, value: Iterable[Any]) -> None: ...
    def __setitem__(self, index: int | slice, value: Any) -> None:
        if isinstance(index, slice):
            self._data[index] = [plain(item) for item in value]
        else:
            self._data[index] = plain(value)

    def __delitem__(self, index: int | slice) -> None:
        del self._data[index]

    def __len__(self) -> int:
        return len(self._data)

    def __iter__(self) -> Iterator[Any]:
        return map(self._wrap, self._data)

    def insert(self, index: int, value: Any) -> None:
        self._data.insert(index, plain(value))

    def sort(self, *, key: Callable[[Any], Any] | None = None, reverse: bool = False) -> None:
        """Sort in place, as ``list.sort`` (``key`` sees the items as they read)."""
        self[:] = sorted(self, key=key, reverse=reverse)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, ListView | list):
            return list(self) == list(other)
        return NotImplemented

    def __repr__(self) -> str:
        return repr(list(self))


class DictView(View, MutableMapping[str, Any]):
    """A stored dict whose values read through ``wrap`` and are stored as plain data."""

    __slots__ = ("_wrap",)

    def __init__(self, data: dict[str, Any], wrap: Callable[[Any], Any]) -> None:
        self._data = data
        self._wrap = wrap

    def __getitem__(self, name: str) -> Any:
        return self._wrap(self._data[name])

    def __setitem__(self, name: str, value: Any) -> None:
        self._data[name] = plain(value)

    def __delitem__(self, name: str) -> None:
        del self._data[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, DictView | dict):
            return dict(self.items()) == dict(other.items())
        return NotImplemented

    def __repr__(self) -> str:
        return repr(dict(self.items()))
