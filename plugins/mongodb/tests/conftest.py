"""Fixtures: each storage test runs on mongomock and on the real server ``DOQU_MONGODB_URL``
names (FerretDB under the project's test command).

Without ``DOQU_MONGODB_URL`` the real-server runs are skipped, unless ``CI=true``: then they
fail, since CI must test on a real server.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from bson.codec_options import CodecOptions
from pymongo.collection import Collection

from doqu_mongodb import MongoStorage

URL_ENV = "DOQU_MONGODB_URL"
DATABASE = "doqu_plugin_tests"
TARGETS = ("mongomock", "mongodb")


def server_url() -> str:
    """The real server's URL; skips (fails under CI) when there is none."""
    url = os.environ.get(URL_ENV)
    if url:
        return url
    message = (
        f"{URL_ENV} is not set; run the tests through the project's test command, "
        "which starts FerretDB"
    )
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message} (required under CI=true)", pytrace=False)
    pytest.skip(message)


@pytest.fixture
def real_url() -> str:
    """The real server's URL (see :func:`server_url`)."""
    return server_url()


@pytest.fixture(params=TARGETS)
def target(request: pytest.FixtureRequest) -> str:
    """``"mongomock"`` or ``"mongodb"`` (the real server)."""
    name: str = request.param
    if name == "mongodb":
        server_url()
    return name


@pytest.fixture
def location(target: str) -> tuple[str, str | None]:
    """The target's URL, and the database to pass (``None`` when the URL names one)."""
    url = "mongomock://plugin-tests/" if target == "mongomock" else server_url()
    names_database = urlsplit(url).path.strip("/") != ""
    return url, None if names_database else DATABASE


@pytest.fixture
def make_storage(location: tuple[str, str | None]) -> Iterator[Any]:
    """Makes storages on fresh collections of the target; drops them afterwards."""
    made: list[MongoStorage] = []
    url, database = location

    def make(**options: Any) -> MongoStorage:
        name = f"t_{uuid.uuid4().hex}"
        storage = MongoStorage(url, database=database, collection=name, **options)
        made.append(storage)
        return storage

    yield make
    for storage in made:
        if storage.closed:
            storage.reconnect()
        storage.collection.drop()
        storage.close()


@pytest.fixture
def storage(make_storage: Any) -> MongoStorage:
    """A storage on a fresh, empty collection of the target."""
    storage: MongoStorage = make_storage()
    return storage


@pytest.fixture
def raw(storage: MongoStorage) -> Collection[dict[str, Any]]:
    """The storage's collection as plain pymongo sees it (default codec options: Decimal128,
    Binary...), bypassing the adapter."""
    collection = storage.collection
    if storage.server.kind == "mongomock":
        return collection  # stores BSON types as given and has no codec options
    return collection.with_options(codec_options=CodecOptions())
