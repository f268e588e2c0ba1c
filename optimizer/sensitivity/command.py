"""``dealopt sensitivity FILE``: how far each judgement can move before the recommendation changes.

The main CLI loads it by name when it runs (``optimizer.cli.LAZY_COMMANDS``). Exit codes
and messages are the CLI's (:mod:`optimizer.cli_options`): 0 the analysis finished, 2
invalid input or a path that is not a number of the model (nothing solved), 3 a solve that
proved neither an optimum nor infeasibility. ``--json`` prints one object with ``status``,
``message``, ``run`` and ``intervals``.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..cli_options import Command, json_option, load_with_overrides, set_option
from ..save import check_replaceable, write_folder

DEFAULT_FOLDER = "results/{name}-sensitivity"


@click.command("sensitivity", cls=Command)
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--path",
    "paths",
    multiple=True,
    metavar="PATH",
    help="A number of the model to analyse, e.g. constituencies.farmers.weight. Repeatable. "
    "Default: every number marked 'judgement: true' in the instance's provenance.",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Results folder to write: sensitivity.{parquet,csv,md,json} and tornado.{png,svg} "
    "(default: results/<instance name>-sensitivity/).",
)
@set_option
@json_option
def sensitivity_command(file, paths, out, assignments, as_json):
    """For each judgement (or --path), the interval it can move in before the recommendation changes.

    The recommendation is the offer, the levers used, the options picked and the integer
    levers' amounts. Each end is bracketed to 1e-6 x max(1, |end|) by two verified solves
    with different recommendations, or stops at a limit of the spec, which it names.
    """
    from .analysis import analyse
    from .outputs import MARKER, files, markdown, to_dict
    from .search import SensitivityError

    loaded = load_with_overrides(file, assignments)
    target = out if out is not None else Path(DEFAULT_FOLDER.format(name=loaded.instance.name))
    check_replaceable(target, MARKER)
    try:
        found = analyse(loaded, list(paths) or None)
    except SensitivityError as err:  # a solve the analysis cannot rest on: exit 3, nothing written
        raise click.ClickException(f"{err}; nothing was written") from None
    write_folder(target, files(found), MARKER)
    click.echo(markdown(found), err=as_json)
    click.echo(f"sensitivity written to {target}", err=True)
    if as_json:
        click.echo(json.dumps(to_dict(found), allow_nan=False))
