"""Values are stored as natural BSON, readable by any MongoDB application, and the other way
round; fields doqu does not know survive a load-modify-save."""

from __future__ import annotations

import datetime
import decimal
import uuid
from typing import Any

import bson
import pytest
from bson.binary import Binary
from bson.decimal128 import Decimal128
from bson.int64 import Int64
from bson.objectid import ObjectId
from pymongo.collection import Collection

import doqu
from doqu import Document, Field
from doqu.errors import InvalidDocumentError, UnsupportedError
from doqu_mongodb import MongoStorage
from doqu_mongodb._codec import CODEC_OPTIONS, ENCODING_OPTIONS, from_bson, to_bson

WHEN = datetime.datetime(2024, 2, 29, 13, 14, 15, 678000)
ID = uuid.UUID("12345678-1234-5678-1234-567812345678")


class TestNaturalBSON:
    def test_what_pymongo_reads(
        self, storage: MongoStorage, raw: Collection[dict[str, Any]]
    ) -> None:
        key = storage.save(
            {
                "when": WHEN,
                "data": b"\x00\xff",
                "id": ID,
                "big": 2**40,
                "nested": {"list": [1, "two", {"three": 3.0}], "none": None},
            }
        )
        document = raw.find_one({"_id": key})
        assert document is not None
        assert document["when"] == WHEN
        assert document["when"].tzinfo is None
        assert document["data"] == b"\x00\xff"
        assert document["id"] == Binary(ID.bytes, 4)
        assert document["big"] == 2**40
        assert document["nested"] == {"list": [1, "two", {"three": 3.0}], "none": None}

    def test_queries_match_native_values(
        self, storage: MongoStorage, raw: Collection[dict[str, Any]]
    ) -> None:
        key = storage.save({"id": ID, "data": b"\x01"})
        assert raw.count_documents({"id": Binary(ID.bytes, 4), "data": b"\x01"}) == 1
        assert storage.find(id=ID, data=b"\x01").keys().__next__() == key

    def test_microseconds_are_truncated_to_milliseconds(self, storage: MongoStorage) -> None:
        key = storage.save({"when": datetime.datetime(2024, 1, 1, 0, 0, 0, 123999)})
        assert storage.get(dict, key)["when"].microsecond == 123000

    def test_decimal_is_decimal128(
        self, storage: MongoStorage, raw: Collection[dict[str, Any]]
    ) -> None:
        if not storage.capabilities.decimal_values:
            pytest.skip(f"{storage.server.kind} does not declare decimal_values")
        key = storage.save({"price": decimal.Decimal("19.99")})
        assert raw.find_one({"_id": key}) == {"_id": key, "price": Decimal128("19.99")}
        assert storage.get(dict, key) == {"price": decimal.Decimal("19.99")}
        assert storage.find(price__gt=19).count() == 1
        assert storage.find(price=decimal.Decimal("19.990")).count() == 1

    def test_decimal_too_precise_for_decimal128(self, storage: MongoStorage) -> None:
        if not storage.capabilities.decimal_values:
            pytest.skip(f"{storage.server.kind} does not declare decimal_values")
        with pytest.raises(InvalidDocumentError, match="does not fit MongoDB's Decimal128"):
            storage.save({"price": decimal.Decimal("1." + "1" * 40)})

    def test_nan_round_trips(self, storage: MongoStorage) -> None:
        if not storage.capabilities.nan_values:
            pytest.skip(f"{storage.server.kind} does not declare nan_values")
        key = storage.save({"x": float("nan")})
        value = storage.get(dict, key)["x"]
        assert value != value


