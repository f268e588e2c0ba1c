"""The deal model open to extra rows and objectives, solved by HiGHS exactly the way ``solve`` does.

Alternatives add no-good cuts, diversity adds distance rows, relaxations swap
rows for elastic ones. Each works on a :class:`Workbench`: the core's
:class:`~optimizer.solver.PersistentModel` (same build, same HiGHS options),
with the built :class:`~optimizer.model.DealModel` at hand: its expressions
(what a metric achieves, what a lever's use is) and its rows by member. Rows added or removed after the first solve are passed to the
persistent solver explicitly; parameters never change on a workbench.
"""

from __future__ import annotations

import pyomo.core as pyo

from ..api import solve_loaded
from ..evaluate import evaluate
from ..instance import LoadedInstance
from ..model import DealModel
from ..package import Package
from ..schema import Instance
from ..solver import PersistentModel, SolveOptions, SolverRun
from ..status import Status


class SolveFailed(RuntimeError):
    """HiGHS could not settle a question (time limit, solver trouble), or its package failed the check."""


class Workbench:
    """A built model of one instance and its persistent HiGHS solver, open to extra rows and objectives."""

    def __init__(self, instance: Instance, options: SolveOptions):
        self.instance = instance
        self.options = options
        self.persistent = PersistentModel(instance)
        self.persistent.solver.config.auto_updates.update_parameters = False
        self.built: DealModel = self.persistent.built
        """The model's expressions (``achieved``, ``cost``, ``used``, ``amount``) and rows by member."""
        self.model = self.built.m
        self.model.explain_rows = pyo.ConstraintList()
        self._objectives = 0
        self._loaded = False

    def add_row(self, relation) -> pyo.Constraint:
        """Add a constraint (a Pyomo relational expression) and return it."""
        row = self.model.explain_rows.add(relation)
        if self._loaded:
            self.persistent.solver.add_constraints([row])
        return row

    def remove_row(self, row) -> None:
        """Take a row (added here, or one of the model's own) out of the model."""
        if self._loaded:
            self.persistent.solver.remove_constraints([row])
        row.deactivate()

    def set_objective(self, expr, sense=pyo.minimize) -> None:
        """Replace the objective with ``expr``."""
        self._objectives += 1
        objective = pyo.Objective(expr=expr, sense=sense)
        objective.deactivate()
        self.model.add_component(f"explain_objective_{self._objectives}", objective)
        self._activate(objective)

    def restore_objective(self) -> None:
        """Go back to the net political cost."""
        self._activate(self.model.net_cost)

    def _activate(self, objective) -> None:
        for other in self.model.component_objects(pyo.Objective, active=True):
            other.deactivate()
        objective.activate()
        if self._loaded:
            self.persistent.solver.set_objective(objective)

    def solve(self) -> SolverRun:
        run = self.persistent.solve(self.options)
        self._loaded = True
        return run

    def package(self, run: SolverRun) -> Package:
        return run.package(self.instance)


def acceptable_package(loaded: LoadedInstance, options: SolveOptions) -> Package | None:
    """Any acceptable package of the instance, verified, or None when there is none.

    HiGHS is asked for feasibility only (a zero objective), which is all a
    conflict search needs. Raises :class:`SolveFailed` when the question stays open.
    """
    instance = loaded.instance
    if not instance.levers:
        result = solve_loaded(loaded, options)
        _settled(result.status, result.message)
        return result.package
    bench = Workbench(instance, options)
    bench.set_objective(bench.model.nothing)
    run = bench.solve()
    _settled(run.status, run.message)
    if not run.has_solution:
        return None
    package = bench.package(run)
    violations = evaluate(instance, package).violations
    if violations:
        raise SolveFailed(f"HiGHS's package failed the independent check: {'; '.join(violations)}")
    return package


def _settled(status: Status, message: str) -> None:
    if status not in (Status.OPTIMAL, Status.INFEASIBLE):
        raise SolveFailed(f"HiGHS could not decide whether an acceptable package exists ({status}: {message})")
