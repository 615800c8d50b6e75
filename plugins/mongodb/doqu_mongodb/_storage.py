"""The MongoDB storage adapter: one collection, reached through pymongo (or mongomock).

Every primitive is one native command (or one bulk command per batch): filters are compiled
to native queries, counts are ``count_documents``, distinct values one filtered ``distinct``,
many keys one ``$in`` find, writes in bulk. Reads stream from the cursor.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, ClassVar, Generic, Self, TypeVar, overload

import bson
from bson.codec_options import CodecOptions
from bson.objectid import ObjectId
from bson.raw_bson import RawBSONDocument
from pymongo import ReplaceOne
from pymongo.collection import Collection
from pymongo.cursor import Cursor
from pymongo.errors import DuplicateKeyError as PyMongoDuplicateKeyError

from doqu import Condition, Index, QuerySpec, StorageAdapter
from doqu.backend import MAX_DOCUMENT_BYTES, apply_changes, change_growth
from doqu.errors import (
    BackendConnectionError,
    BackendError,
    ConfigurationError,
    DuplicateKeyError,
    InvalidDocumentError,
)

from . import _clients, _keys
from ._codec import CODEC_OPTIONS, codec_options, from_bson, to_bson
from ._compile import Filter, compile_filter, compile_sort
from ._errors import taken, translated
from ._server import MONGODB_CAPABILITIES, ServerInfo

__all__ = ["MongoStorage"]

Record = dict[str, Any]
Key = Any
T = TypeVar("T")

_ID = "_id"
#: documents per batch when streaming query results.
_BATCH_SIZE = 1000
#: keys per ``$in`` find: keeps the command far below MongoDB's 16 MiB limit.
_KEYS_PER_FIND = 10_000
#: the fewest BSON bytes a document with a container 100 levels down takes (see _clears_limits)
_DEPTH_BYTES = 5 + 100 * 7
#: doqu's count of a document's size is at most this many times its BSON size
_SIZE_FACTOR = 9
_RAW_OPTIONS: CodecOptions[RawBSONDocument] = CodecOptions(document_class=RawBSONDocument)
#: stale records get_or_create steps over before it gives up (see ``get_or_create_record``).
_MAX_GENERATIONS = 100
# the original doqu's defaults for its keyword constructor
_HOST, _PORT, _DATABASE, _COLLECTION = "127.0.0.1", 27017, "default", "default"


def _same(value: Any) -> Any:
    return value


class _FromServer(Generic[T]):
    """A class attribute whose value on an instance is its server's (asked on first use)."""

    def __init__(self, name: str, default: T) -> None:
        self._name = name
        self._default = default

    @overload
    def __get__(self, instance: None, owner: type[Any]) -> T: ...
    @overload
    def __get__(self, instance: MongoStorage, owner: type[Any]) -> T: ...
    def __get__(self, instance: MongoStorage | None, owner: type[Any]) -> T:
        if instance is None:
            return self._default
        value: T = getattr(instance.server, self._name)
        return value


