"""Which key of an insert is taken: the check behind ``insert_records`` and its errors."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ._query import Key
from ._records import Record
from .errors import DuplicateKeyError

if TYPE_CHECKING:
    from ._protocol import BackendProtocol

__all__ = ["duplicate_of"]


def duplicate_of(
    storage: BackendProtocol, items: Sequence[tuple[Key, Record]]
) -> DuplicateKeyError | None:
    """The error for the first of ``items`` whose key is stored already or repeats an earlier
    item's (one ``fetch_records`` call), or ``None`` when every key is free.

    A backend whose insert failed on its primary key, and wrote nothing, raises this to name
    the key; the default ``insert_records`` checks with it before writing.
    """
    keys = [key for key, _ in items]
    stored = {key for key, _ in storage.fetch_records(keys)} if keys else set()
    seen: set[Key] = set()
    for position, key in enumerate(keys):
        if key in stored or key in seen:
            where = "is already stored" if key in stored else "appears twice in the records"
            return DuplicateKeyError(
                f"cannot insert record {position} of {len(keys)}: key {key!r} {where} in "
                f"{storage!r}; nothing was written. Replace it (save(), or copy with "
                "overwrite=True) or insert under another key",
                key=key,
            )
        seen.add(key)
    return None
