"""doqu's contract suite against the plugin's test target: tables in a temporary file."""

from __future__ import annotations

import functools

import pytest

from doqu.contract import ContractSuite, Target
from doqu_sqlite._targets import sqlite_target

# one target per session: its temporary directory is removed at the end
target = functools.cache(sqlite_target)


class TestSQLiteContract(ContractSuite):
    @pytest.fixture
    def storage_factory(self) -> Target:
        return target()
