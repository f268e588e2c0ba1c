"""The frontier analysis of an instance by the issue-by-issue merge, when its structure allows it.

The merge (:mod:`optimizer.genius.merge`) applies when every lever is a *required* choice lever
(one value per issue), there are no offers and no demands, the counterpart's value is linear in
the metrics, there is one constituency with a positive weight, and the only red lines cap that
constituency's cost. Each option then adds a fixed (ours, theirs) pair and the caps are a floor
on ours, applied to the merged frontier. Anything else goes to the general epsilon-constraint
MILP walk of :func:`optimizer.frontier.analyse`.

Each reported point's package is rebuilt from its choices and checked by
:func:`optimizer.evaluate.evaluate`; its values are recomputed in plain Python and must agree
with the merge's to the model's tolerance, or the analysis fails.
"""

from __future__ import annotations

import numpy as np

from ..evaluate import evaluate
from ..explain.workbench import SolveFailed
from ..frontier.analysis import FrontierAnalysis, analyse
from ..frontier.bargaining import bargain
from ..frontier.disagreement import Disagreement
from ..frontier.oracle import Found
from ..frontier.values import Values, counterpart_of, values_of
from ..frontier.walk import DEFAULT_MAX_POINTS, Frontier, Point
from ..instance import LoadedInstance
from ..kinds import red_line_kind
from ..package import Package
from ..schema import Instance
from ..solver import SolveOptions
from ..tolerance import tolerance
from .merge import TIE, MergedFrontier, merge_frontier


def mergeable(instance: Instance) -> bool:
    """True when the instance is an additive discrete domain the merge solves exactly (see the module)."""
    levers = instance.levers.values()
    weights = [c.weight for c in instance.constituencies.values()]
    caps = [red_line_kind(line).cap(line) for line in instance.red_lines]
    return (
        instance.counterpart is not None
        and instance.counterpart.disagreement is not None
        and not instance.offers
        and not instance.demands
        and len(weights) == 1
        and weights[0] > 0
        and all(lever.kind == "choice" and lever.required for lever in levers)
        and all(cap is not None for cap in caps)
    )


def contributions(instance: Instance) -> list[tuple[np.ndarray, np.ndarray]]:
    """Per choice lever, the (ours, theirs) each of its options adds."""
    weight = next(iter(instance.constituencies.values())).weight
    value = instance.counterpart.value
    out = []
    for lever in instance.levers.values():
        ours = [-weight * sum(option.costs.values()) for option in lever.options.values()]
        theirs = [sum(value.get(m, 0.0) * g for m, g in option.gives.items()) for option in lever.options.values()]
        out.append((np.array(ours), np.array(theirs)))
    return out


def outcome_count(instance: Instance) -> int:
    """The number of outcomes of a domain of required choice levers (the product of the option counts).

    Other levers add no outcome: a rectangle lever follows the choices.
    """
    count = 1
    for lever in instance.levers.values():
        count *= len(lever.options) if lever.kind == "choice" else 1
    return count


def _floor_on_ours(instance: Instance) -> float:
    """The least ours the cost caps allow: ours = -weight * cost, so cost <= max means ours >= -weight * max."""
    weight = next(iter(instance.constituencies.values())).weight
    caps = [red_line_kind(line).cap(line)[1] for line in instance.red_lines]
    return -weight * min(caps) if caps else -np.inf


def _spread(count: int, theirs: np.ndarray, max_points: int) -> np.ndarray:
    """Indices of at most ``max_points`` points spread evenly in theirs (both ends kept)."""
    if count <= max_points:
        return np.arange(count)
    targets = np.linspace(theirs[0], theirs[-1], max_points)
    picked = np.unique(np.clip(np.searchsorted(theirs, targets), 0, count - 1))
    return picked


