"""Running sweeps: the same answers as `dealopt solve --set`, whatever the workers; resumable; clean exits."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pandas as pd
import psutil
import pytest
from click.testing import CliRunner

from optimizer import solve
from optimizer.instance import apply_overrides
from optimizer.solver import SolveOptions
from optimizer.sweep import plan_sweep, run_sweep, validate_sweep
from optimizer.sweep.command import sweep_command
from optimizer.sweep.runner import SweepSummary
from optimizer.sweep.store import DATABASE, SweepFolder
from optimizer.sweep.worker import Job, WorkerState
from optimizer.tolerance import objectives_agree
from optimizer.yamlfile import read_file

DATA = Path(__file__).parent / "data"
TOY = DATA / "toy.yaml"
GRID = DATA / "sweep" / "toy_grid.yaml"
MIXED = DATA / "sweep" / "toy_mixed.yaml"
LARGE = DATA / "sweep" / "toy_large.yaml"


def same_answer(record: dict, reference) -> bool:
    """The "same answer" of docs/model.md: the same status and agreeing objectives."""
    if record["status"] != str(reference.status):
        return False
    if reference.objective is None:
        return record["objective"] is None or pd.isna(record["objective"])
    return objectives_agree(record["objective"], reference.objective)


def table(folder: Path) -> pd.DataFrame:
    return pd.read_parquet(folder / "scenarios.parquet")


@pytest.fixture(scope="module")
def mixed_two_workers(tmp_path_factory):
    folder = tmp_path_factory.mktemp("mixed2")
    return run_sweep(MIXED, out=folder, workers=2), table(folder)


# -- the worker's solving path ---------------------------------------------------------------


def test_a_worker_gives_what_solve_gives_in_any_scenario_order():
    """Scenarios that set different paths, remove entries or only move numbers, in a shuffled order."""
    state = WorkerState(Job("toy", read_file(TOY), "toy", SolveOptions()))
    scenarios = [
        (("constituencies.farmers.weight", 0.5),),
        (("offers.deal_15.requires.deficit_cut", 8),),
        (("offers.deal_15.requires.investment", None),),
        (("demands.deficit_cut", 100),),
        (("red_lines.farm_pain.max", 4), ("constituencies.fiscal.weight", 2)),
        (("levers.corn.max", 4.5), ("levers.fund.options.small.costs.fiscal", 1)),
        (("levers.fund.required", True),),
        (),
    ]
    order = scenarios * 3
    random.Random(5).shuffle(order)
    for overrides in order:
        record = state.solve("x", overrides)
        reference = solve(TOY, list(overrides))
        assert same_answer(record, reference), overrides
        assert record["verified"] == reference.verified
    assert state.model.rebuilds > 1


def test_validated_number_only_scenarios_skip_revalidation_and_give_the_same_records(monkeypatch):
    """What solve_chunk does after the validation pass: the shortcut instance, the same records as the full path."""
    from optimizer.sweep import worker

    validations = []
    monkeypatch.setattr(
        worker, "apply_overrides", lambda *args, **kw: validations.append(args[1]) or apply_overrides(*args, **kw)
    )
    job = Job("toy", read_file(TOY), "toy", SolveOptions())
    shortcut, full = WorkerState(job), WorkerState(job)
    numbers_only = {
        (("constituencies.farmers.weight", 0.5),): True,
        (("offers.deal_15.requires.deficit_cut", 8), ("red_lines.farm_pain.max", 4)): True,
        (("levers.corn.costs.farmers.per_unit.1.1", 3),): True,
        (("levers.fund.required", True),): False,  # not a number
        (("demands.deficit_cut", 100),): False,  # a new entry: the model's structure changes
        (("constituencies.farmers.weight", 4), ("levers.corn.max", 6)): True,
    }
    shortcut.solve("base", (), validated=True)  # the first scenario builds the model, through the full path
    for overrides, number_only in [*numbers_only.items()] * 2:
        validations.clear()
        record = shortcut.solve("x", overrides, validated=True)
        assert bool(validations) != number_only, overrides
        assert record == full.solve("x", overrides) | {"solve_seconds": record["solve_seconds"]}, overrides
        assert same_answer(record, solve(TOY, list(overrides)))


# -- sweeps through worker processes ---------------------------------------------------------


def test_sweep_results_equal_independent_solves(mixed_two_workers):
    summary, scenarios = mixed_two_workers
    assert summary.exit_code == 0 and summary.missing == 0
    assert set(summary.counts) == {"optimal", "infeasible"}
    spec_overrides = {s.id: s.overrides for s in _scenarios(MIXED)}
    for row in scenarios.sample(12, random_state=1).to_dict("records"):
        assert same_answer(row, solve(TOY, list(spec_overrides[row["id"]])))


def test_one_and_two_workers_agree_and_every_package_is_verified(tmp_path, mixed_two_workers):
    _, two = mixed_two_workers
    summary = run_sweep(MIXED, out=tmp_path, workers=1)
    one = table(tmp_path)
    assert summary.exit_code == 0
    assert list(one["id"]) == list(two["id"])
    assert list(one["status"]) == list(two["status"])
    for a, b in zip(one["objective"], two["objective"], strict=True):
        assert (pd.isna(a) and pd.isna(b)) or objectives_agree(a, b)
    assert one.loc[one["status"] == "optimal", "verified"].all()


def test_sweep_tables_are_tidy_and_prefixed(mixed_two_workers):
    summary, scenarios = mixed_two_workers
    assert list(scenarios.columns[:5]) == ["id", "status", "objective", "gap", "offer"]
    assert {
        "param:constituencies.farmers.weight",
        "param:red_lines.farm_pain.max",
        "net:farmers",
        "achieved:investment",
    } <= set(scenarios.columns)
    assert scenarios["param:offers.deal_15.requires.investment"].isna().sum() == 12  # no_investment_ask removes it
    levers = pd.read_parquet(summary.folder / "levers.parquet")
    assert list(levers.columns) == ["id", "lever", "amount", "option"]
    assert set(levers["id"]) <= set(scenarios["id"])
    assert set(levers.loc[levers["lever"] == "fund", "option"]) <= {"small", "large"}
    assert len(pd.read_csv(summary.folder / "scenarios.csv")) == len(scenarios)
    manifest = json.loads((summary.folder / "manifest.json").read_text())
    assert manifest["complete"] and manifest["scenarios"] == 48
    assert manifest["counts"]["missing"] == 0 and manifest["options"]["threads"] == 1
    assert manifest["base"]["content_hash"] and manifest["versions"]["highs"]


def test_a_rerun_solves_only_what_is_missing_and_duplicates_nothing(tmp_path):
    run_sweep(GRID, out=tmp_path, workers=2)
    with sqlite3.connect(tmp_path / DATABASE) as db:
        lost = [row[0] for row in db.execute("SELECT id FROM outcomes ORDER BY random() LIMIT 7")]
        db.executemany("DELETE FROM outcomes WHERE id = ?", [(i,) for i in lost])
    summary = run_sweep(GRID, out=tmp_path, workers=2)
    assert summary.solved == 7 and summary.missing == 0
    assert table(tmp_path)["id"].is_unique and len(table(tmp_path)) == 36
    assert run_sweep(GRID, out=tmp_path, workers=2).solved == 0


def test_changed_options_never_reuse_a_row(tmp_path):
    run_sweep(GRID, out=tmp_path, workers=1)
    summary = run_sweep(GRID, out=tmp_path, workers=1, time_limit=60)
    assert summary.solved == 36
    assert len(table(tmp_path)) == 36


@pytest.mark.e2e
def test_a_killed_sweep_resumes_without_losing_or_duplicating(tmp_path, console_script):
    """kill -9 the whole sweep mid-run, then run the same command again."""
    process = _start_sweep(console_script, tmp_path)
    saved = _wait_for_rows(tmp_path, 40, process)
    os.killpg(process.pid, signal.SIGKILL)
    process.communicate()
    before = _rows(tmp_path)
    assert before >= saved
    summary = run_sweep(LARGE, out=tmp_path, workers=2)
    assert summary.missing == 0 and summary.solved == 600 - before
    assert len(table(tmp_path)) == 600 and table(tmp_path)["id"].is_unique


@pytest.mark.e2e
def test_workers_of_a_sweep_killed_alone_exit_too(tmp_path, console_script):
    """kill -9 of the sweep process only: its workers (children of the fork server) must not linger."""
    process = _start_sweep(console_script, tmp_path, workers=2)
    _wait_for_rows(tmp_path, 40, process)
    helpers = psutil.Process(process.pid).children(recursive=True)
    assert helpers
    process.kill()
    process.communicate()
    _, alive = psutil.wait_procs(helpers, timeout=20)
    assert not alive, [p.cmdline() for p in alive]


@pytest.mark.e2e
@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["ctrl_c", "kill"])
def test_ctrl_c_or_kill_stops_cleanly_with_exit_130_and_the_same_command_resumes(tmp_path, console_script, stop):
    process = _start_sweep(console_script, tmp_path)
    _wait_for_rows(tmp_path, 40, process)
    process.send_signal(stop)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert "resume with the same command" in stderr
    assert "Traceback" not in stderr
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["interrupted"] and manifest["solved_this_run"] == _rows(tmp_path) >= 40
    result = CliRunner().invoke(sweep_command, [str(LARGE), "--out", str(tmp_path), "--workers", "2"])
    assert result.exit_code == 0, result.output
    assert len(table(tmp_path)) == 600


# -- the command -----------------------------------------------------------------------------


def test_the_command_writes_to_results_by_default_and_counts_statuses(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(sweep_command, [str(GRID), "--workers", "2"])
    assert result.exit_code == 0, result.output
    assert "36 scenarios: 36 optimal" in result.output
    assert (tmp_path / "results" / "toy_grid" / "scenarios.parquet").exists()


@pytest.mark.parametrize("other", ["notes.txt", "summary.json"])
def test_a_sweep_refuses_a_folder_that_is_not_a_sweeps_and_writes_nothing(tmp_path, other):
    """Neither a folder of other files nor a single solve's results folder (a later solve would replace it)."""
    (tmp_path / other).write_text("{}", encoding="utf-8")
    result = CliRunner().invoke(sweep_command, [str(GRID), "--out", str(tmp_path), "--workers", "1"])
    assert result.exit_code == 2, result.output
    assert "is a folder of other files (no sweep.sqlite)" in result.stderr
    assert [p.name for p in tmp_path.iterdir()] == [other]


