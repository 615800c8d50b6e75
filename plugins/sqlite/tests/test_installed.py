"""doqu-sqlite installed as a user would (``pip install plugins/sqlite``, not editable) in a
new virtual environment: listed by ``doqu backends``, persistent, and ``doqu check`` green."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

from doqu.contract import CONTRACT_VERSION

PLUGIN = Path(__file__).resolve().parents[1]
IGNORE = shutil.ignore_patterns("__pycache__", "*.egg-info", "build", "dist", ".*")
CAPABILITIES = (
    "regex, date_parts, atomic_get_or_create, unique_indexes, thread_safe, persistent, durable, "
    "integer_keys, date_values, bytes_values, uuid_values, nan_values, infinity_values, "
    "datetime_microseconds, nested_lists"
)


def test_installed_plugin_is_listed_persists_and_passes_doqu_check(
    tmp_path: Path, new_venv: Any
) -> None:
    venv = new_venv(tmp_path)
    venv.pip_install(f"{venv.core}[contract]")
    venv.pip_install(shutil.copytree(PLUGIN, tmp_path / "doqu-sqlite", ignore=IGNORE))
    where = venv.python_code("import doqu_sqlite; print(doqu_sqlite.__file__)")
    assert "site-packages" in where.stdout, where.stderr

    listing = venv.doqu("backends")
    assert (listing.returncode, listing.stderr) == (0, ""), listing.stdout
    line = rf"^sqlite +sqlite +doqu-sqlite +1\.0\.0a1 +ok +{re.escape(CAPABILITIES)}$"
    assert re.search(line, listing.stdout, re.MULTILINE), listing.stdout

    url = f"sqlite:///{venv.work.as_posix()}/app.db"
    write = venv.python_code(
        f"import doqu\npeople = doqu.connect({url!r}, collection='people')\n"
        "people.save({'name': 'Ann', 'age': 37}, 'ann')\nprint(len(people))\n"
    )
    assert (write.returncode, write.stdout) == (0, "1\n"), write.stderr
    read = venv.python_code(
        f"import doqu\nprint(doqu.connect({url!r}, collection='people').get(dict, 'ann'))\n"
    )
    assert read.stdout == "{'name': 'Ann', 'age': 37}\n", read.stderr

    checked = venv.doqu("check", f"sqlite:///{venv.work.as_posix()}/check.db")
    assert (checked.returncode, checked.stderr) == (0, ""), checked.stdout
    found = re.search(
        r"^(\d+) passed, 0 failed, (\d+) skipped by capability, 0 declared gaps; "
        r"(\d+) items of \d+ tests$",
        checked.stdout,
        re.MULTILINE,
    )
    assert found is not None, checked.stdout
    print("\n" + found.group(0))
    assert int(found.group(1)) > 500
    assert checked.stdout.endswith(f"OK: 'sqlite' passes contract suite {CONTRACT_VERSION}\n")
