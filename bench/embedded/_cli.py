"""``python -m bench.embedded``: doqu's embedded backends against the limits and the peers.

The limits are raw sqlite3 (for doqu-sqlite) and a plain-Python floor (for memory://, with its
indexes and without: ``memory-scan``). Each size's data is loaded once into every contender
by an untimed setup (bulk insert gets a fresh contender per run); the contenders then take
turns, each round starting with the next one, after a warm-up round. The table shows the
median CPU time of the measured rounds (``time.thread_time``: everything here runs in this
thread) and its ratio to raw sqlite3 and to the floor. Every contender's result must equal raw
sqlite3's. The results go to a JSON file and a log-log chart of CPU per operation against N.
"""

from __future__ import annotations

import argparse
import gc
import json
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ._chart import draw
from ._contenders import CORE, PEERS, Contender, Floor, RawSQLite

__all__ = ["main"]

_RESULTS = Path(__file__).resolve().parents[1] / "results"
CITIES = ["Oslo", "Bergen", "Lund", "Turku", "Aarhus", "Tromsø", "Malmö"]
_Work = Callable[[Contender, list[Any], int], Any]


def repeats(size: int) -> int:
    """How often the query workloads repeat their query: enough to measure, not hours at 1M."""
    return 20 if size <= 100_000 else 2


