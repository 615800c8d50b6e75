"""``insert_records``, the plain bulk insert ``doqu.copy`` uses into an empty target.

A taken key is an error, never an overwrite: nothing already stored is replaced, and what the
error says was written is exactly what is there.
"""

from __future__ import annotations

from typing import Any

import pytest

from ... import copy, verify_copy
from ..._storage import StorageAdapter
from ...errors import DuplicateKeyError, PartialWriteError
from ...memory import MemoryStorage
from .._fixtures import Oracle, StorageFixtures

__all__ = ["CopyIntoContract", "InsertRecordsContract"]


def _inserting(storage: StorageAdapter, items: list[tuple[str, dict[str, Any]]]) -> list[Any]:
    """Insert ``items``, which must fail on a taken key; the keys the error says it wrote."""
    with pytest.raises((DuplicateKeyError, PartialWriteError)) as caught:
        storage.insert_records(items)
    if isinstance(caught.value, PartialWriteError):
        assert isinstance(caught.value.__cause__, DuplicateKeyError), caught.value.__cause__
        assert caught.value.total == len(items)
        return caught.value.written
    return []


class InsertRecordsContract(StorageFixtures):
    """``insert_records(items)``: records under given, free keys; a taken key raises."""

    def test_insert_records_stores_each_record_under_its_key(
        self, storage: StorageAdapter, raw: Oracle
    ) -> None:
        storage.insert_records([("a", {"n": 1}), ("b", {"n": 2, "tags": ["x"]})])
        assert sorted(raw.keys()) == ["a", "b"]
        assert raw.get("a") == {"n": 1}
        assert raw.get("b") == {"n": 2, "tags": ["x"]}

    def test_insert_records_of_a_stored_key_replaces_nothing_and_names_it(
        self, storage: StorageAdapter, raw: Oracle
    ) -> None:
        storage.save({"v": "old"}, "b")
        written = _inserting(storage, [("a", {"v": 1}), ("b", {"v": 2}), ("c", {"v": 3})])
        assert written in ([], ["a"])
        assert raw.get("b") == {"v": "old"}
        assert raw.get("c") is None
        assert sorted(raw.keys()) == sorted(["b", *written])
        if written:
            assert raw.get("a") == {"v": 1}

    def test_insert_records_error_names_the_taken_key(self, storage: StorageAdapter) -> None:
        storage.save({"v": "old"}, "b")
        with pytest.raises(DuplicateKeyError, match="'b'") as caught:
            storage.insert_records([("b", {"v": 2})])
        assert caught.value.key == "b"

    def test_insert_records_of_a_key_twice_keeps_the_first_at_most(
        self, storage: StorageAdapter, raw: Oracle
    ) -> None:
        written = _inserting(storage, [("a", {"v": 1}), ("a", {"v": 2})])
        assert written in ([], ["a"])
        assert raw.get("a") == ({"v": 1} if written else None)
        assert len(storage) == len(written)


class CopyIntoContract(StorageFixtures):
    """``doqu.copy`` into this backend: inserts into an empty storage, upserts otherwise."""

    RECORDS = 2500  # three batches of copy's 1000

    def source(self) -> MemoryStorage:
        source = MemoryStorage()
        source.insert_records(
            [(f"k{n:04d}", {"n": n, "sub": {"s": str(n)}}) for n in range(self.RECORDS)]
        )
        return source

    def test_copy_into_an_empty_storage_keeps_every_record(
        self, storage: StorageAdapter, raw: Oracle
    ) -> None:
        source = self.source()
        assert copy(source, storage) == self.RECORDS
        assert raw.get("k2499") == {"n": 2499, "sub": {"s": "2499"}}
        assert len(list(raw.keys())) == self.RECORDS
        assert verify_copy(source, storage).same

    def test_copy_over_a_stored_record_replaces_it(
        self, storage: StorageAdapter, raw: Oracle
    ) -> None:
        storage.save({"v": "old"}, "k0005")
        storage.save({"v": "mine"}, "other")
        assert copy(self.source(), storage) == self.RECORDS
        assert raw.get("k0005") == {"n": 5, "sub": {"s": "5"}}
        assert raw.get("other") == {"v": "mine"}

    def test_copy_without_overwrite_stops_at_a_taken_key_naming_what_it_wrote(
        self, storage: StorageAdapter, raw: Oracle
    ) -> None:
        storage.save({"v": "old"}, "k1200")  # in the second batch
        with pytest.raises(PartialWriteError, match="copy\\(\\) wrote") as caught:
            copy(self.source(), storage, overwrite=False)
        written = caught.value.written
        assert 1000 <= len(written) < self.RECORDS  # the first batch at least
        assert caught.value.total == self.RECORDS
        assert "k1200" not in written
        assert isinstance(caught.value.__cause__, DuplicateKeyError)
        assert raw.get("k1200") == {"v": "old"}
        assert sorted(raw.keys()) == sorted(["k1200", *written])
        for key in written:
            assert raw.get(key) == {"n": int(key[1:]), "sub": {"s": str(int(key[1:]))}}
