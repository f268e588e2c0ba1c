"""What limits the answer: the thresholds, red lines and lever bounds whose relaxation would lower the cost.

``binding`` (slack within the tolerance, docs/model.md) says a constraint is tight;
*limiting* says it costs something:

- a threshold or a numeric red-line bound is limiting when moving it by
  δ = 1e-3 · max(1, |bound|) in the relaxing direction lowers the optimum by more than
  the tolerance 1e-6 · max(1, |optimum|);
- a logical red line (forbid, requires, excludes, conditional, offer) is limiting
  when dropping it lowers the optimum by more than the tolerance;
- a lever bound is limiting as :mod:`optimizer.bounds` defines it.

Every relaxed instance is re-solved and verified, as ``solve`` does.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..api import solve_loaded
from ..bounds import REL_STEP, limiting_bounds
from ..explain.members import edited, members_of
from ..explain.words import label, member_text, quantity
from ..explain.workbench import SolveFailed
from ..formatting import fmt
from ..instance import LoadedInstance
from ..kinds import RED_LINE, THRESHOLD, Member
from ..result import Result
from ..solver import SolveOptions
from ..status import Status
from ..tolerance import tolerance


@dataclass(frozen=True)
class LimitingItem:
    """One threshold, red line or lever bound, and what relaxing it would save."""

    key: str
    """Its ``--set`` path (``red_lines.R`` for a logical red line)."""
    kind: str
    family: str
    """threshold, red_line or lever_bound."""
    binding: bool
    saving: float
    """How much lower the optimum is once relaxed (0 within the tolerance)."""
    step: float | None
    """How far its bound was moved; None when it was dropped."""
    statement: str

    @property
    def limiting(self) -> bool:
        return self.saving > 0

    def as_dict(self) -> dict:
        return {
            "key": self.key,
            "kind": self.kind,
            "family": self.family,
            "binding": self.binding,
            "limiting": self.limiting,
            "saving": self.saving,
            "step": self.step,
            "statement": self.statement,
        }


def limiting_items(loaded: LoadedInstance, optimum: Result, options: SolveOptions) -> list[LimitingItem]:
    """Every threshold and red line, then every lever limited by its bound, with its saving."""
    instance = loaded.instance
    items = []
    for member in members_of(instance):
        if member.family not in (THRESHOLD, RED_LINE):
            continue
        step = REL_STEP * member.scale if member.numeric else None
        relaxed = (
            edited(loaded, values={member: member.loosened(step)}) if member.numeric else edited(loaded, drop=[member])
        )
        saving = _saving(optimum.objective, _solved(relaxed, options))
        items.append(
            LimitingItem(
                member.key,
                member.kind,
                member.family,
                _binding(optimum, member),
                saving,
                step,
                _statement(loaded, member, saving, step),
            )
        )
    for bound in limiting_bounds(loaded, options):
        lever = instance.levers[bound.lever]
        rate = bound.saving / bound.step
        statement = (
            f"{label(instance.levers, bound.lever)} is limited by its bound of {quantity(bound.bound, lever.unit)}: "
            f"each {lever.unit or 'unit'} more would save about {fmt(rate)} points"
        )
        items.append(LimitingItem(bound.path, "lever_max", "lever_bound", True, bound.saving, bound.step, statement))
    return items


def _solved(loaded: LoadedInstance, options: SolveOptions) -> Result:
    result = solve_loaded(loaded, options)
    if result.status != Status.OPTIMAL:  # relaxing cannot make an optimal instance infeasible
        raise SolveFailed(f"a re-solve with a relaxed constraint ended {result.status}: {result.message}")
    return result


def _saving(optimum: float, relaxed: Result) -> float:
    saving = optimum - relaxed.objective
    return saving if saving > tolerance(optimum) else 0.0


def _binding(optimum: Result, member: Member) -> bool:
    evaluation = optimum.evaluation
    if member.family == THRESHOLD:
        in_force = member.kind == "demand" or member.offer == optimum.offer
        return in_force and abs(evaluation.achieved[member.name] - member.bound) <= tolerance(member.bound)
    return evaluation.red_lines[member.name].binding


def _statement(loaded: LoadedInstance, member: Member, saving: float, step: float | None) -> str:
    rule = member_text(loaded.instance, member)
    if not saving:
        return rule
    if step is None:
        return f"{rule}: dropping it would save {fmt(saving)} points"
    unit = _unit(loaded, member)
    direction = "less" if member.sense == ">=" else "more"
    return f"{rule}: each {unit or 'unit'} {direction} would save about {fmt(saving / step)} points"


def _unit(loaded: LoadedInstance, member: Member) -> str | None:
    instance = loaded.instance
    if member.family == THRESHOLD:
        return instance.metrics[member.name].unit
    return None
