"""Atomic get_or_create, unique indexes, and writes the server refuses."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from bson.objectid import ObjectId
from pymongo.collection import Collection
from pymongo.errors import PyMongoError

from doqu import Index
from doqu.errors import (
    BackendError,
    DuplicateKeyError,
    InvalidDocumentError,
    PartialWriteError,
)
from doqu_mongodb import MongoStorage

RACERS = 8


class TestGetOrCreate:
    def test_created_then_found(self, storage: MongoStorage) -> None:
        first, created = storage.get_or_create(dict, email="ann@example.org")
        again, created_again = storage.get_or_create(dict, email="ann@example.org")
        assert (first, created, again, created_again) == (
            {"email": "ann@example.org"},
            True,
            {"email": "ann@example.org"},
            False,
        )
        assert len(storage) == 1
        assert isinstance(next(iter(storage)), ObjectId)

    def test_finds_a_record_saved_otherwise(self, storage: MongoStorage) -> None:
        key = storage.save({"email": "ann@example.org", "name": "Ann"})
        found, created = storage.get_or_create(dict, email="ann@example.org")
        assert (found, created) == ({"email": "ann@example.org", "name": "Ann"}, False)
        assert list(storage) == [key]

    def test_a_changed_record_is_not_found_again(self, storage: MongoStorage) -> None:
        storage.get_or_create(dict, email="ann@example.org")
        assert storage.find(email="ann@example.org").update(email="ann@example.com") == 1
        record, created = storage.get_or_create(dict, email="ann@example.org")
        assert (record, created) == ({"email": "ann@example.org"}, True)
        assert sorted(storage.find().values("email")) == ["ann@example.com", "ann@example.org"]

    def test_a_deleted_record_is_created_again(self, storage: MongoStorage) -> None:
        storage.get_or_create(dict, email="ann@example.org")
        storage.find().delete()
        assert storage.get_or_create(dict, email="ann@example.org")[1] is True
        assert len(storage) == 1

    def test_racing_callers_create_one_record(
        self, location: tuple[str, str | None], storage: MongoStorage
    ) -> None:
        # each racer has a client of its own (its appname differs), as processes would
        url, database = location
        racers = [
            MongoStorage(
                url, database=database, collection=storage.address.collection, appname=f"r{n}"
            )
            for n in range(RACERS)
        ]
        try:
            for round_number in range(5):
                results = _race(racers, round=round_number, name="x")
                assert sorted(map(repr, results)) == ["False"] * (RACERS - 1) + ["True"]
                assert storage.find(round=round_number).count() == 1
        finally:
            for racer in racers:
                racer.close()


def _race(racers: list[MongoStorage], **conditions: Any) -> list[Any]:
    barrier = threading.Barrier(len(racers))
    results: list[Any] = []

    def race(storage: MongoStorage) -> None:
        barrier.wait()
        try:
            results.append(storage.get_or_create(dict, **conditions)[1])
        except Exception as error:  # reported by the caller's assertion
            results.append(error)

    threads = [threading.Thread(target=race, args=(racer,)) for racer in racers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


class TestUniqueIndexes:
    def test_violation_is_duplicate_key_error(self, storage: MongoStorage) -> None:
        storage.ensure_index(Index("email", unique=True))
        storage.save({"email": "ann@example.org"})
        with pytest.raises(DuplicateKeyError, match=r"already exists in collection 't_"):
            storage.save({"email": "ann@example.org"})
        with pytest.raises(DuplicateKeyError):
            storage.save_many([{"email": "bob@example.org"}, {"email": "ann@example.org"}])
        assert storage.find(email="bob@example.org").count() == 1  # ordered: the first went in

    def test_index_over_duplicates(self, storage: MongoStorage) -> None:
        storage.save_many([{"email": "x"}, {"email": "x"}])
        with pytest.raises(DuplicateKeyError):
            storage.ensure_index(Index("email", unique=True))

    def test_index_exists(self, storage: MongoStorage, raw: Collection[dict[str, Any]]) -> None:
        storage.ensure_index(Index("a.b", "c", name="ab_c"))
        storage.ensure_index(Index("a.b", "c", name="ab_c"))  # again: nothing to do
        indexes = {index["name"]: dict(index["key"]) for index in raw.list_indexes()}
        assert indexes["ab_c"] == {"a.b": 1, "c": 1}

    def test_object_id_and_its_hex_in_a_unique_index(
        self, storage: MongoStorage, raw: Collection[dict[str, Any]]
    ) -> None:
        storage.ensure_index(Index("ref", unique=True))
        oid = ObjectId()
        raw.insert_one({"ref": oid})
        if storage.server.kind == "ferretdb":
            # FerretDB v1 compares indexed values by their JSON form
            with pytest.raises(DuplicateKeyError):
                storage.save({"ref": str(oid)})
            return
        storage.save({"ref": str(oid)})
        assert storage.find(ref=str(oid)).count() == 1

    def test_missing_fields_in_a_unique_index(self, storage: MongoStorage) -> None:
        storage.ensure_index(Index("email", unique=True))
        storage.save({"name": "no email"})
        if storage.server.kind == "ferretdb":
            # FerretDB v1 lets any number of records lack the field (MongoDB indexes them as null)
            storage.save({"name": "no email either"})
            assert len(storage) == 2
            return
        with pytest.raises(DuplicateKeyError):
            storage.save({"name": "no email either"})


class TestRefusedUpdates:
    def test_dotted_update_through_a_scalar_writes_nothing(
        self, storage: MongoStorage, raw: Collection[dict[str, Any]]
    ) -> None:
        # checked before writing: the server would update the first document, then fail
        storage.save_many([{"a": {"b": 0}, "n": 1}, {"a": 2, "n": 2}])
        with pytest.raises(InvalidDocumentError, match=r"cannot set 'a\.b': 'a' holds int 2"):
            storage.find().update(**{"a.b": 1})
        assert {document["n"]: document["a"] for document in raw.find()} == {1: {"b": 0}, 2: 2}

    def test_dotted_update_into_records_and_missing_fields(self, storage: MongoStorage) -> None:
        storage.save_many([{"a": {"b": 0, "c": 1}}, {}])
        assert storage.find().update(**{"a.b": 5}) == 2
        assert list(storage.find()) == [{"a": {"b": 5, "c": 1}}, {"a": {"b": 5}}]

    def test_a_flat_update_of_a_record_stored_too_deep_writes_nothing(
        self, storage: MongoStorage, raw: Collection[dict[str, Any]]
    ) -> None:
        # flat changes skip decoding small records: one over the depth limit is not small
        deep: dict[str, Any] = {}
        inner = deep
        for _ in range(120):
            inner["a"] = {}
            inner = inner["a"]
        try:
            raw.insert_one({"_id": "deep", "d": deep})
        except PyMongoError:  # a server that refuses it needs no check from doqu
            pytest.skip(f"{storage.server.kind} refuses records nested 120 levels")
        storage.save({"n": 1}, "flat")
        with pytest.raises(InvalidDocumentError, match="100 levels"):
            storage.find().update(n=2)
        assert raw.find_one({"_id": "flat"}) == {"_id": "flat", "n": 1}

    def test_a_flat_update_checks_records_near_the_size_limit(
        self, storage: MongoStorage, raw: Collection[dict[str, Any]]
    ) -> None:
        # 2 MB stored and 14.5 MB set: only the size of the decoded record can tell
        storage.save({"s": "x" * (2 * 1024 * 1024)}, "big")
        storage.save({"n": 1}, "small")
        with pytest.raises(InvalidDocumentError, match="16 MB"):
            storage.find().update(t="y" * (14 * 1024 * 1024 + 512 * 1024))
        assert raw.find_one({"_id": "small"}) == {"_id": "small", "n": 1}
        assert storage.find().update(t="y" * (13 * 1024 * 1024)) == 2

    def test_conflicting_changes_are_refused(self, storage: MongoStorage) -> None:
        storage.save({"a": {"b": 0}})
        if storage.server.kind == "mongomock":
            pytest.skip("mongomock applies conflicting changes one after the other")
        with pytest.raises(BackendError, match=r"conflict.*\(code 40\)"):
            storage.find().update(**{"a.b": 1, "a": {}})


class TestInsertRecords:
    def test_a_taken_key_names_exactly_the_keys_inserted(
        self, storage: MongoStorage, raw: Collection[dict[str, Any]]
    ) -> None:
        # FerretDB v1 goes on with the next chunk of 100 after a failure; MongoDB stops
        storage.save({"v": "old"}, "k0005")
        items = [(f"k{n:04d}", {"n": n}) for n in range(250)]
        with pytest.raises(PartialWriteError, match="key 'k0005'") as caught:
            storage.insert_records(items)
        assert isinstance(caught.value.__cause__, DuplicateKeyError)
        assert caught.value.__cause__.key == "k0005"
        stored = {document["_id"] for document in raw.find()}
        assert set(caught.value.written) == stored - {"k0005"}
        assert caught.value.written[:5] == ["k0000", "k0001", "k0002", "k0003", "k0004"]
        assert raw.find_one({"_id": "k0005"}) == {"_id": "k0005", "v": "old"}

    def test_a_taken_first_key_leaves_only_what_the_error_names(
        self, storage: MongoStorage, raw: Collection[dict[str, Any]]
    ) -> None:
        storage.save({"v": "old"}, "a")
        with pytest.raises((DuplicateKeyError, PartialWriteError)) as caught:
            storage.insert_records([("a", {"v": 1}), ("b", {"v": 2})])
        written = getattr(caught.value, "written", [])
        assert sorted(document["_id"] for document in raw.find()) == sorted(["a", *written])
