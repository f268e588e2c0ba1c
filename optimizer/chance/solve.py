"""``solve --chance p``: per tier, the least-cost package whose chance of acceptance is at least p.

For each tier (walk-away included) the uncertain numbers of its conditions are first replaced by
their floor quantiles: P >= p needs every marginal :math:`F_i(z_i) \\ge p`, so ``z_i >= F_i^{-1}(p)``
is a valid hard row, and with it the model needs no big-M. The chance itself enters through
:mod:`.formulation`. When no package of a tier reaches p, the tier reports the highest P it can
reach and the least-cost package at that P. The answer is the best of the tiers that reach p.

Every package is checked by :func:`optimizer.evaluate.evaluate`, and every probability shown is
recomputed by :mod:`.probability` from the rounded package.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

import pyomo.core as pyo

from ..api import describe_run
from ..evaluate import Evaluation, evaluate
from ..explain.workbench import SolveFailed, Workbench
from ..formatting import fmt
from ..instance import LoadedInstance
from ..paths import normalised_data, value_at
from ..schema import Instance
from ..solver import SolveOptions, SolverRun
from ..status import Status
from .conditions import (
    Condition,
    at_means,
    certain_moved_thresholds,
    conditions_of,
    gives_terms,
    moved_metrics,
    needs_sampling,
    with_bounds,
)
from .formulation import (
    CUT_TOLERANCE,
    Chance,
    ScenarioNeed,
    efficient_points,
    empirical_floor,
    log_cdf_cuts,
    lowest,
    scenario_rows,
    support_levels,
)
from .options import DEFAULT_SAMPLES, DEFAULT_SEED
from .probability import Acceptance, acceptance, draw
from .scenario_file import read_scenarios

FLOOR = 1e-9
"""A chance below this counts as 0: the highest chance a tier can reach is searched above it."""
COST_CAP_SLACK = 1e-7
"""A package "at the same cost" costs at most this much more (relative): a tenth of the model's tolerance,
so that it still agrees with the cheapest, and above HiGHS's feasibility tolerance."""
NO_PROBING = 1 << 15
"""HiGHS's ``presolve_rule_off`` bit of probing: on a sampled model's chains of level binaries it took
most of the solve (0.4-0.6 s of 1 s at 1,000 scenarios on the flagship) and fixed nothing."""
NO_SUB_MIPS = {"mip_heuristic_run_rins": False, "mip_heuristic_run_rens": False, "mip_allow_restart": False}
"""HiGHS options of the ``exact_tol`` and sampled models: no RINS or RENS sub-MIPs and no restart. On the
flagship they took half of the HiGHS time of a sampled model (1,000 scenarios) and of an ``exact_tol``
model with its cuts, and the answer is still proved optimal without them. The exact discrete model keeps
HiGHS's defaults: it gained nothing measurable, and among packages of equal cost HiGHS then returned one
with a stray 1e-6 of a lever."""
RULED_OUT = (
    "our own red lines (or this tier's certain thresholds) rule it out: no package keeps them, "
    "whatever its uncertain thresholds turn out to be"
)
"""Why a tier has no package at any chance, when dropping its uncertain conditions does not help."""
MAX_ROUNDS = 60
"""Rounds of outer-approximation cuts before a tier is given up as unsettled."""


@dataclass(frozen=True)
class ChanceOptions:
    """How the chance is handled: the scenarios of the sampled method."""

    samples: int = DEFAULT_SAMPLES
    seed: int = DEFAULT_SEED
    scenario_file: Path | None = None
    """The user's own scenarios (``--scenarios``): the sampled method solves over them instead of a draw."""

    def used(self, method: str, scenarios: dict) -> dict:
        """What a run records of its scenarios, and only what it used: the user's file and its rows, or the
        draw's samples and seed; nothing for an exact method. ``method`` is the instance's own
        (:func:`method_of`): when it is sampled, the seed also draws the out-of-sample check of each chance."""
        if self.scenario_file is not None:
            rows = len(next(iter(scenarios.values()))) if scenarios else 0
            out = {"scenarios": str(self.scenario_file), "scenario_rows": rows}
            return out | ({"seed": self.seed} if method == "sampled" else {})
        return {"samples": self.samples, "seed": self.seed} if method == "sampled" else {}

    def words(self, method: str, scenarios: dict) -> str:
        """How the chance was handled, for a headline: the method, or the user's scenarios and the method of
        the chances shown (which the beliefs' laws still give)."""
        if self.scenario_file is None:
            return method
        rows = self.used(method, scenarios)["scenario_rows"]
        return (
            f"solved over the {rows} scenarios of {self.scenario_file.name}; chances {method}, from the beliefs' laws"
        )

    def tier_method(self, instance: Instance, offer: str | None) -> str:
        """How one tier is solved: over the user's scenarios when there is a file, else its own method."""
        return "sampled" if self.scenario_file is not None else tier_method(instance, offer)

    def scenarios(self, instance: Instance, method: str) -> tuple[str, dict]:
        """The method the solve uses, and its scenarios by belief name: the user's file (which makes the
        method sampled), a draw for the sampled method, none otherwise."""
        if self.scenario_file is not None:
            return "sampled", read_scenarios(self.scenario_file, instance)
        return method, draw(instance, self.samples, self.seed) if method == "sampled" else {}


