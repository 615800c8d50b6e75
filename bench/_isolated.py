"""Running one workload in a fresh process, to measure how much its peak memory grows.

A process's peak memory is a high-water mark, so a run in the benchmark's own process would
report the largest run so far. The child builds its contender, resets and notes its peak
memory, runs the workload once and reports how far the peak grew, with wall, CPU and round
trips.
Run as ``python -m bench._isolated SPEC`` with a JSON spec; it prints one JSON object.
"""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from ._contenders import contender_named
from ._measure import Sample, measure, peak_rss_mb, reset_peak_rss

__all__ = ["run_isolated"]

_ROOT = Path(__file__).resolve().parent.parent


def run_isolated(contender: str, method: str, url: str, database: str, collection: str) -> Sample:
    """Run ``contender.method()`` once on ``collection`` in a fresh Python process."""
    spec = {
        "contender": contender,
        "method": method,
        "url": url,
        "database": database,
        "collection": collection,
    }
    # the child imports this package from where the parent did, whatever its working directory
    path = [str(_ROOT), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(path)}
    done = subprocess.run(
        [sys.executable, "-m", "bench._isolated", json.dumps(spec)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(
            f"the isolated {method} run of {contender} failed (exit {done.returncode}):\n"
            f"{done.stderr.strip()}"
        )
    report: dict[str, Any] = json.loads(done.stdout)
    return Sample(
        wall_s=report["wall_s"],
        cpu_s=report["cpu_s"],
        process_cpu_s=report["process_cpu_s"],
        commands=tuple(report["commands"]),
        result=report["result"],
        peak_rss_mb=report["peak_rss_mb"],
    )


def _main(spec: dict[str, Any]) -> dict[str, Any]:
    contender = contender_named(spec["contender"])(spec["url"], spec["database"])
    try:
        contender.use(spec["collection"])
        gc.collect()
        reset_peak_rss()
        baseline = peak_rss_mb()
        sample = measure(getattr(contender, spec["method"]), contender.counter)
        growth = peak_rss_mb() - baseline
    finally:
        contender.close()
    return {
        "wall_s": sample.wall_s,
        "cpu_s": sample.cpu_s,
        "process_cpu_s": sample.process_cpu_s,
        "commands": list(sample.commands),
        "result": sample.result,
        "peak_rss_mb": growth,
    }


if __name__ == "__main__":
    print(json.dumps(_main(json.loads(sys.argv[1]))))
