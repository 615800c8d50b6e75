"""Where a storage's collection lives, and the clients storages share to reach it.

A ``MongoClient`` owns connection pools and monitor threads, so storages on the same server
with the same options share one: the registry keys clients by the client URL and options and
counts the storages holding each (a :class:`Lease`); the last one to close closes the client.
``mongomock://name`` URLs name in-process stores that live as long as the process, so data
survives ``reconnect()`` and a second ``connect()`` to the same URL.
"""

from __future__ import annotations

import difflib
import threading
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, unquote

from pymongo import MongoClient, common, uri_parser
from pymongo.errors import ConfigurationError as PyMongoConfigurationError

from doqu.backend import mask_password, parse_url
from doqu.errors import ConfigurationError, InvalidURLError

from . import _mock
from ._errors import translated
from ._server import ServerInfo, detect, mongomock_info

__all__ = [
    "Address",
    "Lease",
    "address_from_keywords",
    "address_from_url",
    "address_of_client",
    "connects_eagerly",
    "lease",
]

#: how long an operation waits for a reachable server unless the URL or options say otherwise.
DEFAULT_SERVER_SELECTION_TIMEOUT_MS = 10_000

_SCHEMES = ("mongodb", "mongodb+srv", "mongomock")
_FORMS = (
    "mongodb://[user:password@]host[:port][,host...]/database/collection[?option=value...], "
    "mongodb+srv://... or mongomock://[name]/database/collection"
)


@dataclass(frozen=True, slots=True)
class Address:
    """A collection: the client URL that reaches its server, its database and its name."""

    scheme: str
    #: the URL pymongo receives: the one given, minus the collection (and the database when
    #: it carries no credentials, so that storages of several databases share a client).
    client_url: str
    database: str
    collection: str
    #: the hosts, as written, for messages.
    hosts: str

    def __str__(self) -> str:
        return (
            f"collection {self.collection!r} of database {self.database!r} "
            f"at {self.scheme}://{self.hosts}"
        )


def _pick(name: str, from_url: str | None, given: str | None, url: str) -> str:
    if from_url and given and from_url != given:
        raise ConfigurationError(
            f"{name} given twice, as {from_url!r} in the URL {mask_password(url)!r} and as "
            f"{name}={given!r}; give it once"
        )
    chosen = from_url or given
    if not chosen:
        raise ConfigurationError(
            f"no {name} named for {mask_password(url)!r}: write it in the URL ({_FORMS}) or "
            f"pass {name}=..."
        )
    return chosen


def address_from_url(url: str, database: str | None, collection: str | None) -> Address:
    """Split a connection URL into the client URL, the database and the collection.

    The collection may be named in the path (``mongodb://host/app/people``) or given as
    ``collection=``; the database likewise. Every query option stays in the client URL.
    """
    parsed = parse_url(url)
    if parsed.scheme not in _SCHEMES:
        raise InvalidURLError(
            f"URL {str(parsed)!r} has scheme {parsed.scheme!r}; the mongodb backend takes {_FORMS}",
            url=str(parsed),
        )
    parts = [unquote(part) for part in parsed.path.split("/")[1:]]
    url_database = parts[0] if parts else None
    url_collection = "/".join(parts[1:]) if len(parts) > 1 else None
    database = _pick("database", url_database, database, url)
    collection = _pick("collection", url_collection, collection, url)
    if parsed.scheme == "mongomock":
        _check_database_name(database, url)  # a server's client refuses these itself
    head = parsed.raw.split("?", 1)[0].split("#", 1)[0]
    base = head[: len(head) - len(parsed.path)]
    # the path's database is the default authSource when the URL has credentials
    path = "/" + quote(database, safe="") if parsed.username is not None else "/"
    client_url = base + path + ("?" + parsed.query if parsed.query else "")
    _check_url(client_url, parsed.scheme, parsed.options(), url)
    return Address(parsed.scheme, client_url, database, collection, parsed.location)


