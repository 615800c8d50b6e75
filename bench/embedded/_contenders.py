"""The contenders: the limits (raw sqlite3, a plain-Python floor), doqu on sqlite and memory,
and the embedded peers.

Each one keeps its data in a directory of its own and has one method per workload, returning
what it computed so the runner can check that every contender did the same work.
"""

from __future__ import annotations

import abc
import heapq
import json
import os
import sqlite3
import uuid
from collections.abc import Sequence
from typing import Any, ClassVar

import doqu

__all__ = ["CORE", "PEERS", "Contender", "Floor", "RawSQLite"]

Row = dict[str, Any]
INDEXED = ("age", "score", "email")
LOW, HIGH = 20, 29  # the range query's ages
WINDOW = slice(10, 20)  # and its slice, by score descending


class Contender(abc.ABC):
    """One library, on one directory; ``load`` is the untimed setup of the read workloads."""

    name: ClassVar[str]
    #: the largest size it runs at (a slow peer would take hours at 100k)
    max_size: ClassVar[int | None] = None

    def __init__(self, directory: str) -> None:
        self.directory = directory

    @abc.abstractmethod
    def insert(self, rows: list[Row]) -> list[Any]:
        """Insert rows in bulk (keys generated); return their keys."""

    def load(self, rows: list[Row]) -> list[Any]:
        """Store ``rows`` and index them (untimed); return the keys."""
        keys = self.insert(rows)
        self.index()
        return keys

    def index(self) -> None:
        """Index ``INDEXED`` where the library can."""

    @abc.abstractmethod
    def get_by_key(self, keys: Sequence[Any]) -> int: ...
    @abc.abstractmethod
    def get_many(self, keys: Sequence[Any]) -> int: ...
    @abc.abstractmethod
    def equality(self, age: int) -> int: ...
    @abc.abstractmethod
    def unique(self, email: str) -> int: ...
    @abc.abstractmethod
    def range_slice(self) -> list[float]: ...
    @abc.abstractmethod
    def count(self) -> int: ...
    @abc.abstractmethod
    def distinct(self) -> list[str]: ...

    def close(self) -> None:
        """Release files."""


class RawSQLite(Contender):
    """The standard library's sqlite3 with the table, pragmas and indexes doqu-sqlite uses,
    writing the SQL a developer would: the physical limit."""

    name = "sqlite3"

    def __init__(self, directory: str) -> None:
        super().__init__(directory)
        self.db = sqlite3.connect(os.path.join(directory, "raw.db"), isolation_level=None)
        self.db.execute("PRAGMA journal_mode = wal")
        self.db.execute("PRAGMA synchronous = full")
        self.db.execute("CREATE TABLE people (id PRIMARY KEY NOT NULL, doc TEXT NOT NULL)")

    def insert(self, rows: list[Row]) -> list[Any]:
        dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
        items = [(uuid.uuid4().hex, dumps(row)) for row in rows]
        self.db.execute("BEGIN IMMEDIATE")
        self.db.executemany("INSERT INTO people (id, doc) VALUES (?, ?)", items)
        self.db.execute("COMMIT")
        return [key for key, _ in items]

    def index(self) -> None:
        for field in INDEXED:
            self.db.execute(
                f"CREATE INDEX people_{field} ON people (json_extract(doc, '$.\"{field}\"'))"
            )

    def get_by_key(self, keys: Sequence[Any]) -> int:
        execute, loads = self.db.execute, json.loads
        statement = "SELECT doc FROM people WHERE id = ?"
        return sum(loads(execute(statement, (key,)).fetchone()[0])["age"] for key in keys)

    def get_many(self, keys: Sequence[Any]) -> int:
        marks = ", ".join("?" * len(keys))
        rows = self.db.execute(f"SELECT id, doc FROM people WHERE id IN ({marks})", list(keys))
        found = {key: json.loads(doc) for key, doc in rows}
        return sum(found[key]["age"] for key in keys)

    def equality(self, age: int) -> int:
        rows = self.db.execute(
            "SELECT doc FROM people WHERE json_extract(doc, '$.\"age\"') = ?", (age,)
        )
        return sum(json.loads(doc)["age"] for (doc,) in rows)

    def unique(self, email: str) -> int:
        rows = self.db.execute(
            "SELECT doc FROM people WHERE json_extract(doc, '$.\"email\"') = ?", (email,)
        )
        return sum(json.loads(doc)["age"] for (doc,) in rows)

    def range_slice(self) -> list[float]:
        rows = self.db.execute(
            "SELECT doc FROM people WHERE json_extract(doc, '$.\"age\"') BETWEEN ? AND ? "
            "ORDER BY json_extract(doc, '$.\"score\"') DESC, id LIMIT ? OFFSET ?",
            (LOW, HIGH, WINDOW.stop - WINDOW.start, WINDOW.start),
        )
        return [json.loads(doc)["score"] for (doc,) in rows]

    def count(self) -> int:
        statement = "SELECT count(*) FROM people WHERE json_extract(doc, '$.\"age\"') >= ?"
        return int(self.db.execute(statement, (40,)).fetchone()[0])

    def distinct(self) -> list[str]:
        rows = self.db.execute(
            "SELECT DISTINCT json_extract(doc, '$.\"city\"') FROM people "
            "WHERE json_extract(doc, '$.\"active\"') = 1"
        )
        return sorted(city for (city,) in rows)

    def close(self) -> None:
        self.db.close()


