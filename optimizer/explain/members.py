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

from ..beliefs import prune_beliefs
from ..instance import LoadedInstance, validate_document
from ..kinds import RED_LINE, THRESHOLD, Member, lever_kind, red_line_kind
from ..paths import assign, normalised_data, without_sources_of
from ..schema import MAX_LEVER_AMOUNT, Instance
from ..yamlfile import Document


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
    members += [member for line in instance.red_lines for member in red_line_kind(line).members(line)]
    members += [member for j, lever in instance.levers.items() for member in lever_kind(lever).members(j, lever)]
    return members


def edited(
    loaded: LoadedInstance, drop: Iterable[Member] = (), values: Mapping[Member, float] | None = None
) -> LoadedInstance:
    """The instance with the ``drop`` members removed and numeric members moved to ``values``.

    The result is validated like a file, and its ``overrides`` record the edits. An edited number no
    longer rests on its source: the provenance entries of the edited paths go with them, and so do
    beliefs about numbers that were dropped.
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
    data["red_lines"] = [line for line in data["red_lines"] if line["name"] not in emptied and not _unbounded(line)]
    data["provenance"] = without_sources_of(data["provenance"], (key for key, _ in record))
    prune_beliefs(data)
    result = validate_document(Document(data, loaded.document.lines, loaded.document.file), None)
    result.overrides = loaded.overrides + tuple(record)
    return result


def kept_only(loaded: LoadedInstance, keep: Iterable[Member]) -> LoadedInstance:
    """The instance with every member except ``keep`` removed."""
    keep = set(keep)
    return edited(loaded, drop=[m for m in members_of(loaded.instance) if m not in keep])


def _is_integer_lever_max(instance: Instance, member: Member) -> bool:
    return member.kind == "lever_max" and lever_kind(instance.levers[member.name]).integral


def _unbounded(line: dict) -> bool:
    """True for a red line with bounds of which none is left (its last bound was dropped)."""
    return ("max" in line or "min" in line) and line.get("max") is None and line.get("min") is None


def _set_number(data: dict, member: Member, value: float) -> None:
    if not member.numeric:
        raise ValueError(f"{member.key} has no number to move; drop it instead")
    assign(data, member.key, value)


def _remove(data: dict, member: Member) -> set[str]:
    """Remove ``member`` from ``data``; return the names of red lines to delete whole."""
    if member.family == RED_LINE and not member.numeric:
        return {member.name}
    if member.kind == "lever_max":
        assign(data, member.key, MAX_LEVER_AMOUNT)
    elif member.kind == "choice_required":
        assign(data, member.key, False)
    else:  # a threshold leaves its mapping; a red line's bound becomes unset (the line goes with its last one)
        assign(data, member.key, None)
    return set()
