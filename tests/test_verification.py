"""The independent check catches bad packages: a solver run is never trusted on its word."""

from __future__ import annotations

import json

import pytest
from conftest import TOY

from optimizer import load_instance, solve
from optimizer.api import check
from optimizer.evaluate import evaluate
from optimizer.kinds.levers import term_value
from optimizer.package import Package
from optimizer.schema import CostTerm
from optimizer.solver import PersistentModel, SolverRun
from optimizer.status import Status

TOY_INSTANCE = load_instance(TOY)


def toy_run(status=Status.OPTIMAL, objective=-7.5, used=None, amount=None, picked=None, granted=None) -> SolverRun:
    """The toy's optimal run (corn 5, the small fund, deal_15), with any part replaced."""
    return SolverRun(
        status,
        objective=objective,
        bound=objective,
        used={"corn": 1, "lng": 0} | (used or {}),
        amount={"corn": 5} | (amount or {}),
        picked={("fund", "small"): 1, ("fund", "large"): 0} | (picked or {}),
        granted={"no_deal": 0, "deal_15": 1} | (granted or {}),
    )


def test_the_true_optimum_passes():
    result = check(TOY_INSTANCE, toy_run())
    assert result.status == "optimal" and result.verified and result.reasons == []
    assert result.objective == pytest.approx(-7.5)


def assert_rejected(run: SolverRun, *fragments: str):
    result = check(TOY_INSTANCE, run)
    assert result.status == "error" and not result.verified and result.exit_code == 3
    assert "failed the independent check" in result.message
    for fragment in fragments:
        assert any(fragment in reason for reason in result.reasons), result.reasons
    return result


def test_fixed_charge_dodge_with_used_zero():
    # amount 5 while used = 0 would skip the fixed cost of 2 and the whole farm curve
    assert_rejected(toy_run(used={"corn": 0}), "lever 'corn' is not used but has amount 5")


def test_fixed_charge_dodge_with_a_tiny_used_value():
    # docs/solver-pitfalls.md: HiGHS may accept used = 1e-9 within its integrality tolerance; rounding exposes it
    assert_rejected(toy_run(used={"corn": 1e-9}), "lever 'corn' is not used but has amount 5")


def test_a_missed_threshold():
    assert_rejected(
        toy_run(amount={"corn": 4}, objective=-12),
        "metric 'deficit_cut' achieves 4, below the offer 'deal_15' requirement of 5",
    )


def test_an_amount_below_min_if_used():
    assert_rejected(toy_run(amount={"corn": 0.5}), "lever 'corn' amount 0.5 is outside [1, 6]")


def test_an_amount_above_max():
    assert_rejected(toy_run(amount={"corn": 7}), "lever 'corn' amount 7 is outside [1, 6]")


def test_a_crossed_red_line():
    assert_rejected(
        toy_run(used={"lng": 1}), "red line 'never_this' is crossed", "red line 'one_big_ticket' is crossed"
    )


def test_two_offers_granted():
    assert_rejected(toy_run(granted={"no_deal": 1}), "exactly one offer must be granted, got 2")


def test_two_options_picked():
    assert_rejected(toy_run(picked={("fund", "large"): 1}), "choice lever 'fund' picks several options: small, large")


def test_an_objective_the_package_does_not_have():
    assert_rejected(toy_run(objective=-10), "objective recomputed as -7.5, solver said -10")


def test_a_time_limit_package_better_than_it_is():
    run = toy_run(status=Status.TIME_LIMIT, objective=-9)
    assert_rejected(run, "objective recomputed as -7.5, above the solver's -9")


def test_a_time_limit_package_is_verified_too():
    run = toy_run(status=Status.TIME_LIMIT, amount={"corn": 4})
    assert_rejected(run, "below the offer 'deal_15' requirement of 5")


def test_infeasible_run_reports_reasons():
    result = check(TOY_INSTANCE, SolverRun(Status.INFEASIBLE))
    assert result.status == "infeasible" and result.package is None and result.reasons


