"""The results: one row per (workload, contender), a table with ratios, and the targets."""

from __future__ import annotations

import json
import statistics
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from ._runner import Run
from ._workloads import Workload

__all__ = ["TARGETS", "Target", "check_targets", "render", "rows", "write_json"]

_LIMIT = "pymongo"
_PEER = "mongoengine"
_DICT = "doqu-dict"
_DOCUMENT = "doqu-document"
_DOQU = (_DICT, _DOCUMENT)

Row = dict[str, Any]


def rows(run: Run) -> list[Row]:
    """One row per (workload, contender): medians and spread over the measured rounds."""
    result = []
    for workload in run.workloads:
        for contender, samples in run.samples[workload.name].items():
            walls = [sample.wall_s for sample in samples]
            peaks = [sample.peak_rss_mb for sample in samples if sample.peak_rss_mb is not None]
            result.append(
                {
                    "workload": workload.name,
                    "contender": contender,
                    "n": workload.n,
                    "wall_median_s": statistics.median(walls),
                    "wall_min_s": min(walls),
                    "wall_max_s": max(walls),
                    "n_per_s": workload.n / statistics.median(walls),
                    "cpu_median_s": statistics.median(sample.cpu_s for sample in samples),
                    "process_cpu_median_s": statistics.median(s.process_cpu_s for s in samples),
                    "round_trips": statistics.median_low(len(s.commands) for s in samples),
                    "peak_rss_mb": max(peaks) if peaks else None,
                }
            )
    return result


@dataclass(frozen=True)
class Check:
    """One target checked on one workload."""

    workload: str
    met: bool
    detail: str


@dataclass(frozen=True)
class Target:
    """A goal the benchmark checks, on each workload it applies to."""

    text: str
    #: the workloads it applies to: named ones, every ``"read"`` workload, or all (``None``)
    workloads: tuple[str, ...] | Literal["read"] | None
    check: Callable[[dict[str, Row], Run], Check | None]

    def applies_to(self, workload: Workload) -> bool:
        """Whether this target is checked on ``workload``."""
        if self.workloads == "read":
            return workload.kind == "read"
        return self.workloads is None or workload.name in self.workloads


def _cpu_ratio(contender: str, limit: float) -> Callable[[dict[str, Row], Run], Check | None]:
    def check(by_contender: dict[str, Row], run: Run) -> Check | None:
        ours, theirs = by_contender.get(contender), by_contender.get(_LIMIT)
        if ours is None or theirs is None:
            return None
        ratio = _ratio(ours["cpu_median_s"], theirs["cpu_median_s"])
        return Check(ours["workload"], ratio <= limit, f"{ratio:.2f}x")

    return check


def _less_cpu_than_peer(by_contender: dict[str, Row], run: Run) -> Check | None:
    ours, peer = by_contender.get(_DOCUMENT), by_contender.get(_PEER)
    if ours is None or peer is None:
        return None
    factor = _ratio(peer["cpu_median_s"], ours["cpu_median_s"])
    return Check(ours["workload"], factor >= 5, f"{factor:.1f}x less")


def _same_round_trips(by_contender: dict[str, Row], run: Run) -> Check | None:
    limit = by_contender.get(_LIMIT)
    if limit is None:
        return None
    workload, most = limit["workload"], limit["round_trips"]
    trips = {name: by_contender[name]["round_trips"] for name in _DOQU if name in by_contender}
    if not trips:
        return None
    detail = ", ".join(f"{name} {count}" for name, count in {_LIMIT: most, **trips}.items())
    if any(count != most for count in trips.values()):
        detail += " | " + "; ".join(
            f"{name}: {_commands(run, workload, name)}" for name in (_LIMIT, *trips)
        )
    return Check(workload, all(count <= most for count in trips.values()), detail)


def _small_stream(by_contender: dict[str, Row], run: Run) -> Check | None:
    peaks = {
        name: by_contender[name]["peak_rss_mb"]
        for name in _DOQU
        if name in by_contender and by_contender[name]["peak_rss_mb"] is not None
    }
    if not peaks:
        return None
    workload = next(iter(by_contender.values()))["workload"]
    detail = ", ".join(f"{name} +{peak:.1f} MB" for name, peak in peaks.items())
    return Check(workload, all(peak < 50 for peak in peaks.values()), detail)


TARGETS = (
    Target(
        "doqu-dict client CPU <= 1.10x raw pymongo on every workload",
        None,
        _cpu_ratio(_DICT, 1.10),
    ),
    Target(
        "doqu-document client CPU <= 1.5x raw pymongo on read workloads",
        "read",
        _cpu_ratio(_DOCUMENT, 1.5),
    ),
    Target(
        "doqu-document uses at least 5x less client CPU than mongoengine on the query and get_many",
        ("query", "get_many"),
        _less_cpu_than_peer,
    ),
    Target(
        # fewer is met: a larger cursor batch than pymongo's default saves round trips, and
        # the streaming target keeps that batch from costing memory
        "doqu round trips equal raw pymongo's on every workload (fewer counts as met)",
        None,
        _same_round_trips,
    ),
    Target(
        "streaming: doqu's peak RSS grows by less than 50 MB",
        ("stream",),
        _small_stream,
    ),
)


