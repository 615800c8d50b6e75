"""Registers the memory backend with doqu's discovery (entry point ``doqu: memory``)."""

from __future__ import annotations

import itertools
from urllib.parse import quote

from .._hookspecs import BackendSpec, Target, hookimpl
from .._storage import StorageAdapter
from ._storage import MemoryOracle, MemoryStorage

__all__ = ["doqu_backends", "doqu_test_targets"]

_numbers = itertools.count()


@hookimpl
def doqu_backends() -> list[BackendSpec]:
    return [
        BackendSpec(
            "memory",
            schemes=("memory",),
            adapter="doqu.memory._storage:MemoryStorage",
            description="in-process dicts; memory:// is private, memory://NAME shared by name",
        )
    ]


def _contract_storage() -> MemoryStorage:
    """A fresh, empty storage, made in each of the ways users make one, in turn: a private
    store, and each URL form of a named one (every name or collection used once)."""
    number = next(_numbers)
    form = number % 4
    if form == 0:
        return MemoryStorage()
    if form == 1:
        return MemoryStorage.from_url(f"memory://contract-{number}")
    if form == 2:
        return MemoryStorage.from_url(f"memory:///contract-{number}?collection=people")
    return MemoryStorage.from_url("memory://contract-shared", collection=f"c{number}")


def _contract_urls(storage: StorageAdapter) -> list[tuple[str, dict[str, str]]]:
    """Every URL form that reaches ``storage``: none for a private store."""
    assert isinstance(storage, MemoryStorage)
    name, collection = storage.name, storage.collection
    if name is None:
        return []
    forms = [
        (f"memory://{quote(name)}?collection={quote(collection)}", {}),
        (f"memory:///{quote(name)}", {"collection": collection}),
    ]
    if collection == "default":
        forms.append((f"memory://{quote(name)}", {}))
    return forms


#: memory URLs that name no store: a user, a password, a port, a path or a '/' in the name, an
#: option memory does not take, an empty collection
_BAD_URLS = (
    "memory://ann@contract",
    "memory://ann:secret@contract",
    "memory://contract:27017",
    "memory://contract/people",
    "memory:///contract/people",
    "memory:///contract%2Fpeople",
    "memory://contract?database=app",
    "memory://contract?collection=",
)


@hookimpl
def doqu_test_targets() -> list[Target]:
    # storages never share records, so tests never see each other's; the URL forms are
    # exercised by the whole suite, not only by memory's own tests
    return [
        Target(
            "memory",
            factory=_contract_storage,
            oracle=MemoryOracle,
            required=True,
            urls=_contract_urls,
            bad_urls=_BAD_URLS,
        )
    ]
