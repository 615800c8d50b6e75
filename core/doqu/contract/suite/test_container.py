"""The storage as a container: ``len()``, ``in``, iteration over keys, and its lifecycle."""

from __future__ import annotations

from typing import Any

import pytest

from ..._storage import StorageAdapter
from .._fixtures import Oracle, StorageFixtures
from .._requirements import requires
from ._support import seed

__all__ = ["ContainerContract", "LifecycleContract"]


class ContainerContract(StorageFixtures):
    """``len(storage)``, ``key in storage``, ``iter(storage)``."""

    def test_len_of_an_empty_storage_is_zero(self, storage: StorageAdapter) -> None:
        assert len(storage) == 0

    def test_len_counts_records(self, storage: StorageAdapter) -> None:
        seed(storage, {"ann": {}, "bob": {}, "cy": {}})
        assert len(storage) == 3

    def test_len_counts_records_written_through_the_back_door(
        self, storage: StorageAdapter, raw: Oracle
    ) -> None:
        raw.put("ann", {"n": 1})
        raw.put("bob", {"n": 2})
        assert len(storage) == 2

    def test_len_drops_after_delete(self, storage: StorageAdapter) -> None:
        seed(storage, {"ann": {}, "bob": {}})
        storage.delete("bob")
        assert len(storage) == 1

    def test_in_is_true_for_a_stored_key(self, storage: StorageAdapter) -> None:
        seed(storage, {"ann": {}})
        generated = storage.save({})
        assert "ann" in storage
        assert generated in storage

    def test_in_is_false_for_a_missing_key(self, storage: StorageAdapter) -> None:
        seed(storage, {"ann": {}})
        assert "bob" not in storage
        assert "Ann" not in storage

    @pytest.mark.parametrize("key", ["", None, 1.5, True, [], {"$ne": None}])
    def test_in_is_false_for_keys_the_backend_cannot_hold(
        self, storage: StorageAdapter, key: Any
    ) -> None:
        seed(storage, {"ann": {}})
        assert key not in storage

    def test_iteration_yields_every_key_once(self, storage: StorageAdapter) -> None:
        seed(storage, {"ann": {}, "bob": {}, "cy": {}})
        assert sorted(storage) == ["ann", "bob", "cy"]

    def test_iteration_of_an_empty_storage_yields_nothing(self, storage: StorageAdapter) -> None:
        assert list(storage) == []

    def test_iteration_yields_the_keys_save_returned(self, storage: StorageAdapter) -> None:
        keys = [storage.save({"n": n}) for n in range(5)]
        assert set(storage) == set(keys)
        assert [storage.get(dict, key) for key in keys] == [{"n": n} for n in range(5)]


class LifecycleContract(StorageFixtures):
    """Context-manager close and ``reconnect()``."""

    def test_context_manager_returns_the_storage(self, storage: StorageAdapter) -> None:
        # the fixture closes the storage again afterwards: closing twice must be harmless
        with storage as entered:
            assert entered is storage

    def test_context_manager_lets_exceptions_through(self, storage: StorageAdapter) -> None:
        with pytest.raises(ZeroDivisionError), storage:
            1 / 0  # noqa: B018 - the error is the point

    def test_reconnect_leaves_the_storage_usable(self, storage: StorageAdapter) -> None:
        storage.reconnect()
        storage.save({"n": 1}, "ann")
        assert storage.get(dict, "ann") == {"n": 1}
        assert storage.find(n=1).count() == 1

    @requires("persistent")
    def test_reconnect_keeps_the_records(self, storage: StorageAdapter) -> None:
        seed(storage, {"ann": {"n": 1}, "bob": {"n": 2}})
        storage.reconnect()
        assert storage.get_many(dict, ["ann", "bob"]) == [{"n": 1}, {"n": 2}]
        assert len(storage) == 2
