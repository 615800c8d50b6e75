"""Acknowledged writes survive a kill of the writing process (capability ``durable``).

A child process (:mod:`doqu.contract._writer`) saves records into the storage under test —
single saves under new keys, overwrites of earlier keys, ``save_many`` batches of both — and is
killed with SIGKILL at a random moment; several rounds run on the same storage, overwriting
each other's keys. Then the storage is reopened and every write the child acknowledged is
checked: each key holds the record of its last acknowledged write, or of the one write in
flight when the child died, and nothing else is stored. The target gives the URL the child
connects to (``Target.connect_args``).
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from ..._hookspecs import Target
from ..._storage import StorageAdapter
from .._fixtures import StorageFixtures
from .._requirements import requires
from .._writer import record_for

__all__ = ["DurabilityContract", "Journal"]

ROUNDS = int(os.environ.get("DOQU_CONTRACT_KILL_ROUNDS", "6"))
#: how long a round may take to acknowledge its first write (the child imports doqu first)
START_TIMEOUT = 30.0


@dataclass
class Journal:
    """What the writers said: the last acknowledged write of each key, and those in flight."""

    acknowledged: dict[str, str] = field(default_factory=dict)  # key's str form -> write id
    in_flight: dict[str, str | None] = field(default_factory=dict)  # write id -> key or None
    writes: int = 0

    def read(self, path: Path) -> None:
        """Take in one round's journal (its last line may be torn by the kill)."""
        pending: dict[str, str | None] = {}
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                entry = json.loads(line)
            except ValueError:
                break  # the line the kill cut short: its write was never acknowledged
            if "begin" in entry:
                pending = dict(entry["begin"])
                continue
            for write, key in entry["ack"]:
                self.acknowledged[key] = write
                self.writes += 1
                # an older write in flight to this key must not show any more
                self.in_flight = {w: k for w, k in self.in_flight.items() if k != key}
            pending = {}
        self.in_flight.update(pending)

    def problems(self, stored: dict[str, dict[str, Any]]) -> list[str]:
        """How ``stored`` (key string -> record) differs from what the writers acknowledged."""
        found = []
        for key, write in self.acknowledged.items():
            record = stored.get(key)
            if record is None:
                found.append(f"acknowledged write {write} under key {key!r} is lost")
            elif not _intact(record) or (
                record["w"] != write and self.in_flight.get(record["w"]) != key
            ):
                found.append(f"key {key!r} holds {_short(record)}, not write {write}")
        for key, record in stored.items():
            if key in self.acknowledged:
                continue
            if not _intact(record) or self.in_flight.get(record["w"], "?") not in (key, None):
                found.append(f"key {key!r} holds {_short(record)}, which no writer wrote there")
        return found


def _intact(record: dict[str, Any]) -> bool:
    """Whether ``record`` is whole: exactly what its write stores."""
    return isinstance(record.get("w"), str) and record == record_for(record["w"])


def _short(record: dict[str, Any]) -> str:
    return repr({name: str(value)[:20] for name, value in record.items()})


def run_round(
    target: Target, storage: StorageAdapter, journal: Path, round_: int, seed: int
) -> None:
    """Start a writer on ``storage``, wait for its first acknowledgement, kill it at random."""
    assert target.connect_args is not None
    url, options = target.connect_args(storage)
    arguments = [str(journal), url, json.dumps(options), str(seed), str(round_)]
    child = subprocess.Popen(
        [sys.executable, "-m", "doqu.contract._writer", *arguments],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while '"ack"' not in (journal.read_text(encoding="utf-8") if journal.exists() else ""):
            if child.poll() is not None or time.monotonic() > deadline:
                _, error = child.communicate(timeout=5)
                pytest.fail(f"the writer acknowledged nothing: {error.decode()[-2000:]}")
            time.sleep(0.02)
        time.sleep(random.Random(seed).uniform(0.0, 0.5))
    finally:
        child.send_signal(signal.SIGKILL)
        child.communicate(timeout=30)


class DurabilityContract(StorageFixtures):
    """A writer killed at random moments loses no acknowledged write."""

    @requires("durable")
    def test_durable_acknowledged_writes_survive_a_kill(
        self, storage: StorageAdapter, contract_target: Target, tmp_path: Path
    ) -> None:
        if contract_target.connect_args is None:
            pytest.fail(
                f"target {contract_target.name!r} declares 'durable' but gives no connect_args, "
                "so no other process can reach its storages; set Target.connect_args"
            )
        storage.close()  # the writers own the storage until they are killed
        journal = Journal()
        seed = random.randrange(2**32)
        for round_ in range(1, ROUNDS + 1):
            path = tmp_path / f"round-{round_}.jsonl"
            run_round(contract_target, storage, path, round_, seed + round_)
            journal.read(path)
        storage.reconnect()
        stored = {storage.key_to_str(key): record for key, record in storage.find().items()}
        problems = journal.problems(stored)
        assert not problems, (
            f"{len(problems)} problem(s) after {ROUNDS} killed rounds, {journal.writes} "
            f"acknowledged writes (seed {seed}): " + "; ".join(problems[:10])
        )
        assert journal.writes >= ROUNDS
        print(f"durability: {ROUNDS} rounds, {journal.writes} acknowledged writes, none lost")
