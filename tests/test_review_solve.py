"""``dealopt review`` on a single solve's folder: what solve printed, every format, Excel, plots, errors."""

import io
import json
import sys

import click
import pandas as pd
import pytest
from click.testing import CliRunner
from test_review_folders import TOY, solved_folder

from optimizer.cli import app
from optimizer.review.command import COMMANDS, review_command


@pytest.fixture(scope="module")
def toy_folder(tmp_path_factory):
    return solved_folder(tmp_path_factory.mktemp("review") / "toy")


def _review(*args: str):
    return CliRunner().invoke(review_command, [str(a) for a in args])


def test_review_prints_what_solve_printed(tmp_path):
    solved = CliRunner().invoke(app, ["solve", str(TOY), "--out", str(tmp_path / "toy")])
    reviewed = _review(tmp_path / "toy")
    assert reviewed.exit_code == 0, reviewed.output
    printed = solved.output.splitlines()[:-1]
    assert reviewed.output.splitlines()[-len(printed) :] == printed  # the brief first, then what solve printed
    assert "Brief: Toy two-lever deal" in reviewed.output.splitlines()[0]
    assert solved.output.splitlines()[-1].startswith("results written to")


INFEASIBLE = """format: 1
name: out_of_reach
constituencies: {a: {}}
metrics: {m: {}}
levers:
  x: {kind: continuous, max: 7, gives: {m: 2}, costs: {a: 1}}
demands: {m: 20}
"""


def test_review_and_report_of_an_infeasible_folder_show_the_diagnosis_solve_printed(tmp_path):
    (tmp_path / "deal.yaml").write_text(INFEASIBLE)
    solved = CliRunner().invoke(app, ["solve", str(tmp_path / "deal.yaml"), "--out", str(tmp_path / "out")])
    assert solved.exit_code == 1
    reviewed = _review(tmp_path / "out")
    assert reviewed.exit_code == 0, reviewed.output  # reviewing worked; the status is in the output
    printed = solved.output.splitlines()[:-1]
    assert reviewed.output.splitlines()[-len(printed) :] == printed  # the diagnosis included
    assert "Ways out, one at a time" in reviewed.output and "20 -> 14" in reviewed.output
    assert "20 -> 14" in _review(tmp_path / "out", "--format", "markdown").output
    data = json.loads(_review(tmp_path / "out", "--format", "json").output)
    assert data["summary"]["diagnosis"]["conflicts"] == [["demands.m", "levers.x.max"]]  # as solve --json
    assert {"diagnosis_conflicts", "diagnosis_ways_out", "diagnosis_combined"} <= set(data["tables"])
    report = CliRunner().invoke(app, ["report", str(tmp_path / "out"), "--out", str(tmp_path / "r.html")])
    assert report.exit_code == 0, report.output
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "Ways out, one at a time" in html and "20 -&gt; 14" in html


def test_markdown_is_the_folders_report(toy_folder):
    result = _review(toy_folder, "--format", "markdown")
    assert result.exit_code == 0
    assert result.output.endswith(
        (toy_folder / "report.md").read_text(encoding="utf-8")
    )  # after the brief (or its hint)


def test_csv_pipes_one_table_or_all(toy_folder):
    one = _review(toy_folder, "--format", "csv", "--table", "package")
    assert one.exit_code == 0
    assert pd.read_csv(io.StringIO(one.output)).equals(pd.read_csv(toy_folder / "package.csv"))
    every = _review(toy_folder, "--format", "csv").output
    assert [line for line in every.splitlines() if line.startswith("# ")] == [
        "# package",
        "# metrics",
        "# constituencies",
        "# red_lines",
    ]


def test_json_carries_the_summary_and_the_tables(toy_folder):
    data = json.loads(_review(toy_folder, "--format", "json").output)
    assert data["kind"] == "solve" and data["summary"]["objective"] == -7.5
    assert [row["lever"] for row in data["tables"]["package"]] == ["corn", "fund"]
    assert data["tables"]["package"][0]["option"] is None


def test_xlsx_writes_one_sheet_a_table(toy_folder, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    result = _review(toy_folder, "--xlsx", tmp_path / "toy.xlsx", "--format", "json")
    assert result.exit_code == 0, result.output
    workbook = openpyxl.load_workbook(tmp_path / "toy.xlsx")
    assert workbook.sheetnames == ["summary", "package", "metrics", "constituencies", "red_lines"]
    assert [cell.value for cell in workbook["package"][1]][:3] == ["lever", "label", "kind"]
    assert workbook["package"]["A3"].value == "fund"


def test_xlsx_of_a_folder_with_a_brief_carries_the_explain_tables(tmp_path):
    """The workbook holds what the brief lists: every tier, the limiting items, prices, who pays, alternatives."""
    openpyxl = pytest.importorskip("openpyxl")
    solved = CliRunner().invoke(app, ["solve", str(TOY), "--out", str(tmp_path / "toy")])
    assert solved.exit_code == 0, solved.output
    result = _review(tmp_path / "toy", "--xlsx", tmp_path / "toy.xlsx", "--format", "json")
    assert result.exit_code == 0, result.output
    workbook = openpyxl.load_workbook(tmp_path / "toy.xlsx")
    assert {"brief_tiers", "brief_who_pays", "brief_alternatives"} <= set(workbook.sheetnames)
    assert workbook["brief_tiers"].max_row >= 2  # a header and at least the recommended tier


def test_xlsx_without_openpyxl_says_how_to_install_it(toy_folder, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    result = _review(toy_folder, "--xlsx", tmp_path / "toy.xlsx", "--format", "csv")
    assert result.exit_code == 2  # a usage error, like any other missing input
    assert result.output == "dealopt: --xlsx needs openpyxl, which is not installed: pip install 'dealopt[xlsx]'\n"
    assert not (tmp_path / "toy.xlsx").exists()


def test_plots_are_written_next_to_the_tables(tmp_path):
    folder = solved_folder(tmp_path / "toy")
    result = _review(folder, "--plots", "--format", "csv", "--table", "metrics")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (folder / "plots").iterdir()) == ["burden.png", "burden.svg"]


@pytest.mark.parametrize(
    "args, message",
    [
        (["--sort", "objective"], "--sort: applies to sweep folders only"),
        (["--refine"], "--refine: applies to sweep folders only"),
        (["--table", "package"], "--table: works with --format csv or json"),
        (["--format", "csv", "--table", "nope"], "--table: no table 'nope' here (tables: package, metrics"),
    ],
)
def test_options_that_do_not_apply_are_usage_errors(toy_folder, args, message):
    result = _review(toy_folder, *args)
    assert result.exit_code == 2
    assert message in result.output


def test_a_missing_folder_is_one_line_and_exit_2(tmp_path):
    result = _review(tmp_path / "nope")
    assert result.exit_code == 2
    assert result.output == f"{tmp_path / 'nope'}: no such results folder\n"


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c.name)
def test_every_review_command_and_option_has_help(command):
    assert command.help
    for param in command.params:
        if isinstance(param, click.Option):
            assert param.help, f"dealopt {command.name} {param.opts[0]} has no help text"
