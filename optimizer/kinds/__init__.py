"""The registry of lever kinds and red-line kinds: every layer dispatches through it.

``lever_kind(lever)`` and ``red_line_kind(line)`` give the object that owns
everything about that kind (see :mod:`optimizer.kinds.base`). A kind is added
by writing its class and listing it in its module's registry (``LEVER_KINDS``
in :mod:`~optimizer.kinds.levers`, ``RED_LINE_KINDS`` in
:mod:`~optimizer.kinds.red_lines`); ``tests/test_kinds.py`` fails until every
layer handles it.
"""

from __future__ import annotations

from .base import LEVER_BOUND, RED_LINE, THRESHOLD, LeverKind, Member, RedLineKind, RedLineState, Reference
from .levers import LEVER_KINDS, lever_kind
from .red_lines import RED_LINE_KINDS, breaks_offer_line, red_line_kind

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
