"""Registers the memory backend with doqu's discovery (entry point ``doqu: memory``)."""

from __future__ import annotations

from .._hookspecs import BackendSpec, Target, hookimpl
from ._storage import MemoryOracle, MemoryStorage

__all__ = ["doqu_backends", "doqu_test_targets"]


@hookimpl
def doqu_backends() -> list[BackendSpec]:
    return [
        BackendSpec(
            "memory",
            schemes=("memory",),
            adapter="doqu.memory._storage:MemoryStorage",
            description="in-process dicts; memory:// is private, memory://NAME shared by name",
        )
    ]


@hookimpl
def doqu_test_targets() -> list[Target]:
    # a fresh private store per storage: tests never see each other's records
    return [Target("memory", factory=MemoryStorage, oracle=MemoryOracle, required=True)]
