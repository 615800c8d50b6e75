"""The ``doqu`` command line: one module per command, each adding its own subparser.

A command is a function in ``COMMANDS`` (see :mod:`doqu.cli._main`) that adds its subparser to
a :data:`Subparsers` and sets ``run`` on it: a callable taking the parsed arguments and
returning the exit status. Commands keep heavy imports inside ``run`` so that ``doqu --help``
stays fast.
"""

from __future__ import annotations

import argparse
from typing import TypeAlias

from ._main import COMMANDS, main

#: what a command adds its parser to (the command modules import it for type checking only).
Subparsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"

__all__ = ["COMMANDS", "Subparsers", "main"]
