"""Shared fixtures for core's tests: throwaway virtual environments used as a user would."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from doqu._discovery import STRICT_ENV

REPO = Path(__file__).resolve().parents[2]
# building in place would write build/ and *.egg-info into the repository: build from copies
IGNORE = shutil.ignore_patterns("__pycache__", "*.egg-info", "build", "dist", ".*")


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


def copy_of(source: Path, target: Path) -> Path:
    """A copy of a distribution's directory to build from."""
    return shutil.copytree(source, target, ignore=IGNORE)


@dataclass(frozen=True)
class UserVenv:
    """A new virtual environment, a scratch directory to work in, and a copy of doqu's source."""

    bin: Path
    work: Path
    #: a buildable copy of the repository's core distribution
    core: Path

    @property
    def python(self) -> Path:
        return self.bin / "python"

    def pip(self, *args: str | Path) -> subprocess.CompletedProcess[str]:
        """Run pip for this environment's interpreter."""
        return run([sys.executable, "-m", "pip", "--python", self.python, *args], cwd=self.work)

    def pip_install(self, *requirements: str | Path) -> None:
        installed = self.pip("install", "--quiet", *requirements)
        assert installed.returncode == 0, installed.stderr

    def pip_uninstall(self, name: str) -> None:
        pip = [sys.executable, "-m", "pip", "--python", self.python, "uninstall", "--yes", name]
        removed = run(pip, cwd=self.work)
        assert removed.returncode == 0, removed.stderr

    def doqu(self, *args: str) -> subprocess.CompletedProcess[str]:
        return run([self.bin / "doqu", *args], cwd=self.work)

    def python_code(self, code: str) -> subprocess.CompletedProcess[str]:
        return run([self.python, "-c", code], cwd=self.work)


def _new_venv(root: Path) -> UserVenv:
    core = copy_of(REPO / "core" / "doqu", root / "doqu" / "core" / "doqu").parents[1]
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        if (REPO / name).exists():
            shutil.copy(REPO / name, core / name)
    # no pip of its own: the test's pip installs into it (``pip --python``), which is faster
    created = run([sys.executable, "-m", "venv", "--without-pip", root / "venv"], cwd=root)
    assert created.returncode == 0, created.stderr
    work = root / "work"
    work.mkdir()
    return UserVenv(root / "venv" / ("Scripts" if os.name == "nt" else "bin"), work, core)


@pytest.fixture(scope="session")
def new_venv() -> Callable[[Path], UserVenv]:
    """Make an empty virtual environment under a directory, with doqu's source beside it."""
    return _new_venv
