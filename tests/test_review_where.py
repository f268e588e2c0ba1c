"""--where filters every view of a sweep: the status count, switch points, lever usage, cost curves, figures,
the brief and the report, not only the scenario table.

In the funds sweep at farmers' weight 5 (test_review_sweep.py explains the
answers) the package is: nothing at a demand of 0; the small fund at 50 and
100; Alaska LNG from 150 to 300; LNG and the small fund at 350 and 400; the
big and the small fund at 450; nothing reaches 900.
"""

import json

import pytest
from click.testing import CliRunner
from test_review_folders import sweep_copy

from optimizer.review import review_folder
from optimizer.review.command import report_command, review_command

HEAVY = ["farmers.weight > 2"]


@pytest.fixture(scope="module")
def funds(tmp_path_factory):
    return sweep_copy(tmp_path_factory.mktemp("where") / "funds_sweep")


@pytest.fixture(scope="module")
def heavy(funds):
    return review_folder(funds, HEAVY)


def _kept_ids(shown) -> set[str]:
    return set(shown.folder.scenarios["id"].astype(str))


def test_the_status_count_counts_the_kept_scenarios(heavy):
    assert heavy.tables["status"].values.tolist() == [["optimal", 10], ["infeasible", 1]]
    assert len(heavy.tables["scenarios"]) == 11


def test_switch_points_are_found_among_the_kept_scenarios(heavy):
    switches = heavy.tables["switch_points"]
    assert set(switches["low_id"]) | set(switches["high_id"]) <= _kept_ids(heavy)
    assert switches[["low", "high", "change"]].values.tolist() == [
        [0, 50, "Small fund enters"],
        [100, 150, "Alaska LNG enters, Small fund leaves"],
        [300, 350, "Small fund enters"],
        [400, 450, "Big fund enters, Alaska LNG leaves"],
        [450, 900, "status optimal → infeasible"],
    ]


def test_lever_usage_counts_the_kept_scenarios(heavy):
    usage = heavy.tables["lever_usage"].set_index("lever")["used_in"].to_dict()
    assert usage == {"small": 5, "big": 1, "lng": 6}


def test_cost_curves_hold_the_kept_scenarios(heavy):
    curves = heavy.tables["cost_curves"]
    assert set(curves["id"].astype(str)) == _kept_ids(heavy)
    along_demand = curves[curves["parameter"] == "demands.investment"]
    assert set(along_demand["context"]) == {""} and len(along_demand) == 11


def test_figures_show_the_kept_scenarios(heavy):
    figures = heavy.figures()
    assert {c["x"] for c in heavy.brief["offer_map"]["panels"][0]["cells"]} == {5}
    curve = figures["cost_curve-demands.investment"]
    panels = [axes for axes in curve.axes if axes.get_visible()]
    assert len(panels) == 1 and list(panels[0].lines[0].get_xdata()) == [
        0,
        50,
        100,
        150,
        200,
        250,
        300,
        350,
        400,
        450,
        900,
    ]
    composition = figures["composition-demands.investment"]
    assert len(composition.axes[0].get_xticklabels()) == 11


def test_the_brief_and_the_facts_say_what_was_kept(heavy):
    assert heavy.brief["scenarios"] == 11 and heavy.brief["total"] == 22
    assert ("where", "farmers.weight > 2 (11 of 22 scenarios)") in heavy.document.facts


def test_review_pipes_every_table_filtered(funds):
    result = CliRunner().invoke(review_command, [str(funds), "--where", "weight > 2", "--format", "json"])
    assert result.exit_code == 0, result.output
    tables = json.loads(result.output)["tables"]
    kept = {row["id"] for row in tables["scenarios"]}
    assert len(kept) == 11
    assert {row["id"] for row in tables["cost_curves"]} == kept
    assert {row["low_id"] for row in tables["switch_points"]} <= kept
    assert tables["status"] == [{"status": "optimal", "count": 10}, {"status": "infeasible", "count": 1}]


def test_the_report_is_filtered_too(tmp_path):
    folder = sweep_copy(tmp_path / "sweep", base=tmp_path / "gone.yaml")  # no base: no composition figures to draw
    target = tmp_path / "heavy.html"
    result = CliRunner().invoke(report_command, [str(folder), "--where", "weight > 2", "--out", str(target)])
    assert result.exit_code == 0, result.output
    page = target.read_text(encoding="utf-8")
    assert "weight &gt; 2 (11 of 22 scenarios)" in page


def test_a_filter_that_keeps_nothing_still_reviews(funds):
    result = CliRunner().invoke(review_command, [str(funds), "--where", "objective > 1000"])
    assert result.exit_code == 0, result.output
    assert "0 scenarios of 22, where objective > 1000: none" in result.output
