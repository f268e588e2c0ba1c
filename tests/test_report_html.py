"""``dealopt report``: one self-contained HTML page, every label escaped, and it works in a real browser.

The browser tests drive Debian's headless Chromium with selenium; they are
skipped when chromium, chromium-driver or selenium is missing.
"""

import base64
import hashlib
import io
from html.parser import HTMLParser
from pathlib import Path

import matplotlib.image
import pytest
from click.testing import CliRunner
from test_review_folders import solved_folder, sweep_copy

from optimizer.cli import main
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
BRIEF_SECTIONS = ["recommendation", "tiers", "limiting", "who_pays", "prices", "alternatives", "sources"]
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
    assert page.count("table") == 5 and page.count("svg") == 0 and page.ids("figure") == ["figure-burden"]
    assert page.count("script") == 1 and "sortable" in page.scripts[0] and "pwned" not in page.scripts[0]
    assert page.count("b") == 0 and page.count("i") == 0
    assert SCRIPT in page.text and '<b onmouseover="alert(1)">Farmers</b>' in page.text
    assert "&lt;script&gt;alert(&#34;pwned&#34;)&lt;/script&gt;" in source
    figure = next(attrs for tag, attrs in page.tags if tag == "img")
    svg = base64.b64decode(figure["src"].split(",", 1)[1]).decode()
    assert "political cost ($bn)" in svg and "&lt;b" in svg and "<b" not in svg


def _policy(page: Page) -> str:
    return next(attrs["content"] for tag, attrs in page.tags if attrs.get("http-equiv") == "Content-Security-Policy")


def _sha256(text: str) -> str:
    return f"'sha256-{base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()}'"


def test_a_report_needs_no_network(sweep_report):
    page = Page(sweep_report.read_text(encoding="utf-8"))
    assert _policy(page).startswith("default-src 'none'")
    links = [value for _, attrs in page.tags for key, value in attrs.items() if key in ("src", "href")]
    assert all(not value.startswith(("http:", "https:", "//")) for value in links)


class Blocks(HTMLParser):
    """The text of every <style> and <script> block, and every style or event-handler attribute."""

    def __init__(self, text: str):
        super().__init__()
        self.blocks: dict[str, list[str]] = {"style": [], "script": []}
        self.inline_attributes: list[str] = []
        self._in: str | None = None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self._in = tag if tag in self.blocks else None
        if tag in self.blocks:
            self.blocks[tag].append("")
        self.inline_attributes += [name for name, _ in attrs if name == "style" or name.startswith("on")]

    def handle_endtag(self, tag):
        self._in = None

    def handle_data(self, data):
        if self._in:
            self.blocks[self._in][-1] += data


def test_the_policy_allows_the_pages_own_style_and_script_by_hash_and_nothing_inline(sweep_report):
    source = sweep_report.read_text(encoding="utf-8")
    policy = dict(part.strip().split(" ", 1) for part in _policy(Page(source)).split(";"))
    blocks = Blocks(source)
    assert "unsafe-inline" not in _policy(Page(source)) and blocks.inline_attributes == []
    assert [_sha256(text) for text in blocks.blocks["style"]] == [policy["style-src"]]
    assert [_sha256(text) for text in blocks.blocks["script"]] == [policy["script-src"]]
    assert policy["img-src"] == "data:"


def test_a_sweep_report_opens_with_its_brief_then_its_views_switch_points_in_words_and_figures(sweep_report):
    page = Page(sweep_report.read_text(encoding="utf-8"))
    assert page.ids("section") == [
        "brief",
        "brief-sweep",
        "status",
        "scenarios",
        "switch_points",
        "lever_usage",
        "cost_curves",
        "manifest",
        "figures",
    ]
    assert page.ids("figure") == [
        "figure-offer_map",
        "figure-cost_curve-constituencies.farmers.weight",
        "figure-composition-constituencies.farmers.weight",
        "figure-cost_curve-demands.investment",
        "figure-composition-demands.investment",
    ]
    brief = "".join(page.text[page.text.index("Brief: which tier wins where") + 1 :])
    assert "22 scenarios: 20 optimal, 2 infeasible" in brief and "Which tier wins where:" in brief
    assert "message" not in page.headers[1]
    assert "between Investment pledged demand 300 and 350 $bn (Farm lobby weight = 5): Small fund enters" in page.text


def test_the_report_can_go_elsewhere(tmp_path):
    written = _report(solved_folder(tmp_path / "toy"), "--out", str(tmp_path / "out" / "toy.html"))
    assert written == tmp_path / "out" / "toy.html" and written.stat().st_size > 10_000


@pytest.fixture(scope="module")
def chromium():
    """A headless Chromium that keeps the page's console log."""
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        pytest.skip("needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)")
    webdriver = pytest.importorskip("selenium.webdriver", reason="needs selenium (pip install '.[browser]')")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    yield driver
    driver.quit()


def _console(driver) -> list[str]:
    """The page's console messages at warning level or above (a CSP violation is an error)."""
    return [entry["message"] for entry in driver.get_log("browser") if entry["level"] in ("WARNING", "SEVERE")]


@pytest.mark.browser
def test_the_report_opens_in_headless_chromium_sorts_and_renders(chromium, sweep_report):
    from selenium.webdriver.common.by import By

    chromium.get(sweep_report.as_uri())
    header = chromium.find_element(By.XPATH, '//section[@id="scenarios"]//th[text()="objective"]')
    header.click()
    header.click()
    cells = chromium.find_elements(By.CSS_SELECTOR, "#scenarios tbody tr td:nth-child(3)")
    objectives = [cell.text for cell in cells]
    assert header.get_attribute("aria-sort") == "descending"
    assert objectives[:3] == ["80", "45", "45"] and objectives[-2:] == ["", ""]
    assert _console(chromium) == []
    image = matplotlib.image.imread(io.BytesIO(chromium.get_screenshot_as_png()), format="png")
    assert image.shape[0] >= 600 and image[..., :3].std() > 0.05


@pytest.mark.browser
def test_a_solve_report_shows_the_brief_with_its_style_and_figures_and_no_csp_violation(chromium, tmp_path):
    from selenium.webdriver.common.by import By

    out = tmp_path / "tutorial"
    assert main(["solve", "instances/tutorial.yaml", "--out", str(out)]) == 0
    chromium.get(_report(out).as_uri())
    shown = [
        s.get_attribute("id") for s in chromium.find_elements(By.CSS_SELECTOR, "#brief > section") if s.is_displayed()
    ]
    assert shown == [f"brief-{name}" for name in BRIEF_SECTIONS]
    assert chromium.execute_script("return getComputedStyle(document.body).backgroundColor") == "rgb(250, 250, 250)"
    assert chromium.execute_script("return Array.from(document.images).map(i => i.naturalWidth > 0)") == [True]
    assert _console(chromium) == []


@pytest.mark.browser
def test_the_console_check_sees_a_csp_violation(chromium, tmp_path):
    page = tmp_path / "inline.html"
    page.write_text(
        '<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="default-src \'none\'">'
        "</head><body><script>document.title = 'ran'</script></body></html>"
    )
    chromium.get(page.as_uri())
    assert any("Content Security Policy" in message for message in _console(chromium))
