"""An adapter written halfway: ``remove_record`` and ``query_items`` are not implemented."""

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

    def add_record(self, record: dict[str, Any]) -> str:
        key = uuid.uuid4().hex
        self.put_record(key, record)
        return key

    def put_record(self, key: str, record: dict[str, Any]) -> None:
        self._records[key] = dict(record)

    def fetch_records(self, keys: Sequence[str]) -> Iterator[tuple[str, dict[str, Any]]]:
        return ((key, dict(self._records[key])) for key in keys if key in self._records)

    def clear(self) -> None:
        self._records.clear()
