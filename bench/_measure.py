"""Measuring one run: wall time, client CPU time, round trips and peak memory growth."""

from __future__ import annotations

import contextlib
import gc
import resource
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pymongo import monitoring

__all__ = ["CommandCounter", "Sample", "measure", "peak_rss_mb", "reset_peak_rss"]

_STATUS = Path("/proc/self/status")
_CLEAR_REFS = Path("/proc/self/clear_refs")


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
    #: CPU time of the thread that ran the workload: the client's cost of doing it
    cpu_s: float
    #: CPU time of the whole process, pymongo's background threads (monitors) included
    process_cpu_s: float
    #: the commands sent, in order: their number is the run's round trips
    commands: tuple[str, ...]
    #: what the run computed, checked against the workload's expected result
    result: Any
    #: growth of the peak resident set during the run, where measured
    peak_rss_mb: float | None = None


def peak_rss_mb() -> float:
    """This process's peak resident set size so far, in MB.

    On Linux it is ``VmHWM``, the peak of this process's own memory. ``ru_maxrss`` is not used
    there: a process started by ``fork``/``vfork`` and ``exec`` inherits its parent's peak in
    it, which would hide anything a small child does.
    """
    try:
        status = _STATUS.read_text(encoding="ascii")
    except OSError:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak / (1024 * 1024 if sys.platform == "darwin" else 1024)
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"{_STATUS} has no VmHWM line")


def reset_peak_rss() -> None:
    """Lower the peak to the current resident set size, where the system allows it.

    Linux does it through ``/proc/self/clear_refs``; elsewhere the peak stays as it is, and a
    fresh process's peak is close to its current size anyway.
    """
    with contextlib.suppress(OSError):
        _CLEAR_REFS.write_text("5", encoding="ascii")


def measure(run: Callable[[], Any], counter: CommandCounter) -> Sample:
    """Run ``run()`` once and measure it; garbage left by earlier runs is collected first.

    The server is another process, so CPU time here is the client's. pymongo does an
    operation's work (encoding, decoding, socket I/O) in the calling thread; its monitor
    threads wake on their own schedule, about a millisecond of CPU per second with a few
    clients open, which would swamp server-bound workloads such as ``update``. So ``cpu_s``
    is the calling thread's time and ``process_cpu_s`` the whole process's.
    """
    gc.collect()
    del counter.commands[:]
    wall, cpu, process = time.perf_counter(), time.thread_time(), time.process_time()
    result = run()
    process, cpu = time.process_time() - process, time.thread_time() - cpu
    wall = time.perf_counter() - wall
    return Sample(wall, cpu, process, tuple(counter.commands), result)
