"""The frontier's tables: points, segments and the packages of the points (long), at full precision."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .walk import Frontier

if TYPE_CHECKING:
    import pandas as pd

POINT_COLUMNS = ["point", "offer", "ours", "theirs", "closed", "objective", "verified"]
SEGMENT_COLUMNS = ["segment", "from_point", "to_point", "open_from", "open_to", "configuration"]
PACKAGE_COLUMNS = ["point", "lever", "amount", "option"]


def point_records(frontier: Frontier, with_packages: bool = True) -> list[dict]:
    """One record per point: its offer, both values, whether it is itself on the frontier, its package."""
    records = []
    for i, point in enumerate(frontier.points):
        evaluation = point.found.evaluation
        record = {
            "point": i,
            "offer": point.offer,
            "ours": point.ours,
            "theirs": point.theirs,
            "closed": point.closed,
            "objective": evaluation.objective,
            "verified": not evaluation.violations,
        }
        records.append(record | ({"package": point.found.package.levers()} if with_packages else {}))
    return records


def segment_records(frontier: Frontier) -> list[dict]:
    return [
        {
            "segment": k,
            "from_point": s.start,
            "to_point": s.end,
            "open_from": s.open_start,
            "open_to": s.open_end,
            "configuration": s.configuration,
        }
        for k, s in enumerate(frontier.segments)
    ]


def package_records(frontier: Frontier) -> list[dict]:
    """Every used lever of every point: its amount, or the option picked."""
    rows = []
    for i, point in enumerate(frontier.points):
        for lever, value in point.found.package.levers().items():
            option = value if isinstance(value, str) else None
            rows.append({"point": i, "lever": lever, "amount": None if option else value, "option": option})
    return rows


def frontier_tables(frontier: Frontier) -> dict[str, pd.DataFrame]:
    """frontier, frontier_segments and frontier_packages as DataFrames."""
    import pandas as pd

    return {
        "frontier": pd.DataFrame(point_records(frontier, with_packages=False), columns=POINT_COLUMNS),
        "frontier_segments": pd.DataFrame(segment_records(frontier), columns=SEGMENT_COLUMNS),
        "frontier_packages": pd.DataFrame(package_records(frontier), columns=PACKAGE_COLUMNS),
    }


def tier_tables(tiers: dict[str, Frontier]) -> dict[str, pd.DataFrame]:
    """frontier_tiers and frontier_tier_segments: each tier's own frontier, its offer first."""
    import pandas as pd

    points = [{"tier": t} | r for t, f in tiers.items() for r in point_records(f, with_packages=False)]
    segments = [{"tier": t} | r for t, f in tiers.items() for r in segment_records(f)]
    return {
        "frontier_tiers": pd.DataFrame(points, columns=["tier", *POINT_COLUMNS]),
        "frontier_tier_segments": pd.DataFrame(segments, columns=["tier", *SEGMENT_COLUMNS]),
    }
