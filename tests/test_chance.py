"""The chance of acceptance (issue 13): --chance, the acceptance curve and --robust, against enumeration.

Random small instances (tests/brute_force.py) get independent discrete beliefs on their tiers'
thresholds. The test enumerates every combination of support levels itself: with each uncertain
threshold set at one level, the brute force gives the least cost of each tier, and the combination's
probability is the product of the levels' cumulative probabilities.
"""

from __future__ import annotations

import copy
import itertools
import json
import math

import pytest
from brute_force import acceptable_packages, instances, outcome_in_full
from conftest import instance
from hypothesis import given
from hypothesis import strategies as st

from optimizer.chance.curve import acceptance_curve
from optimizer.chance.laws import Law
from optimizer.chance.probability import acceptance_of
from optimizer.chance.robust import solve_robust
from optimizer.chance.solve import ChanceOptions, solve_with_chance
from optimizer.errors import InputError
from optimizer.instance import load
from optimizer.schema import Belief
from optimizer.solver import SolveOptions
from optimizer.tolerance import objectives_agree

OPTIONS = SolveOptions()


# -- random instances with discrete beliefs, and their enumeration ---------------------------


@st.composite
def believed_instances(draw) -> dict:
    """A random instance whose deal tiers carry independent discrete beliefs on some thresholds."""
    data = draw(instances())
    beliefs = {}
    for offer, entry in data.get("offers", {}).items():
        for metric in sorted(entry.get("requires", {})):
            if draw(st.booleans()):
                values = draw(st.lists(st.integers(-1, 8), unique=True, min_size=1, max_size=3))
                weights = draw(st.lists(st.integers(1, 4), min_size=len(values), max_size=len(values)))
                probs = [w / sum(weights) for w in weights]
                probs[-1] = 1 - sum(probs[:-1])
                beliefs[f"{offer}_{metric}"] = {
                    "path": f"offers.{offer}.requires.{metric}",
                    "discrete": {"values": values, "probs": probs},
                }
    data["beliefs"] = beliefs
    return data


def uncertain(data: dict) -> list[tuple[str, str, list[tuple[float, float]]]]:
    """(offer, metric, [(level, cumulative probability)]) of every belief."""
    out = []
    for belief in data["beliefs"].values():
        _, offer, _, metric = belief["path"].split(".")
        pairs = sorted(zip(belief["discrete"]["values"], belief["discrete"]["probs"], strict=True))
        out.append((offer, metric, [(v, sum(p for _, p in pairs[: i + 1])) for i, (v, _) in enumerate(pairs)]))
    return out


def combinations(data: dict, offer: str) -> list[tuple[float, float]]:
    """(probability, least cost of the tier) for every combination of levels of its uncertain thresholds."""
    mine = [u for u in uncertain(data) if u[0] == offer]
    found = []
    for levels in itertools.product(*(u[2] for u in mine)):
        fixed = copy.deepcopy(data)
        fixed.pop("beliefs")
        for (_, metric, _), (value, _) in zip(mine, levels, strict=True):
            fixed["offers"][offer]["requires"][metric] = value
        costs = [p.objective for p in acceptable_packages(fixed) if p.offer == offer]
        if costs:
            found.append((math.prod(f for _, f in levels), min(costs)))
    return found


def least_cost(found, target: float) -> float | None:
    return min((c for p, c in found if p >= target - 1e-9), default=None)


def staircase(found) -> list[tuple[float, float]]:
    """The breakpoints: each reachable probability whose least cost is below that of every higher one."""
    points = []
    for p in sorted({p for p, _ in found}, reverse=True):
        cost = least_cost(found, p)
        if not points or cost < points[-1][1] - 1e-6 * max(1, abs(cost)):
            points.append((p, cost))
    return sorted(points)


def enumerated_probability(data: dict, answer) -> float:
    """The package's P(accept) from the brute force's own arithmetic (not the optimiser's)."""
    package = answer.evaluation.package
    states, x = {}, 0.0
    for j, lever in data["levers"].items():
        if lever["kind"] == "choice":
            states[j] = package.picked[j][0] if package.picked[j] else None
        elif lever["kind"] == "continuous":
            states[j], x = ("on", package.amount[j]) if package.used[j] else (0, 0.0)
        else:
            states[j] = round(package.amount[j])
    achieved = outcome_in_full(data, states, answer.offer, x)[2]["achieved"]
    probability = 1.0
    for offer, metric, levels in uncertain(data):
        if offer == answer.offer:
            probability *= max((f for v, f in levels if achieved[metric] >= v - 1e-6 * max(1, abs(v))), default=0.0)
    return probability


