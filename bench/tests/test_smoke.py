"""The benchmark harness runs end to end at tiny sizes: its output's structure, never speed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
WORKLOADS = [
    "bulk_insert",
    "save_one_by_one",
    "get_by_key",
    "get_many",
    "query",
    "query_keys",
    "query_all_fields",
    "count",
    "distinct",
    "update",
    "stream",
    "copy",
    "copy_upsert",
]
CONTENDERS = ["pymongo", "doqu-dict", "doqu-document", "mongoengine"]
#: the workloads only some contenders run
ONLY = {"copy": ["pymongo", "doqu-dict"], "copy_upsert": ["pymongo", "doqu-dict"]}
ROW_FIELDS = {
    "workload",
    "contender",
    "n",
    "wall_median_s",
    "wall_min_s",
    "wall_max_s",
    "n_per_s",
    "cpu_median_s",
    "process_cpu_median_s",
    "round_trips",
    "peak_rss_mb",
}
TARGETS = 5


class Smoke:
    def __init__(self, results: dict[str, Any], printed: str) -> None:
        self.results = results
        self.printed = printed


@pytest.fixture(scope="module")
def smoke(tmp_path_factory: pytest.TempPathFactory) -> Smoke:
    if not os.environ.get("DOQU_MONGODB_URL"):
        why = (
            "DOQU_MONGODB_URL is not set: the benchmark smoke run needs a MongoDB server "
            "(./dev test starts FerretDB and sets it)"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true: {why}")
        pytest.skip(f"!! SKIPPED THE BENCHMARK SMOKE RUN !! {why}")
    output = tmp_path_factory.mktemp("bench") / "latest.json"
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--smoke", "--output", str(output)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, f"python -m bench --smoke failed:\n{done.stderr}"
    return Smoke(json.loads(output.read_text(encoding="utf-8")), done.stdout)


def test_header_names_the_server_versions_and_sizes(smoke: Smoke) -> None:
    header = smoke.results["header"]
    assert header["server"]["name"] in {"FerretDB", "MongoDB"}
    assert isinstance(header["server"]["version"], str)
    for package in ("python", "pymongo", "mongoengine", "doqu", "doqu_mongodb"):
        assert isinstance(header[package], str), package
    assert isinstance(header["date"], str)
    assert header["machine"]["cores"] >= 1
    assert list(header["sizes"]) == WORKLOADS
    assert all(size["n"] >= 1 for size in header["sizes"].values())
    assert (header["rounds"], header["warmup_rounds"], header["smoke"]) == (1, 1, True)


def test_one_row_per_workload_and_contender(smoke: Smoke) -> None:
    pairs = [(row["workload"], row["contender"]) for row in smoke.results["rows"]]
    assert pairs == [
        (workload, contender)
        for workload in WORKLOADS
        for contender in ONLY.get(workload, CONTENDERS)
    ]


def test_rows_hold_the_measurements(smoke: Smoke) -> None:
    for row in smoke.results["rows"]:
        where = (row["workload"], row["contender"])
        assert set(row) == ROW_FIELDS, where
        assert row["n"] == smoke.results["header"]["sizes"][row["workload"]]["n"], where
        assert 0 < row["wall_min_s"] <= row["wall_median_s"] <= row["wall_max_s"], where
        assert row["n_per_s"] == row["n"] / row["wall_median_s"], where
        assert row["cpu_median_s"] > 0, where
        assert row["process_cpu_median_s"] >= row["cpu_median_s"] * 0.9, where
        assert isinstance(row["round_trips"], int), where
        assert row["round_trips"] >= 1, where
        if row["workload"] == "stream":
            assert isinstance(row["peak_rss_mb"], float), where
        else:
            assert row["peak_rss_mb"] is None, where


def test_targets_are_each_met_or_not(smoke: Smoke) -> None:
    targets = smoke.results["targets"]
    assert len(targets) == TARGETS
    for target in targets:
        assert target["status"] in {"MET", "NOT MET"}, target["target"]
        assert target["checks"], target["target"]
        assert target["status"] == ("MET" if all(c["met"] for c in target["checks"]) else "NOT MET")


def test_table_shows_every_row_with_ratios_to_pymongo(smoke: Smoke) -> None:
    lines = smoke.printed.splitlines()
    header = next(line for line in lines if line.startswith("workload"))
    assert header.split()[:4] == ["workload", "contender", "n", "wall"]
    assert "cpu x pymongo" in header
    assert "wall x pymongo" in header
    assert "cpu x mongoengine" in header
    for workload in WORKLOADS:
        for contender in ONLY.get(workload, CONTENDERS):
            cells = next(
                line.split() for line in lines if line.split()[:2] == [workload, contender]
            )
            if contender == "pymongo":
                assert cells[6:8] == ["1.00", "1.00"], cells
            else:
                assert float(cells[6]) > 0, cells


def test_targets_section_says_met_or_not_met_for_each(smoke: Smoke) -> None:
    lines = smoke.printed.splitlines()
    section = lines[lines.index("targets") + 1 :]
    statuses = [line.strip() for line in section if line.startswith("  ") and line[2] != " "]
    assert len(statuses) == TARGETS
    assert all(status.startswith(("MET ", "NOT MET ")) for status in statuses), statuses


def test_hydration_measures_every_contender_per_record() -> None:
    from bench.hydration import BUILD, LOAD, measure

    results = measure(n=20, rounds=1)
    assert set(results) == {"build+dump", "load+read"}
    assert set(results["build+dump"]) == set(BUILD)
    assert set(results["load+read"]) == set(LOAD)
    assert all(seconds > 0 for medians in results.values() for seconds in medians.values())


def test_hydration_writes_its_results(tmp_path: Path) -> None:
    from bench.hydration import BUILD, LOAD, main

    output = tmp_path / "hydration.json"
    main(["--n", "5", "--rounds", "1", "--output", str(output)])
    written = json.loads(output.read_text(encoding="utf-8"))
    assert written["header"]["records"] == 5
    pairs = {(row["workload"], row["contender"]) for row in written["results"]}
    assert pairs == {("build+dump", name) for name in BUILD} | {("load+read", n) for n in LOAD}
    assert "mongoengine" in BUILD
    assert "mongoengine" in LOAD
