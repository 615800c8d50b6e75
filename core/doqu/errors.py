"""The doqu exception hierarchy.

Every error a user can cause, and every error a backend's driver raises, reaches the user as
one of these. Plugins translate their driver's exceptions into this tree; a raw driver
traceback reaching the user is a defect. The tree is grouped by what callers catch: mistakes
in the call (fix the code), the setup (fix the configuration), and the backend's answers at
run time (retry, or handle the conflict)::

    DoquError
    ├── ConfigurationError               setup: URL, backend choice, plugins
    │   ├── InvalidURLError              (also a ValueError)
    │   ├── UnknownBackendError
    │   └── PluginError
    │       ├── PluginLoadError
    │       ├── PluginConflictError
    │       └── PluginValidationError
    ├── BackendError                     the backend failed or refused at run time
    │   ├── BackendConnectionError       unreachable, or the connection was lost: retry
    │   ├── DuplicateKeyError            a key or unique value already exists
    │   └── PartialWriteError            a bulk write failed part-way; says what it wrote
    ├── InvalidArgumentError             an argument of the wrong type (also a TypeError)
    ├── DocumentError                    a record that cannot be stored (also a ValueError)
    │   ├── ValidationError
    │   └── InvalidDocumentError
    ├── QueryError                       a malformed query (also a ValueError)
    │   ├── InvalidFieldNameError
    │   ├── UnsupportedLookupError
    │   └── InvalidLookupValueError
    ├── UnsupportedError                 the backend lacks a declared capability
    └── DocumentNotFoundError            no record under a key (also a KeyError)

``QueryError`` and ``DocumentError`` are also ``ValueError``, and ``InvalidArgumentError`` a
``TypeError``, so code that already catches those around input handling keeps working.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "BackendConnectionError",
    "BackendError",
    "ConfigurationError",
    "DocumentError",
    "DocumentNotFoundError",
    "DoquError",
    "DuplicateKeyError",
    "InvalidArgumentError",
    "InvalidDocumentError",
    "InvalidFieldNameError",
    "InvalidLookupValueError",
    "InvalidURLError",
    "PartialWriteError",
    "PluginConflictError",
    "PluginError",
    "PluginLoadError",
    "PluginValidationError",
    "QueryError",
    "UnknownBackendError",
    "UnsupportedError",
    "UnsupportedLookupError",
    "ValidationError",
]


class DoquError(Exception):
    """Root of every error doqu raises."""


# -- configuration ---------------------------------------------------------------------------


class ConfigurationError(DoquError):
    """The way doqu was set up or called cannot work (URL, backend choice, plugins)."""


class InvalidURLError(ConfigurationError, ValueError):
    """A connection URL could not be understood."""

    def __init__(self, message: str, *, url: str | None = None) -> None:
        super().__init__(message)
        self.url = url


class UnknownBackendError(ConfigurationError):
    """No installed backend handles the requested URL scheme."""

    def __init__(self, message: str, *, scheme: str, installed: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.scheme = scheme
        self.installed = installed


class PluginError(ConfigurationError):
    """A backend plugin is broken: it failed to load, clashes with another, or is invalid."""

    def __init__(self, message: str, *, plugin: str | None = None) -> None:
        super().__init__(message)
        self.plugin = plugin


class PluginLoadError(PluginError):
    """A plugin's entry point raised while importing or registering."""


class PluginConflictError(PluginError):
    """Two plugins claim the same backend name or URL scheme."""


class PluginValidationError(PluginError):
    """A plugin implements a hook that does not exist or has the wrong arguments."""


# -- backend ---------------------------------------------------------------------------------


class BackendError(DoquError):
    """The backend refused or failed an operation for a reason doqu has no finer class for."""

    def __init__(self, message: str, *, code: int | str | None = None) -> None:
        super().__init__(message)
        self.code = code


class BackendConnectionError(BackendError):
    """The backend could not be reached (or the connection was lost)."""

    def __init__(self, message: str, *, backend: str | None = None) -> None:
        super().__init__(message)
        self.backend = backend


class PartialWriteError(BackendError):
    """A bulk write failed part-way: ``written`` are the keys it stored.

    For ``save_many`` they are those of the first items; for ``insert_records`` and
    ``doqu.copy``, exactly the keys stored (a copy's as the target holds them).
    ``total`` is how many items the call had; the backend's own error is ``__cause__``.
    """

    def __init__(self, message: str, *, written: list[Any], total: int) -> None:
        super().__init__(message)
        self.written = written
        self.total = total


class UnsupportedError(DoquError):
    """The backend does not declare the capability this operation needs."""

    def __init__(self, message: str, *, capability: str | None = None) -> None:
        super().__init__(message)
        self.capability = capability


class DuplicateKeyError(BackendError):
    """A write would create a second record with the same primary key or unique value."""

    def __init__(self, message: str, *, key: Any = None, index: str | None = None) -> None:
        super().__init__(message)
        self.key = key
        self.index = index


class DocumentNotFoundError(DoquError, KeyError):
    """No record has the requested primary key (also a ``KeyError``)."""

    def __init__(self, message: str, *, key: Any = None) -> None:
        super().__init__(message)
        self.key = key

    def __str__(self) -> str:
        # KeyError.__str__ would repr() the message; keep it readable.
        return str(self.args[0]) if self.args else ""


# -- arguments -------------------------------------------------------------------------------


class InvalidArgumentError(DoquError, TypeError):
    """An argument has the wrong type: ``find(int)``, ``get_many(dict, 5)``, ``Q(a=1) | 5``,
    ``q["a"]``. Also a ``TypeError``, as Python raises for a wrong argument type."""

    def __init__(self, message: str, *, argument: str | None = None, value: Any = None) -> None:
        super().__init__(message)
        self.argument = argument
        self.value = value


# -- documents -------------------------------------------------------------------------------


class DocumentError(DoquError, ValueError):
    """A document or record cannot be stored as given."""


class ValidationError(DocumentError):
    """A document broke a rule of its schema (type, required, validator, choices)."""

    def __init__(
        self, message: str, *, field: str | None = None, rule: str | None = None, value: Any = None
    ) -> None:
        super().__init__(message)
        self.field = field
        self.rule = rule
        self.value = value


class InvalidDocumentError(DocumentError):
    """A record has a shape no backend can store (bad field name, unsupported value type)."""

    def __init__(self, message: str, *, field: str | None = None, value: Any = None) -> None:
        super().__init__(message)
        self.field = field
        self.value = value


# -- queries ---------------------------------------------------------------------------------


class QueryError(DoquError, ValueError):
    """A query is malformed; raised when it is built, before anything runs."""


class InvalidFieldNameError(QueryError):
    """A field name is empty, starts with ``$``, contains NUL, or is not a string."""

    def __init__(self, message: str, *, field: Any = None) -> None:
        super().__init__(message)
        self.field = field


class UnsupportedLookupError(QueryError):
    """A ``field__lookup`` names a lookup that does not exist."""

    def __init__(
        self, message: str, *, lookup: str | None = None, field: str | None = None
    ) -> None:
        super().__init__(message)
        self.lookup = lookup
        self.field = field


class InvalidLookupValueError(QueryError):
    """A lookup was given a value of the wrong shape (e.g. ``in`` with a string)."""

    def __init__(
        self,
        message: str,
        *,
        lookup: str | None = None,
        field: str | None = None,
        value: Any = None,
    ) -> None:
        super().__init__(message)
        self.lookup = lookup
        self.field = field
        self.value = value
