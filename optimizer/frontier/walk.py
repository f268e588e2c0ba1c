r"""The Pareto frontier of (ours, theirs), walked by epsilon-constraint with a lexicographic tie-break.

Over every acceptable package that is not walk-away (or that is granted one tier,
``offer``), the walk goes from the package best for us towards the one best for
them. With θ the counterpart's value of the last point and δ the resolution:

1. **The next point** (one MILP, AUGMECON2-style): :math:`\max\{ours : theirs \ge θ + δ\}`.
   The same MILP certifies that no package in the gap (θ, θ + δ] or beyond has more for
   us. It is also the last point's lexicographic second stage: an answer with as much for
   us (to :data:`~.oracle.TIE`) shows the last point weakly dominated, and replaces it (or
   opens the segment it ends); none at all ends the walk.
2. **Segments** (continuous levers): with the last point's integer configuration C fixed,
   LPs find the vertices of C's own frontier after it. Each band between two vertices is
   certified by one MILP, :math:`\max\{ours - s \cdot theirs : θ_a \le theirs \le θ_b + δ\}`
   with s the band's slope: nothing lies above the segment. The walk follows C's vertices
   until a band has a package above its line, or C's frontier ends. In the first case one
   MILP finds the package above the line with the most for us; in the second, the next-point
   MILP beyond the last vertex. A package that beats the chain has the most for us beyond
   the place where the chain falls to its value for us: the chain is cut there (the cut
   end's package from one LP, open when that package dominates it) and the package is the
   next point.

δ = 1e-6 · max(1, range of theirs), the range from one MILP :math:`\max theirs` before the
walk: the walk stops when θ reaches it. A point costs one MILP and a band one more, so a
frontier of N points costs at most 2N + 1 MILPs, besides one per weakly dominated answer
replaced (``replaced``). Past ``max_points`` points, the walk is redone with steps of
range / (max_points - 1): the frontier is then ``partial`` and the largest step whose inside
was not searched is reported. Every number of a point is recomputed from its verified,
rounded package.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

from ..explain.workbench import SolveFailed
from ..instance import LoadedInstance
from ..kinds import lever_kind
from ..package import Package
from ..schema import Instance
from ..solver import SolveOptions
from ..tolerance import tolerance
from .oracle import OURS, THEIRS, Found, Oracle, Scope, tie
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
    scope: Scope = field(default=None, repr=False)
    """The offers the walk keeps to (:data:`~.oracle.Scope`), for packages on segments later."""
    replaced: int = 0
    """Answers that weakly dominated the point before them, which they replaced (or whose segment they opened)."""

    def package_on(self, segment: Segment, theirs: float) -> Found:
        """The package of ``segment`` at the counterpart value ``theirs`` (one LP, its configuration fixed)."""
        start = self.points[segment.start].found
        found = self.oracle.best(OURS, self.scope, theirs=(theirs, math.inf), fixed=start.package)
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
    scope = _scope(loaded, offer)
    walk = _Walk(oracle, scope, max_points)
    result = walk.run()
    if not result.complete:
        walk = _Walk(oracle, scope, max_points, step=(walk.top - walk.first.theirs) / (max_points - 1))
        result = walk.run()
        result.complete = False
    result.offer, result.oracle, result.scope = offer, oracle, scope
    result.milps, result.lps = oracle.milps, oracle.lps
    return result


def _scope(loaded: LoadedInstance, offer: str | None) -> Scope:
    """The offers the walk keeps to: one tier, or every offer but walking away (None: any offer)."""
    offers = loaded.instance.offer_items
    deals = tuple(t for t, o in offers.items() if not o.walk_away)
    if offer is not None:
        if offer not in deals:
            raise refuse(
                loaded, ("offers",), f"--offer {offer}: not an offer that is not walk-away; choose one of {list(deals)}"
            )
        return (offer,)
    return None if len(deals) == len(offers) else deals


class _Walk:
    def __init__(self, oracle: Oracle, scope: Scope, max_points: int, step: float | None = None):
        self.oracle = oracle
        self.scope = scope
        self.max_points = max_points
        self.step = step
        """None: a certified walk in steps of δ; else the coarse step of a partial walk."""
        self.frontier = Frontier()
        self.first: Found | None = None
        self.top = 0.0
        self.delta = RESOLUTION

    def ask(self, first, low: float = -math.inf, high: float = math.inf, **question) -> Found | None:
        """The oracle's answer within the scope and low <= theirs <= high."""
        return self.oracle.best(first, self.scope, theirs=(low, high), **question)

    def add(self, found: Found, closed: bool = True) -> int:
        self.frontier.points.append(Point(found, closed))
        return len(self.frontier.points) - 1

    def run(self) -> Frontier:
        out = self.frontier
        self.first = self.ask(OURS, second=THEIRS)
        if self.first is None:
            return out
        self.top = self.ask(THEIRS).theirs
        self.delta = out.resolution = RESOLUTION * max(1.0, self.top - self.first.theirs)
        self.add(self.first)
        while (last := out.points[-1]).theirs < self.top - self.delta:
            if len(out.points) >= self.max_points:
                out.complete = False
                out.largest_gap = _widest(out.largest_gap, (last.theirs, self.top))
                break
            following = self.advance(last.found)
            if following is None:
                break
            self.follow(following)
        return out

    def advance(self, last: Found) -> Found | None:
        """The next point, after the segments of ``last``'s configuration (if any)."""
        if self.oracle.has_continuous:
            chain, cutter = self.chain(last)
            if len(chain) > 1:
                return self.settle(chain, cutter)
        return self.beyond(last.theirs)

    def beyond(self, theirs: float) -> Found | None:
        """The most for us among packages with theirs >= ``theirs`` + δ (or + the partial walk's step)."""
        found = self.ask(OURS, theirs + (self.step or self.delta))
        reached = self.top if found is None else found.theirs
        if self.step is not None and reached > theirs + self.delta:
            self.frontier.largest_gap = _widest(self.frontier.largest_gap, (theirs, reached))
        return found

    def follow(self, found: Found) -> None:
        """Add the next point. When it has as much for us as the last one, the last one is weakly dominated:
        it is dropped (or its segment's end opened), and the next point is the lexicographic second stage
        at that value for us (one MILP: the most for them)."""
        points, segments = self.frontier.points, self.frontier.segments
        last = points[-1]
        if last.closed and found.ours >= last.ours - tie(last.ours):
            self.frontier.replaced += 1
            ending = [k for k, s in enumerate(segments) if s.end == len(points) - 1]
            if ending:
                last.closed = False
                segments[ending[0]] = replace(segments[ending[0]], open_end=True)
            else:
                points.pop()
            found = self.ask(THEIRS, found.theirs, ours_at_least=found.ours - tie(found.ours))
        self.add(found)

    def chain(self, start: Found) -> tuple[list[Found], Found | None]:
        """``start`` and the vertices after it of its configuration's frontier, each band certified by one MILP.

        A band reaches δ past its vertex: the next-point MILP beyond the chain starts δ on.

        Stops at the first band with a package above its line: (the chain so far, the package
        with the most for us among those above that band's line from its start on); else
        (the whole chain, None).
        """
        chain = [start]
        right = self.ask(THEIRS, second=OURS, fixed=start.package)
        while len(chain) <= self.max_points - len(self.frontier.points):
            vertex = self.next_vertex(chain[-1], right)
            if vertex is None:
                break
            a = chain[-1]
            chain.append(vertex)
            slope = (vertex.ours - a.ours) / (vertex.theirs - a.theirs)
            line = a.ours - slope * a.theirs
            margin = tolerance(max(abs(a.ours), abs(vertex.ours)))
            band = self.ask((1.0, -slope), a.theirs, vertex.theirs + self.delta)
            if band.solver_objective > line + margin:
                cutter = self.ask(OURS, a.theirs, above=(slope, line + margin))
                if cutter is not None:
                    return chain, cutter
        return chain, None

    def settle(self, chain: list[Found], cutter: Found | None) -> Found | None:
        """Commit the chain up to where a package beats it; the next point.

        ``cutter`` has the most for us among the packages above a band's line (None: none).
        Otherwise the next-point MILP beyond the chain's end answers whether anything beyond
        beats its end. A package that beats the chain has, by construction, the most for us
        among every package with at least the counterpart value where the chain falls to its
        value for us: the chain is cut there, and the package is the next point.
        """
        end = chain[-1]
        following = cutter if cutter is not None else self.beyond(end.theirs)
        if following is not None and following.ours > end.ours + tolerance(end.ours):
            self.commit(chain, following, _crossing(chain, following.ours))
        else:
            self.commit(chain, None, end.theirs)
        return following

    def commit(self, chain: list[Found], cutter: Found | None, theirs: float) -> None:
        """The chain's points and segments up to ``theirs``; a cut end's package from one LP, open (the
        cutter has as much for us and more for them)."""
        start = chain[0]
        label = configuration(self.oracle.instance, start.package)
        previous = len(self.frontier.points) - 1
        for vertex in chain[1:]:
            if cutter is not None and vertex.theirs >= theirs - self.delta:
                break
            index = self.add(vertex)
            self.frontier.segments.append(Segment(previous, index, False, False, label))
            previous = index
        if cutter is not None and theirs > self.frontier.points[previous].theirs + self.delta:
            end = self.ask(OURS, theirs, fixed=start.package)
            if end is None:
                raise SolveFailed("the configuration of a segment does not reach its cut end")
            dominated = cutter.ours >= end.ours - tie(end.ours)
            index = self.add(end, closed=not dominated)
            self.frontier.segments.append(Segment(previous, index, False, dominated, label))

    def next_vertex(self, start: Found, right: Found | None) -> Found | None:
        """The first vertex after ``start`` of the frontier of its own integer configuration (LPs).

        ``right`` is the configuration's best for them (its own lexicographic LP).
        """
        if right is None or right.theirs <= start.theirs + self.delta or right.ours >= start.ours:
            return None
        while True:
            weight_ours, weight_theirs = right.theirs - start.theirs, start.ours - right.ours
            scale = max(weight_ours, weight_theirs)
            weights = (weight_ours / scale, weight_theirs / scale)
            at_start = weights[0] * start.ours + weights[1] * start.theirs
            middle = self.ask(weights, fixed=start.package)
            if (
                middle.solver_objective <= at_start + tolerance(at_start)
                or middle.theirs <= start.theirs + self.delta
                or middle.theirs >= right.theirs - self.delta
            ):
                return right
            right = middle


def _crossing(chain: list[Found], cut: float | None) -> float:
    """Where the chain's value for us falls to ``cut`` (its last vertex when None)."""
    if cut is None:
        return chain[-1].theirs
    if cut >= chain[0].ours:
        return chain[0].theirs
    for a, b in zip(chain, chain[1:], strict=False):
        if b.ours <= cut:
            return a.theirs + (cut - a.ours) * (b.theirs - a.theirs) / (b.ours - a.ours)
    return chain[-1].theirs


def _value_at(chain: list[Found], theirs: float) -> float:
    """The chain's value for us at ``theirs`` (its ends' values beyond them)."""
    if theirs <= chain[0].theirs:
        return chain[0].ours
    for a, b in zip(chain, chain[1:], strict=False):
        if theirs <= b.theirs:
            return a.ours + (theirs - a.theirs) * (b.ours - a.ours) / (b.theirs - a.theirs)
    return chain[-1].ours


def _widest(current: tuple[float, float] | None, gap: tuple[float, float]) -> tuple[float, float]:
    if current is None or gap[1] - gap[0] > current[1] - current[0]:
        return gap
    return current
