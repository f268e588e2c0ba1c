"""The views of a sweep: status counts, the scenarios, switch points, lever usage and cost curves.

Every view is a tidy DataFrame; :func:`sweep_tables` gathers them in the
order review shows them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

import pandas as pd

from ..contract import WEIGHTED_NET
from ..formatting import plain_records
from ..status import Status
from .cells import decoded, is_number
from .folders import PARAM_PREFIX, SweepFolder
from .grid import along, dimensions
from .query import only, select
from .switch_points import refine_switch_points, switch_points

SWEEP_TABLES = {
    "status": "Scenarios by status",
    "scenarios": "Scenarios",
    "switch_points": "Switch points",
    "lever_usage": "Lever usage",
    "cost_curves": "Cost curves",
}
"""Table name -> title, in the order review shows them."""

LEVER_USAGE_COLUMNS = ["lever", "label", "unit", "used_in", "share", "min_amount", "max_amount", "options"]


def status_counts(sweep: SweepFolder) -> pd.DataFrame:
    """How many scenarios ended in each status, in the order of the status vocabulary."""
    counts = Counter(str(s) for s in sweep.scenarios["status"])
    order = [str(s) for s in Status] + sorted(set(counts) - {str(s) for s in Status})
    return pd.DataFrame([{"status": s, "count": counts[s]} for s in order if counts[s]], columns=["status", "count"])


def lever_usage(sweep: SweepFolder) -> pd.DataFrame:
    """Per lever: in how many scenarios with a package it is used, the share of them, its amount range, its options."""
    states = [sweep.state(row) for row in plain_records(sweep.scenarios)]
    packages = [s.levers for s in states if s.has_package]
    labels = sweep.labels
    known = list(labels.instance.levers) if labels.instance else []
    names = list(dict.fromkeys(known + [j for package in packages for j in package]))
    rows = []
    for lever in names:
        values = [package[lever] for package in packages if lever in package]
        amounts = [v for v in values if not isinstance(v, str)]
        options = Counter(v for v in values if isinstance(v, str))
        rows.append(
            {
                "lever": lever,
                "label": labels.lever(lever),
                "unit": labels.lever_unit(lever),
                "used_in": len(values),
                "share": len(values) / len(packages) if packages else None,
                "min_amount": min(amounts) if amounts else None,
                "max_amount": max(amounts) if amounts else None,
                "options": ", ".join(f"{labels.option(lever, o)} ×{n}" for o, n in options.most_common()) or None,
            }
        )
    return pd.DataFrame(rows, columns=LEVER_USAGE_COLUMNS)


def cost_curves(sweep: SweepFolder) -> pd.DataFrame:
    """Net political cost, and each constituency's weighted net value in it, along each swept parameter.

    One row per swept parameter and scenario: ``parameter``, ``context`` (the
    other swept values), ``value``, ``id``, ``status``, ``objective`` and
    ``weighted_net:<constituency>`` = weight * net. A weight comes from the scenario
    when swept, else from the base instance; without either the weighted net value is
    missing.
    """
    instance = sweep.labels.instance
    groups = sweep.constituencies
    default_weight = {k: instance.constituencies[k].weight for k in groups if instance and k in instance.constituencies}
    rows = []
    for parameter in dimensions(sweep):
        for context, scenarios in along(sweep, parameter):
            for row in plain_records(scenarios):
                entry = {
                    "parameter": parameter,
                    "context": context,
                    "value": row[PARAM_PREFIX + parameter],
                    "id": row["id"],
                    "status": row["status"],
                    "objective": row.get("objective"),
                }
                for k in groups:
                    swept = decoded(row.get(f"{PARAM_PREFIX}constituencies.{k}.weight"))
                    weight = swept if is_number(swept) else default_weight.get(k)
                    net = row.get(f"net:{k}")
                    entry[f"{WEIGHTED_NET}{k}"] = weight * net if weight is not None and net is not None else None
                rows.append(entry)
    columns = ["parameter", "context", "value", "id", "status", "objective"] + [f"{WEIGHTED_NET}{k}" for k in groups]
    return pd.DataFrame(rows, columns=columns)


def lever_costs(sweep: SweepFolder) -> pd.DataFrame:
    """Per scenario with a package and lever used: its weighted political cost, sum of weight * cost (needs the base)."""
    rows = []
    for row in plain_records(sweep.scenarios):
        if not sweep.state(row).has_package:
            continue
        result = sweep.scenario_result(row["id"])
        weights = {k: group.weight for k, group in result.instance.constituencies.items()}
        for lever in result.package.levers():
            costs = result.evaluation.costs_by_lever[lever]
            rows.append({"id": row["id"], "lever": lever, "cost": sum(weights[k] * c for k, c in costs.items())})
    return pd.DataFrame(rows, columns=["id", "lever", "cost"])


def sweep_tables(
    sweep: SweepFolder,
    where: Iterable[str] = (),
    sort: str | None = None,
    descending: bool = False,
    top: int | None = None,
    refine_steps: int | None = None,
) -> dict[str, pd.DataFrame]:
    """Every view of a sweep (see :data:`SWEEP_TABLES`) of the scenarios meeting ``where``; ``sort``/``top``
    order and cut the scenario table.

    With ``refine_steps``, switch points are narrowed by that many bisection solves each.
    """
    sweep = only(sweep, where)
    switches = switch_points(sweep)
    if refine_steps:
        switches = refine_switch_points(sweep, switches, refine_steps)
    return {
        "status": status_counts(sweep),
        "scenarios": select(sweep.scenarios, (), sort, descending, top),
        "switch_points": switches,
        "lever_usage": lever_usage(sweep),
        "cost_curves": cost_curves(sweep),
    }
