"""Walking a sweep's grid along one swept parameter, the other swept values held fixed."""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd

from ..formatting import fmt, plain
from .folders import PARAM_PREFIX, SweepFolder


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
    frame = sweep.scenarios[sweep.scenarios[column].notna()]
    others = [p for p in sweep.parameters if p != parameter and not _moves_with(frame, PARAM_PREFIX + p, column)]
    if not others:
        yield "", _ordered(frame, column)
        return
    for key, group in frame.groupby([PARAM_PREFIX + p for p in others], dropna=False, sort=True):
        yield context_text(sweep, others, key), _ordered(group, column)


def context_text(sweep: SweepFolder, parameters: list[str], values: tuple) -> str:
    """'Farm lobby weight = 5, ...' for the fixed values of the other parameters."""
    labels = sweep.labels
    return ", ".join(f"{labels.parameter(p)[0]} = {fmt(plain(v))}" for p, v in zip(parameters, values, strict=True))


def _moves_with(frame: pd.DataFrame, other: str, column: str) -> bool:
    """Whether each value of ``column`` goes with a single value of ``other``."""
    return bool((frame.groupby(column, dropna=False)[other].nunique(dropna=False) <= 1).all())


def _ordered(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    if pd.api.types.is_numeric_dtype(frame[column]):
        frame = frame.sort_values(column, kind="stable")
    return frame.drop_duplicates(column)
