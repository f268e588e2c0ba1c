"""dealopt sensitivity: intervals worked by hand, the command end to end, and every interval against the brute force."""

from __future__ import annotations

import copy
import json

import pytest
from brute_force import acceptable_packages, featured_instances, instances
from conftest import DATA
from hypothesis import assume, given
from hypothesis import strategies as st

from optimizer.instance import load
from optimizer.paths import model_numbers
from optimizer.sensitivity.analysis import analyse

TUTORIAL = DATA.parent.parent / "instances" / "tutorial.yaml"


def one(source, path):
    return analyse(load(source), [path]).intervals[0]


# -- worked by hand (the tutorial: deal = 2 x farmers' 4 + industry's 13 - 30 = -9, walking away 0) ----------


def test_a_weight_ends_where_two_cost_lines_cross():
    interval = one(TUTORIAL, "constituencies.farmers.weight")
    # the deal costs 4w - 17 against walking away's 0: they cross at w = 4.25
    assert interval.high.kind == "crossing"
    assert interval.high.value == pytest.approx(4.25, abs=1e-12)
    assert interval.high.inside.value < 4.25 < interval.high.beyond.value
    assert interval.high.beyond.value - interval.high.inside.value <= 1e-6 * 4.25
    assert interval.high.beyond.recommendation.offer == "no_deal"
    assert interval.low.kind == "limit" and interval.low.value == 0 and ">= 0" in interval.low.reason
    assert interval.objective_only


def test_a_cap_ends_where_the_package_stops_fitting_or_a_cheaper_one_fits():
    interval = one(TUTORIAL, "red_lines.farm_pain_cap.max")
    # below 4, grain 3 no longer fits under the cap and purchases fall short of 5: walk away
    assert interval.low.value == pytest.approx(4, abs=4e-6)
    assert interval.low.beyond.recommendation.offer == "no_deal"
    # at 8, grain 5 alone reaches the purchases: the aircraft drops out
    assert interval.high.value == pytest.approx(8, abs=8e-6)
    assert "aircraft" not in interval.high.beyond.recommendation.levers
    assert not interval.objective_only


def test_a_piecewise_marginal_stops_at_the_convexity_of_its_curve():
    interval = one(TUTORIAL, "levers.grain.costs.farmers.per_unit.1.1")
    assert interval.low.kind == "limit" and interval.low.value == 1  # the first segment's marginal
    assert "convex" in interval.low.reason


def test_a_number_on_its_limit_does_not_move_past_it():
    # a weight of 0 is its own lower limit: the search must not try a negative weight
    data = {
        "format": 1,
        "name": "at_zero",
        "constituencies": {"a": {"weight": 0}, "b": {"weight": 0}},
        "metrics": {"m": {}},
        "levers": {
            "l0": {
                "kind": "integer",
                "gives": {},
                "max": 2,
                "min_if_used": 1,
                "costs": {"b": {"fixed": 0, "per_unit": [[1, 0], [2, 1]]}},
            }
        },
        "demands": {},
        "red_lines": [],
    }
    interval = analyse(load(data), ["constituencies.b.weight"]).intervals[0]
    assert interval.low.kind == "limit" and interval.low.value == 0 and ">= 0" in interval.low.reason
    assert interval.low.inside.value == 0
    check_interval(data, interval)


def test_a_tie_broken_the_other_way_at_a_constraint_number_is_not_a_change():
    # every package costs 0 (both weights 0): whichever HiGHS returns, the followed recommendation
    # stays optimal until the demand on m leaves it short; beyond, it must be truly out
    data = {
        "format": 1,
        "name": "ties",
        "constituencies": {"a": {"weight": 0}, "b": {"weight": 0}},
        "metrics": {"m": {}, "k": {}},
        "levers": {
            "l0": {"kind": "binary", "gives": {}, "costs": {}},
            "l1": {
                "kind": "integer",
                "gives": {"m": {"fixed": 0, "per_unit": -1}},
                "costs": {},
                "max": 1,
                "min_if_used": 1,
            },
            "l2": {"kind": "binary", "gives": {}, "costs": {}},
            "l3": {"kind": "binary", "gives": {"m": {"fixed": 0, "per_unit": 1}}, "costs": {}},
        },
        "demands": {"m": 0},
        "red_lines": [],
    }
    interval = analyse(load(data), ["demands.m"]).intervals[0]
    check_interval(data, interval)
    for end in (interval.low, interval.high):
        if end.beyond is not None:
            assert end.beyond.value - end.inside.value != 0
            assert abs(end.beyond.value - end.inside.value) <= 1e-6 * max(1.0, abs(end.value))
            assert end.beyond.recommendation != interval.recommendation


