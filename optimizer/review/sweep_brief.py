"""The one-screen brief of a sweep: which tier wins where, where it switches, what it costs, and the offer map.

``dealopt review SWEEP_FOLDER`` prints it first; the HTML report and
``brief.md`` render the same dict. The offer map is the winning tier (and
its cost) over two swept parameters: a heat map when both are ``grid``
paths, a scatter coloured by tier otherwise (``zip`` and ``sample`` specs);
:func:`~optimizer.review.plots.offer_map_figure` draws it.
"""

from __future__ import annotations

import textwrap
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

import pandas as pd

from ..formatting import fmt, percent, plain, plain_records
from .cells import decoded, is_number
from .folders import PARAM_PREFIX, ReviewError, SweepFolder, read_folder
from .grid import MAX_PANELS, dimensions, held_fixed, short_context
from .labels import Labels
from .query import only, resolve_column
from .states import PackageState
from .switch_points import switch_points

MAX_LINES = 60
"""The brief fits one screen: at most this many lines."""
LINE_WIDTH = 100
"""Lines wrap at this many characters (wrapped parts count as lines)."""
TEXT_MAP_COLUMNS = 40
TEXT_MAP_ROWS = 16
"""The terminal shows the offer map as letters when it has at most this many columns and rows."""
NO_PACKAGE = "·"
"""The offer map's symbol for a scenario without a package."""
MAX_NAMES = 8
"""A tier's region names at most this many named scenarios."""
COST_MEANING = "below 0 a net gain at home, above 0 a net loss"


def sweep_brief(
    folder: str | Path | SweepFolder,
    where: Iterable[str] | None = None,
    axes: str | Sequence[str] | None = None,
    switches: pd.DataFrame | None = None,
) -> dict:
    """A sweep's brief as JSON-ready data; ``where`` keeps the scenarios meeting every condition.

    ``axes`` names the offer map's parameters (``"PATH_X,PATH_Y"``, each a
    swept path or its unique ending; one path plots the cost against it);
    the default is the spec's first two ``grid`` paths, else the first two
    swept dimensions. ``switches`` are switch points already found (refined,
    say) for the same scenarios; they are found when not given.

    Keys:

    - ``lines``: the plain-text summary, at most :data:`MAX_LINES` lines of at most :data:`LINE_WIDTH` characters.
    - ``title``, ``where`` (the conditions), ``scenarios`` (shown), ``total`` (in the folder),
      ``statuses`` (status -> count).
    - ``swept``: one entry per swept dimension: ``path``, ``label``, ``unit``, ``values`` (distinct, sorted),
      ``min``, ``max``.
    - ``cost``: the net political cost over scenarios with a package: ``min``, ``max``, ``min_id``,
      ``max_id``, ``unit``, ``meaning``; None when no scenario has one.
    - ``tiers``: the winning tiers, in the instance's offer order, then statuses without a package: ``key``
      (offer name, or status), ``label``, ``symbol`` (its letter in the text map), ``has_package``,
      ``walk_away``, ``scenarios``, ``share`` (0..1), ``cost_min``, ``cost_max``, ``names`` (its named
      scenarios, when the spec sweeps no path), ``region`` (where it wins, in words).
    - ``switches``: where along a swept parameter the winning tier changes: ``parameter``, ``label``,
      ``unit``, ``context`` (the other swept values), ``low``, ``high``, ``switch`` (refined value or None),
      ``from``, ``to`` (tier keys), ``sentence``.
    - ``sampled``: the swept paths drawn by a ``sample`` block; neighbouring draws differ in every one of
      them, so no switch point is sought along them (the offer map shows them).
    - ``package_changes``: how many switch points change the package without changing the tier.
    - ``offer_map``: ``kind`` (``heatmap``, ``scatter`` or None), ``x`` and ``y`` (each ``path`` — None for
      the cost axis —, ``label``, ``unit``, ``values``), ``panels`` (each ``context`` and ``cells``:
      ``id``, ``x``, ``y``, ``tier``, ``objective``), ``omitted_panels``, and ``text`` (the letter map's
      lines, empty when too large).
    """
    sweep = _sweep_folder(folder)
    shown = only(sweep, where or ())
    labels = shown.labels.shortened()
    if switches is None:
        switches = switch_points(shown)
    sampled = shown.sampled
    rows = plain_records(shown.scenarios)
    tier_of = {str(row["id"]): _tier(shown, row) for row in rows}
    tiers = _tiers(shown, rows, tier_of, labels)
    offer_map = _offer_map(shown, rows, tier_of, labels, _axes(shown, axes), tiers)
    brief = {
        "title": _title(shown),
        "where": list(where or ()),
        "scenarios": len(rows),
        "total": len(sweep.scenarios),
        "statuses": dict(Counter(str(row["status"]) for row in rows)),
        "swept": _swept(shown, labels, sampled),
        "sampled": sampled,
        "cost": _cost(rows, labels),
        "tiers": tiers,
        "switches": _tier_switches(shown, switches, tier_of, tiers, labels),
        "offer_map": offer_map,
    }
    brief["package_changes"] = len(switches) - len(brief["switches"])
    brief["lines"] = _lines(brief)
    return brief


