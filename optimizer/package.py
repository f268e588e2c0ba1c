"""A package: the decisions of one solution, in plain Python.

A solver's values become a package through :meth:`optimizer.solver.SolverRun.package`,
which rounds binary and integer values (docs/model.md) and keeps continuous amounts as
found, so that the independent check sees what the solver really chose.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .schema import Instance


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
