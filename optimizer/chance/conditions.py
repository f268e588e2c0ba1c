"""Which beliefs make acceptance uncertain, how each reads on a package, and our own numbers at their means.

A belief on a tier's threshold (``offers.T.requires.M``) is a condition of that tier; a belief on a
red-line bound (``red_lines.R.max`` / ``.min``) is a condition of every tier (it joins the same joint
event). Each condition is ``Y <= z`` (:mod:`.laws`): ``z`` is what the package achieves on the metric,
or the red line's value, signed. A belief on one of our own coefficients (a weight, a cost, a benefit,
a ``gives``) enters the objective at its mean; one on a ``gives`` also moves what is achieved, which
only sampling can follow.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..evaluate import Evaluation
from ..instance import LoadedInstance, apply_overrides
from ..kinds import red_line_kind
from ..model import DealModel
from ..package import Package
from ..schema import Belief, Correlation, Instance
from .laws import Law, mean

THRESHOLD = re.compile(r"offers\.([^.]+)\.requires\.([^.]+)")
RED_LINE_BOUND = re.compile(r"red_lines\.([^.]+)\.(max|min)")
GIVES = re.compile(r"levers\.[^.]+\.(options\.[^.]+\.)?gives\..+")


@dataclass(frozen=True)
class Condition:
    """One uncertain condition of acceptance: ``Y <= z`` with Y's law."""

    name: str
    """The belief's name."""
    path: str
    """The number it is uncertain about."""
    law: Law
    offer: str | None
    """The tier whose threshold it is; None for a red-line bound, which every tier must keep."""
    metric: str | None = None
    red_line: str | None = None
    row_kind: str | None = None
    """The red line's member kind (``max_cost``, ``limit_max``, ``limit_min``): its row in the model."""

    def value(self, evaluation: Evaluation) -> float:
        """z in a package, from the independent check."""
        if self.metric is not None:
            return evaluation.achieved[self.metric]
        return self.law.sign * evaluation.red_lines[self.red_line].value

    def expression(self, built: DealModel):
        """z in the model: the metric achieved, or the body of the red line's row, signed."""
        if self.metric is not None:
            return built.achieved(self.metric)
        return self.law.sign * built.rows(self.row_kind, self.red_line)[0].body

    def bound_for(self, z_floor: float) -> float:
        """The number to put at ``path`` so that its hard row says ``z >= z_floor``."""
        return self.law.sign * z_floor


def beliefs_of(instance: Instance) -> dict[str, Belief]:
    return {name: entry for name, entry in instance.beliefs.items() if isinstance(entry, Belief)}


def correlation_of(instance: Instance) -> Correlation | None:
    return next((entry for entry in instance.beliefs.values() if isinstance(entry, Correlation)), None)


def conditions(instance: Instance) -> list[Condition]:
    """Every condition of acceptance that a belief makes uncertain, in the order of the beliefs."""
    found = []
    for name, belief in beliefs_of(instance).items():
        if match := THRESHOLD.fullmatch(belief.path):
            found.append(Condition(name, belief.path, Law(belief), match[1], metric=match[2]))
        elif match := RED_LINE_BOUND.fullmatch(belief.path):
            line = instance.red_line(match[1])
            member = next(m for m in red_line_kind(line).members(line) if m.key == belief.path)
            sign = 1 if member.sense == ">=" else -1
            found.append(
                Condition(name, belief.path, Law(belief, sign), None, red_line=line.name, row_kind=member.kind)
            )
    return found


def conditions_of(instance: Instance, offer: str | None) -> list[Condition]:
    """The conditions a package must meet for ``offer`` to be granted and every red line kept."""
    return [c for c in conditions(instance) if c.offer is None or c.offer == offer]


def gives_beliefs(instance: Instance) -> dict[str, Belief]:
    """Beliefs on what a lever gives: they move what is achieved."""
    return {name: b for name, b in beliefs_of(instance).items() if GIVES.fullmatch(b.path)}


