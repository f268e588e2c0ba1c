"""Explaining the optimum: threshold and red-line prices, who pays, what binds, and the command."""

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from optimizer import load, solve
from optimizer.cli import solve as solve_command
from optimizer.explain import explain
from optimizer.explain.command import COMMANDS, explain_command

DATA = Path(__file__).parent / "data"
TOY = DATA / "toy.yaml"
PRICED = DATA / "explain" / "priced.yaml"


@pytest.fixture(scope="module")
def priced():
    return explain(load(PRICED))


def by(table, column):
    return {row[column]: row for row in table.to_dict("records")}


# -- priced.yaml, worked out by hand: the optimum -10 is corn 6 (farmers 4 * 1 + 2 * 3) + plant (20) - 40 ---


def test_optimum(priced):
    assert priced.status == "optimal" and priced.result.objective == pytest.approx(-10)


def test_deficit_threshold_price(priced):
    row = by(priced.tables["thresholds"], "threshold")["offers.deal.requires.deficit_cut"]
    # each more unit of corn costs farmers 3 until their cap of 16 stops corn at 8; then the deal is lost
    assert (row["price_per_unit"], row["jump"], row["holds_until"]) == pytest.approx((3, 0, 8))
    assert row["beyond"] == "kink" and row["binding"]
    assert row["drop_saving"] == pytest.approx(10)  # no corn at all
    assert row["package_without"] == "plant; offer deal"


def test_investment_threshold_price(priced):
    row = by(priced.tables["thresholds"], "threshold")["offers.deal.requires.investment"]
    # the plant gives 50 of the 30 required: raising costs nothing up to 50, then bonds at 0.5
    assert (row["price_per_unit"], row["jump"], row["holds_until"]) == pytest.approx((0, 0, 50))
    assert not row["binding"] and row["achieved"] == pytest.approx(50)
    assert row["drop_saving"] == pytest.approx(20)


def test_price_holds_over_its_range_by_independent_re_solves(priced):
    row = by(priced.tables["thresholds"], "threshold")["offers.deal.requires.deficit_cut"]
    for value in (6.5, 7.25, 8.0):
        again = solve(PRICED, [("offers.deal.requires.deficit_cut", value)])
        assert again.objective == pytest.approx(-10 + row["price_per_unit"] * (value - 6))
    assert solve(PRICED, [("offers.deal.requires.deficit_cut", 8.01)]).objective == pytest.approx(0)  # walk away


def test_red_line_prices(priced):
    rows = by(priced.tables["red_lines"], "red_line")
    assert rows["farm_cap"]["saving"] == pytest.approx(0)
    assert rows["bond_limit"]["saving"] == pytest.approx(5)  # bonds 30 (15) instead of the plant (20)
    assert rows["bond_limit"]["package_without"] == "corn 6, bonds 30; offer deal"
    assert rows["no_rice"]["saving"] == pytest.approx(6)  # rice (4) instead of corn (10)
    assert rows["no_rice"]["package_without"] == "rice, plant; offer deal"
    assert rows["no_rice"]["statement"].startswith("no_rice costs you 6 points: without it you would offer rice")


@pytest.mark.parametrize("path", [PRICED, TOY, DATA.parent.parent / "instances" / "tutorial.yaml"])
def test_red_line_prices_equal_independent_re_solve_differences(path):
    explanation = explain(load(path))
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    optimum = solve(data).objective
    for row in explanation.tables["red_lines"].to_dict("records"):
        without = dict(data, red_lines=[line for line in data["red_lines"] if line["name"] != row["red_line"]])
        assert row["saving"] == pytest.approx(optimum - solve(without).objective, abs=1e-6)


def test_who_pays(priced):
    rows = by(priced.tables["who_pays"], "constituency")
    assert rows["farmers"]["share"] == pytest.approx(1 / 3) and rows["fiscal"]["share"] == pytest.approx(2 / 3)
    assert rows["farmers"]["main_cause"] == "corn" and rows["fiscal"]["main_cause"] == "plant"
    assert rows["fiscal"]["weighted_net"] == pytest.approx(-20)
    levers = priced.tables["who_pays_levers"]
    assert levers[["constituency", "lever", "cost"]].values.tolist() == [
        ["farmers", "corn", 10.0],
        ["fiscal", "plant", 20.0],
    ]


