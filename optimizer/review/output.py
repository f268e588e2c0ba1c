"""Reviews as text: rich tables for the terminal, Markdown, CSV and JSON for piping."""

from __future__ import annotations

import json

import pandas as pd
from rich.console import Console
from rich.text import Text

from ..brief.render import section_markdown
from ..display import rich_table
from ..formatting import fmt, markdown_escape, markdown_table, plain_records
from .document import Document
from .folders import ReviewError

OUTPUT_FORMATS = ("table", "markdown", "csv", "json")


def show_document(document: Document, console: Console) -> None:
    """Print a document in the terminal: facts, then each section's table and sentences."""
    console.print(Text(document.title, style="bold"))
    for label, value in document.facts:
        console.print(Text.assemble((f"{label}: ", "dim"), value))
    for section in document.sections:
        if section.table is not None:
            console.print(rich_table(section.title, section.table, section.highlight))
        elif section.notes:
            console.print(Text(section.title, style="italic"))
        for note in section.notes:
            console.print(Text(f"  - {note}"))


def markdown_document(document: Document) -> str:
    """A document as Markdown: the title, facts as a list, the brief's sections, a heading per section."""
    lines = [f"# {markdown_escape(document.title)}", ""]
    lines += [f"- **{label}**: {markdown_escape(value)}" for label, value in document.facts]
    for part in getattr(document, "brief", []):  # a sweep's one-screen brief, as brief.md writes a section
        lines += ["", section_markdown(part).rstrip("\n")]
    for section in document.sections:
        if getattr(section, "part", None) is not None:  # a brief's section, as brief.md writes it
            lines += ["", section_markdown(section.part).rstrip("\n")]
            continue
        lines += ["", f"## {markdown_escape(section.title)}", ""]
        if section.table is not None:
            lines.append(markdown_table(section.table).rstrip("\n"))
        lines += [f"- {markdown_escape(note)}" for note in section.notes]
    return "\n".join(lines).rstrip() + "\n"


def pick_tables(tables: dict[str, pd.DataFrame], only: str | None) -> dict[str, pd.DataFrame]:
    """All tables, or just the one named ``only``."""
    if only is None:
        return tables
    if only not in tables:
        raise ReviewError("--table", f"no table '{only}' here (tables: {', '.join(tables)})")
    return {only: tables[only]}


def tables_csv(tables: dict[str, pd.DataFrame]) -> str:
    """One table as CSV for people; several, each after a '# name' line and separated by a blank line.

    Numbers are shown as :func:`~optimizer.formatting.fmt` shows them, without thousands
    separators (the data files keep full precision).
    """
    if len(tables) == 1:
        return _for_people(next(iter(tables.values()))).to_csv(index=False)
    return "\n".join(f"# {name}\n{_for_people(table).to_csv(index=False)}" for name, table in tables.items())


def _for_people(table: pd.DataFrame) -> pd.DataFrame:
    floats = [c for c in table.columns if pd.api.types.is_float_dtype(table[c])]
    shown = table.copy()
    for column in floats:
        shown[column] = [None if pd.isna(v) else fmt(float(v)).replace(",", "") for v in table[column]]
    return shown


def tables_json(meta: dict, tables: dict[str, pd.DataFrame]) -> str:
    """``{<meta>..., "tables": {name: [row, ...]}}`` with missing values as null."""
    data = {**meta, "tables": {name: plain_records(table) for name, table in tables.items()}}
    return json.dumps(data, indent=2, allow_nan=False, default=str) + "\n"
