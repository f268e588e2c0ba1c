"""Running HiGHS on a built model through Pyomo's persistent ``highs`` interface.

The newer interface (``pyomo.contrib.solver``) honours time limits; solutions
are loaded only when one exists. Every option is passed on every solve, since
a persistent solver keeps options from one solve to the next. HiGHS runs with
one thread and a fixed seed, so results are reproducible.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import highspy
import numpy as np
import pyomo.core as pyo
from pyomo.contrib.solver.common.results import SolutionStatus, TerminationCondition
from pyomo.contrib.solver.solvers.highs import Highs
from pyomo.repn import generate_standard_repn

from .kinds import lever_kind
from .model import build, set_numbers
from .package import Package
from .paths import structure_key
from .schema import Instance
from .status import Status

SOLVER_NAME = "highs"
THREADS = 1
MIP_FEASIBILITY_TOLERANCE = 1e-9
"""Tighter than HiGHS's 1e-6: with lever sizes up to 1e6, a 'used' binary at 1e-6 could otherwise
carry an amount of 1 without paying the lever's fixed cost (docs/solver-pitfalls.md)."""


@dataclass(frozen=True)
class SolveOptions:
    """How HiGHS is asked to solve: what "optimal" means, and for how long to try."""

    time_limit: float | None = None
    """Seconds; None means no limit."""
    gap: float = 1e-9
    """Relative MIP gap (``mip_rel_gap``); the absolute gap is always 0."""
    seed: int = 0
    """HiGHS ``random_seed``."""

    def as_dict(self) -> dict:
        return {
            "time_limit": self.time_limit,
            "mip_rel_gap": self.gap,
            "mip_abs_gap": 0.0,
            "threads": THREADS,
            "random_seed": self.seed,
        }


@dataclass
class SolverRun:
    """What one HiGHS solve returned, before any checking."""

    status: Status
    objective: float | None = None
    bound: float | None = None
    used: dict[str, float] = field(default_factory=dict)
    amount: dict[str, float] = field(default_factory=dict)
    picked: dict[tuple[str, str], float] = field(default_factory=dict)
    granted: dict[str, float] = field(default_factory=dict)
    solve_seconds: float = 0.0
    message: str = ""

    @property
    def has_solution(self) -> bool:
        return self.objective is not None

    def package(self, instance: Instance) -> Package:
        """The package in this run, with binaries and integers rounded (each lever kind rounds its own)."""
        used: dict[str, bool] = {}
        amount: dict[str, float] = {}
        for j, lever in instance.amount_levers.items():
            used[j], amount[j] = lever_kind(lever).rounded(lever, self.used[j], self.amount.get(j, 0.0))
        picked = {
            j: tuple(o for o in lever.options if round(self.picked[j, o]) == 1)
            for j, lever in instance.choice_levers.items()
        }
        granted = tuple(t for t in instance.offer_items if round(self.granted[t]) == 1)
        return Package(used=used, amount=amount, picked=picked, granted=granted)

    @property
    def gap(self) -> float | None:
        """Relative gap proved: |incumbent - bound| / max(1, |incumbent|)."""
        if self.objective is None or self.bound is None or not math.isfinite(self.bound):
            return None
        return abs(self.objective - self.bound) / max(1.0, abs(self.objective))


