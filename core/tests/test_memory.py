"""What the memory backend adds to the contract: named stores, copies, unique indexes, URLs."""

from __future__ import annotations

import datetime
import threading
import uuid
from typing import Any

import pytest

from doqu import Capabilities, Index, Q, QuerySpec
from doqu.errors import (
    BackendError,
    ConfigurationError,
    DuplicateKeyError,
    InvalidDocumentError,
    InvalidURLError,
)
from doqu.memory import MemoryOracle, MemoryStorage
from doqu.memory import _plugin as plugin


def unique_name() -> str:
    # named stores live as long as the process: each test takes its own name
    return f"test-{uuid.uuid4().hex}"


@pytest.fixture
def storage() -> MemoryStorage:
    return MemoryStorage()


class TestStores:
    def test_a_private_store_is_not_shared(self) -> None:
        first = MemoryStorage.from_url("memory://")
        first.save({"n": 1})
        assert len(MemoryStorage.from_url("memory://")) == 0
        assert len(first) == 1

    def test_a_named_store_is_shared_by_every_connection(self) -> None:
        name = unique_name()
        first = MemoryStorage.from_url(f"memory://{name}")
        key = first.save({"n": 1})
        second = MemoryStorage.from_url(f"memory:///{name}")
        assert second.get(dict, key) == {"n": 1}
        second.delete(key)
        assert key not in first

    def test_collections_of_one_store_are_separate(self) -> None:
        name = unique_name()
        people = MemoryStorage.from_url(f"memory://{name}?collection=people")
        pets = MemoryStorage.from_url(f"memory://{name}", collection="pets")
        default = MemoryStorage.from_url(f"memory://{name}")
        people.save({"name": "Ann"})
        pets.save({"name": "Rex"})
        pets.save({"name": "Tom"})
        assert (len(people), len(pets), len(default)) == (1, 2, 0)
        pets.clear()
        assert (len(people), len(pets)) == (1, 0)
        assert [d["name"] for d in MemoryStorage(name, collection="people").find()] == ["Ann"]

    def test_collection_may_be_given_in_url_and_option_when_equal(self) -> None:
        name = unique_name()
        storage = MemoryStorage.from_url(f"memory://{name}?collection=a", collection="a")
        assert storage.collection == "a"

    def test_declares_what_it_supports(self) -> None:
        declared = set(MemoryStorage.capabilities.declared())
        assert declared == set(Capabilities.names()) - {
            "persistent",
            "durable",
            "server_side_queries",
        }

    def test_keys_are_uuid_hex_strings(self, storage: MemoryStorage) -> None:
        key = storage.save({})
        assert isinstance(key, str)
        assert uuid.UUID(hex=key).version == 4


class TestUrlErrors:
    @pytest.mark.parametrize(
        ("url", "message"),
        [
            ("mongodb://localhost", r"has scheme 'mongodb', not 'memory'"),
            ("memory://user:secret@store", r"has a user, password or port"),
            ("memory://store:27017", r"has a user, password or port"),
            ("memory://store/extra", r"has a path '/extra' after the store name 'store'"),
            ("memory:///a/b", r"has a store name 'a/b' containing '/'"),
            ("memory://store?colection=x", r"unknown option\(s\) \['colection'\] \(accepted: "),
            ("memory://?collection=a&collection=b", r"gives option 'collection' twice"),
            ("memory", r"has no scheme"),
        ],
    )
    def test_bad_url_is_refused(self, url: str, message: str) -> None:
        with pytest.raises(InvalidURLError, match=message):
            MemoryStorage.from_url(url)

    def test_password_is_not_shown(self) -> None:
        with pytest.raises(InvalidURLError) as caught:
            MemoryStorage.from_url("memory://user:secret@store")
        assert "secret" not in str(caught.value)

    def test_unknown_option_names_the_accepted_ones(self) -> None:
        with pytest.raises(ConfigurationError, match=r"\['host'\] .*; accepted: collection"):
            MemoryStorage.from_url("memory://", host="localhost")

    def test_conflicting_collections_are_refused(self) -> None:
        with pytest.raises(ConfigurationError, match=r"collection is given twice, as 'a' in URL"):
            MemoryStorage.from_url("memory://?collection=a", collection="b")

    @pytest.mark.parametrize("collection", ["", 3])
    def test_bad_collection_is_refused(self, collection: Any) -> None:
        with pytest.raises(ConfigurationError, match=r"collection must be a non-empty str, got"):
            MemoryStorage.from_url("memory://", collection=collection)


