r"""The bargaining solutions over a certified frontier: Nash, Kalai–Smorodinsky and egalitarian.

Gains are measured from the disagreement point d: :math:`g = (ours - d_{ours}, theirs - d_{theirs})`.
Only the frontier's *individually rational* part (both gains >= 0) counts; when it is empty,
no agreement beats walking away. Each side's ideal gain :math:`I` is its largest gain there.

- **Nash:** :math:`\max g_{ours} \cdot g_{theirs}`. On a segment :math:`ours = A + s \cdot theirs`
  the product is a concave quadratic in theirs (s < 0), maximised at
  :math:`theirs^* = (s \, d_{theirs} - A + d_{ours}) / (2 s)`, clipped to the segment.
- **Kalai–Smorodinsky:** the largest λ with :math:`g \ge λ I` for some frontier point, i.e.
  :math:`\max \min(g_{ours}/I_{ours}, g_{theirs}/I_{theirs})`: where the ray from d towards the
  ideal point meets the frontier; on a segment, where the two normalised gains cross.
- **Egalitarian:** the largest smaller normalised gain, :math:`\max \min(g_{ours}/I_{ours},
  g_{theirs}/I_{theirs})`, so that the answer does not depend on either side's unit.

The first stages of Kalai–Smorodinsky and of the normalised egalitarian solution are the
same number; they part in the second stage, which keeps the first stage's value (to a
relative 1e-9) and picks, among the candidates that reach it, the largest sum of normalised
gains (Kalai–Smorodinsky), the largest larger normalised gain (egalitarian, leximin), or the
largest sum of normalised gains (Nash). On a frontier every candidate is non-dominated, so
none of the answers is weakly dominated. The solutions need no MILP: the frontier is
certified; a point inside a segment costs one LP for its package.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .disagreement import Disagreement
from .oracle import Found, tie
from .walk import Frontier, Segment

NO_AGREEMENT = "no agreement beats walking away: no package on the frontier gives both sides a gain of at least 0"


@dataclass(frozen=True)
class Candidate:
    """A place on the frontier: a point (``segment`` None) or the value ``theirs`` on a segment."""

    ours: float
    theirs: float
    point: int | None = None
    segment: int | None = None


@dataclass(frozen=True)
class Solution:
    """One bargaining solution: its package, both values and gains, and the work it took."""

    name: str
    found: Found
    gains: tuple[float, float]
    score: float
    """The first stage's value: the Nash product, or the smaller normalised gain."""
    milps: int
    lps: int

    def to_dict(self) -> dict:
        return {
            "offer": self.found.package.offer,
            "ours": self.found.ours,
            "theirs": self.found.theirs,
            "gain_ours": self.gains[0],
            "gain_theirs": self.gains[1],
            "score": self.score,
            "objective": self.found.evaluation.objective,
            "package": self.found.package.levers(),
            "verified": not self.found.evaluation.violations,
            "milps": self.milps,
            "lps": self.lps,
        }


@dataclass(frozen=True)
class Bargaining:
    """The three solutions (None each when no agreement beats walking away), and the ideal gains."""

    nash: Solution | None
    kalai_smorodinsky: Solution | None
    egalitarian: Solution | None
    ideal: tuple[float, float] | None

    @property
    def agreement(self) -> bool:
        return self.nash is not None


def bargain(frontier: Frontier, disagreement: Disagreement) -> Bargaining:
    """Nash, Kalai–Smorodinsky and egalitarian over the frontier, from the disagreement point."""
    d = (disagreement.values.ours, disagreement.values.theirs)
    pieces = _rational_pieces(frontier, d)
    if not pieces:
        return Bargaining(None, None, None, None)
    ideal = (
        max(max(p.ours for p in piece) for piece in pieces) - d[0],
        max(max(p.theirs for p in piece) for piece in pieces) - d[1],
    )

    def normalised(c: Candidate) -> tuple[float, float]:
        return tuple(
            (v - base) / top if top > 0 else 1.0 for v, base, top in zip((c.ours, c.theirs), d, ideal, strict=True)
        )

    def product(c: Candidate) -> float:
        return (c.ours - d[0]) * (c.theirs - d[1])

    def smaller(c: Candidate) -> float:
        return min(normalised(c))

    candidates = [c for piece in pieces for c in piece]
    nash_candidates = candidates + [_nash_on(frontier, s, piece, d) for s, piece in _segments(frontier, pieces)]
    even_candidates = candidates + [
        _crossing_on(frontier, s, piece, d, ideal) for s, piece in _segments(frontier, pieces)
    ]
    total = lambda c: sum(normalised(c))  # noqa: E731
    larger = lambda c: max(normalised(c))  # noqa: E731
    return Bargaining(
        _solve(frontier, "nash", [c for c in nash_candidates if c], product, total, d),
        _solve(frontier, "kalai_smorodinsky", [c for c in even_candidates if c], smaller, total, d),
        _solve(frontier, "egalitarian", [c for c in even_candidates if c], smaller, larger, d),
        ideal,
    )


