"""The ``doqu_contract`` pytest plugin (entry point ``pytest11``): markers and ``-k`` names.

It loads in every pytest run of an environment where doqu is installed. Importing it imports
the ``doqu`` package (its user API: about thirty small modules with ``doqu.contract``'s
marker, no driver and no plugin), but not the suite, its fixtures or hypothesis; it changes
nothing for projects that do not use the suite.
"""

from __future__ import annotations

import pytest

from .._capabilities import Capabilities
from ._requirements import MARKER, select_by_contract_class


def pytest_configure(config: pytest.Config) -> None:
    """Register the contract suite's marker."""
    config.addinivalue_line(
        "markers",
        f"{MARKER}(*capabilities): a doqu contract test that runs only on backends declaring "
        f"every named capability ({', '.join(Capabilities.names())})",
    )


def pytest_itemcollected(item: pytest.Item) -> None:
    """``-k SaveContract`` selects in a plugin's own tests as it does in ``doqu check``."""
    select_by_contract_class(item)
