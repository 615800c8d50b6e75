"""Writing a backend plugin, proven the way an outside author lives it.

A new virtual environment gets doqu and then ``examples/doqu-shelve`` installed with pip from
their directories, as regular (not editable) installs; everything after that runs in that
environment's own processes: ``doqu backends``, ``doqu.connect()`` in two processes, and
``doqu check`` running the whole contract suite. A deliberately incomplete plugin installed
the same way shows that ``doqu check`` names exactly the methods it is missing.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from doqu import __version__ as doqu_version
from doqu._discovery import STRICT_ENV
from doqu.contract import CONTRACT_VERSION

REPO = Path(__file__).resolve().parents[2]
SHELVE = REPO / "examples" / "doqu-shelve"
INCOMPLETE = Path(__file__).resolve().parent / "plugins" / "incomplete"
# building in place would write build/ and *.egg-info into the repository: build from copies
IGNORE = shutil.ignore_patterns("__pycache__", "*.egg-info", "build", "dist", ".*")
SHELVE_CAPABILITIES = (
    "regex, date_parts, atomic_get_or_create, thread_safe, persistent, decimal_values, "
    "date_values, bytes_values, uuid_values, nan_values, datetime_microseconds, nested_lists"
)


def run(command: Sequence[str | Path], cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run ``command`` as a user's shell would: nothing of this test process leaks in."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", STRICT_ENV}
    }
    environment["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


@dataclass(frozen=True)
class Venv:
    """A virtual environment and a scratch directory to work in."""

    bin: Path
    work: Path

    @property
    def python(self) -> Path:
        return self.bin / "python"

    def pip_install(self, *requirements: str | Path) -> None:
        pip = [sys.executable, "-m", "pip", "--python", self.python, "install", "--quiet"]
        installed = run([*pip, *requirements], cwd=self.work)
        assert installed.returncode == 0, installed.stderr

    def pip_uninstall(self, name: str) -> None:
        pip = [sys.executable, "-m", "pip", "--python", self.python, "uninstall", "--yes", name]
        removed = run(pip, cwd=self.work)
        assert removed.returncode == 0, removed.stderr

    def doqu(self, *args: str) -> subprocess.CompletedProcess[str]:
        return run([self.bin / "doqu", *args], cwd=self.work)

    def python_code(self, code: str) -> subprocess.CompletedProcess[str]:
        return run([self.python, "-c", code], cwd=self.work)


def copy_of(source: Path, target: Path) -> Path:
    return shutil.copytree(source, target, ignore=IGNORE)


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> Venv:
    """doqu, its contract-suite dependencies, then doqu-shelve, installed as a user would."""
    root = tmp_path_factory.mktemp("authoring")
    core = copy_of(REPO / "core" / "doqu", root / "doqu" / "core" / "doqu").parents[1]
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        if (REPO / name).exists():
            shutil.copy(REPO / name, core / name)
    created = run([sys.executable, "-m", "venv", "--without-pip", root / "venv"], cwd=root)
    assert created.returncode == 0, created.stderr
    work = root / "work"
    work.mkdir()
    env = Venv(root / "venv" / ("Scripts" if os.name == "nt" else "bin"), work)
    env.pip_install(f"{core}[contract]")
    env.pip_install(copy_of(SHELVE, root / "doqu-shelve"))
    return env


def test_installed_shelve_plugin_is_listed_connects_persists_and_passes_the_contract(
    venv: Venv,
) -> None:
    # installed as a package, not found through a path into the repository
    where = venv.python_code("import doqu_shelve; print(doqu_shelve.__file__)")
    assert where.returncode == 0, where.stderr
    assert "site-packages" in where.stdout
    assert str(REPO) not in where.stdout

    listing = venv.doqu("backends")
    assert (listing.returncode, listing.stderr) == (0, ""), listing.stdout
    assert re.search(
        rf"^shelve +shelve +doqu-shelve +0\.1\.0 +ok +{re.escape(SHELVE_CAPABILITIES)}$",
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
        f"  backend 'shelve' (doqu-shelve 0.1.0), contract suite {CONTRACT_VERSION}\n"
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


def test_check_of_an_incomplete_plugin_names_exactly_the_missing_methods(venv: Venv) -> None:
    venv.pip_install(copy_of(INCOMPLETE, venv.work.parent / "incomplete"))
    try:
        checked = venv.doqu("check", "incomplete://anything")
        assert (checked.returncode, checked.stdout) == (1, ""), checked.stderr
        assert checked.stderr == (
            "doqu check: cannot check incomplete://anything: backend 'incomplete' of doqu plugin "
            "'incomplete' (distribution doqu-incomplete-fixture 0.1.0): adapter "
            "doqu_incomplete_fixture._storage.IncompleteStorage does not implement the abstract "
            "method(s) _query, _remove; implement them (see doqu.StorageAdapter)\n"
        )
        # the other backends are unaffected; the listing shows the broken one with its error
        listing = venv.doqu("backends")
        assert listing.returncode == 1
        assert re.search(
            r"^incomplete +incomplete +doqu-incomplete-fixture +0\.1\.0 +error ",
            listing.stdout,
            re.M,
        ), listing.stdout
        assert re.search(r"^shelve +shelve +doqu-shelve +0\.1\.0 +ok ", listing.stdout, re.M)
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
