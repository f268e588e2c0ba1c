"""The questions the frontier asks HiGHS, each answered by one MILP or one LP and counted.

An :class:`Oracle` holds two :class:`~optimizer.explain.workbench.Workbench` es of the
instance: the MILP itself, and (for instances with continuous levers) a copy with
integrality relaxed, on which an *integer configuration* (every binary, integer and
choice decision and the offer) is fixed by rows, so that what is left is a true LP.
Every answer's package is rounded, checked by :func:`optimizer.evaluate.evaluate`
and valued in plain Python; a package that fails the check raises
:class:`~optimizer.explain.workbench.SolveFailed`.

Tolerances (docs/frontier.md): HiGHS runs with ``mip_rel_gap`` 1e-9, ``mip_abs_gap`` 0
and ``mip_feasibility_tolerance`` 1e-9 (:class:`~optimizer.solver.SolveOptions`); a
lexicographic second stage keeps the first stage's value to within
:data:`TIE` relative.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import pyomo.core as pyo

from ..evaluate import Evaluation, evaluate
from ..explain.workbench import SolveFailed, Workbench
from ..instance import LoadedInstance
from ..kinds import lever_kind
from ..package import Package
from ..solver import SolveOptions
from ..status import Status
from .values import Values, ours_expression, theirs_expression, values_of

TIE = 1e-9
"""Relative slack of a second stage on the first stage's value: max(1, |value|) * TIE."""


Weights = tuple[float, float]
"""What a question maximises: weight_ours * ours + weight_theirs * theirs."""
Rows = Callable[["_Side"], Iterable]
"""Extra relations of one question, over a side's values."""
OURS: Weights = (1.0, 0.0)
THEIRS: Weights = (0.0, 1.0)
LEAST_THEIRS: Weights = (0.0, -1.0)


def tie(value: float) -> float:
    return TIE * max(1.0, abs(value))


@dataclass(frozen=True)
class Found:
    """A verified package HiGHS found, its (ours, theirs) recomputed, and the value HiGHS gave its objective."""

    package: Package
    evaluation: Evaluation
    values: Values
    solver_objective: float

    @property
    def ours(self) -> float:
        return self.values.ours

    @property
    def theirs(self) -> float:
        return self.values.theirs


class Oracle:
    """MILPs and LPs over the instance's packages, restricted by ``scope`` rows (a tier, no walk-away)."""

    def __init__(self, loaded: LoadedInstance, options: SolveOptions):
        self.instance = loaded.instance
        self.options = options
        self.milps = 0
        self.lps = 0
        self._milp = _Side(Workbench(self.instance, options))
        self._lp: _Side | None = None
        self.has_continuous = any(
            lever_kind(lv).sized and not lever_kind(lv).integral for lv in self.instance.amount_levers.values()
        )

    def lp_side(self) -> _Side:
        if self._lp is None:
            bench = Workbench(self.instance, self.options)
            relax_integrality(bench.model)
            self._lp = _Side(bench)
        return self._lp

    def best(
        self, first: Weights, rows: Rows | None = None, second: Weights | None = None, fixed: Package | None = None
    ):
        """The package maximising ``first`` (weights on ours and theirs), then ``second`` keeping ``first`` to :data:`TIE`.

        ``rows(side)`` are extra relations over the side's values (``side.ours``, ``side.theirs``);
        ``fixed`` fixes that package's integer configuration, and the questions are LPs.
        None when no package qualifies.
        """
        side = self.lp_side() if fixed is not None else self._milp
        extra = [side.bench.add_row(r) for r in (rows(side) if rows else ())]
        extra += side.fix(fixed) if fixed is not None else []
        try:
            run = self._solve(side, side.objective(first), fixed is not None)
            if run is not None and second is not None:
                extra.append(side.bench.add_row(side.objective(first) >= run.objective - tie(run.objective)))
                run = self._solve(side, side.objective(second), fixed is not None)
                if run is None:
                    raise SolveFailed(
                        "HiGHS found no package in a second stage that its first stage had shown to exist"
                    )
            return self._found(side, run)
        finally:
            for row in extra:
                side.bench.remove_row(row)

    def _solve(self, side: _Side, expression, linear: bool):
        side.bench.set_objective(expression, pyo.maximize)
        run = side.bench.solve()
        if linear:
            self.lps += 1
        else:
            self.milps += 1
        if run.status == Status.INFEASIBLE:
            return None
        if run.status != Status.OPTIMAL:
            raise SolveFailed(f"HiGHS could not settle a frontier question ({run.status}: {run.message})")
        return run

    def _found(self, side: _Side, run) -> Found | None:
        if run is None:
            return None
        package = side.bench.package(run)
        evaluation = evaluate(self.instance, package)
        if evaluation.violations:
            raise SolveFailed(f"HiGHS's package failed the independent check: {'; '.join(evaluation.violations)}")
        return Found(package, evaluation, values_of(self.instance, evaluation), run.objective)


class _Side:
    """One workbench with the two values as expressions."""

    def __init__(self, bench: Workbench):
        self.bench = bench
        self.ours = ours_expression(bench.built)
        self.theirs = theirs_expression(bench.built)

    def objective(self, weights: Weights):
        weight_ours, weight_theirs = weights
        return weight_ours * self.ours + weight_theirs * self.theirs

    def fix(self, package: Package) -> list:
        """Rows fixing ``package``'s integer configuration: uses, integer amounts, picks and the offer."""
        m, instance = self.bench.model, self.bench.instance
        relations = [m.used[j] == float(package.used[j]) for j in instance.amount_levers]
        relations += [
            m.amount[j] == package.amount[j]
            for j, lv in instance.amount_levers.items()
            if lever_kind(lv).sized and lever_kind(lv).integral
        ]
        relations += [m.picked[j, o] == float(o in package.picked[j]) for j, o in self.bench.built.choices]
        relations += [m.granted[t] == float(t in package.granted) for t in m.granted]
        return [self.bench.add_row(r) for r in relations]


def relax_integrality(model) -> None:
    """Make every integer variable continuous within its bounds (before the model reaches HiGHS)."""
    for variable in model.component_data_objects(pyo.Var):
        if variable.is_integer():
            low, high = variable.bounds
            variable.domain = pyo.Reals
            variable.setlb(low)
            variable.setub(high)
