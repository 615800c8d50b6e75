"""The command line ends cleanly when its reader goes away or the user presses Ctrl-C."""

from __future__ import annotations

import contextlib
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

import doqu


def start(*args: str) -> subprocess.Popen[str]:
    """``python -m doqu ARGS``, its output and errors piped to the test."""
    return subprocess.Popen(
        [sys.executable, "-m", "doqu", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_closed_pipe_ends_without_a_traceback() -> None:
    # as in ``doqu backends --json | head -0``: the reader is gone before doqu writes
    process = start("backends", "--json")
    assert process.stdout is not None
    process.stdout.close()
    _, err = process.communicate(timeout=120)
    assert "Traceback" not in err
    assert "BrokenPipeError" not in err
    assert process.returncode == 1


def test_ctrl_c_exits_130_with_one_line() -> None:
    process = start("check", "memory://")
    time.sleep(4)  # inside the run, past start-up
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 130, err
    assert err.strip().splitlines() == ["doqu: interrupted"]


@pytest.mark.parametrize("delay", [2.5, 3.5, 4.5])
def test_ctrl_c_inside_hypothesis_still_exits_130(delay: float) -> None:
    # hypothesis runs garbage-collector callbacks, where a KeyboardInterrupt is swallowed:
    # a run interrupted there used to go on to the end and exit 0
    process = start("check", "memory://", "-k", "differential")
    time.sleep(delay)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 130, err
    assert err.strip().splitlines() == ["doqu: interrupted"]


def test_ctrl_c_during_copy_says_how_many_records_were_copied(tmp_path: Path) -> None:
    # one record per batch into SQLite (a commit each): still copying after seconds, even where
    # a commit is cheap (a tmpfs) and a loaded machine delays the poll below
    total = 100_000
    source_path, target_path = tmp_path / "source.db", tmp_path / "target.db"
    with doqu.connect(f"sqlite:///{source_path}") as source:
        source.save_many({"n": n, "name": f"person {n}"} for n in range(total))
    process = start(
        "copy", f"sqlite:///{source_path}", f"sqlite:///{target_path}", "--batch-size", "1"
    )
    copied = _wait_for_rows(target_path, at_least=50, seconds=60)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=120)
    assert process.returncode == 130, err
    [line] = err.strip().splitlines()
    match = re.fullmatch(r"doqu: interrupted after (\d+) records copied", line)
    assert match is not None, line
    reported = int(match.group(1))
    assert copied <= reported < total
    with doqu.connect(f"sqlite:///{target_path}") as target:
        # the batch being written when the signal came may have been committed
        assert reported <= len(target) <= reported + 1
    assert out == ""


def _wait_for_rows(path: Path, *, at_least: int, seconds: float) -> int:
    """The rows the copy's target table holds, once it holds ``at_least`` (polled)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        time.sleep(0.1)
        try:
            with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
                (rows,) = db.execute('SELECT count(*) FROM "default"').fetchone()
        except sqlite3.Error:
            continue  # not created yet
        if rows >= at_least:
            return int(rows)
    raise AssertionError(f"the copy wrote fewer than {at_least} rows in {seconds} s")
