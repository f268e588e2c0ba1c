"""The shared brute force: random small instances, and every package of one enumerated in plain Python.

Written from the model's math (docs/model.md) alone, with no code of the optimiser, so that
every capability (solve, sweeps, and those to come: frontiers, chances, alternatives,
sensitivity) can be checked against it. It enumerates every discrete decision (binary,
integer and choice levers, which offer is granted, whether the one continuous lever is used).
For the continuous lever's amount x, with everything else fixed, every constraint is
piecewise linear in x and the objective is convex, so the optimum lies at an end of the
feasible interval or at a breakpoint: it suffices to try the ends of [min_if_used, max], the
curve breakpoints, and every point where a constraint's slack crosses zero.

``instances()`` is a hypothesis strategy of such instances (plain dicts);
``acceptable_packages(data)`` yields every acceptable package with its objective and what it
does (achieved per metric, cost and benefit per constituency); ``brute_force(data)`` is the
least objective. Build new checks (frontiers, chances, alternatives, sensitivity) on
``acceptable_packages`` rather than on a brute force of their own.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator
from dataclasses import dataclass, field

from hypothesis import strategies as st

METRICS = ("m", "k")
CONSTITUENCIES = ("a", "b")
small = st.integers(-3, 5)


def _terms(draw, keys, fixed: bool) -> dict:
    chosen = draw(st.lists(st.sampled_from(keys), unique=True, max_size=len(keys)))
    return {key: {"fixed": draw(small) if fixed else 0, "per_unit": draw(small)} for key in chosen}


def _curve(draw, upper: int):
    """A convex piecewise curve with whole breakpoints up to ``upper``, or a plain number."""
    if upper < 1 or not draw(st.booleans()):
        return draw(small)
    points = sorted(draw(st.lists(st.integers(1, upper), unique=True, min_size=1, max_size=3)))
    marginals = sorted(draw(st.lists(st.integers(-2, 4), min_size=len(points), max_size=len(points))))
    return [[p, c] for p, c in zip(points, marginals, strict=True)]


@st.composite
def lever(draw, kind: str) -> dict:
    if kind == "choice":
        names = draw(st.lists(st.sampled_from(["o1", "o2", "o3"]), unique=True, min_size=1, max_size=3))
        options = {
            o: {
                "gives": {m: draw(small) for m in draw(st.lists(st.sampled_from(METRICS), unique=True))},
                "costs": {k: draw(small) for k in draw(st.lists(st.sampled_from(CONSTITUENCIES), unique=True))},
            }
            for o in names
        }
        return {"kind": "choice", "options": options, "required": draw(st.booleans())}
    out = {"kind": kind, "gives": _terms(draw, METRICS, fixed=True)}
    costs = _terms(draw, CONSTITUENCIES, fixed=True)
    if kind == "binary":
        out["costs"] = costs
        return out
    out["max"] = draw(st.integers(1, 3)) if kind == "integer" else draw(st.sampled_from([1, 2, 2.5, 4]))
    out["min_if_used"] = draw(st.integers(1, out["max"])) if kind == "integer" else draw(st.sampled_from([0, 0.5, 1]))
    for term in costs.values():
        term["per_unit"] = _curve(draw, math.floor(out["max"]))
    out["costs"] = costs
    return out


@st.composite
def instances(draw) -> dict:
    kinds = draw(st.lists(st.sampled_from(["binary", "integer", "choice", "continuous"]), max_size=4))
    if kinds.count("continuous") > 1:  # the brute force handles one continuous amount
        first = kinds.index("continuous")
        kinds = [k for i, k in enumerate(kinds) if k != "continuous" or i == first]
    levers = {f"l{i}": draw(lever(kind)) for i, kind in enumerate(kinds)}
    data = {
        "format": 1,
        "name": "random",
        "constituencies": {k: {"weight": draw(st.sampled_from([0, 0.5, 1, 2]))} for k in CONSTITUENCIES},
        "metrics": {m: {} for m in METRICS},
        "levers": levers,
        "demands": {m: draw(st.integers(-2, 6)) for m in draw(st.lists(st.sampled_from(METRICS), unique=True))},
    }
    offer_count = draw(st.integers(0, 3))
    if offer_count:
        offers = {}
        for i in range(offer_count):
            if i == 0 and draw(st.booleans()):
                offers["walk"] = {"walk_away": True, "benefits": {"a": draw(st.integers(-2, 2))}}
                continue
            offers[f"t{i}"] = {
                "requires": {m: draw(st.integers(0, 8)) for m in draw(st.lists(st.sampled_from(METRICS), unique=True))},
                "benefits": {k: draw(st.integers(0, 8)) for k in draw(st.lists(st.sampled_from(CONSTITUENCIES)))},
                "attributes": {"tariff": draw(st.integers(0, 30))},
            }
        data["offers"] = offers
    data["red_lines"] = [draw(red_line(f"r{i}", data)) for i in range(draw(st.integers(0, 3)))]
    _give_used_continuous_levers_a_minimum(data)
    return data


@st.composite
def red_line(draw, name: str, data: dict) -> dict:
    levers = list(data["levers"])
    offers = list(data.get("offers", {}))
    kinds = ["max_cost"]
    if levers:
        kinds += ["limit", "forbid"]
    if len(levers) >= 2:
        kinds += ["requires", "excludes"]
    if offers:
        kinds.append("offer")
    if offers and levers:
        kinds.append("conditional")
    kind = draw(st.sampled_from(kinds))
    line = {"name": name, "kind": kind}
    if kind == "max_cost":
        line |= {"constituency": draw(st.sampled_from(CONSTITUENCIES)), "max": draw(st.integers(-1, 10))}
    elif kind == "limit":
        terms = draw(st.lists(st.sampled_from(levers), unique=True, min_size=1, max_size=2))
        line["terms"] = {j: draw(st.sampled_from([-2, -1, 1, 2])) for j in terms}
        low, high = sorted(draw(st.lists(st.integers(-3, 6), min_size=2, max_size=2)))
        line |= draw(st.sampled_from([{"min": low}, {"max": high}, {"min": low, "max": high}]))
    elif kind == "forbid":
        line["levers"] = draw(st.lists(st.sampled_from(levers), unique=True, min_size=1, max_size=2))
    elif kind == "requires":
        lever_name, needs = draw(st.lists(st.sampled_from(levers), unique=True, min_size=2, max_size=2))
        line |= {"lever": lever_name, "needs": needs}
    elif kind == "excludes":
        line["levers"] = draw(st.lists(st.sampled_from(levers), unique=True, min_size=2, max_size=3))
    elif kind == "offer":
        low, high = sorted(draw(st.lists(st.integers(0, 30), min_size=2, max_size=2)))
        line |= {
            "attribute": "tariff",
            **draw(st.sampled_from([{"min": low}, {"max": high}, {"min": low, "max": high}])),
        }
    else:
        line |= {
            "lever": draw(st.sampled_from(levers)),
            "offers": draw(st.lists(st.sampled_from(offers), unique=True, min_size=1)),
        }
    return line


def _give_used_continuous_levers_a_minimum(data: dict) -> None:
    """docs/model.md: a continuous lever with fixed terms or named by a logical red line needs min_if_used > 0."""
    logical = set()
    for line in data["red_lines"]:
        logical.update(line.get("levers", []) if line["kind"] == "excludes" else [])
        logical.update(line[key] for key in ("lever", "needs") if key in line)
    for name, lever_data in data["levers"].items():
        if lever_data["kind"] != "continuous" or lever_data["min_if_used"] > 0:
            continue
        fixed = any(t["fixed"] for part in ("gives", "costs") for t in lever_data[part].values())
        if fixed or name in logical:
            lever_data["min_if_used"] = 1


# -- the brute force ----------------------------------------------------------------------


def curve_value(per_unit, amount: float) -> float:
    if not isinstance(per_unit, list):
        return per_unit * amount
    total, low = 0.0, 0.0
    for point, marginal in per_unit:
        total += marginal * max(0.0, min(amount, point) - low)
        low = point
    return total + per_unit[-1][1] * max(0.0, amount - low)


def lever_states(lever_data: dict) -> list:
    """The discrete states of a lever: amounts, option names, or 'on' for the continuous lever."""
    kind = lever_data["kind"]
    if kind == "binary":
        return [0, 1]
    if kind == "integer":
        return [0, *range(math.ceil(lever_data["min_if_used"]), int(lever_data["max"]) + 1)]
    if kind == "choice":
        return [None, *lever_data["options"]]
    return [0, "on"]


def outcome(data: dict, states: dict, offer: str | None, x: float):
    """(slacks that must be >= 0, objective) of one package; x is the continuous lever's amount if 'on'."""
    slacks, objective, _ = outcome_in_full(data, states, offer, x)
    return slacks, objective


