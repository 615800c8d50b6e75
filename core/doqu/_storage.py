"""The storage adapter: the one class every backend subclasses and every user calls.

A backend implements the backend protocol (:class:`doqu.backend.Backend`): the abstract
methods below, and overrides of the defaulted ones where it does better. Everything users call
(``save``, ``get``, ``find``, ...) is concrete here and built on those methods, so every
backend validates input, converts documents and reports errors the same way. The defaulted
methods (``count_records``, ``distinct_values``, ...) work through ``query_items`` on the
client. ``docs/plugin-guide.md`` explains each method's exact semantics.
"""

from __future__ import annotations

import abc
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, ClassVar, Self, TypeVar, overload

from ._capabilities import Capabilities, KnownGap
from ._class_views import check_creatable, refuse_outside, view_of
from ._conditions import And, Condition, Q
from ._conversion import bind_key, codec_for, to_record
from ._indexes import Index
from ._inserts import duplicate_of
from ._limits import check_text
from ._paths import apply_changes, path_values, unwound
from ._query import Key, Query, QuerySpec
from ._records import Record, check_record, copied
from ._values import sort_key
from .errors import (
    DocumentNotFoundError,
    DoquError,
    InvalidArgumentError,
    InvalidDocumentError,
    PartialWriteError,
    QueryError,
    UnsupportedError,
)

__all__ = ["StorageAdapter", "distinct_of"]

_INT64_MIN = -(2**63)
_INT64_MAX = 2**63 - 1

T = TypeVar("T")
_KEY_TAG = "~"
#: records ``save_many`` sends per batch: what a failure part-way reports it wrote
SAVE_MANY_BATCH = 1000


