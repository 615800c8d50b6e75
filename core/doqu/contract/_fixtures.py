"""The fixtures every contract class shares: the target, a fresh storage, and the back door.

They are methods of :class:`StorageFixtures`, the base of every contract class, so they reach
a backend's tests through its subclass alone, without a conftest or a plugin to enable. The
one fixture a backend overrides is ``storage_factory``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Protocol

import pytest

from .._hookspecs import Target
from .._query import Key
from .._records import Record
from .._storage import StorageAdapter
from ..errors import DocumentNotFoundError
from ._requirements import expect_known_gap, skip_undeclared

__all__ = ["AdapterOracle", "Oracle", "StorageFactory", "StorageFixtures", "as_target"]

#: what ``storage_factory`` returns: a target, or a callable making fresh, empty storages.
StorageFactory = Target | Callable[[], StorageAdapter]

# targets whose cleanup is registered, held so that their ids stay theirs
_CLEANUPS = pytest.StashKey[dict[int, Target]]()


class Oracle(Protocol):
    """Raw access to a storage's data that bypasses the adapter under test.

    Records are plain dicts without the key, as the adapter would return them.
    """

    def get(self, key: Key) -> Record | None:
        """The record stored under ``key``, or ``None``."""
        ...

    def put(self, key: Key, record: Record) -> None:
        """Store ``record`` under ``key``, replacing any record there."""
        ...

    def keys(self) -> Iterable[Key]:
        """Every stored key."""
        ...


class AdapterOracle:
    """The stand-in back door for a target that offers none: the adapter's own public API."""

    def __init__(self, storage: StorageAdapter) -> None:
        self._storage = storage

    def get(self, key: Key) -> Record | None:
        try:
            return self._storage.get(dict, key)
        except DocumentNotFoundError:
            return None

    def put(self, key: Key, record: Record) -> None:
        self._storage.save(record, key)

    def keys(self) -> Iterable[Key]:
        return list(self._storage)


def as_target(factory: StorageFactory) -> Target:
    """``factory`` as a :class:`~doqu.Target` (a bare callable gets an empty name)."""
    if isinstance(factory, Target):
        return factory
    if not callable(factory):
        raise TypeError(
            "the storage_factory fixture must return a doqu Target or a callable that makes "
            f"a fresh, empty storage; got {type(factory).__name__} {factory!r}"
        )
    return Target(name="", factory=factory)


class StorageFixtures:
    """Base of every contract class. Override ``storage_factory``; the rest is provided."""

    @pytest.fixture
    def storage_factory(self) -> StorageFactory:
        """The backend under test: a ``Target``, or a callable making fresh empty storages."""
        raise NotImplementedError(
            f"{type(self).__name__}.storage_factory() is not implemented: override the "
            "storage_factory fixture to return a Target or a callable that makes a fresh, "
            "empty storage (see the doqu.contract docstring)"
        )

    @pytest.fixture
    def contract_target(
        self, storage_factory: StorageFactory, request: pytest.FixtureRequest
    ) -> Target:
        """The target under test; skipped when unavailable, failed when also required."""
        target = as_target(storage_factory)
        if target.unavailable is not None:
            message = f"target {target.name!r} is unavailable: {target.unavailable}"
            if target.required:
                pytest.fail(f"{message} (the target is required here)", pytrace=False)
            pytest.skip(message)
        registered = request.config.stash.setdefault(_CLEANUPS, {})
        if target.cleanup is not None and id(target) not in registered:
            registered[id(target)] = target
            request.config.add_cleanup(target.cleanup)
        return target

    @pytest.fixture
    def storage(
        self, contract_target: Target, request: pytest.FixtureRequest
    ) -> Iterator[StorageAdapter]:
        """A fresh, empty storage of the target; the test is skipped if it needs an undeclared
        capability and expected to fail if the backend declares it as a known gap."""
        storage = contract_target.factory()
        try:
            name = contract_target.name or storage.backend
            skip_undeclared(request.node, storage.capabilities, name)
            expect_known_gap(request.node, storage.known_gaps, name)
            yield storage
        finally:
            storage.close()

    @pytest.fixture
    def raw(self, storage: StorageAdapter, contract_target: Target) -> Oracle:
        """The back door into ``storage``: the target's oracle, else the adapter itself."""
        if contract_target.oracle is None:
            return AdapterOracle(storage)
        oracle: Oracle = contract_target.oracle(storage)
        return oracle
