"""Copying records from one storage to another, whatever backends hold them."""

from __future__ import annotations

from itertools import islice

from ._query import Key, QuerySpec
from ._records import check_record
from ._storage import StorageAdapter
from .errors import DoquError, InvalidDocumentError

__all__ = ["copy"]


def copy(source: StorageAdapter, target: StorageAdapter, *, batch_size: int = 1000) -> int:
    """Copy every record of ``source`` into ``target`` under the same keys; return the count.

    Records already in ``target`` under those keys are replaced. A key the target cannot hold
    as it is (an ObjectId copied into a backend of str keys) is stored under its string form,
    ``source.key_to_str(key)``. Records are checked against the target's capabilities batch by
    batch before each batch is written, and streamed, so memory stays flat for any size.
    """
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size!r}")
    records = source.query_items(QuerySpec())
    copied = 0
    while batch := list(islice(records, batch_size)):
        items: list[tuple[Key, dict[str, object]]] = []
        for key, record in batch:
            try:
                check_record(record, target.capabilities)
            except DoquError as e:
                e.add_note(f"while copying record {key!r}; {copied} records were copied before it")
                raise
            items.append((_target_key(source, target, key), record))
        target.put_records(items)
        copied += len(items)
    return copied


def _target_key(source: StorageAdapter, target: StorageAdapter, key: Key) -> Key:
    try:
        return target.check_key(key)
    except InvalidDocumentError:
        return target.check_key(source.key_to_str(key))
