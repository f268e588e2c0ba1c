"""The terminal view of a result: rich tables with the same content as report.md."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table
from rich.text import Text

from .errors import Problem
from .formatting import Rows, fmt
from .report import CONSTITUENCY_VIEW, METRIC_VIEW, PACKAGE_VIEW, RED_LINE_VIEW, binding_sentences, headline
from .result import Result
from .status import Status

if TYPE_CHECKING:
    import pandas as pd

STATUS_STYLE = {
    Status.OPTIMAL: "bold green",
    Status.INFEASIBLE: "bold yellow",
    Status.TIME_LIMIT: "bold yellow",
    Status.INVALID: "bold red",
    Status.ERROR: "bold red",
}


def rich_table(title: str, table: pd.DataFrame | Rows, highlight: str | None = None) -> Table:
    """A rich Table of a DataFrame or Rows; numbers right-aligned, rows where column ``highlight`` is true emphasised."""
    rows = table if isinstance(table, Rows) else Rows.of(table)
    view = Table(title=title, title_justify="left", header_style="bold")
    for column in rows.columns:
        view.add_column(str(column), justify="right" if rows.numeric(column) else "left")
    for row in rows.rows:
        emphasise = bool(highlight and row[highlight])
        view.add_row(*(Text(fmt(row[c])) for c in rows.columns), style="bold" if emphasise else None)
    return view


def show_result(result: Result, console: Console) -> None:
    """Print a solve's summary and tables."""
    style = STATUS_STYLE.get(result.status, "bold")
    title = result.instance.title or result.instance.name if result.instance else "dealopt"
    console.print(Text(title, style="bold"))
    for label, value in headline(result):
        console.print(Text.assemble((f"{label}: ", "dim"), (value, style if label == "status" else "")))
    if result.message:
        console.print(result.message)
    for reason in result.reasons:
        console.print(f"  - {reason}")
    tables = result.rows
    if tables:
        if tables["package"].empty:
            console.print(Text("Package: nothing conceded", style="bold"))
        else:
            console.print(rich_table("Package", tables["package"][PACKAGE_VIEW]))
        console.print(
            rich_table("What the counterpart counts (binding in bold)", tables["metrics"][METRIC_VIEW], "binding")
        )
        console.print(rich_table("Who pays", tables["constituencies"][CONSTITUENCY_VIEW]))
        console.print(rich_table("Red lines (binding in bold)", tables["red_lines"][RED_LINE_VIEW], "binding"))
        for sentence in binding_sentences(result):
            console.print(f"binding: {sentence}")
    show_problems(result.warnings, "warning")


def show_problems(problems: list[Problem], kind: str = "error") -> None:
    """Print problems on stderr, one ``file:line: path: message`` line each (warnings prefixed)."""
    console = Console(stderr=True, soft_wrap=True, highlight=False)
    for problem in problems:
        console.print(Text(str(problem) if kind == "error" else f"{kind}: {problem}"))


def make_console(stderr: bool = False) -> Console:
    """A console that is wide enough for the tables when output goes to a file or pipe."""
    console = Console(stderr=stderr)
    if not console.is_terminal:
        console = Console(stderr=stderr, width=160)
    return console
