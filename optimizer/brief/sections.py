"""The brief's seven sections as text for people: a title, sentences, bullets and a small table each.

brief.md, the terminal review and the HTML report all render these same sections
(:mod:`optimizer.brief.render`); every number goes through :func:`optimizer.formatting.fmt`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..formatting import fmt, percent
from .words import signed

if TYPE_CHECKING:  # brief.py renders through this module on request
    from .brief import Brief


ANALYSIS_TITLES = {
    "acceptance": ("Chance of acceptance", "what each step up in the counterpart's chance of accepting costs"),
    "frontier": ("The bargaining frontier", "how much room there is and where a fair split would land"),
    "sensitivity": ("How far the judgements can move", "how far each judgement can move before the answer changes"),
}
"""Each optional analysis: its title, and what it adds."""


@dataclass
class BriefSection:
    name: str
    title: str
    sentences: list[str] = field(default_factory=list)
    bullets: list[str] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    """Text laid out in columns (a sweep's one-screen brief, its letter map), shown as it is in a fixed-width font."""


def sweep_brief_section(brief: dict) -> BriefSection:
    """A sweep's one-screen brief (:func:`optimizer.review.sweep_brief.sweep_brief`): its lines as they are."""
    return BriefSection("sweep", "Brief: which tier wins where", lines=list(brief["lines"]))


def brief_sections(brief: Brief) -> list[BriefSection]:
    """The sections of a brief, in order; only the outcome when there is no optimum."""
    data = brief.data
    if "recommendation" not in data:
        return [BriefSection("outcome", "No recommendation", [f"{data['status']}: {data['message']}"], data["reasons"])]
    sections = [
        _recommendation(data),
        _tiers(data),
        _limiting(data),
        _who_pays(data),
        _prices(data),
        _alternatives(data),
        _sources(data),
    ]
    for name in data.get("analyses", []):
        sections.append(_analysis(name, f"{len(sections) + 1}. {ANALYSIS_TITLES[name][0]}", data.get(name)))
    return sections


def _recommendation(data: dict) -> BriefSection:
    offer = data["recommendation"]
    seek = (
        f"Walk away ({offer['offer_label']}): no deal is worth its price."
        if offer["walk_away"]
        else f"Seek {offer['offer_label']}."
        if offer["offer"]
        else "Offer this package."
    )
    cost = f"Net political cost: {fmt(offer['objective'])} points ({offer['objective_meaning']})."
    concessions = [c["text"] for c in offer["concessions"]] or ["nothing conceded"]
    return BriefSection("recommendation", "1. Recommendation", [seek, cost], concessions)


def _tiers(data: dict) -> BriefSection:
    rows = [
        [
            f"{t['label']}{' (recommended)' if t['chosen'] else ''}",
            fmt(t["objective"]) if t["objective"] is not None else "no acceptable package",
            signed(t["above_recommendation"]) if t["above_recommendation"] is not None and not t["chosen"] else "",
            "the recommendation"
            if t["chosen"]
            else "; ".join(t["package"]) or ("nothing conceded" if t["objective"] is not None else ""),
        ]
        for t in data["tiers"]
    ]
    return BriefSection(
        "tiers",
        "2. Why this tier",
        ["The cheapest package of every tier, each solved with that tier granted:"],
        list(data["deal_needs"]),
        ["tier", "net cost (points)", "vs recommendation", "its cheapest package"],
        rows,
    )


def _limiting(data: dict) -> BriefSection:
    """Only the limiting items, each with its saving; the binding ones that cost nothing named together."""
    bullets = [i["statement"] for i in data["limiting"] if i["limiting"]]
    sentences = [] if bullets else ["Nothing limits the answer: relaxing any threshold or red line saves nothing."]
    costless = [i["statement"] for i in data["limiting"] if i["binding"] and not i["limiting"]]
    if costless:
        bullets.append(f"Tight but costless ({len(costless)}): " + "; ".join(costless) + ".")
    return BriefSection("limiting", "3. What limits the answer", sentences, bullets)


def _who_pays(data: dict) -> BriefSection:
    rows = [
        [
            w["label"],
            percent(w["share_of_gross_cost"]),
            fmt(w["weighted_cost"]),
            fmt(w["weighted_gain"]) if w["weighted_gain"] else "",
            fmt(w["weighted_net"]),
            fmt(w["margin_to_red_line"]) if w["margin_to_red_line"] is not None else "no red line",
        ]
        for w in data["who_pays"]
    ]
    columns = [
        "constituency",
        "share of gross cost",
        "weighted cost (points)",
        "gain (points)",
        "net (points)",
        "margin to red line (points)",
    ]
    note = "Shares are of the gross weighted cost, before the offer's benefits, which are shown as gains."
    return BriefSection("who_pays", "4. Who pays", [note], [], columns, rows)


def _prices(data: dict) -> BriefSection:
    bullets = [p["statement"][0].upper() + p["statement"][1:] + "." for p in data["prices"]]
    return BriefSection(
        "prices", "5. The price of each demand", [] if bullets else ["No threshold is in force."], bullets
    )


def _alternatives(data: dict) -> BriefSection:
    bullets = [
        f"{fmt(a['objective'])} points ({signed(a['above_recommendation'])}): {', '.join(a['changes'])}"
        for a in data["alternatives"]
    ]
    empty = [] if bullets else ["No other acceptable package."]
    return BriefSection("alternatives", "6. Alternatives, as changes from the recommendation", empty, bullets)


def _sources(data: dict) -> BriefSection:
    rows = [
        [s["what"], s["path"], fmt(s["value"]), "judgement" if s["judgement"] else "", s["source"] or s["note"] or ""]
        for s in data["sources"]
    ]
    judged = sum(1 for s in data["sources"] if s["judgement"])
    sentence = (
        f"{judged} of the {len(rows)} numbers and items behind the recommendation are judgement, not read off a source."
    )
    return BriefSection(
        "sources",
        "7. Assumptions and sources",
        [sentence],
        [],
        ["what", "path", "value", "judgement", "source or reasoning"],
        rows,
    )


def _analysis(name: str, title: str, part: dict | None) -> BriefSection:
    """An optional analysis: its statements (the first as a sentence), or how to add it when it is not computed."""
    if part is None:
        hint = f"Not computed: `dealopt solve FILE --brief-with {name}` adds {ANALYSIS_TITLES[name][1]}."
        return BriefSection(name, title, [hint])
    if "error" in part:
        return BriefSection(name, title, [f"Could not be computed: {part['error']}."])
    first, *rest = part["statements"] or ["Nothing to report."]
    return BriefSection(name, title, [first], [*rest, *part.get("skipped", [])])
