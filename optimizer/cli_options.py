"""Options and conventions shared by every ``dealopt`` command.

Exit codes: 0 optimal (or valid), 1 infeasible, 2 invalid input or usage,
3 anything else, 130 interrupted.
"""

from __future__ import annotations

import math

import click

from .errors import each_or_every_problem
from .instance import LoadedInstance, load
from .overrides import parse_assignment

EXIT_INVALID = 2
EXIT_OTHER = 3
EXIT_INTERRUPTED = 130


def debug_option(command):
    """--debug: show full tracebacks for unexpected errors."""
    return click.option("--debug", is_flag=True, help="Show full tracebacks for unexpected errors.")(command)


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


def parse_overrides(assignments) -> list:
    """Parse every --set, reporting all bad ones together."""
    return each_or_every_problem(parse_assignment, assignments)


def load_with_overrides(file, assignments) -> LoadedInstance:
    """Load an instance file with every --set applied; raises InputError listing every problem."""
    return load(file, parse_overrides(assignments))
