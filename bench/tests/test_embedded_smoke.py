"""The embedded benchmark runs end to end at a tiny size, every contender agreeing on every
result (the runner stops on a disagreement): its output's structure and chart, never speed."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WORKLOADS = {
    "bulk_insert",
    "get_by_key",
    "get_many",
    "indexed_equality",
    "unique",
    "range_order_slice",
    "count",
    "distinct",
}
CONTENDERS = {
    "sqlite3",
    "floor",
    "doqu-sqlite",
    "memory://",
    "memory-scan",
    "mongomock",
    "tinydb",
    "montydb",
    "mongita",
}


def test_embedded_smoke_run_measures_every_contender(tmp_path: Path) -> None:
    output = tmp_path / "embedded.json"
    ran = subprocess.run(
        [sys.executable, "-m", "bench.embedded", "--smoke", "--output", str(output)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert ran.returncode == 0, ran.stderr
    results = json.loads(output.read_text(encoding="utf-8"))
    assert {key.split("/")[0] for key in results} == WORKLOADS
    for measured in results.values():
        assert set(measured) == CONTENDERS
        assert all(figures["cpu_median_s"] > 0 for figures in measured.values())
    assert "| x sqlite3 | x floor |" in ran.stdout
    assert output.with_suffix(".png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