class PersistentModel:
    """A built model and its persistent HiGHS solver; re-solves after parameter changes.

    ``update(instance)`` loads a new scenario's numbers, rebuilding only when its
    structure differs from the model's (see :func:`optimizer.paths.structure_key`).
    """

    def __init__(self, instance: Instance):
        self.rebuilds = 0
        self._build(instance)

    def _build(self, instance: Instance) -> None:
        self.instance = instance
        self.structure = structure_key(instance)
        self.built = build(instance)
        """The built model: expressions and rows by member (:class:`~optimizer.model.DealModel`)."""
        self.model = self.built.m
        self.solver = Highs()
        updates = self.solver.config.auto_updates
        # The model's structure never changes after the build: only parameter values do.
        for flag in (
            "check_for_new_or_removed_constraints",
            "check_for_new_or_removed_vars",
            "check_for_new_or_removed_params",
            "check_for_new_objective",
            "update_constraints",
            "update_vars",
            "update_named_expressions",
            "update_objective",
        ):
            setattr(updates, flag, False)
        updates.update_parameters = True
        self.loaded = False
        """True once the model is in HiGHS: until the first solve it may still change freely."""
        self.rebuilds += 1

    def update(self, instance: Instance) -> None:
        """Point the model at ``instance``: new parameter values, or a rebuild if the structure differs."""
        if structure_key(instance) != self.structure:
            self._build(instance)
        else:
            set_numbers(self.built, instance)
            self.instance = instance

    def solve(self, options: SolveOptions) -> SolverRun:
        """Solve the current instance (see :func:`settle` for an infeasible answer or a failure)."""
        return settle(lambda presolve: self._run(options, presolve))

    def highs(self) -> HighsModel:
        """The model as HiGHS holds it, for many re-solves that change only bounds and costs.

        From then on solve only through the returned :class:`HighsModel`: its changes bypass Pyomo.
        """
        if not self.loaded:
            load_in_declaration_order(self.solver, self.model)
            self.loaded = True
        return HighsModel(self.solver._solver_model, declared_columns(self.model))

    def _run(self, options: SolveOptions, presolve: bool) -> SolverRun:
        """One HiGHS run with every option set (options stick to a persistent solver)."""
        m = self.model
        if not self.loaded:
            load_in_declaration_order(self.solver, m)
            self.loaded = True
        started = time.perf_counter()
        try:
            results = self.solver.solve(
                m,
                load_solutions=False,
                raise_exception_on_nonoptimal_result=False,
                rel_gap=options.gap,
                abs_gap=0.0,
                threads=THREADS,
                time_limit=options.time_limit if options.time_limit is not None else math.inf,
                solver_options=highs_options(options, presolve),
            )
        except Exception as err:  # noqa: BLE001 - any solver failure is reported as status error
            return SolverRun(Status.ERROR, solve_seconds=time.perf_counter() - started, message=f"HiGHS failed: {err}")
        seconds = time.perf_counter() - started
        status = _status(results.termination_condition, results.solution_status)
        run = SolverRun(status, solve_seconds=seconds, message=str(results.termination_condition.name))
        if results.solution_status in (SolutionStatus.optimal, SolutionStatus.feasible):
            # A variable in no constraint and no objective term (a binary lever that gives and costs
            # nothing and no red line names) never reaches HiGHS: it stays 0, unused.
            values = results.solution_loader.get_vars()
            run.objective = results.incumbent_objective
            run.bound = results.objective_bound
            run.used = {j: values.get(m.used[j], 0.0) for j in m.used}
            run.amount = {j: values.get(m.amount[j], 0.0) for j in m.amount}
            run.picked = {jo: values.get(m.picked[jo], 0.0) for jo in m.picked}
            run.granted = {t: values.get(m.granted[t], 0.0) for t in m.granted}
        if status == Status.OPTIMAL and not run.has_solution:
            run.status = Status.ERROR
            run.message = "HiGHS reported optimal without a solution"
        return run


def settle(attempt: Callable[[bool], SolverRun]) -> SolverRun:
    """Run ``attempt(presolve=True)``; an infeasible answer is confirmed with presolve off.

    HiGHS 1.16's presolve, at the tight feasibility tolerance used here, can declare a
    small MILP infeasible when it is not (seen with equality-style limits). A second run
    without presolve settles it. If HiGHS fails outright (for example because another
    part of the process ran HiGHS with a different thread count), its global scheduler
    is reset and the solve retried once; if it fails again, it is retried with presolve
    off (HiGHS 1.16's presolve has failed outright on a model with a lever max of 1e6).
    """
    run = attempt(True)
    if run.status == Status.ERROR and not run.has_solution:
        highspy.Highs.resetGlobalScheduler(True)
        run = attempt(True)
    if run.status == Status.ERROR and not run.has_solution:
        failed = run
        run = attempt(False)
        run.solve_seconds += failed.solve_seconds
        if run.status != Status.ERROR:
            run.message = f"{run.message} (presolve off: with presolve, {failed.message})"
    if run.status == Status.INFEASIBLE:
        confirmation = attempt(False)
        confirmation.solve_seconds += run.solve_seconds
        if confirmation.status != Status.INFEASIBLE:
            confirmation.message = f"{confirmation.message} (presolve off: presolve had said infeasible)"
        run = confirmation
    return run


