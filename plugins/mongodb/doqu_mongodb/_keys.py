"""Primary keys: the ``_id`` values a MongoDB collection holds.

Keys are stored as they are: an ``ObjectId`` (what ``save()`` generates, and what most
applications write), a ``str`` or a 64-bit ``int``, so documents written by other applications
are all reachable. Their string forms (``key_to_str``) never collide: an ``ObjectId`` is its 24
hex digits, so a ``str`` key that looks like one is tagged ``~s``, as is one starting with
``~``; an ``int`` is ``~i<n>``. No tag is ever stored.
"""

from __future__ import annotations

from typing import Any

from bson.objectid import ObjectId

from doqu.errors import InvalidDocumentError

__all__ = ["check_key", "is_object_id_form"]

_INT64_MIN = -(2**63)
_INT64_MAX = 2**63 - 1


def check_key(key: Any) -> Any:
    """``key`` if MongoDB stores it as an ``_id`` doqu can address, else raise."""
    if isinstance(key, ObjectId):
        return key
    if isinstance(key, str) and key:
        return key
    if isinstance(key, int) and not isinstance(key, bool):
        if _INT64_MIN <= key <= _INT64_MAX:
            return key
        raise InvalidDocumentError(
            f"int primary key {key!r} is outside MongoDB's 64-bit integer range; use a str key",
            value=key,
        )
    raise InvalidDocumentError(
        "primary key must be an ObjectId, a non-empty str or an int for backend 'mongodb', "
        f"got {type(key).__name__} {key!r}",
        value=key,
    )


def is_object_id_form(text: str) -> bool:
    """Whether ``text`` reads as an ``ObjectId``'s string form (24 hex digits, any case)."""
    return ObjectId.is_valid(text)
