"""A sweep spec's options: block: chance options swept, frontier and sensitivity columns, each checked
against the stand-alone command on the same scenario, resuming under other options, and every error path."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pandas as pd
import pytest
import yaml

from optimizer.sweep import run_sweep, validate_sweep

BASE = {
    "format": 1,
    "name": "tiny_chance",
    "constituencies": {"farmers": {"weight": 2}, "industry": {"weight": 1}},
    "metrics": {"purchases": {}},
    "levers": {
        "grain": {
            "kind": "integer",
            "max": 8,
            "min_if_used": 1,
            "gives": {"purchases": 1},
            "costs": {"farmers": 1},
        },
        "aircraft": {"kind": "binary", "gives": {"purchases": 3}, "costs": {"industry": 5}},
    },
    "offers": {
        "no_deal": {"walk_away": True},
        "deal": {"requires": {"purchases": 4}, "benefits": {"industry": 20}, "attributes": {"tariff": 10}},
    },
    "beliefs": {
        # the deal's purchases threshold is uncertain: 3, 4, 6 or 8
        "need": {
            "path": "offers.deal.requires.purchases",
            "discrete": {"values": [3, 4, 6, 8], "probs": [0.2, 0.3, 0.3, 0.2]},
        }
    },
    "counterpart": {"label": "Them", "unit": "points", "value": {"purchases": 1}, "offer_cost": {"deal": 2}},
}
WEIGHT = "constituencies.industry.weight"


def write(folder: Path, spec: str, base: dict = BASE) -> Path:
    (folder / "base.yaml").write_text(yaml.safe_dump(base, sort_keys=False))
    path = folder / "sweep.yaml"
    path.write_text("base: base.yaml\n" + spec)
    return path


def rows(folder: Path) -> list[dict]:
    """The scenarios table's rows, an empty cell as None (a column of only empty cells reads back as NaN)."""
    table = pd.read_parquet(folder / "scenarios.parquet")
    return [{k: None if pd.isna(v) else v for k, v in row.items()} for row in table.to_dict("records")]


def levers(folder: Path, scenario_id: str) -> dict:
    table = pd.read_parquet(folder / "levers.parquet")
    mine = table[table.id == scenario_id]
    return {r.lever: r.option if r.option else r.amount for r in mine.itertuples()}


def solve_json(cli, base: Path, *args) -> dict:
    code, stdout, _ = cli("solve", base, "--no-save", "--json", *args)
    assert code in (0, 1)
    return json.loads(stdout)


def assert_sampled_row_is(row: dict, alone: dict, out: Path) -> None:
    """A sampled scenario's row holds what ``dealopt solve --chance`` answers alone: offer, cost, package, chance."""
    assert row["chance:method"] == alone["probability_method"] == "sampled"
    assert (row["offer"], row["objective"], row["chance:probability"]) == (
        alone["offer"],
        alone["objective"],
        alone["probability"],
    )
    assert [row["chance:interval_low"], row["chance:interval_high"]] == alone["probability_interval"]
    assert row["chance:target_met"] == alone["target_met"]
    assert levers(out, row["id"]) == alone["package"]


# -- answers equal the stand-alone commands ----------------------------------------------------


def test_swept_chance_answers_equal_solve_chance_and_resuming_keeps_options_apart(tmp_path, cli):
    spec = write(tmp_path, "grid:\n  options.chance: [0.5, 0.8]\n  constituencies.farmers.weight: [1, 2]\n")
    out = tmp_path / "out"
    summary = run_sweep(spec, out=out, workers=1)
    assert summary.exit_code == 0 and summary.solved == 4
    found = rows(out)
    assert [(r["param:options.chance"], r["param:constituencies.farmers.weight"]) for r in found] == [
        (0.5, 1.0),
        (0.5, 2.0),
        (0.8, 1.0),
        (0.8, 2.0),
    ]
    assert len({r["id"] for r in found}) == 4
    for row in found:
        weight = row["param:constituencies.farmers.weight"]
        alone = solve_json(
            cli,
            tmp_path / "base.yaml",
            "--chance",
            row["param:options.chance"],
            "--set",
            f"constituencies.farmers.weight={weight}",
        )
        assert (row["status"], row["offer"]) == (alone["status"], alone["offer"])
        assert row["objective"] == alone["objective"]
        assert row["chance:probability"] == alone["probability"]
        assert row["chance:method"] == alone["probability_method"] == "exact"
        assert row["chance:target_met"] == alone["target_met"]
        assert levers(out, row["id"]) == alone["package"]
    # worked by hand: at 0.8 the deal needs purchases 6 (P = 0.2 + 0.3 + 0.3); at farmers' weight 1,
    # grain 6 (cost 6) beats grain 3 and the aircraft (3 + 5): 6 - 20
    assert found[2]["objective"] == 6 - 20
    assert found[2]["chance:probability"] == pytest.approx(0.8, abs=1e-12)

    # the same folder, the chance fixed at 0.9: other ids, so nothing of the first run is reused
    spec.write_text("base: base.yaml\noptions: {chance: 0.9}\ngrid:\n  constituencies.farmers.weight: [1, 2]\n")
    again = run_sweep(spec, out=out, workers=1)
    assert again.solved == 2
    redone = rows(out)
    assert {r["id"] for r in redone}.isdisjoint(r["id"] for r in found)
    alone = solve_json(cli, tmp_path / "base.yaml", "--chance", "0.9", "--set", "constituencies.farmers.weight=1")
    assert redone[0]["objective"] == alone["objective"] and redone[0]["chance:probability"] == alone["probability"]
    assert run_sweep(spec, out=out, workers=1).solved == 0


