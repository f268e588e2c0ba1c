"""The questions the frontier asks HiGHS, each answered by one MILP or one LP and counted.

An :class:`Oracle` holds the instance's model twice inside HiGHS itself
(:class:`~optimizer.solver.HighsModel`): the MILP, and (for instances with continuous
levers) a copy with integrality relaxed, on which an *integer configuration* (every
binary, integer and choice decision and the offer) is fixed by column bounds, so that
what is left is a true LP. Both values are rows of each copy; a question only changes
those rows' bounds, a scope row's bounds and the objective's costs, so no question
rebuilds anything and the LPs start from the previous basis. Every answer's package is
rounded, checked by :func:`optimizer.evaluate.evaluate` and valued in plain Python; a
package that fails the check raises :class:`~optimizer.explain.workbench.SolveFailed`.

Tolerances (docs/frontier.md): HiGHS runs with ``mip_rel_gap`` 1e-9, ``mip_abs_gap`` 0
and ``mip_feasibility_tolerance`` 1e-9 (:class:`~optimizer.solver.SolveOptions`); a
lexicographic second stage keeps the first stage's value to within :data:`TIE` relative.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..evaluate import Evaluation, evaluate
from ..explain.workbench import SolveFailed
from ..instance import LoadedInstance
from ..kinds import lever_kind
from ..package import Package
from ..solver import PersistentModel, SolveOptions, SolverRun
from ..status import Status
from .values import Values, ours_expression, theirs_expression, values_of

TIE = 1e-9
"""Relative slack of a second stage on the first stage's value: max(1, |value|) * TIE."""


Weights = tuple[float, float]
"""What a question maximises: weight_ours * ours + weight_theirs * theirs."""
Scope = tuple[str, ...] | None
"""The offers a package may be granted (exactly one of them), or None for any."""
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
    """MILPs and LPs over the instance's packages, each restricted to a scope (a tier, no walk-away)."""

    def __init__(self, loaded: LoadedInstance, options: SolveOptions):
        self.instance = loaded.instance
        self.options = options
        self.milps = 0
        self.lps = 0
        self._milp = _Side(self.instance, relaxed=False)
        self._lp: _Side | None = None
        self.has_continuous = any(
            lever_kind(lv).sized and not lever_kind(lv).integral for lv in self.instance.amount_levers.values()
        )

    def best(
        self,
        first: Weights,
        scope: Scope = None,
        theirs: tuple[float, float] = (-math.inf, math.inf),
        ours_at_least: float = -math.inf,
        second: Weights | None = None,
        fixed: Package | None = None,
        above: tuple[float, float] | None = None,
    ) -> Found | None:
        """The package maximising ``first`` (weights on ours and theirs), then ``second`` keeping ``first`` to :data:`TIE`.

        Only packages granted one offer of ``scope``, with ``theirs`` within its (low, high) and
        ours >= ``ours_at_least`` and, with ``above`` = (slope, level), ours - slope * theirs >= level;
        ``fixed`` fixes that package's integer configuration, and the questions are LPs. None when
        no package qualifies.
        """
        if scope is not None and not scope:
            return None  # no offer allowed: no package qualifies
        side = self._lp_side() if fixed is not None else self._milp
        side.restrict(scope, theirs, ours_at_least, fixed, above)
        try:
            run, x = self._solve(side, first, fixed is not None)
            if run is not None and second is not None:
                if first == OURS:
                    side.restrict(scope, theirs, max(ours_at_least, run.objective - tie(run.objective)), fixed, above)
                elif first == THEIRS:
                    low = max(theirs[0], run.objective - tie(run.objective))
                    side.restrict(scope, (low, theirs[1]), ours_at_least, fixed, above)
                else:
                    raise ValueError("a second stage follows a first stage on ours or theirs alone")
                run, x = self._solve(side, second, fixed is not None)
                if run is None:
                    raise SolveFailed(
                        "HiGHS found no package in a second stage that its first stage had shown to exist"
                    )
            return None if run is None else self._found(side, run, x)
        finally:
            side.release()

    def _lp_side(self) -> _Side:
        if self._lp is None:
            self._lp = _Side(self.instance, relaxed=True)
        return self._lp

    def _solve(self, side: _Side, weights: Weights, linear: bool):
        side.maximise(weights)
        run, x = side.model.solve(self.options)
        if linear:
            self.lps += 1
        else:
            self.milps += 1
        if run.status == Status.INFEASIBLE:
            return None, None
        if run.status != Status.OPTIMAL:
            raise SolveFailed(f"HiGHS could not settle a frontier question ({run.status}: {run.message})")
        return run, x

    def _found(self, side: _Side, run: SolverRun, x: np.ndarray) -> Found:
        package = side.package(run, x)
        evaluation = evaluate(self.instance, package)
        if evaluation.violations:
            raise SolveFailed(f"HiGHS's package failed the independent check: {'; '.join(evaluation.violations)}")
        return Found(package, evaluation, values_of(self.instance, evaluation), run.objective)


