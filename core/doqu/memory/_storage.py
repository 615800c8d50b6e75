"""The memory backend: records in a dict, queried with the reference evaluator.

``memory://`` gives a fresh private store. ``memory://NAME`` (or ``memory:///NAME``) names a
store shared by every ``connect()`` in the process with that name; it lives as long as the
process and is never written anywhere. A store holds several collections, picked with
``collection=`` (``?collection=`` in the URL, ``"default"`` if not given).

Every stored record is a private deep copy that is never mutated in place: a write stores a
fresh copy, and readers get copies of their own. A query picks its records under the
collection's lock, through an index where one narrows the condition (``_index.py``), and copies
them after releasing it: nothing is snapshot, so a query costs what it selects, not the
collection's size.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, Self
from urllib.parse import unquote

from .._capabilities import Capabilities
from .._conditions import MATCH_ALL, Condition
from .._evaluate import matcher, run
from .._indexes import Index, unique_entries
from .._paths import apply_changes
from .._query import Key, QuerySpec
from .._records import Record, copied
from .._storage import StorageAdapter, distinct_of
from .._url import URL, parse_url
from ..errors import BackendError, ConfigurationError, DuplicateKeyError, InvalidURLError
from ._index import FieldIndex, candidates
from ._window import ordered_window

__all__ = ["MemoryOracle", "MemoryStorage"]

_SCHEME = "memory"
_DEFAULT_COLLECTION = "default"
_OPTIONS = ("collection",)
_FORMS = "'memory://' (private), 'memory://NAME' or 'memory:///NAME' (shared by name)"


class _UniqueIndex:
    """Which record holds each value of a unique index, kept up to date on every write.

    Its entries are :func:`~doqu.backend.unique_entries`: a list gives each element, a missing
    field of a compound index counts as ``None``, a record with none of the fields holds none.
    """

    def __init__(self, index: Index) -> None:
        self.index = index
        self.owners: dict[tuple[Any, ...], Key] = {}

    def entries(self, record: Record) -> dict[tuple[Any, ...], tuple[Any, ...]]:
        """The record's index entries: the sort keys of each value combination -> the values."""
        return unique_entries(record, self.index.fields)

    def add(self, key: Key, record: Record) -> None:
        for entry in self.entries(record):
            self.owners[entry] = key

    def discard(self, key: Key, record: Record) -> None:
        for entry in self.entries(record):
            if self.owners.get(entry) == key:
                del self.owners[entry]

    def duplicate(
        self, values: tuple[Any, ...], owner: Key, *, other: Key | None = None
    ) -> DuplicateKeyError:
        """The error for writing ``values`` held by record ``owner`` (``other``: at creation)."""
        index = self.index
        shown = values[0] if len(values) == 1 else values
        where = f"unique index {index.name!r} on {', '.join(index.fields)}"
        if other is None:
            message = (
                f"{where} already holds {shown!r} (record {owner!r}); store another value, or "
                f"change or delete record {owner!r} first"
            )
        else:
            message = (
                f"{where} was not created: records {owner!r} and {other!r} both hold "
                f"{shown!r}; change or delete one of them, then create the index again"
            )
        return DuplicateKeyError(message, key=shown, index=index.name)


class _Collection:
    """One collection's records and indexes, and the lock that guards them."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.records: dict[Key, Record] = {}
        self.indexes: dict[str, Index] = {}
        self.uniques: list[_UniqueIndex] = []
        #: the index of each field some index starts with, by field
        self.fields: dict[str, FieldIndex] = {}

    def select(self, spec: QuerySpec) -> list[tuple[Key, Record]]:
        """The stored ``(key, record)`` pairs ``spec`` selects, in its order and window.

        Call it holding the lock; the records are the stored ones, which are never mutated.
        """
        records = self.records
        found = candidates(spec.condition, self.fields, len(records))
        window = ordered_window(spec, self.fields, records, found)
        if window is not None:
            return window
        items = records.items() if found is None else ((key, records[key]) for key in found)
        return list(run(spec, items))

    def matching(self, condition: Condition) -> Iterable[Record]:
        """The stored records ``condition`` matches, in no order, for counting and distinct
        values: no pairs, no list. Iterate it holding the lock."""
        records = self.records
        found = candidates(condition, self.fields, len(records))
        pool = records.values() if found is None else (records[key] for key in found)
        return pool if condition == MATCH_ALL else filter(matcher(condition), pool)

    def check_unique(self, items: Sequence[tuple[Key, Record]]) -> None:
        """Raise ``DuplicateKeyError`` if writing ``items`` would break a unique index."""
        if not self.uniques:
            return
        rewritten = {key for key, _ in items}
        for unique in self.uniques:
            claimed: dict[tuple[Any, ...], Key] = {}
            for key, record in items:
                for entry, values in unique.entries(record).items():
                    owner = claimed.get(entry)
                    if owner is None and (held := unique.owners.get(entry)) not in rewritten:
                        # a record rewritten here gives up its old entries
                        owner = held
                    if owner is not None and owner != key:
                        raise unique.duplicate(values, owner)
                    claimed[entry] = key

    def write(self, items: Sequence[tuple[Key, Record]]) -> None:
        """Store ``items`` (records already copied), keeping the unique indexes current."""
        for key, _ in items:
            self.unindex(key)
        for key, record in items:
            self.records[key] = record
            for unique in self.uniques:
                unique.add(key, record)
            for index in self.fields.values():
                index.add(key, record)

    def unindex(self, key: Key) -> None:
        old = self.records.get(key)
        if old is not None:
            for unique in self.uniques:
                unique.discard(key, old)
            for index in self.fields.values():
                index.discard(key, old)

    def remove(self, key: Key) -> bool:
        self.unindex(key)
        return self.records.pop(key, None) is not None

    def clear(self) -> None:
        """Delete every record; the indexes stay."""
        self.records.clear()
        for unique in self.uniques:
            unique.owners.clear()
        for index in self.fields.values():
            index.clear()


class _Store:
    """A set of named collections: one per ``memory://NAME``, or a private one."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._collections: dict[str, _Collection] = {}

    def collection(self, name: str) -> _Collection:
        with self._lock:
            return self._collections.setdefault(name, _Collection())


