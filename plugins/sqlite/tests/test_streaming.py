"""Iterating the keys streams them from a cursor: flat memory for any size, one snapshot each,
safe while other threads write."""

from __future__ import annotations

import threading
import tracemalloc

from doqu_sqlite import SQLiteStorage

COUNT = 50_000


def test_iterating_keys_holds_a_cursor_not_a_list(storage: SQLiteStorage) -> None:
    storage.save_many({"n": n} for n in range(COUNT))
    tracemalloc.start()
    try:
        seen = sum(1 for _ in storage)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert seen == COUNT
    # a list of 50,000 keys takes ~4 MB; one fetched chunk of them, a few dozen kB
    assert peak < 1_000_000


def test_each_iteration_sees_one_snapshot_while_others_write(storage: SQLiteStorage) -> None:
    storage.save_many({"n": n} for n in range(2000))
    counts: list[int] = []
    errors: list[BaseException] = []

    def read() -> None:
        try:
            for _ in range(5):
                keys = list(storage)
                assert len(keys) == len(set(keys))
                counts.append(len(keys))
        except BaseException as error:  # reported below, from the test's thread
            errors.append(error)

    def write() -> None:
        try:
            storage.save_many({"n": -n} for n in range(1000))
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=read) for _ in range(3)]
    threads.append(threading.Thread(target=write))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert len(counts) == 15
    assert set(counts) <= {2000, 3000}  # a batch is one transaction: all of it or none
    assert len(list(storage)) == 3000
    # an iteration left unfinished gives its connection back when closed
    partial = storage.iter_keys()
    next(partial)
    partial.close()
    assert len(storage) == 3000
