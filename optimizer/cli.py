"""The ``dealopt`` command line: a thin layer over the Python API.

Exit codes (:class:`optimizer.status.ExitCode`): 0 optimal or valid, 1
infeasible, 2 invalid input or usage, 3 time limit, solver error, failed
verification or internal error, 130 interrupted. Every command's failures go
through one error boundary (:mod:`optimizer.cli_options`); tracebacks only with
``--debug``.

Start-up stays fast: this module imports only click and the shared options.
A command defined here imports what it needs when it runs, and the commands
of other modules are imported only when they run or their help is asked for
(:class:`LazyGroup`).
"""

from __future__ import annotations

import importlib
import json
import logging
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from . import __version__
from .chance.options import chance_options, refuse_unused_sampling
from .cli_options import (
    NOTHING_DONE,
    Command,
    exit_code_for,
    json_option,
    load_with_overrides,
    not_nan,
    set_option,
    show_problems,
    time_limit_value,
)
from .errors import InputError
from .status import ExitCode

if TYPE_CHECKING:
    from rich.console import Console

    from .explain import Diagnosis
    from .result import Result

LAZY_COMMANDS = {
    "explain": ("optimizer.explain.command", "explain_command", "Explain the optimum: what binds, prices, who pays."),
    "alternatives": (
        "optimizer.explain.command",
        "alternatives_command",
        "Show the K best structurally different packages side by side.",
    ),
    "sweep": ("optimizer.sweep.command", "sweep_command", "Solve every scenario of a sweep SPEC, resumably."),
    "review": ("optimizer.review.command", "review_command", "Show a results folder: tables, switch points, plots."),
    "compare": ("optimizer.review.command", "compare_command", "Compare two answers side by side."),
    "report": ("optimizer.review.command", "report_command", "Write one self-contained HTML report of a folder."),
    "convert": ("optimizer.workbook", "convert_command", "Turn a filled workbook into an instance file."),
    "frontier": ("optimizer.frontier.command", "frontier_command", "The bargaining frontier and the Nash point."),
    "sensitivity": (
        "optimizer.sensitivity.command",
        "sensitivity_command",
        "How far each judgement can move before the advice changes.",
    ),
    "acceptance": ("optimizer.chance.command", "acceptance_command", "The cost–probability curve of acceptance."),
    "import-genius": ("optimizer.genius.command", "import_genius_command", "Import a GENIUS or GeniusWeb domain."),
    "export-genius": ("optimizer.genius.command", "export_genius_command", "Write an instance as a GENIUS domain."),
}
"""Commands defined in other modules: name -> (module, attribute, the one line ``dealopt --help`` shows)."""


