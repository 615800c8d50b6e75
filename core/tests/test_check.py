"""``doqu check``: the report, ``--list`` and the exit status, run in this process.

The backends checked here are real: the memory backend, and memory subclasses with a real bug
or an unimplemented primitive, registered in-process the way a plugin registers.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Any, Self

import pytest

from doqu import BackendSpec, KnownGap, hookimpl
from doqu import __version__ as doqu_version
from doqu._discovery import register_plugin, unregister_plugin
from doqu._storage import StorageAdapter
from doqu.cli import main
from doqu.contract import (
    CONTRACT_VERSION,
    contract_item_count,
    contract_requirements,
    contract_test_ids,
)
from doqu.errors import BackendError
from doqu.memory import MemoryStorage

COUNTS = re.compile(
    r"^(\d+) passed, (\d+) failed, (\d+) skipped by capability, (\d+) declared gaps"
    r"(?:, (\d+) skipped for another reason)?; (\d+) items of (\d+) tests$",
    re.MULTILINE,
)


def doqu(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run ``doqu ARGS`` in this process; return the exit status, stdout and stderr."""
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


class LeakyStorage(MemoryStorage):
    """``delete()`` reports success but keeps the record: a real bug the suite must find."""

    backend = "leaky"
    known_gaps = (
        KnownGap(
            "DeleteContract::test_delete_removes_only_that_record",
            "deletes nothing",
            raises=AssertionError,
        ),
        KnownGap(
            "DeleteContract::test_delete_of_a_missing_key_raises_key_error_naming_it",
            "stale",
            raises=AssertionError,
        ),
    )

    @classmethod
    def from_url(cls, url: str, **options: Any) -> Self:
        return cls(None, **options)

    def remove_record(self, key: Any) -> bool:
        return key in self


class IncompleteStorage(StorageAdapter):
    """An adapter that stops halfway: ``query_items`` and ``remove_record`` are missing."""

    backend = "halfway"

    @classmethod
    def from_url(cls, url: str, **options: Any) -> Self:
        return cls()

    def add_record(self, record: dict[str, Any]) -> str:
        return "k"

    def put_record(self, key: str, record: dict[str, Any]) -> None:
        pass

    def fetch_records(self, keys: Sequence[str]) -> Iterator[tuple[str, dict[str, Any]]]:
        return iter(())

    def clear(self) -> None:
        pass


class NoCollectionsStorage(MemoryStorage):
    """A backend that takes no ``collection=`` option, which ``doqu check`` needs."""

    backend = "single"

    @classmethod
    def from_url(cls, url: str, **options: Any) -> Self:
        if options:
            raise TypeError(f"unexpected options {sorted(options)!r}")
        return cls()


class UnclearableStorage(MemoryStorage):
    """``clear()`` fails, so ``doqu check`` cannot empty a test's collection afterwards."""

    backend = "unclearable"

    @classmethod
    def from_url(cls, url: str, **options: Any) -> Self:
        return cls(None, **options)

    def clear(self) -> None:
        raise BackendError("clear() is not allowed here", code="no_clear")


class Plugin:
    """Offers the storages above under their own URL schemes."""

    @hookimpl
    def doqu_backends(self) -> list[BackendSpec]:
        return [
            BackendSpec(cls.backend, schemes=(cls.backend,), adapter=cls)
            for cls in (LeakyStorage, IncompleteStorage, NoCollectionsStorage, UnclearableStorage)
        ]


@pytest.fixture(scope="module", autouse=True)
def _plugin() -> Iterator[None]:
    name = register_plugin(Plugin(), "doqu-check-tests")
    yield
    unregister_plugin(name)