def _emails(size: int) -> list[str]:
    return [f"p{i}@example.org" for i in range(0, size, max(1, size // repeats(size)))]


#: workload -> what one run does, given a loaded contender, its keys and the size
WORKLOADS: dict[str, _Work] = {
    "bulk_insert": lambda c, keys, n: len(c.insert(rows(n))),
    "get_by_key": lambda c, keys, n: c.get_by_key(keys[:1000]),
    "get_many": lambda c, keys, n: c.get_many(keys[-1000:]),
    "indexed_equality": lambda c, keys, n: [c.equality(age) for age in range(40, 40 + repeats(n))],
    "unique": lambda c, keys, n: [c.unique(email) for email in _emails(n)],
    "range_order_slice": lambda c, keys, n: [c.range_slice() for _ in range(repeats(n))],
    "count": lambda c, keys, n: [c.count() for _ in range(repeats(n))],
    "distinct": lambda c, keys, n: [c.distinct() for _ in range(repeats(n))],
}


def operations(workload: str, size: int) -> int:
    """How many operations one run of ``workload`` does (records, for a bulk insert)."""
    if workload == "bulk_insert":
        return size
    if workload in ("get_by_key", "get_many"):
        return min(1000, size)
    return len(_emails(size)) if workload == "unique" else repeats(size)


def rows(n: int) -> list[dict[str, Any]]:
    """``n`` people, the same for every contender."""
    return [
        {
            "name": f"person {i}",
            "email": f"p{i}@example.org",
            "age": i % 90,
            "score": (i * 7919 % 100_003) / 10,
            "active": i % 3 != 0,
            "city": CITIES[i % len(CITIES)],
            "tags": ["a", "b"] if i % 2 else ["c"],
        }
        for i in range(n)
    ]


def _sample(work: _Work, contender: Contender, keys: list[Any], size: int) -> tuple[float, Any]:
    gc.collect()
    start = time.thread_time()
    result = work(contender, keys, size)
    return time.thread_time() - start, result


class _Round:
    """The contenders of one size, and the fresh directories they work in."""

    def __init__(self, size: int, kinds: Sequence[type[Contender]]) -> None:
        self.size, self.kinds = size, list(kinds)
        self.root = Path(tempfile.mkdtemp(prefix="doqu-bench-embedded-"))
        self.made = 0

    def fresh(self, kind: type[Contender]) -> Contender:
        self.made += 1
        directory = self.root / f"{kind.name.strip(':/')}-{self.made}"
        directory.mkdir()
        return kind(str(directory))

    def measure(
        self, workload: str, loaded: dict[str, tuple[Contender, list[Any]]] | None, rounds: int
    ) -> dict[str, dict[str, float]]:
        """Median CPU seconds of each contender on ``workload`` (bulk insert: ``loaded`` None)."""
        work, size = WORKLOADS[workload], self.size
        samples: dict[str, list[float]] = {kind.name: [] for kind in self.kinds}
        for round_ in range(rounds + 1):  # the first round warms up
            shift = round_ % len(self.kinds)
            results: dict[str, Any] = {}
            for kind in self.kinds[shift:] + self.kinds[:shift]:
                keys: list[Any] = []
                if loaded is None:
                    contender = self.fresh(kind)
                else:
                    contender, keys = loaded[kind.name]
                try:
                    spent, results[kind.name] = _sample(work, contender, keys, size)
                finally:
                    if loaded is None:
                        contender.close()
                if round_:
                    samples[kind.name].append(spent)
            expected = results[RawSQLite.name]
            for name, result in results.items():
                if result != expected:
                    raise RuntimeError(
                        f"{name} computed {result!r:.200} in {workload} at {size}, raw sqlite3 "
                        f"{expected!r:.200}: not the same work"
                    )
        return {name: {"cpu_median_s": statistics.median(runs)} for name, runs in samples.items()}


def run_size(
    size: int, kinds: Sequence[type[Contender]], workloads: Sequence[str], rounds: int
) -> dict[str, dict[str, dict[str, float]]]:
    """Every workload at ``size``: workload -> contender -> figures."""
    round_ = _Round(size, kinds)
    loaded: dict[str, tuple[Contender, list[Any]]] = {}
    measured: dict[str, dict[str, dict[str, float]]] = {}
    try:
        for workload in workloads:
            if workload == "bulk_insert":
                measured[workload] = round_.measure(workload, None, rounds)
                continue
            if not loaded:
                data = rows(size)
                for kind in kinds:
                    contender = round_.fresh(kind)
                    loaded[kind.name] = (contender, contender.load(data))
            measured[workload] = round_.measure(workload, loaded, rounds)
    finally:
        for contender, _ in loaded.values():
            contender.close()
        shutil.rmtree(round_.root, ignore_errors=True)
    return measured


def table(results: dict[str, dict[str, dict[str, float]]]) -> str:
    """A Markdown table: CPU per operation, and each contender's ratio to both limits."""
    lines = [
        "| workload | N | contender | CPU µs/op | x sqlite3 | x floor |",
        "|---|---|---|---:|---:|---:|",
    ]
    for key, measured in results.items():
        workload, size = key.split("/")
        ops = operations(workload, int(size))
        raw, floor = measured[RawSQLite.name]["cpu_median_s"], measured[Floor.name]["cpu_median_s"]
        for name, figures in measured.items():
            cpu = figures["cpu_median_s"]
            lines.append(
                f"| {workload} | {int(size):,} | {name} | {cpu * 1e6 / ops:,.1f} "
                f"| {cpu / raw:.2f} | {cpu / floor:.2f} |"
            )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.embedded",
        description="doqu-sqlite and memory:// against raw sqlite3, a plain-Python floor and "
        "the embedded peers, at several sizes.",
    )
    parser.add_argument(
        "--sizes", default="10000,100000,1000000", help="record counts (default 10k, 100k, 1M)"
    )
    parser.add_argument("--peer-sizes", default="10000,100000", help="sizes the peers run at")
    parser.add_argument("--rounds", type=int, default=3, help="measured rounds (default 3)")
    parser.add_argument("--only", action="append", choices=list(WORKLOADS), metavar="WORKLOAD")
    parser.add_argument("--no-peers", action="store_true", help="the limits and doqu only")
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, one round: harness check")
    parser.add_argument("--output", type=Path, help="JSON results (default results/embedded.json)")
    args = parser.parse_args(argv)
    sizes = [int(size) for size in args.sizes.split(",")]
    peer_sizes = {int(size) for size in args.peer_sizes.split(",")}
    if args.smoke:
        sizes, peer_sizes, args.rounds = [300], {300}, 1
    output = args.output or _RESULTS / ("embedded-smoke.json" if args.smoke else "embedded.json")
    workloads = args.only or list(WORKLOADS)
    results: dict[str, dict[str, dict[str, float]]] = {}
    for size in sizes:
        peers = () if args.no_peers or size not in peer_sizes else PEERS
        kinds = [*CORE, *(kind for kind in peers if (kind.max_size or size) >= size)]
        for workload, measured in run_size(size, kinds, workloads, args.rounds).items():
            results[f"{workload}/{size}"] = measured
        # written as it goes: a long run keeps what it measured
        output.parent.mkdir(exist_ok=True)
        output.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    ordered = {f"{w}/{s}": results[f"{w}/{s}"] for w in workloads for s in sizes}
    output.write_text(json.dumps(ordered, indent=2) + "\n", encoding="utf-8")
    print(table(ordered))
    chart = output.with_suffix(".png")
    draw(ordered, operations, chart)
    print(f"\nwrote {output} and {chart}")
    return 0
