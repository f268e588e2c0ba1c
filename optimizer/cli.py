"""The ``dealopt`` command line: a thin layer over the Python API.

Exit codes: 0 optimal (or valid), 1 infeasible, 2 invalid input or usage,
3 anything else (time limit, solver error, failed verification, internal
error), 130 interrupted. Tracebacks only with ``--debug``.
"""

from __future__ import annotations

import json
import logging
import signal
import sys
import traceback
from pathlib import Path

import click
from rich.console import Console
from rich.markdown import Markdown

from . import __version__
from .api import invalid_result, solve_loaded
from .cli_options import (
    EXIT_INTERRUPTED,
    EXIT_INVALID,
    EXIT_OTHER,
    debug_option,
    json_option,
    load_with_overrides,
    not_nan,
    set_option,
    time_limit_value,
)
from .display import make_console, show_problems, show_result
from .docs import instance_format_markdown, json_schema, write_docs
from .errors import InputError, Problem
from .explain import Diagnosis, SolveFailed, diagnose
from .explain.command import COMMANDS as EXPLAIN_COMMANDS
from .formatting import fmt
from .generate import MAX_GENERATED_LEVERS, generate_instance
from .instance import load
from .reference import compare, load_instances, regenerate, solve_reference
from .result import Result
from .review.command import COMMANDS as REVIEW_COMMANDS
from .save import check_replaceable, save_result, summary_of
from .solver import SolveOptions
from .starter import write_starter
from .status import Status
from .sweep import is_sweep_spec, validate_sweep
from .sweep.command import sweep_command
from .yamlfile import dump, read_file


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="dealopt")
def app():
    """dealopt: the least-political-cost package of concessions the other side will accept.

    Solve instance files, sweep parameters, review result tables.
    """


@app.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@debug_option
def validate(files, debug):
    """Check instance files (and sweep specs) without solving; exit 0 when all are valid."""
    console = make_console()
    invalid = 0
    for file in files:
        try:
            summary, warnings = _validate_file(file)
        except InputError as err:
            invalid += 1
            show_problems(err.problems)
            continue
        console.print(f"ok: {file} ({summary})")
        show_problems(warnings, "warning")
    raise SystemExit(EXIT_INVALID if invalid else 0)


def _validate_file(file: Path) -> tuple[str, list]:
    """A one-line summary and the warnings of a valid instance file or sweep spec; raises InputError."""
    if is_sweep_spec(read_file(file).data):
        plan = validate_sweep(file)
        return f"sweep of {plan.base.instance.name}: {len(plan.scenarios)} scenarios, all valid", plan.warnings
    instance = (loaded := load(file)).instance
    counts = (
        f"{len(instance.levers)} levers, {len(instance.constituencies)} constituencies, {len(instance.metrics)} metrics, "
        f"{len(instance.offer_items)} offers, {len(instance.red_lines)} red lines"
    )
    return f"{instance.name}: {counts}", loaded.warnings


@app.command()
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
@debug_option
def solve(file, out, assignments, time_limit, gap, as_json, no_save, debug):
    """Solve an instance file: find, verify and explain the least-cost acceptable package."""
    console = make_console(stderr=as_json)
    try:
        loaded = load_with_overrides(file, assignments)
        if not no_save:
            check_replaceable(out if out is not None else Path("results") / loaded.instance.name)
    except InputError as err:
        _finish(invalid_result(err), console, as_json, saved=None)
    options = SolveOptions(time_limit=time_limit, gap=gap)
    result = solve_loaded(loaded, options)
    diagnosis = _diagnose(loaded, options, console) if result.status == Status.INFEASIBLE else None
    try:
        saved = None if no_save else save_result(result, out, diagnosis=diagnosis)
    except InputError as err:  # found only on writing: a read-only or vanished file system
        _finish(invalid_result(err), console, as_json, saved=None, note="solved, but nothing was written")
    _finish(result, console, as_json, saved, diagnosis)


def _diagnose(loaded, options: SolveOptions, console: Console) -> Diagnosis | None:
    """Why nothing is acceptable; None (with a note) when HiGHS cannot settle it in time."""
    try:
        return diagnose(loaded, options)
    except SolveFailed as err:
        console.print(f"no diagnosis: {err}")
        return None


@app.command()
@click.argument("name")
@click.option(
    "--dir",
    "folder",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="Folder to write NAME.yaml into.",
)
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@debug_option
def init(name, folder, force, debug):
    """Write NAME.yaml: a commented starter instance that validates and solves."""
    try:
        path = write_starter(name, folder, overwrite=force)
    except InputError as err:
        show_problems(err.problems)
        raise SystemExit(EXIT_INVALID) from None
    click.echo(f"wrote {path}; next: dealopt validate {path} && dealopt solve {path}")
    raise SystemExit(0)


