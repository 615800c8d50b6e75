"""Bad input at every entry point: a clear doqu error, and nothing written.

Messages name the bad thing and show it with ``repr()``; the back door confirms that storage is
unchanged afterwards.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest

from ... import Lookup, Q
from ..._storage import StorageAdapter
from ...errors import (
    DoquError,
    InvalidArgumentError,
    InvalidDocumentError,
    InvalidFieldNameError,
    InvalidLookupValueError,
    QueryError,
    UnsupportedLookupError,
)
from .._fixtures import Oracle, StorageFixtures
from ._support import seed
from .test_save import Item

__all__ = ["BadQueryInputContract", "BadWriteInputContract"]

ANN = {"name": "Ann", "age": 37}

BAD_RECORDS = {
    "not-a-dict": (42, InvalidDocumentError, "42"),
    "a-list": (["a"], InvalidDocumentError, "['a']"),
    "none": (None, InvalidDocumentError, "None"),
    "dollar-name": ({"$set": 1}, InvalidFieldNameError, "'$set'"),
    "nested-dollar-name": ({"a": {"$ne": None}}, InvalidFieldNameError, "'$ne'"),
    "dollar-name-in-list": ({"a": [{"$where": "1"}]}, InvalidFieldNameError, "'$where'"),
    "nul-in-name": ({"a\x00b": 1}, InvalidFieldNameError, "'a\\x00b'"),
    "dotted-name": ({"a.b": 1}, InvalidFieldNameError, "'a.b'"),
    "empty-name": ({"": 1}, InvalidFieldNameError, "''"),
    "int-name": ({1: "a"}, InvalidFieldNameError, "1"),
    "reserved-key-field": ({"_id": "x"}, InvalidDocumentError, "'_id'"),
    "int-too-big": ({"n": 2**64}, InvalidDocumentError, str(2**64)),
    "int-too-small": ({"n": -(2**63) - 1}, InvalidDocumentError, str(-(2**63) - 1)),
    "object": ({"v": object()}, InvalidDocumentError, "object"),
    "set": ({"v": {1, 2}}, InvalidDocumentError, "{1, 2}"),
    "complex": ({"v": [1, {"w": 1j}]}, InvalidDocumentError, "1j"),
    "aware-datetime": (
        {"t": datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)},
        InvalidDocumentError,
        "timezone-aware",
    ),
}

BAD_KEYS = {
    "empty": "",
    "bool": True,
    "float": 1.5,
    "list": ["a"],
    "operator-dict": {"$ne": None},
    "bytes": b"a",
}


def shown(text: str) -> str:
    """A ``match`` pattern finding ``text`` literally."""
    return re.escape(text)


class BadWriteInputContract(StorageFixtures):
    """Writes and reads by key refuse bad input before touching storage."""

    @pytest.mark.parametrize(("data", "error", "text"), BAD_RECORDS.values(), ids=BAD_RECORDS)
    def test_save_refuses_a_bad_record_and_writes_nothing(
        self, storage: StorageAdapter, raw: Oracle, data: Any, error: type[DoquError], text: str
    ) -> None:
        with pytest.raises(error, match=shown(text)):
            storage.save(data)
        with pytest.raises(error, match=shown(text)):
            storage.save(data, "bad")
        assert list(raw.keys()) == []

    @pytest.mark.parametrize(("data", "error", "text"), BAD_RECORDS.values(), ids=BAD_RECORDS)
    def test_save_of_a_bad_record_leaves_the_old_one(
        self, storage: StorageAdapter, raw: Oracle, data: Any, error: type[DoquError], text: str
    ) -> None:
        seed(storage, {"ann": ANN})
        with pytest.raises(error):
            storage.save(data, "ann")
        assert raw.get("ann") == ANN

    @pytest.mark.parametrize("key", BAD_KEYS.values(), ids=BAD_KEYS)
    def test_save_refuses_a_bad_key(self, storage: StorageAdapter, raw: Oracle, key: Any) -> None:
        with pytest.raises(InvalidDocumentError, match=shown(repr(key))):
            storage.save({"n": 1}, key)
        assert list(raw.keys()) == []

    def test_save_many_with_one_bad_record_writes_nothing(
        self, storage: StorageAdapter, raw: Oracle
    ) -> None:
        with pytest.raises(InvalidFieldNameError, match=shown("'$inc'")):
            storage.save_many([{"n": 1}, Item("lamp", pk="i1"), {"$inc": 1}, {"n": 3}])
        assert list(raw.keys()) == []

    def test_save_many_with_one_bad_key_writes_nothing(
        self, storage: StorageAdapter, raw: Oracle
    ) -> None:
        with pytest.raises(InvalidDocumentError, match="''"):
            storage.save_many([{"n": 1}, Item("lamp", pk="i1"), Item("desk", pk="")])
        assert list(raw.keys()) == []

    @pytest.mark.parametrize("key", BAD_KEYS.values(), ids=BAD_KEYS)
    def test_get_and_get_many_refuse_a_bad_key(self, storage: StorageAdapter, key: Any) -> None:
        seed(storage, {"ann": ANN})
        with pytest.raises(InvalidDocumentError, match=shown(repr(key))):
            storage.get(dict, key)
        with pytest.raises(InvalidDocumentError, match=shown(repr(key))):
            storage.get_many(dict, ["ann", key])

    @pytest.mark.parametrize("key", BAD_KEYS.values(), ids=BAD_KEYS)
    def test_delete_refuses_a_bad_key_and_deletes_nothing(
        self, storage: StorageAdapter, raw: Oracle, key: Any
    ) -> None:
        seed(storage, {"ann": ANN})
        with pytest.raises(InvalidDocumentError, match=shown(repr(key))):
            storage.delete(key)
        assert raw.get("ann") == ANN

    @pytest.mark.parametrize(
        ("conditions", "error", "text"),
        [
            ({}, QueryError, "at least one"),
            ({"age__gt": 30}, QueryError, "age__gt"),
            ({"address.city": "Oslo"}, QueryError, "address.city"),
            ({"$where": "1"}, InvalidFieldNameError, "'$where'"),
            ({"name": {"$ne": None}}, InvalidFieldNameError, "'$ne'"),
            ({"name": object()}, InvalidDocumentError, "object"),
            ({"age__gtt": 1}, UnsupportedLookupError, "'gtt'"),
        ],
        ids=[
            "none",
            "not-equality",
            "dotted",
            "dollar-name",
            "operator-value",
            "bad-value",
            "typo",
        ],
    )
    def test_get_or_create_refuses_bad_conditions_and_writes_nothing(
        self,
        storage: StorageAdapter,
        raw: Oracle,
        conditions: dict[str, Any],
        error: type[DoquError],
        text: str,
    ) -> None:
        with pytest.raises(error, match=shown(text)):
            storage.get_or_create(dict, **conditions)
        assert list(raw.keys()) == []

    @pytest.mark.parametrize(
        ("changes", "error", "text"),
        [
            ({}, QueryError, "at least one"),
            ({"$set": 1}, InvalidFieldNameError, "'$set'"),
            ({"a.$inc": 1}, InvalidFieldNameError, "'a.$inc'"),
            ({"a..b": 1}, InvalidFieldNameError, "'a..b'"),
            ({"a\x00": 1}, InvalidFieldNameError, "'a\\x00'"),
            ({"_id": "other"}, InvalidFieldNameError, "'_id'"),
            ({"v": object()}, InvalidDocumentError, "object"),
            ({"v": {"$ne": None}}, InvalidFieldNameError, "'$ne'"),
            ({"v": 2**64}, InvalidDocumentError, str(2**64)),
        ],
        ids=[
            "none",
            "dollar-name",
            "dotted-dollar",
            "empty-part",
            "nul",
            "key-field",
            "bad-value",
            "operator-value",
            "int-too-big",
        ],
    )
    def test_update_refuses_bad_changes_and_writes_nothing(
        self,
        storage: StorageAdapter,
        raw: Oracle,
        changes: dict[str, Any],
        error: type[DoquError],
        text: str,
    ) -> None:
        seed(storage, {"ann": ANN})
        with pytest.raises(error, match=shown(text)):
            storage.find().update(**changes)
        assert raw.get("ann") == ANN
        assert list(raw.keys()) == ["ann"]


class BadQueryInputContract(StorageFixtures):
    """Queries refuse bad names and values when built, before anything runs."""

    @pytest.mark.parametrize(
        ("value", "text"),
        [
            (2**64, str(2**64)),
            (datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC), "timezone-aware"),
            ({1, 2}, "type set"),
        ],
        ids=["int-too-big", "timezone-aware", "bad-type"],
    )
    def test_a_query_value_no_record_can_hold_is_refused(
        self, storage: StorageAdapter, value: Any, text: str
    ) -> None:
        with pytest.raises(InvalidDocumentError, match=f"n__equals.*{shown(text)}"):
            storage.find(n=value)
        with pytest.raises(InvalidDocumentError, match=f"n__in.*{shown(text)}"):
            storage.find().where(n__in=["a", value])

    @pytest.mark.parametrize(
        "name", ["$where", "$or", "name.$ne", "a\x00b", "", "a..b", ".a", "_id", "_id.x"]
    )
    def test_where_refuses_a_bad_field_name(self, storage: StorageAdapter, name: str) -> None:
        with pytest.raises(InvalidFieldNameError, match=shown(repr(name))):
            storage.find().where(**{name: 1})
        with pytest.raises(InvalidFieldNameError, match=shown(repr(name))):
            storage.find().where_not(**{f"{name}__exists": True})

    def test_where_refuses_an_unknown_lookup(self, storage: StorageAdapter) -> None:
        with pytest.raises(UnsupportedLookupError, match="age__gtt"):
            storage.find(age__gtt=1)
        with pytest.raises(UnsupportedLookupError, match="'where'"):
            storage.find(name__where="sleep(1)")

    def test_a_lookup_built_directly_is_checked_as_a_keyword_is(
        self, storage: StorageAdapter
    ) -> None:
        seed(storage, {"a": {"age": 30}, "b": {"age": 12}})
        assert [key for key, _ in storage.find().where(Lookup("age", "gte", 18)).items()] == ["a"]
        with pytest.raises(UnsupportedLookupError, match="age__gtt"):
            Lookup("age", "gtt", 1)
        with pytest.raises(InvalidLookupValueError, match="age__in"):
            Lookup("age", "in", 5)

    @pytest.mark.parametrize(
        ("lookup", "value"),
        [
            ("in", "abc"),
            ("nin", 5),
            ("in", {"a": 1}),
            ("between", (1, 2, 3)),
            ("between", 5),
            ("gt", None),
            ("lt", [1]),
            ("gte", True),
            ("exists", "yes"),
            ("startswith", 5),
            ("contains", None),
            ("contains_any", "ab"),
            ("contains_all", 7),
            ("matches", "("),
            ("year", "2020"),
            ("month", 13),
            ("day", 0),
        ],
    )
    def test_where_refuses_a_value_of_the_wrong_shape(
        self, storage: StorageAdapter, lookup: str, value: Any
    ) -> None:
        with pytest.raises(InvalidLookupValueError, match=f"n__{lookup}"):
            storage.find().where(**{f"n__{lookup}": value})

    def test_where_not_needs_a_condition(self, storage: StorageAdapter) -> None:
        with pytest.raises(QueryError, match="where_not"):
            storage.find().where_not()

    @pytest.mark.parametrize("name", ["$x", "-$x", "", "-", "a..b", "a\x00", "_id", "-_id"])
    def test_order_by_refuses_a_bad_field_name(self, storage: StorageAdapter, name: str) -> None:
        with pytest.raises(InvalidFieldNameError, match="order_by"):
            storage.find().order_by(name)

    def test_order_by_refuses_a_non_string(self, storage: StorageAdapter) -> None:
        with pytest.raises(QueryError, match="5"):
            storage.find().order_by(5)  # type: ignore[arg-type]

    @pytest.mark.parametrize("name", ["$x", "", "a.$b", "a\x00", "_id"])
    def test_values_refuses_a_bad_field_name(self, storage: StorageAdapter, name: str) -> None:
        with pytest.raises(InvalidFieldNameError, match=shown(repr(name))):
            storage.find().values(name)

    def test_queries_of_different_doc_classes_do_not_combine(self, storage: StorageAdapter) -> None:
        with pytest.raises(QueryError, match="same storage"):
            storage.find() | storage.find(Item)  # type: ignore[arg-type]

    def test_queries_combine_only_with_queries(self, storage: StorageAdapter) -> None:
        with pytest.raises(InvalidArgumentError, match="int"):
            storage.find() | 5  # type: ignore[operator]
        with pytest.raises(InvalidArgumentError, match="int"):
            Q(a=1) | 5  # type: ignore[operator]

    def test_find_refuses_a_class_it_cannot_load(self, storage: StorageAdapter) -> None:
        with pytest.raises(InvalidArgumentError, match="doc_class"):
            storage.find(int)
