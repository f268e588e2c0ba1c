"""Result tables: one tidy table per thing reported, with named columns.

Each is built as :class:`~optimizer.formatting.Rows` (plain Python, so that
printing a result needs no pandas); ``Result.tables`` turns them into pandas
DataFrames. Rows follow the instance's order. Columns named after user
entities carry a prefix (``gives:<metric>``, ``costs:<constituency>``, from
:mod:`optimizer.contract`) so they never collide with ours. No table holds a
timestamp.
"""

from __future__ import annotations

from .contract import COSTS, GIVES, weighted_net
from .evaluate import Evaluation
from .formatting import Rows
from .kinds import lever_kind, red_line_kind
from .schema import Instance
from .tolerance import tolerance

PACKAGE_COLUMNS = ["lever", "label", "kind", "group", "amount", "option", "unit"]
METRIC_COLUMNS = ["metric", "label", "unit", "demand", "offer_requires", "threshold", "achieved", "slack", "binding"]
CONSTITUENCY_COLUMNS = ["constituency", "label", "weight", "cost", "benefit", "net", "weighted_net", "cap", "headroom"]
RED_LINE_COLUMNS = ["red_line", "kind", "label", "value", "min", "max", "slack", "binding", "reason"]


def package_table(instance: Instance, evaluation: Evaluation) -> Rows:
    """One row per used lever: amount or option, what it gives per metric, what it costs per constituency."""
    levers = evaluation.package.levers()
    rows = []
    for name, value in levers.items():
        lever = instance.levers[name]
        cells = lever_kind(lever).table_cells(lever, value)
        option = cells["option"]
        row = {
            "lever": name,
            "label": lever.label or (lever.options[option].label if option else None) or name,
            "kind": lever.kind,
            "group": lever.group,
            **cells,
            "unit": lever.unit,
        }
        row |= {GIVES + m: evaluation.gives_by_lever[name].get(m, 0.0) for m in instance.metrics}
        row |= {COSTS + k: evaluation.costs_by_lever[name].get(k, 0.0) for k in instance.constituencies}
        row["source"] = (lever.options[option].source if option else None) or lever.source
        row["note"] = (lever.options[option].note if option else None) or lever.note
        rows.append(row)
    columns = (
        PACKAGE_COLUMNS
        + [GIVES + m for m in instance.metrics]
        + [COSTS + k for k in instance.constituencies]
        + ["source", "note"]
    )
    return Rows.typed(columns, rows)


def metrics_table(instance: Instance, evaluation: Evaluation) -> Rows:
    """One row per metric: thresholds (global demand, granted offer's requirement), achieved, slack, binding."""
    rows = []
    for name, metric in instance.metrics.items():
        demand, required = evaluation.thresholds[name]
        bounds = [b for b in (demand, required) if b is not None]
        threshold = max(bounds) if bounds else None
        achieved = evaluation.achieved[name]
        slack = achieved - threshold if threshold is not None else None
        rows.append(
            {
                "metric": name,
                "label": metric.label or name,
                "unit": metric.unit,
                "demand": demand,
                "offer_requires": required,
                "threshold": threshold,
                "achieved": achieved,
                "slack": slack,
                "binding": slack is not None and abs(slack) <= tolerance(threshold),
            }
        )
    return Rows.typed(METRIC_COLUMNS, rows)


def constituencies_table(instance: Instance, evaluation: Evaluation) -> Rows:
    """One row per constituency: cost, benefit, net, weighted net (they sum to the objective), cap headroom."""
    caps: dict[str, float] = {}
    for line in instance.red_lines:
        cap = red_line_kind(line).cap(line)
        if cap is not None:
            group, most = cap
            caps[group] = min(caps.get(group, most), most)
    rows = []
    for name, group in instance.constituencies.items():
        cost, benefit = evaluation.cost[name], evaluation.benefit[name]
        cap = caps.get(name)
        rows.append(
            {
                "constituency": name,
                "label": group.label or name,
                "weight": group.weight,
                "cost": cost,
                "benefit": benefit,
                "net": cost - benefit,
                "weighted_net": weighted_net(group.weight, cost, benefit),
                "cap": cap,
                "headroom": cap - cost if cap is not None else None,
            }
        )
    return Rows.typed(CONSTITUENCY_COLUMNS, rows)


def red_lines_table(instance: Instance, evaluation: Evaluation) -> Rows:
    """One row per red line: its value in the package, bounds, slack, and whether it binds."""
    rows = []
    for line in instance.red_lines:
        state = evaluation.red_lines[line.name]
        rows.append(
            {
                "red_line": line.name,
                "kind": line.kind,
                "label": line.label or line.name,
                "value": state.value,
                "min": state.min,
                "max": state.max,
                "slack": state.slack,
                "binding": state.binding,
                "reason": line.reason,
            }
        )
    return Rows.typed(RED_LINE_COLUMNS, rows)


TABLES = {
    "package": package_table,
    "metrics": metrics_table,
    "constituencies": constituencies_table,
    "red_lines": red_lines_table,
}
