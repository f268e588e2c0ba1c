"""One self-contained HTML file of a review, rendered from Jinja2 templates with autoescaping on.

The page is ``optimizer/templates/report.html.j2``. The brief's sections go through
``brief_section.html.j2``, the twin of the ``brief_section.md.j2`` that writes them into
brief.md; every other section (a table, sentences, or both) goes through
``report_section.html.j2``. Every name, label and value from the results is escaped by the
template engine.

Nothing is fetched when the page opens, and nothing inline runs unless the page's
Content-Security-Policy names it: the policy allows no network access, the one ``<style>``
block and the one ``<script>`` (the table sorter) by their SHA-256 hashes, and images only
from ``data:`` URLs. Figures are SVG images in ``data:`` URLs, so their own inline styles
stay inside the image and need no allowance in the page's policy.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass

import pandas as pd
from markupsafe import Markup
from matplotlib.figure import Figure

from .. import __version__
from ..brief.render import TEMPLATES, environment
from ..formatting import fmt, plain
from .cells import is_number
from .document import Document, Section
from .plots import svg_text

STYLE = (TEMPLATES / "report.css").read_text(encoding="utf-8")
SCRIPT = (TEMPLATES / "report.js").read_text(encoding="utf-8")


def content_hash(text: str) -> str:
    """A Content-Security-Policy source allowing exactly the inline block ``text``."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


POLICY = (
    f"default-src 'none'; style-src {content_hash(STYLE)}; script-src {content_hash(SCRIPT)}; "
    "img-src data:; base-uri 'none'; form-action 'none'"
)


@dataclass(frozen=True)
class Cell:
    text: str
    sort: str | None
    """The number a numeric cell sorts by (None for text)."""


def html_report(document: Document, figures: dict[str, Figure]) -> str:
    """The whole page: title, facts, the brief, every other section's table and sentences, then the figures."""
    brief = [section.part for section in document.sections if section.part is not None]
    sections = [_shown(section) for section in document.sections if section.part is None]
    return (
        environment()
        .get_template("report.html.j2")
        .render(
            document=document,
            brief=brief,
            sections=sections,
            figures=[_figure(stem, figure) for stem, figure in figures.items()],
            policy=POLICY,
            style=Markup(STYLE),
            script=Markup(SCRIPT),
            version=__version__,
        )
    )


def _shown(section: Section) -> dict:
    """A document section as the template shows it: its table's cells as text, numbers with their sort key."""
    return {
        "name": section.name,
        "title": section.title,
        "notes": section.notes,
        "table": None if section.table is None else _table(section.table, section.highlight),
    }


def _table(table: pd.DataFrame, highlight: str | None) -> dict:
    rows = [
        {
            "highlight": bool(highlight and record.get(highlight)),
            "cells": [_cell(plain(value)) for value in record.values()],
        }
        for record in table.to_dict("records")
    ]
    return {"columns": [str(column) for column in table.columns], "rows": rows}


def _cell(value) -> Cell:
    return Cell(fmt(value), repr(value) if is_number(value) else None)


def _figure(stem: str, figure: Figure) -> dict:
    """A figure as an SVG image in a ``data:`` URL, titled by its axes' titles."""
    source = base64.b64encode(svg_text(figure).encode("utf-8")).decode("ascii")
    titles = [axes.get_title() for axes in figure.axes if axes.get_title()]
    return {"stem": stem, "source": f"data:image/svg+xml;base64,{source}", "title": "; ".join(titles) or stem}
