"""Filtering and sorting a table by simple conditions: ``farmers.weight > 2``, ``status == optimal``.

A column may be named in full (``param:constituencies.farmers.weight``) or by
an unambiguous ending after a ``:`` or ``.`` (``farmers.weight``,
``net:farmers``, ``objective``).
"""

from __future__ import annotations

import operator
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

import pandas as pd

from .folders import ReviewError, SweepFolder

OPERATORS = {
    "==": operator.eq,
    "=": operator.eq,
    "!=": operator.ne,
    ">=": operator.ge,
    "<=": operator.le,
    ">": operator.gt,
    "<": operator.lt,
}
CONDITION = re.compile(r"^\s*(?P<column>[^=!<>]+?)\s*(?P<op>==|!=|>=|<=|=|>|<)\s*(?P<value>.+?)\s*$")


@dataclass(frozen=True)
class Condition:
    """``column op value``: one filter on a table."""

    column: str
    op: str
    value: float | str

    def mask(self, table: pd.DataFrame) -> pd.Series:
        values = table[self.column]
        if isinstance(self.value, str):
            values = values.astype(str)
        return OPERATORS[self.op](values, self.value).fillna(False).astype(bool)


def resolve_column(name: str, columns: Iterable[str], option: str) -> str:
    """The column ``name`` refers to: an exact match, else the only column ending in ':name' or '.name'."""
    columns = [str(c) for c in columns]
    if name in columns:
        return name
    matches = [c for c in columns if c.endswith(f":{name}") or c.endswith(f".{name}")]
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise ReviewError(option, f"'{name}' is ambiguous: {', '.join(matches)}")
    raise ReviewError(option, f"no column '{name}' (columns: {', '.join(columns)})")


def parse_condition(text: str, table: pd.DataFrame) -> Condition:
    """Parse ``column op value`` against ``table``'s columns; a numeric column needs a number."""
    found = CONDITION.match(text)
    if not found:
        raise ReviewError("--where", f"'{text}' is not 'COLUMN OP VALUE' with OP one of {', '.join(OPERATORS)}")
    column = resolve_column(found["column"], table.columns, "--where")
    op, raw = found["op"], found["value"].strip("'\"")
    numeric = pd.api.types.is_numeric_dtype(table[column]) and not pd.api.types.is_bool_dtype(table[column])
    if not numeric:
        if op not in ("==", "=", "!="):
            raise ReviewError("--where", f"'{column}' is text: compare it with == or !=")
        return Condition(column, op, raw)
    try:
        return Condition(column, op, float(raw))
    except ValueError:
        raise ReviewError("--where", f"'{column}' is numeric, but '{raw}' is not a number") from None


def select(
    table: pd.DataFrame,
    where: Iterable[str] = (),
    sort: str | None = None,
    descending: bool = False,
    top: int | None = None,
) -> pd.DataFrame:
    """The rows meeting every condition in ``where``, sorted by ``sort`` (missing values last), the first ``top``."""
    for text in where:
        table = table[parse_condition(text, table).mask(table)]
    if sort is not None:
        column = resolve_column(sort, table.columns, "--sort")
        table = table.sort_values(column, ascending=not descending, kind="stable", na_position="last")
    return table.head(top) if top is not None else table


def only(sweep: SweepFolder, where: Iterable[str] = ()) -> SweepFolder:
    """The sweep restricted to the scenarios meeting every condition in ``where`` (the sweep itself when none).

    Every view built from the result (switch points, lever usage, cost
    curves, figures, the brief) then sees those scenarios alone.
    """
    where = tuple(where)
    if not where:
        return sweep
    scenarios = select(sweep.scenarios, where)
    levers = sweep.levers[sweep.levers["id"].astype(str).isin(scenarios["id"].astype(str))]
    return replace(sweep, scenarios=scenarios, levers=levers)