_named_stores: dict[str, _Store] = {}
_named_stores_lock = threading.Lock()


def _named_store(name: str) -> _Store:
    with _named_stores_lock:
        return _named_stores.setdefault(name, _Store())


class MemoryStorage(StorageAdapter):
    """A collection held in this process's memory: the reference backend.

    ``MemoryStorage()`` is a fresh private store; ``MemoryStorage("NAME")`` shares the store
    named ``NAME`` with every other storage of that name in the process.
    """

    backend = "memory"
    capabilities = Capabilities(
        regex=True,
        date_parts=True,
        atomic_get_or_create=True,
        unique_indexes=True,
        thread_safe=True,
        integer_keys=True,
        decimal_values=True,
        date_values=True,
        bytes_values=True,
        uuid_values=True,
        nan_values=True,
        infinity_values=True,
        datetime_microseconds=True,
        nested_lists=True,
    )

    def __init__(self, name: str | None = None, *, collection: str = _DEFAULT_COLLECTION) -> None:
        if name is not None and (not isinstance(name, str) or not name):
            raise ConfigurationError(
                f"a memory store name must be a non-empty str or None (a private store), got "
                f"{name!r}"
            )
        if not isinstance(collection, str) or not collection:
            raise ConfigurationError(
                f"collection must be a non-empty str, got {collection!r}; e.g. "
                "connect('memory://app', collection='people')"
            )
        self.name = name
        self.collection = collection
        store = _Store() if name is None else _named_store(name)
        self._data = store.collection(collection)

    @classmethod
    def from_url(cls, url: str, **options: Any) -> Self:
        """Build a storage from ``memory://[NAME][?collection=NAME]`` and ``collection=``."""
        parsed = parse_url(url)
        options = parsed.merged_options(options, _OPTIONS, backend="memory")
        return cls(_store_name(parsed), collection=options.get("collection", _DEFAULT_COLLECTION))

    # -- writes ------------------------------------------------------------------------------

    def add_record(self, record: Record) -> Key:
        return self.add_records([record])[0]

    def add_records(self, records: Sequence[Record]) -> list[Key]:
        items = [(uuid.uuid4().hex, copied(record)) for record in records]
        self._write(items)
        return [key for key, _ in items]

    def put_record(self, key: Key, record: Record) -> None:
        self._write([(key, copied(record))])

    def put_records(self, items: Sequence[tuple[Key, Record]]) -> None:
        self._write([(key, copied(record)) for key, record in items])

    def _write(self, items: Sequence[tuple[Key, Record]]) -> None:
        with self._data.lock:
            self._data.check_unique(items)
            self._data.write(items)

    def remove_record(self, key: Key) -> bool:
        with self._data.lock:
            return self._data.remove(key)

    def clear(self) -> None:
        with self._data.lock:
            self._data.clear()

    def update_records(self, spec: QuerySpec, changes: Mapping[str, Any]) -> int:
        with self._data.lock:
            items = []
            for key, stored in self._data.select(spec):
                fresh = {field: copied(value) for field, value in changes.items()}
                items.append((key, apply_changes(copied(stored), fresh)))
            self._data.check_unique(items)
            self._data.write(items)
            return len(items)

    def delete_records(self, spec: QuerySpec) -> int:
        with self._data.lock:
            keys = [key for key, _ in self._data.select(spec)]
            for key in keys:
                self._data.remove(key)
            return len(keys)

    def get_or_create_record(
        self, condition: Condition, record: Record
    ) -> tuple[Key, Record, bool]:
        with self._data.lock:
            for key, stored in self._data.select(QuerySpec(condition, limit=1)):
                return key, copied(stored), False
            return self.add_record(record), record, True

    def create_index(self, index: Index) -> None:
        with self._data.lock:
            existing = self._data.indexes.get(index.name)
            if existing is not None:
                if existing != index:
                    raise BackendError(
                        f"an index named {index.name!r} already exists as {existing!r}, which "
                        f"differs from {index!r}; give the new index another name",
                        code="index_conflict",
                    )
                return
            if index.unique:
                unique = _UniqueIndex(index)
                for key, record in self._data.records.items():
                    for entry, values in unique.entries(record).items():
                        owner = unique.owners.setdefault(entry, key)
                        if owner != key:
                            raise unique.duplicate(values, owner, other=key)
                self._data.uniques.append(unique)
            self._data.indexes[index.name] = index
            field = index.fields[0]
            if field not in self._data.fields:
                built = FieldIndex(field)
                for key, record in self._data.records.items():
                    built.add(key, record)
                self._data.fields[field] = built

    # -- reads -------------------------------------------------------------------------------

    def _select(self, spec: QuerySpec) -> list[tuple[Key, Record]]:
        # stored records are never mutated, so the pairs stay valid after the lock is released
        with self._data.lock:
            return self._data.select(spec)

    def fetch_records(self, keys: Sequence[Key]) -> Iterator[tuple[Key, Record]]:
        with self._data.lock:
            records = self._data.records
            found = [(key, records[key]) for key in dict.fromkeys(keys) if key in records]
        return ((key, copied(record)) for key, record in found)

    def query_items(self, spec: QuerySpec) -> Iterator[tuple[Key, Record]]:
        return ((key, copied(record)) for key, record in self._select(spec))

    def query_records(self, spec: QuerySpec) -> Iterator[Record]:
        return (copied(record) for _, record in self._select(spec))

    def count_records(self, spec: QuerySpec) -> int:
        with self._data.lock:
            if spec.condition == MATCH_ALL:
                total = len(self._data.records)
            else:
                total = sum(1 for _ in self._data.matching(spec.condition))
        total = max(0, total - spec.offset)
        return total if spec.limit is None else min(total, spec.limit)

    def distinct_values(self, spec: QuerySpec, field: str) -> list[Any]:
        # the stored records are read in place; only the distinct values are copied
        if spec.is_windowed:
            found = distinct_of((record for _, record in self._select(spec)), field)
        else:
            with self._data.lock:
                found = distinct_of(self._data.matching(spec.condition), field)
        return [copied(value) for value in found]

    def iter_keys(self) -> Iterator[Key]:
        with self._data.lock:
            return iter(list(self._data.records))

    def __repr__(self) -> str:
        where = "private" if self.name is None else f"memory://{self.name}"
        return f"<MemoryStorage {where} collection {self.collection!r}>"