def test_binding_constraints_in_words():
    explanation = explain(load(TOY))
    table = explanation.tables["binding"]
    statements = set(table.loc[table["binding"], "statement"])
    assert statements == {
        "US deficit reduction of 5 USD bn/yr, as 15% tariff tier requires, is met exactly",
        "Investment in the US of 100 USD bn, as 15% tariff tier requires, is met exactly",
        "ag_budget is at its max (5)",
    }


def test_a_logical_red_line_binds_when_it_costs_something(priced):
    rows = by(priced.tables["binding"], "constraint")
    assert rows["red_lines.no_rice"]["binding"] and not rows["red_lines.farm_cap.max"]["binding"]
    assert rows["red_lines.no_rice"]["statement"] == "no_rice (forbid) rules out a cheaper package: it costs 6 points"


def test_runner_up_and_markdown():
    explanation = explain(load(TOY))
    assert explanation.runner_up.package.offer == "no_deal"
    text = explanation.to_markdown()
    assert "The next best different package costs 7.5 points more: nothing conceded; offer no_deal." in text
    assert "## What each red line costs" in text and "## Who pays" in text


def test_an_infeasible_instance_is_diagnosed():
    explanation = explain(load(DATA / "explain" / "lumpy.yaml"))
    assert explanation.status == "infeasible" and explanation.tables == {}
    assert "diagnosis.md" in explanation.files()
    assert "Why no package is acceptable" in explanation.to_markdown()


# -- the command ------------------------------------------------------------------------------------------


def test_explain_writes_a_whole_results_folder_of_its_own_run(tmp_path, cli):
    """solve's files and explain's, from one run: an earlier solve with other numbers is replaced whole."""
    out = tmp_path / "out"
    solved = CliRunner().invoke(
        solve_command, [str(TOY), "--out", str(out), "--set", "constituencies.farmers.weight=9"]
    )
    assert solved.exit_code == 0, solved.output
    result = CliRunner().invoke(explain_command, [str(TOY), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "## What holds it in place" in result.stdout
    written = {p.name for p in out.iterdir()}
    assert {"summary.json", "report.md", "instance.yaml", "package.csv"} <= written
    assert {
        "explain.md",
        "explain_thresholds.csv",
        "explain_red_lines.csv",
        "explain_who_pays.csv",
        "explain_who_pays_levers.csv",
        "explain_binding.csv",
    } <= written
    summary = json.loads((out / "summary.json").read_text())
    assert summary["run"]["instance"]["overrides"] == []  # this run's, not the earlier solve's
    # and the folder is one `solve` and `review` take as theirs
    assert cli("review", out)[0] == 0
    assert cli("solve", TOY, "--out", out)[0] == 0


def test_explain_refuses_a_folder_of_other_files_before_solving(tmp_path):
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    result = CliRunner().invoke(explain_command, [str(TOY), "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert "is a folder of other files" in result.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_explain_default_folder_is_results_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert CliRunner().invoke(explain_command, [str(TOY)]).exit_code == 0
    assert (tmp_path / "results" / "toy-deal" / "explain.md").exists()


def test_explain_json_and_overrides(tmp_path):
    args = [str(PRICED), "--out", str(tmp_path), "--json", "--set", "red_lines.no_rice.levers=[corn]"]
    result = CliRunner().invoke(explain_command, args)
    assert result.exit_code == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["status"] == "optimal" and payload["package"] == {"rice": 1.0, "plant": 1.0}
    assert {row["red_line"] for row in payload["prices"]["red_lines"]} == {"farm_cap", "bond_limit", "no_rice"}
    assert set(payload["red_lines"]) == {"farm_cap", "bond_limit", "no_rice"}  # as in solve --json: keyed by name


def test_explain_infeasible_exits_1_with_the_diagnosis(tmp_path):
    result = CliRunner().invoke(explain_command, [str(DATA / "explain" / "lumpy.yaml"), "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert "let Finance ministry bear 4 more points (8 -> 12)" in result.stdout
    assert (tmp_path / "diagnosis.md").exists() and (tmp_path / "diagnosis_ways_out.csv").exists()


def test_explain_invalid_input_exits_2_with_located_problems(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: 1\nconstituencies: {}\nmetrics: {}\nlevers:\n  x: {kind: binary, gives: {nope: 1}}\n")
    result = CliRunner().invoke(explain_command, [str(bad)])
    assert result.exit_code == 2
    assert f"{bad}:5: levers.x.gives.nope: unknown metric 'nope'" in result.stderr
    assert "Traceback" not in result.output


def test_every_command_and_option_has_help():
    for command in COMMANDS:
        assert command.help
        assert all(param.help for param in command.params if param.param_type_name == "option")
