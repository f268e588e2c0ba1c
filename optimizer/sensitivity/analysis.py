"""The sensitivity analysis: for each number, the interval over which the recommendation holds.

:func:`analyse` solves the instance once, then for each number (its judgements, or the paths
asked for) finds both ends of the interval in which the number can move, all else fixed,
before the recommendation (:mod:`.recommendation`) changes; how is in :mod:`.search`. Every
solve is verified by :func:`optimizer.evaluate.evaluate`; one that proves neither an optimum
nor infeasibility stops the analysis with :class:`~.search.SensitivityError`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..instance import LoadedInstance
from ..kinds import lever_kind
from ..paths import model_numbers
from ..schema import Instance
from ..solver import SolveOptions
from .numbers import Skipped, judged_numbers, objective_only_paths, requested_numbers, validity
from .recommendation import Recommendation
from .search import End, Probe, Prober, find_end


@dataclass
class Interval:
    """How far one number can move, all else fixed, before the recommendation changes."""

    path: str
    value: float
    recommendation: Recommendation
    cost: float | None
    """The objective at the number's value (None when nothing is acceptable)."""
    low: End
    high: End
    objective_only: bool
    """True when the number enters only the objective: its ends are exact crossings of cost lines."""
    whole: bool
    """True when the number takes whole values only."""
    amounts: dict[str, tuple[float, float]]
    """Continuous lever -> (least, most) amount over the verified solves inside the interval."""
    solves: int

    @property
    def relative_width(self) -> float:
        """The interval's width as a share of max(1, |value|): how tight the guess must be."""
        return (self.high.value - self.low.value) / max(1.0, abs(self.value))


@dataclass
class Sensitivity:
    """Every interval of one instance, the numbers left out, and how many solves it took."""

    loaded: LoadedInstance
    options: SolveOptions
    intervals: list[Interval] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)

    @property
    def instance(self) -> Instance:
        return self.loaded.instance

    @property
    def solves(self) -> int:
        return sum(interval.solves for interval in self.intervals)


def analyse(loaded: LoadedInstance, paths: list[str] | None = None, options: SolveOptions | None = None) -> Sensitivity:
    """The interval of each number at ``paths`` (default: every judgement of the provenance)."""
    from ..sweep.resolver import ScenarioModel

    options = options or SolveOptions()
    instance = loaded.instance
    if paths:
        chosen, skipped = requested_numbers(loaded, paths), []
    else:
        chosen, skipped = judged_numbers(instance)
    found = Sensitivity(loaded, options, skipped=skipped)
    if not chosen or not instance.levers:
        found.skipped += [Skipped(path, "the instance has no levers: there is no package to change") for path in chosen]
        return found
    model = ScenarioModel(instance)
    objective_only = objective_only_paths(model.built)
    numbers = model_numbers(instance)
    for path in chosen:
        found.intervals.append(_interval(loaded, model, options, path, numbers[path], path in objective_only))
    return found


def _interval(loaded: LoadedInstance, model, options: SolveOptions, path: str, value: float, objective_only: bool):
    prober = Prober(loaded.instance, path, model, options, objective_only)
    limits = validity(loaded, path)
    base = prober.at(value)
    low = find_end(prober, base, limits.low, -1, limits.whole)
    high = find_end(prober, base, limits.high, +1, limits.whole)
    return Interval(
        path,
        value,
        base.recommendation,
        base.objective,
        low,
        high,
        objective_only,
        limits.whole,
        _amount_ranges(loaded.instance, [p for p in prober.seen if _inside(p, base, low, high)]),
        prober.solves,
    )


def _inside(probe: Probe, base: Probe, low: End, high: End) -> bool:
    return probe.recommendation == base.recommendation and low.inside.value <= probe.value <= high.inside.value


def _amount_ranges(instance: Instance, probes: list[Probe]) -> dict[str, tuple[float, float]]:
    continuous = [
        j for j, lever in instance.amount_levers.items() if lever_kind(lever).sized and not lever_kind(lever).integral
    ]
    ranges = {}
    for j in continuous:
        amounts = [p.package.amount[j] for p in probes if p.package is not None and p.package.used[j]]
        if amounts:
            ranges[j] = (min(amounts), max(amounts))
    return ranges
