"""The bargaining frontier against enumeration (tests/brute_force.py), the CLI end to end, and bad input."""

from __future__ import annotations

import json

import pytest
from brute_force import acceptable_packages, instances
from hypothesis import given
from hypothesis import strategies as st

from optimizer.errors import InputError
from optimizer.frontier.analysis import analyse
from optimizer.frontier.walk import frontier
from optimizer.instance import load

TOL = 1e-6


@st.composite
def with_counterpart(draw, continuous: bool = False):
    """A random instance (brute_force.instances) with or without one continuous lever, and a counterpart."""
    data = draw(instances())
    kinds = [lever["kind"] for lever in data["levers"].values()]
    if continuous != ("continuous" in kinds):
        data["levers"] = {j: lv for j, lv in data["levers"].items() if lv["kind"] != "continuous"}
        data["red_lines"] = [line for line in data["red_lines"] if _names_only(line, data["levers"])]
        if continuous:
            data["levers"]["c"] = {
                "kind": "continuous",
                "max": 4,
                "min_if_used": 1,
                "gives": {"m": {"fixed": 0, "per_unit": draw(st.integers(-1, 3))}},
                "costs": {"a": {"fixed": 0, "per_unit": [[2, 0.5], [4, 2]]}},
            }
    offers = data.get("offers", {})
    data["counterpart"] = {
        "value": {m: draw(st.integers(-1, 3)) for m in ("m", "k")},
        "offer_cost": {t: draw(st.integers(0, 3)) for t, o in offers.items() if not o.get("walk_away")},
    }
    if not any(o.get("walk_away") for o in offers.values()):
        data["counterpart"]["disagreement"] = {"ours": draw(st.integers(-4, 0)), "theirs": draw(st.integers(-2, 2))}
    return data


def _names_only(line: dict, levers: dict) -> bool:
    named = [line.get("lever"), line.get("needs"), *line.get("levers", []), *line.get("terms", {})]
    return all(name in levers for name in named if name is not None)


def theirs_of(data: dict, package) -> float:
    counterpart = data["counterpart"]
    value = sum(w * package.achieved[m] for m, w in counterpart["value"].items())
    return value - counterpart["offer_cost"].get(package.offer, 0)


def deals(data: dict, amounts=None, offer=None) -> list[tuple[float, float]]:
    """(ours, theirs) of every acceptable package that is not walk-away (granted ``offer``, if given)."""
    offers = data.get("offers", {})
    return [
        (-p.objective, theirs_of(data, p))
        for p in acceptable_packages(data, amounts)
        if (p.offer is None or not offers[p.offer].get("walk_away")) and offer in (None, p.offer)
    ]


def non_dominated(values: list[tuple[float, float]]) -> list[tuple[float, float]]:
    unique = sorted(set(values), key=lambda v: (v[1], -v[0]))
    return [v for v in unique if not any(w != v and w[0] >= v[0] - 1e-9 and w[1] >= v[1] - 1e-9 for w in unique)]


def close(a: float, b: float) -> bool:
    return abs(a - b) <= TOL * max(1.0, abs(b))


def analysed(data: dict):
    """The analysis, or None when the instance has no acceptable walk-away package to measure gains from."""
    try:
        return analyse(load(data))
    except InputError as err:
        offers = data.get("offers", {})
        assert "add 'disagreement" in str(err)
        assert not any(offers[p.offer].get("walk_away") for p in acceptable_packages(data))
        return None


@given(with_counterpart())
def test_discrete_frontier_and_bargaining_against_enumeration(data):
    """The points are the enumerated non-dominated set; d, Nash, KS and egalitarian match it; the first
    point is the least-cost deal (ties: highest theirs); every package verifies; at most 2 MILPs a point + 1,
    besides 2 for each point that a walk met first through a deal it ties with for us."""
    analysis = analysed(data)
    if analysis is None:
        return
    walked = analysis.frontier
    points = [(p.ours, p.theirs) for p in walked.points]
    truth = non_dominated(deals(data))
    assert walked.complete and not walked.segments
    assert len(points) == len(truth), (points, truth)
    for (o, t), (o_true, t_true) in zip(points, truth, strict=True):
        assert close(o, o_true) and close(t, t_true), (points, truth)
    assert all(not p.found.evaluation.violations for p in walked.points)
    assert walked.replaced <= tied(data, truth)
    assert walked.milps - analysis.disagreement.milps <= 2 * len(points) + 1 + 2 * walked.replaced
    check_disagreement(data, analysis)
    check_bargaining(analysis, truth)
    check_tiers(data, analysis)


