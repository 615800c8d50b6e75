"""doqu.copy() and ``doqu copy``: every record reaches the target under its key."""

from __future__ import annotations

import dataclasses
import datetime
import io
import itertools
import uuid
from collections.abc import Sequence

import pytest

import doqu
from doqu.backend import Key, Record
from doqu.cli import main
from doqu.cli._progress import ProgressLine, describe
from doqu.errors import DuplicateKeyError, PartialWriteError, UnsupportedError
from doqu.memory._storage import MemoryStorage


def _named(prefix: str) -> str:
    return f"memory://{prefix}-{uuid.uuid4().hex}"


def test_copy_keeps_keys_records_and_count() -> None:
    source, target = doqu.connect("memory://"), doqu.connect("memory://")
    keys = source.save_many({"n": n, "when": datetime.datetime(2020, 1, n + 1)} for n in range(25))
    source.save({"n": 99}, primary_key="chosen")

    assert doqu.copy(source, target, batch_size=7) == 26

    assert len(target) == 26
    assert target.get(dict, "chosen") == {"n": 99}
    assert [target.get(dict, key)["n"] for key in keys] == list(range(25))


def test_copy_replaces_same_keys_and_keeps_other_records() -> None:
    source, target = doqu.connect("memory://"), doqu.connect("memory://")
    source.save({"v": "new"}, primary_key="a")
    target.save({"v": "old"}, primary_key="a")
    target.save({"v": "mine"}, primary_key="b")

    doqu.copy(source, target)

    assert target.get(dict, "a") == {"v": "new"}
    assert target.get(dict, "b") == {"v": "mine"}


class _NoDecimals(MemoryStorage):
    capabilities = MemoryStorage.capabilities.replace(decimal_values=False)


def test_copy_refuses_values_the_target_cannot_store_and_names_the_record() -> None:
    import decimal

    source = doqu.connect("memory://")
    source.save({"price": decimal.Decimal("1.10")}, primary_key="p1")
    target = _NoDecimals.from_url("memory://")

    with pytest.raises(UnsupportedError, match="decimal_values") as raised:
        doqu.copy(source, target)

    assert "while copying record 'p1'" in "".join(raised.value.__notes__)
    assert len(target) == 0


def test_copy_rejects_a_batch_size_below_one() -> None:
    with pytest.raises(ValueError, match="batch_size must be at least 1, got 0"):
        doqu.copy(doqu.connect("memory://"), doqu.connect("memory://"), batch_size=0)


def test_copy_command_copies_between_urls(capsys: pytest.CaptureFixture[str]) -> None:
    source_url, target_url = _named("src"), _named("dst")
    doqu.connect(source_url).save_many([{"i": i} for i in range(5)])

    assert main(["copy", source_url, target_url, "--batch-size", "2"]) == 0

    assert f"copied 5 records from {source_url} to {target_url}" in capsys.readouterr().out
    assert sorted(r["i"] for r in doqu.connect(target_url).find()) == [0, 1, 2, 3, 4]


def test_copy_command_refuses_a_zero_batch_size(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["copy", "memory://", "memory://", "--batch-size", "0"])
    assert exited.value.code == 2
    assert "must be at least 1, got 0" in capsys.readouterr().err


