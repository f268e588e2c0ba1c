"""Figures of a review: who pays (a single solve), cost curves, package composition and the offer map (a sweep).

Figures are :class:`matplotlib.figure.Figure` objects, built without pyplot
or global state. Text is never parsed as math, so an analyst's "$bn" stays
"$bn"; axis labels carry units from the instance. Labels are short
(:meth:`~optimizer.review.labels.Labels.shortened`), legends sit outside the
plot area below it, titles wrap to the figure's width, and a lever or tier
keeps one style (:mod:`~optimizer.review.palette`) in every figure.
"""

from __future__ import annotations

import io
import math
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from ..contract import WEIGHTED_NET
from ..formatting import fmt, plain
from .cells import is_number
from .folders import PARAM_PREFIX, SolveFolder, SweepFolder
from .grid import MAX_PANELS, along, dimensions, short_context
from .labels import Labels
from .palette import NEUTRAL, NO_PACKAGE, QUALITATIVE, Style, styles
from .sweep_views import cost_curves, lever_costs

STYLE = {
    "text.usetex": False,
    "text.parse_math": False,
    "svg.fonttype": "none",
    "svg.hashsalt": "dealopt",
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.grid.axis": "y",
    "axes.axisbelow": True,
    "grid.color": "#e3e3e3",
    "legend.frameon": False,
    "axes.prop_cycle": matplotlib.cycler(color=list(QUALITATIVE)),
    "hatch.linewidth": 0.6,
}
"""Plain text (no math, no TeX), text kept as text in SVG, and a quiet, colour-blind-safe look."""
FILE_FORMATS = ("png", "svg")
PANEL_TITLE_WIDTH = 70
"""Panel titles (the other swept values) wrap at this many characters."""
WRAP_LABEL = 32
"""A value-axis label and unit longer than this put the unit on a second line."""
CHARACTER_WIDTH = 0.085
"""Inches per character of 9 pt text, a generous average: legends take columns by it."""
TITLE_CHARACTER_WIDTH = 0.11
"""Inches per character of a bold 10 pt title, a generous average: titles wrap by it."""
LEGEND_ROW = 0.22
"""Inches of height a legend row adds below the panels."""
ANNOTATED_CELLS = 200
"""The offer map writes each cell's cost in it up to this many cells a panel."""


@contextmanager
def plain_style() -> Iterator[None]:
    """The review style; figures are built and saved inside it so every text object is plain text."""
    with matplotlib.rc_context(STYLE):
        yield


def burden_figure(folder: SolveFolder) -> Figure:
    """Who pays: each constituency's cost and benefit as bars, its net as a dot."""
    table = folder.tables["constituencies"]
    labels = folder.labels.shortened()
    with plain_style():
        figure = Figure(figsize=(7, 1.2 + 0.45 * max(len(table), 1)), layout="constrained")
        axes = figure.add_subplot()
        rows = np.arange(len(table))
        names = [
            f"{labels.constituency(name)} (weight {fmt(weight)})"
            for name, weight in zip(table["constituency"], table["weight"], strict=True)
        ]
        axes.barh(rows, table["cost"], height=0.6, label="cost", color="#D55E00")
        axes.barh(rows, -table["benefit"], height=0.6, label="benefit (negative)", color="#009E73")
        axes.scatter(table["net"], rows, marker="D", color="black", zorder=3, label="net")
        axes.axvline(0, color="#555555", linewidth=0.8)
        axes.set_yticks(rows, names)
        axes.invert_yaxis()
        axes.grid(axis="x")
        axes.grid(axis="y", visible=False)
        axes.set_xlabel(labels.axis("political cost", labels.cost_unit))
        axes.set_title("Who pays")
        _legend(figure, [axes])
    return figure


