"""A pytest plugin that maps the suite's tests to the lines they run, or runs only some of them
(``-p tools.mutation._select``).

``DOQU_MUTATION_RECORD=DIR`` (with ``DOQU_MUTATION_SOURCES``, the files to measure, separated
by ``os.pathsep``): the run is measured with coverage, each test in a context of its own (its
node id; code run outside any test, at import or collection, has the empty context), and
``DIR/tests.json`` keeps each test's seconds and whether it was skipped.

``DOQU_MUTATION_TESTS=FILE``: only the tests whose node ids ``FILE`` lists (one a line) run,
in that order; an id the suite does not have is a usage error (exit status 4).
"""

from __future__ import annotations

import json
import os
from collections.abc import Generator
from pathlib import Path
from typing import Any

import pytest

RECORD = "DOQU_MUTATION_RECORD"
SOURCES = "DOQU_MUTATION_SOURCES"
TESTS = "DOQU_MUTATION_TESTS"
COVERAGE_FILE = "coverage"
TESTS_FILE = "tests.json"


class _Recorder:
    """Measures which lines each test runs, and how long each test takes."""

    def __init__(self, directory: Path, sources: list[str]) -> None:
        import coverage

        self.directory = directory
        self.coverage = coverage.Coverage(
            data_file=str(directory / COVERAGE_FILE), include=sources, config_file=False
        )
        self.seconds: dict[str, float] = {}
        self.skipped: set[str] = set()
        # started as the plugin loads, before the measured modules are imported
        self.coverage.start()

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_protocol(self, item: pytest.Item) -> Generator[None, Any, Any]:
        self.coverage.switch_context(item.nodeid)
        try:
            return (yield)
        finally:
            self.coverage.switch_context("")

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        self.seconds[report.nodeid] = self.seconds.get(report.nodeid, 0.0) + report.duration
        if report.skipped:
            self.skipped.add(report.nodeid)

    def pytest_sessionfinish(self) -> None:
        self.coverage.stop()
        self.coverage.save()
        tests = {nodeid: [s, nodeid in self.skipped] for nodeid, s in self.seconds.items()}
        (self.directory / TESTS_FILE).write_text(json.dumps(tests))


class _Selection:
    """Keeps only the named tests, in the named order."""

    def __init__(self, names: list[str]) -> None:
        self.names = names

    def pytest_collection_modifyitems(
        self, session: pytest.Session, config: pytest.Config, items: list[pytest.Item]
    ) -> None:
        by_id = {item.nodeid: item for item in items}
        missing = [name for name in self.names if name not in by_id]
        # a test a mutant keeps from being collected fails the run as a collection error; one
        # it collects under another id (a parameter's id changed) is a usage error, on which
        # the runner runs the whole suite instead
        if missing and not session.testsfailed:
            raise pytest.UsageError(f"no such tests in the suite: {missing[:3]}")
        chosen = set(self.names)
        config.hook.pytest_deselected(items=[i for i in items if i.nodeid not in chosen])
        items[:] = [by_id[name] for name in self.names if name in by_id]


def pytest_configure(config: pytest.Config) -> None:
    if _RECORDER is not None:
        config.pluginmanager.register(_RECORDER)
    if os.environ.get(TESTS):
        names = Path(os.environ[TESTS]).read_text(encoding="utf-8").splitlines()
        config.pluginmanager.register(_Selection(names))


# the recorder starts when pytest loads this plugin (``-p``), before anything imports doqu
_RECORDER = (
    _Recorder(Path(os.environ[RECORD]), os.environ.get(SOURCES, "").split(os.pathsep))
    if os.environ.get(RECORD)
    else None
)
