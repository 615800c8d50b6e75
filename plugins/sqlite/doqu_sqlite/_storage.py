"""The SQLite storage: one table of ``(id, doc)`` per collection, the record as JSON text.

Durability: WAL journal and ``synchronous=FULL`` by default, so every write is committed and
synced before ``save()`` returns. (``synchronous=normal`` with WAL still survives a killed
process, since a commit is in the WAL file once written, but may lose the last commits on a
power loss.) Concurrency: each operation borrows a connection from the storage's pool, so
threads never share one; other processes are serialised by SQLite's file locks, waited for up
to ``timeout`` seconds. Every read-modify-write (bulk writes, ``update``, ``delete`` on the
client, ``get_or_create``) runs in one ``BEGIN IMMEDIATE`` transaction, which takes the
database's write lock first: atomic across processes.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Self

from doqu import Index, Query
from doqu.backend import (
    MATCH_ALL,
    Capabilities,
    Condition,
    Key,
    Lookup,
    QuerySpec,
    Record,
    StorageAdapter,
    apply_changes,
    duplicate_of,
    matcher,
    run,
    sort_key,
)
from doqu.errors import ConfigurationError, DuplicateKeyError

from . import _url
from ._codec import decode, encode
from ._compile import Sql, compile_condition, compile_order, json_path, quote_name
from ._errors import translated
from ._indexes import (
    IndexDefinition,
    build_index,
    definitions,
    flat_fields,
    orderable,
    prepare,
)
from ._keys import new_key
from ._unique import owner_of, register_functions

__all__ = ["SQLiteStorage"]

_CHUNK = 500  # keys per IN (...) list, far below SQLite's parameter limit
_PROBED = 64  # a WHERE with this many parentheses is test-prepared before use (_compiled)


class _Pool:
    """Connections to one database file, each used by one thread at a time."""

    def __init__(self, path: str, settings: _url.Settings) -> None:
        self.path = path
        self.settings = settings
        self._idle: list[sqlite3.Connection] = []

    def _open(self) -> sqlite3.Connection:
        connection = sqlite3.connect(
            self.path,
            timeout=self.settings.timeout,
            isolation_level=None,  # autocommit: transactions are explicit BEGIN IMMEDIATE
            check_same_thread=False,  # a pooled connection moves between threads, never shared
            cached_statements=256,
        )
        connection.execute(f"PRAGMA journal_mode = {self.settings.journal_mode}")
        connection.execute(f"PRAGMA synchronous = {self.settings.synchronous}")
        register_functions(connection)  # the unique indexes' triggers call it
        return connection

    def acquire(self) -> sqlite3.Connection:
        """An idle connection, or a new one; give it back with :meth:`release`."""
        try:
            return self._idle.pop()  # atomic: no lock needed
        except IndexError:
            return self._open()

    def release(self, connection: sqlite3.Connection) -> None:
        if connection.in_transaction:  # an abandoned read: end its snapshot
            connection.execute("ROLLBACK")
        self._idle.append(connection)

    def close(self) -> None:
        idle, self._idle = self._idle, []
        for connection in idle:
            connection.close()


class SQLiteStorage(StorageAdapter):
    """One collection (a table) of a SQLite database file.

    ``SQLiteStorage("app.db", collection="people")``; ``SQLiteStorage(None)`` is a throwaway
    database in a temporary file, removed on ``close()``.
    """

    backend = "sqlite"
    capabilities = Capabilities(
        regex=True,  # on the client, with doqu's reference evaluator
        date_parts=True,
        atomic_get_or_create=True,  # BEGIN IMMEDIATE: across threads and processes
        unique_indexes=True,
        thread_safe=True,
        persistent=True,
        durable=True,  # WAL, synchronous=FULL by default: a commit is on disk when acknowledged
        integer_keys=True,
        date_values=True,
        bytes_values=True,
        uuid_values=True,
        nan_values=True,
        infinity_values=True,
        datetime_microseconds=True,
        nested_lists=True,
    )

    def __init__(
        self,
        path: str | os.PathLike[str] | None,
        *,
        collection: str = _url.DEFAULT_COLLECTION,
        **options: Any,
    ) -> None:
        unknown = sorted(set(options) - set(_url.OPTIONS))
        if unknown:
            raise ConfigurationError(
                f"unknown option(s) {unknown!r} for the sqlite backend; accepted: "
                f"{', '.join(_url.OPTIONS)}"
            )
        self.settings = _url.Settings.checked(collection=collection, **options)
        self.collection = self.settings.collection
        self.throwaway = path is None
        if path is None:
            handle, path = tempfile.mkstemp(prefix="doqu-sqlite-", suffix=".db")
            os.close(handle)
        self.path = os.fspath(path)
        self._table = quote_name(self.collection)
        self._where = f"sqlite database {self.path!r}"
        self._pool = _Pool(self.path, self.settings)
        self._indexes: dict[str, IndexDefinition] = {}
        self._setup()

    @classmethod
    def from_url(cls, url: str, **options: Any) -> Self:
        """Build a storage from a ``sqlite://`` URL (see ``doqu_sqlite._url``) and options."""
        path, settings = _url.settings_from_url(url, options)
        return cls(
            path,
            collection=settings.collection,
            timeout=settings.timeout,
            journal_mode=settings.journal_mode,
            synchronous=settings.synchronous,
        )

    def _setup(self) -> None:
        with self._connection() as connection:
            connection.execute(
                f"CREATE TABLE IF NOT EXISTS {self._table} "
                "(id PRIMARY KEY NOT NULL, doc TEXT NOT NULL)"  # id untyped: int and str keys
            )
            prepare(connection)
            self._indexes = definitions(connection, self.collection)

    # -- connections and transactions --------------------------------------------------------

    @contextlib.contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        pool = self._pool
        with translated(self._where):
            connection = pool.acquire()
            try:
                yield connection
            finally:
                pool.release(connection)

    @contextlib.contextmanager
    def _transaction(self, kind: str = "IMMEDIATE") -> Iterator[sqlite3.Connection]:
        """One transaction; IMMEDIATE takes the write lock at once (no upgrade deadlocks)."""
        with self._connection() as connection:
            connection.execute(f"BEGIN {kind}")
            try:
                yield connection
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            connection.execute("COMMIT")

    def _write(
        self, connection: sqlite3.Connection, statement: str, rows: Sequence[tuple[Any, ...]]
    ) -> None:
        """Run ``statement`` for ``rows`` of ``(doc text, id)``; a unique clash is doqu's error."""
        try:
            connection.executemany(statement, rows)
        except sqlite3.IntegrityError as error:
            raise self._duplicate(connection, rows) from error

    def _duplicate(
        self, connection: sqlite3.Connection, rows: Sequence[tuple[Any, ...]]
    ) -> DuplicateKeyError:
        for definition in self._unique_indexes(connection):
            for text, key in rows:
                clash = owner_of(
                    connection, self.collection, definition.name, definition.fields, text, key
                )
                if clash is None:
                    continue
                owner, shown = clash
                return DuplicateKeyError(
                    f"unique index {definition.name!r} on {', '.join(definition.fields)} already "
                    f"holds {shown!r} (record {owner!r}); store another value, or change or "
                    f"delete record {owner!r} first",
                    key=shown,
                    index=definition.name,
                )
        return DuplicateKeyError(
            f"a write to {self._where} table {self.collection!r} broke a unique constraint; "
            "store other values",
        )

    def _unique_indexes(self, connection: sqlite3.Connection) -> list[IndexDefinition]:
        self._indexes = definitions(connection, self.collection)  # another process may add one
        return [definition for definition in self._indexes.values() if definition.unique]

    # -- writes ------------------------------------------------------------------------------

    def _insert(self, records: Sequence[Record]) -> list[Key]:
        rows = [(encode(record), new_key()) for record in records]
        with self._transaction() as connection:
            self._write(connection, f"INSERT INTO {self._table} (doc, id) VALUES (?, ?)", rows)
        return [key for _, key in rows]

    def add_record(self, record: Record) -> Key:
        return self._insert([record])[0]

    def add_records(self, records: Sequence[Record]) -> list[Key]:
        return self._insert(records)

    def _upsert(self, connection: sqlite3.Connection, rows: Sequence[tuple[str, Key]]) -> None:
        self._write(
            connection,
            f"INSERT INTO {self._table} (doc, id) VALUES (?, ?) "
            "ON CONFLICT (id) DO UPDATE SET doc = excluded.doc",
            rows,
        )

    def put_record(self, key: Key, record: Record) -> None:
        with self._connection() as connection:  # one statement: atomic without a transaction
            self._upsert(connection, [(encode(record), key)])

    def put_records(self, items: Sequence[tuple[Key, Record]]) -> None:
        rows = [(encode(record), key) for key, record in items]
        with self._transaction() as connection:
            self._upsert(connection, rows)

    def insert_records(self, items: Sequence[tuple[Key, Record]]) -> None:
        # one plain INSERT per row in one transaction: all written, or none
        rows = [(encode(record), key) for key, record in items]
        try:
            with self._transaction() as connection:
                self._write(connection, f"INSERT INTO {self._table} (doc, id) VALUES (?, ?)", rows)
        except DuplicateKeyError as error:  # name the taken key; else it was a unique index
            raise duplicate_of(self, items) or error from error.__cause__

    def remove_record(self, key: Key) -> bool:
        with self._connection() as connection:
            cursor = connection.execute(f"DELETE FROM {self._table} WHERE id = ?", (key,))
            return cursor.rowcount > 0

    def clear(self) -> None:
        with self._connection() as connection:
            connection.execute(f"DELETE FROM {self._table}")

    def delete_records(self, spec: QuerySpec) -> int:
        with self._transaction() as connection:
            where, exact = self._compiled(connection, spec.condition)
            if exact:
                cursor = connection.execute(
                    f"DELETE FROM {self._table} WHERE {where.text}", where.params
                )
                return cursor.rowcount
            keys = [(key,) for key, _ in self._matching(connection, spec.condition, where)]
            connection.executemany(f"DELETE FROM {self._table} WHERE id = ?", keys)
            return len(keys)

    def update_records(self, spec: QuerySpec, changes: Mapping[str, Any]) -> int:
        with self._transaction() as connection:
            where, exact = self._compiled(connection, spec.condition)
            condition = MATCH_ALL if exact else spec.condition
            rows = []
            for key, record in self._matching(connection, condition, where):
                rows.append((encode(apply_changes(record, changes)), key))
            self._write(connection, f"UPDATE {self._table} SET doc = ? WHERE id = ?", rows)
            return len(rows)

    def get_or_create_record(
        self, condition: Condition, record: Record
    ) -> tuple[Key, Record, bool]:
        with self._transaction() as connection:
            where, exact = self._compiled(connection, condition)
            test = MATCH_ALL if exact else condition
            for key, found in self._matching(connection, test, where):
                return key, found, False
            key = new_key()
            self._write(
                connection,
                f"INSERT INTO {self._table} (doc, id) VALUES (?, ?)",
                [(encode(record), key)],
            )
            return key, record, True

    def create_index(self, index: Index) -> None:
        with self._transaction() as connection:
            self._indexes = definitions(connection, self.collection)
            build_index(connection, self.collection, IndexDefinition.of(index), self._indexes)
            self._indexes = definitions(connection, self.collection)

    # -- reads -------------------------------------------------------------------------------

    def _compiled(self, connection: sqlite3.Connection, condition: Condition) -> tuple[Sql, bool]:
        """The WHERE for ``condition`` and whether it is exact. One SQLite cannot parse (too
        deep, too many parameters) selects every row, and the client filters them."""
        flat = flat_fields(connection, self._table, condition, self._indexes)
        where, exact = compile_condition(condition, flat)
        if where.text.count("(") < _PROBED or self._parses(connection, where):
            return where, exact
        return Sql("1"), False

    def _parses(self, connection: sqlite3.Connection, where: Sql) -> bool:
        """Whether SQLite prepares a SELECT with ``where`` (EXPLAIN: prepared, not run)."""
        try:
            connection.execute(
                f"EXPLAIN SELECT 1 FROM {self._table} WHERE {where.text}", where.params
            )
        except sqlite3.OperationalError as error:
            # parser stack overflow, expression tree too large, too many SQL variables
            if getattr(error, "sqlite_errorname", None) in ("SQLITE_ERROR", "SQLITE_TOOBIG"):
                return False
            raise
        return True

    def _matching(
        self, connection: sqlite3.Connection, condition: Condition, where: Sql
    ) -> Iterator[tuple[Key, Record]]:
        """The rows ``where`` selects that match ``condition`` (MATCH_ALL: all of them)."""
        cursor = connection.execute(
            f"SELECT id, doc FROM {self._table} WHERE {where.text}", where.params
        )
        items = ((key, decode(text)) for key, text in cursor)
        if condition == MATCH_ALL:
            return items
        test = matcher(condition)
        return ((key, record) for key, record in items if test(record))

    def fetch_records(self, keys: Sequence[Key]) -> Iterator[tuple[Key, Record]]:
        if len(keys) == 1:  # get(): the most common read
            with self._connection() as connection:
                row = connection.execute(
                    f"SELECT doc FROM {self._table} WHERE id = ?", (keys[0],)
                ).fetchone()
            return iter(() if row is None else ((keys[0], decode(row[0])),))
        found = []
        with self._connection() as connection:
            for start in range(0, len(keys), _CHUNK):
                chunk = keys[start : start + _CHUNK]
                marks = ", ".join("?" * len(chunk))
                found.extend(
                    connection.execute(
                        f"SELECT id, doc FROM {self._table} WHERE id IN ({marks})", chunk
                    ).fetchall()
                )
        return ((key, decode(text)) for key, text in found)

    def query_items(self, spec: QuerySpec) -> Iterator[tuple[Key, Record]]:
        return self._select(spec, "id, doc", lambda row: (row[0], decode(row[1])))

    def query_records(self, spec: QuerySpec) -> Iterator[Record]:
        if spec.order or spec.condition != MATCH_ALL:
            return (record for _, record in self.query_items(spec))
        return self._select(spec, "doc", lambda row: decode(row[0]))

    def _statements(
        self, connection: sqlite3.Connection, spec: QuerySpec, columns: str
    ) -> tuple[Sql, QuerySpec | None]:
        """The SELECT for ``spec``, and what the client still does with its rows (``None``:
        nothing: SQL filtered, ordered and windowed exactly). Runs a check when ordered."""
        where, exact = self._compiled(connection, spec.condition)
        plain = Sql(f"SELECT {columns} FROM {self._table} WHERE {where.text}", where.params)
        window = (-1 if spec.limit is None else spec.limit, spec.offset)
        if exact and not spec.order:
            if spec.is_windowed:
                return Sql(plain.text + " LIMIT ? OFFSET ?", (*where.params, *window)), None
            return plain, None
        rest = QuerySpec(
            MATCH_ALL if exact else spec.condition, spec.order, spec.offset, spec.limit
        )
        order = compile_order(spec.order) if exact else None
        if order is None:
            return plain, rest
        terms, unordered = order
        fields = [field for field, _ in spec.order]
        if not orderable(connection, self._table, fields, self._indexes):
            check = f"SELECT 1 FROM {self._table} WHERE ({where.text}) AND ({unordered}) LIMIT 1"
            if connection.execute(check, where.params).fetchone() is not None:
                return plain, rest  # values SQL cannot order: the client orders them
        ordered = Sql(f"{plain.text} ORDER BY {terms} LIMIT ? OFFSET ?", (*where.params, *window))
        return ordered, None

    def _select(self, spec: QuerySpec, columns: str, convert: Any) -> Iterator[Any]:
        """Stream ``spec``'s rows: SQL filters (and orders and windows, where it can do so
        exactly); the client orders, and filters what SQL could only narrow down."""
        with self._transaction("DEFERRED") as connection:  # one snapshot for every statement
            statement, rest = self._statements(connection, spec, columns)
            cursor = connection.execute(statement.text, statement.params)
            try:
                if rest is None:
                    while rows := cursor.fetchmany(_CHUNK):
                        yield from map(convert, rows)
                else:
                    yield from run(rest, ((key, decode(text)) for key, text in cursor))
            finally:
                cursor.close()

    def explain(self, query: Query[Any]) -> list[str]:
        """SQLite's plan for the statement ``query`` runs (``EXPLAIN QUERY PLAN``).

        Shows whether an index is used: ``SEARCH ... USING INDEX people__email (<expr>=?)``.
        """
        with self._transaction("DEFERRED") as connection:
            statement, _ = self._statements(connection, query.spec, "id, doc")
            rows = connection.execute("EXPLAIN QUERY PLAN " + statement.text, statement.params)
            return [str(row[-1]) for row in rows]

    def count_records(self, spec: QuerySpec) -> int:
        with self._transaction("DEFERRED") as connection:
            where, exact = self._compiled(connection, spec.condition)
            if exact:
                inner = f"SELECT 1 FROM {self._table} WHERE {where.text}"
                params = where.params
                if spec.is_windowed:
                    inner += " LIMIT ? OFFSET ?"
                    params += (-1 if spec.limit is None else spec.limit, spec.offset)
                row = connection.execute(f"SELECT count(*) FROM ({inner})", params).fetchone()
                return int(row[0])
        return super().count_records(spec)

    def distinct_values(self, spec: QuerySpec, field: str) -> list[Any]:
        path = json_path(field)
        with self._transaction("DEFERRED") as connection:
            where, exact = self._compiled(connection, spec.condition)
            probe = Lookup(field, "exists", True)
            through_lists = field not in flat_fields(connection, self._table, probe, self._indexes)
            if exact and path is not None and ("." not in field or not through_lists):
                rows = connection.execute(
                    f"SELECT DISTINCT doc -> {path} FROM {self._table} "
                    f"WHERE ({where.text}) AND json_type(doc, {path}) IS NOT NULL",
                    where.params,
                ).fetchall()
                seen: dict[tuple[Any, ...], Any] = {}
                for (text,) in rows:
                    value = decode(text)
                    for item in value if isinstance(value, list) else [value]:
                        seen.setdefault(sort_key(item), item)
                return list(seen.values())
        return super().distinct_values(spec, field)

    def iter_keys(self) -> Iterator[Key]:
        """Stream the keys: one statement (one snapshot) on a connection of the iterator's
        own, read in chunks; the connection goes back to the pool when iteration ends."""
        with self._connection() as connection:
            cursor = connection.execute(f"SELECT id FROM {self._table}")
            try:
                while rows := cursor.fetchmany(_CHUNK):
                    for (key,) in rows:
                        yield key
            finally:
                cursor.close()

    # -- lifecycle ---------------------------------------------------------------------------

    def close(self) -> None:
        self._pool.close()
        if self.throwaway:
            for suffix in ("", "-wal", "-shm"):
                with contextlib.suppress(FileNotFoundError):
                    os.remove(self.path + suffix)

    def reconnect(self) -> None:
        self._pool.close()
        self._pool = _Pool(self.path, self.settings)
        self._setup()

    def __repr__(self) -> str:
        return f"<SQLiteStorage {self.path!r} collection {self.collection!r}>"
