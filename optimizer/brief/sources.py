"""Assumptions and sources: where each number behind the recommendation comes from, and which are judgement.

The numbers behind a recommendation are the used levers' (their costs and what they
give), the granted offer's (its thresholds and benefits), the constituencies' weights and
the limiting items' bounds. Each is listed with its ``source`` (the item's own, or the
``provenance:`` entry of its path), and marked judgement when its provenance says so.
"""

from __future__ import annotations

from ..explain.words import label
from ..paths import normalised_data, value_at
from ..schema import Instance


def sources(instance: Instance, levers: list[str], offer: str | None, limiting: list[str]) -> list[dict]:
    """One row per number or item behind the recommendation: what, path, value, source, judgement, note."""
    rows = []
    for name in levers:
        rows += _item(instance, f"levers.{name}", f"concession: {label(instance.levers, name)}", instance.levers[name])
    if offer is not None:
        rows += _item(
            instance, f"offers.{offer}", f"offer: {label(instance.offer_items, offer)}", instance.offer_items[offer]
        )
    for name in instance.constituencies:
        rows += _item(instance, f"constituencies.{name}.weight", f"weight of {label(instance.constituencies, name)}")
    listed = {row["path"] for row in rows}
    for key in limiting:
        rows += [row for row in _item(instance, key, f"limiting: {key}") if row["path"] not in listed]
    return rows


def _item(instance: Instance, path: str, what: str, item=None) -> list[dict]:
    """The item's own source, then every provenance entry at or under ``path``."""
    data = normalised_data(instance)
    rows = []
    if item is not None and (item.source or item.note):
        rows.append(_row(what, path, None, item.source, False, item.note))
    for key, entry in instance.provenance.items():
        if key == path or key.startswith(f"{path}."):
            rows.append(_row(what, key, value_at(data, key), entry.source, entry.judgement, entry.note))
    if not rows:
        rows.append(_row(what, path, value_at(data, path) if item is None else None, None, False, None))
    return rows


def _row(what: str, path: str, value, source: str | None, judgement: bool, note: str | None) -> dict:
    number = value if isinstance(value, int | float) and not isinstance(value, bool) else None
    return {"what": what, "path": path, "value": number, "source": source, "judgement": judgement, "note": note}
