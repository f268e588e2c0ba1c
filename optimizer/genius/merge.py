r"""The exact Pareto frontier of an additive discrete domain, merged issue by issue.

Each issue i offers a set of (ours, theirs) contributions, one per value. The frontier of the
sums is built one issue at a time: the running set of partial sums S is combined with issue
i's contributions (every pair, |S| · k_i candidates) and pruned to its own frontier before the
next issue comes in. Pruning is exact: a partial sum p dominated by q stays dominated by q
whatever the remaining issues add, so no frontier outcome is lost.

Ties: two partial sums closer than :data:`TIE` (relative, per value) in theirs, after sorting
by ours, count as one; the one kept is the first in (ours descending, theirs descending,
value order) order, so the result is deterministic. Each kept sum remembers its parent and
its value, so each frontier point's outcome (one value per issue) is recovered at the end.

The work per issue is a sort of |S| · k_i numbers (numpy, vectorised); on domains whose
frontier stays small it is far below the product of the issue sizes that enumeration visits.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

TIE = 1e-12
"""Partial sums whose theirs differ by at most TIE · max(1, |theirs|) count as equal (floating-point noise)."""


@dataclass(frozen=True)
class MergedFrontier:
    """The frontier points, from the best for us to the best for them, and each point's value indices."""

    ours: np.ndarray
    theirs: np.ndarray
    choices: np.ndarray
    """One row per point, one column per issue: the index of the value taken."""
    largest_set: int
    """The most partial sums kept after any issue (the merge's memory)."""


def _prune(ours: np.ndarray, theirs: np.ndarray) -> np.ndarray:
    """Indices of the non-dominated (ours, theirs) pairs, sorted by ours descending (ties: see :data:`TIE`)."""
    order = np.lexsort((-theirs, -ours))
    sorted_theirs = theirs[order]
    best_before = np.maximum.accumulate(np.concatenate(([-np.inf], sorted_theirs[:-1])))
    slack = TIE * np.maximum(1.0, np.abs(sorted_theirs))
    return order[sorted_theirs > best_before + slack]


def merge_frontier(contributions: list[tuple[np.ndarray, np.ndarray]]) -> MergedFrontier:
    """The exact frontier of sum over issues of (ours_i[v_i], theirs_i[v_i]), maximising both.

    ``contributions`` holds, per issue, the arrays of ours and theirs per value (same length >= 1).
    """
    ours, theirs = np.zeros(1), np.zeros(1)
    parents, values = [], []
    largest = 1
    for our_values, their_values in contributions:
        k = len(our_values)
        candidate_ours = (ours[:, None] + np.asarray(our_values, dtype=float)[None, :]).ravel()
        candidate_theirs = (theirs[:, None] + np.asarray(their_values, dtype=float)[None, :]).ravel()
        kept = _prune(candidate_ours, candidate_theirs)
        parents.append(kept // k)
        values.append(kept % k)
        ours, theirs = candidate_ours[kept], candidate_theirs[kept]
        largest = max(largest, len(kept))
    choices = np.empty((len(ours), len(contributions)), dtype=np.int64)
    rows = np.arange(len(ours))
    for issue in range(len(contributions) - 1, -1, -1):
        choices[:, issue] = values[issue][rows]
        rows = parents[issue][rows]
    return MergedFrontier(ours, theirs, choices, largest)
