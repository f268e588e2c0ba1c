"""The tornado figure: for each number, how far it can move each way before the recommendation changes."""

from __future__ import annotations

import io

from ..formatting import fmt
from .analysis import Sensitivity
from .words import number_label

SHOWN = 100.0
"""Bars are drawn up to this many percent of max(1, |value|) each way; longer ones end in an arrow."""


def tornado(found: Sensitivity) -> dict[str, bytes]:
    """The figure as PNG and SVG bytes: one bar per number, the tightest on top."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    intervals = sorted(found.intervals, key=lambda interval: interval.relative_width, reverse=True)
    height = max(2.5, 0.42 * len(intervals) + 1.4)
    figure, axes = plt.subplots(figsize=(10, height))
    for row, interval in enumerate(intervals):
        scale = max(1.0, abs(interval.value)) / 100
        low = max(-SHOWN, (interval.low.value - interval.value) / scale)
        high = min(SHOWN, (interval.high.value - interval.value) / scale)
        for start, end, side in ((low, 0.0, interval.low), (0.0, high, interval.high)):
            colour = "#999999" if side.kind == "limit" else "#c0504d"
            axes.barh(row, end - start, left=start, color=colour, height=0.6)
        for x, side, align in ((low, interval.low, "right"), (high, interval.high, "left")):
            clipped = abs(x) >= SHOWN
            text = ("… " if clipped and align == "right" else "") + _short(side.value)
            text += " …" if clipped and align == "left" else ""
            axes.text(x, row, f" {text} ", va="center", ha=align, fontsize=8)
    axes.set_yticks(range(len(intervals)))
    axes.set_yticklabels([f"{number_label(found.instance, i.path)} = {fmt(i.value)}" for i in intervals], fontsize=8)
    axes.axvline(0, color="black", linewidth=0.8)
    axes.set_xlim(-SHOWN * 1.7, SHOWN * 1.7)
    axes.set_xlabel(
        "change from the instance's value, % of max(1, |value|)\n"
        "red: the recommendation changes there; grey: a limit of the spec"
    )
    axes.set_title(f"{found.instance.name}:\nhow far each number can move before the recommendation changes")
    figure.tight_layout()
    out = {}
    for form in ("png", "svg"):
        buffer = io.BytesIO()
        figure.savefig(buffer, format=form, dpi=150)
        out[form] = buffer.getvalue()
    plt.close(figure)
    return out


def _short(value: float) -> str:
    """An end for the figure: ±1e9 and ±1e6 (the spec's bounds) as powers of ten, others as in tables."""
    return f"{value:.0e}".replace("e+0", "e") if abs(value) >= 1e6 else fmt(value)
