"""``dealopt report``: one self-contained HTML page, every label escaped, and it works in a real browser.

The browser test drives Debian's headless Chromium with selenium; it is
skipped when chromium, chromium-driver or selenium is missing.
"""

import io
from html.parser import HTMLParser
from pathlib import Path

import matplotlib.image
import pytest
from click.testing import CliRunner
from test_review_folders import solved_folder, sweep_copy

from optimizer.review.command import report_command

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--window-size=1280,1600",
]
SCRIPT = '<script>alert("pwned")</script>'
HOSTILE = {
    "format": 1,
    "name": "hostile",
    "title": "Labels <i>with</i> markup",
    "units": {"cost": "$bn"},
    "constituencies": {"farmers": {"label": '<b onmouseover="alert(1)">Farmers</b>', "weight": 2}},
    "metrics": {"trade": {"unit": "$bn"}},
    "levers": {
        "beef": {"kind": "continuous", "label": SCRIPT, "max": 5, "gives": {"trade": 1}, "costs": {"farmers": 2}}
    },
    "demands": {"trade": 2},
    "red_lines": [{"name": "cap", "kind": "max_cost", "constituency": "farmers", "max": 9}],
}


class Page(HTMLParser):
    """The parts of a page the tests look at: start tags, text, section ids, table headers, scripts."""

    def __init__(self, text: str):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.headers: list[list[str]] = []
        self.scripts: list[str] = []
        self._open: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._open.append(tag)
        if tag == "table":
            self.headers.append([])

    def handle_endtag(self, tag):
        if self._open and self._open[-1] == tag:
            self._open.pop()

    def handle_data(self, data):
        self.text.append(data)
        where = self._open[-1] if self._open else ""
        if where == "th":
            self.headers[-1].append(data)
        elif where == "script":
            self.scripts.append(data)

    def ids(self, tag: str) -> list[str]:
        return [attrs["id"] for name, attrs in self.tags if name == tag and "id" in attrs]

    def count(self, tag: str) -> int:
        return sum(name == tag for name, _ in self.tags)


def _report(folder: Path, *args: str) -> Path:
    result = CliRunner().invoke(report_command, [str(folder), *args])
    assert result.exit_code == 0, result.output
    return Path(result.output.strip().removeprefix("wrote "))


@pytest.fixture(scope="module")
def sweep_report(tmp_path_factory) -> Path:
    return _report(sweep_copy(tmp_path_factory.mktemp("report") / "sweep"))


def test_a_solve_report_has_every_table_and_escapes_every_label(tmp_path):
    source = _report(solved_folder(tmp_path / "hostile", HOSTILE)).read_text(encoding="utf-8")
    page = Page(source)
    assert page.ids("section") == [
        "brief",
        "package",
        "metrics",
        "constituencies",
        "red_lines",
        "binding",
        "run",
        "figures",
    ]
    assert page.headers[0][:5] == ["lever", "label", "kind", "group", "amount"]
    assert page.count("table") == 5 and page.count("svg") == 1
    assert page.count("script") == 1 and "sortable" in page.scripts[0] and "pwned" not in page.scripts[0]
    assert page.count("b") == 0 and page.count("i") == 0
    assert SCRIPT in page.text and '<b onmouseover="alert(1)">Farmers</b> (weight 2)' in "".join(page.text)
    assert "&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt;" in source
    assert "political cost ($bn)" in source


def test_a_report_needs_no_network(sweep_report):
    page = Page(sweep_report.read_text(encoding="utf-8"))
    policy = next(attrs["content"] for tag, attrs in page.tags if attrs.get("http-equiv") == "Content-Security-Policy")
    assert policy.startswith("default-src 'none'")
    links = [value for _, attrs in page.tags for key, value in attrs.items() if key in ("src", "href")]
    assert all(not value.startswith(("http:", "https:", "//")) for value in links)


def test_a_sweep_report_has_its_views_switch_points_in_words_and_figures(sweep_report):
    page = Page(sweep_report.read_text(encoding="utf-8"))
    assert page.ids("section") == [
        "status",
        "scenarios",
        "switch_points",
        "lever_usage",
        "cost_curves",
        "manifest",
        "figures",
    ]
    assert page.ids("figure") == [
        "figure-cost_curve-constituencies.farmers.weight",
        "figure-composition-constituencies.farmers.weight",
        "figure-cost_curve-demands.investment",
        "figure-composition-demands.investment",
    ]
    assert "message" not in page.headers[1]
    assert "between Investment pledged demand 300 and 350 $bn (Farm lobby weight = 5): Small fund enters" in page.text


def test_the_report_can_go_elsewhere(tmp_path):
    written = _report(solved_folder(tmp_path / "toy"), "--out", str(tmp_path / "out" / "toy.html"))
    assert written == tmp_path / "out" / "toy.html" and written.stat().st_size > 10_000


@pytest.mark.browser
def test_the_report_opens_in_headless_chromium_sorts_and_renders(sweep_report):
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        pytest.skip("needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)")
    webdriver = pytest.importorskip("selenium.webdriver", reason="needs selenium (pip install '.[browser]')")
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    try:
        driver.get(sweep_report.as_uri())
        header = driver.find_element(By.XPATH, '//section[@id="scenarios"]//th[text()="objective"]')
        header.click()
        header.click()
        cells = driver.find_elements(By.CSS_SELECTOR, "#scenarios tbody tr td:nth-child(3)")
        objectives = [cell.text for cell in cells]
        order = header.get_attribute("aria-sort")
        errors = [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
        screenshot = driver.get_screenshot_as_png()
    finally:
        driver.quit()
    assert order == "descending"
    assert objectives[:3] == ["80", "45", "45"] and objectives[-2:] == ["", ""]
    assert errors == []
    image = matplotlib.image.imread(io.BytesIO(screenshot), format="png")
    assert image.shape[0] >= 600 and image[..., :3].std() > 0.05
