"""The constraint groups a diagnosis can name and a relaxation can loosen, and instance edits on them.

A *member* is one thing that can stand in the way of an acceptable package:

- a counterpart threshold: a global demand (``demands.M``) or one offer's
  requirement (``offers.T.requires.M``);
- a red line: its numeric bound (``red_lines.R.max``, ``red_lines.R.min`` of
  ``max_cost`` and ``limit`` lines) or, for the logical kinds, the whole line
  (``red_lines.R``);
- a lever bound: an integer or continuous lever's ``max`` (``levers.J.max``), or
  a required choice (``levers.J.required``).

Each member's ``key`` is the ``--set`` path of its number where it has one.
Removing a member edits the instance the way a user would: a threshold or red
line is deleted, a lever's ``max`` goes to the format's ceiling (1e6) and a
required choice becomes optional. Integrality and ``min_if_used`` are part of
what a lever *is*, never members.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ..instance import LoadedInstance, validate_document
from ..paths import normalised_data
from ..schema import MAX_LEVER_AMOUNT, Instance
from ..yamlfile import Document

THRESHOLD = "threshold"
RED_LINE = "red_line"
LEVER_BOUND = "lever_bound"

LOGICAL_KINDS = ("forbid", "requires", "excludes", "offer", "conditional")


@dataclass(frozen=True)
class Member:
    """One threshold, red line or lever bound of an instance."""

    key: str
    """Dotted path: the ``--set`` path of its number, or ``red_lines.R`` / ``levers.J.required``."""
    kind: str
    """demand, offer_requirement, max_cost, limit_max, limit_min, a logical red-line kind,
    lever_max or choice_required."""
    family: str
    """threshold, red_line or lever_bound."""
    name: str
    """The metric (thresholds), red line or lever it is about."""
    bound: float | None = None
    """Its number; None for a logical member, which is relaxed only by dropping it."""
    sense: str | None = None
    """'>=' when a package must reach the bound, '<=' when it must stay below it."""
    offer: str | None = None
    """The offer of an offer requirement."""

    @property
    def numeric(self) -> bool:
        return self.bound is not None

    @property
    def scale(self) -> float:
        """What a relaxation of this member is divided by: max(1, |bound|); 1 for a logical member."""
        return max(1.0, abs(self.bound)) if self.bound is not None else 1.0

    def loosened(self, amount: float) -> float:
        """The bound moved by ``amount`` in the direction that admits more packages."""
        return self.bound - amount if self.sense == ">=" else self.bound + amount


def members_of(instance: Instance) -> list[Member]:
    """Every member of ``instance``: thresholds, then red lines, then lever bounds."""
    members = [
        Member(f"demands.{metric}", "demand", THRESHOLD, metric, value, ">=")
        for metric, value in instance.demands.items()
    ]
    members += [
        Member(f"offers.{t}.requires.{metric}", "offer_requirement", THRESHOLD, metric, value, ">=", offer=t)
        for t, offer in instance.offer_items.items()
        for metric, value in offer.requires.items()
    ]
    for line in instance.red_lines:
        base = f"red_lines.{line.name}"
        if line.kind == "max_cost":
            members.append(Member(f"{base}.max", "max_cost", RED_LINE, line.name, line.max, "<="))
        elif line.kind == "limit":
            if line.max is not None:
                members.append(Member(f"{base}.max", "limit_max", RED_LINE, line.name, line.max, "<="))
            if line.min is not None:
                members.append(Member(f"{base}.min", "limit_min", RED_LINE, line.name, line.min, ">="))
        else:
            members.append(Member(base, line.kind, RED_LINE, line.name))
    for j, lever in instance.levers.items():
        if lever.kind in ("integer", "continuous"):
            members.append(Member(f"levers.{j}.max", "lever_max", LEVER_BOUND, j, lever.max, "<="))
        elif lever.kind == "choice" and lever.required:
            members.append(Member(f"levers.{j}.required", "choice_required", LEVER_BOUND, j))
    return members


def edited(
    loaded: LoadedInstance, drop: Iterable[Member] = (), values: Mapping[Member, float] | None = None
) -> LoadedInstance:
    """The instance with the ``drop`` members removed and numeric members moved to ``values``.

    The result is validated like a file, and its ``overrides`` record the edits.
    """
    data = copy.deepcopy(normalised_data(loaded.instance))
    values = dict(values or {})
    record = []
    for member, value in values.items():
        value = math.ceil(value - 1e-9) if _is_integer_lever_max(loaded.instance, member) else value
        _set_number(data, member, value)
        record.append((member.key, value))
    emptied = set()
    for member in drop:
        emptied |= _remove(data, member)
        record.append((member.key, None))
    data["red_lines"] = [
        line
        for line in data["red_lines"]
        if line["name"] not in emptied and not (line["kind"] == "limit" and line["max"] is None and line["min"] is None)
    ]
    result = validate_document(Document(data, loaded.document.lines, loaded.document.file), None)
    result.overrides = loaded.overrides + tuple(record)
    return result


def kept_only(loaded: LoadedInstance, keep: Iterable[Member]) -> LoadedInstance:
    """The instance with every member except ``keep`` removed."""
    keep = set(keep)
    return edited(loaded, drop=[m for m in members_of(loaded.instance) if m not in keep])


def _is_integer_lever_max(instance: Instance, member: Member) -> bool:
    return member.kind == "lever_max" and instance.levers[member.name].kind == "integer"


def _red_line(data: dict, name: str) -> dict:
    return next(line for line in data["red_lines"] if line["name"] == name)


def _set_number(data: dict, member: Member, value: float) -> None:
    if member.kind == "demand":
        data["demands"][member.name] = value
    elif member.kind == "offer_requirement":
        data["offers"][member.offer]["requires"][member.name] = value
    elif member.kind == "lever_max":
        data["levers"][member.name]["max"] = value
    elif member.kind in ("max_cost", "limit_max"):
        _red_line(data, member.name)["max"] = value
    elif member.kind == "limit_min":
        _red_line(data, member.name)["min"] = value
    else:
        raise ValueError(f"{member.key} has no number to move; drop it instead")


def _remove(data: dict, member: Member) -> set[str]:
    """Remove ``member`` from ``data``; return the names of red lines to delete whole."""
    if member.kind == "demand":
        data["demands"].pop(member.name)
    elif member.kind == "offer_requirement":
        data["offers"][member.offer]["requires"].pop(member.name)
    elif member.kind == "lever_max":
        data["levers"][member.name]["max"] = MAX_LEVER_AMOUNT
    elif member.kind == "choice_required":
        data["levers"][member.name]["required"] = False
    elif member.kind == "limit_max":
        _red_line(data, member.name)["max"] = None
    elif member.kind == "limit_min":
        _red_line(data, member.name)["min"] = None
    else:
        return {member.name}
    return set()
