"""``connect()`` and connection URLs: backend by scheme, clear errors, passwords kept hidden."""

from __future__ import annotations

import re
import types
from collections.abc import Iterator
from typing import Any, ClassVar, Self

import pytest

from doqu._backends import install_hint
from doqu._connect import connect
from doqu._discovery import refresh_backends, register_plugin, unregister_plugin
from doqu._hookspecs import BackendSpec, hookimpl
from doqu._url import URL, mask_password, parse_url
from doqu.errors import ConfigurationError, InvalidURLError, UnknownBackendError
from doqu.memory import MemoryStorage


class RecordingStorage(MemoryStorage):
    """A memory storage that remembers how ``connect()`` built it."""

    calls: ClassVar[list[tuple[str, dict[str, Any]]]] = []

    @classmethod
    def from_url(cls, url: str, **options: Any) -> Self:
        cls.calls.append((url, options))
        return cls()


@pytest.fixture
def recording() -> Iterator[type[RecordingStorage]]:
    @hookimpl
    def doqu_backends() -> list[BackendSpec]:
        return [BackendSpec("recording", ("rec", "rec+tls"), RecordingStorage)]

    module = types.ModuleType("fx_recording")
    module.doqu_backends = doqu_backends  # type: ignore[attr-defined]
    RecordingStorage.calls.clear()
    register_plugin(module)
    yield RecordingStorage
    unregister_plugin("fx_recording")
    refresh_backends()


def test_memory_url_connects_through_discovery() -> None:
    with connect("memory://") as storage:
        assert type(storage) is MemoryStorage
        key = storage.save({"name": "Ann"})
        assert storage.get(dict, key) == {"name": "Ann"}
        assert len(storage) == 1


def test_scheme_is_case_insensitive() -> None:
    assert type(connect("MeMoRy://")) is MemoryStorage


def test_backend_receives_the_url_as_given_and_the_options(
    recording: type[RecordingStorage],
) -> None:
    url = "REC+TLS://Ann:p%40ss@Host-1:27017,host2/App?replicaSet=rs0&w=1"
    storage = connect(url, collection="people", timeout=3)
    assert type(storage) is recording
    assert recording.calls == [(url, {"collection": "people", "timeout": 3})]


def test_unknown_scheme_names_the_installed_schemes_and_the_plugin_to_install() -> None:
    with pytest.raises(
        UnknownBackendError,
        match=r"^no installed backend handles URL scheme 'nosuch'; installed schemes: "
        r"(.+, )?memory(, .+)?\. To add a backend: no first-party backend serves it; "
        r"`doqu backends` lists the installed ones$",
    ) as raised:
        connect("nosuch://host/db")
    assert raised.value.scheme == "nosuch"
    assert "memory" in raised.value.installed


def test_unknown_scheme_suggests_a_close_installed_one() -> None:
    with pytest.raises(UnknownBackendError, match=r"scheme 'memroy' \(did you mean 'memory'\?\)"):
        connect("memroy://")


NO_KNOWN_BACKEND = "no first-party backend serves it; `doqu backends` lists the installed ones"


@pytest.mark.parametrize(
    ("scheme", "command"),
    [
        ("mongodb", "pip install doqu-mongodb"),
        ("mongodb+srv", "pip install doqu-mongodb"),
        ("MongoMock", "pip install 'doqu-mongodb[mongomock]'"),
        ("postgres", "pip install doqu-postgres"),
        ("mongdb", "for mongodb://, pip install doqu-mongodb"),
        ("shelve", "no first-party backend serves it; `doqu backends` lists the installed ones"),
        (
            "evil-typo-squat",
            "no first-party backend serves it; `doqu backends` lists the installed ones",
        ),
    ],
)
def test_install_hint_names_the_distribution(scheme: str, command: str) -> None:
    assert install_hint(scheme) == command


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("localhost:27017", "connection URL 'localhost:27017' has no scheme; expected scheme://"),
        ("memory:", "connection URL 'memory:' has no scheme"),
        ("", "connection URL '' has no scheme"),
        ("://host", "connection URL '://host' has an invalid scheme ''"),
        ("1db://host", "has an invalid scheme '1db' (a scheme is a letter followed by letters"),
        (" memory://", "has an invalid scheme ' memory'"),
        ("mem_ory://", "has an invalid scheme 'mem_ory'"),
        (None, "a connection URL is a str like 'memory://' or "),
        (b"memory://", "a connection URL is a str like 'memory://' or 'mongodb://localhost:27017"),
    ],
)
def test_bad_url_is_refused_with_the_expected_form(url: Any, message: str) -> None:
    with pytest.raises(InvalidURLError, match=re.escape(message)):
        connect(url)


