"""Levers limited by their bound: tiny instances worked by hand, and no shipped optimum resting on a guess.

Whether a bound is a real limit is read from the instance's own ``provenance`` section.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import instance

from optimizer.bounds import bound_step, limiting_bounds
from optimizer.instance import load
from optimizer.solver import SolveOptions

ROOT = Path(__file__).resolve().parent.parent
OPTIONS = SolveOptions()
REAL = {"levers.cheap.max": {"source": "s", "published": 2024, "limit": True}}


def two_sources(cheap: dict, **sections) -> dict:
    """The deal needs m >= 10 for a benefit of 30: ``cheap`` gives m at 1 point a unit, ``dear`` at 3.

    With cheap's max at 5: cheap 5 + dear 5 cost 5 + 15 = 20, objective 20 - 30 = -10. Each unit of
    bound moved from dear to cheap saves 3 - 1 = 2 points.
    """
    return instance(
        levers={
            "cheap": cheap,
            "dear": {"kind": "continuous", "max": 100, "gives": {"m": 1}, "costs": {"a": 3}},
        },
        offers={"walk": {"walk_away": True}, "deal": {"requires": {"m": 10}, "benefits": {"a": 30}}},
        **sections,
    )


CHEAP = {"kind": "continuous", "max": 5, "gives": {"m": 1}, "costs": {"a": 1}}


def test_a_lever_at_a_bound_that_holds_the_optimum_is_limited_by_it():
    found = limiting_bounds(load(two_sources(CHEAP)), OPTIONS)
    assert [(b.lever, b.bound, b.step, b.real_limit) for b in found] == [("cheap", 5, 0.005, False)]
    assert found[0].saving == pytest.approx(0.005 * 2)  # δ = 1e-3 * 5 moved from dear (3) to cheap (1)
    assert found[0].path == "levers.cheap.max"


def test_a_bound_marked_a_real_limit_says_so():
    (found,) = limiting_bounds(load(two_sources(CHEAP, provenance=REAL)), OPTIONS)
    assert found.real_limit
    guessed = {"levers.cheap.max": {"judgement": True, "published": 2024, "note": "a guess"}}
    assert not limiting_bounds(load(two_sources(CHEAP, provenance=guessed)), OPTIONS)[0].real_limit


def test_a_lever_at_its_bound_held_by_a_red_line_is_not_limited_by_the_bound():
    held = two_sources(CHEAP, red_lines=[{"name": "at_most_5", "kind": "limit", "terms": {"cheap": 1}, "max": 5}])
    assert limiting_bounds(load(held), OPTIONS) == []


def test_a_lever_below_its_bound_is_not_limited():
    roomy = CHEAP | {"max": 20}  # cheap 10 alone meets the threshold
    assert limiting_bounds(load(two_sources(roomy)), OPTIONS) == []


def test_a_saving_within_the_tolerance_does_not_count():
    """dear costs 1 + 1e-7 a unit: moving δ = 0.005 saves 5e-10, far below 1e-6 * max(1, |objective|)."""
    data = two_sources(CHEAP)
    data["levers"]["dear"]["costs"]["a"] = 1 + 1e-7
    assert limiting_bounds(load(data), OPTIONS) == []


def test_an_integer_lever_is_raised_by_one_whole_unit():
    """cheap in whole units, 3 at most; dear covers the other 7 at 3 a unit: raising cheap to 4 saves 3 - 1 = 2."""
    whole = {"kind": "integer", "max": 3, "gives": {"m": 1}, "costs": {"a": 1}}
    (found,) = limiting_bounds(load(two_sources(whole)), OPTIONS)
    assert (found.lever, found.step, found.saving) == ("cheap", 1, pytest.approx(2))


def test_an_instance_without_an_optimum_has_no_limiting_bound():
    stuck = instance(
        levers={"cheap": CHEAP},
        demands={"m": 10},  # cheap gives at most 5
    )
    assert limiting_bounds(load(stuck), OPTIONS) == []


@pytest.mark.parametrize(
    ("kind", "bound", "step"),
    [("continuous", 0.3, 0.001), ("continuous", 2000, 2), ("integer", 100, 1), ("integer", 1500, 2)],
)
def test_the_step_is_a_thousandth_of_the_bound_and_whole_for_integers(kind, bound, step):
    lever = load(instance(levers={"x": {"kind": kind, "max": bound, "gives": {"m": 1}}})).instance.levers["x"]
    assert bound_step(lever) == pytest.approx(step)


@pytest.mark.parametrize("name", ["us_japan_2025", "us_japan_2025_july", "uk_us_2025"])
def test_no_shipped_optimum_rests_on_a_guessed_bound(name):
    found = limiting_bounds(load(ROOT / "instances" / f"{name}.yaml"), OPTIONS)
    assert [b.path for b in found if not b.real_limit] == []
