"""Irreducible conflicting sets, found on the mixed-integer model by a deletion filter over members.

A conflicting set is a group of members (thresholds, red lines, lever bounds)
that admits no acceptable package with every other member removed, while
removing any one of its members admits one. Integrality is kept throughout:
each question is a feasibility solve of the instance as edited, so a set that
is infeasible only because a lever is all-or-nothing is found too.

The deletion filter drops each member in turn and keeps it out when the rest
stay infeasible. Lever bounds are tried last, so each threshold or red line
of the set was found necessary with every lever bound still in force.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..instance import LoadedInstance
from ..kinds import Member
from ..solver import SolveOptions
from .members import kept_only, members_of
from .workbench import acceptable_package


class FeasibilityOracle:
    """Whether an acceptable package exists when only some members are kept; each answer is cached."""

    def __init__(self, loaded: LoadedInstance, options: SolveOptions):
        self.loaded = loaded
        self.options = options
        self.members = members_of(loaded.instance)
        self.questions = 0
        self._answers: dict[frozenset[Member], bool] = {}

    def feasible(self, keep: Sequence[Member]) -> bool:
        key = frozenset(keep)
        if key not in self._answers:
            self.questions += 1
            self._answers[key] = acceptable_package(kept_only(self.loaded, key), self.options) is not None
        return self._answers[key]


def conflicting_set(oracle: FeasibilityOracle, candidates: Sequence[Member]) -> list[Member]:
    """A minimal subset of ``candidates`` that is infeasible on its own (``candidates`` must be)."""
    kept = list(candidates)
    for member in candidates:
        trial = [m for m in kept if m != member]
        if not oracle.feasible(trial):
            kept = trial
    return kept


def conflicting_sets(oracle: FeasibilityOracle, limit: int = 3) -> list[list[Member]]:
    """Up to ``limit`` different conflicting sets; the first is the deletion filter's over all members.

    Another set exists exactly when removing some member of the first leaves
    the instance infeasible; the filter is then run again without that member.
    """
    first = conflicting_set(oracle, oracle.members)
    sets = [first]
    for member in first:
        if len(sets) >= limit:
            break
        rest = [m for m in oracle.members if m != member]
        if not oracle.feasible(rest):
            found = conflicting_set(oracle, rest)
            if set(found) not in [set(s) for s in sets]:
                sets.append(found)
    return sets
