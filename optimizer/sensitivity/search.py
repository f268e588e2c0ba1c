"""Finding where the recommendation changes as one number moves, all else fixed.

Every value tried is a verified solve (:class:`Prober`), run on one
:class:`~optimizer.sweep.resolver.ScenarioModel`: the number is set in place and HiGHS
re-solved, without a rebuild. On each side of the number's value :func:`find_end`

1. **scans** outwards, at offsets of max(1, |v|) x 4^k (k from -3), up to the number's
   validity limit, until the recommendation differs;
2. **refines** the bracket it found:

   - for a number that enters only the objective, by the crossing of two packages' cost
     lines (:func:`_first_crossing`). For a fixed package the objective is linear in such a
     number, so the least cost over all packages is concave and piecewise linear in it.
     Given two optimal packages at a and b, either a solve at their lines' crossing finds
     nothing cheaper (the two lines are the whole story between a and b, and the crossing is
     exactly where one takes over) or it finds a third package, and each half is searched
     the same way, the half nearer the value first. This enumerates every piece of the
     least cost from the value outwards, so no change of recommendation is stepped over.
     The end is the exact crossing, confirmed by a solve on each side of it, 1e-6 x
     max(1, |end|) apart.
   - for any other number, by bisection between the last value with the recommendation and
     the first without, down to 1e-6 x max(1, |end|) (1 for whole numbers).

A solve whose recommendation differs from the one being followed still counts as the same
recommendation when the followed one costs no more than the solver's answer at that value
(within the solver's relative gap, :data:`TIE`): a tie, broken the other way. For a number
that enters only the objective the package followed so far is priced by
:func:`optimizer.evaluate.evaluate` (such a number cannot make it unacceptable); for any
other number, by one more verified solve with the followed recommendation's decisions fixed
(:meth:`~.recommendation.Recommendation.decisions`), so that its continuous amounts may
move. Every change reported is thus a change of the least cost's recommendation, not of how
HiGHS broke a tie: just beyond each end the followed recommendation costs more than the
solver's answer by more than the gap, or has no acceptable package.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from ..api import check
from ..evaluate import evaluate
from ..package import Package
from ..paths import with_numbers
from ..result import Result
from ..schema import Instance
from ..solver import SolveOptions
from ..status import Status
from ..tolerance import tolerance
from .numbers import Limit
from .recommendation import Recommendation

SCAN_RATIO = 4.0
"""Each scan offset is this many times the one before."""
FIRST_SCAN_OFFSET = SCAN_RATIO**-3
"""The first scan offset, as a share of max(1, |value|)."""
TIE = 1e-9
"""Two costs closer than this share of max(1, |cost|) are a tie: the solver's relative gap."""


class SensitivityError(Exception):
    """A solve that neither proved an optimum nor proved that nothing is acceptable."""


@dataclass(frozen=True)
class Probe:
    """One verified solve at one value of the number."""

    value: float
    recommendation: Recommendation
    package: Package | None
    objective: float | None


@dataclass
class Prober:
    """Verified solves of one base instance at values of one number, on a shared scenario model."""

    instance: Instance
    path: str
    model: object
    """A :class:`~optimizer.sweep.resolver.ScenarioModel` of the base instance."""
    options: SolveOptions
    objective_only: bool
    """True when the number enters only the objective: a tie with the package followed keeps it."""
    solves: int = 0
    seen: list[Probe] = field(default_factory=list)

    def at(self, value: float, following: Probe | None = None) -> Probe:
        """Solve at ``value``; with ``following``, a tie with its package keeps its recommendation."""
        instance = with_numbers(self.instance, {self.path: value})
        self.model.load(instance, [(self.path, value)])
        result = check(instance, self.model.solve(self.options))
        self.solves += 1
        probe = self._probe(instance, value, result)
        if following is not None and probe.recommendation != following.recommendation:
            tie = self._tie if self.objective_only else self._tie_solved
            probe = tie(instance, probe, following) or probe
        self.seen.append(probe)
        return probe

    def _probe(self, instance: Instance, value: float, result: Result) -> Probe:
        if result.status == Status.INFEASIBLE:
            return Probe(value, Recommendation(False), None, None)
        if result.status != Status.OPTIMAL or not result.verified:
            raise SensitivityError(
                f"the solve at {self.path} = {value!r} ended {result.status}: {result.message} {' '.join(result.reasons)}"
            )
        return Probe(value, Recommendation.of(instance, result.package), result.package, result.objective)

    def _tie(self, instance: Instance, probe: Probe, following: Probe) -> Probe | None:
        if following.package is None:
            return None
        kept = evaluate(instance, following.package)
        if probe.objective is not None and kept.objective > probe.objective + TIE * max(1.0, abs(probe.objective)):
            return None
        return Probe(probe.value, following.recommendation, following.package, kept.objective)

    def _tie_solved(self, instance: Instance, probe: Probe, following: Probe) -> Probe | None:
        """The followed recommendation's own optimum at the probe's value, when it ties with the solver's."""
        if not following.recommendation.acceptable or probe.objective is None:
            return None
        with self.model.fixed(following.recommendation.decisions(instance)) as fixing:
            if not fixing:
                return None
            result = check(instance, self.model.solve(self.options))
        self.solves += 1
        if result.status != Status.OPTIMAL or not result.verified:
            return None
        if result.objective > probe.objective + TIE * max(1.0, abs(probe.objective)):
            return None
        kept = Recommendation.of(instance, result.package)
        return Probe(probe.value, kept, result.package, result.objective) if kept == following.recommendation else None

    def cost(self, package: Package, value: float) -> float:
        """The objective of ``package`` with the number at ``value`` (plain Python)."""
        return evaluate(with_numbers(self.instance, {self.path: value}), package).objective


