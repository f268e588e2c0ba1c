"""Switch points: where, along a swept parameter, the package composition or the granted offer changes.

Along each swept parameter, for each combination of the other swept values,
neighbouring grid values whose answers differ in status, granted offer, or
which levers (and options) are used bracket a switch. Amount changes alone
are not switches; they are described when a switch happens.
:func:`refine_switch_points` narrows each bracket by bisection with extra
solves of the base instance.
"""

from __future__ import annotations

from itertools import pairwise

import pandas as pd
from pydantic import ValidationError

from ..api import solve
from ..errors import InputError
from ..formatting import fmt, plain, plain_records
from ..instance import apply_overrides
from ..result import Result
from ..solver import SolveOptions
from ..status import Status
from .cells import is_number
from .folders import PARAM_PREFIX, SweepFolder
from .grid import along, dimensions
from .labels import Labels
from .states import PackageState, describe_change

SEED = "options.seed"
"""A swept seed: no switch point is sought along it."""
SWITCH_COLUMNS = ["parameter", "context", "low", "high", "low_id", "high_id", "change"]
REFINED_COLUMNS = ["switch", "within", "solves"]
DEFAULT_REFINE_STEPS = 10


def switch_points(sweep: SweepFolder) -> pd.DataFrame:
    """One row per grid interval in which the answer's composition changes, with what changes.

    None is sought along a path a ``sample`` block draws: neighbouring draws differ in every sampled
    path, so a change between them is no switch along one (the offer map shows them). Nor along a
    swept seed: it names a draw, and neighbouring seeds are unrelated draws.
    """
    rows = []
    labels = sweep.labels
    for parameter in (p for p in dimensions(sweep) if p not in sweep.sampled and p != SEED):
        column = PARAM_PREFIX + parameter
        for context, scenarios in along(sweep, parameter):
            for low, high in pairwise(plain_records(scenarios)):
                before, after = sweep.state(low), sweep.state(high)
                if before.composition != after.composition:
                    rows.append(
                        {
                            "parameter": parameter,
                            "context": context,
                            "low": low[column],
                            "high": high[column],
                            "low_id": low["id"],
                            "high_id": high["id"],
                            "change": describe_change(before, after, labels),
                        }
                    )
    return pd.DataFrame(rows, columns=SWITCH_COLUMNS)


def refine_switch_points(sweep: SweepFolder, switches: pd.DataFrame, steps: int = DEFAULT_REFINE_STEPS) -> pd.DataFrame:
    """Narrow each switch interval by ``steps`` bisection solves; adds ``switch`` (the estimate), ``within``, ``solves``.

    Each midpoint is solved from the base instance, the overrides taken
    halfway between the low and the high scenario's (parameters that move
    with the swept one, as in a zip group, move along in proportion). The
    bracket keeps the side whose composition differs from the low end. When
    one interval holds several switches, bisection finds one of them, and
    ``change`` then describes the switch found. A midpoint the instance
    rejects (an integer field, say) stops that interval's bisection. A
    swept option (``options.chance``) is bisected too: each midpoint is solved
    under the sweep's options as its scenarios were.
    """
    base = sweep.require_base("--refine")
    labels = sweep.labels
    refined = []
    for entry in switches.to_dict("records"):
        entry = dict(entry)
        low_row, high_row = sweep.row(entry["low_id"]), sweep.row(entry["high_id"])
        before, after = sweep.state(low_row), sweep.state(high_row)
        low, high, solves = 0.0, 1.0, 0
        if is_number(entry["low"]) and is_number(entry["high"]):
            ends = dict(sweep.overrides(low_row, with_options=True)), dict(sweep.overrides(high_row, with_options=True))
            for _ in range(steps):
                middle = (low + high) / 2
                result = _solve_between(sweep, base, _between(*ends, middle))
                solves += 1
                if result.status == Status.INVALID:
                    break
                state = PackageState.of_result(result)
                if state.composition == before.composition:
                    low, before = middle, state
                else:
                    high, after = middle, state
            width = entry["high"] - entry["low"]
            entry["change"] = describe_change(before, after, labels)
            entry |= {"switch": entry["low"] + width * (low + high) / 2, "within": abs(width) * (high - low) / 2}
        entry["solves"] = solves
        refined.append(entry)
    return pd.DataFrame(refined, columns=SWITCH_COLUMNS + REFINED_COLUMNS)


def _solve_between(sweep: SweepFolder, base, overrides: list[tuple[str, object]]) -> Result:
    """A midpoint solved as the sweep solves a scenario: under its options (``options.chance`` swept, say,
    as ``dealopt solve --chance``), else a plain solve; a midpoint the instance or the options reject is invalid."""
    from ..sweep.analyses import solve_under_options
    from ..sweep.options import split
    from ..sweep.spec import Options

    instance_overrides, swept = split(overrides)
    try:
        options = Options.model_validate(sweep.sweep_options.model_dump(exclude_unset=True) | swept)
        if options.chance is None and options.robust is None:
            return solve(base, list(instance_overrides), **sweep.solve_options)
        loaded = apply_overrides(base, instance_overrides, warnings=False) if instance_overrides else base
        return solve_under_options(loaded, SolveOptions(**sweep.solve_options), options)[0]
    except (InputError, ValidationError) as err:
        return Result(None, Status.INVALID, message=str(err))


def _between(low: dict, high: dict, fraction: float) -> list[tuple[str, object]]:
    """Overrides ``fraction`` of the way from ``low`` to ``high``: numbers interpolated, anything else from ``low``."""
    return [
        (path, value + fraction * (high[path] - value) if is_number(value) and is_number(high.get(path)) else value)
        for path, value in low.items()
    ]


def switch_sentences(switches: pd.DataFrame, labels: Labels) -> list[str]:
    """Each switch in words: 'between investment demand 400 and 450 (context): Alaska LNG enters, ...'."""
    sentences = []
    for entry in switches.to_dict("records"):
        name, unit = labels.parameter(entry["parameter"])
        unit_text = f" {unit}" if unit else ""
        switch = plain(entry.get("switch"))
        if switch is not None:
            where = f"at {name} {fmt(switch)}{unit_text} (± {fmt(entry['within'])})"
        else:
            where = f"between {name} {fmt(entry['low'])} and {fmt(entry['high'])}{unit_text}"
        context = f" ({entry['context']})" if entry["context"] else ""
        sentences.append(f"{where}{context}: {entry['change']}")
    return sentences
