"""The mutants of a module: where they are, what they change, and the mutated syntax tree.

Sites are found by one deterministic walk of the module's syntax tree, so a mutant is named by
its module and its index in that walk, and the test process rebuilds exactly the same mutant
from the same source. Docstrings, annotations, ``TYPE_CHECKING`` blocks, ``__repr__`` and lines
marked ``# pragma: no mutate`` are left alone: changing them changes no behaviour.
"""

from __future__ import annotations

import ast
import copy
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Mutant", "mutant_lines", "mutants", "mutated_tree"]

_COMPARE_SWAPS: dict[type[ast.cmpop], type[ast.cmpop]] = {
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
}
_BINOP_SWAPS: dict[type[ast.operator], type[ast.operator]] = {
    ast.Add: ast.Sub,
    ast.Sub: ast.Add,
    ast.Mult: ast.FloorDiv,
    ast.BitAnd: ast.BitOr,
    ast.BitOr: ast.BitAnd,
}
_SKIPPED_FUNCTIONS = frozenset({"__repr__", "__str__"})
_PRAGMA = "# pragma: no mutate"


@dataclass(frozen=True)
class Mutant:
    """One change to one module."""

    module: str
    index: int
    line: int
    column: int
    operator: str

    @property
    def id(self) -> str:
        """``module:line:column:operator``, the name results and justifications use."""
        return f"{self.module}:{self.line}:{self.column}:{self.operator}"


# A site is (node, description, apply): apply(node) changes the copy of the tree in place.
_Apply = Callable[[ast.AST], None]


def _sites(tree: ast.Module, source_lines: list[str]) -> Iterator[tuple[ast.AST, str, _Apply]]:
    for node in _walk(tree):
        line = getattr(node, "lineno", 0)
        if line and _PRAGMA in source_lines[line - 1]:
            continue
        if isinstance(node, ast.Compare):
            for position, op in enumerate(node.ops):
                swap = _COMPARE_SWAPS.get(type(op))
                if swap is not None:
                    yield node, f"{type(op).__name__}->{swap.__name__}", _set_op(position, swap)
        elif isinstance(node, ast.BoolOp):
            other = ast.Or if isinstance(node.op, ast.And) else ast.And
            yield node, f"{type(node.op).__name__}->{other.__name__}", _set_attr("op", other())
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            yield node, "drop-not", _drop_not
        elif isinstance(node, ast.BinOp) and type(node.op) in _BINOP_SWAPS:
            swap_op = _BINOP_SWAPS[type(node.op)]
            yield (
                node,
                f"{type(node.op).__name__}->{swap_op.__name__}",
                _set_attr("op", swap_op()),
            )
        elif isinstance(node, ast.Constant):
            if isinstance(node.value, bool):
                yield node, f"{node.value}->{not node.value}", _set_attr("value", not node.value)
            elif isinstance(node.value, int):
                changed = node.value + 1
                yield node, f"{node.value}->{changed}", _set_attr("value", changed)
        elif isinstance(node, ast.Return) and not _returns_none(node):
            yield node, "return-None", _set_attr("value", ast.Constant(None))
        elif isinstance(node, ast.Assign | ast.AugAssign | ast.Raise) or (
            isinstance(node, ast.Expr) and isinstance(node.value, ast.Call)
        ):
            yield node, f"delete-{type(node).__name__}", _mark_deleted


def _walk(tree: ast.AST) -> Iterator[ast.AST]:
    """Every node worth mutating, in a fixed order (depth first, fields in order)."""
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        if _skipped(node):
            continue
        yield node
        children = [
            child
            for name, value in ast.iter_fields(node)
            if name not in ("annotation", "returns", "type_comment", "decorator_list")
            for child in (value if isinstance(value, list) else [value])
            if isinstance(child, ast.AST)
        ]
        stack.extend(reversed(children))


def _skipped(node: ast.AST) -> bool:
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
        return node.name in _SKIPPED_FUNCTIONS
    if isinstance(node, ast.If):
        test = node.test
        return isinstance(test, ast.Name) and test.id == "TYPE_CHECKING"
    if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
        return isinstance(node.value.value, str)  # a docstring
    if isinstance(node, ast.Assign):
        return any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets)
    return isinstance(node, ast.Import | ast.ImportFrom)


def _returns_none(node: ast.Return) -> bool:
    return node.value is None or (isinstance(node.value, ast.Constant) and node.value.value is None)


def _set_op(position: int, op: type[ast.cmpop]) -> _Apply:
    def apply(node: ast.AST) -> None:
        assert isinstance(node, ast.Compare)
        node.ops[position] = op()

    return apply


def _set_attr(name: str, value: object) -> _Apply:
    def apply(node: ast.AST) -> None:
        setattr(node, name, value)

    return apply


def _drop_not(node: ast.AST) -> None:
    assert isinstance(node, ast.UnaryOp)
    # ``not x`` becomes ``not (not x)``, the truth of ``x``, without touching the parent
    node.operand = ast.UnaryOp(op=ast.Not(), operand=node.operand)


def _mark_deleted(node: ast.AST) -> None:
    node._doqu_deleted = True  # type: ignore[attr-defined]


class _Deleter(ast.NodeTransformer):
    """Replaces statements marked deleted with ``pass``."""

    def visit(self, node: ast.AST) -> ast.AST:
        if getattr(node, "_doqu_deleted", False):
            return ast.copy_location(ast.Pass(), node)
        visited: ast.AST = super().visit(node)
        return visited


def mutants(path: Path, module: str) -> list[Mutant]:
    """Every mutant of the module at ``path``."""
    source = path.read_text()
    tree = ast.parse(source)
    return [
        Mutant(
            module, index, getattr(node, "lineno", 0), getattr(node, "col_offset", 0), description
        )
        for index, (node, description, _) in enumerate(_sites(tree, source.splitlines()))
    ]


def mutant_lines(path: Path) -> list[frozenset[int]]:
    """The source lines each mutant of the module at ``path`` (in :func:`mutants` order) lies
    on, with the first line of the statement holding it: a test that runs none of them cannot
    meet the mutant (a tracer may report a statement's continuation lines or only its first)."""
    source = path.read_text()
    tree = ast.parse(source)
    # ast.walk goes breadth first, so an inner statement claims its nodes after an outer one
    statement_line: dict[int, int] = {}
    for statement in ast.walk(tree):
        if isinstance(statement, ast.stmt):
            for node in ast.walk(statement):
                statement_line[id(node)] = statement.lineno
    found = []
    for node, _, _ in _sites(tree, source.splitlines()):
        first = getattr(node, "lineno", 0)
        last = getattr(node, "end_lineno", None) or first
        found.append(frozenset({statement_line.get(id(node), first), *range(first, last + 1)}))
    return found


def mutated_tree(source: str, index: int) -> ast.Module:
    """The syntax tree of ``source`` with mutant ``index`` applied."""
    tree = ast.parse(source)
    work = copy.deepcopy(tree)
    for position, (node, _, apply) in enumerate(_sites(work, source.splitlines())):
        if position == index:
            apply(node)
            break
    else:
        raise IndexError(f"no mutant {index} in this source")
    fixed = _Deleter().visit(work)
    assert isinstance(fixed, ast.Module)
    return ast.fix_missing_locations(fixed)
