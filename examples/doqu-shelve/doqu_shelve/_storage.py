"""The shelve storage: records pickled into a file by the standard library's :mod:`shelve`.

URLs: ``shelve:///abs/path/app.db`` (absolute) or ``shelve://data/app.db`` (relative to the
current directory): everything between ``shelve://`` and ``?`` is the file path. One file
holds several collections, picked with ``collection=`` (``?collection=`` in the URL,
``"default"`` if not given); each record is stored under ``collection + NUL + key``.

Queries run on the client with doqu's reference evaluator (:func:`doqu.backend.run`), so
they give exactly the answers every other backend gives.
"""

from __future__ import annotations

import contextlib
import dbm
import os
import pickle
import shelve
import threading
import uuid
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Self
from urllib.parse import unquote

from doqu import Capabilities, Condition, QuerySpec, StorageAdapter
from doqu.backend import URL, copied, parse_url, run
from doqu.errors import (
    BackendConnectionError,
    BackendError,
    ConfigurationError,
    InvalidURLError,
)

__all__ = ["ShelveStorage"]

Record = dict[str, Any]

_SCHEME = "shelve"
_DEFAULT_COLLECTION = "default"
_OPTIONS = ("collection",)
_SEPARATOR = "\x00"  # between collection and key; collection names may not contain it

# One open shelf per file in this process, shared by every storage on that file: a dbm file
# opened twice loses writes (dbm.dumb) or refuses the second open (dbm.gnu). One lock guards
# them all, which makes storages thread-safe and get_or_create atomic within the process.
_LOCK = threading.RLock()
_SHELVES: dict[str, tuple[shelve.Shelf[Any], int]] = {}  # path -> (shelf, storages using it)


def _acquire(path: str) -> shelve.Shelf[Any]:
    """The shelf of ``path``, opened on first use; every call needs one :func:`_release`."""
    with _LOCK:
        shelf, users = _SHELVES.get(path, (None, 0))
        if shelf is None:
            try:
                shelf = shelve.open(path, writeback=False)  # noqa: SIM115 - shared, kept open
            except (OSError, *dbm.error) as error:
                raise BackendConnectionError(
                    f"cannot open shelve file {path!r}: {error}; check that its directory "
                    "exists and is writable, and that the file is a shelve file",
                    backend=_SCHEME,
                ) from error
        _SHELVES[path] = (shelf, users + 1)
        return shelf


def _release(path: str) -> None:
    with _LOCK:
        shelf, users = _SHELVES.pop(path)
        if users > 1:
            _SHELVES[path] = (shelf, users - 1)
        else:
            shelf.close()