class _Side:
    """One copy of the model in HiGHS, with a column for each value, a line row and a row per scope asked so far.

    The columns ``ours`` and ``theirs`` equal the two values (one row each), so that a question
    bounds them, weighs them in the objective, or sets the slope of the line row
    ours - slope * theirs >= level, by changing a few numbers.
    """

    def __init__(self, instance, relaxed: bool):
        self.instance = instance
        persistent = PersistentModel(instance)
        self.model = model = persistent.highs()
        m = persistent.built.m
        column = lambda variable: model.column[id(variable)]  # noqa: E731
        self.used = {j: column(m.used[j]) for j in m.used}
        self.amount = {j: column(m.amount[j]) for j in m.amount}
        self.picked = {jo: column(m.picked[jo]) for jo in m.picked}
        self.granted = {t: column(m.granted[t]) for t in m.granted}
        self.integral = [
            j for j, lv in instance.amount_levers.items() if lever_kind(lv).sized and lever_kind(lv).integral
        ]
        self.ours = self._value_column(ours_expression(persistent.built))
        self.theirs = self._value_column(theirs_expression(persistent.built))
        self.line = model.add_row({self.ours: 1.0, self.theirs: 0.0})
        self.scopes: dict[tuple[str, ...], int] = {}
        self.active: list[int] = []
        self.fixed = np.array([], dtype=np.int32)
        if relaxed:
            model.relax_integrality()

    def _value_column(self, expression) -> int:
        """A free column equal to ``expression`` (one row)."""
        coefficients, constant = self.model.linear(expression)
        value = self.model.add_column()
        self.model.add_row(coefficients | {value: -1.0}, -constant, -constant)
        return value

    def restrict(
        self,
        scope: Scope,
        theirs: tuple[float, float],
        ours_at_least: float,
        fixed: Package | None,
        above: tuple[float, float] | None = None,
    ):
        """Bound the values (and fix ``fixed``'s integer configuration) for one question."""
        self.release()
        self.model.fix_bounds(self.theirs, *theirs)
        self.model.fix_bounds(self.ours, ours_at_least, math.inf)
        if above is not None:
            slope, level = above
            self.model.set_coefficient(self.line, self.theirs, -slope)
            self.model.set_row_bounds(self.line, level)
            self.active.append(self.line)
        if scope is not None:
            row = self._scope_row(scope)
            self.model.set_row_bounds(row, 1.0, 1.0)
            self.active.append(row)
        if fixed is not None:
            columns, values = self._configuration(fixed)
            self.model.fix(columns, values)
            self.fixed = columns

    def release(self) -> None:
        """Free every row and column a question restricted."""
        for row in self.active:
            self.model.set_row_bounds(row)
        self.active = []
        self.model.release(np.array([self.ours, self.theirs, *self.fixed], dtype=np.int32))
        self.fixed = np.array([], dtype=np.int32)

    def maximise(self, weights: Weights) -> None:
        weight_ours, weight_theirs = weights
        self.model.maximise({self.ours: weight_ours, self.theirs: weight_theirs})

    def _scope_row(self, scope: tuple[str, ...]) -> int:
        if scope not in self.scopes:
            self.scopes[scope] = self.model.add_row({self.granted[t]: 1.0 for t in scope})
        return self.scopes[scope]

    def _configuration(self, package: Package) -> tuple[np.ndarray, np.ndarray]:
        """The columns of ``package``'s integer configuration (uses, integer amounts, picks, offer) and their values."""
        pairs = [(self.used[j], float(package.used[j])) for j in self.used]
        pairs += [(self.amount[j], package.amount[j]) for j in self.integral]
        pairs += [(c, float(o in package.picked[j])) for (j, o), c in self.picked.items()]
        pairs += [(c, float(t in package.granted)) for t, c in self.granted.items()]
        return np.array([c for c, _ in pairs], dtype=np.int32), np.array([v for _, v in pairs], dtype=float)

    def package(self, run: SolverRun, x: np.ndarray) -> Package:
        """The run's package, rounded as a solve rounds it."""
        run.used = {j: float(x[c]) for j, c in self.used.items()}
        run.amount = {j: float(x[c]) for j, c in self.amount.items()}
        run.picked = {jo: float(x[c]) for jo, c in self.picked.items()}
        run.granted = {t: float(x[c]) for t, c in self.granted.items()}
        return run.package(self.instance)
