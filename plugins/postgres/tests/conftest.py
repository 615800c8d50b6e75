"""Fixtures: storages on fresh tables of the server ``DOQU_POSTGRES_URL`` names (a throwaway
one under the project's test command).

Without ``DOQU_POSTGRES_URL`` the tests are skipped, unless ``CI=true``: then they fail.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import psycopg
import pytest

from doqu_postgres import PostgresStorage

URL_ENV = "DOQU_POSTGRES_URL"


@pytest.fixture
def url() -> str:
    """The server's URL; skips (fails under CI) when there is none."""
    found = os.environ.get(URL_ENV)
    if found:
        return found
    message = f"{URL_ENV} is not set; run the tests through ./dev test, which starts PostgreSQL"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message} (required under CI=true)", pytrace=False)
    pytest.skip(message)


@pytest.fixture
def make_storage(url: str) -> Iterator[Callable[..., PostgresStorage]]:
    """Makes storages on fresh tables; drops the tables afterwards."""
    made: list[PostgresStorage] = []

    def make(**options: Any) -> PostgresStorage:
        options.setdefault("collection", f"t_{uuid.uuid4().hex}")
        storage = PostgresStorage(url, **options)
        made.append(storage)
        return storage

    yield make
    for storage in made:
        storage.reconnect()  # a test may have closed it
        storage.drop()
        storage.close()


@pytest.fixture
def storage(make_storage: Callable[..., PostgresStorage]) -> PostgresStorage:
    """A storage on a fresh, empty table."""
    return make_storage()


@pytest.fixture
def raw(url: str) -> Iterator[psycopg.Connection[Any]]:
    """A plain psycopg connection to the server, bypassing the adapter."""
    with psycopg.connect(url, autocommit=True) as conn:
        yield conn