@dataclass(frozen=True)
class End:
    """Where the recommendation stops holding on one side, and why."""

    value: float
    """The end: the last value with the recommendation (bisection), the crossing, or the validity limit."""
    kind: str
    """``crossing``, ``bisection`` or ``limit``."""
    inside: Probe
    """The verified solve at or just inside the end, with the recommendation."""
    beyond: Probe | None
    """The verified solve just beyond the end, with another recommendation (None at a limit)."""
    reason: str = ""
    """At a limit: the rule of the spec that stops the number there."""


def find_end(prober: Prober, base: Probe, limit: Limit, direction: int, whole: bool) -> End:
    """The end of the interval of ``base``'s recommendation on one side (``direction`` +1 or -1)."""
    same, other = _scan(prober, base, limit, direction, whole)
    found = None
    if prober.objective_only and base.package is not None:
        # from the value itself: a change the scan stepped over is found too
        found = _first_crossing(prober, base, other or same, base.recommendation)
    elif other is not None:
        found = _bisect(prober, same, other, base.recommendation, whole)
    return found or End(limit.value, "limit", same, None, limit.reason)


def _scan(prober: Prober, base: Probe, limit: Limit, direction: int, whole: bool) -> tuple[Probe, Probe | None]:
    """(the last probe with the recommendation, the first without, or None up to the limit)."""
    same = base
    scale = max(1.0, abs(base.value))
    offset = FIRST_SCAN_OFFSET
    while (limit.last - same.value) * direction > 0:
        value = base.value + direction * scale * offset
        if whole:
            value = float(math.floor(value) if direction > 0 else math.ceil(value))
            if (value - same.value) * direction <= 0:
                value = same.value + direction
        if (value - limit.last) * direction >= 0:
            value = limit.last
        probe = prober.at(value, following=same)
        if probe.recommendation != base.recommendation:
            return same, probe
        same, offset = probe, offset * SCAN_RATIO
    return same, None


def _bracket_width(value: float, whole: bool) -> float:
    return 1.0 if whole else tolerance(value)


def _bisect(prober: Prober, same: Probe, other: Probe, recommendation: Recommendation, whole: bool) -> End:
    while abs(other.value - same.value) > _bracket_width(same.value, whole):
        middle = (same.value + other.value) / 2
        if whole:
            middle = float(math.floor(middle) if other.value > same.value else math.ceil(middle))
        probe = prober.at(middle, following=same)
        if probe.recommendation == recommendation:
            same = probe
        else:
            other = probe
    return End(same.value, "bisection", same, other)


def _line(prober: Prober, probe: Probe, a: float, b: float) -> tuple[float, float]:
    """(slope, intercept) of the probe's package's objective in the number, from its costs at a and b."""
    cost_a, cost_b = prober.cost(probe.package, a), prober.cost(probe.package, b)
    slope = (cost_b - cost_a) / (b - a)
    return slope, cost_a - slope * a


def _first_crossing(prober: Prober, low: Probe, high: Probe, recommendation: Recommendation) -> End | None:
    """The first change of recommendation between ``low`` (which has it) and ``high``, going from low; None if none."""
    a, b = low.value, high.value
    if a == b:
        return None
    (slope_low, cut_low), (slope_high, cut_high) = _line(prober, low, a, b), _line(prober, high, a, b)
    if slope_low == slope_high:  # parallel lines, both optimal at their ends: the same cost throughout
        return None if high.recommendation == recommendation else _bisect(prober, low, high, recommendation, False)
    crossing = (cut_high - cut_low) / (slope_low - slope_high)
    if not min(a, b) < crossing < max(a, b):
        return None if high.recommendation == recommendation else _bisect(prober, low, high, recommendation, False)
    middle = prober.at(crossing, following=low)
    on_lines = slope_low * crossing + cut_low
    if middle.objective is not None and middle.objective >= on_lines - TIE * max(1.0, abs(on_lines)):
        if high.recommendation == recommendation:
            return None
        return _confirm(prober, low, high, crossing, recommendation)
    if middle.recommendation != recommendation:
        return _first_crossing(prober, low, middle, recommendation)
    return _first_crossing(prober, low, middle, recommendation) or _first_crossing(prober, middle, high, recommendation)


def _confirm(prober: Prober, low: Probe, high: Probe, crossing: float, recommendation: Recommendation) -> End:
    """The crossing, with a verified solve on each side of it; bisection if the solves disagree (ties)."""
    direction = 1.0 if high.value > low.value else -1.0
    half = tolerance(crossing) / 2
    inside = prober.at(crossing - direction * half, following=low)
    beyond = prober.at(crossing + direction * half, following=inside)
    if inside.recommendation == recommendation and beyond.recommendation != recommendation:
        return End(crossing, "crossing", inside, beyond)
    same = inside if inside.recommendation == recommendation else low
    other = beyond if beyond.recommendation != recommendation else high
    return _bisect(prober, same, other, recommendation, False)
