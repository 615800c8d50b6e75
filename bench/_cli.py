"""``python -m bench``: run the benchmarks, print the table and targets, write the JSON."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from ._bars import draw_ratios
from ._report import render, rows, write_json
from ._runner import BenchmarkError, run
from ._workloads import WORKLOAD_NAMES, workloads

__all__ = ["main"]

_RESULTS = Path(__file__).resolve().parent / "results"
_URL_VARIABLE = "DOQU_MONGODB_URL"
#: sizes, rounds and warm-up of ``--smoke``: enough to run every code path, quickly
_SMOKE_SCALE, _SMOKE_ROUNDS, _SMOKE_WARMUP = 0.002, 1, 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Benchmark doqu-mongodb against raw pymongo and mongoengine on one server.",
    )
    parser.add_argument(
        "--url",
        default=os.environ.get(_URL_VARIABLE),
        help=f"the MongoDB server (default: ${_URL_VARIABLE}); a database of its own is "
        "created there and dropped at the end",
    )
    parser.add_argument(
        "--scale", type=float, default=1.0, help="multiply every workload's size (default 1)"
    )
    parser.add_argument("--rounds", type=int, default=3, help="measured rounds (default 3)")
    parser.add_argument(
        "--warmup", type=int, default=1, help="warm-up rounds, not measured (default 1)"
    )
    parser.add_argument(
        "--only",
        action="append",
        choices=WORKLOAD_NAMES,
        metavar="WORKLOAD",
        help=f"run only this workload (repeatable): {', '.join(WORKLOAD_NAMES)}",
    )
    parser.add_argument(
        "--smoke",
        action="store_true",
        help=f"tiny sizes (scale {_SMOKE_SCALE}), {_SMOKE_ROUNDS} round after "
        f"{_SMOKE_WARMUP} warm-up: checks that the harness works, measures nothing",
    )
    parser.add_argument(
        "--output",
        type=Path,
        help=f"where to write the JSON results (default {_RESULTS.name}/latest.json, "
        f"{_RESULTS.name}/smoke.json with --smoke)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark; return the exit status (targets not met still exit 0)."""
    parser = _parser()
    args = parser.parse_args(argv)
    if not args.url:
        parser.error(
            f"no server: set {_URL_VARIABLE} or pass --url mongodb://HOST:PORT "
            "(./dev bench starts a FerretDB server and sets it)"
        )
    if args.smoke:
        args.scale, args.rounds, args.warmup = _SMOKE_SCALE, _SMOKE_ROUNDS, _SMOKE_WARMUP
    if args.scale <= 0 or args.rounds < 1 or args.warmup < 0:
        parser.error(
            f"--scale must be > 0, --rounds >= 1 and --warmup >= 0; got {args.scale!r}, "
            f"{args.rounds!r} and {args.warmup!r}"
        )
    output = args.output or _RESULTS / ("smoke.json" if args.smoke else "latest.json")
    selected = [w for w in workloads(args.scale) if not args.only or w.name in args.only]
    print(f"running {len(selected)} workloads, {args.rounds} rounds each", file=sys.stderr)
    try:
        result = run(
            args.url,
            selected,
            rounds=args.rounds,
            warmup=args.warmup,
            settings={"scale": args.scale, "smoke": args.smoke},
        )
    except BenchmarkError as error:
        print(f"benchmark failed: {error}", file=sys.stderr)
        return 1
    table = rows(result)
    write_json(output, result, table)
    chart = output.with_suffix(".png")
    draw_ratios(output, chart)
    print(render(result, table))
    print(f"\nwrote {output} and {chart}")
    return 0
