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


# -- relaxations the solver must confirm exactly (found by the property test below) ----------------------


def knife_edge_deal(l0_per_unit, l0_max, l1_gives, requires, cap):
    """l0 (continuous, at least 1) gives and costs g1 ``l0_per_unit`` a unit plus a fixed point; l2 gives 1 for 1.

    The cap and the requirement leave room for exactly one amount of l0, so the least relaxation is
    met with no slack at all.
    """
    nothing = {"fixed": 0, "per_unit": 0}
    return {
        "format": 1,
        "name": "random",
        "constituencies": {"g1": {"weight": 0}, "g2": {"weight": 0}},
        "metrics": {"m1": {}, "m2": {}},
        "levers": {
            "l0": {
                "kind": "continuous",
                "gives": {"m1": nothing, "m2": {"fixed": 0, "per_unit": l0_per_unit}},
                "costs": {"g1": {"fixed": 1, "per_unit": l0_per_unit}, "g2": nothing},
                "max": l0_max,
                "min_if_used": 1,
            },
            "l1": {
                "kind": "binary",
                "gives": {"m1": nothing, "m2": {"fixed": l1_gives, "per_unit": 0}},
                "costs": {"g1": nothing, "g2": nothing},
            },
            "l2": {  # a binary lever's per_unit counts once, when used
                "kind": "binary",
                "gives": {"m1": nothing, "m2": {"fixed": 0, "per_unit": 1}},
                "costs": {"g1": {"fixed": 0, "per_unit": 1}, "g2": nothing},
            },
        },
        "offers": {"deal": {"requires": {"m1": 0, "m2": requires}, "benefits": {"g2": 30}}},
        "demands": {"m1": 0},
        "red_lines": [{"name": "cap", "kind": "max_cost", "constituency": "g1", "max": cap}],
    }


def assert_restores(loaded, relaxation):
    """The relaxation restores a package, and so do its numbers applied to the instance as edits."""
    assert relaxation is not None and relaxation.restores
    moves = {m: relaxation.new_value(m) for m in relaxation.amounts if m.numeric}
    drops = [m for m in relaxation.amounts if not m.numeric]
    assert status_of(edited(loaded, drop=drops, values=moves)) == "optimal"


def relaxed_to(relaxation):
    return {m.key: pytest.approx(relaxation.new_value(m)) for m in relaxation.amounts}


def test_a_lever_cap_raised_exactly_to_the_one_amount_that_fits():
    # l0 at x costs 1 + 5x and gives 5x; with l1 (gives 1) and l2 (gives 1, costs 1): 5x + 2 >= 15 and
    # 5x + 2 <= 15, so x = 2.6 exactly (without l2, x = 2.8). The cap on l0 goes from 2 to 2.6. Rounding
    # 2.6 - 2 = 0.6000000000000001 up to 0.600000001 put the cap a billionth past 2.6, at HiGHS's
    # feasibility tolerance, and HiGHS then called the relaxed instance infeasible.
    loaded = load(knife_edge_deal(l0_per_unit=5, l0_max=2, l1_gives=1, requires=15, cap=15))
    diagnosis = diagnose(loaded)
    assert [keys(s) for s in diagnosis.conflicts] == [{"offers.deal.requires.m2", "levers.l0.max"}]
    found = {way.member.key: way for way in diagnosis.ways_out}
    assert all(way.sufficient_alone for way in found.values())
    assert relaxed_to(found["levers.l0.max"].relaxation) == {"levers.l0.max": 2.6}
    assert relaxed_to(found["offers.deal.requires.m2"].relaxation) == {"offers.deal.requires.m2": 12}
    assert relaxed_to(diagnosis.combined) == {"offers.deal.requires.m2": 12}  # 2 x 5 + 2 of 15
    assert diagnosis.combined.score == pytest.approx(0.2)
    for relaxation in [way.relaxation for way in found.values()] + [diagnosis.combined]:
        assert_restores(loaded, relaxation)


def test_a_tie_between_two_members_is_not_split_by_solver_noise():
    # l0 at x costs 1 + 3x and gives 3x, l2 gives 1 for 1: whatever is used, the cost is 1 + m2.
    # m2 >= 7 against cost <= 7 needs r + c >= 1 (r off the requirement, c onto the cap, both /7).
    # HiGHS returned r = 0.999999993 and c = 7e-9; c was dropped as within the check's tolerance,
    # leaving the requirement at 6.000000007, which no package meets.
    loaded = load(knife_edge_deal(l0_per_unit=3, l0_max=3, l1_gives=0, requires=7, cap=7))
    diagnosis = diagnose(loaded)
    assert [keys(s) for s in diagnosis.conflicts] == [{"offers.deal.requires.m2", "red_lines.cap.max"}]
    found = {way.member.key: way.relaxation for way in diagnosis.ways_out}
    assert relaxed_to(found["offers.deal.requires.m2"]) == {"offers.deal.requires.m2": 6}
    assert relaxed_to(found["red_lines.cap.max"]) == {"red_lines.cap.max": 8}
    assert relaxed_to(diagnosis.combined) in ({"offers.deal.requires.m2": 6}, {"red_lines.cap.max": 8})
    assert diagnosis.combined.score == pytest.approx(1 / 7)
    for relaxation in [*found.values(), diagnosis.combined]:
        assert_restores(loaded, relaxation)


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


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(deals(walk_away=False))
def test_random_infeasible_instances(data):
    loaded = load(data)
    assume(status_of(loaded) == "infeasible")
    diagnosis = diagnose(loaded)
    for conflict in diagnosis.conflicts:
        assert_minimal_conflict(loaded, conflict)
    for way in diagnosis.ways_out:
        if way.sufficient_alone:  # applying the one-member relaxation to the whole instance makes it solvable
            assert_restores(loaded, way.relaxation)
        else:
            assert way.relaxation is not None and way.relaxation.restores
    assert_restores(loaded, diagnosis.combined)
