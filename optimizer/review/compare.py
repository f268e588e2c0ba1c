"""Two answers side by side: the answer itself, the package, cost per constituency, and the thresholds.

Each answer is a :class:`~optimizer.result.Result`: a single solve's folder
or one scenario of a sweep (see :func:`~optimizer.review.folders.read_outcome`).
"""

from __future__ import annotations

import math

import pandas as pd

from ..formatting import fmt, plain, plain_records
from ..result import Result
from ..tolerance import tolerance
from .cells import is_number

COMPARE_COLUMNS = ["section", "item", "label", "unit", "a", "b", "change", "differs"]


def compare(a: Result, b: Result) -> pd.DataFrame:
    """One row per thing compared, with both values, the change from a to b, and whether they differ.

    Sections: ``answer`` (status, net political cost, offer granted),
    ``package`` (each lever's amount or option, missing when unused), ``net
    cost`` (each constituency's cost minus benefit), ``achieved``,
    ``threshold`` and ``met`` (each metric).
    """
    rows = [
        _row("answer", "status", "status", None, str(a.status), str(b.status)),
        _row("answer", "objective", "net political cost", None, a.objective, b.objective),
        _row("answer", "offer", "offer granted", None, a.offer, b.offer),
    ]
    rows += _by_name(a, b, "package", "lever", "package", _lever_value)
    rows += _by_name(a, b, "constituencies", "constituency", "net cost", lambda r: r["net"])
    rows += _by_name(a, b, "metrics", "metric", "achieved", lambda r: r["achieved"])
    rows += _by_name(a, b, "metrics", "metric", "threshold", lambda r: r["threshold"])
    rows += _by_name(a, b, "metrics", "metric", "met", _met)
    return pd.DataFrame(rows, columns=COMPARE_COLUMNS)


def _by_name(a: Result, b: Result, table: str, key: str, section: str, value) -> list[dict]:
    """Rows for every entity in either answer's ``table``, keyed by its ``key`` column."""
    records = [{r[key]: r for r in _records(result, table)} for result in (a, b)]
    names = list(dict.fromkeys([*records[0], *records[1]]))
    rows = []
    for name in names:
        found = [r[name] for r in records if name in r]
        values = [value(r[name]) if name in r else None for r in records]
        rows.append(_row(section, name, found[0].get("label") or name, found[0].get("unit"), *values))
    return rows


def _records(result: Result, table: str) -> list[dict]:
    frame = result.tables.get(table)
    return [] if frame is None else plain_records(frame)


def _lever_value(record: dict) -> float | str:
    return record["option"] if record.get("option") is not None else record["amount"]


def _met(record: dict) -> bool | None:
    if record.get("threshold") is None:
        return None
    return record["achieved"] >= record["threshold"] - tolerance(record["threshold"])


def _row(section: str, item: str, label: str, unit: str | None, a, b) -> dict:
    a, b = plain(a), plain(b)
    return {
        "section": section,
        "item": item,
        "label": label,
        "unit": unit,
        "a": a,
        "b": b,
        "change": _change(section, a, b),
        "differs": _differs(a, b),
    }


def _differs(a, b) -> bool:
    if is_number(a) and is_number(b):
        return not math.isclose(a, b, rel_tol=0, abs_tol=tolerance(a))
    return a != b


def _change(section: str, a, b) -> str:
    """'+2.5', 'enters', 'leaves', 'small → large', or '' when nothing changes."""
    if not _differs(a, b):
        return ""
    if section == "package" and (a is None or b is None):
        return "enters" if a is None else "leaves"
    if is_number(a) and is_number(b):
        return f"{'+' if b > a else ''}{fmt(b - a)}"
    return f"{fmt(a) or 'none'} → {fmt(b) or 'none'}"