def _sweep_folder(folder: str | Path | SweepFolder) -> SweepFolder:
    found = folder if isinstance(folder, SweepFolder) else read_folder(folder)
    if not isinstance(found, SweepFolder):
        raise ReviewError(found.path, "is a single solve: the sweep brief needs a sweep folder")
    return found


def _title(sweep: SweepFolder) -> str:
    instance = sweep.labels.instance
    return sweep.spec.get("title") or (instance.title or instance.name if instance else sweep.name)


def _tier(sweep: SweepFolder, row: dict) -> str:
    """A scenario's winning tier: its granted offer, '' for a package with no offer, else its status."""
    state = sweep.state(row)
    if not state.has_package:
        return state.status
    return state.offer or ""


def _tiers(sweep: SweepFolder, rows: list[dict], tier_of: dict, labels: Labels) -> list[dict]:
    counts = Counter(tier_of.values())
    packaged = {tier_of[str(row["id"])] for row in rows if sweep.state(row).has_package}
    offers = list(labels.instance.offer_items) if labels.instance else []
    order = [t for t in offers if t in counts] + sorted(t for t in counts if t not in offers)
    names = [_tier_label(t, t in packaged, labels) for t in order]
    tiers = []
    for key, name, symbol in zip(order, names, _symbols(names, [t in packaged for t in order]), strict=True):
        costs = [row["objective"] for row in rows if tier_of[str(row["id"])] == key and is_number(row["objective"])]
        priced = key in packaged and bool(costs)
        names_of = [row.get("name") for row in rows if tier_of[str(row["id"])] == key and row.get("name")]
        tiers.append(
            {
                "key": key,
                "label": name,
                "symbol": symbol,
                "has_package": key in packaged,
                "walk_away": _walks_away(key, labels),
                "scenarios": counts[key],
                "share": counts[key] / len(rows),
                "cost_min": min(costs) if priced else None,
                "cost_max": max(costs) if priced else None,
                "names": names_of if not sweep.parameters else [],
            }
        )
    return tiers


def _walks_away(tier: str, labels: Labels) -> bool:
    offer = labels.instance.offer_items.get(tier) if labels.instance else None
    return bool(offer and offer.walk_away)


def _tier_label(tier: str, has_package: bool, labels: Labels) -> str:
    if not has_package:
        return f"no package ({tier})"
    return labels.offer(tier) if tier else "a package"


