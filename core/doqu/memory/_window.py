"""The window of an ordered query, read off the index of its first order field.

An ``order_by("score")[:20]`` over a million records need not test and sort every record: the
field index gives the records in the order's first field (:meth:`FieldIndex.in_order`), so
testing them in that order and stopping once the window is full reads about ``stop / share``
records, where ``share`` is the part of the collection the condition selects. Records that tie
on the first field are sorted as the evaluator sorts them (the other order fields, then the
key), so the window is exactly the one ``run`` gives.
"""

from __future__ import annotations

from collections.abc import Mapping

from .._evaluate import matcher, sort_records
from .._query import Key, QuerySpec
from .._records import Record
from ._index import SMALL, FieldIndex

__all__ = ["ordered_window"]


def ordered_window(
    spec: QuerySpec,
    indexes: Mapping[str, FieldIndex],
    records: Mapping[Key, Record],
    found: set[Key] | None,
) -> list[tuple[Key, Record]] | None:
    """The pairs ``spec`` selects, walking the index of its first order field, or ``None``
    when it has none or the walk would cost more than testing and sorting the candidates.

    ``found`` is a superset of the matching keys (``None``: every record may match). Under
    independence the walk reads ``total * stop / len(found)`` records before the window is
    full, and the heap reads ``len(found)``: it walks when that is fewer. Collections of at most
    ``SMALL`` records always walk, so tests see it.
    """
    if not spec.order:
        return None
    field, descending = spec.order[0]
    index = indexes.get(field)
    if index is None:
        return None
    total = len(records)
    stop = None if spec.limit is None else spec.offset + spec.limit
    if total > SMALL:
        share = total if found is None else len(found)
        if stop is None or share * share <= total * stop:
            return None
    test = matcher(spec.condition)
    rest = spec.order[1:]
    window: list[tuple[Key, Record]] = []
    for group in index.in_order(descending):
        hits = [
            (key, records[key])
            for key in group
            if (found is None or key in found) and test(records[key])
        ]
        if len(hits) > 1:
            hits = sort_records(hits, rest)
        window.extend(hits)
        if stop is not None and len(window) >= stop:
            break
    return window[spec.offset : stop]
