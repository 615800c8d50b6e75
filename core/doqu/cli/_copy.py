"""``doqu copy SOURCE_URL TARGET_URL``: copy every record from one backend to another."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .._verify import CopyVerification
    from . import Subparsers

__all__ = ["add_copy_command"]

_EPILOG = """\
On a terminal a progress line on stderr shows the records copied, the rate and, when the
source counts without reading every record, the total and the time left; elsewhere nothing
is drawn.

exit status:
  0  every record was copied (and, with --verify, the target matches the source)
  1  a doqu error stopped the copy (PartialWriteError says which keys were written), or
     --verify found differences
  2  the command line is wrong
  130  interrupted (Ctrl-C): "doqu: interrupted after N records copied"; run the copy again
     (it replaces what is there) to finish it"""


def add_copy_command(subparsers: Subparsers) -> None:
    """Register ``doqu copy``."""
    parser = subparsers.add_parser(
        "copy",
        help="copy every record from one storage URL to another",
        description="Copy every record of SOURCE into TARGET under the same keys. Into an "
        "empty TARGET records go in as plain bulk inserts; otherwise records TARGET already "
        "has under those keys are replaced and all others kept. Keys the target cannot hold "
        "natively are stored under their string form.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("source", help="URL of the storage to read, e.g. mongodb://host/app/people")
    parser.add_argument("target", help="URL of the storage to write, e.g. shelve:///tmp/people.db")
    parser.add_argument(
        "--batch-size", type=_positive, default=1000, help="records per write (default: 1000)"
    )
    parser.add_argument(
        "--no-overwrite",
        dest="overwrite",
        action="store_false",
        help="insert only: stop with an error at a key TARGET already holds, replacing nothing",
    )
    parser.add_argument(
        "--verify",
        action="store_true",
        help="afterwards, compare the counts and every record (streamed, key by key); "
        "differences are listed and exit with status 1",
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
    from .._verify import verify_copy
    from ._progress import ProgressLine

    copying = ProgressLine(sys.stderr, "copied")
    verifying = ProgressLine(sys.stderr, "verified")
    try:
        with connect(args.source) as source, connect(args.target) as target:
            try:
                count = copy(
                    source,
                    target,
                    batch_size=args.batch_size,
                    overwrite=args.overwrite,
                    progress=copying,
                )
            finally:
                copying.finish()
            print(
                f"copied {count} records from {mask_password(args.source)} to "
                f"{mask_password(args.target)}",
                flush=True,
            )
            if not args.verify:
                return 0
            try:
                verification = verify_copy(
                    source, target, batch_size=args.batch_size, progress=verifying
                )
            finally:
                verifying.finish()
    except KeyboardInterrupt:
        if args.verify and verifying.done:
            print(
                f"doqu: interrupted while verifying, after {verifying.done} records compared",
                file=sys.stderr,
            )
        else:
            print(f"doqu: interrupted after {copying.done} records copied", file=sys.stderr)
        return 130
    print("\n".join(_report(verification)))
    return 0 if verification.same else 1


def _report(verification: CopyVerification) -> list[str]:
    """The lines ``--verify`` prints."""
    counts = (
        f"{verification.source_records} records in the source, "
        f"{verification.target_records} in the target"
    )
    if verification.same:
        return [f"verified: {counts}, every record equal"]
    lines = [f"verify found differences: {counts}"]
    for kind, what in (
        ("missing", "missing from the target"),
        ("changed", "different in the target"),
        ("extra", "only in the target"),
    ):
        number = getattr(verification, kind)
        if number:
            keys = [repr(key) for seen, key in verification.examples if seen == kind]
            more = f" (first {len(keys)})" if len(keys) < number else ""
            lines.append(f"  {number} {what}{more}: {', '.join(keys)}")
    return lines
