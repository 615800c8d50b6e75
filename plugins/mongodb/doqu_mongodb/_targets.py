"""What the contract suite runs against: mongomock, and a real server named by the environment.

Each storage a target makes is a new collection ``contract_<hex>`` in database
``doqu_contract``; the target's cleanup drops every collection it made.
"""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Iterable
from typing import Any

from doqu import StorageAdapter, Target
from doqu.backend import parse_url
from doqu.errors import DoquError

from . import _mock
from ._codec import from_bson, to_bson
from ._storage import MongoStorage

__all__ = ["MongoOracle", "mongodb_target", "mongomock_target"]

#: the environment variable naming the real server the tests use.
URL_ENV = "DOQU_MONGODB_URL"
DATABASE = "doqu_contract"
_MOCK_STORE = "doqu-contract"


class MongoOracle:
    """Raw access to a storage's collection, bypassing the adapter (the contract's back door).

    ``collection`` is the collection itself, for checks the methods do not cover.
    """

    def __init__(self, storage: StorageAdapter) -> None:
        if not isinstance(storage, MongoStorage):
            raise TypeError(f"MongoOracle needs a MongoStorage, got {storage!r}")
        self.collection = storage.collection
        mock = storage.server.kind == "mongomock"
        self._in = from_bson if mock else None
        self._out = to_bson if mock else None

    def get(self, key: Any) -> dict[str, Any] | None:
        """The record stored under ``key`` (without ``_id``), or ``None``."""
        document = self.collection.find_one({"_id": key})
        if document is None:
            return None
        del document["_id"]
        result: dict[str, Any] = document if self._in is None else self._in(document)
        return result

    def put(self, key: Any, record: dict[str, Any]) -> None:
        """Store ``record`` under ``key``, replacing any record there."""
        document = record if self._out is None else self._out(record)
        self.collection.replace_one({"_id": key}, document, upsert=True)

    def keys(self) -> Iterable[Any]:
        """Every stored key."""
        return [document["_id"] for document in self.collection.find({}, {"_id": 1})]


class _Collections:
    """Makes storages on fresh collections of one server, and drops them all at the end."""

    def __init__(self, url: str) -> None:
        self._url = url
        # the URL may name the database; else the storages use DATABASE
        self._database = None if parse_url(url).path.strip("/") else DATABASE
        self._lock = threading.Lock()
        self._made: list[str] = []
        # holds the shared client between tests, which close their storages
        self._anchor: MongoStorage | None = None

    def make(self) -> MongoStorage:
        name = f"contract_{uuid.uuid4().hex}"
        storage = MongoStorage(self._url, database=self._database, collection=name)
        with self._lock:
            self._made.append(name)
            if self._anchor is None:
                self._anchor = MongoStorage(self._url, database=self._database, collection=name)
        return storage

    def connect_args(self, storage: StorageAdapter) -> tuple[str, dict[str, str]]:
        """How another process reaches ``storage``: the server's URL, database and collection."""
        assert isinstance(storage, MongoStorage)
        return self._url, {
            "database": storage.address.database,
            "collection": storage.address.collection,
        }

    def drop_all(self) -> None:
        anchor, self._anchor = self._anchor, None
        if anchor is None:
            return
        database = anchor.client[anchor.address.database]
        try:
            for name in self._made:
                database.drop_collection(name)
        finally:
            self._made.clear()
            anchor.close()


def mongomock_target() -> Target:
    """mongomock, in process: always available when mongomock is installed."""
    if not _mock.available():
        return Target(
            "mongomock",
            factory=_unavailable,
            unavailable="mongomock is not installed: pip install 'doqu-mongodb[mongomock]'",
        )
    collections = _Collections(f"mongomock://{_MOCK_STORE}/{DATABASE}")
    return Target(
        "mongomock",
        factory=collections.make,
        oracle=MongoOracle,
        cleanup=collections.drop_all,
        connect_args=collections.connect_args,
    )


def mongodb_target() -> Target:
    """The server ``DOQU_MONGODB_URL`` names (FerretDB under the project's test command).

    Required when ``CI=true``: a missing server then fails the run instead of skipping.
    """
    required = os.environ.get("CI") == "true"
    url = os.environ.get(URL_ENV)
    if not url:
        return Target(
            "mongodb",
            factory=_unavailable,
            unavailable=f"{URL_ENV} is not set; run the tests through the project's test "
            "command, which starts FerretDB",
            required=required,
        )
    collections = _Collections(url)
    return Target(
        "mongodb",
        factory=collections.make,
        oracle=MongoOracle,
        cleanup=collections.drop_all,
        required=required,
        connect_args=collections.connect_args,
    )


def _unavailable() -> MongoStorage:
    raise DoquError("this test target is unavailable; see its 'unavailable' reason")