#: URL options MongoClient knows (lowercase, as pymongo compares them), with their aliases
_URL_OPTIONS = frozenset(common.URI_OPTIONS_VALIDATOR_MAP).union(
    *map(frozenset, common.URI_OPTIONS_ALIAS_MAP.values())
)
_BAD_DATABASE_CHARACTERS = '/\\. "$\x00'


def _check_url(client_url: str, scheme: str, options: Mapping[str, str], url: str) -> None:
    """Refuse an unknown option or a bad value in a URL, as pymongo validates a server's."""
    shown = mask_password(url)
    for name in options:
        if name.lower() not in _URL_OPTIONS:
            raise InvalidURLError(
                f"unknown MongoDB URL option {name!r} in {shown!r}; {_option_hint(name)}",
                url=shown,
            )
    # mongodb+srv would look up DNS records and pymongo knows no mongomock: both are checked
    # as mongodb URLs, a mongomock store's name standing for the host (none: the private store)
    rest = client_url[len(scheme) + len("://") :]
    if scheme == "mongomock" and rest[:1] in ("", "/", "?"):
        rest = "localhost" + rest
    checked = "mongodb://" + rest
    try:
        uri_parser.parse_uri(checked, validate=True, warn=False)
    except (PyMongoConfigurationError, ValueError) as e:
        raise InvalidURLError(f"invalid MongoDB URL {shown!r}: {e}; fix the URL", url=shown) from e


def _option_hint(name: str) -> str:
    if difflib.get_close_matches(name.lower(), ["collection", "database"], cutoff=0.75):
        return f"name the database and collection in the path: {_FORMS}"
    close = difflib.get_close_matches(name.lower(), sorted(_URL_OPTIONS), n=3)
    if close:
        return f"did you mean {' or '.join(map(repr, close))}?"
    return "see MongoClient's documentation for the valid options"


def _check_database_name(name: str, url: str) -> None:
    """MongoDB's rule for database names, for mongomock (which takes any name)."""
    for char in _BAD_DATABASE_CHARACTERS:
        if char in name:
            raise ConfigurationError(
                f"invalid name for database {name!r} of {mask_password(url)!r}: database names "
                f"cannot contain the character {char!r}; choose another name"
            )


def address_from_keywords(host: str, port: int, database: str, collection: str) -> Address:
    """The address given by the original doqu's ``host``/``port``/``database``/``collection``."""
    location = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    return Address("mongodb", f"mongodb://{location}/", database, collection, location)


def address_of_client(client: Any, database: str, collection: str) -> Address:
    """The address of a collection reached through a client the caller made."""
    if _mock.is_client(client):
        return Address("mongomock", "mongomock://", database, collection, "")
    seeds = client.topology_description.server_descriptions()
    hosts = ",".join(f"{host}:{port}" for host, port in seeds)
    return Address("mongodb", "", database, collection, hosts)


def check_options(options: Mapping[str, Any]) -> None:
    """Raise ``ConfigurationError`` unless every option is one ``MongoClient`` accepts."""
    for name, value in options.items():
        try:
            common.validate(name, value)
        except (PyMongoConfigurationError, TypeError, ValueError) as e:
            raise ConfigurationError(f"invalid MongoDB option {name}={value!r}: {e}") from e


def client_options(address: Address, options: Mapping[str, Any]) -> dict[str, Any]:
    """``options`` for ``MongoClient``, with the plugin's defaults for what neither they nor
    the URL set."""
    given = {name.lower() for name in options}
    given.update(name.lower() for name in parse_url(address.client_url).options())
    defaults = {"serverSelectionTimeoutMS": DEFAULT_SERVER_SELECTION_TIMEOUT_MS}
    return {**{k: v for k, v in defaults.items() if k.lower() not in given}, **options}


def connects_eagerly(address: Address, options: Mapping[str, Any]) -> bool:
    """Whether the client should reach the server now (``connect=False`` defers it)."""
    if address.scheme == "mongomock":
        return True
    url_options = {k.lower(): v for k, v in parse_url(address.client_url).options().items()}
    return options.get("connect", True) is not False and url_options.get("connect") != "false"


