"""Registers the sqlite backend with doqu's discovery (entry point ``doqu: sqlite``)."""

from __future__ import annotations

from doqu import BackendSpec, Target, hookimpl

from ._targets import sqlite_target

__all__ = ["doqu_backends", "doqu_test_targets"]


@hookimpl
def doqu_backends() -> list[BackendSpec]:
    return [
        BackendSpec(
            "sqlite",
            schemes=("sqlite",),
            adapter="doqu_sqlite._storage:SQLiteStorage",
            description="a durable SQLite database file: one table per collection, JSON records",
        )
    ]


@hookimpl
def doqu_test_targets() -> list[Target]:
    return [sqlite_target()]
