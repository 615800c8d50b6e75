"""``sqlite://`` URLs and options, checked before a file is opened.

Forms (SQLAlchemy's): ``sqlite:///relative/path.db`` (relative to the current directory),
``sqlite:////absolute/path.db``, and ``sqlite://`` or ``sqlite:///:memory:`` for a throwaway
database (a temporary file removed on ``close()``). Options, in the URL or as keywords:
``collection`` (the table; default ``"default"``), ``timeout`` (seconds a writer waits for
another one; default 30), ``journal_mode`` (``wal``, the default, or ``delete``/``truncate``)
and ``synchronous`` (``full``, the default, ``normal`` or ``extra``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from doqu.backend import parse_url
from doqu.errors import ConfigurationError, InvalidURLError

__all__ = ["FORMS", "META_TABLE", "OPTIONS", "Settings", "check_collection", "settings_from_url"]

SCHEME = "sqlite"
OPTIONS = ("collection", "timeout", "journal_mode", "synchronous")
FORMS = (
    "'sqlite:///relative/path.db', 'sqlite:////absolute/path.db', or 'sqlite://' (a throwaway "
    "database), optionally with ?collection=NAME"
)
DEFAULT_COLLECTION = "default"
#: the table recording each collection's indexes
META_TABLE = "doqu_indexes"
_JOURNAL_MODES = ("wal", "delete", "truncate")
_SYNCHRONOUS = ("full", "normal", "extra")
_THROWAWAY = ("", ":memory:")


@dataclass(frozen=True, slots=True)
class Settings:
    """How a storage opens its database: everything but the path is an option."""

    collection: str = DEFAULT_COLLECTION
    timeout: float = 30.0
    journal_mode: str = "wal"
    synchronous: str = "full"

    @classmethod
    def checked(cls, **options: Any) -> Settings:
        """Settings from option values (strings from a URL, or typed keywords), each checked."""
        settings = cls()
        collection = check_collection(options.get("collection", settings.collection))
        timeout = options.get("timeout", settings.timeout)
        try:
            seconds = float(timeout)
        except (TypeError, ValueError):
            seconds = -1.0
        if isinstance(timeout, bool) or not seconds >= 0:
            raise ConfigurationError(
                f"timeout must be a number of seconds >= 0, got {timeout!r}; e.g. timeout=30"
            )
        return cls(
            collection,
            seconds,
            _choice(
                "journal_mode", options.get("journal_mode", settings.journal_mode), _JOURNAL_MODES
            ),
            _choice("synchronous", options.get("synchronous", settings.synchronous), _SYNCHRONOUS),
        )


def _choice(name: str, value: Any, choices: tuple[str, ...]) -> str:
    if isinstance(value, str) and value.lower() in choices:
        return value.lower()
    raise ConfigurationError(
        f"{name} must be one of {', '.join(choices)}, got {value!r}; e.g. {name}={choices[0]}"
    )


def check_collection(name: Any) -> str:
    """``name`` if it can name a collection's table, else raise ``ConfigurationError``."""
    if (
        not isinstance(name, str)
        or not name
        or "\x00" in name
        or name.lower().startswith("sqlite_")
        or name.lower() == META_TABLE
    ):
        raise ConfigurationError(
            f"collection must be a non-empty str without NUL that does not start with 'sqlite_' "
            f"and is not {META_TABLE!r}, got {name!r}; e.g. "
            "connect('sqlite:///app.db', collection='people')"
        )
    return name


def settings_from_url(url: str, options: dict[str, Any]) -> tuple[str | None, Settings]:
    """The database file a URL names (``None``: a throwaway one) and its settings."""
    parsed = parse_url(url)
    if parsed.scheme != SCHEME:
        raise InvalidURLError(
            f"sqlite URL {str(parsed)!r} has scheme {parsed.scheme!r}; use {FORMS}", url=str(parsed)
        )
    if parsed.location or parsed.username is not None:
        raise InvalidURLError(
            f"sqlite URL {str(parsed)!r} names a host {parsed.location!r}; a database file has "
            f"none: use {FORMS}",
            url=str(parsed),
        )
    merged = parsed.merged_options(options, OPTIONS, backend=SCHEME)
    path = unquote(parsed.path[1:])  # after the third slash; a fourth starts an absolute path
    return (None if path in _THROWAWAY else path), Settings.checked(**merged)