def outcome_in_full(data: dict, states: dict, offer: str | None, x: float):
    """(slacks, objective, what the package does: achieved per metric, cost and benefit per constituency)."""
    levers = data["levers"]
    used, amount, picked = {}, {}, {}
    for j, state in states.items():
        if levers[j]["kind"] == "choice":
            picked[j] = state
            used[j] = state is not None
            amount[j] = float(state is not None)
        else:
            amount[j] = x if state == "on" else float(state)
            used[j] = state == "on" or state != 0
    achieved = dict.fromkeys(data["metrics"], 0.0)
    cost = dict.fromkeys(data["constituencies"], 0.0)
    for j, lever_data in levers.items():
        if lever_data["kind"] == "choice":
            if picked[j] is not None:
                option = lever_data["options"][picked[j]]
                for m, v in option["gives"].items():
                    achieved[m] += v
                for k, v in option["costs"].items():
                    cost[k] += v
        elif used[j]:
            for m, t in lever_data["gives"].items():
                achieved[m] += t["fixed"] + t["per_unit"] * amount[j]
            for k, t in lever_data["costs"].items():
                cost[k] += t["fixed"] + curve_value(t["per_unit"], amount[j])
    offers = data.get("offers", {})
    granted = offers.get(offer, {})
    benefit = {k: granted.get("benefits", {}).get(k, 0.0) for k in data["constituencies"]}
    objective = sum(g["weight"] * (cost[k] - benefit[k]) for k, g in data["constituencies"].items())

    slacks = [achieved[m] - d for m, d in data["demands"].items()]
    watched = {m for o in offers.values() for m in o.get("requires", {})}
    slacks += [achieved[m] - granted.get("requires", {}).get(m, 0.0) for m in watched]
    broken = any(lv["kind"] == "choice" and lv.get("required") and picked[j] is None for j, lv in levers.items())
    for line in data["red_lines"]:
        kind = line["kind"]
        if kind == "max_cost":
            slacks.append(line["max"] - cost[line["constituency"]])
        elif kind == "limit":
            body = sum(c * amount[j] for j, c in line["terms"].items())
            slacks += [line["max"] - body] if "max" in line else []
            slacks += [body - line["min"]] if "min" in line else []
        elif kind == "forbid":
            broken |= any(used[j] for j in line["levers"])
        elif kind == "requires":
            broken |= used[line["lever"]] and not used[line["needs"]]
        elif kind == "excludes":
            broken |= sum(used[j] for j in set(line["levers"])) > 1
        elif kind == "offer":
            if offer is not None and not granted.get("walk_away"):
                value = granted["attributes"]["tariff"]
                broken |= ("max" in line and value > line["max"]) or ("min" in line and value < line["min"])
        elif kind == "conditional":
            broken |= used[line["lever"]] and offer not in line["offers"]
    if broken:
        slacks.append(-1.0)
    return slacks, objective, {"achieved": achieved, "cost": cost, "benefit": benefit}


