from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from doqu_sqlite import SQLiteStorage


@pytest.fixture
def storage(tmp_path: Path) -> Iterator[SQLiteStorage]:
    with SQLiteStorage(tmp_path / "test.db", collection="people") as storage:
        yield storage
