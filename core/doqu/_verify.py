"""Checking a copy: the same count, and every record equal under the key ``copy`` used."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Literal

from ._copy import CopyProgress, ProgressCallback, count_if_cheap, target_key
from ._query import Key, QuerySpec
from ._storage import StorageAdapter
from ._values import sort_key
from .errors import InvalidDocumentError

__all__ = ["CopyVerification", "verify_copy"]

Kind = Literal["missing", "changed", "extra"]


@dataclass(frozen=True)
class CopyVerification:
    """What :func:`verify_copy` found; ``same`` when the target holds exactly the source."""

    #: records read from the source (each compared with the target's)
    source_records: int
    #: records in the target
    target_records: int
    #: source records the target lacks (under the key ``copy`` would use)
    missing: int
    #: source records whose target record differs
    changed: int
    #: target records under keys no source record maps to
    extra: int
    #: the first few differences found, as ``(kind, key)``: a source key for ``missing`` and
    #: ``changed``, a target key for ``extra``
    examples: tuple[tuple[Kind, Key], ...]

    @property
    def same(self) -> bool:
        """Whether nothing differs."""
        return not (self.missing or self.changed or self.extra)


def verify_copy(
    source: StorageAdapter,
    target: StorageAdapter,
    *,
    batch_size: int = 1000,
    examples: int = 10,
    progress: ProgressCallback | None = None,
) -> CopyVerification:
    """Compare ``target`` with ``source`` as :func:`doqu.copy` left it, record by record.

    Source records stream in batches; each batch's counterparts are fetched from the target
    in one call (under the key ``copy`` stores them under) and compared with doqu's equality
    of values (the one ``equals`` queries use: same type bracket and value, fields in order).
    When the target holds more records than matched, its keys are streamed to name the extra
    ones. Memory holds one batch; ``examples`` bounds the keys reported of each kind.
    """
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size!r}")
    found: list[tuple[Kind, Key]] = []
    counts: dict[Kind, int] = {"missing": 0, "changed": 0, "extra": 0}

    def differ(kind: Kind, key: Key) -> None:
        counts[kind] += 1
        if sum(1 for seen, _ in found if seen == kind) < examples:
            found.append((kind, key))

    total = count_if_cheap(source) if progress is not None else None
    started = time.monotonic()
    compared = 0
    records = source.query_items(QuerySpec())
    while batch := list(islice(records, batch_size)):
        mapped = [(key, target_key(source, target, key), record) for key, record in batch]
        there = dict(target.fetch_records([copied for _, copied, _ in mapped]))
        for key, copied, record in mapped:
            if copied not in there:
                differ("missing", key)
            elif sort_key(record) != sort_key(there[copied]):
                differ("changed", key)
        compared += len(batch)
        if progress is not None:
            progress(CopyProgress(compared, total, time.monotonic() - started))
    in_target = len(target)
    if in_target > compared - counts["missing"]:
        for key in _extra_keys(source, target, batch_size):
            differ("extra", key)
    return CopyVerification(
        compared, in_target, counts["missing"], counts["changed"], counts["extra"], tuple(found)
    )


def _extra_keys(source: StorageAdapter, target: StorageAdapter, batch_size: int) -> Iterator[Key]:
    """Target keys that no source key maps to (see ``target_key``)."""
    keys = iter(target)
    while batch := list(islice(keys, batch_size)):
        candidates = {key: _sources_of(source, key) for key in batch}
        wanted = list(dict.fromkeys(k for found in candidates.values() for k in found))
        present = {key for key, _ in source.fetch_records(wanted)} if wanted else set()
        for key, found in candidates.items():
            if not any(candidate in present for candidate in found):
                yield key


def _sources_of(source: StorageAdapter, key: Key) -> list[Key]:
    """The source keys ``copy`` may have stored under target key ``key``: itself, or the key
    whose string form it is."""
    found = []
    for make in (source.check_key, source.key_from_str):
        try:
            found.append(make(key))
        except (InvalidDocumentError, TypeError):
            continue
    return found
