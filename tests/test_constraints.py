"""One tiny instance per constraint family, each optimum worked out by hand (docs/model.md, "The math").

Unless stated otherwise: one constituency ``a`` of weight 1 and one metric ``m``.
"""

from __future__ import annotations

import pytest
from conftest import TOY, assert_optimal, instance, solve

from optimizer.evaluate import evaluate


def binary(gives=None, costs=None):
    return {"kind": "binary", "gives": gives or {}, "costs": costs or {}}


def continuous(max, gives=None, costs=None, **extra):
    return {"kind": "continuous", "max": max, "gives": gives or {}, "costs": costs or {}, **extra}


def integer(max, gives=None, costs=None, **extra):
    return {"kind": "integer", "max": max, "gives": gives or {}, "costs": costs or {}, **extra}


def test_toy_from_model_md():
    # corn 5 (2 + 3*0.5 + 2*2 = 7.5 farmers, weight 3) and the small fund (10 fiscal), minus 40: -7.5
    result = solve(TOY)
    assert_optimal(result, -7.5, {"corn": 5, "fund": "small"}, offer="deal_15")
    assert result.gap == pytest.approx(0, abs=1e-9)


# -- lever kinds -----------------------------------------------------------------------------


def test_binary_levers_fixed_and_per_unit_terms():
    # x gives 3 for 2, y gives 2 (per unit of amount 1) for 1.5; m >= 4 needs both: 3.5
    data = instance(
        levers={
            "x": binary({"m": {"fixed": 3}}, {"a": {"fixed": 2}}),
            "y": binary({"m": 2}, {"a": 1.5}),
        },
        demands={"m": 4},
    )
    assert_optimal(solve(data), 3.5, {"x": 1, "y": 1})


@pytest.mark.parametrize(
    ("demand", "objective", "amount"),
    [
        (1, 6, 3),  # min_if_used binds: 3 units at 2 each beat the binary lever's 6.5
        (3.5, 8, 4),  # integrality: 3.5 rounds up to 4 units
    ],
)
def test_integer_lever_min_if_used_and_integrality(demand, objective, amount):
    data = instance(
        levers={
            "n": integer(5, {"m": 1}, {"a": 2}, min_if_used=3),
            "z": binary({"m": 1}, {"a": 6.5}),
        },
        demands={"m": demand},
    )
    assert_optimal(solve(data), objective, {"n": amount})


@pytest.mark.parametrize(
    ("demand", "objective", "package"),
    [
        (1, 1.5, {"b": 1}),  # the fixed charge of 3 makes c dearer than b
        (1.5, 5, {"c": 2}),  # c at its min_if_used 2 (3 + 2) beats b + c (1.5 + 5)
        (4, 7, {"c": 4}),  # c = 4 (3 + 4) beats b + c = 3 (1.5 + 3 + 3)
    ],
)
def test_continuous_lever_fixed_charge_and_min_if_used(demand, objective, package):
    data = instance(
        levers={
            "c": continuous(10, {"m": 1}, {"a": {"fixed": 3, "per_unit": 1}}, min_if_used=2),
            "b": binary({"m": {"fixed": 1}}, {"a": 1.5}),
        },
        demands={"m": demand},
    )
    assert_optimal(solve(data), objective, package)


def test_continuous_lever_without_minimum_takes_any_amount():
    data = instance(levers={"c": continuous(10, {"m": 1}, {"a": 1.5})}, demands={"m": 2.5})
    assert_optimal(solve(data), 3.75, {"c": 2.5})


def test_continuous_lever_liked_by_its_constituency_runs_to_max():
    data = instance(levers={"c": continuous(4, costs={"a": -0.5})})
    assert_optimal(solve(data), -2, {"c": 4})


def test_choice_lever_picks_the_cheapest_option_that_suffices():
    options = {"small": {"gives": {"m": 1}, "costs": {"a": 2}}, "big": {"gives": {"m": 3}, "costs": {"a": 5}}}
    data = instance(levers={"f": {"kind": "choice", "options": options}}, demands={"m": 2})
    assert_optimal(solve(data), 5, {"f": "big"})


