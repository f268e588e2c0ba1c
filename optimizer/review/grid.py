"""Walking a sweep's grid along one swept parameter, the other swept values held fixed."""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd

from ..formatting import fmt, plain
from .folders import PARAM_PREFIX, SweepFolder

MAX_PANELS = 6
"""At most this many panels (combinations of the other swept values) per sweep figure or offer map."""


def dimensions(sweep: SweepFolder) -> list[str]:
    """The swept parameters to walk along: each zip group once, by its first parameter.

    A parameter that moves in lockstep with an earlier one (each value of
    either goes with a single value of the other) is walked with it.
    """
    frame, found = sweep.scenarios, []
    for parameter in sweep.parameters:
        column = PARAM_PREFIX + parameter
        lockstep = (
            _moves_with(frame, column, PARAM_PREFIX + p) and _moves_with(frame, PARAM_PREFIX + p, column) for p in found
        )
        if not any(lockstep):
            found.append(parameter)
    return found


def along(sweep: SweepFolder, parameter: str) -> Iterator[tuple[str, pd.DataFrame]]:
    """For each combination of the other swept values: its description and its scenarios ordered by ``parameter``.

    Parameters that move with ``parameter`` (a zip group: each of its values
    goes with one value of theirs) are not held fixed. The description is ''
    when nothing else is. Scenarios that do not set ``parameter`` are left
    out; of several with the same value, the first is kept.
    """
    column = PARAM_PREFIX + parameter
    for context, group in held_fixed(sweep, [parameter]):
        yield context, _ordered(group, column)


def held_fixed(sweep: SweepFolder, walked: list[str]) -> Iterator[tuple[str, pd.DataFrame]]:
    """The scenarios setting every ``walked`` parameter, by combination of the other swept values (and its text).

    Parameters that move with a walked one (a zip group) are not held fixed.
    The text is '' when nothing else is.
    """
    columns = [PARAM_PREFIX + p for p in walked]
    frame = sweep.scenarios[sweep.scenarios[columns].notna().all(axis=1)]
    others = [
        p
        for p in sweep.parameters
        if p not in walked and not any(_moves_with(frame, PARAM_PREFIX + p, c) for c in columns)
    ]
    if not others:
        yield "", frame
        return
    for key, group in frame.groupby([PARAM_PREFIX + p for p in others], dropna=False, sort=True):
        yield context_text(sweep, others, key), group


def context_text(sweep: SweepFolder, parameters: list[str], values: tuple) -> str:
    """'Farm lobby weight = 5, ...' for the fixed values of the other parameters."""
    labels = sweep.labels
    return ", ".join(f"{labels.parameter(p)[0]} = {fmt(plain(v))}" for p, v in zip(parameters, values, strict=True))


def short_context(sweep: SweepFolder, context: str) -> str:
    """A context text with short parameter labels: 'Farmers weight = 3'."""
    short = sweep.labels.shortened()
    for path in sweep.parameters:
        context = context.replace(sweep.labels.parameter(path)[0], short.parameter(path)[0])
    return context


def _moves_with(frame: pd.DataFrame, other: str, column: str) -> bool:
    """Whether each value of ``column`` goes with a single value of ``other``."""
    return bool((frame.groupby(column, dropna=False)[other].nunique(dropna=False) <= 1).all())


def _ordered(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    if pd.api.types.is_numeric_dtype(frame[column]):
        frame = frame.sort_values(column, kind="stable")
    return frame.drop_duplicates(column)
