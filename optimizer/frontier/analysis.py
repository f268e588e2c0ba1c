"""One frontier analysis: the disagreement point, the certified frontier and the bargaining solutions.

:func:`analyse` runs them in order on one :class:`~optimizer.frontier.oracle.Oracle`, so the
MILPs and LPs of the whole analysis are counted together; :meth:`FrontierAnalysis.to_dict`
is the object of ``dealopt frontier --json``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..instance import LoadedInstance
from ..solver import SolveOptions
from ..status import Status
from .bargaining import NO_AGREEMENT, Bargaining, bargain
from .disagreement import Disagreement, disagreement_point
from .oracle import Oracle
from .values import counterpart_of
from .walk import DEFAULT_MAX_POINTS, Frontier, frontier

"""The status of a frontier cut short by --max-points."""


@dataclass
class FrontierAnalysis:
    """Everything ``dealopt frontier`` reports."""

    loaded: LoadedInstance
    disagreement: Disagreement
    frontier: Frontier
    bargaining: Bargaining
    milps: int
    lps: int
    tiers: dict[str, Frontier] = field(default_factory=dict)
    """Each deal tier's own frontier, by offer (the frontier itself when it is one tier's)."""

    @property
    def complete(self) -> bool:
        """Whether the frontier and every tier's frontier are certified (none cut short by --max-points)."""
        return self.frontier.complete and all(tier.complete for tier in self.tiers.values())

    @property
    def status(self) -> str:
        return str(Status.OPTIMAL if self.complete else Status.PARTIAL)

    @property
    def exit_code(self) -> int:
        return int(Status(self.status).exit_code)

    @property
    def message(self) -> str:
        points = sum(p.closed for p in self.frontier.points)
        if not self.frontier.points:
            found = "no acceptable package besides walking away"
        else:
            found = (
                f"{points} frontier points and {len(self.frontier.segments)} segment(s), every package verified; "
                + (
                    f"certified to a resolution of {self.frontier.resolution:.3g} in the counterpart's value"
                    if self.complete
                    else f"partial (--max-points): the widest unsearched range of theirs is {_gap(self)}"
                )
            )
        return found if self.bargaining.agreement else f"{found}; {NO_AGREEMENT}"

    def to_dict(self, run: dict) -> dict:
        """The ``--json`` object: the common keys, the two tables, d, the three solutions and the work done."""
        from .tables import point_records, segment_records

        bargaining = self.bargaining
        out = {
            "status": self.status,
            "message": self.message,
            "offer": self.frontier.offer,
            "resolution": self.frontier.resolution,
            "largest_gap": None
            if self.frontier.largest_gap is None
            else dict(zip(("from_theirs", "to_theirs"), self.frontier.largest_gap, strict=True)),
            "points": point_records(self.frontier),
            "segments": segment_records(self.frontier),
            "disagreement": self.disagreement.to_dict(),
            "ideal_gains": None
            if bargaining.ideal is None
            else dict(zip(("ours", "theirs"), bargaining.ideal, strict=True)),
        }
        for name in ("nash", "kalai_smorodinsky", "egalitarian"):
            solution = getattr(bargaining, name)
            out[name] = None if solution is None else solution.to_dict()
        out["tiers"] = {
            offer: {
                "status": str(Status.OPTIMAL if tier.complete else Status.PARTIAL),
                "resolution": tier.resolution,
                "points": point_records(tier),
                "segments": segment_records(tier),
            }
            for offer, tier in self.tiers.items()
        }
        return out | {"milps": self.milps, "lps": self.lps, "run": run}


def _gap(analysis: FrontierAnalysis) -> str:
    """The widest unsearched range of theirs, in the frontier or any tier's."""
    gaps = [f.largest_gap for f in (analysis.frontier, *analysis.tiers.values()) if f.largest_gap is not None]
    low, high = max(gaps, key=lambda gap: gap[1] - gap[0])
    return f"{low:.4g} to {high:.4g}"


def _tier(loaded: LoadedInstance, walked: Frontier, offer: str, max_points: int, oracle: Oracle) -> Frontier:
    """The frontier of tier ``offer`` alone: the merged one when all its points are that tier's (none of the
    tier's packages can beat it then), else walked."""
    if walked.complete and walked.points and all(p.offer == offer for p in walked.points):
        return walked
    return frontier(loaded, offer=offer, max_points=max_points, oracle=oracle)


def analyse(
    loaded: LoadedInstance,
    options: SolveOptions | None = None,
    offer: str | None = None,
    max_points: int = DEFAULT_MAX_POINTS,
    per_tier: bool = True,
) -> FrontierAnalysis:
    """The disagreement point, the frontier (of ``offer`` or of every deal) and the bargaining solutions.

    With ``per_tier`` (and several deal tiers), each tier's own frontier too, on the same
    oracle (its MILPs and LPs counted with the rest).
    """
    counterpart_of(loaded)
    oracle = Oracle(loaded, options or SolveOptions())
    disagreement = disagreement_point(loaded, oracle)
    walked = frontier(loaded, offer=offer, max_points=max_points, oracle=oracle)
    bargaining = bargain(walked, disagreement)
    deals = [t for t, o in loaded.instance.offer_items.items() if not o.walk_away]
    if offer is not None or len(deals) == 1:
        tiers = {offer or deals[0]: walked}
    elif per_tier:
        tiers = {t: _tier(loaded, walked, t, max_points, oracle) for t in deals}
    else:
        tiers = {}
    return FrontierAnalysis(loaded, disagreement, walked, bargaining, oracle.milps, oracle.lps, tiers)
