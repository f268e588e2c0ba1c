"""Alternatives against the shared brute force: the returned sequence is the true one under docs/alternatives.md.

On small random instances with discrete levers (binary, integer, choice), every acceptable
package is enumerated; the eligible ones (not dominated within their offer; of a walk-away
offer only the least-cost) are found by comparing every pair; and the greedy sequence is
rebuilt from the tool's own earlier answers, so ties are compared by objective, not identity.
"""

import pytest
from brute_force import acceptable_packages, instances
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from optimizer import load
from optimizer.explain import alternatives

EPS = 1e-6


def nets(data, package) -> tuple:
    return tuple(package.cost[k] - package.benefit[k] for k in data["constituencies"])


def dominated(data, p, packages) -> bool:
    mine = nets(data, p)
    for q in packages:
        theirs = nets(data, q)
        if (
            q.offer == p.offer
            and all(a <= b + EPS for a, b in zip(theirs, mine, strict=True))
            and sum(mine) - sum(theirs) > EPS
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


def distance(data, a_states, a_offer, b_states, b_offer) -> float:
    total = float(a_offer != b_offer)
    for j, lever in data["levers"].items():
        a, b = a_states[j], b_states[j]
        if lever["kind"] == "integer":
            total += abs(a - b) / lever["max"] + ((a != 0) != (b != 0))
        else:  # binary 0/1, or a choice's option name or None
            total += a != b
    return total


def states_of(data, package) -> dict:
    """The tool's package in the brute force's terms: 0/1, a whole amount, an option or None."""
    out = {}
    for j, lever in data["levers"].items():
        if lever["kind"] == "choice":
            out[j] = package.picked[j][0] if package.picked[j] else None
        else:
            out[j] = round(package.amount[j])
    return out


def check_sequence(data, found, tau, bound=None):
    packages = list(acceptable_packages(data))
    left = [p for p in eligible(data, packages) if bound is None or p.objective <= bound + EPS]
    listed = []
    for alternative in found.found:
        states, offer = states_of(data, alternative.package), alternative.package.offer
        assert left, f"listed {states} {offer}, but no eligible package is left"
        best = min(p.objective for p in left)
        assert abs(alternative.objective - best) <= EPS * max(1, abs(best)), (alternative.objective, best)
        assert any(p.states == states and p.offer == offer for p in left), f"{states} {offer} is not eligible"
        listed.append((states, offer))
        left = [
            p
            for p in left
            if distance(data, p.states, p.offer, states, offer) >= tau - EPS
            and not (walk_away(data, offer) and p.offer == offer)
        ]
    return left


def discrete(data) -> bool:
    return all(lever["kind"] != "continuous" for lever in data["levers"].values())


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(instances(), st.sampled_from([0.1, 0.5, 1.0, 1.5]), st.integers(1, 5))
def test_best_is_the_greedy_sequence_of_eligible_packages(data, tau, k):
    assume(discrete(data))
    found = alternatives(load(data), k=k, tau=tau)
    left = check_sequence(data, found, tau)
    if len(found.found) < k:
        assert left == [], "the list stopped while an eligible, distinct package was left"
        assert found.shortfall.startswith(f"only {len(found.found)}") or not found.found


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(instances(), st.sampled_from([0.0, 20.0, 200.0]))
def test_within_lists_every_distinct_eligible_package_up_to_the_bound(data, within):
    assume(discrete(data))
    found = alternatives(load(data), within=within, tau=0.1)
    if not found.found:
        assert not list(acceptable_packages(data))
        return
    left = check_sequence(data, found, 0.1, found.bound)
    assert len(found.found) == found.asked or left == []


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(instances())
def test_per_offer_lists_the_least_cost_eligible_package_of_each_offer(data):
    assume(discrete(data) and data.get("offers"))
    found = alternatives(load(data), per_offer=True)
    best = {}
    for p in eligible(data, list(acceptable_packages(data))):
        best[p.offer] = min(best.get(p.offer, p.objective), p.objective)
    assert {a.package.offer: a.objective for a in found.found} == {
        offer: pytest.approx(value, abs=EPS) for offer, value in best.items()
    }
