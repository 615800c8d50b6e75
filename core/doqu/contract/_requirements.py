"""Gating contract tests on declared capabilities, and applying a backend's known gaps.

A test that needs a capability says so with :func:`requires`; it is skipped, naming the
capability, on a backend that does not declare it, and run (so it fails) on a backend that
declares what it cannot do. Backend names never appear here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

import pytest

from .._capabilities import Capabilities, KnownGap

__all__ = [
    "MARKER",
    "contract_id",
    "declared_capabilities",
    "expect_known_gap",
    "is_randomized",
    "randomized",
    "required_capabilities",
    "requires",
    "select_by_contract_class",
    "skip_undeclared",
]

#: the marker :func:`requires` applies; registered by the ``doqu_contract`` pytest plugin.
MARKER = "doqu_requires"
#: the attribute :func:`randomized` sets on a test function.
_RANDOMIZED = "__doqu_randomized__"
F = TypeVar("F", bound=Callable[..., Any])
# the package the contract tests live in
_SUITE = __name__.rpartition(".")[0] + ".suite"


def requires(*capabilities: str) -> pytest.MarkDecorator:
    """Mark a contract test (or class) as needing every one of ``capabilities``.

    Raises ``ValueError`` at import time for a name :class:`doqu.Capabilities` does not define,
    so a typo cannot turn a test into one that always runs.
    """
    known = Capabilities.names()
    unknown = [name for name in capabilities if name not in known]
    if not capabilities or unknown:
        raise ValueError(
            f"requires() takes capability names, got {unknown or list(capabilities)!r}; "
            f"valid names: {', '.join(known)}"
        )
    return pytest.mark.doqu_requires(*capabilities)


def randomized(function: F) -> F:
    """Mark a contract test as randomized: no :class:`~doqu.KnownGap` may cover it, since a gap
    would hide every difference it could find, not just the one declared."""
    setattr(function, _RANDOMIZED, True)
    return function


def is_randomized(function: Callable[..., Any]) -> bool:
    """Whether :func:`randomized` marked ``function``."""
    return bool(getattr(function, _RANDOMIZED, False))


def required_capabilities(node: pytest.Item) -> tuple[str, ...]:
    """Every capability the test ``node`` requires (its own and its classes' marks)."""
    return _names(node.iter_markers(MARKER))


def declared_capabilities(cls: type, name: str) -> tuple[str, ...]:
    """Every capability contract test ``name`` of contract class ``cls`` requires, read from
    the marks :func:`requires` put on the class and the test (no pytest run needed)."""
    marks = [*vars(cls).get("pytestmark", ()), *getattr(vars(cls)[name], "pytestmark", ())]
    return _names(mark for mark in marks if mark.name == MARKER)


def _names(marks: Iterable[pytest.Mark]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(name for mark in marks for name in mark.args))


def skip_undeclared(node: pytest.Item, capabilities: Capabilities, backend: str) -> None:
    """Skip ``node`` if ``capabilities`` lacks one that it requires."""
    for name in required_capabilities(node):
        if not getattr(capabilities, name):
            pytest.skip(f"{backend} does not declare capability {name!r}")


def contract_id(function: Callable[..., Any]) -> str:
    """The stable id of a contract test, ``"ClassName::test_name"``, whoever subclasses it.

    The class is the contract class that defines the test, so a backend's subclass name (or
    pytest parametrisation) never changes the id a :class:`~doqu.KnownGap` refers to.
    """
    return "::".join(function.__qualname__.split(".")[-2:])


def select_by_contract_class(item: pytest.Item) -> None:
    """Let ``-k SaveContract`` select a contract test under whichever class collects it."""
    if isinstance(item, pytest.Function) and item.function.__module__.startswith(_SUITE):
        item.extra_keyword_matches.add(contract_id(item.function).partition("::")[0])


def expect_known_gap(node: pytest.Item, gaps: Sequence[KnownGap], backend: str) -> None:
    """Turn the test into a strict ``xfail`` if ``gaps`` declares it.

    pytest evaluates ``xfail`` marks again when the test body starts if none were found at
    setup, so a mark added from a fixture still applies; ``strict`` makes a declared gap that
    no longer fails break the run, so stale declarations do not linger.
    """
    if not isinstance(node, pytest.Function):
        return
    test = contract_id(node.function)
    for gap in gaps:
        if gap.test == test:
            if is_randomized(node.function):
                pytest.fail(
                    f"{backend} declares a KnownGap for the randomized test {test!r}: a gap "
                    "there would hide every difference it finds; declare the difference as "
                    "a doqu.Quirk (or a capability) instead",
                    pytrace=False,
                )
            node.add_marker(
                pytest.mark.xfail(
                    strict=True,
                    raises=gap.raises,
                    reason=f"known gap of {backend} ({gap.kind}): {gap.reason}",
                )
            )
            return