class Doqu(Contender):
    """doqu with dict results, on a storage URL."""

    url: ClassVar[str]

    def __init__(self, directory: str) -> None:
        super().__init__(directory)
        self.storage = doqu.connect(self.url.format(directory=directory), collection="people")

    def insert(self, rows: list[Row]) -> list[Any]:
        return self.storage.save_many(rows)

    def index(self) -> None:
        for field in INDEXED:
            self.storage.ensure_index(doqu.Index(field))

    def get_by_key(self, keys: Sequence[Any]) -> int:
        get = self.storage.get
        return sum(get(dict, key)["age"] for key in keys)

    def get_many(self, keys: Sequence[Any]) -> int:
        return sum(row["age"] for row in self.storage.get_many(dict, keys))

    def equality(self, age: int) -> int:
        return sum(row["age"] for row in self.storage.find(age=age))

    def unique(self, email: str) -> int:
        return sum(row["age"] for row in self.storage.find(email=email))

    def range_slice(self) -> list[float]:
        query = self.storage.find(age__between=(LOW, HIGH)).order_by("-score")
        return [row["score"] for row in query[WINDOW]]

    def count(self) -> int:
        return self.storage.find(age__gte=40).count()

    def distinct(self) -> list[str]:
        return sorted(self.storage.find(active=True).values("city"))

    def close(self) -> None:
        self.storage.close()


class DoquSQLite(Doqu):
    name = "doqu-sqlite"
    url = "sqlite:///{directory}/doqu.db"


class DoquMemory(Doqu):
    name = "memory://"
    url = "memory://"


class DoquMemoryScan(DoquMemory):
    """memory:// without indexes: every query scans."""

    name = "memory-scan"

    def index(self) -> None:
        pass


class Floor(Contender):
    """What any in-process store must at least do, in plain Python: a dict of the rows
    (not copied), a comprehension for a scan, ``heapq`` for the top of an order, a set for
    distinct values. No index: the indexed contenders may beat it."""

    name = "floor"

    def insert(self, rows: list[Row]) -> list[Any]:
        keys = [uuid.uuid4().hex for _ in rows]
        self.rows = dict(zip(keys, rows, strict=True))
        return keys

    def get_by_key(self, keys: Sequence[Any]) -> int:
        rows = self.rows
        return sum(rows[key]["age"] for key in keys)

    get_many = get_by_key

    def equality(self, age: int) -> int:
        return sum(row["age"] for row in self.rows.values() if row["age"] == age)

    def unique(self, email: str) -> int:
        return sum(row["age"] for row in self.rows.values() if row["email"] == email)

    def range_slice(self) -> list[float]:
        top = heapq.nsmallest(
            WINDOW.stop,
            (item for item in self.rows.items() if LOW <= item[1]["age"] <= HIGH),
            key=lambda item: (-item[1]["score"], item[0]),
        )
        return [row["score"] for _, row in top[WINDOW]]

    def count(self) -> int:
        return sum(1 for row in self.rows.values() if row["age"] >= 40)

    def distinct(self) -> list[str]:
        return sorted({row["city"] for row in self.rows.values() if row["active"]})