def test_the_command_line_exits_with_the_sweep_status(tmp_path, cli):
    """Through `dealopt sweep`: 2 for an invalid scenario (test_cli solves one through it, with 0)."""
    bad = tmp_path / "bad.yaml"
    bad.write_text(f"base: {TOY}\ngrid:\n  constituencies.farmers.weight: [1, -2]\n")
    code, _, err = cli("sweep", bad, "--out", tmp_path / "bad", "--workers", "1")
    assert code == 2, err
    assert "must be >= 0, got -2" in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("grid", "expected"),
    [
        (
            "constituencies.farmers.weight: [1, -2]",
            ["{spec}:3: grid.constituencies.farmers.weight[1]: must be >= 0, got -2"],
        ),
        (
            "constituencies.farmer.weight: [1, 2]",
            [
                "{spec}:3: grid.constituencies.farmer.weight: unknown path (did you mean 'constituencies.farmers.weight'?)"
            ],
        ),
        (
            "levers.corn.max: [0.5, 6]",
            [
                "{toy}:20: levers.corn.min_if_used: min_if_used (1) is above max (0.5) (in scenario levers.corn.max=0.5)",
                "{toy}:23: levers.corn.costs.farmers.per_unit[1]: breakpoint 6 is above the lever's max (0.5) (in scenario levers.corn.max=0.5)",
            ],
        ),
    ],
)
def test_an_invalid_scenario_exits_2_naming_the_line_and_solves_nothing(tmp_path, grid, expected):
    spec = tmp_path / "bad.yaml"
    spec.write_text(f"base: {TOY}\ngrid:\n  {grid}\n")
    result = CliRunner().invoke(sweep_command, [str(spec), "--out", str(tmp_path / "out"), "--workers", "1"])
    assert result.exit_code == 2
    problems = [line for line in result.output.splitlines() if "━" not in line]
    assert problems == [line.format(spec=spec, toy=TOY) for line in expected]
    assert not (tmp_path / "out").exists()  # not even the folder, its lock or its database


