"""Reading results folders back: a single solve's and a sweep's, and their failure modes.

The helpers here build the folders the other review tests use:
:func:`solved_folder` solves an instance and saves it; :func:`sweep_copy`
copies tests/data/review/funds_sweep (the output of ``run_sweep`` on
tests/data/review/funds_sweep.yaml, kept as CSV) into a temporary folder,
as Parquet, pointing at the base instance funds.yaml.
"""

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from optimizer import solve
from optimizer.formatting import plain_records
from optimizer.review import ReviewError, SolveFolder, SweepFolder, read_folder, read_outcome
from optimizer.save import save_result

ROOT = Path(__file__).resolve().parent.parent
TOY = ROOT / "tests" / "data" / "toy.yaml"
DATA = ROOT / "tests" / "data" / "review"
FUNDS = DATA / "funds.yaml"


def solved_folder(folder: Path, source=TOY, overrides=()) -> Path:
    """Solve ``source`` with ``overrides`` and save its results folder at ``folder``."""
    return save_result(solve(source, overrides), folder)


def sweep_copy(folder: Path, base: Path | None = FUNDS) -> Path:
    """The funds sweep as ``dealopt sweep`` writes it (Parquet tables), its manifest pointing at ``base``."""
    shutil.copytree(DATA / "funds_sweep", folder)
    for name in ("scenarios", "levers"):
        pd.read_csv(folder / f"{name}.csv").to_parquet(folder / f"{name}.parquet", index=False)
    (folder / "levers.csv").unlink()
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["base"]["file"] = str(base)
    (folder / "manifest.json").write_text(json.dumps(manifest))
    return folder


def scenario_id(sweep: SweepFolder, weight: float, demand: float) -> str:
    """The id of the funds sweep's scenario with this farm weight and investment demand."""
    rows = sweep.scenarios
    match = rows[(rows["param:constituencies.farmers.weight"] == weight) & (rows["param:demands.investment"] == demand)]
    return str(match["id"].iloc[0])


@pytest.fixture(scope="module")
def toy_folder(tmp_path_factory):
    return solved_folder(tmp_path_factory.mktemp("review") / "toy")


def test_a_solve_folder_reads_back_the_result_that_solve_printed(toy_folder):
    folder = read_folder(toy_folder)
    fresh = solve(TOY)
    assert isinstance(folder, SolveFolder)
    assert (folder.result.status, folder.result.objective, folder.result.offer) == ("optimal", -7.5, "deal_15")
    assert folder.result.package.levers() == {"corn": 5.0, "fund": "small"}
    assert list(folder.tables) == list(fresh.tables)
    for name, table in fresh.tables.items():
        assert plain_records(folder.tables[name]) == plain_records(table), name


def test_names_that_look_like_missing_values_stay_names(tmp_path):
    instance = {
        "format": 1,
        "name": "odd_names",
        "constituencies": {"NA": {"label": "null"}},
        "metrics": {"nan": {}},
        "levers": {"NULL": {"kind": "binary", "gives": {"nan": 1}, "costs": {"NA": 1}}},
        "demands": {"nan": 1},
    }
    folder = read_folder(solved_folder(tmp_path / "odd", instance))
    assert folder.tables["package"]["lever"].tolist() == ["NULL"]
    assert folder.tables["constituencies"][["constituency", "label"]].values.tolist() == [["NA", "null"]]
    assert folder.tables["metrics"]["metric"].tolist() == ["nan"]


def test_an_infeasible_folder_has_no_tables_but_its_reasons(tmp_path):
    folder = read_folder(solved_folder(tmp_path / "stuck", TOY, [("demands.investment", 1e6)]))
    assert folder.result.status == "infeasible"
    assert folder.tables == {}
    assert "out of reach" in folder.result.reasons[0]


def test_a_sweep_folder_reads_parquet_tables_and_its_base_instance(tmp_path):
    sweep = read_folder(sweep_copy(tmp_path / "sweep"))
    assert isinstance(sweep, SweepFolder)
    assert sweep.parameters == ["constituencies.farmers.weight", "demands.investment"]
    assert sweep.base is not None and sweep.base.instance.name == "funds"
    assert sweep.packages[scenario_id(sweep, 5, 350)] == {"small": 1.0, "lng": 1.0}
    result = sweep.scenario_result(scenario_id(sweep, 1, 150))
    assert (result.status, result.objective, result.package.levers()) == ("optimal", 30.0, {"big": 1.0})
    assert result.instance.constituencies["farmers"].weight == 1


def test_a_sweep_without_its_base_is_reviewed_by_name(tmp_path):
    sweep = read_folder(sweep_copy(tmp_path / "sweep", base=tmp_path / "gone.yaml"))
    assert sweep.base is None and "no such file" in sweep.base_problem
    assert sweep.labels.lever("lng") == "lng"
    with pytest.raises(ReviewError, match="needs the sweep's base instance"):
        sweep.scenario_result(scenario_id(sweep, 1, 150))


def test_a_base_changed_since_the_sweep_is_not_used(tmp_path):
    changed = tmp_path / "funds.yaml"
    changed.write_text(FUNDS.read_text().replace("costs: {fiscal: 35}", "costs: {fiscal: 36}"))
    sweep = read_folder(sweep_copy(tmp_path / "sweep", base=changed))
    assert sweep.base is None and "changed since the sweep" in sweep.base_problem


def test_a_sweep_folder_without_scenarios_says_so(tmp_path):
    (tmp_path / "running").mkdir()
    (tmp_path / "running" / "manifest.json").write_text("{}")
    with pytest.raises(ReviewError, match="scenarios.parquet: missing"):
        read_folder(tmp_path / "running")


@pytest.mark.parametrize(
    "setup, message",
    [
        (lambda p: None, "no such results folder"),
        (lambda p: p.mkdir(), "not a results folder"),
        (lambda p: (p.mkdir(), (p / "summary.json").write_text("[1]")), "expected a JSON object"),
        (lambda p: (p.mkdir(), (p / "summary.json").write_text("{")), "cannot be read as JSON"),
    ],
)
def test_what_is_not_a_results_folder_is_named(tmp_path, setup, message):
    setup(tmp_path / "x")
    with pytest.raises(ReviewError, match=message) as caught:
        read_folder(tmp_path / "x")
    assert str(caught.value).startswith(str(tmp_path / "x"))


def test_outcomes_are_folders_or_scenarios_of_a_sweep(tmp_path, toy_folder):
    sweep = sweep_copy(tmp_path / "sweep")
    some_id = scenario_id(read_folder(sweep), 5, 150)
    name, result = read_outcome(f"{sweep}#{some_id}")
    assert name == f"sweep#{some_id}" and result.package.levers() == {"lng": 1.0}
    assert read_outcome(toy_folder)[1].offer == "deal_15"
    with pytest.raises(ReviewError, match="pick a scenario with DIR#ID"):
        read_outcome(sweep)
    with pytest.raises(ReviewError, match="is a single solve"):
        read_outcome(f"{toy_folder}#3")
    with pytest.raises(ReviewError, match="no scenario with id nope"):
        read_outcome(f"{sweep}#nope")
