"""The test module ``doqu check`` hands to pytest: the whole contract suite on its target.

Only :func:`doqu.contract._check_run.check` runs it, by path, with the plugin that builds
storages from the checked URL; pytest imports it (and the suite) after installing its assertion
rewriting, so failed asserts in the report show their values.
"""

from __future__ import annotations

import pytest

from .._hookspecs import Target
from ._check_run import PLUGIN_NAME, CheckRun
from ._suite import ContractSuite

__all__ = ["TestContract"]


class TestContract(ContractSuite):
    """Every contract test, on storages of the URL given to ``doqu check``."""

    @pytest.fixture
    def storage_factory(self, request: pytest.FixtureRequest) -> Target:
        run = request.config.pluginmanager.get_plugin(PLUGIN_NAME)
        if not isinstance(run, CheckRun):
            raise RuntimeError(f"{__name__} runs only under 'doqu check URL'")
        return run.target