class TestCopies:
    def test_saved_data_is_copied(self, storage: MemoryStorage) -> None:
        data: dict[str, Any] = {"tags": ["a"], "address": {"city": "Oslo"}}
        key = storage.save(data)
        data["tags"].append("b")
        data["address"]["city"] = "Rome"
        assert storage.get(dict, key) == {"tags": ["a"], "address": {"city": "Oslo"}}

    def test_read_records_are_the_callers(self, storage: MemoryStorage) -> None:
        key = storage.save({"tags": ["a"], "address": {"city": "Oslo"}})
        for record in (
            storage.get(dict, key),
            next(iter(storage.find())),
            storage.get_or_create(dict, tags=["a"])[0],
        ):
            record["tags"].append("x")
            record["address"]["city"] = "Rome"
        assert storage.get(dict, key) == {"tags": ["a"], "address": {"city": "Oslo"}}

    def test_update_values_are_copied(self, storage: MemoryStorage) -> None:
        first, second = storage.save({"n": 1}), storage.save({"n": 2})
        tags = ["a"]
        assert storage.find().update(tags=tags) == 2
        tags.append("b")
        stored = storage.get(dict, first)
        stored["tags"].append("c")
        assert storage.get(dict, first)["tags"] == ["a"]
        assert storage.get(dict, second)["tags"] == ["a"]

    def test_tuples_are_stored_as_lists(self, storage: MemoryStorage) -> None:
        key = storage.save({"pair": (1, ({"x": 2},))})
        assert storage.get(dict, key) == {"pair": [1, [{"x": 2}]]}

    def test_a_failed_update_writes_nothing(self, storage: MemoryStorage) -> None:
        storage.save({"a": {"b": 1}}, primary_key="nested")
        storage.save({"a": 5}, primary_key="scalar")
        with pytest.raises(InvalidDocumentError, match=r"cannot set 'a.b'"):
            storage.find().update(**{"a.b": 2})
        assert storage.get(dict, "nested") == {"a": {"b": 1}}


