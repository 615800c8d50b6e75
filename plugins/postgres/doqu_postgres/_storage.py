"""The PostgreSQL storage: one table ``(key jsonb, doc jsonb, exact boolean)`` per collection.

Keys are JSONB so that ``1`` and ``"1"`` stay two keys; generated keys are hex strings of the
time in nanoseconds (then a random part), so they sort by insertion time. ``doc`` is the
record as ``_codec`` writes it; ``exact`` is false for the rare record SQL cannot compare the
way doqu does, which queries re-check on the client (a partial index finds them).

Conditions compile to SQL (``_compile``); rows SQL cannot decide are re-checked with the
reference evaluator, so answers always equal the memory backend's. Counting, distinct values,
deleting and reading many keys are one statement each; an update is one transaction over the
matching rows locked ``FOR UPDATE``; a query is one statement whose rows stream in chunks,
ordered and sliced in SQL where SQL orders as doqu does (``_order``). Unique indexes keep
their entries in a side table written in the same transaction (``_unique``).
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import threading
import time
from collections.abc import Callable, Generator, Iterator, Mapping, Sequence
from typing import Any, Self, TypeVar

import psycopg
from psycopg.types.json import set_json_loads

from doqu import Index, Query
from doqu.backend import (
    MATCH_ALL,
    Capabilities,
    Condition,
    Key,
    QuerySpec,
    Record,
    StorageAdapter,
    apply_changes,
    duplicate_of,
    matcher,
    path_values,
    run,
    sort_key,
    unwound,
)
from doqu.errors import BackendConnectionError, DuplicateKeyError

from ._codec import decode, encode
from ._compile import (
    KEYS,
    Compiled,
    compile_condition,
    identifier,
    json_list,
    path_sql,
    walks_a_list,
)
from ._errors import translated
from ._order import Ordering, compile_order
from ._unique import META, EntryTakenError, SideTable, StaleIndexesError, UniqueIndex
from ._url import Address, check_collection, parse

__all__ = ["PostgresStorage"]

_CHUNK = 1000
_IDLE = psycopg.pq.TransactionStatus.IDLE
_TUPLES = psycopg.pq.ExecStatus.TUPLES_OK
_BACKEND = "postgres"
_T = TypeVar("_T")


class _Keys:
    """New keys: the time in nanoseconds and a counter, then random bits; strictly rising here."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._last = 0

    def new(self, count: int) -> list[str]:
        with self._lock:
            start = max(time.time_ns(), self._last + 1)
            self._last = start + count - 1
        suffix = os.urandom(4).hex()
        return [f"{start + n:016x}{suffix}" for n in range(count)]


_KEYS = _Keys()


class _Pool:
    """Idle connections to one server, handed to one caller at a time (so storages are
    thread-safe and a streaming query never blocks a write)."""

    def __init__(self, address: Address) -> None:
        self.address = address
        self._idle: list[psycopg.Connection[Any]] = []
        self._lock = threading.Lock()
        self.closed = False

    def _open(self) -> psycopg.Connection[Any]:
        with translated(self.address.shown, connecting=True):
            conn = psycopg.connect(self.address.conninfo, autocommit=True, connect_timeout=10)
        set_json_loads(decode, conn)
        return conn

    def take(self) -> psycopg.Connection[Any]:
        """An idle connection, or a new one; hand it back with :meth:`give`."""
        if self.closed:
            raise BackendConnectionError(
                f"the storage on {self.address.shown} is closed; call reconnect() or connect() "
                "again",
                backend=_BACKEND,
            )
        with self._lock:
            conn = self._idle.pop() if self._idle else None
        if conn is None or conn.closed:
            conn = self._open()
        return conn

    def give(self, conn: psycopg.Connection[Any]) -> None:
        """Take back ``conn``: kept if idle, closed if a transaction or a result is pending."""
        if conn.closed or conn.pgconn.transaction_status != _IDLE:
            conn.close()
        else:
            with self._lock:
                self._idle.append(conn)

    @contextlib.contextmanager
    def connection(self) -> Iterator[psycopg.Connection[Any]]:
        conn = self.take()
        try:
            yield conn
        finally:
            self.give(conn)

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for conn in idle:
            conn.close()