class LazyGroup(click.Group):
    """A group that imports a command's module only when the command runs or its help is asked for."""

    def __init__(self, *args, lazy: dict[str, tuple[str, str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.lazy = lazy

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *self.lazy})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in self.commands or name not in self.lazy:
            return self.commands.get(name)
        module, attribute, short_help = self.lazy[name]
        command = getattr(importlib.import_module(module), attribute)
        command.short_help = short_help
        _pyomo_logs_to_stderr()  # the command's module may have imported Pyomo
        self.add_command(command, name)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list of ``dealopt --help``, without importing any lazy command."""
        names = self.list_commands(ctx)
        limit = formatter.width - 6 - max(map(len, names))  # as click lays it out
        rows = [
            (name, self.lazy[name][2] if name in self.lazy else self.commands[name].get_short_help_str(limit))
            for name in names
        ]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup, lazy=LAZY_COMMANDS, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="dealopt")
def app():
    """dealopt: the least-political-cost package of concessions the other side will accept.

    Solve instance files, sweep parameters, review result tables.
    """


@app.command(cls=Command)
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
def validate(files):
    """Check instance files (and sweep specs) without solving; exit 0 when all are valid."""
    invalid = 0
    for file in files:
        try:
            summary, warnings = _validate_file(file)
        except InputError as err:
            invalid += 1
            show_problems(err.problems)
            continue
        click.echo(f"ok: {file} ({summary})")
        show_problems(warnings, "warning")
    raise SystemExit(ExitCode.INVALID if invalid else ExitCode.OK)


def _validate_file(file: Path) -> tuple[str, list]:
    """A one-line summary and the warnings of a valid instance file or sweep spec; raises InputError."""
    from .instance import load
    from .sweep.recognise import is_sweep_spec
    from .yamlfile import read_file

    if is_sweep_spec(read_file(file).data):
        from .sweep.runner import validate_sweep

        plan = validate_sweep(file)
        return f"sweep of {plan.base.instance.name}: {len(plan.scenarios)} scenarios, all valid", plan.warnings
    instance = (loaded := load(file)).instance
    counts = (
        f"{len(instance.levers)} levers, {len(instance.constituencies)} constituencies, {len(instance.metrics)} metrics, "
        f"{len(instance.offer_items)} offers, {len(instance.red_lines)} red lines"
    )
    return f"{instance.name}: {counts}", loaded.warnings


@app.command(cls=Command)
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Results folder (default: results/<instance name>/).",
)
@set_option
@click.option(
    "--time-limit",
    type=click.FloatRange(min=0, min_open=True),
    callback=time_limit_value,
    help="Stop HiGHS after this many seconds and report the best package found (inf: no limit).",
)
@click.option(
    "--gap",
    type=click.FloatRange(min=0, max=1),
    callback=not_nan,
    default=1e-9,
    show_default=True,
    help="Relative MIP gap that counts as optimal.",
)
@json_option
@click.option("--no-save", is_flag=True, help="Do not write a results folder.")
@click.option(
    "--no-brief",
    is_flag=True,
    help="Do not write brief.json and brief.md (the negotiation brief, which re-solves to price and compare).",
)
@click.option(
    "--brief-with",
    metavar="LIST",
    help="Add these analyses to the brief, each when the instance has what it needs: acceptance (beliefs), "
    "frontier (a counterpart section), sensitivity (judgements), comma-separated, or all. Each re-solves many times.",
)
@chance_options
def solve(
    file,
    out,
    assignments,
    time_limit,
    gap,
    as_json,
    no_save,
    no_brief,
    chance,
    samples,
    seed,
    scenarios,
    robust,
    brief_with,
):
    """Solve an instance file: find, verify and explain the least-cost acceptable package."""
    from .brief.analyses import requested_analyses
    from .display import make_console
    from .outcome import solve_outcome
    from .save import check_replaceable, default_results_dir, save_result
    from .solver import SolveOptions

    _pyomo_logs_to_stderr()
    refuse_unused_sampling(chance, robust)
    try:
        briefed = not (no_save or no_brief or chance is not None or robust is not None)
        analyses = requested_analyses(brief_with, briefed)
        loaded = load_with_overrides(file, assignments)
        if not no_save:
            check_replaceable(out if out is not None else default_results_dir(loaded.instance.name))
    except InputError as err:
        err.note = NOTHING_DONE
        raise
    console = make_console(stderr=as_json)
    if chance is not None or robust is not None:
        from .chance.command import finish_under_uncertainty

        finish_under_uncertainty(
            loaded,
            SolveOptions(time_limit=time_limit, gap=gap),
            chance,
            robust,
            samples,
            seed,
            as_json,
            scenarios=scenarios,
            out=out,
            no_save=no_save,
        )
    outcome = solve_outcome(
        loaded, SolveOptions(time_limit=time_limit, gap=gap), brief=not (no_save or no_brief), analyses=analyses
    )
    for note in outcome.notes:
        console.print(note)
    try:
        saved = (
            None
            if no_save
            else save_result(
                outcome.result, out, diagnosis=outcome.diagnosis, brief=outcome.brief, acceptance=outcome.acceptance
            )
        )
    except InputError as err:  # found only on writing: a read-only or vanished file system
        err.note = "solved, but nothing was written"
        raise
    _finish(outcome.result, console, as_json, saved, outcome.diagnosis, outcome.acceptance)


@app.command(cls=Command)
@click.argument("name")
@click.option(
    "--dir",
    "folder",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="Folder to write NAME.yaml (or NAME.xlsx) into.",
)
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@click.option(
    "--template",
    type=click.Choice(["yaml", "xlsx"]),
    default="yaml",
    show_default=True,
    help="yaml: a commented instance file; xlsx: a workbook to fill, then `dealopt convert NAME.xlsx` "
    "(needs the xlsx extra).",
)
def init(name, folder, force, template):
    """Write NAME.yaml, a commented starter instance that validates and solves, or NAME.xlsx to fill in."""
    if template == "xlsx":
        from .workbook import write_template

        path = write_template(name, folder, overwrite=force)
        click.echo(f"wrote {path}; fill it in, then: dealopt convert {path} -o {path.with_suffix('.yaml')}")
        raise SystemExit(0)
    from .starter import write_starter

    path = write_starter(name, folder, overwrite=force)
    click.echo(f"wrote {path}; next: dealopt validate {path} && dealopt solve {path}")
    raise SystemExit(0)


@app.command(cls=Command)
@click.option("--json", "as_json", is_flag=True, help="Print the JSON Schema of instance files (for editors).")
@click.option(
    "--write",
    "folder",
    type=click.Path(file_okay=False, path_type=Path),
    help="Regenerate instance-format.md and instance.schema.json in this folder.",
)
def schema(as_json, folder):
    """Print the instance-format reference generated from the schema (Markdown by default)."""
    from .docs import instance_format_markdown, json_schema, write_docs

    if folder is not None:
        for path in write_docs(folder):
            click.echo(f"wrote {path}")
    else:
        click.echo(json_schema() if as_json else instance_format_markdown(), nl=False)
    raise SystemExit(0)


@app.command(cls=Command)
@click.option(
    "--instances",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=Path("instances"),
    show_default=True,
    help="Folder of instance files to solve.",
)
@click.option(
    "--results",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("results"),
    show_default=True,
    help="Folder that receives results/<name>/ for each instance.",
)
@click.option(
    "--check",
    is_flag=True,
    help="Do not write: exit 3 when a committed result no longer agrees with a fresh solve, "
    "or an optimum rests on a lever bound not marked a real limit.",
)
def reference(instances, results, check):
    """Regenerate (or --check) the committed reference results of every shipped instance."""
    from .formatting import fmt
    from .reference import check_reference, load_instances, regenerate

    _pyomo_logs_to_stderr()
    try:
        if check:
            loaded = load_instances(instances)
        else:
            solved = regenerate(instances, results)
    except InputError as err:
        err.note = NOTHING_DONE
        raise
    if not check:
        for result in solved:
            click.echo(f"{result.instance.name}: {result.status} {fmt(result.objective)}")
        raise SystemExit(ExitCode.OK)
    stale = 0
    for item in loaded:
        comparison = check_reference(item, results)
        stale += not comparison.agrees
        click.echo(f"{comparison.name}: {'agrees' if comparison.agrees else '; '.join(comparison.differences)}")
    raise SystemExit(ExitCode.FAILED if stale else ExitCode.OK)


def _at_most_generated_levers(context, parameter, value: int) -> int:
    """--levers: at most what an instance file may hold (the limit lives with the generator)."""
    from .generate import MAX_GENERATED_LEVERS

    if value > MAX_GENERATED_LEVERS:
        raise click.BadParameter(
            f"{value:,} is not in the range 8<=x<={MAX_GENERATED_LEVERS:,}: larger files exceed "
            "what an instance file may hold"
        )
    return value


@app.command(cls=Command)
@click.option(
    "--levers",
    type=click.IntRange(min=8),
    callback=_at_most_generated_levers,
    default=500,
    show_default=True,
    help="Number of levers, from 8 to the most whose file dealopt still reads (a larger number is refused "
    "with the limit).",
)
@click.option(
    "--seed", type=int, default=0, show_default=True, help="Random seed: the same seed gives the same instance."
)
@click.option(
    "--counterpart",
    is_flag=True,
    help="Add a counterpart: section (its value of each metric and each tier's cost to it), for `dealopt frontier`.",
)
@click.option(
    "--out", type=click.Path(dir_okay=False, path_type=Path), help="Write the instance to this file (default: stdout)."
)
def generate(levers, seed, counterpart, out):
    """Write a generated instance: every red-line kind and every lever kind of a negotiation, feasible by
    construction (for benchmarks)."""
    from .generate import generate_instance
    from .yamlfile import dump

    flag = " --counterpart" if counterpart else ""
    header = (
        f"# Generated by `dealopt generate --levers {levers} --seed {seed}{flag}` (optimizer/generate.py):\n"
        "# synthetic numbers, feasible by construction, with every lever kind and every red-line kind.\n"
    )
    text = header + dump(generate_instance(levers=levers, seed=seed, counterpart=counterpart))
    if out is None:
        click.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")
        click.echo(f"wrote {out}", err=True)
    raise SystemExit(0)


def _finish(
    result: Result,
    console: Console,
    as_json: bool,
    saved: Path | None,
    diagnosis: Diagnosis | None,
    acceptance: list[dict] | None = None,
):
    """Show a solved result (its diagnosis, each tier's chance of accepting it), print its JSON when asked, exit."""
    from .display import show_result
    from .formatting import fmt
    from .save import summary_of

    show_result(result, console)
    if diagnosis is not None:
        from rich.markdown import Markdown

        console.print(Markdown(diagnosis.to_markdown()))
    if acceptance is not None:
        chances = ", ".join(
            f"{row['offer']} {fmt(row['probability'])} ({row['probability_method']})" for row in acceptance
        )
        console.print(f"chance that each tier accepts this package, from the beliefs: {chances}")
    if saved is not None:
        console.print(f"results written to {saved}")
    if as_json:
        click.echo(json.dumps(summary_of(result, diagnosis, acceptance), allow_nan=False))
    raise SystemExit(result.exit_code)


def main(argv: list[str] | None = None) -> int:
    """Run ``dealopt ARGV`` and return its exit code; what fails before a command runs (usage) goes through
    the same error boundary as a command's failures."""
    args = list(sys.argv[1:] if argv is None else argv)
    _pyomo_logs_to_stderr()
    try:
        code = app.main(args=args, prog_name="dealopt", standalone_mode=False)
    except SystemExit as done:
        return done.code if isinstance(done.code, int) else 0
    except click.exceptions.Exit as done:
        return done.exit_code
    except BaseException as err:  # noqa: BLE001 - usage errors and interruptions while parsing
        return exit_code_for(err, as_json="--json" in args, debug="--debug" in args)
    return code if isinstance(code, int) else 0  # click returns the code of ctx.exit() when not standalone


class _CurrentStderr:
    """Whatever ``sys.stderr`` is when a log record is written."""

    def write(self, text: str) -> int:
        return sys.stderr.write(text)

    def flush(self) -> None:
        sys.stderr.flush()


def _pyomo_logs_to_stderr() -> None:
    """Pyomo's own handler logs to stdout, which belongs to results (and to the one object of --json)."""
    for handler in logging.getLogger("pyomo").handlers:
        if isinstance(handler, logging.StreamHandler) and not isinstance(handler.stream, _CurrentStderr):
            handler.setStream(_CurrentStderr())


def run() -> None:
    """The console script: like any Unix filter, end quietly when the reader closes the pipe.

    With SIGPIPE at its default, ``dealopt solve X | head -1`` stops with the shell's usual
    status for it (141) instead of a traceback or an exit code that means something else.
    """
    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    sys.exit(main())
