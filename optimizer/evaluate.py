"""The independent check: a package evaluated against the instance in plain Python.

Nothing here reads the solver's model. What each metric achieves, what each
constituency pays (through the true piecewise curves), every threshold, red
line, bound and integrality rule, and the objective are recomputed from the
instance alone. A package is reported only when :func:`evaluate` finds no
violation.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .package import Package
from .schema import CostTerm, GiveTerm, Instance

REL_TOL = 1e-6


def tolerance(reference: float) -> float:
    """MODEL.md's tolerance around a reference value: 1e-6 * max(1, |reference|)."""
    return REL_TOL * max(1.0, abs(reference))


def objectives_agree(a: float, b: float) -> bool:
    return abs(a - b) <= tolerance(b)


def term_value(term: GiveTerm | CostTerm, used: bool, amount: float) -> float:
    """fixed * used + per_unit * amount, through the piecewise curve when there is one."""
    if not used:
        return 0.0
    if not isinstance(term.per_unit, list):
        return term.fixed + term.per_unit * amount
    total, low = term.fixed, 0.0
    for breakpoint, marginal in term.per_unit:
        total += marginal * max(0.0, min(amount, breakpoint) - low)
        low = breakpoint
    last_marginal = term.per_unit[-1][1]
    return total + last_marginal * max(0.0, amount - low)


@dataclass(frozen=True)
class RedLineState:
    """A red line's value in a package, its bounds and whether it binds."""

    value: float | None
    min: float | None
    max: float | None

    @property
    def slack(self) -> float | None:
        if self.value is None:
            return None
        slacks = []
        if self.max is not None:
            slacks.append(self.max - self.value)
        if self.min is not None:
            slacks.append(self.value - self.min)
        return min(slacks) if slacks else None

    def _bound_slacks(self) -> list[tuple[float, float]]:
        """(slack, bound) for each bound, so each side is judged with its own tolerance."""
        if self.value is None:
            return []
        sides = [(self.max - self.value, self.max)] if self.max is not None else []
        return sides + ([(self.value - self.min, self.min)] if self.min is not None else [])

    @property
    def binding(self) -> bool:
        return any(abs(slack) <= tolerance(bound) for slack, bound in self._bound_slacks())

    @property
    def holds(self) -> bool:
        return all(slack >= -tolerance(bound) for slack, bound in self._bound_slacks())

    @property
    def holds_exactly(self) -> bool:
        return all(slack >= 0 for slack, _ in self._bound_slacks())


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
        if lever.kind == "choice":
            picks = package.picked.get(j, ())
            gives_by_lever[j] = {m: sum(lever.options[o].gives.get(m, 0.0) for o in picks) for m in _metrics_of(lever)}
            costs_by_lever[j] = {k: sum(lever.options[o].costs.get(k, 0.0) for o in picks) for k in _groups_of(lever)}
            continue
        used, amount = package.used.get(j, False), package.amount.get(j, 0.0)
        gives_by_lever[j] = {m: term_value(t, used, amount) for m, t in lever.gives.items()}
        costs_by_lever[j] = {k: term_value(t, used, amount) for k, t in lever.costs.items()}
    achieved = {m: sum(g.get(m, 0.0) for g in gives_by_lever.values()) for m in instance.metrics}
    cost = {k: sum(c.get(k, 0.0) for c in costs_by_lever.values()) for k in instance.constituencies}
    offer = instance.offer_items.get(package.offer) if package.offer else None
    benefit = {k: (offer.benefits.get(k, 0.0) if offer else 0.0) for k in instance.constituencies}
    objective = sum((g.weight * (cost[k] - benefit[k]) for k, g in instance.constituencies.items()), 0.0)

    violations += _lever_violations(instance, package)
    thresholds = _thresholds(instance, package)
    for metric, (demand, required) in thresholds.items():
        for label, threshold in (("demand", demand), (f"offer '{package.offer}' requirement", required)):
            if threshold is not None and achieved[metric] < threshold - tolerance(threshold):
                violations.append(
                    f"metric '{metric}' achieves {achieved[metric]:g}, below the {label} of {threshold:g}"
                )
    red_lines = {line.name: _red_line_state(instance, package, line, cost) for line in instance.red_lines}
    for name, state in red_lines.items():
        if not state.holds:
            violations.append(
                f"red line '{name}' is crossed: value {state.value:g}, bounds [{_show(state.min)}, {_show(state.max)}]"
            )
    return Evaluation(
        package, achieved, cost, benefit, gives_by_lever, costs_by_lever, thresholds, red_lines, objective, violations
    )


