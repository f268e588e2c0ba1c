"""The negotiation brief on the tutorial, whose answer is worked out by hand in the README.

The deal (grain 3, the aircraft, the small fund) costs -9; walking away 0. Farmers pay
2 x 4 = 8 and industry 13 of the 21 points of gross weighted cost; industry gains 30.
"""

from __future__ import annotations

import json

import pytest

from optimizer.api import solve_loaded
from optimizer.brief import Brief, build_brief
from optimizer.cli import main
from optimizer.instance import apply_overrides, load
from optimizer.solver import SolveOptions

TUTORIAL = "instances/tutorial.yaml"


@pytest.fixture(scope="module")
def tutorial():
    loaded = load(TUTORIAL)
    return build_brief(loaded, solve_loaded(loaded, SolveOptions())).to_dict()


def test_the_recommendation_names_the_tier_the_package_and_the_cost(tutorial):
    offer = tutorial["recommendation"]
    assert (offer["offer"], offer["objective"]) == ("deal", pytest.approx(-9))
    assert [c["text"] for c in offer["concessions"]] == [
        "Buy more grain: 3 USD bn/yr",
        "Order one wide-body aircraft batch",
        "Investment fund: $50bn fund",
    ]
    assert "below 0 is a net gain" in offer["objective_meaning"]


def test_every_tier_is_solved_side_by_side(tutorial):
    tiers = {t["offer"]: t for t in tutorial["tiers"]}
    assert tiers["no_deal"]["objective"] == pytest.approx(0) and tiers["no_deal"]["package"] == []
    assert tiers["deal"]["chosen"] and tiers["no_deal"]["above_recommendation"] == pytest.approx(9)


def test_limiting_is_a_saving_under_a_small_relaxation_not_a_zero_slack(tutorial):
    items = {i["key"]: i for i in tutorial["limiting"]}
    purchases = items["offers.deal.requires.purchases"]
    # 0.005 less purchases lets grain fall by 0.005, saving farmers 2 x 2 x 0.005 = 0.02
    assert purchases["limiting"] and purchases["saving"] == pytest.approx(0.02)
    cap = items["red_lines.farm_pain_cap.max"]
    assert cap["binding"] and not cap["limiting"]  # tight, but a little more room buys nothing
    assert not items["red_lines.fund_only_for_deal"]["limiting"]


def test_who_pays_shares_the_gross_weighted_cost_and_shows_gains_apart(tutorial):
    rows = {w["constituency"]: w for w in tutorial["who_pays"]}
    assert rows["farmers"]["share_of_gross_cost"] == pytest.approx(8 / 21)
    assert rows["industry"]["share_of_gross_cost"] == pytest.approx(13 / 21)
    assert rows["industry"]["weighted_gain"] == pytest.approx(30)
    assert rows["farmers"]["margin_to_red_line"] == pytest.approx(0)


def test_alternatives_are_differences_from_the_recommendation(tutorial):
    first = tutorial["alternatives"][0]
    assert first["offer"] == "no_deal" and first["above_recommendation"] == pytest.approx(9)
    assert "no Buy more grain" in first["changes"] and "+17 points for Industry" in first["changes"]


def test_sources_mark_judgement(tutorial):
    assert any(row["path"].startswith("levers.grain") for row in tutorial["sources"])


def test_brief_json_is_strict_json_and_reads_back_into_the_same_markdown(tutorial):
    text = json.dumps(tutorial, allow_nan=False)
    brief = Brief.from_dict(json.loads(text))
    markdown = brief.to_markdown()
    for title in ("1. Recommendation", "2. Why this tier", "3. What limits the answer", "4. Who pays"):
        assert f"## {title}" in markdown
    for title in ("5. The price of each demand", "6. Alternatives", "7. Assumptions and sources"):
        assert f"## {title}" in markdown
    assert "| Farmers | 38.1% | 8 |" in markdown


def test_when_walk_away_wins_the_brief_says_what_a_deal_would_take():
    loaded = apply_overrides(load(TUTORIAL), [("offers.deal.benefits.industry", 5)])
    brief = build_brief(loaded, solve_loaded(loaded, SolveOptions())).to_dict()
    assert brief["recommendation"]["walk_away"]
    (needs,) = brief["deal_needs"]
    assert needs.startswith("Deal (tariff cut to 10%): its cheapest package costs 16 points more than walking away")


def test_solve_writes_the_brief_and_review_opens_with_it(tmp_path, capsys):
    out = tmp_path / "tutorial"
    assert main(["solve", TUTORIAL, "--out", str(out)]) == 0
    assert json.loads((out / "brief.json").read_text())["recommendation"]["offer"] == "deal"
    assert (out / "brief.md").read_text().startswith("# Brief: ")
    capsys.readouterr()
    assert main(["review", str(out), "--format", "markdown"]) == 0
    assert capsys.readouterr().out.startswith("# Brief: ")


def test_a_folder_without_a_brief_shows_how_to_make_it(tmp_path, capsys):
    out = tmp_path / "tutorial"
    assert main(["solve", TUTORIAL, "--out", str(out), "--no-brief"]) == 0
    assert not (out / "brief.json").exists()
    capsys.readouterr()
    assert main(["review", str(out), "--format", "markdown"]) == 0
    assert "no brief.json in" in capsys.readouterr().out


def test_a_sweep_brief_renders_its_lines_as_they_are_in_markdown_and_escaped_in_html():
    from optimizer.brief.render import environment, section_markdown
    from optimizer.brief.sections import sweep_brief_section

    section = sweep_brief_section({"lines": ["A | B", "  x <b>"]})
    assert section_markdown(section) == "## Brief: which tier wins where\n\n```text\nA | B\n  x <b>\n```\n\n"
    html = environment().get_template("brief_section.html.j2").render(section=section)
    assert "<pre>A | B\n  x &lt;b&gt;</pre>" in html
