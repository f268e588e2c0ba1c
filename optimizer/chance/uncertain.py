"""One instance solved under a chance target or robustly: the public entry of ``solve --chance/--robust``.

:func:`solve_uncertain` is what the command line, a sweep's ``options:`` block and a notebook call;
its :class:`UncertainAnswer` holds the package with its verified :class:`~optimizer.result.Result`
(the tables of a results folder), and the recomputed chance of acceptance.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import InputError, Problem
from ..instance import LoadedInstance
from ..package import Package
from ..result import Result
from ..solver import SolveOptions
from ..status import Status
from .solve import ChanceOptions


@dataclass
class UncertainAnswer:
    """A package chosen under a chance target (``chance``) or robustly (``robust``), and how likely it is accepted."""

    status: Status
    result: Result
    """The package as a verified Result (its tables and message), on the instance with our own numbers at their means."""
    data: dict = field(default_factory=dict)
    """The ``--json`` object (common shape, ``probability``, ``per_offer``, ``target``, ``target_met``, ...)."""

    @property
    def package(self) -> Package | None:
        return self.result.package if self.result.verified else None

    @property
    def objective(self) -> float | None:
        return self.result.objective

    @property
    def offer(self) -> str | None:
        return self.data.get("offer")

    @property
    def probability(self) -> float | None:
        """The recomputed P(accept) of the package for its tier (never the solver's in-sample estimate)."""
        return self.data.get("probability")

    @property
    def probability_method(self) -> str | None:
        """exact, exact_tol or sampled."""
        return self.data.get("probability_method")

    @property
    def probability_interval(self) -> tuple[float, float] | None:
        """The Clopper–Pearson 95% interval of a sampled probability (None otherwise)."""
        interval = self.data.get("probability_interval")
        return tuple(interval) if interval else None

    @property
    def target(self) -> float | None:
        return self.data.get("target")

    @property
    def target_met(self) -> str | None:
        """yes, no or uncertain under a chance target; None for a robust solve, which has no target."""
        return self.data.get("target_met")

    @property
    def per_offer(self) -> list[dict]:
        return self.data.get("per_offer", [])

    @property
    def exit_code(self) -> int:
        return int(self.status.exit_code)


def solve_uncertain(
    loaded: LoadedInstance,
    options: SolveOptions,
    *,
    chance: float | None = None,
    robust: str | None = None,
    sampling: ChanceOptions | None = None,
) -> UncertainAnswer:
    """Solve ``loaded`` for the least-cost package accepted with probability at least ``chance``
    (0 < chance <= 1), or robustly (``robust``: ``box``, ``box:q`` or ``budget:G``); exactly one of the two.

    ``sampling`` gives the sampled method's scenarios (``--samples``, ``--seed``, ``--scenarios``).
    Raises InputError for bad options or a bad scenario file, before anything is solved.
    """
    if (chance is None) == (robust is None):
        raise InputError([Problem(loaded.file, None, "--chance/--robust", "give exactly one of --chance and --robust")])
    if robust is not None:
        from .robust import solve_robust

        answer = solve_robust(loaded, options, robust)
        return UncertainAnswer(answer.result.status, answer.result, answer.to_dict())
    from .solve import solve_with_chance

    answer = solve_with_chance(loaded, options, chance, sampling)
    data = answer.to_dict()
    best = answer.best
    result = Result(
        answer.instance,
        answer.status,
        objective=best.objective if best else None,
        gap=data["gap"],
        evaluation=best.evaluation if best else None,
        verified=data["verified"],
        message=answer.message,
        run=answer.run,
    )
    return UncertainAnswer(answer.status, result, data)