class TestWrittenByOthers:
    def test_bson_types_read_back(
        self, storage: MongoStorage, raw: Collection[dict[str, Any]]
    ) -> None:
        raw.insert_one(
            {
                "_id": "k",
                "id": Binary(ID.bytes, 4),
                "data": Binary(b"\x02", 0),
                "n": Int64(5),
                "ref": ObjectId("5f1d7a3b9c8e4d2a1b0c9d8e"),
                "when": WHEN,
            }
        )
        record = storage.get(dict, "k")
        assert record["id"] == ID
        assert isinstance(record["id"], uuid.UUID)
        assert record["data"] == b"\x02"
        assert record["n"] == 5
        assert record["ref"] == ObjectId("5f1d7a3b9c8e4d2a1b0c9d8e")
        assert record["when"] == WHEN

    def test_aware_datetimes_read_as_naive_utc(
        self, storage: MongoStorage, raw: Collection[dict[str, Any]]
    ) -> None:
        plus_two = datetime.timezone(datetime.timedelta(hours=2))
        raw.insert_one({"_id": "k", "when": datetime.datetime(2024, 1, 1, 12, tzinfo=plus_two)})
        assert storage.get(dict, "k") == {"when": datetime.datetime(2024, 1, 1, 10)}

    def test_decimal128_reads_as_decimal(
        self, storage: MongoStorage, raw: Collection[dict[str, Any]]
    ) -> None:
        if not storage.capabilities.decimal_values:
            pytest.skip(f"{storage.server.kind} does not declare decimal_values")
        raw.insert_one({"_id": "k", "price": Decimal128("0.10")})
        assert storage.get(dict, "k") == {"price": decimal.Decimal("0.10")}


class Person(Document):
    name = Field(str, required=True)
    age = Field(int, default=0)


class TestUnknownFieldsSurvive:
    def test_load_modify_save(self, storage: MongoStorage, raw: Collection[dict[str, Any]]) -> None:
        raw.insert_one(
            {"_id": "ann", "name": "Ann", "age": 3, "legacy": {"score": 9}, "tags": ["x"]}
        )
        ann = storage.get(Person, "ann")
        ann.age = 4
        ann.save(storage)
        assert raw.find_one({"_id": "ann"}) == {
            "_id": "ann",
            "name": "Ann",
            "age": 4,
            "legacy": {"score": 9},
            "tags": ["x"],
        }

    def test_object_id_values_survive(
        self, storage: MongoStorage, raw: Collection[dict[str, Any]]
    ) -> None:
        # references between documents are ObjectIds: the plugin declares them native_types
        ref = ObjectId("5f1d7a3b9c8e4d2a1b0c9d8e")
        raw.insert_one({"_id": "ann", "name": "Ann", "owner": ref})
        ann = storage.get(Person, "ann")
        ann.age = 4
        ann.save(storage)
        assert raw.find_one({"_id": "ann"}) == {"_id": "ann", "name": "Ann", "owner": ref, "age": 4}

    def test_what_the_server_returns_saves_back(
        self, storage: MongoStorage, raw: Collection[dict[str, Any]]
    ) -> None:
        # pymongo reads every BSON int64 as Int64 (mongomock hands back plain ints): core
        # stores it as an int; other Binary subtypes and ObjectIds are the plugin's native types
        stored = {
            "_id": "ann",
            "name": "Ann",
            "millis": Int64(1700000000000),
            "big": 2**40,
            "nested": {"list": [Int64(5), {"x": 2**62}], "ref": ObjectId(), "md5": Binary(b"a", 5)},
            "legacy_uuid": Binary(bytes(16), 3),
        }
        raw.insert_one(stored)
        read = storage.get(dict, "ann")
        assert isinstance(read["millis"], int)
        storage.save(read, "ann")
        assert raw.find_one({"_id": "ann"}) == stored
        storage.save(storage.get(Person, "ann"))
        assert raw.find_one({"_id": "ann"}) == {**stored, "age": 0}
        copy = doqu.connect("memory://")
        ints = storage.find().where(millis__gt=0).values("millis")
        copy.save({"millis": ints[0], "nested": storage.get(dict, "ann")["nested"]["list"]}, "a")
        assert copy.get(dict, "a") == {"millis": 1700000000000, "nested": [5, {"x": 2**62}]}
        assert type(copy.get(dict, "a")["millis"]) is int
        with pytest.raises(InvalidDocumentError, match=r"nested\.ref has type ObjectId"):
            copy.save(read)  # memory cannot hold an ObjectId: said, never lost silently

    def test_a_tz_aware_client_reads_naive_utc(self, make_storage: Any) -> None:
        storage = make_storage(tz_aware=True)
        key = storage.save({"when": WHEN})
        read = storage.get(dict, key)
        assert read["when"] == WHEN
        assert read["when"].tzinfo is None
        storage.save(read, key)

    def test_query_update_touches_only_named_fields(
        self, storage: MongoStorage, raw: Collection[dict[str, Any]]
    ) -> None:
        raw.insert_one({"_id": "ann", "name": "Ann", "legacy": 1})
        assert storage.find(Person, name="Ann").update(age=5) == 1
        assert raw.find_one({"_id": "ann"}) == {"_id": "ann", "name": "Ann", "legacy": 1, "age": 5}


