"""The mutation tool finds the sites it promises, changes exactly one, and skips the rest."""

from __future__ import annotations

import ast
from pathlib import Path

from tools.mutation._coverage import CoverageMap
from tools.mutation._mutants import mutant_lines, mutants, mutated_tree
from tools.mutation._run import _SKIPPED

SOURCE = '''
"""A docstring is never mutated."""
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    LIMIT = 3

__all__ = ["f"]


def f(x: int, flag: bool = True) -> int:
    """Nor is this one."""
    if x < 10 and not flag:
        x += 1
    keep = 2  # pragma: no mutate
    return x + keep


def __repr__() -> str:
    return "never mutated" if 1 == 1 else ""
'''


def _run(tree: ast.Module, *args: object) -> object:
    namespace: dict[str, object] = {}
    exec(compile(tree, "<mutant>", "exec"), namespace)
    function = namespace["f"]
    assert callable(function)
    return function(*args)


def test_each_operator_is_found_once_outside_skipped_code(tmp_path: Path) -> None:
    path = tmp_path / "sample.py"
    path.write_text(SOURCE)
    found = [(m.line, m.operator) for m in mutants(path, "sample")]
    assert found == [
        (11, "True->False"),
        (13, "And->Or"),
        (13, "Lt->LtE"),
        (13, "10->11"),
        (13, "drop-not"),
        (14, "delete-AugAssign"),
        (14, "1->2"),
        (16, "return-None"),
        (16, "Add->Sub"),
    ]


def test_a_mutant_changes_behaviour_and_leaves_the_rest_alone() -> None:
    original = ast.parse(SOURCE)
    assert _run(original, 3, False) == 6
    assert _run(mutated_tree(SOURCE, 5), 3, False) == 5  # x += 1 deleted
    assert _run(mutated_tree(SOURCE, 7), 3, False) is None  # return None
    assert _run(mutated_tree(SOURCE, 8), 3, False) == 2  # x - keep
    assert _run(mutated_tree(SOURCE, 4), 3, True) == 6  # `not flag` became `flag`


def test_the_skip_count_is_read_from_pytests_summary_line() -> None:
    assert _SKIPPED.findall(b"3 failed, 120 passed, 17 skipped in 9.81s") == [b"17"]
    assert _SKIPPED.findall(b"120 passed in 9.81s") == []


def test_a_mutant_lies_on_its_own_lines_and_its_statements_first(tmp_path: Path) -> None:
    path = tmp_path / "sample.py"
    path.write_text("def f(x):\n    return g(\n        x < 1,\n    )\n")
    found = dict(
        zip((m.operator for m in mutants(path, "sample")), mutant_lines(path), strict=True)
    )
    assert found == {"return-None": {2, 3, 4}, "Lt->LtE": {2, 3}, "1->2": {2, 3}}


def test_the_tests_reaching_a_line_come_fastest_first_and_the_rest_after() -> None:
    tests = CoverageMap(
        seconds={"slow": 2.0, "fast": 0.1, "other": 0.5},
        skipped=frozenset(),
        lines={"/m.py": {3: frozenset({"slow", "fast"}), 4: frozenset({""})}},
    )
    assert tests.covering(Path("/m.py"), [3]) == (["fast", "slow"], False)
    assert tests.covering(Path("/m.py"), [4]) == ([], True)
    assert tests.covering(Path("/m.py"), [5]) == ([], False)
    assert tests.every_test(first=["slow"]) == ["slow", "fast", "other"]
