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
    return {"solves": found.solves, "statements": [row["statement"] for row in rows], "skipped": skipped, "rows": rows}
