"""Figures stay readable with 20 levers and 60-character labels: every text inside the canvas, legends outside
the plot area, short labels, a distinct and fixed style per lever.

The instance: 20 levers, each giving one unit of the counterpart's metric,
its cost rising with its number (lever j costs j + 1 a unit to one of four
constituencies). A big tier asks for 8, 14 or 20 units, a small one for 3;
the sweep crosses the big tier's demand with the first constituency's weight.
"""

import dataclasses
import io
import re

import matplotlib
import pytest
import yaml
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.legend import Legend
from matplotlib.text import Text
from test_review_folders import solved_folder

from optimizer.review import burden_figure, read_folder, review_folder, sweep_brief
from optimizer.review.labels import SHORT_LABEL, short_label
from optimizer.review.palette import styles
from optimizer.review.plots import lever_styles, offer_map_figure, plain_style
from optimizer.sweep import run_sweep

LEVERS = 20
LONG = 60
NOISE = re.compile(r"\d\.\d{5,}|e-\d\d")
"""Float noise in text: more than four decimals, or an exponent."""


def _long(text: str) -> str:
    """A label of exactly 60 characters that has no parenthesis or colon to cut at."""
    return (text + " " + "with many more words than any figure can hold" * 2)[:LONG]


def _instance() -> dict:
    groups = [f"group_{k}" for k in range(4)]
    return {
        "format": 1,
        "name": "wide",
        "title": _long("A deal with twenty levers whose labels are all very long"),
        "units": {"cost": _long("political capital points, a unit whose name is long")},
        "constituencies": {k: {"label": _long(f"Constituency {k}")} for k in groups},
        "metrics": {"units": {"label": _long("Units the counterpart counts"), "unit": "bn"}},
        "levers": {
            f"lever_{j:02d}": {
                "kind": "continuous",
                "label": _long(f"Lever {j:02d} concession"),
                "unit": "bn",
                "max": 1,
                "gives": {"units": 1},
                "costs": {groups[j % 4]: j + 1},
            }
            for j in range(LEVERS)
        },
        "offers": {
            "walk": {"label": _long("Walk away from the table"), "walk_away": True},
            "small": {"label": _long("Small tier"), "requires": {"units": 3}, "benefits": {"group_1": 10}},
            "big": {"label": _long("Big tier"), "requires": {"units": 8}, "benefits": {"group_1": 250}},
        },
    }


@pytest.fixture(scope="module")
def wide(tmp_path_factory) -> dict:
    """The solve folder and the sweep folder of the wide instance."""
    root = tmp_path_factory.mktemp("wide")
    (root / "wide.yaml").write_text(yaml.safe_dump(_instance()), encoding="utf-8")
    spec = {
        "base": "wide.yaml",
        "title": _long("Twenty levers swept over the big tier and one weight"),
        "grid": {"offers.big.requires.units": [8, 14, 20], "constituencies.group_0.weight": [1, 3]},
    }
    (root / "spec.yaml").write_text(yaml.safe_dump(spec), encoding="utf-8")
    summary = run_sweep(root / "spec.yaml", out=root / "sweep", workers=1)
    return {"solve": solved_folder(root / "solve", root / "wide.yaml"), "sweep": summary.folder}


@pytest.fixture(scope="module")
def figures(wide: dict) -> dict:
    """Every figure type: who pays, cost curves, compositions, the offer map as a heat map and as scatters."""
    review = review_folder(wide["sweep"])
    figures = {"burden": burden_figure(read_folder(wide["solve"])), **review.figures()}
    sweep = review.folder
    against_cost = sweep_brief(sweep, axes="units")
    figures["offer_map-scatter-cost"] = offer_map_figure(against_cost)
    no_grid = dataclasses.replace(sweep, manifest={"spec": {"content": {"zip": []}}})
    figures["offer_map-scatter-two"] = offer_map_figure(sweep_brief(no_grid))
    return figures


