"""--chance with beliefs on what levers give (issue 13): sampled, and checked against enumeration.

A belief on a ``gives`` coefficient moves what a package achieves, so the chance of acceptance can
only be sampled. Random small instances get independent discrete beliefs on thresholds and on
``gives``; the test enumerates every combination of their values itself (each combination set
into the instance, the package re-checked in plain Python) for the true probability, which the
answer's out-of-sample interval must contain. The check cannot flake: the seeds are fixed and the
interval it uses is the Clopper–Pearson one at confidence 1 - 1e-9 around the same count.
"""

from __future__ import annotations

import itertools
import math

import pytest
from conftest import instance
from hypothesis import assume, given
from hypothesis import strategies as st
from test_chance import believed_instances

from optimizer.chance.conditions import GIVES
from optimizer.chance.probability import OUT_OF_SAMPLE, clopper_pearson
from optimizer.chance.solve import ChanceOptions, solve_with_chance
from optimizer.evaluate import evaluate
from optimizer.instance import apply_overrides, load
from optimizer.paths import number_slots
from optimizer.solver import SolveOptions
from optimizer.tolerance import tolerance

OPTIONS = SolveOptions()
WIDE = 1 - 1e-9
"""The confidence of the interval the test allows: a miss would be a one-in-a-billion draw, not noise."""


@st.composite
def instances_with_gives_beliefs(draw) -> dict:
    """A random instance with discrete beliefs on some thresholds and on one or two ``gives`` numbers."""
    data = draw(believed_instances())
    loaded = load(data)
    paths = sorted(p for p, v, _ in number_slots(loaded.instance) if GIVES.fullmatch(p) and v != 0)
    assume(paths and data.get("offers"))
    for path in draw(st.lists(st.sampled_from(paths), unique=True, min_size=1, max_size=2)):
        value = next(v for p, v, _ in number_slots(loaded.instance) if p == path)
        values = sorted({value - 1, value, value + 1})
        weights = draw(st.lists(st.integers(1, 3), min_size=3, max_size=3))
        probs = [w / sum(weights) for w in weights]
        probs[-1] = 1 - sum(probs[:-1])
        data["beliefs"][path.replace(".", "_")] = {"path": path, "discrete": {"values": values, "probs": probs}}
    return data


def enumerated_chance(data: dict, package, offer: str) -> float:
    """P(every threshold of ``offer`` is met by ``package``), over every combination of the beliefs' values."""
    loaded = load(data)
    laws = [
        (b["path"], list(zip(b["discrete"]["values"], b["discrete"]["probs"], strict=True)))
        for b in data["beliefs"].values()
    ]
    total = 0.0
    for combination in itertools.product(*(law for _, law in laws)):
        moved = apply_overrides(loaded, [(path, v) for (path, _), (v, _) in zip(laws, combination, strict=True)])
        achieved = evaluate(moved.instance, package).achieved
        requires = moved.instance.offer_items[offer].requires
        if all(achieved[m] >= v - tolerance(v) for m, v in requires.items()):
            total += math.prod(p for _, p in combination)
    return total


@given(instances_with_gives_beliefs(), st.sampled_from([0.5, 0.8]))
def test_the_sampled_interval_contains_the_enumerated_chance(data, target):
    result = solve_with_chance(load(data), OPTIONS, target, ChanceOptions(samples=100, seed=5))
    assert result.status in ("optimal", "infeasible"), result.message
    for answer in result.per_offer:
        if answer.evaluation is None or answer.offer is None or data["offers"][answer.offer].get("walk_away"):
            continue
        assert not answer.evaluation.violations
        exact = enumerated_chance(data, answer.evaluation.package, answer.offer)
        if answer.acceptance.method != "sampled":
            assert answer.acceptance.probability == pytest.approx(exact, abs=1e-9)
            continue
        low, high = clopper_pearson(round(answer.acceptance.probability * OUT_OF_SAMPLE), OUT_OF_SAMPLE, WIDE)
        assert low - 1e-12 <= exact <= high + 1e-12, (low, exact, high)


def small_deal_with_gives() -> dict:
    """corn gives 0.5, 1 or 1.5 each; rice gives 2; the deal needs 3, 5 or 8."""
    return instance(
        levers={
            "corn": {"kind": "integer", "max": 20, "gives": {"m": 1}, "costs": {"a": 1}},
            "rice": {"kind": "binary", "gives": {"m": 2}, "costs": {"a": 1.5}},
        },
        offers={"walk": {"walk_away": True}, "deal": {"requires": {"m": 4}, "benefits": {"a": 12}}},
        beliefs={
            "deal_m": {"path": "offers.deal.requires.m", "discrete": {"values": [3, 5, 8], "probs": [0.5, 0.3, 0.2]}},
            "corn_m": {
                "path": "levers.corn.gives.m.per_unit",
                "discrete": {"values": [0.5, 1, 1.5], "probs": [0.3, 0.4, 0.3]},
            },
        },
    )


def test_beliefs_on_gives_are_sampled_and_the_answer_is_the_least_cost_reaching_the_target():
    data = small_deal_with_gives()
    out = solve_with_chance(load(data), OPTIONS, 0.8, ChanceOptions(samples=400, seed=3)).to_dict()
    assert out["status"] == "optimal" and out["probability_method"] == "sampled"
    low, high = out["probability_interval"]
    assert low <= 0.94 <= high and out["target_met"] == "yes"

    def chance(corn: int, rice: int) -> float:  # enumerated by hand: what corn gives, then what the deal needs
        gives = ((0.5, 0.3), (1, 0.4), (1.5, 0.3))
        needs = ((3, 0.5), (5, 0.3), (8, 0.2))
        return sum(pg * pn for g, pg in gives for n, pn in needs if g * corn + 2 * rice >= n)

    cheapest = min(
        (corn + 1.5 * rice, corn, rice) for corn in range(21) for rice in (0, 1) if chance(corn, rice) >= 0.8
    )
    assert cheapest == (7.5, 6, 1) and out["package"] == {"corn": 6.0, "rice": 1.0}
    assert out["objective"] == pytest.approx(7.5 - 12)


def test_a_certain_threshold_on_a_moved_metric_is_judged_in_every_scenario():
    data = small_deal_with_gives()
    del data["beliefs"]["deal_m"]  # the deal needs 4 for sure; what corn gives is uncertain
    out = solve_with_chance(load(data), OPTIONS, 0.9, ChanceOptions(samples=400, seed=3)).to_dict()
    deal = next(row for row in out["per_offer"] if row["offer"] == "deal")
    # P >= 0.9 needs the low case (corn gives 0.5, P = 0.3) met: 0.5 corn + 2 rice >= 4. Cheapest: corn 4 and
    # rice (5.5); corn 3 and rice (4.5) meets 4 only when corn gives 1 or 1.5 (P = 0.7).
    assert deal["package"] == {"corn": 4.0, "rice": 1.0} and deal["probability"] == 1.0
