"""Reviewing a sweep: switch points where they are known exactly, lever usage, cost curves, filters, the CLI.

tests/data/review/funds.yaml explains the answers: with farmers' weight w,
the small fund costs 10, the big fund 20 + 10 w, Alaska LNG 35. Along the
investment demand the package is: nothing at 0; small up to 100; then big
(w = 1) or LNG (w = 5) up to 300; then big (w = 1) or LNG + small (w = 5) up
to 400; big + small up to 500; nothing reaches 900. Along w, big gives way to
LNG at w = 1.5 (demand 150..300) and to LNG + small at w = 2.5 (350..400).
"""

from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from test_review_folders import FUNDS, scenario_id, sweep_copy

from optimizer.formatting import plain_records
from optimizer.review import (
    ReviewError,
    SweepFolder,
    cost_curve_figure,
    cost_curves,
    lever_usage,
    read_folder,
    refine_switch_points,
    status_counts,
    switch_points,
)
from optimizer.review.command import review_command
from optimizer.review.grid import along, dimensions
from optimizer.review.labels import Labels
from optimizer.review.query import select
from optimizer.review.states import PackageState, describe_change
from optimizer.schema import Instance
from optimizer.sweep import run_sweep

DEMAND = "demands.investment"
WEIGHT = "constituencies.farmers.weight"


@pytest.fixture(scope="module")
def sweep(tmp_path_factory) -> SweepFolder:
    return read_folder(sweep_copy(tmp_path_factory.mktemp("review") / "funds_sweep"))


def _intervals(switches: pd.DataFrame, parameter: str, context: str) -> list[tuple]:
    rows = switches[(switches["parameter"] == parameter) & (switches["context"] == context)]
    return [(r["low"], r["high"], r["change"]) for r in rows.to_dict("records")]


def test_switch_points_along_the_demand_are_where_the_package_changes(sweep):
    switches = switch_points(sweep)
    assert _intervals(switches, DEMAND, "Farm lobby weight = 1") == [
        (0, 50, "Small fund enters"),
        (100, 150, "Big fund enters, Small fund leaves"),
        (400, 450, "Small fund enters"),
        (450, 900, "status optimal → infeasible"),
    ]
    assert _intervals(switches, DEMAND, "Farm lobby weight = 5") == [
        (0, 50, "Small fund enters"),
        (100, 150, "Alaska LNG enters, Small fund leaves"),
        (300, 350, "Small fund enters"),
        (400, 450, "Big fund enters, Alaska LNG leaves"),
        (450, 900, "status optimal → infeasible"),
    ]


def test_switch_points_along_the_weight_hold_the_demand_fixed(sweep):
    switches = switch_points(sweep)
    along_weight = switches[switches["parameter"] == WEIGHT]
    assert along_weight["context"].tolist() == [
        f"Investment pledged demand = {d}" for d in (150, 200, 250, 300, 350, 400)
    ]
    assert set(along_weight["change"][:4]) == {"Alaska LNG enters, Big fund leaves"}
    assert set(along_weight["change"][4:]) == {"Small fund enters, Alaska LNG enters, Big fund leaves"}
    low_ids = along_weight["low_id"].tolist()
    assert low_ids[0] == scenario_id(sweep, 1, 150) and along_weight["high_id"].iloc[0] == scenario_id(sweep, 5, 150)


def test_refine_bisects_to_the_switch_values(sweep):
    switches = switch_points(sweep)
    chosen = switches[
        ((switches["parameter"] == DEMAND) & (switches["low"] == 300))
        | ((switches["parameter"] == WEIGHT) & switches["context"].str.endswith(("= 150", "= 400")))
    ]
    refined = refine_switch_points(sweep, chosen, steps=12)
    assert refined["solves"].tolist() == [12, 12, 12]
    for row, exact in zip(refined.to_dict("records"), (1.5, 2.5, 300), strict=True):
        assert abs(row["switch"] - exact) <= row["within"] + 1e-9
        assert row["within"] <= (row["high"] - row["low"]) / 2**12
    assert refined["change"].iloc[2] == "Small fund enters"


def test_refine_needs_the_base_instance(tmp_path):
    without = read_folder(sweep_copy(tmp_path / "sweep", base=tmp_path / "gone.yaml"))
    with pytest.raises(ReviewError, match="--refine needs the sweep's base instance"):
        refine_switch_points(without, switch_points(without))


def test_lever_usage_counts_scenarios_with_a_package(sweep):
    usage = lever_usage(sweep).set_index("lever")
    assert usage["used_in"].to_dict() == {"small": 8, "big": 8, "lng": 6}
    assert usage.loc["lng", "share"] == pytest.approx(6 / 20)
    assert usage.loc["big", ["label", "min_amount", "max_amount"]].tolist() == ["Big fund", 1.0, 1.0]


def test_status_counts_follow_the_status_vocabulary(sweep):
    assert status_counts(sweep).values.tolist() == [["optimal", 20], ["infeasible", 2]]


def test_cost_curves_split_the_net_cost_into_weighted_shares(sweep):
    curves = cost_curves(sweep)
    demand = curves[(curves["parameter"] == DEMAND) & (curves["context"] == "Farm lobby weight = 5")]
    assert demand["value"].tolist() == [0, 50, 100, 150, 200, 250, 300, 350, 400, 450, 900]
    at_450 = demand[demand["value"] == 450].iloc[0]
    assert (at_450["objective"], at_450["weighted_net:fiscal"], at_450["weighted_net:farmers"]) == (80, 30, 50)
    feasible = curves.dropna(subset=["objective"])
    assert (feasible["weighted_net:fiscal"] + feasible["weighted_net:farmers"]).tolist() == feasible[
        "objective"
    ].tolist()


