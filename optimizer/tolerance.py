"""The model's tolerance: when two objectives agree, and when a slack counts as zero (docs/model.md)."""

from __future__ import annotations

REL_TOL = 1e-6


def tolerance(reference: float) -> float:
    """The tolerance around a reference value: 1e-6 * max(1, |reference|)."""
    return REL_TOL * max(1.0, abs(reference))


def objectives_agree(a: float, b: float) -> bool:
    """|a - b| <= 1e-6 * max(1, |b|)."""
    return abs(a - b) <= tolerance(b)
