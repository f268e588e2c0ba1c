"""Colours for figures: one fixed style per lever, tier or line, so a lever looks the same in every figure.

Styles are assigned by position in the instance (its lever order, its offer
order), never by what one figure happens to show. A qualitative,
colour-blind-safe palette gives the first ten; after it, the colours repeat
with hatching patterns, so twenty levers (and more) stay distinct.
"""

from __future__ import annotations

from dataclasses import dataclass

QUALITATIVE = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#882255",
    "#44AA99",
    "#999933",
)
"""Okabe-Ito's colours (without black and grey), then three of Tol's muted ones: ten distinct hues."""
HATCHES = ("", "///", "...", "xxx")
"""Patterns laid over the colours on each further round of the palette."""
NEUTRAL = "#9a9a9a"
"""Walking away: a neutral grey."""
NO_PACKAGE = "#f2f2f2"
"""No package at all (infeasible, error): near white."""


@dataclass(frozen=True)
class Style:
    """How one series is drawn: a fill colour and a hatching pattern ('' for none)."""

    colour: str
    hatch: str = ""


def styles(names: list[str]) -> dict[str, Style]:
    """A distinct style for each name, in order: the palette's colours, then again with each pattern."""
    return {
        name: Style(QUALITATIVE[i % len(QUALITATIVE)], HATCHES[(i // len(QUALITATIVE)) % len(HATCHES)])
        for i, name in enumerate(names)
    }