def check_targets(run: Run, table: list[Row]) -> list[tuple[Target, list[Check]]]:
    """Each target with its checks on the workloads that ran (none: not checked)."""
    by_workload: dict[str, dict[str, Row]] = {}
    for row in table:
        by_workload.setdefault(row["workload"], {})[row["contender"]] = row
    by_name = {workload.name: workload for workload in run.workloads}
    result = []
    for target in TARGETS:
        checks = []
        for workload, by_contender in by_workload.items():
            if target.applies_to(by_name[workload]):
                check = target.check(by_contender, run)
                if check is not None:
                    checks.append(check)
        result.append((target, checks))
    return result


def _status(checks: list[Check]) -> str:
    if not checks:
        return "NOT CHECKED"
    return "MET" if all(check.met for check in checks) else "NOT MET"


def write_json(path: Path, run: Run, table: list[Row]) -> None:
    """Write the header, the rows and the targets' outcomes to ``path`` as JSON."""
    targets = [
        {
            "target": target.text,
            "status": _status(checks),
            "checks": [{"workload": c.workload, "met": c.met, "detail": c.detail} for c in checks],
        }
        for target, checks in check_targets(run, table)
    ]
    document = {"header": run.header, "rows": table, "targets": targets}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")


def render(run: Run, table: list[Row]) -> str:
    """The results as text: the header, a table with ratios, and the targets."""
    return "\n".join(
        [*_header_lines(run), "", *_table_lines(table), "", *_target_lines(run, table)]
    )


def _header_lines(run: Run) -> Iterator[str]:
    header = run.header
    server = header["server"]
    ferretdb = server["ferretdb_version"]
    name = server["name"] + (f" (ferretdbVersion {ferretdb!r})" if ferretdb else "")
    yield (
        f"server {name}, MongoDB {server['version']}; python {header['python']}, "
        f"pymongo {header['pymongo']}, mongoengine {header['mongoengine']}, "
        f"doqu {header['doqu']}, doqu-mongodb {header['doqu_mongodb']}"
    )
    yield (
        f"{header['date']}, {header['machine']['cores']} cores; "
        f"{header['rounds']} rounds after {header['warmup_rounds']} warm-up; "
        "median (min-max) of the rounds; cpu = the client thread's CPU time; "
        "x pymongo = ratio to raw pymongo's median"
    )


_COLUMNS = (
    ("workload", "<16"),
    ("contender", "<14"),
    ("n", ">7"),
    ("wall s", ">9"),
    ("(min-max)", "<19"),
    ("cpu s", ">9"),
    ("cpu x pymongo", ">13"),
    ("wall x pymongo", ">14"),
    ("cpu x mongoengine", ">17"),
    ("trips", ">6"),
    ("peak MB", ">8"),
    ("n/s", ">9"),
)


def _table_lines(table: list[Row]) -> Iterator[str]:
    yield _line([title for title, _ in _COLUMNS])
    by_key = {(row["workload"], row["contender"]): row for row in table}
    for row in table:
        limit = by_key.get((row["workload"], _LIMIT))
        peer = by_key.get((row["workload"], _PEER))
        against_peer = "-"
        if row["contender"] == _DOCUMENT and peer is not None:
            against_peer = f"{_ratio(row['cpu_median_s'], peer['cpu_median_s']):.3f}"
        peak = row["peak_rss_mb"]
        yield _line(
            [
                row["workload"],
                row["contender"],
                str(row["n"]),
                f"{row['wall_median_s']:.4f}",
                f"({row['wall_min_s']:.4f}-{row['wall_max_s']:.4f})",
                f"{row['cpu_median_s']:.4f}",
                "-"
                if limit is None
                else f"{_ratio(row['cpu_median_s'], limit['cpu_median_s']):.2f}",
                "-"
                if limit is None
                else f"{_ratio(row['wall_median_s'], limit['wall_median_s']):.2f}",
                against_peer,
                str(row["round_trips"]),
                "-" if peak is None else f"{peak:.1f}",
                f"{row['n_per_s']:,.0f}",
            ]
        )


def _line(cells: list[str]) -> str:
    return " ".join(f"{cell:{spec}}" for cell, (_, spec) in zip(cells, _COLUMNS, strict=True))


def _target_lines(run: Run, table: list[Row]) -> Iterator[str]:
    yield "targets"
    for target, checks in check_targets(run, table):
        yield f"  {_status(checks):<11} {target.text}"
        for check in checks:
            mark = "ok " if check.met else "NO "
            yield f"      {mark} {check.workload:<16} {check.detail}"


def _commands(run: Run, workload: str, contender: str) -> str:
    samples = run.samples[workload][contender]
    counts = Counter(samples[-1].commands)
    return " ".join(f"{name}x{count}" for name, count in counts.items()) or "none"


def _ratio(ours: float, theirs: float) -> float:
    return ours / theirs if theirs > 0 else float("inf")