def check_tiers(data: dict, analysis) -> None:
    """Each deal tier's own frontier is the non-dominated set of that tier's deals."""
    offers = data.get("offers", {})
    assert set(analysis.tiers) == {t for t, o in offers.items() if not o.get("walk_away")}
    for offer, tier in analysis.tiers.items():
        truth = non_dominated(deals(data, offer=offer))
        points = [(p.ours, p.theirs) for p in tier.points]
        assert len(points) == len(truth) and all(
            close(o, o_true) and close(t, t_true) for (o, t), (o_true, t_true) in zip(points, truth, strict=True)
        ), (offer, points, truth)


def tied(data: dict, truth: list[tuple[float, float]]) -> int:
    """The frontier points that some other deal ties for us with less for them (a walk may meet it first)."""
    values = deals(data)
    return sum(any(close(o, ours) and t < theirs - TOL for o, t in values) for ours, theirs in truth)


def check_disagreement(data, analysis) -> None:
    offers = data.get("offers", {})
    if "disagreement" in data["counterpart"]:
        assert analysis.disagreement.source == "counterpart.disagreement"
        return
    walk_away = [p for p in acceptable_packages(data) if offers[p.offer].get("walk_away")]
    best = max(-p.objective for p in walk_away)
    lowest = min(theirs_of(data, p) for p in walk_away if close(-p.objective, best))
    assert close(analysis.disagreement.values.ours, best) and close(analysis.disagreement.values.theirs, lowest)


def check_bargaining(analysis, truth) -> None:
    d = analysis.disagreement.values
    rational = [(o - d.ours, t - d.theirs) for o, t in truth if o >= d.ours - 1e-9 and t >= d.theirs - 1e-9]
    if not rational:
        assert analysis.bargaining.nash is None and "no agreement beats walking away" in analysis.message
        return
    ideal = (max(g[0] for g in rational), max(g[1] for g in rational))
    nash = analysis.bargaining.nash
    assert close(nash.gains[0] * nash.gains[1], max(a * b for a, b in rational))

    def smaller(g):
        return min(x / top if top > 0 else 1.0 for x, top in zip(g, ideal, strict=True))

    for name in ("kalai_smorodinsky", "egalitarian"):
        solution = getattr(analysis.bargaining, name)
        assert close(smaller(solution.gains), max(smaller(g) for g in rational)), name
        assert any(close(solution.found.ours, o) and close(solution.found.theirs, t) for o, t in truth)


@pytest.mark.slow
@given(with_counterpart(continuous=True))
def test_continuous_frontier_covers_every_package_and_no_sample_is_dominated(data):
    walked = frontier(load(data))
    grid = [1 + 3 * i / 40 for i in range(41)]
    values = deals(data) + deals(data, grid)
    if not values:
        assert not walked.points
        return

    def best_at(theirs: float) -> float:
        found = [p.ours for p in walked.points if p.closed and p.theirs >= theirs - 1e-6]
        for s in walked.segments:
            a, b = walked.points[s.start], walked.points[s.end]
            if theirs <= b.theirs:
                at = max(theirs, a.theirs)
                found.append(a.ours + (b.ours - a.ours) * (at - a.theirs) / (b.theirs - a.theirs))
        return max(found)

    for o, t in values:
        assert o <= best_at(t) + 1e-6 * max(1, abs(o)), (o, t)
    for point in walked.points:
        assert not point.found.evaluation.violations
    for s in walked.segments:
        a, b = walked.points[s.start], walked.points[s.end]
        for share in (0.25, 0.5, 0.75):
            t = a.theirs + share * (b.theirs - a.theirs)
            o = a.ours + share * (b.ours - a.ours)
            found = walked.package_on(s, t)
            assert not found.evaluation.violations and found.ours >= o - 1e-6 * max(1, abs(o))
            assert not any(o2 > o + 1e-6 and t2 > t + 1e-6 for o2, t2 in values), (o, t)