def feasible(slacks) -> bool:
    return all(s >= -1e-9 for s in slacks)


def candidate_amounts(data: dict, states: dict, offer, j: str) -> list[float]:
    """Ends, breakpoints, and zero crossings of every slack of the continuous lever j."""
    lever_data = data["levers"][j]
    low, high = float(lever_data["min_if_used"]), float(lever_data["max"])
    points = {low, high}
    for t in lever_data["costs"].values():
        if isinstance(t["per_unit"], list):
            points.update(float(p) for p, _ in t["per_unit"] if low < p < high)
    points = sorted(points)
    candidates = set(points)
    for left, right in itertools.pairwise(points):
        at_left, _ = outcome(data, states, offer, left)
        at_right, _ = outcome(data, states, offer, right)
        for f_left, f_right in zip(at_left, at_right, strict=True):
            if (f_left < 0) != (f_right < 0) and f_left != f_right:
                candidates.add(left + (right - left) * f_left / (f_left - f_right))
    return sorted(candidates)


@dataclass(frozen=True)
class Package:
    """One acceptable package: each lever's state (amount, option name or None), the offer, the objective."""

    states: dict
    """Lever -> 0/1 (binary), a whole amount (integer), an option name or None (choice), or the amount (continuous)."""
    offer: str | None
    objective: float
    achieved: dict = field(default_factory=dict)
    """Metric -> what the package achieves."""
    cost: dict = field(default_factory=dict)
    """Constituency -> its gross political cost."""
    benefit: dict = field(default_factory=dict)
    """Constituency -> its benefit from the granted offer."""


def acceptable_packages(data: dict, amounts: list[float] | None = None) -> Iterator[Package]:
    """Every acceptable package: for the continuous lever, the candidate amounts of the optimum, or ``amounts``
    (a grid, for capabilities whose answers need not sit at a candidate)."""
    levers = list(data["levers"])
    offers = list(data.get("offers", {})) or [None]
    for combo in itertools.product(*(lever_states(data["levers"][j]) for j in levers)):
        states = dict(zip(levers, combo, strict=True))
        on = [j for j, s in states.items() if s == "on"]
        for offer in offers:
            xs = (amounts if amounts is not None else candidate_amounts(data, states, offer, on[0])) if on else [0.0]
            for x in xs:
                if on and not data["levers"][on[0]]["min_if_used"] <= x <= data["levers"][on[0]]["max"]:
                    continue
                slacks, objective, effects = outcome_in_full(data, states, offer, x)
                if feasible(slacks):
                    chosen = {j: x if s == "on" else s for j, s in states.items()}
                    yield Package(chosen, offer, objective, **effects)


