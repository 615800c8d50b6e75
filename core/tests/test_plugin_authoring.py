"""Writing a backend plugin, proven the way an outside author lives it.

A new virtual environment gets doqu and then ``examples/doqu-shelve`` installed with pip from
their directories, as regular (not editable) installs; everything after that runs in that
environment's own processes: ``doqu backends``, ``doqu.connect()`` in two processes, and
``doqu check`` running the whole contract suite. A deliberately incomplete plugin installed
the same way shows that ``doqu check`` names exactly the methods it is missing.
"""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from doqu import __version__ as doqu_version
from doqu.backend import URL, parse_url
from doqu.contract import CONTRACT_VERSION

REPO = Path(__file__).resolve().parents[2]
SHELVE = REPO / "examples" / "doqu-shelve"
INCOMPLETE = Path(__file__).resolve().parent / "plugins" / "incomplete"
IGNORE = shutil.ignore_patterns("__pycache__", "*.egg-info", "build", "dist", ".*")
SHELVE_CAPABILITIES = (
    "regex, date_parts, atomic_get_or_create, thread_safe, persistent, decimal_values, "
    "date_values, bytes_values, uuid_values, nan_values, infinity_values, datetime_microseconds, "
    "nested_lists"
)


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory, new_venv: Any) -> Any:
    """doqu, its contract-suite dependencies, then doqu-shelve, installed as a user would."""
    root = tmp_path_factory.mktemp("authoring")
    env = new_venv(root)
    env.pip_install(f"{env.core}[contract]")
    env.pip_install(shutil.copytree(SHELVE, root / "doqu-shelve", ignore=IGNORE))
    return env


def test_installed_shelve_plugin_is_listed_connects_persists_and_passes_the_contract(
    venv: Any,
) -> None:
    # installed as a package, not found through a path into the repository
    where = venv.python_code("import doqu_shelve; print(doqu_shelve.__file__)")
    assert where.returncode == 0, where.stderr
    assert "site-packages" in where.stdout
    assert str(REPO) not in where.stdout

    listing = venv.doqu("backends")
    assert (listing.returncode, listing.stderr) == (0, ""), listing.stdout
    assert re.search(
        rf"^shelve +shelve +doqu-shelve +1\.0\.0a1 +ok +{re.escape(SHELVE_CAPABILITIES)}$",
        listing.stdout,
        re.MULTILINE,
    ), listing.stdout
    assert re.search(
        rf"^memory +memory +doqu +{re.escape(doqu_version)} +ok ", listing.stdout, re.M
    )

    url = f"shelve:///{venv.work.as_posix().lstrip('/')}/x.db"
    write = venv.python_code(
        "import datetime, decimal, doqu\n"
        f"people = doqu.connect({url!r}, collection='people')\n"
        "people.save({'name': 'Ann', 'age': 37, 'paid': decimal.Decimal('9.90')}, 'ann')\n"
        "people.save({'name': 'Bob', 'age': 15, 'born': datetime.date(2010, 5, 1)}, 'bob')\n"
        "print(len(people), people.find(age__gte=18).count())\n"
        "people.close()\n"
    )
    assert (write.returncode, write.stdout) == (0, "2 1\n"), write.stderr
    read = venv.python_code(
        "import doqu\n"
        f"with doqu.connect({url!r}, collection='people') as people:\n"
        "    print(people.get(dict, 'ann'))\n"
        "    print([p['name'] for p in people.find().order_by('-age')])\n"
        "    print(people.find(name__startswith='B').first())\n"
        f"print(len(doqu.connect({url!r})))  # another collection of the same file\n"
    )
    assert read.returncode == 0, read.stderr
    assert read.stdout == (
        "{'name': 'Ann', 'age': 37, 'paid': Decimal('9.90')}\n"
        "['Ann', 'Bob']\n"
        "{'name': 'Bob', 'age': 15, 'born': datetime.date(2010, 5, 1)}\n"
        "0\n"
    )

    checked = venv.doqu("check", f"shelve:///{venv.work.as_posix().lstrip('/')}/y.db")
    assert (checked.returncode, checked.stderr) == (0, ""), checked.stdout
    report = checked.stdout
    assert report.startswith(
        f"doqu check shelve:///{venv.work.as_posix().lstrip('/')}/y.db\n"
        f"  backend 'shelve' (doqu-shelve 1.0.0a1), contract suite {CONTRACT_VERSION}\n"
        f"  declares: {SHELVE_CAPABILITIES}\n"
    )
    assert "\n  integer_keys (" in report
    assert "\n  unique_indexes (" in report
    found = re.search(
        r"^(\d+) passed, 0 failed, (\d+) skipped by capability, 0 declared gaps; "
        r"(\d+) items of \d+ tests$",
        report,
        re.MULTILINE,
    )
    assert found is not None, report
    passed, skipped, total = map(int, found.groups())
    assert passed + skipped == total
    assert passed > 400
    assert report.endswith(f"OK: 'shelve' passes contract suite {CONTRACT_VERSION}\n")


