"""Registers the postgres backend with doqu's discovery (entry point ``doqu: postgres``)."""

from __future__ import annotations

from doqu import BackendSpec, Target, hookimpl

from ._targets import postgres_target

__all__ = ["doqu_backends", "doqu_test_targets"]


@hookimpl
def doqu_backends() -> list[BackendSpec]:
    return [
        BackendSpec(
            "postgres",
            schemes=("postgresql", "postgres"),
            adapter="doqu_postgres._storage:PostgresStorage",
            description="PostgreSQL through psycopg 3: a JSONB table per collection",
        )
    ]


@hookimpl
def doqu_test_targets() -> list[Target]:
    return [postgres_target()]