class TestUniqueIndexes:
    def test_a_duplicate_value_is_refused_and_nothing_written(self, storage: MemoryStorage) -> None:
        storage.ensure_index(Index("email", unique=True))
        storage.save({"email": "ann@example.com"}, primary_key="ann")
        with pytest.raises(DuplicateKeyError) as caught:
            storage.save({"email": "ann@example.com", "name": "Other"})
        assert str(caught.value) == (
            "unique index 'email' on email already holds 'ann@example.com' (record 'ann'); "
            "store another value, or change or delete record 'ann' first"
        )
        assert (caught.value.index, caught.value.key) == ("email", "ann@example.com")
        assert list(storage) == ["ann"]

    def test_rewriting_a_record_keeps_its_own_value(self, storage: MemoryStorage) -> None:
        storage.ensure_index(Index("email", unique=True))
        storage.save({"email": "a"}, primary_key="k")
        storage.save({"email": "a", "n": 2}, primary_key="k")
        assert storage.get(dict, "k") == {"email": "a", "n": 2}

    def test_a_value_is_freed_by_delete_update_and_clear(self, storage: MemoryStorage) -> None:
        storage.ensure_index(Index("email", unique=True))
        storage.save({"email": "a"}, primary_key="k1")
        storage.delete("k1")
        storage.save({"email": "a"}, primary_key="k2")
        storage.find(email="a").update(email="b")
        storage.save({"email": "a"}, primary_key="k3")
        storage.clear()
        storage.save({"email": "a"}, primary_key="k4")
        storage.save({"email": "b"}, primary_key="k5")
        with pytest.raises(DuplicateKeyError):
            storage.save({"email": "b"})
        assert sorted(storage) == ["k4", "k5"]

    def test_an_update_creating_a_duplicate_writes_nothing(self, storage: MemoryStorage) -> None:
        storage.ensure_index(Index("email", unique=True))
        storage.save({"email": "a", "team": 1}, primary_key="k1")
        storage.save({"email": "b", "team": 1}, primary_key="k2")
        with pytest.raises(DuplicateKeyError, match=r"already holds 'c' \(record 'k[12]'\)"):
            storage.find(team=1).update(email="c")
        assert sorted(d["email"] for d in storage.find()) == ["a", "b"]
        assert storage.find(email="a").update(email="c") == 1

    def test_a_batch_with_a_duplicate_writes_nothing(self, storage: MemoryStorage) -> None:
        storage.ensure_index(Index("email", unique=True))
        with pytest.raises(DuplicateKeyError):
            storage.save_many([{"email": "a"}, {"email": "b"}, {"email": "a"}])
        assert len(storage) == 0

    def test_two_records_may_swap_values_in_one_batch(self, storage: MemoryStorage) -> None:
        storage.ensure_index(Index("email", unique=True))
        storage.save({"email": "a"}, primary_key="k1")
        storage.save({"email": "b"}, primary_key="k2")
        storage.put_records([("k1", {"email": "b"}), ("k2", {"email": "a"})])
        assert storage.get(dict, "k1") == {"email": "b"}

    def test_values_compare_as_queries_compare_them(self, storage: MemoryStorage) -> None:
        storage.ensure_index(Index("n", unique=True))
        storage.save({"n": 1})
        storage.save({"n": True})
        storage.save({"n": "1"})
        with pytest.raises(DuplicateKeyError, match=r"already holds 1.0"):
            storage.save({"n": 1.0})

    def test_missing_fields_never_collide_but_none_does(self, storage: MemoryStorage) -> None:
        storage.ensure_index(Index("email", unique=True))
        storage.save({"name": "no email"})
        storage.save({"name": "no email either"})
        storage.save({"email": None})
        with pytest.raises(DuplicateKeyError, match=r"already holds None"):
            storage.save({"email": None})

    def test_list_elements_collide(self, storage: MemoryStorage) -> None:
        storage.ensure_index(Index("tags", unique=True))
        storage.save({"tags": ["a", "b", "b"]})
        with pytest.raises(DuplicateKeyError, match=r"already holds 'b'"):
            storage.save({"tags": ["c", "b"]})
        storage.save({"tags": ["c"]})

    def test_compound_index_refuses_equal_combinations(self, storage: MemoryStorage) -> None:
        storage.ensure_index(Index("first", "last", unique=True, name="full_name"))
        storage.save({"first": "Ann", "last": "Lee"})
        storage.save({"first": "Ann", "last": "Kim"})
        storage.save({"first": "Ann"})
        with pytest.raises(
            DuplicateKeyError, match=r"'full_name' on first, last .* \('Ann', None\)"
        ):
            storage.save({"first": "Ann", "last": None})

    def test_existing_duplicates_prevent_the_index(self, storage: MemoryStorage) -> None:
        storage.save({"email": "a"}, primary_key="k1")
        storage.save({"email": "a"}, primary_key="k2")
        with pytest.raises(DuplicateKeyError, match=r"was not created: records 'k1' and 'k2'"):
            storage.ensure_index(Index("email", unique=True))
        storage.save({"email": "a"}, primary_key="k3")
        assert len(storage) == 3

    def test_same_index_twice_is_a_no_op_and_a_different_one_an_error(
        self, storage: MemoryStorage
    ) -> None:
        storage.ensure_index(Index("email", unique=True))
        storage.ensure_index(Index("email", unique=True))
        with pytest.raises(BackendError, match=r"index named 'email' already exists"):
            storage.ensure_index(Index("email"))

    def test_get_or_create_respects_the_index(self, storage: MemoryStorage) -> None:
        storage.ensure_index(Index("email", unique=True))
        storage.save({"email": "a", "name": "Ann"})
        with pytest.raises(DuplicateKeyError):
            storage.get_or_create(dict, email="a", name="Bob")


