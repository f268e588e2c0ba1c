"""Generated instances: valid, feasible, with every lever and red-line kind, and the same for a seed."""

from __future__ import annotations

import pytest

from optimizer import load, solve
from optimizer.generate import generate_instance
from optimizer.schema import LEVER_KINDS, RED_LINE_KINDS


def test_a_generated_instance_is_deterministic_valid_and_complete():
    data = generate_instance(levers=40, seed=3)
    assert data == generate_instance(levers=40, seed=3)
    assert data != generate_instance(levers=40, seed=4)
    loaded = load(data)
    assert not loaded.warnings
    instance = loaded.instance
    assert len(instance.levers) == 40
    assert {lever.kind for lever in instance.levers.values()} == set(LEVER_KINDS) - {"rectangle"}  # GENIUS only
    assert {line.kind for line in instance.red_lines} == set(RED_LINE_KINDS)
    assert any(term.is_piecewise for lever in instance.amount_levers.values() for term in lever.costs.values())
    assert sum(offer.walk_away for offer in instance.offer_items.values()) == 1


def test_a_generated_instance_is_feasible_and_worth_a_deal():
    result = solve(generate_instance(levers=40, seed=0))
    assert result.status == "optimal" and result.verified
    assert result.offer in ("deal_mid", "deal_high")


@pytest.mark.parametrize("levers", [8, 9, 13, 21])
def test_small_generated_instances_have_every_red_line_kind_and_solve(levers):
    """From the smallest size allowed, as `dealopt generate --levers 8` promises."""
    for seed in range(5):
        loaded = load(generate_instance(levers=levers, seed=seed))
        assert not loaded.warnings
        assert {line.kind for line in loaded.instance.red_lines} == set(RED_LINE_KINDS)
        result = solve(loaded)
        assert result.status == "optimal" and result.verified, (levers, seed)


def test_generate_counterpart_writes_an_instance_the_frontier_reads(tmp_path):
    """`dealopt generate --counterpart` adds the section `dealopt frontier` needs; without it there is none."""
    from optimizer.cli import main

    plain, with_counterpart = tmp_path / "plain.yaml", tmp_path / "counterpart.yaml"
    assert main(["generate", "--levers", "8", "--out", str(plain)]) == 0
    assert main(["generate", "--levers", "8", "--counterpart", "--out", str(with_counterpart)]) == 0
    assert load(plain).instance.counterpart is None
    counterpart = load(with_counterpart).instance.counterpart
    assert counterpart is not None and counterpart.value
    assert "--counterpart" in with_counterpart.read_text().splitlines()[0]