def _store_name(parsed: URL) -> str | None:
    """The store name of a ``memory://`` URL (``None``: private)."""

    def invalid(problem: str) -> InvalidURLError:
        return InvalidURLError(
            f"memory URL {str(parsed)!r} {problem}; use {_FORMS}, optionally with ?collection=NAME",
            url=str(parsed),
        )

    if parsed.scheme != _SCHEME:
        raise invalid(f"has scheme {parsed.scheme!r}, not {_SCHEME!r}")
    if parsed.username is not None or ":" in parsed.location:
        raise invalid("has a user, password or port, which a memory store does not take")
    if parsed.location and parsed.path not in ("", "/"):
        raise invalid(f"has a path {parsed.path!r} after the store name {parsed.location!r}")
    name = unquote(parsed.location or parsed.path[1:])
    if "/" in name:
        raise invalid(f"has a store name {name!r} containing '/'")
    return name or None


class MemoryOracle:
    """Raw access to a memory storage's records that bypasses the adapter.

    The contract suite's back door: nothing is checked and unique indexes are not enforced;
    records are copied in and out.
    """

    def __init__(self, storage: StorageAdapter) -> None:
        if not isinstance(storage, MemoryStorage):
            raise TypeError(f"MemoryOracle reads MemoryStorage only, got {storage!r}")
        self._data = storage._data

    def get(self, key: Key) -> Record | None:
        """A copy of the record stored under ``key``, or ``None``."""
        with self._data.lock:
            record = self._data.records.get(key)
        return None if record is None else copied(record)

    def put(self, key: Key, record: Record) -> None:
        """Store a copy of ``record`` under ``key``, replacing any record there."""
        with self._data.lock:
            self._data.write([(key, copied(record))])

    def keys(self) -> Iterable[Key]:
        """Every stored key."""
        with self._data.lock:
            return list(self._data.records)