@dataclass(eq=False, slots=True)
class _Shared:
    client: Any
    url: str
    options: dict[str, Any]
    server: ServerInfo | None = None
    holders: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


class Lease:
    """One storage's share of a client; :meth:`release` it once when the storage closes."""

    __slots__ = ("_key", "_registry", "_shared", "released")

    def __init__(
        self, shared: _Shared, registry: _Registry | None = None, key: Hashable = None
    ) -> None:
        self._shared = shared
        self._registry = registry
        self._key = key
        self.released = False

    @property
    def client(self) -> Any:
        """The current client (a new one after :meth:`renew`)."""
        return self._shared.client

    @property
    def mock(self) -> bool:
        """Whether the client is mongomock's (known without asking the server)."""
        server = self._shared.server
        return server is not None and server.kind == "mongomock"

    @property
    def lock(self) -> threading.Lock:
        """A lock shared by every holder of the client."""
        return self._shared.lock

    @property
    def known_server(self) -> ServerInfo | None:
        """The server, if it was asked already (no round trip)."""
        return self._shared.server

    def server(self, place: str) -> ServerInfo:
        """The server the client talks to, asked once per shared client."""
        shared = self._shared
        if shared.server is None:
            with translated(place):
                shared.server = detect(shared.client.admin.command("buildInfo"))
        return shared.server

    def renew(self) -> None:
        """Replace the shared client with a new one (for every storage sharing it)."""
        if self._registry is not None:
            self._registry.renew(self._shared)

    def release(self) -> None:
        """Give the share back; the last holder closes the client."""
        if not self.released:
            self.released = True
            if self._registry is not None:
                self._registry.release(self._key, self._shared)


def _frozen(value: Any) -> Hashable:
    # options are compared by value when plain, by identity otherwise (an event listener, a
    # type registry): the entry keeps them alive, so an identity is never reused meanwhile
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, list | tuple):
        return tuple(_frozen(item) for item in value)
    return ("id", id(value))


class _Registry:
    """Shared pymongo clients, keyed by client URL and options."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._clients: dict[Hashable, _Shared] = {}

    def lease(self, url: str, options: dict[str, Any]) -> Lease:
        key = (url, tuple(sorted((name, _frozen(value)) for name, value in options.items())))
        with self._lock:
            shared = self._clients.get(key)
            if shared is None:
                client: MongoClient[dict[str, Any]] = MongoClient(url, **options)
                shared = self._clients[key] = _Shared(client, url, options)
            shared.holders += 1
        return Lease(shared, self, key)

    def release(self, key: Hashable, shared: _Shared) -> None:
        with self._lock:
            shared.holders -= 1
            last = shared.holders == 0
            if last:
                del self._clients[key]
        if last:
            shared.client.close()

    def renew(self, shared: _Shared) -> None:
        with self._lock:
            old = shared.client
            shared.client = MongoClient(shared.url, **shared.options)
        old.close()


_registry = _Registry()
_mock_lock = threading.Lock()
_mock_stores: dict[str, _Shared] = {}


def lease(address: Address, options: dict[str, Any], client: Any = None) -> Lease:
    """A share of the client for ``address``: the caller's ``client``, an in-process
    mongomock store, or a shared ``MongoClient``."""
    if client is not None:
        info = mongomock_info(_mock.version()) if _mock.is_client(client) else None
        return Lease(_Shared(client, address.client_url, options, info))
    if address.scheme == "mongomock":
        check_options(options)
        with _mock_lock:
            store = _mock_stores.get(address.hosts)
            if store is None:
                info = mongomock_info(_mock.version())
                store = _mock_stores[address.hosts] = _Shared(
                    _mock.new_client(), address.client_url, {}, info
                )
        return Lease(store)
    with translated(str(address)):
        return _registry.lease(address.client_url, client_options(address, options))
