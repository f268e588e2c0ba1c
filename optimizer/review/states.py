"""What one answer was (status, granted offer, package) and how two answers differ, in words."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ..formatting import fmt
from ..result import Result
from ..status import Status
from ..tolerance import tolerance
from .labels import Labels


@dataclass(frozen=True)
class PackageState:
    """One scenario's or solve's answer, enough to tell when the package changes."""

    WITH_PACKAGE = (str(Status.OPTIMAL), str(Status.TIME_LIMIT))
    """Statuses that report a package."""

    status: str
    offer: str | None = None
    levers: Mapping[str, float | str] = field(default_factory=dict)
    """Used lever -> amount, or option for a choice lever."""
    has_package: bool = False

    @classmethod
    def of_result(cls, result: Result) -> PackageState:
        has_package = str(result.status) in cls.WITH_PACKAGE and result.package is not None
        levers = result.package.levers() if has_package else {}
        return cls(str(result.status), result.offer if has_package else None, levers, has_package)

    @property
    def composition(self) -> tuple:
        """Status, offer, and which levers (and options) are used; amounts do not count."""
        used = frozenset((j, v if isinstance(v, str) else None) for j, v in self.levers.items())
        return self.status, self.offer, used

    def as_summary(self) -> dict:
        """The ``offer`` and ``package`` keys of a summary.json."""
        return {"offer": self.offer, "package": dict(self.levers)}


def describe_change(before: PackageState, after: PackageState, labels: Labels) -> str:
    """What changes from ``before`` to ``after``: 'Alaska LNG enters, farm purchases drop from 5 to 3 USD bn'."""
    parts = [f"status {before.status} → {after.status}"] if before.status != after.status else []
    if not (before.has_package and after.has_package):
        return ", ".join(parts)
    if before.offer != after.offer:
        parts.append(f"offer {labels.offer(before.offer)} → {labels.offer(after.offer)}")
    entering = [j for j in after.levers if j not in before.levers]
    leaving = [j for j in before.levers if j not in after.levers]
    parts += [f"{labels.lever(j)} enters{_option(j, after.levers[j], labels)}" for j in entering]
    parts += [f"{labels.lever(j)} leaves" for j in leaving]
    for j in (j for j in before.levers if j in after.levers):
        old, new = before.levers[j], after.levers[j]
        if isinstance(old, str) or isinstance(new, str):
            if old != new:
                parts.append(f"{labels.lever(j)} switches from {labels.option(j, old)} to {labels.option(j, new)}")
        elif abs(new - old) > tolerance(old):
            unit = labels.lever_unit(j)
            direction = "rises" if new > old else "drops"
            parts.append(f"{labels.lever(j)} {direction} from {fmt(old)} to {fmt(new)}{f' {unit}' if unit else ''}")
    return ", ".join(parts) or "no visible change"


def _option(lever: str, value: float | str, labels: Labels) -> str:
    return f" ({labels.option(lever, value)})" if isinstance(value, str) else ""