def cost_curve_figure(sweep: SweepFolder, parameter: str, switches: pd.DataFrame) -> Figure:
    """Net political cost along ``parameter`` (bold), each constituency's weighted net value (thin), switch points marked.

    A switch is a shaded grid interval, or a dotted line at the refined switch value.
    """
    curves = cost_curves(sweep)
    curves = curves[curves["parameter"] == parameter]
    labels = sweep.labels.shortened()
    shares = [c for c in curves.columns if c.startswith(WEIGHTED_NET)]
    with plain_style():
        figure, panels = _panels(sweep, parameter, f"Net political cost along {labels.parameter(parameter)[0]}")
        for (context, _), axes in panels:
            curve = curves[curves["context"] == context]
            x = _positions(axes, curve["value"])
            axes.plot(x, curve["objective"], color="black", linewidth=2, marker="o", markersize=3, label="net cost")
            for column in shares:
                name = labels.constituency(column.removeprefix(WEIGHTED_NET))
                axes.plot(x, curve[column], linewidth=1, label=name)
            without = x[curve["objective"].isna()]
            axes.plot(without, [0.02] * len(without), "x", color="#D55E00", transform=axes.get_xaxis_transform())
            axes.lines[-1].set_label("no package")
            _mark_switches(axes, switches[(switches["parameter"] == parameter) & (switches["context"] == context)])
            _label_axes(axes, short_context(sweep, context), labels.axis(*labels.parameter(parameter)))
            _label_value_axis(axes, "net political cost", labels.cost_unit)
        _legend(figure, [axes for _, axes in panels])
    return figure


def composition_figure(sweep: SweepFolder, parameter: str) -> Figure:
    """The package along ``parameter``: each used lever's weighted political cost, stacked (needs the base instance)."""
    costs = lever_costs(sweep)
    labels = sweep.labels.shortened()
    levers = list(dict.fromkeys(costs["lever"]))
    by_lever = costs.pivot_table(index="id", columns="lever", values="cost", aggfunc="sum")
    looks = lever_styles(sweep)
    with plain_style():
        figure, panels = _panels(sweep, parameter, f"Package along {labels.parameter(parameter)[0]}")
        for (context, scenarios), axes in panels:
            values = scenarios[PARAM_PREFIX + parameter]
            heights = by_lever.reindex(index=scenarios["id"], columns=levers).fillna(0.0)
            positions = _positions(axes, values, categorical=True)
            above, below = np.zeros(len(values)), np.zeros(len(values))
            for lever in levers:
                height = heights[lever].to_numpy()
                bottom = np.where(height >= 0, above, below)
                look = looks.get(lever, Style(NEUTRAL))
                axes.bar(
                    positions,
                    height,
                    bottom=bottom,
                    width=0.7,
                    color=look.colour,
                    hatch=look.hatch,
                    edgecolor="white",
                    label=labels.lever(lever),
                )
                above, below = above + np.maximum(height, 0), below + np.minimum(height, 0)
            _label_axes(axes, short_context(sweep, context), labels.axis(*labels.parameter(parameter)))
            _label_value_axis(axes, "weighted cost by lever", labels.cost_unit)
        _legend(figure, [axes for _, axes in panels])
    return figure


def lever_styles(sweep: SweepFolder) -> dict[str, Style]:
    """Each lever's style, by its place in the base instance (then by name): the same in every figure."""
    known = list(sweep.labels.instance.levers) if sweep.labels.instance else []
    others = sorted(set(str(j) for j in sweep.levers["lever"]) - set(known))
    return styles(known + others)


def tier_styles(brief: dict) -> dict[str, Style]:
    """Each tier's style in the offer map: walking away grey, no package near white, the rest the palette's."""
    looks, colours = {}, iter(styles([t["key"] for t in brief["tiers"]]).values())
    for tier in brief["tiers"]:
        if not tier["has_package"]:
            looks[tier["key"]] = Style(NO_PACKAGE, "xxx")
        elif tier.get("walk_away"):
            looks[tier["key"]] = Style(NEUTRAL)
        else:
            looks[tier["key"]] = next(colours)
    return looks


