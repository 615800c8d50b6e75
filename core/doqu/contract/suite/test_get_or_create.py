"""``get_or_create()``: the first match by equality, or a new record made from the conditions."""

from __future__ import annotations

import pytest

from ..._storage import StorageAdapter
from ...errors import QueryError
from .._fixtures import Oracle, StorageFixtures
from ._support import seed, stored
from .test_save import Item, Point

__all__ = ["GetOrCreateContract"]


class GetOrCreateContract(StorageFixtures):
    """``get_or_create(doc_class, **conditions) -> (document, created)``."""

    def test_get_or_create_creates_when_nothing_matches(
        self, storage: StorageAdapter, raw: Oracle
    ) -> None:
        seed(storage, {"bob": {"email": "bob@example.org"}})
        document, created = storage.get_or_create(dict, email="ann@example.org")
        assert created is True
        assert document == {"email": "ann@example.org"}
        assert stored(raw) == [{"email": "ann@example.org"}, {"email": "bob@example.org"}]

    def test_get_or_create_returns_the_existing_record(
        self, storage: StorageAdapter, raw: Oracle
    ) -> None:
        seed(storage, {"ann": {"email": "ann@example.org", "name": "Ann"}})
        document, created = storage.get_or_create(dict, email="ann@example.org")
        assert created is False
        assert document == {"email": "ann@example.org", "name": "Ann"}
        assert list(raw.keys()) == ["ann"]

    def test_get_or_create_twice_creates_once(self, storage: StorageAdapter) -> None:
        assert storage.get_or_create(dict, email="ann@example.org")[1] is True
        assert storage.get_or_create(dict, email="ann@example.org")[1] is False
        assert len(storage) == 1

    def test_get_or_create_matches_on_every_condition(self, storage: StorageAdapter) -> None:
        seed(storage, {"a": {"x": 1, "y": 1}, "b": {"x": 1, "y": 2}})
        assert storage.get_or_create(dict, x=1, y=2) == ({"x": 1, "y": 2}, False)
        assert storage.get_or_create(dict, x=2, y=1) == ({"x": 2, "y": 1}, True)
        assert len(storage) == 3

    def test_get_or_create_finds_a_number_of_equal_value(self, storage: StorageAdapter) -> None:
        seed(storage, {"a": {"n": 1}})
        assert storage.get_or_create(dict, n=1.0) == ({"n": 1}, False)

    def test_get_or_create_does_not_take_true_for_one(self, storage: StorageAdapter) -> None:
        seed(storage, {"a": {"flag": 1}})
        assert storage.get_or_create(dict, flag=True) == ({"flag": True}, True)
        assert len(storage) == 2

    def test_get_or_create_with_none_finds_a_record_missing_the_field(
        self, storage: StorageAdapter
    ) -> None:
        seed(storage, {"a": {"x": 1}})
        assert storage.get_or_create(dict, y=None) == ({"x": 1}, False)

    def test_get_or_create_loads_the_doc_class_with_its_key(
        self, storage: StorageAdapter, raw: Oracle
    ) -> None:
        item, created = storage.get_or_create(Item, name="lamp")
        assert created is True
        assert item.pk is not None
        assert raw.get(item.pk) == {"name": "lamp"}
        assert storage.get_or_create(Item, name="lamp") == (Item("lamp", pk=item.pk), False)

    def test_get_or_create_of_a_class_the_conditions_cannot_build_is_a_query_error(
        self, storage: StorageAdapter, raw: Oracle
    ) -> None:
        with pytest.raises(QueryError, match=r"Point.*'z'"):
            storage.get_or_create(Point, x=1, z=2)
        assert list(raw.keys()) == []
