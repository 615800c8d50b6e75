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

import pytest

from ._coverage import CoverageMap, read_test_map
from ._loader import ENV
from ._mutants import Mutant, mutant_lines, mutants
from ._select import RECORD, SOURCES, TESTS

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


def _pytest(
    suite: Path,
    mutant: Mutant | None,
    timeout: float,
    *,
    tests: Sequence[str] | None = None,
    record: tuple[Path, Sequence[Path]] | None = None,
) -> _Run:
    """Run ``suite`` (only ``tests``, if given) with ``mutant`` loaded; ``record``: measure
    the run into the directory for the source files given (:mod:`tools.mutation._select`)."""
    # the suite holds in any time zone; one off UTC by a half hour shows a local-time slip
    path = os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))
    environment = dict(os.environ, PYTHONPATH=path, PYTHONDONTWRITEBYTECODE="1", TZ=TIME_ZONE)
    for name in (ENV, RECORD, SOURCES, TESTS):
        environment.pop(name, None)
    if mutant is not None:
        environment[ENV] = f"{mutant.module}:{mutant.index}"
    if record is not None:
        environment[RECORD] = str(record[0])
        environment[SOURCES] = os.pathsep.join(str(path) for path in record[1])
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".txt") as selection:
        if tests is not None:
            selection.write("".join(f"{test}\n" for test in tests))
            selection.flush()
            environment[TESTS] = selection.name
        command = [
            sys.executable, "-m", "pytest", str(suite), "-x", "-q", "--no-header",
            "-p", "no:cacheprovider", "-p", "tools.mutation._loader",
            "-p", "tools.mutation._select", "-o", "addopts=",
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
    if done.returncode == pytest.ExitCode.USAGE_ERROR and tests is None:
        raise SystemExit(f"mutate: pytest refused the run:\n{done.stderr.decode()}")
    found = _SKIPPED.findall(done.stdout.splitlines()[-1] if done.stdout else b"")
    return _Run(done.returncode, int(found[0]) if found else 0, time.perf_counter() - started)


@dataclass(frozen=True)
class _Suite:
    """One generated suite file, its unmutated run and the map of which test runs what."""

    path: Path
    baseline: _Run
    tests: CoverageMap


def _measured_suite(directory: Path, targets: tuple[str, ...], modules: Sequence[str]) -> _Suite:
    path = _suite_file(directory, targets)
    record = directory / f"record_{'_'.join(targets)}"
    record.mkdir()
    sources = [module_path(module) for module in modules]
    baseline = _pytest(path, None, timeout=1800, record=(record, sources))
    if baseline.status != 0:
        raise SystemExit(f"mutate: the unmutated suite fails on {targets}; fix that first")
    return _Suite(path, baseline, read_test_map(record))


def _judge(mutant: Mutant, lines: frozenset[int], suite: _Suite) -> Outcome:
    """Run the tests that reach the mutant, then, if none fails, the whole suite: the tests a
    storage factory or a shared fixture runs can shift when only some tests run."""
    # an endless loop is a kill too: allow well over the unmutated run's time
    timeout = 3 * suite.baseline.seconds + 30
    tests, outside = suite.tests.covering(module_path(mutant.module), lines)
    if not tests and not outside:  # no test runs the mutated code: nothing can tell it apart
        return Outcome(mutant, "survived", 0.0)
    if outside:  # the mutant can shape every test: the whole suite, its likely killers first
        tests = suite.tests.every_test(first=tests)
    run = _pytest(suite.path, mutant, timeout, tests=tests)
    # a test collected under another id (the mutant changed a parameter) leaves the selection
    # to the plain run below
    if run.status != pytest.ExitCode.USAGE_ERROR:
        expected_skips = len(suite.tests.skipped.intersection(tests))
        verdict = _verdict(run, expected_skips)
        if verdict != "survived" or outside:
            return Outcome(mutant, verdict, run.seconds)
    confirmed = _pytest(suite.path, mutant, timeout)
    seconds = run.seconds + confirmed.seconds
    return Outcome(mutant, _verdict(confirmed, suite.baseline.skipped), seconds)


def _verdict(run: _Run, expected_skips: int) -> str:
    if run.status is None:
        return "timeout"
    # a passing run that skips other tests than the unmutated one lost (or claimed) a
    # capability: the suite's report shows it, so the mutant is caught
    return "survived" if run.status == 0 and run.skipped == expected_skips else "killed"


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
        suites = {
            targets: _measured_suite(
                directory, targets, [m for m in modules if MODULES[m] == targets]
            )
            for targets in needed
        }
        work = [
            (mutant, lines, suites[MODULES[module]])
            for module in modules
            for mutant, lines in zip(
                mutants(module_path(module), module)[:limit],
                mutant_lines(module_path(module)),
                strict=False,
            )
            if only is None or mutant.id in only
        ]

        def one(item: tuple[Mutant, frozenset[int], _Suite]) -> Outcome:
            outcome = _judge(*item)
            report(outcome)
            return outcome

        with ThreadPoolExecutor(max_workers=jobs) as pool:
            return list(pool.map(one, work))
