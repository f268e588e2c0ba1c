"""Numbers and tables as text: Markdown for reports, plain cells for the terminal."""

from __future__ import annotations

import math

import pandas as pd

DISPLAY_ZERO = 1e-9
"""Magnitudes below this are solver round-off and shown as 0 (the data files keep full precision)."""


def fmt(value) -> str:
    """A table cell: numbers to 6 significant digits without exponent clutter, blanks for missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        magnitude = abs(value)
        if magnitude < DISPLAY_ZERO:
            return "0"
        if magnitude >= 1e15 or magnitude < 1e-6:
            return f"{value:.6g}"
        decimals = max(0, 6 - 1 - math.floor(math.log10(magnitude)))
        text = f"{value:,.{decimals}f}"
        return text.rstrip("0").rstrip(".") if "." in text else text
    return str(value)


def plain(value):
    """A table cell as a plain, JSON-ready value: numpy scalars unwrapped; None for missing, NaN or infinite."""
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()
    if value is None or value is pd.NA or (isinstance(value, float) and not math.isfinite(value)):
        return None
    return value


def plain_records(table: pd.DataFrame) -> list[dict]:
    """A table's rows as dicts of plain values (see :func:`plain`)."""
    return [{column: plain(value) for column, value in row.items()} for row in table.to_dict("records")]


def markdown_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def markdown_table(table: pd.DataFrame) -> str:
    """A GitHub-flavoured Markdown table of a DataFrame (no index)."""
    if table.empty:
        return "_(none)_\n"
    header = "| " + " | ".join(markdown_escape(str(c)) for c in table.columns) + " |"
    rule = "|" + "|".join("---" for _ in table.columns) + "|"
    rows = ["| " + " | ".join(markdown_escape(fmt(v)) for v in row) + " |" for row in table.itertuples(index=False)]
    return "\n".join([header, rule, *rows]) + "\n"
