"""The scaling chart: CPU per op against N, log-log, one panel per op."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only, no display

import matplotlib.pyplot as plt

__all__ = ["draw"]

_STYLE = {"floor": ("k", "--"), "memory": ("tab:red", "-"), "memory-indexed": ("tab:green", "-")}
_TITLES = {
    "equality": "age == 30 (1.4% hits)",
    "unique": "email == one value",
    "range_top": "age >= 85, order_by score, [:20]",
    "count": "count(active, age >= 40)",
    "values": 'values("address.city")',
}


def draw(results: dict[int, dict[str, dict[str, float]]], path: Path) -> None:
    """Write ``results`` (median CPU seconds by size, op, contender) as a PNG at ``path``."""
    sizes = sorted(results)
    ops = list(results[sizes[0]])
    figure, axes = plt.subplots(1, len(ops), figsize=(4 * len(ops), 3.8), squeeze=False)
    for axis, op in zip(axes[0], ops, strict=True):
        for name in results[sizes[0]][op]:
            colour, line = _STYLE.get(name, (None, "-"))
            values = [results[size][op][name] * 1e3 for size in sizes]
            axis.plot(sizes, values, line, marker="o", color=colour, label=name)
        axis.set_xscale("log")
        axis.set_yscale("log")
        axis.set_title(_TITLES.get(op, op), fontsize=10)
        axis.set_xlabel("records (N)")
        axis.grid(True, which="both", alpha=0.3)
    axes[0][0].set_ylabel("CPU ms per op (median)")
    axes[0][0].legend(fontsize=9)
    figure.suptitle("memory:// scaling: scan, indexed, and the plain-Python floor")
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
