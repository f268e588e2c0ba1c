"""The ``dealopt explain`` and ``dealopt alternatives`` commands, loaded by the main CLI when they run.

Exit codes and error messages are the CLI's (:mod:`optimizer.cli_options`):
0 an optimal package, 1 nothing acceptable, 2 invalid input or usage, 3
anything else. ``--json`` prints one object with ``status``, ``message`` and
``run``. ``explain`` adds the keys of ``solve --json``, with their meaning, and
its price tables under ``prices``; ``alternatives`` adds the list
``alternatives`` of ``{offer, objective, changes, package, verified}``, the
``shortfall`` (why fewer were found than asked, or "") and its comparison
tables under ``tables``.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..api import describe_run
from ..cli_options import Command, json_option, load_with_overrides, set_option
from ..formatting import fmt, markdown_table, plain_records
from ..save import check_replaceable, default_results_dir, save_result
from ..solver import SolveOptions
from .alternatives import DEFAULT_DIVERSE_WITHIN, DEFAULT_K, DEFAULT_TAU, WITHIN_CAP, Alternatives, alternatives
from .explanation import Explanation, explain
from .words import package_text


@click.command("explain", cls=Command)
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Results folder to write: what solve writes, plus explain.md and its tables (default: results/<instance name>/).",
)
@set_option
@json_option
def explain_command(file, out, assignments, as_json):
    """Explain the optimum: what binds it, what each threshold and red line costs, who pays.

    When no package is acceptable, diagnose why: the conflicting thresholds and
    red lines, and the least relaxations that restore a package.
    """
    loaded = load_with_overrides(file, assignments)
    target = out if out is not None else default_results_dir(loaded.instance.name)
    check_replaceable(target)
    explanation = explain(loaded)
    save_result(explanation.result, target, explanation.files(), diagnosis=explanation.diagnosis)
    click.echo(explanation.to_markdown(), err=as_json)
    click.echo(f"results and explain.md written to {target}", err=True)
    if as_json:
        click.echo(json.dumps(explain_json(explanation), allow_nan=False))
    raise SystemExit(explanation.status.exit_code)


def explain_json(explanation: Explanation) -> dict:
    """The object of ``solve --json`` for the explained result, with the price tables under ``prices``.

    ``red_lines`` keeps solve's meaning (each red line's state in the package); what each
    threshold and red line costs is ``prices["thresholds"]`` and ``prices["red_lines"]``.
    """
    own = explanation.to_dict()
    out = explanation.result.to_dict()
    out["prices"] = {name: own[name] for name in explanation.tables}
    out |= {key: own[key] for key in ("runner_up", "diagnosis") if key in own}
    return out


@click.command("alternatives", cls=Command)
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-k",
    "k",
    type=click.IntRange(min=1),
    help=f"How many packages to show at most (default {DEFAULT_K}; {WITHIN_CAP} with --within or --diverse).",
)
@click.option(
    "--within",
    type=click.FloatRange(min=0),
    help="Every alternative costing at most the optimum plus PCT% of max(1, |optimum|), up to -k.",
    metavar="PCT",
)
@click.option(
    "--diverse",
    is_flag=True,
    help=f"Within the bound, each next package as far as possible from those before "
    f"(--within defaults to {DEFAULT_DIVERSE_WITHIN:g} here).",
)
@click.option("--per-offer", is_flag=True, help="The best acceptable package for each offer (tier).")
@click.option(
    "--tau",
    type=click.FloatRange(min=0),
    default=DEFAULT_TAU,
    show_default=True,
    help="Least distance between two packages listed: sum of |change|/max over amounts, plus changed "
    "used levers, options and offer.",
)
@set_option
@json_option
def alternatives_command(file, k, within, diverse, per_offer, tau, assignments, as_json):
    """Show packages a negotiator could put on the table instead of the optimum, as changes from it.

    Each is acceptable, not dominated by another package of its offer (no
    constituency pays more, some pay less), distinct (at distance >= --tau from
    every one before it) and verified. See docs/alternatives.md.
    """
    if per_offer and (within is not None or diverse):
        raise click.UsageError("--per-offer lists one package per offer: it takes no --within or --diverse")
    loaded = load_with_overrides(file, assignments)
    options = SolveOptions()
    found = alternatives(loaded, k=k, within=within, diverse=diverse, per_offer=per_offer, tau=tau, options=options)
    if found.found:
        message = f"{len(found.found)} acceptable non-dominated packages, each verified"
        click.echo(alternatives_text(found), err=as_json)
        click.echo(markdown_table(found.tables["side_by_side"]), err=as_json)
        if diverse:
            click.echo(markdown_table(found.tables["distances"]), err=as_json)
        if found.shortfall:
            message += f"; {found.shortfall}"
            click.echo(f"{found.shortfall}.", err=as_json)
    else:
        message = "no acceptable package: run `dealopt explain` for the diagnosis"
        click.echo(message, err=as_json)
    if as_json:
        click.echo(json.dumps(alternatives_json(found, message, describe_run(loaded, options)), allow_nan=False))
    raise SystemExit(found.status.exit_code)


def alternatives_text(found: Alternatives) -> str:
    """The recommendation, then each alternative as its changes from it, with its cost."""
    first = found.found[0]
    lines = [f"Recommendation: {package_text(found.instance, first.package)} (net cost {fmt(first.objective)} points)"]
    for a in found.found[1:]:
        above = a.objective - first.objective
        lines.append(f"{a.rank}. {fmt(a.objective)} points (+{fmt(above)}): {', '.join(found.changes(a))}")
    return "\n".join(lines) + "\n"


def alternatives_json(found: Alternatives, message: str, run: dict) -> dict:
    """The object of ``alternatives --json``: each package as ``solve --json`` states one, and the tables."""
    packages = [
        {
            "offer": a.package.offer,
            "objective": a.objective,
            "changes": found.changes(a) if a.rank > 1 else [],
            "package": a.package.levers(),
            "verified": a.evaluation.acceptable,
        }
        for a in found.found
    ]
    return {
        "status": str(found.status),
        "message": message,
        "mode": found.mode,
        "bound": found.bound,
        "tau": found.tau,
        "shortfall": found.shortfall,
        "alternatives": packages,
        "tables": {name: plain_records(table) for name, table in found.tables.items()},
        "run": run,
    }


COMMANDS = (explain_command, alternatives_command)
"""The commands this module defines (the main CLI loads them by name: ``optimizer.cli.LAZY_COMMANDS``)."""
