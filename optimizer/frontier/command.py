"""The ``dealopt frontier`` command, loaded by the main CLI when it runs.

Exit codes are the CLI's (:mod:`optimizer.cli_options`): 0 a certified frontier (also when
no agreement beats walking away) or a partial one (--max-points: every point shown is proved,
the rest was not sought), 2 invalid input or usage (no ``counterpart:`` section, no
disagreement point), 3 solver trouble.

``--genius DOMAIN OURS THEIRS`` imports a GENIUS or GeniusWeb domain into a temporary instance
first (docs/genius.md) and names the results folder after the domain. An additive discrete
domain's frontier is then merged issue by issue (:mod:`optimizer.genius.frontier`), which the
benchmark measured far faster than the MILP walk; any other instance is walked by MILPs.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import click

from ..cli_options import Command, json_option, load_with_overrides, set_option


@click.command("frontier", cls=Command)
@click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--genius",
    nargs=3,
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="DOMAIN OURS THEIRS",
    help="Import a GENIUS (XML) or GeniusWeb (JSON) domain and our and their profiles instead of FILE.",
)
@click.option(
    "--semantics",
    type=click.Choice(["genius", "negmas"]),
    default="genius",
    show_default=True,
    help="With --genius: whose reading of the files to follow (docs/genius.md).",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write the tables and the plot to (default: results/<instance name>_frontier/).",
)
@click.option("--offer", metavar="T", help="The frontier of one tier T only (default: every offer but walking away).")
@click.option(
    "--max-points",
    type=click.IntRange(min=2),
    default=500,
    show_default=True,
    help="At most this many points; beyond, a partial frontier spread evenly in the counterpart's value.",
)
@click.option("--no-save", is_flag=True, help="Write no folder.")
@set_option
@json_option
def frontier_command(file, genius, semantics, out, offer, max_points, no_save, assignments, as_json):
    """The Pareto frontier of our value against the counterpart's, certified, with the Nash,
    Kalai–Smorodinsky and egalitarian packages."""
    from ..api import describe_run
    from ..save import check_replaceable
    from ..solver import SolveOptions
    from .report import frontier_summary

    started = time.perf_counter()
    if (file is None) == (not genius):
        raise click.UsageError("give an instance FILE or --genius DOMAIN OURS THEIRS, not both")
    loaded = _genius_instance(genius, semantics, assignments) if genius else load_with_overrides(file, assignments)
    target = out if out is not None else Path("results") / f"{loaded.instance.name}_frontier"
    if not no_save:
        check_replaceable(target)
    options = SolveOptions()
    if offer is None:
        from ..genius.frontier import best_analysis

        analysis, extra = best_analysis(loaded, options, max_points=max_points)
    else:
        from .analysis import analyse

        analysis, extra = analyse(loaded, options, offer=offer, max_points=max_points), {}
    run = describe_run(loaded, options) | {"total_seconds": time.perf_counter() - started}
    summary = analysis.to_dict(run) | extra
    click.echo(frontier_summary(analysis), err=as_json)
    if not no_save:
        from .report import write_frontier_folder

        write_frontier_folder(analysis, summary, target)
        click.echo(f"frontier tables and plot written to {target}", err=True)
    if as_json:
        click.echo(json.dumps(summary, allow_nan=False))
    raise SystemExit(analysis.exit_code)


def _genius_instance(genius, semantics: str, assignments):
    """The instance of a GENIUS domain and two profiles, loaded as if from a file named after the domain."""
    import tempfile

    from ..genius.command import imported
    from ..yamlfile import dump

    domain, ours, theirs = genius
    data = imported(domain, ours, theirs, semantics)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{data['name']}.yaml"
        path.write_text(dump(data), encoding="utf-8")
        return load_with_overrides(path, assignments)


COMMANDS = (frontier_command,)
"""The commands this module defines (the main CLI loads them by name: ``optimizer.cli.LAZY_COMMANDS``)."""