class ShelveStorage(StorageAdapter):
    """One collection of a shelve file: ``ShelveStorage("/tmp/app.db", collection="people")``.

    Records are pickled, so every value type doqu knows round-trips. Open the file from one
    process at a time (see the README), and only files you trust: unpickling runs code.
    """

    backend = "shelve"
    capabilities = Capabilities(
        regex=True,
        date_parts=True,
        atomic_get_or_create=True,  # under the process-wide lock: not across processes
        thread_safe=True,
        persistent=True,
        # not durable: dbm.dumb rewrites its index on sync, and a kill mid-rewrite loses
        # acknowledged records (DurabilityContract measured thousands in 6 killed rounds)
        decimal_values=True,
        date_values=True,
        bytes_values=True,
        uuid_values=True,
        nan_values=True,
        infinity_values=True,
        datetime_microseconds=True,
        nested_lists=True,
    )

    def __init__(
        self, path: str | os.PathLike[str], *, collection: str = _DEFAULT_COLLECTION
    ) -> None:
        if not isinstance(collection, str) or not collection or _SEPARATOR in collection:
            raise ConfigurationError(
                f"collection must be a non-empty str without NUL, got {collection!r}; e.g. "
                "connect('shelve:///tmp/app.db', collection='people')"
            )
        self.path = os.path.realpath(path)
        if os.path.isdir(self.path):  # dbm would create app.db.dat/.dir/.bak beside it
            raise ConfigurationError(
                f"shelve path {self.path!r} is a directory; name a file inside it, e.g. "
                f"connect('shelve://{os.path.join(self.path, 'app.db')}')"
            )
        self.collection = collection
        self._prefix = collection + _SEPARATOR
        self._shelf: shelve.Shelf[Any] | None = _acquire(self.path)

    @classmethod
    def from_url(cls, url: str, **options: Any) -> Self:
        """Build a storage from ``shelve://PATH[?collection=NAME]`` and ``collection=``."""
        parsed = parse_url(url)
        options = parsed.merged_options(options, _OPTIONS, backend="shelve")
        return cls(_file_path(parsed), collection=options.get("collection", _DEFAULT_COLLECTION))

    # -- the six required methods of the backend protocol -----------------------------------

    def add_record(self, record: Record) -> str:
        return self.add_records([record])[0]

    def put_record(self, key: str, record: Record) -> None:
        self.put_records([(key, record)])

    def fetch_records(self, keys: Sequence[str]) -> Iterator[tuple[str, Record]]:
        with self._locked() as shelf:
            slots = [(key, self._prefix + key) for key in keys]
            found = [(key, shelf[slot]) for key, slot in slots if slot in shelf]
        return iter(found)  # each read unpickles a fresh record: the caller's to keep

    def remove_record(self, key: str) -> bool:
        with self._locked() as shelf:
            if self._prefix + key not in shelf:
                return False
            del shelf[self._prefix + key]
            shelf.sync()
            return True

    def query_items(self, spec: QuerySpec) -> Iterator[tuple[str, Record]]:
        with self._locked() as shelf:  # collect now: a generator must not hold the lock
            selected = list(run(spec, ((key, shelf[slot]) for key, slot in self._slots(shelf))))
        return iter(selected)

    def clear(self) -> None:
        with self._locked() as shelf:
            for _, slot in self._slots(shelf):
                del shelf[slot]
            shelf.sync()

    # -- optional methods: batch the writes, lock the read-modify-writes ---------------------

    def add_records(self, records: Sequence[Record]) -> list[str]:
        keys = [uuid.uuid4().hex for _ in records]
        self.put_records(list(zip(keys, records, strict=True)))
        return keys

    def put_records(self, items: Sequence[tuple[str, Record]]) -> None:
        with self._locked() as shelf:
            for key, record in items:
                shelf[self._prefix + key] = copied(record)  # tuples as lists; then pickled
            shelf.sync()

    def get_or_create_record(
        self, condition: Condition, record: Record
    ) -> tuple[str, Record, bool]:
        with self._locked():
            return super().get_or_create_record(condition, record)

    def update_records(self, spec: QuerySpec, changes: Mapping[str, Any]) -> int:
        with self._locked():
            return super().update_records(spec, changes)

    def delete_records(self, spec: QuerySpec) -> int:
        with self._locked():
            return super().delete_records(spec)

    def iter_keys(self) -> Iterator[str]:
        with self._locked() as shelf:
            keys = [key for key, _ in self._slots(shelf)]
        return iter(keys)

    def close(self) -> None:
        with _LOCK:
            if self._shelf is not None:
                self._shelf = None
                _release(self.path)

    def reconnect(self) -> None:
        with _LOCK:
            self.close()
            self._shelf = _acquire(self.path)

    # -- helpers -----------------------------------------------------------------------------

    @contextlib.contextmanager
    def _locked(self) -> Iterator[shelve.Shelf[Any]]:
        """The open shelf, under the process-wide lock; the file's errors become doqu's."""
        with _LOCK:
            if self._shelf is None:
                raise BackendConnectionError(
                    f"{self!r} is closed; call reconnect() or connect() again", backend=_SCHEME
                )
            try:
                yield self._shelf
            except (OSError, pickle.UnpicklingError, *dbm.error) as error:
                raise BackendError(
                    f"shelve file {self.path!r} failed: {type(error).__name__}: {error}"
                ) from error

    def _slots(self, shelf: shelve.Shelf[Any]) -> list[tuple[str, str]]:
        """``(key, shelf key)`` of every record of this collection."""
        n = len(self._prefix)
        return [(slot[n:], slot) for slot in shelf if slot.startswith(self._prefix)]

    def __repr__(self) -> str:
        return f"<ShelveStorage {self.path!r} collection {self.collection!r}>"


def _file_path(parsed: URL) -> str:
    """The file path of a ``shelve://`` URL."""
    path = unquote(parsed.location + parsed.path)
    problem = None
    if parsed.scheme != _SCHEME:
        problem = f"has scheme {parsed.scheme!r}, not {_SCHEME!r}"
    elif not path:
        problem = "names no file"
    if problem:
        raise InvalidURLError(
            f"shelve URL {str(parsed)!r} {problem}; use 'shelve:///absolute/path.db' or "
            "'shelve://relative/path.db', optionally with ?collection=NAME",
            url=str(parsed),
        )
    return path