def _found(instance: Instance, lever_names: list[str], choices: np.ndarray, ours: float, theirs: float) -> Found:
    options = [list(instance.levers[j].options) for j in lever_names]
    package = Package(
        used={},
        amount={},
        picked={j: (options[i][int(c)],) for i, (j, c) in enumerate(zip(lever_names, choices, strict=True))},
        granted=(),
    )
    evaluation = evaluate(instance, package)
    if evaluation.violations:
        raise SolveFailed(f"a merged frontier package failed the independent check: {'; '.join(evaluation.violations)}")
    values = values_of(instance, evaluation)
    if abs(values.ours - ours) > tolerance(ours) or abs(values.theirs - theirs) > tolerance(theirs):
        raise SolveFailed("a merged frontier point's values disagree with the plain-Python check")
    return Found(package, evaluation, values, ours)


class _MergedPoint:
    """A point of the merged frontier whose package is rebuilt and checked only when asked for."""

    closed = True

    def __init__(self, instance: Instance, lever_names: list[str], choices: np.ndarray, ours: float, theirs: float):
        self.ours, self.theirs = ours, theirs
        self._make = lambda: _found(instance, lever_names, choices, ours, theirs)
        self._found: Found | None = None

    @property
    def found(self) -> Found:
        if self._found is None:
            self._found = self._make()
        return self._found


def merged_analysis(loaded: LoadedInstance, max_points: int = DEFAULT_MAX_POINTS) -> tuple[FrontierAnalysis, dict]:
    """The frontier analysis by the merge, and what it adds to the summary (outcomes, frontier size, method)."""
    instance = loaded.instance
    counterpart = counterpart_of(loaded)
    merged: MergedFrontier = merge_frontier(contributions(instance))
    keep = merged.ours >= _floor_on_ours(instance) - TIE * np.maximum(1.0, np.abs(merged.ours))
    ours, theirs, choices = merged.ours[keep], merged.theirs[keep], merged.choices[keep]
    names = list(instance.levers)
    every = [_MergedPoint(instance, names, choices[i], float(ours[i]), float(theirs[i])) for i in range(len(ours))]
    shown = _spread(len(ours), theirs, max_points)
    frontier = Frontier(resolution=TIE, complete=len(shown) == len(ours))
    frontier.points = [Point(every[i].found) for i in shown]
    if not frontier.complete:
        gaps = np.diff(theirs[shown])
        widest = int(np.argmax(gaps))
        frontier.largest_gap = (float(theirs[shown][widest]), float(theirs[shown][widest + 1]))
    d = counterpart.disagreement
    disagreement = Disagreement(Values(d.ours, d.theirs), "counterpart.disagreement")
    # the bargaining solutions are taken over the whole merged frontier, not only the points shown
    whole = Frontier(points=every, resolution=TIE)
    analysis = FrontierAnalysis(loaded, disagreement, frontier, bargain(whole, disagreement), milps=0, lps=0)
    extra = {
        "method": "merge",
        "outcomes": outcome_count(instance),
        "frontier_size": int(len(ours)),
        "largest_partial_set": merged.largest_set,
    }
    return analysis, extra


def best_analysis(
    loaded: LoadedInstance, options: SolveOptions, max_points: int = DEFAULT_MAX_POINTS
) -> tuple[FrontierAnalysis, dict]:
    """The merge for additive discrete domains, the epsilon-constraint MILP walk otherwise.

    Either way the summary gains the method, the number of outcomes and the frontier's size; on the
    walk, outcomes is None when a lever is not a required choice (or rectangle) lever, and the size
    is None when the frontier is partial or has segments (infinitely many points).
    """
    if mergeable(loaded.instance):
        return merged_analysis(loaded, max_points)
    analysis = analyse(loaded, options, max_points=max_points)
    frontier = analysis.frontier
    countable = all(
        (lever.kind == "choice" and lever.required) or lever.kind == "rectangle"
        for lever in loaded.instance.levers.values()
    )
    extra = {
        "method": "milp-walk",
        "outcomes": outcome_count(loaded.instance) if countable else None,
        "frontier_size": len(frontier.points) if frontier.complete and not frontier.segments else None,
    }
    return analysis, extra
