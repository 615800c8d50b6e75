"""Limits every backend shares: nesting depth, document size, and text that UTF-8 can encode.

MongoDB refuses documents over 16 MB and nesting over 100 levels; other backends would store
them, or fail deep in a driver (a cyclic dict is infinitely deep and ends in ``RecursionError``).
One rule, checked in core before anything is written, gives every backend the same answer.
Lone surrogates (``"\\ud800"``) are refused too: no backend can encode them as UTF-8.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .errors import DoquError, InvalidDocumentError, InvalidFieldNameError

__all__ = [
    "MAX_DEPTH",
    "MAX_DOCUMENT_BYTES",
    "check_limits",
    "check_text",
    "element_size",
    "surrogate_problem",
]

#: deepest nesting of records and lists accepted (MongoDB's limit)
MAX_DEPTH = 100
#: largest document accepted, in bytes as BSON counts them (MongoDB's limit, 16 MiB)
MAX_DOCUMENT_BYTES = 16 * 1024 * 1024

# BSON sizes: an element is a type byte and a NUL-terminated name before its value; a string
# value is a 4-byte length, its bytes and a NUL; a document or list a 4-byte length and a NUL.
_FIXED_SIZE: dict[type, int] = {bool: 1, int: 8, float: 8, type(None): 0}
_OTHER_SIZE = 16  # dates, decimals, UUIDs and native values: at most this many bytes


def check_text(text: str, *, what: str, name: bool = False) -> None:
    """Raise if ``text`` holds a lone surrogate: ``InvalidFieldNameError`` if it is a ``name``,
    else ``InvalidDocumentError``; ``what`` says what it is in the message."""
    if not text.isascii() and _utf8_length(text) < 0:
        raise _surrogate(text, what, name=name)


def check_limits(value: Any, *, path: str = "", depth: int = 0) -> None:
    """Raise ``InvalidDocumentError`` if ``value`` is cyclic, too deep, too big, or not UTF-8.

    ``path`` names ``value`` in messages (empty for a whole record); ``depth``: how many
    records and lists it sits in (a value written at ``a.b`` sits in two).
    """
    size = _size(value, path, depth, set())
    if size > MAX_DOCUMENT_BYTES:
        raise InvalidDocumentError(
            f"{path or 'the record'} is {size:,} bytes, over the {MAX_DOCUMENT_BYTES:,}-byte "
            "(16 MB) limit of a document; store large data outside the record (a file, GridFS) "
            "and keep a reference",
            field=path or None,
            value=f"<{size:,} bytes>",
        )


def element_size(name: str, value: Any) -> int:
    """The size of field ``name`` holding ``value`` in a record, as :func:`check_limits` counts
    it; ``value`` has passed :func:`check_limits`."""
    return 2 + _utf8_length(name) + _size(value, name, 0, set())


def _utf8_length(text: str) -> int:
    """The UTF-8 length of ``text``, or -1 if it holds a lone surrogate."""
    if text.isascii():
        return len(text)
    try:
        return len(text.encode("utf-8"))
    except UnicodeEncodeError:
        return -1


def surrogate_problem(text: str) -> str | None:
    """``None`` if UTF-8 can encode ``text``, else the problem for a message: which lone
    surrogate it holds, where, and the fix."""
    if _utf8_length(text) >= 0:
        return None
    index = next(i for i, char in enumerate(text) if "\ud800" <= char <= "\udfff")
    return (
        f"holds a lone surrogate ({text[index]!r} at index {index}), which cannot be encoded "
        "as UTF-8; decode the text with errors='replace'"
    )


def _surrogate(text: str, what: str, *, name: bool = False) -> DoquError:
    """The error for ``text`` with a lone surrogate: a field name's, or a value's."""
    message = f"{what} {text!r} {surrogate_problem(text)}"
    if name:
        return InvalidFieldNameError(message, field=text)
    return InvalidDocumentError(message, field=what, value=text)


def _size(value: Any, path: str, depth: int, active: set[int]) -> int:
    """The BSON size of ``value``, checking its text, depth and cycles on the way."""
    if isinstance(value, Mapping):
        items: Any = value.items()
    elif isinstance(value, list | tuple):
        items = enumerate(value)
    else:
        return _scalar_size(value, path)
    if id(value) in active:
        raise InvalidDocumentError(
            f"{_shown(path)} contains itself (a cyclic structure); a record must be a "
            "tree, so copy the shared part instead of referring back to it",
            field=path or None,
        )
    if depth >= MAX_DEPTH:
        raise InvalidDocumentError(
            f"{_shown(path)} is nested more than {MAX_DEPTH} levels deep; flatten it "
            f"(MongoDB, and so doqu, allow {MAX_DEPTH} levels of records and lists)",
            field=path or None,
        )
    active.add(id(value))
    size = 5
    for name, item in items:
        # the common scalars inline: a call and a path per element would cost too much
        label = name if type(name) is str else str(name)
        length = _utf8_length(label)
        if length < 0:
            raise _surrogate(label, f"field name in {path}" if path else "field name", name=True)
        kind = type(item)
        if kind is str:
            text = _utf8_length(item)
            if text < 0:
                raise _surrogate(item, f"value of {_join(path, label)}")
            size += 7 + length + text
        elif kind is int or kind is float:
            size += 10 + length
        else:
            size += 2 + length + _size(item, _join(path, label), depth + 1, active)
    active.discard(id(value))
    return size


def _shown(path: str) -> str:
    """``path`` for a message: a path 100 levels deep is shortened to its ends."""
    if not path:
        return "the record"
    return path if len(path) <= 60 else f"{path[:28]}...{path[-28:]}"


def _join(path: str, label: str) -> str:
    return f"{path}.{label}" if path else label


def _scalar_size(value: Any, path: str) -> int:
    if type(value) is str:
        length = _utf8_length(value)
        if length < 0:
            raise _surrogate(value, f"value of {path}")
        return 5 + length
    if isinstance(value, bytes):
        return 5 + len(value)
    return _FIXED_SIZE.get(type(value), _OTHER_SIZE)
