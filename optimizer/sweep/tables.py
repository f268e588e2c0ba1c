"""A sweep's final tables: tidy pandas DataFrames written as Parquet and CSV, and the manifest.

``scenarios`` has one row per scenario: our columns first, then prefixed
columns so that user names never collide with ours: ``param:<path>`` for each
swept parameter (``param:options.chance`` for a swept option), ``net:<constituency>``
and ``achieved:<metric>``, then the columns the spec's ``options:`` adds
(:mod:`.analyses`): ``chance:<field>``, ``frontier:<name>`` and ``sensitivity:<path>:<field>``. ``levers``
is long: one row per used lever per scenario. Each file is written to a
temporary name and renamed into place. Read them back with
``pandas.read_parquet``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from ..paths import normalised_data
from ..schema import Instance
from .options import PREFIX, is_option
from .scenarios import Scenario
from .spec import Options

SCENARIO_COLUMNS = ["id", "status", "objective", "gap", "offer", "name", "verified", "message"]
LEVER_COLUMNS = ["id", "lever", "amount", "option"]


def scenario_table(
    scenarios: list[Scenario],
    records: Mapping[str, dict],
    base: Instance,
    params: list[str],
    options: Options | None = None,
    extra: list[str] | None = None,
) -> pd.DataFrame:
    """One row per finished scenario, in expansion order.

    ``options``: the spec's fixed options (the value of a swept ``options.*`` path where a
    scenario does not set it); ``extra``: the ``chance:``, ``frontier:`` and ``sensitivity:``
    columns the options add (:func:`~.analyses.extra_columns`), last.
    """
    options = options or Options()
    defaults = {
        path: getattr(options, path.removeprefix(PREFIX)) if is_option(path) else base_value(base, path)
        for path in params
    }
    extra = extra or []
    rows = []
    for scenario in scenarios:
        record = records.get(scenario.id)
        if record is None:
            continue
        row = {column: record.get(column) for column in SCENARIO_COLUMNS}
        row["name"] = scenario.name
        row |= {f"param:{path}": value for path, value in (defaults | dict(scenario.overrides)).items()}
        row |= {f"net:{k}": record["net"].get(k) for k in base.constituencies}
        row |= {f"achieved:{m}": record["achieved"].get(m) for m in base.metrics}
        row |= {column: record.get("columns", {}).get(column) for column in extra}
        rows.append(row)
    columns = (
        SCENARIO_COLUMNS
        + [f"param:{p}" for p in params]
        + [f"net:{k}" for k in base.constituencies]
        + [f"achieved:{m}" for m in base.metrics]
        + extra
    )
    table = pd.DataFrame(rows, columns=columns)
    for column in columns:
        if column.startswith("param:") or column in extra:
            table[column] = _uniform(table[column])
        elif column.startswith(("net:", "achieved:")) or column in ("objective", "gap"):
            table[column] = table[column].astype("float64")
    return table


def lever_table(scenarios: list[Scenario], records: Mapping[str, dict]) -> pd.DataFrame:
    """One row per used lever per finished scenario: its amount, or the option picked (amount 1)."""
    rows = []
    for scenario in scenarios:
        record = records.get(scenario.id)
        for lever, value in (record or {}).get("levers", {}).items():
            option = value if isinstance(value, str) else None
            rows.append(
                {"id": scenario.id, "lever": lever, "amount": 1.0 if option else float(value), "option": option}
            )
    return pd.DataFrame(rows, columns=LEVER_COLUMNS).astype({"amount": "float64"})


def base_value(base: Instance, path: str) -> Any:
    """The base instance's value at a dotted override path (None where it sets nothing)."""
    node: Any = normalised_data(base)
    for part in path.split("."):
        if isinstance(node, list) and part.isdigit():  # a position in a plain list: a curve's segment
            node = node[int(part)] if int(part) < len(node) else None
        elif isinstance(node, list):  # red lines, by name
            node = next((item for item in node if isinstance(item, dict) and item.get("name") == part), None)
        elif isinstance(node, dict):
            node = node.get(part)
        else:
            return None
    return node


def _uniform(column: pd.Series) -> pd.Series:
    """Numbers as float64; text (with nulls) as text; a column mixing numbers with text or other values
    becomes JSON text."""
    values = column.tolist()
    if all(value is None or (isinstance(value, int | float) and not isinstance(value, bool)) for value in values):
        return column.astype("float64")
    if all(value is None or isinstance(value, str) or value != value for value in values):  # NaN != NaN
        return pd.Series([v if isinstance(v, str) else None for v in values], index=column.index, dtype="object")
    return pd.Series([v if isinstance(v, str) else json.dumps(v) for v in values], index=column.index, dtype="object")


def write_outputs(folder: Path, scenarios: pd.DataFrame, levers: pd.DataFrame, manifest: dict) -> None:
    """Write the tables and the manifest, each through a temporary file renamed into place."""
    writers = {
        "scenarios.parquet": lambda path: scenarios.to_parquet(path, index=False),
        "scenarios.csv": lambda path: scenarios.to_csv(path, index=False),
        "levers.parquet": lambda path: levers.to_parquet(path, index=False),
        "manifest.json": lambda path: Path(path).write_text(json.dumps(manifest, indent=2, default=str) + "\n"),
    }
    for name, write in writers.items():
        temporary = folder / f".{name}.tmp"
        write(temporary)
        os.replace(temporary, folder / name)