def deal_offers(data: dict) -> list[str]:
    return [t for t, o in data.get("offers", {}).items() if not o.get("walk_away")]


@given(believed_instances(), st.sampled_from([0.3, 0.5, 0.8, 1.0]))
def test_chance_answer_of_each_tier_is_the_enumerated_least_cost(data, target):
    result = solve_with_chance(load(data), OPTIONS, target)
    assert result.status in ("optimal", "infeasible"), result.message
    for answer in result.per_offer:
        if answer.offer not in deal_offers(data):
            continue
        found = combinations(data, answer.offer)
        expected = least_cost(found, target)
        if expected is not None:
            assert answer.at_target and objectives_agree(answer.objective, expected), (answer.objective, expected)
            assert answer.acceptance.probability >= target - 1e-9
        elif found:
            top = max(p for p, _ in found)
            assert not answer.at_target
            assert answer.acceptance.probability == pytest.approx(top, abs=1e-9)
            assert objectives_agree(answer.objective, least_cost(found, top))
        else:
            assert answer.evaluation is None
        if answer.evaluation is not None:
            assert not answer.evaluation.violations
            assert answer.acceptance.method == "exact"
            assert answer.acceptance.probability == pytest.approx(enumerated_probability(data, answer), abs=1e-9)
    if result.best is not None:
        assert result.best.objective == min(a.objective for a in result.per_offer if a.at_target and a.evaluation)


@given(believed_instances())
def test_curve_breakpoints_are_the_enumerated_staircase(data):
    curve = acceptance_curve(load(data), OPTIONS)
    assert not curve.errors and not curve.partial
    for offer in deal_offers(data):
        got = [(p.acceptance.probability, p.objective) for p in curve.points if p.offer == offer]
        expected = staircase(combinations(data, offer))
        assert len(got) == len(expected), (got, expected)
        for (p, c), (q, d) in zip(got, expected, strict=True):
            assert p == pytest.approx(q, abs=1e-9) and objectives_agree(c, d), (got, expected)
    tiers = len(data.get("offers", {})) or 1
    assert curve.milps <= 2 * len(curve.points) + tiers  # 2 per breakpoint, 1 per tier to find none above


# -- continuous laws: exact to a tolerance -------------------------------------------------------


def continuous_instance(laws: dict) -> dict:
    """One lever per metric, each giving its metric one for one at a cost per unit; one tier requiring both."""
    metrics = list(laws)
    return instance(
        metrics={m: {} for m in metrics},
        levers={
            f"buy_{m}": {"kind": "continuous", "max": 100, "gives": {m: 1}, "costs": {"a": cost}}
            for m, cost in zip(metrics, (1.0, 2.5, 0.7), strict=False)
        },
        offers={
            "walk": {"walk_away": True, "benefits": {"a": -1000}},
            "deal": {"requires": dict.fromkeys(metrics, 10)},
        },
        beliefs={f"on_{m}": {"path": f"offers.deal.requires.{m}", **law} for m, law in laws.items()},
    )


def integrated(law: dict, z: float) -> float:
    """P(θ <= z) by numerical integration of the density."""
    from scipy import integrate

    frozen = Law(Belief(path="x", **law))._frozen
    low = frozen.support()[0]
    start = low if math.isfinite(low) else frozen.ppf(1e-15)
    return integrate.quad(frozen.pdf, start, z, epsabs=1e-12, epsrel=1e-12, limit=200)[0]


LAWS = {
    "m": {"uniform": {"low": 5, "high": 20}},
    "k": {"triangular": {"low": 2, "mode": 8, "high": 30}},
    "n": {"normal": {"mean": 12, "sd": 3}},
}


def test_exact_tol_probability_matches_numerical_integration_and_is_least_cost():
    from scipy import optimize

    data = continuous_instance(LAWS)
    result = solve_with_chance(load(data), OPTIONS, 0.7)
    assert result.status == "optimal" and result.method == "exact_tol"
    deal = next(a for a in result.per_offer if a.offer == "deal")
    z = {m: deal.evaluation.achieved[m] for m in LAWS}
    assert deal.acceptance.probability == pytest.approx(math.prod(integrated(LAWS[m], z[m]) for m in LAWS), abs=1e-6)
    assert deal.acceptance.probability >= 0.7 - 1e-6
    laws = {m: Law(Belief(path="x", **LAWS[m])) for m in LAWS}
    costs = {"m": 1.0, "k": 2.5, "n": 0.7}

    def cost(logs):  # the cheapest z reaching each share of log 0.7 spent per metric
        a, b = logs
        spent = {"m": a, "k": b, "n": math.log(0.7) - a - b}
        if spent["n"] > 0:
            return 1e9
        return sum(costs[m] * laws[m].quantile(math.exp(spent[m])) for m in LAWS)

    best = optimize.minimize(
        cost, [math.log(0.7) / 3] * 2, method="Nelder-Mead", options={"xatol": 1e-10, "fatol": 1e-10}
    )
    assert deal.objective == pytest.approx(best.fun, rel=1e-4)
    assert deal.objective <= best.fun + 1e-6 * max(1, best.fun)


