"""``doqu check URL``: the argparse wiring; the run is :mod:`doqu.contract._check_run`.

Neither pytest nor the suite is imported until the command runs, so ``doqu --help`` stays
fast and works without them.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from .._url import mask_password
from ..errors import DoquError
from ._check_format import format_listing, format_report

if TYPE_CHECKING:
    from . import Subparsers

__all__ = ["add_check_command"]

_INSTALL = "pip install 'doqu[contract]'"


def add_check_command(subparsers: Subparsers) -> None:
    """``doqu check URL``: the contract suite against a backend, and ``--list``."""
    parser = subparsers.add_parser(
        "check",
        help="run the contract suite against a backend URL",
        description="Run doqu's contract suite against the storages a URL gives and print a "
        "report: failures with their first error line, tests skipped because the backend "
        "does not declare a capability (grouped by capability), the backend's declared gaps, "
        "and the counts. Every test runs on a fresh collection (collection='doqu_check_...'), "
        "cleared afterwards: use a scratch database. Needs pytest: " + _INSTALL,
        epilog="exit status: 0 when every test passed or was skipped or failed as declared; "
        "1 when a test failed or the URL cannot be checked; 2 when the command line is wrong",
    )
    parser.add_argument("url", nargs="?", help="the connection URL, e.g. shelve:///tmp/check.db")
    parser.add_argument(
        "--list",
        action="store_true",
        help="print the contract version and every contract test with the capabilities it needs",
    )
    parser.add_argument(
        "-k",
        dest="select",
        metavar="EXPRESSION",
        help="run only the tests matching a pytest -k expression over test and contract class "
        "names, e.g. 'SaveContract or test_get'",
    )
    parser.add_argument("-x", "--exitfirst", action="store_true", help="stop at the first failure")
    parser.add_argument(
        "--details", action="store_true", help="print pytest's full report of each failure"
    )
    parser.set_defaults(run=_command(parser))


def _command(parser: argparse.ArgumentParser) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        if args.list == (args.url is not None):
            parser.error("give a URL to check, or --list (not both)")
        try:
            _require_suite()
            if args.list:
                print(format_listing())
                return 0
            from ..contract._check_run import check

            report = check(args.url, select=args.select, exitfirst=args.exitfirst)
        except ImportError as error:
            print(f"doqu check: {error}", file=sys.stderr)
            return 1
        except DoquError as error:
            print(f"doqu check: cannot check {mask_password(args.url)}: {error}", file=sys.stderr)
            return 1
        print(format_report(report, details=args.details))
        return 0 if report.ok else 1

    return run


def _require_suite() -> None:
    try:
        import hypothesis  # noqa: F401
        import pytest  # noqa: F401
    except ImportError as error:
        raise ImportError(
            f"doqu check runs the contract suite, which needs pytest and hypothesis: {_INSTALL}"
        ) from error