def test_choice_lever_picks_nothing_unless_required():
    options = {"small": {"costs": {"a": 2}}, "big": {"costs": {"a": 5}}}
    free = instance(levers={"f": {"kind": "choice", "options": options}})
    assert_optimal(solve(free), 0, {})
    required = instance(levers={"f": {"kind": "choice", "required": True, "options": options}})
    assert_optimal(solve(required), 2, {"f": "small"})


def test_choice_lever_picks_at_most_one_option():
    # both options are liked; only one may be picked
    options = {"one": {"costs": {"a": -2}}, "two": {"costs": {"a": -3}}}
    data = instance(levers={"f": {"kind": "choice", "options": options}})
    assert_optimal(solve(data), -3, {"f": "two"})


# -- costs -----------------------------------------------------------------------------------


def test_piecewise_cost_includes_the_tail_beyond_the_last_breakpoint():
    # 0..2 at 1, 2..5 at 3, then 3 continues up to max 10: amount 7 costs 2 + 9 + 6 = 17
    data = instance(levers={"p": continuous(10, {"m": 1}, {"a": {"per_unit": [[2, 1], [5, 3]]}})}, demands={"m": 7})
    result = solve(data)
    assert_optimal(result, 17, {"p": 7})
    assert result.tables["constituencies"].set_index("constituency").loc["a", "cost"] == pytest.approx(17)


def test_piecewise_cost_fills_cheap_segments_before_a_rival_lever():
    # p's first 2 units cost 1; beyond that q at 2.5 is cheaper than p's 3: p = 2, q = 5, 2 + 12.5
    data = instance(
        levers={
            "p": continuous(10, {"m": 1}, {"a": {"per_unit": [[2, 1], [5, 3]]}}),
            "q": continuous(10, {"m": 1}, {"a": 2.5}),
        },
        demands={"m": 7},
    )
    assert_optimal(solve(data), 14.5, {"p": 2, "q": 5})


def test_piecewise_cost_on_an_integer_lever():
    # 1 unit at 1, 2 units at 2, the tail unit at 2: 1 + 4 + 2 = 7, plus the fixed cost 1
    data = instance(
        levers={"n": integer(4, {"m": 1}, {"a": {"fixed": 1, "per_unit": [[1, 1], [3, 2]]}})},
        demands={"m": 4},
    )
    assert_optimal(solve(data), 8, {"n": 4})


def test_negative_costs_and_negative_gives():
    # g is liked (-4) but takes 2 off m; with h (+3 for 1) the package still reaches m >= 1: -3
    data = instance(
        levers={"g": binary({"m": {"fixed": -2}}, {"a": -4}), "h": binary({"m": {"fixed": 3}}, {"a": 1})},
        demands={"m": 1},
    )
    assert_optimal(solve(data), -3, {"g": 1, "h": 1})


@pytest.mark.parametrize(("weight_a", "objective", "package"), [(3, 2, {"y": 1}), (0.5, 0.5, {"x": 1})])
def test_weights_scale_each_constituency(weight_a, objective, package):
    data = instance(
        constituencies={"a": {"weight": weight_a}, "b": {"weight": 1}},
        levers={"x": binary({"m": 1}, {"a": 1}), "y": binary({"m": 1}, {"b": 2})},
        demands={"m": 1},
    )
    assert_optimal(solve(data), objective, package)


def test_weight_zero_constituency_cost_is_reported_from_the_true_curve():
    # z's cost does not count, but it is reported through the curve: 2 * 1 + 2 * 4 = 10
    data = instance(
        constituencies={"a": {}, "z": {"weight": 0}},
        levers={"p": continuous(10, {"m": 1}, {"a": 1, "z": {"per_unit": [[2, 1], [5, 4]]}})},
        demands={"m": 4},
    )
    result = solve(data)
    assert_optimal(result, 4, {"p": 4})
    table = result.tables["constituencies"].set_index("constituency")
    assert table.loc["z", "cost"] == pytest.approx(10)
    assert table.loc["z", "weighted_net"] == 0
    assert table["weighted_net"].sum() == pytest.approx(result.objective)


