"""The command line: files written, JSON on stdout, exit codes 0/1/2/3.

Most tests run the command in-process; those marked ``e2e`` start the installed console
script, for what only a separate process shows (its real stdout, its signals).
"""

from __future__ import annotations

import json
import os
import random
import re
import runpy
import signal
import subprocess
import time

import pandas as pd
import pytest
from conftest import DATA, TOY, write

import optimizer.api
import optimizer.cli
from optimizer import solve
from optimizer.solver import PersistentModel, SolverRun
from optimizer.status import Status
from optimizer.yamlfile import dump

RESULT_FILES = {
    "package.csv",
    "metrics.csv",
    "constituencies.csv",
    "red_lines.csv",
    "summary.json",
    "run.json",
    "report.md",
    "instance.yaml",
    "brief.json",
    "brief.md",
}
JSON_KEYS = {"status", "objective", "gap", "offer", "package", "metrics", "constituencies", "verified"}


def test_solve_writes_the_results_folder(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, _, err = cli("solve", TOY)
    assert code == 0, err
    folder = tmp_path / "results" / "toy-deal"
    assert {p.name for p in folder.iterdir()} == RESULT_FILES
    package = pd.read_csv(folder / "package.csv")
    assert dict(zip(package["lever"], package["amount"], strict=True)) == {"corn": 5.0, "fund": 1.0}
    assert package.set_index("lever").loc["fund", "option"] == "small"
    constituencies = pd.read_csv(folder / "constituencies.csv")
    assert constituencies["weighted_net"].sum() == pytest.approx(-7.5)
    metrics = pd.read_csv(folder / "metrics.csv").set_index("metric")
    assert metrics.loc["deficit_cut", "achieved"] == pytest.approx(5) and bool(metrics.loc["deficit_cut", "binding"])
    red_lines = pd.read_csv(folder / "red_lines.csv").set_index("red_line")
    assert bool(red_lines.loc["ag_budget", "binding"]) and not bool(red_lines.loc["farm_pain", "binding"])
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    assert summary["status"] == "optimal" and summary["objective"] == pytest.approx(-7.5)
    assert len(summary["run"]["instance"]["content_hash"]) == 64
    run = json.loads((folder / "run.json").read_text(encoding="utf-8"))
    assert "started_at" in run and "started_at" not in summary["run"]  # the times stay out of summary.json
    assert "deal_15" in (folder / "report.md").read_text(encoding="utf-8")

    # the saved instance re-solves to the same answer, with the same content hash
    again = solve(folder / "instance.yaml")
    assert again.status == "optimal" and again.objective == pytest.approx(-7.5)
    assert again.run["instance"]["content_hash"] == summary["run"]["instance"]["content_hash"]


@pytest.mark.e2e
def test_json_prints_exactly_one_object(console_script, tmp_path):
    """On the process's real stdout: nothing the solver prints itself may get in."""
    done = subprocess.run(
        [*console_script, "solve", str(TOY), "--json", "--no-save"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)  # fails on anything but one JSON document
    assert set(answer) >= JSON_KEYS
    assert answer["status"] == "optimal" and answer["objective"] == pytest.approx(-7.5) and answer["verified"]
    assert answer["offer"] == "deal_15" and answer["package"] == {"corn": 5.0, "fund": "small"}
    assert answer["metrics"]["investment"]["achieved"] == pytest.approx(100)
    assert answer["constituencies"]["farmers"]["cost"] == pytest.approx(7.5)
    assert answer["gap"] == pytest.approx(0, abs=1e-9)
    assert "Toy two-lever deal" in done.stderr  # the human view goes to stderr
    assert not (tmp_path / "results").exists()


def test_json_for_invalid_input(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = write(tmp_path, "format: 1\nconstituencies: {}\nmetrics: {}\nlevers: {x: {kind: binary, cost: 1}}\n")
    code, out, _ = cli("solve", path, "--json")
    assert code == 2
    answer = json.loads(out)
    assert answer["status"] == "invalid" and answer["objective"] is None and answer["package"] == {}
    assert answer["errors"] == [
        {"file": str(path), "line": 4, "path": "levers.x.cost", "message": "unknown key 'cost' (did you mean 'costs'?)"}
    ]
    assert not (tmp_path / "results").exists()


def test_python_m_optimizer_runs_the_command_line(cli, monkeypatch):
    started = []
    monkeypatch.setattr(optimizer.cli, "run", lambda: started.append(True))
    runpy.run_module("optimizer", run_name="__main__")
    assert started == [True]
    code, out, _ = cli("--help")
    assert code == 0
    assert "solve" in out and "validate" in out


def test_infeasible_exit_code_1(cli, tmp_path):
    code, out, _ = cli("solve", TOY, "--set", "demands.deficit_cut=50", "--out", tmp_path / "out", "--json")
    assert code == 1
    answer = json.loads(out)
    assert answer["status"] == "infeasible" and answer["package"] == {} and answer["reasons"]


def test_validate(cli, tmp_path):
    code, out, _ = cli("validate", TOY)
    assert code == 0 and "ok:" in out
    bad = write(tmp_path, "format: 1\nconstituencies: {}\nmetrics: {}\nlevers: {}\ndemands: {m: 1}\n")
    code, out, err = cli("validate", TOY, bad)
    assert code == 2
    assert "deal.yaml:5: demands.m: unknown metric 'm' (no metrics are defined)" in err


def test_solve_replaces_a_previous_results_folder(cli, tmp_path):
    out = tmp_path / "out"
    assert cli("solve", TOY, "--out", out)[0] == 0
    (out / "stale.txt").write_text("old", encoding="utf-8")
    code, _, _ = cli("solve", TOY, "--out", out)
    assert code == 0
    assert {p.name for p in out.iterdir()} == RESULT_FILES


def test_solve_refuses_to_replace_a_folder_of_other_files(cli, tmp_path):
    out = tmp_path / "mine"
    (out / "sub").mkdir(parents=True)
    (out / "sub" / "important.txt").write_text("keep", encoding="utf-8")
    code, _, err = cli("solve", TOY, "--out", out)
    assert code == 2
    assert re.search(r"mine: --out: is a folder of other files", err), err
    assert (out / "sub" / "important.txt").read_text(encoding="utf-8") == "keep"


def test_usage_error_is_exit_2(cli, tmp_path):
    code, out, err = cli("solve", TOY, "--time-limit", "-1", "--json", "--out", tmp_path / "out")
    assert code == 2
    assert json.loads(out)["status"] == "invalid"
    assert not (tmp_path / "out").exists()


# -- exit code 3: time limits and solver trouble, simulated ----------------------------------


def _fake_solve(run_result: SolverRun):
    def fake(self, options):
        return run_result

    return fake


def test_time_limit_with_a_package_is_exit_3(cli, tmp_path, monkeypatch):
    # a feasible but not optimal package: corn 5 with the large fund, objective 3 * 5.5 + 35 - 40 = 11.5
    found = SolverRun(
        Status.TIME_LIMIT,
        objective=11.5,
        bound=-7.5,
        used={"corn": 1, "lng": 0},
        amount={"corn": 5},
        picked={("fund", "small"): 0, ("fund", "large"): 1},
        granted={"no_deal": 0, "deal_15": 1},
    )
    monkeypatch.setattr(PersistentModel, "solve", _fake_solve(found))
    code, out, _ = cli("solve", TOY, "--json", "--out", tmp_path / "out")
    assert code == 3
    answer = json.loads(out)
    assert answer["status"] == "time_limit" and answer["verified"]
    assert answer["objective"] == pytest.approx(11.5)
    assert answer["gap"] == pytest.approx(19 / 11.5)
    assert answer["package"] == {"corn": 5.0, "fund": "large"}
    assert (tmp_path / "out" / "summary.json").exists()


def test_time_limit_without_a_package_is_exit_3(cli, tmp_path, monkeypatch):
    monkeypatch.setattr(PersistentModel, "solve", _fake_solve(SolverRun(Status.TIME_LIMIT)))
    code, out, _ = cli("solve", TOY, "--json", "--no-save")
    assert code == 3
    answer = json.loads(out)
    assert answer["status"] == "time_limit" and answer["package"] == {} and answer["objective"] is None
    assert "before any acceptable package was found" in answer["message"]


def test_solver_error_is_exit_3(cli, monkeypatch):
    monkeypatch.setattr(PersistentModel, "solve", _fake_solve(SolverRun(Status.ERROR, message="HiGHS failed: boom")))
    code, out, _ = cli("solve", TOY, "--json", "--no-save")
    assert code == 3
    answer = json.loads(out)
    assert answer["status"] == "error" and "boom" in answer["message"]


def test_internal_error_is_exit_3_without_traceback(cli, monkeypatch):
    def broken(self, options):
        raise RuntimeError("unexpected")

    monkeypatch.setattr(PersistentModel, "solve", broken)
    code, out, err = cli("solve", TOY, "--no-save")
    assert code == 3
    assert "internal error" in err and "Traceback" not in err


def market_split(seed: int = 7, rows: int = 4, levers: int = 36) -> dict:
    """Cornuejols-Dawande market split: equality knapsacks that branch and bound takes very long on."""
    rng = random.Random(seed)
    weights = [[rng.randint(0, 99) for _ in range(levers)] for _ in range(rows)]
    return {
        "format": 1,
        "name": "split",
        "constituencies": {"a": {}},
        "metrics": {},
        "levers": {f"l{j}": {"kind": "binary", "costs": {"a": rng.randint(1, 9)}} for j in range(levers)},
        "red_lines": [
            {
                "name": f"split{i}",
                "kind": "limit",
                "terms": {f"l{j}": w for j, w in enumerate(row) if w},
                "min": sum(row) // 2,
                "max": sum(row) // 2,
            }
            for i, row in enumerate(weights)
        ],
    }


def test_a_real_time_limit_is_hit(cli, tmp_path):
    path = tmp_path / "split.yaml"
    path.write_text(dump(market_split()), encoding="utf-8")
    started = time.perf_counter()
    code, out, _ = cli("solve", path, "--time-limit", "1", "--json", "--no-save")
    assert time.perf_counter() - started < 30
    assert code == 3
    answer = json.loads(out)
    assert answer["status"] == "time_limit"
    assert answer["run"]["solver"]["options"]["time_limit"] == 1


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (
            ["solve", str(TOY), "--no-save", "--time-limit", "nan"],
            2,
            "--time-limit': must be a number of seconds, not nan",
        ),
        (["solve", str(TOY), "--no-save", "--gap", "nan"], 2, "--gap': must be a number, not nan"),
        (["solve", str(TOY), "--no-save", "--time-limit", "inf"], 0, ""),
    ],
)
def test_time_limit_inf_is_no_limit_and_nan_is_refused(cli, args, code, message):
    done, _, err = cli(*args)
    assert done == code and message in err


def test_a_sweep_takes_an_infinite_time_limit(cli, tmp_path):
    grid = DATA / "sweep" / "toy_grid.yaml"
    done, out, _ = cli("sweep", grid, "--out", tmp_path / "o", "--workers", "1", "--time-limit", "inf")
    assert done == 0 and "36 optimal" in out


@pytest.mark.e2e
def test_a_reader_closing_the_pipe_ends_the_command_like_any_filter(console_script, tmp_path):
    """`dealopt solve X | head -1`: SIGPIPE (141 in the shell), not exit 1, which means infeasible."""
    process = subprocess.Popen([*console_script, "solve", str(TOY), "--no-save"], stdout=subprocess.PIPE, cwd=tmp_path)
    process.stdout.close()  # before it writes anything
    assert process.wait(timeout=60) == -signal.SIGPIPE


def test_json_interrupted_prints_one_object(cli, monkeypatch):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(PersistentModel, "solve", interrupted)
    code, out, err = cli("solve", TOY, "--json", "--no-save")
    assert code == 130 and "interrupted" in err
    assert json.loads(out)["message"] == "interrupted"  # exactly one object: json.loads refuses anything more


def test_pyomo_logs_go_to_stderr_once_the_cli_runs(cli, capsys):
    """Pyomo's handler writes to stdout; the CLI points it at stderr (stdout is for results and --json)."""
    import logging

    cli("validate", TOY)
    handlers = [h for h in logging.getLogger("pyomo").handlers if isinstance(h, logging.StreamHandler)]
    assert handlers
    for handler in handlers:
        handler.stream.write("from pyomo\n")
    out, err = capsys.readouterr()
    assert "from pyomo" in err and "from pyomo" not in out


@pytest.mark.parametrize(
    ("make", "out", "message"),
    [
        (lambda d: (d / "afile").write_text("x"), "afile/sub", "cannot be made: "),
        (lambda d: (d / "loop").symlink_to(d / "loop"), "loop", "is a symbolic link"),
        (lambda d: ((d / "real").mkdir(), (d / "link").symlink_to(d / "real")), "link", "is a symbolic link"),
        (lambda d: None, ".", "is the current folder or holds it"),
        (lambda d: None, "..", "is the current folder or holds it"),
    ],
)
def test_an_out_that_cannot_be_written_is_refused_before_solving(cli, tmp_path, monkeypatch, make, out, message):
    monkeypatch.chdir(tmp_path)
    make(tmp_path)
    before = sorted(p.name for p in tmp_path.iterdir())
    code, printed, err = cli("solve", TOY, "--out", out)
    assert code == 2 and message in err and "nothing was solved or written" in printed
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_results_folders_follow_the_umask_and_dotdot_is_worked_out(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "e").mkdir()
    assert cli("solve", TOY, "--out", "e/sub/..")[0] == 0
    assert (tmp_path / "e" / "summary.json").exists() and not (tmp_path / "e" / "sub").exists()
    mask = os.umask(0o022)
    try:
        assert cli("solve", TOY, "--out", "shared")[0] == 0
    finally:
        os.umask(mask)
    assert (tmp_path / "shared").stat().st_mode & 0o777 == 0o755
