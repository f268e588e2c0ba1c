"""The brief's bargaining frontier: how much room there is, where our least-cost package and each bargaining
point lie on it, and the trade between the two sides in words.

From :func:`optimizer.frontier.analysis.analyse` (docs/frontier.md): every package on the
frontier is verified, "ours" is minus the net political cost, "theirs" is the counterpart's
value in its unit. For example: "From the least-cost package, each USD bn more for the United
States costs us 0.6 points, mostly through Farmers; the Nash point: +13 kt beef, +6 aircraft."
"""

from __future__ import annotations

from ..explain.alternatives import differences
from ..formatting import fmt
from ..frontier.analysis import analyse
from ..instance import LoadedInstance
from ..result import Result
from ..solver import SolveOptions
from ..tolerance import tolerance
from .words import short, signed, tier_name, without_detail

SOLUTIONS = {"nash": "Nash", "kalai_smorodinsky": "Kalai–Smorodinsky", "egalitarian": "Egalitarian"}


def part(loaded: LoadedInstance, result: Result, options: SolveOptions) -> dict:
    """brief.json's ``frontier``: the statements, and one row per landmark (each end, d, each bargaining point)."""
    analysis = analyse(loaded, options, per_tier=False)
    instance = loaded.instance
    counterpart = instance.counterpart
    them, unit = without_detail(counterpart.label or "the counterpart"), without_detail(counterpart.unit or "units")
    closed = [p for p in analysis.frontier.points if p.closed]
    d = analysis.disagreement.values
    rows = [_row("disagreement point (walking away)", d.ours, d.theirs, result, [])]
    statements = [f"{analysis.message[0].upper()}{analysis.message[1:]}."]
    if closed:
        best, worst = closed[0], closed[-1]
        statements.append(
            f"The frontier runs from the package best for us (net cost {fmt(-best.ours)} points; {fmt(best.theirs)} "
            f"{unit} for {them}) to the one best for {them} (net cost {fmt(-worst.ours)} points; {fmt(worst.theirs)} "
            f"{unit}); walking away: net cost {fmt(-d.ours)} points, {fmt(d.theirs)} {unit} for {them}."
        )
        statements.append(_where_we_are(result, best, them, unit))
        trade = _trade(instance, analysis.frontier.points, them, unit)
        if trade:
            statements.append(trade)
        rows.append(
            _row(
                f"best for us ({tier_name(instance, best.offer)})",
                best.ours,
                best.theirs,
                result,
                _changes(instance, result, best.found),
            )
        )
        rows.append(
            _row(
                f"best for {them} ({tier_name(instance, worst.offer)})",
                worst.ours,
                worst.theirs,
                result,
                _changes(instance, result, worst.found),
            )
        )
    seen: dict[tuple, str] = {}
    for name, title in SOLUTIONS.items():
        solution = getattr(analysis.bargaining, name)
        if solution is None:
            continue
        found = solution.found
        key = (round(found.ours, 9), round(found.theirs, 9))
        if key in seen:
            statements.append(f"The {title} point is the {seen[key]} point.")
            continue
        seen[key] = title
        changes = _changes(instance, result, found)
        statements.append(_solution_sentence(title, found, result, changes, them, unit))
        rows.append(_row(f"{title} point", found.ours, found.theirs, result, changes))
    return {
        "counterpart": them,
        "unit": unit,
        "status": analysis.status,
        "milps": analysis.milps,
        "lps": analysis.lps,
        "statements": statements,
        "rows": rows,
    }


def _solution_sentence(title: str, found, result: Result, changes: list[str], them: str, unit: str) -> str:
    """Where a bargaining point lies against the least-cost package, and what it changes."""
    extra = -found.ours - result.objective
    where = f"{fmt(found.theirs)} {unit} for {them}"
    if not changes and abs(extra) <= tolerance(result.objective):
        return f"The {title} point is the least-cost package itself ({where})."
    return (
        f"The {title} point: net cost {fmt(-found.ours)} points ({signed(extra)} on the least-cost package), "
        f"{where}; from the least-cost package it {'changes ' + ', '.join(changes) if changes else 'is the same package'}."
    )


def _where_we_are(result: Result, best, them: str, unit: str) -> str:
    """Where the least-cost package lies: at the frontier's end best for us, or at walking away."""
    ours = -result.objective
    if abs(ours - best.ours) <= tolerance(ours):
        return (
            f"Our least-cost package is the frontier's end best for us: any package giving {them} more than "
            f"{fmt(best.theirs)} {unit} costs us more."
        )
    return (
        f"Our least-cost package ({fmt(result.objective)} points) is not on the deal frontier: the cheapest deal "
        f"costs {fmt(-best.ours - result.objective)} points more."
    )


def _trade(instance, points: list, them: str, unit: str) -> str | None:
    """From the end best for us, what each unit more for them costs us, and through whom."""
    first = points[0]
    onward = next((p for p in points[1:] if p.theirs > first.theirs + tolerance(first.theirs)), None)
    if onward is None:
        return None
    rate = (first.ours - onward.ours) / (onward.theirs - first.theirs)
    moves = {
        k: group.weight * (onward.found.evaluation.net(k) - first.found.evaluation.net(k))
        for k, group in instance.constituencies.items()
    }
    through = max(moves, key=moves.get) if moves and max(moves.values()) > 0 else None
    who = f", mostly through {short(instance.constituencies, through)}" if through else ""
    last = points[-1]
    average = (first.ours - last.ours) / (last.theirs - first.theirs) if last.theirs > first.theirs else None
    overall = (
        f" (on average {fmt(average)} points per {unit} up to the package best for {them})"
        if average is not None
        else ""
    )
    return f"From the least-cost package, each {unit} more for {them} costs us {fmt(rate)} points{who}{overall}."


def _changes(instance, result: Result, found) -> list[str]:
    changes = differences(instance, result.evaluation, found.evaluation)
    return [] if changes == ["the same package"] else changes


def _row(where: str, ours: float, theirs: float, result: Result, changes: list[str]) -> dict:
    return {
        "where": where,
        "objective": float(-ours),
        "above_recommendation": float(-ours - result.objective),
        "theirs": float(theirs),
        "changes": changes,
    }
