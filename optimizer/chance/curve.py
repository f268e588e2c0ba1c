"""The cost–probability curve of ``dealopt acceptance``: per tier, the least cost at each reachable chance.

With discrete beliefs the curve is a staircase and its breakpoints are exact: from the cheapest
package with P > 0, each step asks HiGHS for the least cost with P above the last breakpoint, then
for the highest P at that cost (2 MILPs per breakpoint, and one more to find there is none above).
With continuous or sampled beliefs the curve is traced at the targets 0.05, 0.10, ... up to the
highest chance the tier reaches.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..explain.workbench import SolveFailed
from ..formatting import fmt
from ..instance import LoadedInstance
from ..solver import SolveOptions
from ..status import Status
from .conditions import at_means, conditions_of
from .solve import FLOOR, ChanceOptions, TierAnswer, TierSolver, method_of

DEFAULT_MAX_POINTS = 200
GRID_STEP = 0.05
"""The step of the targets of a curve that is not a staircase."""
STEP_ABOVE = 1e-7
"""The next breakpoint has a chance at least this much (relative) above the last."""


@dataclass
class Curve:
    """Every tier's points, in order of increasing chance; ``partial`` when --max-points cut it short."""

    method: str
    """How the curve was traced: exact (a staircase), exact_tol or sampled (a grid)."""
    probability_method: str = ""
    """The method of the chances shown (:func:`.solve.method_of`); a scenario file samples the solve only."""
    scenarios_used: dict = field(default_factory=dict)
    """What the run records of its scenarios (:meth:`.solve.ChanceOptions.used`)."""
    points: list[TierAnswer] = field(default_factory=list)
    walk_away: TierAnswer | None = None
    milps: int = 0
    partial: bool = False
    max_points: int = DEFAULT_MAX_POINTS
    """The most points traced; ``partial`` when they ran out before the curve ended."""
    errors: list[str] = field(default_factory=list)

    @property
    def staircase(self) -> bool:
        return self.method == "exact"

    @property
    def status(self) -> Status:
        """error (a tier could not be settled), infeasible (no point), partial (--max-points) or optimal."""
        if self.errors:
            return Status.ERROR
        if not self.points:
            return Status.INFEASIBLE
        return Status.PARTIAL if self.partial else Status.OPTIMAL

    def expected_gain(self) -> TierAnswer | None:
        """The point maximising P * (gain of the deal) + (1 - P) * (gain of walking away); gain = -net cost."""
        fallback = -self.walk_away.objective if self.walk_away and self.walk_away.objective is not None else 0.0
        candidates = [p for p in self.points if p.offer != (self.walk_away.offer if self.walk_away else None)]
        return max(candidates, key=lambda p: self.gain(p, fallback), default=None)

    def reach(self, top: float) -> str:
        """Where the deal tiers' chances end, in words (lower case, no full stop); ``top`` is the highest
        chance of a deal among the points. A partial curve claims nothing above what it traced, and a top
        just below 1 is not called "above 1"."""
        if self.partial:
            return (
                f"the curve was cut short at its maximum of {self.max_points} points: the highest chance "
                f"reached so far is {fmt(top)}, and packages with a higher chance may exist"
            )
        if top >= 1 - 1e-9:
            return "a package exists at every chance up to 1"
        if fmt(top) == fmt(1.0):
            return f"the highest chance a package within our red lines reaches is just below 1 (1 - {fmt(1 - top)})"
        return f"above {fmt(top)} no package within our red lines exists"

    @property
    def gain_scope(self) -> str:
        """How far the expected-gain point is the best: among every point, or only those a partial curve has."""
        return " among the points computed" if self.partial else ""

    def gain(self, point: TierAnswer, fallback: float | None = None) -> float:
        if fallback is None:
            fallback = -self.walk_away.objective if self.walk_away and self.walk_away.objective is not None else 0.0
        probability = point.acceptance.probability
        return probability * -point.objective + (1 - probability) * fallback


def acceptance_curve(
    loaded: LoadedInstance,
    options: SolveOptions,
    max_points: int = DEFAULT_MAX_POINTS,
    chance: ChanceOptions | None = None,
) -> Curve:
    """The cost–probability curve of every tier (walk-away: its one point)."""
    chance = chance or ChanceOptions()
    means = at_means(loaded)
    instance = means.instance
    own = method_of(instance)
    method, scenarios = chance.scenarios(instance, own)
    curve = Curve(method, own, chance.used(own, scenarios), max_points=max_points)
    for offer in list(instance.offer_items) or [None]:
        if offer is not None and instance.offer_items[offer].walk_away:
            among = conditions_of(instance, offer)
            solver = TierSolver(
                means, offer, among, chance.tier_method(instance, offer), options, chance.seed, scenarios, floor=FLOOR
            )
            curve.walk_away = solver.least_cost(1.0) or (solver.most_likely() if among else None)  # P < 1: a red line
            curve.milps += solver.solves
            if curve.walk_away is not None:
                curve.points.append(curve.walk_away)
            continue
        solver = TierSolver(
            means,
            offer,
            conditions_of(instance, offer),
            chance.tier_method(instance, offer),
            options,
            chance.seed,
            scenarios,
            floor=FLOOR,
        )
        try:
            trace = _staircase if solver.method == "exact" else _grid
            curve.partial |= trace(solver, curve, max_points - len(curve.points))
        except SolveFailed as err:
            curve.errors.append(f"{offer}: {err}")
        curve.milps += solver.solves
    return curve


def _staircase(solver: TierSolver, curve: Curve, room: int) -> bool:
    """Append the exact breakpoints of one tier; True when ``room`` ran out first."""
    below = FLOOR
    while True:
        cheapest = solver.least_cost(below)
        if cheapest is None:
            return False
        if room <= 0:
            return True
        point = solver.most_likely(cost_cap=cheapest.objective) or cheapest
        curve.points.append(point)
        room -= 1
        reached = point.acceptance.probability
        if reached >= 1 - 1e-12:
            return False
        below = reached * (1 + STEP_ABOVE)


def _grid(solver: TierSolver, curve: Curve, room: int) -> bool:
    """Append the least-cost package at each target of the grid up to the tier's highest chance."""
    most = solver.most_likely()
    if most is None:
        return False
    top = most.measured if solver.method == "sampled" else most.acceptance.probability
    targets = [round(GRID_STEP * k, 10) for k in range(1, int(top / GRID_STEP) + 1)] + [top]
    for target in sorted(set(targets)):
        if room <= 0:
            return True
        point = solver.least_cost_alone(target) if solver.method == "sampled" else solver.least_cost(target)
        if point is not None:
            curve.points.append(point)
            room -= 1
    return False
