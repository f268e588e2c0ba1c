"""frontier_summary: the flat, JSON-able columns a sweep records, on the hand-worked toy of test_frontier."""

from __future__ import annotations

import json

import pytest
import yaml
from test_frontier import COUNTERPART, TOY

from optimizer.frontier.analysis import analyse
from optimizer.frontier.summary import frontier_summary
from optimizer.instance import load


def toy(counterpart: str = COUNTERPART):
    data = yaml.safe_load(TOY + counterpart)
    return load(data | {"name": "toy"})


def test_summary_of_the_toy_frontier():
    """Four points from (7.5, 8) to (-17.5, 24); d is the walk-away package (0, 0); Nash is corn 5, fund small."""
    summary = frontier_summary(analyse(toy()))
    assert summary == {
        "status": "optimal",
        "points": 4,
        "segments": 2,
        "ours_min": pytest.approx(-17.5),
        "ours_max": pytest.approx(7.5),
        "theirs_min": pytest.approx(8),
        "theirs_max": pytest.approx(24),
        "disagreement_ours": pytest.approx(0),
        "disagreement_theirs": pytest.approx(0),
        "nash_offer": "deal_15",
        "nash_ours": pytest.approx(7.5),
        "nash_theirs": pytest.approx(8),
        "nash_gain_ours": pytest.approx(7.5),
        "nash_gain_theirs": pytest.approx(8),
        "milps": summary["milps"],
        "lps": summary["lps"],
    }
    assert summary["milps"] > 0 and summary["lps"] > 0
    json.dumps(summary, allow_nan=False)


def test_without_an_agreement_the_nash_columns_are_empty():
    """A walk-away point better for us than every deal: no Nash point, the columns are None (JSON null)."""
    summary = frontier_summary(analyse(toy(COUNTERPART + "  disagreement: {ours: 100, theirs: 0}\n")))
    assert summary["points"] == 4 and summary["disagreement_ours"] == 100
    assert summary["nash_offer"] is None and summary["nash_ours"] is None and summary["nash_gain_theirs"] is None
    assert json.loads(json.dumps(summary, allow_nan=False))["nash_theirs"] is None
