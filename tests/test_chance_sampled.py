"""The sampled method against enumeration (issue 13): over the very scenarios the solve draws, each tier's
answer is the least-cost package meeting at least ceil(pN) of them, whichever formulation holds it.

Random small instances (tests/brute_force.py) get discrete or uniform beliefs on their tiers'
thresholds, two of them joined by a Gaussian copula (so the method is sampled). The test draws the same scenarios, then
enumerates every acceptable package of each tier with its uncertain thresholds dropped and counts in
plain Python the scenarios each package meets. Both formulations are checked: the sample's efficient
points (the default for one target) and the mixing set (forced by allowing no candidate point).
"""

from __future__ import annotations

import copy
import itertools
import math

import numpy as np
import pytest
from brute_force import acceptable_packages, instances
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from test_chance import deal_offers, small_deal

from optimizer.chance import formulation
from optimizer.chance.conditions import conditions_of
from optimizer.chance.curve import acceptance_curve
from optimizer.chance.probability import draw
from optimizer.chance.solve import ChanceOptions, TierSolver, solve_with_chance, tier_method
from optimizer.instance import load
from optimizer.solver import SolveOptions
from optimizer.tolerance import REL_TOL, objectives_agree

SAMPLES = 40
SEED = 3


@st.composite
def copula_instances(draw_) -> dict:
    """An instance with a belief on every threshold of its tiers (discrete or uniform), two of one tier joined
    by a copula."""
    data = draw_(instances())
    beliefs = {}
    for offer, entry in data.get("offers", {}).items():
        for metric in sorted(entry.get("requires", {})):
            values = draw_(st.lists(st.integers(-1, 8), unique=True, min_size=2, max_size=3))
            path = f"offers.{offer}.requires.{metric}"
            if draw_(st.booleans()):  # continuous: every scenario then needs its own level
                beliefs[f"{offer}_{metric}"] = {"path": path, "uniform": {"low": min(values), "high": max(values)}}
            else:
                probs = [1 / len(values)] * len(values)
                probs[-1] = 1 - sum(probs[:-1])
                beliefs[f"{offer}_{metric}"] = {"path": path, "discrete": {"values": values, "probs": probs}}
    joinable = [o for o, entry in data.get("offers", {}).items() if len(entry.get("requires", {})) >= 2]
    assume(joinable)  # the copula joins two thresholds of one tier, so that its chance is sampled
    offer = draw_(st.sampled_from(joinable))
    pair = draw_(
        st.lists(
            st.sampled_from(sorted(b for b in beliefs if b.startswith(f"{offer}_"))),
            min_size=2,
            max_size=2,
            unique=True,
        )
    )
    rho = draw_(st.sampled_from([-0.6, 0.3, 0.9]))
    data["beliefs"] = beliefs | {"correlation": {"names": pair, "matrix": [[1, rho], [rho, 1]]}}
    return data


def uncertain_of(data: dict, offer: str) -> dict[str, str]:
    """Metric -> the belief on ``offer``'s threshold on it."""
    paths = {name: b["path"].split(".") for name, b in data["beliefs"].items() if "path" in b}
    return {path[3]: name for name, path in paths.items() if path[1] == offer}


def scenarios_met(achieved: dict, uncertain: dict, scenarios: dict) -> int:
    """How many scenarios a package achieving ``achieved`` meets (within the model's tolerance)."""
    return sum(
        all(
            scenarios[name][s] <= achieved[metric] + REL_TOL * max(1.0, abs(scenarios[name][s]))
            for metric, name in uncertain.items()
        )
        for s in range(SAMPLES)
    )


def enumerated_least_cost(data: dict, offer: str, scenarios: dict, needed: int) -> float | None:
    """The least objective of a package of ``offer`` meeting at least ``needed`` of the scenarios."""
    uncertain = uncertain_of(data, offer)
    free = copy.deepcopy(data)
    free.pop("beliefs")
    for metric in uncertain:
        del free["offers"][offer]["requires"][metric]
    costs = [
        package.objective
        for package in acceptable_packages(free)
        if package.offer == offer and scenarios_met(package.achieved, uncertain, scenarios) >= needed
    ]
    return min(costs, default=None)