class TestConcurrency:
    def test_get_or_create_creates_once(self, storage: MemoryStorage) -> None:
        results: list[bool] = []
        start = threading.Barrier(8)

        def create() -> None:
            start.wait()
            results.append(storage.get_or_create(dict, name="once")[1])

        threads = [threading.Thread(target=create) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(results) == [False] * 7 + [True]
        assert len(storage) == 1

    def test_queries_read_a_snapshot_while_others_write(self, storage: MemoryStorage) -> None:
        storage.save_many([{"n": n} for n in range(100)])
        records = storage.find()
        iterator = iter(records)
        next(iterator)
        storage.save_many([{"n": n} for n in range(100, 200)])
        storage.find(n__lt=50).delete()
        assert sum(1 for _ in iterator) == 99
        assert storage.find().count() == 150


class TestFieldIndexes:
    """Indexed queries give the scan's answers, and read only what the index selects."""

    @staticmethod
    def mixed() -> list[dict[str, Any]]:
        return [
            {"v": 1},
            {"v": 1.0},
            {"v": True},
            {"v": None},
            {},
            {"v": float("nan")},
            {"v": [0, 5]},
            {"v": []},
            {"v": "1"},
            {"v": {"x": 1}},
            {"v": [[1, 2]]},
            {"v": [{"x": 3}, {"x": 9}]},
            {"v": datetime.date(2024, 1, 1)},
            {"v": datetime.datetime(2024, 1, 1, 12)},
            {"v": 3},
            {"v": -2.5},
        ]

    @pytest.mark.parametrize(
        "where",
        [
            Q(v=1),
            Q(v=None),
            Q(v=True),
            Q(v=[]),
            Q(v=[1, 2]),
            Q(v={"x": 1}),
            Q(v=float("nan")),
            Q(v=datetime.datetime(2024, 1, 1)),
            Q(v__in=[1, "1", None]),
            Q(v__contains_any=[5, True]),
            Q(v__gt=0),
            Q(v__gte=1),
            Q(v__lt=1),
            Q(v__lte=float("nan")),
            Q(v__gte=float("nan")),
            Q(v__between=(1, 4)),
            Q(v__between=(2, 4)),
            Q(v__gte="0"),
            Q(v__lt=datetime.date(2025, 1, 1)),
            Q(v__gt=0) & Q(v__lt=3),
            Q(v__gte=1) & ~Q(v=3),
            Q(**{"v.x__gte": 3}),
        ],
    )
    def test_indexed_answers_equal_the_scan(self, where: Q) -> None:
        scan, indexed = MemoryStorage(), MemoryStorage()
        indexed.ensure_index(Index("v"))
        indexed.ensure_index(Index("v.x"))
        for number, record in enumerate(self.mixed()):
            scan.save(record, f"k{number:02}")
            indexed.save(record, f"k{number:02}")
        for storage in (scan, indexed):  # rewrites and a delete keep the index current
            storage.save({"v": [1, 7]}, "k14")
            storage.delete("k15")
        expected = sorted(scan.find().where(where).keys())
        assert expected, "each case selects something"
        assert sorted(indexed.find().where(where).keys()) == expected
        assert indexed.find().where(where).count() == len(expected)
        assert list(indexed.find().where(where).order_by("-v").items()) == list(
            scan.find().where(where).order_by("-v").items()
        )

    def test_a_narrow_indexed_query_tests_only_its_candidates(self) -> None:
        storage = MemoryStorage()
        storage.save_many([{"n": n, "s": str(n)} for n in range(2000)])
        storage.ensure_index(Index("n"))
        tested: list[int] = []
        storage._data.records[storage.save({"n": 5})] = _Spy({"n": 5}, tested)
        assert storage.find(n=5).count() == 2
        assert storage.find(n__gte=1990).count() == 10
        assert tested == [1]  # the scan-free path read the spied record once

    def test_an_index_created_after_the_records_sees_them(self) -> None:
        storage = MemoryStorage()
        storage.save_many([{"tags": ["a", "b"]}, {"tags": ["b"]}, {"tags": "c"}])
        storage.ensure_index(Index("tags"))
        assert storage.find(tags="b").count() == 2
        storage.find(tags="c").update(tags=["a"])
        assert storage.find(tags="a").count() == 2
        storage.clear()
        assert storage.find(tags="a").count() == 0

    def test_top_of_an_order_equals_the_sorted_slice(self) -> None:
        storage = MemoryStorage()
        for number in range(300):
            storage.save({"a": number % 7, "b": [number % 5, -number % 3]}, f"k{number:03}")
        whole = list(storage.find().order_by("a", "-b").items())
        assert list(storage.find().order_by("a", "-b")[10:30].items()) == whole[10:30]
        whole = list(storage.find().order_by("-b", "a").items())
        assert list(storage.find().order_by("-b", "a")[:25].items()) == whole[:25]

    @staticmethod
    def ordered_pair() -> tuple[MemoryStorage, MemoryStorage]:
        """The same records (mixed types, lists, missing fields, ties) unindexed and indexed."""
        scan, indexed = MemoryStorage(), MemoryStorage()
        indexed.ensure_index(Index("v"))
        ties = [
            {"v": 1, "w": 2},
            {"v": 1.0, "w": 0},
            {"v": [3, -1], "w": 1},
            {"v": [True, "a"], "w": 2},
            {"v": [[]], "w": 0},
            {"v": [{"x": 1}, 2], "w": 1},
            {"v": [None, 9]},
            {"v": "a", "w": 1},
            {"w": 0},
        ]
        for number, record in enumerate(TestFieldIndexes.mixed() + ties):
            for storage in (scan, indexed):
                storage.save(record, f"k{number:02}")
        for storage in (scan, indexed):  # a rewrite and a delete keep the order current
            storage.save({"v": [7, 1], "w": 2}, "k14")
            storage.delete("k15")
            storage.save({"v": 3}, "k06")
        return scan, indexed

    @pytest.mark.parametrize("order", [("v",), ("-v",), ("v", "-w"), ("-v", "w")])
    @pytest.mark.parametrize("window", [slice(None), slice(0, 3), slice(2, 9), slice(5, None)])
    @pytest.mark.parametrize("where", [Q(), Q(w__gte=1), Q(v__gte=1), Q(v__in=[1, "a", None])])
    def test_an_ordered_window_read_off_the_index_equals_the_sort(
        self, order: tuple[str, ...], window: slice, where: Q
    ) -> None:
        scan, indexed = self.ordered_pair()
        expected = list(scan.find().where(where).order_by(*order)[window].items())
        assert expected, "each case selects something"
        assert list(indexed.find().where(where).order_by(*order)[window].items()) == expected

    @pytest.mark.parametrize("order", ["n", "-n"])
    def test_a_large_ordered_window_walks_the_index(self, order: str) -> None:
        scan, indexed = MemoryStorage(), MemoryStorage()
        indexed.ensure_index(Index("n"))
        records = [
            {"n": [number % 7, -number % 5] if number % 11 == 0 else number % 97, "m": number % 3}
            for number in range(3000)
        ]
        records[5] = {"m": 1}  # missing sorts with None, first ascending
        for number, record in enumerate(records):
            for storage in (scan, indexed):
                storage.save(record, f"r{number:04}")
        for storage in (scan, indexed):
            storage.save({"n": 1000, "m": 1}, "top")
        tested: list[int] = []
        indexed._data.records["top"] = _Spy({"n": 1000, "m": 1}, tested)
        for where in (Q(), Q(m=1)):
            expected = list(scan.find().where(where).order_by(order, "m")[3:40].items())
            assert list(indexed.find().where(where).order_by(order, "m")[3:40].items()) == expected
        # the walk stops at the window: the record of the largest value is tested (by m=1) only
        # when it tops the order, where a scan would test all 3001
        assert len(tested) == (1 if order == "-n" else 0)


class _Spy(dict[str, Any]):
    """A stored record that counts how often a query reads its fields."""

    def __init__(self, data: dict[str, Any], reads: list[int]) -> None:
        super().__init__(data)
        self.reads = reads

    def get(self, name: str, default: Any = None) -> Any:
        self.reads.append(1)
        return super().get(name, default)


class TestPrimitives:
    def test_count_applies_the_window(self, storage: MemoryStorage) -> None:
        storage.save_many([{"n": n} for n in range(10)])
        assert storage.count_records(QuerySpec(Q(n__gte=3), offset=2, limit=4)) == 4
        assert storage.count_records(QuerySpec(Q(n__gte=3), offset=6, limit=4)) == 1
        assert storage.count_records(QuerySpec(offset=20)) == 0

    def test_fetch_skips_missing_and_repeated_keys(self, storage: MemoryStorage) -> None:
        storage.save({"n": 1}, primary_key="a")
        storage.save({"n": 2}, primary_key=2)
        fetched = list(storage.fetch_records(["a", "zz", "a", 2]))
        assert len(fetched) == 2
        assert dict(fetched) == {"a": {"n": 1}, 2: {"n": 2}}


class TestPlugin:
    def test_backend_spec(self) -> None:
        (spec,) = plugin.doqu_backends()
        assert (spec.name, spec.schemes) == ("memory", ("memory",))
        assert spec.adapter == "doqu.memory._storage:MemoryStorage"

    def test_test_target_gives_fresh_stores_and_a_back_door(self) -> None:
        (target,) = plugin.doqu_test_targets()
        first, second = target.factory(), target.factory()
        first.save({"n": 1}, primary_key="k")
        assert len(second) == 0
        assert target.oracle is not None
        raw = target.oracle(first)
        assert raw.get("k") == {"n": 1}
        assert raw.get("absent") is None
        raw.put("j", {"n": ("written", "raw")})
        assert sorted(raw.keys()) == ["j", "k"]
        assert first.get(dict, "j") == {"n": ["written", "raw"]}
        raw.get("j")["n"].append("changed")
        assert first.get(dict, "j") == {"n": ["written", "raw"]}

    def test_oracle_needs_a_memory_storage(self) -> None:
        with pytest.raises(TypeError, match=r"MemoryOracle reads MemoryStorage only"):
            MemoryOracle(object())  # type: ignore[arg-type]
