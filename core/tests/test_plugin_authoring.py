"""Writing a backend plugin, proven the way an outside author lives it.

A new virtual environment gets doqu and then ``examples/doqu-shelve`` installed with pip from
their directories, as regular (not editable) installs; everything after that runs in that
environment's own processes: ``doqu backends``, ``doqu.connect()`` in two processes, and
``doqu check`` running the whole contract suite. A deliberately incomplete plugin installed
the same way shows that ``doqu check`` names exactly the methods it is missing.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from doqu import __version__ as doqu_version
from doqu.contract import CONTRACT_VERSION

REPO = Path(__file__).resolve().parents[2]
SHELVE = REPO / "examples" / "doqu-shelve"
INCOMPLETE = Path(__file__).resolve().parent / "plugins" / "incomplete"
IGNORE = shutil.ignore_patterns("__pycache__", "*.egg-info", "build", "dist", ".*")
SHELVE_CAPABILITIES = (
    "regex, date_parts, atomic_get_or_create, thread_safe, persistent, decimal_values, "
    "date_values, bytes_values, uuid_values, nan_values, datetime_microseconds, nested_lists"
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
        r"^(\d+) passed, 0 failed, (\d+) skipped by capability, 0 declared gaps; (\d+) tests$",
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
        # every line of the quote is in the file, in order; "..." marks lines left out
        source = iter((REPO / path).read_text(encoding="utf-8").splitlines())
        for line in (line for line in block.splitlines() if line.strip() not in ("", "...")):
            assert any(line == original for original in source), f"{path}: {line!r}"
