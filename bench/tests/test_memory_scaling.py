"""``python -m bench.memory`` runs end to end at a tiny size: its JSON and chart, never speed."""

from __future__ import annotations

import json
from pathlib import Path

from bench.memory._cli import main
from bench.memory._contenders import CONTENDERS, OPS


def test_memory_scaling_writes_results_and_a_chart(tmp_path: Path) -> None:
    output = tmp_path / "memory.json"
    assert main(["--sizes", "300", "600", "--rounds", "1", "--output", str(output)]) == 0
    medians = json.loads(output.read_text(encoding="utf-8"))["median_cpu_s"]
    assert set(medians) == {"300", "600"}
    for ops in medians.values():
        assert list(ops) == list(OPS)
        for by in ops.values():
            assert set(by) == {kind.name for kind in CONTENDERS}
            assert all(seconds >= 0 for seconds in by.values())
    assert output.with_suffix(".png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
