"""Two processes x four threads on one file: nothing lost, no lock errors, one get_or_create.

Each thread of each process saves records under its own keys and under generated keys,
updates a shared counter field by query, and races every other thread, in both processes,
through get_or_create on the same 20 slots.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from doqu_sqlite import SQLiteStorage

PROCESSES, THREADS, SAVES, SLOTS = 2, 4, 100, 20
WORKER = """
import sys, threading
from doqu_sqlite import SQLiteStorage

path, process, threads, saves, slots = sys.argv[1], sys.argv[2], *map(int, sys.argv[3:])
storage = SQLiteStorage(path, collection="shared")
barrier = threading.Barrier(threads)
created, errors = [], []

def work(thread):
    try:
        barrier.wait()
        for n in range(saves):
            storage.save({"p": process, "t": thread, "n": n}, f"{process}-{thread}-{n}")
            storage.save({"p": process, "generated": True})
        storage.find(p=process, t=thread).update(seen=True)
        for slot in range(slots):
            _, made = storage.get_or_create(dict, slot=slot)
            if made:
                created.append(slot)
    except Exception as error:
        errors.append(repr(error))

workers = [threading.Thread(target=work, args=(t,)) for t in range(threads)]
for worker in workers:
    worker.start()
for worker in workers:
    worker.join()
print(" ".join(map(str, created)))
print("|".join(errors))
"""


def test_two_processes_of_several_threads_lose_nothing(tmp_path: Path) -> None:
    path = str(tmp_path / "shared.db")
    SQLiteStorage(path, collection="shared").close()  # create the file and table once
    args = [str(THREADS), str(SAVES), str(SLOTS)]
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, path, f"p{n}", *args], stdout=subprocess.PIPE, text=True
        )
        for n in range(PROCESSES)
    ]
    outputs = [worker.communicate(timeout=240)[0].split("\n") for worker in workers]
    assert [worker.returncode for worker in workers] == [0] * PROCESSES
    assert [output[1] for output in outputs] == [""] * PROCESSES  # no errors, no "locked"
    created = sorted(int(slot) for output in outputs for slot in output[0].split())
    assert created == list(range(SLOTS))  # each slot made exactly once, by one thread
    with SQLiteStorage(path, collection="shared") as storage:
        given = PROCESSES * THREADS * SAVES
        assert storage.find(generated=True).count() == given
        assert storage.find(seen=True).count() == given
        assert storage.find(slot__exists=True).count() == SLOTS
        assert len(storage) == 2 * given + SLOTS
