"""Trivial and degenerate instances are answered, not crashed on (docs/solver-pitfalls.md: empty models)."""

from __future__ import annotations

import pytest
from conftest import assert_optimal, instance, solve


def test_no_levers_no_offers():
    result = solve(instance())
    assert_optimal(result, 0, {})
    assert result.tables["package"].empty
    assert result.run["solver"]["name"] == "enumeration"


def test_no_levers_picks_the_best_reachable_offer():
    offers = {
        "free": {"benefits": {"a": 2}},
        "better": {"benefits": {"a": 5}, "attributes": {"tariff": 20}},
        "out_of_reach": {"requires": {"m": 1}, "benefits": {"a": 9}},
        "walk": {"walk_away": True},
    }
    assert_optimal(solve(instance(offers=offers)), -5, {}, offer="better")
    capped = [{"name": "t", "kind": "offer", "attribute": "tariff", "max": 10}]
    offers["free"]["attributes"] = {"tariff": 0}
    offers["out_of_reach"]["attributes"] = {"tariff": 0}
    assert_optimal(solve(instance(offers=offers, red_lines=capped)), -2, {}, offer="free")


def test_no_levers_and_no_reachable_offer_is_infeasible_with_a_reason():
    result = solve(instance(offers={"t": {"requires": {"m": 1}}}))
    assert result.status == "infeasible" and result.exit_code == 1
    assert any("metric 'm' achieves 0, below the offer 't' requirement of 1" in r for r in result.reasons)


def test_no_levers_and_a_negative_cap_is_infeasible():
    result = solve(instance(red_lines=[{"name": "c", "kind": "max_cost", "constituency": "a", "max": -1}]))
    assert result.status == "infeasible"


def test_nothing_demanded_concedes_nothing():
    data = instance(levers={"x": {"kind": "continuous", "max": 5, "costs": {"a": 1}}, "y": {"kind": "binary"}})
    assert_optimal(solve(data), 0, {})


def test_a_lever_that_gives_and_costs_nothing():
    # its variable appears in no constraint, so HiGHS never sees it
    data = instance(levers={"idle": {"kind": "binary"}, "x": {"kind": "binary", "gives": {"m": 1}, "costs": {"a": 2}}})
    assert_optimal(solve(instance(levers=data["levers"], demands={"m": 1})), 2, {"x": 1})
    assert_optimal(solve(instance(levers={"idle": {"kind": "binary"}})), 0, {})


def test_no_constituencies():
    data = instance(constituencies={}, levers={"x": {"kind": "binary", "gives": {"m": 1}}}, demands={"m": 1})
    result = solve(data)
    assert_optimal(result, 0, {"x": 1})
    assert result.tables["constituencies"].empty


def test_no_metrics():
    data = instance(metrics={}, levers={"x": {"kind": "binary", "costs": {"a": -1}}})
    assert_optimal(solve(data), -1, {"x": 1})


def test_every_lever_forbidden():
    data = instance(
        levers={"x": {"kind": "binary", "costs": {"a": -1}}, "y": {"kind": "integer", "max": 2, "costs": {"a": -1}}},
        red_lines=[{"name": "none", "kind": "forbid", "levers": ["x", "y"]}],
    )
    assert_optimal(solve(data), 0, {})


def test_every_lever_forbidden_but_something_demanded():
    data = instance(
        levers={"x": {"kind": "binary", "gives": {"m": 1}}},
        demands={"m": 1},
        red_lines=[{"name": "none", "kind": "forbid", "levers": ["x"]}],
    )
    result = solve(data)
    assert result.status == "infeasible" and result.exit_code == 1
    assert result.reasons == ["demand m >= 1 is out of reach: every allowed lever together gives at most 0"]


def test_a_demanded_metric_that_no_lever_gives():
    data = instance(
        metrics={"m": {}, "k": {}},
        levers={"x": {"kind": "binary", "gives": {"m": 1}, "costs": {"a": 1}}},
        demands={"k": 1},
    )
    result = solve(data)
    assert result.status == "infeasible"
    assert any("demand k >= 1 is out of reach" in r for r in result.reasons)


def test_a_demand_of_zero_on_a_metric_no_lever_gives_holds():
    data = instance(metrics={"m": {}, "k": {}}, levers={"x": {"kind": "binary", "costs": {"a": -1}}}, demands={"k": 0})
    assert_optimal(solve(data), -1, {"x": 1})


def test_offers_no_package_can_reach():
    data = instance(
        levers={"x": {"kind": "continuous", "max": 3, "gives": {"m": 1}, "costs": {"a": 1}}},
        offers={"t1": {"requires": {"m": 5}}, "t2": {"requires": {"m": 4}}},
    )
    result = solve(data)
    assert result.status == "infeasible" and result.exit_code == 1 and result.package is None
    assert "offer t1 needs m >= 5, but every allowed lever together gives at most 3" in result.reasons
    assert "offer t2 needs m >= 4, but every allowed lever together gives at most 3" in result.reasons


def test_thresholds_that_conflict_only_in_combination():
    # m >= 2 needs x, and x breaks the cap on a: each threshold is reachable on its own
    data = instance(
        levers={"x": {"kind": "binary", "gives": {"m": 2}, "costs": {"a": 5}}},
        demands={"m": 2},
        red_lines=[{"name": "cap", "kind": "max_cost", "constituency": "a", "max": 4}],
    )
    result = solve(data)
    assert result.status == "infeasible"
    assert "in combination" in result.reasons[0]


def test_infeasible_cli_exit_code_and_reason(cli, tmp_path):
    from conftest import write

    path = write(
        tmp_path,
        "format: 1\nconstituencies: {a: {}}\nmetrics: {m: {}}\nlevers: {}\noffers: {t: {requires: {m: 1}}}\n",
    )
    code, out, err = cli("solve", path, "--out", tmp_path / "out")
    assert code == 1
    assert "infeasible" in out
    assert "below the offer 't' requirement of 1" in out


@pytest.mark.parametrize("kind", ["binary", "integer", "continuous", "choice"])
def test_a_lone_lever_of_each_kind_that_nobody_wants(kind):
    lever = {"kind": kind}
    if kind in ("integer", "continuous"):
        lever["max"] = 3
    if kind == "choice":
        lever["options"] = {"o": {}}
    assert_optimal(solve(instance(levers={"x": lever})), 0, {})
