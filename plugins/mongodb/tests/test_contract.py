"""doqu's contract suite against the plugin's own test targets: mongomock, and the real server
``DOQU_MONGODB_URL`` names (required under ``CI=true``).

Known gaps are declared by the storages themselves (``doqu_mongodb._server``), per server.
"""

from __future__ import annotations

import functools

import pytest

from doqu.contract import ContractSuite, Target
from doqu_mongodb._targets import mongodb_target, mongomock_target

# one target per session: its collections are dropped, and its client closed, at the end
mongomock = functools.cache(mongomock_target)
mongodb = functools.cache(mongodb_target)


class TestMongomockContract(ContractSuite):
    @pytest.fixture
    def storage_factory(self) -> Target:
        return mongomock()


class TestMongoDBContract(ContractSuite):
    @pytest.fixture
    def storage_factory(self) -> Target:
        return mongodb()
