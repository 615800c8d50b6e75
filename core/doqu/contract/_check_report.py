"""What ``doqu check URL`` found: one :class:`CheckResult` per contract test, in a report."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .._capabilities import Capabilities

__all__ = ["SEVERITY", "CheckReport", "CheckResult", "Outcome"]

Outcome = Literal["passed", "failed", "skipped", "gap"]
#: when pytest reports a test several times (setup, call, teardown), the worst outcome counts.
SEVERITY: dict[Outcome, int] = {"passed": 0, "skipped": 1, "gap": 2, "failed": 3}


@dataclass(slots=True)
class CheckResult:
    """What became of one contract test."""

    #: the contract id, ``"ClassName::test_name"``, with pytest's parameters (``[case]``).
    test: str
    outcome: Outcome
    #: the first line of the error, the skip reason, or the declared gap's reason.
    detail: str = ""
    #: for a test skipped by capability: the capabilities it needs that the backend lacks.
    undeclared: tuple[str, ...] = ()
    #: pytest's full report of a failure.
    longrepr: str = ""

    @property
    def contract_id(self) -> str:
        """The id without parameters, as ``KnownGap.test`` and ``doqu check --list`` show it."""
        return self.test.partition("[")[0]


@dataclass(slots=True)
class CheckReport:
    """The outcome of ``doqu check URL``."""

    url: str
    backend: str
    distribution: str
    capabilities: Capabilities
    contract_version: str
    results: list[CheckResult]
    #: pytest's exit code (0 passed, 1 failures, 2 interrupted, 5 nothing collected, ...).
    exit_code: int

    def having(self, outcome: Outcome) -> list[CheckResult]:
        """The results with ``outcome``, in the order the tests ran."""
        return [result for result in self.results if result.outcome == outcome]

    @property
    def ok(self) -> bool:
        """Whether every contract test passed, was skipped or failed as declared."""
        return self.exit_code == 0 and not self.having("failed") and bool(self.having("passed"))
