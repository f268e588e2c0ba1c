"""solve --chance/--robust end to end: the results folder, --scenarios FILE, and each refusal of a scenario file."""

from __future__ import annotations

import json

import pytest
from test_chance import small_deal

from optimizer.yamlfile import dump


@pytest.fixture
def deal(tmp_path):
    """corn costs 1 a unit and gives 1; the deal (benefit 6) needs 3, 5 or 8 with chances 0.5, 0.3, 0.2."""
    path = tmp_path / "deal.yaml"
    path.write_text(dump(small_deal()), encoding="utf-8")
    return path


def test_chance_writes_a_results_folder_with_the_chance_s_keys(cli, deal, tmp_path):
    code, out, _ = cli("solve", deal, "--chance", "0.8", "--out", tmp_path / "out", "--json")
    assert code == 0
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert summary["package"] == {"corn": 5.0} and summary["offer"] == "deal"
    assert summary["probability"] == pytest.approx(0.8) and summary["probability_method"] == "exact"
    assert summary["probability_interval"] is None and summary["target"] == 0.8 and summary["target_met"] == "yes"
    assert [row["offer"] for row in summary["per_offer"]] == ["walk", "deal"]
    assert summary["metrics"]["m"]["achieved"] == pytest.approx(5.0)
    assert "total_seconds" not in summary["run"]  # times go to run.json: a folder changes only with its answer
    assert {p.name for p in (tmp_path / "out").iterdir()} >= {"summary.json", "run.json", "package.csv", "report.md"}
    assert json.loads(out) == {k: v for k, v in summary.items() if k in json.loads(out)} | {
        "run": json.loads(out)["run"]
    }


def test_robust_writes_its_folder_and_no_save_writes_nothing(cli, deal, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    data = small_deal()
    data["offers"]["deal"]["benefits"]["a"] = 10  # worth corn 8, the worst the deal may need
    deal.write_text(dump(data), encoding="utf-8")
    code, _, err = cli("solve", deal, "--robust", "box")
    assert code == 0 and "results written to results/tiny_robust" in err
    summary = json.loads((tmp_path / "results" / "tiny_robust" / "summary.json").read_text(encoding="utf-8"))
    assert summary["robust"] == "box" and summary["package"] == {"corn": 8.0}
    code, _, _ = cli("solve", deal, "--chance", "0.5", "--no-save")
    assert code == 0 and not (tmp_path / "results" / "tiny_chance").exists()


def test_scenarios_file_is_what_the_sampled_solve_sees(cli, deal, tmp_path):
    """Ten scenarios in which the deal needs 8, 8 times: P >= 0.8 in them needs corn 8. The law still
    gives the probability shown (exact: 1)."""
    path = tmp_path / "scenarios.csv"
    path.write_text("deal_m\n" + "8\n" * 8 + "3\n3\n", encoding="utf-8")
    code, out, _ = cli("solve", deal, "--chance", "0.8", "--scenarios", path, "--no-save", "--json")
    answer = json.loads(out)
    deal_row = answer["per_offer"][1]
    assert code == 0 and deal_row["package"] == {"corn": 8.0} and answer["offer"] == "walk"  # 8 costs more than 6
    assert deal_row["probability"] == 1.0 and answer["run"]["chance"]["scenarios"] == str(path)
    yaml_path = tmp_path / "scenarios.yaml"
    yaml_path.write_text("deal_m: [3, 3, 3, 3, 3, 3, 3, 3, 5, 5]\n", encoding="utf-8")
    code, out, _ = cli("solve", deal, "--chance", "0.8", "--scenarios", yaml_path, "--no-save", "--json")
    assert code == 0 and json.loads(out)["package"] == {"corn": 3.0}


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("s.csv", "deal_m,other\n" + "3,1\n" * 10, "s.csv:1: other: no belief named 'other'"),
        ("s.csv", "nothing\n" + "3\n" * 10, "s.csv:1: deal_m: no column for the belief 'deal_m'"),
        ("s.csv", "deal_m\n" + "3\n" * 4 + "lots\n" + "3\n" * 5, "s.csv:6: deal_m: 'lots' is not a number"),
        ("s.csv", "deal_m\n" + "3\n" * 4 + "nan\n" + "3\n" * 5, "s.csv:6: deal_m: nan is not a finite number"),
        ("s.csv", "deal_m\n" + "3\n" * 4 + "3,4\n" + "3\n" * 6, "s.csv:6: (document): 2 cells; the header has 1"),
        ("s.csv", "deal_m,deal_m\n" + "3,3\n" * 10, "s.csv:1: deal_m: the column appears twice"),
        ("s.csv", "deal_m\n3\n3\n", "2 scenarios; give at least 10"),
        ("s.csv", "", "no header"),
        ("s.yaml", "deal_m: 3\n", "s.yaml:1: deal_m: a list of numbers"),
        ("s.yaml", "deal_m: [3, 3, 3,\n  3, x, 3, 3, 3, 3, 3]\n", "s.yaml:2: deal_m: 'x' is not a number"),
        ("s.yaml", "- 3\n", "a mapping from each belief's name"),
        ("missing.csv", None, "missing.csv: (document): no such file"),
    ],
)
def test_a_bad_scenario_file_is_refused_with_file_line_and_column(cli, deal, tmp_path, name, text, expected):
    path = tmp_path / name
    if text is not None:
        path.write_text(text, encoding="utf-8")
    code, _, err = cli("solve", deal, "--chance", "0.8", "--scenarios", path, "--out", tmp_path / "out")
    assert code == 2 and expected in err, err
    assert "Traceback" not in err and not (tmp_path / "out").exists()


def test_columns_of_different_lengths_are_refused(cli, deal, tmp_path):
    data = small_deal()
    data["beliefs"]["weight"] = {"path": "constituencies.a.weight", "uniform": {"low": 0.5, "high": 1.5}}
    path = tmp_path / "two.yaml"
    path.write_text(dump(data), encoding="utf-8")
    scenarios = tmp_path / "s.yaml"
    scenarios.write_text("deal_m: [3, 3, 3, 3, 3, 3, 3, 3, 3, 3]\nweight: [1, 1, 1, 1, 1, 1, 1, 1, 1, -1, 1]\n")
    code, _, err = cli("acceptance", path, "--scenarios", scenarios, "--no-save")
    assert code == 2 and "s.yaml:2: weight: 11 values, the other columns 10: one value per scenario" in err
    assert "s.yaml:2: weight: -1 is below 0, and constituencies.a.weight cannot be negative" in err


def test_a_column_named_twice_is_the_one_problem_reported(cli, tmp_path):
    data = small_deal()
    data["beliefs"]["weight"] = {"path": "constituencies.a.weight", "uniform": {"low": 0.5, "high": 1.5}}
    path = tmp_path / "two.yaml"
    path.write_text(dump(data), encoding="utf-8")
    scenarios = tmp_path / "s.csv"
    scenarios.write_text("deal_m,weight,deal_m\n" + "3,1,3\n" * 12, encoding="utf-8")
    code, _, err = cli("solve", path, "--chance", "0.8", "--scenarios", scenarios, "--no-save")
    assert code == 2 and "s.csv:1: deal_m: the column appears twice" in err
    assert "values" not in err and "lengths" not in err  # its cells are not counted twice into one column
