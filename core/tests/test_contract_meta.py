"""Tests of the contract suite itself: its gating is complete, and it catches liars.

The suite runs here in a nested pytest session (``pytester``) against memory storages that
declare less, or claim more, than they do.
"""

from __future__ import annotations

import inspect
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from doqu import Capabilities, Condition, KnownGap, QuerySpec
from doqu._hookspecs import Target
from doqu._query import Key
from doqu._records import Record
from doqu.contract import CONTRACT_CLASSES, CONTRACT_VERSION, contract_test_ids, requires
from doqu.contract._requirements import MARKER
from doqu.memory import MemoryOracle, MemoryStorage

pytest_plugins = ("pytester",)

CHANGELOG = Path(__file__).parents[1] / "doqu" / "contract" / "CHANGELOG.md"

# -- storages that declare less, or claim more, than they do ----------------------------------


def _milliseconds(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.replace(microsecond=value.microsecond // 1000 * 1000)
    if isinstance(value, dict):
        return {name: _milliseconds(item) for name, item in value.items()}
    if isinstance(value, list):
        return [_milliseconds(item) for item in value]
    return value


class Milliseconds(MemoryStorage):
    """Keeps datetimes to the millisecond, as a backend without ``datetime_microseconds``."""

    def add_records(self, records: Sequence[Record]) -> list[Key]:
        return super().add_records([_milliseconds(record) for record in records])

    def put_record(self, key: Key, record: Record) -> None:
        super().put_record(key, _milliseconds(record))

    def put_records(self, items: Sequence[tuple[Key, Record]]) -> None:
        super().put_records([(key, _milliseconds(record)) for key, record in items])

    def update_records(self, spec: QuerySpec, changes: Mapping[str, Any]) -> int:
        return super().update_records(spec, _milliseconds(dict(changes)))


class Forgetful(MemoryStorage):
    """Loses every record on ``reconnect()``, as a backend that is not ``persistent``."""

    def reconnect(self) -> None:
        self.clear()


class Racy(MemoryStorage):
    """Looks, waits, then creates: a ``get_or_create`` that is not atomic."""

    def get_or_create_record(
        self, condition: Condition, record: Record
    ) -> tuple[Key, Record, bool]:
        found = list(self.query_items(QuerySpec(condition, limit=1)))
        time.sleep(0.01)
        if found:
            return found[0][0], found[0][1], False
        return self.add_record(record), record, True


class Unsafe(MemoryStorage):
    """Numbers new keys with an unguarded counter, as a backend that is not ``thread_safe``."""

    def __init__(self) -> None:
        super().__init__()
        self._counter = 0

    def add_records(self, records: Sequence[Record]) -> list[Key]:
        start = self._counter
        time.sleep(0.001)
        self._counter = start + len(records)
        keys = [f"n{start + offset}" for offset in range(len(records))]
        for key, record in zip(keys, records, strict=True):
            self.put_record(key, record)
        return keys


_PRIMITIVES = frozenset(
    name for name in dir(MemoryStorage) if name.startswith("_") and not name.startswith("__")
)


class SingleThreaded(MemoryStorage):
    """Refuses to be used from a second thread, as a backend that is not ``thread_safe``."""

    def __init__(self) -> None:
        super().__init__()
        self._owner = threading.get_ident()

    def __getattribute__(self, name: str) -> Any:
        if name in _PRIMITIVES and threading.get_ident() != super().__getattribute__("_owner"):
            raise RuntimeError(f"{name} used from a second thread on a storage not thread_safe")
        return super().__getattribute__(name)


class Minimal(Milliseconds, Forgetful, Racy, SingleThreaded):
    """Declares no capability, and does all a backend declaring none may do."""

    backend = "minimal"
    capabilities = Capabilities()


class ThreadSafeOnly(Milliseconds, Forgetful, Racy):
    """Declares ``thread_safe`` alone: a test racing ``get_or_create`` must also require
    ``atomic_get_or_create``."""

    backend = "threadsafe"
    capabilities = Capabilities(thread_safe=True)


class ClaimsPersistent(Forgetful):
    backend = "claims-persistent"
    capabilities = MemoryStorage.capabilities.replace(persistent=True)


# -- running the suite in a nested session ----------------------------------------------------

INNER = """
import pytest
from doqu.contract import ContractSuite

class TestInner(ContractSuite):
    @pytest.fixture
    def storage_factory(self, meta_target):
        return meta_target
"""


class Offer:
    """A plugin for the nested session that hands the suite the target under test."""

    def __init__(self, target: object) -> None:
        self.target = target

    @pytest.fixture
    def meta_target(self) -> object:
        return self.target


class Outcome:
    """The nested session's results, by contract test id (parameters dropped)."""

    def __init__(self, recorder: pytest.HookRecorder) -> None:
        self.reports = [
            report
            for report in recorder.getreports("pytest_runtest_logreport")
            if report.when == "call" or report.outcome != "passed"
        ]

    def ids(self, outcome: str) -> set[str]:
        return {
            _contract_id(report.nodeid) for report in self.reports if _outcome(report) == outcome
        }

    def count(self, outcome: str) -> int:
        return sum(1 for report in self.reports if _outcome(report) == outcome)

    def reasons(self) -> set[str]:
        return {str(report.longrepr[2]) for report in self.reports if _outcome(report) == "skipped"}  # type: ignore[index]


def _outcome(report: pytest.TestReport) -> str:
    if hasattr(report, "wasxfail"):
        return "xfailed" if report.skipped else "xpassed"
    return report.outcome


def _contract_id(nodeid: str) -> str:
    test = nodeid.split("::")[-1].split("[")[0]
    owners = [cls.__name__ for cls in CONTRACT_CLASSES if test in vars(cls)]
    return f"{owners[0]}::{test}"


@pytest.fixture
def run_suite(pytester: pytest.Pytester) -> Any:
    pytester.makepyfile(test_inner=INNER)

    def run(target: object, *args: str) -> Outcome:
        recorder = pytester.inline_run("-p", "no:cacheprovider", *args, plugins=[Offer(target)])
        return Outcome(recorder)

    return run


# -- the gating is complete -------------------------------------------------------------------


def _required(cls: type, name: str) -> set[str]:
    marks = [*getattr(getattr(cls, name), "pytestmark", []), *getattr(cls, "pytestmark", [])]
    return {capability for mark in marks if mark.name == MARKER for capability in mark.args}


def _tests() -> Iterator[tuple[type, str]]:
    for cls in CONTRACT_CLASSES:
        for name in vars(cls):
            if name.startswith("test"):
                yield cls, name


def test_suite_passes_on_a_backend_declaring_nothing(run_suite: Any) -> None:
    outcome = run_suite(Target("minimal", factory=Minimal, oracle=MemoryOracle))
    assert outcome.count("failed") == 0
    gated = {f"{cls.__name__}::{name}" for cls, name in _tests() if _required(cls, name)}
    # a target that gives no URL (neither urls nor connect_args) cannot have its URLs tried
    unreachable = "URLContract::test_each_url_of_a_storage_reaches_its_records"
    assert outcome.ids("skipped") == gated | {unreachable}
    assert outcome.count("passed") > 400
    assert "Skipped: minimal does not declare capability 'regex'" in outcome.reasons()
    assert "Skipped: target 'minimal' gives no URL (urls or connect_args)" in outcome.reasons()


def test_suite_passes_on_a_backend_declaring_only_thread_safety(run_suite: Any) -> None:
    outcome = run_suite(Target("threadsafe", factory=ThreadSafeOnly, oracle=MemoryOracle))
    assert outcome.count("failed") == 0
    assert "ConcurrencyContract::test_concurrent_saves_get_distinct_new_keys" in outcome.ids(
        "passed"
    )


def test_every_required_capability_exists() -> None:
    required = {capability for cls, name in _tests() for capability in _required(cls, name)}
    assert required
    assert required <= set(Capabilities.names())


def test_requires_refuses_an_unknown_capability() -> None:
    with pytest.raises(ValueError, match=r"'regexp'.*valid names: regex"):
        requires("regexp")
    with pytest.raises(ValueError, match="capability names"):
        requires()


def test_every_contract_test_takes_the_gated_storage() -> None:
    # capability skips and known gaps are applied by the storage fixture
    assert [
        f"{cls.__name__}::{name}"
        for cls, name in _tests()
        if "storage" not in inspect.signature(getattr(cls, name)).parameters
    ] == []


def test_contract_test_names_are_unique_across_the_suite() -> None:
    # ContractSuite inherits every class: a repeated name would hide a test
    names = [name for _, name in _tests()]
    assert len(names) == len(set(names))


def test_ids_name_the_class_that_defines_the_test() -> None:
    ids = contract_test_ids()
    assert "SaveContract::test_save_with_key_stores_under_that_key" in ids
    assert len(ids) == len(set(ids)) >= 150


def test_changelog_lists_every_contract_test() -> None:
    changelog = CHANGELOG.read_text(encoding="utf-8")
    assert f"## {CONTRACT_VERSION}" in changelog
    assert [test for test in contract_test_ids() if f"`{test}`" not in changelog] == []


# -- a backend claiming what it cannot do fails -----------------------------------------------


@pytest.mark.parametrize(
    ("storage", "selection", "failing"),
    [
        (ClaimsPersistent, "reconnect", "LifecycleContract::test_reconnect_keeps_the_records"),
        (
            Racy,
            "racing",
            "ConcurrencyContract::test_racing_get_or_create_creates_exactly_one_record",
        ),
        (Milliseconds, "microseconds", "ValueTypeContract::test_datetimes_keep_microseconds"),
        (
            Unsafe,
            "distinct_new_keys",
            "ConcurrencyContract::test_concurrent_saves_get_distinct_new_keys",
        ),
    ],
    ids=["persistent", "atomic_get_or_create", "datetime_microseconds", "thread_safe"],
)
def test_a_backend_claiming_a_capability_it_lacks_fails(
    run_suite: Any, storage: type[MemoryStorage], selection: str, failing: str
) -> None:
    outcome = run_suite(Target("liar", factory=storage, oracle=MemoryOracle), "-k", selection)
    assert failing in outcome.ids("failed")


# -- known gaps and unavailable targets -------------------------------------------------------

MICROSECONDS = "ValueTypeContract::test_datetimes_keep_microseconds"


def _with_gap(base: type[MemoryStorage], gap: KnownGap) -> type[MemoryStorage]:
    return type("Gapped", (base,), {"known_gaps": (gap,)})


def test_a_known_gap_runs_as_an_expected_failure(run_suite: Any) -> None:
    storage = _with_gap(Milliseconds, KnownGap(MICROSECONDS, "keeps ms", raises=AssertionError))
    outcome = run_suite(Target("gapped", factory=storage), "-k", "microseconds")
    assert outcome.ids("xfailed") == {MICROSECONDS}
    assert outcome.count("failed") == 0


def test_a_known_gap_that_passes_fails_the_run(run_suite: Any) -> None:
    storage = _with_gap(MemoryStorage, KnownGap(MICROSECONDS, "fixed since", raises=AssertionError))
    outcome = run_suite(Target("stale", factory=storage), "-k", "microseconds")
    assert outcome.ids("failed") == {MICROSECONDS}
    assert "XPASS(strict)" in str(outcome.reports[-1].longrepr)


def test_a_known_gap_failing_otherwise_than_declared_fails(run_suite: Any) -> None:
    storage = _with_gap(Milliseconds, KnownGap(MICROSECONDS, "keeps ms", raises=KeyError))
    outcome = run_suite(Target("other", factory=storage), "-k", "microseconds")
    assert outcome.ids("failed") == {MICROSECONDS}


def test_a_known_gap_naming_no_test_fails(run_suite: Any) -> None:
    storage = _with_gap(
        MemoryStorage, KnownGap("SaveContract::test_nothing", "typo", raises=AssertionError)
    )
    outcome = run_suite(Target("typo", factory=storage), "-k", "known_gaps")
    assert outcome.ids("failed") == {"TargetContract::test_target_known_gaps_name_contract_tests"}


def test_a_known_gap_needs_the_exception_it_expects() -> None:
    with pytest.raises(TypeError, match="raises"):
        KnownGap(MICROSECONDS, "keeps ms")  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="raises= takes the exception type"):
        KnownGap(MICROSECONDS, "keeps ms", raises=None)  # type: ignore[arg-type]


@pytest.mark.parametrize("broad", [Exception, BaseException])
def test_a_known_gap_accepting_any_failure_is_refused(broad: type[BaseException]) -> None:
    with pytest.raises(ValueError, match=rf"raises={broad.__name__} accepts any failure"):
        KnownGap(MICROSECONDS, "keeps ms", raises=broad)


def test_a_known_gap_may_expect_a_subclass_of_exception() -> None:
    assert KnownGap(MICROSECONDS, "keeps ms", raises=LookupError).raises is LookupError


@pytest.mark.parametrize(
    "test", ["DifferentialContract", "test_differential.py", "a/b::test_x", "Save::x", ""]
)
def test_a_known_gap_covering_more_than_one_test_is_refused(test: str) -> None:
    with pytest.raises(ValueError, match="does not name one contract test"):
        KnownGap(test, "too wide", raises=AssertionError)


RANDOMIZED = "DifferentialContract::test_differential_queries_match_the_reference"


def test_a_known_gap_on_a_randomized_test_is_refused(run_suite: Any) -> None:
    gap = KnownGap(RANDOMIZED, "differs somewhere", raises=AssertionError)
    storage = _with_gap(MemoryStorage, gap)
    outcome = run_suite(
        Target("random", factory=storage), "-k", "differential_queries_match or known_gaps"
    )
    assert outcome.ids("failed") == {
        RANDOMIZED,
        "TargetContract::test_target_known_gaps_name_contract_tests",
    }
    refused = [report for report in outcome.reports if "differential" in report.nodeid]
    assert "declare the difference as a doqu.Quirk" in str(refused[0].longrepr)


def test_the_randomized_tests_are_the_differential_ones() -> None:
    from doqu.contract._suite import randomized_test_ids

    assert randomized_test_ids() == [
        RANDOMIZED,
        "DifferentialContract::test_differential_queries_through_lists_match_the_reference",
        "DifferentialContract::test_differential_queries_on_indexed_fields_match_the_reference",
    ]


def test_an_unavailable_target_is_skipped_with_its_reason(run_suite: Any) -> None:
    target = Target("away", factory=MemoryStorage, unavailable="no server here")
    outcome = run_suite(target, "-k", "save_with_key")
    assert outcome.count("passed") == outcome.count("failed") == 0
    assert outcome.reasons() == {"Skipped: target 'away' is unavailable: no server here"}


def test_a_required_unavailable_target_fails(run_suite: Any) -> None:
    target = Target("away", factory=MemoryStorage, unavailable="no server", required=True)
    outcome = run_suite(target, "-k", "save_with_key")
    assert outcome.count("failed") == 1
    assert "(the target is required here)" in str(outcome.reports[0].longrepr)


def test_a_plain_callable_is_a_factory(run_suite: Any) -> None:
    outcome = run_suite(MemoryStorage, "-k", "Save or regex")
    assert outcome.count("failed") == outcome.count("skipped") == 0
    assert outcome.count("passed") > 20


def test_k_selects_by_contract_class_in_a_plugins_own_tests(run_suite: Any) -> None:
    # as ``doqu check -k SaveContract`` does, though the collecting class is TestInner
    outcome = run_suite(MemoryStorage, "-k", "SaveContract")
    saves = {test for test in contract_test_ids() if test.startswith("SaveContract::")}
    assert saves
    assert outcome.ids("passed") == saves


def test_a_suite_without_a_factory_says_what_to_override(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        "from doqu.contract import ContractSuite\nclass TestBare(ContractSuite):\n    pass\n"
    )
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider", "-k", "save_with_key")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*TestBare.storage_factory() is not implemented*"])


def test_the_plugin_registers_its_marker_and_nothing_else(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("def test_plain():\n    assert True\n")
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider", "--strict-markers")
    result.assert_outcomes(passed=1)
    markers = pytester.runpytest_inprocess("--markers")
    markers.stdout.fnmatch_lines([f"@pytest.mark.{MARKER}(*capabilities)*"])


def test_the_pytest_plugin_loads_about_thirty_modules_and_no_suite() -> None:
    # every pytest run of an environment with doqu loads the plugin: its docstring's promise
    script = (
        "import sys; import doqu.contract._pytest_plugin; "
        "print(' '.join(m for m in sys.modules if m.split('.')[0] in "
        "('doqu', 'hypothesis', 'pymongo', 'doqu_mongodb')))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout.split()
    assert all(name.startswith("doqu") for name in loaded)
    assert not [name for name in loaded if name.startswith(("doqu.contract.suite", "doqu_"))]
    assert 25 <= len(loaded) <= 35