class PostgresStorage(StorageAdapter):
    """A collection stored as a PostgreSQL table of JSONB documents."""

    backend = _BACKEND
    capabilities = Capabilities(
        regex=True,
        date_parts=True,
        atomic_get_or_create=True,
        thread_safe=True,
        persistent=True,
        durable=True,
        integer_keys=True,
        datetime_microseconds=True,
        date_values=True,
        bytes_values=True,
        uuid_values=True,
        nan_values=True,
        infinity_values=True,
        nested_lists=True,
        server_side_queries=True,
        unique_indexes=True,
    )

    def __init__(self, url: str, *, collection: str | None = None) -> None:
        """Connect to the database ``url`` names and use table ``collection`` (made if new)."""
        options = {} if collection is None else {"collection": check_collection(collection)}
        self.address = parse(url, options)
        self.table = identifier(self.address.collection)
        self._place = f"{self.address.shown} table {self.address.collection!r}"
        self._pool = _Pool(self.address)
        self._side = SideTable(self.address.collection, self.table)
        # many rows in one statement; the guard writes none if unknown unique indexes exist
        self._insert_sql = (
            f"INSERT INTO {self.table} (key, doc, exact) SELECT r->0, r->1, (r->2)::boolean "
            f"FROM jsonb_array_elements(%(rows)s::jsonb) AS r WHERE {self._side.guard}"
        )
        self._upsert_sql = (
            f"{self._insert_sql} ON CONFLICT (key) DO UPDATE SET doc = EXCLUDED.doc, "
            "exact = EXCLUDED.exact"
        )
        self._unique: tuple[UniqueIndex, ...] = ()
        self._create_table()

    @classmethod
    def from_url(cls, url: str, **options: Any) -> Self:
        """Build a storage from ``postgresql://user:pass@host:port/db?collection=NAME``."""
        address = parse(url, options)
        return cls(url, collection=address.collection) if options else cls(url)

    # -- SQL plumbing -------------------------------------------------------------------------

    def _execute(self, sql: str, params: dict[str, Any] | None = None) -> list[Any]:
        """The rows of ``sql``, or ``[rowcount]`` for a statement returning none."""
        # take and give, not ``with``: this runs for every get, count and values()
        conn = self._pool.take()
        try:
            with translated(self._place):
                cursor = conn.execute(sql, params)
                result = cursor.pgresult
                if result is not None and result.status == _TUPLES:
                    return cursor.fetchall()
                return [cursor.rowcount]
        finally:
            self._pool.give(conn)

    def _create_table(self) -> None:
        # one creator at a time: concurrent CREATE TABLE IF NOT EXISTS can collide in pg_type
        with self._pool.connection() as conn, translated(self._place), conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", (META,))
            conn.execute(
                "SELECT pg_advisory_xact_lock(hashtextextended(%(t)s, 0))",
                {"t": self.address.collection},
            )
            SideTable.create_meta(conn)
            [(new,)] = conn.execute("SELECT to_regclass(%s) IS NULL", (self.table,)).fetchall()
            if new:  # a dropped table of that name may have left its unique entries behind
                self._side.forget_all(conn)
            conn.execute(
                f"CREATE TABLE IF NOT EXISTS {self.table} "
                "(key jsonb PRIMARY KEY, doc jsonb NOT NULL, exact boolean NOT NULL)",
                {},
            )
            inexact = identifier(self.address.collection[:50] + "__inexact")
            conn.execute(
                f"CREATE INDEX IF NOT EXISTS {inexact} ON {self.table} (key) WHERE NOT exact",
                {},
            )
            [(fsync, synchronous)] = conn.execute(
                "SELECT current_setting('fsync'), current_setting('synchronous_commit')"
            ).fetchall()
            self._unique = self._side.load(conn)
        # a commit is durable only once its WAL is flushed: a server that skips the flush
        # (fsync or synchronous_commit off) may lose acknowledged writes when it crashes
        if fsync != "on" or synchronous == "off":
            self.capabilities = type(self).capabilities.replace(durable=False)

    def _stream(self, sql: str, params: dict[str, Any]) -> Generator[tuple[Any, ...]]:
        """Rows of ``sql`` as the server sends them, in chunks: one round trip, and only a
        chunk held at a time (the server waits while the client reads)."""
        with self._pool.connection() as conn, translated(self._place), conn.cursor() as cursor:
            yield from cursor.stream(sql, params, size=_CHUNK)

    # -- primitives ---------------------------------------------------------------------------

    def add_record(self, record: Record) -> Key:
        return self.add_records([record])[0]

    def add_records(self, records: Sequence[Record]) -> list[Key]:
        keys = _KEYS.new(len(records))
        self._write(zip(keys, records, strict=True), upsert=False)
        return list(keys)

    def put_record(self, key: Key, record: Record) -> None:
        self._write([(key, record)], upsert=True)

    def put_records(self, items: Sequence[tuple[Key, Record]]) -> None:
        self._write(items, upsert=True)

    def insert_records(self, items: Sequence[tuple[Key, Record]]) -> None:
        try:
            self._write(items, upsert=False)  # one transaction: all written, or none
        except DuplicateKeyError as error:  # name the taken key; else it was a unique index
            raise duplicate_of(self, items) or error from error.__cause__

    def _write(self, items: Any, *, upsert: bool) -> None:
        rows: dict[str, Record] | list[tuple[str, Record]]
        if upsert:  # the last record of a key wins, as one save after another would
            rows = {json.dumps(key): record for key, record in items}
        else:
            rows = [(json.dumps(key), record) for key, record in items]

        def write(indexes: tuple[UniqueIndex, ...]) -> None:
            pairs = list(rows.items()) if isinstance(rows, dict) else rows
            # one statement is atomic alone; with entries to keep, one transaction
            with (
                self._pool.connection() as conn,
                translated(self._place),
                conn.transaction() if indexes else contextlib.nullcontext(),
            ):
                self._put(conn, pairs, indexes, upsert=upsert)

        self._guarded(write)

    def _put(
        self,
        conn: psycopg.Connection[Any],
        rows: Sequence[tuple[str, Record]],
        indexes: tuple[UniqueIndex, ...],
        *,
        upsert: bool,
    ) -> None:
        """Write ``rows`` (``(key as JSON, record)``) and their unique entries on ``conn``."""
        entries = self._side.entries(indexes, rows) if indexes else {}
        # one JSON text of [key, doc, exact] rows: a str parameter costs the client no more
        # than the text itself, where arrays are escaped element by element
        parts = []
        for key, record in rows:
            encoded = encode(record)
            parts.append(f"[{key},{encoded.text},{'true' if encoded.exact else 'false'}]")
        if indexes and upsert:
            self._side.forget(conn, json_list([key for key, _ in rows]))
        written = conn.execute(
            self._upsert_sql if upsert else self._insert_sql,
            {"rows": json_list(parts), "doqu_u": self._side.names(indexes)},
        ).rowcount
        if written != len(rows):
            raise StaleIndexesError
        self._side.insert(conn, entries)

    def _guarded(self, write: Callable[[tuple[UniqueIndex, ...]], _T]) -> _T:
        """Run ``write`` with the unique indexes known; again when it finds others recorded."""
        while True:
            indexes = self._unique
            try:
                return write(indexes)
            except StaleIndexesError:
                with self._pool.connection() as conn, translated(self._place):
                    self._unique = self._side.load(conn)
            except EntryTakenError as clash:
                with self._pool.connection() as conn, translated(self._place):
                    raise self._side.duplicate(conn, indexes, clash.entries) from None

    def fetch_records(self, keys: Sequence[Key]) -> Iterator[tuple[Key, Record]]:
        if len(keys) == 1:  # get(): the key need not come back
            [key] = keys
            found = self._execute(
                f"SELECT doc FROM {self.table} WHERE key = %(k)s::jsonb", {"k": json.dumps(key)}
            )
            return iter([(key, doc) for (doc,) in found])
        rows = self._execute(
            f"SELECT key, doc FROM {self.table} WHERE key = {KEYS}",
            {"k": json_list([json.dumps(key) for key in keys])},
        )
        return iter([(key, doc) for key, doc in rows])

    def remove_record(self, key: Key) -> bool:
        [count] = self._execute(
            f"DELETE FROM {self.table} WHERE key = %(k)s::jsonb", {"k": json.dumps(key)}
        )
        return bool(count)

    def clear(self) -> None:
        self._execute(f"DELETE FROM {self.table}")

    def iter_keys(self) -> Iterator[Key]:
        return (key for (key,) in self._stream(f"SELECT key FROM {self.table}", {}))

    # -- queries --------------------------------------------------------------------------------

    def query_items(self, spec: QuerySpec) -> Iterator[tuple[Key, Record]]:
        compiled = compile_condition(spec.condition)
        ordering = compile_order(spec.order) if spec.order and compiled.exact else None
        if ordering is not None:
            return self._ordered(compiled, ordering, spec)
        if compiled.exact and spec.is_windowed and not spec.order:
            return self._window(compiled, spec)
        return self._on_client(compiled, spec)

    def _on_client(self, compiled: Compiled, spec: QuerySpec) -> Iterator[tuple[Key, Record]]:
        """Every selected row, re-checked, then ordered and sliced by the reference."""
        rows = self._stream(
            f"SELECT key, doc, {compiled.recheck} FROM {self.table} WHERE {compiled.selection()}",
            compiled.params,
        )
        matches = self._rechecked(rows, spec.condition)
        if not spec.order and not spec.is_windowed:
            return matches
        return run(QuerySpec(MATCH_ALL, spec.order, spec.offset, spec.limit), matches)

    def _ordered_sql(self, compiled: Compiled, ordering: Ordering, spec: QuerySpec) -> str:
        """The ordered (and sliced) rows of an exact condition, given only if SQL alone decides
        and orders every selected row, so that its order is doqu's. A slice's rows come with
        that test's answer; an unsliced query's come only when it holds."""
        all_exact = (
            f"NOT EXISTS (SELECT 1 FROM {self.table} WHERE ({compiled.selection()}) "
            f"AND NOT (NOT ({compiled.recheck}) AND {ordering.orderable}))"
        )
        window = f" OFFSET {spec.offset}" if spec.offset else ""
        if spec.limit is None:
            return (
                f"SELECT key, doc, TRUE FROM {self.table} WHERE ({compiled.selection()}) AND "
                f"{all_exact} ORDER BY {ordering.terms}{window}"
            )
        return (
            f"SELECT key, doc, {all_exact} FROM {self.table} WHERE {compiled.selection()} "
            f"ORDER BY {ordering.terms}{window} LIMIT {spec.limit}"
        )

    def _ordered(
        self, compiled: Compiled, ordering: Ordering, spec: QuerySpec
    ) -> Iterator[tuple[Key, Record]]:
        """Ordered in SQL, in one statement, when every selected row is orderable there; else
        by the reference on the client."""
        sql = self._ordered_sql(compiled, ordering, spec)
        if spec.limit is not None:  # bounded: read whole, never left mid-stream
            rows = self._execute(sql, compiled.params)
            if rows and not rows[0][2]:
                return self._on_client(compiled, spec)
            # no row: no selected row is in the window, whatever the order
            return iter([(key, doc) for key, doc, _ in rows])
        return self._ordered_stream(sql, compiled, spec)

    def _ordered_stream(
        self, sql: str, compiled: Compiled, spec: QuerySpec
    ) -> Iterator[tuple[Key, Record]]:
        found = False
        for key, doc, _ in self._stream(sql, compiled.params):
            found = True
            yield key, doc
        if not found:  # nothing selected, or rows SQL cannot order: the reference says which
            yield from self._on_client(compiled, spec)

    def explain(self, query: Query[Any]) -> list[str]:
        """PostgreSQL's plan (``EXPLAIN``) for the first statement ``query`` runs."""
        spec = query.spec
        compiled = compile_condition(spec.condition)
        ordering = compile_order(spec.order) if spec.order and compiled.exact else None
        if ordering is not None:
            sql = self._ordered_sql(compiled, ordering, spec)
        else:
            sql = f"SELECT key, doc FROM {self.table} WHERE {compiled.selection()}"
        return [line for (line,) in self._execute("EXPLAIN " + sql, compiled.params)]

    def _window(self, compiled: Compiled, spec: QuerySpec) -> Iterator[tuple[Key, Record]]:
        """An unordered slice: SQL limits the rows it decides; re-checked rows are added."""
        stop = "" if spec.limit is None else f" LIMIT {spec.offset + spec.limit}"
        rows = self._execute(
            f"(SELECT key, doc, FALSE FROM {self.table} WHERE {compiled.decided()}{stop}) "
            f"UNION ALL (SELECT key, doc, TRUE FROM {self.table} WHERE {compiled.recheck})",
            compiled.params,
        )
        matches = self._rechecked(iter(rows), spec.condition)
        stop_at = None if spec.limit is None else spec.offset + spec.limit
        return itertools.islice(matches, spec.offset, stop_at)

    def _rechecked(
        self, rows: Iterator[tuple[Any, ...]], condition: Condition
    ) -> Iterator[tuple[Key, Record]]:
        test = None  # built for the first row to re-check: most queries have none
        for key, doc, recheck in rows:
            if recheck:
                if test is None:
                    test = matcher(condition)
                if not test(doc):
                    continue
            yield key, doc

    def count_records(self, spec: QuerySpec) -> int:
        compiled = compile_condition(spec.condition)
        if spec.is_windowed or not compiled.exact:
            return super().count_records(spec)
        [(count, rechecked)] = self._execute(
            f"SELECT count(*) FILTER (WHERE {compiled.decided()}), "
            f"COALESCE(jsonb_agg(doc) FILTER (WHERE {compiled.recheck}), '[]') "
            f"FROM {self.table} WHERE {compiled.selection()}",
            compiled.params,
        )
        if not rechecked:
            return int(count)
        test = matcher(spec.condition)
        return int(count) + sum(1 for doc in rechecked if test(doc))

    def distinct_values(self, spec: QuerySpec, field: str) -> list[Any]:
        compiled = compile_condition(spec.condition)
        parts = field.split(".")
        value = path_sql(parts)
        # a path stepping through a list reaches many values (MongoDB's walk): such rows, and
        # rows SQL cannot decide, are read and unwound on the client
        on_client = f"({compiled.recheck}) OR {walks_a_list(parts)}"
        # JSONB equality is doqu's for what SQL decides: 1 = 1.0, tags equal when values are
        rows = self._execute(
            f"(SELECT DISTINCT TRUE, d.doqu_value, FALSE FROM {self.table} CROSS JOIN LATERAL "
            f"jsonb_array_elements(CASE WHEN jsonb_typeof({value}) = 'array' THEN {value} "
            # a name of its own: the condition's subqueries call their elements 'e'
            f"ELSE jsonb_build_array({value}) END) AS d(doqu_value) "
            f"WHERE {value} IS NOT NULL AND NOT ({on_client}) AND ({compiled.match})) "
            f"UNION ALL (SELECT FALSE, doc, {compiled.recheck} FROM {self.table} "
            f"WHERE ({on_client}) AND ({compiled.selection()}))",
            compiled.params,
        )
        test = matcher(spec.condition)
        seen: dict[tuple[Any, ...], Any] = {}
        for distinct, item, recheck in rows:
            if distinct:
                seen.setdefault(sort_key(item), item)
            elif not recheck or test(item):
                for found in unwound(path_values(item, field)):
                    seen.setdefault(sort_key(found), found)
        return list(seen.values())

    def delete_records(self, spec: QuerySpec) -> int:
        compiled = compile_condition(spec.condition)
        if spec.is_windowed or not compiled.exact:
            keys = [json.dumps(key) for key, _ in self.query_items(spec)]
            if not keys:
                return 0
            [count] = self._execute(
                f"DELETE FROM {self.table} WHERE key = {KEYS}", {"k": json_list(keys)}
            )
            return int(count)
        with self._pool.connection() as conn, translated(self._place), conn.transaction():
            rechecked = conn.execute(
                f"SELECT key, doc FROM {self.table} WHERE {compiled.recheck}", compiled.params
            ).fetchall()
            test = matcher(spec.condition)
            keys = [json.dumps(key) for key, doc in rechecked if test(doc)]
            count = conn.execute(
                f"DELETE FROM {self.table} WHERE ({compiled.decided()}) OR key = {KEYS}",
                {**compiled.params, "k": json_list(keys)},
            ).rowcount
        return int(count)

    def update_records(self, spec: QuerySpec, changes: Mapping[str, Any]) -> int:
        compiled = compile_condition(spec.condition)

        def attempt(indexes: tuple[UniqueIndex, ...]) -> int:
            # one transaction: the matching rows are locked (in key order, so two updates
            # never deadlock) from the read until the write, so no concurrent write is lost
            with self._pool.connection() as conn, translated(self._place), conn.transaction():
                rows = conn.execute(
                    f"SELECT key, doc, {compiled.recheck} FROM {self.table} "
                    f"WHERE {compiled.selection()} ORDER BY key FOR UPDATE",
                    compiled.params,
                )
                # core refuses update() on a slice, so the spec's window is never set here
                updated = list(self._rechecked(iter(rows), spec.condition))
                for _, record in updated:  # check every record before writing any
                    apply_changes(record, changes)
                if updated:
                    self._put(
                        conn,
                        [(json.dumps(key), record) for key, record in updated],
                        indexes,
                        upsert=True,
                    )
            return len(updated)

        return self._guarded(attempt)

    def get_or_create_record(
        self, condition: Condition, record: Record
    ) -> tuple[Key, Record, bool]:
        compiled = compile_condition(condition)

        def attempt(indexes: tuple[UniqueIndex, ...]) -> tuple[Key, Record, bool]:
            # one creator at a time for this table, in every process: the lock lasts the
            # transaction
            with self._pool.connection() as conn, translated(self._place), conn.transaction():
                conn.execute(
                    "SELECT pg_advisory_xact_lock(hashtextextended(%(doqu_t)s, 1))",
                    {"doqu_t": self.address.collection},
                )
                rows = conn.execute(
                    f"SELECT key, doc, {compiled.recheck} FROM {self.table} "
                    f"WHERE {compiled.selection()}",
                    compiled.params,
                )
                for key, doc in self._rechecked(iter(rows), condition):
                    return key, doc, False
                [key] = _KEYS.new(1)
                self._put(conn, [(json.dumps(key), record)], indexes, upsert=False)
            return key, record, True

        return self._guarded(attempt)

    def create_index(self, index: Index) -> None:
        values = [f"({path_sql(field.split('.'))})" for field in index.fields]
        name = f"{self.address.collection[:40]}__{index.name}"[:59]
        # a btree for equality and ranges on the value itself; for one field also GIN, for
        # the containment test that finds the value as an element of a list
        statements = [
            f"CREATE INDEX IF NOT EXISTS {identifier(name)} ON {self.table} ({', '.join(values)})"
        ]
        if len(values) == 1:
            statements.append(
                f"CREATE INDEX IF NOT EXISTS {identifier(name + '__in')} "
                f"ON {self.table} USING gin ({values[0]} jsonb_path_ops)"
            )
        with self._pool.connection() as conn, translated(self._place), conn.transaction():
            if index.unique:
                # doqu's equality, not JSONB's: entries in the side table (``_unique``)
                known = self._side.load(conn)
                self._side.create(conn, UniqueIndex(index.name, tuple(index.fields)), known)
            for statement in statements:
                conn.execute(statement)
            if index.unique:
                self._unique = self._side.load(conn)

    def drop(self) -> None:
        """Drop the collection: its table, its unique entries and its recorded indexes."""
        with self._pool.connection() as conn, translated(self._place), conn.transaction():
            self._side.forget_all(conn)
            conn.execute(f"DROP TABLE IF EXISTS {self.table}")

    def close(self) -> None:
        self._pool.closed = True
        self._pool.close()

    def reconnect(self) -> None:
        self._pool.close()
        self._pool.closed = False

    def __repr__(self) -> str:
        return f"<PostgresStorage {self._place}>"
