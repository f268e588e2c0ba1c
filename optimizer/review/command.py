"""The ``review``, ``compare`` and ``report`` commands: thin click layers over :mod:`optimizer.review`.

The main CLI loads them by name when they run (``optimizer.cli.LAZY_COMMANDS``).
Exit codes and messages are the CLI's (:mod:`optimizer.cli_options`): 0 done,
2 bad input or usage (one line ``where: message``, no traceback; a missing
optional extra, with how to install it), 3 anything else.
"""

from __future__ import annotations

from pathlib import Path

import click
from rich.markdown import Markdown

from ..cli_options import Command
from ..display import make_console, show_result
from ..report import markdown_report
from .compare import cause_text, compare
from .document import Document, compare_document, facts_table
from .folders import ReviewError, read_outcome
from .html_report import html_report
from .output import OUTPUT_FORMATS, markdown_document, pick_tables, show_document, tables_csv, tables_json
from .plots import save_figures
from .switch_points import DEFAULT_REFINE_STEPS
from .views import Review, review_folder
from .xlsx import require_openpyxl, write_workbook

PIPED_FORMATS = ("csv", "json")


def format_option(command):
    return click.option(
        "--format",
        "output",
        type=click.Choice(OUTPUT_FORMATS),
        default="table",
        show_default=True,
        help="table: rich tables for the terminal; markdown, csv or json for piping.",
    )(command)


def scenario_options(command):
    """--where, --sort, --desc, --top and --axes: which scenarios of a sweep to show, in what order, mapped how."""
    decorators = [
        click.option(
            "--where",
            multiple=True,
            metavar="CONDITION",
            help="Sweep only: keep scenarios meeting a condition such as 'farmers.weight > 2' or 'status == optimal' "
            "(a column, or the end of its name; ==, !=, >, >=, <, <=), in every view: brief, tables and figures. "
            "Repeatable: all must hold.",
        ),
        click.option("--sort", metavar="COLUMN", help="Sweep only: sort the scenarios by this column."),
        click.option("--desc", "descending", is_flag=True, help="Sweep only: sort in descending order."),
        click.option(
            "--top",
            type=click.IntRange(min=1),
            metavar="N",
            help="Sweep only: show the first N scenarios (after --where, --sort).",
        ),
        click.option(
            "--axes",
            metavar="PATH_X,PATH_Y",
            help="Sweep only: the two swept paths (or their unique endings) of the offer map "
            "(default: the spec's first two grid paths); one path maps the net cost against it.",
        ),
    ]
    for decorator in reversed(decorators):
        command = decorator(command)
    return command


def refine_options(command):
    """--refine and --refine-steps: narrow each switch point with extra solves."""
    command = click.option(
        "--refine-steps",
        type=click.IntRange(min=1),
        default=DEFAULT_REFINE_STEPS,
        show_default=True,
        help="With --refine: bisection solves per switch point (each halves the interval).",
    )(command)
    return click.option(
        "--refine",
        is_flag=True,
        help="Sweep only: narrow each switch point by bisection, re-solving the base instance, to report the "
        "switch value itself.",
    )(command)


@click.command("review", cls=Command)
@click.argument("folder", type=click.Path(path_type=Path))
@format_option
@click.option(
    "--table", "only", metavar="NAME", help="With --format csv or json: print only this table (e.g. package)."
)
@scenario_options
@refine_options
@click.option("--plots", is_flag=True, help="Also write the figures, PNG and SVG, into FOLDER/plots/.")
@click.option(
    "--xlsx",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write every table into this Excel workbook, one sheet a table (needs: pip install 'dealopt[xlsx]').",
)
def review_command(folder, output, only, where, sort, descending, top, axes, refine, refine_steps, plots, xlsx):
    """Show a results folder: a solve's brief, summary and tables, or a sweep's one-screen brief (which tier
    wins where, switch points, cost range, offer map), then its scenarios, switch points, lever usage and
    cost curves."""
    if only is not None and output not in PIPED_FORMATS:
        raise ReviewError("--table", "works with --format csv or json")
    if xlsx is not None:
        require_openpyxl()
    shown = review_folder(folder, where, sort, descending, top, refine_steps if refine else None, axes)
    _print_review(shown, output, only)
    if plots:
        written = save_figures(shown.figures(), folder / "plots")
        click.echo(f"wrote {len(written)} plot files to {folder / 'plots'}", err=True)
    if xlsx is not None:
        write_workbook({"summary": facts_table(shown.document.facts), **shown.tables}, xlsx)
        click.echo(f"wrote {xlsx}", err=True)


