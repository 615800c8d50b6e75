"""Running the benchmark: every workload, every contender in alternation, several rounds."""

from __future__ import annotations

import os
import platform
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from typing import Any

import pymongo

from ._contenders import CONTENDERS, Contender
from ._data import people
from ._isolated import run_isolated
from ._measure import Sample, measure
from ._workloads import Workload

__all__ = ["BenchmarkError", "Run", "run"]

_BATCH = 10_000


class BenchmarkError(RuntimeError):
    """A contender did not do the workload's work, so its numbers would mean nothing."""


@dataclass(frozen=True)
class Run:
    """What a benchmark run measured: its header and the samples of each (workload, contender)."""

    header: dict[str, Any]
    workloads: list[Workload]
    contenders: list[str]
    #: measured samples (warm-up excluded), by workload name, then contender name
    samples: dict[str, dict[str, list[Sample]]]


def run(
    url: str,
    selected: Sequence[Workload],
    *,
    rounds: int,
    warmup: int,
    settings: dict[str, Any],
    progress: bool = True,
) -> Run:
    """Run ``selected`` workloads for every contender on the server at ``url``.

    Each round runs every contender once, in turn; the first ``warmup`` rounds are not kept.
    Everything happens in a database of its own, dropped at the end.
    """
    database = f"doqu_bench_{os.getpid()}_{int(time.time())}"
    admin: pymongo.MongoClient[dict[str, Any]] = pymongo.MongoClient(url)
    header = _header(admin, selected, rounds, warmup, settings)
    contenders: list[Contender] = []
    samples: dict[str, dict[str, list[Sample]]] = {}
    try:
        contenders = [kind(url, database) for kind in CONTENDERS]
        for workload in selected:
            collection = admin[database][workload.name]
            if not workload.reloads:
                _store(collection, workload.stored)
            running = [
                contender
                for contender in contenders
                if workload.contenders is None or contender.name in workload.contenders
            ]
            for contender in running:
                contender.use(workload.name)
            kept: dict[str, list[Sample]] = {contender.name: [] for contender in running}
            for round_ in range(warmup + rounds):
                # each contender goes first in turn: none always meets a cold (or warm) server
                turn = round_ % len(running)
                for contender in running[turn:] + running[:turn]:
                    if workload.reloads:
                        _store(collection, workload.stored)
                    sample = _run_once(workload, contender, url, database)
                    _check(workload, contender.name, sample, collection)
                    if round_ >= warmup:
                        kept[contender.name].append(sample)
            samples[workload.name] = kept
            collection.drop()
            if progress:
                _report_progress(workload, kept)
    finally:
        for contender in contenders:
            contender.close()
        admin.drop_database(database)
        admin.close()
    return Run(header, list(selected), [kind.name for kind in CONTENDERS], samples)


def _run_once(workload: Workload, contender: Contender, url: str, database: str) -> Sample:
    if workload.isolated:
        return run_isolated(contender.name, workload.name, url, database, workload.name)
    method = getattr(contender, workload.name)
    inputs = workload.inputs()
    return measure(lambda: method(*inputs), contender.counter)


def _store(collection: Any, stored: int) -> None:
    """Replace the collection's documents with people ``0..stored-1`` (not timed)."""
    collection.drop()
    for start in range(0, stored, _BATCH):
        collection.insert_many(people(range(start, min(stored, start + _BATCH)), keyed=True))


def _check(workload: Workload, contender: str, sample: Sample, collection: Any) -> None:
    result, expected = sample.result, workload.expected
    if isinstance(result, list):
        result = sorted(result)
    if result != expected:
        raise BenchmarkError(
            f"{contender} returned {_short(result)} for {workload.name}, expected "
            f"{_short(expected)}: its numbers would not measure the same work"
        )
    if workload.written is not None:
        where, count = workload.written
        found = collection.count_documents(where)
        if found != count:
            raise BenchmarkError(
                f"after {contender}'s {workload.name} the server holds {found} documents "
                f"matching {where!r}, expected {count}"
            )


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 200 else text[:200] + "..."


def _header(
    admin: pymongo.MongoClient[dict[str, Any]],
    selected: Sequence[Workload],
    rounds: int,
    warmup: int,
    settings: dict[str, Any],
) -> dict[str, Any]:
    info = admin.admin.command("buildInfo")
    ferretdb = info.get("ferretdbVersion")
    return {
        "server": {
            "name": "MongoDB" if ferretdb is None else "FerretDB",
            "version": info.get("version"),
            "ferretdb_version": ferretdb,
        },
        "python": platform.python_version(),
        "pymongo": _version("pymongo"),
        "mongoengine": _version("mongoengine"),
        "doqu": _version("doqu"),
        "doqu_mongodb": _version("doqu-mongodb"),
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cores": os.cpu_count(),
            "platform": platform.platform(),
            "processor": platform.machine(),
        },
        "sizes": {w.name: {"n": w.n, "stored": w.stored} for w in selected},
        "rounds": rounds,
        "warmup_rounds": warmup,
        **settings,
    }


def _version(distribution: str) -> str | None:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None


def _report_progress(workload: Workload, kept: dict[str, list[Sample]]) -> None:
    times = "  ".join(
        f"{name} {min(sample.wall_s for sample in runs):.3f}s" for name, runs in kept.items()
    )
    print(f"  {workload.name:<16} {times}", file=sys.stderr, flush=True)
