"""docs/architecture.md names every module of core and every first-party backend."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CORE = REPO / "core" / "doqu"
ARCHITECTURE = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")


def test_the_layout_names_every_core_module() -> None:
    modules = [
        path.relative_to(CORE)
        for package in (CORE, CORE / "memory", CORE / "contract", CORE / "cli")
        for path in package.glob("*.py")
        if path.name != "__init__.py" or package == CORE
    ]
    assert len(modules) > 40
    assert [str(module) for module in modules if module.name not in ARCHITECTURE] == []


def test_the_layers_name_every_first_party_backend() -> None:
    plugins = [path.parent.name for path in (REPO / "plugins").glob("*/pyproject.toml")]
    assert [name for name in plugins if f"doqu_{name}" not in ARCHITECTURE] == []
