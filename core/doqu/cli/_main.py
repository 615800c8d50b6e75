"""``doqu``: the top-level parser, the commands it offers, and the exit status."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from .. import __version__
from ..errors import DoquError
from ._backends import add_backends_command
from ._check import add_check_command
from ._copy import add_copy_command

if TYPE_CHECKING:
    from . import Subparsers

__all__ = ["COMMANDS", "main"]

_EXIT_STATUS = """\
exit status:
  0  success
  1  a problem was found (e.g. a plugin failed to load) or a doqu error occurred
  2  the command line is wrong
  130  interrupted (Ctrl-C)"""


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
        sys.stdout.flush()  # a closed pipe shows here, inside the handler, not at exit
    except DoquError as error:
        print(f"doqu: error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("doqu: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # the reader (e.g. ``| head``) has gone: stop quietly, and keep Python's exit-time
        # flush of stdout from raising again
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    return status
