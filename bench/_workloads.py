"""The workloads: what is measured, on which data, and what a correct run returns.

Each workload names the :class:`~bench._contenders.Contender` method that does it, the rows
stored in its collection before a run, the inputs a run gets, and the result every contender
must return. ``n`` is the number of documents a run handles, except for ``count`` and
``distinct``, where it is the number of calls.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from ._data import CopySource, key_of, people, person, row_total

__all__ = ["WORKLOAD_NAMES", "Workload", "workloads"]

WORKLOAD_NAMES = (
    "bulk_insert",
    "save_one_by_one",
    "get_by_key",
    "get_many",
    "query",
    "query_keys",
    "query_all_fields",
    "count",
    "distinct",
    "update",
    "stream",
    "copy",
    "copy_upsert",
)


@dataclass(frozen=True)
class Workload:
    """One job every contender does, the same way, on the same data."""

    name: str
    #: ``read`` workloads leave the data as they found it; ``write`` ones change it
    kind: Literal["read", "write"]
    n: int
    #: how many people the collection holds before a run (keys ``key_of(0..stored-1)``)
    stored: int
    #: the inputs of one run, built fresh for each (not timed)
    inputs: Callable[[], tuple[Any, ...]]
    #: what a correct run returns
    expected: Any
    #: after a run, the server must hold ``written[1]`` documents matching ``written[0]``
    written: tuple[dict[str, Any], int] | None = None
    #: run in a fresh process, to measure the growth of its peak memory
    isolated: bool = False
    #: the contenders that run it (``None``: all of them)
    contenders: tuple[str, ...] | None = None
    description: str = field(default="", compare=False)

    @property
    def reloads(self) -> bool:
        """Whether the collection is stored afresh before every run."""
        return self.kind == "write"


def _ages(indices: Iterable[int]) -> int:
    return sum(person(index)["age"] for index in indices)


def _shuffled(indices: Iterable[int], seed: int) -> list[int]:
    result = list(indices)
    random.Random(seed).shuffle(result)
    return result


def _copy(name: str, n: int, stored: int, into: str) -> Workload:
    """A copy of ``n`` records from memory:// into a collection holding ``stored`` of them,
    run by raw pymongo and doqu-dict only (doqu.copy takes no document class)."""
    return Workload(
        name=name,
        kind="write",
        n=n,
        stored=stored,
        inputs=lambda: (CopySource(n),),
        expected=n,
        written=({}, n),
        contenders=("pymongo", "doqu-dict"),
        description=f"copy {n} records from memory:// {into}",
    )


def _query(name: str, queried: int, expected: int, reading: str) -> Workload:
    """A filtered query returning ``queried`` of twice as many stored people, iterated."""
    return Workload(
        name=name,
        kind="read",
        n=queried,
        stored=2 * queried,
        inputs=tuple,
        expected=expected,
        description=f"iterate a filtered query returning {queried} documents, {reading}",
    )


def workloads(scale: float = 1.0) -> list[Workload]:
    """Every workload, its default sizes multiplied by ``scale``.

    Where the work is the server's (``count``, ``distinct``, ``update``, the lookups of
    ``get_by_key``), the collections are small: the client does the same work whatever their
    size, and a server that scans (FerretDB on SQLite does) would otherwise dominate the run.
    """

    def size(default: int, least: int = 1) -> int:
        return max(least, round(default * scale))

    inserted, saved, got, queried = size(10_000), size(1_000), size(1_000), size(10_000)
    calls, updated, streamed = size(100), size(250), size(200_000)
    # upserts cost FerretDB v1 a scan each (2,000 take ~5 s): the upsert copy stays small
    copied, upserted = size(20_000), size(2_000)
    # get_by_key asks for each of its (few) stored keys several times; get_many for distinct keys
    lookup_pool, many_pool, filter_pool = size(100), size(1_000, got), size(100, 2)
    lookups = _shuffled((index % lookup_pool for index in range(got)), seed=1)
    many = _shuffled(range(got), seed=2)
    active = range(0, 2 * queried, 2)  # the people the queries select
    cities = sorted({person(index)["address"]["city"] for index in range(0, filter_pool, 2)})
    return [
        Workload(
            name="bulk_insert",
            kind="write",
            n=inserted,
            stored=0,
            inputs=lambda: (people(range(inserted)),),
            expected=inserted,
            written=({}, inserted),
            description=f"insert {inserted} new documents in bulk",
        ),
        Workload(
            name="save_one_by_one",
            kind="write",
            n=saved,
            stored=0,
            inputs=lambda: (people(range(saved)),),
            expected=saved,
            written=({}, saved),
            description=f"save {saved} new documents one at a time",
        ),
        Workload(
            name="get_by_key",
            kind="read",
            n=got,
            stored=lookup_pool,
            inputs=lambda: ([key_of(index) for index in lookups],),
            expected=_ages(lookups),
            description=f"get {got} documents by key, one call each, from {lookup_pool} stored",
        ),
        Workload(
            name="get_many",
            kind="read",
            n=got,
            stored=many_pool,
            inputs=lambda: ([key_of(index) for index in many],),
            expected=_ages(many),
            description=f"get {got} documents by key in one call",
        ),
        _query("query", queried, _ages(active), "read one field"),
        _query("query_keys", queried, _ages(active) + queried * len(key_of(0)), "with each key"),
        _query(
            "query_all_fields",
            queried,
            sum(row_total(person(index)) for index in active),
            "reading every field of each document",
        ),
        Workload(
            name="count",
            kind="read",
            n=calls,
            stored=filter_pool,
            inputs=lambda: (calls,),
            expected=sum(1 for index in range(filter_pool) if person(index)["age"] >= 40),
            description=f"count with a filter over {filter_pool} documents, {calls} calls",
        ),
        Workload(
            name="distinct",
            kind="read",
            n=calls,
            stored=filter_pool,
            inputs=lambda: (calls,),
            expected=cities,
            description=f"distinct values with a filter over {filter_pool} documents, "
            f"{calls} calls",
        ),
        Workload(
            name="update",
            kind="write",
            n=updated,
            stored=2 * updated,
            inputs=tuple,
            expected=updated,
            written=({"active": True, "score": -1.0}, updated),
            description=f"update a filtered set of {updated} documents",
        ),
        Workload(
            name="stream",
            kind="read",
            n=streamed,
            stored=streamed,
            inputs=tuple,
            expected=_ages(range(streamed)),
            isolated=True,
            description=f"stream {streamed} documents through a query, in a fresh process",
        ),
        _copy("copy", copied, 0, "into an empty collection"),
        _copy("copy_upsert", upserted, 1, "into a collection holding one of them (upserts)"),
    ]