def test_an_invalid_spec_exits_2(tmp_path):
    spec = tmp_path / "bad.yaml"
    spec.write_text(f"base: {TOY}\ngird: {{}}\n")
    result = CliRunner().invoke(sweep_command, [str(spec)])
    assert result.exit_code == 2
    assert result.output.strip() == f"{spec}:2: gird: unknown key 'gird' (did you mean 'grid'?)"


def test_a_second_sweep_on_the_same_folder_refuses_to_start(tmp_path):
    with SweepFolder(tmp_path):
        result = CliRunner().invoke(sweep_command, [str(GRID), "--out", str(tmp_path)])
    assert result.exit_code == 2  # a usage error: the folder is taken
    assert f"another sweep (process {os.getpid()}) is writing to {tmp_path}" in result.output


def test_every_option_has_help():
    assert all(option.help for option in sweep_command.params if option.param_type_name == "option")


@pytest.mark.parametrize(
    ("summary", "code"),
    [
        (SweepSummary(Path("."), 3, {"optimal": 2, "infeasible": 1}), 0),
        (SweepSummary(Path("."), 3, {"optimal": 2, "time_limit": 1}), 0),
        (SweepSummary(Path("."), 3, {"optimal": 2, "error": 1}), 3),
        (SweepSummary(Path("."), 3, {"optimal": 2}, failure="a worker died"), 3),
        (SweepSummary(Path("."), 3, {"optimal": 2}, interrupted=True), 130),
    ],
)
def test_exit_codes(summary, code):
    assert summary.exit_code == code


# -- helpers ---------------------------------------------------------------------------------


def _scenarios(spec_path: Path):
    return plan_sweep(spec_path, SolveOptions()).scenarios


