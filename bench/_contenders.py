"""The contenders: four ways to do the same work on the same server.

Each contender owns one client, with its own :class:`~bench._measure.CommandCounter`, and
exposes one method per workload. A method does what a user of that library writes for the
job, and returns what it computed so the runner can check that every contender did the same
work (see ``bench._workloads``).
"""

from __future__ import annotations

import abc
import operator
import os
from collections.abc import Callable, Sequence
from typing import Any, ClassVar
from urllib.parse import urlsplit, urlunsplit

import mongoengine
import pymongo
from pymongo import ReplaceOne

import doqu

from ._data import CopySource, object_total, row_total
from ._measure import CommandCounter
from ._models import Person, mongoengine_person, mongoengine_row

#: documents per batch when raw pymongo reads a query (doqu-mongodb's batch size)
BATCH_SIZE = 1000

__all__ = ["CONTENDERS", "Contender", "contender_named", "url_with_database"]

Row = dict[str, Any]


def url_with_database(url: str, database: str) -> str:
    """``url`` with its path replaced by ``/database``, its options kept."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{database}", parts.query, parts.fragment))


class Contender(abc.ABC):
    """One library doing the benchmark's work; :meth:`use` points it at a collection."""

    #: the name in the results
    name: ClassVar[str]

    def __init__(self, url: str, database: str) -> None:
        self.url = url
        self.database = database
        self.counter = CommandCounter()

    @abc.abstractmethod
    def use(self, collection: str) -> None:
        """Work on ``collection`` from now on (set up before a run, not timed)."""

    @abc.abstractmethod
    def close(self) -> None:
        """Close the contender's client."""

    @abc.abstractmethod
    def bulk_insert(self, rows: list[Row]) -> int:
        """Insert new rows in bulk; return how many were inserted."""

    @abc.abstractmethod
    def save_one_by_one(self, rows: list[Row]) -> int:
        """Save new rows one at a time; return how many were saved."""

    @abc.abstractmethod
    def get_by_key(self, keys: Sequence[str]) -> int:
        """Get each key's document on its own; return the sum of their ages."""

    @abc.abstractmethod
    def get_many(self, keys: Sequence[str]) -> int:
        """Get the keys' documents at once, in key order; return the sum of their ages."""

    @abc.abstractmethod
    def query(self) -> int:
        """Read every active person; return the sum of their ages."""

    @abc.abstractmethod
    def query_keys(self) -> int:
        """Read every active person with its key; return the sum of ages and key lengths."""

    @abc.abstractmethod
    def query_all_fields(self) -> int:
        """Read every field of every active person; return the sum of their row totals."""

    @abc.abstractmethod
    def count(self, times: int) -> int:
        """Count the people aged 40 or more, ``times`` times; return the count."""

    @abc.abstractmethod
    def distinct(self, times: int) -> list[str]:
        """The distinct cities of active people, asked ``times`` times; return them."""

    @abc.abstractmethod
    def update(self) -> int:
        """Set ``score`` to -1.0 on every active person; return how many matched."""

    @abc.abstractmethod
    def stream(self) -> int:
        """Read every person aged 0 or more as a stream; return the sum of their ages."""

    def copy(self, source: CopySource) -> int:
        """Write ``source``'s records into the empty collection; return how many."""
        raise NotImplementedError(f"{type(self).__name__}.copy() is not a contender for copy")

    def copy_upsert(self, source: CopySource) -> int:
        """Write ``source``'s records into the collection, replacing those it holds."""
        raise NotImplementedError(
            f"{type(self).__name__}.copy_upsert() is not a contender for copy_upsert"
        )