def test_weight_zero_constituency_capped_at_its_true_curve():
    # z may pay at most 9: p <= 3.75 (2 + 1.75 * 4); the rest of m >= 4 comes from r at 5 per unit
    data = instance(
        constituencies={"a": {}, "z": {"weight": 0}},
        levers={
            "p": continuous(10, {"m": 1}, {"a": 1, "z": {"per_unit": [[2, 1], [5, 4]]}}),
            "r": continuous(10, {"m": 1}, {"a": 5}),
        },
        demands={"m": 4},
        red_lines=[{"name": "z_cap", "kind": "max_cost", "constituency": "z", "max": 9}],
    )
    assert_optimal(solve(data), 3.75 + 0.25 * 5, {"p": 3.75, "r": 0.25})


# -- offers and thresholds -------------------------------------------------------------------


OFFER_LEVERS = {"x": continuous(10, {"m": 1}, {"a": 2})}


def test_exactly_one_offer_is_granted():
    # t1: 2 units (4) for 5 -> -1; t2: 4 units (8) for 10 -> -2; both at once would be -3
    offers = {
        "t1": {"requires": {"m": 2}, "benefits": {"a": 5}},
        "t2": {"requires": {"m": 4}, "benefits": {"a": 10}},
        "walk": {"walk_away": True},
    }
    assert_optimal(solve(instance(levers=OFFER_LEVERS, offers=offers)), -2, {"x": 4}, offer="t2")


def test_walking_away_beats_a_dear_offer():
    offers = {"t1": {"requires": {"m": 5}, "benefits": {"a": 3}}, "walk": {"walk_away": True}}
    assert_optimal(solve(instance(levers=OFFER_LEVERS, offers=offers)), 0, {}, offer="walk")


def test_global_demands_hold_when_walking_away():
    offers = {"t1": {"requires": {"m": 5}, "benefits": {"a": 3}}, "walk": {"walk_away": True}}
    data = instance(levers=OFFER_LEVERS, offers=offers, demands={"m": 1})
    assert_optimal(solve(data), 2, {"x": 1}, offer="walk")


def test_global_demand_and_offer_requirement_each_hold():
    # demand m >= 3 and t1 requires m >= 2: the larger one binds
    offers = {"t1": {"requires": {"m": 2}, "benefits": {"a": 1}}}
    data = instance(levers=OFFER_LEVERS, offers=offers, demands={"m": 3})
    assert_optimal(solve(data), 5, {"x": 3}, offer="t1")


def test_an_offer_that_does_not_name_a_watched_metric_requires_zero_of_it():
    # g is liked (-5) but takes 3 off m, which t1 watches: walking away still requires m >= 0
    levers = {"g": binary({"m": {"fixed": -3}}, {"a": -5})}
    watched = {"t1": {"requires": {"m": 1}}, "walk": {"walk_away": True}}
    assert_optimal(solve(instance(levers=levers, offers=watched)), 0, {}, offer="walk")
    unwatched = {"t1": {}, "walk": {"walk_away": True}}
    result = solve(instance(levers=levers, offers=unwatched))
    assert result.status == "optimal" and result.objective == pytest.approx(-5)
    assert result.package.levers() == {"g": 1}


def test_an_offer_that_does_not_name_a_metric_requires_zero_even_if_granted():
    # t2 names only k; m (watched by t1) must stay >= 0 under t2 as well
    data = instance(
        metrics={"m": {}, "k": {}},
        levers={"g": binary({"m": {"fixed": -3}, "k": {"fixed": 1}}, {"a": -5})},
        offers={"t1": {"requires": {"m": 1}}, "t2": {"requires": {"k": 1}, "benefits": {"a": 1}}},
    )
    result = solve(data)
    assert result.status == "infeasible"
    assert result.exit_code == 1


# -- red lines -------------------------------------------------------------------------------


RIVALS = {
    "x": continuous(10, {"m": 1}, {"a": 1}),
    "y": continuous(10, {"m": 1}, {"b": 2}),
}


def test_max_cost_caps_gross_cost():
    # a may pay at most 3: x = 3, y = 2 (4 for b): 7
    data = instance(
        constituencies={"a": {}, "b": {}},
        levers=RIVALS,
        demands={"m": 5},
        red_lines=[{"name": "cap", "kind": "max_cost", "constituency": "a", "max": 3}],
    )
    assert_optimal(solve(data), 7, {"x": 3, "y": 2})


