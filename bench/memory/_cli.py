"""``python -m bench.memory``: the ops at each size; prints ratios, writes JSON and a chart."""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

from .._data import people, person
from ._chart import draw
from ._contenders import CONTENDERS, OPS, Contender

__all__ = ["main"]

_RESULTS = Path(__file__).resolve().parents[1] / "results"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bench.memory",
        description="memory:// with and without indexes against a plain-Python floor.",
    )
    parser.add_argument(
        "--sizes",
        type=int,
        nargs="+",
        default=[10_000, 100_000, 1_000_000],
        help="collection sizes (default 10000 100000 1000000)",
    )
    parser.add_argument("--rounds", type=int, default=5, help="measured rounds (default 5)")
    parser.add_argument(
        "--output", type=Path, default=_RESULTS / "memory.json", help="the JSON results"
    )
    return parser


def _cpu(run: Callable[[], Any]) -> tuple[float, Any]:
    gc.collect()
    start = time.process_time()
    result = run()
    return time.process_time() - start, result


def _measure(size: int, rounds: int) -> dict[str, dict[str, float]]:
    """Median CPU seconds of each op by each contender at ``size``, contenders rotating."""
    rows = people(range(size))
    contenders: list[Contender] = [kind(rows) for kind in CONTENDERS]
    email = person(size // 2)["email"]
    medians: dict[str, dict[str, float]] = {}
    for op in OPS:
        times: dict[str, list[float]] = {contender.name: [] for contender in contenders}
        for round_ in range(rounds + 1):  # the first round warms up
            shift = round_ % len(contenders)
            results = []
            for contender in contenders[shift:] + contenders[:shift]:
                method = getattr(contender, op)
                args = (email,) if op == "unique" else ()
                spent, result = _cpu(partial(method, *args))
                results.append((contender.name, result))
                if round_:
                    times[contender.name].append(spent)
            if len({json.dumps(result) for _, result in results}) != 1:
                raise SystemExit(f"{op} at {size}: contenders disagree: {results!r}")
        medians[op] = {name: statistics.median(spent) for name, spent in times.items()}
        print(
            f"  {size:>9} {op:<10} "
            + "  ".join(f"{name} {spent * 1e3:.2f}ms" for name, spent in medians[op].items()),
            file=sys.stderr,
            flush=True,
        )
    return medians


def _table(results: dict[int, dict[str, dict[str, float]]]) -> str:
    lines = [
        "| N | op | floor | memory (scan) | memory-indexed | scan x floor | indexed x floor "
        "| scan ÷ indexed |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for size, ops in results.items():
        for op, by in ops.items():
            floor, scan, indexed = by["floor"], by["memory"], by["memory-indexed"]
            lines.append(
                f"| {size:,} | {op} | {floor * 1e3:.2f} ms | {scan * 1e3:.2f} ms "
                f"| {indexed * 1e3:.2f} ms | {scan / floor:.1f}x | {indexed / floor:.2f}x "
                f"| {scan / indexed:.0f}x |"
            )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    results = {size: _measure(size, args.rounds) for size in args.sizes}
    table = _table(results)
    print(table)
    header = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "cores": os.cpu_count(),
        "rounds": args.rounds,
        "clock": "time.process_time, median of the rounds; contenders rotate each round",
        "note": "the machine is shared with other work: CPU time, not wall time",
    }
    data = {"header": header, "median_cpu_s": {str(k): v for k, v in results.items()}}
    args.output.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    chart = args.output.with_suffix(".png")
    draw(results, chart)
    print(f"\nwrote {args.output} and {chart}")
    return 0
