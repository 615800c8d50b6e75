"""Connecting: URL forms, options passed to pymongo untouched, constructor keywords, sharing
clients. Clients are built with ``connect=False``: no server is needed."""

from __future__ import annotations

import subprocess
import sys
import uuid
import warnings
from collections.abc import Iterator
from typing import Any

import pytest
from pymongo import MongoClient, ReadPreference, monitoring

import doqu
from doqu import connect
from doqu.errors import ConfigurationError, InvalidURLError
from doqu_mongodb import MongoStorage


@pytest.fixture
def opened() -> Iterator[list[MongoStorage]]:
    """Storages a test opens; closed afterwards."""
    storages: list[MongoStorage] = []
    yield storages
    for storage in storages:
        storage.close()


def lazy(opened: list[MongoStorage], url: str | None = None, **options: Any) -> MongoStorage:
    storage = MongoStorage(url, connect=False, **options)
    opened.append(storage)
    return storage


class TestURLForms:
    def test_collection_in_the_path(self, opened: list[MongoStorage]) -> None:
        storage = lazy(opened, "mongodb://db.example:27017/app/people")
        assert (storage.address.database, storage.address.collection) == ("app", "people")
        assert storage.collection.full_name == "app.people"

    def test_collection_as_keyword(self, opened: list[MongoStorage]) -> None:
        storage = lazy(opened, "mongodb://db.example:27017/app", collection="people")
        assert storage.collection.full_name == "app.people"

    def test_database_and_collection_as_keywords(self, opened: list[MongoStorage]) -> None:
        storage = lazy(opened, "mongodb://db.example", database="app", collection="people")
        assert storage.collection.full_name == "app.people"

    def test_percent_encoded_names_are_decoded(self, opened: list[MongoStorage]) -> None:
        storage = lazy(opened, "mongodb://db.example/my-app/a%2Fb%20c.d")
        assert storage.collection.full_name == "my-app.a/b c.d"

    def test_invalid_database_name(self) -> None:
        with pytest.raises(ConfigurationError, match=r"invalid name.*'my app'.*cannot contain"):
            MongoStorage("mongodb://db.example/my%20app/people", connect=False)

    def test_collection_never_reaches_pymongo(self, opened: list[MongoStorage]) -> None:
        storage = lazy(opened, "mongodb://db.example/app/people?appname=doqu")
        assert storage.address.client_url == "mongodb://db.example/?appname=doqu"

    def test_database_kept_as_auth_source_when_there_are_credentials(
        self, opened: list[MongoStorage]
    ) -> None:
        storage = lazy(opened, "mongodb://ann:s3cret@db.example/app/people")
        assert storage.address.client_url == "mongodb://ann:s3cret@db.example/app"
        credentials = storage.client.options.pool_options._credentials
        assert (credentials.username, credentials.source) == ("ann", "app")

    def test_srv_url(self, opened: list[MongoStorage]) -> None:
        storage = lazy(
            opened, "mongodb+srv://cluster0.example.invalid/app/people?retryWrites=false"
        )
        assert storage.collection.full_name == "app.people"
        assert storage.client.options.retry_writes is False

    def test_connect_picks_the_backend_by_scheme(self) -> None:
        with connect("mongodb://db.example/app/people", connect=False) as storage:
            assert isinstance(storage, MongoStorage)
            assert storage.backend == "mongodb"

    def test_collection_given_twice_differently(self) -> None:
        with pytest.raises(ConfigurationError, match=r"collection given twice.*'people'.*'staff'"):
            MongoStorage("mongodb://db.example/app/people", collection="staff", connect=False)

    def test_missing_collection_names_both_ways(self) -> None:
        with pytest.raises(ConfigurationError, match=r"no collection named.*collection=\.\.\."):
            MongoStorage("mongodb://db.example/app", connect=False)

    def test_missing_database(self) -> None:
        with pytest.raises(ConfigurationError, match="no database named"):
            MongoStorage("mongodb://db.example", collection="people", connect=False)

    def test_other_scheme_is_refused(self) -> None:
        with pytest.raises(InvalidURLError, match=r"scheme 'postgres'.*mongodb://"):
            MongoStorage("postgres://db.example/app/people")

    def test_url_and_host_together_are_refused(self) -> None:
        with pytest.raises(ConfigurationError, match="either a URL or host="):
            MongoStorage("mongodb://db.example/app/people", host="other")

    def test_password_never_shown(self) -> None:
        with pytest.raises(ConfigurationError) as raised:
            MongoStorage("mongodb://ann:s3cret@db.example/app", connect=False)
        assert "s3cret" not in str(raised.value)
        assert "ann:***@" in str(raised.value)


