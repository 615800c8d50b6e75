"""``doqu backends``: the installed backends and the plugins that failed to load."""

from __future__ import annotations

import argparse
import json
import warnings
from typing import TYPE_CHECKING, Any

from .. import __version__
from .._capabilities import Capabilities
from .._connect import connect
from .._discovery import BackendInfo, PluginFailure, PluginWarning, backends, plugin_failures

if TYPE_CHECKING:
    from . import Subparsers

__all__ = ["add_backends_command"]


def add_backends_command(subparsers: Subparsers) -> None:
    """``doqu backends``: the installed backends and the plugins that failed to load."""
    parser = subparsers.add_parser(
        "backends",
        help="list installed backends and plugins that failed to load",
        description="List the installed backends (name, URL schemes, distribution, version, "
        "status, declared capabilities) and the plugins that failed to load, with their "
        "errors. The capabilities listed are each backend's declared maximum; with a URL, "
        "doqu connects and shows the capabilities that storage gives (a server may narrow "
        "them). Set DOQU_STRICT_PLUGINS=1 to stop at the first plugin problem instead.",
        epilog="exit status: 0 when every plugin and backend is usable; 1 when a plugin "
        "failed to load or is invalid, or a backend is broken or claimed twice",
    )
    parser.add_argument(
        "url", nargs="?", help="connect here and show the capabilities this storage gives"
    )
    parser.add_argument("--json", action="store_true", help="print the listing as JSON")
    parser.set_defaults(run=_run_backends)


def _run_backends(args: argparse.Namespace) -> int:
    if args.url is not None:
        return _run_connected(args.url, as_json=args.json)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PluginWarning)  # the listing shows every problem
        listed = backends()
        failures = plugin_failures()
    if args.json:
        print(json.dumps(_as_json(listed, failures), indent=2))
    else:
        print(_as_text(listed, failures))
    return 1 if failures or any(info.status != "ok" for info in listed) else 0


def _as_json(listed: list[BackendInfo], failures: list[PluginFailure]) -> dict[str, Any]:
    return {
        "doqu_version": __version__,
        "backends": [
            {
                "name": info.name,
                "schemes": list(info.schemes),
                "plugin": info.plugin,
                "distribution": info.distribution,
                "version": info.version,
                "description": info.description,
                "status": info.status,
                "error": info.error,
                "capabilities": (
                    _capabilities_json(info.capabilities) if info.capabilities else None
                ),
            }
            for info in listed
        ],
        "failures": [
            {
                "plugin": failure.plugin,
                "distribution": failure.distribution,
                "version": failure.version,
                "kind": type(failure.exception).__name__,
                "error": failure.error,
            }
            for failure in failures
        ],
    }


def _as_text(listed: list[BackendInfo], failures: list[PluginFailure]) -> str:
    rows = [["NAME", "SCHEMES", "DISTRIBUTION", "VERSION", "STATUS", "CAPABILITIES"]]
    rows += [
        [
            info.name,
            ", ".join(info.schemes),
            info.distribution or "(in-process)",
            info.version or "-",
            info.status,
            ", ".join(info.capabilities.declared()) if info.capabilities else "-",
        ]
        for info in listed
    ]
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]
    if not listed:
        lines.append("(no backends installed)")
    else:
        lines += ["", _MAXIMUM_NOTE]
    errors = dict.fromkeys(info.error for info in listed if info.error)  # a conflict is shared
    if errors:
        lines += ["", "Broken backends:"]
        lines += [f"  - {error}" for error in errors]
    if failures:
        lines += ["", "Plugins that failed to load:"]
        lines += [f"  - {failure.error}" for failure in failures]
    return "\n".join(lines)


_MAXIMUM_NOTE = (
    "Capabilities are each backend's declared maximum; `doqu backends URL` shows what a "
    "running storage gives."
)


def _run_connected(url: str, *, as_json: bool) -> int:
    """Connect to ``url`` and print the capabilities it gives beside the declared maximum."""
    with connect(url) as storage:
        given = storage.capabilities
        name = storage.backend
    declared = next((info.capabilities for info in backends() if info.name == name), None)
    narrowed = [
        flag for flag in (declared.declared() if declared else ()) if flag not in given.declared()
    ]
    if as_json:
        shown = {"backend": name, "capabilities": _capabilities_json(given), "narrowed": narrowed}
        print(json.dumps(shown, indent=2))
        return 0
    print(f"backend:      {name}")
    print(f"capabilities: {', '.join(given.declared()) or '-'}")
    print(f"narrowed:     {', '.join(narrowed) or '- (the declared maximum)'}")
    return 0


def _capabilities_json(capabilities: Capabilities) -> dict[str, Any]:
    flags: dict[str, Any] = {name: getattr(capabilities, name) for name in capabilities.names()}
    flags["native_types"] = [
        f"{kind.__module__}.{kind.__qualname__}" for kind in capabilities.native_types
    ]
    return flags