def _start_sweep(console_script: list[str], folder: Path, workers: int = 1) -> subprocess.Popen:
    """`dealopt sweep` on LARGE in a session of its own, with Ctrl-C's default action restored.

    A job started in the background inherits SIGINT ignored, and Python then installs no
    KeyboardInterrupt handler; the sweep must see Ctrl-C as a terminal would send it.
    """
    command = [*console_script, "sweep", str(LARGE), "--out", str(folder), "--workers", str(workers)]
    return subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        preexec_fn=_default_ctrl_c,
    )


def _default_ctrl_c() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _rows(folder: Path) -> int:
    if not (folder / DATABASE).exists():
        return 0
    with sqlite3.connect(folder / DATABASE) as db:
        try:
            return db.execute("SELECT count(*) FROM outcomes").fetchone()[0]
        except sqlite3.OperationalError:
            return 0


def _wait_for_rows(folder: Path, count: int, process: subprocess.Popen) -> int:
    deadline = time.monotonic() + 60
    while (rows := _rows(folder)) < count:
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the sweep saved nothing in 60 s"
        time.sleep(0.05)
    return rows


def test_a_coefficient_swept_to_zero_prints_nothing(capfd):
    """HiGHS warns on stdout when it ignores a zero it never stored; a sweep's output stays clean."""
    state = WorkerState(Job("toy", read_file(TOY), "toy", SolveOptions()))
    for value in (0, 1, 0, 0):
        record = state.solve("x", (("levers.corn.gives.deficit_cut.per_unit", value),), validated=True)
        assert record["status"] == "optimal"
    captured = capfd.readouterr()
    assert captured.out == "" and captured.err == ""


def test_param_columns_show_the_base_value_where_a_scenario_does_not_set_it(tmp_path):
    spec = tmp_path / "named.yaml"
    spec.write_text(
        f"base: {TOY}\nscenarios:\n  steeper: {{levers.corn.costs.farmers.per_unit.1.1: 3}}\n  as_is: {{}}\n"
        "grid:\n  red_lines.farm_pain.max: [4, 6]\n"
    )
    summary = run_sweep(spec, out=tmp_path / "out", workers=1)
    rows = table(summary.folder).set_index(["name", "param:red_lines.farm_pain.max"])
    assert rows["param:levers.corn.costs.farmers.per_unit.1.1"].to_dict() == {
        ("steeper", 4.0): 3.0,
        ("steeper", 6.0): 3.0,
        ("as_is", 4.0): 2.0,  # the base curve's second marginal cost
        ("as_is", 6.0): 2.0,
    }


def test_warnings_of_the_base_and_of_scenario_values_are_reported_once_each(tmp_path):
    base = tmp_path / "base.yaml"
    base.write_text(
        TOY.read_text().replace("gives: {deficit_cut: 1.0}", "gives: {deficit_cut: 1.0, investment: 1e-10}")
    )
    spec = tmp_path / "warn.yaml"
    spec.write_text("base: base.yaml\ngrid:\n  constituencies.fiscal.weight: [2e-10, 1, 3e-10]\n")
    result = CliRunner().invoke(sweep_command, [str(spec), "--out", str(tmp_path / "out"), "--workers", "1"])
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 3, warnings
    assert (
        f"{base}:" in warnings[0] and "investment.per_unit: |1e-10| is below 1e-9" in warnings[0]
    )  # once, not per scenario
    assert warnings[1].startswith(f"warning: {spec}:3: grid.constituencies.fiscal.weight[0]: |2e-10|")
    assert warnings[2].startswith(f"warning: {spec}:3: grid.constituencies.fiscal.weight[2]: |3e-10|")
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert [f"warning: {w}" for w in manifest["warnings"]] == warnings
    assert [str(w) for w in validate_sweep(spec).warnings] == manifest["warnings"]  # what `dealopt validate` shows


def test_a_rerun_retries_scenarios_that_ended_in_error(tmp_path):
    run_sweep(GRID, out=tmp_path, workers=1)
    with sqlite3.connect(tmp_path / DATABASE) as db:
        failed = db.execute("SELECT id FROM outcomes LIMIT 1").fetchone()[0]
        db.execute("UPDATE outcomes SET status = 'error' WHERE id = ?", (failed,))
    again = run_sweep(GRID, out=tmp_path, workers=1)
    assert again.solved == 1 and again.counts == {"optimal": 36} and again.exit_code == 0


def test_a_folder_with_a_broken_database_is_a_clean_error(tmp_path):
    (tmp_path / DATABASE).write_text("not sqlite")
    result = CliRunner().invoke(sweep_command, [str(GRID), "--out", str(tmp_path), "--workers", "1"])
    assert result.exit_code == 2 and "is not a sweep's database" in result.stderr
