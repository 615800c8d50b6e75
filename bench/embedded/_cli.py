"""``python -m bench.embedded``: doqu-sqlite against raw sqlite3 and the embedded peers.

Each workload runs on each size; the contenders alternate (``A B C A B C ...``) after one
warm-up round, every run on data loaded by an untimed setup, and the table shows the median
CPU time of the measured rounds (``time.thread_time``: everything here runs in this thread)
and its ratio to raw sqlite3. Every contender's result must equal raw sqlite3's.
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

from ._contenders import CORE, PEERS, Contender, RawSQLite

__all__ = ["main"]

_RESULTS = Path(__file__).resolve().parents[1] / "results"
CITIES = ["Oslo", "Bergen", "Lund", "Turku", "Aarhus", "Tromsø", "Malmö"]
#: workload -> what one run does, given a loaded contender and its keys
WORKLOADS: dict[str, Callable[[Contender, list[Any], int], Any]] = {
    "bulk_insert": lambda c, keys, n: len(c.insert(rows(n))),
    "get_by_key": lambda c, keys, n: c.get_by_key(keys[:1000]),
    "get_many": lambda c, keys, n: c.get_many(keys[-1000:]),
    "indexed_equality": lambda c, keys, n: [c.equality(age) for age in range(40, 60)],
    "range_order_slice": lambda c, keys, n: [c.range_slice() for _ in range(20)],
    "count": lambda c, keys, n: [c.count() for _ in range(20)],
    "distinct": lambda c, keys, n: [c.distinct() for _ in range(20)],
}


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


def _sample(
    workload: str, contender: Contender, keys: list[Any], size: int
) -> tuple[float, float, Any]:
    gc.collect()
    work = WORKLOADS[workload]
    wall, cpu = time.perf_counter(), time.thread_time()
    result = work(contender, keys, size)
    return time.thread_time() - cpu, time.perf_counter() - wall, result


def run_one(
    workload: str, size: int, kinds: Sequence[type[Contender]], rounds: int, warmup: int
) -> dict[str, dict[str, float]]:
    """Median CPU and wall seconds of each contender on one workload and size."""
    root = Path(tempfile.mkdtemp(prefix="doqu-bench-embedded-"))
    data = rows(size)
    samples: dict[str, list[tuple[float, float]]] = {kind.name: [] for kind in kinds}
    loaded: dict[str, tuple[Contender, list[Any]]] = {}
    try:
        for round_ in range(warmup + rounds):
            expected: Any = None
            for kind in kinds:
                if workload == "bulk_insert" or kind.name not in loaded:
                    if kind.name in loaded:
                        loaded.pop(kind.name)[0].close()
                    directory = root / f"{kind.name.strip(':/')}-{round_}"
                    directory.mkdir()
                    contender = kind(str(directory))
                    keys = [] if workload == "bulk_insert" else contender.load(data)
                    loaded[kind.name] = (contender, keys)
                contender, keys = loaded[kind.name]
                cpu, wall, result = _sample(workload, contender, keys, size)
                if kind is RawSQLite:
                    expected = result
                elif result != expected:
                    raise RuntimeError(
                        f"{kind.name} computed {result!r:.200} in {workload} at {size}, raw "
                        f"sqlite3 {expected!r:.200}: not the same work"
                    )
                if round_ >= warmup:
                    samples[kind.name].append((cpu, wall))
    finally:
        for contender, _ in loaded.values():
            contender.close()
        shutil.rmtree(root, ignore_errors=True)
    return {
        name: {
            "cpu_median_s": statistics.median(cpu for cpu, _ in runs),
            "wall_median_s": statistics.median(wall for _, wall in runs),
        }
        for name, runs in samples.items()
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.embedded", description=__doc__)
    parser.add_argument("--sizes", default="10000,100000", help="record counts (default 10k, 100k)")
    parser.add_argument("--peer-sizes", default="10000,100000", help="sizes the peers run at")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--only", action="append", choices=list(WORKLOADS), metavar="WORKLOAD")
    parser.add_argument("--no-peers", action="store_true", help="raw sqlite3 and doqu-sqlite only")
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, one round: harness check")
    parser.add_argument("--output", type=Path, help="JSON results (default results/embedded.json)")
    args = parser.parse_args(argv)
    sizes = [int(size) for size in args.sizes.split(",")]
    peer_sizes = {int(size) for size in args.peer_sizes.split(",")}
    if args.smoke:
        sizes, peer_sizes, args.rounds, args.warmup = [300], {300}, 1, 0
    output = args.output or _RESULTS / ("embedded-smoke.json" if args.smoke else "embedded.json")
    results: dict[str, Any] = {}
    print(f"{'workload':<18} {'size':>7}  {'contender':<12} {'cpu ms':>9} {'x sqlite3':>9}")
    for workload in args.only or list(WORKLOADS):
        for size in sizes:
            peers = () if args.no_peers or size not in peer_sizes else PEERS
            kinds = [*CORE, *(kind for kind in peers if (kind.max_size or size) >= size)]
            measured = run_one(workload, size, kinds, args.rounds, args.warmup)
            results[f"{workload}/{size}"] = measured
            limit = measured[RawSQLite.name]["cpu_median_s"]
            for name, figures in measured.items():
                cpu = figures["cpu_median_s"]
                print(
                    f"{workload:<18} {size:>7}  {name:<12} {cpu * 1000:>9.2f} {cpu / limit:>9.2f}"
                )
            output.parent.mkdir(exist_ok=True)  # written as it goes: a long run keeps its part
            output.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"results written to {output}")
    return 0