# -- the command ------------------------------------------------------------------------------


def test_command_writes_the_folder_and_one_json_object(cli, tmp_path):
    out = tmp_path / "sens"
    code, stdout, _ = cli("sensitivity", TUTORIAL, "--path", "constituencies.farmers.weight", "--json", "--out", out)
    assert code == 0
    answer = json.loads(stdout)
    assert {"status", "message", "run", "intervals"} <= set(answer)
    assert answer["intervals"][0]["high"]["type"] == "change (crossing)"
    assert "between 0 and 4.25" in answer["intervals"][0]["sentence"]
    names = {p.name for p in out.iterdir()}
    assert {"sensitivity.parquet", "sensitivity.csv", "sensitivity.md", "tornado.png", "tornado.svg"} <= names


def test_a_structural_path_is_refused_naming_it(cli, tmp_path):
    code, _, stderr = cli("sensitivity", TUTORIAL, "--path", "offers.deal.attributes.tariff", "--out", tmp_path / "s")
    assert code == 2
    assert "offers.deal.attributes.tariff" in stderr and "not a number of the model" in stderr
    assert not (tmp_path / "s").exists()


# -- against the brute force -----------------------------------------------------------------


def set_number(data: dict, path: str, value: float) -> dict:
    """``data`` (the brute force's plain dict) with ``value`` at a dotted path (red lines by name)."""
    data = copy.deepcopy(data)
    parts = path.split(".")
    node = data
    for part in parts[:-1]:
        if isinstance(node, list):
            node = node[int(part)] if part.isdigit() else next(i for i in node if i.get("name") == part)
        else:
            node = node[part]
    if isinstance(node, list):
        node[int(parts[-1])] = value
    else:
        node[parts[-1]] = value
    return data


def brute_recommendation(data: dict, package) -> tuple:
    levers, used, options, counts = data["levers"], set(), set(), set()
    for j, state in package.states.items():
        kind = levers[j]["kind"]
        if kind == "choice":
            if state is not None:
                used.add(j)
                options.add((j, state))
        elif state and state > 1e-9:
            used.add(j)
            if kind == "integer":
                counts.add((j, float(state)))
    return (True, package.offer, frozenset(used), frozenset(options), frozenset(counts))


def ours(recommendation) -> tuple:
    if not recommendation.acceptable:
        return (False,)
    return (
        True,
        recommendation.offer,
        frozenset(recommendation.levers),
        frozenset(recommendation.options),
        frozenset(recommendation.counts),
    )


def best_by_recommendation(data: dict) -> dict[tuple, float]:
    best: dict[tuple, float] = {}
    for package in acceptable_packages(data):
        key = brute_recommendation(data, package)
        best[key] = min(best.get(key, package.objective), package.objective)
    return best


def optimal(best: dict[tuple, float], slack: float) -> set[tuple]:
    if not best:
        return {(False,)}
    least = min(best.values())
    return {key for key, value in best.items() if value <= least + slack * max(1.0, abs(least))}


ENUMERABLE = 50
"""An integer lever's max above this would have the brute force enumerate too many amounts: not checked there."""


def check_interval(data: dict, interval) -> None:
    followed = ours(interval.recommendation)
    low, high = interval.low.inside.value, interval.high.inside.value
    if interval.whole:
        high = min(high, ENUMERABLE)
    for share in (0.0, 0.25, 0.5, 0.75, 1.0):
        value = low + share * (high - low)
        if interval.whole:
            value = float(round(value))
        assert followed in optimal(best_by_recommendation(set_number(data, interval.path, value)), 1e-6), (
            interval.path,
            value,
        )
    for end in (interval.low, interval.high):
        if end.beyond is None or (interval.whole and end.beyond.value > ENUMERABLE):
            continue
        best = best_by_recommendation(set_number(data, interval.path, end.beyond.value))
        assert ours(end.beyond.recommendation) in optimal(best, 1e-6), (interval.path, end.beyond.value)
        assert followed not in optimal(best, 1e-10), (interval.path, end.beyond.value)


