"""One command-line contract: the same exit codes, options and JSON shape in every command, as the README says."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

from optimizer.cli import LAZY_COMMANDS, app
from optimizer.solver import PersistentModel
from optimizer.sweep.store import SweepFolder

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data"
TOY = DATA / "toy.yaml"
LUMPY = DATA / "explain" / "lumpy.yaml"  # nothing is acceptable
GRID = DATA / "sweep" / "toy_grid.yaml"
COMMANDS = sorted(app.list_commands(None))


@pytest.fixture
def toy_folder(cli, tmp_path):
    code, _, err = cli("solve", TOY, "--out", tmp_path / "toy")
    assert code == 0, err
    return tmp_path / "toy"


@pytest.fixture
def bad_instance(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("format: 1\nconstituencies: {}\nmetrics: {}\nlevers: {x: {kind: binary, cost: 1}}\n")
    return path


def broken_solve(self, options):
    raise RuntimeError("unexpected")


# -- exit codes ------------------------------------------------------------------------------


def test_exit_codes_of_solve(cli, tmp_path, bad_instance, monkeypatch):
    assert cli("solve", TOY, "--no-save")[0] == 0
    assert cli("solve", LUMPY, "--no-save")[0] == 1
    assert cli("solve", bad_instance, "--no-save")[0] == 2
    assert cli("solve", TOY, "--gap", "2")[0] == 2  # usage
    monkeypatch.setattr(PersistentModel, "solve", broken_solve)
    code, _, err = cli("solve", TOY, "--no-save")
    assert code == 3 and "internal error" in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (("validate", TOY), 0),
        (("validate", TOY, DATA / "nope.yaml"), 2),
        (("explain", LUMPY, "--out", "{tmp}/e"), 1),
        (("explain", "{bad}"), 2),
        (("alternatives", TOY, "-k", "2"), 0),
        (("alternatives", LUMPY), 1),
        (("alternatives", TOY, "-k", "0"), 2),
        (("init", "9bad", "--dir", "{tmp}"), 2),
        (("schema", "--json"), 0),
        (("reference", "--instances", "{tmp}/none"), 2),
        (("generate", "--levers", "1000000"), 2),
        (("review", "{tmp}/none"), 2),
        (("compare", "{tmp}/a", "{tmp}/b"), 2),
        (("report", "{tmp}/none"), 2),
        (("sweep", "{bad}"), 2),
    ],
    ids=lambda v: v if isinstance(v, int) else " ".join(map(str, v[:2])),
)
def test_exit_codes_mean_the_same_in_every_command(cli, tmp_path, bad_instance, args, code):
    filled = [str(a).format(tmp=tmp_path, bad=bad_instance) for a in args]
    got, out, err = cli(*filled)
    assert got == code, out + err
    assert "Traceback" not in err


def test_a_sweep_folder_held_by_a_running_sweep_is_a_usage_error(cli, tmp_path):
    with SweepFolder(tmp_path):
        code, _, err = cli("sweep", GRID, "--out", tmp_path)
    assert code == 2 and "another sweep" in err


def test_review_xlsx_without_openpyxl_exits_2_with_the_install_hint(cli, toy_folder, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    code, _, err = cli("review", toy_folder, "--xlsx", tmp_path / "t.xlsx", "--format", "csv")
    assert code == 2
    assert "pip install 'dealopt[xlsx]'" in err
    assert not (tmp_path / "t.xlsx").exists()


def test_interrupted_is_130_with_one_json_object(cli, monkeypatch):
    def interrupted(self, options):
        raise KeyboardInterrupt

    monkeypatch.setattr(PersistentModel, "solve", interrupted)
    code, out, err = cli("solve", TOY, "--json", "--no-save")
    assert code == 130 and "interrupted" in err
    assert json.loads(out)["message"] == "interrupted"


# -- --debug ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_accepts_debug(cli, name):
    code, out, err = cli(name, "--debug", "--help")  # an unknown --debug is a usage error, before --help
    assert code == 0, err
    assert "--debug" in out


def test_debug_shows_the_traceback_of_an_unexpected_error(cli, monkeypatch):
    monkeypatch.setattr(PersistentModel, "solve", broken_solve)
    code, _, err = cli("solve", TOY, "--no-save", "--debug")
    assert code == 3 and "Traceback" in err and "RuntimeError: unexpected" in err


def test_debug_on_a_sweep_keeps_input_problems_to_their_lines(cli, bad_instance):
    code, _, err = cli("sweep", bad_instance, "--debug")
    assert code == 2 and "Traceback" not in err


# -- one JSON shape --------------------------------------------------------------------------

SOLVE_KEYS = {"status", "message", "run", "objective", "offer", "package", "verified", "gap"}


def one_object(out: str) -> dict:
    answer = json.loads(out)  # refuses anything but exactly one JSON document
    assert isinstance(answer, dict) and {"status", "message", "run"} <= set(answer), answer
    return answer


def test_solve_json(cli):
    code, out, _ = cli("solve", TOY, "--json", "--no-save")
    answer = one_object(out)
    assert code == 0 and set(answer) >= SOLVE_KEYS
    assert answer["objective"] == pytest.approx(-7.5) and answer["offer"] == "deal_15"
    assert all(isinstance(answer[key], dict) for key in ("metrics", "constituencies", "red_lines"))


def test_explain_json_has_solves_keys_and_its_prices_apart(cli, tmp_path):
    code, out, _ = cli("explain", TOY, "--json", "--out", tmp_path / "e")
    answer = one_object(out)
    code_solve, solved, _ = cli("solve", TOY, "--json", "--no-save")
    solve_answer = one_object(solved)
    assert code == code_solve == 0 and set(answer) >= SOLVE_KEYS
    for key in ("objective", "offer", "package", "verified", "gap", "red_lines", "constituencies", "metrics"):
        assert answer[key] == solve_answer[key], key
    assert {"thresholds", "red_lines", "who_pays"} <= set(answer["prices"])
    assert all("saving" in row for row in answer["prices"]["red_lines"])


def test_alternatives_json_lists_packages_as_solve_states_one(cli):
    code, out, _ = cli("alternatives", TOY, "--within", "100", "--json")
    answer = one_object(out)
    assert code == 0 and answer["run"]["instance"]["name"] == "toy-deal"
    packages = answer["alternatives"]
    assert all(set(p) >= {"offer", "objective", "package", "verified"} for p in packages)
    assert packages[0] == {
        "offer": "deal_15",
        "objective": -7.5,
        "package": {"corn": 5.0, "fund": "small"},
        "verified": True,
        "changes": [],  # the recommendation itself: no change from it
    }


@pytest.mark.parametrize(
    "args",
    [
        ("solve", "{bad}", "--json", "--no-save"),
        ("solve", TOY, "--json", "--time-limit", "-1"),
        ("explain", "{bad}", "--json"),
        ("alternatives", "{bad}", "--json"),
        ("alternatives", TOY, "--json", "-k", "0"),
    ],
    ids=lambda args: " ".join(map(str, args[:2])),
)
def test_refused_input_still_prints_one_object(cli, bad_instance, args):
    code, out, _ = cli(*(str(a).format(bad=bad_instance) for a in args))
    answer = one_object(out)
    assert code == 2 and answer["status"] == "invalid" and answer["errors"]
    assert set(answer) >= SOLVE_KEYS


# -- the README's commands -------------------------------------------------------------------


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    table = text[text.index("| command | what it does |") :].split("\n\n")[0]
    return re.findall(r"^\| `dealopt (\S+)", table, re.MULTILINE)


def test_the_readme_names_every_command():
    assert sorted(readme_commands()) == sorted(COMMANDS)


@pytest.mark.parametrize("name", readme_commands())
def test_each_command_in_the_readme_exists_and_has_help(cli, name):
    code, out, err = cli(name, "--help")
    assert code == 0, err
    assert out.startswith(f"Usage: dealopt {name}")


def test_the_command_list_shows_lazy_commands_without_loading_them(cli):
    code, out, _ = cli("--help")
    assert code == 0
    for name, (_, _, short_help) in LAZY_COMMANDS.items():
        assert re.search(rf"^  {name} +{re.escape(short_help)}$", out, re.MULTILINE), name


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_and_option_has_help(name):
    command = app.get_command(None, name)
    assert command.help, f"dealopt {name} has no help text"
    assert all(param.help for param in command.params if param.param_type_name == "option"), name
