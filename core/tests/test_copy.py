"""doqu.copy() and ``doqu copy``: every record reaches the target under its key."""

from __future__ import annotations

import datetime
import uuid

import pytest

import doqu
from doqu.cli import main
from doqu.errors import UnsupportedError
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
