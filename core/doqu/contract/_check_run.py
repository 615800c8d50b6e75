"""``doqu check URL``: the contract suite against the storage a URL gives, run by pytest.

Every contract test gets a fresh collection of the URL's store, ``connect(URL,
collection="doqu_check_<random>")``, cleared when the test ends. So the URL's backend must
accept ``collection=`` (doqu's backends do) and the URL must not name a collection itself.
Point it at a scratch database. The adapter under test is its own back door here; a plugin's
own wiring of the suite, with its test target's oracle, checks writes more strictly.

pytest runs in this process over ``doqu.contract._check_suite``, with :class:`CheckRun` as a
plugin that makes the storages and collects the results (:mod:`._check_report`). The command
line (``doqu.cli``) imports this module only when the command runs.
"""

from __future__ import annotations

import os
import signal
import tempfile
import threading
import uuid
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from types import FrameType

import pytest

from .._capabilities import Capabilities
from .._connect import connect
from .._discovery import PluginWarning, backend_for_scheme, backends
from .._hookspecs import Target
from .._storage import StorageAdapter
from .._url import mask_password, parse_url
from ..errors import ConfigurationError, DoquError
from ._check_report import SEVERITY, CheckReport, CheckResult, Outcome
from ._requirements import contract_id, required_capabilities, select_by_contract_class

__all__ = ["PLUGIN_NAME", "CheckRun", "check"]

#: the name :class:`CheckRun` is registered under in pytest's plugin manager.
PLUGIN_NAME = "doqu_check"
_COLLECTION_PREFIX = "doqu_check_"
# the test module pytest runs; imported by pytest only, so that it rewrites the suite's asserts
_SUITE = os.path.join(os.path.dirname(__file__), "_check_suite.py")


class CheckRun:
    """The pytest plugin of one ``doqu check`` run: it makes a fresh collection of the URL's
    store for each storage a test asks for, clears them after the test, and collects results."""

    def __init__(self, url: str, capabilities: Capabilities, name: str) -> None:
        self.__name__ = PLUGIN_NAME  # pluggy registers a plugin under its __name__
        self.url = url
        self.capabilities = capabilities
        # only a persistent backend's URL reaches the same storage again (memory:// is private)
        reach = self._connect_args if capabilities.persistent or capabilities.durable else None
        self.target = Target(name, factory=self._new_storage, connect_args=reach)
        self.results: dict[str, CheckResult] = {}
        self._ids: dict[str, tuple[str, tuple[str, ...]]] = {}  # nodeid -> (id, needs)
        self._created: list[str] = []
        self._names: dict[int, str] = {}  # id(storage) -> its collection
        #: set by Ctrl-C; see :func:`_interruptible`.
        self.interrupted = False

    def _new_storage(self) -> StorageAdapter:
        name = _fresh_collection()
        storage = connect(self.url, collection=name)
        self._created.append(name)
        self._names[id(storage)] = name
        return storage

    def _connect_args(self, storage: StorageAdapter) -> tuple[str, dict[str, str]]:
        return self.url, {"collection": self._names[id(storage)]}

    # -- pytest hooks --------------------------------------------------------------------------

    def pytest_itemcollected(self, item: pytest.Item) -> None:
        if isinstance(item, pytest.Function):
            test = contract_id(item.function)
            select_by_contract_class(item)  # also when pytest plugins do not autoload
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
        if self.interrupted:  # the KeyboardInterrupt was swallowed inside the test: stop here
            raise KeyboardInterrupt

    def _record(self, nodeid: str, outcome: Outcome, detail: str = "", longrepr: str = "") -> None:
        test, needs = self._ids.get(nodeid, (nodeid, ()))
        known = self.results.get(nodeid)
        if known is not None and SEVERITY[known.outcome] >= SEVERITY[outcome]:
            return
        undeclared: tuple[str, ...] = ()
        if outcome == "skipped":
            undeclared = tuple(n for n in needs if not getattr(self.capabilities, n))
        self.results[nodeid] = CheckResult(test, outcome, detail, undeclared, longrepr)


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


def check(url: str, *, select: str | None = None, exitfirst: bool = False) -> CheckReport:
    """Run the contract suite against storages of ``url``; see the module docstring.

    ``select`` is a pytest ``-k`` expression over test and contract class names. Raises
    ``DoquError`` when the URL cannot be checked at all (unknown scheme, broken or incomplete
    adapter, a backend that does not connect or does not take ``collection=``).
    """
    parsed = parse_url(url)
    if "collection" in parsed.options():
        raise ConfigurationError(
            f"URL {str(parsed)!r} names a collection; doqu check makes a fresh collection for "
            "every test: remove ?collection= from the URL"
        )
    adapter = backend_for_scheme(parsed.scheme)  # names the missing methods of an incomplete one
    capabilities = _probe(url)
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
            with _interruptible(run):
                exit_code = int(pytest.main(arguments, plugins=[run]))
        finally:
            configuration.set_hypothesis_home_dir(home)
    if exit_code == pytest.ExitCode.INTERRUPTED or run.interrupted:  # Ctrl-C: pass it on
        raise KeyboardInterrupt

    from . import CONTRACT_VERSION

    return CheckReport(
        url=str(parsed),
        backend=adapter.backend,
        distribution=_distribution(parsed.scheme),
        capabilities=capabilities,
        contract_version=CONTRACT_VERSION,
        results=list(run.results.values()),
        exit_code=exit_code,
    )


@contextmanager
def _interruptible(run: CheckRun) -> Iterator[None]:
    """Remember a Ctrl-C during the run, as well as raising ``KeyboardInterrupt``.

    Python raises it wherever the main thread is, and code can swallow it there: hypothesis
    runs garbage-collector callbacks, where an exception is only printed (and pytest captures
    the print). The flag makes the run stop after that test and ``check`` raise all the same.
    """
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread receives signals
        return

    def interrupt(signum: int, frame: FrameType | None) -> None:
        run.interrupted = True
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGINT, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


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
