"""Diagnosis of infeasible instances: conflicting sets on the mixed-integer model, and the ways out."""

from pathlib import Path

import pyomo.environ as pyo
import pytest
from hypothesis import HealthCheck, assume, given, settings
from test_alternatives import deals

from optimizer import SolveOptions, load, solve
from optimizer.explain import diagnose, members_of
from optimizer.explain.members import edited, kept_only
from optimizer.explain.workbench import Workbench

EXPLAIN = Path(__file__).parent / "data" / "explain"


def keys(members):
    return {m.key for m in members}


def ways_out(diagnosis):
    return {row["member"]: row for row in diagnosis.tables["ways_out"].to_dict("records")}


def status_of(loaded):
    return solve(loaded).status


# -- infeasible only because a lever is all-or-nothing ---------------------------------------------------


def test_lumpy_is_infeasible_only_because_the_plant_is_all_or_nothing():
    loaded = load(EXPLAIN / "lumpy.yaml")
    assert solve(loaded).status == "infeasible"
    bench = Workbench(loaded.instance, SolveOptions())
    pyo.TransformationFactory("core.relax_integer_vars").apply_to(bench.model)
    assert bench.solve().status == "optimal"  # half a plant would do: an LP-relaxation IIS finds nothing


def test_lumpy_conflict_is_the_demand_against_the_budget():
    diagnosis = diagnose(load(EXPLAIN / "lumpy.yaml"))
    assert [keys(s) for s in diagnosis.conflicts] == [{"demands.investment", "red_lines.budget.max"}]
    assert not diagnosis.several


def test_lumpy_ways_out_one_at_a_time():
    found = ways_out(diagnose(load(EXPLAIN / "lumpy.yaml")))
    demand, budget = found["demands.investment"], found["red_lines.budget.max"]
    assert (demand["amount"], demand["relaxed_to"], demand["relative"]) == pytest.approx((20, 0, 1))
    assert (budget["amount"], budget["relaxed_to"], budget["relative"]) == pytest.approx((4, 12, 0.5))
    assert demand["sufficient_alone"] and budget["sufficient_alone"]
    assert demand["confirmed"] and budget["confirmed"]
    assert budget["statement"] == "let Finance ministry bear 4 more points (8 -> 12)"


def test_lumpy_combined_relaxation_raises_the_budget_and_restores_a_package():
    diagnosis = diagnose(load(EXPLAIN / "lumpy.yaml"))
    rows = diagnosis.tables["combined"].to_dict("records")
    assert [(r["member"], r["relaxed_to"]) for r in rows] == [("red_lines.budget.max", pytest.approx(12))]
    assert diagnosis.combined.score == pytest.approx(0.5) and diagnosis.combined.restores
    # the same numbers given as --set overrides make the file solvable
    assert solve(EXPLAIN / "lumpy.yaml", [("red_lines.budget.max", rows[0]["relaxed_to"])]).status == "optimal"


# -- several conflicts, lever bounds, offer requirements ----------------------------------------------


def test_clash_reports_both_conflicts():
    diagnosis = diagnose(load(EXPLAIN / "clash.yaml"))
    assert [keys(s) for s in diagnosis.conflicts] == [
        {"offers.deal.requires.investment", "red_lines.no_fund"},
        # corn at most 6 plus 4 jets of 3 give 18 < 20, even with the farm cap dropped
        {"offers.deal.requires.deficit_cut", "levers.corn.max", "levers.jets.max"},
    ]
    assert diagnosis.several
    assert "Several conflicting sets exist" in diagnosis.to_markdown()


def test_clash_ways_out_are_not_sufficient_alone():
    found = ways_out(diagnose(load(EXPLAIN / "clash.yaml")))
    assert set(found) == {"offers.deal.requires.investment", "red_lines.no_fund"}
    assert not any(row["sufficient_alone"] for row in found.values())
    assert found["offers.deal.requires.investment"]["relaxed_to"] == pytest.approx(0)
    assert found["red_lines.no_fund"]["dropped"]
    assert "not sufficient alone" in diagnose(load(EXPLAIN / "clash.yaml")).to_markdown()