@pytest.mark.parametrize(
    "candidates",
    [
        pytest.param(formulation.MAX_EFFICIENT_CANDIDATES, id="efficient-points"),
        pytest.param(0, id="mixing-set", marks=pytest.mark.slow),  # the default suite has it in test_chance_gives
    ],
)
@given(data=copula_instances(), target=st.sampled_from([0.3, 0.6, 0.9]))
def test_each_tier_s_sampled_answer_is_the_enumerated_least_cost_over_the_same_scenarios(candidates, data, target):
    loaded = load(data)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(formulation, "MAX_EFFICIENT_CANDIDATES", candidates)
        result = solve_with_chance(loaded, SolveOptions(), target, ChanceOptions(samples=SAMPLES, seed=SEED))
    assert result.method == "sampled" and result.status in ("optimal", "infeasible"), result.message
    scenarios = draw(loaded.instance, SAMPLES, SEED)
    needed = math.ceil(target * SAMPLES - 1e-9)
    for answer in result.per_offer:
        if answer.offer not in deal_offers(data) or tier_method(loaded.instance, answer.offer) != "sampled":
            continue  # a tier whose chance is exact is solved exactly (tests/test_chance.py)
        expected = enumerated_least_cost(data, answer.offer, scenarios, needed)
        if expected is None:
            assert not answer.at_target
        else:
            assert answer.at_target and objectives_agree(answer.objective, expected), (answer.objective, expected)


@settings(max_examples=max(5, settings.default.max_examples // 3))  # a curve is many solves
@given(data=copula_instances())
def test_each_point_of_a_sampled_curve_is_the_enumerated_least_cost_of_the_scenarios_it_meets(data):
    """A point found as the least cost meeting K scenarios meets some m >= K; no package meeting m costs less."""
    loaded = load(data)
    curve = acceptance_curve(loaded, SolveOptions(), chance=ChanceOptions(samples=SAMPLES, seed=SEED))
    assert curve.method == "sampled" and not curve.errors
    scenarios = draw(loaded.instance, SAMPLES, SEED)
    for point in curve.points:
        if point.offer not in deal_offers(data) or tier_method(loaded.instance, point.offer) != "sampled":
            continue
        met = scenarios_met(point.evaluation.achieved, uncertain_of(data, point.offer), scenarios)
        expected = enumerated_least_cost(data, point.offer, scenarios, met)
        assert objectives_agree(point.objective, expected), (point.objective, expected, met)


@st.composite
def samples(draw_) -> dict:
    """1 to 3 columns of 1 to 30 sampled values, some with ties (few distinct values), some all distinct."""
    count = draw_(st.integers(1, 30))
    columns = {}
    for name in ("x", "y", "z")[: draw_(st.integers(1, 3))]:
        values = st.integers(0, 4) if draw_(st.booleans()) else st.floats(0, 100, allow_nan=False)
        columns[name] = draw_(st.lists(values, min_size=count, max_size=count))
    return columns


def enumerated_efficient_points(columns: dict, floor: float) -> dict[tuple, int]:
    """Every least vector (on the sampled values) met by at least ceil(floor * N) scenarios, and how many it meets."""
    names = sorted(columns)
    count = len(columns[names[0]])
    needed = math.ceil(floor * count - 1e-9)

    def meets(point) -> int:
        return sum(all(columns[n][s] <= v for n, v in zip(names, point, strict=True)) for s in range(count))

    qualifying = [p for p in itertools.product(*(sorted(set(columns[n])) for n in names)) if meets(p) >= needed]
    return {
        p: meets(p)
        for p in qualifying
        if not any(q != p and all(a <= b for a, b in zip(q, p, strict=True)) for q in qualifying)
    }


@given(samples(), st.sampled_from([0.1, 0.5, 0.8, 1.0]))
def test_the_sample_s_efficient_points_are_the_enumerated_least_vectors(columns, floor):
    names, points, meets = formulation.sample_efficient_points(columns, floor)
    expected = enumerated_efficient_points(columns, floor)
    floors = {n: formulation.empirical_floor(columns[n], floor) for n in columns}
    found = {}
    for row, met in zip(points, meets, strict=True):
        at = dict(zip(names, row, strict=True))
        found[tuple(at.get(n, floors[n]) for n in sorted(columns))] = int(met)
    assert found == expected


def test_a_solver_asked_a_second_target_answers_it_as_a_fresh_one():
    """Its model (hard rows at the target's floor, efficient points for the target) is built again."""
    loaded = load(small_deal())
    among = conditions_of(loaded.instance, "deal")
    needs = {"deal_m": np.array([3.0] * 5 + [5.0] * 3 + [8.0] * 2)}

    def solver() -> TierSolver:
        return TierSolver(loaded, "deal", among, "sampled", SolveOptions(), 0, needs)

    for first, second in ((0.5, 0.8), (0.8, 0.5)):
        asked = solver()
        asked.least_cost(first)
        again, fresh = asked.least_cost(second), solver().least_cost(second)
        assert (
            again.evaluation.package.levers()
            == fresh.evaluation.package.levers()
            == {"corn": 5 if second == 0.8 else 3}
        )
