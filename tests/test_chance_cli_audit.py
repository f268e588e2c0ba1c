"""The chance of acceptance end to end, as a user meets it: what a partial curve may claim, options that
would be ignored, tiers our own red lines rule out, the saved tables' thresholds, and the words and keys shown."""

from __future__ import annotations

import json

import pytest
from test_chance import small_deal

from optimizer.brief.acceptance import _envelope, _statements
from optimizer.chance.curve import acceptance_curve
from optimizer.instance import load
from optimizer.solver import SolveOptions
from optimizer.yamlfile import dump


def write(tmp_path, data: dict, name: str = "deal.yaml"):
    path = tmp_path / name
    path.write_text(dump(data), encoding="utf-8")
    return path


@pytest.fixture
def deal(tmp_path):
    """corn costs 1 a unit and gives 1; the deal (benefit 6) needs 3, 5 or 8 with chances 0.5, 0.3, 0.2."""
    return write(tmp_path, small_deal())


def test_a_partial_curve_claims_nothing_above_what_it_traced(cli, deal, tmp_path):
    """Two points (walk away and the deal at 0.5) of a curve that goes on to 1: the brief says it was cut
    and does not say that nothing exists above 0.5; the expected-gain point is among the points computed."""
    code, out, _ = cli("acceptance", deal, "--max-points", "2", "--out", tmp_path / "acc", "--json")
    answer = json.loads(out)
    assert code == 0 and answer["status"] == "partial"
    code, text, _ = cli("acceptance", deal, "--max-points", "2", "--no-save")
    assert code == 0
    assert "no package within our red lines exists" not in text
    assert "cut short at its maximum of 2 points" in text and "reached so far is 0.5" in text
    assert "Expected-gain point among the points computed" in text


def test_the_brief_of_a_partial_curve_says_so_too():
    loaded = load(small_deal())
    curve = acceptance_curve(loaded, SolveOptions(), 2)
    deals = [p for p in curve.points if p.offer == "deal"]
    statements = " ".join(_statements(loaded.instance, curve, _envelope(deals)))
    assert curve.partial and "no package within our red lines exists" not in statements
    assert "reached so far is 0.5" in statements and "highest expected gain among the points computed" in statements


def test_a_top_chance_just_below_1_is_not_called_above_1(cli, tmp_path):
    """A normal threshold (mean 5, sd 1) and corn up to 10: the top chance is 0.9999997, shown as 1."""
    data = small_deal()
    data["beliefs"]["deal_m"] = {"path": "offers.deal.requires.m", "normal": {"mean": 5, "sd": 1}}
    code, text, _ = cli("acceptance", write(tmp_path, data), "--no-save")
    assert code == 0 and "above 1" not in text
    assert "just below 1 (1 - 2.867e-07)" in text


@pytest.mark.parametrize(
    ("options", "said"),
    [
        (["--samples", "50"], "--samples: these set the scenarios of --chance P, and need it"),
        (["--seed", "3"], "--seed: these set the scenarios of --chance P, and need it"),
        (["--scenarios", "s.csv"], "--scenarios: these set the scenarios of --chance P, and need it"),
        (["--robust", "box", "--scenarios", "s.csv"], "--scenarios: --robust uses no scenarios"),
        (["--robust", "box", "--seed", "1"], "--seed: --robust uses no scenarios"),
    ],
)
def test_sampling_options_a_solve_would_ignore_are_refused(cli, deal, tmp_path, monkeypatch, options, said):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "s.csv").write_text("deal_m\n" + "3\n" * 10, encoding="utf-8")
    code, _, err = cli("solve", deal, *options)
    assert code == 2 and said in err
    assert not (tmp_path / "results").exists()


def test_chance_on_an_instance_without_beliefs_is_refused_as_acceptance_refuses_it(cli, tmp_path):
    data = small_deal()
    del data["beliefs"]
    path = write(tmp_path, data)
    said = "beliefs: the instance has no beliefs: every chance is 0 or 1"
    for command in (["solve", path, "--chance", "0.8"], ["solve", path, "--robust", "box"], ["acceptance", path]):
        code, _, err = cli(*command, "--out", tmp_path / "out")
        assert code == 2 and said in err, command
    assert not (tmp_path / "out").exists()


def test_acceptance_refuses_a_folder_of_another_kind_before_solving(cli, deal, tmp_path, monkeypatch):
    code, _, _ = cli("solve", deal, "--out", tmp_path / "plain", "--no-brief")
    assert code == 0
    solved = []
    monkeypatch.setattr("optimizer.chance.command.acceptance_curve", lambda *a, **k: solved.append(a))
    code, _, err = cli("acceptance", deal, "--out", tmp_path / "plain")
    assert code == 2 and "no acceptance.json" in err and not solved


def test_a_tier_our_own_red_line_rules_out_says_so(cli, tmp_path):
    """A red line refuses a tariff above 10 and the deal's is 20: the deal's row names our red lines."""
    data = small_deal()
    data["offers"]["deal"]["attributes"] = {"tariff": 20}
    data["red_lines"] = [{"name": "cap", "kind": "offer", "attribute": "tariff", "max": 10}]
    code, text, _ = cli("solve", write(tmp_path, data), "--chance", "0.8", "--no-save")
    assert code == 0
    deal_row = next(line for line in text.splitlines() if line.startswith("| deal |"))
    assert "our own red lines (or this tier's certain thresholds) rule it out" in deal_row