@pytest.mark.parametrize(
    ("law", "sign"),
    [
        ({"uniform": {"low": 10, "high": 20}}, 1),
        ({"triangular": {"low": 200, "mode": 300, "high": 550}}, 1),
        ({"normal": {"mean": 25, "sd": 5}}, 1),
        ({"normal": {"mean": 25, "sd": 5, "low": 20}}, -1),
        ({"lognormal": {"mean": 4, "sd": 2}}, 1),
    ],
)
@pytest.mark.parametrize(("floor", "error"), [(0.8, 2.5e-7), (0.3, 1e-5)])
@pytest.mark.parametrize("cap", [400, 100_000])
def test_first_cuts_overstate_log_cdf_by_at_most_the_error(law, sign, floor, error, cap, monkeypatch):
    """Within the error where the cap allows, and within a power of 2 of it (the cap's doubling) anyway."""
    import numpy as np

    from optimizer.chance import formulation

    monkeypatch.setattr(formulation, "MAX_INITIAL_CUTS", cap)
    law_ = Law(Belief(path="x", **law), sign)
    points = formulation.tolerance_cut_points(law_, floor, error)
    assert 2 <= len(points) <= cap and points == sorted(points)
    assert points[0] == pytest.approx(law_.quantile(floor))
    z = np.linspace(points[0], law_.quantile(1 - 1e-12), 20001)
    log_f, _ = law_.log_cdf_and_slopes(z)
    a = np.array(points)
    log_fa, slope_a = law_.log_cdf_and_slopes(a)
    overstated = np.minimum(0.0, (log_fa[:, None] + slope_a[:, None] * (z[None, :] - a[:, None])).min(axis=0)) - log_f
    assert overstated.min() >= -1e-12  # tangents of a concave function lie above it
    doubled = 2 ** math.ceil(max(0.0, math.log2(overstated.max() / error)) - 1e-6)
    assert overstated.max() <= doubled * error * (1 + 1e-6)
    assert doubled == 1 or cap == 400


# -- sampled: a copula ---------------------------------------------------------------------------


def test_sampled_interval_contains_the_exact_probability():
    laws = {
        "m": {"uniform": {"low": 5, "high": 20}},
        "k": {"discrete": {"values": [4, 9, 14], "probs": [0.3, 0.3, 0.4]}},
    }
    data = continuous_instance(laws)
    data["beliefs"]["correlation"] = {"names": ["on_m", "on_k"], "matrix": [[1, 0], [0, 1]]}  # independent, but sampled
    result = solve_with_chance(load(data), OPTIONS, 0.6, ChanceOptions(samples=300, seed=7))
    assert result.method == "sampled"
    deal = next(a for a in result.per_offer if a.offer == "deal")
    low, high = deal.acceptance.interval
    exact = math.prod(Law(Belief(path="x", **laws[m])).cdf(deal.evaluation.achieved[m]) for m in laws)
    assert low <= exact <= high, (low, exact, high)
    assert high - low < 0.03  # 10,000 out-of-sample scenarios
    assert result.to_dict()["target_met"] in ("yes", "no", "uncertain")


# -- the answer's shape, robust alternatives, plain acceptance ----------------------------------


def small_deal() -> dict:
    return instance(
        levers={"corn": {"kind": "integer", "max": 10, "gives": {"m": 1}, "costs": {"a": 1}}},
        offers={"walk": {"walk_away": True}, "deal": {"requires": {"m": 4}, "benefits": {"a": 6}}},
        beliefs={
            "deal_m": {"path": "offers.deal.requires.m", "discrete": {"values": [3, 5, 8], "probs": [0.5, 0.3, 0.2]}}
        },
    )


def test_chance_json_has_the_common_shape_and_the_chance_keys():
    out = solve_with_chance(load(small_deal()), OPTIONS, 0.8).to_dict()
    assert {"status", "message", "run", "objective", "offer", "package", "verified", "gap"} <= set(out)
    assert out["status"] == "optimal" and out["offer"] == "deal" and out["package"] == {"corn": 5.0}
    assert out["probability"] == pytest.approx(0.8) and out["probability_method"] == "exact"
    assert out["probability_interval"] is None and out["target"] == 0.8 and out["target_met"] == "yes"
    assert [row["offer"] for row in out["per_offer"]] == ["walk", "deal"]
    json.dumps(out, allow_nan=False)