@pytest.mark.slow
@given(data=instances(), choice=st.data())
def test_every_interval_matches_the_brute_force(data, choice):
    loaded = load(data)
    numbers = sorted(model_numbers(loaded.instance))
    assume(numbers and loaded.instance.levers)
    path = choice.draw(st.sampled_from(numbers))
    check_interval(data, analyse(loaded, [path]).intervals[0])


@pytest.mark.slow
@given(data=featured_instances(), choice=st.data())
def test_every_interval_matches_the_brute_force_with_piecewise_costs_walk_away_and_conditional_red_lines(data, choice):
    loaded = load(data)
    numbers = sorted(model_numbers(loaded.instance))
    assume(numbers)
    path = choice.draw(st.sampled_from(numbers))
    check_interval(data, analyse(loaded, [path]).intervals[0])


PIECEWISE_WALK_AWAY_CONDITIONAL = {
    "format": 1,
    "name": "hand",
    "constituencies": {"a": {"weight": 1}, "b": {"weight": 2}},
    "metrics": {"m": {}, "k": {}},
    "demands": {},
    "levers": {
        "grain": {
            "kind": "continuous",
            "max": 4,
            "min_if_used": 0.5,
            "gives": {"m": {"fixed": 0, "per_unit": 1}},
            "costs": {"a": {"fixed": 1, "per_unit": [[1, 0.5], [3, 2]]}},
        },
        "jets": {
            "kind": "integer",
            "max": 3,
            "min_if_used": 1,
            "gives": {"m": {"fixed": 0, "per_unit": 1}},
            "costs": {"b": {"fixed": 0, "per_unit": 1.5}},
        },
        "fund": {
            "kind": "choice",
            "options": {
                "small": {"gives": {"k": 2}, "costs": {"a": 1}},
                "large": {"gives": {"k": 4}, "costs": {"a": 3}},
            },
        },
    },
    "offers": {
        "walk": {"walk_away": True, "benefits": {"a": -1}},
        "deal": {"requires": {"m": 3, "k": 2}, "benefits": {"a": 4, "b": 3}, "attributes": {"tariff": 10}},
    },
    "red_lines": [
        {"name": "cap", "kind": "max_cost", "constituency": "a", "max": 6},
        {"name": "fund_for_deal", "kind": "conditional", "lever": "fund", "offers": ["deal"]},
    ],
}


@pytest.mark.parametrize("path", sorted(model_numbers(load(PIECEWISE_WALK_AWAY_CONDITIONAL).instance)))
def test_piecewise_costs_walk_away_and_conditional_red_lines(path):
    check_interval(PIECEWISE_WALK_AWAY_CONDITIONAL, analyse(load(PIECEWISE_WALK_AWAY_CONDITIONAL), [path]).intervals[0])


def test_a_limit_names_its_rule_without_the_probe_value():
    """The validator's words against a value a hair past a limit read as the rule at the limit, with no float noise."""
    from optimizer.sensitivity.numbers import rule_beyond

    assert rule_beyond("must be >= 0, got -1e-06", 0.0, -1e-6) == "must be >= 0"
    assert rule_beyond("breakpoint 50 is above the lever's max (49.9999)", 50.0, 49.99995) == (
        "breakpoint 50 is above the lever's max"
    )
    assert rule_beyond("min_if_used (1) is above max (0.999999)", 1.0, 0.999999) == "min_if_used (1) is above max"
    assert rule_beyond("0.089999 follows 0.09", 0.09, 0.0899991) == "a value just below 0.09 follows 0.09"
    assert rule_beyond("must be <= 1e+09, got 1e+09", 1e9, 1e9 + 1) == "must be <= 1,000,000,000"
