"""What one ``dealopt solve`` produces: the result, the diagnosis when nothing is acceptable, and the brief.

``solve`` and ``dealopt reference`` both go through :func:`solve_outcome`, so a committed
results folder holds exactly what a fresh ``dealopt solve --brief-with all`` writes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .api import solve_loaded
from .instance import LoadedInstance
from .result import Result
from .save import result_files
from .solver import SolveOptions
from .status import Status

if TYPE_CHECKING:
    from .brief import Brief
    from .explain import Diagnosis


@dataclass
class SolveOutcome:
    """A solve with what comes with it."""

    result: Result
    diagnosis: Diagnosis | None = None
    """Why nothing is acceptable (infeasible results only)."""
    brief: Brief | None = None
    """The negotiation brief (when asked for)."""
    acceptance: list[dict] | None = None
    """For an instance with beliefs: each tier's chance of accepting the package (``per_offer``)."""
    notes: list[str] = field(default_factory=list)
    """What could not be added, and why (HiGHS could not settle a diagnosis or a brief in time)."""

    def files(self) -> dict:
        """The results folder's files, by name (what ``save_result`` writes)."""
        return result_files(self.result, diagnosis=self.diagnosis, brief=self.brief, acceptance=self.acceptance)


def solve_outcome(
    loaded: LoadedInstance, options: SolveOptions, *, brief: bool = True, analyses: tuple[str, ...] = ()
) -> SolveOutcome:
    """Solve ``loaded``; diagnose it when nothing is acceptable; build its brief when ``brief``, with the
    optional ``analyses`` (:data:`optimizer.brief.analyses.ANALYSES`) that apply to the instance.

    The explain layer (and pandas with it) is imported only when a diagnosis or a brief is made,
    so a plain ``solve --no-save`` stays light.
    """
    from .explain.workbench import SolveFailed

    outcome = SolveOutcome(solve_loaded(loaded, options))
    if loaded.instance.beliefs and outcome.result.verified:
        from .chance.probability import acceptance_of

        outcome.acceptance = acceptance_of(loaded.instance, outcome.result.package)["per_offer"]
    if outcome.result.status == Status.INFEASIBLE:
        from .explain import diagnose

        try:
            outcome.diagnosis = diagnose(loaded, options)
        except SolveFailed as err:
            outcome.notes.append(f"no diagnosis: {err}")
    if brief:
        from .brief import build_brief

        try:
            outcome.brief = build_brief(loaded, outcome.result, options, analyses)
        except SolveFailed as err:
            outcome.notes.append(f"no brief: {err}")
    return outcome
