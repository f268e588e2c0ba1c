"""Nonlinear (hyper-rectangle) domains: the rectangle lever kind against enumeration, closed bounds, the check."""

from __future__ import annotations

import importlib.util
import itertools
from pathlib import Path

import numpy as np
import pytest
from brute_force import pareto_points

from optimizer import solve
from optimizer.errors import InputError
from optimizer.genius.command import imported
from optimizer.genius.frontier import best_analysis
from optimizer.instance import load
from optimizer.kinds import lever_kind
from optimizer.package import Package
from optimizer.solver import SolveOptions

_spec = importlib.util.spec_from_file_location(
    "genius_domains", Path(__file__).parents[1] / "bench" / "genius_domains.py"
)
domains = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(domains)


def _enumerated(domain: dict) -> list[tuple[float, float]]:
    sizes = [issue["high"] for issue in domain["issues"]]
    reservation = domain["profiles"]["ours"]["reservation"]
    points = []
    for outcome in itertools.product(*(range(1, n + 1) for n in sizes)):
        ours = domains.rectangle_utility(domain, "ours", outcome)
        if ours >= reservation - 1e-12:
            points.append((ours - 1.0, domains.rectangle_utility(domain, "theirs", outcome)))
    return pareto_points(points, tie=1e-9)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_rectangle_domain_gives_the_enumerated_frontier(tmp_path, seed):
    domain = domains.rectangle_domain(seed, issues=3, values=4, rectangles=6)
    loaded = load(imported(*domains.write_rectangle_xml(domain, tmp_path), "genius"))
    analysis, extra = best_analysis(loaded, SolveOptions())
    found = [(p.ours, p.theirs) for p in analysis.frontier.points if p.closed]
    expected = _enumerated(domain)
    assert extra == {} and len(found) == len(expected)
    assert np.allclose(found, expected, rtol=0, atol=1e-7)


def test_the_least_cost_package_is_our_best_outcome(tmp_path):
    domain = domains.rectangle_domain(4, issues=3, values=4, rectangles=8)
    data = imported(*domains.write_rectangle_xml(domain, tmp_path), "genius")
    result = solve(data)
    best = max(
        domains.rectangle_utility(domain, "ours", outcome) for outcome in itertools.product(range(1, 5), repeat=3)
    )
    assert result.status == "optimal" and result.verified
    assert result.objective == pytest.approx(1.0 - best, abs=1e-9)


def _one_rectangle(tmp_path, low: int, high: int) -> dict:
    domain = {
        "name": "edge",
        "issues": [{"name": "x", "index": 1, "type": "integer", "low": 1, "high": 3}],
        "profiles": {
            side: {"rectangles": [(1, {1: (low, high)}), (1, {1: (1, 3)})], "reservation": 0.0, "discount": 1.0}
            for side in ("ours", "theirs")
        },
    }
    return imported(*domains.write_rectangle_xml(domain, tmp_path), "genius")


def test_rectangle_bounds_are_closed(tmp_path):
    data = _one_rectangle(tmp_path, 2, 2)
    rectangle = data["levers"]["ours_rectangle_0"]
    assert rectangle["when"] == {"x": ["v2"]}  # value 2 lies in [2, 2]
    instance = load(data).instance
    kind = lever_kind(instance.levers["ours_rectangle_0"])
    inside = Package(used={}, amount={}, picked={"x": ("v2",)})
    outside = Package(used={}, amount={}, picked={"x": ("v3",)})
    assert kind.holds(instance.levers["ours_rectangle_0"], inside)
    assert not kind.holds(instance.levers["ours_rectangle_0"], outside)


def test_a_package_that_marks_a_rectangle_held_against_its_picks_fails_the_check(tmp_path):
    instance = load(_one_rectangle(tmp_path, 2, 2)).instance
    lever = instance.levers["ours_rectangle_0"]
    package = Package(used={"ours_rectangle_0": True}, amount={"ours_rectangle_0": 1.0}, picked={"x": ("v1",)})
    assert lever_kind(lever).violations("ours_rectangle_0", lever, package)


def test_a_rectangle_naming_a_missing_option_is_refused():
    data = {
        "format": 1,
        "name": "bad",
        "constituencies": {"ours": {}},
        "metrics": {},
        "levers": {
            "x": {"kind": "choice", "required": True, "options": {"a": {}, "b": {}}},
            "r": {"kind": "rectangle", "when": {"x": ["c"]}, "costs": {"ours": -1}},
        },
    }
    with pytest.raises(Exception, match="has no option 'c'"):
        load(data)


def test_rectangles_that_can_pass_maxutility_are_refused_under_genius_semantics(tmp_path):
    domain = domains.rectangle_domain(5, issues=2, values=3, rectangles=3)
    files = domains.write_rectangle_xml(domain, tmp_path)
    ours = files[1].read_text()
    total = sum(u for u, _ in domain["profiles"]["ours"]["rectangles"])
    files[1].write_text(ours.replace(f'maxutility="{total}"', f'maxutility="{total / 2}"'))
    with pytest.raises(InputError, match="GENIUS caps utilities at 1"):
        imported(*files, "genius")
    assert imported(*files, "negmas")["levers"]  # NegMAS reads the sum uncapped