def test_check_of_the_memory_backend_passes_and_reports_the_capability_skips(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, err = doqu(capsys, "check", "memory://")
    assert (status, err) == (0, "")
    assert out.startswith(
        "doqu check memory://\n"
        f"  backend 'memory' (doqu {doqu_version}), contract suite {CONTRACT_VERSION}\n"
        f"  declares: {', '.join(MemoryStorage.capabilities.declared())}\n"
    )
    assert (
        "\nSkipped by capability (2): the backend does not declare\n"
        "  durable (1):\n"
        "    DurabilityContract::test_durable_acknowledged_writes_survive_a_kill\n"
        "  persistent (1):\n"
        "    LifecycleContract::test_reconnect_keeps_the_records\n"
    ) in out
    assert "Failed" not in out
    assert "Declared gaps" not in out
    found = COUNTS.search(out)
    assert found is not None, out
    passed, failed, skipped, gaps, other, total, tests = (int(n or 0) for n in found.groups())
    assert (failed, skipped, gaps, other) == (0, 2, 0, 1)
    assert passed == total - 3
    # memory:// is private: no second connect() reaches the storage the check made
    assert (
        "\nSkipped for another reason (1):\n"
        "  URLContract::test_each_url_of_a_storage_reaches_its_records: target 'memory' gives no "
        "URL (urls or connect_args)\n"
    ) in out
    assert tests == len(contract_test_ids())  # what --list counts
    assert total == contract_item_count()  # and the items it counts
    assert total > tests  # parametrised tests count once per case
    assert out.endswith(f"OK: 'memory' passes contract suite {CONTRACT_VERSION}\n")


def test_check_reports_failures_declared_gaps_and_stale_gaps(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, err = doqu(capsys, "check", "leaky://", "-k", "DeleteContract and not Query")
    assert (status, err) == (1, "")
    assert out.startswith(
        "doqu check leaky://\n"
        f"  backend 'leaky' (registered in-process), contract suite {CONTRACT_VERSION}\n"
    )
    # failures are named by contract id with the first line of the error; a declared gap that
    # no longer fails is a failure too, since its declaration is stale
    assert (
        "\nFailed (3):\n"
        "  DeleteContract::test_delete_of_a_missing_key_raises_key_error_naming_it\n"
        "      declared as a known gap but passes now: remove its KnownGap\n"
        "  DeleteContract::test_delete_twice_raises_key_error_the_second_time\n"
        "      Failed: DID NOT RAISE KeyError\n"
        "  DeleteContract::test_delete_a_generated_key\n"
        "      AssertionError: assert {'n': 1} is None\n"
    ) in out
    assert (
        "\nDeclared gaps, failing as declared (1):\n"
        "  DeleteContract::test_delete_removes_only_that_record: known gap of leaky (never): "
        "deletes nothing\n"
    ) in out
    assert out.endswith(
        "\n1 passed, 3 failed, 0 skipped by capability, 1 declared gaps; 5 items of 5 tests\n"
        f"FAILED: 'leaky' does not pass contract suite {CONTRACT_VERSION}\n"
    )


def test_check_details_show_pytest_report_of_each_failure(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, _ = doqu(
        capsys, "check", "leaky://", "-k", "test_delete_a_generated_key", "--details"
    )
    assert status == 1
    assert "      |     def test_delete_a_generated_key(self, " in out
    assert "      | >       assert raw.get(key) is None\n" in out


def test_check_reports_a_collection_it_could_not_clear_as_a_failure(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, _ = doqu(capsys, "check", "unclearable://", "-k", "test_len_counts_records")
    assert status == 1
    assert (
        "\nFailed (2):\n"
        "  ContainerContract::test_len_counts_records\n"
        "      clearing the test's collection failed: BackendError: clear() is not allowed here\n"
        "  ContainerContract::test_len_counts_records_written_through_the_back_door\n"
        "      clearing the test's collection failed: BackendError: clear() is not allowed here\n"
    ) in out


def test_check_that_selects_no_test_fails(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = doqu(capsys, "check", "memory://", "-k", "no_such_contract_test")
    assert status == 1
    assert out.endswith(
        "\n0 passed, 0 failed, 0 skipped by capability, 0 declared gaps; 0 items of 0 tests\n"
        "FAILED: no contract test ran (pytest exit code 5)\n"
    )


def test_check_names_exactly_the_missing_methods_before_running_anything(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, err = doqu(capsys, "check", "halfway://")
    assert (status, out) == (1, "")
    assert err.startswith("doqu check: cannot check halfway://: ")
    assert (
        "does not implement the abstract method(s) query_items, remove_record; implement them"
        in err
    )


def test_check_refuses_a_url_that_names_a_collection(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = doqu(capsys, "check", "memory://app?collection=people")
    assert (status, out) == (1, "")
    assert err == (
        "doqu check: cannot check memory://app?collection=people: URL "
        "'memory://app?collection=people' names a collection; doqu check makes a fresh "
        "collection for every test: remove ?collection= from the URL\n"
    )


def test_check_of_an_unknown_scheme_names_the_installed_ones(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, err = doqu(capsys, "check", "nosuch://x")
    assert (status, out) == (1, "")
    assert "no installed backend handles URL scheme 'nosuch'" in err
    assert "memory" in err


def test_check_of_a_backend_without_collections_fails_before_any_test(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, err = doqu(capsys, "check", "single://")
    assert (status, out) == (1, "")
    assert re.fullmatch(
        r"doqu check: cannot check single://: connect\('single://', collection='doqu_check_\w+'\) "
        r"raised TypeError: unexpected options \['collection'\]; doqu check gives every test a "
        r"fresh collection, so the backend must accept collection= \(and raise doqu.errors for "
        r"bad input\)\n",
        err,
    )


def test_check_masks_the_password_of_the_url(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = doqu(capsys, "check", "nosuch://ann:secret@host/db")
    assert status == 1
    assert "secret" not in err
    assert err.startswith("doqu check: cannot check nosuch://ann:***@host/db: ")


def test_list_prints_the_contract_version_and_every_test_with_its_capabilities(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, err = doqu(capsys, "check", "--list")
    assert (status, err) == (0, "")
    header, *lines = out.splitlines()
    ids = contract_test_ids()
    assert header == (
        f"doqu contract suite {CONTRACT_VERSION}: {len(ids)} tests, {contract_item_count()} "
        "items (a run reports items: one per case of a parametrised test)"
    )
    assert [line.split("  (requires ")[0] for line in lines] == ids
    assert "LifecycleContract::test_reconnect_keeps_the_records  (requires persistent)" in lines
    assert "SaveContract::test_save_with_key_stores_under_that_key" in lines
    regex_tests = [line for line in lines if line.startswith("RegexLookupContract::")]
    assert regex_tests
    assert all(line.endswith("  (requires regex)") for line in regex_tests)


def test_list_capabilities_match_the_tests_markers() -> None:
    needs = dict(contract_requirements())
    assert needs["LifecycleContract::test_reconnect_keeps_the_records"] == ("persistent",)
    assert needs["SaveContract::test_save_with_key_stores_under_that_key"] == ()
    assert {capability for listed in needs.values() for capability in listed} >= {
        "regex",
        "date_parts",
        "persistent",
        "integer_keys",
    }


@pytest.mark.parametrize(
    "args", [("check",), ("check", "--list", "memory://")], ids=["neither", "both"]
)
def test_check_needs_a_url_or_list_but_not_both(
    capsys: pytest.CaptureFixture[str], args: tuple[str, ...]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(list(args))
    assert exited.value.code == 2
    assert "give a URL to check, or --list (not both)" in capsys.readouterr().err
