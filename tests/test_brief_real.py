"""The brief on the real cases: the flagship, the UK–US instance and the flagship sweep.

The committed ``results/<name>_analyses/`` folders are what ``dealopt reference`` writes as
``solve --brief-with all`` would (``tests/test_readme.py`` checks they are fresh), so their brief
is read, never re-solved: every
section reaches ``brief.md``, the terminal review and the HTML report, which opens in headless
Chromium without a console error. The flagship sweep is run afresh; its report and review open
with its one-screen brief.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from test_report_html import BRIEF_SECTIONS, Page, _console, chromium  # noqa: F401 (a fixture)

from optimizer.brief.analyses import ANALYSES
from optimizer.cli import main

ROOT = Path(__file__).resolve().parent.parent
CASES = ["us_japan_2025_analyses", "uk_us_2025_analyses"]  # what `solve --brief-with all` writes
TITLES = [
    "## 1. Recommendation",
    "## 2. Why this tier",
    "## 3. What limits the answer",
    "## 4. Who pays",
    "## 5. The price of each demand",
    "## 6. Alternatives",
    "## 7. Assumptions and sources",
    "## 8. Chance of acceptance",
    "## 9. The bargaining frontier",
    "## 10. How far the judgements can move",
]
SECTION_IDS = ["brief", *(f"brief-{name}" for name in BRIEF_SECTIONS), *(f"brief-{name}" for name in ANALYSES)]


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> dict[str, Path]:
    """Each case's committed folder, copied, with its HTML report written beside the brief."""
    folder = tmp_path_factory.mktemp("real")
    made = {}
    for case in CASES:
        shutil.copytree(ROOT / "results" / case, folder / case)
        assert main(["report", str(folder / case)]) == 0
        made[case] = folder / case
    return made


@pytest.fixture(scope="module")
def flagship_sweep(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sweep") / "flagship_sweep"
    spec = ROOT / "instances" / "sweeps" / "us_japan_2025_sweep.yaml"
    assert main(["sweep", str(spec), "--out", str(out), "--workers", "1"]) == 0
    assert main(["report", str(out)]) == 0
    return out


@pytest.mark.parametrize("case", CASES)
def test_every_section_of_the_brief_reaches_brief_md_in_order(case):
    markdown = (ROOT / "results" / case / "brief.md").read_text(encoding="utf-8")
    at = [markdown.index(title) for title in TITLES]
    assert at == sorted(at)


@pytest.mark.parametrize("case", CASES)
def test_the_terminal_review_opens_with_every_section(case, capsys):
    assert main(["review", str(ROOT / "results" / case)]) == 0
    terminal = capsys.readouterr().out
    headings = [title.split(". ", 1)[1] for title in TITLES]
    at = [terminal.index(heading) for heading in headings]
    assert at == sorted(at) and at[-1] < terminal.index("Package")  # the brief, then what solve printed


@pytest.mark.parametrize("case", CASES)
def test_the_html_report_opens_with_every_section(case, reports):
    page = Page((reports[case] / "report.html").read_text(encoding="utf-8"))
    assert page.ids("section")[: len(SECTION_IDS)] == SECTION_IDS


@pytest.mark.browser
@pytest.mark.parametrize("case", CASES)
def test_the_html_report_shows_every_section_in_chromium(case, reports, chromium):  # noqa: F811
    from selenium.webdriver.common.by import By

    chromium.get((reports[case] / "report.html").as_uri())
    shown = [s.get_attribute("id") for s in chromium.find_elements(By.CSS_SELECTOR, "#brief > section")]
    assert shown == SECTION_IDS[1:]
    assert all(chromium.find_element(By.ID, name).is_displayed() for name in SECTION_IDS)
    assert _console(chromium) == []


def test_the_flagship_sweep_review_opens_with_its_one_screen_brief(flagship_sweep, capsys):
    capsys.readouterr()
    assert main(["review", str(flagship_sweep)]) == 0
    terminal = capsys.readouterr().out
    brief = terminal[: terminal.index("Scenarios by status")]
    assert len(brief.splitlines()) <= 60
    for part in ("Which tier wins where", "Switch points", "Offer map", "Net political cost"):
        assert part in brief


@pytest.mark.browser
def test_the_flagship_sweep_report_opens_with_its_brief_in_chromium(flagship_sweep, chromium):  # noqa: F811
    from selenium.webdriver.common.by import By

    chromium.get((flagship_sweep / "report.html").as_uri())
    first = chromium.find_elements(By.CSS_SELECTOR, "main section, body > section")[0]
    assert first.get_attribute("id").startswith("brief")
    assert "Which tier wins where" in first.text
    assert _console(chromium) == []