def test_max_cost_is_gross_cost_before_benefits():
    # the benefit of 10 does not lift the cap: x still stops at 3
    data = instance(
        constituencies={"a": {}, "b": {}},
        levers=RIVALS,
        offers={"t": {"requires": {"m": 5}, "benefits": {"a": 10}}},
        red_lines=[{"name": "cap", "kind": "max_cost", "constituency": "a", "max": 3}],
    )
    assert_optimal(solve(data), -3, {"x": 3, "y": 2}, offer="t")


def test_limit_with_a_minimum_forces_amounts():
    # 4 <= x + y <= 6 with nothing demanded: the cheapest way to 4 is x alone
    data = instance(
        constituencies={"a": {}, "b": {}},
        levers=RIVALS,
        red_lines=[{"name": "band", "kind": "limit", "terms": {"x": 1, "y": 1}, "min": 4, "max": 6}],
    )
    assert_optimal(solve(data), 4, {"x": 4})


def test_limit_with_a_maximum_and_coefficients():
    # 2x <= 6: x = 3, y = 2: 3 + 4
    data = instance(
        constituencies={"a": {}, "b": {}},
        levers=RIVALS,
        demands={"m": 5},
        red_lines=[{"name": "cap_x", "kind": "limit", "terms": {"x": 2}, "max": 6}],
    )
    assert_optimal(solve(data), 7, {"x": 3, "y": 2})


def test_limit_counts_a_choice_lever_as_one_when_picked():
    data = instance(
        levers={"f": {"kind": "choice", "options": {"o": {"costs": {"a": -1}}}}, "x": binary(costs={"a": -1})},
        red_lines=[{"name": "one", "kind": "limit", "terms": {"f": 1, "x": 1}, "max": 1}],
    )
    result = solve(data)
    assert result.status == "optimal" and result.objective == pytest.approx(-1)
    assert len(result.package.levers()) == 1


def test_forbid():
    data = instance(
        levers={"cheap": binary({"m": 1}, {"a": 1}), "dear": binary({"m": 1}, {"a": 4})},
        demands={"m": 1},
        red_lines=[{"name": "no", "kind": "forbid", "levers": ["cheap"]}],
    )
    assert_optimal(solve(data), 4, {"dear": 1})


def test_forbid_a_choice_lever():
    data = instance(
        levers={"f": {"kind": "choice", "options": {"o": {"costs": {"a": -1}}}}},
        red_lines=[{"name": "no", "kind": "forbid", "levers": ["f"]}],
    )
    assert_optimal(solve(data), 0, {})


@pytest.mark.parametrize(("alternative_cost", "objective", "package"), [(4, 3, {"p": 1, "q": 1}), (2.5, 2.5, {"r": 1})])
def test_requires(alternative_cost, objective, package):
    # p gives all of m for 1 but needs q (2): 3 against r
    data = instance(
        levers={
            "p": binary({"m": 5}, {"a": 1}),
            "q": binary(costs={"a": 2}),
            "r": binary({"m": 5}, {"a": alternative_cost}),
        },
        demands={"m": 5},
        red_lines=[{"name": "p_needs_q", "kind": "requires", "lever": "p", "needs": "q"}],
    )
    assert_optimal(solve(data), objective, package)


def test_requires_with_continuous_levers():
    # a continuous lever named by requires has min_if_used > 0; c needs d, whose minimum is 1
    data = instance(
        levers={
            "c": continuous(10, {"m": 1}, {"a": 1}, min_if_used=1),
            "d": continuous(10, costs={"a": 2}, min_if_used=1),
        },
        demands={"m": 3},
        red_lines=[{"name": "c_needs_d", "kind": "requires", "lever": "c", "needs": "d"}],
    )
    assert_optimal(solve(data), 5, {"c": 3, "d": 1})


def test_excludes():
    # x and y exclude each other: the cheaper x with the dear z (1 + 5)
    data = instance(
        levers={
            "x": binary({"m": 2}, {"a": 1}),
            "y": binary({"m": 2}, {"a": 1.5}),
            "z": binary({"m": 2}, {"a": 5}),
        },
        demands={"m": 4},
        red_lines=[{"name": "one_of", "kind": "excludes", "levers": ["x", "y"]}],
    )
    assert_optimal(solve(data), 6, {"x": 1, "z": 1})