def _symbols(names: list[str], with_package: list[bool]) -> list[str]:
    """One letter per tier for the text map: its initial when free, else the next free capital letter."""
    taken: set[str] = set()
    symbols = []
    for name, package in zip(names, with_package, strict=True):
        if not package:
            symbols.append(NO_PACKAGE)
            continue
        initial = (name[:1] or "?").upper()
        letter = initial if initial not in taken else next(c for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ" if c not in taken)
        taken.add(letter)
        symbols.append(letter)
    return symbols


def _swept(sweep: SweepFolder, labels: Labels, sampled: list[str]) -> list[dict]:
    entries = []
    for path in dict.fromkeys([*dimensions(sweep), *sampled]):
        values = _distinct(sweep.scenarios[PARAM_PREFIX + path])
        numbers = [v for v in values if is_number(v)]
        label, unit = labels.parameter(path)
        entries.append(
            {
                "path": path,
                "label": label,
                "unit": unit,
                "values": values,
                "min": min(numbers) if numbers else None,
                "max": max(numbers) if numbers else None,
            }
        )
    return entries


def _distinct(column: pd.Series) -> list:
    values = list(dict.fromkeys(decoded(plain(v)) for v in column if plain(v) is not None))
    return sorted(values) if all(is_number(v) for v in values) else values


def _cost(rows: list[dict], labels: Labels) -> dict | None:
    packaged = PackageState.WITH_PACKAGE
    priced = [row for row in rows if is_number(row.get("objective")) and str(row["status"]) in packaged]
    if not priced:
        return None
    low = min(priced, key=lambda row: row["objective"])
    high = max(priced, key=lambda row: row["objective"])
    return {
        "min": low["objective"],
        "max": high["objective"],
        "min_id": str(low["id"]),
        "max_id": str(high["id"]),
        "unit": labels.cost_unit or "points",
        "meaning": COST_MEANING,
    }


def _tier_switches(
    sweep: SweepFolder, switches: pd.DataFrame, tier_of: dict, tiers: list[dict], labels: Labels
) -> list[dict]:
    """The switch points at which the winning tier changes."""
    names = {tier["key"]: tier["label"] for tier in tiers}
    found = []
    for entry in plain_records(switches):
        before, after = tier_of.get(str(entry["low_id"])), tier_of.get(str(entry["high_id"]))
        if before == after or before is None or after is None:
            continue
        label, unit = labels.parameter(entry["parameter"])
        switch = entry.get("switch")
        unit_text = f" {unit}" if unit else ""
        where = (
            f"at {fmt(switch)}{unit_text} (± {fmt(entry['within'])})"
            if switch is not None
            else f"between {fmt(entry['low'])} and {fmt(entry['high'])}{unit_text}"
        )
        context = f" ({short_context(sweep, entry['context'])})" if entry["context"] else ""
        found.append(
            {
                "parameter": entry["parameter"],
                "label": label,
                "unit": unit,
                "context": entry["context"],
                "low": entry["low"],
                "high": entry["high"],
                "switch": switch,
                "from": before,
                "to": after,
                "sentence": f"{label} {where}{context}: {names[before]} → {names[after]}",
            }
        )
    return found


def _axes(sweep: SweepFolder, axes: str | Sequence[str] | None) -> list[str]:
    """The offer map's parameters: as asked, else the first two grid paths, else the first two dimensions."""
    if axes is not None:
        names = [a.strip() for a in (axes.split(",") if isinstance(axes, str) else axes) if a.strip()]
        if not 1 <= len(names) <= 2:
            raise ReviewError("--axes", "give one or two swept paths: PATH_X,PATH_Y")
        chosen = [resolve_column(n, sweep.parameters, "--axes") for n in names]
        if len(set(chosen)) < len(chosen):
            raise ReviewError("--axes", f"'{chosen[0]}' is named twice: give two different paths")
        return chosen
    grid = [p for p in sweep.spec_paths("grid") if p in sweep.parameters]
    if len(grid) >= 2:
        return grid[:2]
    found = [*grid, *sweep.spec_paths("sample"), *dimensions(sweep)]
    return list(dict.fromkeys(p for p in found if p in sweep.parameters))[:2]


def _offer_map(
    sweep: SweepFolder, rows: list[dict], tier_of: dict, labels: Labels, axes: list[str], tiers: list[dict]
) -> dict:
    empty = {"kind": None, "x": None, "y": None, "panels": [], "omitted_panels": 0, "text": []}
    if not axes or not rows:
        return empty
    grid = sweep.spec_paths("grid")
    heatmap = len(axes) == 2 and all(a in grid for a in axes)
    kind = "heatmap" if heatmap else "scatter"
    x = _axis(sweep, labels, axes[0])
    y = _axis(sweep, labels, axes[1]) if len(axes) == 2 else _cost_axis(labels)
    contexts = list(held_fixed(sweep, axes)) if heatmap else [("", _with_values(sweep.scenarios, axes))]
    panels = [
        {"context": short_context(sweep, context), "cells": _cells(frame, axes, tier_of)}
        for context, frame in contexts[:MAX_PANELS]
    ]
    offer_map = {
        "kind": kind,
        "x": x,
        "y": y,
        "panels": panels,
        "omitted_panels": max(0, len(contexts) - MAX_PANELS),
    }
    offer_map["text"] = _text_map(offer_map, tiers) if heatmap and len(panels) == 1 else []
    return offer_map


def _with_values(frame: pd.DataFrame, axes: list[str]) -> pd.DataFrame:
    return frame[frame[[PARAM_PREFIX + a for a in axes]].notna().all(axis=1)]


def _axis(sweep: SweepFolder, labels: Labels, path: str) -> dict:
    label, unit = labels.parameter(path)
    return {"path": path, "label": label, "unit": unit, "values": _distinct(sweep.scenarios[PARAM_PREFIX + path])}


def _cost_axis(labels: Labels) -> dict:
    return {"path": None, "label": "net political cost", "unit": labels.cost_unit or "points", "values": []}


def _cells(frame: pd.DataFrame, axes: list[str], tier_of: dict) -> list[dict]:
    cells = []
    for row in plain_records(frame):
        x = decoded(row[PARAM_PREFIX + axes[0]])
        y = decoded(row[PARAM_PREFIX + axes[1]]) if len(axes) == 2 else row.get("objective")
        cells.append(
            {"id": str(row["id"]), "x": x, "y": y, "tier": tier_of[str(row["id"])], "objective": row.get("objective")}
        )
    return cells


def _text_map(offer_map: dict, tiers: list[dict]) -> list[str]:
    """The offer map as letters, one row per y value (highest first), one column per x value."""
    xs, ys = offer_map["x"]["values"], offer_map["y"]["values"]
    if len(xs) > TEXT_MAP_COLUMNS or len(ys) > TEXT_MAP_ROWS:
        return []
    symbol = {tier["key"]: tier["symbol"] for tier in tiers}
    at = {(c["x"], c["y"]): symbol[c["tier"]] for c in offer_map["panels"][0]["cells"]}
    width = max(len(fmt(y)) for y in ys)
    lines = [f"{fmt(y):>{width}} │ " + " ".join(at.get((x, y), " ") for x in xs) for y in reversed(ys)]
    axis = f"{fmt(xs[0])} … {fmt(xs[-1])}" if len(xs) > 1 else fmt(xs[0])
    lines.append(f"{'':>{width}}   {axis}")
    return lines


def _range_text(low, high, unit: str | None = None) -> str:
    unit_text = f" {unit}" if unit else ""
    return f"{fmt(low)}{unit_text}" if low == high else f"{fmt(low)} to {fmt(high)}{unit_text}"


def _runs(values: list, winners: set) -> str:
    """'200–400, 450' for the runs of consecutive ``values`` that are in ``winners``."""
    runs: list[list] = []
    previous_won = False
    for value in values:
        won = value in winners
        if won and previous_won:
            runs[-1].append(value)
        elif won:
            runs.append([value])
        previous_won = won
    return ", ".join(fmt(r[0]) if len(r) == 1 else f"{fmt(r[0])}–{fmt(r[-1])}" for r in runs)


def _region(tier: dict, brief: dict) -> str:
    """Where a tier wins: along x for each y value (a single heat map), the runs along a single mapped
    parameter, else each swept range it covers (a scatter of two)."""
    offer_map = brief["offer_map"]
    if offer_map["kind"] == "heatmap" and len(offer_map["panels"]) == 1:
        x, y = offer_map["x"], offer_map["y"]
        cells = offer_map["panels"][0]["cells"]
        by_y = {}  # the x runs where the tier wins -> the y values they hold at
        for value in y["values"]:
            winners = {c["x"] for c in cells if c["y"] == value and c["tier"] == tier["key"]}
            if winners:
                by_y.setdefault(_runs(x["values"], winners), set()).add(value)
        parts = [(runs, _runs(y["values"], held)) for runs, held in by_y.items()]
        if not parts:
            return ""
        (runs, held), rest = parts[0], parts[1:]
        first = f"{x['label']}{_unit(x)} {runs} at {y['label']}{_unit(y)} {held}"
        return "; ".join([first, *(f"{runs} at {held}" for runs, held in rest)])
    if tier["names"]:
        more = len(tier["names"]) - MAX_NAMES
        return "in " + ", ".join(tier["names"][:MAX_NAMES]) + (f" and {more} more" if more > 0 else "")
    if offer_map["kind"] and offer_map["y"]["path"] is None:  # one parameter: the runs along it
        x, cells = offer_map["x"], offer_map["panels"][0]["cells"]
        winners = {c["x"] for c in cells if c["tier"] == tier["key"]}
        return f"{x['label']}{_unit(x)} {_runs(x['values'], winners)}" if winners else ""
    ranges = []
    for panel in offer_map["panels"]:
        for axis, key in ((offer_map["x"], "x"), (offer_map["y"], "y")):
            if axis["path"] is None:
                continue
            values = [c[key] for c in panel["cells"] if c["tier"] == tier["key"] and is_number(c[key])]
            if values:
                ranges.append(f"{axis['label']} {_range_text(min(values), max(values), axis['unit'])}")
    return "; ".join(dict.fromkeys(ranges))


def _unit(axis: dict) -> str:
    return f" ({axis['unit']})" if axis["unit"] else ""


def _lines(brief: dict) -> list[str]:
    """The brief as text: what was swept, the cost range, who wins where, the switches, the offer map."""
    head = [brief["title"], _scenario_line(brief)]
    head += [
        f"Swept: {s['label']} {_range_text(s['min'], s['max'], s['unit'])} ({len(s['values'])} value{'' if len(s['values']) == 1 else 's'})"
        for s in brief["swept"]
        if s["min"] is not None
    ]
    cost = brief["cost"]
    if cost is not None:
        head.append(f"Net political cost: {_range_text(cost['min'], cost['max'], cost['unit'])} ({cost['meaning']})")
    tiers = ["", "Which tier wins where:"]
    for tier in brief["tiers"]:
        tier["region"] = _region(tier, brief)
        costs = f", cost {_range_text(tier['cost_min'], tier['cost_max'])}" if tier["cost_min"] is not None else ""
        tiers.append(
            f"  {tier['symbol']} {tier['label']}: {tier['scenarios']} of {brief['scenarios']} scenarios "
            f"({percent(tier['share'])}){costs}"
        )
        if tier["region"]:
            tiers.append(f"      {tier['region']}")
    offer_map = brief["offer_map"]
    tail = []
    if offer_map["text"]:
        tail = ["", f"Offer map ({offer_map['y']['label']} up, {offer_map['x']['label']} across):"]
        tail += [f"  {line}" for line in offer_map["text"]]
    if offer_map["kind"]:
        tail.append(f"Figure: offer_map ({offer_map['kind']}; review --plots writes it, report shows it)")
    switches = _switch_lines(brief)
    budget = MAX_LINES - len(_wrapped(head + tiers + tail))
    return _wrapped(head + tiers + _fit(switches, budget) + tail)[:MAX_LINES]


def _scenario_line(brief: dict) -> str:
    statuses = ", ".join(f"{n} {s}" for s, n in brief["statuses"].items())
    where = f" of {brief['total']}, where {' and '.join(brief['where'])}" if brief["where"] else ""
    return f"{brief['scenarios']} scenarios{where}: {statuses or 'none'}"


def _switch_lines(brief: dict) -> list[str]:
    lines = ["", f"Switch points, where the winning tier changes: {len(brief['switches']) or 'none'}"]
    if brief["sampled"]:
        names = ", ".join(s["label"] for s in brief["swept"] if s["path"] in brief["sampled"])
        lines.append(f"  (none sought along sampled {names}: neighbouring draws differ in each; see the offer map)")
    lines += [f"  {s['sentence']}" for s in brief["switches"]]
    if brief["package_changes"]:
        lines.append(f"  ({brief['package_changes']} other package changes keep the tier: see Switch points)")
    return lines


def _fit(lines: list[str], budget: int) -> list[str]:
    """``lines`` cut to ``budget`` wrapped lines, the last saying how many were left out."""
    if len(_wrapped(lines)) <= budget:
        return lines
    kept = []
    for line in lines:
        if len(_wrapped([*kept, line])) >= budget:
            break
        kept.append(line)
    return [*kept, f"  … {len(lines) - len(kept)} more (see Switch points)"]


def _wrapped(lines: list[str]) -> list[str]:
    wrapped = []
    for line in lines:
        indent = " " * (len(line) - len(line.lstrip()) + 2)
        wrapped += textwrap.wrap(line, LINE_WIDTH, subsequent_indent=indent, break_on_hyphens=False) or [""]
    return wrapped
