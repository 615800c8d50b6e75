"""The writer the durability contract kills: saves records into a storage until it is killed.

Run as ``python -m doqu.contract._writer JOURNAL URL OPTIONS SEED ROUND``: it connects with
``doqu.connect(URL, **json.loads(OPTIONS))`` and, forever, picks one of a single save under a
new key, an overwrite of a key it wrote before, and a ``save_many`` of new and overwritten
records. Before each write it appends a ``begin`` line naming the records it is about to
write to ``JOURNAL``, and after the write returns an ``ack`` line with their keys (in their
string form); each line is flushed to the kernel before the next step, so it survives the kill
(see ``test_durability``).
Every record is a function of its write id, so the checker rebuilds what each should hold.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import random
import sys
from typing import Any, TextIO

__all__ = ["record_for"]

#: the first run's keys are reused by later runs: overwrites cross rounds
_KEYS_PER_ROUND = 40


def record_for(write: str) -> dict[str, Any]:
    """The record write ``write`` stores: its id, an int past 2**31 and a payload of 0-4 kB."""
    digest = hashlib.sha256(write.encode()).hexdigest()
    return {"w": write, "n": 2**31 + int(digest[:8], 16), "payload": digest * int(digest[8], 16)}


def _log(journal: TextIO, kind: str, pairs: list[tuple[str, Any]]) -> None:
    journal.write(json.dumps({kind: pairs}) + "\n")
    journal.flush()  # in the kernel: a SIGKILL cannot lose it


def main(journal_path: str, url: str, options: str, seed: str, round_: str) -> None:
    import doqu

    storage = doqu.connect(url, **json.loads(options))
    chance = random.Random(int(seed))
    keys = [f"k{round_}-{n}" for n in range(_KEYS_PER_ROUND)] + [
        f"k0-{n}" for n in range(_KEYS_PER_ROUND)
    ]
    with open(journal_path, "a", encoding="utf-8") as journal:
        for step in range(sys.maxsize):
            kind = chance.choice(["new", "overwrite", "many"])
            size = chance.randint(2, 60) if kind == "many" else 1
            writes = [f"{round_}-{step}-{n}" for n in range(size)]
            given: list[str | None] = [
                chance.choice(keys) if kind == "overwrite" or chance.random() < 0.5 else None
                for _ in writes
            ]
            if kind == "many":  # one key at most once per batch: the last write would win
                given = [key if key not in given[:n] else None for n, key in enumerate(given)]
            _log(journal, "begin", list(zip(writes, given, strict=True)))
            if kind == "many":
                written = storage.save_many(
                    _Keyed(**record_for(write), pk=key)
                    for write, key in zip(writes, given, strict=True)
                )
            else:
                written = [storage.save(record_for(writes[0]), given[0])]
            _log(
                journal,
                "ack",
                [(w, storage.key_to_str(k)) for w, k in zip(writes, written, strict=True)],
            )


@dataclasses.dataclass
class _Keyed:
    """A record with the key to save it under (``None``: a new key), as ``save_many`` takes it."""

    w: str
    n: int
    payload: str
    pk: str | None


if __name__ == "__main__":
    main(*sys.argv[1:])
