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

That re-solve is HiGHS at its own feasibility tolerance (1e-9), a thousand
times tighter than the check's, and a least relaxation leaves no room to
spare. So a member is left where it is only when the package breaks it by no
more than HiGHS tolerates. When the least relaxation moves some members by
less than the check would notice (solver noise spread over tied members),
those members are held at their bounds and the relaxation is solved again,
so the others carry all of it; and rounding a move up never turns
floating-point residue into a move of its own.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import pyomo.core as pyo
from pyomo.repn import generate_standard_repn

from ..api import solve_loaded
from ..evaluate import Evaluation, evaluate
from ..instance import LoadedInstance
from ..kinds import Member, lever_kind
from ..package import Package
from ..result import Result
from ..schema import MAX_LEVER_AMOUNT, Instance
from ..solver import MIP_FEASIBILITY_TOLERANCE, SolveOptions, SolverRun
from ..status import Status
from ..tolerance import tolerance
from .members import edited, members_of
from .words import relaxation_text
from .workbench import SolveFailed, Workbench

RESIDUE = 1e-12
"""Relative floating-point residue that rounding a move up ignores (2.6 - 2 is 0.6000000000000001)."""


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
    """The relaxation of ``elastic`` members of least total relative size; None when none suffices.

    Members it moves by less than the check would notice are then held at their bounds and the
    relaxation solved again, so the others carry all of it; when that admits no package, the slight
    moves stay in the relaxation.
    """
    instance = loaded.instance
    if not instance.levers:
        return _relaxation_without_levers(loaded, elastic, options)
    bench = Workbench(instance, options)
    slacks = _loosen(bench, elastic)
    bench.set_objective(sum(slack / member.scale for member, slack in slacks.items()) + bench.model.nothing)
    run = _least(bench)
    if run is None:
        return None
    package = bench.package(run)
    slight = _slightly_moved(slacks, evaluate(instance, package))
    if slight:
        for member in slight:
            bench.add_row(slacks[member] <= 0)
        held = _least(bench)
        package = bench.package(held) if held is not None else package
    return _confirm(loaded, elastic, package, options)


def _least(bench: Workbench) -> SolverRun | None:
    """Solve the elastic model for its least relaxation; None when even that admits no package."""
    run = bench.solve()
    if run.status == Status.INFEASIBLE:
        return None
    if not run.has_solution or run.status != Status.OPTIMAL:
        raise SolveFailed(f"HiGHS could not find the least relaxation ({run.status}: {run.message})")
    return run


def _slightly_moved(slacks: dict[Member, pyo.Var], evaluation: Evaluation) -> list[Member]:
    """Numeric members the package needs moved by more than HiGHS tolerates but less than the check notices.

    Such a move is solver noise shared among tied members (a requirement lowered by 0.999999993 and
    a cap raised by 7e-9 where either alone would do with 1). Dropping it would leave the others
    short of what the package needs, so the caller holds these members at their bounds instead.
    """
    needs = {member: shortfall(member, evaluation) for member in slacks if member.numeric}
    return [
        member for member, amount in needs.items() if not _tolerated(member, amount) and amount <= _allowance(member)
    ]


def _confirm(loaded: LoadedInstance, elastic: Sequence[Member], package: Package, options: SolveOptions) -> Relaxation:
    """Read the amounts off ``package``, check it under the relaxed instance, and re-solve that instance."""
    evaluation = evaluate(loaded.instance, package)
    amounts = {}
    for member in elastic:
        amount = shortfall(member, evaluation)
        if not _tolerated(member, amount):
            amounts[member] = round_up(amount) if member.numeric else 1.0
    moves = {m: m.loosened(a) for m, a in amounts.items() if m.numeric}
    relaxed = edited(loaded, drop=[m for m in amounts if not m.numeric], values=moves)
    violations = evaluate(relaxed.instance, package).violations
    if violations:
        raise SolveFailed(f"the relaxation's package fails the independent check: {'; '.join(violations)}")
    return Relaxation(amounts, package, solve_loaded(relaxed, options))


def round_up(amount: float, digits: int = 9) -> float:
    """``amount`` rounded up to ``digits`` significant digits: a relaxation errs on the side of enough.

    Floating-point residue is not rounded up: 2.6 - 2 stays 0.6 rather than 0.600000001, which would
    put the relaxed bound a billionth past the one amount that fits, at the edge of HiGHS's tolerance,
    where HiGHS may call the relaxed instance infeasible.
    """
    if amount <= 0:
        return 0.0
    scale = 10.0 ** (digits - 1 - math.floor(math.log10(amount)))
    return math.ceil(amount * scale * (1 - RESIDUE)) / scale


def _allowance(member: Member) -> float:
    """A shortfall the independent check tolerates."""
    return tolerance(member.bound) if member.numeric else 0.5


def _tolerated(member: Member, amount: float) -> bool:
    """True when a package short of ``member`` by ``amount`` still passes HiGHS's re-solve: no move needed."""
    return amount <= (MIP_FEASIBILITY_TOLERANCE if member.numeric else 0.5)


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


def _loosen(bench: Workbench, elastic: Sequence[Member]) -> dict[Member, pyo.Var]:
    """Swap each elastic member's rows for loosened ones; return each loosened member's elastic variable."""
    model = bench.model
    slacks = {}
    requirements = defaultdict(list)
    for index, member in enumerate(elastic):
        if member.kind == "offer_requirement":
            requirements[member.name].append(member)
            continue
        rows = bench.built.rows(member.kind, member.name)
        if not rows:
            continue
        logical = not member.numeric
        slack = pyo.Var(domain=pyo.Binary if logical else pyo.NonNegativeReals)
        model.add_component(f"explain_slack_{index}", slack)
        for row in rows:
            for relation in _loosened(row, slack, logical):
                bench.add_row(relation)
            bench.remove_row(row)
        if member.kind == "lever_max":
            slack.setub(MAX_LEVER_AMOUNT - member.bound)
            bench.add_row(model.amount[member.name] <= MAX_LEVER_AMOUNT * model.used[member.name])
        slacks[member] = slack
    for metric, members in requirements.items():
        slacks |= _loosen_requirements(bench, metric, members)
    return slacks


def _loosen_requirements(bench: Workbench, metric: str, members: list[Member]) -> dict[Member, pyo.Var]:
    """The shared offer-requirement row of ``metric``, with one elastic term per loosened offer."""
    model = bench.model
    (row,) = bench.built.rows("offer_requirement", metric)
    lowest = lowest_achievable(bench.instance, metric)
    slacks = []
    for member in members:
        slack = pyo.Var(domain=pyo.NonNegativeReals)
        model.add_component(f"explain_slack_{member.offer}_{metric}", slack)
        bench.add_row(slack <= max(0.0, member.bound - lowest) * model.granted[member.offer])
        slacks.append((member, slack))
    bench.add_row(row.body - sum(slack for _, slack in slacks) <= row.upper)
    bench.remove_row(row)
    return dict(slacks)


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
    return sum(lever_kind(lever).gives_range(lever, metric)[0] for lever in instance.levers.values())


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