class PyMongo(Contender):
    """Raw pymongo: the limit the others are measured against."""

    name = "pymongo"

    def __init__(self, url: str, database: str) -> None:
        super().__init__(url, database)
        self.client: pymongo.MongoClient[Row] = pymongo.MongoClient(
            url, event_listeners=[self.counter]
        )

    def use(self, collection: str) -> None:
        self.collection = self.client[self.database][collection]

    def close(self) -> None:
        self.client.close()

    def bulk_insert(self, rows: list[Row]) -> int:
        return len(self.collection.insert_many(rows).inserted_ids)

    def save_one_by_one(self, rows: list[Row]) -> int:
        insert_one = self.collection.insert_one
        for row in rows:
            insert_one(row)
        return len(rows)

    def get_by_key(self, keys: Sequence[str]) -> int:
        find_one = self.collection.find_one
        total = 0
        for key in keys:
            document = find_one({"_id": key})
            if document is None:
                raise KeyError(key)
            total += document["age"]
        return total

    # Batch sizes as doqu's, so that both make the same round trips and the CPU ratio shows the
    # library's own cost, not pymongo's default first batch of 101 documents.
    def get_many(self, keys: Sequence[str]) -> int:
        wanted = {"_id": {"$in": list(keys)}}
        cursor = self.collection.find(wanted, limit=len(keys), batch_size=len(keys))
        found = {doc["_id"]: doc for doc in cursor}
        return sum(document["age"] for document in [found[key] for key in keys])

    # without _id, as doqu fetches dict results; query_keys asks for the keys
    def query(self) -> int:
        cursor = self.collection.find({"active": True}, {"_id": False}, batch_size=BATCH_SIZE)
        return sum(document["age"] for document in cursor)

    def query_keys(self) -> int:
        cursor = self.collection.find({"active": True}, batch_size=BATCH_SIZE)
        return sum(document["age"] + len(document["_id"]) for document in cursor)

    def query_all_fields(self) -> int:
        cursor = self.collection.find({"active": True}, {"_id": False}, batch_size=BATCH_SIZE)
        return sum(map(row_total, cursor))

    def count(self, times: int) -> int:
        count = self.collection.count_documents
        return [count({"age": {"$gte": 40}}) for _ in range(times)][-1]

    def distinct(self, times: int) -> list[str]:
        distinct = self.collection.distinct
        return [distinct("address.city", {"active": True}) for _ in range(times)][-1]

    def update(self) -> int:
        return self.collection.update_many(
            {"active": True}, {"$set": {"score": -1.0}}
        ).matched_count

    def stream(self) -> int:
        cursor = self.collection.find({"age": {"$gte": 0}}, batch_size=BATCH_SIZE)
        return sum(document["age"] for document in cursor)

    def copy(self, source: CopySource) -> int:
        return len(self.collection.insert_many(source.rows, ordered=True).inserted_ids)

    def copy_upsert(self, source: CopySource) -> int:
        requests = [ReplaceOne({"_id": row["_id"]}, row, upsert=True) for row in source.rows]
        self.collection.bulk_write(requests, ordered=True)
        return len(requests)


class _Doqu(Contender):
    """doqu-mongodb, with documents of ``doc_class``."""

    def __init__(
        self,
        url: str,
        database: str,
        doc_class: type[Any],
        make: Callable[[Row], Any] | None,
        age: Callable[[Any], int],
        total: Callable[[Any], int],
    ) -> None:
        super().__init__(url, database)
        self.doc_class = doc_class
        #: how a document is made from a row (dicts are saved as they are), how its age and
        #: every field are read
        self.make, self.age, self.total = make, age, total
        self.storage: doqu.StorageAdapter | None = None

    def use(self, collection: str) -> None:
        self.close()
        # one listener object per contender: the plugin shares a client per URL and options
        self.storage = doqu.connect(
            url_with_database(self.url, self.database),
            collection=collection,
            event_listeners=[self.counter],
        )

    def close(self) -> None:
        if self.storage is not None:
            self.storage.close()
            self.storage = None

    @property
    def _storage(self) -> doqu.StorageAdapter:
        assert self.storage is not None, "use() a collection first"
        return self.storage

    def bulk_insert(self, rows: list[Row]) -> int:
        make = self.make
        items = rows if make is None else [make(row) for row in rows]
        return len(self._storage.save_many(items))

    def save_one_by_one(self, rows: list[Row]) -> int:
        save, make = self._storage.save, self.make
        for item in rows if make is None else (make(row) for row in rows):
            save(item)
        return len(rows)

    def get_by_key(self, keys: Sequence[str]) -> int:
        get, doc_class, age = self._storage.get, self.doc_class, self.age
        return sum(age(get(doc_class, key)) for key in keys)

    def get_many(self, keys: Sequence[str]) -> int:
        age = self.age
        return sum(age(document) for document in self._storage.get_many(self.doc_class, keys))

    def query(self) -> int:
        age = self.age
        return sum(age(document) for document in self._storage.find(self.doc_class, active=True))

    def query_keys(self) -> int:
        age, found = self.age, self._storage.find(self.doc_class, active=True)
        return sum(age(document) + len(key) for key, document in found.items())

    def query_all_fields(self) -> int:
        return sum(map(self.total, self._storage.find(self.doc_class, active=True)))

    def count(self, times: int) -> int:
        find, doc_class = self._storage.find, self.doc_class
        return [find(doc_class, age__gte=40).count() for _ in range(times)][-1]

    def distinct(self, times: int) -> list[str]:
        find, doc_class = self._storage.find, self.doc_class
        return [find(doc_class, active=True).values("address.city") for _ in range(times)][-1]

    def update(self) -> int:
        return self._storage.find(self.doc_class, active=True).update(score=-1.0)

    def stream(self) -> int:
        age = self.age
        return sum(age(document) for document in self._storage.find(self.doc_class, age__gte=0))

    def copy(self, source: CopySource) -> int:
        return doqu.copy(source.storage, self._storage)

    def copy_upsert(self, source: CopySource) -> int:
        return doqu.copy(source.storage, self._storage)  # the target is not empty: upserts