def offer_map_figure(brief: dict) -> Figure:
    """The offer map of a :func:`~optimizer.review.sweep_brief.sweep_brief`: the winning tier over two parameters.

    A heat map (one cell per grid point, coloured by tier, its net cost written
    in it) when both parameters are grid paths; else a scatter coloured by tier
    (against the net cost when only one parameter is mapped).
    """
    offer_map = brief["offer_map"]
    x, y = offer_map["x"], offer_map["y"]
    looks = tier_styles(brief)
    names = {t["key"]: t["label"] for t in brief["tiers"]}
    with plain_style():
        count = len(offer_map["panels"])
        columns = 1 if count == 1 else 2
        rows = math.ceil(count / columns)
        figure = Figure(figsize=(5.6 * columns, 1.2 + 3.2 * rows), layout="constrained")
        grid = figure.subplots(rows, columns, squeeze=False)
        for extra in grid.flat[count:]:
            extra.set_visible(False)
        for panel, axes in zip(offer_map["panels"], grid.flat, strict=False):
            if offer_map["kind"] == "heatmap":
                _heat_cells(axes, panel["cells"], x["values"], y["values"], looks, names)
            else:
                _scatter_cells(axes, panel["cells"], looks, names)
            _label_axes(axes, panel["context"], Labels.axis(x["label"], x["unit"]))
            axes.set_ylabel(_wrapped_label(y["label"], y["unit"]))
        title = "Which tier wins"
        if offer_map["kind"] == "heatmap":
            unit = brief["cost"]["unit"] if brief["cost"] else "points"
            title += f" (in each cell: net political cost, {unit})"
        if offer_map["omitted_panels"]:
            title += f", first {count} of {count + offer_map['omitted_panels']} combinations"
        _suptitle(figure, title)
        _legend(figure, list(grid.flat[:count]))
    return figure


def _heat_cells(axes: Axes, cells: list[dict], xs: list, ys: list, looks: dict, names: dict) -> None:
    """One square per grid point, filled in its tier's style, its net cost written in it when there is room."""
    annotate = len(cells) <= ANNOTATED_CELLS
    for cell in cells:
        look = looks[cell["tier"]]
        i, j = xs.index(cell["x"]), ys.index(cell["y"])
        axes.bar(
            i,
            1,
            bottom=j - 0.5,
            width=1,
            color=look.colour,
            hatch=look.hatch,
            edgecolor="white",
            linewidth=1,
            label=names[cell["tier"]],
        )
        if annotate and is_number(cell["objective"]):
            ink = "white" if _dark(look.colour) else "#111111"
            axes.text(i, j, fmt(cell["objective"]), ha="center", va="center", fontsize=6, color=ink)
    axes.set_xticks(range(len(xs)), [fmt(v) for v in xs], rotation=90 if len(xs) > 8 else 0)
    axes.set_yticks(range(len(ys)), [fmt(v) for v in ys])
    axes.set_xlim(-0.5, len(xs) - 0.5)
    axes.set_ylim(-0.5, len(ys) - 0.5)
    axes.grid(False)


def _dark(colour: str) -> bool:
    """Whether white text reads better than black on ``colour`` (relative luminance below 0.4)."""
    red, green, blue = matplotlib.colors.to_rgb(colour)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue < 0.4


def _scatter_cells(axes: Axes, cells: list[dict], looks: dict, names: dict) -> None:
    """One dot per scenario, coloured by its tier."""
    for tier, look in looks.items():
        found = [c for c in cells if c["tier"] == tier and is_number(c["x"]) and is_number(c["y"])]
        if found:
            axes.scatter(
                [c["x"] for c in found],
                [c["y"] for c in found],
                s=18,
                color=look.colour,
                hatch=look.hatch,
                edgecolor="#333333",
                linewidth=0.4,
                label=names[tier],
            )


def solve_figures(folder: SolveFolder) -> dict[str, Figure]:
    """The figures of a single solve, by file stem."""
    table = folder.tables.get("constituencies")
    return {"burden": burden_figure(folder)} if table is not None and not table.empty else {}


def sweep_figures(sweep: SweepFolder, switches: pd.DataFrame) -> dict[str, Figure]:
    """The figures of a sweep, by file stem: a cost curve per swept parameter, and its composition with a base."""
    figures = {}
    for parameter in dimensions(sweep):
        figures[f"cost_curve-{parameter}"] = cost_curve_figure(sweep, parameter, switches)
        if sweep.base is not None:
            figures[f"composition-{parameter}"] = composition_figure(sweep, parameter)
    return figures


