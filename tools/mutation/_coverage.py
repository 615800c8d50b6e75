"""Which tests of the suite run each line, read from one measured run of the unmutated suite.

A mutant can only make a test fail if the test runs the mutated code, so a mutant is first
tried against the tests that run its lines, fastest first. Code run outside any test (at import,
or while pytest collects the suite) can shape every test, so its mutants get the whole suite,
with the tests that run their lines first.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ._select import COVERAGE_FILE, TESTS_FILE

__all__ = ["CoverageMap", "read_test_map"]


@dataclass(frozen=True)
class CoverageMap:
    """The measured run: each test's seconds, the tests it skipped, and who ran which line."""

    seconds: dict[str, float]
    skipped: frozenset[str]
    lines: dict[str, dict[int, frozenset[str]]]

    def covering(self, path: Path, lines: Iterable[int]) -> tuple[list[str], bool]:
        """The tests that run any of ``lines`` of ``path``, fastest first, and whether code
        outside any test runs one of them."""
        by_line = self.lines.get(str(path.resolve()), {})
        tests: set[str] = set()
        for line in lines:
            tests |= by_line.get(line, frozenset())
        outside = "" in tests
        return self._fastest_first(tests - {""}), outside

    def every_test(self, first: Sequence[str]) -> list[str]:
        """The whole suite: ``first``, then the other tests fastest first."""
        return [*first, *self._fastest_first(self.seconds.keys() - set(first))]

    def _fastest_first(self, tests: Iterable[str]) -> list[str]:
        return sorted(tests, key=lambda test: (self.seconds[test], test))


def read_test_map(directory: Path) -> CoverageMap:
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
    return CoverageMap(
        seconds={test: seconds for test, (seconds, _) in tests.items()},
        skipped=frozenset(test for test, (_, skipped) in tests.items() if skipped),
        lines=lines,
    )
