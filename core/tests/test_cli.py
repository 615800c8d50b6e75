"""The ``doqu`` command line, run as users run it: in a subprocess."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import doqu
from doqu._capabilities import Capabilities
from doqu._discovery import STRICT_ENV
from doqu.memory import MemoryStorage

MEMORY_ROW = re.compile(
    rf"^memory +memory +doqu +{re.escape(doqu.__version__)} +ok +"
    + re.escape(", ".join(MemoryStorage.capabilities.declared()))
    + "$",
    re.MULTILINE,
)


def doqu_cli(
    *args: str, site: Path | None = None, strict: bool = False
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m doqu ARGS``; ``site`` is a directory of extra installed distributions."""
    environment = {key: value for key, value in os.environ.items() if key != STRICT_ENV}
    if site is not None:
        environment["PYTHONPATH"] = os.pathsep.join(
            filter(None, [str(site), environment.get("PYTHONPATH")])
        )
    if strict:
        environment[STRICT_ENV] = "1"
    return subprocess.run(
        [sys.executable, "-m", "doqu", *args],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def broken_site(tmp_path: Path) -> Path:
    """A directory holding an installed distribution whose plugin fails to import."""
    (tmp_path / "fx_cli_broken.py").write_text("import fx_cli_missing_driver\n")
    info = tmp_path / "doqu_fx_cli-3.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: doqu-fx-cli\nVersion: 3.1\n")
    (info / "entry_points.txt").write_text("[doqu]\nfxcli = fx_cli_broken\n")
    return tmp_path


BROKEN = (
    "doqu plugin 'fxcli' (distribution doqu-fx-cli 3.1) failed to load: its entry point "
    "'fxcli = fx_cli_broken' raised ModuleNotFoundError: No module named "
    "'fx_cli_missing_driver'; fix the plugin or uninstall it (pip uninstall doqu-fx-cli)"
)


def test_backends_prints_a_table_and_exits_0() -> None:
    result = doqu_cli("backends")
    assert (result.returncode, result.stderr) == (0, "")
    lines = result.stdout.splitlines()
    assert re.fullmatch(r"NAME +SCHEMES +DISTRIBUTION +VERSION +STATUS +CAPABILITIES", lines[0]), (
        lines[0]
    )
    assert MEMORY_ROW.search(result.stdout), result.stdout
    assert "failed to load" not in result.stdout


def test_backends_json_lists_backends_with_capabilities() -> None:
    result = doqu_cli("backends", "--json")
    assert result.returncode == 0, result.stderr
    listing = json.loads(result.stdout)
    assert set(listing) == {"doqu_version", "backends", "failures"}
    assert (listing["doqu_version"], listing["failures"]) == (doqu.__version__, [])
    [memory] = [backend for backend in listing["backends"] if backend["name"] == "memory"]
    assert memory == {
        "name": "memory",
        "schemes": ["memory"],
        "plugin": "memory",
        "distribution": "doqu",
        "version": doqu.__version__,
        "description": memory["description"],
        "status": "ok",
        "error": None,
        "capabilities": {
            **{name: getattr(MemoryStorage.capabilities, name) for name in Capabilities.names()},
            "native_types": [],
        },
    }
    assert isinstance(memory["description"], str)


def test_broken_plugin_is_listed_with_its_error_and_exits_1(broken_site: Path) -> None:
    result = doqu_cli("backends", site=broken_site)
    assert (result.returncode, result.stderr) == (1, "")
    assert MEMORY_ROW.search(result.stdout), result.stdout
    assert result.stdout.endswith(f"\n\nPlugins that failed to load:\n  - {BROKEN}\n")


def test_broken_plugin_in_json(broken_site: Path) -> None:
    result = doqu_cli("backends", "--json", site=broken_site)
    assert result.returncode == 1, result.stderr
    assert json.loads(result.stdout)["failures"] == [
        {
            "plugin": "fxcli",
            "distribution": "doqu-fx-cli",
            "version": "3.1",
            "kind": "PluginLoadError",
            "error": BROKEN,
        }
    ]


def test_strict_mode_stops_at_the_first_plugin_problem(broken_site: Path) -> None:
    result = doqu_cli("backends", site=broken_site, strict=True)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == f"doqu: error: {BROKEN}\n"


def test_version() -> None:
    result = doqu_cli("--version")
    assert (result.returncode, result.stdout) == (0, f"doqu {doqu.__version__}\n")


def test_missing_command_is_a_usage_error() -> None:
    result = doqu_cli()
    assert result.returncode == 2
    assert "the following arguments are required: <command>" in result.stderr


def test_help_documents_the_exit_status() -> None:
    result = doqu_cli("backends", "--help")
    assert result.returncode == 0
    assert "exit status: 0 when every plugin and backend is usable; 1 when" in " ".join(
        result.stdout.split()
    )


def test_broken_backends_are_marked_and_explained(tmp_path: Path) -> None:
    (tmp_path / "fx_cli_bad.py").write_text(
        "from doqu._hookspecs import BackendSpec, hookimpl\n\n"
        "@hookimpl\n"
        "def doqu_backends():\n"
        "    return [\n"
        "        BackendSpec('fxtwin', ('fxtwin',), 'doqu.memory:MemoryStorage'),\n"
        "        BackendSpec('fxtwin2', ('fxtwin',), 'doqu.memory:MemoryStorage'),\n"
        "        BackendSpec('fxnoadapter', ('fxnoadapter',), 'fx_cli_no_such_module:S'),\n"
        "    ]\n"
    )
    info = tmp_path / "doqu_fx_bad-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: doqu-fx-bad\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[doqu]\nbad = fx_cli_bad\n")
    result = doqu_cli("backends", site=tmp_path)
    assert (result.returncode, result.stderr) == (1, "")
    for row in [
        r"fxnoadapter +fxnoadapter +doqu-fx-bad +1\.0 +error +-",
        r"fxtwin +fxtwin +doqu-fx-bad +1\.0 +error +regex, date_parts, .*",
        r"fxtwin2 +fxtwin +doqu-fx-bad +1\.0 +error +regex, date_parts, .*",
    ]:
        assert re.search(f"^{row}$", result.stdout, re.MULTILINE), row
    assert MEMORY_ROW.search(result.stdout), result.stdout
    plugin = "doqu plugin 'bad' (distribution doqu-fx-bad 1.0)"
    assert result.stdout.endswith(
        "\n\nBroken backends:\n"
        f"  - backend 'fxnoadapter' of {plugin} failed to load its adapter "
        "'fx_cli_no_such_module:S': ModuleNotFoundError: No module named "
        "'fx_cli_no_such_module'; fix the plugin or uninstall it (pip uninstall doqu-fx-bad)\n"
        f"  - URL scheme 'fxtwin' is claimed by backend 'fxtwin' of {plugin} and by backend "
        f"'fxtwin2' of {plugin}; uninstall all but one of them\n"
    ), result.stdout
