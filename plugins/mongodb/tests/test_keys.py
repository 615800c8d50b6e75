"""Keys: ObjectId, str and int ``_id`` values, whoever wrote them, and their string forms."""

from __future__ import annotations

from typing import Any

import pytest
from bson.objectid import ObjectId
from pymongo.collection import Collection

from doqu.errors import DocumentNotFoundError, DuplicateKeyError, InvalidDocumentError
from doqu_mongodb import MongoStorage

HEX = "5f1d7a3b9c8e4d2a1b0c9d8e"
OTHER_HEX = "0123456789abcdef01234567"


class TestGeneratedKeys:
    def test_save_generates_an_object_id(
        self, storage: MongoStorage, raw: Collection[dict[str, Any]]
    ) -> None:
        key = storage.save({"name": "Ann"})
        assert isinstance(key, ObjectId)
        assert raw.find_one() == {"_id": key, "name": "Ann"}

    def test_save_many_generates_distinct_object_ids(self, storage: MongoStorage) -> None:
        keys = storage.save_many([{"n": 1}, {"n": 2}, {"n": 3}])
        assert len(set(keys)) == 3
        assert all(isinstance(key, ObjectId) for key in keys)
        assert [storage.get(dict, key) for key in keys] == [{"n": 1}, {"n": 2}, {"n": 3}]


class TestForeignDocuments:
    """Documents another application wrote with pymongo are all reachable."""

    @pytest.fixture
    def written(self, raw: Collection[dict[str, Any]]) -> list[Any]:
        keys = [ObjectId(HEX), OTHER_HEX, "plain", 7, -(2**40)]
        raw.insert_many([{"_id": key, "kind": type(key).__name__} for key in keys])
        return keys

    def test_get_each_kind(self, storage: MongoStorage, written: list[Any]) -> None:
        assert [storage.get(dict, key)["kind"] for key in written] == [
            "ObjectId",
            "str",
            "str",
            "int",
            "int",
        ]

    def test_object_id_and_hex_str_are_different_keys(
        self, storage: MongoStorage, written: list[Any]
    ) -> None:
        assert storage.get(dict, ObjectId(HEX)) == {"kind": "ObjectId"}
        assert storage.get(dict, OTHER_HEX) == {"kind": "str"}
        with pytest.raises(DocumentNotFoundError):
            storage.get(dict, HEX)
        with pytest.raises(DocumentNotFoundError):
            storage.get(dict, ObjectId(OTHER_HEX))

    def test_get_many_mixes_kinds(self, storage: MongoStorage, written: list[Any]) -> None:
        found = storage.get_many(dict, [7, ObjectId(HEX), "plain"])
        assert found == [{"kind": "int"}, {"kind": "ObjectId"}, {"kind": "str"}]

    def test_iteration_and_membership(self, storage: MongoStorage, written: list[Any]) -> None:
        assert sorted(map(repr, storage)) == sorted(map(repr, written))
        assert ObjectId(HEX) in storage
        assert 7 in storage
        assert "7" not in storage
        assert 7.5 not in storage

    def test_query_items_give_native_keys(self, storage: MongoStorage, written: list[Any]) -> None:
        keys = dict(storage.find(kind="int").items())
        assert set(keys) == {7, -(2**40)}

    def test_delete_each_kind(self, storage: MongoStorage, written: list[Any]) -> None:
        for key in written:
            storage.delete(key)
        assert len(storage) == 0

    def test_missing_int_key(self, storage: MongoStorage, written: list[Any]) -> None:
        with pytest.raises(DocumentNotFoundError, match="no record with key 8"):
            storage.get(dict, 8)


class TestObjectIdAndItsHex:
    """MongoDB keeps an ObjectId and the str of its hex apart; FerretDB v1 compares ``_id``
    values by their JSON form, where the two are the same."""

    def test_both_can_be_keys(self, storage: MongoStorage) -> None:
        storage.save({"kind": "ObjectId"}, ObjectId(HEX))
        if storage.server.kind == "ferretdb":
            with pytest.raises(DuplicateKeyError, match="E11000"):
                storage.save({"kind": "str"}, HEX)
            return
        storage.save({"kind": "str"}, HEX)
        assert storage.get_many(dict, [HEX, ObjectId(HEX)]) == [
            {"kind": "str"},
            {"kind": "ObjectId"},
        ]


class TestKeyChecks:
    @pytest.mark.parametrize("key", [2**63, -(2**63) - 1])
    def test_int_outside_64_bits(self, storage: MongoStorage, key: int) -> None:
        with pytest.raises(InvalidDocumentError, match="outside the 64-bit"):
            storage.save({"a": 1}, key)

    @pytest.mark.parametrize("key", ["", True, 1.5, b"x", None, (1,)])
    def test_other_kinds(self, storage: MongoStorage, key: Any) -> None:
        with pytest.raises(InvalidDocumentError, match="ObjectId, a non-empty str or an int"):
            storage.check_key(key)

    def test_explicit_keys_of_each_kind(self, storage: MongoStorage) -> None:
        for key in (ObjectId(HEX), OTHER_HEX, "x", 0, 2**63 - 1):
            assert storage.save({"k": repr(key)}, key) == key
        assert {repr(key) for key in storage} == {
            repr(ObjectId(HEX)),
            repr(OTHER_HEX),
            "'x'",
            "0",
            repr(2**63 - 1),
        }


class TestStringForms:
    @pytest.mark.parametrize(
        ("key", "text"),
        [
            (ObjectId(HEX), HEX),
            (HEX, "~s" + HEX),
            (HEX.upper(), "~s" + HEX.upper()),
            ("plain", "plain"),
            ("~tilde", "~s~tilde"),
            (42, "~i42"),
            (-3, "~i-3"),
        ],
    )
    def test_round_trip(self, storage: MongoStorage, key: Any, text: str) -> None:
        assert storage.key_to_str(key) == text
        back = storage.key_from_str(text)
        assert (type(back), back) == (type(key), key)

    def test_uppercase_hex_reads_as_object_id(self, storage: MongoStorage) -> None:
        assert storage.key_from_str(HEX.upper()) == ObjectId(HEX)

    def test_tag_is_never_stored(
        self, storage: MongoStorage, raw: Collection[dict[str, Any]]
    ) -> None:
        storage.save({"a": 1}, HEX)
        storage.save({"a": 2}, 5)
        assert sorted(map(repr, raw.distinct("_id"))) == sorted([repr(HEX), "5"])

    def test_bad_tag(self, storage: MongoStorage) -> None:
        with pytest.raises(InvalidDocumentError, match="not a key's string form"):
            storage.key_from_str("~x12")
