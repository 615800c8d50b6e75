"""Atomic get_or_create across threads and processes; all-or-nothing batches; index use."""

from __future__ import annotations

import subprocess
import sys
import threading
from typing import Any

import psycopg
import pytest

from doqu import Index, Q
from doqu.errors import BackendError
from doqu_postgres import PostgresStorage
from doqu_postgres._compile import compile_condition

THREADS = 8
CALLS = 25


# a child process: connects, says ready, waits for "go", then races; prints how many it made
_RACER = f"""
import sys
from doqu_postgres import PostgresStorage
storage = PostgresStorage(sys.argv[1], collection=sys.argv[2])
print("ready", flush=True)
sys.stdin.readline()
made = [storage.get_or_create(dict, email="ann@example.com")[1] for _ in range({CALLS})]
print(made.count(True), flush=True)
"""


def test_get_or_create_creates_one_record_across_threads(storage: PostgresStorage) -> None:
    barrier = threading.Barrier(THREADS)
    created: list[bool] = []

    def call() -> None:
        barrier.wait()
        for _ in range(CALLS):
            created.append(storage.get_or_create(dict, email="ann@example.com")[1])

    threads = [threading.Thread(target=call) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert created.count(True) == 1
    assert len(created) == THREADS * CALLS
    assert len(storage) == 1


def test_get_or_create_creates_one_record_across_two_processes(
    url: str, storage: PostgresStorage
) -> None:
    command = [sys.executable, "-c", _RACER, url, storage.address.collection]
    racers = [
        subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    created = 0
    try:
        for racer in racers:
            assert racer.stdout is not None
            assert racer.stdout.readline().strip() == "ready"
        for racer in racers:
            assert racer.stdin is not None
            racer.stdin.write("go\n")
            racer.stdin.flush()
        for racer in racers:
            output, _ = racer.communicate(timeout=120)
            assert racer.returncode == 0
            created += int(output)
    finally:
        for racer in racers:
            if racer.poll() is None:
                racer.kill()
    assert created == 1
    assert len(storage) == 1


def test_save_many_writes_all_or_nothing(
    storage: PostgresStorage, raw: psycopg.Connection[Any]
) -> None:
    storage.save({"n": 0}, "old")
    # the server refuses the batch's last record, after the others were sent
    raw.execute(f"ALTER TABLE {storage.table} ADD CONSTRAINT no_two CHECK (doc->>'n' <> '2')")
    with pytest.raises(BackendError, match=r"PostgreSQL failed on .* table .*no_two"):
        storage.save_many([{"pk": "a", "n": 1}, {"n": 1}, {"pk": "b", "n": 2}])
    assert sorted(storage) == ["old"]


def test_ensure_index_makes_an_expression_index_the_planner_uses(
    storage: PostgresStorage, raw: psycopg.Connection[Any]
) -> None:
    storage.save_many([{"email": f"user{n}@example.com", "n": n} for n in range(2000)])
    storage.ensure_index(Index("email"))
    raw.execute(f"ANALYZE {storage.table}")
    raw.execute("SET enable_seqscan = off")  # a small table: make the planner show its choice
    compiled = compile_condition(Q(email="user7@example.com"))
    plan = raw.execute(
        f"EXPLAIN SELECT key, doc FROM {storage.table} WHERE {compiled.selection()}",
        compiled.params,
    ).fetchall()
    text = "\n".join(line for (line,) in plan)
    assert "Index Scan" in text or "Bitmap Index Scan" in text, text
    assert "email" in text, text
    assert storage.find(email="user7@example.com").count() == 1


def test_concurrent_query_updates_of_other_fields_lose_nothing(storage: PostgresStorage) -> None:
    # each update rewrites whole records: without the rows locked from read to write, one
    # thread's write would put back a record read before the other's
    storage.save_many([{"n": n} for n in range(20)])
    barrier = threading.Barrier(THREADS)

    def update(thread: int) -> None:
        barrier.wait()
        for round_ in range(1, 11):
            storage.find(n__gte=0).update(**{f"f{thread}": round_})

    threads = [threading.Thread(target=update, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    expected = {f"f{n}": 10 for n in range(THREADS)}
    for record in storage.find().order_by("n"):
        assert {k: v for k, v in record.items() if k.startswith("f")} == expected, record


def test_update_applies_to_rows_decided_on_the_client_only_when_they_match(
    storage: PostgresStorage,
) -> None:
    storage.save({"name": "Ann"}, "a")
    storage.save({"name": "Bob"}, "b")
    assert storage.find(name__matches="^A").update(hit=True) == 1
    assert storage.get(dict, "a") == {"name": "Ann", "hit": True}
    assert storage.get(dict, "b") == {"name": "Bob"}
