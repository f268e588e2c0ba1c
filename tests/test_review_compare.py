"""Comparing two answers: package, cost per constituency and thresholds side by side, differences marked."""

import json

import pytest
from click.testing import CliRunner
from test_review_folders import TOY, scenario_id, solved_folder, sweep_copy

from optimizer.review import compare, read_folder, read_outcome
from optimizer.review.command import compare_command


@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    """The toy deal; with farmers weighing 0.5 (same package, cheaper); with a small benefit (walk away)."""
    root = tmp_path_factory.mktemp("compare")
    return {
        "toy": solved_folder(root / "toy"),
        "light": solved_folder(root / "light", TOY, [("constituencies.farmers.weight", 0.5)]),
        "walk": solved_folder(root / "walk", TOY, [("offers.deal_15.benefits.fiscal", 10)]),
    }


def _rows(table, section):
    return {
        r["item"]: (r["a"], r["b"], r["change"], r["differs"])
        for r in table.to_dict("records")
        if r["section"] == section
    }


def test_a_reweighted_deal_keeps_its_package_and_costs_less(folders):
    table = compare(read_outcome(folders["toy"])[1], read_outcome(folders["light"])[1])
    assert _rows(table, "answer")["objective"] == (-7.5, -26.25, "-18.75", True)
    assert _rows(table, "package") == {"corn": (5.0, 5.0, "", False), "fund": ("small", "small", "", False)}
    assert _rows(table, "net cost") == {"farmers": (7.5, 7.5, "", False), "fiscal": (-30.0, -30.0, "", False)}
    assert _rows(table, "met") == {"deficit_cut": (True, True, "", False), "investment": (True, True, "", False)}


def test_walking_away_drops_the_package_and_the_thresholds(folders):
    table = compare(read_outcome(folders["toy"])[1], read_outcome(folders["walk"])[1])
    assert _rows(table, "answer")["offer"] == ("deal_15", "no_deal", "deal_15 → no_deal", True)
    assert _rows(table, "package") == {"corn": (5.0, None, "leaves", True), "fund": ("small", None, "leaves", True)}
    assert _rows(table, "threshold")["investment"] == (100.0, 0.0, "-100", True)  # walking away requires 0
    assert _rows(table, "net cost")["fiscal"] == (-30.0, 0.0, "+30", True)
    assert list(table.columns) == ["section", "item", "label", "unit", "a", "b", "change", "differs"]


def test_two_scenarios_of_a_sweep_side_by_side(tmp_path):
    folder = sweep_copy(tmp_path / "sweep")
    sweep = read_folder(folder)
    first, second = scenario_id(sweep, 1, 150), scenario_id(sweep, 5, 150)
    result = CliRunner().invoke(compare_command, [f"{folder}#{first}", f"{folder}#{second}", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["kind"], data["a"], data["b"]) == ("compare", f"sweep#{first}", f"sweep#{second}")
    rows = {(r["section"], r["item"]): (r["a"], r["b"], r["change"]) for r in data["tables"]["compare"]}
    assert rows["package", "big"] == (1.0, None, "leaves") and rows["package", "lng"] == (None, 1.0, "enters")
    assert rows["answer", "objective"] == (30.0, 35.0, "+5")
    assert rows["net cost", "farmers"] == (10.0, 0.0, "-10")
    assert rows["threshold", "investment"] == (150.0, 150.0, "")


def test_the_terminal_table_heads_columns_by_name_and_can_hide_what_agrees(folders):
    result = CliRunner().invoke(compare_command, [str(folders["toy"]), str(folders["light"]), "--only-differences"])
    assert result.exit_code == 0, result.output
    assert "a: toy" in result.output and "b: light" in result.output
    assert "differences: 1" in result.output
    assert "net political cost" in result.output and "corn" not in result.output


def test_a_sweep_needs_a_scenario_id(tmp_path, folders):
    folder = sweep_copy(tmp_path / "sweep")
    result = CliRunner().invoke(compare_command, [str(folders["toy"]), str(folder)])
    assert result.exit_code == 2
    assert result.output == f"{folder}: is a sweep folder: pick a scenario with DIR#ID\n"
