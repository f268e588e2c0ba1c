"""The ``dealopt explain`` and ``dealopt alternatives`` commands, registered by the main CLI.

Exit codes follow the CLI's: 0 an optimal package, 1 nothing acceptable,
2 invalid input or usage (one ``file:line: path: message`` line per problem),
3 anything else (time limit, solver trouble, failed verification).
"""

from __future__ import annotations

import json
import traceback
from pathlib import Path

import click

from ..cli_options import EXIT_INVALID, EXIT_OTHER, debug_option, json_option, load_with_overrides, set_option
from ..errors import InputError
from ..formatting import markdown_table, plain_records
from ..save import check_replaceable, save_result
from .alternatives import DEFAULT_DIVERSE_WITHIN, DEFAULT_K, alternatives
from .explanation import explain


def _run(work, as_json: bool, debug: bool) -> None:
    """Run ``work`` (which returns an exit code), mapping input problems to 2 and failures to 3."""
    try:
        code = work()
    except InputError as err:
        for problem in err.problems:
            click.echo(str(problem), err=True)
        if as_json:
            click.echo(json.dumps({"status": "invalid", "errors": [p.as_dict() for p in err.problems]}))
        raise SystemExit(EXIT_INVALID) from None
    except Exception as err:  # noqa: BLE001 - reported in one line, the traceback only with --debug
        if debug:
            traceback.print_exc()
        click.echo(f"dealopt: {type(err).__name__}: {err}", err=True)
        if as_json:
            click.echo(json.dumps({"status": "error", "message": str(err)}))
        raise SystemExit(EXIT_OTHER) from None
    raise SystemExit(code)


@click.command("explain")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Results folder to write: what solve writes, plus explain.md and its tables (default: results/<instance name>/).",
)
@set_option
@json_option
@debug_option
def explain_command(file, out, assignments, as_json, debug):
    """Explain the optimum: what binds it, what each threshold and red line costs, who pays.

    When no package is acceptable, diagnose why: the conflicting thresholds and
    red lines, and the least relaxations that restore a package.
    """

    def work() -> int:
        loaded = load_with_overrides(file, assignments)
        target = out if out is not None else Path("results") / loaded.instance.name
        check_replaceable(target)
        explanation = explain(loaded)
        save_result(explanation.result, target, explanation.files(), diagnosis=explanation.diagnosis)
        click.echo(explanation.to_markdown(), err=as_json)
        click.echo(f"results and explain.md written to {target}", err=True)
        if as_json:
            click.echo(json.dumps(explanation.to_dict(), allow_nan=False))
        return explanation.status.exit_code

    _run(work, as_json, debug)


@click.command("alternatives")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-k",
    "k",
    type=click.IntRange(min=1),
    default=DEFAULT_K,
    show_default=True,
    help="How many packages to show at most.",
)
@click.option(
    "--within",
    type=click.FloatRange(min=0),
    help="Only packages costing at most the optimum plus PCT% of max(1, |optimum|).",
    metavar="PCT",
)
@click.option(
    "--diverse",
    is_flag=True,
    help=f"Packages within the bound that differ from each other as much as possible "
    f"(--within defaults to {DEFAULT_DIVERSE_WITHIN:g} here).",
)
@set_option
@json_option
@debug_option
def alternatives_command(file, k, within, diverse, assignments, as_json, debug):
    """Show the K best structurally different acceptable packages side by side, each verified."""

    def work() -> int:
        loaded = load_with_overrides(file, assignments)
        found = alternatives(loaded, k=k, within=within, diverse=diverse)
        if found.found:
            click.echo(markdown_table(found.tables["side_by_side"]), err=as_json)
            click.echo(markdown_table(found.tables["summary"]), err=as_json)
            if diverse:
                click.echo(markdown_table(found.tables["distances"]), err=as_json)
        else:
            click.echo("no acceptable package: run `dealopt explain` for the diagnosis", err=as_json)
        if as_json:
            out = {"status": str(found.status), "mode": found.mode, "bound": found.bound}
            out |= {name: plain_records(table) for name, table in found.tables.items()}
            click.echo(json.dumps(out, allow_nan=False))
        return found.status.exit_code

    _run(work, as_json, debug)


COMMANDS = (explain_command, alternatives_command)
"""The commands to register on the main CLI: ``for command in COMMANDS: app.add_command(command)``."""