class HighsModel:
    """A built model inside HiGHS, re-solved many times changing only bounds and objective costs.

    Pyomo translates the model once (:meth:`PersistentModel.highs`); afterwards each question
    changes a few numbers in HiGHS itself: no expression is walked again and nothing is
    rebuilt, and an LP re-solve starts from the previous basis. Linear expressions of the
    model's variables become rows or objectives through :meth:`linear`.
    """

    def __init__(self, highs: highspy.Highs, columns: list):
        self.highs = highs
        if highs.getNumCol() != len(columns):
            raise RuntimeError("HiGHS holds other columns than the model declares")
        self.column = {id(v): i for i, v in enumerate(columns)}
        lp = highs.getLp()
        self.lower = np.array(lp.col_lower_, dtype=float)
        self.upper = np.array(lp.col_upper_, dtype=float)
        self.mip = any(kind != highspy.HighsVarType.kContinuous for kind in lp.integrality_)
        """Whether a solve is a MILP (its bound is the MIP's dual bound) or an LP."""

    def linear(self, expr) -> tuple[dict[int, float], float]:
        """A linear expression as its coefficients by column, and its constant."""
        repn = generate_standard_repn(expr, compute_values=True)
        if not repn.is_linear():
            raise ValueError("only a linear expression can be a row or an objective")
        coefficients: dict[int, float] = {}
        for coefficient, variable in zip(repn.linear_coefs, repn.linear_vars, strict=True):
            column = self.column[id(variable)]
            coefficients[column] = coefficients.get(column, 0.0) + coefficient
        return coefficients, float(repn.constant)

    def add_column(self) -> int:
        """Add a free continuous column (costing nothing); its index."""
        self.highs.addCol(0.0, -highspy.kHighsInf, highspy.kHighsInf, 0, np.array([], dtype=np.int32), np.array([]))
        self.lower = np.append(self.lower, -highspy.kHighsInf)
        self.upper = np.append(self.upper, highspy.kHighsInf)
        return self.highs.getNumCol() - 1

    def add_row(self, coefficients: dict[int, float], lower: float = -math.inf, upper: float = math.inf) -> int:
        """Add the row lower <= Σ coefficients[column] · x[column] <= upper; its index."""
        columns = np.array(list(coefficients), dtype=np.int32)
        values = np.array(list(coefficients.values()), dtype=float)
        self.highs.addRow(max(lower, -highspy.kHighsInf), min(upper, highspy.kHighsInf), len(columns), columns, values)
        return self.highs.getNumRow() - 1

    def set_coefficient(self, row: int, column: int, value: float) -> None:
        self.highs.changeCoeff(row, column, value)

    def set_row_bounds(self, row: int, lower: float = -math.inf, upper: float = math.inf) -> None:
        self.highs.changeRowBounds(row, max(lower, -highspy.kHighsInf), min(upper, highspy.kHighsInf))

    def maximise(self, coefficients: dict[int, float]) -> None:
        """Make Σ coefficients[column] · x[column] the objective, maximised; every other column costs 0."""
        n = self.highs.getNumCol()
        costs = np.zeros(n)
        costs[list(coefficients)] = list(coefficients.values())
        self.highs.changeObjectiveSense(highspy.ObjSense.kMaximize)
        self.highs.changeColsCost(n, np.arange(n, dtype=np.int32), costs)
        self.highs.changeObjectiveOffset(0.0)

    def fix_bounds(self, column: int, lower: float, upper: float) -> None:
        """Bound one column to [lower, upper] (until :meth:`release`)."""
        self.highs.changeColBounds(column, max(lower, -highspy.kHighsInf), min(upper, highspy.kHighsInf))

    def fix(self, columns: np.ndarray, values: np.ndarray) -> None:
        """Fix ``columns`` at ``values`` (until :meth:`release`)."""
        self.highs.changeColsBounds(len(columns), columns, values, values)

    def release(self, columns: np.ndarray) -> None:
        """Give ``columns`` back their own bounds."""
        self.highs.changeColsBounds(len(columns), columns, self.lower[columns], self.upper[columns])

    def relax_integrality(self) -> None:
        """Make every column continuous: with the integer columns fixed, what is left is an LP."""
        n = self.highs.getNumCol()
        self.highs.changeColsIntegrality(n, np.arange(n), np.array([highspy.HighsVarType.kContinuous] * n))
        self.mip = False

    def solve(self, options: SolveOptions) -> tuple[SolverRun, np.ndarray | None]:
        """Solve as it stands: the run, and the value of every column when a solution exists."""
        values = []

        def attempt(presolve: bool) -> SolverRun:
            run, x = self._attempt(options, presolve)
            values[:] = [x]
            return run

        run = settle(attempt)
        return run, values[0]

    def _attempt(self, options: SolveOptions, presolve: bool) -> tuple[SolverRun, np.ndarray | None]:
        highs = self.highs
        settings = highs_options(options, presolve) | {
            "mip_rel_gap": options.gap,
            "mip_abs_gap": 0.0,
            "threads": THREADS,
            "time_limit": options.time_limit if options.time_limit is not None else math.inf,
        }
        for key, value in settings.items():
            highs.setOptionValue(key, value)
        started = time.perf_counter()
        try:
            highs.run()
        except Exception as err:  # noqa: BLE001 - any solver failure is reported as status error
            return SolverRun(
                Status.ERROR, solve_seconds=time.perf_counter() - started, message=f"HiGHS failed: {err}"
            ), None
        model_status = highs.getModelStatus()
        run = SolverRun(
            HIGHS_STATUS.get(model_status, Status.ERROR),
            solve_seconds=time.perf_counter() - started,
            message=highs.modelStatusToString(model_status),
        )
        info = highs.getInfo()
        if info.primal_solution_status != 2:  # kSolutionStatusFeasible
            if run.status == Status.OPTIMAL:
                run.status, run.message = Status.ERROR, "HiGHS reported optimal without a solution"
            return run, None
        run.objective = info.objective_function_value
        run.bound = info.mip_dual_bound if self.mip else run.objective
        return run, np.array(highs.getSolution().col_value)


