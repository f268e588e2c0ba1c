"""Dated provenance: where each number of an instance comes from, and when it was known.

Two optional top-level sections of an instance file date its numbers:

- ``as_of`` (``YYYY-MM-DD``): the moment whose knowledge the instance models;
- ``provenance``: a ``--set`` path of the normalised instance (:mod:`optimizer.paths`, red
  lines by name) -> :class:`~optimizer.schema.ProvenanceEntry`, saying where the number at that path comes
  from, when it was published and by when it was known.

An unquoted ``2025-05-18`` is read as text by :mod:`optimizer.yamlfile` (YAML 1.2 core schema,
no timestamps), and a quoted one is text too: dates are always text here, checked to be real
calendar dates. An unquoted ``2024`` is an integer: a year.

A bare year or fiscal year is dated conservatively, by its *end*: ``published: 2024`` counts as
known by 31 December 2024, and ``FY2024`` (the April-March fiscal year of the Japanese and UK
governments) by 31 March 2025, unless ``known_by`` says otherwise. A source published after
``as_of`` but reporting a position public earlier may give an earlier ``known_by``; its ``note``
must then say so (an entry known before it was published needs a note).

The numbers that must carry provenance in a real-world instance (:func:`provenance_required`) are
those an analyst has to defend: thresholds (``demands.*``, ``offers.*.requires.*``), weights,
caps (``max``/``min`` of ``max_cost`` and ``limit`` red lines) and lever bounds (``levers.*.max``).
A lever bound that is a real limit (physical, legal or budget: the most that could be offered)
is marked ``limit: true``; :mod:`optimizer.bounds` accepts an optimum resting on a bound only
when it is so marked.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

from .paths import normalised_data, number_slots, value_at
from .schema import Instance, known_by_date


def provenance_required(instance: Instance) -> Iterator[str]:
    """Every path whose number must carry provenance: thresholds, weights, caps and lever bounds.

    These are the numbers of the model that are always parameters (:func:`optimizer.paths.number_slots`:
    weights, global demands, red-line bounds, lever maxima) and every offer's requirements.
    """
    for path, _, always in number_slots(instance):
        if always or path.startswith("offers.") and ".requires." in path:
            yield path


def missing_provenance(instance: Instance) -> list[str]:
    """The paths of :func:`provenance_required` that the instance's provenance does not cover."""
    return [path for path in provenance_required(instance) if path not in instance.provenance]


def dating_problems(instance: Instance) -> list[tuple[str, str]]:
    """``(path, message)`` for every provenance entry that is wrong about ``instance``.

    An entry is wrong when its path does not address a value of the normalised instance,
    when ``limit`` marks anything but a lever bound, or when its number was known only after
    ``as_of`` (no such check without ``as_of``). The path of a problem is
    ``provenance.<entry path>``.
    """
    data = normalised_data(instance)
    as_of = None if instance.as_of is None else dt.date.fromisoformat(instance.as_of)
    problems = []
    for path, entry in instance.provenance.items():
        where = f"provenance.{path}"
        if value_at(data, path) is None:
            problems.append((where, f"'{path}' is not a value of this instance"))
            continue
        if entry.limit and not re.fullmatch(r"levers\.[^.]+\.max", path):
            problems.append((where, "'limit' marks a lever bound (levers.NAME.max) as a real limit"))
        known = known_by_date(entry)
        if as_of is not None and known > as_of:
            problems.append((where, f"known by {known.isoformat()}, after as_of {as_of.isoformat()}"))
    return problems


AUDIT_COLUMNS = ("path", "value", "source", "published", "known_by", "supported")
"""The columns of the audit table of docs/calibration.md."""


def audit_rows(instance: Instance) -> list[tuple[str, ...]]:
    """One row of the audit table per provenance entry, in the order of the section.

    ``supported`` is ``judgement`` for our own numbers and ``yes`` for a number read off its
    source (a number no source supports is made judgement or removed, so it has no row).
    """
    data = normalised_data(instance)
    rows = []
    for path, entry in instance.provenance.items():
        value = value_at(data, path)
        rows.append(
            (
                path,
                _show(value),
                entry.source or "ours",
                str(entry.published),
                known_by_date(entry).isoformat(),
                "judgement" if entry.judgement else "yes",
            )
        )
    return rows


def _show(value: Any) -> str:
    """A value as the audit table shows it: numbers with up to 6 significant digits, curves as [upper, marginal] pairs."""
    if isinstance(value, list):
        return ", ".join(f"[{_show(upper)}, {_show(marginal)}]" for upper, marginal in value)
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)


def markdown_row(row: tuple[str, ...]) -> str:
    """An audit row as a line of a Markdown table (``|`` in text escaped)."""
    return "| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |"