class _Recording(MemoryStorage):
    """A memory storage that records which write primitive copy() used."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[str] = []
        self._inserting = False

    def insert_records(self, items: Sequence[tuple[Key, Record]]) -> None:
        self.calls.append("insert_records")
        self._inserting = True  # the default insert writes through put_records
        try:
            super().insert_records(items)
        finally:
            self._inserting = False

    def put_records(self, items: Sequence[tuple[Key, Record]]) -> None:
        if not self._inserting:
            self.calls.append("put_records")
        super().put_records(items)


def _source(count: int) -> doqu.StorageAdapter:
    source = doqu.connect("memory://")
    source.save_many(_Keyed(f"k{n:03d}", n) for n in range(count))
    return source


def test_copy_into_an_empty_target_inserts_and_into_a_filled_one_upserts() -> None:
    empty, filled = _Recording(), _Recording()
    filled.save({"v": "mine"}, "other")
    filled.calls.clear()

    doqu.copy(_source(5), empty, batch_size=2)
    doqu.copy(_source(5), filled, batch_size=2)

    assert empty.calls == ["insert_records"] * 3
    assert filled.calls == ["put_records"] * 3
    assert filled.get(dict, "other") == {"v": "mine"}


def test_copy_without_overwrite_refuses_a_taken_key_in_the_first_batch() -> None:
    target = doqu.connect("memory://")
    target.save({"v": "old"}, "k001")

    with pytest.raises(DuplicateKeyError, match="key 'k001' is already stored") as raised:
        doqu.copy(_source(3), target, overwrite=False)

    assert raised.value.key == "k001"
    assert target.get(dict, "k001") == {"v": "old"}
    assert len(target) == 1


def test_copy_without_overwrite_names_the_keys_of_earlier_batches() -> None:
    target = doqu.connect("memory://")
    target.save({"v": "old"}, "k004")

    with pytest.raises(PartialWriteError, match="copy\\(\\) wrote 4 of 6 records") as raised:
        doqu.copy(_source(6), target, overwrite=False, batch_size=2)

    assert raised.value.written == ["k000", "k001", "k002", "k003"]
    assert isinstance(raised.value.__cause__, DuplicateKeyError)
    assert sorted(target) == ["k000", "k001", "k002", "k003", "k004"]


def test_copy_reports_progress_before_and_after_every_batch() -> None:
    seen: list[doqu.CopyProgress] = []

    doqu.copy(_source(5), doqu.connect("memory://"), batch_size=2, progress=seen.append)

    assert [(p.done, p.total) for p in seen] == [(0, 5), (2, 5), (4, 5), (5, 5)]
    assert seen[0].elapsed == 0.0
    assert all(later.elapsed >= earlier.elapsed for earlier, later in itertools.pairwise(seen))


class _CountsByReading(MemoryStorage):
    count_records = doqu.StorageAdapter.count_records


def test_copy_progress_has_no_total_when_the_source_counts_by_reading() -> None:
    source = _CountsByReading()
    source.save_many({"n": n} for n in range(3))
    seen: list[doqu.CopyProgress] = []

    doqu.copy(source, doqu.connect("memory://"), progress=seen.append)

    assert [(p.done, p.total, p.remaining) for p in seen] == [(0, None, None), (3, None, None)]


def test_progress_rate_and_time_remaining() -> None:
    progress = doqu.CopyProgress(done=250, total=1000, elapsed=0.5)
    assert (progress.rate, progress.remaining) == (500.0, 1.5)
    assert doqu.CopyProgress(0, 10, 0.0).rate is None


def test_verify_copy_finds_nothing_after_a_copy() -> None:
    source, target = _source(7), doqu.connect("memory://")
    doqu.copy(source, target, batch_size=3)

    verification = doqu.verify_copy(source, target, batch_size=3)

    assert verification == doqu.CopyVerification(7, 7, 0, 0, 0, ())
    assert verification.same


def test_verify_copy_finds_records_changed_missing_and_extra() -> None:
    source, target = _source(7), doqu.connect("memory://")
    doqu.copy(source, target)
    target.save({"n": 2.5}, "k002")  # changed
    target.save({"n": 3, "more": True}, "k003")  # changed: a field more
    target.delete("k005")  # missing
    target.save({"n": 99}, "zzz")  # extra

    verification = doqu.verify_copy(source, target, batch_size=2)

    assert (verification.missing, verification.changed, verification.extra) == (1, 2, 1)
    assert (verification.source_records, verification.target_records) == (7, 7)
    assert verification.examples == (
        ("changed", "k002"),
        ("changed", "k003"),
        ("missing", "k005"),
        ("extra", "zzz"),
    )
    assert not verification.same


def test_verify_copy_equal_numbers_of_int_and_float_are_equal_values() -> None:
    # doqu's equality: 2 == 2.0, as an ``equals`` query matches both; True is not 1
    source, target = doqu.connect("memory://"), doqu.connect("memory://")
    source.save({"n": 2, "b": True}, "a")
    target.save({"n": 2.0, "b": True}, "a")
    assert doqu.verify_copy(source, target).same
    target.save({"n": 2, "b": 1}, "a")
    assert doqu.verify_copy(source, target).changed == 1


def test_verify_copy_lists_a_bounded_number_of_examples() -> None:
    source, target = _source(30), doqu.connect("memory://")

    verification = doqu.verify_copy(source, target, examples=4)

    assert verification.missing == 30
    assert [key for _, key in verification.examples] == ["k000", "k001", "k002", "k003"]


def test_copy_command_verify_reports_differences_and_exits_1(
    capsys: pytest.CaptureFixture[str],
) -> None:
    source_url, target_url = _named("src"), _named("dst")
    doqu.connect(source_url).save_many(_Keyed(f"k{n}", n) for n in range(3))
    doqu.connect(target_url).save({"v": "mine"}, "other")

    assert main(["copy", source_url, target_url, "--verify"]) == 1

    out = capsys.readouterr().out.splitlines()
    assert out[1:] == [
        "verify found differences: 3 records in the source, 4 in the target",
        "  1 only in the target: 'other'",
    ]


def test_copy_command_verify_passes_after_a_clean_copy(
    capsys: pytest.CaptureFixture[str],
) -> None:
    source_url, target_url = _named("src"), _named("dst")
    doqu.connect(source_url).save_many({"n": n} for n in range(3))

    assert main(["copy", source_url, target_url, "--verify"]) == 0

    assert capsys.readouterr().out.splitlines()[1] == (
        "verified: 3 records in the source, 3 in the target, every record equal"
    )


def test_copy_command_no_overwrite_stops_at_a_taken_key(
    capsys: pytest.CaptureFixture[str],
) -> None:
    source_url, target_url = _named("src"), _named("dst")
    doqu.connect(source_url).save({"v": "new"}, "a")
    doqu.connect(target_url).save({"v": "old"}, "a")

    assert main(["copy", source_url, target_url, "--no-overwrite"]) == 1

    assert "key 'a' is already stored" in capsys.readouterr().err
    assert doqu.connect(target_url).get(dict, "a") == {"v": "old"}


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_line_draws_on_a_terminal_only() -> None:
    terminal, pipe = _Terminal(), io.StringIO()
    for stream in (terminal, pipe):
        line = ProgressLine(stream, "copied")
        line(doqu.CopyProgress(0, 4000, 0.0))
        line(doqu.CopyProgress(4000, 4000, 2.0))
        line.finish()
        assert line.done == 4000

    assert pipe.getvalue() == ""
    assert terminal.getvalue() == (
        "\rcopied 0 of 4,000 records (0%)\x1b[K"
        "\rcopied 4,000 of 4,000 records (100%), 2,000 records/s\x1b[K\n"
    )


def test_progress_text_with_and_without_a_total() -> None:
    assert describe(doqu.CopyProgress(1500, 6000, 1.0), "copied") == (
        "copied 1,500 of 6,000 records (25%), 1,500 records/s, ETA 0:00:03"
    )
    assert describe(doqu.CopyProgress(1500, None, 3.0), "verified") == (
        "verified 1,500 records, 500 records/s"
    )
    assert describe(doqu.CopyProgress(0, 0, 0.0), "copied") == "copied 0 of 0 records (100%)"


def test_copy_command_help_names_its_flags(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["copy", "--help"])
    text = capsys.readouterr().out
    for flag in ("--batch-size", "--no-overwrite", "--verify", "progress line", "130"):
        assert flag in text


@dataclasses.dataclass
class _Keyed:
    """A record ``{"n": n}`` saved under its own key ``pk``."""

    pk: str
    n: int