def test_a_failed_check_is_exit_3_on_the_command_line(cli, monkeypatch, tmp_path):
    monkeypatch.setattr(PersistentModel, "solve", lambda self, options: toy_run(used={"corn": 0}))
    code, out, _ = cli("solve", TOY, "--json", "--no-save")
    assert code == 3
    answer = json.loads(out)
    assert answer["status"] == "error" and not answer["verified"]
    assert any("not used but has amount" in reason for reason in answer["reasons"])


def test_evaluate_rounds_nothing_itself():
    # evaluate checks what it is given: a fractional integer amount is a violation
    data = {
        "format": 1,
        "name": "n",
        "constituencies": {"a": {}},
        "metrics": {"m": {}},
        "levers": {"n": {"kind": "integer", "max": 3, "gives": {"m": 1}}, "b": {"kind": "binary"}},
    }
    instance = load_instance(data)
    package = Package(used={"n": True, "b": False}, amount={"n": 2.5, "b": 1.0})
    violations = evaluate(instance, package).violations
    assert "integer lever 'n' has a fractional amount 2.5" in violations
    assert "binary lever 'b' has amount 1 while used=False" in violations


def test_a_run_s_package_rounds_binaries_and_integers():
    data = {
        "format": 1,
        "name": "n",
        "constituencies": {"a": {}},
        "metrics": {},
        "levers": {
            "n": {"kind": "integer", "max": 3},
            "c": {"kind": "continuous", "max": 3},
            "b": {"kind": "binary"},
        },
    }
    instance = load_instance(data)
    run = SolverRun(
        Status.OPTIMAL, 0.0, used={"n": 0.9999999, "c": 0.0, "b": 1e-8}, amount={"n": 2.0000001, "c": 1e-12}
    )
    package = run.package(instance)
    assert package.used == {"n": True, "c": False, "b": False}
    assert package.amount == {"n": 2.0, "c": 0.0, "b": 0.0}


def test_term_value_follows_the_curve_and_its_tail():
    term = CostTerm(fixed=2, per_unit=[[3, 0.5], [6, 2.0]])
    assert term_value(term, True, 0) == 2
    assert term_value(term, True, 3) == pytest.approx(3.5)
    assert term_value(term, True, 5) == pytest.approx(7.5)
    assert term_value(term, False, 5) == 0
    tail = CostTerm(per_unit=[[2, 1]])
    assert term_value(tail, True, 10) == pytest.approx(10)


def test_each_bound_of_a_limit_has_its_own_tolerance():
    # a wide band: the tolerance of max (1e6 -> 1) must not excuse missing min by 0.5
    data = {
        "format": 1,
        "name": "band",
        "constituencies": {"a": {}},
        "metrics": {},
        "levers": {"x": {"kind": "continuous", "max": 10}},
        "red_lines": [{"name": "band", "kind": "limit", "terms": {"x": 1}, "min": 0.5, "max": 1e6}],
    }
    instance = load_instance(data)
    nothing = evaluate(instance, Package.empty(instance))
    assert nothing.violations == ["red line 'band' is crossed: value 0, bounds [0.5, 1e+06]"]
    assert not nothing.red_lines["band"].binding
    at_min = evaluate(instance, Package(used={"x": True}, amount={"x": 0.5}))
    assert at_min.violations == [] and at_min.red_lines["band"].binding


def test_an_answer_stopped_by_a_loose_gap_says_so():
    """Status optimal (HiGHS proved the gap the user allowed), but the message names the gap."""
    from optimizer.generate import generate_instance

    loose = solve(generate_instance(levers=300, seed=2), gap=0.5)
    assert loose.status == "optimal" and loose.verified and loose.gap > 1e-6
    assert loose.message.startswith(f"optimal within the relative gap {loose.gap:.3g} that --gap allows")
    assert solve(generate_instance(levers=300, seed=2)).message == "optimal package found and verified"
