"""No human output shows float noise or more than 4 significant digits in a non-integer.

Scans every human output of the flagship (the terminal and Markdown review, brief.md,
report.md, the HTML report, ``review --format csv``) and of a small flagship sweep.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from optimizer.cli import main

FLAGSHIP = "instances/us_japan_2025.yaml"
NUMBER = re.compile(r"(?<![\w.,])(\d{1,3}(?:,\d{3})+\.\d+|\d+\.\d+)(?![\w.])")
"""A decimal number standing on its own: not a version (1.11.0), a date or part of a name."""


def too_precise(text: str) -> list[str]:
    """Decimal numbers with more than 4 significant digits."""
    found = []
    for number in NUMBER.findall(text):
        digits = number.replace(",", "").replace(".", "").lstrip("0")
        if len(digits) > 4:
            found.append(number)
    return found


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts, self._skip = [], False

    def handle_starttag(self, tag, attrs):
        self._skip = tag in ("style", "script", "svg")

    def handle_endtag(self, tag):
        self._skip = False if tag in ("style", "script", "svg") else self._skip

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def html_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return "\n".join(parser.parts)


def run(capsys, *args) -> str:
    capsys.readouterr()
    assert main(list(args)) == 0
    return capsys.readouterr().out


@pytest.fixture(scope="module")
def flagship(tmp_path_factory):
    out = tmp_path_factory.mktemp("numbers") / "flagship"
    assert main(["solve", FLAGSHIP, "--out", str(out)]) == 0
    return out


@pytest.mark.slow  # the brief re-solves the flagship some 60 times (prices, limiting items, alternatives)
def test_the_flagship_folder_and_its_review_show_no_noise(flagship, capsys):
    outputs = {
        "brief.md": (flagship / "brief.md").read_text(),
        "report.md": (flagship / "report.md").read_text(),
        "review": run(capsys, "review", str(flagship)),
        "review markdown": run(capsys, "review", str(flagship), "--format", "markdown"),
        "review csv": run(capsys, "review", str(flagship), "--format", "csv"),
    }
    run(capsys, "report", str(flagship))
    outputs["report.html"] = html_text((flagship / "report.html").read_text())
    assert {name: too_precise(text) for name, text in outputs.items() if too_precise(text)} == {}
    assert "84 kt/yr" in outputs["brief.md"]


def test_a_flagship_sweep_shows_no_noise(tmp_path, capsys):
    spec = tmp_path / "sweep.yaml"
    spec.write_text(
        f"base: {__import__('pathlib').Path(FLAGSHIP).resolve()}\n"
        "grid:\n  offers.car_deal.requires.investment: [250, 350]\n  constituencies.farmers.weight: [3, 6]\n"
    )
    out = tmp_path / "sweep"
    assert main(["sweep", str(spec), "--out", str(out)]) == 0
    outputs = {
        "review": run(capsys, "review", str(out)),
        "review markdown": run(capsys, "review", str(out), "--format", "markdown"),
        "review csv": run(capsys, "review", str(out), "--format", "csv"),
    }
    assert {name: too_precise(text) for name, text in outputs.items() if too_precise(text)} == {}


def test_the_scan_catches_noise():
    assert too_precise("net 83.99999999999994 points, 1.3844 bn") == ["83.99999999999994", "1.3844"]
    assert too_precise("dealopt 1.11.0, 84 kt, 1.384 bn, 12,346, 250,6,3.2") == []


@pytest.mark.slow  # the frontier and the sensitivity re-solve the instance hundreds of times
def test_the_brief_with_every_analysis_shows_no_noise(tmp_path, capsys):
    out = tmp_path / "uk_us"
    assert main(["solve", "instances/uk_us_2025.yaml", "--out", str(out), "--brief-with", "all"]) == 0
    run(capsys, "report", str(out))
    outputs = {
        "brief.md": (out / "brief.md").read_text(),
        "review": run(capsys, "review", str(out)),
        "report.html": html_text((out / "report.html").read_text()),
    }
    assert "## 10. How far the judgements can move" in outputs["brief.md"]
    assert {name: too_precise(text) for name, text in outputs.items() if too_precise(text)} == {}
