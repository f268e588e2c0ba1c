"""Tables as one Excel workbook, one sheet a table (needs the optional ``xlsx`` extra: openpyxl)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pandas as pd

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
            for cells in sheet.columns:
                width = max(len(str(cell.value)) if cell.value is not None else 0 for cell in cells)
                sheet.column_dimensions[cells[0].column_letter].width = min(width + 2, MAX_COLUMN_WIDTH)
    return path
