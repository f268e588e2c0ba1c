"""The spec's ``options:`` block: swept chance options, and the checks made before anything is solved.

``options:`` fixes how every scenario is solved (``chance``, ``samples``, ``seed``,
``robust``) and which analyses add columns to its row (``frontier``, ``sensitivity``).
The four chance options may also be swept: ``grid``, ``zip``, ``scenarios`` and ``sample``
reach them as the paths ``options.chance``, ``options.samples``, ``options.seed`` and
``options.robust``. A swept option is an override like any other, so it enters the
scenario's id; the fixed block enters every id through the fingerprint
(:func:`optimizer.sweep.runner.fingerprint`). Two runs with different options therefore
never share a scenario id, and resuming never mixes their answers.

An option path is never applied to the instance: :func:`split` takes it out of a
scenario's overrides, and :func:`scenario_options` merges it into the fixed block.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from ..errors import InputError, Problem, did_you_mean
from ..instance import LoadedInstance
from ..paths import model_numbers
from .spec import LoadedSpec, Options

if TYPE_CHECKING:
    from .scenarios import Scenario

PREFIX = "options."
SWEPT = ("chance", "samples", "seed", "robust")
"""The options a scenario may set (the others are the same for every scenario)."""
WHOLE = ("samples", "seed")
"""Options that take whole numbers: a sample draws whole numbers for them."""


def is_option(path: str) -> bool:
    """True for a path that sets a sweep option rather than a number of the instance."""
    return path.startswith(PREFIX)


def split(overrides: Iterable[tuple[str, Any]]) -> tuple[tuple[tuple[str, Any], ...], dict[str, Any]]:
    """(the overrides applied to the instance, option name -> value of the swept options)."""
    overrides = tuple(overrides)
    instance = tuple((path, value) for path, value in overrides if not is_option(path))
    options = {path.removeprefix(PREFIX): _whole(path, value) for path, value in overrides if is_option(path)}
    return instance, options


def _whole(path: str, value: Any) -> Any:
    """A sampled whole number comes as a float (5.0): samples and seed take it as the int it is."""
    if path.removeprefix(PREFIX) in WHOLE and isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def scenario_options(fixed: Options, swept: dict[str, Any]) -> Options:
    """The options one scenario is solved under: the fixed block with its swept values (already checked)."""
    return fixed.model_copy(update=swept) if swept else fixed


def option_path_problems(loaded: LoadedSpec, uses: list[tuple[str, tuple]]) -> list[Problem]:
    """Each swept ``options.*`` path that is not a swept option, or that the options block also sets."""
    fixed = loaded.spec.options.model_fields_set
    problems = []
    for path, origin in uses:
        if not is_option(path):
            continue
        name = path.removeprefix(PREFIX)
        if name not in SWEPT:
            known = name in Options.model_fields
            problems.append(
                loaded.problem(
                    origin,
                    f"{path} cannot be swept (only {', '.join(PREFIX + s for s in SWEPT)})"
                    if known
                    else f"{path} is not a sweep option{did_you_mean(path, [PREFIX + s for s in SWEPT])}",
                )
            )
        elif name in fixed:
            problems.append(
                loaded.problem(origin, f"{path} is swept and also set in options.{name}; set it in one place")
            )
    return problems


def distinct_options(loaded: LoadedSpec, scenarios: list[Scenario]) -> list[Options]:
    """The distinct options the scenarios are solved under; raise InputError, located at the spec line
    of each value, when a scenario's options are invalid.

    Each distinct combination of swept values is checked once, so a large sweep checks few.
    """
    fixed = loaded.spec.options.model_dump(exclude_unset=True)
    problems: dict[Problem, None] = {}
    checked: dict[tuple, Options] = {(): loaded.spec.options}
    for scenario in scenarios:
        swept = split(scenario.overrides)[1]
        key = tuple(sorted((name, repr(value)) for name, value in swept.items()))
        if key in checked:
            continue
        try:
            checked[key] = Options.model_validate(fixed | swept)
        except ValidationError as err:
            for item in err.errors(include_url=False):
                # an error of one field names it; one across fields (chance with robust) is put at a swept one
                name = next((part for part in item["loc"] if part in swept), None) or next(
                    (part for part in ("robust", "chance") if part in swept and not item["loc"]), None
                )
                origin = scenario.origin_of(PREFIX + name) if name else None
                message = item["msg"].removeprefix("Value error, ") + (
                    f", got {item['input']!r}" if item["loc"] and item["type"] != "value_error" else ""
                )
                where = f" (in {scenario.describe()})" if origin is None else ""
                problems[loaded.problem(origin or ("options",), f"{message}{where}")] = None
    if problems:
        raise InputError(list(problems))
    return list(checked.values())


def base_problems(loaded: LoadedSpec, base: LoadedInstance, used: list[Options]) -> list[Problem]:
    """What the options ask of the base instance that it lacks: a counterpart, numbers, beliefs on gives.

    ``used``: the distinct options of the scenarios (:func:`distinct_options`).
    """
    from ..chance.conditions import gives_beliefs
    from ..chance.robust import parse_robust

    options = loaded.spec.options
    instance = base.instance
    problems = []
    on_gives = gives_beliefs(instance)
    if not instance.beliefs and any(o.chance is not None or o.robust for o in used):
        problems.append(
            loaded.problem(("options",), "the base instance has no beliefs: every chance is 0 or 1; add 'beliefs:'")
        )
    if not on_gives and any(o.robust and parse_robust(o.robust)[0] == "budget" for o in used):
        problems.append(
            loaded.problem(("options",), "robust: budget:G needs beliefs on levers.*.gives.*; the base has none")
        )
    if options.frontier_columns():
        if instance.counterpart is None:
            problems.append(
                loaded.problem(
                    ("options", "frontier"),
                    "the frontier needs the base instance's counterpart side: add a 'counterpart:' section "
                    "(see docs/frontier.md), or drop options.frontier",
                )
            )
        elif instance.counterpart.disagreement is None and not any(o.walk_away for o in instance.offer_items.values()):
            problems.append(
                loaded.problem(
                    ("options", "frontier"),
                    "the frontier needs a disagreement point: add a walk-away offer or "
                    "'disagreement: {ours: ..., theirs: ...}' to the counterpart section",
                )
            )
    numbers = model_numbers(instance)
    for index, path in enumerate(options.sensitivity):
        if path not in numbers:
            problems.append(
                loaded.problem(
                    ("options", "sensitivity", index),
                    f"{path} is not a number of the base instance's model (sensitivity moves only numbers)"
                    + did_you_mean(path, numbers),
                )
            )
    return problems


def sensitivity_problems(options: Options, loaded: LoadedInstance) -> list[tuple[int, str]]:
    """(position, path) of each sensitivity path that is not a number of one scenario's model
    (an override made it structure, e.g. a zero)."""
    numbers = model_numbers(loaded.instance)
    return [(index, path) for index, path in enumerate(options.sensitivity) if path not in numbers]
