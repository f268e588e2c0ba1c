"""Generated instances: large, valid and feasible deals for benchmarks and tests.

``generate_instance(levers=500, seed=0)`` returns the plain data of an
instance (what a YAML file holds) with every lever kind of a negotiation
(binary, integer, continuous with linear and piecewise costs, choice; not the
rectangle, which only imports of nonlinear GENIUS domains make), a walk-away offer and
three deal tiers, a global demand, and red lines of all seven kinds. The same
arguments always give the same instance.

Feasibility is built in: a *reference package* (every third lever at its
largest size, the top deal granted) is chosen first, and every threshold, cap
and limit is set from what that package achieves and costs, with room to
spare. The optimiser then has a real choice, since many cheaper packages
meet the thresholds too.
"""

from __future__ import annotations

import random
from typing import Any

from .kinds.levers import term_value
from .schema import CostTerm, GiveTerm

METRICS = ("deficit_cut", "investment", "market_access", "symbolic")
DEAL_SHARE = {"deal_low": 0.15, "deal_mid": 0.3, "deal_high": 0.45}
"""Each deal tier requires this share of what the reference package achieves."""
DEAL_TARIFF = {"deal_low": 25.0, "deal_mid": 15.0, "deal_high": 10.0}
MAX_GENERATED_LEVERS = 5000
"""The most ``dealopt generate`` writes: about 70% of the 200,000 values an instance file may
hold (6,500 levers still fit)."""
TARIFF_CAP = 20.0
"""The offer red line: any deal must bring the tariff to 20 or below (deal_low does not)."""


