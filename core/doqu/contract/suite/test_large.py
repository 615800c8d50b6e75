"""Large and deep documents, well inside MongoDB's limits (16 MB, 100 levels of nesting)."""

from __future__ import annotations

from typing import Any

from ..._storage import StorageAdapter
from .._fixtures import Oracle, StorageFixtures
from ._support import keys

__all__ = ["LargeDocumentContract"]

DEPTH = 50


def nested(depth: int, leaf: Any) -> dict[str, Any]:
    """``{"n": {"n": ... {"v": leaf}}}`` with ``depth`` levels of ``"n"``."""
    record: dict[str, Any] = {"v": leaf}
    for _ in range(depth):
        record = {"n": record}
    return record


class LargeDocumentContract(StorageFixtures):
    """Size and depth."""

    def test_a_one_megabyte_string_round_trips(self, storage: StorageAdapter, raw: Oracle) -> None:
        text = "0123456789abcdef" * 65536
        key = storage.save({"s": text})
        assert storage.get(dict, key) == {"s": text}
        assert raw.get(key) == {"s": text}
        assert keys(storage.find(s__endswith="cdef")) == {key}

    def test_a_thousand_fields_round_trip(self, storage: StorageAdapter, raw: Oracle) -> None:
        record = {f"field{n}": n for n in range(1000)}
        key = storage.save(record)
        assert storage.get(dict, key) == record
        assert raw.get(key) == record
        assert keys(storage.find(field999=999)) == {key}

    def test_fifty_levels_of_nesting_round_trip(self, storage: StorageAdapter, raw: Oracle) -> None:
        record = nested(DEPTH, "deep")
        key = storage.save(record)
        assert storage.get(dict, key) == record
        assert raw.get(key) == record

    def test_fifty_levels_deep_field_is_queried_and_updated(
        self, storage: StorageAdapter, raw: Oracle
    ) -> None:
        path = ".".join(["n"] * DEPTH + ["v"])
        key = storage.save(nested(DEPTH, "deep"))
        storage.save(nested(DEPTH, "other"))
        assert keys(storage.find().where(**{path: "deep"})) == {key}
        assert storage.find().where(**{path: "deep"}).update(**{path: "deeper"}) == 1
        assert raw.get(key) == nested(DEPTH, "deeper")

    def test_a_ten_thousand_element_list_round_trips(
        self, storage: StorageAdapter, raw: Oracle
    ) -> None:
        numbers = list(range(10_000))
        key = storage.save({"l": numbers})
        assert storage.get(dict, key) == {"l": numbers}
        assert raw.get(key) == {"l": numbers}
        assert keys(storage.find(l=9999)) == {key}

    def test_a_list_of_a_thousand_records_round_trips(
        self, storage: StorageAdapter, raw: Oracle
    ) -> None:
        items = [{"n": n, "name": f"item {n}"} for n in range(1000)]
        key = storage.save({"items": items})
        assert raw.get(key) == {"items": items}
        assert keys(storage.find().where(**{"items.name": "item 999"})) == {key}

    def test_a_long_field_name_round_trips(self, storage: StorageAdapter, raw: Oracle) -> None:
        name = "f" * 500
        key = storage.save({name: 1})
        assert raw.get(key) == {name: 1}
        assert keys(storage.find().where(**{name: 1})) == {key}

    def test_two_thousand_records_are_counted_and_queried(self, storage: StorageAdapter) -> None:
        storage.save_many({"n": n, "even": n % 2 == 0} for n in range(2000))
        assert len(storage) == 2000
        assert storage.find(n__gte=1500).count() == 500
        assert storage.find(even=True, n__lt=10).count() == 5
        assert storage.find().order_by("-n")[0] == {"n": 1999, "even": False}