def brute_force(data: dict) -> float | None:
    """The least objective over every acceptable package, or None when none exists."""
    return min((package.objective for package in acceptable_packages(data)), default=None)


def pareto_points(points: list[tuple[float, float]], tie: float = 1e-12) -> list[tuple[float, float]]:
    """The Pareto frontier (both values maximised) of (ours, theirs) pairs, by sorting every pair.

    From the best for us to the best for them; pairs whose theirs differ by at most
    ``tie * max(1, |theirs|)`` after sorting by ours count as one.
    """
    frontier, best = [], -float("inf")
    for ours, theirs in sorted(points, key=lambda p: (-p[0], -p[1])):
        if theirs > best + tie * max(1.0, abs(theirs)):
            frontier.append((ours, theirs))
            best = theirs
    return frontier


@st.composite
def featured_instances(draw) -> dict:
    """Random instances that always have a piecewise cost, a walk-away offer, a deal tier and a
    conditional red line (the features a check must meet, which ``instances()`` draws only sometimes)."""
    data = draw(instances())
    levers = data["levers"]
    sized = [j for j, lv in levers.items() if lv["kind"] in ("integer", "continuous")]
    if not sized:
        levers["pw"] = draw(lever(draw(st.sampled_from(["integer", "continuous"]))))
        sized = ["pw"]
    j = draw(st.sampled_from(sized))
    top = math.floor(levers[j]["max"])
    points = sorted(draw(st.lists(st.integers(1, max(1, top)), unique=True, min_size=1, max_size=2)))
    marginals = sorted(draw(st.lists(st.integers(-1, 4), min_size=len(points), max_size=len(points))))
    levers[j]["costs"][draw(st.sampled_from(CONSTITUENCIES))] = {
        "fixed": draw(small),
        "per_unit": [[p, c] for p, c in zip(points, marginals, strict=True)],
    }
    offers = data.setdefault("offers", {})
    if not any(o.get("walk_away") for o in offers.values()):
        offers["walk"] = {"walk_away": True, "benefits": {"a": draw(st.integers(-2, 2))}}
    if all(o.get("walk_away") for o in offers.values()):
        offers["deal"] = {
            "requires": {m: draw(st.integers(0, 6)) for m in draw(st.lists(st.sampled_from(METRICS), unique=True))},
            "benefits": {k: draw(st.integers(0, 8)) for k in draw(st.lists(st.sampled_from(CONSTITUENCIES)))},
            "attributes": {"tariff": draw(st.integers(0, 30))},
        }
    if not any(line["kind"] == "conditional" for line in data["red_lines"]):
        data["red_lines"].append(
            {
                "name": "cond",
                "kind": "conditional",
                "lever": draw(st.sampled_from(list(levers))),
                "offers": draw(st.lists(st.sampled_from(list(offers)), unique=True, min_size=1)),
            }
        )
    _give_used_continuous_levers_a_minimum(data)
    return data


@st.composite
def monotone_continuous_instances(draw, base=None) -> dict:
    """Random instances (of ``base``, default ``instances()``) with exactly one continuous lever whose costs all
    move one way as its amount grows.

    Every cost curve of the continuous lever is made non-decreasing (or, drawn, non-increasing) by
    clipping its marginal costs at zero, so it stays convex. Then, for fixed discrete decisions, the
    net cost of every constituency is monotone in the same direction along the amount: the smallest
    (largest) acceptable amount is no worse for anyone than any other, and the non-dominated amounts
    form one closed interval with one net-cost vector, whose ends ``acceptable_packages`` meets among
    its candidate amounts (interval ends, curve breakpoints, slack crossings). Checks that compare sets
    of packages (alternatives) can then treat the continuous amount exactly.
    """
    data = draw(base if base is not None else instances())
    levers = data["levers"]
    continuous = [j for j, lv in levers.items() if lv["kind"] == "continuous"]
    if not continuous:
        levers["x"] = draw(lever("continuous"))
        continuous = ["x"]
    clip = max if draw(st.booleans()) else min
    for term in levers[continuous[0]]["costs"].values():
        per_unit = term["per_unit"]
        term["per_unit"] = [[p, clip(c, 0)] for p, c in per_unit] if isinstance(per_unit, list) else clip(per_unit, 0)
    _give_used_continuous_levers_a_minimum(data)
    return data
