"""Copying records from one storage to another, whatever backends hold them."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from itertools import islice

from ._query import Key, QuerySpec
from ._records import Record, check_record
from ._storage import StorageAdapter
from .errors import DoquError, InvalidDocumentError, PartialWriteError

__all__ = ["CopyProgress", "ProgressCallback", "copy", "count_if_cheap", "target_key"]


@dataclass(frozen=True)
class CopyProgress:
    """How far a copy (or its verification) has got; given to its ``progress`` callback."""

    #: records copied (or compared) so far
    done: int
    #: how many there are in all, when the source counts without reading every record
    total: int | None
    #: seconds since the copy began
    elapsed: float

    @property
    def rate(self) -> float | None:
        """Records per second so far (``None`` before any time has passed)."""
        return self.done / self.elapsed if self.elapsed > 0 else None

    @property
    def remaining(self) -> float | None:
        """Seconds left at the rate so far (``None`` without a total or a rate)."""
        rate = self.rate
        if self.total is None or not rate:
            return None
        return max(self.total - self.done, 0) / rate


#: what ``copy(progress=...)`` and ``verify_copy(progress=...)`` call, once at the start and
#: after every batch; an exception it raises (``KeyboardInterrupt`` too) stops the copy.
ProgressCallback = Callable[[CopyProgress], None]


def copy(
    source: StorageAdapter,
    target: StorageAdapter,
    *,
    batch_size: int = 1000,
    overwrite: bool = True,
    progress: ProgressCallback | None = None,
) -> int:
    """Copy every record of ``source`` into ``target`` under the same keys; return the count.

    Into an empty target (or with ``overwrite=False``) records go in as plain bulk inserts
    (the backend's ``insert_records``); otherwise as upserts that replace records ``target``
    already has under those keys and keep all others. With ``overwrite=False`` a key already
    in ``target`` is an error and nothing there is replaced. A key the target cannot hold as it
    is (an ObjectId copied into a backend of str keys) is stored under its string form,
    ``source.key_to_str(key)``.

    Records stream in batches of ``batch_size``, each checked against the target's
    capabilities before it is written; memory holds one batch and the keys written. When a
    write fails after records were stored, :class:`~doqu.errors.PartialWriteError` lists the
    keys stored in the target (``.written``), the backend's error as its cause; copying again
    with ``overwrite=True`` is idempotent. ``progress`` is called with a
    :class:`CopyProgress` before the first batch and after each one.
    """
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size!r}")
    insert = not overwrite or target.count_records(QuerySpec(limit=1)) == 0
    write = target.insert_records if insert else target.put_records
    total = count_if_cheap(source) if progress is not None else None
    started = time.monotonic()
    if progress is not None:
        progress(CopyProgress(0, total, 0.0))
    written: list[Key] = []
    records = source.query_items(QuerySpec())
    while batch := list(islice(records, batch_size)):
        items: list[tuple[Key, Record]] = []
        for key, record in batch:
            try:
                check_record(record, target.capabilities)
            except DoquError as e:
                note = f"while copying record {key!r}; {len(written)} records were copied before it"
                e.add_note(note)
                raise
            items.append((target_key(source, target, key), record))
        try:
            write(items)
        except DoquError as error:
            partial = _partial(error, written, source, total)
            if partial is None:
                raise
            raise partial from partial.__cause__
        written += [key for key, _ in items]
        if progress is not None:
            progress(CopyProgress(len(written), total, time.monotonic() - started))
    return len(written)


def _partial(
    error: DoquError, written: list[Key], source: StorageAdapter, total: int | None
) -> PartialWriteError | None:
    """The ``PartialWriteError`` for ``error`` (its cause set), or ``None`` if nothing was
    written: then ``error`` is raised as it is."""
    cause: BaseException = error
    if isinstance(error, PartialWriteError):  # the failed batch was partly written
        written = written + error.written
        cause = error.__cause__ or error
    if not written:
        return None
    if total is None:
        total = len(source)
    partial = PartialWriteError(
        f"copy() wrote {len(written)} of {total} records, then failed: {cause}; the keys "
        "written are the error's .written. Copying again with overwrite=True replaces what "
        "is there and is idempotent",
        written=written,
        total=total,
    )
    partial.__cause__ = cause
    return partial


def count_if_cheap(source: StorageAdapter) -> int | None:
    """``len(source)`` when its backend counts without reading every record, else ``None``."""
    if type(source).count_records is StorageAdapter.count_records:
        return None
    return len(source)


def target_key(source: StorageAdapter, target: StorageAdapter, key: Key) -> Key:
    """The key ``copy`` stores ``source``'s record under in ``target``."""
    try:
        return target.check_key(key)
    except InvalidDocumentError:
        return target.check_key(source.key_to_str(key))
