"""``postgresql://`` and ``postgres://`` URLs: libpq's connection string plus doqu's options.

doqu takes ``collection`` (the table; default ``documents``) out of the query options; every
other option is libpq's and goes to the server untouched after psycopg has parsed it, so a
misspelt libpq option fails here, naming doqu's options and libpq's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode

import psycopg.conninfo

from doqu.backend import mask_password, parse_url
from doqu.errors import ConfigurationError, InvalidURLError

from ._unique import META

__all__ = ["DEFAULT_COLLECTION", "SCHEMES", "Address", "parse"]

SCHEMES = ("postgresql", "postgres")
DEFAULT_COLLECTION = "documents"
DOQU_OPTIONS = ("collection",)
# a table name PostgreSQL keeps as given: at most 63 bytes (NAMEDATALEN - 1), no NUL
_MAX_NAME = 63
_EXAMPLE = "postgresql://user:password@host:5432/dbname?collection=people"


@dataclass(frozen=True, slots=True)
class Address:
    """Where a storage lives: the libpq connection string, and the table."""

    conninfo: str
    collection: str
    #: the URL with the password masked, for messages.
    shown: str


def parse(url: str, options: dict[str, Any]) -> Address:
    """Split ``url`` and ``connect()`` keywords into libpq's part and doqu's."""
    parsed = parse_url(url)
    shown = mask_password(url)
    if parsed.scheme not in SCHEMES:
        raise InvalidURLError(f"{shown!r} is not a PostgreSQL URL; expected {_EXAMPLE}", url=shown)
    unknown = sorted(set(options) - set(DOQU_OPTIONS))
    if unknown:
        raise ConfigurationError(
            f"unknown option(s) {unknown!r} for the postgres backend; accepted: "
            f"{', '.join(DOQU_OPTIONS)} (libpq's options go in the URL, e.g. ?sslmode=require)"
        )
    pairs = parse_qsl(parsed.query, keep_blank_values=True)
    doqu = {name: value for name, value in pairs if name in DOQU_OPTIONS}
    libpq = [(name, value) for name, value in pairs if name not in DOQU_OPTIONS]
    for name, value in options.items():
        if name in doqu and doqu[name] != value:
            raise ConfigurationError(
                f"{name} is given twice, as {doqu[name]!r} in URL {shown!r} and as {value!r}; "
                "give it once"
            )
        doqu[name] = value
    base = re.split(r"\?", url, maxsplit=1)[0]
    conninfo = base + ("?" + urlencode(libpq) if libpq else "")
    try:
        psycopg.conninfo.conninfo_to_dict(conninfo)
    except psycopg.ProgrammingError as error:
        raise InvalidURLError(
            f"connection URL {shown!r} is not valid for libpq: "
            f"{mask_password(str(error))}; doqu's own options: {', '.join(DOQU_OPTIONS)}",
            url=shown,
        ) from None
    return Address(conninfo, check_collection(doqu.get("collection", DEFAULT_COLLECTION)), shown)


def check_collection(name: object) -> str:
    """``name`` if it can name a table, else ``ConfigurationError``."""
    if not isinstance(name, str) or not name or "\x00" in name:
        raise ConfigurationError(
            f"collection must be a non-empty str without NUL, got {name!r}; "
            "e.g. collection='people'"
        )
    if name == META:
        raise ConfigurationError(
            f"collection {name!r} is the table where doqu-postgres records unique indexes; "
            "choose another name"
        )
    if len(name.encode()) > _MAX_NAME:
        raise ConfigurationError(
            f"collection {name!r} is {len(name.encode())} bytes long; PostgreSQL table names "
            f"hold at most {_MAX_NAME} bytes: choose a shorter name"
        )
    return name