class TestOptionsPassThrough:
    def test_uri_options_reach_pymongo(self, opened: list[MongoStorage]) -> None:
        storage = lazy(
            opened,
            "mongodb://h1:27017,h2:27018/app/people?replicaSet=rs&w=majority"
            "&readPreference=secondaryPreferred&maxPoolSize=7&appname=shop&retryWrites=false",
        )
        options = storage.client.options
        assert storage.client.topology_description.topology_type_name == "ReplicaSetNoPrimary"
        assert options.replica_set_name == "rs"
        assert options.write_concern.document == {"w": "majority"}
        assert options.read_preference == ReadPreference.SECONDARY_PREFERRED
        assert options.pool_options.max_pool_size == 7
        assert options.pool_options.metadata["application"] == {"name": "shop"}
        assert options.retry_writes is False
        seeds = set(storage.client.topology_description.server_descriptions())
        assert seeds == {("h1", 27017), ("h2", 27018)}

    def test_collection_inherits_the_clients_write_concern(
        self, opened: list[MongoStorage]
    ) -> None:
        storage = lazy(opened, "mongodb://db.example/app/people?w=2&journal=true")
        assert storage.collection.write_concern.document == {"w": 2, "j": True}

    def test_keyword_options_reach_pymongo(self, opened: list[MongoStorage]) -> None:
        storage = lazy(opened, "mongodb://db.example/app/people", maxPoolSize=3, appname="x")
        assert storage.client.options.pool_options.max_pool_size == 3

    def test_server_selection_timeout_defaults_to_ten_seconds(
        self, opened: list[MongoStorage]
    ) -> None:
        storage = lazy(opened, "mongodb://db.example/app/people")
        assert storage.client.options.server_selection_timeout == 10

    def test_server_selection_timeout_from_the_url_wins(self, opened: list[MongoStorage]) -> None:
        storage = lazy(opened, "mongodb://db.example/app/people?serverSelectionTimeoutMS=1500")
        assert storage.client.options.server_selection_timeout == 1.5

    def test_server_selection_timeout_from_a_keyword_wins(self, opened: list[MongoStorage]) -> None:
        storage = lazy(opened, "mongodb://db.example/app/people", serverselectiontimeoutms=700)
        assert storage.client.options.server_selection_timeout == 0.7

    def test_unknown_option_is_refused(self) -> None:
        with pytest.raises(ConfigurationError, match="bogus"):
            MongoStorage("mongodb://db.example/app/people", connect=False, bogus=1)

    def test_unknown_option_is_refused_on_mongomock_too(self) -> None:
        with pytest.raises(ConfigurationError, match=r"invalid MongoDB option bogus=1"):
            MongoStorage("mongomock:///app/people", bogus=1)

    def test_codec_options_are_doqus(self, opened: list[MongoStorage]) -> None:
        storage = lazy(opened, "mongodb://db.example/app/people", tz_aware=True)
        codec = storage.collection.codec_options
        assert codec.tz_aware is False
        assert codec.uuid_representation == 4  # standard


class TestConstructorKeywords:
    def test_original_keywords(self, opened: list[MongoStorage]) -> None:
        storage = lazy(opened, host="db.example", port=27018, database="app", collection="people")
        assert storage.collection.full_name == "app.people"
        assert storage.client.topology_description.server_descriptions().keys() == {
            ("db.example", 27018)
        }

    def test_original_defaults(self, opened: list[MongoStorage]) -> None:
        storage = lazy(opened)
        assert storage.collection.full_name == "default.default"
        assert set(storage.client.topology_description.server_descriptions()) == {
            ("127.0.0.1", 27017)
        }

    def test_alias_of_the_original_name(self) -> None:
        from doqu_mongodb import StorageAdapter

        assert StorageAdapter is MongoStorage
        assert issubclass(StorageAdapter, doqu.StorageAdapter)

    def test_own_client(self) -> None:
        client: MongoClient[dict[str, Any]] = MongoClient("mongodb://db.example", connect=False)
        storage = MongoStorage(client=client, database="app", collection="people")
        assert storage.client is client
        assert "db.example:27017" in repr(storage)
        storage.close()
        assert client.options.pool_options.max_pool_size == 100  # still usable: not ours
        client.close()

    def test_own_client_takes_no_client_options(self) -> None:
        client: MongoClient[dict[str, Any]] = MongoClient("mongodb://db.example", connect=False)
        with pytest.raises(ConfigurationError, match=r"client= takes a ready MongoClient"):
            MongoStorage(client=client, collection="people", maxPoolSize=3)
        client.close()