class StorageAdapter(abc.ABC):
    """One collection (table, shelf) of records, addressed by primary key.

    Subclass it to write a backend: set ``backend`` and ``capabilities`` and implement the
    abstract methods of the backend protocol. Users get instances from :func:`doqu.connect`.
    """

    #: the backend's name, as listed by ``doqu backends``.
    backend: ClassVar[str] = ""
    #: what the backend can do; an instance may narrow it for the server it talks to.
    capabilities: Capabilities = Capabilities()
    #: contract tests the backend knows it fails (run as strict xfail by the contract suite).
    known_gaps: tuple[KnownGap, ...] = ()

    # -- the backend protocol: implement these ---------------------------------------------

    @classmethod
    @abc.abstractmethod
    def from_url(cls, url: str, **options: Any) -> Self:
        """Build a storage from a connection URL (``doqu.connect()`` calls this).

        ``options`` are the keywords given to ``connect()``; unknown ones raise
        ``ConfigurationError`` naming the accepted ones.
        """

    @abc.abstractmethod
    def add_record(self, record: Record) -> Key:
        """Store ``record`` under a new key the backend generates; return the key."""

    @abc.abstractmethod
    def put_record(self, key: Key, record: Record) -> None:
        """Store ``record`` under ``key``, replacing any record there (an upsert)."""

    @abc.abstractmethod
    def fetch_records(self, keys: Sequence[Key]) -> Iterator[tuple[Key, Record]]:
        """Yield ``(key, record)`` for each of ``keys`` that exists, in any order."""

    @abc.abstractmethod
    def remove_record(self, key: Key) -> bool:
        """Delete the record under ``key``; return whether there was one."""

    @abc.abstractmethod
    def query_items(self, spec: QuerySpec) -> Iterator[tuple[Key, Record]]:
        """Yield ``(key, record)`` for the records ``spec`` selects, in its order and window.

        Records yielded are the caller's to keep and mutate. Stream where the backend can.
        """

    @abc.abstractmethod
    def clear(self) -> None:
        """Delete every record of this storage (other collections of the store stay)."""

    # -- the backend protocol, defaulted on the client: override to push work to the backend -

    def add_records(self, records: Sequence[Record]) -> list[Key]:
        """Store new records; return their keys in order.

        Like every backend method given records, it may keep or change them: they are fresh copies.
        """
        return [self.add_record(record) for record in records]

    def put_records(self, items: Sequence[tuple[Key, Record]]) -> None:
        """Upsert ``(key, record)`` pairs."""
        for key, record in items:
            self.put_record(key, record)

    def insert_records(self, items: Sequence[tuple[Key, Record]]) -> None:
        """Store ``(key, record)`` pairs under free keys; a taken key raises, nothing replaced.

        The default checks every key with one ``fetch_records`` call, then writes with
        ``put_records``: a taken key raises ``DuplicateKeyError`` before anything is written.
        Not atomic against another writer between the check and the write; override it with
        the store's plain bulk insert, which is also faster (see the plugin guide).
        """
        error = duplicate_of(self, items)
        if error is not None:
            raise error
        self.put_records(items)

    def count_records(self, spec: QuerySpec) -> int:
        """How many records ``spec`` selects (its window applied)."""
        return sum(1 for _ in self.query_items(spec))

    def distinct_values(self, spec: QuerySpec, field: str) -> list[Any]:
        """Distinct values of ``field`` (lists unwound) over the records ``spec`` selects."""
        return distinct_of((record for _, record in self.query_items(spec)), field)

    def delete_records(self, spec: QuerySpec) -> int:
        """Delete the records ``spec`` selects; return how many."""
        keys = [key for key, _ in self.query_items(spec)]
        return sum(1 for key in keys if self.remove_record(key))

    def update_records(self, spec: QuerySpec, changes: Mapping[str, Any]) -> int:
        """Set each (dotted) field of ``changes`` on the records ``spec`` selects."""
        updated = list(self.query_items(spec))
        for _, record in updated:  # check every record before writing any
            apply_changes(record, changes)
        self.put_records(updated)
        return len(updated)

    def get_or_create_record(
        self, condition: Condition, record: Record
    ) -> tuple[Key, Record, bool]:
        """The first record matching ``condition``, or ``record`` stored as a new one."""
        for key, found in self.query_items(QuerySpec(condition, limit=1)):
            return key, found, False
        return self.add_record(record), record, True

    def query_records(self, spec: QuerySpec) -> Iterator[Record]:
        """The records of :meth:`query_items` without their keys (for ``dict`` results)."""
        return (record for _, record in self.query_items(spec))

    def iter_keys(self) -> Iterator[Key]:
        """Every key, in any order."""
        return (key for key, _ in self.query_items(QuerySpec()))

    def create_index(self, index: Index) -> None:
        """Create ``index`` if it does not exist. Must enforce ``unique`` when declared.

        Users call :meth:`ensure_index`, which refuses an index the backend cannot honour.
        """

    def close(self) -> None:
        """Release the storage's connections and files; it must not be used afterwards.

        Safe to call twice. The default holds nothing to release.
        """

    def reconnect(self) -> None:
        """Drop the connection and open a new one (after a network failure, a fork, ...)."""

    # -- keys --------------------------------------------------------------------------------

    def check_key(self, key: Any) -> Key:
        """Return ``key`` if this backend accepts it as a primary key, else raise."""
        if isinstance(key, str) and key:
            check_text(key, what="primary key")
            return key
        if self.capabilities.integer_keys and isinstance(key, int) and not isinstance(key, bool):
            if _INT64_MIN <= key <= _INT64_MAX:
                return key
            raise InvalidDocumentError(
                f"int primary key {key!r} is outside the 64-bit integer range every backend "
                "stores; use a str key",
                value=key,
            )
        kinds = "a non-empty str" + (" or an int" if self.capabilities.integer_keys else "")
        raise InvalidDocumentError(
            f"primary key must be {kinds} for backend {self.backend!r}, "
            f"got {type(key).__name__} {key!r}",
            value=key,
        )

    def key_to_str(self, key: Key) -> str:
        """The string form of ``key``, for URLs and JSON; :meth:`key_from_str` inverts it.

        Plain str keys are their own form; other kinds carry a ``~`` tag so that no two keys
        share a form.
        """
        self.check_key(key)
        if isinstance(key, str):
            return _KEY_TAG + "s" + key if self._str_key_needs_tag(key) else key
        if isinstance(key, int):
            return f"{_KEY_TAG}i{key}"
        raise NotImplementedError(
            f"{type(self).__name__}.key_to_str() does not handle {type(key).__name__} keys"
        )

    def _string_form_hint(self, key: Key) -> str:
        """A note when a missing str ``key`` is the string form of a key of another kind."""
        if not isinstance(key, str):
            return ""
        try:
            other = self.key_from_str(key)
        except DoquError:
            return ""
        if type(other) is str:
            return ""
        return (
            f"; {key!r} is the string form of the {type(other).__name__} key {other!r}: "
            f"pass storage.key_from_str({key!r}) to reach it"
        )

    def key_from_str(self, text: str) -> Key:
        """The key whose string form is ``text`` (see :meth:`key_to_str`)."""
        if not isinstance(text, str) or not text:
            raise InvalidDocumentError(f"a key's string form is a non-empty str, got {text!r}")
        if not text.startswith(_KEY_TAG):
            return self.check_key(text)
        tag, body = text[1:2], text[2:]
        if tag == "s" and body:
            return self.check_key(body)
        if tag == "i" and body.lstrip("-").isdigit():
            return self.check_key(int(body))
        raise InvalidDocumentError(
            f"{text!r} is not a key's string form: a leading '~' must be followed by 's' (str) "
            "or 'i' (int); pass the text key_to_str() returned"
        )

    def _str_key_needs_tag(self, key: str) -> bool:
        """Whether a str key's plain form could be read as another kind of key."""
        return key.startswith(_KEY_TAG)

    # -- the public API ----------------------------------------------------------------------

    def save(self, data: Any, primary_key: Key | None = None) -> Key:
        """Insert ``data``, or replace the record under ``primary_key``; return the key.

        ``data`` is a dict, a :class:`doqu.Document`, a dataclass, or a ``Convertible``. A
        document that carries a ``pk`` is saved under it. Nothing is written if the data is
        invalid.
        """
        record, carried = to_record(data)
        key = carried if primary_key is None else primary_key
        check_record(record, self.capabilities)
        if key is None:
            key = self.add_record(record)
        else:
            self.put_record(self.check_key(key), record)
        bind_key(data, key)
        return key

    def save_many(self, items: Iterable[Any]) -> list[Key]:
        """Save several documents in as few round trips as the backend allows.

        Every item is checked before anything is written; returns the keys in order. Items
        are written in batches of :data:`SAVE_MANY_BATCH`, in order. If a batch fails after
        others were written, :class:`~doqu.errors.PartialWriteError` (caused by the backend's
        error) lists the keys written (``written``: the first ``len(written)`` items); if none
        was, the backend's error is raised as it is.
        """
        _check_collection(items, "save_many()", "items", "documents", "save()")
        records: list[Record] = []
        carried: list[Key | None] = []  # per item: its own key, or None for a new one
        documents: list[tuple[int, Any]] = []  # items that may want to learn their key
        capabilities = self.capabilities  # a property on some backends: read it once
        for data in items:
            record, key = to_record(data)
            check_record(record, capabilities)
            records.append(record)
            if type(data) is not dict:
                documents.append((len(carried), data))
            carried.append(None if key is None else self.check_key(key))
        keys: list[Key] = []
        try:
            for start in range(0, len(records), SAVE_MANY_BATCH):
                end = start + SAVE_MANY_BATCH
                keys += self._save_batch(records[start:end], carried[start:end])
        except DoquError as error:
            if not keys:
                raise
            raise PartialWriteError(
                f"save_many() wrote {len(keys)} of {len(records)} records, then failed: "
                f"{error}; the keys written are the error's .written (the first "
                f"{len(keys)} items). Records of the failed batch without a key may have been "
                "written under keys never returned: retry the rest with keys, which is "
                "idempotent",
                written=keys,
                total=len(records),
            ) from error
        for index, data in documents:
            bind_key(data, keys[index])
        return keys

    def _save_batch(self, records: list[Record], carried: list[Key | None]) -> list[Key]:
        """Write one batch of ``save_many``; the keys in order."""
        new = [record for record, key in zip(records, carried, strict=True) if key is None]
        keyed = [
            (key, record) for record, key in zip(records, carried, strict=True) if key is not None
        ]
        added = self.add_records(new) if new else []
        if keyed:
            self.put_records(keyed)
        if not keyed:
            return added
        fresh = iter(added)
        return [next(fresh) if key is None else key for key in carried]

    def get(self, doc_class: type[T], primary_key: Key) -> T:
        """The document under ``primary_key``; ``KeyError`` (``DocumentNotFoundError``) if none."""
        return self.get_many(doc_class, [primary_key])[0]

    def get_many(self, doc_class: type[T], primary_keys: Iterable[Key]) -> list[T]:
        """The documents under ``primary_keys``, in that order, fetched in one round trip.

        Raises ``DocumentNotFoundError`` naming the keys that do not exist.
        """
        _check_collection(primary_keys, "get_many()", "primary_keys", "keys", "get()")
        load = None if doc_class is dict else codec_for(doc_class).load
        check_key = self.check_key
        keys = [check_key(key) for key in primary_keys]
        found = dict(self.fetch_records(keys)) if keys else {}
        if len(found) != len(keys):
            missing = [key for key in keys if key not in found]
            if missing:
                shown = missing[:_SHOWN_KEYS]
                raise DocumentNotFoundError(
                    (
                        f"no record with key {missing[0]!r} in {self!r}"
                        if len(missing) == 1
                        else f"no records with keys {shown!r}"
                        + (
                            f" (the first {len(shown)} of {len(missing):,})"
                            if missing[len(shown) :]
                            else ""
                        )
                        + f" in {self!r}"
                    )
                    + "".join(map(self._string_form_hint, shown)),
                    key=missing[0],
                )
            # a key asked for twice must not hand out one shared record twice
            seen: set[Key] = set()
            records = []
            for key in keys:
                records.append(copied(found[key]) if key in seen else found[key])
                seen.add(key)
        else:
            records = [found[key] for key in keys]
        if load is None:
            return records  # type: ignore[return-value]
        view = view_of(doc_class)
        if view is not None:
            refuse_outside(doc_class, view, list(zip(keys, records, strict=True)))
        return [load(record, key) for key, record in zip(keys, records, strict=True)]

    def get_or_create(self, doc_class: type[T], **conditions: Any) -> tuple[T, bool]:
        """The first document whose fields equal ``conditions``, or a new one made from them.

        Returns ``(document, created)``. Conditions are plain ``field=value`` equalities; the
        new document is built as ``doc_class(**conditions)`` so defaults and validation apply.
        Atomic where the backend declares ``atomic_get_or_create``.
        """
        codec_for(doc_class)  # a doc_class of the wrong kind fails as in find()
        if not conditions:
            raise QueryError("get_or_create() needs at least one field=value condition")
        condition = Q(**conditions)
        for leaf in condition.lookups():
            if leaf.lookup != "equals" or "." in leaf.field:
                raise QueryError(
                    f"get_or_create() takes plain field=value conditions, got "
                    f"{leaf.field}__{leaf.lookup}; use find() for other lookups"
                )
        view = view_of(doc_class)
        if view is not None:  # found inside the view only
            condition = And((view, condition))
        condition.check(self.capabilities)
        if doc_class is dict:
            record, _ = to_record(dict(conditions))
        else:
            try:
                made = doc_class(**conditions)
            except TypeError as e:  # e.g. a field the class does not declare
                raise QueryError(
                    f"get_or_create() builds the new document as {doc_class.__name__}"
                    f"(**conditions), which failed: {e}; condition on fields it accepts"
                ) from e
            record, _ = to_record(made)
        if view is not None:
            check_creatable(doc_class, view, record)
        check_record(record, self.capabilities)
        key, stored, created = self.get_or_create_record(condition, record)
        document: T = codec_for(doc_class).load(stored, key)
        return document, created

    def delete(self, primary_key: Key) -> None:
        """Delete the record under ``primary_key``; ``KeyError`` if there is none."""
        if not self.remove_record(self.check_key(primary_key)):
            raise DocumentNotFoundError(
                f"no record with key {primary_key!r} in {self!r}", key=primary_key
            )

    @overload
    def find(self, doc_class: None = None, **conditions: Any) -> Query[dict[str, Any]]: ...
    @overload
    def find(self, doc_class: type[T], **conditions: Any) -> Query[T]: ...
    def find(self, doc_class: type[Any] | None = None, **conditions: Any) -> Query[Any]:
        """A lazy :class:`~doqu.Query` over this storage; nothing runs until it is read.

        ``doc_class`` defaults to ``dict``; ``conditions`` are lookups as for ``where()``. A
        Document class's ``__view__`` is the query's first condition, so the query reads and
        writes only records in the view.
        """
        view = view_of(doc_class)
        query: Query[Any] = Query(self, doc_class or dict)
        if view is not None:
            query = query.where(view)
        return query.where(**conditions) if conditions else query

    def ensure_indexes(self, doc_class: type[Any]) -> None:
        """Create the indexes ``doc_class`` declares in ``__indexes__``."""
        for index in getattr(doc_class, "__indexes__", ()):
            self.ensure_index(index)

    def ensure_index(self, index: Index) -> None:
        """Create one :class:`~doqu.Index` if it does not exist."""
        if index.unique and not self.capabilities.unique_indexes:
            raise UnsupportedError(
                f"unique index {index.name!r} needs capability 'unique_indexes', which "
                f"backend {self.backend!r} does not declare",
                capability="unique_indexes",
            )
        self.create_index(index)

    def __enter__(self) -> StorageAdapter:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __len__(self) -> int:
        return self.count_records(QuerySpec())

    def __contains__(self, key: object) -> bool:
        try:
            checked = self.check_key(key)
        except InvalidDocumentError:
            return False
        return any(True for _ in self.fetch_records([checked]))

    def __iter__(self) -> Iterator[Key]:
        return self.iter_keys()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.backend}>"


#: missing keys a get_many() error shows (a list of 200,000 would make a 1 MB message)
_SHOWN_KEYS = 5


def _check_collection(value: object, call: str, argument: str, things: str, single: str) -> None:
    """Refuse what is not a collection of ``things``: a str or a dict would be read item by item."""
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        raise InvalidArgumentError(
            f"{call} takes {argument} as a list (or other iterable) of {things}, got "
            f"{type(value).__name__} {value!r}; for a single one use {single}",
            argument=argument,
            value=value,
        )


def distinct_of(records: Iterable[Record], field: str) -> list[Any]:
    """The distinct values of ``field`` (lists unwound) over ``records``, as doqu compares them."""
    seen: dict[tuple[Any, ...], Any] = {}
    strings: set[str] = set()
    parts = field.split(".")
    for record in records:
        # the common case, a str reached through dicts only, skips the general walk and
        # computes each string's sort key once
        value: Any = record
        for part in parts:
            if type(value) is not dict:
                break
            value = value.get(part)
        else:
            if type(value) is str:
                if value not in strings:
                    strings.add(value)
                    seen.setdefault(sort_key(value), value)
                continue
        for value in unwound(path_values(record, field)):
            seen.setdefault(sort_key(value), value)
    return list(seen.values())
