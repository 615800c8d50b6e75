"""A progress line for long commands: rewritten in place on a terminal, silent elsewhere."""

from __future__ import annotations

import time
from typing import TextIO

from .._copy import CopyProgress

__all__ = ["ProgressLine", "describe"]

#: seconds between two redraws: a fast copy reports far more batches than a terminal shows
_INTERVAL = 0.2


def describe(progress: CopyProgress, verb: str) -> str:
    """``copied 12,000 of 20,000 records (60%), 4,210 records/s, ETA 0:02``."""
    total = progress.total
    text = f"{verb} {progress.done:,} records"
    if total is not None:
        share = progress.done / total if total else 1.0
        text = f"{verb} {progress.done:,} of {total:,} records ({share:.0%})"
    if progress.rate is not None:
        text += f", {progress.rate:,.0f} records/s"
    remaining = progress.remaining
    if remaining is not None and progress.done < (total or 0):
        minutes, seconds = divmod(round(remaining), 60)
        text += f", ETA {minutes // 60}:{minutes % 60:02d}:{seconds:02d}"
    return text


class ProgressLine:
    """A ``progress`` callback for :func:`doqu.copy` that draws on ``stream`` if it is a TTY.

    It always keeps the last count (``done``), so an interrupted command can say how far it
    got whether or not anything was drawn.
    """

    def __init__(self, stream: TextIO, verb: str) -> None:
        self.stream = stream
        self.verb = verb
        self.done = 0
        self._shown = stream.isatty()
        self._last: CopyProgress | None = None
        self._drawn_at: float | None = None

    def __call__(self, progress: CopyProgress) -> None:
        self.done = progress.done
        self._last = progress
        now = time.monotonic()
        if self._shown and (self._drawn_at is None or now - self._drawn_at >= _INTERVAL):
            self._draw(progress)
            self._drawn_at = now

    def finish(self) -> None:
        """Draw the last state and end the line (nothing if nothing was drawn)."""
        if self._shown and self._last is not None:
            self._draw(self._last)
            self.stream.write("\n")
            self.stream.flush()
            self._last = None

    def _draw(self, progress: CopyProgress) -> None:
        # \r and clear-to-end-of-line: the line is rewritten in place
        self.stream.write(f"\r{describe(progress, self.verb)}\x1b[K")
        self.stream.flush()
