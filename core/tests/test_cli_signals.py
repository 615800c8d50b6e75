"""The command line ends cleanly when its reader goes away or the user presses Ctrl-C."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

import pytest


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
