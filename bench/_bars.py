"""The ratio chart of ``python -m bench``: each contender's client CPU as a multiple of raw
pymongo's, one group of bars per workload, beside the JSON results."""

from __future__ import annotations

import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only, no display

import matplotlib.pyplot as plt

__all__ = ["draw_ratios"]

_LIMIT = "pymongo"


def draw_ratios(results: Path, path: Path) -> None:
    """Draw the CPU ratios to raw pymongo in ``results`` (``latest.json``) as a PNG at ``path``."""
    table = json.loads(results.read_text(encoding="utf-8"))["rows"]
    cpu = {(row["workload"], row["contender"]): row["cpu_median_s"] for row in table}
    workloads = list(dict.fromkeys(row["workload"] for row in table))
    names = dict.fromkeys(row["contender"] for row in table)
    contenders = [name for name in names if name != _LIMIT]
    figure, axis = plt.subplots(figsize=(12, 4.5))
    width = 0.8 / len(contenders)
    for number, contender in enumerate(contenders):
        places, ratios = [], []
        for place, workload in enumerate(workloads):
            mine, limit = cpu.get((workload, contender)), cpu.get((workload, _LIMIT))
            if mine is not None and limit:
                places.append(place + (number - (len(contenders) - 1) / 2) * width)
                ratios.append(mine / limit)
        axis.bar(places, ratios, width, label=contender)
    axis.axhline(1.0, color="k", linewidth=1)
    axis.set_yscale("log")
    axis.set_xticks(range(len(workloads)), workloads, rotation=30, ha="right")
    axis.set_ylabel("client CPU x raw pymongo (median)")
    axis.set_title("doqu-mongodb and mongoengine against raw pymongo (1 = the raw driver)")
    axis.grid(True, axis="y", which="both", alpha=0.3)
    axis.legend(fontsize=9)
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)
