"""Registers the mongodb backend with doqu's discovery (entry point ``doqu: mongodb``).

One backend serves ``mongodb://``, ``mongodb+srv://`` and ``mongomock://``: mongomock is a
stand-in for the server behind the same adapter, not another backend, and a storage narrows
its capabilities to the server it finds.
"""

from __future__ import annotations

from doqu import BackendSpec, Target, hookimpl

from ._targets import mongodb_target, mongomock_target

__all__ = ["doqu_backends", "doqu_test_targets"]


@hookimpl
def doqu_backends() -> list[BackendSpec]:
    return [
        BackendSpec(
            "mongodb",
            schemes=("mongodb", "mongodb+srv", "mongomock"),
            adapter="doqu_mongodb._storage:MongoStorage",
            description="MongoDB through pymongo (also FerretDB); mongomock:// runs in process",
        )
    ]


@hookimpl
def doqu_test_targets() -> list[Target]:
    return [mongomock_target(), mongodb_target()]
