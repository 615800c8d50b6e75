"""The core distribution sorts above the original doqu's 0.x line, and plugins resolve to it.

PyPI's ``doqu`` holds the original library (0.28.2, Python 2). A plugin that required a range
the old line satisfies would make pip fetch it; here wheels of core and of the example plugin
are installed from a directory that also holds the old release, with no index at all, so the
resolver can only pick by version.
"""

from __future__ import annotations

import re
import shutil
import tomllib
from pathlib import Path
from typing import Any

import pytest

import doqu

OLD_LINE = "0.28.2"
REPO = Path(__file__).resolve().parents[2]
IGNORE = shutil.ignore_patterns("__pycache__", "*.egg-info", "build", "dist", ".*")
SHELVE = REPO / "examples" / "doqu-shelve"
PLUGIN_PROJECTS = sorted(
    path
    for path in (*(REPO / "plugins").glob("*/pyproject.toml"), SHELVE / "pyproject.toml")
    if path.parent.name != "testserver"
)


@pytest.fixture(scope="module")
def wheels(tmp_path_factory: pytest.TempPathFactory, new_venv: Any) -> dict[str, Path]:
    """Wheel directories: everything the plugin needs, and the same without doqu's core."""
    root = tmp_path_factory.mktemp("identity")
    env = new_venv(root)
    full, no_core = root / "full", root / "no-core"
    shelve = shutil.copytree(SHELVE, root / "shelve", ignore=IGNORE)
    built = env.pip("wheel", "--quiet", "--wheel-dir", full, env.core, shelve)
    assert built.returncode == 0, built.stderr
    # the old line sits beside the new one, as it does on the index
    old = env.pip("download", "--quiet", "--no-deps", "--dest", full, f"doqu=={OLD_LINE}")
    assert old.returncode == 0, old.stderr
    no_core.mkdir()
    for archive in full.iterdir():
        if not re.match(r"doqu-\d", archive.name) or OLD_LINE in archive.name:
            (no_core / archive.name).symlink_to(archive)
    return {"full": full, "no-core": no_core, "venv_root": root}


def test_core_version_is_a_1_0_pre_release_above_the_old_line() -> None:
    assert re.fullmatch(r"1\.0\.0(a|b|rc)\d+|1\.\d+\.\d+", doqu.__version__)
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    assert project["version"] == doqu.__version__


@pytest.mark.parametrize("pyproject", PLUGIN_PROJECTS, ids=lambda path: path.parent.name)
def test_every_first_party_plugin_requires_this_line_of_core(pyproject: Path) -> None:
    project = tomllib.loads(pyproject.read_text())["project"]
    requirements = [r for r in project["dependencies"] if re.match(r"doqu\b(?![-_])", r)]
    assert requirements == ["doqu>=1.0a1,<2"]


def test_plugin_wheel_resolves_to_this_core_never_the_old_line(
    wheels: dict[str, Path], new_venv: Any
) -> None:
    env = new_venv(wheels["venv_root"] / "user")
    installed = env.pip(
        "install", "--quiet", "--no-index", "--find-links", wheels["full"], "doqu-shelve"
    )
    assert installed.returncode == 0, installed.stderr
    version = env.python_code("import doqu, doqu_shelve; print(doqu.__version__)")
    assert (version.returncode, version.stdout.strip()) == (0, doqu.__version__), version.stderr
    listing = env.doqu("backends")
    assert re.search(r"^shelve +shelve +doqu-shelve ", listing.stdout, re.M), listing.stdout


def test_plugin_without_this_core_fails_loudly_instead_of_taking_the_old_line(
    wheels: dict[str, Path], new_venv: Any
) -> None:
    env = new_venv(wheels["venv_root"] / "user-no-core")
    installed = env.pip("install", "--no-index", "--find-links", wheels["no-core"], "doqu-shelve")
    assert installed.returncode != 0
    assert "doqu<2,>=1.0a1" in installed.stderr or "doqu>=1.0a1,<2" in installed.stderr
    absent = env.python_code("import doqu")
    assert absent.returncode != 0
