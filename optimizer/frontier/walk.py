r"""The Pareto frontier of (ours, theirs), walked by epsilon-constraint with a lexicographic tie-break.

Over every acceptable package that is not walk-away (or that is granted one tier,
``offer``), the walk goes from the package best for us towards the one best for
them. With θ the counterpart's value reached so far and δ the resolution:

1. **A point** (two MILPs, AUGMECON-style):
   :math:`o^* = \max\{ours : theirs \ge θ + δ\}`, then
   :math:`\max\{theirs : ours \ge o^* - tie\}`. The first MILP certifies that no package in
   the gap (θ, θ + δ] or beyond has more for us; none at all ends the walk.
2. **A segment** (continuous levers): with the point's integer configuration C fixed, LPs
   find the next vertex V of C's own frontier (the first vertex of the weighted-sum
   search between the point and C's best for them). One MILP, :math:`\max\{ours - s \cdot
   theirs : θ_P \le theirs \le θ_V\}` with s the segment's slope, certifies that nothing lies
   above the segment; one MILP, :math:`\max\{ours : theirs \ge θ_V\}`, that nothing beyond
   it dominates its end. A package that does cuts the segment where the line meets its
   value for us; that end is open (the package dominates it), and the next point is the
   best for them at that value for us (one MILP). An uncut end gets the same MILP, which
   closes it or shows it weakly dominated (open).

δ = 1e-6 · max(1, range of theirs), the range from one MILP :math:`\max theirs` before the
walk: the walk stops when θ reaches it, so every point costs at most two MILPs plus one.
Past ``max_points`` points, the walk is redone with steps of range / (max_points - 1):
the frontier is then ``partial`` and the largest step whose inside was not searched is
reported. Every number of a point is recomputed from its verified, rounded package.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..explain.workbench import SolveFailed
from ..instance import LoadedInstance
from ..kinds import lever_kind
from ..package import Package
from ..schema import Instance
from ..solver import SolveOptions
from ..tolerance import tolerance
from .oracle import OURS, THEIRS, Found, Oracle, tie
from .values import counterpart_of, refuse

RESOLUTION = 1e-6
"""δ = RESOLUTION * max(1, range of theirs over the frontier)."""
DEFAULT_MAX_POINTS = 500


@dataclass
class Point:
    """A package on the frontier; ``closed`` False for the open end of a segment (itself dominated)."""

    found: Found
    closed: bool = True

    @property
    def ours(self) -> float:
        return self.found.ours

    @property
    def theirs(self) -> float:
        return self.found.theirs

    @property
    def offer(self) -> str | None:
        return self.found.package.offer


@dataclass(frozen=True)
class Segment:
    """Every package on the straight line between two points, for one integer configuration."""

    start: int
    end: int
    open_start: bool
    open_end: bool
    configuration: str


@dataclass
class Frontier:
    """The points and segments, in order of increasing theirs, and the work they took."""

    points: list[Point] = field(default_factory=list)
    segments: list[Segment] = field(default_factory=list)
    resolution: float = 0.0
    complete: bool = True
    """False: --max-points was reached and the frontier was walked in coarse steps."""
    largest_gap: tuple[float, float] | None = None
    """The widest range of theirs (from, to) that the partial walk stepped over unsearched."""
    offer: str | None = None
    milps: int = 0
    lps: int = 0
    oracle: Oracle | None = field(default=None, repr=False)
    scope: object = field(default=None, repr=False)
    """The rows that restrict the walk (a function of an oracle's side), for packages on segments later."""

    def package_on(self, segment: Segment, theirs: float) -> Found:
        """The package of ``segment`` at the counterpart value ``theirs`` (one LP, its configuration fixed)."""
        start = self.points[segment.start].found
        rows = self.scope
        found = self.oracle.best(
            OURS, lambda side: [*rows(side), side.theirs >= theirs], second=None, fixed=start.package
        )
        if found is None:
            raise SolveFailed(f"no package of the segment's configuration reaches {theirs:g} for the counterpart")
        return found


def configuration(instance: Instance, package: Package) -> str:
    """The integer configuration in words: the offer, then each used lever (integer amounts, options)."""
    parts = []
    for j, lever in instance.amount_levers.items():
        if package.used[j]:
            kind = lever_kind(lever)
            parts.append(f"{j}={package.amount[j]:g}" if kind.sized and kind.integral else j)
    parts += [f"{j}={options[0]}" for j, options in package.picked.items() if options]
    return f"{package.offer or '-'}: {', '.join(parts) or 'nothing'}"


def frontier(
    loaded: LoadedInstance,
    options: SolveOptions | None = None,
    offer: str | None = None,
    max_points: int = DEFAULT_MAX_POINTS,
    oracle: Oracle | None = None,
) -> Frontier:
    """The certified frontier of the instance's non-walk-away packages (or of the tier ``offer``)."""
    counterpart_of(loaded)
    if max_points < 2:
        raise ValueError("max_points must be at least 2")
    oracle = oracle or Oracle(loaded, options or SolveOptions())
    walk = _Walk(oracle, _scope(loaded, offer), max_points)
    result = walk.run(step=None)
    if not result.complete:
        step = (walk.top - walk.first.theirs) / (max_points - 1)
        walk = _Walk(oracle, walk.scope, max_points)
        result = walk.run(step=step)
        result.complete = False
    result.offer, result.oracle, result.scope = offer, oracle, walk.scope
    result.milps, result.lps = oracle.milps, oracle.lps
    return result


def _scope(loaded: LoadedInstance, offer: str | None):
    """The rows that keep the walk on one tier, or off every walk-away offer."""
    offers = loaded.instance.offer_items
    if offer is not None:
        if offer not in offers or offers[offer].walk_away:
            deals = [t for t, o in offers.items() if not o.walk_away]
            raise refuse(
                loaded, ("offers",), f"--offer {offer}: not an offer that is not walk-away; choose one of {deals}"
            )
        return lambda side: [side.bench.model.granted[offer] == 1]
    deals = [t for t, o in offers.items() if not o.walk_away]
    if not offers or len(deals) == len(offers):
        return lambda side: []
    if not deals:
        return lambda side: [side.bench.model.nothing >= 1]  # only walk-away offers: no agreement exists
    return lambda side: [sum(side.bench.model.granted[t] for t in deals) == 1]


class _Walk:
    def __init__(self, oracle: Oracle, scope, max_points: int):
        self.oracle = oracle
        self.scope = scope
        self.max_points = max_points
        self.frontier = Frontier()
        self.first: Found | None = None
        self.top = 0.0
        self.delta = RESOLUTION

    def rows(self, *relations):
        """The scope's rows and ``relations``, each a function of a side."""
        return lambda side: [*self.scope(side), *(relation(side) for relation in relations)]

    def theirs_at_least(self, theta: float, at_most: float | None = None):
        """The scope's rows and theta <= theirs (<= at_most)."""
        if at_most is None:
            return self.rows(lambda side: side.theirs >= theta)
        return self.rows(lambda side: side.theirs >= theta, lambda side: side.theirs <= at_most)

    def add(self, found: Found, closed: bool = True) -> int:
        self.frontier.points.append(Point(found, closed))
        return len(self.frontier.points) - 1

    def run(self, step: float | None) -> Frontier:
        oracle, out = self.oracle, self.frontier
        self.first = current = oracle.best(OURS, self.rows(), second=THEIRS)
        if current is None:
            return out
        self.top = oracle.best(THEIRS, self.rows()).theirs
        self.delta = out.resolution = RESOLUTION * max(1.0, self.top - current.theirs)
        index = self.add(current)
        while current.theirs < self.top - self.delta:
            if len(out.points) >= self.max_points:
                out.complete = False
                out.largest_gap = _widest(out.largest_gap, (current.theirs, self.top))
                break
            ended = self.segment(current, index) if oracle.has_continuous else None
            if ended is not None:
                current, index = ended
                continue
            theta = current.theirs + (step or self.delta)
            following = oracle.best(OURS, self.theirs_at_least(theta), second=THEIRS)
            if following is None:
                break
            if step is not None and following.theirs > current.theirs + self.delta:
                out.largest_gap = _widest(out.largest_gap, (current.theirs, following.theirs))
            current, index = following, self.add(following)
        return out

    def segment(self, start: Found, index: int):
        """The certified segment from ``start`` along its configuration's frontier; (next point, its index) or None."""
        vertex = self.next_vertex(start)
        if vertex is None:
            return None
        oracle, slope = self.oracle, (vertex.ours - start.ours) / (vertex.theirs - start.theirs)
        line_at_start = start.ours - slope * start.theirs
        end, cut = vertex.theirs, None
        while end - start.theirs > self.delta:
            above = oracle.best((1.0, -slope), self.theirs_at_least(start.theirs, end))
            if above.solver_objective > line_at_start + tolerance(line_at_start):
                cut = above.ours
            else:
                beyond = oracle.best(OURS, self.theirs_at_least(end))
                if beyond.solver_objective <= line_at_start + slope * end + tolerance(beyond.ours):
                    break
                cut = beyond.ours
            cut_end = (cut - line_at_start) / slope
            if cut_end >= end:
                raise SolveFailed("a segment's cut made no progress: HiGHS's answers disagree beyond its tolerances")
            end = cut_end
        else:
            return None  # cut down to nothing: the next point is a step away
        finish = vertex if cut is None else oracle.best(OURS, self.theirs_at_least(end), fixed=start.package)
        finish_index = self.add(finish, closed=False)
        level = finish.ours if cut is None else cut
        following = oracle.best(THEIRS, self.rows(lambda side: side.ours >= level - tie(level)))
        closed = cut is None and following.theirs <= finish.theirs + self.delta
        self.frontier.segments.append(
            Segment(index, finish_index, False, not closed, configuration(oracle.instance, start.package))
        )
        if closed:
            self.frontier.points[finish_index].closed = True
            return finish, finish_index
        return following, self.add(following)

    def next_vertex(self, start: Found) -> Found | None:
        """The first vertex after ``start`` of the frontier of its own integer configuration (LPs)."""
        oracle = self.oracle
        rows = self.rows()
        right = oracle.best(THEIRS, rows, second=OURS, fixed=start.package)
        if right is None or right.theirs <= start.theirs + self.delta or right.ours >= start.ours:
            return None
        while True:
            weight_ours, weight_theirs = right.theirs - start.theirs, start.ours - right.ours
            scale = max(weight_ours, weight_theirs)
            weights = (weight_ours / scale, weight_theirs / scale)
            at_start = weights[0] * start.ours + weights[1] * start.theirs
            middle = oracle.best(weights, rows, fixed=start.package)
            if (
                middle.solver_objective <= at_start + tolerance(at_start)
                or middle.theirs <= start.theirs + self.delta
                or middle.theirs >= right.theirs - self.delta
            ):
                return right
            right = middle


def _widest(current: tuple[float, float] | None, gap: tuple[float, float]) -> tuple[float, float]:
    if current is None or gap[1] - gap[0] > current[1] - current[0]:
        return gap
    return current
