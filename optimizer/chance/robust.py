r"""``--robust``: solve against the uncertain numbers at their worst, then say how likely the answer is accepted.

- ``box[:q]`` puts every uncertain threshold and red-line bound at the q-quantile of its worst side
  (by default the worst value of its support; q = 0.95 for an unbounded law), and solves.
- ``budget:G`` (Bertsimas–Sim) protects every metric's threshold rows against any G of the beliefs on
  ``levers.*.gives.*`` of that metric falling to their low end (the 5% quantile of an unbounded law).

Our own coefficients stay at their means. The package's P(accept) is recomputed per tier
(:func:`.probability.acceptance_of`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pyomo.core as pyo

from ..api import check, describe_run, solve_loaded
from ..errors import InputError, Problem
from ..explain.workbench import Workbench
from ..instance import LoadedInstance
from ..result import Result
from ..solver import SolveOptions
from .conditions import at_means, conditions, gives_beliefs, gives_terms, with_bounds
from .laws import Law, mean
from .probability import acceptance_of

UNBOUNDED_QUANTILE = 0.95
SPEC = re.compile(r"box(:(?P<q>[0-9.eE+-]+))?|budget:(?P<g>[0-9]+)")


@dataclass
class RobustResult:
    """A robust solve's result, and the chance that each tier is granted to its package."""

    spec: str
    result: Result
    per_offer: list[dict]

    @property
    def exit_code(self) -> int:
        return int(self.result.exit_code)

    def to_dict(self) -> dict:
        out = self.result.to_dict()
        mine = next((row for row in self.per_offer if row["offer"] == self.result.offer), None)
        return out | {
            "robust": self.spec,
            "probability": mine["probability"] if mine else None,
            "probability_method": mine["probability_method"] if mine else None,
            "probability_interval": mine["probability_interval"] if mine else None,
            "target": None,  # a robust solve has no chance target: the keys of --chance, empty
            "target_met": None,
            "per_offer": self.per_offer,
        }


def parse_robust(spec: str, command: str = "solve") -> tuple[str, float]:
    """("box", q or 0 for the default) or ("budget", G); raises InputError for anything else, placed at
    ``command``'s option --robust ("solve: --robust: ...")."""
    match = SPEC.fullmatch(spec.strip())
    q = match["q"] if match else None
    if match is None or (q is not None and not 0 < _float(q) <= 1):
        raise InputError([Problem(command, None, "--robust", f"'{spec}' is not box, box:q (0 < q <= 1) or budget:G")])
    if match["g"] is not None:
        return "budget", float(match["g"])
    return "box", _float(q) if q is not None else 0.0


def _float(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        return -1.0


def solve_robust(loaded: LoadedInstance, options: SolveOptions, spec: str) -> RobustResult:
    """Solve with ``--robust spec`` and recompute the package's chance of acceptance per tier."""
    mode, value = parse_robust(spec)
    means = at_means(loaded)
    if mode == "box":
        result = solve_loaded(with_bounds(means, box_bounds(means, value)), options)
    else:
        result = _budget(means, options, int(value))
    per_offer = acceptance_of(loaded.instance, result.package)["per_offer"] if result.verified else []
    return RobustResult(spec, result, per_offer)


def box_bounds(loaded: LoadedInstance, q: float) -> dict[str, float]:
    """Every uncertain threshold and red-line bound at the q-quantile of its worst side (q = 0: the default)."""
    bounds = {}
    for condition in conditions(loaded.instance):
        law = condition.law
        worst = law.quantile(1.0) if q == 0 else law.quantile(q)
        if q == 0 and not abs(worst) < float("inf"):
            worst = law.quantile(UNBOUNDED_QUANTILE)
        bounds[condition.path] = condition.bound_for(worst)
    return bounds


def _budget(loaded: LoadedInstance, options: SolveOptions, budget: int) -> Result:
    beliefs = gives_beliefs(loaded.instance)
    if not beliefs:
        raise InputError(
            [
                Problem(
                    loaded.file, None, "beliefs", "--robust budget:G needs beliefs on levers.*.gives.*; there are none"
                )
            ]
        )
    bench = Workbench(loaded.instance, options)
    by_metric: dict[str, list] = {}
    for term in gives_terms(loaded.instance):
        belief = beliefs[term.name]
        law = Law(belief)
        low = law.lowest() if law.lowest() > float("-inf") else law.quantile(1 - UNBOUNDED_QUANTILE)
        deviation = max(0.0, mean(belief) - low)
        by_metric.setdefault(term.metric, []).append((term.name, deviation, term.carrier(bench.built)))
    for metric, items in by_metric.items():
        protect_metric(bench, metric, items, budget)
    run = bench.solve()
    result = check(loaded.instance, run)
    result.run = describe_run(loaded, options) | {"solve_seconds": run.solve_seconds, "robust": f"budget:{budget}"}
    return result


def protect_metric(bench: Workbench, metric: str, items: list, budget: int) -> None:
    r"""Bertsimas–Sim protection of a metric's threshold rows against ``budget`` coefficients at their low end.

    With deviation :math:`d_g \ge 0` of each uncertain coefficient and its variable :math:`x_g \ge 0`:

    .. math::
        achieved_m - \Gamma \lambda_m - \sum_g \pi_g \ge rhs, \qquad
        \lambda_m + \pi_g \ge d_g x_g, \qquad \lambda_m, \pi_g \ge 0
    """
    m = bench.model
    lam = pyo.Var(domain=pyo.NonNegativeReals)
    pi = pyo.Var([name for name, _, _ in items], domain=pyo.NonNegativeReals)
    m.add_component(f"robust_lambda_{metric}", lam)
    m.add_component(f"robust_pi_{metric}", pi)
    for name, deviation, carrier in items:
        bench.add_row(lam + pi[name] >= deviation * carrier)
    protection = budget * lam + sum(pi.values())
    for kind in ("offer_requirement", "demand"):
        for row in bench.built.rows(kind, metric):
            bench.remove_row(row)
            if row.upper is not None:  # written as requires - achieved <= 0
                bench.add_row(row.body + protection <= row.upper)
            else:
                bench.add_row(row.body - protection >= row.lower)