@dataclass(frozen=True)
class GivesTerm:
    """A belief on one ``gives`` coefficient: what it multiplies, and on which metric."""

    name: str
    """The belief's name."""
    path: str
    lever: str
    metric: str
    option: str | None
    """The option whose pick it multiplies (a choice lever); None for an amount lever."""
    fixed: bool
    """True for a ``fixed`` term (it multiplies the lever's use), False for ``per_unit`` (its amount)."""

    def scale(self, package: Package) -> float:
        """What the coefficient multiplies in ``package``."""
        if self.option is not None:
            return float(self.option in package.picked.get(self.lever, ()))
        if self.fixed:
            return float(package.used.get(self.lever, False))
        return package.amount.get(self.lever, 0.0)

    def carrier(self, built: DealModel):
        """The model's variable (or expression) the coefficient multiplies: the pick, the use or the amount."""
        if self.option is not None:
            return built.m.picked[self.lever, self.option]
        return built.used(self.lever) if self.fixed else built.amount(self.lever)


def gives_terms(instance: Instance) -> list[GivesTerm]:
    """Every belief on a ``gives`` coefficient, in the order of the beliefs."""
    terms = []
    for name, belief in gives_beliefs(instance).items():
        parts = belief.path.split(".")
        option = parts[3] if parts[2] == "options" else None
        fixed = parts[-1] == "fixed"
        metric = parts[-2] if parts[-1] in ("fixed", "per_unit") else parts[-1]
        terms.append(GivesTerm(name, belief.path, parts[1], metric, option, fixed))
    return terms


def moved_metrics(instance: Instance) -> set[str]:
    """The metrics whose achieved value moves with a belief on ``gives``."""
    return {term.metric for term in gives_terms(instance)}


def certain_moved_thresholds(instance: Instance, offer: str | None) -> dict[str, float]:
    """The thresholds of ``offer`` that carry no belief but sit on a metric that beliefs on ``gives`` move:
    each scenario judges them with what the package achieves in it."""
    if offer is None:
        return {}
    uncertain = {c.metric for c in conditions_of(instance, offer) if c.offer == offer}
    moved = moved_metrics(instance)
    requires = instance.offer_items[offer].requires
    return {m: v for m, v in requires.items() if m in moved and m not in uncertain}


def needs_sampling(instance: Instance, offer: str | None) -> str | None:
    """Why the chance that ``offer`` is granted can only be sampled (None when it is exact or exact to a
    tolerance). Beliefs on ``gives`` count only when they move a metric whose threshold the tier reads (a
    walk-away offer, or a tier asking nothing of the moved metrics, stays exact), a copula only when it
    joins two of the tier's own conditions."""
    among = conditions_of(instance, offer)
    read = {c.metric for c in among} | set(certain_moved_thresholds(instance, offer))
    if moved_metrics(instance) & read:
        return "beliefs on gives move what is achieved"
    correlation = correlation_of(instance)
    names = {c.name for c in among}
    if correlation is not None and len(names & set(correlation.names)) > 1:
        return "a Gaussian copula joins the beliefs"
    if any(not c.law.discrete and not c.law.log_concave for c in among):
        return "a law whose CDF is not log-concave"
    return None


def at_means(loaded: LoadedInstance) -> LoadedInstance:
    """The instance with every belief on our own numbers (weights, costs, benefits, gives) at its mean.

    The objective is linear in them, so its expectation is the objective at their means. The
    user's own overrides stay the run's overrides.
    """
    own = [
        (b.path, mean(b))
        for b in beliefs_of(loaded.instance).values()
        if not THRESHOLD.fullmatch(b.path) and not RED_LINE_BOUND.fullmatch(b.path)
    ]
    if not own:
        return loaded
    moved = apply_overrides(loaded, own, warnings=False)
    return LoadedInstance(moved.instance, loaded.document, loaded.warnings, loaded.overrides)


def with_bounds(loaded: LoadedInstance, bounds: dict[str, float]) -> LoadedInstance:
    """The instance with each uncertain number replaced by a bound (a quantile): its hard row then only
    excludes what no package reaching the chance could do."""
    if not bounds:
        return loaded
    moved = apply_overrides(loaded, list(bounds.items()), warnings=False)
    return LoadedInstance(moved.instance, loaded.document, loaded.warnings, loaded.overrides)
