"""pymongo and bson exceptions translated into :mod:`doqu.errors`.

Every call into the driver runs under :func:`translated` (cursor iteration too: a lost
connection can surface mid-stream), so no driver exception reaches the user. Messages name
the place: the collection, its database and the server's hosts, never a password.
"""

from __future__ import annotations

import contextlib
import re
import reprlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from bson.errors import BSONError, InvalidDocument
from pymongo import errors

from doqu.errors import (
    BackendConnectionError,
    BackendError,
    ConfigurationError,
    DoquError,
    DuplicateKeyError,
    InvalidDocumentError,
    PartialWriteError,
    UnsupportedError,
)

__all__ = ["taken", "translate", "translated"]

_BACKEND = "mongodb"
_DUPLICATE_KEY = 11000
# "Cannot create field 'b' in element {a: 2}": a dotted update runs into a non-document
_PATH_NOT_VIABLE = 28
_INDEX_NAME = re.compile(r"index: (\S+)")
# FerretDB v1 reports a unique index it cannot build as InternalError (code 1) with this text
_FERRETDB_UNIQUE = "UNIQUE constraint failed"
_SHORT = reprlib.Repr()
_SHORT.maxstring = _SHORT.maxother = 80
_SHORT.maxdict = _SHORT.maxlist = 12


def _message(error: Exception) -> str:
    text = str(error)
    # pymongo appends the raw reply, or for server selection the whole topology
    for tail in (", full error:", ", Topology Description:"):
        text = text.split(tail, 1)[0]
    return text


def _duplicate(details: Mapping[str, Any], place: str, written: Sequence[Any]) -> DuplicateKeyError:
    message = str(details.get("errmsg", "duplicate key"))
    key_value = details.get("keyValue")
    position = details.get("index", 0)
    if key_value:
        message += f" (duplicate {key_value!r})"
    elif isinstance(position, int) and position < len(written):
        # FerretDB and mongomock do not say which value: show what was being written
        message += f" (writing {_SHORT.repr(written[position])})"
    match = _INDEX_NAME.search(message)
    return DuplicateKeyError(
        f"a record with the same key or unique value already exists in {place}: {message}; "
        "use another value, or update the existing record",
        key=(key_value or {}).get("_id"),
        index=match.group(1) if match else None,
    )


def _refused(code: int | None, message: str, place: str) -> DoquError:
    if _FERRETDB_UNIQUE in message:  # FerretDB v1 building a unique index over duplicates
        return _duplicate({"errmsg": message}, place, ())
    if code == _PATH_NOT_VIABLE:
        return InvalidDocumentError(
            f"cannot set a nested field in {place}: {message}; set the outer field to a dict first"
        )
    return BackendError(
        f"the MongoDB server refused an operation on {place}: {message} (code {code})",
        code=code,
    )


def translate(error: Exception, place: str, written: Sequence[Any] = ()) -> DoquError:
    """The :mod:`doqu.errors` exception for a pymongo/bson ``error`` raised at ``place``.

    ``written`` are the records (or changes) the failed operation was writing, in order.
    """
    if isinstance(error, errors.DuplicateKeyError):
        return _duplicate(error.details or {}, place, written)
    if isinstance(error, errors.BulkWriteError):
        write_errors = error.details.get("writeErrors") or [{}]
        for detail in write_errors:
            if detail.get("code") == _DUPLICATE_KEY:
                return _duplicate(detail, place, written)
        first = write_errors[0]
        return _refused(first.get("code"), str(first.get("errmsg", error)), place)
    if isinstance(error, errors.ConnectionFailure):
        return BackendConnectionError(
            f"cannot reach the MongoDB server of {place}: {_message(error)}; check that the "
            "server runs and the URL is right, then retry (or call reconnect())",
            backend=_BACKEND,
        )
    if isinstance(error, errors.OperationFailure):
        return _refused(error.code, _message(error), place)
    if isinstance(error, errors.InvalidName):
        return ConfigurationError(f"invalid name for {place}: {error}; choose another name")
    if isinstance(error, errors.ConfigurationError):
        return ConfigurationError(
            f"invalid MongoDB client configuration for {place}: {error}; the storage takes "
            "database=, collection=, client= and MongoClient's options"
        )
    if isinstance(error, InvalidDocument):  # also pymongo's DocumentTooLarge
        return InvalidDocumentError(f"MongoDB cannot store a record in {place}: {error}")
    if isinstance(error, errors.InvalidOperation) and "after close" in str(error):
        return BackendConnectionError(
            f"the MongoDB client of {place} was closed; call reconnect() or connect again",
            backend=_BACKEND,
        )
    return BackendError(f"MongoDB operation on {place} failed: {_message(error)}")


def taken(
    error: DuplicateKeyError,
    keys: Sequence[Any],
    present: Callable[[Sequence[Any]], set[Any]],
) -> DuplicateKeyError | PartialWriteError:
    """The error of an ordered ``insert_many`` of records under ``keys`` that hit a duplicate
    (``error``, translated from its ``BulkWriteError``): the record's key named, and a
    ``PartialWriteError`` listing the keys inserted when there were some. Its ``__cause__``
    is set: raise it ``from`` that.

    MongoDB inserts exactly the records before the failing one. FerretDB v1 inserts in chunks
    of 100 and goes on with the next chunk after a failure, so when the server counts more
    inserted than precede the failure, ``present(keys)`` asks which of the later keys it holds.
    """
    cause = error.__cause__
    details = cause.details if isinstance(cause, errors.BulkWriteError) else {}
    inserted = details.get("nInserted", 0)
    failed = next(iter(details.get("writeErrors") or [{}])).get("index")
    if not isinstance(failed, int) or not 0 <= failed < len(keys):
        failed = inserted
    key = keys[failed] if failed < len(keys) else error.key
    named = DuplicateKeyError(
        f"cannot insert the record under key {key!r}: {error}",
        key=key if error.key is None else error.key,
        index=error.index,
    )
    named.__cause__ = cause
    if not inserted:
        return named
    written = list(keys[:failed])
    if inserted > failed:
        later = present(keys[failed + 1 :])
        written += [later_key for later_key in keys[failed + 1 :] if later_key in later]
    partial = PartialWriteError(
        f"inserted {len(written)} of {len(keys)} records, then: {named}; the keys inserted "
        "are the error's .written",
        written=written,
        total=len(keys),
    )
    partial.__cause__ = named
    return partial


@contextlib.contextmanager
def translated(place: str, *, mock: bool = False, written: Sequence[Any] = ()) -> Iterator[None]:
    """Run a block, turning driver exceptions into doqu's (``written`` as for :func:`translate`).

    With ``mock``, the driver is mongomock, which raises ``NotImplementedError`` for what it
    does not imitate.
    """
    try:
        yield
    except (errors.PyMongoError, BSONError) as error:
        raise translate(error, place, written) from error
    except NotImplementedError as error:
        if not mock:
            raise
        raise UnsupportedError(
            f"mongomock cannot do this on {place}: {error}; run it on a MongoDB server"
        ) from error
