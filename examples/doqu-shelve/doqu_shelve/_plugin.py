"""The hook module doqu finds through the entry point ``[project.entry-points.doqu] shelve``.

It stays cheap to import: the adapter is named by its path and imported only when a
``shelve://`` URL is used or ``doqu backends`` lists it.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from typing import Any

import doqu

from ._storage import ShelveStorage

__all__ = ["ShelveOracle", "doqu_backends", "doqu_test_targets"]


@doqu.hookimpl
def doqu_backends() -> list[doqu.BackendSpec]:
    return [
        doqu.BackendSpec(
            "shelve",
            schemes=("shelve",),
            adapter="doqu_shelve._storage:ShelveStorage",
            description="records pickled into a file by the standard library's shelve",
        )
    ]


@doqu.hookimpl
def doqu_test_targets() -> list[doqu.Target]:
    files = _TemporaryFiles()
    return [
        doqu.Target(
            "shelve",
            factory=files.new,
            oracle=ShelveOracle,
            cleanup=files.remove,
            connect_args=_connect_args,
        )
    ]


def _connect_args(storage: doqu.StorageAdapter) -> tuple[str, dict[str, str]]:
    """How another process opens ``storage``: its file's URL and its collection."""
    assert isinstance(storage, ShelveStorage)
    return f"shelve://{storage.path}", {"collection": storage.collection}


class _TemporaryFiles:
    """Fresh shelve files in one temporary directory, made on first use."""

    def __init__(self) -> None:
        self._directory: str | None = None

    def new(self) -> ShelveStorage:
        if self._directory is None:
            self._directory = tempfile.mkdtemp(prefix="doqu-shelve-")
        return ShelveStorage(os.path.join(self._directory, f"{uuid.uuid4().hex}.db"))

    def remove(self) -> None:
        if self._directory is not None:
            shutil.rmtree(self._directory, ignore_errors=True)
            self._directory = None


class ShelveOracle:
    """Raw access to a shelve storage's records that bypasses the adapter under test (the
    contract suite's back door): it reads and writes the shelf itself."""

    def __init__(self, storage: doqu.StorageAdapter) -> None:
        if not isinstance(storage, ShelveStorage):
            raise TypeError(f"ShelveOracle reads ShelveStorage only, got {storage!r}")
        self._storage = storage

    def get(self, key: str) -> dict[str, Any] | None:
        """The record stored under ``key``, or ``None``."""
        with self._storage._locked() as shelf:
            record: dict[str, Any] | None = shelf.get(self._storage._prefix + key)
            return record

    def put(self, key: str, record: dict[str, Any]) -> None:
        """Store ``record`` under ``key``, replacing any record there."""
        with self._storage._locked() as shelf:
            shelf[self._storage._prefix + key] = record
            shelf.sync()

    def keys(self) -> list[str]:
        """Every stored key of the storage's collection."""
        with self._storage._locked() as shelf:
            return [key for key, _ in self._storage._slots(shelf)]
