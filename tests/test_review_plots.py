"""Figures: created, non-empty, labelled with units from the instance, text never parsed as math."""

import io

import matplotlib.image
import pytest
from matplotlib.text import Text
from test_review_folders import solved_folder, sweep_copy

from optimizer.review import (
    burden_figure,
    composition_figure,
    cost_curve_figure,
    read_folder,
    refine_switch_points,
    save_figures,
    switch_points,
)
from optimizer.review.plots import svg_text

DOLLARS = {
    "format": 1,
    "name": "dollars",
    "units": {"cost": "$bn of goodwill"},
    "constituencies": {"farmers": {"label": "Farmers, $bn", "weight": 2}, "treasury": {}},
    "metrics": {"trade": {"unit": "$bn"}},
    "levers": {"beef": {"kind": "continuous", "max": 5, "gives": {"trade": 1}, "costs": {"farmers": 2}}},
    "offers": {"walk": {"walk_away": True}, "deal": {"requires": {"trade": 2}, "benefits": {"treasury": 6}}},
}


@pytest.fixture(scope="module")
def sweep(tmp_path_factory):
    return read_folder(sweep_copy(tmp_path_factory.mktemp("plots") / "sweep"))


def _texts(figure) -> list[Text]:
    return [t for t in figure.findobj(Text) if t.get_text()]


def test_who_pays_shows_costs_and_benefits_with_the_cost_unit(tmp_path):
    figure = burden_figure(read_folder(solved_folder(tmp_path / "dollars", DOLLARS)))
    axes = figure.axes[0]
    assert axes.get_xlabel() == "political cost ($bn of goodwill)"
    assert [t.get_text() for t in axes.get_yticklabels()] == ["Farmers, $bn (weight 2)", "treasury (weight 1)"]
    assert len(axes.patches) == 4 and axes.get_title(loc="left") == "Who pays"
    assert all(not text.get_parse_math() for text in _texts(figure))
    svg = svg_text(figure)
    assert svg.startswith("<svg") and "Farmers, $bn (weight 2)" in svg


def test_the_cost_curve_marks_switch_points_along_the_parameter(sweep):
    figure = cost_curve_figure(sweep, "demands.investment", switch_points(sweep))
    panels = [axes for axes in figure.axes if axes.get_visible()]
    assert [axes.get_title(loc="left") for axes in panels] == ["Farm lobby weight = 1", "Farm lobby weight = 5"]
    assert panels[0].get_xlabel() == "Investment pledged demand ($bn)"
    assert panels[0].get_ylabel() == "net political cost (points)"
    assert len(panels[0].patches) == 4 and len(panels[1].patches) == 5  # one shaded band per switch
    net_cost = panels[1].lines[0]
    assert list(net_cost.get_ydata()[:4]) == [0, 10, 10, 35]
    legend = [t.get_text() for t in figure.legends[0].get_texts()]
    assert legend == ["net cost", "Finance ministry", "Farm lobby", "no package", "package changes"]
    assert all(not text.get_parse_math() for text in _texts(figure))


def test_refined_switch_points_are_lines(sweep):
    switches = switch_points(sweep)
    refined = refine_switch_points(sweep, switches[switches["parameter"] == "constituencies.farmers.weight"], steps=2)
    figure = cost_curve_figure(sweep, "constituencies.farmers.weight", refined)
    panel = next(axes for axes in figure.axes if axes.get_title(loc="left") == "Investment pledged demand = 150")
    assert [line.get_xdata()[0] for line in panel.lines if line.get_linestyle() == ":"] == [1.5]
    assert figure._suptitle.get_text().endswith("(first 6 of 11 combinations)")


def test_the_composition_stacks_each_levers_weighted_cost(sweep):
    figure = composition_figure(sweep, "demands.investment")
    first = figure.axes[0]
    assert first.get_ylabel() == "weighted cost by lever (points)"
    assert [t.get_text() for t in first.get_xticklabels()][:3] == ["0", "50", "100"]
    heights = sorted({round(bar.get_height(), 6) for bar in first.patches} - {0.0})
    assert heights == [10, 30]  # small fund 10, big fund 20 + 10 at weight 1
    assert [t.get_text() for t in figure.legends[0].get_texts()] == ["Small fund", "Big fund", "Alaska LNG"]


def test_figures_are_saved_as_png_and_svg(tmp_path):
    figure = burden_figure(read_folder(solved_folder(tmp_path / "dollars", DOLLARS)))
    written = save_figures({"burden": figure}, tmp_path / "plots")
    assert [p.name for p in written] == ["burden.png", "burden.svg"]
    image = matplotlib.image.imread(io.BytesIO(written[0].read_bytes()), format="png")
    assert image.shape[0] > 100 and image.std() > 0.01
    assert "$bn of goodwill" in written[1].read_text()
