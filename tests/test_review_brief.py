"""The sweep's one-screen brief: which tier wins where, switch points, the cost range, the offer map.

The funds sweep (tests/data/review/funds.yaml, see test_review_sweep.py) has
no offers: every scenario with a package wins "a package", and both
scenarios at an investment demand of 900 are infeasible. The grid is farmers'
weight (1, 5) x the investment demand (0, 50, ..., 450, 900).
"""

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from test_review_folders import solved_folder, sweep_copy

from optimizer.formatting import plain_records
from optimizer.review import ReviewError, SweepFolder, lever_costs, review_folder, switch_points
from optimizer.review.command import review_command
from optimizer.review.sweep_brief import LINE_WIDTH, MAX_LINES, sweep_brief

NOISE = re.compile(r"\d\.\d{5,}|e-\d\d")
"""Float noise in text: more than four decimals, or an exponent."""


@pytest.fixture(scope="module")
def funds(tmp_path_factory) -> Path:
    return sweep_copy(tmp_path_factory.mktemp("brief") / "funds_sweep")


def _fits_one_screen(lines: list[str]) -> None:
    assert len(lines) <= MAX_LINES and all(len(line) <= LINE_WIDTH for line in lines)
    assert not [line for line in lines if NOISE.search(line)]


def test_the_brief_says_which_tier_wins_where_and_what_it_costs(funds):
    brief = sweep_brief(funds)
    json.dumps(brief, allow_nan=False)  # JSON-ready
    assert (brief["scenarios"], brief["total"], brief["statuses"]) == (22, 22, {"optimal": 20, "infeasible": 2})
    tiers = {t["key"]: t for t in brief["tiers"]}
    assert set(tiers) == {"", "infeasible"}
    assert (tiers[""]["scenarios"], tiers[""]["cost_min"], tiers[""]["cost_max"]) == (20, 0, 80)
    assert tiers["infeasible"]["has_package"] is False and tiers["infeasible"]["cost_min"] is None
    assert tiers["infeasible"]["region"] == "Farm lobby weight 1–5 at Investment pledged demand ($bn) 900"
    assert (brief["cost"]["min"], brief["cost"]["max"]) == (0, 80)
    assert [(s["parameter"], s["low"], s["high"], s["from"], s["to"]) for s in brief["switches"]] == [
        ("demands.investment", 450, 900, "", "infeasible")
    ] * 2
    assert brief["package_changes"] == 13
    _fits_one_screen(brief["lines"])
    assert "Net political cost: 0 to 80 points (below 0 a net gain at home, above 0 a net loss)" in brief["lines"]


def test_the_offer_map_of_a_grid_is_a_heat_map_over_its_first_two_paths(funds):
    offer_map = sweep_brief(funds)["offer_map"]
    assert offer_map["kind"] == "heatmap"
    assert (offer_map["x"]["path"], offer_map["y"]["path"]) == ("constituencies.farmers.weight", "demands.investment")
    assert offer_map["x"]["values"] == [1, 5] and offer_map["y"]["values"][-2:] == [450, 900]
    cells = offer_map["panels"][0]["cells"]
    assert len(cells) == 22 and {c["tier"] for c in cells if c["y"] == 900} == {"infeasible"}
    assert offer_map["text"][:2] == ["900 │ · ·", "450 │ A A"]


def test_axes_choose_the_map_and_one_path_maps_the_cost(funds):
    swapped = sweep_brief(funds, axes="investment,weight")["offer_map"]
    assert (swapped["x"]["path"], swapped["y"]["path"]) == ("demands.investment", "constituencies.farmers.weight")
    against_cost = sweep_brief(funds, axes=["demands.investment"])["offer_map"]
    assert against_cost["kind"] == "scatter" and against_cost["y"]["path"] is None
    assert sorted(c["y"] for c in against_cost["panels"][0]["cells"] if c["y"] is not None)[-1] == 80


@pytest.mark.parametrize(
    "axes, message",
    [
        ("colour", "no column 'colour'"),
        ("weight,weight", "named twice"),
        ("a,b,c", "give one or two swept paths"),
    ],
)
def test_bad_axes_are_explained(funds, axes, message):
    with pytest.raises(ReviewError, match=message):
        sweep_brief(funds, axes=axes)


def test_where_filters_the_brief(funds):
    brief = sweep_brief(funds, where=["farmers.weight > 2"])
    assert (brief["scenarios"], brief["total"], brief["where"]) == (11, 22, ["farmers.weight > 2"])
    assert [(s["parameter"], s["low"], s["context"]) for s in brief["switches"]] == [("demands.investment", 450, "")]
    assert {c["x"] for c in brief["offer_map"]["panels"][0]["cells"]} == {5}
    assert brief["lines"][1] == "11 scenarios of 22, where farmers.weight > 2: 10 optimal, 1 infeasible"


