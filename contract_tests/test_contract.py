"""doqu's contract suite against every test target the installed plugins offer.

Each contract class runs once per target as ``Test<ClassName>``, so a test's id reads
``TestSaveContract::test_save_with_key_stores_under_that_key[memory]``; the class name without
``Test`` and the test name make the id a backend's ``KnownGap`` uses.
"""

from __future__ import annotations

import pytest

from doqu._discovery import contract_targets
from doqu.contract import CONTRACT_CLASSES, Target

TARGETS = contract_targets()


class AllTargets:
    """Parametrises the suite's ``storage_factory`` over every offered target."""

    @pytest.fixture(params=TARGETS, ids=[target.name for target in TARGETS])
    def storage_factory(self, request: pytest.FixtureRequest) -> Target:
        target: Target = request.param
        return target


for _contract in CONTRACT_CLASSES:
    _name = f"Test{_contract.__name__}"
    globals()[_name] = type(_name, (AllTargets, _contract), {"__module__": __name__})


def test_the_memory_target_is_offered() -> None:
    # without it a broken discovery would run no contract test at all, silently
    assert "memory" in [target.name for target in TARGETS]


def test_target_names_are_unique() -> None:
    names = [target.name for target in TARGETS]
    assert len(names) == len(set(names))
