"""The reference docs are generated from the schema; every command and option has help text."""

from pathlib import Path

import click
import pytest

from optimizer.cli import app, main
from optimizer.docs import DOC_FILES
from optimizer.instance import load
from optimizer.starter import starter_text

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("name", sorted(DOC_FILES))
def test_committed_reference_docs_are_up_to_date(name):
    committed = (ROOT / "docs" / name).read_text(encoding="utf-8")
    assert committed == DOC_FILES[name](), f"docs/{name} is stale: run `dealopt schema --write docs`"


def test_every_schema_field_is_documented():
    text = DOC_FILES["instance-format.md"]()
    for line in text.splitlines():
        if line.startswith("| `"):
            meaning = line.rstrip(" |").rsplit("|", 1)[-1].strip()
            assert meaning, f"undocumented field: {line}"


def _commands(group: click.Group, prefix=()):
    for name, command in group.commands.items():
        yield (*prefix, name), command
        if isinstance(command, click.Group):
            yield from _commands(command, (*prefix, name))


@pytest.mark.parametrize(
    "path,command", list(_commands(app)), ids=lambda v: " ".join(v) if isinstance(v, tuple) else ""
)
def test_every_command_and_option_has_help(path, command):
    assert command.help, f"dealopt {' '.join(path)} has no help text"
    for param in command.params:
        if isinstance(param, click.Option):
            assert param.help, f"dealopt {' '.join(path)} {param.opts[0]} has no help text"


def test_help_runs(capsys):
    assert main(["--help"]) == 0
    assert "solve" in capsys.readouterr().out


def test_init_writes_a_starter_that_validates(tmp_path, capsys):
    assert main(["init", "my_deal", "--dir", str(tmp_path)]) == 0
    loaded = load(tmp_path / "my_deal.yaml")
    assert loaded.instance.name == "my_deal"
    assert main(["init", "my_deal", "--dir", str(tmp_path)]) == 2
    assert "exists" in capsys.readouterr().err
    assert main(["init", "9bad", "--dir", str(tmp_path)]) == 2


def test_starter_solves_to_a_deal(tmp_path):
    from optimizer import solve

    path = tmp_path / "s.yaml"
    path.write_text(starter_text("s"), encoding="utf-8")
    result = solve(path)
    assert result.status == "optimal" and result.offer == "deal"
