"""The recommendation: what an adviser would call "the same advice", and how one differs from another.

A recommendation is the offer granted, the levers used, the option picked on each choice
lever and the amount of each integer lever. Continuous amounts move with almost any change of
a number, so they are not part of it: inside an interval they are reported as ranges.
"No acceptable package" is a recommendation too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..formatting import fmt
from ..kinds import lever_kind
from ..package import Package
from ..schema import Instance

NOTHING_ACCEPTABLE = "no package is acceptable"


@dataclass(frozen=True)
class Recommendation:
    """The discrete part of an optimal package, or none when nothing is acceptable."""

    acceptable: bool
    offer: str | None = None
    levers: tuple[str, ...] = ()
    """The levers used, in instance order."""
    options: tuple[tuple[str, str], ...] = ()
    """(choice lever, option picked)."""
    counts: tuple[tuple[str, float], ...] = ()
    """(integer lever, its amount) for the integer levers used."""

    @classmethod
    def of(cls, instance: Instance, package: Package | None) -> Recommendation:
        if package is None:
            return cls(False)
        levers = package.levers()
        return cls(
            True,
            package.offer,
            tuple(levers),
            tuple((j, value) for j, value in levers.items() if j in instance.choice_levers),
            tuple(
                (j, float(value))
                for j, value in levers.items()
                if j in instance.amount_levers and lever_kind(instance.levers[j]).integral
            ),
        )

    def decisions(self, instance: Instance) -> dict[tuple[str, Any], float]:
        """The model's decision variables this recommendation settles, (variable, index) -> value: the
        offer granted, each lever used or not, each option picked or not, each integer lever's amount."""
        used, options = set(self.levers), dict(self.options)
        values: dict[tuple[str, Any], float] = {("granted", t): float(t == self.offer) for t in instance.offer_items}
        values |= {("used", j): float(j in used) for j in instance.amount_levers}
        values |= {
            ("picked", (j, o)): float(options.get(j) == o)
            for j, lever in instance.choice_levers.items()
            for o in lever.options
        }
        values |= {("amount", j): count for j, count in self.counts}
        return values

    def in_words(self) -> str:
        """The recommendation in a few words: ``car_deal: us_rice, boeing 38, project_selection japan_picks``."""
        if not self.acceptable:
            return NOTHING_ACCEPTABLE
        options, counts = dict(self.options), dict(self.counts)
        parts = [
            f"{j} {options[j]}" if j in options else f"{j} {fmt(counts[j])}" if j in counts else j for j in self.levers
        ]
        head = self.offer or "no offer"
        return f"{head}: {', '.join(parts) if parts else 'nothing conceded'}"

    def changes_to(self, other: Recommendation) -> str:
        """What changes from this recommendation to ``other``: "rice drops out and boeing rises to 60"."""
        if not other.acceptable:
            return NOTHING_ACCEPTABLE
        if not self.acceptable:
            return f"a package becomes acceptable ({other.in_words()})"
        parts = []
        if not other.levers:
            return f"the offer becomes {other.offer} and nothing is conceded" if other.offer else "nothing is conceded"
        if other.offer != self.offer:
            parts.append(f"the offer becomes {other.offer}")
        mine, theirs = dict(self.options) | dict(self.counts), dict(other.options) | dict(other.counts)
        for j in self.levers:
            if j not in other.levers:
                parts.append(f"{j} drops out")
            elif j in mine and mine[j] != theirs[j]:
                parts.append(_moved(j, mine[j], theirs[j]))
        for j in other.levers:
            if j not in self.levers:
                parts.append(f"{j} comes in" + (f" at {_show(theirs[j])}" if j in theirs else ""))
        return _joined(parts) or "the same levers, offer, options and counts (a tie broken the other way)"


def _moved(j: str, before, after) -> str:
    if isinstance(after, str):
        return f"{j} switches to {after}"
    return f"{j} {'rises' if after > before else 'falls'} to {fmt(after)}"


def _show(value) -> str:
    return value if isinstance(value, str) else fmt(value)


def _joined(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1] if parts else ""
