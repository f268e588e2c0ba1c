"""Options and conventions shared by every ``dealopt`` command, and the one error boundary.

Every command is a :class:`Command` (``@click.command(cls=Command)``): it has
``--debug``, and whatever it raises goes through :func:`exit_code_for`, the one
place that turns an exception into a message and an exit code
(:class:`optimizer.status.ExitCode`). :func:`optimizer.cli.main` sends what
escapes before a command runs (usage errors) through the same function.

Light on purpose: every command module imports it, and ``dealopt --help``
must not pay for Pyomo, pandas or the schema.
"""

from __future__ import annotations

import json
import math
import sys
import traceback
from collections.abc import Iterable
from typing import TYPE_CHECKING

import click

from .errors import InputError, Problem
from .status import ExitCode, Status

if TYPE_CHECKING:
    from .instance import LoadedInstance

NOTHING_DONE = "nothing was solved or written"
"""Said after the problems of input that was refused before any work."""

_DEBUG = "dealopt.debug"

_LOCATED = (("optimizer.review.folders", "ReviewError"),)
"""Invalid input or usage (exit 2) whose message starts with where it is, like a problem's."""
_INVALID = (("optimizer.review.xlsx", "MissingExtra"), ("optimizer.sweep.store", "FolderBusy"))
"""Invalid input or usage (exit 2): a missing optional extra, a sweep folder held by a running sweep."""
_FAILED = (("optimizer.sweep.runner", "SweepError"),)
"""The work failed, and the message says what to do (exit 3)."""
# Exceptions are named by module so that the boundary never imports a command's dependencies:
# an exception can only be one of these once its module is loaded.


def _is_one_of(err: BaseException, classes) -> bool:
    loaded = (getattr(sys.modules[module], name) for module, name in classes if module in sys.modules)
    return any(isinstance(err, cls) for cls in loaded)


def exit_code_for(err: BaseException, as_json: bool = False, debug: bool = False) -> int:
    """Report ``err`` (stderr, and one JSON object on stdout with ``as_json``) and return its exit code.

    2 for invalid input or usage, 130 for an interruption, 3 for anything else;
    a traceback only with ``debug``.
    """
    if isinstance(err, InputError):
        show_problems(err.problems)
        if err.note:
            click.echo(err.note, err=as_json)
        return _answer(as_json, Status.INVALID, "the input was rejected", err.problems)
    if isinstance(err, click.UsageError):
        err.show()
        return _answer(as_json, Status.INVALID, "the input was rejected", [Problem("", None, "", err.format_message())])
    if isinstance(err, KeyboardInterrupt | click.exceptions.Abort):
        click.echo("interrupted", err=True)
        return _answer(as_json, Status.ERROR, "interrupted", code=ExitCode.INTERRUPTED)
    if debug:
        traceback.print_exception(err)
    if _is_one_of(err, _LOCATED + _INVALID):
        click.echo(str(err) if _is_one_of(err, _LOCATED) else f"dealopt: {err}", err=True)
        return _answer(as_json, Status.INVALID, str(err))
    if isinstance(err, click.ClickException) or _is_one_of(err, _FAILED):
        click.echo(f"dealopt: {err.format_message() if isinstance(err, click.ClickException) else err}", err=True)
        return _answer(as_json, Status.ERROR, str(err))
    click.echo(f"dealopt: internal error: {type(err).__name__}: {err} (run with --debug for details)", err=True)
    return _answer(as_json, Status.ERROR, f"internal error: {err}")


def _answer(as_json: bool, status: Status, message: str, errors=(), code: int | None = None) -> int:
    """Print the one JSON object of a command that failed, when asked; return the exit code."""
    if as_json:
        from .result import Result

        click.echo(json.dumps(Result(None, status, message=message, errors=list(errors)).to_dict()))
    return int(status.exit_code if code is None else code)


class Command(click.Command):
    """A dealopt command: it has ``--debug``, and its failures go through :func:`exit_code_for`."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.params.append(
            click.Option(
                ["--debug"],
                is_flag=True,
                expose_value=False,
                callback=_remember_debug,
                help="Show full tracebacks for unexpected errors.",
            )
        )

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (SystemExit, click.exceptions.Exit):
            raise
        except BaseException as err:  # noqa: BLE001 - the boundary: every failure becomes a message and an exit code
            code = exit_code_for(err, as_json=bool(ctx.params.get("as_json")), debug=ctx.meta.get(_DEBUG, False))
            raise SystemExit(code) from None


def _remember_debug(context: click.Context, parameter, value: bool) -> None:
    context.meta[_DEBUG] = value


def json_option(command):
    """--json: exactly one JSON object on stdout, human output on stderr."""
    return click.option(
        "--json", "as_json", is_flag=True, help="Print exactly one JSON object on stdout; human output goes to stderr."
    )(command)


def time_limit_value(context, parameter, value: float | None) -> float | None:
    """A --time-limit: ``inf`` means none; NaN is a usage error (click's range lets it through)."""
    if value is not None and math.isnan(value):
        raise click.BadParameter("must be a number of seconds, not nan")
    return None if value is None or math.isinf(value) else value


def not_nan(context, parameter, value: float | None) -> float | None:
    """Refuse NaN, which click's FloatRange lets through (every comparison with it is false)."""
    if value is not None and math.isnan(value):
        raise click.BadParameter("must be a number, not nan")
    return value


def set_option(command):
    """--set PATH=VALUE, repeatable: overrides of the normalised instance."""
    return click.option(
        "--set",
        "assignments",
        metavar="PATH=VALUE",
        multiple=True,
        help="Override a value of the normalised instance, e.g. constituencies.farmers.weight=4 "
        "or red_lines.farm_pain.max=25. Repeatable.",
    )(command)


def load_with_overrides(file, assignments: Iterable[str]) -> LoadedInstance:
    """Load an instance file with every --set applied; raises InputError listing every problem."""
    from .errors import each_or_every_problem
    from .instance import load
    from .overrides import parse_assignment

    return load(file, each_or_every_problem(parse_assignment, assignments))


def show_problems(problems: Iterable[Problem], kind: str = "error") -> None:
    """Print problems on stderr, one ``file:line: path: message`` line each (warnings prefixed)."""
    for problem in problems:
        click.echo(str(problem) if kind == "error" else f"{kind}: {problem}", err=True)
