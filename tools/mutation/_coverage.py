"""Which tests of the suite run each line, read from one measured run of the unmutated suite.

A mutant can only make a test fail if the test runs the mutated code, so a mutant is first
tried against the tests that run its lines, fastest first. Code run outside any test (at import,
or while pytest collects the suite) can shape every test, so its mutants get the whole suite.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ._select import COVERAGE_FILE, TESTS_FILE

__all__ = ["WHOLE_SUITE", "TestMap", "read_test_map"]

#: what :meth:`TestMap.covering` returns for a line run outside any test
WHOLE_SUITE = None


@dataclass(frozen=True)
class TestMap:
    """The measured run: each test's seconds, the tests it skipped, and who ran which line."""

    seconds: dict[str, float]
    skipped: frozenset[str]
    lines: dict[str, dict[int, frozenset[str]]]

    def covering(self, path: Path, lines: Iterable[int]) -> list[str] | None:
        """The tests that run any of ``lines`` of ``path``, fastest first (none: no test runs
        them); ``WHOLE_SUITE`` if code outside any test runs one."""
        by_line = self.lines.get(str(path.resolve()), {})
        tests: set[str] = set()
        for line in lines:
            tests |= by_line.get(line, frozenset())
        if "" in tests:
            return WHOLE_SUITE
        return sorted(tests, key=lambda test: (self.seconds.get(test, 0.0), test))


def read_test_map(directory: Path) -> TestMap:
    """The map the recording plugin (:mod:`tools.mutation._select`) left in ``directory``."""
    from coverage import CoverageData

    data = CoverageData(basename=str(directory / COVERAGE_FILE))
    data.read()
    lines = {
        str(Path(name).resolve()): {
            line: frozenset(contexts) for line, contexts in data.contexts_by_lineno(name).items()
        }
        for name in data.measured_files()
    }
    tests = json.loads((directory / TESTS_FILE).read_text())
    return TestMap(
        seconds={test: seconds for test, (seconds, _) in tests.items()},
        skipped=frozenset(test for test, (_, skipped) in tests.items() if skipped),
        lines=lines,
    )
