"""Why this tier: the cheapest package of every tier, walk-away included, and what a deal would take.

Each tier is solved with its offer forced (a workbench row ``granted[t] = 1``), on the
same model and HiGHS options as ``solve``, and every package is verified. When
walk-away wins, each deal tier is re-solved with one of its thresholds dropped at a
time: a threshold whose fall would make that tier cheaper than walking away is what
a deal would take.
"""

from __future__ import annotations

from ..api import check
from ..evaluate import evaluate
from ..explain.members import edited, members_of
from ..explain.words import label, member_text
from ..explain.workbench import Workbench
from ..formatting import fmt
from ..instance import LoadedInstance
from ..kinds import THRESHOLD
from ..package import Package
from ..result import Result
from ..solver import SolveOptions
from ..status import Status


def cheapest_per_tier(loaded: LoadedInstance, options: SolveOptions) -> dict[str, Result]:
    """Offer -> the verified least-cost package with that offer granted (status infeasible when none)."""
    instance = loaded.instance
    if not instance.levers:
        return {t: _evaluated(loaded, t) for t in instance.offer_items}
    bench = Workbench(instance, options)
    results = {}
    for offer in instance.offer_items:
        forced = bench.add_row(bench.model.granted[offer] == 1)
        results[offer] = check(instance, bench.solve())
        bench.remove_row(forced)
    return results


def cheapest_in_tier(loaded: LoadedInstance, offer: str, options: SolveOptions) -> Result:
    """The verified least-cost package of ``loaded`` with ``offer`` granted."""
    if not loaded.instance.levers:
        return _evaluated(loaded, offer)
    bench = Workbench(loaded.instance, options)
    bench.add_row(bench.model.granted[offer] == 1)
    return check(loaded.instance, bench.solve())


def _evaluated(loaded: LoadedInstance, offer: str) -> Result:
    evaluation = evaluate(loaded.instance, Package.empty(loaded.instance, offer))
    if not evaluation.exactly_acceptable:
        return Result(loaded.instance, Status.INFEASIBLE, message="not acceptable with this offer")
    return Result(loaded.instance, Status.OPTIMAL, evaluation.objective, 0.0, evaluation, True)


def what_a_deal_takes(loaded: LoadedInstance, tiers: dict[str, Result], options: SolveOptions) -> list[str]:
    """When walk-away wins: for each deal tier, the threshold whose fall would let it beat walking away."""
    instance = loaded.instance
    walk = min(
        (r.objective for t, r in tiers.items() if instance.offer_items[t].walk_away and r.objective is not None),
        default=None,
    )
    if walk is None:
        return []
    sentences = []
    for offer, result in tiers.items():
        if instance.offer_items[offer].walk_away:
            continue
        name = label(instance.offer_items, offer)
        shortfall = None if result.objective is None else result.objective - walk
        falls = []
        for member in members_of(instance):
            if member.family != THRESHOLD or member.offer != offer:
                continue
            without = cheapest_in_tier(edited(loaded, drop=[member]), offer, options)
            if without.objective is not None and without.objective < walk:
                falls.append((without.objective, member))
        if shortfall is None:
            head = f"{name}: no acceptable package grants it"
        else:
            head = f"{name}: its cheapest package costs {fmt(shortfall)} points more than walking away"
        if falls:
            cost, member = min(falls, key=lambda pair: pair[0])
            tail = (
                f"it would beat walking away if this threshold fell: {member_text(instance, member)} "
                f"(without it the tier costs {fmt(cost)} points)"
            )
        else:
            tail = "no single threshold's fall would make it beat walking away"
        sentences.append(f"{head}; {tail}.")
    return sentences
