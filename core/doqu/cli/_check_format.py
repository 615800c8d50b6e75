"""What ``doqu check`` prints: the report of a run, and the listing of ``--list``."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..contract._check_report import CheckReport, CheckResult

__all__ = ["format_listing", "format_report"]


def format_listing() -> str:
    """What ``doqu check --list`` prints: the contract version, then one test per line."""
    from ..contract import CONTRACT_VERSION, contract_item_count, contract_requirements

    tests = contract_requirements()
    lines = [
        f"doqu contract suite {CONTRACT_VERSION}: {len(tests)} tests, {contract_item_count()} "
        "items (a run reports items: one per case of a parametrised test)"
    ]
    lines += [f"{test}  (requires {', '.join(needs)})" if needs else test for test, needs in tests]
    return "\n".join(lines)


def format_report(report: CheckReport, *, details: bool = False) -> str:
    """The readable report of a run: failures, skips by capability, declared gaps, counts."""
    lines = [
        f"doqu check {report.url}",
        f"  backend {report.backend!r} ({report.distribution}), contract suite "
        f"{report.contract_version}",
        f"  declares: {', '.join(report.capabilities.declared()) or 'no optional capability'}",
    ]
    failed = report.having("failed")
    if failed:
        lines += ["", f"Failed ({len(failed)}):"]
        for result in failed:
            lines += [f"  {result.test}", f"      {result.detail}"]
            if details and result.longrepr:
                lines += [f"      | {line}" for line in result.longrepr.splitlines()]
    by_capability: defaultdict[str, list[CheckResult]] = defaultdict(list)
    other = []
    for result in report.having("skipped"):
        if result.undeclared:
            by_capability[", ".join(result.undeclared)].append(result)
        else:
            other.append(result)
    skipped = sum(map(len, by_capability.values()))
    if by_capability:
        lines += ["", f"Skipped by capability ({skipped}): the backend does not declare"]
        for capability, results in sorted(by_capability.items()):
            lines.append(f"  {capability} ({len(results)}):")
            lines += [f"    {test}" for test in _collapsed(results)]
    if other:
        lines += ["", f"Skipped for another reason ({len(other)}):"]
        lines += [f"  {result.test}: {result.detail}" for result in other]
    gaps = report.having("gap")
    if gaps:
        lines += ["", f"Declared gaps, failing as declared ({len(gaps)}):"]
        lines += [f"  {result.test}: {result.detail}" for result in gaps]
    counts = [
        f"{len(report.having('passed'))} passed",
        f"{len(failed)} failed",
        f"{skipped} skipped by capability",
        f"{len(gaps)} declared gaps",
    ]
    if other:
        counts.append(f"{len(other)} skipped for another reason")
    tests = len({result.contract_id for result in report.results})
    lines += ["", f"{', '.join(counts)}; {len(report.results)} items of {tests} tests"]
    if report.ok:
        lines.append(f"OK: {report.backend!r} passes contract suite {report.contract_version}")
    elif not report.results:
        lines.append(f"FAILED: no contract test ran (pytest exit code {report.exit_code})")
    else:
        lines.append(
            f"FAILED: {report.backend!r} does not pass contract suite {report.contract_version}"
        )
    return "\n".join(lines)


def _collapsed(results: list[CheckResult]) -> list[str]:
    """Test ids, one line per contract test: parametrised cases are counted, not listed."""
    cases: dict[str, int] = {}
    for result in results:
        cases[result.contract_id] = cases.get(result.contract_id, 0) + 1
    return [test if n == 1 else f"{test} ({n} cases)" for test, n in cases.items()]
