"""The brief's words: concessions in the units people use, and one package as its difference from another."""

from __future__ import annotations

from ..evaluate import Evaluation
from ..explain.words import label
from ..formatting import fmt
from ..schema import Instance

MOVE = 1e-6
"""Relative change of an amount under which two packages concede the same amount."""


def concession(instance: Instance, lever_name: str, value: float | str) -> str:
    """One used lever as people say it: "Boeing aircraft orders: 38 aircraft", or its option's label."""
    lever = instance.levers[lever_name]
    name = label(instance.levers, lever_name)
    if isinstance(value, str):
        return f"{name}: {label(lever.options, value)}"
    if not lever.unit and value == 1:
        return name
    amount = f"{fmt(value)} {lever.unit}" if lever.unit else fmt(value)
    return f"{name}: {amount}"


def difference(instance: Instance, base: Evaluation, other: Evaluation) -> list[str]:
    """What ``other`` changes from ``base``: the offer, each lever, and who gains or loses most, in words."""
    changes = []
    if other.package.offer != base.package.offer:
        changes.append(f"offer: {label(instance.offer_items, other.package.offer)}")
    was, now = base.package.levers(), other.package.levers()
    for lever_name in instance.levers:
        before, after = was.get(lever_name), now.get(lever_name)
        name = label(instance.levers, lever_name)
        if before is None and after is None or before == after:
            continue
        if after is None:
            changes.append(f"no {name}")
        elif before is None:
            changes.append(f"add {concession(instance, lever_name, after)}")
        elif isinstance(after, str):
            options = instance.levers[lever_name].options
            changes.append(f"{name}: {label(options, after)} instead of {label(options, before)}")
        elif abs(after - before) > MOVE * max(1.0, abs(before)):
            unit = instance.levers[lever_name].unit
            changes.append(
                f"{'+' if after > before else '-'}{fmt(abs(after - before))}{f' {unit}' if unit else ''} {name}"
            )
    changes += _who_moves(instance, base, other)
    return changes or ["the same package"]


def _who_moves(instance: Instance, base: Evaluation, other: Evaluation) -> list[str]:
    """The constituency whose weighted net cost moves most, with its change in points."""
    moves = {k: group.weight * (other.net(k) - base.net(k)) for k, group in instance.constituencies.items()}
    if not moves:
        return []
    group, move = max(moves.items(), key=lambda pair: abs(pair[1]))
    if abs(move) <= MOVE * max(1.0, abs(base.objective)):
        return []
    return [f"{'+' if move > 0 else '-'}{fmt(abs(move))} points for {label(instance.constituencies, group)}"]
