"""Re-solving scenarios of one base instance with little Python work per solve.

:class:`ScenarioModel` is the core :class:`~optimizer.solver.PersistentModel`
(same build, same structure test, same Pyomo persistent HiGHS model, same
options) with a shorter path for what a sweep does thousands of times:

- **update**: when a scenario only changes numbers that are already mutable
  parameters of the model, only those parameters are set, and only the HiGHS
  coefficients, bounds and costs that depend on them are pushed (Pyomo's
  ``update_parameters`` re-evaluates every mutable coefficient). Anything else
  goes through the core ``update``: a structure test and a rebuild if needed.
- **solve**: the first solve, and any solve with other options, goes through
  the core ``solve``, which sets every HiGHS option; options stick to later
  solves (docs/solver-pitfalls.md), so later solves call HiGHS directly with its solver
  state cleared, so an answer never depends on the scenario solved before it.
  Only the decision variables are read back.

The short path reads the Pyomo HiGHS interface's maps from model components
to HiGHS rows and columns (``_solver_model``, ``_pyomo_var_to_solver_var_map``,
``_mutable_helpers``, ``_mutable_objective``, ``_mutable_bounds``; Pyomo 6.10).
When they are missing, every solve takes the core path.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import highspy
from pyomo.core.expr.visitor import identify_mutable_parameters

from ..paths import model_numbers, numeric_changes
from ..schema import Instance
from ..solver import PersistentModel, SolveOptions, SolverRun
from ..status import Status

_STATUS = {
    highspy.HighsModelStatus.kOptimal: Status.OPTIMAL,
    highspy.HighsModelStatus.kInfeasible: Status.INFEASIBLE,
    highspy.HighsModelStatus.kUnboundedOrInfeasible: Status.INFEASIBLE,
    highspy.HighsModelStatus.kTimeLimit: Status.TIME_LIMIT,
    highspy.HighsModelStatus.kIterationLimit: Status.TIME_LIMIT,
    highspy.HighsModelStatus.kSolutionLimit: Status.TIME_LIMIT,
}
"""HiGHS model status -> our status, as the core maps Pyomo's termination conditions."""
_FEASIBLE = 2
"""HiGHS ``primal_solution_status`` of a feasible solution."""


class ScenarioModel(PersistentModel):
    """A persistent model of a base instance that loads scenarios' numbers and re-solves them cheaply."""

    def __init__(self, base: Instance):
        self.base_numbers = model_numbers(base)
        super().__init__(base)
        self.base_structure = self.structure

    def _build(self, instance: Instance) -> None:
        super()._build(instance)
        self.numbers = model_numbers(instance)
        self.dirty = {path for path, value in self.numbers.items() if self.base_numbers.get(path) != value}
        self._highs: _HighsView | None = None

    def load(self, instance: Instance, overrides: Iterable[tuple[str, Any]]) -> None:
        """Point the model at ``instance``, the base with ``overrides`` applied (and validated)."""
        numbers = numeric_changes(overrides, self.base_numbers)
        if numbers is None or self.structure != self.base_structure:
            self.update(instance)
            self.numbers = model_numbers(instance)
            self.dirty = {path for path, value in self.numbers.items() if self.base_numbers.get(path) != value}
            if self._highs is not None:
                self.solver.update_parameters()
            return
        targets = {path: self.base_numbers[path] for path in self.dirty} | numbers
        changed = [path for path, value in targets.items() if self.numbers[path] != value]
        for path in changed:
            self.model.number[path] = self.numbers[path] = targets[path]
        if self._highs is not None:
            self._highs.push(changed)
        self.dirty = set(numbers)
        self.instance = instance

    @contextmanager
    def fixed(self, values: dict[tuple[str, Any], float]) -> Iterator[bool]:
        """Solves inside hold decision variables at ``values`` ((variable, index) -> value, e.g.
        ``("used", "rice") -> 1``), then the model is as before. Yields False, fixing nothing,
        before the first solve or where the short path is not available."""
        if self._highs is None:
            yield False
            return
        with self._highs.fixed(values):
            yield True

    def _run(self, options: SolveOptions, presolve: bool) -> SolverRun:
        """One run; the core path sets the options, later runs reuse them and set only presolve."""
        if self._highs is None or self._highs.options != options:
            run = super()._run(options, presolve)
            self._highs = _HighsView.attach(self, options)
            return run
        return self._highs.solve(presolve)


