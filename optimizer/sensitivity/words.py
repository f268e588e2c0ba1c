"""The analysis in words: a name for each number and one sentence per interval."""

from __future__ import annotations

from ..formatting import fmt
from ..schema import Instance
from .analysis import Interval
from .search import End


def number_label(instance: Instance, path: str) -> str:
    """A short name for the number at ``path``: "farmers' weight", "car_deal's investment requirement",
    "boeing's max", "us_rice's cost to farmers per unit (step 2)"; the path itself when no rule names it."""
    parts = path.split(".")
    if parts[0] == "constituencies":
        return f"{_possessive(parts[1])} {parts[2]}"
    if parts[0] == "offers" and parts[2] == "requires":
        return f"{_possessive(parts[1])} {parts[3]} requirement"
    if parts[0] == "offers" and parts[2] == "benefits":
        return f"{_possessive(parts[1])} benefit to {parts[3]}"
    if parts[0] == "demands":
        return f"the demand on {parts[1]}"
    if parts[0] == "red_lines" and len(parts) == 3:
        return f"the red line {parts[1]}'s {parts[2]}"
    if parts[0] == "levers" and len(parts) == 3:
        return f"{_possessive(parts[1])} {parts[2]}"
    if parts[0] == "levers" and len(parts) >= 5 and parts[2] in ("gives", "costs"):
        what = "what it gives to" if parts[2] == "gives" else "its cost to"
        term = parts[4].replace("_", " ")
        step = f" (step {int(parts[5]) + 1})" if len(parts) == 7 and parts[6] == "1" else ""
        return f"{parts[1]}: {what} {parts[3]}, {term}{step}"
    return path


def _possessive(name: str) -> str:
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def sentence(instance: Instance, interval: Interval) -> str:
    """One sentence on where the recommendation holds and what it becomes beyond each end."""
    label = number_label(instance, interval.path)
    held = "The recommendation holds" if interval.recommendation.acceptable else "No package is acceptable"
    text = (
        f"{held} while {label} (now {fmt(interval.value)}) stays between "
        f"{fmt(interval.low.value)} and {fmt(interval.high.value)}"
    )
    sides = [_beyond(interval, interval.low, "below"), _beyond(interval, interval.high, "above")]
    return text + "; " + "; ".join(sides) + "."


def _beyond(interval: Interval, end: End, side: str) -> str:
    if end.beyond is None:
        return f"{fmt(end.value)} is as {'low' if side == 'below' else 'high'} as it can go ({end.reason})"
    return f"{side} {fmt(end.value)} {interval.recommendation.changes_to(end.beyond.recommendation)}"


def end_type(end: End) -> str:
    """What stops the interval at ``end``: ``change (crossing)``, ``change (bisection)`` or ``limit``."""
    return "limit" if end.kind == "limit" else f"change ({end.kind})"