def test_clash_combined_relaxation():
    diagnosis = diagnose(load(EXPLAIN / "clash.yaml"))
    combined = {r["member"]: r for r in diagnosis.tables["combined"].to_dict("records")}
    # farmers cap corn at 4: 4 + 12 = 16 of the 20 deficit cut (0.2); the fund costs 1 either way
    assert combined["offers.deal.requires.deficit_cut"]["relaxed_to"] == pytest.approx(16)
    assert diagnosis.combined.score == pytest.approx(1.2)
    assert diagnosis.combined.restores


def test_logical_red_lines_and_a_required_choice():
    diagnosis = diagnose(load(EXPLAIN / "tangle.yaml"))
    assert [keys(s) for s in diagnosis.conflicts] == [
        {"red_lines.no_currency_deal", "levers.currency.required"},
        {"offers.deal.requires.investment", "red_lines.plant_needs_port", "red_lines.not_both"},
    ]
    assert diagnosis.combined.score == pytest.approx(2) and diagnosis.combined.restores
    assert "red_lines.no_currency_deal" in keys(diagnosis.combined.amounts)  # the required choice is not relaxed


def test_no_levers_and_an_unreachable_demand():
    data = {"format": 1, "name": "bare", "constituencies": {}, "metrics": {"m": {}}, "levers": {}, "demands": {"m": 5}}
    diagnosis = diagnose(load(data))
    assert [keys(s) for s in diagnosis.conflicts] == [{"demands.m"}]
    assert diagnosis.combined.restores and diagnosis.combined.score == pytest.approx(1)


def test_a_feasible_instance_has_nothing_to_diagnose():
    diagnosis = diagnose(load(Path(__file__).parent / "data" / "toy.yaml"))
    assert diagnosis.feasible and diagnosis.conflicts == []
    assert "nothing to diagnose" in diagnosis.to_markdown()


def test_files_for_the_results_folder():
    files = diagnose(load(EXPLAIN / "lumpy.yaml")).files()
    assert set(files) == {
        "diagnosis.md",
        "diagnosis_conflicts.csv",
        "diagnosis_ways_out.csv",
        "diagnosis_combined.csv",
    }
    assert files["diagnosis.md"].startswith("# Why no package is acceptable")


# -- the properties every diagnosis has ------------------------------------------------------------------


def assert_minimal_conflict(loaded, conflict):
    """Infeasible with every other member removed; feasible when any one member is removed too."""
    assert status_of(kept_only(loaded, conflict)) == "infeasible"
    for member in conflict:
        assert status_of(kept_only(loaded, [m for m in conflict if m != member])) == "optimal", member.key


@pytest.mark.parametrize("name", ["lumpy", "clash", "tangle"])
def test_reported_sets_are_conflicting_and_minimal(name):
    loaded = load(EXPLAIN / f"{name}.yaml")
    for conflict in diagnose(loaded).conflicts:
        assert_minimal_conflict(loaded, conflict)


def test_minimal_with_the_other_lever_bounds_kept():
    # dropping a threshold or red line of the set, with every lever bound of the instance in force
    loaded = load(EXPLAIN / "clash.yaml")
    bounds = [m for m in members_of(loaded.instance) if m.family == "lever_bound"]
    for conflict in diagnose(loaded).conflicts:
        for member in (m for m in conflict if m.family != "lever_bound"):
            rest = [m for m in conflict if m != member]
            assert status_of(kept_only(loaded, set(rest) | set(bounds))) == "optimal"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(deals(walk_away=False))
def test_random_infeasible_instances(data):
    loaded = load(data)
    assume(status_of(loaded) == "infeasible")
    diagnosis = diagnose(loaded)
    for conflict in diagnosis.conflicts:
        assert_minimal_conflict(loaded, conflict)
    for way in diagnosis.ways_out:
        relaxation = way.relaxation
        assert relaxation is not None and relaxation.restores
        if way.sufficient_alone:  # applying the one-member relaxation to the whole instance makes it solvable
            moves = {m: relaxation.new_value(m) for m in relaxation.amounts if m.numeric}
            drops = [m for m in relaxation.amounts if not m.numeric]
            assert status_of(edited(loaded, drop=drops, values=moves)) == "optimal"
    combined = diagnosis.combined
    moves = {m: combined.new_value(m) for m in combined.amounts if m.numeric}
    assert status_of(edited(loaded, drop=[m for m in combined.amounts if not m.numeric], values=moves)) == "optimal"
