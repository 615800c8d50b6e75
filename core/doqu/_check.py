"""``doqu check URL``: the contract suite against the storage a URL gives, as a readable report.

Every contract test gets a fresh collection of the URL's store, ``connect(URL,
collection="doqu_check_<random>")``, cleared when the test ends. So the URL's backend must
accept ``collection=`` (doqu's backends do) and the URL must not name a collection itself.
Point it at a scratch database. The adapter under test is its own back door here; a plugin's
own wiring of the suite, with its test target's oracle, checks writes more strictly.

pytest runs in this process over ``doqu._check_suite``, with :class:`CheckRun` as a plugin
that makes the storages and collects the results. Neither pytest nor the suite is imported
until the command runs, so ``doqu --help`` stays fast and works without them.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import uuid
import warnings
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from ._capabilities import Capabilities
from ._connect import connect
from ._discovery import PluginWarning, backend_for_scheme, backends
from ._hookspecs import TestTarget
from ._storage import StorageAdapter
from ._url import mask_password, parse_url
from .errors import ConfigurationError, DoquError

if TYPE_CHECKING:
    import pytest

    from ._cli import Subparsers

__all__ = [
    "PLUGIN_NAME",
    "CheckReport",
    "CheckRun",
    "TestResult",
    "add_check_command",
    "check",
    "contract_tests",
    "format_listing",
    "format_report",
]

#: the name :class:`CheckRun` is registered under in pytest's plugin manager.
PLUGIN_NAME = "doqu_check"
_COLLECTION_PREFIX = "doqu_check_"
_INSTALL = "pip install 'doqu[contract]'"
# the test module pytest runs; imported by pytest only, so that it rewrites the suite's asserts
_SUITE = os.path.join(os.path.dirname(__file__), "_check_suite.py")

Outcome = Literal["passed", "failed", "skipped", "gap"]
# when pytest reports a test several times (setup, call, teardown), the worst outcome counts
_SEVERITY: dict[Outcome, int] = {"passed": 0, "skipped": 1, "gap": 2, "failed": 3}


@dataclass(slots=True)
class TestResult:
    """What became of one contract test."""

    __test__ = False  # not a pytest test class, despite the name

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
    results: list[TestResult]
    #: pytest's exit code (0 passed, 1 failures, 2 interrupted, 5 nothing collected, ...).
    exit_code: int

    def having(self, outcome: Outcome) -> list[TestResult]:
        """The results with ``outcome``, in the order the tests ran."""
        return [result for result in self.results if result.outcome == outcome]

    @property
    def ok(self) -> bool:
        """Whether every contract test passed, was skipped or failed as declared."""
        return self.exit_code == 0 and not self.having("failed") and bool(self.having("passed"))


class CheckRun:
    """The pytest plugin of one ``doqu check`` run: it makes a fresh collection of the URL's
    store for each storage a test asks for, clears them after the test, and collects results."""

    def __init__(self, url: str, capabilities: Capabilities, name: str) -> None:
        self.__name__ = PLUGIN_NAME  # pluggy registers a plugin under its __name__
        self.url = url
        self.capabilities = capabilities
        self.target = TestTarget(name, factory=self._new_storage)
        self.results: dict[str, TestResult] = {}
        self._ids: dict[str, tuple[str, tuple[str, ...]]] = {}  # nodeid -> (id, needs)
        self._created: list[str] = []

    def _new_storage(self) -> StorageAdapter:
        name = _fresh_collection()
        storage = connect(self.url, collection=name)
        self._created.append(name)
        return storage

    # -- pytest hooks --------------------------------------------------------------------------

    def pytest_itemcollected(self, item: pytest.Item) -> None:
        import pytest

        from .contract._requirements import contract_id, required_capabilities

        if isinstance(item, pytest.Function):
            test = contract_id(item.function)
            # -k selects by the contract class too, not only by the class pytest collects
            item.extra_keyword_matches.add(test.partition("::")[0])
            case = item.name[len(item.originalname) :]  # "[param]" or ""
            self._ids[item.nodeid] = (test + case, required_capabilities(item))

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed:
            self._record(report.nodeid, "failed", _first_line(report), report.longreprtext)

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.failed:
            detail = _first_line(report)
            if report.when == "call" and detail.startswith("[XPASS(strict)]"):
                detail = "declared as a known gap but passes now: remove its KnownGap"
            elif report.when != "call":
                detail = f"error in {report.when}: {detail}"
            self._record(report.nodeid, "failed", detail, report.longreprtext)
        elif report.skipped and hasattr(report, "wasxfail"):
            self._record(report.nodeid, "gap", str(report.wasxfail))
        elif report.skipped:
            reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else ""
            self._record(report.nodeid, "skipped", reason.removeprefix("Skipped: "))
        elif report.when == "call":
            self._record(report.nodeid, "passed")

    def pytest_runtest_logfinish(self, nodeid: str) -> None:
        # the test's storages are closed by now: empty their collections, leave nothing behind
        created, self._created = self._created, []
        try:
            _clear(self.url, created)
        except Exception as error:  # a backend's bug is reported, never a crash of the run
            problem = f"{type(error).__name__}: {error}"
            self._record(nodeid, "failed", f"clearing the test's collection failed: {problem}")

    def _record(self, nodeid: str, outcome: Outcome, detail: str = "", longrepr: str = "") -> None:
        test, needs = self._ids.get(nodeid, (nodeid, ()))
        known = self.results.get(nodeid)
        if known is not None and _SEVERITY[known.outcome] >= _SEVERITY[outcome]:
            return
        undeclared: tuple[str, ...] = ()
        if outcome == "skipped":
            undeclared = tuple(n for n in needs if not getattr(self.capabilities, n))
        self.results[nodeid] = TestResult(test, outcome, detail, undeclared, longrepr)


def _fresh_collection() -> str:
    return f"{_COLLECTION_PREFIX}{uuid.uuid4().hex[:16]}"


def _clear(url: str, collections: Sequence[str]) -> None:
    for name in collections:
        with connect(url, collection=name) as storage:
            storage.clear()


def _first_line(report: pytest.TestReport | pytest.CollectReport) -> str:
    crash = getattr(report.longrepr, "reprcrash", None)
    text = crash.message if crash is not None else report.longreprtext
    lines = [line.strip() for line in str(text).splitlines() if line.strip()]
    return lines[0] if lines else "(no message)"


# -- running the suite -----------------------------------------------------------------------


def check(url: str, *, select: str | None = None, exitfirst: bool = False) -> CheckReport:
    """Run the contract suite against storages of ``url``; see the module docstring.

    ``select`` is a pytest ``-k`` expression over test and contract class names. Raises
    ``DoquError`` when the URL cannot be checked at all (unknown scheme, broken or incomplete
    adapter, a backend that does not connect or does not take ``collection=``), and
    ``ImportError`` without pytest.
    """
    parsed = parse_url(url)
    if "collection" in parsed.options():
        raise ConfigurationError(
            f"URL {str(parsed)!r} names a collection; doqu check makes a fresh collection for "
            "every test: remove ?collection= from the URL"
        )
    adapter = backend_for_scheme(parsed.scheme)  # names the missing methods of an incomplete one
    capabilities = _probe(url)
    _require_suite()
    import pytest
    from hypothesis import configuration

    run = CheckRun(url, capabilities, adapter.backend)
    arguments = [
        _SUITE,
        *("-p", "no:cacheprovider", "-p", "no:terminal"),  # no files written, our own report
        *("-c", os.devnull, "--rootdir", os.path.dirname(_SUITE)),  # no project config
        *(["-k", select] if select else []),
        *(["-x"] if exitfirst else []),
    ]
    # hypothesis writes its files into a temporary directory, not the user's current one
    home = configuration.storage_directory(intent_to_write=False).home_directory
    with tempfile.TemporaryDirectory(prefix="doqu-check-") as scratch:
        configuration.set_hypothesis_home_dir(scratch)
        try:
            exit_code = int(pytest.main(arguments, plugins=[run]))
        finally:
            configuration.set_hypothesis_home_dir(home)

    from .contract import CONTRACT_VERSION  # after the run: pytest rewrites the suite's asserts

    return CheckReport(
        url=str(parsed),
        backend=adapter.backend,
        distribution=_distribution(parsed.scheme),
        capabilities=capabilities,
        contract_version=CONTRACT_VERSION,
        results=list(run.results.values()),
        exit_code=exit_code,
    )


def _require_suite() -> None:
    try:
        import hypothesis  # noqa: F401
        import pytest  # noqa: F401
    except ImportError as error:
        raise ImportError(
            f"doqu check runs the contract suite, which needs pytest and hypothesis: {_INSTALL}"
        ) from error


def _probe(url: str) -> Capabilities:
    """Connect once, touching the backend, so a URL that cannot work fails before any test."""
    name = _fresh_collection()
    try:
        with connect(url, collection=name) as storage:
            len(storage)
            return storage.capabilities
    except DoquError:
        raise
    except Exception as error:
        raise ConfigurationError(
            f"connect({mask_password(url)!r}, collection={name!r}) raised "
            f"{type(error).__name__}: {error}; doqu check gives every test a fresh collection, "
            "so the backend must accept collection= (and raise doqu.errors for bad input)"
        ) from error


def _distribution(scheme: str) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PluginWarning)  # other plugins' problems are not ours
        for info in backends():
            if scheme.lower() in info.schemes and info.distribution is not None:
                return f"{info.distribution} {info.version}"
    return "registered in-process"


# -- the listing -------------------------------------------------------------------------------


def contract_tests() -> list[tuple[str, tuple[str, ...]]]:
    """Every contract test id, ``"ClassName::test_name"``, with the capabilities it requires."""
    from .contract import CONTRACT_CLASSES, contract_test_ids
    from .contract._requirements import MARKER

    classes = {cls.__name__: cls for cls in CONTRACT_CLASSES}
    listed = []
    for test in contract_test_ids():
        class_name, _, name = test.partition("::")
        cls = classes[class_name]
        marks = [*vars(cls).get("pytestmark", ()), *getattr(vars(cls)[name], "pytestmark", ())]
        needs = (capability for mark in marks if mark.name == MARKER for capability in mark.args)
        listed.append((test, tuple(dict.fromkeys(needs))))
    return listed


def format_listing() -> str:
    """What ``doqu check --list`` prints: the contract version, then one test per line."""
    _require_suite()
    from .contract import CONTRACT_VERSION

    tests = contract_tests()
    lines = [f"doqu contract suite {CONTRACT_VERSION}: {len(tests)} tests"]
    lines += [f"{test}  (requires {', '.join(needs)})" if needs else test for test, needs in tests]
    return "\n".join(lines)


# -- the report --------------------------------------------------------------------------------


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
    by_capability: defaultdict[str, list[TestResult]] = defaultdict(list)
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
    lines += ["", f"{', '.join(counts)}; {len(report.results)} tests"]
    if report.ok:
        lines.append(f"OK: {report.backend!r} passes contract suite {report.contract_version}")
    elif not report.results:
        lines.append(f"FAILED: no contract test ran (pytest exit code {report.exit_code})")
    else:
        lines.append(
            f"FAILED: {report.backend!r} does not pass contract suite {report.contract_version}"
        )
    return "\n".join(lines)


def _collapsed(results: list[TestResult]) -> list[str]:
    """Test ids, one line per contract test: parametrised cases are counted, not listed."""
    cases: dict[str, int] = {}
    for result in results:
        cases[result.contract_id] = cases.get(result.contract_id, 0) + 1
    return [test if n == 1 else f"{test} ({n} cases)" for test, n in cases.items()]


# -- the command -------------------------------------------------------------------------------


def add_check_command(subparsers: Subparsers) -> None:
    """``doqu check URL``: the contract suite against a backend, and ``--list``."""
    parser = subparsers.add_parser(
        "check",
        help="run the contract suite against a backend URL",
        description="Run doqu's contract suite against the storages a URL gives and print a "
        "report: failures with their first error line, tests skipped because the backend "
        "does not declare a capability (grouped by capability), the backend's declared gaps, "
        "and the counts. Every test runs on a fresh collection (collection='doqu_check_...'), "
        "cleared afterwards: use a scratch database. Needs pytest: " + _INSTALL,
        epilog="exit status: 0 when every test passed or was skipped or failed as declared; "
        "1 when a test failed or the URL cannot be checked; 2 when the command line is wrong",
    )
    parser.add_argument("url", nargs="?", help="the connection URL, e.g. shelve:///tmp/check.db")
    parser.add_argument(
        "--list",
        action="store_true",
        help="print the contract version and every contract test with the capabilities it needs",
    )
    parser.add_argument(
        "-k",
        dest="select",
        metavar="EXPRESSION",
        help="run only the tests matching a pytest -k expression over test and contract class "
        "names, e.g. 'SaveContract or test_get'",
    )
    parser.add_argument("-x", "--exitfirst", action="store_true", help="stop at the first failure")
    parser.add_argument(
        "--details", action="store_true", help="print pytest's full report of each failure"
    )
    parser.set_defaults(run=_command(parser))


def _command(parser: argparse.ArgumentParser) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        if args.list == (args.url is not None):
            parser.error("give a URL to check, or --list (not both)")
        try:
            if args.list:
                print(format_listing())
                return 0
            report = check(args.url, select=args.select, exitfirst=args.exitfirst)
        except ImportError as error:
            print(f"doqu check: {error}", file=sys.stderr)
            return 1
        except DoquError as error:
            print(f"doqu check: cannot check {mask_password(args.url)}: {error}", file=sys.stderr)
            return 1
        print(format_report(report, details=args.details))
        return 0 if report.ok else 1

    return run