def save_figures(figures: dict[str, Figure], folder: Path) -> list[Path]:
    """Write each figure as PNG and SVG into ``folder``; return the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    with plain_style():
        for stem, figure in figures.items():
            for suffix in FILE_FORMATS:
                path = folder / f"{stem}.{suffix}"
                figure.savefig(path, format=suffix, dpi=150, metadata=_metadata(suffix))
                written.append(path)
    return written


def svg_text(figure: Figure) -> str:
    """A figure as an inline ``<svg>`` element (no XML declaration or doctype)."""
    buffer = io.StringIO()
    with plain_style():
        figure.savefig(buffer, format="svg", metadata=_metadata("svg"))
    text = buffer.getvalue()
    return text[text.index("<svg") :]


def _metadata(suffix: str) -> dict:
    """No dates or software versions in the files, so the same review writes the same files."""
    return {"Date": None, "Creator": None} if suffix == "svg" else {"Software": None}


def _panels(sweep: SweepFolder, parameter: str, title: str) -> tuple[Figure, list]:
    """A figure with one panel per combination of the other swept values (at most MAX_PANELS)."""
    contexts = list(along(sweep, parameter))
    shown = contexts[:MAX_PANELS]
    columns = 1 if len(shown) == 1 else 2
    rows = math.ceil(len(shown) / columns)
    figure = Figure(figsize=(5.2 * columns, 1.2 + 2.8 * rows), layout="constrained")
    grid = figure.subplots(rows, columns, squeeze=False, sharey=True)
    for extra in grid.flat[len(shown) :]:
        extra.set_visible(False)
    if len(contexts) > len(shown):
        title += f" (first {len(shown)} of {len(contexts)} combinations)"
    _suptitle(figure, title)
    return figure, list(zip(shown, grid.flat, strict=False))


def _suptitle(figure: Figure, title: str) -> None:
    """The figure's title at its left, wrapped to its width."""
    width = max(20, int((figure.get_figwidth() - 0.2) / TITLE_CHARACTER_WIDTH))
    figure.suptitle(textwrap.fill(title, width), x=0.01, horizontalalignment="left", fontweight="bold")


def _positions(axes: Axes, values: pd.Series, categorical: bool = False) -> np.ndarray:
    """Where values go on the x axis: the numbers themselves, or evenly spaced and labelled (text, or bars)."""
    if not categorical and pd.api.types.is_numeric_dtype(values):
        return values.to_numpy(dtype=float)
    positions = np.arange(len(values))
    axes.set_xticks(positions, [fmt(plain(v)) for v in values])
    return positions


def _label_axes(axes: Axes, context: str, xlabel: str) -> None:
    axes.set_xlabel(xlabel)
    if context:
        axes.set_title(textwrap.fill(context, PANEL_TITLE_WIDTH), fontweight="normal", fontsize=9)


def _label_value_axis(axes: Axes, label: str, unit: str | None) -> None:
    """The y label with its unit (on a line of its own when long), on the left column only: panels share y."""
    if axes.get_subplotspec().is_first_col():
        axes.set_ylabel(_wrapped_label(label, unit))


def _wrapped_label(label: str, unit: str | None) -> str:
    """An axis label with its unit, the unit on a line of its own when long."""
    return f"{label}\n({unit})" if unit and len(label) + len(unit) > WRAP_LABEL else Labels.axis(label, unit)


def _mark_switches(axes: Axes, switches: pd.DataFrame) -> None:
    """A dotted line at each refined switch value, else a shaded band over the grid interval."""
    for entry in switches.to_dict("records"):
        switch = plain(entry.get("switch"))
        if switch is not None:
            axes.axvline(switch, color="#444444", linestyle=":", linewidth=1, label="package changes")
        elif is_number(plain(entry["low"])):
            axes.axvspan(
                entry["low"],
                entry["high"],
                facecolor="#e4e4e4",
                edgecolor="white",
                linewidth=2,
                label="package changes",
            )


def _legend(figure: Figure, panels: list[Axes]) -> None:
    """One legend below the panels, each entry once, in as many columns as fit the width; the figure grows to hold it."""
    entries = {}
    for axes in panels:
        for handle, name in zip(*axes.get_legend_handles_labels(), strict=True):
            entries.setdefault(name, handle)
    if not entries:
        return
    column = 0.5 + CHARACTER_WIDTH * max(len(name) for name in entries)
    columns = max(1, min(len(entries), int((figure.get_figwidth() - 0.3) / column)))
    rows = math.ceil(len(entries) / columns)
    figure.set_figheight(figure.get_figheight() + LEGEND_ROW * rows)
    figure.legend(list(entries.values()), list(entries), loc="outside lower center", ncols=columns)