def load_in_declaration_order(solver, model) -> None:
    """Hand the model to the persistent solver with its columns in declaration order.

    Pyomo's persistent interface adds a variable when a constraint first mentions it, which
    interleaves the columns (used, amount, used, amount, ...). HiGHS's branch and bound is
    sensitive to column order: on the flagship, the declaration order (used, amount, picked,
    seg, granted) solves about 15% faster. Only the public persistent API is used: an
    instance with no active rows, then the columns, the rows and the objective.
    """
    rows = list(model.component_data_objects(pyo.Constraint, active=True))
    objective = next(model.component_data_objects(pyo.Objective, active=True))
    for component in (*rows, objective):
        component.deactivate()
    solver.set_instance(model)
    highs = getattr(solver, "_solver_model", None)  # Pyomo 6.10's highspy.Highs, made by set_instance
    if highs is not None:
        # Quiet from the start: HiGHS warns on stdout about what it ignores (a coefficient updated to
        # 0 that it never stored), and Pyomo captures the output of solves, not of updates.
        highs.setOptionValue("output_flag", False)
    solver.add_variables(declared_columns(model))
    for component in (*rows, objective):
        component.activate()
    solver.add_constraints(rows)
    solver.set_objective(objective)


def declared_columns(model) -> list:
    """The model's variables in declaration order (used, amount, picked, seg, granted, then ``nothing``)."""
    blocks = (model.used, model.amount, model.picked, model.seg, model.granted)
    return [v for block in blocks for v in block.values()] + [model.nothing]


def highs_options(options: SolveOptions, presolve: bool) -> dict:
    """The HiGHS options of every run besides gaps, threads and the time limit."""
    return {
        "random_seed": options.seed,
        "mip_feasibility_tolerance": MIP_FEASIBILITY_TOLERANCE,
        "presolve": "choose" if presolve else "off",
        "output_flag": False,
    }


HIGHS_STATUS = {
    highspy.HighsModelStatus.kOptimal: Status.OPTIMAL,
    highspy.HighsModelStatus.kInfeasible: Status.INFEASIBLE,
    highspy.HighsModelStatus.kUnboundedOrInfeasible: Status.INFEASIBLE,
    highspy.HighsModelStatus.kTimeLimit: Status.TIME_LIMIT,
    highspy.HighsModelStatus.kIterationLimit: Status.TIME_LIMIT,
    highspy.HighsModelStatus.kInterrupt: Status.TIME_LIMIT,
}
"""HiGHS's own model status as a Status (the same reading as :func:`_status` of Pyomo's)."""


def _status(condition: TerminationCondition, solution: SolutionStatus) -> Status:
    if condition == TerminationCondition.convergenceCriteriaSatisfied and solution == SolutionStatus.optimal:
        return Status.OPTIMAL
    if condition in (
        TerminationCondition.provenInfeasible,
        TerminationCondition.locallyInfeasible,
        TerminationCondition.infeasibleOrUnbounded,
    ):
        return Status.INFEASIBLE
    if condition in (
        TerminationCondition.maxTimeLimit,
        TerminationCondition.iterationLimit,
        TerminationCondition.interrupted,
    ):
        return Status.TIME_LIMIT
    return Status.ERROR


def solver_version() -> str:
    version = Highs().version()
    return ".".join(map(str, version)) if version else "unknown"
