"""Review: read results folders back, compare answers, and show them as tables, figures and an HTML report.

The same views as ``dealopt review``, ``compare`` and ``report``, for notebooks::

    from optimizer import review
    shown = review.review_folder("results/toy_grid")          # a solve's or a sweep's folder
    shown.tables["switch_points"], shown.tables["lever_usage"]  # DataFrames
    shown.figures()                                         # matplotlib Figures by name
    shown.brief["lines"]                                    # a sweep's one-screen brief (review.sweep_brief)
    review.compare(review.read_outcome("results/a")[1], review.read_outcome("results/sweep#3f2a")[1])
    html = review.html_report(shown.document, shown.figures())
"""

from .compare import compare
from .document import Document, Section, compare_document, solve_document, sweep_document
from .folders import ReviewError, SolveFolder, SweepFolder, read_folder, read_outcome
from .html_report import html_report
from .plots import (
    burden_figure,
    composition_figure,
    cost_curve_figure,
    offer_map_figure,
    save_figures,
    solve_figures,
    sweep_figures,
)
from .sweep_brief import sweep_brief
from .sweep_views import cost_curves, lever_costs, lever_usage, status_counts, sweep_tables
from .switch_points import refine_switch_points, switch_points, switch_sentences
from .views import Review, review_folder
from .xlsx import MissingExtra, write_workbook

__all__ = [
    "Document",
    "MissingExtra",
    "Review",
    "ReviewError",
    "Section",
    "SolveFolder",
    "SweepFolder",
    "burden_figure",
    "compare",
    "compare_document",
    "composition_figure",
    "cost_curve_figure",
    "cost_curves",
    "html_report",
    "lever_costs",
    "lever_usage",
    "offer_map_figure",
    "read_folder",
    "read_outcome",
    "refine_switch_points",
    "review_folder",
    "save_figures",
    "solve_document",
    "solve_figures",
    "status_counts",
    "sweep_brief",
    "sweep_document",
    "sweep_figures",
    "sweep_tables",
    "switch_points",
    "switch_sentences",
    "write_workbook",
]
