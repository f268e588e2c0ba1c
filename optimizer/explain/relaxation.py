r"""The least relaxation of some members that admits an acceptable package, integers kept.

Each loosened member gets an elastic variable in its rows of the mixed-integer
model, and the objective sums the relative relaxations:

.. math:: \min \sum_{numeric\ i} e_i / \max(1, |bound_i|) + \sum_{logical\ i} d_i

- a numeric row ``body <= bound`` becomes ``body - e <= bound`` (``>=`` rows
  gain ``+ e``), with ``e >= 0``. A lever's ``max`` keeps ``amount <= 1e6 used``
  so an unused lever stays at zero;
- an offer requirement is one row per metric shared by every offer; each
  offer's ``e`` may be positive only when that offer is granted:
  ``e_{tm} <= (requires_{tm} - lowest achievable_m) granted_t``;
- a logical row (``forbid``, ``requires``, ``excludes``, ``offer``,
  ``conditional``, a required choice) is switched off by a binary ``d`` with
  the smallest big-M that frees it; ``d = 1`` drops the member, at a cost of 1.

How far each member must move is then read off the package found, by the
independent check's own arithmetic, so the reported amounts are what that
package needs. The relaxation is applied to the instance and re-solved
before it is reported: :attr:`Relaxation.restores` says the instance then has
an acceptable package.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import pyomo.environ as pyo
from pyomo.repn import generate_standard_repn

from ..api import solve_loaded
from ..evaluate import Evaluation, evaluate, tolerance
from ..instance import LoadedInstance
from ..package import Package
from ..result import Result
from ..schema import MAX_LEVER_AMOUNT, Instance
from ..solver import SolveOptions
from ..status import Status
from .members import LOGICAL_KINDS, Member, edited, members_of
from .words import relaxation_text
from .workbench import SolveFailed, Workbench

ROWS = {
    "demand": "demand",
    "offer_requirement": "offer_requirement",
    "max_cost": "max_cost",
    "limit_max": "limit_max",
    "limit_min": "limit_min",
    "lever_max": "lever_max",
    "choice_required": "choice_pick",
    "forbid": "forbid",
    "requires": "requires",
    "excludes": "excludes",
    "offer": "offer_line",
    "conditional": "conditional",
}
"""Member kind -> the model's constraint component holding its rows."""


@dataclass
class Relaxation:
    """A way out: members moved or dropped, and the re-solve of the instance so relaxed."""

    amounts: dict[Member, float]
    """Member -> how far it moves (1 for a dropped logical member). Unmoved members are absent."""
    package: Package
    """A package acceptable under the relaxation (verified against the relaxed instance)."""
    confirmed: Result
    """The solve of the relaxed instance."""

    @property
    def restores(self) -> bool:
        """True when the relaxed instance has a verified optimal package."""
        return self.confirmed.status == Status.OPTIMAL and self.confirmed.verified

    @property
    def score(self) -> float:
        """The sum of relative relaxations, 1 per dropped member."""
        return sum(amount / member.scale for member, amount in self.amounts.items())

    def new_value(self, member: Member) -> float | None:
        """The member's relaxed bound; None when it is dropped."""
        return member.loosened(self.amounts[member]) if member.numeric else None

    def rows(self, instance: Instance) -> list[dict]:
        """One record per moved or dropped member."""
        return [
            {
                "member": member.key,
                "kind": member.kind,
                "bound": member.bound,
                "relaxed_to": self.new_value(member),
                "amount": amount if member.numeric else None,
                "relative": amount / member.scale,
                "dropped": not member.numeric,
                "statement": relaxation_text(instance, member, self.new_value(member)),
            }
            for member, amount in self.amounts.items()
        ]


def least_relaxation(loaded: LoadedInstance, elastic: Sequence[Member], options: SolveOptions) -> Relaxation | None:
    """The relaxation of ``elastic`` members of least total relative size; None when none suffices."""
    instance = loaded.instance
    if not instance.levers:
        return _relaxation_without_levers(loaded, elastic, options)
    bench = Workbench(instance, options)
    penalties = _loosen(bench, elastic)
    bench.set_objective(sum(penalties) + bench.model.nothing)
    run = bench.solve()
    if run.status == Status.INFEASIBLE:
        return None
    if not run.has_solution or run.status != Status.OPTIMAL:
        raise SolveFailed(f"HiGHS could not find the least relaxation ({run.status}: {run.message})")
    return _confirm(loaded, elastic, bench.package(run), options)


def _confirm(loaded: LoadedInstance, elastic: Sequence[Member], package: Package, options: SolveOptions) -> Relaxation:
    """Read the amounts off ``package``, check it under the relaxed instance, and re-solve that instance."""
    evaluation = evaluate(loaded.instance, package)
    amounts = {}
    for member in elastic:
        amount = shortfall(member, evaluation)
        if amount > _allowance(member):
            amounts[member] = round_up(amount) if member.numeric else 1.0
    moves = {m: m.loosened(a) for m, a in amounts.items() if m.numeric}
    relaxed = edited(loaded, drop=[m for m in amounts if not m.numeric], values=moves)
    violations = evaluate(relaxed.instance, package).violations
    if violations:
        raise SolveFailed(f"the relaxation's package fails the independent check: {'; '.join(violations)}")
    return Relaxation(amounts, package, solve_loaded(relaxed, options))


def round_up(amount: float, digits: int = 9) -> float:
    """``amount`` rounded up to ``digits`` significant digits: a relaxation errs on the side of enough."""
    if amount <= 0:
        return 0.0
    scale = 10.0 ** (digits - 1 - math.floor(math.log10(amount)))
    return math.ceil(amount * scale) / scale