@pytest.mark.slow
def test_a_swept_seed_of_the_sampled_method_gives_the_answers_of_solve_seed(tmp_path, cli):
    # a Gaussian copula between the two thresholds: the sampled method, whose draws depend on the seed
    base = copy.deepcopy(BASE)
    base["metrics"]["k"] = {}
    base["levers"]["aircraft"]["gives"]["k"] = 2
    base["levers"]["grain"]["gives"]["k"] = 1
    base["offers"]["deal"]["requires"]["k"] = 2
    base["beliefs"]["k_need"] = {"path": "offers.deal.requires.k", "uniform": {"low": 1, "high": 4}}
    base["beliefs"]["correlation"] = {"names": ["need", "k_need"], "matrix": [[1, 0.5], [0.5, 1]]}
    spec = write(tmp_path, "options: {chance: 0.7, samples: 200}\ngrid:\n  options.seed: [1, 2]\n", base)
    out = tmp_path / "out"
    assert run_sweep(spec, out=out, workers=1).exit_code == 0
    found = rows(out)
    assert [row["param:options.seed"] for row in found] == [1, 2]
    for row in found:
        seed = str(int(row["param:options.seed"]))
        alone = solve_json(cli, tmp_path / "base.yaml", "--chance", "0.7", "--samples", "200", "--seed", seed)
        assert_sampled_row_is(row, alone, out)
    assert found[0]["chance:probability"] != found[1]["chance:probability"]  # each seed's own draw


def test_swept_chance_with_beliefs_on_gives_equals_solve_chance(tmp_path, cli):
    # what grain gives is uncertain: the sampled method, each scenario with its own coefficient
    base = copy.deepcopy(BASE)
    base["beliefs"]["grain_gives"] = {
        "path": "levers.grain.gives.purchases.per_unit",
        "discrete": {"values": [0.5, 1, 1.5], "probs": [0.25, 0.5, 0.25]},
    }
    spec = write(tmp_path, "options: {samples: 200}\ngrid:\n  options.chance: [0.5, 0.8]\n", base)
    out = tmp_path / "out"
    assert run_sweep(spec, out=out, workers=1).exit_code == 0
    found = rows(out)
    assert [row["param:options.chance"] for row in found] == [0.5, 0.8]
    for row in found:
        alone = solve_json(cli, tmp_path / "base.yaml", "--chance", row["param:options.chance"], "--samples", "200")
        assert_sampled_row_is(row, alone, out)


def test_robust_answers_equal_solve_robust(tmp_path, cli):
    spec = write(tmp_path, "options: {robust: box}\nscenarios:\n  base: {}\n")
    out = tmp_path / "out"
    assert run_sweep(spec, out=out, workers=1).exit_code == 0
    (row,) = rows(out)
    alone = solve_json(cli, tmp_path / "base.yaml", "--robust", "box")
    assert (row["offer"], row["objective"], row["chance:probability"]) == (
        alone["offer"],
        alone["objective"],
        alone["probability"],
    )
    assert levers(out, row["id"]) == alone["package"]
    assert row["chance:target_met"] is None  # no target under robust