def _zipped_sweep(count: int) -> SweepFolder:
    """A zip spec without a base: a and b move together, the tier switches every third scenario."""
    scenarios = pd.DataFrame(
        {
            "id": [f"s{i:03d}" for i in range(count)],
            "status": ["optimal"] * count,
            "objective": [i / 3 for i in range(count)],
            "offer": [("low", "high")[(i // 3) % 2] for i in range(count)],
            "param:a": [float(i) for i in range(count)],
            "param:b": [10.0 * i for i in range(count)],
            "extra:column": ["ignored"] * count,
        }
    )
    levers = pd.DataFrame({"id": ["s000"], "lever": ["x"], "amount": [1.0], "option": [None]})
    manifest = {"spec": {"content": {"zip": [{"a": [], "b": []}]}}}
    return SweepFolder(Path("zipped"), manifest, scenarios, levers)


def test_a_zip_spec_maps_a_scatter_and_a_long_brief_still_fits_one_screen():
    brief = sweep_brief(_zipped_sweep(300))
    assert brief["offer_map"]["kind"] == "scatter" and brief["offer_map"]["y"]["path"] is None
    assert [t["key"] for t in brief["tiers"]] == ["high", "low"]
    assert brief["tiers"][0]["region"].startswith("a 3–5, 9–11, 15–17")  # the runs along the one mapped path
    assert len(brief["switches"]) == 99
    _fits_one_screen(brief["lines"])
    assert brief["lines"][-2].startswith("  … ") and brief["lines"][-2].endswith("more (see Switch points)")


def test_review_prints_the_brief_first(funds):
    result = CliRunner().invoke(review_command, [str(funds), "--where", "weight > 2", "--axes", "investment"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[:2] == [
        "Investment funds as the demand rises",
        "11 scenarios of 22, where weight > 2: 10 optimal, 1 infeasible",
    ]
    assert "where: weight > 2 (11 of 22 scenarios)" in result.output


def test_bad_axes_exit_2(funds):
    result = CliRunner().invoke(review_command, [str(funds), "--axes", "colour"])
    assert result.exit_code == 2 and result.output.startswith("--axes: no column 'colour'")


def test_noisy_floats_are_shown_as_people_read_them():
    """A solver's 83.99999999999994 is 84 in the brief; a swept 0.1 + 0.2 is 0.3."""
    scenarios = pd.DataFrame(
        {
            "id": ["a", "b", "c", "d"],
            "status": ["optimal"] * 4,
            "objective": [83.99999999999994, -0.30000000000000004, 1 / 3, 2e-17],
            "offer": ["deal", "deal", "other", "other"],
            "param:p": [0.1, 0.1 + 0.2, 0.1, 0.1 + 0.2],
            "param:q": [1 / 3, 1 / 3, 2 / 3, 2 / 3],
        }
    )
    levers = pd.DataFrame({"id": ["a"], "lever": ["x"], "amount": [1.0], "option": [None]})
    manifest = {"spec": {"content": {"grid": {"p": [], "q": []}}}}
    brief = sweep_brief(SweepFolder(Path("noisy"), manifest, scenarios, levers))
    _fits_one_screen(brief["lines"])
    text = "\n".join(brief["lines"])
    assert "Net political cost: -0.3 to 84 points" in text and "0.3333" in text
    assert brief["offer_map"]["text"] == ["0.6667 │ O O", "0.3333 │ D D", "         0.1 … 0.3"]


def test_columns_of_the_specs_options_block_are_tolerated(tmp_path):
    """A swept solve option (param:options.chance, zipped with the weight here) and analysis columns (chance:...)
    change no view's answer: the option is no override of the instance."""
    folder = sweep_copy(tmp_path / "options")
    scenarios = pd.read_parquet(folder / "scenarios.parquet")
    scenarios["param:options.chance"] = scenarios["param:constituencies.farmers.weight"] / 10
    scenarios["chance:probability"] = 0.9
    scenarios["sensitivity:demands.investment:low"] = 0.0
    scenarios.to_parquet(folder / "scenarios.parquet", index=False)
    plain = review_folder(sweep_copy(tmp_path / "plain"))
    shown = review_folder(folder)
    row = plain_records(shown.folder.scenarios)[0]
    assert [path for path, _ in shown.folder.overrides(row)] == ["constituencies.farmers.weight", "demands.investment"]
    assert shown.brief["offer_map"]["kind"] == "heatmap" and shown.brief["tiers"] == plain.brief["tiers"]
    assert len(shown.brief["switches"]) == len(plain.brief["switches"])
    assert lever_costs(shown.folder).equals(lever_costs(plain.folder))  # each scenario re-evaluated
    assert shown.tables["lever_usage"].equals(plain.tables["lever_usage"])
    heavy = review_folder(folder, ["chance > 0.2"])
    assert heavy.brief["scenarios"] == 11


def test_review_as_markdown_opens_with_the_brief_as_text(funds):
    result = CliRunner().invoke(review_command, [str(funds), "--format", "markdown"])
    assert result.exit_code == 0, result.output
    before, _, rest = result.output.partition("```text\n")
    assert "## Scenarios" not in before and "## Brief" in before
    brief = rest.split("\n```\n", 1)[0]
    assert brief.splitlines() == sweep_brief(funds)["lines"]


def test_review_as_json_carries_the_brief(funds):
    result = CliRunner().invoke(review_command, [str(funds), "--format", "json", "--table", "status"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["brief"]["lines"] == sweep_brief(funds)["lines"] and list(data["tables"]) == ["status"]


def test_refined_switch_points_give_the_brief_a_value(funds):
    brief = review_folder(funds, ["weight > 2"], refine_steps=2).brief
    (switch,) = brief["switches"]
    assert switch["low"] < switch["switch"] < switch["high"]
    assert switch["switch"] == 506.25  # two halvings of 450..900: nothing above 500 is reachable
    assert switch["sentence"].startswith("Investment pledged demand at 506.2 $bn (± 56.25): a package → no package")


def test_a_sample_spec_maps_both_sampled_paths_and_seeks_no_switch_along_them():
    draws = [(0.3, 7.1), (0.9, 1.2), (0.5, 4.4), (0.1, 2.0)]
    scenarios = pd.DataFrame(
        {
            "id": list("abcd"),
            "status": ["optimal"] * 4,
            "objective": [1.0, 2.0, 3.0, 4.0],
            "offer": ["low", "high", "low", "high"],
            "param:p": [p for p, _ in draws],
            "param:q": [q for _, q in draws],
        }
    )
    levers = pd.DataFrame({"id": ["a"], "lever": ["x"], "amount": [1.0], "option": [None]})
    manifest = {"spec": {"content": {"sample": {"n": 4, "ranges": {"p": {}, "q": {}}}}}}
    brief = sweep_brief(SweepFolder(Path("drawn"), manifest, scenarios, levers))
    assert brief["sampled"] == ["p", "q"] and [s["path"] for s in brief["swept"]] == ["p", "q"]
    assert brief["switches"] == [] and brief["package_changes"] == 0
    offer_map = brief["offer_map"]
    assert (offer_map["kind"], offer_map["x"]["path"], offer_map["y"]["path"]) == ("scatter", "p", "q")
    assert {(c["x"], c["y"], c["tier"]) for c in offer_map["panels"][0]["cells"]} == {
        (p, q, tier) for (p, q), tier in zip(draws, ["low", "high", "low", "high"], strict=True)
    }
    assert {t["key"]: t["region"] for t in brief["tiers"]} == {
        "high": "p 0.1 to 0.9; q 1.2 to 2",
        "low": "p 0.3 to 0.5; q 4.4 to 7.1",
    }
    _fits_one_screen(brief["lines"])


def test_no_switch_point_is_sought_along_a_single_sampled_path_in_any_view():
    """Draws of one sampled path, in order of p, change tier between neighbours: no switch along p (the
    draws are not a grid the answer was walked along), in the table as in the brief."""
    scenarios = pd.DataFrame(
        {
            "id": list("abcd"),
            "status": ["optimal"] * 4,
            "objective": [1.0, 2.0, 3.0, 4.0],
            "offer": ["low", "high", "low", "high"],
            "param:p": [0.3, 0.9, 0.5, 0.1],
        }
    )
    levers = pd.DataFrame({"id": ["a", "c"], "lever": ["x", "x"], "amount": [1.0, 1.0], "option": [None, None]})
    manifest = {"spec": {"content": {"sample": {"n": 4, "ranges": {"p": {}}}}}}
    folder = SweepFolder(Path("drawn"), manifest, scenarios, levers)
    assert folder.sampled == ["p"] and switch_points(folder).empty
    as_grid = SweepFolder(Path("grid"), {"spec": {"content": {"grid": {"p": [0.1, 0.3, 0.5, 0.9]}}}}, scenarios, levers)
    assert len(switch_points(as_grid)) == 2  # the same rows as a grid: switches at 0.1-0.3 and 0.5-0.9


def test_axes_apply_to_sweeps_only(tmp_path):
    folder = solved_folder(tmp_path / "toy")
    result = CliRunner().invoke(review_command, [str(folder), "--axes", "weight"])
    assert result.exit_code == 2
    assert result.output == f"--axes: applies to sweep folders only; {folder} is a single solve\n"
    with pytest.raises(ReviewError, match="is a single solve: the sweep brief needs a sweep folder"):
        sweep_brief(folder)


def test_named_scenarios_say_where_each_tier_wins_by_name():
    scenarios = pd.DataFrame(
        {
            "id": ["a", "b", "c"],
            "status": ["optimal", "infeasible", "optimal"],
            "objective": [1.5, None, 2.0],
            "offer": ["x", None, "x"],
            "name": ["before", "after", "base"],
        }
    )
    levers = pd.DataFrame({"id": ["a"], "lever": ["l"], "amount": [1.0], "option": [None]})
    brief = sweep_brief(SweepFolder(Path("named"), {}, scenarios, levers))
    assert {t["key"]: t["region"] for t in brief["tiers"]} == {"x": "in before, base", "infeasible": "in after"}
    assert brief["offer_map"]["kind"] is None and "Figure:" not in "\n".join(brief["lines"])
