"""Alternatives: the K best structurally different packages, those within a bound, and diverse sets."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from optimizer import load, solve
from optimizer.evaluate import evaluate
from optimizer.explain import alternatives
from optimizer.explain.alternatives import distance
from optimizer.explain.command import alternatives_command
from optimizer.explain.words import package_text
from optimizer.formatting import plain_records
from optimizer.tolerance import objectives_agree

DATA = Path(__file__).parent / "data"
TOY = DATA / "toy.yaml"
EXPLAIN = DATA / "explain"

# The toy's packages, worked out by hand: lng is forbidden, the fund only comes with deal_15,
# ag_budget caps corn at 5, and deal_15 needs deficit 5 (corn 5) and investment 100 (a fund).
# "corn 1; offer no_deal" (7.5) is acceptable but not listed: of walking away only its least-cost package is.
TOY_RANKING = [
    (-7.5, "corn 5, fund small; offer deal_15"),  # 3 * 7.5 farmers + 10 fiscal - 40
    (0.0, "nothing conceded; offer no_deal"),
    (11.5, "corn 5, fund large; offer deal_15"),  # 3 * (7.5 - 2) + 35 - 40: farmers pay less, so not dominated
]


def ranking(found):
    return [(a.objective, package_text(found.instance, a.package)) for a in found.found]


def test_toy_lists_its_three_eligible_packages_in_order_of_cost():
    found = alternatives(load(TOY), k=10)
    assert ranking(found) == [(pytest.approx(cost), text) for cost, text in TOY_RANKING]


def test_k_limits_the_list():
    assert len(alternatives(load(TOY), k=2).found) == 2


def test_within_keeps_packages_up_to_the_bound():
    found = alternatives(load(TOY), k=10, within=100)  # bound: -7.5 + 100% of 7.5 = 0
    assert found.bound == pytest.approx(0.0)
    assert ranking(found) == [(pytest.approx(cost), text) for cost, text in TOY_RANKING[:2]]


def test_within_uses_at_least_one_point_of_cost():
    # with an optimum of 0 the bound is 0 + 50% of max(1, 0) = 0.5
    found = alternatives(load(TOY, [("offers.deal_15.benefits.fiscal", 32.5)]), k=10, within=50)
    assert found.bound == pytest.approx(0.5)
    assert [a.objective for a in found.found] == pytest.approx([0.0, 0.0])


def test_diverse_prefers_packages_far_from_those_already_chosen():
    # bound -7.5 + 3 * 7.5 = 15 admits all three; walking away is 5/6 (corn of max 6) + 3 switches
    # (corn used, fund, offer) from the optimum, "fund large" only 1 (the option): walking away comes first
    found = alternatives(load(TOY), k=2, within=300, diverse=True)
    assert [a.objective for a in found.found] == pytest.approx([-7.5, 0.0])
    distances = found.tables["distances"].set_index("rank")
    assert distances.loc[1, "#2"] == pytest.approx(3 + 5 / 6)


def test_diverse_stops_when_nothing_else_fits_the_bound():
    found = alternatives(load(TOY), k=5, diverse=True)  # default bound: 10% of 7.5 above the optimum
    assert [a.objective for a in found.found] == pytest.approx([-7.5])


def test_side_by_side_table_has_levers_offer_costs_and_net_cost():
    table = alternatives(load(TOY), k=2).tables["side_by_side"].set_index("item")
    assert list(table.columns) == ["#1", "#2"]
    assert table.loc["lever:corn", "#1"] == 5.0 and table.loc["lever:fund", "#1"] == "small"
    assert table.loc["offer"].tolist() == ["deal_15", "no_deal"]
    assert table.loc["cost:farmers"].tolist() == pytest.approx([7.5, 0.0])
    assert table.loc["net political cost"].tolist() == pytest.approx([-7.5, 0.0])


def test_tidy_tables():
    tables = alternatives(load(TOY), k=2).tables
    assert plain_records(tables["levers"]) == [
        {"rank": 1, "lever": "corn", "amount": 5.0, "option": None},
        {"rank": 1, "lever": "fund", "amount": 1.0, "option": "small"},
    ]
    assert set(tables["constituencies"]["rank"]) == {1, 2}
    assert tables["summary"]["verified"].all()


def test_a_sliver_of_a_continuous_lever_without_min_if_used_is_not_another_package():
    data = {
        "format": 1,
        "name": "sliver",
        "constituencies": {"g": {}},
        "metrics": {"m": {}},
        "levers": {
            "big": {"kind": "continuous", "max": 10, "gives": {"m": 1}, "costs": {"g": 1}},
            "small": {"kind": "continuous", "max": 10, "gives": {"m": 1}, "costs": {"g": 2}},
        },
        "demands": {"m": 5},
    }
    found = alternatives(load(data), k=5)
    assert [a.objective for a in found.found] == pytest.approx([5.0])  # only one structure: both are amounts


def test_a_walk_away_offer_too_close_at_its_least_cost_is_not_listed_at_a_higher_cost():
    # deal, nothing: nets (-10, 0), -10; deal + x: (-8, -1), -9; walk, nothing: (0, 0), 0; walk + x: (2, -1), 1.
    # At tau 1.5 only "deal, nothing" is listed: "deal + x" and "walk, nothing" lie at distance 1 from it,
    # and "walk + x" (distance 2, not dominated) is not the least-cost package of walking away.
    data = {
        "format": 1,
        "name": "walk_close",
        "constituencies": {"a": {}, "b": {}},
        "metrics": {"m": {}},
        "levers": {"x": {"kind": "binary", "gives": {"m": 1}, "costs": {"a": 2, "b": -1}}},
        "offers": {"deal": {"benefits": {"a": 10}}, "walk": {"walk_away": True}},
    }
    found = alternatives(load(data), k=5, tau=1.5)
    assert [(a.objective, a.package.offer) for a in found.found] == [(-10.0, "deal")]
    assert [(a.objective, a.package.offer) for a in alternatives(load(data), k=5, tau=1.0).found] == [
        (-10.0, "deal"),
        (-9.0, "deal"),
        (0.0, "walk"),
    ]


def test_a_package_on_the_edge_of_the_dominance_band_is_kept_not_cut_again_and_again():
    # Only x = 4 is eligible (net cost -8 for b); within the tolerance x sits just below 4. Once one
    # package is listed the next must flip y, and HiGHS's answer lay on the very edge of the cut that
    # "x = 4" dominates it: judged dominated again, cut again by the same row, until the search gave up.
    data = {
        "format": 1,
        "name": "edge",
        "constituencies": {"a": {"weight": 0}, "b": {"weight": 0}},
        "metrics": {},
        "levers": {
            "x": {"kind": "continuous", "max": 4, "min_if_used": 1, "costs": {"b": -2}},
            "y": {"kind": "binary"},
        },
    }
    found = alternatives(load(data), k=3, tau=0.1)
    assert [a.package.amount["x"] for a in found.found] == pytest.approx([4, 4], abs=1e-5)
    assert sorted(a.package.amount["y"] for a in found.found) == [0, 1]


def test_without_levers_each_offer_is_a_package():
    data = {
        "format": 1,
        "name": "offers_only",
        "constituencies": {"g": {}},
        "metrics": {},
        "levers": {},
        "offers": {"walk": {"walk_away": True}, "good": {"benefits": {"g": 5}}, "better": {"benefits": {"g": 9}}},
    }
    found = alternatives(load(data), k=2)
    assert [(a.objective, a.package.offer) for a in found.found] == [(-9.0, "better"), (-5.0, "good")]


def test_infeasible_instance_has_no_alternatives():
    found = alternatives(load(EXPLAIN / "lumpy.yaml"))
    assert found.found == [] and found.status == "infeasible"


# -- the properties every list of alternatives has, on random small instances ---------------------------


@st.composite
def deals(draw, walk_away=True):
    """Small random instances: 1-4 levers of every kind, two metrics, two constituencies, red lines."""
    metrics, groups = ["m1", "m2"], ["g1", "g2"]
    small = st.integers(0, 6)
    levers = {}
    for index in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["binary", "integer", "continuous", "choice"]))
        if kind == "choice":
            options = {
                f"o{k}": {
                    "gives": {m: draw(st.integers(0, 12)) for m in metrics},
                    "costs": {g: draw(st.integers(-2, 10)) for g in groups},
                }
                for k in range(draw(st.integers(1, 3)))
            }
            levers[f"l{index}"] = {"kind": "choice", "options": options, "required": draw(st.booleans())}
            continue
        lever = {
            "kind": kind,
            "gives": {m: {"fixed": draw(small), "per_unit": draw(small)} for m in metrics},
            "costs": {g: {"fixed": draw(small), "per_unit": draw(st.integers(-1, 6))} for g in groups},
        }
        if kind != "binary":
            lever |= {"max": draw(st.integers(1, 6)), "min_if_used": 1}
        levers[f"l{index}"] = lever
    names = sorted(levers)
    red_lines = [{"name": "cap", "kind": "max_cost", "constituency": "g1", "max": draw(st.integers(0, 40))}]
    if draw(st.booleans()):
        red_lines.append({"name": "ban", "kind": "forbid", "levers": [draw(st.sampled_from(names))]})
    if len(names) >= 2 and draw(st.booleans()):
        red_lines.append({"name": "either", "kind": "excludes", "levers": names[:2]})
    offers = {"deal": {"requires": {m: draw(st.integers(0, 30)) for m in metrics}, "benefits": {"g2": 30}}}
    if walk_away:
        offers["walk"] = {"walk_away": True}
    return {
        "format": 1,
        "name": "random",
        "constituencies": {g: {"weight": draw(st.integers(0, 3))} for g in groups},
        "metrics": {m: {} for m in metrics},
        "levers": levers,
        "offers": offers,
        "demands": {"m1": draw(st.integers(0, 8))},
        "red_lines": red_lines,
    }


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(deals(), st.sampled_from([None, 0.0, 50.0]), st.booleans())
def test_every_alternative_is_acceptable_verified_distinct_and_in_cost_order(data, within, diverse):
    loaded = load(data)
    best = solve(loaded)
    found = alternatives(loaded, k=4, within=within, diverse=diverse)
    if best.status == "infeasible":
        assert found.found == []
        return
    assert objectives_agree(found.found[0].objective, best.objective)
    costs = [a.objective for a in found.found]
    assert costs == sorted(costs)
    packages = [a.package for a in found.found]
    assert all(distance(loaded.instance, a, b) >= 0.1 - 1e-9 for i, a in enumerate(packages) for b in packages[:i])
    for a in found.found:
        check = evaluate(loaded.instance, a.package)
        assert check.violations == [] and objectives_agree(check.objective, a.objective)
        if found.bound is not None:
            assert a.objective <= found.bound + 1e-6 * max(1.0, abs(found.bound))


# -- the command ------------------------------------------------------------------------------------------


def test_command_prints_the_side_by_side_table():
    result = CliRunner().invoke(alternatives_command, [str(TOY), "-k", "3"])
    assert result.exit_code == 0, result.output
    assert "| lever:corn | 5 | 0 |" not in result.output  # unused levers are blank, not 0
    assert "| offer | deal_15 | no_deal | deal_15 |" in result.output
    assert "2. 0 points (+7.5): offer Walk away, no " in result.output


def test_command_json_is_one_object():
    result = CliRunner().invoke(alternatives_command, [str(TOY), "--within", "100", "--json"])
    assert result.exit_code == 0
    payload = json.loads(result.stdout)
    assert payload["status"] == "optimal" and payload["mode"] == "within"
    assert [row["objective"] for row in payload["alternatives"]] == [-7.5, 0.0]


def test_command_exit_codes():
    runner = CliRunner()
    assert runner.invoke(alternatives_command, [str(EXPLAIN / "lumpy.yaml")]).exit_code == 1
    assert runner.invoke(alternatives_command, [str(TOY), "-k", "0"]).exit_code == 2
    bad = runner.invoke(alternatives_command, [str(TOY), "--set", "red_lines.farm_pain.max=lots"])
    assert bad.exit_code == 2
    assert "--set: red_lines.farm_pain.max: expected a number" in bad.stderr


def test_fewer_than_asked_says_why():
    found = alternatives(load(TOY), k=5, within=100)
    assert len(found.found) == 2
    assert (
        found.shortfall
        == "only 2 acceptable non-dominated packages exist within 100% of the optimum at distance >= 0.1 from each other"
    )


def test_per_offer_lists_the_best_package_of_each_offer():
    found = alternatives(load(TOY), per_offer=True)
    assert [(a.package.offer, a.objective) for a in found.found] == [("deal_15", -7.5), ("no_deal", 0.0)]


def test_alternatives_are_shown_as_changes_from_the_recommendation():
    found = alternatives(load(TOY), k=3)
    # fund large instead of small: fiscal +25 (35 - 10), farmers 3 * -2 (the large fund pleases them)
    assert found.changes(found.found[2]) == [
        "fund: large",
        "+25 points for Finance ministry",
        "-6 points for Farm lobby",
    ]
    assert found.changes(found.found[1])[:3] == ["offer Walk away", "no Buy more US corn", "no fund"]
