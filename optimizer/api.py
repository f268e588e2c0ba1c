"""The Python API: load → validate → build → solve → verify → tabulate → save.

The CLI and the sweep runner are thin layers over these functions::

    from optimizer import solve
    result = solve("instances/tutorial.yaml", overrides=[("constituencies.farmers.weight", 4)])
    result.status, result.objective, result.tables["package"]
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from . import __version__
from .errors import InputError
from .evaluate import evaluate
from .instance import LoadedInstance, apply_overrides, content_hash, load
from .kinds import lever_kind, red_line_kind
from .package import Package
from .result import Result
from .schema import Instance
from .solver import SOLVER_NAME, PersistentModel, SolveOptions, SolverRun, solver_version
from .status import Status
from .tolerance import objectives_agree, tolerance
from .yamlfile import Document

PROVED_GAP = 1e-6
"""A relative gap above this is reported in the message of an 'optimal' answer: it was a --gap choice."""


def solve(
    source: str | Path | Mapping | Instance | LoadedInstance,
    overrides: Iterable[tuple[str, Any]] = (),
    *,
    time_limit: float | None = None,
    gap: float = 1e-9,
    seed: int = 0,
) -> Result:
    """Solve an instance (a YAML path, a dict, or an already loaded instance).

    Bad input does not raise: it returns a Result with status ``invalid`` and
    its ``errors``. Use :func:`optimizer.load_instance` to get the exception.
    """
    started = time.perf_counter()
    try:
        loaded = _loaded(source, overrides)
    except InputError as err:
        return invalid_result(err)
    result = solve_loaded(loaded, SolveOptions(time_limit=time_limit, gap=gap, seed=seed))
    result.run["total_seconds"] = time.perf_counter() - started
    return result


def _loaded(source, overrides) -> LoadedInstance:
    overrides = tuple(overrides)
    if isinstance(source, Instance):
        source = LoadedInstance(source, Document({}, {}, "<instance>"), [])
    if isinstance(source, LoadedInstance):
        return apply_overrides(source, overrides) if overrides else source
    return load(source, overrides)


def solve_loaded(loaded: LoadedInstance, options: SolveOptions, model: PersistentModel | None = None) -> Result:
    """Solve a validated instance, reusing ``model`` (updated in place) when one is given."""
    instance = loaded.instance
    started_at = datetime.now(UTC).isoformat(timespec="seconds")
    if not instance.levers:
        result = _enumerate_offers(instance)
    else:
        if model is None:
            model = PersistentModel(instance)
        else:
            model.update(instance)
        result = check(instance, model.solve(options))
    result.warnings = loaded.warnings
    result.run = describe_run(loaded, options) | {
        "started_at": started_at,
        "solve_seconds": result.run.get("solve_seconds", 0.0),
    }
    return result


def describe_run(loaded: LoadedInstance, options: SolveOptions) -> dict:
    """The ``run`` of a JSON answer: dealopt's version, the solver and its options, the instance and its overrides."""
    instance = loaded.instance
    if instance.levers:
        solver = {"name": SOLVER_NAME, "version": solver_version(), "options": options.as_dict()}
    else:
        solver = {"name": "enumeration", "version": __version__, "options": {}}
    return {
        "dealopt_version": __version__,
        "solver": solver,
        "instance": {
            "name": instance.name,
            "file": loaded.file,
            "content_hash": content_hash(instance),
            "overrides": [f"{path}={value}" for path, value in loaded.overrides],
        },
    }


def check(instance: Instance, run: SolverRun) -> Result:
    """Turn a solver run into a Result, verifying its package against the instance in plain Python."""
    result = Result(instance, run.status, gap=run.gap, run={"solve_seconds": run.solve_seconds})
    if run.status == Status.INFEASIBLE:
        result.message = "no acceptable package: no package meets every threshold without crossing a red line"
        result.reasons = unreachable_thresholds(instance)
        return result
    if not run.has_solution:
        result.message = (
            "the time limit ran out before any acceptable package was found"
            if run.status == Status.TIME_LIMIT
            else f"the solver failed ({run.message})"
        )
        return result
    evaluation = evaluate(instance, run.package(instance))
    result.evaluation = evaluation
    problems = list(evaluation.violations)
    if run.status == Status.OPTIMAL and not objectives_agree(evaluation.objective, run.objective):
        problems.append(f"objective recomputed as {evaluation.objective:.10g}, solver said {run.objective:.10g}")
    if run.status == Status.TIME_LIMIT and evaluation.objective > run.objective + tolerance(run.objective):
        problems.append(f"objective recomputed as {evaluation.objective:.10g}, above the solver's {run.objective:.10g}")
    if problems:
        result.status = Status.ERROR
        result.message = "the solver's package failed the independent check; it is not reported as a result"
        result.reasons = problems
        return result
    result.objective = evaluation.objective
    result.verified = True
    if run.status == Status.TIME_LIMIT:
        gap = "unknown" if run.gap is None else f"{run.gap:.3g}"
        result.message = f"time limit reached: best package found so far, relative gap {gap}"
    elif run.gap is not None and run.gap > PROVED_GAP:
        result.message = (
            f"optimal within the relative gap {run.gap:.3g} that --gap allows, and verified; a better package may exist"
        )
    else:
        result.message = "optimal package found and verified"
    return result


def _enumerate_offers(instance: Instance) -> Result:
    """With no levers, the only choice is the offer: evaluate each in plain Python."""
    candidates = [evaluate(instance, Package.empty(instance, t)) for t in (instance.offer_items or [None])]
    acceptable = [e for e in candidates if e.exactly_acceptable]  # as HiGHS would judge them
    if not acceptable:
        return Result(
            instance,
            Status.INFEASIBLE,
            message="no acceptable package: with no levers, no offer's thresholds and red lines can be met",
            reasons=sorted({v for e in candidates for v in e.violations}),
        )
    best = min(acceptable, key=lambda e: e.objective)
    return Result(
        instance,
        Status.OPTIMAL,
        objective=best.objective,
        gap=0.0,
        evaluation=best,
        verified=True,
        message="optimal (no levers: every offer was evaluated)",
    )


def unreachable_thresholds(instance: Instance) -> list[str]:
    """Thresholds that no package could reach even with every allowed lever at its best."""
    forbidden = {j for line in instance.red_lines for j in red_line_kind(line).forbidden(line)}
    allowed = {j: lv for j, lv in instance.levers.items() if j not in forbidden}

    def reach(metric: str) -> float:
        return sum(lever_kind(lever).gives_range(lever, metric)[1] for lever in allowed.values())

    reasons = []
    for metric, demand in instance.demands.items():
        if reach(metric) < demand - tolerance(demand):
            reasons.append(
                f"demand {metric} >= {demand:g} is out of reach: every allowed lever together gives at most {reach(metric):g}"
            )
    for name, offer in instance.offer_items.items():
        short = [(m, v) for m, v in offer.requires.items() if reach(m) < v - tolerance(v)]
        for metric, value in short:
            reasons.append(
                f"offer {name} needs {metric} >= {value:g}, but every allowed lever together gives at most {reach(metric):g}"
            )
    if not reasons:
        reasons.append(
            "each threshold is reachable on its own: they conflict with each other or with the red lines in combination"
        )
    return reasons


def invalid_result(err: InputError) -> Result:
    """The Result of input that was rejected before anything was solved."""
    return Result(None, Status.INVALID, message="the input was rejected", errors=err.problems)
