"""Alternatives against the shared brute force: the returned sequence is the true one under docs/alternatives.md.

On small random instances every acceptable package is enumerated (tests/brute_force.py); the
eligible ones (not dominated within their offer; of a walk-away offer only the least-cost) are
found by comparing every pair; and the greedy sequence is rebuilt from the tool's own earlier
answers, so ties are compared by objective, not identity.

Instances are of two kinds:

- **discrete**: binary, integer and choice levers only. Every package is enumerated.
- **continuous**: one continuous lever besides, whose costs all move one way with its amount
  (``monotone_continuous_instances``). The tool optimises the amount exactly, so a grid of amounts
  would not do: an amount off the grid can be cheaper than every grid amount, or dominate one. The
  check is exact instead, by working per *discrete class* D (the discrete decisions, the offer, and
  whether the lever is used when its use is a decision):

  1. *Acceptable amounts form an interval.* With D fixed, every metric and limit is linear in the
     amount x and every cost convex, so each acceptable set {slack(x) >= 0} is an interval, and so
     is their intersection [L, U].
  2. *Eligible amounts form an interval of equal net costs.* Every net cost of D moves the same way
     in x (say up). So net(L) <= net(x) for every constituency, and the total is lower unless every
     curve is flat on [L, x]: every x whose net costs differ from net(L) is dominated by (D, L), and
     the rest, [L, L'] with L' the first breakpoint where a curve rises (or U), share one net-cost
     vector and one objective, so they are eligible together or not at all. Dominance by another
     class D' only needs (D', L_D'), which is no worse for anyone than any other amount of D'.
     L, U and L' are among the brute force's candidate amounts (interval ends, breakpoints, slack
     crossings), so the eligible candidates of D span exactly [lo, hi] = [L, L'].
  3. *Distance is exact.* With D fixed, the distance to a listed package p is b_p + |x - x_p|/max,
     with b_p fixed, so "at distance >= tau from every listed package" leaves [lo, hi] minus the open
     intervals |x - x_p| < (tau - b_p)·max: a union of closed intervals whose ends are among lo, hi
     and x_p ± (tau - b_p)·max. D can still be listed exactly when one of these points qualifies,
     and then at D's one objective.

  Hence the next package of the true sequence costs the least objective over the classes that can
  still be listed, and the tool's answer must lie in the interval of such a class. With costs that
  fall and rise (a V-shaped curve, or one constituency's cost rising while another's falls), the
  eligible amounts can form an open interval whose infimum no package attains, and the sequence is
  defined only up to the tolerance; such instances get a one-sided check instead (the last test).
"""

from dataclasses import dataclass

