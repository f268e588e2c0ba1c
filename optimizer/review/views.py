"""What review shows of one results folder: its tables, its document, and its figures.

The CLI and notebooks go through :func:`review_folder`::

    from optimizer.review import review_folder
    shown = review_folder("results/my_sweep", refine_steps=10)
    shown.tables["switch_points"]      # DataFrame
    shown.figures()["cost_curve-demands.investment"]   # matplotlib Figure
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure

from ..brief.tables import brief_tables
from .document import Document, solve_document, sweep_document
from .folders import ReviewError, SolveFolder, SweepFolder, read_folder
from .plots import offer_map_figure, solve_figures, sweep_figures
from .query import only
from .sweep_brief import sweep_brief
from .sweep_views import sweep_tables


@dataclass
class Review:
    """A folder with the tables, document and figures review shows of it."""

    folder: SolveFolder | SweepFolder
    """The folder; a sweep's holds only the scenarios ``--where`` keeps, so every view shows those alone."""
    tables: dict[str, pd.DataFrame]
    document: Document
    brief: dict = field(default_factory=dict)
    """A sweep's one-screen brief (:func:`~optimizer.review.sweep_brief.sweep_brief`); empty for a single solve."""

    @property
    def is_sweep(self) -> bool:
        return isinstance(self.folder, SweepFolder)

    def figures(self) -> dict[str, Figure]:
        """The figures, by file stem (built on each call)."""
        if isinstance(self.folder, SweepFolder):
            offer_map = {"offer_map": offer_map_figure(self.brief)} if self.brief["offer_map"]["kind"] else {}
            return offer_map | sweep_figures(self.folder, self.tables["switch_points"])
        return solve_figures(self.folder)


def review_folder(
    path: str | Path,
    where: Iterable[str] = (),
    sort: str | None = None,
    descending: bool = False,
    top: int | None = None,
    refine_steps: int | None = None,
    axes: str | Sequence[str] | None = None,
) -> Review:
    """Read a results folder and build its views; the scenario options and ``axes`` apply to sweep folders only.

    ``where`` keeps the scenarios meeting every condition in every view of a
    sweep (brief, switch points, lever usage, cost curves, figures);
    ``sort`` and ``top`` order and cut the scenario table alone.
    """
    folder = read_folder(path)
    if isinstance(folder, SweepFolder):
        shown = only(folder, where)
        tables = sweep_tables(shown, (), sort, descending, top, refine_steps)
        brief = sweep_brief(folder, where, axes, switches=tables["switch_points"])
        document = sweep_document(shown, tables, brief)
        if where:
            kept = f"{len(shown.scenarios)} of {len(folder.scenarios)} scenarios"
            document.facts.insert(0, ("where", f"{' and '.join(where)} ({kept})"))
        return Review(shown, tables, document, brief)
    options = (
        ("--where", tuple(where)),
        ("--sort", sort),
        ("--top", top),
        ("--refine", refine_steps),
        ("--axes", axes),
    )
    used = [name for name, value in options if value not in (None, ())]
    if used:
        raise ReviewError(used[0], f"applies to sweep folders only; {path} is a single solve")
    tables = (
        dict(folder.tables)
        | {f"diagnosis_{name}": table for name, table in sorted(folder.diagnosis.items())}
        | {f"brief_{name}": table for name, table in brief_tables(folder.brief).items()}
    )
    return Review(folder, tables, solve_document(folder))
