"""Every acknowledged write survives a kill -9 of the writing process, in every round.

A child process saves records (one at a time, in batches, and by update) and prints each key
once the call returned; the parent kills it with SIGKILL at a random moment, reopens the file
and checks that every printed key is there with its record.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from doqu_sqlite import SQLiteStorage

ROUNDS = 6
WRITER = """
import sys
from doqu_sqlite import SQLiteStorage

storage = SQLiteStorage(sys.argv[1], collection="crash")
start = int(sys.argv[2])
for n in range(start, start + 1_000_000):
    if n % 3 == 0:
        storage.save({"n": n, "pad": "x" * 200}, f"k{n}")
        acked = [f"k{n}"]
    elif n % 3 == 1:
        acked = storage.save_many([{"n": n, "i": i, "pad": "y" * 200} for i in range(5)])
    else:
        storage.save({"n": n, "state": "new"}, f"k{n}")
        storage.find(n=n).update(state="done")
        acked = [f"k{n}"]
    print(" ".join(acked), flush=True)
"""


def _kill_after(process: subprocess.Popen[str], seconds: float) -> None:
    time.sleep(seconds)
    os.kill(process.pid, signal.SIGKILL)


def test_acknowledged_writes_survive_kill_9(tmp_path: Path) -> None:
    path = str(tmp_path / "crash.db")
    rng = random.Random(20261202)
    acked: list[str] = []
    start = 0
    for _ in range(ROUNDS):
        process = subprocess.Popen(
            [sys.executable, "-c", WRITER, path, str(start)],
            stdout=subprocess.PIPE,
            text=True,
        )
        killer = threading.Thread(target=_kill_after, args=(process, rng.uniform(0.6, 1.5)))
        killer.start()
        assert process.stdout is not None
        lines = process.stdout.read().split("\n")
        killer.join()
        assert process.wait(timeout=30) == -signal.SIGKILL
        # a line cut short by the kill was never acknowledged
        complete = lines[:-1]
        acked.extend(key for line in complete for key in line.split())
        start += 1_000_000
    assert len(acked) > ROUNDS * 10, "the writer acknowledged too few writes to test anything"
    with SQLiteStorage(path, collection="crash") as storage:
        stored = set(storage)
        lost = [key for key in acked if key not in stored]
        print(f"\n{ROUNDS} rounds, {len(acked)} acknowledged writes, {len(lost)} lost")
        assert lost == []
        updated = [key for key in acked if key.startswith("k") and int(key[1:]) % 3 == 2]
        records = storage.get_many(dict, updated)
        assert all(record["state"] == "done" for record in records)
