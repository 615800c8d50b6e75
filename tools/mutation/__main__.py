"""``./dev mutate``: mutation testing of the reference path; prints and writes the kill rate.

    ./dev mutate                         every module, results in tools/mutation/results/
    ./dev mutate --module doqu._values   one module (its record is replaced, the others kept)
    ./dev mutate --limit 20 --jobs 2     the first 20 mutants of each module, two at a time
    ./dev mutate --report                rewrite latest.txt from the recorded runs only
    ./dev mutate --survivors             run the recorded survivors again (after new tests)
    ./dev mutate --resume                run only the mutants not yet recorded

Each verdict is recorded as it comes, in ``results/modules/<module>.txt``, so an interrupted
run keeps what it found and ``--resume`` goes on from there; ``results/latest.txt`` reports
every module recorded there (a module not run to the end says how far it got).

A surviving mutant that cannot change behaviour (an equivalent mutant) is listed with a
one-line reason in ``tools/mutation/equivalent.txt`` and leaves the rate's denominator.
"""

from __future__ import annotations

import argparse
import datetime
import sys
from collections import defaultdict
from pathlib import Path

from ._mutants import Mutant, mutants
from ._run import MODULES, TIME_ZONE, Outcome, module_path, run_all

HERE = Path(__file__).resolve().parent
EQUIVALENT = HERE / "equivalent.txt"
RESULTS = HERE / "results" / "latest.txt"
RECORDS = HERE / "results" / "modules"
TARGET_RATE = 0.95


def _equivalents() -> dict[str, str]:
    """Mutant id -> why it cannot change behaviour."""
    reasons = {}
    for line in EQUIVALENT.read_text().splitlines() if EQUIVALENT.exists() else ():
        if line.strip() and not line.startswith("#"):
            mutant_id, _, reason = line.partition(" ")
            reasons[mutant_id] = reason.strip()
    return reasons


def _record(module: str, outcomes: list[Outcome]) -> None:
    """Keep one module's verdicts (``verdict seconds id`` a line) for later reports."""
    RECORDS.mkdir(parents=True, exist_ok=True)
    lines = [f"{o.verdict} {o.seconds:.1f} {o.mutant.id}\n" for o in outcomes]
    (RECORDS / f"{module}.txt").write_text("".join(lines))


def _append(outcome: Outcome) -> None:
    RECORDS.mkdir(parents=True, exist_ok=True)
    with (RECORDS / f"{outcome.mutant.module}.txt").open("a") as record:
        record.write(f"{outcome.verdict} {outcome.seconds:.1f} {outcome.mutant.id}\n")


def _recorded() -> list[Outcome]:
    """Every recorded verdict, module by module."""
    outcomes = []
    for path in sorted(RECORDS.glob("*.txt")):
        for line in path.read_text().splitlines():
            verdict, seconds, mutant_id = line.split(" ", 2)
            module, row, column, operator = mutant_id.split(":", 3)
            mutant = Mutant(module, -1, int(row), int(column), operator)
            outcomes.append(Outcome(mutant, verdict, float(seconds)))
    return outcomes


def _source_line(outcome: Outcome) -> str:
    lines = module_path(outcome.mutant.module).read_text().splitlines()
    return lines[outcome.mutant.line - 1].strip() if outcome.mutant.line else ""


