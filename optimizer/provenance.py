"""Dated provenance: where each number of an instance comes from, and when it was known.

Two optional top-level sections of an instance file date its numbers:

- ``as_of`` (``YYYY-MM-DD``): the moment whose knowledge the instance models;
- ``provenance``: a ``--set`` path of the normalised instance (:mod:`optimizer.paths`, red
  lines by name) -> :class:`ProvenanceEntry`, saying where the number at that path comes
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
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Annotated, Any, Protocol

from pydantic import AfterValidator, Field, model_validator

from .schema import Flag, Strict, Text

if TYPE_CHECKING:  # the Instance model will hold this module's sections, so it cannot be imported here
    from .schema import Instance

_FISCAL_YEAR = re.compile(r"FY(?P<year>[0-9]{4})")
FISCAL_YEAR_END = (3, 31)
"""Month and day on which fiscal year FY<n> ends, in year n + 1 (April-March, Japan and the UK)."""


def _calendar_date(text: str) -> str:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"'{text}' is not a calendar date; write YYYY-MM-DD") from None
    return text


def _fiscal_year(text: str) -> str:
    if _FISCAL_YEAR.fullmatch(text) is None:
        raise ValueError(f"'{text}' is neither a date (YYYY-MM-DD) nor a fiscal year (FY2024)")
    return text


IsoDate = Annotated[str, Field(strict=True, pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"), AfterValidator(_calendar_date)]
"""A calendar date written ``YYYY-MM-DD``."""
Year = Annotated[int, Field(strict=True, ge=1900, le=2100)]
"""A calendar year, such as 2024."""
FiscalYear = Annotated[str, Field(strict=True), AfterValidator(_fiscal_year)]
"""A fiscal year written ``FY2024`` (April 2024 to March 2025)."""
Published = Year | IsoDate | FiscalYear
"""When a source appeared: a date, a year or a fiscal year."""


class ProvenanceEntry(Strict):
    """Where one number comes from, and when it was known."""

    source: Text | None = None
    """The source, by name and date (outlet, publication, dataset); required unless ``judgement`` is true."""
    published: Published
    """When the source (or, for a judgement, the latest fact it rests on) was published:
    ``YYYY-MM-DD``, a year (``2024``) or a fiscal year (``FY2024``). A year or fiscal year
    counts as known by its last day."""
    known_by: IsoDate | None = None
    """The date by which the number was public; defaults to ``published`` (its last day for a
    year). Earlier than ``published`` only for a source reporting an earlier public position,
    with a ``note`` saying so."""
    judgement: Flag = False
    """True when the number is ours (a calibration call), not read off a source."""
    limit: Flag = False
    """For a lever bound (``levers.*.max``) only: the bound is a real physical, legal or budget
    limit, the most that could be offered, so an optimum may rest on it."""
    note: Text | None = None
    """The reasoning: the arithmetic, or why a judgement is what it is."""

    @model_validator(mode="after")
    def _sourced_or_judged(self):
        if self.source is None and not self.judgement:
            raise ValueError("give a 'source', or mark the number 'judgement: true' and explain it in 'note'")
        if self.judgement and self.note is None:
            raise ValueError("a judgement needs a 'note' with its reasoning")
        if self.note is None and known_by_date(self) < period_end(self.published):
            raise ValueError("known before it was published: say in 'note' which earlier public position it reports")
        return self


class Dating(Strict):
    """The two dating sections of an instance file, read on their own."""

    as_of: IsoDate | None = None
    """The date whose knowledge the instance models: no number may rest on anything known later."""
    provenance: dict[str, ProvenanceEntry] = {}
    """A ``--set`` path of the normalised instance -> where the number there comes from."""


class Dated(Protocol):
    """What holds ``as_of`` and ``provenance``: a :class:`Dating`, or an instance whose format has both."""

    as_of: str | None
    provenance: Mapping[str, ProvenanceEntry]


def period_end(published: int | str) -> dt.date:
    """The last day of a publication date, year or fiscal year."""
    if isinstance(published, int):
        return dt.date(published, 12, 31)
    fiscal = _FISCAL_YEAR.fullmatch(published)
    if fiscal:
        return dt.date(int(fiscal["year"]) + 1, *FISCAL_YEAR_END)
    return dt.date.fromisoformat(published)


def known_by_date(entry: ProvenanceEntry) -> dt.date:
    """The date by which ``entry``'s number was public: ``known_by``, else the end of ``published``."""
    if entry.known_by is not None:
        return dt.date.fromisoformat(entry.known_by)
    return period_end(entry.published)


