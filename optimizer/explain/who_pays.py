"""Who pays: each constituency's share of the political cost, and the levers that cause it.

A share is of the total *weighted gross* cost, sum_k weight_k * cost_k, before
benefits: benefits are what a deal brings, not what a concession costs. A
concession a group likes has a negative cost, so a share can be negative.
"""

from __future__ import annotations

import pandas as pd

from ..contract import weighted_net
from ..evaluate import Evaluation
from ..schema import Instance
from .words import label


def who_pays(instance: Instance, evaluation: Evaluation) -> pd.DataFrame:
    """One row per constituency: cost, weighted cost, share of the total, benefit, net, and the main cause."""
    causes = who_pays_levers(instance, evaluation)
    total = sum(group.weight * evaluation.cost[k] for k, group in instance.constituencies.items())
    rows = []
    for k, group in instance.constituencies.items():
        weighted = group.weight * evaluation.cost[k]
        own = causes[causes["constituency"] == k]
        rows.append(
            {
                "constituency": k,
                "label": label(instance.constituencies, k),
                "weight": group.weight,
                "cost": evaluation.cost[k],
                "weighted_cost": weighted,
                "share": weighted / total if total else None,
                "benefit": evaluation.benefit[k],
                "net": evaluation.net(k),
                "weighted_net": weighted_net(group.weight, evaluation.cost[k], evaluation.benefit[k]),
                "main_cause": own.loc[own["cost"].idxmax(), "lever"]
                if not own.empty and own["cost"].max() > 0
                else None,
            }
        )
    columns = ["constituency", "label", "weight", "cost", "weighted_cost", "share", "benefit", "net", "weighted_net"]
    return pd.DataFrame(rows, columns=[*columns, "main_cause"])


def who_pays_levers(instance: Instance, evaluation: Evaluation) -> pd.DataFrame:
    """One row per (constituency, used lever) with a cost: how much of that group's cost the lever causes."""
    rows = []
    for k, group in instance.constituencies.items():
        for lever, value in evaluation.package.levers().items():
            cost = evaluation.costs_by_lever[lever].get(k, 0.0)
            if cost == 0:
                continue
            rows.append(
                {
                    "constituency": k,
                    "lever": lever,
                    "option": value if isinstance(value, str) else None,
                    "cost": cost,
                    "weighted_cost": group.weight * cost,
                    "share_of_constituency": cost / evaluation.cost[k] if evaluation.cost[k] else None,
                }
            )
    columns = ["constituency", "lever", "option", "cost", "weighted_cost", "share_of_constituency"]
    return pd.DataFrame(rows, columns=columns)
