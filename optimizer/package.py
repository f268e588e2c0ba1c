"""A package: the decisions of one solution, in plain Python, rounded for checking.

Binary and integer values are rounded (MODEL.md); continuous amounts are kept
as found, so that the independent check sees what the solver really chose.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .schema import Instance
from .solver import SolverRun

AMOUNT_EPS = 1e-9


@dataclass(frozen=True)
class Package:
    """Which levers are used and how much, which options are picked, which offer is granted."""

    used: dict[str, bool] = field(default_factory=dict)
    """Amount lever -> used."""
    amount: dict[str, float] = field(default_factory=dict)
    """Amount lever -> amount (binary levers: 1 or 0)."""
    picked: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Choice lever -> the options picked (at most one in an acceptable package)."""
    granted: tuple[str, ...] = ()
    """The offers granted (exactly one when the instance has offers)."""

    @property
    def offer(self) -> str | None:
        return self.granted[0] if len(self.granted) == 1 else None

    def levers(self) -> dict[str, float | str]:
        """Used lever -> amount (amount levers) or option name (choice levers), in instance order."""
        out: dict[str, float | str] = {}
        for lever, used in self.used.items():
            if used:
                out[lever] = self.amount[lever]
        for lever, options in self.picked.items():
            if options:
                out[lever] = options[0]
        return out

    def as_dict(self) -> dict:
        return {"offer": self.offer, "levers": self.levers()}

    @classmethod
    def empty(cls, instance: Instance, offer: str | None = None) -> Package:
        """Nothing conceded, and ``offer`` granted."""
        return cls(
            used={j: False for j in instance.amount_levers},
            amount={j: 0.0 for j in instance.amount_levers},
            picked={j: () for j in instance.choice_levers},
            granted=(offer,) if offer else (),
        )

    @classmethod
    def from_run(cls, instance: Instance, run: SolverRun) -> Package:
        """The package in a solver run, with binaries and integers rounded."""
        used: dict[str, bool] = {}
        amount: dict[str, float] = {}
        for j, lever in instance.amount_levers.items():
            is_used = round(run.used[j]) == 1
            if lever.kind == "binary":
                value = 1.0 if is_used else 0.0
            elif lever.kind == "integer":
                value = float(round(run.amount[j]))
            else:
                value = max(0.0, run.amount[j])
                if value <= AMOUNT_EPS:
                    value = 0.0
                if lever.min_if_used == 0:
                    # "used" has no effect on such a lever: it is used exactly when its amount is positive
                    is_used = value > 0
            used[j], amount[j] = is_used, value
        picked = {
            j: tuple(o for o in lever.options if round(run.picked[j, o]) == 1)
            for j, lever in instance.choice_levers.items()
        }
        granted = tuple(t for t in instance.offer_items if round(run.granted[t]) == 1)
        return cls(used=used, amount=amount, picked=picked, granted=granted)