def provenance_required(instance: Instance) -> Iterator[str]:
    """Every path whose number must carry provenance: thresholds, weights, caps and lever bounds."""
    for metric in instance.demands:
        yield f"demands.{metric}"
    for name, offer in instance.offer_items.items():
        for metric in offer.requires:
            yield f"offers.{name}.requires.{metric}"
    for name in instance.constituencies:
        yield f"constituencies.{name}.weight"
    for line in instance.red_lines:
        if line.kind in ("max_cost", "limit"):
            for bound in ("max", "min"):
                if getattr(line, bound, None) is not None:
                    yield f"red_lines.{line.name}.{bound}"
    for name, lever in instance.amount_levers.items():
        if lever.kind != "binary":
            yield f"levers.{name}.max"


def missing_provenance(instance: Instance, dated: Dated) -> list[str]:
    """The paths of :func:`provenance_required` that ``dated.provenance`` does not cover."""
    return [path for path in provenance_required(instance) if path not in dated.provenance]


def dating_problems(instance: Instance, dated: Dated) -> list[tuple[str, str]]:
    """``(path, message)`` for every provenance entry that is wrong about ``instance``.

    An entry is wrong when its path does not address a value of the normalised instance,
    when ``limit`` marks anything but a lever bound, or when its number was known only after
    ``as_of`` (no such check without ``as_of``). The path of a problem is
    ``provenance.<entry path>``.
    """
    from .paths import normalised_data  # paths imports the Instance model, which imports this module

    data = normalised_data(instance)
    as_of = None if dated.as_of is None else dt.date.fromisoformat(dated.as_of)
    problems = []
    for path, entry in dated.provenance.items():
        where = f"provenance.{path}"
        if lookup(data, path) is None:
            problems.append((where, f"'{path}' is not a value of this instance"))
            continue
        if entry.limit and not re.fullmatch(r"levers\.[^.]+\.max", path):
            problems.append((where, "'limit' marks a lever bound (levers.NAME.max) as a real limit"))
        known = known_by_date(entry)
        if as_of is not None and known > as_of:
            problems.append((where, f"known by {known.isoformat()}, after as_of {as_of.isoformat()}"))
    return problems


def lookup(data: Any, path: str) -> Any:
    """The value at a dotted path of normalised data (red lines by name, list items by position), or None."""
    node = data
    for part in path.split("."):
        if isinstance(node, dict):
            node = node.get(part)
        elif isinstance(node, list):
            if part.isdigit():
                node = node[int(part)] if int(part) < len(node) else None
            else:
                node = next((item for item in node if isinstance(item, dict) and item.get("name") == part), None)
        else:
            return None
        if node is None:
            return None
    return node


AUDIT_COLUMNS = ("path", "value", "source", "published", "known_by", "supported")
"""The columns of the audit table of docs/calibration.md."""


def audit_rows(instance: Instance, dated: Dated) -> list[tuple[str, ...]]:
    """One row of the audit table per provenance entry, in the order of the section.

    ``supported`` is ``judgement`` for our own numbers and ``yes`` for a number read off its
    source (a number no source supports is made judgement or removed, so it has no row).
    """
    from .paths import normalised_data  # as in dating_problems

    data = normalised_data(instance)
    rows = []
    for path, entry in dated.provenance.items():
        value = lookup(data, path)
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
