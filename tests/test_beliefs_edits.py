"""Beliefs under edits and validation (issue 13): a --set on a belief is judged, never silently dropped;
one number carries at most one belief; a walk-away offer is accepted with probability 1 exactly."""

from __future__ import annotations

import json

import pytest
from conftest import instance
from test_chance import small_deal

from optimizer.chance.solve import ChanceOptions, solve_with_chance
from optimizer.errors import InputError
from optimizer.instance import load
from optimizer.solver import SolveOptions
from optimizer.yamlfile import dump


def test_a_mistyped_belief_path_in_set_is_refused_not_dropped(cli, tmp_path):
    path = tmp_path / "deal.yaml"
    path.write_text(dump(small_deal()), encoding="utf-8")
    code, _, err = cli(
        "solve", path, "--chance", "0.8", "--no-save", "--set", "beliefs.deal_m.path=offers.deal.requires.q"
    )
    assert code == 2
    assert "beliefs.deal_m.path: 'offers.deal.requires.q' is not a number a belief may sit on" in err
    assert "--set beliefs.deal_m.path=offers.deal.requires.q" in err


def test_removing_the_number_under_a_belief_still_drops_the_belief():
    data = small_deal()
    data["metrics"]["k"] = {}
    data["offers"]["deal"]["requires"]["k"] = 1
    data["beliefs"]["deal_k"] = {"path": "offers.deal.requires.k", "discrete": {"values": [1, 2], "probs": [0.5, 0.5]}}
    loaded = load(data, overrides=[("offers.deal.requires.k", None)])
    assert set(loaded.instance.beliefs) == {"deal_m"}


def test_two_beliefs_on_one_number_are_refused():
    data = small_deal()
    data["beliefs"]["again"] = {"path": "offers.deal.requires.m", "uniform": {"low": 2, "high": 9}}
    with pytest.raises(InputError) as raised:
        load(data)
    assert "beliefs.again.path" in str(
        raised.value
    ) and "'deal_m' already holds a belief on offers.deal.requires.m" in str(raised.value)


def test_a_belief_on_a_whole_gives_names_its_two_numbers():
    data = small_deal()
    data["beliefs"]["gift"] = {"path": "levers.corn.gives.m", "uniform": {"low": 0.5, "high": 1.5}}
    with pytest.raises(InputError) as raised:
        load(data)
    assert "write levers.corn.gives.m.per_unit or levers.corn.gives.m.fixed" in str(raised.value)


def gives_deal() -> dict:
    """The deal needs 4 of m; what corn gives of m is uncertain (sampled)."""
    return instance(
        levers={"corn": {"kind": "integer", "max": 10, "gives": {"m": 1}, "costs": {"a": 1}}},
        offers={"walk": {"walk_away": True}, "deal": {"requires": {"m": 4}, "benefits": {"a": 6}}},
        beliefs={
            "gift": {
                "path": "levers.corn.gives.m.per_unit",
                "discrete": {"values": [0.5, 1, 1.5], "probs": [0.25, 0.5, 0.25]},
            }
        },
    )


def test_walk_away_is_accepted_with_probability_one_exactly_when_gives_are_uncertain(cli, tmp_path):
    path = tmp_path / "gives.yaml"
    path.write_text(dump(gives_deal()), encoding="utf-8")
    code, out, _ = cli("solve", path, "--chance", "0.5", "--no-save", "--json")
    rows = {row["offer"]: row for row in json.loads(out)["per_offer"]}
    assert code == 0
    assert rows["walk"]["probability"] == 1.0 and rows["walk"]["probability_method"] == "exact"
    assert rows["walk"]["probability_interval"] is None
    assert rows["deal"]["probability_method"] == "sampled"  # what corn gives moves the deal's own threshold


@pytest.mark.parametrize("seed", [2, 3, 4])
def test_a_tier_reading_no_metric_that_uncertain_gives_move_is_solved_exactly(seed):
    """The deal needs m; corn's gift of another metric q is uncertain. The deal's chance does not depend
    on it, so it is solved exactly (corn 5, P = 0.8), not over a sample that could miss 0.8 (seeds 2 to 4
    of 200 draws once turned the answer into walking away)."""
    data = small_deal()
    data["metrics"]["q"] = {}
    data["levers"]["corn"]["gives"]["q"] = 1
    data["beliefs"]["gift"] = {"path": "levers.corn.gives.q.per_unit", "uniform": {"low": 0.5, "high": 1.5}}
    result = solve_with_chance(load(data), SolveOptions(), 0.8, ChanceOptions(samples=200, seed=seed))
    deal = next(a for a in result.per_offer if a.offer == "deal")
    assert result.best is deal and deal.evaluation.package.levers() == {"corn": 5.0}
    assert deal.acceptance.method == "exact" and deal.acceptance.probability == pytest.approx(0.8, abs=1e-12)


def two_tiers() -> dict:
    """deal's two thresholds are joined by a copula (sampled); deal2's only belief is discrete (exact)."""
    return instance(
        metrics={"m": {}, "k": {}},
        levers={
            "corn": {"kind": "integer", "max": 10, "gives": {"m": 1}, "costs": {"a": 1}},
            "bean": {"kind": "integer", "max": 10, "gives": {"k": 1}, "costs": {"a": 1}},
        },
        offers={
            "walk": {"walk_away": True},
            "deal": {"requires": {"m": 4, "k": 1}, "benefits": {"a": 9}},
            "deal2": {"requires": {"m": 4}, "benefits": {"a": 5}},
        },
        beliefs={
            "deal_m": {"path": "offers.deal.requires.m", "uniform": {"low": 3, "high": 8}},
            "deal_k": {"path": "offers.deal.requires.k", "uniform": {"low": 0.5, "high": 2}},
            "deal2_m": {"path": "offers.deal2.requires.m", "discrete": {"values": [3, 5, 8], "probs": [0.5, 0.3, 0.2]}},
            "correlation": {"names": ["deal_m", "deal_k"], "matrix": [[1, 0.5], [0.5, 1]]},
        },
    )


@pytest.mark.parametrize("seed", range(5))
def test_a_tier_solved_exactly_beside_a_sampled_one_keeps_its_laws_own_floor(seed):
    """deal2 needs m >= 5 for P = 0.8 (corn 5), whatever the scenarios drawn for deal's copula say."""
    result = solve_with_chance(load(two_tiers()), SolveOptions(), 0.8, ChanceOptions(samples=200, seed=seed))
    answers = {a.offer: a for a in result.per_offer}
    assert answers["deal"].acceptance.method == "sampled"
    deal2 = answers["deal2"]
    assert deal2.acceptance.method == "exact" and deal2.acceptance.probability == pytest.approx(0.8, abs=1e-12)
    assert deal2.evaluation.package.levers() == {"corn": 5.0}


def test_a_continuous_belief_s_chance_has_one_label_in_a_plain_solve_and_under_chance(cli, tmp_path):
    """Both compute the product of CDFs; both name the method the tier is solved by: exact_tol."""
    from test_chance import continuous_instance

    path = tmp_path / "continuous.yaml"
    path.write_text(dump(continuous_instance({"m": {"uniform": {"low": 5, "high": 15}}})), encoding="utf-8")
    _, plain, _ = cli("solve", path, "--no-save", "--json")
    _, chance, _ = cli("solve", path, "--chance", "0.5", "--no-save", "--json")
    labels = [
        {row["offer"]: row["probability_method"] for row in json.loads(out)["per_offer"]} for out in (plain, chance)
    ]
    assert labels[0] == labels[1] == {"walk": "exact", "deal": "exact_tol"}