@dataclass
class TierAnswer:
    """One tier's answer: its least-cost package reaching the target, or its most likely package."""

    offer: str | None
    status: Status
    evaluation: Evaluation | None = None
    acceptance: Acceptance | None = None
    at_target: bool = False
    """True when the package was found under P >= target (in-sample for the sampled method)."""
    message: str = ""
    measured: float | None = None
    """The chance as the model measures it (the in-sample share of scenarios met, for the sampled method)."""

    @property
    def objective(self) -> float | None:
        return self.evaluation.objective if self.evaluation else None

    def as_dict(self) -> dict:
        out = {
            "offer": self.offer,
            "status": str(self.status),
            "probability": self.acceptance.probability if self.acceptance else None,
            "objective": self.objective,
            "package": self.evaluation.package.levers() if self.evaluation else {},
            "reaches_target": self.at_target,
            "probability_method": self.acceptance.method if self.acceptance else None,
            "probability_interval": list(self.acceptance.interval)
            if self.acceptance and self.acceptance.interval
            else None,
        }
        return out | {"message": self.message}


@dataclass
class ChanceResult:
    """The answer of ``solve --chance``: the best tier reaching the target, and every tier's table row."""

    status: Status
    target: float
    method: str
    """The method of the chances shown (:func:`method_of`); the solve's own is in ``run["chance"]["method"]``."""
    per_offer: list[TierAnswer]
    best: TierAnswer | None = None
    message: str = ""
    run: dict = field(default_factory=dict)
    instance: Instance | None = None
    """The instance solved: our own uncertain numbers at their means, thresholds as written."""

    @property
    def exit_code(self) -> int:
        return int(self.status.exit_code)

    def to_dict(self) -> dict:
        """The JSON object of ``solve --chance --json`` (the common shape, and the chance's keys)."""
        best = self.best
        acceptance_ = best.acceptance if best else None
        return {
            "status": str(self.status),
            "message": self.message,
            "objective": best.objective if best else None,
            "gap": 0.0 if best and self.status == Status.OPTIMAL else None,
            "offer": best.offer if best else None,
            "package": best.evaluation.package.levers() if best else {},
            "verified": best is not None,
            "probability": acceptance_.probability if acceptance_ else None,
            "probability_method": acceptance_.method if acceptance_ else self.method,
            "probability_interval": list(acceptance_.interval) if acceptance_ and acceptance_.interval else None,
            "target": self.target,
            "target_met": acceptance_.reaches(self.target) if acceptance_ else "no",
            "per_offer": [answer.as_dict() for answer in self.per_offer],
            "run": self.run,
        }


def tier_method(instance: Instance, offer: str | None) -> str:
    """How the chance of one tier is solved: exact (independent discrete beliefs), exact_tol (independent
    log-concave laws) or sampled (:func:`~.conditions.needs_sampling`)."""
    if needs_sampling(instance, offer):
        return "sampled"
    return "exact" if all(c.law.discrete for c in conditions_of(instance, offer)) else "exact_tol"


def method_of(instance: Instance) -> str:
    """The instance's method: sampled when any tier is, else exact_tol when any tier is, else exact."""
    methods = {tier_method(instance, offer) for offer in (list(instance.offer_items) or [None])}
    return next(m for m in ("sampled", "exact_tol", "exact") if m in methods)


