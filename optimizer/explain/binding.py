"""Which thresholds, red lines and lever bounds hold the optimal package where it is, stated in words.

A threshold, a numeric red line or a lever bound binds when its slack is within
the model's tolerance (docs/model.md). A logical red line has no slack worth the name: it
binds when the optimum would improve without it (its price is positive).
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from ..bounds import LimitingBound
from ..evaluate import Evaluation
from ..formatting import fmt
from ..kinds import LEVER_BOUND, THRESHOLD, Member, lever_kind
from ..schema import Instance
from ..tolerance import tolerance
from .members import members_of
from .prices import RedLinePrice
from .words import label, quantity

COLUMNS = ["constraint", "kind", "value", "bound", "slack", "binding", "statement"]


def binding_constraints(
    instance: Instance, evaluation: Evaluation, prices: list[RedLinePrice], limited: Sequence[LimitingBound] = ()
) -> pd.DataFrame:
    """One row per threshold in force, red line and bound of a used lever, with a sentence on how it stands.

    ``limited`` are the levers limited by their bound (:func:`optimizer.bounds.limiting_bounds`): their
    bound, not their cost, holds them, and the sentence says so.
    """
    savings = {p.name: p.saving for p in prices}
    limited_by = {bound.lever: bound for bound in limited}
    rows = []
    for member in members_of(instance):
        if member.family == THRESHOLD:
            if member.kind == "offer_requirement" and member.offer != evaluation.package.offer:
                continue
            rows.append(_threshold_row(instance, evaluation, member))
        elif member.family == LEVER_BOUND:
            if member.kind == "lever_max" and evaluation.package.used[member.name]:
                rows.append(_lever_row(instance, evaluation, member, limited_by.get(member.name)))
        elif member.numeric:
            rows.append(_numeric_line_row(instance, evaluation, member))
        else:
            rows.append(_logical_line_row(instance, member, savings.get(member.name, 0.0)))
    for lever_name, lever in instance.amount_levers.items():
        if lever_kind(lever).sized and lever.min_if_used > 0 and evaluation.package.used[lever_name]:
            rows.append(_smallest_use_row(instance, evaluation, lever_name))
    return pd.DataFrame(rows, columns=COLUMNS)


def possessive(name: str) -> str:
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def _row(member_key: str, kind: str, value: float, bound: float, slack: float, statement_if: tuple[str, str]):
    binding = abs(slack) <= tolerance(bound)
    return {
        "constraint": member_key,
        "kind": kind,
        "value": value,
        "bound": bound,
        "slack": slack,
        "binding": binding,
        "statement": statement_if[0] if binding else statement_if[1],
    }


def _threshold_row(instance: Instance, evaluation: Evaluation, member: Member) -> dict:
    metric = label(instance.metrics, member.name)
    unit = instance.metrics[member.name].unit
    achieved = evaluation.achieved[member.name]
    who = "the counterpart" if member.kind == "demand" else label(instance.offer_items, member.offer)
    what = f"{metric} of {quantity(member.bound, unit)}, as {who} requires,"
    slack = achieved - member.bound
    return _row(
        member.key,
        member.kind,
        achieved,
        member.bound,
        slack,
        (f"{what} is met exactly", f"{what} is exceeded by {quantity(slack, unit)}"),
    )


def _numeric_line_row(instance: Instance, evaluation: Evaluation, member: Member) -> dict:
    line = instance.red_line(member.name)
    state = evaluation.red_lines[member.name]
    slack = member.bound - state.value if member.sense == "<=" else state.value - member.bound
    if member.kind == "max_cost":
        group = label(instance.constituencies, line.constituency)
        words = (
            f"{possessive(group)} pain is at its cap ({fmt(line.max)} points)",
            f"{group} could bear {fmt(slack)} more points",
        )
    else:
        side = "max" if member.kind == "limit_max" else "min"
        name = line.label or line.name
        words = (f"{name} is at its {side} ({fmt(member.bound)})", f"{name} is {fmt(slack)} inside its {side}")
    return _row(member.key, member.kind, state.value, member.bound, slack, words)


def _lever_row(instance: Instance, evaluation: Evaluation, member: Member, limit: LimitingBound | None) -> dict:
    lever = instance.levers[member.name]
    amount = evaluation.package.amount[member.name]
    name = label(instance.levers, member.name)
    at_max = f"{name} is at its maximum ({quantity(lever.max, lever.unit)})"
    if limit is None:
        at_max += ", but cost, not the bound, holds it there"
    else:
        at_max = (
            f"{name} is limited by its bound, not by cost: raising its maximum ({quantity(lever.max, lever.unit)}) "
            f"by {fmt(limit.step)} saves {fmt(limit.saving)} points"
            + ("" if limit.real_limit else " (the bound is not marked a real limit)")
        )
    words = (at_max, f"{name} is {quantity(lever.max - amount, lever.unit)} below its maximum")
    return _row(member.key, member.kind, amount, lever.max, lever.max - amount, words)


def _smallest_use_row(instance: Instance, evaluation: Evaluation, lever_name: str) -> dict:
    lever = instance.levers[lever_name]
    amount = evaluation.package.amount[lever_name]
    name = label(instance.levers, lever_name)
    words = (
        f"{name} is at its smallest used amount ({quantity(lever.min_if_used, lever.unit)})",
        f"{name} is above its smallest used amount",
    )
    key = f"levers.{lever_name}.min_if_used"
    return _row(key, "lever_min", amount, lever.min_if_used, amount - lever.min_if_used, words)


def _logical_line_row(instance: Instance, member: Member, saving: float) -> dict:
    line = instance.red_line(member.name)
    name = line.label or line.name
    binding = saving > 0
    statement = (
        f"{name} ({line.kind}) rules out a cheaper package: it costs {fmt(saving)} points"
        if binding
        else f"{name} ({line.kind}) does not change the answer"
    )
    return {
        "constraint": member.key,
        "kind": member.kind,
        "value": None,
        "bound": None,
        "slack": None,
        "binding": binding,
        "statement": statement,
    }
