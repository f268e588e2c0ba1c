"""The frontier plotted: each tier in its own colour, the segments, the disagreement point and the solutions."""

from __future__ import annotations

import io

from .analysis import FrontierAnalysis

MARKERS = {"nash": ("*", "Nash"), "kalai_smorodinsky": ("D", "Kalai–Smorodinsky"), "egalitarian": ("s", "egalitarian")}


def frontier_png(analysis: FrontierAnalysis) -> bytes:
    """The plot as PNG bytes (matplotlib, without a display)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    instance, walked = analysis.loaded.instance, analysis.frontier
    counterpart = instance.counterpart
    figure, axes = plt.subplots(figsize=(7, 5))
    colours = {}
    for t in dict.fromkeys([*analysis.tiers, *(p.offer for p in walked.points)]):
        colours[t] = f"C{len(colours)}"
    if len(analysis.tiers) > 1:
        for offer, tier in analysis.tiers.items():
            axes.scatter(
                [p.theirs for p in tier.points if p.closed],
                [p.ours for p in tier.points if p.closed],
                s=14,
                facecolors="none",
                edgecolors=colours[offer],
                linewidths=0.6,
                label=f"tier {offer} alone",
            )
    for segment in walked.segments:
        a, b = walked.points[segment.start], walked.points[segment.end]
        axes.plot([a.theirs, b.theirs], [a.ours, b.ours], color=colours[a.offer], linewidth=1.5)
    for offer, colour in colours.items():
        chosen = [p for p in walked.points if p.offer == offer and p.closed]
        axes.scatter([p.theirs for p in chosen], [p.ours for p in chosen], s=12, color=colour, label=f"offer {offer}")
    d = analysis.disagreement.values
    axes.scatter([d.theirs], [d.ours], marker="x", s=60, color="black", label="disagreement point")
    for name, (marker, label) in MARKERS.items():
        solution = getattr(analysis.bargaining, name)
        if solution is not None:
            axes.scatter(
                [solution.found.theirs],
                [solution.found.ours],
                marker=marker,
                s=90,
                facecolors="none",
                edgecolors="black",
                label=label,
            )
    axes.set_xlabel(f"theirs: {counterpart.label or 'the counterpart'}'s value ({counterpart.unit or 'its unit'})")
    axes.set_ylabel("ours: minus the net political cost (points)")
    axes.set_title(f"Bargaining frontier of {instance.name}")
    axes.grid(alpha=0.3)
    axes.legend(fontsize=8)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    plt.close(figure)
    return buffer.getvalue()
