from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from doqu_sqlite import SQLiteStorage

# core's throwaway-venv fixture, shared rather than copied (its tests are not a package)
_CORE_CONFTEST = Path(__file__).resolve().parents[3] / "core" / "tests" / "conftest.py"
_spec = importlib.util.spec_from_file_location("doqu_core_test_conftest", _CORE_CONFTEST)
assert _spec is not None
assert _spec.loader is not None
core_conftest = sys.modules[_spec.name] = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(core_conftest)
new_venv = core_conftest.new_venv


@pytest.fixture
def storage(tmp_path: Path) -> Iterator[SQLiteStorage]:
    with SQLiteStorage(tmp_path / "test.db", collection="people") as storage:
        yield storage
