"""Measuring one run: wall time, client CPU time, round trips and peak memory growth."""

from __future__ import annotations

import gc
import resource
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pymongo import monitoring

__all__ = ["CommandCounter", "Sample", "max_rss_mb", "measure"]


class CommandCounter(monitoring.CommandListener):
    """Records the name of every command its client starts; each one is a round trip.

    One counter per client: pymongo calls it for every command the client sends, ``getMore``
    and ``killCursors`` included. It only records (pymongo swallows a listener's exceptions).
    """

    def __init__(self) -> None:
        self.commands: list[str] = []

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        self.commands.append(event.command_name)

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        pass

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        pass


@dataclass(frozen=True)
class Sample:
    """One measured run of one workload by one contender."""

    wall_s: float
    cpu_s: float
    #: the commands sent, in order: their number is the run's round trips
    commands: tuple[str, ...]
    #: what the run computed, checked against the workload's expected result
    result: Any
    #: growth of the peak resident set during the run, where measured
    peak_rss_mb: float | None = None


def max_rss_mb() -> float:
    """This process's peak resident set size so far, in MB (a high-water mark)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024 if sys.platform == "darwin" else 1024)


def measure(run: Callable[[], Any], counter: CommandCounter) -> Sample:
    """Run ``run()`` once and measure it; garbage left by earlier runs is collected first.

    CPU time is the whole process's (``time.process_time``): the server is another process,
    so it is the client's cost, pymongo's background threads included.
    """
    gc.collect()
    del counter.commands[:]
    wall, cpu = time.perf_counter(), time.process_time()
    result = run()
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    return Sample(wall, cpu, tuple(counter.commands), result)
