"""mongomock, the optional in-process stand-in for a MongoDB server (``mongomock://`` URLs).

mongomock's classes imitate pymongo's without being them; this module is the only one that
imports it, and hands its objects on as ``Any`` to be used like their pymongo counterparts.
"""

from __future__ import annotations

import importlib.util
import re
from typing import Any

from bson.regex import Regex

from doqu.backend import compile_pattern

from ._compile import Filter

__all__ = ["available", "is_client", "linear_regex", "new_client", "version"]

_INSTALL = "pip install 'doqu-mongodb[mongomock]'"


def available() -> bool:
    """Whether mongomock is installed."""
    return importlib.util.find_spec("mongomock") is not None


def _module() -> Any:
    try:
        import mongomock
    except ImportError as e:
        raise ImportError(
            f"mongomock:// URLs need the mongomock package; install it with: {_INSTALL}"
        ) from e
    return mongomock


def is_client(client: Any) -> bool:
    """Whether ``client`` is a mongomock client (rather than a pymongo one)."""
    return type(client).__module__.split(".")[0] == "mongomock"


def new_client() -> Any:
    """A new, empty in-process server (a ``mongomock.MongoClient``)."""
    return _module().MongoClient()


def version() -> str:
    """The installed mongomock's version."""
    return str(_module().__version__)


class _LinearRegex(Regex):  # type: ignore[type-arg]
    """A pattern mongomock matches with doqu's linear-time engine, not Python's ``re``.

    mongomock compiles a ``bson.Regex`` by calling its ``try_compile()``.
    """

    def try_compile(self) -> Any:
        return compile_pattern(self.pattern, caseless=bool(self.flags & re.IGNORECASE))


def linear_regex(pattern: str, caseless: bool) -> Filter:
    """The ``matches`` operator for mongomock: ``(a+)+$`` cannot stall the process."""
    return {"$regex": _LinearRegex(pattern, re.IGNORECASE if caseless else 0)}
