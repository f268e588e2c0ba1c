"""The brief rendered from Jinja2 templates (``optimizer/templates``): Markdown for brief.md, HTML for the report.

Both render the same :func:`~optimizer.brief.sections.brief_sections`, one section at a
time, with the same section template in each format. HTML is autoescaped; Markdown
cells are escaped by the ``md`` filter.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from ..formatting import markdown_escape
from .sections import BriefSection, brief_sections

if TYPE_CHECKING:  # brief.py renders through this module on request
    from .brief import Brief

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


@cache
def environment():
    """The Jinja2 environment: autoescaping on for ``.html.j2`` templates, off for ``.md.j2``."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html.j2",), default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = markdown_escape
    return env


def brief_markdown(brief: Brief) -> str:
    """brief.md: the title, then each section."""
    return (
        environment()
        .get_template("brief.md.j2")
        .render(title=brief.data["instance"]["title"], sections=brief_sections(brief))
    )


def brief_html(brief: Brief) -> str:
    """The brief's sections as an HTML fragment, for the report."""
    return environment().get_template("brief.html.j2").render(sections=brief_sections(brief))


def section_markdown(section: BriefSection) -> str:
    """One brief section as Markdown (brief.md's template), for a review that shows it on its own."""
    return environment().get_template("brief_section.md.j2").render(section=section)