class DoquDict(_Doqu):
    """doqu-mongodb with plain dict documents."""

    name = "doqu-dict"

    def __init__(self, url: str, database: str) -> None:
        super().__init__(url, database, dict, None, operator.itemgetter("age"), row_total)


class DoquDocument(_Doqu):
    """doqu-mongodb with :class:`~bench._models.Person` documents."""

    name = "doqu-document"

    def __init__(self, url: str, database: str) -> None:
        super().__init__(url, database, Person, _person, operator.attrgetter("age"), object_total)


def _person(row: Row) -> Person:
    return Person(**row)


class MongoEngine(Contender):
    """mongoengine with an equivalent model: the peer."""

    name = "mongoengine"

    def __init__(self, url: str, database: str) -> None:
        super().__init__(url, database)
        self.alias = f"bench_{os.getpid()}_{id(self)}"
        mongoengine.connect(db=database, alias=self.alias, host=url, event_listeners=[self.counter])

    def use(self, collection: str) -> None:
        self.model = mongoengine_person(collection, self.alias)

    def close(self) -> None:
        mongoengine.disconnect(alias=self.alias)

    def bulk_insert(self, rows: list[Row]) -> int:
        model = self.model
        inserted = model.objects.insert(
            [mongoengine_row(model, row) for row in rows], load_bulk=False
        )
        return len(inserted)

    def save_one_by_one(self, rows: list[Row]) -> int:
        model = self.model
        for row in rows:
            mongoengine_row(model, row).save(force_insert=True)
        return len(rows)

    def get_by_key(self, keys: Sequence[str]) -> int:
        get = self.model.objects.get
        total: int = sum(get(pk=key).age for key in keys)
        return total

    def get_many(self, keys: Sequence[str]) -> int:
        found = self.model.objects.in_bulk(list(keys))
        total: int = sum(person.age for person in [found[key] for key in keys])
        return total

    def query(self) -> int:
        total: int = sum(person.age for person in self.model.objects(active=True))
        return total

    def query_keys(self) -> int:
        total: int = sum(person.age + len(person.key) for person in self.model.objects(active=True))
        return total

    def query_all_fields(self) -> int:
        return sum(map(object_total, self.model.objects(active=True)))

    def count(self, times: int) -> int:
        objects = self.model.objects
        counts: list[int] = [objects(age__gte=40).count() for _ in range(times)]
        return counts[-1]

    def distinct(self, times: int) -> list[str]:
        objects = self.model.objects
        values: list[list[str]] = [
            objects(active=True).distinct("address.city") for _ in range(times)
        ]
        return values[-1]

    def update(self) -> int:
        updated: int = self.model.objects(active=True).update(set__score=-1.0)
        return updated

    def stream(self) -> int:
        # without no_cache() a mongoengine queryset keeps every document it yields
        total: int = sum(person.age for person in self.model.objects(age__gte=0).no_cache())
        return total


#: every contender, in the order each round runs them
CONTENDERS: tuple[type[Contender], ...] = (PyMongo, DoquDict, DoquDocument, MongoEngine)


def contender_named(name: str) -> type[Contender]:
    """The contender class called ``name``."""
    for contender in CONTENDERS:
        if contender.name == name:
            return contender
    raise ValueError(f"unknown contender {name!r}; choose from {[c.name for c in CONTENDERS]}")
