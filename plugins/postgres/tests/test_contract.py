"""doqu's contract suite against the server ``DOQU_POSTGRES_URL`` names (required under
``CI=true``)."""

from __future__ import annotations

import functools

import pytest

from doqu.contract import ContractSuite, Target
from doqu_postgres._targets import postgres_target

# one target per session: its tables are dropped at the end
postgres = functools.cache(postgres_target)


class TestPostgresContract(ContractSuite):
    @pytest.fixture
    def storage_factory(self) -> Target:
        return postgres()
