"""Round trips to the server, counted with a pymongo command listener (real server only:
mongomock has no monitoring). The listener only records; the tests assert afterwards."""

from __future__ import annotations

from typing import Any

import pytest
from pymongo import monitoring

import doqu
from doqu import Document, Field, Q
from doqu._storage import SAVE_MANY_BATCH
from doqu_mongodb import MongoStorage


class Recorder(monitoring.CommandListener):
    """Records every command the client sends (pymongo swallows listener exceptions, so
    nothing is checked here)."""

    def __init__(self) -> None:
        self.commands: list[tuple[str, dict[str, Any]]] = []

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        self.commands.append((event.command_name, dict(event.command)))

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        pass

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        pass

    @property
    def names(self) -> list[str]:
        return [name for name, _ in self.commands]

    def clear(self) -> None:
        self.commands.clear()


class Item(Document):
    n = Field(int)


class Tagged(Document):
    """A view: records with a tag."""

    __view__ = Q(tag__exists=True)

    n: int


class EvenTagged(Tagged):
    """A view ANDed with its base's."""

    __view__ = Q(even=True)


@pytest.fixture
def target(real_url: str) -> str:
    return "mongodb"


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def watched(make_storage: Any, recorder: Recorder) -> MongoStorage:
    storage: MongoStorage = make_storage(event_listeners=[recorder])
    # FerretDB updates record by record: the written set is kept small
    storage.save_many({"n": n, "tag": f"t{n % 7}", "even": n % 2 == 0} for n in range(300))
    recorder.clear()
    return storage


class TestRoundTrips:
    def test_get_many_is_one_find(self, watched: MongoStorage, recorder: Recorder) -> None:
        keys = watched.save_many({"n": n} for n in range(3000))
        recorder.clear()
        documents = watched.get_many(dict, keys)
        assert documents == [{"n": n} for n in range(3000)]
        assert recorder.names == ["find"]
        assert len(recorder.commands[0][1]["filter"]["_id"]["$in"]) == 3000

    def test_get_is_one_find(self, watched: MongoStorage, recorder: Recorder) -> None:
        key = next(iter(watched))
        recorder.clear()
        watched.get(dict, key)
        assert key in watched
        assert recorder.names == ["find", "find"]

    def test_save_many_is_one_insert_per_batch(
        self, watched: MongoStorage, recorder: Recorder
    ) -> None:
        # core writes save_many in batches of SAVE_MANY_BATCH so that a failure can say which
        # keys were written: one insert per batch
        watched.save_many({"n": n} for n in range(5000))
        assert SAVE_MANY_BATCH == 1000
        assert recorder.names == ["insert"] * 5
        assert [len(c[1]["documents"]) for c in recorder.commands] == [1000] * 5

    def test_copy_into_an_empty_collection_is_a_count_and_one_insert_per_batch(
        self, make_storage: Any, recorder: Recorder
    ) -> None:
        source = doqu.connect("memory://")
        source.save_many({"n": n} for n in range(2500))
        target: MongoStorage = make_storage(event_listeners=[recorder])
        recorder.clear()
        assert doqu.copy(source, target) == 2500
        assert recorder.names == ["aggregate", "insert", "insert", "insert"]
        assert [len(c[1]["documents"]) for c in recorder.commands[1:]] == [1000, 1000, 500]
        assert "ordered" not in recorder.commands[1][1] or recorder.commands[1][1]["ordered"]

    def test_save_many_with_keys_is_one_update(
        self, watched: MongoStorage, recorder: Recorder
    ) -> None:
        items = [Item(n=n) for n in range(200)]
        for item in items:
            item.pk = f"k{item.n}"
        watched.save_many(items)
        assert recorder.names == ["update"]
        assert len(recorder.commands[0][1]["updates"]) == 200

    def test_count_is_one_command(self, watched: MongoStorage, recorder: Recorder) -> None:
        assert watched.find(even=True).count() == 150
        assert watched.find(even=True)[100:200].count() == 50
        assert len(watched) == 300
        assert recorder.names == ["aggregate", "aggregate", "aggregate"]

    def test_values_is_one_filtered_distinct(
        self, watched: MongoStorage, recorder: Recorder
    ) -> None:
        assert sorted(watched.find(n__lt=3).values("tag")) == ["t0", "t1", "t2"]
        assert recorder.names == ["distinct"]
        assert recorder.commands[0][1]["query"] == {"n": {"$lt": 3}}

    def test_exists_and_first_fetch_at_most_one(
        self, watched: MongoStorage, recorder: Recorder
    ) -> None:
        assert watched.find(even=False).exists()
        assert watched.find(even=False).order_by("-n").first() == {
            "n": 299,
            "tag": "t5",
            "even": False,
        }
        assert not watched.find(n=-1).exists()
        assert recorder.names == ["find", "find", "find"]
        assert all(command["limit"] == 1 for _, command in recorder.commands)

    def test_iteration_streams_in_batches(self, watched: MongoStorage, recorder: Recorder) -> None:
        watched.save_many({"n": n} for n in range(2700))
        recorder.clear()
        assert sum(1 for _ in watched.find()) == 3000
        assert recorder.names[0] == "find"
        assert recorder.commands[0][1]["batchSize"] == 1000
        assert recorder.names[1:] == ["getMore"] * (len(recorder.names) - 1)
        assert 2 <= len(recorder.names) - 1 <= 3

    def test_stopping_early_closes_the_cursor(
        self, watched: MongoStorage, recorder: Recorder
    ) -> None:
        watched.save_many({"n": n} for n in range(2700))
        recorder.clear()
        query = iter(watched.find())
        next(query)
        query.close()  # what dropping the iterator does
        assert recorder.names == ["find", "killCursors"]

    def test_query_delete_is_one_command_and_update_reads_then_writes_once(
        self, watched: MongoStorage, recorder: Recorder
    ) -> None:
        assert watched.find(even=True).update(flag=1) == 150
        assert watched.find(flag=1).delete() == 150
        # update() reads the matched records first, so that a change taking one of them over
        # doqu's limits is refused before any is written; then one update_many
        assert recorder.names == ["find", "update", "delete"]
        assert recorder.commands[0][1]["filter"] == recorder.commands[1][1]["updates"][0]["q"]
        assert recorder.commands[1][1]["updates"][0]["u"] == {"$set": {"flag": 1}}

    def test_get_or_create(self, watched: MongoStorage, recorder: Recorder) -> None:
        watched.get_or_create(dict, n=5)
        assert recorder.names == ["find"]
        recorder.clear()
        watched.get_or_create(dict, n=-5)
        assert recorder.names == ["find", "insert"]

    def test_a_query_through_a_view_is_one_native_filter(
        self, watched: MongoStorage, recorder: Recorder
    ) -> None:
        watched.save({"n": 4, "even": True}, "untagged")  # outside both views
        recorder.clear()
        found = sorted(item.n for item in watched.find(EvenTagged, n__lt=10))
        assert found == [0, 2, 4, 6, 8]
        assert watched.find(EvenTagged, n__lt=10).count() == 5
        assert watched.find(EvenTagged, n__lt=10).delete() == 5
        assert recorder.names == ["find", "aggregate", "delete"]
        native = {"$and": [{"tag": {"$exists": True}}, {"even": {"$eq": True}}, {"n": {"$lt": 10}}]}
        assert recorder.commands[0][1]["filter"] == native
        assert recorder.commands[1][1]["pipeline"][0] == {"$match": native}
        assert recorder.commands[2][1]["deletes"][0]["q"] == native
        assert watched.get(dict, "untagged") == {"n": 4, "even": True}