def test_password_never_appears_in_url_errors() -> None:
    with pytest.raises(InvalidURLError) as raised:
        connect("mongodb//ann:s3cr%2Ft@db.example.com/app")
    assert "s3cr" not in str(raised.value)
    assert "'mongodb//ann:***@db.example.com/app' has no scheme" in str(raised.value)
    assert raised.value.url == "mongodb//ann:***@db.example.com/app"


@pytest.mark.parametrize(
    ("url", "masked"),
    [
        ("mongodb://ann:s3cret@host/db", "mongodb://ann:***@host/db"),
        ("mongodb://ann:p@ss:w/rd@h1,h2/db?w=1", "mongodb://ann:***@h1,h2/db?w=1"),
        ("mongodb://ann@host/db", "mongodb://ann@host/db"),
        ("mongodb://host:27017/db", "mongodb://host:27017/db"),
        (
            "mongodb://h/?tls=true&tlsCertificateKeyFilePassword=s3cret&w=1",
            "mongodb://h/?tls=true&tlsCertificateKeyFilePassword=***&w=1",
        ),
        ("ann:s3cret@host", "ann:***@host"),
    ],
)
def test_mask_password(url: str, masked: str) -> None:
    assert mask_password(url) == masked


def test_parse_url_splits_the_parts_and_keeps_the_raw_url() -> None:
    raw = "MongoDB://ann:p%40ss@h1:27017,h2:27018/app?replicaSet=rs0&w=1#ignored"
    url = parse_url(raw)
    assert (url.raw, url.scheme, url.username, url.password) == (raw, "mongodb", "ann", "p@ss")
    assert (url.location, url.path, url.query) == (
        "h1:27017,h2:27018",
        "/app",
        "replicaSet=rs0&w=1",
    )
    assert url.options() == {"replicaSet": "rs0", "w": "1"}
    assert str(url) == "MongoDB://ann:***@h1:27017,h2:27018/app?replicaSet=rs0&w=1#ignored"
    assert repr(url) == f"URL({str(url)!r})"


def test_parse_url_of_a_bare_scheme() -> None:
    url = parse_url("memory://")
    assert url == URL("memory://", "memory", None, None, "", "", "")
    assert url.options() == {}


def test_url_option_given_twice_is_refused() -> None:
    with pytest.raises(
        InvalidURLError,
        match=re.escape("connection URL 'memory://x?a=1&a=2' gives option 'a' twice"),
    ):
        parse_url("memory://x?a=1&a=2").options()


@pytest.mark.parametrize(
    ("url", "index"),
    [
        ("memory://\ud800", 9),
        ("memory://app?collection=\udfff", 24),
        ("sqlite:///\ud800.db", 10),
        ("sqlite:///no-such-dir/app.db?collection=\ud800", 40),
        ("shelve:///tmp/\ud800/app.db", 14),
        ("shelve:///no-such-dir/app.db?collection=a\udc00", 41),
        ("mongomock://\ud800/app/people", 12),
        ("mongomock://mock/app/people?collection=\ud800", 39),
    ],
)
def test_a_lone_surrogate_in_a_url_is_refused_on_every_backend(url: str, index: int) -> None:
    # a file path names a missing directory: were the URL accepted, no file is left behind
    with pytest.raises(
        InvalidURLError,
        match=re.escape(f"holds a lone surrogate ({url[index]!r} at index {index}), which cannot"),
    ) as raised:
        connect(url)
    assert raised.value.url == url


def test_a_lone_surrogate_in_a_password_is_refused_without_showing_it() -> None:
    with pytest.raises(InvalidURLError) as raised:
        connect("mongomock://ann:s3\ud800t@mock/app/people")
    assert str(raised.value) == (
        "connection URL 'mongomock://ann:***@mock/app/people' has a password holding a lone "
        "surrogate, which cannot be encoded as UTF-8"
    )


@pytest.mark.parametrize(
    "url", ["memory://", "sqlite://", "shelve:///no-such-dir/app.db", "mongomock://mock/app"]
)
def test_a_lone_surrogate_in_a_collection_keyword_is_refused_on_every_backend(url: str) -> None:
    with pytest.raises(
        ConfigurationError,
        match=re.escape(
            "option 'collection' (given 'p\\ud800') holds a lone surrogate ('\\ud800' at index 1)"
        ),
    ):
        connect(url, collection="p\ud800")
