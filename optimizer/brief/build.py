"""Building the negotiation brief from a solved result: every section computed, no hand-written text.

Re-solves (each verified) to compare tiers, find what limits the answer, price each
demand and rank alternatives; see :mod:`optimizer.brief.tiers`, :mod:`optimizer.brief.limiting`.
"""

from __future__ import annotations

from ..explain.alternatives import alternatives
from ..explain.members import edited
from ..explain.prices import FIRST_STEP, ThresholdPrice, threshold_prices
from ..explain.who_pays import who_pays
from ..explain.words import label, quantity
from ..formatting import fmt
from ..instance import LoadedInstance
from ..result import Result
from ..solver import SolveOptions
from ..status import Status
from .analyses import analyses_of, applicable
from .brief import FORMAT, Brief
from .limiting import limiting_items
from .sources import sources
from .tiers import cheapest_per_tier, what_a_deal_takes
from .words import concession, signed

ALTERNATIVES = 3
"""How many alternatives the brief shows."""
BRIEF_TAU = 1.0
"""How different each of the brief's alternatives is from the others (see docs/alternatives.md): at least a
whole lever's range, a lever taken or left, another option or another offer. The brief names the few real
alternatives a negotiator could put on the table; ``dealopt alternatives --tau`` goes finer."""


def build_brief(
    loaded: LoadedInstance, result: Result, options: SolveOptions | None = None, analyses: tuple[str, ...] = ()
) -> Brief:
    """The brief of ``result``, the solve of ``loaded``; re-solves to price, compare tiers and rank alternatives.

    ``analyses`` names the optional analyses to add (:data:`optimizer.brief.analyses.ANALYSES`), each when it
    applies to the instance; the brief lists the applicable ones either way, so that it can say how to add them.
    """
    options = options or SolveOptions()
    instance = loaded.instance
    data = {
        "format": FORMAT,
        "instance": {"name": instance.name, "title": instance.title or instance.name},
        "status": str(result.status),
        "message": result.message,
        "reasons": list(result.reasons),
    }
    if result.status != Status.OPTIMAL:
        return Brief(data)
    tiers = cheapest_per_tier(loaded, options)
    walk_away_wins = bool(result.offer) and instance.offer_items[result.offer].walk_away
    items = limiting_items(loaded, result, options)
    data |= {
        "recommendation": _recommendation(loaded, result),
        "tiers": _tiers(loaded, result, tiers),
        "deal_needs": what_a_deal_takes(loaded, tiers, options) if walk_away_wins else [],
        "limiting": [item.as_dict() for item in items],
        "who_pays": _who_pays(result),
        "prices": _prices(loaded, result, options),
        "alternatives": _alternatives(loaded, result, options),
        "sources": sources(instance, list(result.package.levers()), result.offer, [i.key for i in items if i.limiting]),
        "analyses": applicable(instance),
    }
    return with_analyses(Brief(data), loaded, result, options, analyses)


def with_analyses(
    brief: Brief, loaded: LoadedInstance, result: Result, options: SolveOptions, analyses: tuple[str, ...]
) -> Brief:
    """``brief`` (of ``result``) with the optional ``analyses`` that apply added; a brief without an optimum
    has none. Adding them to a brief already built re-solves nothing the brief holds."""
    if "recommendation" not in brief.data:
        return brief
    return Brief(brief.data | analyses_of(loaded, result, options, analyses))


def _recommendation(loaded: LoadedInstance, result: Result) -> dict:
    instance = loaded.instance
    offer = result.offer
    levers = result.package.levers()
    unit = instance.units.get("cost", "points")
    return {
        "offer": offer,
        "offer_label": label(instance.offer_items, offer) if offer else None,
        "walk_away": bool(offer) and instance.offer_items[offer].walk_away,
        "objective": result.objective,
        "objective_meaning": (
            f"net political cost in {unit}: the weighted cost of the package to each constituency minus the "
            "weighted benefits of the offer; below 0 is a net gain at home, above 0 a net loss"
        ),
        "concessions": [
            {
                "lever": name,
                "label": label(instance.levers, name),
                "amount": None if isinstance(value, str) else value,
                "option": value if isinstance(value, str) else None,
                "unit": instance.levers[name].unit,
                "text": concession(instance, name, value),
            }
            for name, value in levers.items()
        ],
    }