def test_frontier_and_sensitivity_columns_equal_the_stand_alone_commands(tmp_path, cli):
    spec = write(
        tmp_path,
        f"options:\n  frontier: true\n  sensitivity: [{WEIGHT}]\ngrid:\n  constituencies.farmers.weight: [1, 2]\n",
    )
    out = tmp_path / "out"
    assert run_sweep(spec, out=out, workers=1).exit_code == 0
    for row in rows(out):
        weight = f"constituencies.farmers.weight={row['param:constituencies.farmers.weight']}"
        code, stdout, _ = cli("frontier", tmp_path / "base.yaml", "--set", weight, "--json", "--out", tmp_path / "f")
        assert code == 0
        frontier = json.loads(stdout)
        closed = [p for p in frontier["points"] if p.get("closed", True)]
        assert row["frontier:status"] == frontier["status"]
        assert row["frontier:points"] == len(closed)
        assert row["frontier:segments"] == len(frontier["segments"])
        assert row["frontier:theirs_max"] == max(p["theirs"] for p in closed)
        assert row["frontier:ours_max"] == max(p["ours"] for p in closed)
        assert (row["frontier:nash_offer"], row["frontier:nash_ours"], row["frontier:nash_theirs"]) == (
            frontier["nash"]["offer"],
            frontier["nash"]["ours"],
            frontier["nash"]["theirs"],
        )
        assert row["frontier:nash_gain_ours"] == frontier["nash"]["gain_ours"]
        assert (row["frontier:milps"], row["frontier:lps"]) == (frontier["milps"], frontier["lps"])
        code, stdout, _ = cli(
            "sensitivity", tmp_path / "base.yaml", "--path", WEIGHT, "--set", weight, "--json", "--out", tmp_path / "s"
        )
        assert code == 0
        (interval,) = json.loads(stdout)["intervals"]
        column = f"sensitivity:{WEIGHT}:"
        for side in ("low", "high"):
            assert row[column + side] == interval[side]["value"]
            assert row[column + f"{side}_end"] == interval[side]["type"]
            assert row[column + f"change_beyond_{side}"] == interval[side]["change_beyond"]
        assert row[column + "solves"] == interval["solves"]
    # worked by hand at farmers' weight 2, industry's weight w: grain 1 and the aircraft cost 2 - 15w,
    # grain 4 alone 8 - 20w, walking away 0; the first is cheapest for 2/15 < w < 6/5
    at_two = rows(out)[1]
    assert at_two[f"sensitivity:{WEIGHT}:low"] == pytest.approx(2 / 15, rel=1e-12)
    assert at_two[f"sensitivity:{WEIGHT}:high"] == pytest.approx(6 / 5, rel=1e-12)


def test_a_sampled_seed_is_drawn_whole_and_options_enter_every_id(tmp_path):
    spec = write(
        tmp_path, "options: {chance: 0.5}\nsample: {n: 4, seed: 3, ranges: {options.seed: {from: 0, to: 9}}}\n"
    )
    plan = validate_sweep(spec)
    seeds = [dict(s.overrides)["options.seed"] for s in plan.scenarios]
    assert all(seed == int(seed) and 0 <= seed <= 9 for seed in seeds)
    spec.write_text(spec.read_text().replace("chance: 0.5", "chance: 0.6"))
    assert {s.id for s in validate_sweep(spec).scenarios}.isdisjoint(s.id for s in plan.scenarios)


def test_the_frontier_columns_a_spec_may_name_are_those_of_the_frontier_summary():
    from optimizer.frontier.analysis import analyse
    from optimizer.frontier.summary import frontier_summary
    from optimizer.instance import load
    from optimizer.sweep.spec import FRONTIER_COLUMNS

    assert tuple(frontier_summary(analyse(load(BASE)))) == FRONTIER_COLUMNS


# -- errors: exit 2, located in the spec, nothing solved or written ---------------------------


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "grid: {options.chance: [0.5, 1.5]}\n",
            "sweep.yaml:2: grid.options.chance[1]: Input should be less than or equal to 1, got 1.5",
        ),
        ("grid: {options.chanse: [0.5]}\n", "options.chanse is not a sweep option (did you mean 'options.chance'?)"),
        ("grid: {options.frontier: [true]}\n", "options.frontier cannot be swept"),
        ("grid: {options.chance: [0.5]}\noptions: {chance: 0.9}\n", "is swept and also set in options.chance"),
        ("options: {chanse: 0.5}\n", "sweep.yaml:2: options.chanse: unknown key 'chanse' (did you mean 'chance'?)"),
        ("options: {chance: 0.5, robust: box}\n", "sweep.yaml:2: options: give chance or robust, not both"),
        ("options: {robust: boxx}\n", "'boxx' is not box, box:q (0 < q <= 1) or budget:G"),
        ("grid: {options.robust: [box, 'box:2']}\n", "sweep.yaml:2: grid.options.robust[1]: 'box:2' is not box"),
        ("options: {robust: 'budget:2'}\n", "budget:G needs beliefs on levers.*.gives.*"),
        ("grid: {options.seed: [1, -1]}\n", "grid.options.seed[1]: Input should be greater than or equal to 0"),
        ("options: {samples: 5}\n", "options.samples: must be >= 10, got 5"),
        ("options: {frontier: [nash_our]}\n", "options.frontier[0]: Input should be"),
        ("options: {frontier: maybe}\n", "options.frontier: expected true or false or a list of frontier columns"),
        (
            f"options: {{sensitivity: [{WEIGHT}x]}}\n",
            f"options.sensitivity[0]: {WEIGHT}x is not a number of the base instance's model",
        ),
        (
            "scenarios:\n  zero: {levers.grain.gives.purchases: 0}\n"
            "options: {sensitivity: [levers.grain.gives.purchases.per_unit]}\n",
            "sweep.yaml:4: options.sensitivity[0]: levers.grain.gives.purchases.per_unit is not a number of this scenario's model",
        ),
    ],
)
def test_bad_options_exit_2_naming_file_line_and_path(tmp_path, cli, body, expected):
    spec = write(tmp_path, body)
    code, _, stderr = cli("sweep", spec, "--out", tmp_path / "out", "--workers", "1")
    assert code == 2
    assert expected in stderr, stderr
    assert not (tmp_path / "out").exists()