import pytest
from brute_force import (
    Package,
    acceptable_packages,
    featured_instances,
    instances,
    monotone_continuous_instances,
    outcome_in_full,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from optimizer import load
from optimizer.explain import alternatives
from optimizer.tolerance import tolerance

EPS = 1e-6


def nets(data, package) -> tuple:
    return tuple(package.cost[k] - package.benefit[k] for k in data["constituencies"])


def dominated(data, p, packages, eps=EPS, each=None) -> bool:
    """Some package of the same offer has no higher net cost for anyone (within ``each``, default ``eps``),
    and a lower total, beyond ``eps``."""
    mine = nets(data, p)
    for q in packages:
        theirs = nets(data, q)
        if (
            q.offer == p.offer
            and all(a <= b + (eps if each is None else each(b)) for a, b in zip(theirs, mine, strict=True))
            and sum(mine) - sum(theirs) > eps
        ):
            return True
    return False


def walk_away(data, offer) -> bool:
    return offer is not None and data["offers"][offer].get("walk_away", False)


def eligible(data, packages) -> list:
    least = {}
    for p in packages:
        if walk_away(data, p.offer):
            least[p.offer] = min(least.get(p.offer, p.objective), p.objective)
    return [
        p
        for p in packages
        if not dominated(data, p, packages) and (not walk_away(data, p.offer) or p.objective <= least[p.offer] + EPS)
    ]


def use_is_decided(lever) -> bool:
    """All levers but continuous ones with ``min_if_used: 0`` (pure amounts)."""
    return lever["kind"] != "continuous" or lever["min_if_used"] > 0


def distance(data, a_states, a_offer, b_states, b_offer) -> float:
    total = float(a_offer != b_offer)
    for j, lever in data["levers"].items():
        a, b = a_states[j], b_states[j]
        if lever["kind"] in ("integer", "continuous"):
            total += abs(a - b) / lever["max"] + (use_is_decided(lever) and (a != 0) != (b != 0))
        else:  # binary 0/1, or a choice's option name or None
            total += a != b
    return total


def continuous_lever(data) -> str | None:
    return next((j for j, lever in data["levers"].items() if lever["kind"] == "continuous"), None)


def states_of(data, package) -> dict:
    """The tool's package in the brute force's terms: 0/1, an amount, an option or None."""
    out = {}
    for j, lever in data["levers"].items():
        if lever["kind"] == "choice":
            out[j] = package.picked[j][0] if package.picked[j] else None
        elif lever["kind"] == "continuous":
            out[j] = package.amount[j] if package.amount[j] > EPS else 0
        else:
            out[j] = round(package.amount[j])
    return out


@dataclass
class Segment:
    """The eligible packages of one discrete class: its continuous amounts span [lo, hi] (0 without one)."""

    states: dict
    offer: str | None
    objective: float
    nets: tuple
    lever: str | None
    """The continuous lever, if any."""
    lo: float = 0.0
    hi: float = 0.0

    def at(self, x: float) -> dict:
        """The class's lever states with the continuous amount ``x``."""
        return self.states | ({self.lever: x} if self.lever else {})


def discrete_class(data, states: dict, offer) -> tuple:
    """The discrete decisions of a package: its continuous amount reduced to used or not (when that is decided)."""
    j = continuous_lever(data)
    if j is None:
        return tuple(states.values()), offer
    lever = data["levers"][j]
    return tuple(
        "amount" if i == j and not use_is_decided(lever) else (s if i != j else s != 0) for i, s in states.items()
    ), offer


def segments(data, packages) -> list[Segment]:
    """The eligible packages grouped by discrete class, each class's amounts as one interval (see the module doc)."""
    j, out = continuous_lever(data), {}
    for p in packages:
        x = p.states[j] if j else 0.0
        seg = out.setdefault(
            discrete_class(data, p.states, p.offer), Segment(p.states, p.offer, p.objective, nets(data, p), j, x, x)
        )
        assert nets(data, p) == pytest.approx(seg.nets, abs=EPS), "the premise fails: eligible amounts differ in cost"
        seg.lo, seg.hi = min(seg.lo, x), max(seg.hi, x)
    return list(out.values())


def distant_amount(data, seg: Segment, listed: list, tau: float) -> float | None:
    """An amount of ``seg`` at distance >= tau from every listed package, or None (the module doc, point 3)."""
    points = {seg.lo, seg.hi}
    if seg.lever:
        top = data["levers"][seg.lever]["max"]
        for states, offer in listed:
            x = states[seg.lever]
            base = distance(data, seg.at(seg.lo), seg.offer, states, offer) - abs(seg.lo - x) / top
            points |= {x - (tau - base) * top, x + (tau - base) * top}
    for x in sorted(points):
        if seg.lo <= x <= seg.hi and all(
            distance(data, seg.at(x), seg.offer, states, offer) >= tau - EPS for states, offer in listed
        ):
            return x
    return None


def check_sequence(data, found, tau, bound=None) -> list[Segment]:
    """Each listed package is the least-cost eligible one at distance >= tau from those before; returns what is left."""
    packages = list(acceptable_packages(data))
    left = [s for s in segments(data, eligible(data, packages)) if bound is None or s.objective <= bound + EPS]
    listed = []
    for alternative in found.found:
        states, offer = states_of(data, alternative.package), alternative.package.offer
        open_ = [s for s in left if distant_amount(data, s, listed, tau) is not None]
        assert open_, f"listed {states} {offer}, but no eligible, distinct package is left"
        best = min(s.objective for s in open_)
        assert abs(alternative.objective - best) <= EPS * max(1, abs(best)), (alternative.objective, best)
        mine = [s for s in open_ if discrete_class(data, s.states, s.offer) == discrete_class(data, states, offer)]
        assert mine, f"{states} {offer} is not eligible"
        theirs = tuple(alternative.evaluation.net(k) for k in data["constituencies"])
        assert theirs == pytest.approx(mine[0].nets, abs=1e-5), f"{states} {offer}: not the class's eligible amounts"
        for earlier, earlier_offer in listed:
            assert distance(data, states, offer, earlier, earlier_offer) >= tau - EPS, (states, earlier)
        listed.append((states, offer))
        left = [s for s in open_ if not (walk_away(data, offer) and s.offer == offer)]
    return [s for s in left if distant_amount(data, s, listed, tau) is not None]


def discrete(data) -> bool:
    return all(lever["kind"] != "continuous" for lever in data["levers"].values())


CHECKED = {
    "discrete": instances().filter(discrete),
    "continuous": monotone_continuous_instances(),
    "featured": monotone_continuous_instances(featured_instances()),
}
"""The instances whose true sequence the brute force rebuilds exactly (see the module doc); ``featured`` always
has a piecewise cost, a walk-away offer and a conditional red line (slow: run with ``-m slow``)."""
KINDS = ["discrete", "continuous", pytest.param("featured", marks=pytest.mark.slow)]


@pytest.mark.parametrize("levers", KINDS)
@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(st.data(), st.sampled_from([0.1, 0.5, 1.0, 1.5]), st.integers(1, 5))
def test_best_is_the_greedy_sequence_of_eligible_packages(levers, drawn, tau, k):
    data = drawn.draw(CHECKED[levers])
    found = alternatives(load(data), k=k, tau=tau)
    left = check_sequence(data, found, tau)
    if len(found.found) < k:
        assert left == [], "the list stopped while an eligible, distinct package was left"
        assert found.shortfall.startswith(f"only {len(found.found)}") or not found.found


@pytest.mark.parametrize("levers", KINDS)
@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(st.data(), st.sampled_from([0.0, 20.0, 200.0]))
def test_within_lists_every_distinct_eligible_package_up_to_the_bound(levers, drawn, within):
    data = drawn.draw(CHECKED[levers])
    found = alternatives(load(data), within=within, tau=0.1)
    if not found.found:
        assert not list(acceptable_packages(data))
        return
    left = check_sequence(data, found, 0.1, found.bound)
    assert len(found.found) == found.asked or left == []


@pytest.mark.parametrize("levers", KINDS)
@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(st.data())
def test_per_offer_lists_the_least_cost_eligible_package_of_each_offer(levers, drawn):
    data = drawn.draw(CHECKED[levers].filter(lambda d: d.get("offers")))
    found = alternatives(load(data), per_offer=True)
    best = {}
    for p in eligible(data, list(acceptable_packages(data))):
        best[p.offer] = min(best.get(p.offer, p.objective), p.objective)
    assert {a.package.offer: a.objective for a in found.found} == {
        offer: pytest.approx(value, abs=EPS) for offer, value in best.items()
    }


GRID = 8
"""Amounts tried on every continuous lever besides the candidates: multiples of max/GRID."""


def judged_packages(data) -> list:
    """Every acceptable package at the candidate amounts (exact least costs) and on a grid of amounts."""
    j = continuous_lever(data)
    grid = [data["levers"][j]["max"] * i / GRID for i in range(GRID + 1)] if j else None
    return list(acceptable_packages(data)) + (list(acceptable_packages(data, grid)) if grid else [])


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(featured_instances().filter(lambda d: not discrete(d)), st.sampled_from([0.1, 0.5, 1.0]), st.integers(1, 5))
def test_best_on_any_continuous_instance_lists_acceptable_undominated_distinct_packages(data, tau, k):
    """One-sided, on instances whose costs may fall and rise along the amount (no exact sequence there).

    Each listed package is acceptable by the brute force's own arithmetic, at distance >= tau from
    those before, costs no less than the one before, and no enumerated package of its offer (candidate
    amounts and a grid) dominates it beyond the tolerance. A walk-away offer is listed at most once and
    only at its least cost, which the candidate amounts find exactly (the cost is convex in the amount).
    The first package costs the least of all acceptable packages (the optimum).
    """
    found = alternatives(load(data), k=k, tau=tau)
    packages = judged_packages(data)
    assert bool(found.found) == bool(packages)
    if not found.found:
        return
    assert found.optimum == pytest.approx(min(p.objective for p in packages), abs=EPS)
    listed = []
    for alternative in found.found:
        states, offer = states_of(data, alternative.package), alternative.package.offer
        x = states[continuous_lever(data)]  # as the lever's state, the amount counts as used when above 0
        slacks, objective, effects = outcome_in_full(data, states, offer, x)
        assert all(s >= -1e-5 for s in slacks), f"{states} {offer} is not acceptable"
        assert objective == pytest.approx(alternative.objective, abs=1e-5)
        assert not listed or alternative.objective >= listed[-1][2] - EPS, "the cost fell along the list"
        for earlier, earlier_offer, _ in listed:
            assert distance(data, states, offer, earlier, earlier_offer) >= tau - EPS, (states, earlier)
        # Lower for someone by more than the model's tolerance is not dominated (docs/alternatives.md), even by
        # a hair: a constituency of weight 0 can be better off by 2e-6 at no cost to the objective.
        listed_package = Package(states, offer, objective, **effects)
        assert not dominated(data, listed_package, packages, 1e-5, each=tolerance), f"{states} dominated"
        if walk_away(data, offer):
            assert all(o != offer for _, o, _ in listed), f"walk-away offer {offer} listed twice"
            least = min(p.objective for p in packages if p.offer == offer)
            assert alternative.objective == pytest.approx(least, abs=1e-5), "a walk-away offer above its least cost"
        listed.append((states, offer, alternative.objective))
