"""The brief's sensitivity: for each judgement number, how far it can move before the recommendation changes.

From :func:`optimizer.sensitivity.analysis.analyse` (docs/sensitivity.md), one sentence per
number under a ``judgement: true`` provenance entry, from
:func:`optimizer.sensitivity.words.sentence`, the most fragile first (the narrowest interval
relative to the number).
"""

from __future__ import annotations

from ..instance import LoadedInstance
from ..result import Result
from ..sensitivity.analysis import analyse
from ..sensitivity.words import end_type, number_label, sentence
from ..solver import SolveOptions

LIMIT = "limit"
"""The end type of an interval that stops at the number's validity limit, not at a change."""


def part(loaded: LoadedInstance, result: Result, options: SolveOptions) -> dict:
    """brief.json's ``sensitivity``: one statement and one row per judgement number, and the entries left out."""
    found = analyse(loaded, options=options)
    instance = loaded.instance
    intervals = sorted(found.intervals, key=lambda interval: (interval.relative_width, interval.path))
    rows = [
        {
            "path": interval.path,
            "number": number_label(instance, interval.path),
            "value": interval.value,
            "low": interval.low.value,
            "high": interval.high.value,
            "low_end": end_type(interval.low),
            "high_end": end_type(interval.high),
            "relative_width": interval.relative_width,
            "statement": sentence(instance, interval),
        }
        for interval in intervals
    ]
    skipped = [f"Left out, {s.path}: {s.reason}." for s in found.skipped]
    return {"solves": found.solves, "statements": _statements(rows), "skipped": skipped, "rows": rows}


def _statements(rows: list[dict]) -> list[str]:
    """A sentence for each judgement the recommendation depends on; the others named together in one."""
    moving = [row["statement"] for row in rows if _changes(row)]
    steady = [row["number"] for row in rows if not _changes(row)]
    if steady:
        moving.append(f"The recommendation holds over every valid value of {', '.join(steady)}.")
    return moving or ["No judgement number is in the model."]


def _changes(row: dict) -> bool:
    """True when the recommendation changes beyond at least one end (not both ends validity limits)."""
    return not (row["low_end"] == LIMIT and row["high_end"] == LIMIT)
