"""URLs, options and connection errors; passwords never shown."""

from __future__ import annotations

import socket

import pytest

import doqu
from doqu.errors import BackendConnectionError, ConfigurationError, InvalidURLError
from doqu_postgres import PostgresStorage


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def test_connect_picks_the_backend_by_both_schemes(url: str) -> None:
    for scheme in ("postgresql", "postgres"):
        other = scheme + url[url.index("://") :] + "?collection=t_scheme"
        with doqu.connect(other) as storage:
            assert isinstance(storage, PostgresStorage)
            assert storage.address.collection == "t_scheme"
            storage.clear()


def test_a_refused_connection_is_a_connection_error_without_the_password() -> None:
    port = _closed_port()
    with pytest.raises(BackendConnectionError, match="cannot connect to PostgreSQL") as caught:
        doqu.connect(f"postgresql://ann:s3cret@127.0.0.1:{port}/db")
    assert "s3cret" not in str(caught.value)
    assert "ann:***@" in str(caught.value)


def test_an_unknown_doqu_option_names_the_accepted_ones(url: str) -> None:
    with pytest.raises(
        ConfigurationError, match=r"unknown option\(s\) \['colection'\].*collection"
    ):
        doqu.connect(url, colection="people")


def test_an_unknown_libpq_option_is_a_url_error_without_the_password() -> None:
    with pytest.raises(InvalidURLError, match="not valid for libpq") as caught:
        doqu.connect("postgresql://ann:s3cret@127.0.0.1/db?sslmod=require")
    assert "s3cret" not in str(caught.value)


def test_libpq_options_pass_through(url: str) -> None:
    joiner = "&" if "?" in url else "?"
    with doqu.connect(f"{url}{joiner}application_name=doqu_test&collection=t_app") as storage:
        assert isinstance(storage, PostgresStorage)
        [[name]] = storage._execute("SELECT current_setting('application_name')")
        assert name == "doqu_test"
        storage.clear()


def test_a_collection_name_longer_than_postgresql_allows_is_refused(url: str) -> None:
    with pytest.raises(ConfigurationError, match="at most 63 bytes"):
        doqu.connect(url, collection="x" * 64)


def test_the_table_recording_unique_indexes_is_no_collection(url: str) -> None:
    with pytest.raises(ConfigurationError, match="'doqu_indexes' is the table where"):
        doqu.connect(url, collection="doqu_indexes")


def test_a_closed_storage_says_so(storage: PostgresStorage) -> None:
    storage.close()
    with pytest.raises(BackendConnectionError, match="closed; call reconnect"):
        len(storage)
    storage.reconnect()
    assert len(storage) == 0


def test_durable_is_given_only_when_commits_wait_for_the_wal_flush(
    storage: PostgresStorage, url: str
) -> None:
    assert storage.capabilities.durable  # the test server keeps fsync on
    unflushed = f"{url}?options=-csynchronous_commit%3Doff&collection={storage.address.collection}"
    with PostgresStorage(unflushed) as other:
        assert not other.capabilities.durable
    assert PostgresStorage.capabilities.durable  # the class keeps the declared maximum
