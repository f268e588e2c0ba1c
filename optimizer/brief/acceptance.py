"""The brief's chance of acceptance: what each step up in the counterpart's chance of accepting costs, and whom.

From :func:`optimizer.chance.curve.acceptance_curve`: every tier's least cost at each
reachable chance. The brief reads its lower envelope over the deal tiers (the cheapest
package reaching each chance), for example "The cheapest deal is accepted with probability
0.4; 0.8 costs 3.1 points more (Farmers +2, Finance +1.1); above 0.95 no package within
our red lines exists."
"""

from __future__ import annotations

from ..chance.curve import acceptance_curve
from ..chance.probability import acceptance_of
from ..explain.words import label
from ..formatting import fmt
from ..instance import LoadedInstance
from ..result import Result
from ..schema import Instance
from ..solver import SolveOptions
from ..tolerance import tolerance
from .words import concession, short, signed, tier_name

MILESTONES = (0.5, 0.8, 0.9, 0.95, 0.99)
"""The chances the brief prices, beyond the cheapest deal's."""
WHO = 3
"""How many constituencies a price names."""


def part(loaded: LoadedInstance, result: Result, options: SolveOptions) -> dict:
    """brief.json's ``acceptance``: the statements, one row per point of the curve, and how it was computed."""
    instance = loaded.instance
    curve = acceptance_curve(loaded, options)
    walk_away = curve.walk_away.offer if curve.walk_away is not None else None
    deals = sorted(
        (p for p in curve.points if p.offer != walk_away and p.acceptance is not None and p.objective is not None),
        key=lambda p: (p.acceptance.probability, p.objective),
    )
    envelope = _envelope(deals)
    cheapest = envelope[0] if envelope else None
    rows = [
        {
            "offer": point.offer,
            "tier": label(instance.offer_items, point.offer) if point.offer else "",
            "probability": point.acceptance.probability,
            "probability_method": point.acceptance.method,
            "objective": point.objective,
            "above_cheapest_deal": point.objective - cheapest.objective if cheapest else None,
            "cheapest_for_its_chance": point in envelope,
            "package": [concession(instance, j, v) for j, v in point.evaluation.package.levers().items()],
        }
        for point in sorted(curve.points, key=lambda p: (str(p.offer), p.acceptance.probability if p.acceptance else 0))
    ]
    statements = _statements(instance, curve, envelope)
    if result.verified and result.offer is not None:
        statements.insert(1, _recommended(instance, result))
    return {
        "method": curve.method,
        "staircase": curve.staircase,
        "partial": curve.partial,
        "errors": list(curve.errors),
        "milps": curve.milps,
        "statements": statements,
        "rows": rows,
    }


def _recommended(instance: Instance, result: Result) -> str:
    """The recommendation's own chance of acceptance."""
    chance = next(row for row in acceptance_of(instance, result.package)["per_offer"] if row["offer"] == result.offer)
    return (
        f"The recommendation ({tier_name(instance, result.offer)}, {fmt(result.objective)} points, solved "
        f"with the instance's own numbers) is accepted with probability {fmt(chance['probability'])}."
    )


def _envelope(deals: list) -> list:
    """The points no other deal beats: each cheaper than every point with a higher chance, by increasing chance."""
    envelope = []
    for point in reversed(deals):
        if not envelope or point.objective < envelope[-1].objective - tolerance(envelope[-1].objective):
            envelope.append(point)
    return envelope[::-1]


def _statements(instance: Instance, curve, envelope: list) -> list[str]:
    if not envelope:
        return ["No deal tier has a package with any chance of acceptance within our red lines."]
    cheapest = envelope[0]
    p0 = cheapest.acceptance.probability
    statements = [
        f"The cheapest deal ({tier_name(instance, cheapest.offer)}, {fmt(cheapest.objective)} points) "
        f"is accepted with probability {fmt(p0)}."
    ]
    priced = []
    for target in MILESTONES:
        point = next((p for p in envelope if p.acceptance.probability >= target), None)
        if target <= p0 or point is None or point is cheapest or point in priced:
            continue
        priced.append(point)
        tier = "" if point.offer == cheapest.offer else f" ({tier_name(instance, point.offer)})"
        statements.append(
            f"Probability {fmt(point.acceptance.probability)}{tier} costs {fmt(point.objective - cheapest.objective)} points more "
            f"({_who(instance, cheapest, point)})."
        )
    highest = envelope[-1].acceptance.probability
    if highest < 1 or curve.partial:
        reach = curve.reach(highest)
        statements.append(reach[0].upper() + reach[1:] + ".")
    best = curve.expected_gain()
    if best is not None:
        statements.append(
            f"The highest expected gain{curve.gain_scope}: {tier_name(instance, best.offer)} at {fmt(best.objective)} points, "
            f"accepted with probability {fmt(best.acceptance.probability)} "
            f"(expected gain {fmt(curve.gain(best))} points: the deal's gain weighted by its chance, walking away's by the rest)."
        )
    statements.append(
        "Beliefs are discrete: the curve is a staircase and its breakpoints are exact."
        if curve.staircase
        else f"Chances are {curve.method}: the curve is traced at steps of the chance."
    )
    return statements + [f"Not traced: {error}" for error in curve.errors]


def _who(instance: Instance, base, point) -> str:
    """Who bears the extra cost of ``point`` over ``base``: the largest weighted moves, in points."""
    moves = {
        k: group.weight * (point.evaluation.net(k) - base.evaluation.net(k))
        for k, group in instance.constituencies.items()
    }
    larger = sorted((m for m in moves.items() if abs(m[1]) > tolerance(base.objective)), key=lambda m: -abs(m[1]))
    return ", ".join(f"{short(instance.constituencies, k)} {signed(move)}" for k, move in larger[:WHO])