@app.command()
@click.option("--json", "as_json", is_flag=True, help="Print the JSON Schema of instance files (for editors).")
@click.option(
    "--write",
    "folder",
    type=click.Path(file_okay=False, path_type=Path),
    help="Regenerate instance-format.md and instance.schema.json in this folder.",
)
@debug_option
def schema(as_json, folder, debug):
    """Print the instance-format reference generated from the schema (Markdown by default)."""
    if folder is not None:
        for path in write_docs(folder):
            click.echo(f"wrote {path}")
    else:
        click.echo(json_schema() if as_json else instance_format_markdown(), nl=False)
    raise SystemExit(0)


@app.command()
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
    "--check", is_flag=True, help="Do not write: exit 3 when a committed result no longer agrees with a fresh solve."
)
@debug_option
def reference(instances, results, check, debug):
    """Regenerate (or --check) the committed reference results of every shipped instance."""
    console = make_console()
    try:
        if check:
            loaded = load_instances(instances)
        else:
            solved = regenerate(instances, results)
    except InputError as err:
        show_problems(err.problems)
        console.print("nothing was solved or written")
        raise SystemExit(EXIT_INVALID) from None
    if not check:
        for result in solved:
            console.print(f"{result.instance.name}: {result.status} {fmt(result.objective)}")
        raise SystemExit(0)
    stale = 0
    for item in loaded:
        comparison = compare(solve_reference(item), results / item.instance.name)
        stale += not comparison.agrees
        console.print(f"{comparison.name}: {'agrees' if comparison.agrees else '; '.join(comparison.differences)}")
    raise SystemExit(EXIT_OTHER if stale else 0)


@app.command()
@click.option(
    "--levers",
    type=click.IntRange(min=8, max=MAX_GENERATED_LEVERS),
    default=500,
    show_default=True,
    help=f"Number of levers (8 to {MAX_GENERATED_LEVERS:,}: larger files exceed what an instance file may hold).",
)
@click.option(
    "--seed", type=int, default=0, show_default=True, help="Random seed: the same seed gives the same instance."
)
@click.option(
    "--out", type=click.Path(dir_okay=False, path_type=Path), help="Write the instance to this file (default: stdout)."
)
@debug_option
def generate(levers, seed, out, debug):
    """Write a generated instance: every lever and red-line kind, feasible by construction (for benchmarks)."""
    header = (
        f"# Generated by `dealopt generate --levers {levers} --seed {seed}` (optimizer/generate.py):\n"
        "# synthetic numbers, feasible by construction, with every lever kind and every red-line kind.\n"
    )
    text = header + dump(generate_instance(levers=levers, seed=seed))
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
    diagnosis: Diagnosis | None = None,
    note: str = "nothing was solved or written",
):
    if result.status == Status.INVALID:
        show_problems(result.errors)
        console.print(note)
    else:
        show_result(result, console)
        if diagnosis is not None:
            console.print(Markdown(diagnosis.to_markdown()))
        if saved is not None:
            console.print(f"results written to {saved}")
    if as_json:
        click.echo(json.dumps(summary_of(result, diagnosis), allow_nan=False))
    raise SystemExit(result.exit_code)


for command in (*EXPLAIN_COMMANDS, sweep_command, *REVIEW_COMMANDS):
    app.add_command(command)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script: maps every outcome to an exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    as_json = "--json" in args
    _pyomo_logs_to_stderr()
    try:
        code = app.main(args=args, prog_name="dealopt", standalone_mode=False)
    except SystemExit as done:
        return done.code if isinstance(done.code, int) else 0
    except click.exceptions.Exit as done:
        return done.exit_code
    except click.UsageError as err:
        if as_json:
            usage = InputError([Problem("", None, "", err.format_message())])
            click.echo(json.dumps(invalid_result(usage).to_dict()))
        err.show()
        return EXIT_INVALID
    except click.ClickException as err:
        err.show()
        return EXIT_OTHER
    except (KeyboardInterrupt, click.exceptions.Abort):
        click.echo("interrupted", err=True)
        if as_json:
            click.echo(json.dumps(Result(None, Status.ERROR, message="interrupted").to_dict()))
        return EXIT_INTERRUPTED
    except Exception as err:  # noqa: BLE001 - the last line of defence: no traceback unless --debug
        if debug:
            traceback.print_exc()
        if as_json:
            click.echo(json.dumps(Result(None, Status.ERROR, message=f"internal error: {err}").to_dict()))
        click.echo(f"dealopt: internal error: {type(err).__name__}: {err} (run with --debug for details)", err=True)
        return EXIT_OTHER
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
