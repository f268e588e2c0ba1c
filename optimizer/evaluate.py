"""The independent check: a package evaluated against the instance in plain Python.

Nothing here reads the solver's model. What each metric achieves, what each
constituency pays (through the true piecewise curves), every threshold, red
line, bound and integrality rule, and the objective are recomputed from the
instance alone. A package is reported only when :func:`evaluate` finds no
violation.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .contract import weighted_net
from .kinds import RedLineState, lever_kind, red_line_kind
from .package import Package
from .schema import Instance
from .tolerance import tolerance


@dataclass
class Evaluation:
    """Everything a package does, computed from the instance alone."""

    package: Package
    achieved: dict[str, float]
    cost: dict[str, float]
    benefit: dict[str, float]
    gives_by_lever: dict[str, dict[str, float]]
    costs_by_lever: dict[str, dict[str, float]]
    thresholds: dict[str, tuple[float | None, float | None]]
    """Metric -> (global demand, requirement of the granted offer); None where none applies."""
    red_lines: dict[str, RedLineState]
    objective: float
    violations: list[str] = field(default_factory=list)

    @property
    def acceptable(self) -> bool:
        return not self.violations

    @property
    def exactly_acceptable(self) -> bool:
        """Acceptable with no tolerance at all: every threshold met and every red line kept exactly."""
        met = all(self.achieved[m] >= t for m, pair in self.thresholds.items() for t in pair if t is not None)
        return self.acceptable and met and all(state.holds_exactly for state in self.red_lines.values())

    def net(self, group: str) -> float:
        return self.cost[group] - self.benefit[group]


def evaluate(instance: Instance, package: Package) -> Evaluation:
    """Recompute a package's metrics, costs and red lines, and list every rule it breaks."""
    violations: list[str] = []
    gives_by_lever: dict[str, dict[str, float]] = {}
    costs_by_lever: dict[str, dict[str, float]] = {}
    for j, lever in instance.levers.items():
        kind = lever_kind(lever)
        gives_by_lever[j] = kind.contributions(j, lever, package, "gives")
        costs_by_lever[j] = kind.contributions(j, lever, package, "costs")
    achieved = {m: sum(g.get(m, 0.0) for g in gives_by_lever.values()) for m in instance.metrics}
    cost = {k: sum(c.get(k, 0.0) for c in costs_by_lever.values()) for k in instance.constituencies}
    offer = instance.offer_items.get(package.offer) if package.offer else None
    benefit = {k: (offer.benefits.get(k, 0.0) if offer else 0.0) for k in instance.constituencies}
    objective = sum((weighted_net(g.weight, cost[k], benefit[k]) for k, g in instance.constituencies.items()), 0.0)

    violations += _lever_violations(instance, package)
    thresholds = _thresholds(instance, package)
    for metric, (demand, required) in thresholds.items():
        for label, threshold in (("demand", demand), (f"offer '{package.offer}' requirement", required)):
            if threshold is not None and achieved[metric] < threshold - tolerance(threshold):
                violations.append(
                    f"metric '{metric}' achieves {achieved[metric]:g}, below the {label} of {threshold:g}"
                )
    red_lines = {line.name: red_line_kind(line).state(instance, package, line, cost) for line in instance.red_lines}
    for name, state in red_lines.items():
        if not state.holds:
            violations.append(
                f"red line '{name}' is crossed: value {state.value:g}, bounds [{_show(state.min)}, {_show(state.max)}]"
            )
    return Evaluation(
        package, achieved, cost, benefit, gives_by_lever, costs_by_lever, thresholds, red_lines, objective, violations
    )


def _show(value: float | None) -> str:
    return "-" if value is None else f"{value:g}"


def _lever_violations(instance: Instance, package: Package) -> list[str]:
    found = [
        problem for j, lever in instance.levers.items() for problem in lever_kind(lever).violations(j, lever, package)
    ]
    offers = instance.offer_items
    if offers and len(package.granted) != 1:
        found.append(f"exactly one offer must be granted, got {len(package.granted)}")
    if not offers and package.granted:
        found.append("an offer is granted but the instance has no offers")
    return found


def _thresholds(instance: Instance, package: Package) -> dict[str, tuple[float | None, float | None]]:
    offers = instance.offer_items
    required_somewhere = {m for o in offers.values() for m in o.requires}
    granted = offers.get(package.offer) if package.offer else None
    out = {}
    for metric in instance.metrics:
        demand = instance.demands.get(metric)
        required = (granted.requires.get(metric, 0.0) if granted else 0.0) if metric in required_somewhere else None
        out[metric] = (demand, required)
    return out