class _HighsView:
    """The HiGHS object under Pyomo's persistent interface, with maps from parameters to what they change."""

    def __init__(self, highs, options: SolveOptions, helpers: dict[str, list], columns: dict[str, list]):
        self.highs = highs
        self.options = options
        self.helpers = helpers
        self.columns = columns

    @classmethod
    def attach(cls, owner: ScenarioModel, options: SolveOptions) -> _HighsView | None:
        solver, model = owner.solver, owner.model
        try:
            highs = solver._solver_model
            var_map = solver._pyomo_var_to_solver_var_map
            constraint_helpers = [h for helpers in solver._mutable_helpers.values() for h in helpers]
            bound_helpers = [h for _, h in solver._mutable_bounds.values()]
            objective = solver._mutable_objective
        except AttributeError:
            return None
        path_of = {id(model.number[path]): path for path in model.number}
        helpers: dict[str, list] = {}
        for helper in [*constraint_helpers, *bound_helpers, *objective.linear_coefs, objective.constant]:
            expressions = [helper.expr] if hasattr(helper, "expr") else [helper.lower_expr, helper.upper_expr]
            for path in {path_of[id(p)] for e in expressions for p in identify_mutable_parameters(e)}:
                helpers.setdefault(path, []).append(helper)
        columns = {
            name: [(key, var_map.get(id(var))) for key, var in getattr(model, name).items()]
            for name in ("used", "amount", "picked", "granted")
        }
        highs.setOptionValue("output_flag", False)
        return cls(highs, options, helpers, columns)

    def push(self, paths: Iterable[str]) -> None:
        """Send HiGHS the coefficients, bounds and costs that depend on the parameters at ``paths``."""
        updated = {id(h): h for path in paths for h in self.helpers.get(path, ())}
        for helper in updated.values():
            helper.update()

    @contextmanager
    def fixed(self, values: dict[tuple[str, Any], float]) -> Iterator[None]:
        """HiGHS columns of the variables in ``values`` held at their value, their bounds restored after."""
        where = {(name, key): column for name, pairs in self.columns.items() for key, column in pairs}
        saved = []
        try:
            for variable, value in values.items():
                column = where.get(variable)
                if column is None:
                    continue
                _, _, lower, upper, _ = self.highs.getCol(column)
                saved.append((column, lower, upper))
                self.highs.changeColBounds(column, value, value)
            yield
        finally:
            for column, lower, upper in reversed(saved):
                self.highs.changeColBounds(column, lower, upper)

    def solve(self, presolve: bool) -> SolverRun:
        highs = self.highs
        started = time.perf_counter()
        try:
            highs.setOptionValue("presolve", "choose" if presolve else "off")
            highs.clearSolver()
            highs.run()
        except Exception as err:  # noqa: BLE001 - any solver failure is reported as status error
            return SolverRun(Status.ERROR, solve_seconds=time.perf_counter() - started, message=f"HiGHS failed: {err}")
        seconds = time.perf_counter() - started
        model_status = highs.getModelStatus()
        info = highs.getInfo()
        run = SolverRun(
            _STATUS.get(model_status, Status.ERROR),
            solve_seconds=seconds,
            message=highs.modelStatusToString(model_status),
        )
        if info.primal_solution_status == _FEASIBLE:
            values = highs.getSolution().col_value
            run.objective = info.objective_function_value
            run.bound = info.mip_dual_bound
            run.used, run.amount, run.picked, run.granted = (
                {key: values[col] if col is not None else 0.0 for key, col in self.columns[name]}
                for name in ("used", "amount", "picked", "granted")
            )
        elif run.status == Status.OPTIMAL:
            run.status = Status.ERROR
            run.message = "HiGHS reported optimal without a solution"
        return run
