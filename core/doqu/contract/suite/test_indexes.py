"""Indexes: ``ensure_index()`` never changes results; unique indexes refuse duplicates where the
backend declares ``unique_indexes``."""

from __future__ import annotations

import re
from typing import ClassVar

import pytest

from ... import Condition, Document, Field, Index, Q
from ..._records import Record
from ..._storage import StorageAdapter
from ...errors import DuplicateKeyError, UnsupportedError
from .._fixtures import Oracle, StorageFixtures
from .._requirements import requires
from ._support import keys, ordered, seed

__all__ = ["IndexContract"]


class Account(Document):
    """A document declaring a unique index."""

    email = Field(str, required=True)
    __indexes__: ClassVar[tuple[Index, ...]] = (Index("email", unique=True),)


class IndexContract(StorageFixtures):
    """``ensure_index()`` and ``ensure_indexes()``."""

    def test_plain_indexes_leave_results_unchanged(self, storage: StorageAdapter) -> None:
        seed(storage, {"a": {"city": "Oslo", "geo": {"zip": "0150"}}, "b": {"city": "Bergen"}})
        storage.ensure_index(Index("city"))
        storage.ensure_index(Index("city"))
        storage.ensure_index(Index("geo.zip", "city", name="zip_city"))
        storage.save({"city": "Oslo"}, "c")
        assert keys(storage.find(city="Oslo")) == {"a", "c"}
        assert keys(storage.find().where(**{"geo.zip": "0150"})) == {"a"}

    @pytest.mark.parametrize(
        ("where", "expected"),
        [
            (Q(v=1), {"int", "float", "list"}),
            (Q(v=None), {"none", "missing", "records"}),
            (Q(v=[1, 7]), {"list"}),
            (Q(v__in=["1", None]), {"str", "none", "missing", "records"}),
            (Q(v__gt=1), {"list", "three"}),
            (Q(v__gte=1), {"int", "float", "list", "three"}),
            (Q(v__lt=1), {"negative"}),
            (Q(v__between=(2, 6)), {"list", "three"}),
            (Q(v__gte="0"), {"str"}),
            (Q(v__gt=0) & Q(v__lt=3), {"int", "float", "list"}),
            (Q(**{"w.x__gte": 3}), {"records"}),
        ],
    )
    def test_indexed_fields_answer_as_unindexed_ones(
        self, storage: StorageAdapter, where: Condition, expected: set[str]
    ) -> None:
        # an index over mixed types, lists, null and missing fields, kept through rewrites
        # (bools apart from numbers: EqualityLookupContract)
        storage.ensure_index(Index("v"))
        seed(
            storage,
            {
                "int": {"v": 1},
                "float": {"v": 1.0},
                "none": {"v": None},
                "missing": {},
                "list": {"v": [0, 5]},
                "str": {"v": "1"},
                "three": {"v": 2},
                "negative": {"v": 5},
                "records": {"w": [{"x": 1}]},
                "gone": {"v": 1},
            },
        )
        storage.ensure_index(Index("w.x"))
        seed(
            storage,
            {
                "list": {"v": [1, 7]},
                "three": {"v": 3},
                "negative": {"v": -2.5},
                "records": {"w": [{"x": 1}, {"x": 4}]},
            },
        )
        storage.delete("gone")
        assert keys(storage.find().where(where)) == expected
        assert storage.find().where(where).count() == len(expected)

    @pytest.mark.parametrize(
        ("where", "order", "window", "expected"),
        [
            (Q(), ("v",), slice(None), ["d", "e", "b", "a", "c", "j", "i", "f", "h"]),
            (Q(), ("v",), slice(1, 4), ["e", "b", "a"]),
            (Q(), ("-v",), slice(None), ["h", "f", "i", "a", "c", "j", "b", "d", "e"]),
            (Q(), ("-v",), slice(0, 3), ["h", "f", "i"]),
            (Q(), ("v", "-w"), slice(3, 6), ["j", "a", "c"]),
            (Q(), ("-v", "w"), slice(3, None), ["c", "a", "j", "b", "d", "e"]),
            (Q(v__gte=2), ("-v",), slice(1, None), ["a", "c", "j"]),
            (Q(w__lte=1), ("v",), slice(0, 3), ["b", "a", "c"]),
        ],
    )
    def test_ordered_windows_over_an_indexed_field_answer_as_unindexed_ones(
        self,
        storage: StorageAdapter,
        where: Condition,
        order: tuple[str, ...],
        window: slice,
        expected: list[str],
    ) -> None:
        # mixed types, missing fields and ties (2 and 2.0 tie, then by w, then by key), on an
        # index created before some records are written and kept through a rewrite
        seed(storage, {"a": {"v": 2, "w": 1}, "b": {"v": -1, "w": 0}, "c": {"v": 5}, "d": {}})
        storage.ensure_index(Index("v"))
        seed(
            storage,
            {
                "c": {"v": 2.0, "w": 0},
                "e": {"v": None},
                "f": {"v": "x"},
                "h": {"v": True},
                "i": {"v": 3},
                "j": {"v": 2, "w": 2},
            },
        )
        assert ordered(storage.find().where(where).order_by(*order)[window]) == expected

    @requires("unique_indexes")
    def test_unique_index_refuses_a_duplicate_and_writes_nothing(
        self, storage: StorageAdapter, raw: Oracle
    ) -> None:
        storage.ensure_index(Index("email", unique=True))
        storage.save({"email": "ann@example.org"}, "ann")
        with pytest.raises(DuplicateKeyError, match=re.escape("ann@example.org")):
            storage.save({"email": "ann@example.org"}, "other")
        assert raw.get("other") is None
        assert list(raw.keys()) == ["ann"]

    @requires("unique_indexes")
    def test_unique_index_lets_the_holder_be_replaced(
        self, storage: StorageAdapter, raw: Oracle
    ) -> None:
        storage.ensure_index(Index("email", unique=True))
        storage.save({"email": "ann@example.org", "n": 1}, "ann")
        storage.save({"email": "ann@example.org", "n": 2}, "ann")
        assert raw.get("ann") == {"email": "ann@example.org", "n": 2}

    @requires("unique_indexes")
    def test_unique_index_frees_a_value_on_delete_and_change(self, storage: StorageAdapter) -> None:
        storage.ensure_index(Index("email", unique=True))
        storage.save({"email": "ann@example.org"}, "ann")
        storage.delete("ann")
        storage.save({"email": "ann@example.org"}, "bob")
        storage.save({"email": "bob@example.org"}, "bob")
        storage.save({"email": "ann@example.org"}, "cy")
        assert keys(storage.find(email="ann@example.org")) == {"cy"}

    @requires("unique_indexes")
    def test_unique_index_over_existing_duplicates_is_refused(
        self, storage: StorageAdapter
    ) -> None:
        seed(storage, {"ann": {"email": "x@example.org"}, "bob": {"email": "x@example.org"}})
        with pytest.raises(DuplicateKeyError):
            storage.ensure_index(Index("email", unique=True))

    @requires("unique_indexes")
    def test_unique_index_on_a_list_refuses_a_shared_element(
        self, storage: StorageAdapter, raw: Oracle
    ) -> None:
        # each element of a list is an entry of the index (MongoDB's multikey unique index)
        storage.ensure_index(Index("tags", unique=True))
        storage.save({"tags": [1, 2]}, "a")
        assert _refusals(
            storage,
            ("b", {"tags": [2, 3]}),
            ("c", {"tags": 1}),
            ("b", {"tags": [3, 4]}),
            ("a", {"tags": [2, 2, 5]}),  # the holder may keep its own elements
            ("d", {"tags": [4]}),
        ) == ["b", "c", "d"]
        assert sorted(raw.keys()) == ["a", "b"]
        assert [raw.get("a"), raw.get("b")] == [{"tags": [2, 2, 5]}, {"tags": [3, 4]}]

    @requires("unique_indexes")
    def test_unique_index_compares_values_as_equals_does(
        self, storage: StorageAdapter, raw: Oracle
    ) -> None:
        # 1 == 1.0 (numbers by value); True != 1 and "1" != 1 (each type its own bracket)
        storage.ensure_index(Index("n", unique=True))
        storage.save({"n": 1}, "int")
        assert _refusals(
            storage, ("float", {"n": 1.0}), ("true", {"n": True}), ("str", {"n": "1"})
        ) == ["float"]
        assert sorted(raw.keys()) == ["int", "str", "true"]

    @requires("unique_indexes")
    def test_compound_unique_index_counts_a_missing_field_as_none(
        self, storage: StorageAdapter, raw: Oracle
    ) -> None:
        storage.ensure_index(Index("a", "b", unique=True, name="a_b"))
        storage.save({"a": 1, "b": 2}, "both")
        assert _refusals(
            storage,
            ("no_b", {"a": 1}),  # holds (1, None)
            ("none_b", {"a": 1, "b": None}),
            ("no_b_again", {"a": 1}),
            ("no_a", {"b": 2}),  # holds (None, 2)
            ("other_a", {"a": 2}),
        ) == ["none_b", "no_b_again"]
        assert sorted(raw.keys()) == ["both", "no_a", "no_b", "other_a"]

    @requires("unique_indexes")
    def test_unique_index_over_existing_shared_elements_is_refused(
        self, storage: StorageAdapter, raw: Oracle
    ) -> None:
        seed(storage, {"a": {"tags": ["x", "y"]}, "b": {"tags": ["y", "z"]}})
        refused = False
        try:
            storage.ensure_index(Index("tags", unique=True))
        except DuplicateKeyError:
            refused = True
        assert refused
        storage.save({"tags": ["x"]}, "c")  # no index was left behind
        assert sorted(raw.keys()) == ["a", "b", "c"]

    @requires("unique_indexes")
    def test_update_into_a_duplicate_is_refused_and_writes_nothing(
        self, storage: StorageAdapter, raw: Oracle
    ) -> None:
        storage.ensure_index(Index("email", unique=True))
        seed(storage, {"ann": {"email": "ann@example.org"}, "bob": {"email": "bob@example.org"}})
        with pytest.raises(DuplicateKeyError):
            storage.find(email="bob@example.org").update(email="ann@example.org")
        assert raw.get("bob") == {"email": "bob@example.org"}

    def test_a_unique_index_is_enforced_or_refused_never_ignored(
        self, storage: StorageAdapter, raw: Oracle
    ) -> None:
        storage.save({"email": "ann@example.org"}, "ann")
        if not storage.capabilities.unique_indexes:
            with pytest.raises(UnsupportedError, match="'unique_indexes'"):
                storage.ensure_index(Index("email", unique=True))
            return
        storage.ensure_index(Index("email", unique=True))
        with pytest.raises(DuplicateKeyError):
            storage.save({"email": "ann@example.org"}, "bob")
        assert list(raw.keys()) == ["ann"]

    @requires("unique_indexes")
    def test_ensure_indexes_creates_a_document_class_indexes(self, storage: StorageAdapter) -> None:
        storage.ensure_indexes(Account)
        storage.ensure_indexes(Account)
        Account(email="ann@example.org").save(storage)
        with pytest.raises(DuplicateKeyError):
            Account(email="ann@example.org").save(storage)
        assert len(storage) == 1


def _refusals(storage: StorageAdapter, *writes: tuple[str, Record]) -> list[str]:
    """Save each ``(key, record)`` in turn; the keys whose save a unique index refused."""
    refused = []
    for key, record in writes:
        try:
            storage.save(record, key)
        except DuplicateKeyError:
            refused.append(key)
    return refused