class TestClientSharing:
    def test_storages_of_one_server_share_a_client(self, opened: list[MongoStorage]) -> None:
        people = lazy(opened, "mongodb://db.example/app/people")
        orders = lazy(opened, "mongodb://db.example/app", collection="orders")
        other_database = lazy(opened, "mongodb://db.example/shop/items")
        assert people.client is orders.client is other_database.client

    def test_different_options_get_different_clients(self, opened: list[MongoStorage]) -> None:
        plain = lazy(opened, "mongodb://db.example/app/people")
        majority = lazy(opened, "mongodb://db.example/app/people?w=majority")
        small = lazy(opened, "mongodb://db.example/app/people", maxPoolSize=2)
        assert len({id(plain.client), id(majority.client), id(small.client)}) == 3

    def test_listeners_are_compared_by_identity(self, opened: list[MongoStorage]) -> None:
        first, second = monitoring.CommandListener(), monitoring.CommandListener()
        one = lazy(opened, "mongodb://db.example/app/a", event_listeners=[first])
        two = lazy(opened, "mongodb://db.example/app/b", event_listeners=[second])
        three = lazy(opened, "mongodb://db.example/app/c", event_listeners=[first])
        assert one.client is not two.client
        assert one.client is three.client

    def test_closing_one_storage_keeps_the_client_of_the_others(self) -> None:
        first = MongoStorage("mongodb://db.example/app/people", connect=False)
        second = MongoStorage("mongodb://db.example/app/orders", connect=False)
        client = first.client
        first.close()
        assert first.closed
        assert second.client is client
        second.close()
        again = MongoStorage("mongodb://db.example/app/people", connect=False)
        assert again.client is not client  # the last holder closed it
        again.close()

    def test_reconnect_renews_the_client_for_every_holder(self, opened: list[MongoStorage]) -> None:
        first = lazy(opened, "mongodb://db.example/app/people")
        second = lazy(opened, "mongodb://db.example/app/orders")
        old = first.client
        first.reconnect()
        assert first.client is not old
        assert second.client is first.client
        assert second.collection.database.client is first.client

    def test_reconnect_after_close_opens_again(self) -> None:
        storage = MongoStorage("mongodb://db.example/app/people", connect=False)
        storage.close()
        with pytest.raises(doqu.errors.BackendConnectionError, match="is closed"):
            _ = storage.collection
        storage.reconnect()
        assert storage.collection.full_name == "app.people"
        storage.close()


class TestMongomockStores:
    def test_one_url_is_one_store_across_connects(self) -> None:
        url = f"mongomock://{uuid.uuid4().hex}/app/people"
        with connect(url) as first:
            key = first.save({"name": "Ann"})
        with connect(url) as second:
            assert second.get(dict, key) == {"name": "Ann"}
            second.reconnect()
            assert len(second) == 1

    def test_store_names_separate_stores(self) -> None:
        with connect(f"mongomock://{uuid.uuid4().hex}/app/people") as first:
            first.save({"name": "Ann"})
            with connect(f"mongomock://{uuid.uuid4().hex}/app/people") as second:
                assert len(second) == 0


class TestURLValidation:
    """pymongo's own URL validation, as doqu errors: never a warning, never a raw ValueError."""

    @pytest.mark.parametrize(
        ("url", "message"),
        [
            ("mongodb://db.example/app/people?colection=y", r"'colection'.*database/collection"),
            ("mongodb://db.example/app/people?bogusOption=1", r"unknown MongoDB URL option"),
            (
                "mongodb://db.example/app/people?serverSelectionTimeutMS=5",
                r"'serverSelectionTimeutMS'.*did you mean 'serverselectiontimeoutms'",
            ),
            ("mongodb://db.example/app/people?tls=maybe", r"tls must be 'true' or 'false'"),
            ("mongodb://db.example:99999/app/people", r"Port must be an integer"),
            ("mongodb+srv://u:secret@db.example/app/people?tls=maybe", r"u:\*\*\*@.*tls"),
        ],
        ids=["misspelled-collection", "unknown", "misspelled-option", "bad-bool", "port", "srv"],
    )
    def test_a_bad_url_is_an_invalid_url_error(self, url: str, message: str) -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            with pytest.raises(InvalidURLError, match=message) as raised:
                connect(url, connect=False)
        assert "secret" not in str(raised.value)

    def test_valid_options_pass(self, opened: list[MongoStorage]) -> None:
        url = "mongodb://db.example/app/people?retryWrites=true&w=majority&ssl=false"
        opened.append(connect(url, connect=False))  # type: ignore[arg-type]

    @pytest.mark.parametrize(
        ("url", "message"),
        [
            ("mongomock://mock/app/people?colection=y", r"'colection'.*database/collection"),
            ("mongomock:///app/people?bogus=1", r"unknown MongoDB URL option 'bogus'"),
            ("mongomock://mock/app/people?tls=maybe", r"tls must be 'true' or 'false'"),
            ("mongomock://mock:99999/app/people", r"Port must be an integer"),
            ("mongomock://u:secret@mock/app/people?w=-1", r"u:\*\*\*@.*w must be"),
        ],
        ids=["misspelled-collection", "unknown", "bad-bool", "port", "password"],
    )
    def test_mongomock_refuses_the_urls_a_server_refuses(self, url: str, message: str) -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            with pytest.raises(InvalidURLError, match=message) as raised:
                connect(url)
        assert "secret" not in str(raised.value)

    def test_mongomock_refuses_a_database_name_a_server_refuses(self) -> None:
        with pytest.raises(ConfigurationError, match=r"database 'bad\$db'.*'\$'"):
            connect("mongomock://x/bad$db/c")


def test_doqu_backends_url_shows_what_mongomock_narrows() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "doqu", "backends", "mongomock://localhost/db/coll"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    narrowed = result.stdout.splitlines()[-1]
    assert narrowed.startswith("narrowed:")
    assert "date_parts" in narrowed  # mongomock has no $year and friends
