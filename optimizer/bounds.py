"""Levers limited by their bound: did the model choose the package, or did a lever's ``max``?

A lever is *limited by its bound* when raising its ``max`` by
δ = 1e-3 · max(1, |max|) lowers the optimum by more than the tolerance
1e-6 · max(1, |objective|). An integer lever's amount moves in whole units, so its
bound is raised by max(1, ⌈δ⌉) instead. Only a lever used at its ``max`` can be limited
by it, so only those are re-solved.

An optimum may rest on such a bound only when the bound is a real physical, legal or
budget limit (the most that could be offered), marked by a provenance entry for
``levers.NAME.max`` with ``limit: true`` (:class:`optimizer.schema.ProvenanceEntry`); otherwise the
bound is a guess of what will be offered, and the answer is the guess's, not the model's.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .api import solve_loaded
from .instance import LoadedInstance, apply_overrides
from .kinds import lever_kind
from .solver import SolveOptions
from .status import Status
from .tolerance import tolerance

REL_STEP = 1e-3
"""The relative step δ / max(1, |bound|) by which a bound is moved to see whether it limits the answer
(a lever's max here, a threshold or red-line bound in the brief)."""


@dataclass(frozen=True)
class LimitingBound:
    """A lever whose bound holds the optimum in place."""

    lever: str
    """The lever's name."""
    bound: float
    """Its ``max``, at which the optimum uses it."""
    saving: float
    """How much lower the optimum is with the bound raised by one step (> the tolerance)."""
    step: float
    """The step by which the bound was raised."""
    real_limit: bool
    """True when the bound's provenance marks it a real limit (``limit: true``)."""

    @property
    def path(self) -> str:
        return f"levers.{self.lever}.max"


def bound_step(lever) -> float:
    """δ = 1e-3 · max(1, |max|); for an integer lever, whose amount moves in whole units, max(1, ⌈δ⌉)."""
    step = REL_STEP * max(1.0, abs(lever.max))
    return max(1.0, math.ceil(step)) if lever_kind(lever).integral else step


def limiting_bounds(loaded: LoadedInstance, options: SolveOptions) -> list[LimitingBound]:
    """Every lever limited by its bound at the optimum of ``loaded``, in instance order.

    A bound is a real limit when the instance's provenance marks it so. An instance without
    an optimum has no limiting bound. Raises RuntimeError when a re-solve with a raised bound
    is not optimal: relaxing a bound cannot make an optimal instance infeasible, so only a
    time limit or a solver failure gets there, and no answer can then be given.
    """
    base = solve_loaded(loaded, options)
    if base.status != Status.OPTIMAL:
        return []
    package = base.package
    found = []
    for name, lever in loaded.instance.amount_levers.items():
        if not lever_kind(lever).sized or not package.used[name]:
            continue
        if package.amount[name] < lever.max - tolerance(lever.max):
            continue
        step = bound_step(lever)
        raised = solve_loaded(apply_overrides(loaded, [(f"levers.{name}.max", lever.max + step)]), options)
        if raised.status != Status.OPTIMAL:
            raise RuntimeError(f"re-solving with levers.{name}.max raised ended {raised.status}: {raised.message}")
        saving = base.objective - raised.objective
        if saving > tolerance(base.objective):
            entry = loaded.instance.provenance.get(f"levers.{name}.max")
            found.append(LimitingBound(name, lever.max, saving, step, entry is not None and entry.limit))
    return found
