"""The Markdown report of one solve: the same tables the terminal shows, plus sources and notes."""

from __future__ import annotations

from .formatting import fmt, markdown_escape, markdown_table
from .kinds import RED_LINE_KINDS
from .result import Result

PACKAGE_VIEW = ["lever", "label", "amount", "option", "unit"]
METRIC_VIEW = ["metric", "label", "unit", "threshold", "achieved", "slack", "binding"]
CONSTITUENCY_VIEW = ["constituency", "label", "weight", "cost", "benefit", "net", "weighted_net", "cap", "headroom"]
RED_LINE_VIEW = ["red_line", "kind", "label", "value", "min", "max", "slack", "binding"]


def headline(result: Result) -> list[tuple[str, str]]:
    """The key facts of a result as (label, value) pairs, shared by the terminal and the report."""
    instance = result.instance
    offer = result.offer
    offer_text = ""
    if offer and instance is not None:
        label = instance.offer_items[offer].label
        offer_text = f"{offer} ({label})" if label else offer
    pairs = [("status", str(result.status))]
    if result.objective is not None:
        pairs.append(("net political cost", fmt(result.objective)))
    if result.gap is not None:
        pairs.append(("gap", f"{result.gap:.3g}"))
    if offer_text:
        pairs.append(("offer granted", offer_text))
    pairs.append(("verified", "yes" if result.verified else "no"))
    return pairs


def binding_sentences(result: Result) -> list[str]:
    """The thresholds and red lines that bind, stated in words."""
    tables = result.rows
    if not tables:
        return []
    sentences = []
    for row in tables["metrics"].itertuples(index=False):
        if row.binding and not (row.threshold == 0 and row.achieved == 0):
            sentences.append(f"{row.label}: threshold {fmt(row.threshold)} met exactly.")
    for row in tables["red_lines"].itertuples(index=False):
        if row.binding and RED_LINE_KINDS[row.kind].numeric:
            sentences.append(f"red line {row.label}: at its bound ({fmt(row.value)}).")
    return sentences


def markdown_report(result: Result) -> str:
    """report.md: what was solved, what came out, every table, and where the numbers come from."""
    instance = result.instance
    title = (
        instance.title
        if instance is not None and instance.title
        else (instance.name if instance is not None else "dealopt")
    )
    lines = [f"# {markdown_escape(title)}", ""]
    lines += [f"- **{label}**: {markdown_escape(value)}" for label, value in headline(result)]
    if result.message:
        lines += [f"- **outcome**: {markdown_escape(result.message)}"]
    lines.append("")
    if result.reasons:
        lines += ["## Why", ""] + [f"- {markdown_escape(r)}" for r in result.reasons] + [""]
    tables = result.rows
    if tables:
        lines += ["## Package", "", markdown_table(tables["package"][PACKAGE_VIEW])]
        lines += ["## What the counterpart counts", "", markdown_table(tables["metrics"][METRIC_VIEW])]
        lines += ["## Who pays", "", markdown_table(tables["constituencies"][CONSTITUENCY_VIEW])]
        lines += ["## Red lines", "", markdown_table(tables["red_lines"][RED_LINE_VIEW])]
        binding = binding_sentences(result)
        if binding:
            lines += ["## What binds", ""] + [f"- {markdown_escape(s)}" for s in binding] + [""]
    sources = _sources(result)
    if sources:
        lines += ["## Sources and notes", ""] + sources + [""]
    if result.warnings:
        lines += ["## Warnings", ""] + [f"- {markdown_escape(str(w))}" for w in result.warnings] + [""]
    lines += ["## Run", ""] + _run_lines(result) + [""]
    return "\n".join(lines)


def _sources(result: Result) -> list[str]:
    instance = result.instance
    if instance is None:
        return []
    entries = []
    sections = (
        ("lever", instance.levers),
        ("constituency", instance.constituencies),
        ("metric", instance.metrics),
        ("offer", instance.offer_items),
    )
    for kind, items in sections:
        for name, item in items.items():
            parts = [f"source: {item.source}" if item.source else "", f"note: {item.note}" if item.note else ""]
            text = "; ".join(p for p in parts if p)
            if text:
                entries.append(f"- {kind} **{name}**: {markdown_escape(text)}")
    for line in instance.red_lines:
        if line.reason:
            entries.append(f"- red line **{line.name}**: {markdown_escape(line.reason)}")
    return entries


def _run_lines(result: Result) -> list[str]:
    run = result.run
    solver = run.get("solver", {})
    instance = run.get("instance", {})
    lines = [
        f"- solver: {solver.get('name', '')} {solver.get('version', '')}",
        f"- options: {', '.join(f'{k}={v}' for k, v in solver.get('options', {}).items())}",
        f"- instance hash: `{instance.get('content_hash', '')}`",
    ]
    if instance.get("overrides"):
        lines.append(f"- overrides: {', '.join(f'`{o}`' for o in instance['overrides'])}")
    return lines