def generate_instance(levers: int = 500, seed: int = 0, counterpart: bool = False) -> dict[str, Any]:
    """A valid, feasible instance with ``levers`` levers (at least 8), the same for the same seed.

    With ``counterpart``, it has a ``counterpart:`` section too (:func:`counterpart_section`), for the frontier.
    """
    if levers < 8:
        raise ValueError("generate at least 8 levers, so that every lever kind and red-line kind appears")
    rng = random.Random(seed)
    groups = [f"group_{i}" for i in range(max(3, levers // 50))]
    lever_data = {f"lever_{i:04d}": _lever(rng, i, groups) for i in range(levers)}
    reference = {name for i, name in enumerate(lever_data) if i % 3 == 0}
    achieved, costs = _reference_totals(lever_data, reference)
    data: dict[str, Any] = {
        "format": 1,
        "name": f"generated_{levers}_{seed}",
        "title": f"Generated deal with {levers} levers (seed {seed})",
        "constituencies": {g: {"weight": round(rng.uniform(0.5, 3.0), 2)} for g in groups},
        "metrics": {m: {"label": m.replace("_", " ")} for m in METRICS},
        "levers": lever_data,
        "offers": _offers(rng, achieved, groups),
        "demands": {"deficit_cut": round(0.05 * achieved["deficit_cut"], 3)},
        "red_lines": _red_lines(lever_data, reference, costs),
    }
    if counterpart:
        data["counterpart"] = counterpart_section()
    return data


def counterpart_section() -> dict[str, Any]:
    """What every package is worth to the counterpart: each metric valued, each deal tier costing it more."""
    return {
        "label": "Counterpart",
        "unit": "value points",
        "value": {"deficit_cut": 1.0, "investment": 0.05, "market_access": 0.2, "symbolic": 0.1},
        "offer_cost": {tier: round(20 * share, 3) for tier, share in DEAL_SHARE.items()},
    }


def _lever(rng: random.Random, index: int, groups: list[str]) -> dict[str, Any]:
    """A lever of the kind its index picks: binary, integer, continuous (linear or piecewise) or choice."""
    kind = ("binary", "integer", "continuous", "continuous", "choice")[index % 5]
    metrics = rng.sample(METRICS, rng.randint(1, 2))
    payers = rng.sample(groups, min(len(groups), rng.randint(1, 2)))
    if kind == "choice":
        options = {}
        for level in range(rng.randint(2, 4)):
            scale = 1 + level
            options[f"option_{level}"] = {
                "gives": {m: round(scale * rng.uniform(2, 10), 3) for m in metrics},
                "costs": {g: round(scale * rng.uniform(1, 5), 3) for g in payers},
            }
        return {"kind": "choice", "options": options}
    if kind == "binary":
        return {
            "kind": "binary",
            "gives": {m: {"fixed": round(rng.uniform(1, 10), 3)} for m in metrics},
            "costs": {g: {"fixed": round(rng.uniform(1, 8), 3)} for g in payers},
        }
    size = float(rng.randint(5, 50)) if kind == "integer" else round(rng.uniform(1, 100), 2)
    # Most continuous levers have no fixed terms (any amount is fine); the others start at a tenth of max.
    fixed = kind == "integer" or rng.random() < 0.2
    lever: dict[str, Any] = {
        "kind": kind,
        "max": size,
        "min_if_used": float(rng.randint(1, 3)) if kind == "integer" else round(size / 10, 3) if fixed else 0.0,
        "gives": {m: round(rng.uniform(0.05, 1.0), 3) for m in metrics},
        "costs": {},
    }
    for g in payers:
        per_unit: Any = round(rng.uniform(0.02, 0.5), 3)
        if rng.random() < 0.4:
            per_unit = [
                [round(size * rng.uniform(0.3, 0.7), 2), per_unit],
                [size, round(per_unit * rng.uniform(1.5, 3), 3)],
            ]
        lever["costs"][g] = {"fixed": round(rng.uniform(0.1, 2), 3) if fixed else 0.0, "per_unit": per_unit}
    return lever


def _reference_totals(levers: dict[str, dict], reference: set[str]) -> tuple[dict[str, float], dict[str, float]]:
    """What the reference package (its levers at their largest size) achieves per metric and costs per group."""
    achieved = dict.fromkeys(METRICS, 0.0)
    costs: dict[str, float] = {}
    for name in reference:
        lever = levers[name]
        if lever["kind"] == "choice":
            largest = list(lever["options"].values())[-1]
            gives, paid = largest["gives"], largest["costs"]
        else:
            amount = lever.get("max", 1.0)
            gives = {m: term_value(GiveTerm.model_validate(t), True, amount) for m, t in lever["gives"].items()}
            paid = {g: term_value(CostTerm.model_validate(t), True, amount) for g, t in lever["costs"].items()}
        for metric, value in gives.items():
            achieved[metric] += value
        for group, value in paid.items():
            costs[group] = costs.get(group, 0.0) + value
    return achieved, costs


def _offers(rng: random.Random, achieved: dict[str, float], groups: list[str]) -> dict[str, Any]:
    offers: dict[str, Any] = {"no_deal": {"walk_away": True, "attributes": {"tariff": 27.5}}}
    for tier, share in DEAL_SHARE.items():
        offers[tier] = {
            "requires": {m: round(share * value, 3) for m, value in achieved.items()},
            "benefits": {g: round(rng.uniform(5, 20) * (1 + 2 * share), 2) for g in groups},
            "attributes": {"tariff": DEAL_TARIFF[tier]},
        }
    return offers


def _red_lines(levers: dict[str, dict], reference: set[str], costs: dict[str, float]) -> list[dict[str, Any]]:
    """Red lines of all seven kinds, each one met by the reference package."""
    names = list(levers)
    sized_used = [n for n in names if n in reference and levers[n]["kind"] in ("integer", "continuous")]
    # requires, excludes and conditional lines name levers whose "used" is a decision of its own
    logical = [n for n in names if levers[n]["kind"] != "continuous" or levers[n]["min_if_used"] > 0]
    used = [n for n in logical if n in reference]
    unused = [n for n in logical if n not in reference]
    lines: list[dict[str, Any]] = [
        {"name": f"cap_{group}", "kind": "max_cost", "constituency": group, "max": round(1.5 * cost + 10, 2)}
        for group, cost in sorted(costs.items())
    ]
    limited = sized_used[:4]
    reference_total = sum(levers[n]["max"] for n in limited)
    lines += [
        {
            "name": "budget",
            "kind": "limit",
            "terms": dict.fromkeys(limited, 1.0),
            "max": round(1.2 * reference_total, 2),
            "min": 1.0,
        },
        {"name": "forbidden", "kind": "forbid", "levers": unused[:3]},
        {"name": "pairing", "kind": "requires", "lever": _nth(used, 1), "needs": _nth(used, 2)},
        {"name": "either_or", "kind": "excludes", "levers": [_nth(used, 3), _nth(unused, 3)]},
        {"name": "tariff_cap", "kind": "offer", "attribute": "tariff", "max": TARIFF_CAP},
        {
            "name": "only_in_a_big_deal",
            "kind": "conditional",
            "lever": _nth(used, 4),
            "offers": ["deal_mid", "deal_high"],
        },
    ]
    return lines


def _nth(names: list[str], index: int) -> str:
    """The name at ``index``, counting round again in a small instance.

    From 8 levers on, the reference package uses at least 2 levers with a "used" decision
    (indices 0 and 6) and leaves at least 3 unused (indices 1, 4 and 5), so the two names
    of a line are never the same lever.
    """
    return names[index % len(names)]
