"""The error tree is documented once and the same way: ``doqu.errors``'s docstring and
docs/errors.md draw the same tree, and the docs say when each class is raised."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from doqu import errors

DOC = (Path(__file__).resolve().parents[2] / "docs" / "errors.md").read_text(encoding="utf-8")


def _tree(text: str) -> list[str]:
    """The lines of the tree drawn in ``text``, from ``DoquError`` to its last branch."""
    lines = [line.strip() for line in text.splitlines()]
    start = lines.index("DoquError")
    end = next(i for i in range(start + 1, len(lines)) if not lines[i].startswith(("├", "│", "└")))
    return lines[start:end]


def test_the_docs_draw_the_tree_of_the_module_docstring() -> None:
    assert _tree(DOC) == _tree(str(errors.__doc__))


@pytest.mark.parametrize("name", [name for name in errors.__all__ if name != "DoquError"])
def test_every_error_class_is_in_the_tree_and_says_when_it_is_raised(name: str) -> None:
    assert re.search(rf"[├└]── {name}\b", DOC)
    assert re.search(rf"^\| `{name}` \| \S", DOC, re.MULTILINE)
