"""What a sensitivity analysis writes: its table, its ``--json`` object, its Markdown and its folder's files."""

from __future__ import annotations

import io
import json
import math

from ..api import describe_run
from ..formatting import fmt
from ..status import Status
from .analysis import Interval, Sensitivity
from .search import End
from .words import end_type, number_label, sentence

TABLE = "sensitivity"
MARKER = "sensitivity.json"
"""The file that marks a folder as a sensitivity results folder (it holds the ``--json`` object)."""


def message(found: Sensitivity) -> str:
    said = f"{len(found.intervals)} numbers analysed in {found.solves} verified solves"
    if found.skipped:
        said += f"; {len(found.skipped)} left out: " + "; ".join(f"{s.path} ({s.reason})" for s in found.skipped)
    return said


def _finite(value: float | None) -> float | None:
    return None if value is None or not math.isfinite(value) else float(value)


def _end_record(interval: Interval, end: End) -> dict:
    beyond = end.beyond
    return {
        "value": _finite(end.value),
        "type": end_type(end),
        "reason": end.reason,
        "inside": _finite(end.inside.value),
        "beyond": _finite(beyond.value) if beyond else None,
        "recommendation_beyond": beyond.recommendation.in_words() if beyond else None,
        "change_beyond": interval.recommendation.changes_to(beyond.recommendation) if beyond else None,
        "cost": _finite(end.inside.objective),
    }


def interval_record(found: Sensitivity, interval: Interval) -> dict:
    """One interval as plain data, full precision (an element of ``intervals`` in ``--json``)."""
    return {
        "path": interval.path,
        "label": number_label(found.instance, interval.path),
        "value": interval.value,
        "low": _end_record(interval, interval.low),
        "high": _end_record(interval, interval.high),
        "recommendation": interval.recommendation.in_words(),
        "cost": _finite(interval.cost),
        "objective_only": interval.objective_only,
        "whole_numbers": interval.whole,
        "amount_ranges": {j: list(pair) for j, pair in interval.amounts.items()},
        "solves": interval.solves,
        "sentence": sentence(found.instance, interval),
    }


def to_dict(found: Sensitivity) -> dict:
    """The object of ``sensitivity --json``: the common ``status``, ``message``, ``run``, and ``intervals``."""
    return {
        "status": str(Status.OPTIMAL),  # every solve proved optimal or infeasible, or the analysis raised
        "message": message(found),
        "intervals": [interval_record(found, interval) for interval in found.intervals],
        "skipped": [{"path": s.path, "reason": s.reason} for s in found.skipped],
        "solves": found.solves,
        "run": describe_run(found.loaded, found.options),
    }


def table(found: Sensitivity):
    """One row per number: its value, both ends, their types, the recommendation beyond each, the cost at each."""
    import pandas as pd

    rows = []
    for interval in found.intervals:
        record = interval_record(found, interval)
        row = {key: record[key] for key in ("path", "label", "value")}
        row |= {"low": record["low"]["value"], "high": record["high"]["value"]}
        for side in ("low", "high"):
            end = record[side]
            row |= {
                f"{side}_end": end["type"],
                f"{side}_reason": end["reason"],
                f"{side}_inside": end["inside"],
                f"{side}_beyond": end["beyond"],
                f"recommendation_beyond_{side}": end["recommendation_beyond"],
                f"change_beyond_{side}": end["change_beyond"],
                f"cost_at_{side}": end["cost"],
            }
        row |= {
            "recommendation": record["recommendation"],
            "cost": record["cost"],
            "amount_ranges": "; ".join(f"{j} {fmt(a)} to {fmt(b)}" for j, (a, b) in interval.amounts.items()),
            "objective_only": interval.objective_only,
            "solves": interval.solves,
        }
        rows.append(row)
    return pd.DataFrame(rows)


def markdown(found: Sensitivity) -> str:
    """``sensitivity.md``: one sentence per number, narrowest interval first, then the continuous ranges."""
    lines = [f"# How far each number can move: {found.instance.name}", "", message(found) + ".", ""]
    if found.intervals:
        lines += [f"The recommendation at the instance's values: {found.intervals[0].recommendation.in_words()}.", ""]
    for interval in sorted(found.intervals, key=lambda interval: interval.relative_width):
        lines.append(f"- {sentence(found.instance, interval)}")
        moving = {j: (a, b) for j, (a, b) in interval.amounts.items() if fmt(a) != fmt(b)}
        if moving:
            ranges = ", ".join(f"{j} {fmt(a)} to {fmt(b)}" for j, (a, b) in moving.items())
            lines.append(f"  Inside, continuous amounts move (over the solves made): {ranges}.")
    return "\n".join(lines) + "\n"


def files(found: Sensitivity) -> dict:
    """The files of a sensitivity results folder."""
    from .figure import tornado

    frame = table(found)
    parquet = io.BytesIO()
    frame.to_parquet(parquet, index=False)
    figure = tornado(found)
    return {
        MARKER: json.dumps(to_dict(found), indent=2, allow_nan=False) + "\n",
        "sensitivity.csv": frame,
        "sensitivity.parquet": parquet.getvalue(),
        "sensitivity.md": markdown(found),
        "tornado.png": figure["png"],
        "tornado.svg": figure["svg"],
    }
