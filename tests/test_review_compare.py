"""Comparing two answers: the inputs that differ, then package, cost per constituency and thresholds side by
side, differences marked; scenarios named by a short unique start of their id."""

import json
from collections import Counter

import pytest
from click.testing import CliRunner
from test_review_folders import TOY, scenario_id, solved_folder, sweep_copy

from optimizer import solve
from optimizer.instance import load
from optimizer.review import ReviewError, compare, read_folder, read_outcome
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
    assert "differences: 2" in result.output
    assert "inputs that differ: Farm lobby weight 3 → 0.5\n" in result.output
    assert "net political cost" in result.output and "corn" not in result.output


def test_a_sweep_needs_a_scenario_id(tmp_path, folders):
    folder = sweep_copy(tmp_path / "sweep")
    result = CliRunner().invoke(compare_command, [str(folders["toy"]), str(folder)])
    assert result.exit_code == 2
    assert result.output == (
        f"{folder}: is a sweep folder: pick a scenario with DIR#ID (an id, its first characters or a name)\n"
    )


def test_the_inputs_that_differ_come_first_as_causes(folders):
    table = compare(read_outcome(folders["toy"])[1], read_outcome(folders["light"])[1])
    assert table["section"].iloc[0] == "input"
    assert _rows(table, "input") == {"constituencies.farmers.weight": (3.0, 0.5, "-2.5", True)}
    walk = compare(read_outcome(folders["toy"])[1], read_outcome(folders["walk"])[1])
    assert _rows(walk, "input") == {"offers.deal_15.benefits.fiscal": (40, 10, "-30", True)}
    assert walk[walk["section"] == "input"]["label"].tolist() == ["15% tariff tier: benefit to Finance ministry"]


def test_a_red_line_only_one_side_has_is_an_input_difference():
    data = load(TOY).instance.model_dump(mode="json", exclude_none=True)
    data["red_lines"] = [line for line in data["red_lines"] if line["name"] != "farm_pain"]
    table = compare(solve(TOY), solve(data))
    inputs = _rows(table, "input")
    assert inputs["red_lines.farm_pain.max"] == (20, None, "removed", True)
    assert inputs["red_lines.farm_pain"] == ("present", None, "removed", True)
    assert len(inputs) == 2
    assert _rows(compare(solve(TOY), solve(TOY)), "input") == {}


@pytest.fixture(scope="module")
def sweep_folder(tmp_path_factory):
    return sweep_copy(tmp_path_factory.mktemp("prefixes") / "sweep")


def test_a_scenario_is_named_by_the_start_of_its_id(sweep_folder):
    full = scenario_id(read_folder(sweep_folder), 5, 150)
    ids = [str(i) for i in read_folder(sweep_folder).scenarios["id"]]
    short = next(full[:n] for n in range(1, len(full)) if sum(i.startswith(full[:n]) for i in ids) == 1)
    name, result = read_outcome(f"{sweep_folder}#{short}")
    assert name == f"sweep#{full}" and result.package.levers() == {"lng": 1.0}


def test_an_ambiguous_start_exits_2_listing_the_candidates(sweep_folder):
    ids = [str(i) for i in read_folder(sweep_folder).scenarios["id"]]
    shared, count = Counter(i[0] for i in ids).most_common(1)[0]
    assert count >= 2
    result = CliRunner().invoke(compare_command, [f"{sweep_folder}#{shared}", f"{sweep_folder}#{ids[0]}"])
    assert result.exit_code == 2
    candidates = ", ".join(sorted(i for i in ids if i.startswith(shared)))
    assert result.output == (
        f"{sweep_folder}: scenario id '{shared}' is ambiguous: {count} ids start with it ({candidates})\n"
    )
    with pytest.raises(ReviewError, match="no scenario with id zz"):
        read_outcome(f"{sweep_folder}#zz")