def _metrics_of(lever) -> list[str]:
    return list(dict.fromkeys(m for o in lever.options.values() for m in o.gives))


def _groups_of(lever) -> list[str]:
    return list(dict.fromkeys(k for o in lever.options.values() for k in o.costs))


def _show(value: float | None) -> str:
    return "-" if value is None else f"{value:g}"


def _lever_violations(instance: Instance, package: Package) -> list[str]:
    found = []
    for j, lever in instance.amount_levers.items():
        used, amount = package.used.get(j, False), package.amount.get(j, 0.0)
        if lever.kind == "binary":
            if amount != (1.0 if used else 0.0):
                found.append(f"binary lever '{j}' has amount {amount:g} while used={used}")
            continue
        if lever.kind == "integer" and amount != round(amount):
            found.append(f"integer lever '{j}' has a fractional amount {amount:g}")
        if not used and abs(amount) > tolerance(lever.max) * 1e-3:
            found.append(f"lever '{j}' is not used but has amount {amount:g}")
        if used and not (
            lever.min_if_used - tolerance(lever.min_if_used) <= amount <= lever.max + tolerance(lever.max)
        ):
            found.append(f"lever '{j}' amount {amount:g} is outside [{lever.min_if_used:g}, {lever.max:g}]")
    for j, lever in instance.choice_levers.items():
        picks = package.picked.get(j, ())
        if len(picks) > 1:
            found.append(f"choice lever '{j}' picks several options: {', '.join(picks)}")
        if lever.required and len(picks) != 1:
            found.append(f"choice lever '{j}' is required but no option is picked")
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


def _used(instance: Instance, package: Package, lever: str) -> int:
    if instance.levers[lever].kind == "choice":
        return len(package.picked.get(lever, ()))
    return int(package.used.get(lever, False))


def _amount(instance: Instance, package: Package, lever: str) -> float:
    if instance.levers[lever].kind == "choice":
        return float(len(package.picked.get(lever, ())))
    return package.amount.get(lever, 0.0)


def _red_line_state(instance: Instance, package: Package, line, cost: dict[str, float]) -> RedLineState:
    if line.kind == "max_cost":
        return RedLineState(cost[line.constituency], None, line.max)
    if line.kind == "limit":
        value = sum(c * _amount(instance, package, j) for j, c in line.terms.items())
        return RedLineState(value, line.min, line.max)
    if line.kind == "forbid":
        return RedLineState(float(sum(_used(instance, package, j) for j in set(line.levers))), None, 0.0)
    if line.kind == "requires":
        return RedLineState(
            float(_used(instance, package, line.lever) - _used(instance, package, line.needs)), None, 0.0
        )
    if line.kind == "excludes":
        return RedLineState(float(sum(_used(instance, package, j) for j in set(line.levers))), None, 1.0)
    if line.kind == "conditional":
        granted = int(package.offer in line.offers)
        return RedLineState(float(_used(instance, package, line.lever) - granted), None, 0.0)
    # kind == "offer": walk-away offers are exempt; the state shows the granted offer's attribute
    offer = instance.offer_items.get(package.offer) if package.offer else None
    if offer is None or offer.walk_away:
        return RedLineState(None, line.min, line.max)
    return RedLineState(offer.attributes[line.attribute], line.min, line.max)
