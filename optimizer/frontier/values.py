r"""Both sides' values of a package, and the disagreement point that gains are measured from.

.. math::
    ours = -\sum_k weight_k (cost_k - benefit_k)
    \qquad
    theirs = \sum_m value_m \, achieved_m - \sum_t offer\_cost_t \, granted_t

Each value exists twice: as a Pyomo expression of the built model (what HiGHS
optimises) and recomputed from an :class:`~optimizer.evaluate.Evaluation` (what is
reported). A point's numbers are always the recomputed ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..errors import InputError, Problem

if TYPE_CHECKING:
    from ..evaluate import Evaluation
    from ..instance import LoadedInstance
    from ..model import DealModel
    from ..schema import Counterpart, Instance


@dataclass(frozen=True)
class Values:
    """(ours, theirs) of one package: our minus net political cost, the counterpart's value."""

    ours: float
    theirs: float


def refuse(loaded: LoadedInstance, path: tuple, message: str) -> InputError:
    """An InputError about the instance at ``path`` (a tuple of keys), with its file and line."""
    line = loaded.document.line_of(path) or loaded.document.line_of(path[:1])
    return InputError([Problem(loaded.file, line, ".".join(map(str, path)), message)])


def counterpart_of(loaded: LoadedInstance) -> Counterpart:
    """The instance's ``counterpart:`` section; an InputError saying what to add when it has none."""
    counterpart = loaded.instance.counterpart
    if counterpart is None:
        raise refuse(
            loaded,
            ("counterpart",),
            "the frontier needs the counterpart's side: add a 'counterpart:' section with 'value' "
            "(metric -> its value per unit achieved) and 'offer_cost' (offer -> what granting it costs the "
            "counterpart); see docs/frontier.md",
        )
    return counterpart


def values_of(instance: Instance, evaluation: Evaluation) -> Values:
    """Both values recomputed from the package's evaluation, in plain Python."""
    counterpart = instance.counterpart
    offer = evaluation.package.offer
    theirs = sum(weight * evaluation.achieved[m] for m, weight in counterpart.value.items())
    theirs -= counterpart.offer_cost.get(offer, 0.0) if offer else 0.0
    return Values(-evaluation.objective, theirs)


def ours_expression(built: DealModel):
    """Minus the model's objective (the net political cost)."""
    return -built.m.net_cost.expr


def theirs_expression(built: DealModel):
    """The counterpart's value as a linear expression of the model's variables."""
    counterpart = built.instance.counterpart
    granted = built.m.granted
    value = sum(weight * built.achieved(m) for m, weight in counterpart.value.items() if weight)
    cost = sum(c * granted[t] for t, c in counterpart.offer_cost.items() if c and t in granted)
    return value - cost + 0 * built.m.nothing