def test_check_of_an_incomplete_plugin_names_exactly_the_missing_methods(venv: Any) -> None:
    venv.pip_install(shutil.copytree(INCOMPLETE, venv.work.parent / "incomplete", ignore=IGNORE))
    try:
        checked = venv.doqu("check", "incomplete://anything")
        assert (checked.returncode, checked.stdout) == (1, ""), checked.stderr
        assert checked.stderr == (
            "doqu check: cannot check incomplete://anything: backend 'incomplete' of doqu plugin "
            "'incomplete' (distribution doqu-incomplete-fixture 1.0.0a1): adapter "
            "doqu_incomplete_fixture._storage.IncompleteStorage does not implement the abstract "
            "method(s) query_items, remove_record; implement them (see doqu.StorageAdapter)\n"
        )
        # the other backends are unaffected; the listing shows the broken one with its error
        listing = venv.doqu("backends")
        assert listing.returncode == 1
        assert re.search(
            r"^incomplete +incomplete +doqu-incomplete-fixture +1\.0\.0a1 +error ",
            listing.stdout,
            re.M,
        ), listing.stdout
        assert re.search(r"^shelve +shelve +doqu-shelve +1\.0\.0a1 +ok ", listing.stdout, re.M)
    finally:
        venv.pip_uninstall("doqu-incomplete-fixture")


QUOTE = re.compile(r"<!-- quoted from (\S+) -->\n```\w*\n(.*?)```", re.DOTALL)


def test_the_plugin_guide_quotes_the_example_as_it_is() -> None:
    guide = (REPO / "docs" / "plugin-guide.md").read_text(encoding="utf-8")
    quotes = QUOTE.findall(guide)
    assert len(quotes) == 11
    for path, block in quotes:
        # each run of lines between "..." markers is in the file as it is, without a line
        # left out or added, and the runs come in the file's order (blank lines aside)
        source = [line for line in (REPO / path).read_text(encoding="utf-8").splitlines() if line]
        start = 0
        for run in _runs(block):
            found = next(
                (i for i in range(start, len(source)) if source[i : i + len(run)] == run), None
            )
            assert found is not None, f"{path}: not quoted as it is: {run!r}"
            start = found + len(run)


def _runs(block: str) -> list[list[str]]:
    """The quoted lines of ``block`` in runs, split at "..." lines, blank lines dropped."""
    runs: list[list[str]] = [[]]
    for line in block.splitlines():
        if line.strip().partition("  #")[0] == "...":
            runs.append([])
        elif line.strip():
            runs[-1].append(line)
    return [run for run in runs if run]


def test_the_guides_debugging_sample_is_what_doqu_backends_prints(tmp_path: Path) -> None:
    # the plugin of section 7: distribution doqu-mine 1.0.0a1 with a misspelled hook
    (tmp_path / "doqu_mine.py").write_text(
        "import doqu\n\n@doqu.hookimpl\ndef doqu_backend():\n    return []\n"
    )
    info = tmp_path / "doqu_mine-1.0.0a1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: doqu-mine\nVersion: 1.0.0a1\n")
    (info / "entry_points.txt").write_text("[doqu]\nmine = doqu_mine\n")
    environment = {**os.environ, "PYTHONPATH": str(tmp_path)}
    environment.pop("DOQU_STRICT_PLUGINS", None)
    printed = subprocess.run(
        [sys.executable, "-m", "doqu", "backends"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    ).stdout.splitlines()
    guide = (REPO / "docs" / "plugin-guide.md").read_text(encoding="utf-8")
    sample = guide.split("## 7.")[1].split("```\n$ doqu backends\n")[1].split("```")[0]
    # every sample line is printed, in order (other installed backends may come between);
    # columns are compared without their padding, and "..." stands for the rest of a line
    lines = iter(" ".join(line.split()) for line in printed)
    for expected in (" ".join(line.split()) for line in sample.splitlines()):
        head = expected.removesuffix("...")
        assert any(
            line.startswith(head) if head != expected else line == expected for line in lines
        ), f"not printed: {expected!r}\n" + "\n".join(printed)


def test_the_guide_documents_every_url_attribute_as_parse_url_fills_it() -> None:
    guide = (REPO / "docs" / "plugin-guide.md").read_text(encoding="utf-8")
    rows = re.findall(r"^  \| `(\w+)` \| [^|]+ \| ([^|]+) \| ([^|]+) \|$", guide, re.MULTILINE)
    assert [name for name, *_ in rows] == [field.name for field in dataclasses.fields(URL)]
    for url, column in [("mongodb://ann:pw@h1:27017,h2/app?w=1", 1), ("shelve:///tmp/app.db", 2)]:
        parsed = parse_url(url)
        for name, *examples in rows:
            shown = examples[column - 1].strip()
            if name == "raw":
                assert getattr(parsed, name) == url
                continue
            value = getattr(parsed, name)
            expected = None if shown == "`None`" else "" if shown == "(empty)" else shown.strip("`")
            assert value == expected, f"{url}: {name} is {value!r}, the guide says {shown}"


def test_contributing_and_the_guide_name_the_public_toolkit() -> None:
    for doc in ["CONTRIBUTING.md", "docs/plugin-guide.md"]:
        text = (REPO / doc).read_text(encoding="utf-8")
        assert "doqu.backend.run" in text, doc
        assert not re.search(r"doqu\._\w+", text), f"{doc} names a private module"
