"""Cases found by an independent review, each once a wrong answer or a bad rejection."""

import numpy as np
import pytest
from conftest import TOY, write

from optimizer import solve
from optimizer.errors import MAX_PROBLEMS


def test_presolve_false_infeasible_is_confirmed_without_presolve():
    # HiGHS 1.16's presolve calls this infeasible at a tight feasibility tolerance; picking c alone
    # meets the equality (2.5 = 2.5) at no cost.
    result = solve(
        {
            "format": 1,
            "name": "eq",
            "constituencies": {},
            "metrics": {},
            "levers": {
                "x": {"kind": "continuous", "max": 8.8, "min_if_used": 1.6},
                "b": {"kind": "binary"},
                "c": {"kind": "choice", "options": {"o": {}}},
            },
            "red_lines": [
                {"name": "eq", "kind": "limit", "terms": {"c": 2.5, "x": 3.0, "b": -0.8}, "min": 2.5, "max": 2.5}
            ],
        }
    )
    assert result.status == "optimal" and result.verified
    assert result.objective == pytest.approx(0)


def test_a_presolve_failure_is_retried_without_presolve(monkeypatch):
    """HiGHS 1.16's presolve has failed outright (status error) on a model that solves without it."""
    from optimizer.solver import PersistentModel, SolverRun
    from optimizer.status import Status

    real_run = PersistentModel._run
    presolves = []

    def presolve_fails(self, options, presolve):
        presolves.append(presolve)
        if presolve:
            return SolverRun(Status.ERROR, message="presolve failed")
        return real_run(self, options, presolve)

    monkeypatch.setattr(PersistentModel, "_run", presolve_fails)
    result = solve(TOY)
    assert presolves == [True, True, False]
    assert result.status == "optimal" and result.verified


def test_true_false_and_null_are_names_where_a_name_is_meant(tmp_path):
    text = """format: 1
name: null
constituencies: {no: {}}
metrics: {}
levers:
  true: {kind: binary, costs: {no: -1}}
  false: {kind: binary, costs: {no: -2}}
offers:
  null: {walk_away: true}
  yes: {attributes: {on: 3}}
red_lines:
  - {name: True, kind: forbid, levers: [true]}
  - {name: off, kind: offer, attribute: on, max: 5}
  - {name: c, kind: conditional, lever: false, offers: [yes]}
"""
    result = solve(write(tmp_path, text, "x.yaml"))
    assert result.status == "optimal", result.errors
    assert result.instance.name == "null"
    assert result.package.levers() == {"false": 1.0}  # "true" is forbidden; "false" needs offer "yes"
    assert result.offer == "yes"


def test_a_text_field_still_needs_quotes(tmp_path):
    text = "format: 1\nname: t\nconstituencies: {}\nmetrics: {}\nlevers: {}\ntitle: true\n"
    result = solve(write(tmp_path, text, "t.yaml"))
    assert result.status == "invalid"
    assert "expected text" in result.errors[0].message


def test_offer_red_lines_are_exact_with_no_levers():
    result = solve(
        {
            "format": 1,
            "name": "nolev",
            "constituencies": {"a": {}},
            "metrics": {},
            "levers": {},
            "offers": {"walk": {"walk_away": True}, "deal": {"attributes": {"t": 15.000001}, "benefits": {"a": 10}}},
            "red_lines": [{"name": "r", "kind": "offer", "attribute": "t", "max": 15}],
        }
    )
    assert result.status == "optimal" and result.offer == "walk"


def test_a_demand_just_above_zero_is_out_of_reach_with_no_levers():
    data = {"format": 1, "name": "d", "constituencies": {}, "metrics": {"m": {}}, "levers": {}, "demands": {"m": 1e-6}}
    assert solve(data).status == "infeasible"


def test_thousands_of_broken_references_are_cut_short():
    offers = {f"o{i}": {"attributes": {f"a{i}": 1}} for i in range(1000)}
    red_lines = [{"name": f"r{i}", "kind": "offer", "attribute": f"zz{i}", "max": 1} for i in range(1000)]
    data = {"format": 1, "name": "b", "constituencies": {}, "metrics": {}, "levers": {}, "offers": offers}
    result = solve(data | {"red_lines": red_lines})
    assert result.status == "invalid"
    assert len(result.errors) == MAX_PROBLEMS + 1  # the note that more exist, then the first 100


def test_highs_run_elsewhere_in_the_process_does_not_break_a_solve():
    highspy = pytest.importorskip("highspy")
    other = highspy.Highs()
    other.setOptionValue("output_flag", False)
    other.setOptionValue("threads", 2)
    other.addVars(1, np.array([0.0]), np.array([1.0]))
    other.run()
    result = solve(TOY)
    assert result.status == "optimal"
    assert result.objective == pytest.approx(-7.5)
