"""The contract's date behaviours hold whatever the local time zone: the date-lookup, ordering,
value-type and corner contracts run again on memory in a subprocess under ``TZ`` set to a zone
with a half-hour offset, where local-time slips show on every day boundary."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
SELECTION = "memory and (DatePart or Ordering or ValueType or Corner)"


@pytest.mark.skipif(not hasattr(os, "fork"), reason="TZ is read from the environment on POSIX")
def test_date_contracts_pass_under_a_non_utc_time_zone() -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "contract_tests/test_contract.py",
            "-q",
            "-p",
            "no:cacheprovider",
            "-k",
            SELECTION,
        ],
        cwd=ROOT,
        env={**os.environ, "TZ": "America/St_Johns"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert " passed" in result.stdout