def test_frontier_needs_a_counterpart_section(tmp_path, cli):
    base = {key: value for key, value in BASE.items() if key != "counterpart"}
    spec = write(tmp_path, "options: {frontier: [nash_ours]}\n", base)
    code, _, stderr = cli("validate", spec)
    assert code == 2
    assert "sweep.yaml:2: options.frontier: the frontier needs the base instance's counterpart side" in stderr


@pytest.mark.parametrize("option", ["chance: 0.8", "robust: box"])
def test_a_chance_on_a_base_without_beliefs_exits_2_as_solve_does(tmp_path, cli, option):
    base = copy.deepcopy(BASE)
    base.pop("beliefs")
    spec = write(tmp_path, f"options: {{{option}}}\nscenarios:\n  base: {{}}\n", base)
    code, _, stderr = cli("sweep", spec, "--out", tmp_path / "out", "--workers", "1")
    assert code == 2 and "sweep.yaml:2: options: the base instance has no beliefs: every chance is 0 or 1" in stderr
    assert not (tmp_path / "out").exists()


def test_refine_bisects_a_swept_chance_to_where_the_package_changes(tmp_path):
    """Worked by hand (farmers' weight 2): the deal needs purchases 3, 4, 6 or 8 with chances 0.2, 0.3, 0.3,
    0.2. Up to P = 0.2 the aircraft alone meets 3; just above it 4 are needed and grain enters (1 unit)."""
    from optimizer.review import read_folder, refine_switch_points, switch_points

    spec = write(tmp_path, "grid:\n  options.chance: [0.1, 0.3, 0.5]\n")
    out = tmp_path / "out"
    assert run_sweep(spec, out=out, workers=1).exit_code == 0
    sweep = read_folder(out)
    switches = switch_points(sweep)
    assert switches[["low", "high"]].values.tolist() == [[0.1, 0.3]]
    (row,) = refine_switch_points(sweep, switches, steps=10).to_dict("records")
    assert row["solves"] == 10 and row["change"] == "grain enters"
    assert abs(row["switch"] - 0.2) <= row["within"] + 1e-12 and row["within"] < 1e-3


def test_no_switch_is_sought_along_a_swept_seed():
    """A seed names a draw: neighbouring seeds are unrelated draws, not a path the answer was walked along."""
    from optimizer.review import SweepFolder, switch_points

    scenarios = pd.DataFrame(
        {"id": list("abc"), "status": ["optimal"] * 3, "objective": [1.0, 2.0, 3.0], "offer": ["x", "y", "x"]}
        | {"param:options.seed": [1, 2, 3], "param:options.chance": [0.5, 0.5, 0.5]}
    )
    levers = pd.DataFrame({"id": ["b"], "lever": ["grain"], "amount": [1.0], "option": [None]})
    seeds = SweepFolder(Path("seeds"), {"spec": {"content": {"grid": {"options.seed": [1, 2, 3]}}}}, scenarios, levers)
    assert switch_points(seeds).empty
    chances = scenarios.rename(columns={"param:options.seed": "param:other", "param:options.chance": "param:p"})
    assert len(switch_points(SweepFolder(Path("grid"), {}, chances, levers))) == 2  # the same rows as a grid


def test_refine_refuses_a_midpoint_of_a_fractional_sample_count(tmp_path):
    """Between 100 and 1000 samples a midpoint such as 212.5 is no sample count: an invalid scenario, where
    refine stops, not a crash."""
    from optimizer.review import read_folder
    from optimizer.review.switch_points import _solve_between
    from optimizer.status import Status

    spec = write(tmp_path, "options: {chance: 0.5}\ngrid:\n  options.samples: [100, 1000]\n")
    out = tmp_path / "out"
    assert run_sweep(spec, out=out, workers=1).exit_code == 0
    sweep = read_folder(out)
    midpoint = _solve_between(sweep, sweep.base, [("options.samples", 212.5)])
    assert midpoint.status == Status.INVALID and "samples" in midpoint.message