class TestRefusedBeforeSending:
    """Values the server lacks are refused by core, before anything is sent (FerretDB v1 closes
    the connection on Decimal128 and NaN)."""

    @pytest.mark.parametrize(
        ("value", "capability"),
        [(decimal.Decimal("1.5"), "decimal_values"), (float("nan"), "nan_values")],
    )
    def test_save(self, storage: MongoStorage, value: Any, capability: str) -> None:
        if getattr(storage.capabilities, capability):
            pytest.skip(f"{storage.server.kind} declares {capability}")
        with pytest.raises(UnsupportedError, match=capability):
            storage.save({"x": value})
        with pytest.raises(UnsupportedError, match=capability):
            storage.find(x=value).count()
        assert len(storage) == 0  # the connection is still fine

    def test_ferretdb_is_detected(self, storage: MongoStorage) -> None:
        if storage.server.kind == "mongomock":
            pytest.skip("mongomock is not a server")
        ferret = storage.client.admin.command("buildInfo").get("ferretdbVersion") is not None
        assert (storage.server.kind == "ferretdb") is ferret
        assert storage.capabilities.decimal_values is not ferret
        assert type(storage).capabilities.decimal_values is True


class TestCodec:
    """The BSON forms, checked without a server (FerretDB and mongomock lack Decimal128)."""

    def test_decimal_is_written_as_decimal128_and_read_back(self) -> None:
        data = bson.encode({"d": decimal.Decimal("19.99")}, codec_options=CODEC_OPTIONS)
        assert bson.decode(data) == {"d": Decimal128("19.99")}
        assert bson.decode(data, codec_options=CODEC_OPTIONS) == {"d": decimal.Decimal("19.99")}

    def test_date_is_written_as_midnight(self) -> None:
        data = bson.encode({"d": datetime.date(2024, 2, 29)}, codec_options=CODEC_OPTIONS)
        assert bson.decode(data) == {"d": datetime.datetime(2024, 2, 29)}

    @pytest.mark.parametrize(
        "options", [CODEC_OPTIONS, ENCODING_OPTIONS], ids=["mongodb", "ferretdb"]
    )
    def test_64_bit_ints_read_as_ints(self, options: Any) -> None:
        data = bson.encode({"n": [2**40, {"m": -(2**63)}]})
        decoded = bson.decode(data, codec_options=options)
        assert decoded == {"n": [2**40, {"m": -(2**63)}]}
        assert isinstance(decoded["n"][0], int)
        assert not isinstance(decoded["n"][0], bool)

    def test_without_decimal128_no_decoder_slows_decoding(self) -> None:
        # any type decoder makes pymongo decode every batch twice
        assert not ENCODING_OPTIONS.type_registry._decoder_map

    def test_uuid_is_standard_binary(self) -> None:
        data = bson.encode({"u": ID}, codec_options=CODEC_OPTIONS)
        assert bson.decode(data) == {"u": Binary(ID.bytes, 4)}

    def test_mongomock_conversions_mirror_the_codec(self) -> None:
        record = {"d": decimal.Decimal("1.5"), "u": ID, "b": b"x", "l": [{"day": WHEN}]}
        stored = to_bson(record)
        assert stored == {
            "d": Decimal128("1.5"),
            "u": Binary(ID.bytes, 4),
            "b": b"x",
            "l": [{"day": WHEN}],
        }
        assert from_bson(stored) == record
        assert from_bson({"n": Int64(3), "b": Binary(b"y", 0)}) == {"n": Int64(3), "b": b"y"}
        assert type(from_bson({"b": Binary(b"y", 0)})["b"]) is bytes
