"""``doqu backends URL``: the capabilities a connected storage gives, beside the maximum."""

from __future__ import annotations

import json
import subprocess
import sys

from doqu.memory import MemoryStorage


def doqu(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "doqu", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_listing_says_its_capabilities_are_the_declared_maximum() -> None:
    result = doqu("backends")
    assert "Capabilities are each backend's declared maximum" in result.stdout
    assert "doqu backends URL" in result.stdout


def test_backends_url_shows_the_connected_capabilities() -> None:
    result = doqu("backends", "memory://")
    assert result.returncode == 0, result.stderr
    declared = ", ".join(MemoryStorage.capabilities.declared())
    assert result.stdout.splitlines() == [
        "backend:      memory",
        f"capabilities: {declared}",
        "narrowed:     - (the declared maximum)",
    ]
    shown = json.loads(doqu("backends", "--json", "memory://").stdout)
    assert shown["backend"] == "memory"
    assert shown["narrowed"] == []
    assert shown["capabilities"]["regex"] is True


def test_backends_url_that_cannot_connect_is_a_one_line_error() -> None:
    result = doqu("backends", "nosuchscheme://x")
    assert result.returncode == 1
    assert result.stderr.startswith("doqu: error: ")
    assert "Traceback" not in result.stderr
