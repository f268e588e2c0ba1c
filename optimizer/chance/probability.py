r"""P(accept | package, tier), recomputed in plain Python from a rounded package, never from the solver.

The counterpart grants tier T when every threshold of T is met, and the package keeps every red
line whose bound is uncertain (:mod:`.conditions`). A threshold of T without a belief is certain:
a package that misses it has P = 0.

- **exact**: independent beliefs, none on ``gives``: :math:`P = \prod_i F_{Y_i}(z_i)`.
- **sampled**: a Gaussian copula, beliefs on ``gives``, or a law with no log-concave CDF: a fresh
  out-of-sample draw of :data:`OUT_OF_SAMPLE` scenarios, with its Clopper–Pearson 95% interval.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..evaluate import Evaluation, evaluate
from ..package import Package
from ..paths import normalised_data, value_at
from ..schema import Instance
from ..tolerance import REL_TOL, tolerance
from .conditions import (
    Condition,
    beliefs_of,
    certain_moved_thresholds,
    conditions_of,
    correlation_of,
    gives_terms,
    moved_metrics,
    needs_sampling,
)
from .laws import Law

OUT_OF_SAMPLE = 10_000
"""Scenarios of the out-of-sample draw that a sampled probability is reported from."""
OUT_OF_SAMPLE_SEED_OFFSET = 1_000_003
"""The out-of-sample draw uses seed + this, so it never repeats the scenarios a solve was given."""
CONFIDENCE = 0.95


@dataclass(frozen=True)
class Acceptance:
    """The chance that one tier is granted to a package."""

    offer: str | None
    probability: float
    method: str
    """exact, exact_tol or sampled."""
    interval: tuple[float, float] | None = None
    """Clopper–Pearson 95% interval of a sampled probability."""
    samples: int = 0

    def reaches(self, target: float) -> str:
        """yes, no or uncertain: whether the probability is at least ``target``."""
        if self.interval is None:
            slack = 1e-6 if self.method == "exact_tol" else 1e-9
            return "yes" if self.probability >= target - slack else "no"
        low, high = self.interval
        return "yes" if low >= target else "no" if high < target else "uncertain"

    def as_dict(self) -> dict:
        return {
            "offer": self.offer,
            "probability": self.probability,
            "probability_method": self.method,
            "probability_interval": list(self.interval) if self.interval else None,
        }


def acceptance(instance: Instance, evaluation: Evaluation, offer: str | None, *, seed: int = 0) -> Acceptance:
    """P(accept | package, offer) for the package of ``evaluation`` (its granted offer need not be ``offer``),
    labelled by how its tier is solved: exact (discrete laws), exact_tol (continuous laws: a product of
    CDFs, the tier's solve exact to 1e-6) or sampled."""
    if not certain_thresholds_met(instance, evaluation, offer):
        return Acceptance(offer, 0.0, "exact")
    among = conditions_of(instance, offer)
    if needs_sampling(instance, offer) is None:
        method = "exact" if all(c.law.discrete for c in among) else "exact_tol"
        return Acceptance(offer, float(math.prod(c.law.cdf(c.value(evaluation)) for c in among)), method)
    met = scenarios_met(
        instance, evaluation, among, draw(instance, OUT_OF_SAMPLE, seed + OUT_OF_SAMPLE_SEED_OFFSET), offer
    )
    count = int(met.sum())
    return Acceptance(offer, count / OUT_OF_SAMPLE, "sampled", clopper_pearson(count, OUT_OF_SAMPLE), OUT_OF_SAMPLE)


def certain_thresholds_met(instance: Instance, evaluation: Evaluation, offer: str | None) -> bool:
    """Every threshold of ``offer`` that carries no belief is met (within the model's tolerance)."""
    if offer is None:
        return True
    judged_elsewhere = {c.metric for c in conditions_of(instance, offer) if c.offer == offer} | moved_metrics(instance)
    requires = instance.offer_items[offer].requires
    return all(evaluation.achieved[m] >= v - tolerance(v) for m, v in requires.items() if m not in judged_elsewhere)


def acceptance_of(instance: Instance, package: Package, *, seed: int = 0) -> dict:
    """P(accept) of ``package`` for every tier, as the JSON list ``per_offer`` of a plain solve states it."""
    evaluation = evaluate(instance, package)
    offers = list(instance.offer_items) or [None]
    return {"per_offer": [acceptance(instance, evaluation, t, seed=seed).as_dict() for t in offers]}


def draw(instance: Instance, count: int, seed: int) -> dict:
    """``count`` joint scenarios of every belief's number θ (a Gaussian copula where one is given), by name."""
    import numpy as np
    from scipy import stats

    rng = np.random.default_rng(seed)
    beliefs = beliefs_of(instance)
    names = list(beliefs)
    normals = rng.standard_normal((count, len(names)))
    correlation = correlation_of(instance)
    if correlation is not None:
        index = [names.index(n) for n in correlation.names]
        values, vectors = np.linalg.eigh(np.array(correlation.matrix))
        root = vectors * np.sqrt(np.clip(values, 0, None))
        normals[:, index] = normals[:, index] @ root.T
    uniforms = np.clip(stats.norm.cdf(normals), 1e-15, 1 - 1e-15)
    return {name: Law(beliefs[name]).from_uniform(uniforms[:, i]) for i, name in enumerate(names)}


def scenarios_met(
    instance: Instance, evaluation: Evaluation, among: list[Condition], scenarios: dict, offer: str | None = None
):
    """A boolean array: in which scenarios every condition holds, and every certain threshold of ``offer``
    on a metric that beliefs on ``gives`` move (what is achieved moving with ``gives``)."""
    import numpy as np

    count = len(next(iter(scenarios.values()))) if scenarios else 0
    met = np.ones(count, dtype=bool)
    moved = achieved_moves(instance, evaluation.package, scenarios)
    for condition in among:
        z = condition.value(evaluation) + (moved.get(condition.metric, 0.0) if condition.metric else 0.0)
        y = condition.law.sign * scenarios[condition.name]
        met &= z >= (y - REL_TOL * np.maximum(1.0, np.abs(y)) if condition.law.discrete else y)
    for metric, value in certain_moved_thresholds(instance, offer).items():
        met &= evaluation.achieved[metric] + moved.get(metric, 0.0) >= value - tolerance(value)
    return met


def achieved_moves(instance: Instance, package: Package, scenarios: dict) -> dict:
    """Metric -> how far each scenario's ``gives`` move what the package achieves from the instance's numbers."""
    moved: dict = {}
    data = normalised_data(instance)
    for term in gives_terms(instance):
        shift = term.scale(package) * (scenarios[term.name] - value_at(data, term.path))
        moved[term.metric] = moved.get(term.metric, 0.0) + shift
    return moved


def clopper_pearson(successes: int, trials: int, confidence: float = CONFIDENCE) -> tuple[float, float]:
    """The exact (Clopper–Pearson) interval of a binomial proportion."""
    from scipy import stats

    alpha = 1 - confidence
    low = 0.0 if successes == 0 else float(stats.beta.ppf(alpha / 2, successes, trials - successes + 1))
    high = 1.0 if successes == trials else float(stats.beta.ppf(1 - alpha / 2, successes + 1, trials - successes))
    return low, high