def _rational_pieces(frontier: Frontier, d) -> list[list[Candidate]]:
    """Each closed point, and each segment clipped to both gains >= 0 (its two ends), that is individually rational."""
    pieces = []
    for i, point in enumerate(frontier.points):
        if point.closed and point.ours >= d[0] - tie(d[0]) and point.theirs >= d[1] - tie(d[1]):
            pieces.append([Candidate(point.ours, point.theirs, point=i)])
    for k, segment in enumerate(frontier.segments):
        clipped = _clip(frontier, segment, d)
        if clipped is not None:
            low, high = clipped
            pieces.append([_on(frontier, k, low), _on(frontier, k, high)])
    return pieces


def _segments(frontier: Frontier, pieces):
    return [(piece[0].segment, piece) for piece in pieces if piece[0].segment is not None]


def _line(frontier: Frontier, segment: Segment) -> tuple[float, float]:
    """(A, s): ours = A + s * theirs along the segment."""
    a, b = frontier.points[segment.start], frontier.points[segment.end]
    slope = (b.ours - a.ours) / (b.theirs - a.theirs)
    return a.ours - slope * a.theirs, slope


def _clip(frontier: Frontier, segment: Segment, d) -> tuple[float, float] | None:
    """The range of theirs on the segment where both gains are >= 0, or None."""
    intercept, slope = _line(frontier, segment)
    low = max(frontier.points[segment.start].theirs, d[1])
    high = min(frontier.points[segment.end].theirs, (d[0] - intercept) / slope)
    return (low, high) if high >= low else None


def _on(frontier: Frontier, k: int, theirs: float) -> Candidate:
    intercept, slope = _line(frontier, frontier.segments[k])
    return Candidate(intercept + slope * theirs, theirs, segment=k)


def _nash_on(frontier: Frontier, k: int, piece, d) -> Candidate | None:
    """The closed-form maximum of the Nash product on segment k, when it lies inside the piece."""
    intercept, slope = _line(frontier, frontier.segments[k])
    theirs = (slope * d[1] - intercept + d[0]) / (2 * slope)
    return _on(frontier, k, theirs) if piece[0].theirs < theirs < piece[1].theirs else None


def _crossing_on(frontier: Frontier, k: int, piece, d, ideal) -> Candidate | None:
    """Where the two normalised gains are equal on segment k, when it lies inside the piece."""
    intercept, slope = _line(frontier, frontier.segments[k])
    if ideal[0] <= 0 or ideal[1] <= 0:
        return None
    # (A + s t - d_o) / I_o = (t - d_t) / I_t  ->  t (s / I_o - 1 / I_t) = (d_o - A) / I_o - d_t / I_t
    denominator = slope / ideal[0] - 1 / ideal[1]
    theirs = ((d[0] - intercept) / ideal[0] - d[1] / ideal[1]) / denominator
    return _on(frontier, k, theirs) if piece[0].theirs < theirs < piece[1].theirs else None


def _solve(
    frontier: Frontier, name: str, candidates: list[Candidate], first: Callable, second: Callable, d
) -> Solution:
    """The best candidate by ``first``, then by ``second`` among those within a tie of it; its package."""
    best = max(first(c) for c in candidates)
    chosen = max((c for c in candidates if first(c) >= best - tie(best)), key=lambda c: (second(c), c.segment is None))
    lps_before = frontier.oracle.lps if frontier.oracle else 0
    if chosen.segment is None:
        found = frontier.points[chosen.point].found
    else:
        found = frontier.package_on(frontier.segments[chosen.segment], chosen.theirs)
    lps = (frontier.oracle.lps if frontier.oracle else 0) - lps_before
    gains = (found.ours - d[0], found.theirs - d[1])
    return Solution(name, found, gains, best, milps=0, lps=lps)
