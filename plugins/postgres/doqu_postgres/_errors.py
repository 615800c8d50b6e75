"""psycopg exceptions translated into :mod:`doqu.errors`, passwords masked.

Every call into the driver runs under :func:`translated` (cursor iteration too: a lost
connection can surface mid-stream). Errors are told apart by SQLSTATE and psycopg's classes,
never by their text.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import psycopg
from psycopg import errors

from doqu.backend import mask_password
from doqu.errors import BackendConnectionError, BackendError, DoquError, DuplicateKeyError

__all__ = ["translated"]

_BACKEND = "postgres"
_AUTH = ("28P01", "28000")  # invalid password, invalid authorization specification


def _text(error: BaseException) -> str:
    return mask_password(str(error).strip().replace("\n", "; "))


@contextlib.contextmanager
def translated(place: str, *, connecting: bool = False) -> Iterator[None]:
    """Run driver calls for ``place`` (a masked URL and table), raising only doqu's errors."""
    try:
        yield
    except DoquError:
        raise
    except errors.UniqueViolation as error:
        detail = error.diag.message_detail or ""
        raise DuplicateKeyError(
            f"duplicate key in {place}: {mask_password(detail) or _text(error)}",
            index=error.diag.constraint_name,
        ) from None
    except psycopg.OperationalError as error:
        if error.sqlstate in _AUTH:
            raise BackendConnectionError(
                f"PostgreSQL refused the login to {place}: {_text(error)}; check the user and "
                "password in the URL (postgresql://user:password@host/db) and pg_hba.conf",
                backend=_BACKEND,
            ) from None
        what = "cannot connect to" if connecting else "lost the connection to"
        raise BackendConnectionError(
            f"{what} PostgreSQL at {place}: {_text(error)}", backend=_BACKEND
        ) from None
    except psycopg.Error as error:
        raise BackendError(
            f"PostgreSQL failed on {place}: {type(error).__name__}: {_text(error)}",
            code=error.sqlstate,
        ) from None
