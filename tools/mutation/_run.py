"""Run the contract suite once per mutant and tell which mutants survive."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Collection, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from ._loader import ENV
from ._mutants import Mutant, mutants

__all__ = ["MODULES", "Outcome", "module_path", "run_all"]

REPO = Path(__file__).resolve().parents[2]

#: the modules of the reference path, and the contract targets whose suite judges each: the
#: storage base class's client-side defaults are overridden by memory, so shelve runs too.
MODULES: dict[str, tuple[str, ...]] = {
    "doqu._evaluate": ("memory",),
    "doqu._values": ("memory",),
    "doqu._conditions": ("memory",),
    "doqu._query": ("memory",),
    "doqu._storage": ("memory", "shelve"),
    "doqu.memory._storage": ("memory",),
}

#: the time zone the suite runs in under every mutant
TIME_ZONE = "America/St_Johns"

_TARGET_IMPORTS = {
    "memory": "from doqu.memory._plugin import doqu_test_targets as memory_targets",
    "shelve": "from doqu_shelve._plugin import doqu_test_targets as shelve_targets",
}
_SUITE = """
import pytest
from doqu.contract import ContractSuite
{imports}
{classes}
"""
_CLASS = """
class Test{title}Contract(ContractSuite):
    @pytest.fixture
    def storage_factory(self):
        [target] = {name}_targets()
        return target
"""


@dataclass(frozen=True)
class Outcome:
    """What the suite made of one mutant: ``killed``, ``survived`` or ``timeout``."""

    mutant: Mutant
    verdict: str
    seconds: float


def module_path(module: str) -> Path:
    """The source file of ``module`` (without importing it)."""
    spec = importlib.util.find_spec(module)
    if spec is None or spec.origin is None:
        raise SystemExit(f"mutate: module {module!r} not found; is the virtualenv set up?")
    return Path(spec.origin)


def _suite_file(directory: Path, targets: Sequence[str]) -> Path:
    path = directory / f"test_contract_{'_'.join(targets)}.py"
    path.write_text(
        _SUITE.format(
            imports="\n".join(_TARGET_IMPORTS[name] for name in targets),
            classes="".join(_CLASS.format(title=name.title(), name=name) for name in targets),
        )
    )
    return path


@dataclass(frozen=True)
class _Run:
    """One pytest run: its exit status (``None``: timed out), tests skipped, and seconds."""

    status: int | None
    skipped: int
    seconds: float


_SKIPPED = re.compile(rb"(\d+) skipped")


def _pytest(suite: Path, mutant: Mutant | None, timeout: float) -> _Run:
    # the suite holds in any time zone; one off UTC by a half hour shows a local-time slip
    environment = dict(os.environ, PYTHONPATH=str(REPO), PYTHONDONTWRITEBYTECODE="1", TZ=TIME_ZONE)
    environment.pop(ENV, None)
    if mutant is not None:
        environment[ENV] = f"{mutant.module}:{mutant.index}"
    command = [
        sys.executable, "-m", "pytest", str(suite), "-x", "-q", "--no-header",
        "-p", "no:cacheprovider", "-p", "tools.mutation._loader", "-o", "addopts=",
    ]  # fmt: skip
    started = time.perf_counter()
    try:
        done = subprocess.run(
            command,
            cwd=suite.parent,
            env=environment,
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return _Run(None, 0, time.perf_counter() - started)
    found = _SKIPPED.findall(done.stdout.splitlines()[-1] if done.stdout else b"")
    return _Run(done.returncode, int(found[0]) if found else 0, time.perf_counter() - started)


def run_all(
    modules: Sequence[str],
    jobs: int,
    limit: int | None,
    report: Callable[[Outcome], None],
    only: Collection[str] | None = None,
) -> list[Outcome]:
    """Run every mutant of ``modules`` (or those ``only`` names by id); ``report`` hears of
    each as it finishes."""
    with tempfile.TemporaryDirectory(prefix="doqu-mutate-") as scratch:
        directory = Path(scratch)
        needed = {MODULES[module] for module in modules}
        suites = {targets: _suite_file(directory, targets) for targets in needed}
        baselines: dict[tuple[str, ...], _Run] = {}
        for targets, suite in suites.items():
            baselines[targets] = _pytest(suite, None, timeout=1800)
            if baselines[targets].status != 0:
                raise SystemExit(f"mutate: the unmutated suite fails on {targets}; fix that first")
        work = [
            (mutant, MODULES[module])
            for module in modules
            for mutant in mutants(module_path(module), module)[:limit]
            if only is None or mutant.id in only
        ]

        def one(item: tuple[Mutant, tuple[str, ...]]) -> Outcome:
            mutant, targets = item
            baseline = baselines[targets]
            # an endless loop is a kill too: allow well over the unmutated run's time
            run = _pytest(suites[targets], mutant, 3 * baseline.seconds + 30)
            # a passing run that skips other tests than the unmutated one lost (or claimed) a
            # capability: the suite's report shows it, so the mutant is caught
            passed = run.status == 0 and run.skipped == baseline.skipped
            verdict = "timeout" if run.status is None else "survived" if passed else "killed"
            outcome = Outcome(mutant, verdict, run.seconds)
            report(outcome)
            return outcome

        with ThreadPoolExecutor(max_workers=jobs) as pool:
            return list(pool.map(one, work))
