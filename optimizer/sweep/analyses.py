"""What the ``options:`` block adds to a scenario: a solve under a chance or robustly, and analysis columns.

Each goes through the same Python functions as the command line, on the scenario's instance:

- ``chance`` solves as ``dealopt solve --chance``, ``robust`` as ``dealopt solve --robust``, both
  through :func:`optimizer.chance.uncertain.solve_uncertain`; the answer's recomputed chance of
  acceptance goes to the ``chance:<field>`` columns (:data:`CHANCE_FIELDS`);
- ``frontier`` runs ``dealopt frontier`` (:func:`optimizer.frontier.analysis.analyse`) and records
  its summary (:func:`optimizer.frontier.summary.frontier_summary`) as ``frontier:<name>``
  columns (:data:`~.spec.FRONTIER_COLUMNS`);
- ``sensitivity`` runs ``dealopt sensitivity --path`` (:func:`optimizer.sensitivity.analysis.analyse`)
  and records ``sensitivity:<path>:<field>`` (:data:`SENSITIVITY_FIELDS`) for each path.

The frontier and sensitivity columns describe the scenario's instance as written (every
number at its value), whatever ``chance`` or ``robust`` say: both analyses are of the
deterministic model, as their commands are.
"""

from __future__ import annotations

from typing import Any

from ..contract import CHANCE, FRONTIER, SENSITIVITY
from ..instance import LoadedInstance
from ..result import Result
from ..solver import SolveOptions
from .spec import Options

CHANCE_FIELDS = ("probability", "method", "interval_low", "interval_high", "target_met")
"""The ``chance:<field>`` columns: the recomputed P(accept) of the answer, its method (exact, exact_tol,
sampled), the ends of its 95% Clopper–Pearson interval (sampled only), and whether it meets the target."""
SENSITIVITY_FIELDS = ("low", "high", "low_end", "high_end", "change_beyond_low", "change_beyond_high", "solves")
"""The ``sensitivity:<path>:<field>`` columns, as ``sensitivity.parquet`` names them: the interval's ends,
each end's type, what the recommendation becomes beyond each end, and the verified solves it took.
An end at no limit at all (±inf) is empty, as in ``sensitivity.parquet``."""


def extra_columns(options: list[Options]) -> list[str]:
    """The columns the options of a sweep's scenarios add to its scenarios table, in order."""
    fixed = options[0]
    columns = []
    if any(o.chance is not None or o.robust is not None for o in options):
        columns += [CHANCE + name for name in CHANCE_FIELDS]
    columns += [FRONTIER + name for name in fixed.frontier_columns()]
    columns += [f"{SENSITIVITY}{path}:{name}" for path in fixed.sensitivity for name in SENSITIVITY_FIELDS]
    return columns


def solve_under_options(loaded: LoadedInstance, solve_options: SolveOptions, options: Options) -> tuple[Result, dict]:
    """The scenario solved under ``chance`` or ``robust``, as a verified Result, and its ``chance:`` columns."""
    from ..chance.solve import ChanceOptions
    from ..chance.uncertain import solve_uncertain as solve

    answer = solve(
        loaded,
        solve_options,
        chance=options.chance,
        robust=options.robust,
        sampling=ChanceOptions(options.samples, options.seed),
    )
    interval = answer.probability_interval or (None, None)
    values = (answer.probability, answer.probability_method, *interval, answer.target_met)
    result = answer.result
    seconds = result.run.get("solve_seconds", result.run.get("total_seconds", 0.0))
    result.run = result.run | {"solve_seconds": seconds}
    return result, {CHANCE + name: value for name, value in zip(CHANCE_FIELDS, values, strict=True)}


def analysis_columns(loaded: LoadedInstance, solve_options: SolveOptions, options: Options) -> dict[str, Any]:
    """The ``frontier:`` and ``sensitivity:`` columns of one scenario (none when the options ask for neither)."""
    columns: dict[str, Any] = {}
    wanted = options.frontier_columns()
    if wanted:
        summary = frontier_columns(loaded, solve_options)
        columns |= {FRONTIER + name: summary[name] for name in wanted}
    if options.sensitivity:
        columns |= sensitivity_columns(loaded, solve_options, options.sensitivity)
    return columns


def frontier_columns(loaded: LoadedInstance, solve_options: SolveOptions) -> dict[str, Any]:
    """The frontier summary of one instance (:func:`optimizer.frontier.summary.frontier_summary`), full precision."""
    from ..frontier.analysis import analyse
    from ..frontier.summary import frontier_summary

    return frontier_summary(analyse(loaded, solve_options, per_tier=False))


def sensitivity_columns(loaded: LoadedInstance, solve_options: SolveOptions, paths: list[str]) -> dict[str, Any]:
    """The interval of each path in one instance, as ``sensitivity.parquet`` has it (full precision)."""
    from ..sensitivity.analysis import analyse
    from ..sensitivity.outputs import interval_record

    found = analyse(loaded, list(paths), solve_options)
    columns: dict[str, Any] = {}
    for interval in found.intervals:
        record = interval_record(found, interval)
        values = {
            "low": record["low"]["value"],
            "high": record["high"]["value"],
            "low_end": record["low"]["type"],
            "high_end": record["high"]["type"],
            "change_beyond_low": record["low"]["change_beyond"],
            "change_beyond_high": record["high"]["change_beyond"],
            "solves": interval.solves,
        }
        columns |= {f"{SENSITIVITY}{interval.path}:{name}": values[name] for name in SENSITIVITY_FIELDS}
    return columns
