"""An adapter written halfway: ``_remove`` and ``_query`` are not implemented."""

import uuid
from collections.abc import Iterator, Sequence
from typing import Any, Self

import doqu


class IncompleteStorage(doqu.StorageAdapter):
    backend = "incomplete"

    def __init__(self) -> None:
        self._records: dict[str, dict[str, Any]] = {}

    @classmethod
    def from_url(cls, url: str, **options: Any) -> Self:
        return cls()

    def _add(self, record: dict[str, Any]) -> str:
        key = uuid.uuid4().hex
        self._put(key, record)
        return key

    def _put(self, key: str, record: dict[str, Any]) -> None:
        self._records[key] = dict(record)

    def _fetch(self, keys: Sequence[str]) -> Iterator[tuple[str, dict[str, Any]]]:
        return ((key, dict(self._records[key])) for key in keys if key in self._records)

    def _clear(self) -> None:
        self._records.clear()
