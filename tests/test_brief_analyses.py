"""The brief's optional analyses (``solve --brief-with``) on an instance small enough to work out by hand.

One constituency (weight 1), one metric m, two binary levers: ``small`` gives m 1 for 1 point,
``big`` gives m 2 for 3 points. The deal requires m >= 1 and is worth 10 points; walking away
is worth 0. So the least-cost package is ``small``: -9 points.

- Acceptance: the counterpart's threshold is 1, 2 or 3 with probabilities 0.5, 0.3, 0.2. Small
  (m = 1) is accepted with 0.5 at -9, big (m = 2) with 0.8 at -7, both (m = 3) with 1 at -6.
  The expected gains are 4.5, 5.6 and 6: both wins.
- Frontier: the counterpart values m one for one. The deal packages (ours, theirs) are small
  (9, 1), big (7, 2) and both (6, 3), all on the frontier; walking away is (0, 0). The Nash
  products are 9, 14 and 18: both. From small, each unit more for them costs us 2 points.
- Sensitivity: the deal's benefit (10) is a judgement; below 1 the deal costs more than walking
  away, so the recommendation holds from 1 up.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest
import yaml
from test_report_html import BRIEF_SECTIONS, Page, _console, chromium  # noqa: F401 (a fixture)

from optimizer.brief import Brief
from optimizer.brief.analyses import ANALYSES, applicable, requested_analyses
from optimizer.brief.tables import brief_tables
from optimizer.cli import main
from optimizer.errors import InputError
from optimizer.instance import load
from optimizer.review.xlsx import write_workbook

HAND = {
    "format": 1,
    "name": "hand",
    "constituencies": {"a": {"label": "Industry (all of it)", "weight": 1, "source": "illustrative"}},
    "metrics": {"m": {"unit": "units", "source": "illustrative"}},
    "levers": {
        "small": {"kind": "binary", "gives": {"m": 1}, "costs": {"a": 1}, "source": "illustrative"},
        "big": {"kind": "binary", "gives": {"m": 2}, "costs": {"a": 3}, "source": "illustrative"},
    },
    "offers": {
        "walk": {"walk_away": True, "benefits": {"a": 0}, "source": "illustrative"},
        "deal": {"requires": {"m": 1}, "benefits": {"a": 10}, "source": "illustrative"},
    },
    "beliefs": {
        "on_m": {"path": "offers.deal.requires.m", "discrete": {"values": [1, 2, 3], "probs": [0.5, 0.3, 0.2]}}
    },
    "counterpart": {"label": "Them (the other side)", "unit": "units", "value": {"m": 1}, "source": "illustrative"},
    "provenance": {"offers.deal.benefits.a": {"judgement": True, "published": "2025-06-01", "note": "a guess"}},
}

ANALYSES_IDS = [f"brief-{name}" for name in ANALYSES]
DETAILS = ("tiers", "limiting", "prices", "who_pays", "alternatives")


@pytest.fixture(scope="module")
def hand(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hand")
    path = folder / "hand.yaml"
    path.write_text(yaml.safe_dump(HAND, sort_keys=False))
    assert main(["solve", str(path), "--out", str(folder / "all"), "--brief-with", "all"]) == 0
    assert main(["solve", str(path), "--out", str(folder / "plain")]) == 0
    return folder


def brief_of(folder) -> dict:
    return json.loads((folder / "brief.json").read_text())


def test_brief_with_names_analyses_in_order_or_all():
    assert requested_analyses(None) == ()
    assert requested_analyses("sensitivity, acceptance") == ("acceptance", "sensitivity")
    assert requested_analyses("all") == ANALYSES


@pytest.mark.parametrize(
    ("text", "briefed", "says"),
    [
        ("frontier,nash", True, "unknown analysis 'nash'"),
        (",", True, "unknown analysis"),
        ("all", False, "does not write"),
    ],
)
def test_a_bad_brief_with_is_refused(text, briefed, says):
    with pytest.raises(InputError, match=says):
        requested_analyses(text, briefed)


def test_a_bad_brief_with_exits_2_and_writes_nothing(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["solve", "instances/tutorial.yaml", "--out", str(out), "--brief-with", "frontier,nash"]) == 2
    assert "--brief-with: unknown analysis 'nash'" in capsys.readouterr().err and not out.exists()
    assert main(["solve", "instances/tutorial.yaml", "--no-brief", "--brief-with", "all"]) == 2
    assert main(["solve", "instances/tutorial.yaml", "--chance", "0.5", "--brief-with", "all"]) == 2
    assert "which a solve with --no-brief, --no-save, --chance or --robust does not write" in capsys.readouterr().err


def test_an_analysis_applies_only_when_the_instance_has_its_inputs(tmp_path):
    path = tmp_path / "hand.yaml"
    path.write_text(yaml.safe_dump(HAND))
    assert applicable(load(path).instance) == list(ANALYSES)
    bare = {key: value for key, value in HAND.items() if key not in ("beliefs", "counterpart", "provenance")}
    path.write_text(yaml.safe_dump(bare))
    assert applicable(load(path).instance) == []


def test_the_acceptance_part_prices_each_step_up_in_chance(hand):
    part = brief_of(hand / "all")["acceptance"]
    assert [(r["probability"], r["objective"]) for r in part["rows"] if r["offer"] == "deal"] == [
        (pytest.approx(0.5), pytest.approx(-9)),
        (pytest.approx(0.8), pytest.approx(-7)),
        (pytest.approx(1), pytest.approx(-6)),
    ]
    assert part["statements"][:4] == [
        "The cheapest deal (deal, -9 points) is accepted with probability 0.5.",
        "The recommendation (deal, -9 points, solved with the instance's own numbers) is accepted with probability 0.5.",
        "Probability 0.8 costs 2 points more (Industry +2).",
        "Probability 1 costs 3 points more (Industry +3).",
    ]
    assert part["statements"][4].startswith("The highest expected gain: deal at -6 points, accepted with probability 1")


def test_the_frontier_part_places_the_least_cost_package_and_the_bargaining_points(hand):
    part = brief_of(hand / "all")["frontier"]
    rows = {r["where"]: r for r in part["rows"]}
    assert rows["disagreement point (walking away)"]["objective"] == pytest.approx(0)
    assert (rows["best for us (deal)"]["objective"], rows["best for us (deal)"]["theirs"]) == (-9, 1)
    assert (rows["Nash point"]["objective"], rows["Nash point"]["theirs"]) == (pytest.approx(-6), pytest.approx(3))
    assert rows["Nash point"]["above_recommendation"] == pytest.approx(3) and "add big" in rows["Nash point"]["changes"]
    statements = part["statements"]
    assert "Our least-cost package is the frontier's end best for us" in statements[2]
    assert statements[3].startswith("From the least-cost package, each units more for Them costs us 2 points")
    assert "mostly through Industry" in statements[3]


def test_the_sensitivity_part_says_how_far_each_judgement_can_move(hand):
    (row,) = brief_of(hand / "all")["sensitivity"]["rows"]
    assert row["path"] == "offers.deal.benefits.a" and row["value"] == 10 and row["low"] == pytest.approx(1)
    assert row["statement"].startswith("The recommendation holds while deal's benefit to a (now 10) stays between 1")


def test_without_brief_with_each_applicable_analysis_says_how_to_add_it(hand):
    data = brief_of(hand / "plain")
    assert data["analyses"] == list(ANALYSES) and not any(name in data for name in ANALYSES)
    markdown = Brief.from_dict(data).to_markdown()
    for number, name in enumerate(ANALYSES, start=8):
        assert f"## {number}. " in markdown and f"`dealopt solve FILE --brief-with {name}` adds" in markdown
    assert set(brief_tables(Brief.from_dict(data))) == {"tiers", "limiting", "prices", "who_pays", "alternatives"}


def test_every_part_reaches_brief_md_the_terminal_review_and_the_detail_tables(hand, capsys):
    markdown = (hand / "all" / "brief.md").read_text()
    for title in ("## 8. Chance of acceptance", "## 9. The bargaining frontier", "## 10. How far the judgements"):
        assert title in markdown
    capsys.readouterr()
    assert main(["review", str(hand / "all")]) == 0
    terminal = capsys.readouterr().out
    assert "Chance of acceptance" in terminal and "The Nash point" in terminal and "deal's benefit" in terminal
    tables = brief_tables(Brief.from_dict(brief_of(hand / "all")))
    assert list(tables["acceptance"].columns)[:2] == ["tier", "chance of acceptance (0-1)"]
    assert len(tables["frontier"]) == 4 and len(tables["sensitivity"]) == 1


def test_an_analysis_that_cannot_be_made_says_why_in_its_place(tmp_path):
    data = {**HAND, "offers": {"deal": HAND["offers"]["deal"]}, "provenance": {}, "beliefs": {}}
    path = tmp_path / "hand.yaml"
    path.write_text(yaml.safe_dump(data))
    assert main(["solve", str(path), "--out", str(tmp_path / "out"), "--brief-with", "frontier"]) == 0
    part = brief_of(tmp_path / "out")["frontier"]
    assert "no walk-away offer" in part["error"]
    assert "Could not be computed: " in (tmp_path / "out" / "brief.md").read_text()


def test_the_html_report_opens_with_every_section_then_the_detail_tables(hand, capsys):
    assert main(["report", str(hand / "all")]) == 0
    page = Page((hand / "all" / "report.html").read_text())
    ids = page.ids("section")
    assert ids[: len(BRIEF_SECTIONS) + 4] == ["brief", *(f"brief-{name}" for name in BRIEF_SECTIONS), *ANALYSES_IDS]
    details = [i for i in ids if i.startswith("detail-")]
    assert details == [f"detail-{name}" for name in (*DETAILS, *ANALYSES)]


def test_the_workbook_keeps_full_precision_and_displays_numbers_as_people_read_them(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    table = pd.DataFrame({"what": ["noise", "share", "big"], "value": [83.99999999999994, 0.123456, 1234567.8]})
    write_workbook({"numbers": table}, tmp_path / "book.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "book.xlsx")["numbers"]
    cells = [sheet.cell(row, 2) for row in (2, 3, 4)]
    assert [c.value for c in cells] == [83.99999999999994, 0.123456, 1234567.8]
    assert [c.number_format for c in cells] == ["#,##0", "#,##0.0000", "#,##0"]


@pytest.mark.browser
def test_a_report_with_every_analysis_shows_it_in_chromium_without_a_csp_violation(chromium, hand):  # noqa: F811
    from selenium.webdriver.common.by import By

    assert main(["report", str(hand / "all")]) == 0
    chromium.get((hand / "all" / "report.html").as_uri())
    shown = [s.get_attribute("id") for s in chromium.find_elements(By.CSS_SELECTOR, "#brief > section")]
    assert shown == [*(f"brief-{name}" for name in BRIEF_SECTIONS), *ANALYSES_IDS]
    assert chromium.find_element(By.ID, "brief-frontier").is_displayed()
    assert _console(chromium) == []


def test_judgements_the_answer_does_not_depend_on_are_named_together():
    from optimizer.brief.judgements import _statements

    rows = [
        {"number": "x", "low_end": "change (crossing)", "high_end": "limit", "statement": "X moves."},
        {"number": "y", "low_end": "limit", "high_end": "limit", "statement": "Y never moves."},
        {"number": "z", "low_end": "limit", "high_end": "limit", "statement": "Z never moves."},
    ]
    assert _statements(rows) == ["X moves.", "The recommendation holds over every valid value of y, z."]
    assert _statements([]) == ["No judgement number is in the model."]
