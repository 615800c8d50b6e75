"""Reports the contract suite's results per target at the end of the run."""

from __future__ import annotations

import re
from collections import Counter, defaultdict

import pytest

from doqu.contract import CONTRACT_VERSION

_TARGET = "doqu_target"
_OUTCOMES = ("passed", "skipped", "xfailed", "failed")
_UNDECLARED = re.compile(r"does not declare capability '(\w+)'")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # reports carry the item's user properties, so the summary can group them by target
    for item in items:
        callspec = getattr(item, "callspec", None)
        target = callspec.params.get("storage_factory") if callspec else None
        if target is not None:
            item.user_properties.append((_TARGET, target.name))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    outcomes: dict[str, Counter[str]] = defaultdict(Counter)
    undeclared: dict[str, Counter[str]] = defaultdict(Counter)
    for category, reports in terminalreporter.stats.items():
        for report in reports:
            target = dict(getattr(report, "user_properties", ())).get(_TARGET)
            if target is None or category not in (*_OUTCOMES, "error", "xpassed"):
                continue
            outcomes[target]["failed" if category in ("error", "xpassed") else category] += 1
            if category == "skipped" and (found := _UNDECLARED.search(str(report.longrepr))):
                undeclared[target][found.group(1)] += 1
    for target, counts in sorted(outcomes.items()):
        shown = ", ".join(f"{counts[outcome]} {outcome}" for outcome in _OUTCOMES)
        terminalreporter.write_line(f"contract suite v{CONTRACT_VERSION}: target {target}: {shown}")
        if undeclared[target]:
            skips = ", ".join(f"{name} {n}" for name, n in sorted(undeclared[target].items()))
            terminalreporter.write_line(f"  skipped for undeclared capabilities: {skips}")
