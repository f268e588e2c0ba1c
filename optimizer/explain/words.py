"""The domain's words: labels, packages, thresholds, red lines and their relaxations as sentences."""

from __future__ import annotations

from ..formatting import fmt
from ..kinds import Member, lever_kind, red_line_kind
from ..package import Package
from ..schema import Instance


def label(items: dict, name: str) -> str:
    """An entity's label, or its name when it has none."""
    return getattr(items[name], "label", None) or name


def quantity(value: float, unit: str | None) -> str:
    return f"{fmt(value)} {unit}" if unit else fmt(value)


def package_text(instance: Instance, package: Package) -> str:
    """One line: the used levers with their amounts or options, and the granted offer."""
    parts = [lever_kind(instance.levers[j]).in_words(j, value) for j, value in package.levers().items()]
    text = ", ".join(parts) or "nothing conceded"
    return f"{text}; offer {package.offer}" if package.offer else text


def member_text(instance: Instance, member: Member) -> str:
    """What the member asks, in words."""
    if member.family == "threshold":
        metric = label(instance.metrics, member.name)
        amount = quantity(member.bound, instance.metrics[member.name].unit)
        if member.kind == "demand":
            return f"the counterpart demands {metric} of at least {amount}"
        return f"{label(instance.offer_items, member.offer)} requires {metric} of at least {amount}"
    if member.kind == "lever_max":
        lever = instance.levers[member.name]
        return f"{label(instance.levers, member.name)} is at most {quantity(member.bound, lever.unit)}"
    if member.kind == "choice_required":
        return f"{label(instance.levers, member.name)} must pick one option"
    line = instance.red_line(member.name)
    return red_line_kind(line).rule(instance, line, member)


def relaxation_text(instance: Instance, member: Member, new_value: float | None) -> str:
    """The way out that moves a numeric ``member`` to ``new_value``, or drops a logical one, in words."""
    if not member.numeric:
        if member.kind == "choice_required":
            return f"make picking a {label(instance.levers, member.name)} option optional"
        return f"drop the red line {member_text(instance, member)}"
    change = abs(new_value - member.bound)
    moved = f"{fmt(member.bound)} -> {fmt(new_value)}"
    if member.family == "threshold":
        metric = instance.metrics[member.name]
        who = "the counterpart" if member.kind == "demand" else label(instance.offer_items, member.offer)
        return (
            f"ask {who} to accept {quantity(change, metric.unit)} less {label(instance.metrics, member.name)} ({moved})"
        )
    if member.kind == "lever_max":
        lever = instance.levers[member.name]
        return f"raise the cap on {label(instance.levers, member.name)} by {quantity(change, lever.unit)} ({moved})"
    line = instance.red_line(member.name)
    return red_line_kind(line).relaxation(instance, line, member, change, moved)
