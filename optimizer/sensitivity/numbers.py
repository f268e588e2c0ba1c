"""Which numbers a sensitivity analysis moves, where each may go, and which enter only the objective.

- **Which numbers.** Each path given with ``--path`` must be a number of the model
  (:func:`optimizer.paths.model_numbers`); anything else is structure and is refused. Without
  paths, every ``provenance`` entry marked ``judgement: true`` is taken, expanded to the numbers
  of the model at or below it (a piecewise curve's entry covers each segment's marginal cost);
  an entry that covers none (an offer attribute, a breakpoint) is skipped, and said so.
- **Where it may go** (:func:`validity`): the interval of values the instance still accepts
  with all else fixed, found by validating the instance at the numbers that can bound it (0,
  the spec's 1e9 and 1e6, and every other number of the same lever or red line). Each end says
  which rule stops it, in the validator's own words: a sign, the convexity of a piecewise
  curve (the neighbouring segment's marginal), a number bound, ``min_if_used <= max``.
- **Objective only** (:func:`objective_only_paths`): a number that appears in no constraint of
  the built model (a weight, a cost of an uncapped constituency, a benefit). For a fixed
  package the objective is linear in such a number.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from ..errors import InputError, Problem, did_you_mean
from ..formatting import fmt
from ..instance import LoadedInstance, apply_overrides
from ..kinds import lever_kind
from ..paths import model_numbers, normalised_data, value_at
from ..schema import MAX_LEVER_AMOUNT, MAX_MAGNITUDE, Instance
from ..tolerance import tolerance


@dataclass(frozen=True)
class Skipped:
    """A judgement of the provenance that is not a number of the model, and why it is left out."""

    path: str
    reason: str


def judged_numbers(instance: Instance) -> tuple[list[str], list[Skipped]]:
    """The numbers of the model under every ``judgement: true`` provenance entry, and the entries that have none."""
    numbers = model_numbers(instance)
    chosen: list[str] = []
    skipped: list[Skipped] = []
    for key, entry in instance.provenance.items():
        if not entry.judgement:
            continue
        below = [p for p in numbers if p == key or p.startswith(key + ".")]
        if below:
            chosen += [p for p in below if p not in chosen]
        else:
            skipped.append(Skipped(key, "structure, not a number of the model (re-run with --set to try other values)"))
    return chosen, skipped


def requested_numbers(loaded: LoadedInstance, paths: list[str]) -> list[str]:
    """``paths`` checked to be numbers of the model; raises InputError naming every one that is not."""
    numbers = model_numbers(loaded.instance)
    problems = [
        Problem(
            loaded.file,
            None,
            path,
            "is not a number of the model (structure: a name, a breakpoint, an attribute, a zero or unset value); "
            f"sensitivity moves only numbers of the model{did_you_mean(path, numbers)}",
        )
        for path in paths
        if path not in numbers
    ]
    if problems:
        raise InputError(problems, note="nothing was solved or written")
    return list(dict.fromkeys(paths))


def objective_only_paths(model) -> set[str]:
    """Paths of the numbers of a built :class:`~optimizer.model.DealModel` that no constraint mentions."""
    import pyomo.core as pyo
    from pyomo.core.expr.visitor import identify_mutable_parameters

    path_of = {id(model.m.number[path]): path for path in model.m.number}
    in_rows = {
        path_of[id(p)]
        for row in model.m.component_data_objects(pyo.Constraint, active=True)
        for part in (row.lower, row.body, row.upper)
        if part is not None
        for p in identify_mutable_parameters(part)
        if id(p) in path_of
    }
    return set(path_of.values()) - in_rows


@dataclass(frozen=True)
class Limit:
    """Where the values the instance accepts end on one side of a number."""

    value: float
    """The last value accepted, or the first refused when ``open``; ±inf when nothing bounds it."""
    open: bool
    """True when ``value`` itself is refused (a lever's max must be > 0)."""
    reason: str
    """The rule that stops it, in the validator's words."""
    last: float
    """The last value the search may try on this side: ``value``, or just inside it when ``open``."""


@dataclass(frozen=True)
class Validity:
    low: Limit
    high: Limit
    whole: bool
    """True for numbers that take whole values only (an integer lever's max and min_if_used)."""


def is_whole(instance: Instance, path: str) -> bool:
    parts = path.split(".")
    if parts[0] != "levers" or len(parts) != 3:
        return False
    return parts[2] in lever_kind(instance.levers[parts[1]]).whole_number_fields


def validity(loaded: LoadedInstance, path: str) -> Validity:
    """The values the instance accepts at ``path``, all else fixed, and the rule at each end."""
    instance = loaded.instance
    value = model_numbers(instance)[path]
    whole = is_whole(instance, path)
    step = 1.0 if whole else None
    candidates = _candidate_limits(instance, path) | {value}  # the value itself may sit on a limit (a weight of 0)
    high = _limit(loaded, path, sorted(c for c in candidates if c >= value), +1, step)
    low = _limit(loaded, path, sorted((c for c in candidates if c <= value), reverse=True), -1, step)
    return Validity(low, high, whole)


def _candidate_limits(instance: Instance, path: str) -> set[float]:
    """Values at which a rule of the spec can stop the number: signs, spec bounds, its neighbours' numbers."""
    entity = value_at(normalised_data(instance), ".".join(path.split(".")[:2]))
    return {0.0, MAX_MAGNITUDE, -MAX_MAGNITUDE, MAX_LEVER_AMOUNT, *_numbers_in(entity)}


def _numbers_in(node: Any):
    if isinstance(node, bool):
        return
    if isinstance(node, int | float):
        yield float(node)
    elif isinstance(node, dict):
        for item in node.values():
            yield from _numbers_in(item)
    elif isinstance(node, list):
        for item in node:
            yield from _numbers_in(item)


def _limit(loaded: LoadedInstance, path: str, candidates: list[float], direction: int, step: float | None) -> Limit:
    """The first candidate, going out in ``direction``, at or just past which the instance is refused."""
    for candidate in candidates:
        if step is not None and candidate != round(candidate):
            continue
        nudge = direction * (step if step is not None else tolerance(candidate))
        refused = _refusal(loaded, path, candidate)
        if refused:
            return Limit(candidate, True, rule_beyond(refused, candidate, candidate), candidate - nudge)
        refused = _refusal(loaded, path, candidate + nudge)
        if refused:
            return Limit(candidate, False, rule_beyond(refused, candidate, candidate + nudge), candidate)
    edge = math.copysign(math.inf, direction)
    return Limit(edge, False, "no rule of the spec bounds it", edge)


_NUMBER = re.compile(r"(?<![\w.])-?\d+(?:\.\d+)?(?:e[+-]?\d+)?(?![\w.])")


def rule_beyond(message: str, limit: float, probe: float) -> str:
    """The validator's ``message`` against ``probe`` (a hair beyond ``limit``) as the rule at ``limit``, for people.

    The probe's own value is noise to a reader ("must be >= 0, got -1e-06", "above the lever's max (49.9999)"):
    a ", got" clause or a bracketed probe value is dropped, any other mention of it reads "just below/above"
    the limit, and every other number is written as :func:`~optimizer.formatting.fmt` writes it.
    """
    side = "below" if probe < limit else "above"

    def is_probe(text: str) -> bool:
        value = float(text)
        return value != limit and abs(value - probe) <= 1e-4 * max(1.0, abs(limit))

    number = _NUMBER.pattern
    message = re.sub(rf", got {number}", "", message)
    message = re.sub(rf" \(({number})\)", lambda m: "" if is_probe(m.group(1)) else m.group(0), message)
    return _NUMBER.sub(
        lambda m: f"a value just {side} {fmt(limit)}" if is_probe(m.group(0)) else fmt(float(m.group(0))), message
    )


def _refusal(loaded: LoadedInstance, path: str, value: float) -> str | None:
    """What the validator says against ``value`` at ``path``, or None when it accepts it."""
    try:
        apply_overrides(loaded, [(path, value)], warnings=False)
    except InputError as err:
        return "; ".join(problem.message.split(" (from --set")[0] for problem in err.problems)
    return None
