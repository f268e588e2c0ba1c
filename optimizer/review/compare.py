"""Two answers side by side: what differs in the inputs, then the answer, the package, cost per constituency,
and the thresholds.

Each answer is a :class:`~optimizer.result.Result`: a single solve's folder
or one scenario of a sweep (see :func:`~optimizer.review.folders.read_outcome`).
The input rows are the causes: every number of the model that differs
(weights, thresholds, benefits, red-line bounds, lever sizes and
coefficients, see :func:`optimizer.paths.number_slots`), and every red line,
lever, offer or constituency that only one of the two has.
"""

from __future__ import annotations

import math

import pandas as pd

from ..formatting import fmt, plain, plain_records
from ..paths import number_slots
from ..result import Result
from ..schema import Instance
from ..tolerance import tolerance
from .cells import is_number
from .labels import Labels

COMPARE_COLUMNS = ["section", "item", "label", "unit", "a", "b", "change", "differs"]


def compare(a: Result, b: Result) -> pd.DataFrame:
    """One row per thing compared, with both values, the change from a to b, and whether they differ.

    Sections: ``input`` (only the inputs that differ: a number of the model
    by its dotted path, or a named entity present in one alone), ``answer`` (status, net political cost, offer granted),
    ``package`` (each lever's amount or option, missing when unused), ``net
    cost`` (each constituency's cost minus benefit), ``achieved``,
    ``threshold`` and ``met`` (each metric).
    """
    rows = input_differences(a.instance, b.instance) + [
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


def input_differences(a: Instance, b: Instance) -> list[dict]:
    """The ``input`` rows: each number of the model that differs, then each entity only one instance has."""
    numbers = [{path: value for path, value, _ in number_slots(instance)} for instance in (a, b)]
    labels = Labels(a).shortened()
    rows = []
    for path in dict.fromkeys([*numbers[0], *numbers[1]]):
        values = [found.get(path) for found in numbers]
        if _differs(*values):
            rows.append(_row("input", path, labels.parameter(path)[0], labels.parameter(path)[1], *values))
    for section, names in _entities(a).items():
        others = _entities(b)[section]
        for name in [*names, *(n for n in others if n not in names)]:
            if (name in names) != (name in others):
                present = ["present" if name in found else None for found in (names, others)]
                rows.append(_row("input", f"{section}.{name}", f"{section.replace('_', ' ')} {name}", None, *present))
    return rows


def _entities(instance: Instance) -> dict[str, list[str]]:
    return {
        "constituencies": list(instance.constituencies),
        "levers": list(instance.levers),
        "offers": list(instance.offer_items),
        "red_lines": [line.name for line in instance.red_lines],
    }


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
    if section in ("package", "input") and (a is None or b is None):
        return ("enters" if a is None else "leaves") if section == "package" else ("added" if a is None else "removed")
    if is_number(a) and is_number(b):
        return f"{'+' if b > a else ''}{fmt(b - a)}"
    return f"{fmt(a) or 'none'} → {fmt(b) or 'none'}"


def cause_text(table: pd.DataFrame) -> str:
    """The input rows of a comparison in one line: 'Farm lobby weight 3 → 0.5', or 'none: the same instance'."""
    inputs = table[table["section"] == "input"]
    if inputs.empty:
        return "none (the same instance)"
    parts = []
    for row in plain_records(inputs):
        unit = f" {row['unit']}" if row["unit"] else ""
        parts.append(f"{row['label']} {fmt(row['a']) or 'none'} → {fmt(row['b']) or 'none'}{unit}")
    return "; ".join(parts)
