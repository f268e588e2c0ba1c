"""Tables as one Excel workbook, one sheet a table (needs the optional ``xlsx`` extra: openpyxl).

Cells keep their full precision; each number is displayed as people read it
(:func:`optimizer.formatting.fmt`: thousands separators, at most 4 significant digits).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pandas as pd

from ..formatting import fmt
from .cells import is_number

INSTALL_HINT = "pip install 'dealopt[xlsx]'"
MAX_SHEET_NAME = 31
MAX_COLUMN_WIDTH = 60


class MissingExtra(Exception):
    """An optional dependency is not installed; the message says how to install it."""


def require_openpyxl() -> None:
    """Raise :class:`MissingExtra` unless openpyxl can be imported."""
    if importlib.util.find_spec("openpyxl") is None:
        raise MissingExtra(f"--xlsx needs openpyxl, which is not installed: {INSTALL_HINT}")


def write_workbook(tables: dict[str, pd.DataFrame], path: str | Path) -> Path:
    """Write each table to its own sheet (named after the table), header row frozen, columns sized to fit."""
    require_openpyxl()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        for name, table in tables.items():
            sheet_name = name[:MAX_SHEET_NAME]
            table.to_excel(writer, sheet_name=sheet_name, index=False)
            sheet = writer.sheets[sheet_name]
            sheet.freeze_panes = "A2"
            for row in sheet.iter_rows(min_row=2):
                for cell in row:
                    if is_number(cell.value):
                        cell.number_format = number_format(cell.value)
            for cells in sheet.columns:
                width = max(len(str(cell.value)) if cell.value is not None else 0 for cell in cells)
                sheet.column_dimensions[cells[0].column_letter].width = min(width + 2, MAX_COLUMN_WIDTH)
    return path


def number_format(value: float) -> str:
    """The Excel number format that displays ``value`` as :func:`~optimizer.formatting.fmt` writes it."""
    text = fmt(value)
    if "e" in text:
        return "0.000E+00"
    decimals = len(text.partition(".")[2])
    return "#,##0" + ("." + "0" * decimals if decimals else "")