def test_a_tier_that_cannot_reach_the_target_reports_its_highest_chance():
    data = small_deal()
    data["levers"]["corn"]["max"] = 6
    out = solve_with_chance(load(data), OPTIONS, 0.9).to_dict()
    assert out["offer"] == "walk"  # the deal reaches 0.8 at most
    deal = out["per_offer"][1]
    assert (
        deal["probability"] == pytest.approx(0.8)
        and deal["reaches_target"] is False
        and deal["package"] == {"corn": 5.0}
    )


def test_robust_box_takes_the_worst_value_and_reports_its_chance():
    data = small_deal()
    data["offers"]["deal"]["benefits"]["a"] = 10
    out = solve_robust(load(data), OPTIONS, "box").to_dict()
    assert out["offer"] == "deal" and out["package"] == {"corn": 8.0} and out["probability"] == pytest.approx(1.0)
    half = solve_robust(load(data), OPTIONS, "box:0.5").to_dict()
    assert half["package"] == {"corn": 3.0} and half["probability"] == pytest.approx(0.5)


def test_robust_budget_protects_against_the_low_end_of_gives():
    data = small_deal()
    data["offers"]["deal"]["benefits"]["a"] = 10
    data["beliefs"] = {"corn_gives": {"path": "levers.corn.gives.m.per_unit", "uniform": {"low": 0.5, "high": 1.5}}}
    out = solve_robust(load(data), OPTIONS, "budget:1").to_dict()
    assert out["package"] == {"corn": 8.0}  # 8 x 0.5 >= 4
    assert out["probability_method"] == "sampled"
    with pytest.raises(InputError, match="needs beliefs on levers"):
        solve_robust(load(small_deal()), OPTIONS, "budget:1")


def test_acceptance_of_a_plain_package_per_tier():
    from optimizer import solve

    result = solve(small_deal())
    rows = acceptance_of(result.instance, result.package)["per_offer"]
    assert [(r["offer"], r["probability"]) for r in rows] == [("walk", 1.0), ("deal", 0.5)]


def test_acceptance_command_writes_the_curve(cli, tmp_path):
    from optimizer.yamlfile import dump

    path = tmp_path / "deal.yaml"
    path.write_text(dump(small_deal()), encoding="utf-8")
    code, out, err = cli("acceptance", path, "--out", tmp_path / "acc", "--json")
    answer = json.loads(out)
    assert code == 0 and answer["status"] == "optimal" and answer["staircase"] is True
    assert [(p["offer"], p["probability"], p["objective"]) for p in answer["curve"]] == [
        ("walk", 1.0, 0.0),
        ("deal", 0.5, -3.0),
        ("deal", 0.8, -1.0),
        ("deal", 1.0, 2.0),
    ]
    assert "accepted with probability 0.5" in err
    assert {f.name for f in (tmp_path / "acc").iterdir()} >= {
        "acceptance.parquet",
        "acceptance.csv",
        "acceptance_levers.parquet",
        "acceptance.png",
        "acceptance.json",
    }
    code, out, _ = cli("acceptance", path, "--no-save", "--max-points", "2", "--json")
    assert code == 0 and json.loads(out)["status"] == "partial"


def test_a_plain_solve_of_an_instance_with_beliefs_states_each_tier_s_chance(cli, tmp_path):
    """solve (no --chance) keeps its answer, and adds P(accept) per tier to the terminal, --json and summary.json."""
    data = instance(
        levers={"x": {"kind": "integer", "max": 5, "gives": {"m": 1}, "costs": {"a": 1}}},
        offers={"walk": {"walk_away": True}, "deal": {"requires": {"m": 2}, "benefits": {"a": 4}}},
        beliefs={
            "need": {"path": "offers.deal.requires.m", "discrete": {"values": [1, 2, 3], "probs": [0.2, 0.5, 0.3]}}
        },
    )
    path = tmp_path / "deal.yaml"
    path.write_text(json.dumps(data), encoding="utf-8")
    code, out, err = cli("solve", path, "--json", "--out", tmp_path / "out", "--no-brief")
    assert code == 0
    answer = json.loads(out)
    assert answer["offer"] == "deal" and answer["package"] == {"x": 2.0}  # the point estimate's answer
    chances = {row["offer"]: row["probability"] for row in answer["per_offer"]}
    assert chances == {"walk": 1.0, "deal": pytest.approx(0.7)}  # x = 2 meets the need when it is 1 or 2
    assert "deal 0.7 (exact)" in err
    saved = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert saved["per_offer"] == answer["per_offer"]