@click.command("compare", cls=Command)
@click.argument("first", metavar="A")
@click.argument("second", metavar="B")
@format_option
@click.option("--only-differences", is_flag=True, help="Show only the rows where A and B differ.")
def compare_command(first, second, output, only_differences):
    """Compare two answers side by side: the inputs that differ (the causes), then package, cost per
    constituency, thresholds.

    A and B are single-solve results folders, or DIR#ID for one scenario of a sweep folder (ID: the id, its
    first characters when no other id starts with them, or the scenario's name).
    """
    (name_a, a), (name_b, b) = read_outcome(first), read_outcome(second)
    table = compare(a, b)
    if only_differences:
        table = table[table["differs"]]
    document = compare_document((name_a, name_b), table)
    document.facts.append(("inputs that differ", cause_text(table)))
    _print_document(document, {"compare": table}, output, {"kind": "compare", "a": name_a, "b": name_b})


@click.command("report", cls=Command)
@click.argument("folder", type=click.Path(path_type=Path))
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The HTML file to write (default: FOLDER/report.html).",
)
@scenario_options
@refine_options
def report_command(folder, out, where, sort, descending, top, axes, refine, refine_steps):
    """Write one self-contained HTML report of a results folder: summary, sortable tables and figures."""
    shown = review_folder(folder, where, sort, descending, top, refine_steps if refine else None, axes)
    target = out if out is not None else folder / "report.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(html_report(shown.document, shown.figures()), encoding="utf-8")
    click.echo(f"wrote {target}")


COMMANDS = (review_command, compare_command, report_command)
"""The commands to register on the main ``dealopt`` group."""


def _print_review(shown: Review, output: str, only: str | None) -> None:
    """A single solve prints exactly as ``solve`` did; a sweep prints its document."""
    diagnosis = None if shown.is_sweep else shown.folder.path / "diagnosis.md"
    if not shown.is_sweep and output == "table":
        console = make_console()
        brief = shown.folder.brief
        console.print(Markdown(brief.to_markdown()) if brief is not None else shown.folder.brief_hint)
        show_result(shown.folder.result, console)
        if diagnosis.exists():
            console.print(Markdown(diagnosis.read_text(encoding="utf-8")))
    elif not shown.is_sweep and output == "markdown":
        brief = shown.folder.brief
        click.echo(brief.to_markdown() if brief is not None else f"_{shown.folder.brief_hint}_\n", nl=False)
        click.echo(markdown_report(shown.folder.result), nl=False)
        if diagnosis.exists():
            click.echo("\n" + diagnosis.read_text(encoding="utf-8"), nl=False)
    else:
        if shown.is_sweep and output == "table":
            click.echo("\n".join(shown.brief["lines"]) + "\n")
        folder = shown.folder
        meta = (
            {"kind": "sweep", "manifest": folder.manifest, "brief": shown.brief}
            if shown.is_sweep
            else {"kind": "solve", "summary": folder.summary}
        )
        _print_document(shown.document, pick_tables(shown.tables, only), output, meta)


def _print_document(document: Document, tables: dict, output: str, meta: dict) -> None:
    if output == "table":
        show_document(document, make_console())
    elif output == "markdown":
        click.echo(markdown_document(document), nl=False)
    elif output == "csv":
        click.echo(tables_csv(tables), nl=False)
    else:
        click.echo(tables_json(meta, tables), nl=False)