def _tiers(loaded: LoadedInstance, result: Result, tiers: dict[str, Result]) -> list[dict]:
    instance = loaded.instance
    rows = []
    for offer, cheapest in tiers.items():
        found = cheapest.status == Status.OPTIMAL
        rows.append(
            {
                "offer": offer,
                "label": label(instance.offer_items, offer),
                "walk_away": instance.offer_items[offer].walk_away,
                "chosen": offer == result.offer,
                "status": str(cheapest.status),
                "objective": cheapest.objective if found else None,
                "above_recommendation": cheapest.objective - result.objective if found else None,
                "package": [concession(instance, j, v) for j, v in cheapest.package.levers().items()] if found else [],
            }
        )
    return rows


def _who_pays(result: Result) -> list[dict]:
    """Explain's who-pays table (share of the gross weighted cost), with each gain and margin to a red line."""
    caps = {row["constituency"]: row for row in result.rows["constituencies"].rows}
    rows = []
    for row in who_pays(result.instance, result.evaluation).to_dict("records"):
        k = row["constituency"]
        rows.append(
            {
                "constituency": k,
                "label": row["label"],
                "weight": row["weight"],
                "cost": row["cost"],
                "weighted_cost": row["weighted_cost"],
                "share_of_gross_cost": row["share"],
                "benefit": row["benefit"],
                "weighted_gain": row["weight"] * row["benefit"],
                "weighted_net": row["weighted_net"],
                "cap": caps[k].get("cap"),
                "margin_to_red_line": caps[k].get("headroom"),
            }
        )
    return rows


def _prices(loaded: LoadedInstance, result: Result, options: SolveOptions) -> list[dict]:
    """The price of raising each threshold in force, its range, and what lies beyond it, in words."""
    rows = []
    for price in threshold_prices(loaded, result, options):
        member = price.member
        if member.kind != "demand" and member.offer != result.offer:
            continue
        beyond = _beyond(loaded, result, price, options)
        rows.append(
            {
                "threshold": member.key,
                "metric": member.name,
                "value": member.bound,
                "achieved": price.achieved,
                "price_per_unit": price.piece.price,
                "jump": price.piece.jump,
                "holds_until": price.holds_until if price.piece.ends != "never" else None,
                "beyond": price.piece.ends,
                "beyond_at": beyond[0],
                "beyond_extra": beyond[1],
                "beyond_mostly": beyond[2],
                "statement": _price_sentence(loaded, price, beyond),
            }
        )
    return rows


def _beyond(loaded: LoadedInstance, result: Result, price: ThresholdPrice, options: SolveOptions):
    """Just past the end of a price's range: (the threshold there, the extra cost, who bears most of it)."""
    from ..api import solve_loaded

    if price.piece.ends != "kink":
        return None, None, None
    at = price.holds_until + FIRST_STEP * price.member.scale
    past = solve_loaded(edited(loaded, values={price.member: at}), options)
    if past.status != Status.OPTIMAL:
        return at, None, None
    instance = loaded.instance
    moves = {
        k: group.weight * (past.evaluation.net(k) - result.evaluation.net(k))
        for k, group in instance.constituencies.items()
    }
    mostly = max(moves, key=moves.get) if moves else None
    return at, past.objective - result.objective, mostly


def _price_sentence(loaded: LoadedInstance, price: ThresholdPrice, beyond) -> str:
    instance = loaded.instance
    member, piece = price.member, price.piece
    metric = instance.metrics[member.name]
    what = f"asking more {label(instance.metrics, member.name)} than {quantity(member.bound, metric.unit)}"
    if piece.price is None:
        return f"{what} is impossible: no package would then be acceptable"
    per = f"{fmt(piece.price)} points per {metric.unit or 'unit'}" if piece.price else "nothing"
    if piece.jump:
        per = f"{fmt(piece.jump)} points at once, then {per if piece.price else 'nothing more'}"
    if piece.ends == "never":
        return f"{what} costs {per}, however high it goes"
    sentence = f"{what} costs {per} up to {quantity(price.holds_until, metric.unit)}"
    at, extra, mostly = beyond
    if piece.ends == "infeasible" or extra is None:
        return f"{sentence}; beyond, no package is acceptable"
    who = f", mostly to {label(instance.constituencies, mostly)}" if mostly else ""
    return f"{sentence}; beyond it, {signed(extra)} points in all{who}"


def _alternatives(loaded: LoadedInstance, result: Result, options: SolveOptions) -> list[dict]:
    ranked = alternatives(loaded, k=ALTERNATIVES + 1, tau=BRIEF_TAU, options=options)
    found = ranked.found
    return [
        {
            "rank": rank,
            "offer": other.package.offer,
            "objective": other.objective,
            "above_recommendation": other.objective - result.objective,
            "package": other.package.levers(),
            "changes": ranked.changes(other),
        }
        for rank, other in enumerate(found[1:], start=1)
    ]
