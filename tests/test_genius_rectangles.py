"""Nonlinear (hyper-rectangle) domains: the rectangle lever kind against enumeration, closed bounds, the check."""

from __future__ import annotations

import importlib.util
import itertools
import json
from pathlib import Path

import numpy as np
import pytest
from brute_force import pareto_points
from hypothesis import given, settings
from hypothesis import strategies as st

from optimizer import solve
from optimizer.errors import InputError
from optimizer.genius.command import imported
from optimizer.genius.frontier import best_analysis
from optimizer.genius.rectangle_bound import largest_sum
from optimizer.genius.space import Rectangle
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
    assert extra["method"] == "milp-walk" and extra["outcomes"] == 64 and len(found) == len(expected)
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


def test_rectangles_that_exclude_each_other_are_not_summed(tmp_path):
    # the two rectangles bound issue 1 to 1..2 and 3..4: one outcome lies in one of them, at most 60 of 60
    domain = domains.rectangle_domain(1, issues=2, values=4, rectangles=2)
    domain["profiles"]["ours"]["rectangles"] = [(60, {1: (1, 2)}), (50, {1: (3, 4)})]
    files = domains.write_rectangle_xml(domain, tmp_path)
    files[1].write_text(files[1].read_text().replace('maxutility="110"', 'maxutility="60"'))
    assert imported(*files, "genius")["levers"]
    files[1].write_text(files[1].read_text().replace('maxutility="60"', 'maxutility="55"'))
    with pytest.raises(InputError, match="can add up to 1.09091 times maxutility"):
        imported(*files, "genius")


@given(
    st.lists(
        st.tuples(
            st.integers(-30, 60),
            st.dictionaries(st.sampled_from(["a", "b", "c"]), st.sets(st.integers(0, 3), min_size=1), min_size=1),
        ),
        min_size=1,
        max_size=6,
    )
)
@settings(max_examples=30, deadline=None)
def test_the_largest_rectangle_sum_is_the_enumerated_one(drawn):
    rectangles = [Rectangle(float(u), {issue: sorted(k) for issue, k in sides.items()}) for u, sides in drawn if u]
    if not rectangles:
        return
    best = max(
        sum(r.utility for r in rectangles if all(dict(zip("abc", o, strict=True))[i] in k for i, k in r.sides.items()))
        for o in itertools.product(range(4), repeat=3)
    )
    assert largest_sum(rectangles, {"a": 4, "b": 4, "c": 4}) == pytest.approx(best, abs=1e-9)


def test_the_milp_walk_summary_counts_outcomes_and_the_frontier_too(cli, tmp_path):
    domain = domains.rectangle_domain(2, issues=2, values=3, rectangles=3)
    files = domains.write_rectangle_xml(domain, tmp_path)
    code, out, _ = cli("frontier", "--genius", *files, "--no-save", "--json")
    summary = json.loads(out)
    assert code == 0 and summary["method"] == "milp-walk" and summary["outcomes"] == 9
    assert summary["frontier_size"] == len(summary["points"]) == len(_enumerated(domain))
