"""Table cells as plain Python values: None for anything missing, int/float/str/bool otherwise."""

from __future__ import annotations

import json
import math
from numbers import Real

import pandas as pd


def plain_records(frame: pd.DataFrame) -> list[dict]:
    """A table's rows as dicts of plain values."""
    return [{k: plain(v) for k, v in record.items()} for record in frame.to_dict("records")]


def decoded(value):
    """A parameter cell: JSON text (as the sweep stores mixed columns) decoded, anything else as it is."""
    if not isinstance(value, str):
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


def is_number(value) -> bool:
    """A real number, not a boolean."""
    return isinstance(value, Real) and not isinstance(value, bool)


def plain(value):
    """A table cell as a plain Python value: None for missing, int/float/str/bool otherwise."""
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    return value
