"""What review shows of one results folder: its tables, its document, and its figures.

The CLI and notebooks go through :func:`review_folder`::

    from optimizer.review import review_folder
    shown = review_folder("results/my_sweep", refine_steps=10)
    shown.tables["switch_points"]      # DataFrame
    shown.figures()["cost_curve-demands.investment"]   # matplotlib Figure
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure

from .document import Document, solve_document, sweep_document
from .folders import ReviewError, SolveFolder, SweepFolder, read_folder
from .plots import solve_figures, sweep_figures
from .sweep_views import sweep_tables


@dataclass
class Review:
    """A folder with the tables, document and figures review shows of it."""

    folder: SolveFolder | SweepFolder
    tables: dict[str, pd.DataFrame]
    document: Document

    @property
    def is_sweep(self) -> bool:
        return isinstance(self.folder, SweepFolder)

    def figures(self) -> dict[str, Figure]:
        """The figures, by file stem (built on each call)."""
        if isinstance(self.folder, SweepFolder):
            return sweep_figures(self.folder, self.tables["switch_points"])
        return solve_figures(self.folder)


def review_folder(
    path: str | Path,
    where: Iterable[str] = (),
    sort: str | None = None,
    descending: bool = False,
    top: int | None = None,
    refine_steps: int | None = None,
) -> Review:
    """Read a results folder and build its views; the scenario options apply to sweep folders only."""
    folder = read_folder(path)
    if isinstance(folder, SweepFolder):
        tables = sweep_tables(folder, where, sort, descending, top, refine_steps)
        return Review(folder, tables, sweep_document(folder, tables))
    options = (("--where", tuple(where)), ("--sort", sort), ("--top", top), ("--refine", refine_steps))
    used = [name for name, value in options if value not in (None, ())]
    if used:
        raise ReviewError(used[0], f"applies to sweep folders only; {path} is a single solve")
    tables = dict(folder.tables) | {f"diagnosis_{name}": table for name, table in sorted(folder.diagnosis.items())}
    return Review(folder, tables, solve_document(folder))
