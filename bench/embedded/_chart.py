"""The scaling chart: CPU per operation against N, log-log, one panel per workload."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only, no display

import matplotlib.pyplot as plt

__all__ = ["draw"]

#: the limits dashed, doqu solid, the peers dotted
_STYLE = {
    "floor": ("k", "--"),
    "sqlite3": ("tab:gray", "--"),
    "doqu-sqlite": ("tab:blue", "-"),
    "memory://": ("tab:green", "-"),
    "memory-scan": ("tab:red", "-"),
    "mongomock": ("tab:purple", ":"),
    "tinydb": ("tab:orange", ":"),
    "montydb": ("tab:brown", ":"),
    "mongita": ("tab:pink", ":"),
}


def draw(
    results: dict[str, dict[str, dict[str, float]]], ops: Callable[[str, int], int], path: Path
) -> None:
    """Write ``results`` (``"workload/size"`` -> contender -> figures) as a PNG at ``path``;
    ``ops(workload, size)`` is how many operations one run does."""
    workloads = list(dict.fromkeys(key.split("/")[0] for key in results))
    columns = 4
    rows = -(-len(workloads) // columns)
    figure, axes = plt.subplots(rows, columns, figsize=(4.2 * columns, 3.6 * rows), squeeze=False)
    for axis, workload in zip(axes.flat, workloads, strict=False):
        lines: dict[str, list[tuple[int, float]]] = {}
        for key, measured in results.items():
            name, size = key.split("/")
            if name != workload:
                continue
            for contender, figures in measured.items():
                per = figures["cpu_median_s"] * 1e3 / ops(workload, int(size))
                lines.setdefault(contender, []).append((int(size), per))
        for contender, points in lines.items():
            colour, line = _STYLE.get(contender, (None, ":"))
            sizes, values = zip(*sorted(points), strict=True)
            axis.plot(sizes, values, line, marker="o", color=colour, label=contender)
        axis.set_xscale("log")
        axis.set_yscale("log")
        axis.set_title(workload, fontsize=10)
        axis.set_xlabel("records (N)")
        axis.set_ylabel("CPU ms per op (median)")
        axis.grid(True, which="both", alpha=0.3)
    for axis in axes.flat[len(workloads) :]:
        axis.axis("off")
    handles, labels = axes.flat[0].get_legend_handles_labels()
    for axis in axes.flat[1 : len(workloads)]:  # a peer may be missing from the first panel
        for handle, label in zip(*axis.get_legend_handles_labels(), strict=True):
            if label not in labels:
                handles.append(handle)
                labels.append(label)
    figure.legend(handles, labels, loc="center right", fontsize=9)
    figure.suptitle("Embedded: CPU per operation against collection size (log-log)")
    figure.tight_layout(rect=(0, 0, 0.9, 1))
    figure.savefig(path, dpi=100)
    plt.close(figure)