class MongoStorage(StorageAdapter):
    """One MongoDB collection.

    Build it from a URL (what ``doqu.connect()`` does)::

        MongoStorage("mongodb://db1,db2/app/people?replicaSet=rs&w=majority")
        MongoStorage("mongodb://localhost/app", collection="people", tz_aware=False)

    or with the original doqu's keywords, ``MongoStorage(host=, port=, database=,
    collection=)`` (defaults ``127.0.0.1``, ``27017``, ``"default"``, ``"default"``), or on a
    ``MongoClient`` of your own with ``client=``. Other keywords are ``MongoClient`` options.
    Storages on the same server with the same options share one client.
    """

    backend: ClassVar[str] = "mongodb"
    #: MongoDB's; an instance has its server's (see :attr:`server`).
    capabilities = _FromServer("capabilities", MONGODB_CAPABILITIES)
    known_gaps = _FromServer("known_gaps", ())

    def __init__(
        self,
        url: str | None = None,
        *,
        host: str | None = None,
        port: int | None = None,
        database: str | None = None,
        collection: str | None = None,
        client: Any = None,
        **options: Any,
    ) -> None:
        if url is not None and (host is not None or port is not None or client is not None):
            raise ConfigurationError(
                "give either a URL or host=/port=/client=, not both; e.g. "
                "MongoStorage('mongodb://host:27017/app/people')"
            )
        if client is not None and (host is not None or port is not None or options):
            raise ConfigurationError(
                "client= takes a ready MongoClient: pass its options to the MongoClient, not "
                f"to the storage (got {sorted(options) + ['host'] * (host is not None)!r})"
            )
        if url is not None:
            self.address = _clients.address_from_url(url, database, collection)
        elif client is not None:
            self.address = _clients.address_of_client(
                client, database or _DATABASE, collection or _COLLECTION
            )
        else:
            self.address = _clients.address_from_keywords(
                host or _HOST, port or _PORT, database or _DATABASE, collection or _COLLECTION
            )
        self._place = str(self.address)
        self._options = options
        self._own_client = client
        self._bound: tuple[Any, bool, Collection[Record]] | None = None
        self._lease = _clients.lease(self.address, options, client)
        mock = self._lease.mock
        # mongomock ignores codec options: values are converted on the way in and out
        self._out: Callable[[Any], Any] = to_bson if mock else _same
        self._in: Callable[[Any], Any] | None = from_bson if mock else None
        # mongomock checks a key is free and stores it in two steps: racing threads both win
        self._atomic = self._lease.lock if mock else contextlib.nullcontext()
        try:
            with self._errors():
                _ = self.collection  # checks the names
            if client is None and _clients.connects_eagerly(self.address, options):
                _ = self.server
        except BaseException:
            self._lease.release()
            raise

    @classmethod
    def from_url(cls, url: str, **options: Any) -> Self:
        """A storage for ``url``; ``options`` as for the constructor."""
        return cls(url, **options)

    # -- the connection ----------------------------------------------------------------------

    @property
    def server(self) -> ServerInfo:
        """The server this storage talks to, asked once per client: at construction, or at
        first use for a client built with ``connect=False`` or given as ``client=``."""
        return self._lease.server(self._place)

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` was called (and :meth:`reconnect` not since)."""
        return self._lease.released

    @property
    def client(self) -> Any:
        """The ``MongoClient`` (or mongomock client) this storage uses, shared with others."""
        if self.closed:
            raise BackendConnectionError(
                f"{self!r} is closed; call reconnect() or connect again", backend=self.backend
            )
        return self._lease.client

    @property
    def collection(self) -> Collection[Record]:
        """The raw collection, for what doqu does not cover."""
        client = self.client
        # Decimal128 decoding slows every read: only where the server stores Decimal128. Until
        # the server is known (a lazy client), assume it does; rebind once it is known.
        known = self._lease.known_server
        decimals = known is None or known.capabilities.decimal_values
        if self._bound is None or self._bound[0] is not client or self._bound[1] != decimals:
            database = client[self.address.database]
            name = self.address.collection
            raw = (
                database[name]
                if self._lease.mock
                else database.get_collection(name, codec_options=codec_options(decimals))
            )
            self._bound = (client, decimals, raw)
        return self._bound[2]

    def _filter(self, condition: Condition) -> Filter:
        compiled = compile_filter(
            condition, end_anchor=self.server.end_anchor, regex=self.server.regex
        )
        result: Filter = self._out(compiled)
        return result

    def _errors(self, written: Sequence[Any] = ()) -> contextlib.AbstractContextManager[None]:
        return translated(self._place, mock=self._lease.mock, written=written)

    def _records(self, documents: Iterator[Record]) -> Iterator[tuple[Key, Record]]:
        decode = self._in
        with self._errors():
            for document in documents:
                key = document.pop(_ID)
                yield key, document if decode is None else decode(document)

    def close(self) -> None:
        self._lease.release()

    def reconnect(self) -> None:
        with self._errors():
            if self.closed:
                self._lease = _clients.lease(self.address, self._options, self._own_client)
            else:
                self._lease.renew()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.address}>"

    # -- keys --------------------------------------------------------------------------------

    def check_key(self, key: Any) -> Key:
        """``key`` if it can be an ``_id`` here: an ``ObjectId``, a str or a 64-bit int."""
        if isinstance(key, ObjectId):
            return key
        if (isinstance(key, str) and key) or (isinstance(key, int) and not isinstance(key, bool)):
            return super().check_key(key)
        raise InvalidDocumentError(
            "primary key must be an ObjectId, a non-empty str or an int for backend 'mongodb', "
            f"got {type(key).__name__} {key!r}",
            value=key,
        )

    def key_to_str(self, key: Key) -> str:
        """``ObjectId`` keys are their 24 hex digits; str and int keys as in core."""
        if isinstance(key, ObjectId):
            return str(key)
        return super().key_to_str(key)

    def key_from_str(self, text: str) -> Key:
        """The key whose string form is ``text``; 24 hex digits are an ``ObjectId``."""
        if isinstance(text, str) and _keys.is_object_id_form(text):
            return ObjectId(text)
        return super().key_from_str(text)

    def _str_key_needs_tag(self, key: str) -> bool:
        return super()._str_key_needs_tag(key) or _keys.is_object_id_form(key)

    # -- primitives --------------------------------------------------------------------------

    def add_record(self, record: Record) -> Key:
        key = ObjectId()
        with self._errors([record]):
            self.collection.insert_one(self._out({_ID: key, **record}))
        return key

    def add_records(self, records: Sequence[Record]) -> list[Key]:
        if not records:
            return []
        # the records are ours to change: pymongo gives each an ObjectId ``_id`` without a copy
        documents = [self._out(record) for record in records] if self._lease.mock else records
        with self._errors(records):
            self.collection.insert_many(documents, ordered=True)
        return [document[_ID] for document in documents]

    def put_record(self, key: Key, record: Record) -> None:
        with self._errors([record]):
            self.collection.replace_one({_ID: key}, self._out(record), upsert=True)

    def put_records(self, items: Sequence[tuple[Key, Record]]) -> None:
        if not items:
            return
        if self._lease.mock:  # mongomock's bulk_write fails on pymongo 4.9+'s ReplaceOne
            super().put_records(items)
            return
        requests = [ReplaceOne({_ID: key}, self._out(record), upsert=True) for key, record in items]
        with self._errors([record for _, record in items]):
            self.collection.bulk_write(requests, ordered=True)

    def insert_records(self, items: Sequence[tuple[Key, Record]]) -> None:
        # one ordered insert_many: the server stops at a taken key, keeping what preceded it
        if not items:
            return
        documents = [self._out({_ID: key, **record}) for key, record in items]
        try:
            with self._errors(documents):
                self.collection.insert_many(documents, ordered=True)
        except DuplicateKeyError as error:
            failure = taken(error, [key for key, _ in items], self._present)
            raise failure from failure.__cause__

    def _present(self, keys: Sequence[Key]) -> set[Key]:
        """Which of ``keys`` the collection holds."""
        with self._errors():
            return {
                document[_ID]
                for document in self.collection.find({_ID: {"$in": list(keys)}}, {_ID: 1})
            }

    def fetch_records(self, keys: Sequence[Key]) -> Iterator[tuple[Key, Record]]:
        if len(keys) == 1:  # FerretDB answers {_id: key} from its index, {_id: {$in: ...}} not
            with self._errors():
                cursor = self.collection.find({_ID: keys[0]}, limit=-1)
            yield from self._records(cursor)
            return
        unique = list(dict.fromkeys(keys))
        for start in range(0, len(unique), _KEYS_PER_FIND):
            chunk = unique[start : start + _KEYS_PER_FIND]
            with self._errors():
                # at most one document per key: one batch, and the server closes the cursor
                cursor = self.collection.find(
                    {_ID: {"$in": chunk}}, limit=len(chunk), batch_size=len(chunk)
                )
            yield from self._records(cursor)

    def remove_record(self, key: Key) -> bool:
        with self._errors():
            return self.collection.delete_one({_ID: key}).deleted_count == 1

    def query_items(self, spec: QuerySpec) -> Iterator[tuple[Key, Record]]:
        if spec.limit == 0:
            return
        with self._cursor(spec) as cursor:
            yield from self._records(cursor)

    def query_records(self, spec: QuerySpec) -> Iterator[Record]:
        # without ``_id`` from the server: the records stream straight from the cursor
        if spec.limit == 0:
            return
        with self._cursor(spec, {_ID: 0}) as cursor, self._errors():
            yield from cursor if self._in is None else map(self._in, cursor)

    def _cursor(self, spec: QuerySpec, projection: dict[str, Any] | None = None) -> Cursor[Record]:
        """A cursor for ``spec``; used as a context manager, it closes the server-side cursor
        when the caller stops early."""
        with self._errors():
            return self.collection.find(
                self._filter(spec.condition),
                projection,
                sort=compile_sort(spec.order, windowed=spec.is_windowed),
                skip=spec.offset,
                limit=spec.limit or 0,
                batch_size=_BATCH_SIZE,
            )

    def clear(self) -> None:
        with self._errors():
            self.collection.delete_many({})

    def count_records(self, spec: QuerySpec) -> int:
        if spec.limit == 0:
            return 0
        window: dict[str, Any] = {"skip": spec.offset} if spec.offset else {}
        if spec.limit is not None:
            window["limit"] = spec.limit
        with self._errors():
            return self.collection.count_documents(self._filter(spec.condition), **window)

    def distinct_values(self, spec: QuerySpec, field: str) -> list[Any]:
        if spec.is_windowed:  # a window is not a filter: only the client can apply it
            return super().distinct_values(spec, field)
        with self._errors():
            values = self.collection.distinct(field, self._filter(spec.condition))
        return values if self._in is None else [self._in(value) for value in values]

    def delete_records(self, spec: QuerySpec) -> int:
        if spec.is_windowed:
            return super().delete_records(spec)
        with self._errors():
            return self.collection.delete_many(self._filter(spec.condition)).deleted_count

    def update_records(self, spec: QuerySpec, changes: Mapping[str, Any]) -> int:
        if spec.is_windowed:
            return super().update_records(spec, changes)
        wanted = self._filter(spec.condition)
        update = {"$set": self._out(dict(changes))}
        with self._errors([changes]):
            self._check_paths(wanted, changes)
            return self.collection.update_many(wanted, update).matched_count

    def _check_paths(self, wanted: Filter, changes: Mapping[str, Any]) -> None:
        """Raise, before anything is written, if a dotted change runs into a non-record or a
        changed record would be over doqu's limits (depth, 16 MB).

        MongoDB would fail only on the first such document, after updating some others (and
        mongomock not at all); each matched record is read and changed on the client. When
        the changes are flat, records are read as raw BSON and only those their size cannot
        clear are decoded (see :func:`_clears_limits`).
        """
        growth = change_growth(changes)
        if growth is None or self._lease.mock:
            cursor = self.collection.find(wanted, batch_size=_BATCH_SIZE)
            with cursor:
                for _, record in self._records(cursor):
                    apply_changes(record, changes)
            return
        collection = self.collection
        raw = collection.with_options(codec_options=_RAW_OPTIONS)
        with raw.find(wanted, batch_size=_BATCH_SIZE) as documents:
            for document in documents:
                data = document.raw
                if not _clears_limits(len(data), growth):
                    record = bson.decode(data, codec_options=collection.codec_options)
                    del record[_ID]
                    apply_changes(record, changes)

    def iter_keys(self) -> Iterator[Key]:
        with self._errors():
            cursor = self.collection.find({}, {_ID: 1}, batch_size=_BATCH_SIZE)
        with cursor:
            yield from (key for key, _ in self._records(cursor))

    def create_index(self, index: Index) -> None:
        with self._errors():
            self.collection.create_index(
                [(field, 1) for field in index.fields], name=index.name, unique=index.unique
            )

    def get_or_create_record(
        self, condition: Condition, record: Record
    ) -> tuple[Key, Record, bool]:
        """Atomic, on every server, without a unique index on the condition's fields.

        A record ``get_or_create`` creates gets a key derived from the conditions (an
        ``ObjectId`` made of their hash): ``_id`` is unique on every server, so of concurrent
        callers exactly one inserts and the others find its record. A record under that key
        that no longer matches (it was changed) makes the next "generation" of the key the
        candidate. An upsert on the condition's fields alone is not atomic: without a unique
        index on them, MongoDB and FerretDB both let racing upserts insert twice.
        """
        wanted = self._filter(condition)
        with self._errors([record]), self._atomic:
            found = self.collection.find_one(wanted)
            if found is None:
                key, found = self._insert_derived(condition, wanted, self._out(record))
                if found is None:
                    return key, record, True
        key = found.pop(_ID)
        return key, found if self._in is None else self._in(found), False

    def _insert_derived(
        self, condition: Condition, wanted: Filter, document: Record
    ) -> tuple[Key, Record | None]:
        """Insert ``document`` under the first free derived key; ``(key, None)`` when it was
        inserted, ``(key, record)`` when a racing caller's record was found there."""
        for generation in range(_MAX_GENERATIONS):
            key = _derived_key(condition, generation)
            try:
                self.collection.insert_one({_ID: key, **document})
            except PyMongoDuplicateKeyError:
                # a racing caller inserted it (then it matches), or it is stale (next one)
                found = self.collection.find_one({**wanted, _ID: key})
                if found is None:
                    continue
                return key, found
            return key, None
        raise BackendError(
            f"get_or_create() found {_MAX_GENERATIONS} records in {self._place} that it "
            "created for these conditions and that no longer match them; delete them or use "
            "find() and save()"
        )


def _clears_limits(size: int, growth: int) -> bool:
    """Whether a stored document of ``size`` BSON bytes is within doqu's limits after flat
    changes that add at most ``growth`` bytes (as doqu counts them), without decoding it.

    Depth: a container nested 100 levels below the record takes at least 705 bytes (the
    record's 5-byte header, then per level a type byte, a name's NUL and a 5-byte header), so
    a smaller document has none; MongoDB refuses deeper documents, but FerretDB stores them.
    Size: doqu counts each element at most 16 bytes more than BSON does (a value of another
    type as 16, an int32 as 8) and an element takes at least 2 bytes, so doqu's count of a
    document is at most 9 times its BSON size.
    """
    return size < _DEPTH_BYTES and _SIZE_FACTOR * size + growth <= MAX_DOCUMENT_BYTES


def _derived_key(condition: Condition, generation: int) -> ObjectId:
    """The key of the record get_or_create creates for ``condition`` (see there)."""
    fields = sorted(((leaf.field, leaf.value) for leaf in condition.lookups()), key=_first)
    seed = {"generation": generation, "fields": [[name, _canonical(v)] for name, v in fields]}
    digest = hashlib.sha256(bson.encode(seed, codec_options=CODEC_OPTIONS)).digest()
    return ObjectId(digest[:12])


def _first(pair: tuple[str, Any]) -> str:
    return pair[0]


def _canonical(value: Any) -> Any:
    # values MongoDB finds equal must derive the same key: it matches 1.0 and 1 alike
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**63:
        return int(value)
    if isinstance(value, dict):
        return {name: _canonical(item) for name, item in value.items()}
    if isinstance(value, list):
        return [_canonical(item) for item in value]
    return value
