"""What the shelve backend adds to the contract: its URLs, collections in one file, files."""

from __future__ import annotations

from pathlib import Path

import pytest

import doqu
from doqu.errors import (
    BackendConnectionError,
    BackendError,
    ConfigurationError,
    InvalidURLError,
)
from doqu_shelve import ShelveStorage


def url(path: Path, query: str = "") -> str:
    return f"shelve:///{path.as_posix().lstrip('/')}{query}"


def test_absolute_url_names_the_file(tmp_path: Path) -> None:
    with doqu.connect(url(tmp_path / "app.db")) as storage:
        assert isinstance(storage, ShelveStorage)
        assert storage.path == str((tmp_path / "app.db").resolve())
        assert storage.collection == "default"


def test_relative_url_is_relative_to_the_current_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data").mkdir()
    with doqu.connect("shelve://data/app%20one.db", collection="people") as storage:
        storage.save({"name": "Ann"}, "ann")
        assert storage.path == str((tmp_path / "data" / "app one.db").resolve())
    with ShelveStorage(tmp_path / "data" / "app one.db", collection="people") as again:
        assert again.get(dict, "ann") == {"name": "Ann"}


def test_collections_share_a_file_and_nothing_else(tmp_path: Path) -> None:
    with (
        doqu.connect(url(tmp_path / "app.db", "?collection=people")) as people,
        doqu.connect(url(tmp_path / "app.db"), collection="pets") as pets,
    ):
        people.save({"name": "Ann"}, "a")
        pets.save({"name": "Rex"}, "a")
        pets.save({"name": "Tom"}, "b")
        assert (len(people), len(pets)) == (1, 2)
        assert people.get(dict, "a") == {"name": "Ann"}
        people.clear()
        assert (len(people), sorted(pets)) == (0, ["a", "b"])


def test_storages_of_one_file_in_one_process_see_each_others_writes(tmp_path: Path) -> None:
    first = ShelveStorage(tmp_path / "app.db")
    second = ShelveStorage(tmp_path / "app.db")
    first.save({"n": 1}, "k")
    assert second.get(dict, "k") == {"n": 1}
    first.close()
    second.save({"n": 2}, "k")  # the file stays open for the storage still using it
    second.close()
    with ShelveStorage(tmp_path / "app.db") as third:
        assert third.get(dict, "k") == {"n": 2}


def test_tuples_are_stored_as_lists(tmp_path: Path) -> None:
    with ShelveStorage(tmp_path / "app.db") as storage:
        key = storage.save({"point": (1, (2, 3)), "nested": {"t": ()}})
        assert storage.get(dict, key) == {"point": [1, [2, 3]], "nested": {"t": []}}


def test_a_closed_storage_says_so_until_reconnected(tmp_path: Path) -> None:
    storage = ShelveStorage(tmp_path / "app.db")
    storage.save({"n": 1}, "k")
    storage.close()
    storage.close()  # harmless
    with pytest.raises(BackendConnectionError, match=r"is closed; call reconnect\(\)"):
        storage.get(dict, "k")
    storage.reconnect()
    assert storage.get(dict, "k") == {"n": 1}
    storage.close()


@pytest.mark.parametrize(
    ("given", "problem"),
    [
        ("shelve://", "names no file"),
        ("memory:///tmp/x.db", "has scheme 'memory', not 'shelve'"),
    ],
)
def test_bad_urls_are_refused_with_the_accepted_forms(given: str, problem: str) -> None:
    with pytest.raises(InvalidURLError, match=problem) as caught:
        ShelveStorage.from_url(given)
    assert "use 'shelve:///absolute/path.db' or 'shelve://relative/path.db'" in str(caught.value)


def test_bad_options_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match=r"unknown option\(s\) \['colection'\]"):
        doqu.connect(url(tmp_path / "x.db"), colection="people")
    with pytest.raises(InvalidURLError, match=r"unknown option\(s\) \['colection'\] \(accepted"):
        doqu.connect(url(tmp_path / "x.db", "?colection=a"))
    with pytest.raises(ConfigurationError, match="collection is given twice"):
        doqu.connect(url(tmp_path / "x.db", "?collection=a"), collection="b")
    with pytest.raises(ConfigurationError, match="collection must be a non-empty str without NUL"):
        ShelveStorage(tmp_path / "x.db", collection="a\x00b")


def test_a_directory_is_refused_and_nothing_is_created_beside_it(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    with pytest.raises(ConfigurationError) as caught:
        doqu.connect(url(tmp_path / "data"))
    assert str(caught.value) == (
        f"shelve path {str(tmp_path / 'data')!r} is a directory; name a file inside it, e.g. "
        f"connect('shelve://{tmp_path / 'data' / 'app.db'}')"
    )
    assert sorted(path.name for path in tmp_path.iterdir()) == ["data"]
    assert list((tmp_path / "data").iterdir()) == []


def test_a_file_that_cannot_be_opened_is_a_connection_error(tmp_path: Path) -> None:
    with pytest.raises(BackendConnectionError, match="check that its directory exists"):
        ShelveStorage(tmp_path / "missing" / "x.db")
    (tmp_path / "text.db").write_text("not a shelve file")
    with pytest.raises(BackendConnectionError, match="that the file is a shelve file"):
        ShelveStorage(tmp_path / "text.db")


def test_a_damaged_record_is_a_backend_error_naming_the_file(tmp_path: Path) -> None:
    with ShelveStorage(tmp_path / "app.db") as storage:
        storage.save({"n": 1}, "good")
        with storage._locked() as shelf:
            shelf.dict[b"default\x00bad"] = b"not a pickle"  # what a torn write leaves
        with pytest.raises(BackendError, match=r"shelve file '.*app\.db' failed: Unpickling"):
            list(storage.find())
        assert storage.get(dict, "good") == {"n": 1}
