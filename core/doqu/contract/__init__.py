"""doqu's contract suite: the tests that define what a doqu backend is.

Every backend, built in or third party, must pass it. Adopt it in a test module of your
plugin with one subclass and one fixture::

    # tests/test_contract.py
    import itertools

    import pytest
    from doqu.contract import ContractSuite, Target

    from doqu_shelve import ShelveStorage
    from doqu_shelve._plugin import ShelveOracle


    class TestShelveContract(ContractSuite):
        @pytest.fixture
        def storage_factory(self, tmp_path):
            files = (tmp_path / f"{n}.db" for n in itertools.count())
            return Target(
                "shelve", factory=lambda: ShelveStorage(next(files)), oracle=ShelveOracle
            )

``storage_factory`` returns a :class:`~doqu.Target` (the one the plugin's
``doqu_test_targets`` hook offers does) or just a callable; each call must make a fresh, empty
storage that no other call shares. A target's ``oracle(storage)`` gives the suite a back door
(``get(key)``, ``put(key, record)``, ``keys()``) to check writes without trusting the adapter
under test; without one, the adapter itself stands in. A target's ``cleanup`` runs when the
test session ends.

The suite is also split by feature (``SaveContract``, ``EqualityLookupContract``,
``ConcurrencyContract`` ..., listed in :data:`CONTRACT_CLASSES`) for those who want to run
part of it; subclass the ones you want the same way. None of the classes' names start with
``Test``, so pytest collects them only through your subclass.

* A test that needs a capability is skipped, with the reason "<backend> does not declare
  capability '<name>'", on a backend whose ``capabilities`` lack it, and runs (and fails) on a
  backend that declares what it cannot do.
* A backend's ``known_gaps`` turn the tests they name (``"ClassName::test_name"``, see
  :func:`contract_test_ids`) into strict ``xfail`` tests: a gap that is fixed fails the run
  until its declaration is removed.
* Never override a contract test to make it pass; declare a known gap instead.

Install the suite's dependencies with ``pip install 'doqu[contract]'``. The ``doqu_contract``
pytest plugin, registered through the ``pytest11`` entry point, only registers the marker
the suite uses. :data:`CONTRACT_VERSION` is bumped whenever the suite asks more of backends;
``CHANGELOG.md`` beside this module lists the tests each version added.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from .._hookspecs import Target
from ._requirements import requires

# the suite's modules are plain package modules, so pytest rewrites their asserts only if asked
pytest.register_assert_rewrite("doqu.contract.suite")

if TYPE_CHECKING:
    from ._fixtures import AdapterOracle, Oracle, StorageFactory, StorageFixtures
    from ._suite import (
        CONTRACT_CLASSES,
        ContractSuite,
        contract_item_count,
        contract_requirements,
        contract_test_ids,
    )

#: the version of the contract: bumped when the suite asks more of backends.
CONTRACT_VERSION = "1.2"

__all__ = [
    "CONTRACT_CLASSES",
    "CONTRACT_VERSION",
    "AdapterOracle",
    "ContractSuite",
    "Oracle",
    "StorageFactory",
    "StorageFixtures",
    "Target",
    "contract_item_count",
    "contract_requirements",
    "contract_test_ids",
    "requires",
]

_LAZY = {
    "AdapterOracle": "._fixtures",
    "Oracle": "._fixtures",
    "StorageFactory": "._fixtures",
    "StorageFixtures": "._fixtures",
    "CONTRACT_CLASSES": "._suite",
    "ContractSuite": "._suite",
    "contract_item_count": "._suite",
    "contract_requirements": "._suite",
    "contract_test_ids": "._suite",
}


def __getattr__(name: str) -> Any:
    # the suite (and hypothesis) load on first use, not when pytest loads the plugin module
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module, __name__), name)