def _allowance(member: Member) -> float:
    """A shortfall the independent check tolerates: no relaxation needed."""
    return tolerance(member.bound) if member.numeric else 0.5


def shortfall(member: Member, evaluation: Evaluation) -> float:
    """How far ``member`` must move for the package to meet it (0 or 1 for a logical member)."""
    package = evaluation.package
    kind = member.kind
    if kind == "demand" or (kind == "offer_requirement" and package.offer == member.offer):
        return max(0.0, member.bound - evaluation.achieved[member.name])
    if kind == "offer_requirement":
        return 0.0
    if kind == "lever_max":
        return max(0.0, package.amount[member.name] - member.bound) if package.used[member.name] else 0.0
    if kind == "choice_required":
        return 0.0 if package.picked.get(member.name) else 1.0
    state = evaluation.red_lines[member.name]
    if kind in ("max_cost", "limit_max"):
        return max(0.0, state.value - member.bound)
    if kind == "limit_min":
        return max(0.0, member.bound - state.value)
    return 0.0 if state.holds else 1.0


def _loosen(bench: Workbench, elastic: Sequence[Member]) -> list:
    """Swap each elastic member's rows for loosened ones; return the objective's penalty terms."""
    model = bench.model
    penalties = []
    requirements = defaultdict(list)
    for index, member in enumerate(elastic):
        if member.kind == "offer_requirement":
            requirements[member.name].append(member)
            continue
        rows = _rows_of(model, member)
        if not rows:
            continue
        logical = member.kind in LOGICAL_KINDS or member.kind == "choice_required"
        slack = pyo.Var(domain=pyo.Binary if logical else pyo.NonNegativeReals)
        model.add_component(f"explain_slack_{index}", slack)
        for row in rows:
            for relation in _loosened(row, slack, logical):
                bench.add_row(relation)
            bench.remove_row(row)
        if member.kind == "lever_max":
            slack.setub(MAX_LEVER_AMOUNT - member.bound)
            bench.add_row(model.amount[member.name] <= MAX_LEVER_AMOUNT * model.used[member.name])
        penalties.append(slack / member.scale)
    for metric, members in requirements.items():
        penalties += _loosen_requirements(bench, metric, members)
    return penalties


def _loosen_requirements(bench: Workbench, metric: str, members: list[Member]) -> list:
    """The shared offer-requirement row of ``metric``, with one elastic term per loosened offer."""
    model = bench.model
    row = model.offer_requirement[metric]
    lowest = lowest_achievable(bench.instance, metric)
    slacks = []
    for member in members:
        slack = pyo.Var(domain=pyo.NonNegativeReals)
        model.add_component(f"explain_slack_{member.offer}_{metric}", slack)
        bench.add_row(slack <= max(0.0, member.bound - lowest) * model.granted[member.offer])
        slacks.append((member, slack))
    bench.add_row(row.body - sum(slack for _, slack in slacks) <= row.upper)
    bench.remove_row(row)
    return [slack / member.scale for member, slack in slacks]


def _rows_of(model, member: Member) -> list:
    component = getattr(model, ROWS[member.kind], None)
    if component is None:
        return []
    if member.kind in ("forbid", "offer"):
        return [row for index, row in component.items() if index[0] == member.name]
    return [component[member.name]] if member.name in component else []


def _loosened(row, slack, logical: bool) -> list:
    """The relations replacing ``row`` when ``slack`` may loosen it."""
    if row.equality:  # a required choice: "at most one option" stays, "at least one" goes
        return [row.body <= row.upper, row.body + _big_m(row.body, row.lower, below=True) * slack >= row.lower]
    if row.has_ub():
        weight = _big_m(row.body, row.upper, below=False) if logical else 1.0
        return [row.body - weight * slack <= row.upper]
    weight = _big_m(row.body, row.lower, below=True) if logical else 1.0
    return [row.body + weight * slack >= row.lower]


def _big_m(body, bound, below: bool) -> float:
    """How far a row over binaries can stray past its bound: the weight that frees it when d = 1."""
    repn = generate_standard_repn(body, compute_values=True)
    terms = list(zip(repn.linear_coefs, repn.linear_vars, strict=True))
    if below:
        lowest = repn.constant + sum(c * (v.lb if c > 0 else v.ub) for c, v in terms)
        return max(0.0, pyo.value(bound) - lowest)
    highest = repn.constant + sum(c * (v.ub if c > 0 else v.lb) for c, v in terms)
    return max(0.0, highest - pyo.value(bound))


def lowest_achievable(instance: Instance, metric: str) -> float:
    """The least any package can achieve on ``metric`` (only levers that subtract lower it)."""
    total = 0.0
    for lever in instance.levers.values():
        if lever.kind == "choice":
            total += min([0.0] + [option.gives.get(metric, 0.0) for option in lever.options.values()])
            continue
        term = lever.gives.get(metric)
        if term is not None:
            low, high = (1.0, 1.0) if lever.kind == "binary" else (lever.min_if_used, lever.max)
            total += min(0.0, term.fixed + term.per_unit * low, term.fixed + term.per_unit * high)
    return total


def _relaxation_without_levers(
    loaded: LoadedInstance, elastic: Sequence[Member], options: SolveOptions
) -> Relaxation | None:
    """With no levers a package is an offer: relax for each offer that only elastic members block."""
    instance = loaded.instance
    fixed = [m for m in members_of(instance) if m not in set(elastic)]
    candidates = []
    for offer in list(instance.offer_items) or [None]:
        package = Package.empty(instance, offer)
        evaluation = evaluate(instance, package)
        if all(shortfall(m, evaluation) <= _allowance(m) for m in fixed):
            candidates.append(_confirm(loaded, elastic, package, options))
    return min(candidates, key=lambda relaxation: relaxation.score, default=None)
