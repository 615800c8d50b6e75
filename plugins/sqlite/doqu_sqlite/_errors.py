"""sqlite3's exceptions translated into doqu's, in one place."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator

from doqu.errors import BackendConnectionError, BackendError

__all__ = ["translated"]


@contextlib.contextmanager
def translated(where: str) -> Iterator[None]:
    """Run a block whose sqlite3 errors become ``BackendError`` / ``BackendConnectionError``.

    ``where`` names the database, for the message. Unique-index violations are handled by the
    storage, which knows the index and the value.
    """
    try:
        yield
    except sqlite3.OperationalError as error:
        code = getattr(error, "sqlite_errorname", None)
        if code in ("SQLITE_BUSY", "SQLITE_LOCKED"):
            raise BackendError(
                f"{where} stayed locked by another writer beyond the timeout ({error}); raise "
                "the timeout option or shorten the other process's transactions",
                code=code,
            ) from error
        if code in ("SQLITE_CANTOPEN", "SQLITE_READONLY", "SQLITE_IOERR", "SQLITE_FULL"):
            raise BackendConnectionError(
                f"{where} cannot be used: {error} ({code}); check that the file's directory "
                "exists and is writable and that the disk has room",
                backend="sqlite",
            ) from error
        raise BackendError(f"{where} refused an operation: {error} ({code})", code=code) from error
    except sqlite3.DatabaseError as error:
        code = getattr(error, "sqlite_errorname", None)
        raise BackendError(
            f"{where} failed: {type(error).__name__}: {error} ({code}); is it a SQLite "
            "database written by doqu-sqlite?",
            code=code,
        ) from error
