"""URL forms and options: checked before a file is opened, errors naming the accepted ones."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import doqu
from doqu.errors import BackendConnectionError, ConfigurationError, InvalidURLError
from doqu_sqlite import SQLiteStorage


def test_three_slashes_is_a_relative_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with doqu.connect("sqlite:///app.db?collection=people") as storage:
        assert isinstance(storage, SQLiteStorage)
        storage.save({"name": "Ann"}, "ann")
        assert (storage.path, storage.collection) == ("app.db", "people")
    assert (tmp_path / "app.db").exists()


def test_four_slashes_is_an_absolute_path(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/abs.db"
    with doqu.connect(url, collection="people") as storage:
        storage.save({"name": "Ann"}, "ann")
    with doqu.connect(url, collection="people") as storage:
        assert storage.get(dict, "ann") == {"name": "Ann"}
    with doqu.connect(url, collection="other") as storage:
        assert len(storage) == 0


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:"])
def test_throwaway_database_is_removed_on_close(url: str) -> None:
    storage = doqu.connect(url)
    storage.save({"n": 1}, "one")
    assert storage.get(dict, "one") == {"n": 1}
    path = storage.path
    storage.close()
    assert not os.path.exists(path)


def test_options_are_checked(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/o.db"
    with doqu.connect(url + "?timeout=5&journal_mode=WAL&synchronous=normal") as storage:
        assert (storage.settings.timeout, storage.settings.synchronous) == (5.0, "normal")
    with pytest.raises(ConfigurationError, match=r"unknown option\(s\) \['cache'\].*accepted: "):
        doqu.connect(url, cache=True)
    with pytest.raises(InvalidURLError, match=r"unknown option\(s\) \['mode'\]"):
        doqu.connect(url + "?mode=ro")
    with pytest.raises(ConfigurationError, match=r"journal_mode must be one of wal, delete"):
        doqu.connect(url, journal_mode="off")
    with pytest.raises(ConfigurationError, match=r"timeout must be a number .* got 'soon'"):
        doqu.connect(url, timeout="soon")
    with pytest.raises(ConfigurationError, match=r"collection .* got 'sqlite_master'"):
        doqu.connect(url, collection="sqlite_master")


def test_a_host_is_refused() -> None:
    with pytest.raises(InvalidURLError, match=r"names a host 'server'.*sqlite:////absolute"):
        doqu.connect("sqlite://server/app.db")


def test_a_missing_directory_is_a_connection_error(tmp_path: Path) -> None:
    with pytest.raises(BackendConnectionError, match=r"cannot be used.*directory exists"):
        doqu.connect(f"sqlite:///{tmp_path}/missing/app.db")


def test_a_file_that_is_not_a_database_is_a_backend_error(tmp_path: Path) -> None:
    (tmp_path / "junk.db").write_bytes(b"not a database at all" * 100)
    with pytest.raises(doqu.errors.BackendError, match=r"is it a SQLite database"):
        doqu.connect(f"sqlite:///{tmp_path}/junk.db")
