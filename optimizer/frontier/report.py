"""The frontier in words for the terminal, and its results folder (written atomically)."""

from __future__ import annotations

import json
from pathlib import Path

from .. import contract
from ..formatting import fmt
from .analysis import FrontierAnalysis
from .tables import frontier_tables, tier_tables

TITLES = {"nash": "Nash", "kalai_smorodinsky": "Kalai–Smorodinsky", "egalitarian": "Egalitarian"}


def frontier_summary(analysis: FrontierAnalysis) -> str:
    """A few sentences: the extent of the frontier, the disagreement point, the three solutions, the work done."""
    instance, walked = analysis.loaded.instance, analysis.frontier
    counterpart = instance.counterpart
    them = counterpart.label or "the counterpart"
    unit = counterpart.unit or "in its unit"

    def both(ours: float, theirs: float) -> str:
        return f"ours {fmt(ours)} points, {them} {fmt(theirs)} {unit}"

    scope = f"tier {walked.offer}" if walked.offer else "every offer but walking away"
    d = analysis.disagreement
    lines = [f"Bargaining frontier of {instance.name} ({scope}): {analysis.message}."]
    lines.append(f"Disagreement point ({d.source}): {both(d.values.ours, d.values.theirs)}.")
    closed = [p for p in walked.points if p.closed]
    if closed:
        lines.append(f"Best for us: {_offer(closed[0].offer)}{both(closed[0].ours, closed[0].theirs)}.")
        lines.append(f"Best for {them}: {_offer(closed[-1].offer)}{both(closed[-1].ours, closed[-1].theirs)}.")
    for name, title in TITLES.items():
        solution = getattr(analysis.bargaining, name)
        if solution is not None:
            found = solution.found
            package = ", ".join(f"{lever} {fmt(value)}" for lever, value in found.package.levers().items())
            lines.append(
                f"{title}: {_offer(found.package.offer)}{both(found.ours, found.theirs)} "
                f"(gains {fmt(solution.gains[0])} points and {fmt(solution.gains[1])}); package: {package or 'nothing'}."
            )
    if len(analysis.tiers) > 1:
        for offer, tier in analysis.tiers.items():
            ends = [p for p in tier.points if p.closed]
            lines.append(
                f"Tier {offer} alone: {len(ends)} frontier points"
                + (
                    f", from {both(ends[0].ours, ends[0].theirs)} to {both(ends[-1].ours, ends[-1].theirs)}."
                    if ends
                    else " (no acceptable package in this tier)."
                )
            )
    lines.append(f"Work: {analysis.milps} MILPs and {analysis.lps} LPs.")
    return "\n".join(lines)


def _offer(offer: str | None) -> str:
    """The words "offer T, ", or nothing for an instance without offers (an imported negotiation domain)."""
    return f"offer {offer}, " if offer else ""


def write_frontier_folder(analysis: FrontierAnalysis, summary: dict, target: Path) -> Path:
    """Replace ``target`` with the tables (CSV and Parquet), the plot, summary.json and run.json."""
    from ..save import write_folder
    from .plot import frontier_png

    files: dict = {}
    for name, table in (frontier_tables(analysis.frontier) | tier_tables(analysis.tiers)).items():
        files[f"{name}.csv"] = table
        files[f"{name}.parquet"] = table.to_parquet(index=False)
    files["frontier.png"] = frontier_png(analysis)
    stable = dict(summary)
    stable["run"], volatile = contract.split_run(summary["run"])
    files[contract.SUMMARY] = json.dumps(stable, indent=2, allow_nan=False) + "\n"
    files[contract.RUN] = json.dumps(volatile, indent=2, allow_nan=False) + "\n"
    return write_folder(target, files)