def solve_with_chance(
    loaded: LoadedInstance, options: SolveOptions, target: float, chance: ChanceOptions | None = None
) -> ChanceResult:
    """The least-cost package whose chance of acceptance is at least ``target`` (0 < target <= 1)."""
    started = time.perf_counter()
    chance = chance or ChanceOptions()
    means = at_means(loaded)
    instance = means.instance
    own = method_of(instance)
    method, scenarios = chance.scenarios(instance, own)
    per_offer = [
        tier_answer(means, offer, target, chance.tier_method(instance, offer), options, chance.seed, scenarios)
        for offer in (list(instance.offer_items) or [None])
    ]
    reaching = [a for a in per_offer if a.at_target and a.evaluation is not None]
    best = min(reaching, key=lambda a: a.objective, default=None)
    unsettled = [a for a in per_offer if a.status not in (Status.OPTIMAL, Status.INFEASIBLE)]
    if unsettled:
        status = Status.TIME_LIMIT if any(a.status == Status.TIME_LIMIT for a in unsettled) else Status.ERROR
        why: dict[str, list[str]] = {}
        for a in unsettled:
            why.setdefault(a.message, []).append(a.offer or "the package")
        message = f"{len(unsettled)} tier{'s' if len(unsettled) > 1 else ''} could not be settled: " + "; ".join(
            f"{' and '.join(offers)} {reason}" for reason, offers in why.items()
        )
    elif best is None:
        status, message = Status.INFEASIBLE, f"no tier has a package accepted with probability {target:g} or more"
    else:
        status = Status.OPTIMAL
        how = chance.words(own, scenarios)
        message = f"least-cost package accepted with probability at least {target:g} ({how}), verified"
    run = describe_run(loaded, options) | {
        "chance": {"target": target, "method": method, **chance.used(own, scenarios)},
        "total_seconds": time.perf_counter() - started,
    }
    return ChanceResult(status, target, own, per_offer, best, message, run, instance)


def tier_answer(
    loaded: LoadedInstance,
    offer: str | None,
    target: float,
    method: str,
    options: SolveOptions,
    seed: int = DEFAULT_SEED,
    scenarios: dict | None = None,
) -> TierAnswer:
    """One tier: its least-cost package with P >= target, or else its most likely package at least cost."""
    among = conditions_of(loaded.instance, offer)
    tier = TierSolver(loaded, offer, among, method, options, seed, scenarios or {})
    try:
        answer = tier.least_cost(target)
        if answer is not None:
            answer.at_target = True
            return answer
        floor = TierSolver(loaded, offer, among, method, options, seed, scenarios or {}, floor=FLOOR)
        most = floor.most_likely()
        if most is None:
            return TierAnswer(
                offer,
                Status.INFEASIBLE,
                message=RULED_OUT
                if ruled_out(loaded, offer, among, options)
                else "no package within our red lines meets even the least this tier may require (its chance is 0)",
            )
        if method == "sampled":
            answer = floor.least_cost_alone(most.measured)
        else:
            answer = floor.least_cost(most.acceptance.probability)
        if answer is None:
            raise SolveFailed("the most likely package could not be found again at least cost")
        answer.message = f"no package reaches {target:g}; the highest chance is {fmt(answer.acceptance.probability)}"
        return answer
    except SolveFailed as err:
        return TierAnswer(offer, Status.ERROR, message=str(err))
    except _Unsettled as unsettled:
        return TierAnswer(offer, unsettled.run.status, message=unsettled_words(unsettled.run, options))


def unsettled_words(run: SolverRun, options: SolveOptions) -> str:
    """Why HiGHS left a tier open, in words: the time limit (and its seconds), or HiGHS's own reason."""
    if run.status == Status.TIME_LIMIT:
        return f"hit the time limit ({fmt(options.time_limit)} s) before HiGHS proved a least-cost package"
    return f"was left open by HiGHS ({run.message or run.status})"


def ruled_out(loaded: LoadedInstance, offer: str | None, among: list[Condition], options: SolveOptions) -> bool:
    """True when no package of the tier keeps our red lines and meets its certain thresholds even with every
    uncertain condition of the tier dropped: its chance is 0 because of our own limits, not the counterpart's.

    False when beliefs on ``gives`` move what is achieved (the means then settle nothing) or HiGHS cannot tell.
    """
    if moved_metrics(loaded.instance):
        return False
    bench = Workbench(loaded.instance, options)
    if offer is not None:
        bench.add_row(bench.model.granted[offer] == 1)
    for condition in among:
        key = ("offer_requirement", condition.metric) if condition.metric else (condition.row_kind, condition.red_line)
        for row in bench.built.rows(*key):
            bench.remove_row(row)
    return bench.solve().status == Status.INFEASIBLE