def test_a_tier_the_counterpart_s_thresholds_rule_out_is_not_blamed_on_us(cli, tmp_path):
    """The deal needs 11 or 12 and corn stops at 10: it is the least the deal may require that is out of reach."""
    data = small_deal()
    data["beliefs"]["deal_m"]["discrete"] = {"values": [11, 12], "probs": [0.5, 0.5]}
    code, out, _ = cli("solve", write(tmp_path, data), "--chance", "0.8", "--no-save", "--json")
    assert code == 0 and json.loads(out)["per_offer"][1]["message"] == (
        "no package within our red lines meets even the least this tier may require (its chance is 0)"
    )


def test_tiers_cut_by_the_time_limit_are_named_in_words(cli, deal, monkeypatch):
    from optimizer.explain.workbench import Workbench
    from optimizer.solver import SolverRun
    from optimizer.status import Status

    monkeypatch.setattr(Workbench, "solve", lambda self: SolverRun(Status.TIME_LIMIT, message="maxTimeLimit"))
    code, out, err = cli("solve", deal, "--chance", "0.8", "--no-save", "--time-limit", "0.5", "--json")
    message = json.loads(out)["message"]
    assert code == 3 and "maxTimeLimit" not in message + err
    assert message == (
        "2 tiers could not be settled: walk and deal hit the time limit (0.5 s) before HiGHS proved a least-cost package"
    )


def test_a_chance_folder_shows_the_instance_s_thresholds_and_each_tier_s_chance(cli, tmp_path):
    """The deal requires 4 as written, with a normal belief (mean 5, sd 1) on it: at --chance 0.5 the solve's
    floor is 5, but metrics.csv shows the 4 the instance says, and report.md has the per-tier chances."""
    import pandas as pd

    data = small_deal()
    data["beliefs"]["deal_m"] = {"path": "offers.deal.requires.m", "normal": {"mean": 5, "sd": 1}}
    code, _, _ = cli("solve", write(tmp_path, data), "--chance", "0.5", "--out", tmp_path / "out")
    assert code == 0
    metrics = pd.read_csv(tmp_path / "out" / "metrics.csv").set_index("metric")
    assert metrics.loc["m", "offer_requires"] == 4 and metrics.loc["m", "threshold"] == 4
    assert metrics.loc["m", "achieved"] == 5
    report = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    assert "## Chance of acceptance per tier" in report and "| deal | 0.5 | exact_tol | -1 | yes |" in report


def test_a_scenario_run_says_how_it_solved_and_records_only_what_it_used(cli, deal, tmp_path):
    """The file makes the solve sampled; the chances shown still come exactly from the discrete law."""
    path = tmp_path / "s.csv"
    path.write_text("deal_m\n" + "5\n" * 8 + "3\n3\n", encoding="utf-8")
    code, out, err = cli("solve", deal, "--chance", "0.8", "--scenarios", path, "--no-save", "--json")
    answer = json.loads(out)
    assert code == 0 and answer["run"]["chance"] == {
        "target": 0.8,
        "method": "sampled",
        "scenarios": str(path),
        "scenario_rows": 10,
    }
    assert answer["message"] == (
        "least-cost package accepted with probability at least 0.8 "
        "(solved over the 10 scenarios of s.csv; chances exact, from the beliefs' laws), verified"
    )
    assert answer["probability_method"] == "exact" and "| deal | 0.8 | exact |" in err
    code, out, _ = cli("acceptance", deal, "--scenarios", path, "--no-save", "--json")
    answer = json.loads(out)
    assert answer["probability_method"] == "exact" and answer["run"]["chance"]["scenario_rows"] == 10
    assert "samples" not in answer["run"]["chance"]


def test_an_exact_run_records_no_samples_or_seed(cli, deal):
    code, out, _ = cli("solve", deal, "--chance", "0.8", "--no-save", "--json")
    assert code == 0 and json.loads(out)["run"]["chance"] == {"target": 0.8, "method": "exact"}


def test_robust_json_has_the_chance_keys_empty_and_acceptance_json_its_shape(cli, deal):
    code, out, _ = cli("solve", deal, "--robust", "box", "--no-save", "--json")
    answer = json.loads(out)
    assert code == 0 and answer["target"] is None and answer["target_met"] is None
    assert {"probability", "probability_method", "probability_interval", "per_offer"} <= set(answer)
    code, out, _ = cli("acceptance", deal, "--no-save", "--json")
    answer = json.loads(out)
    assert {"status", "message", "run", "probability_method", "curve", "expected_gain"} <= set(answer)
    assert answer["probability_method"] == "exact"
    assert all({"point", "offer", "probability", "objective", "package"} <= set(row) for row in answer["curve"])


def test_a_bad_robust_spec_names_the_option_once(cli, deal):
    code, _, err = cli("solve", deal, "--robust", "foo", "--no-save")
    assert code == 2 and "solve: --robust: 'foo' is not box, box:q (0 < q <= 1) or budget:G" in err
    assert "--robust: --robust" not in err