TOY = """
format: 1
constituencies: {farmers: {weight: 3}, fiscal: {}}
metrics: {deficit_cut: {}, investment: {}}
levers:
  corn: {kind: continuous, max: 6, min_if_used: 1, gives: {deficit_cut: 1}, costs: {farmers: {fixed: 2, per_unit: [[3, 0.5], [6, 2]]}}}
  fund:
    kind: choice
    options:
      small: {gives: {investment: 100}, costs: {fiscal: 10}}
      large: {gives: {investment: 400}, costs: {fiscal: 35, farmers: -2}}
offers:
  no_deal: {walk_away: true}
  deal_15: {requires: {deficit_cut: 5, investment: 100}, benefits: {fiscal: 40}}
red_lines:
  - {name: farm_pain, kind: max_cost, constituency: farmers, max: 30}
"""
COUNTERPART = """
counterpart:
  label: United States
  unit: USD bn
  value: {deficit_cut: 1, investment: 0.05}
  offer_cost: {deal_15: 2}
"""


def test_frontier_command_writes_tables_and_json(cli, tmp_path):
    path = tmp_path / "toy.yaml"
    path.write_text(TOY + COUNTERPART, encoding="utf-8")
    code, out, err = cli("frontier", path, "--out", tmp_path / "out", "--json")
    assert code == 0, err
    answer = json.loads(out)
    assert answer["status"] == "optimal" and answer["run"]["instance"]["file"]
    ends = [(p["ours"], p["theirs"]) for p in answer["points"]]
    assert [tuple(round(v, 6) for v in e) for e in ends] == [(7.5, 8), (1.5, 9), (-11.5, 23), (-17.5, 24)]
    assert len(answer["segments"]) == 2 and all(p["verified"] for p in answer["points"])
    assert answer["nash"]["package"] == {"corn": pytest.approx(5), "fund": "small"}
    assert answer["kalai_smorodinsky"]["theirs"] == pytest.approx(499.5 / 61.5)  # where gains/ideal cross
    assert answer["milps"] > 0 and answer["lps"] > 0
    assert list(answer["tiers"]) == ["deal_15"] and len(answer["tiers"]["deal_15"]["points"]) == 4
    for name in ("frontier", "frontier_segments", "frontier_packages", "frontier_tiers", "frontier_tier_segments"):
        assert (tmp_path / "out" / f"{name}.csv").exists() and (tmp_path / "out" / f"{name}.parquet").exists()
    assert (tmp_path / "out" / "frontier.png").read_bytes()[:4] == b"\x89PNG"
    assert "Nash: offer deal_15" in err


def test_without_a_counterpart_section_the_command_says_what_to_add(cli, tmp_path):
    path = tmp_path / "toy.yaml"
    path.write_text(TOY, encoding="utf-8")
    code, _, err = cli("frontier", path, "--no-save")
    assert code == 2 and "add a 'counterpart:' section" in err


def test_without_a_walk_away_offer_the_disagreement_point_is_required(cli, tmp_path):
    path = tmp_path / "toy.yaml"
    path.write_text(TOY.replace("  no_deal: {walk_away: true}\n", "") + COUNTERPART, encoding="utf-8")
    code, _, err = cli("frontier", path, "--no-save")
    assert code == 2 and "add 'disagreement: {ours: ..., theirs: ...}'" in err and "toy.yaml:" in err


def test_max_points_gives_a_partial_frontier_with_the_widest_gap(cli, tmp_path):
    path = tmp_path / "toy.yaml"
    path.write_text(TOY + COUNTERPART, encoding="utf-8")
    code, out, _ = cli("frontier", path, "--no-save", "--max-points", "2", "--json")
    answer = json.loads(out)
    assert code == 0 and answer["status"] == "partial" and answer["largest_gap"] is not None
    assert len(answer["points"]) <= 3
