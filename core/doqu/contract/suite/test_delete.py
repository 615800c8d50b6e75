"""``delete()`` by key and ``clear()``."""

from __future__ import annotations

import pytest

from ..._storage import StorageAdapter
from ...errors import DocumentNotFoundError
from .._fixtures import Oracle, StorageFixtures
from ._support import seed

__all__ = ["ClearContract", "DeleteContract"]


class DeleteContract(StorageFixtures):
    """``delete(primary_key)``."""

    def test_delete_removes_only_that_record(self, storage: StorageAdapter, raw: Oracle) -> None:
        seed(storage, {"ann": {"n": 1}, "bob": {"n": 2}})
        storage.delete("ann")
        assert raw.get("ann") is None
        assert raw.get("bob") == {"n": 2}
        assert list(storage) == ["bob"]

    def test_delete_of_a_missing_key_raises_key_error_naming_it(
        self, storage: StorageAdapter
    ) -> None:
        seed(storage, {"ann": {"n": 1}})
        with pytest.raises(DocumentNotFoundError, match="'nobody'") as caught:
            storage.delete("nobody")
        assert isinstance(caught.value, KeyError)
        assert len(storage) == 1

    def test_delete_twice_raises_key_error_the_second_time(self, storage: StorageAdapter) -> None:
        seed(storage, {"ann": {"n": 1}})
        storage.delete("ann")
        with pytest.raises(KeyError):
            storage.delete("ann")

    def test_delete_a_generated_key(self, storage: StorageAdapter, raw: Oracle) -> None:
        key = storage.save({"n": 1})
        storage.delete(key)
        assert raw.get(key) is None
        assert len(storage) == 0

    def test_delete_then_save_under_the_same_key(
        self, storage: StorageAdapter, raw: Oracle
    ) -> None:
        seed(storage, {"ann": {"n": 1}})
        storage.delete("ann")
        storage.save({"n": 2}, "ann")
        assert raw.get("ann") == {"n": 2}


class ClearContract(StorageFixtures):
    """``clear()``."""

    def test_clear_removes_every_record(self, storage: StorageAdapter, raw: Oracle) -> None:
        seed(storage, {"ann": {"n": 1}, "bob": {"n": 2}, "cy": {"n": 3}})
        storage.clear()
        assert len(storage) == 0
        assert list(raw.keys()) == []

    def test_clear_of_an_empty_storage_is_harmless(self, storage: StorageAdapter) -> None:
        storage.clear()
        assert len(storage) == 0

    def test_clear_leaves_the_storage_usable(self, storage: StorageAdapter, raw: Oracle) -> None:
        seed(storage, {"ann": {"n": 1}})
        storage.clear()
        storage.save({"n": 2}, "ann")
        assert raw.get("ann") == {"n": 2}
        assert storage.find(n=2).count() == 1

    def test_clear_empties_queries(self, storage: StorageAdapter) -> None:
        seed(storage, {"ann": {"n": 1}, "bob": {"n": 2}})
        query = storage.find(n__gte=1)
        storage.clear()
        assert list(query) == []
        assert query.count() == 0
