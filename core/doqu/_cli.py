"""The ``doqu`` command line.

Each command is a function in :data:`COMMANDS` that adds its subparser and sets ``run`` on
it: a callable taking the parsed arguments and returning the exit status. A command living in
another module (``doqu check``) adds itself the same way; keep heavy imports inside ``run``
so ``doqu --help`` stays fast.
"""

from __future__ import annotations

import argparse
import json
import sys
import warnings
from collections.abc import Callable, Sequence
from typing import Any, TypeAlias

from . import __version__
from ._capabilities import Capabilities
from ._check import add_check_command
from ._copy_command import add_copy_command
from ._discovery import BackendInfo, PluginFailure, PluginWarning, backends, plugin_failures
from .errors import DoquError

__all__ = ["COMMANDS", "Subparsers", "main"]

#: what a command adds its parser to.
Subparsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"

_EXIT_STATUS = """\
exit status:
  0  success
  1  a problem was found (e.g. a plugin failed to load) or a doqu error occurred
  2  the command line is wrong"""


def add_backends_command(subparsers: Subparsers) -> None:
    """``doqu backends``: the installed backends and the plugins that failed to load."""
    parser = subparsers.add_parser(
        "backends",
        help="list installed backends and plugins that failed to load",
        description="List the installed backends (name, URL schemes, distribution, version, "
        "status, declared capabilities) and the plugins that failed to load, with their "
        "errors. Set DOQU_STRICT_PLUGINS=1 to stop at the first plugin problem instead.",
        epilog="exit status: 0 when every plugin and backend is usable; 1 when a plugin "
        "failed to load or is invalid, or a backend is broken or claimed twice",
    )
    parser.add_argument("--json", action="store_true", help="print the listing as JSON")
    parser.set_defaults(run=_run_backends)


#: the subcommands, in the order ``doqu --help`` shows them.
COMMANDS: list[Callable[[Subparsers], None]] = [
    add_backends_command,
    add_check_command,
    add_copy_command,
]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``doqu`` command line; return the exit status."""
    parser = argparse.ArgumentParser(
        prog="doqu",
        description="doqu: one API to store and query documents, whatever stores them.",
        epilog=_EXIT_STATUS,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"doqu {__version__}")
    subparsers = parser.add_subparsers(title="commands", metavar="<command>", required=True)
    for add_command in COMMANDS:
        add_command(subparsers)
    args = parser.parse_args(argv)
    try:
        status: int = args.run(args)
    except DoquError as error:
        print(f"doqu: error: {error}", file=sys.stderr)
        return 1
    return status


def _run_backends(args: argparse.Namespace) -> int:
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
    errors = dict.fromkeys(info.error for info in listed if info.error)  # a conflict is shared
    if errors:
        lines += ["", "Broken backends:"]
        lines += [f"  - {error}" for error in errors]
    if failures:
        lines += ["", "Plugins that failed to load:"]
        lines += [f"  - {failure.error}" for failure in failures]
    return "\n".join(lines)


def _capabilities_json(capabilities: Capabilities) -> dict[str, Any]:
    flags: dict[str, Any] = {name: getattr(capabilities, name) for name in capabilities.names()}
    flags["native_types"] = [
        f"{kind.__module__}.{kind.__qualname__}" for kind in capabilities.native_types
    ]
    return flags
