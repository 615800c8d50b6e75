"""``doqu copy SOURCE_URL TARGET_URL``: copy every record from one backend to another."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from . import Subparsers

__all__ = ["add_copy_command"]


def add_copy_command(subparsers: Subparsers) -> None:
    """Register ``doqu copy``."""
    parser = subparsers.add_parser(
        "copy",
        help="copy every record from one storage URL to another",
        description="Copy every record of SOURCE into TARGET under the same keys (replacing "
        "records TARGET already has under those keys, keeping all others). Keys the target "
        "cannot hold natively are stored under their string form.",
    )
    parser.add_argument("source", help="URL of the storage to read, e.g. mongodb://host/app/people")
    parser.add_argument("target", help="URL of the storage to write, e.g. shelve:///tmp/people.db")
    parser.add_argument(
        "--batch-size", type=_positive, default=1000, help="records per write (default: 1000)"
    )
    parser.set_defaults(run=_run_copy)


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _run_copy(args: argparse.Namespace) -> int:
    from .._connect import connect
    from .._copy import copy
    from .._url import mask_password

    with connect(args.source) as source, connect(args.target) as target:
        count = copy(source, target, batch_size=args.batch_size)
    print(
        f"copied {count} records from {mask_password(args.source)} to {mask_password(args.target)}"
    )
    return 0