OFFERS_WITH_TARIFFS = {
    "t1": {"attributes": {"tariff": 25}, "benefits": {"a": 10}},
    "t2": {"attributes": {"tariff": 15}, "benefits": {"a": 4}},
    "walk": {"walk_away": True},
}


@pytest.mark.parametrize(
    ("bounds", "objective", "offer"),
    [({}, -10, "t1"), ({"max": 20}, -4, "t2"), ({"min": 20}, -10, "t1"), ({"min": 16, "max": 20}, 0, "walk")],
)
def test_offer_red_line(bounds, objective, offer):
    red_lines = [{"name": "tariff", "kind": "offer", "attribute": "tariff", **bounds}] if bounds else []
    data = instance(levers={"x": binary(costs={"a": 1})}, offers=OFFERS_WITH_TARIFFS, red_lines=red_lines)
    assert_optimal(solve(data), objective, {}, offer=offer)


def test_conditional():
    # x is liked (-3) but allowed only under t1, which needs g (2): t1 + g + x = -1 beats walking away with 0
    levers = {"x": binary(costs={"a": -3}), "g": binary({"m": 1}, {"a": 2})}
    offers = {"t1": {"requires": {"m": 1}}, "walk": {"walk_away": True}}
    line = [{"name": "x_only_with_t1", "kind": "conditional", "lever": "x", "offers": ["t1"]}]
    assert_optimal(solve(instance(levers=levers, offers=offers, red_lines=line)), -1, {"x": 1, "g": 1}, offer="t1")
    assert_optimal(solve(instance(levers=levers, offers=offers)), -3, {"x": 1}, offer="walk")


def test_every_optimal_package_passes_the_independent_check():
    result = solve(TOY)
    evaluation = evaluate(result.instance, result.package)
    assert evaluation.violations == []
    assert evaluation.objective == pytest.approx(-7.5)


@pytest.mark.parametrize("levers", [{}, {"x": binary(costs={"a": 1})}])
def test_walk_away_is_exempt_from_offer_red_lines(levers):
    offers = {
        "t": {"attributes": {"tariff": 25}, "benefits": {"a": 1}},
        "walk": {"walk_away": True, "attributes": {"tariff": 99}, "benefits": {"a": 0.5}},
    }
    line = [{"name": "cap", "kind": "offer", "attribute": "tariff", "max": 20}]
    assert_optimal(solve(instance(levers=levers, offers=offers, red_lines=line)), -0.5, {}, offer="walk")


def test_conditional_may_name_the_walk_away_offer():
    # x (liked) only when walking away; t pays 1 but x pays 3
    offers = {"t": {"benefits": {"a": 1}}, "walk": {"walk_away": True}}
    line = [{"name": "only_alone", "kind": "conditional", "lever": "x", "offers": ["walk"]}]
    data = instance(levers={"x": binary(costs={"a": -3})}, offers=offers, red_lines=line)
    assert_optimal(solve(data), -3, {"x": 1}, offer="walk")


def test_integer_lever_with_a_fractional_minimum():
    data = instance(levers={"n": integer(3, {"m": 1}, {"a": 1}, min_if_used=1.5)}, demands={"m": 1})
    assert_optimal(solve(data), 2, {"n": 2})


def test_persistent_model_resolves_changed_numbers_and_rebuilds_on_structure():
    from optimizer import SolveOptions, load, solve_loaded
    from optimizer.instance import apply_overrides
    from optimizer.solver import PersistentModel

    loaded = load(TOY)
    model = PersistentModel(loaded.instance)
    heavier = apply_overrides(loaded, [("constituencies.farmers.weight", 5)])
    assert_optimal(solve_loaded(heavier, SolveOptions(), model), 0, {}, offer="no_deal")
    assert_optimal(solve_loaded(loaded, SolveOptions(), model), -7.5, {"corn": 5, "fund": "small"}, offer="deal_15")
    assert model.rebuilds == 1
    # a linear curve instead of the piecewise one is a new structure: 3 * (2 + 5) - 30
    linear = apply_overrides(loaded, [("levers.corn.costs.farmers.per_unit", 1)])
    assert_optimal(solve_loaded(linear, SolveOptions(), model), -9, {"corn": 5, "fund": "small"}, offer="deal_15")
    assert model.rebuilds == 2
