"""The registry of lever kinds and red-line kinds: every layer dispatches through it.

``lever_kind(lever)`` and ``red_line_kind(line)`` give the object that owns
everything about that kind (see :mod:`optimizer.kinds.base`). A kind is added
by writing its class and listing it here; ``tests/test_kinds.py`` fails until
every layer handles it.
"""

from __future__ import annotations

from .base import LEVER_BOUND, RED_LINE, THRESHOLD, LeverKind, Member, RedLineKind, RedLineState, Reference
from .levers import Binary, Choice, Continuous, Integer
from .red_lines import Conditional, Excludes, Forbid, Limit, MaxCost, Offer, Requires, breaks_offer_line

LEVER_KINDS: dict[str, LeverKind] = {kind.name: kind for kind in (Binary(), Integer(), Continuous(), Choice())}
"""Lever kind name -> the kind, in the order the format lists them."""

RED_LINE_KINDS: dict[str, RedLineKind] = {
    kind.name: kind for kind in (MaxCost(), Limit(), Forbid(), Requires(), Excludes(), Offer(), Conditional())
}
"""Red-line kind name -> the kind, in the order constraint families are built."""


def lever_kind(lever) -> LeverKind:
    """The kind of a lever (a schema object)."""
    return LEVER_KINDS[lever.kind]


def red_line_kind(line) -> RedLineKind:
    """The kind of a red line (a schema object)."""
    return RED_LINE_KINDS[line.kind]


__all__ = [
    "LEVER_BOUND",
    "LEVER_KINDS",
    "RED_LINE",
    "RED_LINE_KINDS",
    "THRESHOLD",
    "LeverKind",
    "Member",
    "RedLineKind",
    "RedLineState",
    "Reference",
    "breaks_offer_line",
    "lever_kind",
    "red_line_kind",
]