def test_scenarios_are_filtered_sorted_and_cut(sweep):
    heavy = select(sweep.scenarios, ["farmers.weight > 2"])
    assert len(heavy) == 11
    top = select(sweep.scenarios, ["farmers.weight > 2", "status == optimal"], sort="objective", descending=True, top=2)
    assert top["objective"].tolist() == [80, 45]
    assert select(sweep.scenarios, ["achieved:investment != 0"], sort="net:farmers", top=1)["net:farmers"].tolist() == [
        0
    ]


@pytest.mark.parametrize(
    "where, message",
    [
        ("weight >", "is not 'COLUMN OP VALUE'"),
        ("colour == red", "no column 'colour'"),
        ("investment > 3", "'investment' is ambiguous"),
        ("status > optimal", "is text: compare it with == or !="),
        ("objective > lots", "is numeric, but 'lots' is not a number"),
    ],
)
def test_bad_filters_are_explained(sweep, where, message):
    with pytest.raises(ReviewError, match=message):
        select(sweep.scenarios, [where])


def test_parameters_zipped_together_are_walked_as_one():
    scenarios = pd.DataFrame(
        {
            "id": range(6),
            "status": ["optimal"] * 6,
            "objective": [1.0] * 6,
            "param:a": [1, 2, 3, 1, 2, 3],
            "param:b": [10, 20, 30, 10, 20, 30],
            "param:c": [0, 0, 0, 1, 1, 1],
        }
    )
    levers = pd.DataFrame({"id": [2, 5], "lever": ["x", "x"], "amount": [1.0, 1.0], "option": [None, None]})
    sweep = SweepFolder(Path("zipped"), {}, scenarios, levers)
    assert dimensions(sweep) == ["a", "c"]
    assert [(context, group["id"].tolist()) for context, group in along(sweep, "a")] == [
        ("c = 0", [0, 1, 2]),
        ("c = 1", [3, 4, 5]),
    ]
    assert switch_points(sweep)[["parameter", "context", "low", "high", "change"]].values.tolist() == [
        ["a", "c = 0", 2, 3, "x enters"],
        ["a", "c = 1", 2, 3, "x enters"],
    ]


def test_parameters_stored_as_json_text_are_decoded():
    path = "offers.deal.requires.trade"
    scenarios = pd.DataFrame(
        {
            "id": ["a", "b", "c"],
            "status": ["optimal"] * 3,
            "objective": [0.0, 1.0, 2.0],
            f"param:{path}": ["null", "1", "2.5"],
        }
    )
    levers = pd.DataFrame({"id": ["c"], "lever": ["x"], "amount": [1.0], "option": [None]})
    sweep = SweepFolder(Path("text"), {}, scenarios, levers)
    assert [sweep.overrides(row) for row in plain_records(scenarios)] == [[(path, None)], [(path, 1)], [(path, 2.5)]]
    figure = cost_curve_figure(sweep, path, switch_points(sweep))
    assert [t.get_text() for t in figure.axes[0].get_xticklabels()] == ["null", "1", "2.5"]


def test_changes_are_described_with_labels_and_units():
    labels = Labels(
        Instance.model_validate(
            {
                "format": 1,
                "name": "words",
                "constituencies": {},
                "metrics": {},
                "levers": {
                    "corn": {"kind": "continuous", "label": "Farm purchases", "unit": "$bn", "max": 9},
                    "fund": {"kind": "choice", "options": {"small": {"label": "Small"}, "large": {}}},
                },
                "offers": {"no": {"walk_away": True}, "deal": {"label": "15% tier"}},
            }
        )
    )
    before = PackageState("optimal", "no", {"corn": 5.0, "fund": "small"}, True)
    after = PackageState("optimal", "deal", {"corn": 3.0, "fund": "large"}, True)
    assert describe_change(before, after, labels) == (
        "offer no → 15% tier, Farm purchases drops from 5 to 3 $bn, fund switches from Small to large"
    )
    assert describe_change(before, PackageState("infeasible"), labels) == "status optimal → infeasible"


def test_review_of_a_sweep_prints_every_view(sweep):
    result = CliRunner().invoke(review_command, [str(sweep.path), "--top", "3"])
    assert result.exit_code == 0, result.output
    for title in ("Scenarios by status", "Scenarios", "Switch points", "Lever usage", "Cost curves"):
        assert title in result.output
    assert (
        "between Investment pledged demand 100 and 150 $bn (Farm lobby weight = 1): Big fund enters, Small fund leaves"
        in result.output
    )


def test_review_pipes_one_table_as_csv(sweep):
    result = CliRunner().invoke(
        review_command,
        [str(sweep.path), "--format", "csv", "--table", "scenarios", "--where", "weight > 2", "--sort", "objective"],
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("id,status,objective") and len(lines) == 12
    assert lines[1].split(",")[2] == "0"  # numbers as people read them: a whole 0, not 0.0


def test_review_refines_on_request(sweep):
    result = CliRunner().invoke(
        review_command,
        [str(sweep.path), "--refine", "--refine-steps", "2", "--format", "json", "--table", "switch_points"],
    )
    assert result.exit_code == 0, result.output
    assert '"solves": 2' in result.output and '"switch": 1.5,' in result.output and '"switch": 2.5,' in result.output


def test_a_real_sweep_folder_is_reviewed(tmp_path):
    summary = run_sweep(FUNDS.parent / "funds_sweep.yaml", out=tmp_path / "real", workers=1)
    fresh = switch_points(read_folder(summary.folder))
    kept = switch_points(read_folder(sweep_copy(tmp_path / "kept")))
    columns = ["parameter", "context", "low", "high", "change"]
    assert fresh[columns].values.tolist() == kept[columns].values.tolist()