def _report(outcomes: list[Outcome], equivalents: dict[str, str]) -> tuple[str, float]:
    by_module: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        by_module[outcome.mutant.module].append(outcome)
    rows = [f"{'module':<24} {'mutants':>8} {'killed':>7} {'equiv':>6} {'survived':>9} {'rate':>7}"]
    survivors: list[Outcome] = []
    total_killed = total_counted = 0
    for module, found in sorted(by_module.items()):
        killed = sum(1 for o in found if o.verdict != "survived")
        equivalent = sum(1 for o in found if o.verdict == "survived" and o.mutant.id in equivalents)
        alive = [o for o in found if o.verdict == "survived" and o.mutant.id not in equivalents]
        survivors += alive
        counted = len(found) - equivalent
        total_killed += killed
        total_counted += counted
        rate = killed / counted if counted else 1.0
        total = len(mutants(module_path(module), module))
        partial = f"  (run {len(found)} of {total} mutants)" if len(found) < total else ""
        rows.append(
            f"{module:<24} {len(found):>8} {killed:>7} {equivalent:>6} {len(alive):>9} {rate:>7.1%}"
            + partial
        )
    overall = total_killed / total_counted if total_counted else 1.0
    rows.append(f"{'all':<24} {len(outcomes):>8} {total_killed:>7} {'':>6} {'':>9} {overall:>7.1%}")
    rows += [f"{module:<24} not run" for module in sorted(MODULES.keys() - by_module.keys())]
    lines = [
        f"doqu mutation testing, {datetime.date.today().isoformat()}: contract suite on "
        f"memory (and shelve for doqu._storage) under TZ={TIME_ZONE}; target "
        f"{TARGET_RATE:.0%} of non-equivalent mutants killed",
        "",
        *rows,
        "",
        f"surviving mutants ({len(survivors)}):",
        *(f"  {o.mutant.id}  {_source_line(o)}" for o in survivors),
        "",
        f"equivalent mutants ({len(equivalents)} declared in tools/mutation/equivalent.txt)",
    ]
    return "\n".join(lines) + "\n", overall


def _progress(outcome: Outcome) -> None:
    print(f"{outcome.verdict:>8}  {outcome.mutant.id}  ({outcome.seconds:.1f} s)", flush=True)


def _rerun_survivors(modules: list[str], jobs: int, output: Path) -> int:
    """Run the recorded survivors of ``modules`` not declared equivalent again; a kill
    replaces its record's line."""
    recorded = [o for o in _recorded() if o.mutant.module in modules]
    equivalent = _equivalents()
    survivors = {
        o.mutant.id for o in recorded if o.verdict == "survived" and o.mutant.id not in equivalent
    }
    fresh = {o.mutant.id: o for o in run_all(modules, jobs, None, _progress, only=survivors)}
    for module in {o.mutant.module for o in recorded}:
        _record(module, [fresh.get(o.mutant.id, o) for o in recorded if o.mutant.module == module])
    text, rate = _report(_recorded(), _equivalents())
    output.write_text(text)
    print("\n" + text + f"written to {output}")
    return 0 if rate >= TARGET_RATE else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="./dev mutate", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--module", action="append", choices=sorted(MODULES), help="only this module (repeat)"
    )
    parser.add_argument("--jobs", type=int, default=2, help="mutants run at once (default 2)")
    parser.add_argument("--limit", type=int, help="only the first N mutants of each module")
    parser.add_argument("--output", type=Path, default=RESULTS, help="where to write results")
    parser.add_argument(
        "--report", action="store_true", help="run nothing; report the recorded runs"
    )
    parser.add_argument(
        "--resume", action="store_true", help="run only the mutants not recorded yet"
    )
    parser.add_argument(
        "--survivors",
        action="store_true",
        help="run only the recorded survivors of the modules again, updating their records",
    )
    args = parser.parse_args(argv)
    modules = args.module or sorted(MODULES)
    if args.survivors:
        return _rerun_survivors(modules, args.jobs, args.output)
    if args.report:
        text, rate = _report(_recorded(), _equivalents())
        args.output.write_text(text)
        print(text + f"written to {args.output}")
        return 0 if rate >= TARGET_RATE else 1

    if args.limit is not None:  # a sample: reported, not recorded
        outcomes = run_all(modules, args.jobs, args.limit, _progress)
        text, rate = _report(outcomes, _equivalents())
        print("\n" + text, end="")
        return 0 if rate >= TARGET_RATE else 1
    done = {o.mutant.id for o in _recorded()} if args.resume else set()
    if not args.resume:
        for module in modules:
            _record(module, [])
    only = None
    if args.resume:
        only = {
            mutant.id
            for module in modules
            for mutant in mutants(module_path(module), module)
            if mutant.id not in done
        }

    def progress(outcome: Outcome) -> None:
        _progress(outcome)
        _append(outcome)

    run_all(modules, args.jobs, None, progress, only=only)
    text, rate = _report(_recorded(), _equivalents())
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text)
    print("\n" + text + f"written to {args.output}")
    return 0 if rate >= TARGET_RATE else 1


if __name__ == "__main__":
    sys.exit(main())
