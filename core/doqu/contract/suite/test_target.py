"""What the suite assumes of the target itself: fresh, isolated storages and honest metadata."""

from __future__ import annotations

from ..._capabilities import Capabilities
from ..._hookspecs import Target
from ..._storage import StorageAdapter
from .._fixtures import Oracle, StorageFixtures

__all__ = ["TargetContract"]


class TargetContract(StorageFixtures):
    """The factory, the back door and the backend's declarations."""

    def test_target_storage_starts_empty(self, storage: StorageAdapter, raw: Oracle) -> None:
        assert len(storage) == 0
        assert list(storage) == []
        assert list(raw.keys()) == []

    def test_target_storages_are_isolated(
        self, storage: StorageAdapter, contract_target: Target
    ) -> None:
        other = contract_target.factory()
        try:
            storage.save({"n": 1}, "a")
            assert "a" not in other
            assert len(other) == 0
        finally:
            other.close()

    def test_target_declares_a_backend_name(self, storage: StorageAdapter) -> None:
        assert isinstance(storage.backend, str)
        assert storage.backend != ""

    def test_target_declares_capabilities(self, storage: StorageAdapter) -> None:
        assert isinstance(storage.capabilities, Capabilities)

    def test_target_known_gaps_name_contract_tests(self, storage: StorageAdapter) -> None:
        from .._suite import contract_test_ids, randomized_test_ids  # (it imports this module)

        ids = set(contract_test_ids()) - set(randomized_test_ids())
        assert [gap.test for gap in storage.known_gaps if gap.test not in ids] == []
        assert {gap.kind for gap in storage.known_gaps} <= {"not_yet", "never"}

    def test_target_back_door_sees_adapter_writes(
        self, storage: StorageAdapter, raw: Oracle
    ) -> None:
        key = storage.save({"n": 1})
        assert raw.get(key) == {"n": 1}
        assert list(raw.keys()) == [key]

    def test_target_adapter_sees_back_door_writes(
        self, storage: StorageAdapter, raw: Oracle
    ) -> None:
        raw.put("a", {"n": 1, "tags": ["x"]})
        assert storage.get(dict, "a") == {"n": 1, "tags": ["x"]}
        assert list(storage) == ["a"]
