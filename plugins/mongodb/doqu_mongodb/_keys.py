"""Primary keys: the ``_id`` values a MongoDB collection holds.

Keys are stored as they are: an ``ObjectId`` (what ``save()`` generates, and what most
applications write), a ``str`` or a 64-bit ``int``, so documents written by other applications
are all reachable. Their string forms (``key_to_str``) never collide: an ``ObjectId`` is its 24
hex digits, so a ``str`` key that looks like one is tagged ``~s``, as is one starting with
``~``; an ``int`` is ``~i<n>``. No tag is ever stored.
"""

from __future__ import annotations

from bson.objectid import ObjectId

__all__ = ["is_object_id_form"]


def is_object_id_form(text: str) -> bool:
    """Whether ``text`` reads as an ``ObjectId``'s string form (24 hex digits, any case)."""
    return ObjectId.is_valid(text)
