"""``python -m bench.hydration``: documents built and dumped, and loaded and read, in process.

Contenders: a doqu Document, pydantic v2, msgspec, a slotted dataclass and plain dicts, on the
benchmark's eight-field people, with the same checks each library does by default (doqu and
pydantic validate every field, msgspec converts and checks types, the dataclass checks
nothing). CPU time per record, median of the rounds, contenders rotated each round; ratios are
to pydantic. The medians go to ``bench/results/hydration.json``.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import json
import statistics
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import msgspec
import pydantic

from ._data import people
from ._models import Person

__all__ = ["main", "measure"]

Row = dict[str, Any]


class _PAddress(pydantic.BaseModel):
    city: str
    zip: str | None = None


class _PPerson(pydantic.BaseModel):
    name: str
    email: str
    age: int
    score: float = 0.0
    active: bool = True
    created: datetime.datetime | None = None
    tags: list[str] = []
    address: _PAddress | None = None


class _MAddress(msgspec.Struct):
    city: str
    zip: str | None = None


class _MPerson(msgspec.Struct):
    name: str
    email: str
    age: int
    score: float = 0.0
    active: bool = True
    created: datetime.datetime | None = None
    tags: list[str] = []
    address: _MAddress | None = None


@dataclasses.dataclass(slots=True)
class _DPerson:
    name: str
    email: str
    age: int
    score: float
    active: bool
    created: datetime.datetime
    tags: list[str]
    address: dict[str, Any]


def _read(person: Any) -> None:
    # every field once, the nested one twice (a second read may reuse the first's view)
    person.name, person.email, person.age, person.score, person.active  # noqa: B018
    person.created, person.tags, person.address, person.address  # noqa: B018


def _read_dict(row: Row) -> None:
    row["name"], row["email"], row["age"], row["score"], row["active"]
    row["created"], row["tags"], row["address"], row["address"]


#: build + dump: a row in, the record to store out
BUILD: dict[str, Callable[[Row], object]] = {
    "doqu": lambda row: Person(**row).to_record(),
    "pydantic": lambda row: _PPerson(**row).model_dump(),
    "msgspec": lambda row: msgspec.to_builtins(msgspec.convert(row, _MPerson)),
    "dataclass": lambda row: dataclasses.asdict(_DPerson(**row)),
}
#: load + read every field: a stored record in
LOAD: dict[str, Callable[[Row], None]] = {
    "doqu": lambda row: _read(Person.from_record(row, None)),
    "pydantic": lambda row: _read(_PPerson.model_construct(**row)),
    "msgspec": lambda row: _read(msgspec.convert(row, _MPerson)),
    "dataclass": lambda row: _read(_DPerson(**row)),
    "dict": _read_dict,
}


def _per_record(work: Callable[[Row], object], rows: Sequence[Row]) -> float:
    start = time.process_time()
    for row in rows:
        work(row)
    return (time.process_time() - start) / len(rows)


def measure(n: int, rounds: int) -> dict[str, dict[str, float]]:
    """Median CPU seconds per record, by workload and contender."""
    rows = people(range(n))
    results: dict[str, dict[str, float]] = {}
    for workload, contenders in (("build+dump", BUILD), ("load+read", LOAD)):
        names = list(contenders)
        times: dict[str, list[float]] = {name: [] for name in names}
        for round_ in range(rounds + 1):  # the first round warms up
            order = names[round_ % len(names) :] + names[: round_ % len(names)]
            for name in order:
                spent = _per_record(contenders[name], rows)
                if round_:
                    times[name].append(spent)
        results[workload] = {name: statistics.median(spent) for name, spent in times.items()}
    return results


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.hydration", description=__doc__)
    parser.add_argument("--n", type=int, default=10_000, help="records per round")
    parser.add_argument("--rounds", type=int, default=5, help="measured rounds")
    parser.add_argument(
        "--output",
        type=Path,
        default=Path(__file__).resolve().parent / "results" / "hydration.json",
        help="the JSON results (CPU seconds per record, by workload and contender)",
    )
    args = parser.parse_args(argv)
    results = measure(args.n, args.rounds)
    for workload, medians in results.items():
        print(f"{workload:<12} {'us/record':>10} {'x pydantic':>11}")
        for name, seconds in medians.items():
            ratio = seconds / medians["pydantic"]
            print(f"  {name:<10} {seconds * 1e6:>10.2f} {ratio:>11.2f}")
    document = {"n": args.n, "rounds": args.rounds, "median_cpu_s_per_record": results}
    args.output.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