class _Unsettled(Exception):
    def __init__(self, run: SolverRun):
        super().__init__(run.message)
        self.run = run


class TierSolver:
    """A workbench for one tier, its uncertain numbers at their floor quantiles, with the chance's rows."""

    def __init__(self, loaded, offer, among, method, options, seed, scenarios, floor: float | None = None):
        self.loaded, self.offer, self.among, self.method, self.seed = loaded, offer, among, method, seed
        self.floor = floor
        self.solves = 0
        self.seconds = 0.0
        """HiGHS time of every solve so far."""
        self._options = options
        self._raw = scenarios if scenarios and method == "sampled" else {}
        """Every belief's sampled numbers, by name (the sampled method; a tier solved exactly ignores the
        scenarios drawn for another tier)."""
        self._scenarios = {c.name: c.law.sign * self._raw[c.name] for c in among} if self._raw else {}
        self._bench: Workbench | None = None
        self._bench_floor: float | None = None

    def least_cost_alone(self, target: float) -> TierAnswer | None:
        """:meth:`least_cost` asked of a solver of its own at the target's floor (its solves counted here):
        for the sampled method its model is the sample's efficient points for that target, or a mixing set
        of only the sampled values above the target's floor, far smaller than one above a low floor."""
        alone = TierSolver(self.loaded, self.offer, self.among, self.method, self._options, self.seed, self._raw)
        try:
            return alone.least_cost(target)
        finally:
            self.solves += alone.solves
            self.seconds += alone.seconds

    def _built(self, floor: float) -> tuple[Workbench, Chance | None]:
        """The workbench at this floor (built once per floor: its hard rows, and the efficient points of a
        solver without a floor of its own, hold for that floor alone)."""
        if self._bench is None or self._bench_floor != floor:
            self._bench_floor = floor
            bounds = {c.path: c.bound_for(self._floor_value(c, floor)) for c in self.among}
            self.instance = with_bounds(self.loaded, bounds).instance
            bench = Workbench(self.instance, self._options)
            if self.method == "sampled":
                bench.persistent.solver.config.solver_options["presolve_rule_off"] = NO_PROBING
            if self.method != "exact":
                bench.persistent.solver.config.solver_options.update(NO_SUB_MIPS)
            if self.offer is not None:
                bench.add_row(bench.model.granted[self.offer] == 1)
            self.checked = self.instance
            """The instance a package is checked against: a threshold judged scenario by scenario is
            lowered to the least its metric can be (:meth:`_moved_needs`)."""
            self._bench, self._chance = bench, self._rows(bench, floor)
        return self._bench, self._chance

    def _floor_value(self, condition: Condition, floor: float) -> float:
        if self._scenarios:
            return empirical_floor(self._scenarios[condition.name], floor)
        return condition.law.quantile(floor)

    def _rows(self, bench: Workbench, floor: float) -> Chance | None:
        if self.method == "sampled":
            moved = moved_metrics(self.instance)
            needs = self._moved_needs(bench, moved)
            fixed = [c for c in self.among if c.metric is None or c.metric not in moved]
            if not fixed and not needs:
                return None
            # One target (a solver without a floor of its own answers a single least-cost question):
            # the sample's efficient points hold it in a few rows where there are not too many.
            one_target = (
                efficient_points(bench, fixed, self._scenarios, floor) if self.floor is None and not needs else None
            )
            return one_target or scenario_rows(bench, fixed, self._scenarios, floor, needs)
        if not self.among:
            return None
        discrete = [c for c in self.among if c.law.discrete]
        continuous = [c for c in self.among if not c.law.discrete]
        parts = [support_levels(bench, discrete, floor)] if discrete else []
        parts += [log_cdf_cuts(bench, continuous, floor)] if continuous else []
        if len(parts) == 1:
            return parts[0]
        return Chance(parts[0].measure + parts[1].measure, parts[1].rhs, parts[1].cut)

    def _moved_needs(self, bench: Workbench, moved: set[str]) -> tuple[ScenarioNeed, ...]:
        """The tier's thresholds on metrics that beliefs on ``gives`` move, judged scenario by scenario.

        Their hard rows go: in a scenario the package achieves its own amount, which no single floor bounds.
        """
        if self.offer is None or not moved:
            return ()
        import numpy as np

        count = len(next(iter(self._raw.values())))
        data = normalised_data(self.instance)
        requires = {c.metric: self._raw[c.name] for c in self.among if c.metric in moved}
        requires |= {m: np.full(count, v) for m, v in certain_moved_thresholds(self.instance, self.offer).items()}
        needs, lowered = [], {}
        for metric, thresholds in sorted(requires.items()):
            shifts = tuple(
                (term.carrier(bench.built), self._raw[term.name] - value_at(data, term.path))
                for term in gives_terms(self.instance)
                if term.metric == metric
            )
            needs.append(ScenarioNeed(metric, thresholds, shifts))
            for row in bench.built.rows("offer_requirement", metric):
                bench.remove_row(row)
            lowered[f"offers.{self.offer}.requires.{metric}"] = lowest(bench, bench.built.achieved(metric))
        self.checked = with_bounds(LoadedInstance(self.instance, self.loaded.document, []), lowered).instance
        return tuple(needs)

    def _solve(self, bench: Workbench) -> SolverRun | None:
        run = bench.solve()
        self.solves += 1
        self.seconds += run.solve_seconds
        if run.status == Status.INFEASIBLE:
            return None
        if run.status != Status.OPTIMAL:
            raise _Unsettled(run)
        return run

    def _answer(self, run: SolverRun) -> TierAnswer:
        package = run.package(self.instance)
        evaluation = evaluate(self.checked, package)
        if evaluation.violations:
            raise SolveFailed(f"HiGHS's package failed the independent check: {'; '.join(evaluation.violations)}")
        # The floor quantiles are the solve's device: the tables show the instance's own thresholds and bounds.
        written = evaluate(self.loaded.instance, package)
        evaluation = replace(evaluation, thresholds=written.thresholds, red_lines=written.red_lines)
        found = acceptance(self.loaded.instance, evaluation, self.offer, seed=self.seed)
        return TierAnswer(self.offer, Status.OPTIMAL, evaluation, found)

    def _values(self, answer: TierAnswer) -> dict[str, float]:
        return {c.name: c.value(answer.evaluation) for c in self.among}

    def _settle(self, bench: Workbench, chance: Chance | None, close_enough) -> TierAnswer | None:
        """Solve, adding log-CDF cuts at each package until ``close_enough(run, answer)``; None when infeasible."""
        for _ in range(MAX_ROUNDS):
            run = self._solve(bench)
            if run is None:
                return None
            answer = self._answer(run)
            answer.measured = run.objective if chance is not None else 1.0
            if chance is None or self.method != "exact_tol" or close_enough(run, answer):
                return answer
            if not chance.cut(self._values(answer)):
                return answer
        raise SolveFailed(f"the log-CDF cuts did not settle within {MAX_ROUNDS} rounds")

    def least_cost(self, target: float) -> TierAnswer | None:
        """The least-cost package with P >= target (to the cut tolerance), or None when none has."""
        bench, chance = self._built(self.floor if self.floor is not None else target)
        row = bench.add_row(chance.measure >= chance.rhs(target)) if chance else None
        try:
            return self._settle(
                bench, chance, lambda run, answer: answer.acceptance.probability >= target - CUT_TOLERANCE
            )
        finally:
            if row is not None:
                bench.remove_row(row)

    def most_likely(self, cost_cap: float | None = None) -> TierAnswer | None:
        """The package of this tier with the highest P (recomputed), at a net cost of at most ``cost_cap``
        when one is given; None when no package has P > 0."""
        bench, chance = self._built(self.floor)
        cap = (
            bench.add_row(bench.model.net_cost.expr <= cost_cap + COST_CAP_SLACK * max(1.0, abs(cost_cap)))
            if cost_cap is not None
            else None
        )
        if chance is not None:
            bench.set_objective(chance.measure, sense=pyo.maximize)
        try:
            return self._settle(
                bench,
                chance,
                lambda run, answer: math.exp(min(0.0, run.objective)) - answer.acceptance.probability <= CUT_TOLERANCE,
            )
        finally:
            if chance is not None:
                bench.restore_objective()
            if cap is not None:
                bench.remove_row(cap)
