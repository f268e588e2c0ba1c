"""The disagreement point d: what each side gets without an agreement; gains are measured from it.

d is the (ours, theirs) of the least-cost walk-away package, the lowest theirs among
equally cheap ones (two MILPs: the least cost, then the least theirs keeping it).
``counterpart.disagreement`` overrides it; an instance without a walk-away offer needs it.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..instance import LoadedInstance
from .oracle import LEAST_THEIRS, OURS, Found, Oracle
from .values import Values, counterpart_of, refuse


@dataclass(frozen=True)
class Disagreement:
    """The disagreement point, where it comes from, and the walk-away package behind it (if any)."""

    values: Values
    source: str
    """'walk-away package' or 'counterpart.disagreement'."""
    found: Found | None = None
    milps: int = 0

    def to_dict(self) -> dict:
        out = {"ours": self.values.ours, "theirs": self.values.theirs, "source": self.source, "milps": self.milps}
        if self.found is not None:
            out |= {"offer": self.found.package.offer, "package": self.found.package.levers(), "verified": True}
        return out


def disagreement_point(loaded: LoadedInstance, oracle: Oracle) -> Disagreement:
    """d from the override, else from the least-cost walk-away package; an InputError when neither exists."""
    override = counterpart_of(loaded).disagreement
    if override is not None:
        return Disagreement(Values(override.ours, override.theirs), "counterpart.disagreement")
    walk_away = [t for t, offer in loaded.instance.offer_items.items() if offer.walk_away]
    add = "add 'disagreement: {ours: ..., theirs: ...}' to the counterpart section"
    if not walk_away:
        raise refuse(loaded, ("counterpart",), f"the instance has no walk-away offer to measure gains from: {add}")
    before = oracle.milps
    found = oracle.best(OURS, scope=tuple(walk_away), second=LEAST_THEIRS)
    if found is None:
        raise refuse(
            loaded, ("counterpart",), f"no walk-away package crosses none of the red lines and meets the demands: {add}"
        )
    return Disagreement(found.values, "walk-away package", found, oracle.milps - before)
