"""Several threads on one storage: only where the backend declares ``thread_safe``, and
``get_or_create`` races only where it declares ``atomic_get_or_create`` too."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from ..._storage import StorageAdapter
from .._fixtures import Oracle, StorageFixtures
from .._requirements import requires

__all__ = ["ConcurrencyContract"]

THREADS = 8
T = TypeVar("T")


def together(work: Callable[[int], T]) -> list[T]:
    """Run ``work(0)`` .. ``work(THREADS - 1)`` in threads released at the same moment."""
    start = threading.Barrier(THREADS)

    def run(index: int) -> T:
        start.wait()
        return work(index)

    with ThreadPoolExecutor(THREADS) as pool:
        return list(pool.map(run, range(THREADS)))


class ConcurrencyContract(StorageFixtures):
    """Concurrent writers and readers."""

    @requires("thread_safe")
    def test_concurrent_saves_under_given_keys_all_land(
        self, storage: StorageAdapter, raw: Oracle
    ) -> None:
        def save(thread: int) -> None:
            for n in range(50):
                storage.save({"thread": thread, "n": n}, f"t{thread}-{n}")

        together(save)
        assert len(storage) == THREADS * 50
        assert set(raw.keys()) == {f"t{t}-{n}" for t in range(THREADS) for n in range(50)}
        assert raw.get("t7-49") == {"thread": 7, "n": 49}

    @requires("thread_safe")
    def test_concurrent_saves_get_distinct_new_keys(self, storage: StorageAdapter) -> None:
        def save(thread: int) -> list[object]:
            return [storage.save({"thread": thread}) for _ in range(50)]

        saved = [key for keys in together(save) for key in keys]
        assert len(set(saved)) == THREADS * 50
        assert len(storage) == THREADS * 50

    @requires("thread_safe")
    def test_concurrent_readers_see_whole_records(self, storage: StorageAdapter) -> None:
        storage.save({"a": 0, "b": 0}, "shared")

        def work(thread: int) -> set[tuple[int, int]]:
            seen = set()
            for n in range(100):
                if thread % 2:
                    storage.save({"a": n, "b": n}, "shared")
                else:
                    record = storage.get(dict, "shared")
                    seen.add((record["a"], record["b"]))
            return seen

        pairs = set().union(*together(work))
        assert all(a == b for a, b in pairs)

    @requires("thread_safe")
    def test_concurrent_deletes_of_one_key_succeed_once(self, storage: StorageAdapter) -> None:
        storage.save({"n": 1}, "doomed")

        def delete(thread: int) -> bool:
            try:
                storage.delete("doomed")
            except KeyError:
                return False
            return True

        assert together(delete).count(True) == 1
        assert len(storage) == 0

    @requires("thread_safe")
    def test_concurrent_query_updates_all_apply(self, storage: StorageAdapter) -> None:
        storage.save_many({"thread": thread, "n": 0} for thread in range(THREADS))

        def update(thread: int) -> int:
            return sum(storage.find(thread=thread).update(n=n) for n in range(1, 21))

        assert together(update) == [20] * THREADS
        assert sorted(storage.find().values("n")) == [20]

    @requires("atomic_get_or_create", "thread_safe")
    def test_racing_get_or_create_creates_exactly_one_record(
        self, storage: StorageAdapter, raw: Oracle
    ) -> None:
        def race(email: str) -> list[tuple[dict[str, object], bool]]:
            return together(lambda _: storage.get_or_create(dict, email=email))

        for round_ in range(10):
            email = f"user{round_}@example.org"
            results = race(email)
            assert [created for _, created in results].count(True) == 1
            assert all(document == {"email": email} for document, _ in results)
        assert len(storage) == 10
        assert sorted(record["email"] for record in map(raw.get, raw.keys()) if record) == [
            f"user{round_}@example.org" for round_ in range(10)
        ]
