"""A review as a document: a title, key facts, and titled sections of tables and sentences.

One document is built per thing reviewed (a single solve, a sweep, a
comparison) and rendered to the terminal, Markdown or HTML.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ..brief.sections import BriefSection, brief_sections, sweep_brief_section
from ..brief.tables import TITLES as BRIEF_TITLES
from ..brief.tables import brief_tables
from ..formatting import fmt
from ..report import binding_sentences, headline
from ..result import Result
from .folders import SolveFolder, SweepFolder
from .sweep_brief import sweep_brief
from .sweep_views import SWEEP_TABLES
from .switch_points import switch_sentences

SOLVE_TITLES = {
    "package": "Package",
    "metrics": "What the counterpart counts",
    "constituencies": "Who pays",
    "red_lines": "Red lines",
}
"""Single-solve table name -> title, as in report.md."""
SOLVE_HIGHLIGHT = {"metrics": "binding", "red_lines": "binding"}


@dataclass
class Section:
    """A titled part of a document: a table (rows where ``highlight`` is true stand out), sentences, or both."""

    name: str
    title: str
    table: pd.DataFrame | None = None
    highlight: str | None = None
    notes: list[str] = field(default_factory=list)
    part: BriefSection | None = None
    """The brief's section this one shows (the HTML report renders it with the brief's own template)."""


@dataclass
class Document:
    """What a review shows."""

    title: str
    facts: list[tuple[str, str]]
    sections: list[Section]


def solve_document(folder: SolveFolder) -> Document:
    """A single solve: the brief (or how to make it) and its detail tables, headline facts, why (when
    infeasible), the four tables, what binds, and the run."""
    result = folder.result
    instance = result.instance
    facts = headline(result) + ([("outcome", result.message)] if result.message else [])
    sections = brief_sections_of(folder)
    sections += [
        Section(f"detail-{name}", f"Detail: {BRIEF_TITLES[name]}", table)
        for name, table in brief_tables(folder.brief).items()
    ]
    sections += [Section("reasons", "Why", notes=list(result.reasons))] if result.reasons else []
    sections += _diagnosis_sections(folder.diagnosis)
    sections += [
        Section(name, SOLVE_TITLES[name], table, SOLVE_HIGHLIGHT.get(name))
        for name, table in folder.tables.items()
        if name in SOLVE_TITLES
    ]
    binding = binding_sentences(result)
    if binding:
        sections.append(Section("binding", "What binds", notes=binding))
    if result.warnings:
        sections.append(Section("warnings", "Warnings", notes=[str(w) for w in result.warnings]))
    sections.append(Section("run", "Run", facts_table(_run_facts(result))))
    return Document(instance.title or instance.name, facts, sections)


def brief_sections_of(folder: SolveFolder) -> list[Section]:
    """The brief's seven sections as document sections, read from brief.json; a hint when there is none."""
    if folder.brief is None:
        return [Section("brief", "Brief", notes=[folder.brief_hint])]
    return [
        Section(
            f"brief-{part.name}",
            part.title,
            pd.DataFrame(part.rows, columns=part.columns) if part.rows else None,
            notes=[*part.sentences, *part.bullets],
            part=part,
        )
        for part in brief_sections(folder.brief)
    ]


def _diagnosis_sections(tables: dict[str, pd.DataFrame]) -> list[Section]:
    """What ``solve`` printed about an infeasible instance, from the folder's diagnosis tables."""
    if "conflicts" not in tables:
        return []
    conflicts = tables["conflicts"]
    first = conflicts[conflicts["set"] == conflicts["set"].min()]
    others = conflicts["set"].nunique() - 1
    notes = [*first["statement"], *([f"({others} other conflicting set(s) found too)"] if others else [])]
    sections = [Section("conflict", "What cannot all hold together (drop any one to resolve it)", notes=notes)]
    if "ways_out" in tables:
        ways = tables["ways_out"]
        sections.append(
            Section(
                "ways_out", "Ways out, one at a time", ways.drop(columns=["statement"]), notes=list(ways["statement"])
            )
        )
    if "combined" in tables:
        combined = tables["combined"]
        sections.append(Section("combined", "The least combined relaxation", notes=list(combined["statement"])))
    return sections