def _saved(figure, monkeypatch) -> tuple[list, object]:
    """Save as PNG with Agg: (text, its extent, the figure's extent) for every non-empty text drawn, and the
    renderer that drew them."""
    drawn = []
    draw = Text.draw

    def recording(text, renderer):
        draw(text, renderer)
        if text.get_visible() and text.get_text():
            drawn.append((text.get_text(), text.get_window_extent(renderer), text.get_figure(root=True).bbox))

    canvas = FigureCanvasAgg(figure)
    with monkeypatch.context() as patch:
        patch.setattr(Text, "draw", recording)
        with plain_style():
            figure.savefig(io.BytesIO(), format="png", dpi=100)
    return drawn, canvas.get_renderer()


def test_every_figure_type_keeps_its_text_inside_the_canvas_and_its_legend_off_the_plots(figures, monkeypatch):
    assert {"burden", "offer_map", "offer_map-scatter-cost", "offer_map-scatter-two"} <= set(figures)
    assert any(name.startswith("cost_curve-") for name in figures)
    assert any(name.startswith("composition-") for name in figures)
    for name, figure in figures.items():
        drawn, renderer = _saved(figure, monkeypatch)
        assert drawn, name
        for text, extent, canvas in drawn:
            inside = (
                extent.x0 >= canvas.x0 - 0.5
                and extent.y0 >= canvas.y0 - 0.5
                and extent.x1 <= canvas.x1 + 0.5
                and extent.y1 <= canvas.y1 + 0.5
            )
            assert inside, f"{name}: {text!r} at {extent} outside {canvas}"
            assert not NOISE.search(text), f"{name}: {text!r}"
        panels = [axes.get_window_extent(renderer) for axes in figure.axes if axes.get_visible()]
        for legend in (found for found in figure.findobj(Legend) if found.get_visible()):
            extent = legend.get_window_extent(renderer)
            assert not any(extent.overlaps(panel) for panel in panels), name


def test_labels_in_figures_are_short(figures):
    composition = next(figure for name, figure in figures.items() if name.startswith("composition-"))
    entries = [text.get_text() for text in composition.legends[0].get_texts()]
    assert len(entries) == LEVERS
    assert all(len(entry) <= SHORT_LABEL for entry in entries)
    assert entries[0] == short_label(_long("Lever 00 concession")) == "Lever 00 concession with…"


def test_twenty_levers_have_twenty_styles_the_same_in_every_figure(wide, figures):
    sweep = read_folder(wide["sweep"])
    looks = lever_styles(sweep)
    assert len(looks) == LEVERS and len(set(looks.values())) == LEVERS
    assert looks == lever_styles(review_folder(wide["sweep"], ["requires.units < 20"]).folder)
    colours = {}
    for name, figure in figures.items():
        if not name.startswith("composition-"):
            continue
        handles = figure.legends[0].legend_handles
        for handle, text in zip(handles, figure.legends[0].get_texts(), strict=True):
            look = (matplotlib.colors.to_hex(handle.get_facecolor()), handle.get_hatch() or "")
            assert colours.setdefault(text.get_text(), look) == look, (name, text.get_text())
    assert len(colours) == LEVERS


def test_the_palette_repeats_its_colours_with_patterns():
    looks = list(styles([f"x{i}" for i in range(20)]).values())
    assert len({look.colour for look in looks}) == 10
    assert [look.hatch for look in looks[:10]] == [""] * 10 and len({look.hatch for look in looks[10:]}) == 1


@pytest.mark.parametrize(
    "label, short",
    [
        ("Car deal (cars and the reciprocal rate at a common 15%)", "Car deal"),
        ("Investment: pledged by the end of the term", "Investment"),
        ("Who picks the investment vehicle's projects", "Who picks the investment…"),
        ("(a label that starts with its aside)", "(a label that starts with…"),
        ("x" * 40, "x" * (SHORT_LABEL - 1) + "…"),
        ("Farmers, $bn", "Farmers, $bn"),
    ],
)
def test_a_short_label_is_the_head_of_the_label_cut_at_a_word(label, short):
    assert short_label(label) == short and len(short) <= SHORT_LABEL
