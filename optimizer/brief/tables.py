"""The brief's detail as tables, read from brief.json: what the HTML report and the workbook show below the brief.

Each table keeps brief.json's numbers at full precision (the report and the workbook display
them as people read them); its columns say what they hold and in which unit. Nothing here
solves: a table is present when brief.json holds its part.
"""

from __future__ import annotations

import pandas as pd

from .brief import Brief

TITLES = {
    "tiers": "Every tier's cheapest package",
    "limiting": "Thresholds and red lines: binding, limiting and what relaxing each saves",
    "prices": "The price of each threshold in force",
    "who_pays": "Who pays",
    "alternatives": "Alternatives",
    "acceptance": "Chance of acceptance against cost",
    "frontier": "The bargaining frontier",
    "sensitivity": "How far each judgement can move",
}
"""Table name -> its title in the report, in the order shown."""


COLUMNS = {
    "tiers": {
        "label": "tier",
        "chosen": "recommended",
        "objective": "net cost (points)",
        "above_recommendation": "above the recommendation (points)",
        "package": "its cheapest package",
    },
    "limiting": {
        "key": "item",
        "kind": "kind",
        "binding": "binding",
        "limiting": "limiting",
        "saving": "saving if relaxed (points)",
        "step": "relaxed by",
        "statement": "in words",
    },
    "prices": {
        "threshold": "threshold",
        "value": "asked",
        "achieved": "achieved",
        "price_per_unit": "price (points per unit)",
        "jump": "jump at once (points)",
        "holds_until": "price holds up to",
        "beyond_extra": "beyond: extra cost (points)",
        "beyond_mostly": "beyond: mostly borne by",
        "statement": "in words",
    },
    "who_pays": {
        "label": "constituency",
        "weight": "weight",
        "share_of_gross_cost": "share of gross weighted cost (0-1)",
        "weighted_cost": "weighted cost (points)",
        "weighted_gain": "weighted gain (points)",
        "weighted_net": "weighted net (points, above 0 a loss)",
        "margin_to_red_line": "margin to red line (points)",
    },
    "alternatives": {
        "rank": "rank",
        "offer": "offer",
        "objective": "net cost (points)",
        "above_recommendation": "above the recommendation (points)",
        "changes": "changes from the recommendation",
    },
    "acceptance": {
        "tier": "tier",
        "probability": "chance of acceptance (0-1)",
        "probability_method": "how the chance is computed",
        "objective": "net cost (points)",
        "above_cheapest_deal": "above the cheapest deal (points)",
        "cheapest_for_its_chance": "cheapest for its chance",
        "package": "package",
    },
    "frontier": {
        "where": "where on the frontier",
        "objective": "net cost (points)",
        "above_recommendation": "above the recommendation (points)",
        "theirs": "value to the counterpart (its unit)",
        "changes": "changes from the recommendation",
    },
    "sensitivity": {
        "number": "judgement",
        "path": "path",
        "value": "now",
        "low": "holds from",
        "high": "holds up to",
        "low_end": "what stops it below",
        "high_end": "what stops it above",
        "statement": "in words",
    },
}
"""Each table: brief.json's field -> its column, named for what it holds."""


def brief_tables(brief: Brief | None) -> dict[str, pd.DataFrame]:
    """The detail tables of ``brief`` that it holds (none without a brief or without an optimum)."""
    data = brief.data if brief is not None else {}
    if "recommendation" not in data:
        return {}
    tables = {}
    for name, columns in COLUMNS.items():
        part = data.get(name)
        rows = part.get("rows") if isinstance(part, dict) else part  # an analysis holds its rows beside its words
        if rows is not None:
            tables[name] = _frame(rows, columns)
    return tables


def _frame(rows: list[dict], columns: dict[str, str]) -> pd.DataFrame:
    """``rows`` with the fields in ``columns``, renamed to what they hold; lists joined with "; "."""
    return pd.DataFrame(
        [{title: _cell(row.get(key)) for key, title in columns.items()} for row in rows], columns=list(columns.values())
    )


def _cell(value):
    return "; ".join(value) if isinstance(value, list) else value
