"""doqu's contract suite against the shelve backend: the whole of a plugin's test wiring."""

from __future__ import annotations

import pytest

from doqu.contract import ContractSuite, Target
from doqu_shelve._plugin import doqu_test_targets


class TestShelveContract(ContractSuite):
    @pytest.fixture
    def storage_factory(self) -> Target:
        # the target the plugin offers doqu: a fresh file per storage, and a back door;
        # the suite removes its temporary files when the session ends
        [target] = doqu_test_targets()
        return target
