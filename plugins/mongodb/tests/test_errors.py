"""Errors reach the user as doqu.errors: a server that is down, one that goes away mid-stream,
and one that comes back (``reconnect()``)."""

from __future__ import annotations

import importlib.util
import os
import shutil
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from pymongo import errors

from doqu.errors import BackendConnectionError, BackendError
from doqu_mongodb import MongoStorage
from doqu_mongodb._errors import translate

TESTSERVER = Path(__file__).resolve().parents[1] / "testserver" / "ferretdb.py"


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


class TestServerDown:
    def test_connect_fails_within_the_timeout(self) -> None:
        port = closed_port()
        started = time.monotonic()
        with pytest.raises(BackendConnectionError) as raised:
            MongoStorage(
                f"mongodb://ann:s3cret@127.0.0.1:{port}/app/people?serverSelectionTimeoutMS=500"
            )
        assert time.monotonic() - started < 5
        message = str(raised.value)
        assert f"127.0.0.1:{port}" in message
        assert "'people'" in message
        assert "'app'" in message
        assert "s3cret" not in message
        assert raised.value.backend == "mongodb"

    def test_lazy_client_fails_at_first_use(self) -> None:
        storage = MongoStorage(
            f"mongodb://127.0.0.1:{closed_port()}/app/people",
            connect=False,
            serverSelectionTimeoutMS=300,
        )
        with pytest.raises(BackendConnectionError, match="cannot reach the MongoDB server"):
            len(storage)
        storage.close()


class TestSharedClient:
    def test_closing_one_storage_leaves_the_other_working(self, make_storage: Any) -> None:
        first: MongoStorage = make_storage()
        second: MongoStorage = make_storage()
        assert first.client is second.client
        first.close()
        second.save({"n": 1}, "one")
        assert second.get(dict, "one") == {"n": 1}
        first.reconnect()
        assert len(first) == 0
        assert len(second) == 1

    def test_reconnect_keeps_the_data(self, storage: MongoStorage) -> None:
        storage.save({"n": 1}, "one")
        storage.reconnect()
        assert storage.get(dict, "one") == {"n": 1}


class TestTranslation:
    def test_operation_failure_keeps_the_code(self) -> None:
        error = translate(errors.OperationFailure("nope", code=2), "collection 'x'")
        assert isinstance(error, BackendError)
        assert error.code == 2
        assert (
            str(error) == "the MongoDB server refused an operation on collection 'x': nope (code 2)"
        )

    def test_network_timeout_is_a_connection_error(self) -> None:
        error = translate(errors.NetworkTimeout("timed out"), "collection 'x'")
        assert isinstance(error, BackendConnectionError)


@pytest.fixture(scope="module")
def ferretdb() -> ModuleType:
    """The project's FerretDB test server module, when its binary can be had."""
    spec = importlib.util.spec_from_file_location("doqu_ferretdb_testserver", TESTSERVER)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    if not module.binary_path().is_file() and shutil.which("go") is None:
        message = "no FerretDB test server binary and no Go to build it"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return module


@pytest.fixture
def own_server(ferretdb: ModuleType) -> Iterator[Any]:
    """A FerretDB server of the test's own, to stop and start."""
    server = ferretdb.FerretDBServer()
    server.start()
    yield server
    server.stop()


class TestLostServer:
    def test_error_mid_stream(self, own_server: Any) -> None:
        storage = MongoStorage(own_server.url + "app/people", serverSelectionTimeoutMS=500)
        storage.save_many({"n": n} for n in range(2500))
        records = iter(storage.find())
        next(records)
        own_server.stop()
        with pytest.raises(BackendConnectionError, match=r"'people'"):
            for _ in records:
                pass
        storage.close()

    def test_reconnect_after_restart(self, ferretdb: ModuleType, own_server: Any) -> None:
        port = own_server.address[1]
        storage = MongoStorage(own_server.url + "app/people", serverSelectionTimeoutMS=500)
        storage.save({"n": 1}, "one")
        own_server.stop()
        with pytest.raises(BackendConnectionError):
            storage.get(dict, "one")
        again = ferretdb.FerretDBServer(port=port)  # a fresh server, same address
        again.start()
        try:
            storage.reconnect()
            storage.save({"n": 2}, "two")
            assert storage.get(dict, "two") == {"n": 2}
        finally:
            storage.close()
            again.stop()