def sweep_document(sweep: SweepFolder, tables: dict[str, pd.DataFrame], brief: dict | None = None) -> Document:
    """A sweep: its one-screen brief, what was swept, and each view in :data:`SWEEP_TABLES` (switch points
    also in words).

    ``brief`` is the sweep's brief (:func:`~optimizer.review.sweep_brief.sweep_brief`); without it, the
    brief of ``sweep``'s scenarios is made here with the default offer-map axes.
    """
    labels = sweep.labels
    spec = sweep.manifest.get("spec") or {}
    instance = (labels.instance.title or labels.instance.name) if labels.instance else sweep.name
    name = (spec.get("content") or {}).get("title") or instance
    facts = [
        ("scenarios", str(len(sweep.scenarios))),
        ("swept", ", ".join(labels.parameter(p)[0] for p in sweep.parameters) or "nothing"),
    ]
    if sweep.base is None:
        facts.append(("base instance", f"unavailable: {sweep.base_problem}"))
    shown = tables | {"scenarios": _readable(tables["scenarios"])}
    if brief is None:
        brief = sweep_brief(sweep, switches=tables["switch_points"])
    sections = [Section("brief", "Brief", part=sweep_brief_section(brief))]
    for key, title in SWEEP_TABLES.items():
        notes = switch_sentences(tables[key], labels) if key == "switch_points" else []
        sections.append(Section(key, title, shown[key], notes=notes))
    sections.append(Section("manifest", "Manifest", facts_table(_flat(sweep.manifest))))
    return Document(f"Sweep: {name}", facts, sections)


def compare_document(names: tuple[str, str], table: pd.DataFrame) -> Document:
    """Two answers side by side, columns ``a`` and ``b`` headed by what they are."""
    headers = {"a": f"a: {names[0]}", "b": f"b: {names[1]}"}
    differing = int(table["differs"].sum())
    facts = [("a", names[0]), ("b", names[1]), ("differences", str(differing))]
    section = Section("compare", "Side by side (differences in bold)", table.rename(columns=headers), "differs")
    return Document(f"{names[0]} vs {names[1]}", facts, [section])


def _readable(scenarios: pd.DataFrame) -> pd.DataFrame:
    """The scenarios without each one's message and without columns that are empty throughout."""
    empty = [c for c in scenarios.columns if scenarios[c].isna().all()]
    return scenarios.drop(columns=[*empty, *(["message"] if "message" in scenarios.columns else [])])


def _run_facts(result: Result) -> list[tuple[str, str]]:
    run = result.run
    solver = run.get("solver", {})
    instance = run.get("instance", {})
    return [
        ("solver", f"{solver.get('name', '')} {solver.get('version', '')}".strip()),
        ("options", ", ".join(f"{k}={v}" for k, v in solver.get("options", {}).items())),
        ("instance file", str(instance.get("file", ""))),
        ("instance hash", str(instance.get("content_hash", ""))),
        ("overrides", ", ".join(instance.get("overrides", []))),
        ("started at", str(run.get("started_at", ""))),
        ("dealopt version", str(run.get("dealopt_version", ""))),
    ]


def _flat(data: dict, prefix: str = "") -> list[tuple[str, str]]:
    """Nested JSON as (dotted key, value) pairs; lists are shown inline."""
    pairs = []
    for key, value in data.items():
        if isinstance(value, dict):
            pairs += _flat(value, f"{prefix}{key}.")
        else:
            text = ", ".join(fmt(v) for v in value) if isinstance(value, list) else fmt(value)
            pairs.append((f"{prefix}{key}", text))
    return pairs


def facts_table(pairs: list[tuple[str, str]]) -> pd.DataFrame:
    """(label, value) pairs as a two-column table: field, value."""
    return pd.DataFrame(pairs, columns=["field", "value"])