class TinyDB(Contender):
    """tinydb 4.9 on its JSON file, behind its CachingMiddleware (else every read parses the
    whole file); written out on close. Its table's query cache is off: it would answer a
    repeated query without doing the work."""

    name = "tinydb"

    def __init__(self, directory: str) -> None:
        super().__init__(directory)
        import tinydb
        from tinydb.middlewares import CachingMiddleware
        from tinydb.storages import JSONStorage

        self.tinydb = tinydb
        self.db = tinydb.TinyDB(
            os.path.join(directory, "tiny.json"),
            storage=CachingMiddleware(JSONStorage),  # type: ignore[no-untyped-call]
        )
        self.table = self.db.table("people", cache_size=0)

    def insert(self, rows: list[Row]) -> list[Any]:
        keys: list[Any] = self.table.insert_multiple(rows)
        self.db.storage.flush()  # type: ignore[attr-defined]  # the middleware's
        return keys

    def get_by_key(self, keys: Sequence[Any]) -> int:
        get = self.table.get
        return sum(get(doc_id=key)["age"] for key in keys)  # type: ignore[index]

    def get_many(self, keys: Sequence[Any]) -> int:
        found = {doc.doc_id: doc for doc in self.table.get(doc_ids=list(keys)) or []}
        return sum(found[key]["age"] for key in keys)

    def equality(self, age: int) -> int:
        person = self.tinydb.Query()
        return sum(row["age"] for row in self.table.search(person.age == age))

    def unique(self, email: str) -> int:
        person = self.tinydb.Query()
        return sum(row["age"] for row in self.table.search(person.email == email))

    def range_slice(self) -> list[float]:
        person = self.tinydb.Query()
        rows = self.table.search((person.age >= LOW) & (person.age <= HIGH))
        rows.sort(key=lambda row: (-row["score"], row.doc_id))
        return [row["score"] for row in rows[WINDOW]]

    def count(self) -> int:
        return self.table.count(self.tinydb.Query().age >= 40)

    def distinct(self) -> list[str]:
        person = self.tinydb.Query()
        return sorted({row["city"] for row in self.table.search(person.active == True)})  # noqa: E712

    def close(self) -> None:
        self.db.close()


class _PyMongoLike(Contender):
    """A peer with pymongo's collection API (mongomock, montydb, mongita)."""

    collection: Any

    def insert(self, rows: list[Row]) -> list[Any]:
        return list(self.collection.insert_many([dict(row) for row in rows]).inserted_ids)

    def get_by_key(self, keys: Sequence[Any]) -> int:
        find_one = self.collection.find_one
        return sum(find_one({"_id": key})["age"] for key in keys)

    def get_many(self, keys: Sequence[Any]) -> int:
        found = {doc["_id"]: doc for doc in self.collection.find({"_id": {"$in": list(keys)}})}
        return sum(found[key]["age"] for key in keys)

    def equality(self, age: int) -> int:
        return sum(doc["age"] for doc in self.collection.find({"age": age}))

    def unique(self, email: str) -> int:
        return sum(doc["age"] for doc in self.collection.find({"email": email}))

    def range_slice(self) -> list[float]:
        cursor = self.collection.find({"age": {"$gte": LOW, "$lte": HIGH}})
        rows = sorted(cursor, key=lambda doc: (-doc["score"], str(doc["_id"])))
        return [doc["score"] for doc in rows[WINDOW]]

    def index(self) -> None:
        for field in INDEXED:
            self.collection.create_index(field)

    def count(self) -> int:
        return int(self.collection.count_documents({"age": {"$gte": 40}}))

    def distinct(self) -> list[str]:
        return sorted(self.collection.distinct("city", {"active": True}))


class MongoMock(_PyMongoLike):
    """mongomock 4.3, in memory: pymongo's API over Python dicts (its indexes only check
    uniqueness; every query scans)."""

    name = "mongomock"
    max_size = 10_000  # a get by key scans: 15 ms a lookup at 10k, hours of rounds at 100k

    def __init__(self, directory: str) -> None:
        super().__init__(directory)
        import mongomock

        self.client: Any = mongomock.MongoClient()
        self.collection = self.client["bench"]["people"]

    def close(self) -> None:
        self.client.close()


class MontyDB(_PyMongoLike):
    """montydb 2.5 on its SQLite storage engine: the closest peer."""

    name = "montydb"
    max_size = 2_000  # a get by key takes ~50 ms over 1,200 records: it reads every one

    def __init__(self, directory: str) -> None:
        super().__init__(directory)
        from montydb import MontyClient, set_storage

        set_storage(directory, storage="sqlite")
        self.client = MontyClient(directory)
        self.collection = self.client["bench"]["people"]

    def close(self) -> None:
        self.client.close()


class Mongita(_PyMongoLike):
    """mongita 1.2 on disk."""

    name = "mongita"

    def __init__(self, directory: str) -> None:
        super().__init__(directory)
        from mongita import MongitaClientDisk

        self.client = MongitaClientDisk(directory)
        self.collection = self.client["bench"]["people"]

    def close(self) -> None:
        self.client.close()


PEERS: tuple[type[Contender], ...] = (MongoMock, TinyDB, MontyDB, Mongita)
#: what every size has: the two limits and doqu's embedded backends
CORE: tuple[type[Contender], ...] = (RawSQLite, Floor, DoquSQLite, DoquMemory, DoquMemoryScan)
