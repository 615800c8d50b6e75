"""Which server a client talks to, and what doqu can do on it.

MongoDB itself has every capability the plugin offers. FerretDB speaks MongoDB's protocol with
gaps that would otherwise surface as dropped connections or refused commands, so a storage
on FerretDB narrows its capabilities (core then refuses such values and lookups up front, with
``UnsupportedError``) and declares the contract tests it is known to fail. mongomock, the
in-process stand-in, has gaps of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from doqu import Capabilities, KnownGap

__all__ = ["MONGODB_CAPABILITIES", "ServerInfo", "detect", "mongomock_info"]

#: what the plugin does on MongoDB (the class-level declaration).
MONGODB_CAPABILITIES = Capabilities(
    regex=True,
    date_parts=True,
    atomic_get_or_create=True,
    unique_indexes=True,
    thread_safe=True,
    persistent=True,
    integer_keys=True,
    decimal_values=True,
    bytes_values=True,
    uuid_values=True,
    nan_values=True,
    server_side_queries=True,
)

_FERRETDB_CAPABILITIES = MONGODB_CAPABILITIES.replace(
    # Decimal128 and NaN make FerretDB v1 close the connection
    decimal_values=False,
    nan_values=False,
    # $expr is not implemented ("The operator $eq is not implemented yet"): no $month/$dayOfMonth
    date_parts=False,
)

_MONGOMOCK_CAPABILITIES = MONGODB_CAPABILITIES.replace(
    # mongomock's $expr lacks $type ("Unrecognized expression '$type'"), which guards $month
    date_parts=False,
)

_FERRETDB_GAPS: tuple[KnownGap, ...] = ()
_MONGOMOCK_GAPS: tuple[KnownGap, ...] = ()


@dataclass(frozen=True, slots=True)
class ServerInfo:
    """What a storage needs to know about its server."""

    #: ``"mongodb"``, ``"ferretdb"`` or ``"mongomock"``.
    kind: str
    version: str
    capabilities: Capabilities
    known_gaps: tuple[KnownGap, ...]
    #: the regular expression for "end of string" in the server's regex dialect.
    end_anchor: str = r"\z"


def detect(build_info: dict[str, Any]) -> ServerInfo:
    """The server described by a ``buildInfo`` reply."""
    if "ferretdbVersion" in build_info:
        return ServerInfo(
            "ferretdb",
            str(build_info["ferretdbVersion"]),
            _FERRETDB_CAPABILITIES,
            _FERRETDB_GAPS,
        )
    return ServerInfo("mongodb", str(build_info.get("version", "")), MONGODB_CAPABILITIES, ())


def mongomock_info(version: str) -> ServerInfo:
    """mongomock (regular expressions run on Python's ``re``, where ``\\z`` is ``\\Z``)."""
    return ServerInfo(
        "mongomock", version, _MONGOMOCK_CAPABILITIES, _MONGOMOCK_GAPS, end_anchor=r"\Z"
    )
