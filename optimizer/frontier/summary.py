"""A frontier analysis in a few flat numbers: the columns a sweep records for each scenario.

::

    from optimizer.frontier import analyse
    from optimizer.frontier.summary import frontier_summary

    frontier_summary(analyse(loaded))  # {"status": "optimal", "points": 175, "nash_ours": 26.15, ...}

Every value is a str, an int, a float at full precision, or None where there is nothing to
report (no frontier point, or no agreement that beats walking away), so that the dict goes
to JSON as it is.
"""

from __future__ import annotations

from .analysis import FrontierAnalysis


def frontier_summary(analysis: FrontierAnalysis) -> dict[str, float | str | int | None]:
    """Status, size, extent (of the points on the frontier), d, the Nash point and the work of one analysis."""
    points = [point for point in analysis.frontier.points if point.closed]
    nash = analysis.bargaining.nash
    d = analysis.disagreement.values

    def extreme(pick, side: str) -> float | None:
        return pick(getattr(point, side) for point in points) if points else None

    return {
        "status": analysis.status,
        "points": len(points),
        "segments": len(analysis.frontier.segments),
        "ours_min": extreme(min, "ours"),
        "ours_max": extreme(max, "ours"),
        "theirs_min": extreme(min, "theirs"),
        "theirs_max": extreme(max, "theirs"),
        "disagreement_ours": d.ours,
        "disagreement_theirs": d.theirs,
        "nash_offer": nash.found.package.offer if nash else None,
        "nash_ours": nash.found.ours if nash else None,
        "nash_theirs": nash.found.theirs if nash else None,
        "nash_gain_ours": nash.gains[0] if nash else None,
        "nash_gain_theirs": nash.gains[1] if nash else None,
        "milps": analysis.milps,
        "lps": analysis.lps,
    }
