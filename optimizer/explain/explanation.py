"""Why this package: what binds it, what each threshold and red line costs, who pays, what comes next.

:func:`explain` solves the instance as ``solve`` does. For an optimal package
it prices every threshold and red line by re-solving, splits the political
cost by constituency and lever, states the binding constraints in words and
names the runner-up (the best structurally different package) and every lever
limited by its bound rather than by cost. When nothing
is acceptable it diagnoses why (see :mod:`optimizer.explain.diagnosis`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import pandas as pd

from ..api import solve_loaded
from ..bounds import LimitingBound, limiting_bounds
from ..formatting import fmt, markdown_escape, markdown_table, plain_records
from ..instance import LoadedInstance
from ..report import headline
from ..result import Result
from ..solver import SolveOptions
from ..status import Status
from .alternatives import Alternative, alternatives
from .binding import binding_constraints
from .diagnosis import Diagnosis, diagnose
from .prices import RedLinePrice, ThresholdPrice, red_line_prices, red_line_table, threshold_prices, threshold_table
from .who_pays import who_pays, who_pays_levers
from .words import package_text

THRESHOLD_VIEW = ["threshold", "value", "achieved", "price_per_unit", "jump", "holds_until", "drop_saving"]
RED_LINE_VIEW = ["red_line", "kind", "saving", "objective_without", "package_without"]
WHO_PAYS_VIEW = ["constituency", "label", "cost", "weighted_cost", "share", "benefit", "weighted_net", "main_cause"]


@dataclass
class Explanation:
    """The optimum of an instance and why it is the answer; or, when nothing is acceptable, the diagnosis."""

    loaded: LoadedInstance
    result: Result
    thresholds: list[ThresholdPrice] = field(default_factory=list)
    red_lines: list[RedLinePrice] = field(default_factory=list)
    runner_up: Alternative | None = None
    """The best structurally different package after the optimum."""
    limited: list[LimitingBound] = field(default_factory=list)
    """Levers limited by their bound, not by cost (:mod:`optimizer.bounds`)."""
    diagnosis: Diagnosis | None = None

    @property
    def status(self) -> Status:
        return self.result.status

    @cached_property
    def tables(self) -> dict[str, pd.DataFrame]:
        """thresholds, red_lines, who_pays, who_pays_levers and binding (empty without an optimum)."""
        evaluation = self.result.evaluation
        if self.status != Status.OPTIMAL or evaluation is None:
            return {}
        instance = self.loaded.instance
        return {
            "thresholds": threshold_table(self.loaded, self.thresholds),
            "red_lines": red_line_table(self.loaded, self.red_lines),
            "who_pays": who_pays(instance, evaluation),
            "who_pays_levers": who_pays_levers(instance, evaluation),
            "binding": binding_constraints(instance, evaluation, self.red_lines, self.limited),
        }

    def files(self) -> dict[str, str | pd.DataFrame]:
        """explain.md and its tables by file name (plus the diagnosis files when nothing is acceptable)."""
        files: dict[str, str | pd.DataFrame] = {"explain.md": self.to_markdown()}
        files |= {f"explain_{name}.csv": table for name, table in self.tables.items()}
        if self.diagnosis is not None:
            files |= self.diagnosis.files()
        return files

    def to_markdown(self) -> str:
        instance = self.loaded.instance
        lines = [f"# Why this package: {markdown_escape(instance.title or instance.name)}", ""]
        lines += [f"- **{name}**: {markdown_escape(value)}" for name, value in headline(self.result)]
        lines.append("")
        if self.diagnosis is not None:
            return "\n".join(lines) + "\n" + self.diagnosis.to_markdown()
        if not self.tables:
            return "\n".join([*lines, markdown_escape(self.result.message), ""])
        package = package_text(instance, self.result.package)
        lines += [f"The package: {markdown_escape(package)}.", ""]
        lines += ["## What holds it in place", ""]
        binding = self.tables["binding"]
        lines += [f"- {markdown_escape(s)}" for s in binding.loc[binding["binding"], "statement"]] or [
            "- nothing binds"
        ]
        lines += ["", *self._runner_up_lines()]
        lines += ["## What each threshold costs", ""]
        lines += [f"- {markdown_escape(s)}" for s in self.tables["thresholds"]["statement"]] or ["- no thresholds"]
        lines += ["", markdown_table(self.tables["thresholds"][THRESHOLD_VIEW])]
        lines += ["## What each red line costs", ""]
        lines += [f"- {markdown_escape(s)}" for s in self.tables["red_lines"]["statement"]] or ["- no red lines"]
        lines += ["", markdown_table(self.tables["red_lines"][RED_LINE_VIEW])]
        lines += ["## Who pays", "", markdown_table(self.tables["who_pays"][WHO_PAYS_VIEW])]
        lines += [markdown_table(self.tables["who_pays_levers"])]
        return "\n".join(lines)

    def _runner_up_lines(self) -> list[str]:
        if self.runner_up is None:
            return ["No other structurally different package is acceptable.", ""]
        gap = self.runner_up.objective - self.result.objective
        other = package_text(self.loaded.instance, self.runner_up.package)
        return [f"The next best different package costs {fmt(gap)} points more: {markdown_escape(other)}.", ""]

    def to_dict(self) -> dict:
        """The JSON object of ``dealopt explain --json``."""
        out = {
            "status": str(self.status),
            "objective": self.result.objective,
            "offer": self.result.offer,
            "package": self.result.package.levers() if self.result.package else {},
            "message": self.result.message,
        }
        out |= {name: plain_records(table) for name, table in self.tables.items()}
        if self.runner_up is not None:
            out["runner_up"] = {
                "objective": self.runner_up.objective,
                "offer": self.runner_up.package.offer,
                "package": self.runner_up.package.levers(),
            }
        if self.diagnosis is not None:
            out["diagnosis"] = self.diagnosis.to_dict()
        return out


def explain(loaded: LoadedInstance, options: SolveOptions | None = None) -> Explanation:
    """Solve ``loaded`` and explain the answer (or diagnose why there is none)."""
    options = options or SolveOptions()
    result = solve_loaded(loaded, options)
    if result.status == Status.INFEASIBLE:
        return Explanation(loaded, result, diagnosis=diagnose(loaded, options))
    if result.status != Status.OPTIMAL:
        return Explanation(loaded, result)
    found = alternatives(loaded, k=2, options=options).found
    return Explanation(
        loaded,
        result,
        thresholds=threshold_prices(loaded, result, options),
        red_lines=red_line_prices(loaded, result, options),
        runner_up=found[1] if len(found) > 1 else None,
        limited=limiting_bounds(loaded, options),
    )
