"""Table cells as plain Python values: None for anything missing, int/float/str/bool otherwise."""

from __future__ import annotations

import json
from numbers import Real


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
