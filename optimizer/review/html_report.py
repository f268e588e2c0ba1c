"""One self-contained HTML file of a review: inline CSS, inline SVG figures, a few lines of JavaScript to sort tables.

Nothing is fetched when it opens: the page's Content-Security-Policy allows
no network access at all. Every name, label and value from the results is
escaped; the SVG figures come from matplotlib, which escapes their text.
"""

from __future__ import annotations

from html import escape

import pandas as pd
from matplotlib.figure import Figure

from .. import __version__
from ..formatting import fmt, plain
from .cells import is_number
from .document import Document, Section
from .plots import svg_text

POLICY = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"

STYLE = """
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1d1d1d; margin: 0; background: #fafafa; }
main { max-width: 1200px; margin: 0 auto; padding: 24px; }
h1 { font-size: 24px; margin: 0 0 12px; }
h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 0; }
dl.facts dt { color: #666; }
dl.facts dd { margin: 0; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; background: #fff; font-size: 13px; }
th, td { padding: 4px 10px; border-bottom: 1px solid #e6e6e6; text-align: left; white-space: nowrap; }
th { background: #f0f0f0; cursor: pointer; user-select: none; position: sticky; top: 0; }
th[aria-sort="ascending"]::after { content: " \\25B2"; }
th[aria-sort="descending"]::after { content: " \\25BC"; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.highlight td { background: #fff3c4; font-weight: 600; }
ul.notes { margin: 8px 0; padding-left: 20px; }
figure { margin: 16px 0; background: #fff; padding: 8px; border: 1px solid #e6e6e6; }
figure svg { width: 100%; max-width: 1000px; height: auto; display: block; }
footer { margin-top: 32px; color: #777; font-size: 12px; }
"""

SORT_SCRIPT = """
for (const th of document.querySelectorAll("table.sortable th")) {
  th.addEventListener("click", () => {
    const body = th.closest("table").tBodies[0], column = th.cellIndex;
    const ascending = th.getAttribute("aria-sort") !== "ascending";
    for (const other of th.parentNode.children) other.removeAttribute("aria-sort");
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    const rows = Array.from(body.rows).sort((a, b) => {
      const x = a.cells[column], y = b.cells[column], xEmpty = x.textContent === "", yEmpty = y.textContent === "";
      if (xEmpty || yEmpty) return xEmpty - yEmpty;
      const order = "sort" in x.dataset && "sort" in y.dataset
        ? x.dataset.sort - y.dataset.sort
        : x.textContent.localeCompare(y.textContent, undefined, { numeric: true });
      return ascending ? order : -order;
    });
    body.append(...rows);
  });
}
"""


def html_report(document: Document, figures: dict[str, Figure]) -> str:
    """The whole page: title, facts, every section's table and sentences, then the figures."""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta http-equiv="Content-Security-Policy" content="{POLICY}">',
        '<link rel="icon" href="data:,">',
        f"<title>{escape(document.title)}</title>",
        f"<style>{STYLE}</style></head>",
        "<body><main>",
        f"<h1>{escape(document.title)}</h1>",
        _facts(document.facts),
        *(_section(section) for section in document.sections),
    ]
    if figures:
        parts.append('<section id="figures"><h2>Figures</h2>')
        parts += [f'<figure id="figure-{escape(stem)}">{svg_text(figure)}</figure>' for stem, figure in figures.items()]
        parts.append("</section>")
    parts += [
        f"<footer>Written by dealopt {escape(__version__)}. Click a column heading to sort the table.</footer>",
        f"</main><script>{SORT_SCRIPT}</script></body></html>",
    ]
    return "\n".join(parts) + "\n"


def _facts(facts: list[tuple[str, str]]) -> str:
    items = "".join(f"<dt>{escape(label)}</dt><dd>{escape(value)}</dd>" for label, value in facts)
    return f'<dl class="facts">{items}</dl>'


def _section(section: Section) -> str:
    parts = [f'<section id="{escape(section.name)}"><h2>{escape(section.title)}</h2>']
    if section.table is not None:
        parts.append(_table(section.table, section.highlight))
    if section.notes:
        parts.append('<ul class="notes">' + "".join(f"<li>{escape(note)}</li>" for note in section.notes) + "</ul>")
    parts.append("</section>")
    return "".join(parts)


def _table(table: pd.DataFrame, highlight: str | None) -> str:
    if table.empty:
        return "<p><em>(none)</em></p>"
    header = "".join(f'<th scope="col">{escape(str(column))}</th>' for column in table.columns)
    rows = []
    for record in table.to_dict("records"):
        marked = ' class="highlight"' if highlight and record.get(highlight) else ""
        rows.append(f"<tr{marked}>" + "".join(_cell(plain(value)) for value in record.values()) + "</tr>")
    return (
        f'<div class="scroll"><table class="sortable"><thead><tr>{header}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


def _cell(value) -> str:
    if is_number(value):
        return f'<td class="num" data-sort="{value!r}">{escape(fmt(value))}</td>'
    return f"<td>{escape(fmt(value))}</td>"
