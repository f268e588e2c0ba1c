"""The brief's words: concessions in the units people use."""

from __future__ import annotations

from ..explain.words import label
from ..formatting import fmt
from ..schema import Instance


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


def signed(value: float) -> str:
    """A difference for people, with its sign: "+2.4", "-1", "0"."""
    return f"+{fmt(value)}" if value > 0 else fmt(value)


def short(items: dict, name: str) -> str:
    """An entity's label without its parenthesised detail: "Farmers" for "Farmers (NFU; beef and wheat)"."""
    return without_detail(label(items, name))


def without_detail(text: str) -> str:
    """``text`` up to its first parenthesis: "United States" for "United States (USTR)"."""
    return text.split(" (", 1)[0] if not text.startswith("(") else text


def tier_name(instance: Instance, offer: str | None) -> str:
    """A tier's short label; "the package" for an instance without offers."""
    return short(instance.offer_items, offer) if offer is not None else "the package"
