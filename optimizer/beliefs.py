"""Beliefs about uncertain numbers: which numbers may carry one, and the rules that span the instance.

A belief names a number by its ``--set`` path (:mod:`optimizer.paths`) and gives its law; the
value in the file stays the point estimate. A belief may sit on:

- a counterpart threshold of a tier (``offers.T.requires.M``): it defines acceptance;
- a red-line bound (``red_lines.R.max`` / ``.min`` of a ``max_cost`` or ``limit`` line): it joins the
  same joint event;
- one of our own coefficients (a weight, a cost, a benefit, a ``gives``): the objective is then an
  expectation.

Not on a global demand (``demands.M``): it binds every tier, walk-away included, so put the
uncertainty on a tier's ``requires`` instead. The key ``correlation`` of the section holds a
Gaussian copula between beliefs it names.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator

from .paths import number_slots, value_at
from .schema import CORRELATION, Belief, Correlation, Instance

Finding = tuple[tuple, str]

_ALLOWED = re.compile(
    r"offers\.[^.]+\.(requires|benefits)\.[^.]+"
    r"|red_lines\.[^.]+\.(max|min)"
    r"|constituencies\.[^.]+\.weight"
    r"|levers\.[^.]+\.(gives|costs)\.[^.]+\.(fixed|per_unit(\.[0-9]+\.1)?)"
    r"|levers\.[^.]+\.options\.[^.]+\.(gives|costs)\.[^.]+"
)
"""The paths a belief may sit on (each must also hold a number of the instance)."""

NON_NEGATIVE = re.compile(r"constituencies\.[^.]+\.weight")
"""Paths whose number may not be negative: a belief's support must stay at or above 0 there."""


def support(belief: Belief) -> tuple[float, float]:
    """The least and greatest value the belief's law can take (infinite for an untruncated normal)."""
    law = getattr(belief, belief.law)
    if belief.law == "discrete":
        return min(law.values), max(law.values)
    if belief.law == "normal":
        return (-math.inf if law.low is None else law.low), (math.inf if law.high is None else law.high)
    if belief.law == "lognormal":
        return 0.0, math.inf
    return law.low, law.high


def belief_problems(instance: Instance) -> Iterator[Finding]:
    """Beliefs on paths that hold no number, or where no belief may sit, or whose support leaves the field's domain;
    a correlation under another key, or naming beliefs that do not exist."""
    slots = {path for path, _, _ in number_slots(instance)}
    beliefs = {name: entry for name, entry in instance.beliefs.items() if isinstance(entry, Belief)}
    first_on: dict[str, str] = {}
    for name, entry in instance.beliefs.items():
        where = ("beliefs", name)
        if isinstance(entry, Correlation):
            if name != CORRELATION:
                yield where, f"a correlation goes under the key '{CORRELATION}'"
            for i, other in enumerate(entry.names):
                if other not in beliefs:
                    yield (*where, "names", i), f"no belief named '{other}'"
            continue
        if name == CORRELATION:
            yield where, f"'{CORRELATION}' holds the correlation (names, matrix), not a belief"
            continue
        if entry.path.startswith("demands."):
            yield (
                (*where, "path"),
                (
                    "a global demand binds every tier, walk-away included; put the uncertainty on a tier's "
                    "requires (offers.TIER.requires.METRIC) instead"
                ),
            )
        elif entry.path not in slots or not _ALLOWED.fullmatch(entry.path):
            yield (
                (*where, "path"),
                (
                    f"'{entry.path}' is not a number a belief may sit on: a tier's requires, a red-line bound, "
                    f"a weight, a cost, a benefit or a gives of this instance{_coefficient_hint(entry.path, slots)}"
                ),
            )
        elif entry.path in first_on:
            yield (*where, "path"), f"'{first_on[entry.path]}' already holds a belief on {entry.path}: give it one law"
        elif NON_NEGATIVE.fullmatch(entry.path) and support(entry)[0] < 0:
            yield (*where, entry.law), (f"the law reaches {support(entry)[0]:g}, but {entry.path} cannot be negative")
        first_on.setdefault(entry.path, name)


def _coefficient_hint(path: str, slots: set[str]) -> str:
    """A gives or cost is a {fixed, per_unit} pair: name which of its numbers the belief is about."""
    parts = [f"{path}.{part}" for part in ("per_unit", "fixed") if f"{path}.{part}" in slots]
    return f" (a gives or cost has two numbers: write {' or '.join(parts)})" if parts else ""


def prune_beliefs(data: dict, edited: frozenset[str] = frozenset()) -> None:
    """Drop, from normalised ``data`` (in place), each belief whose number an edit removed, and its correlation terms.

    A correlation left with fewer than two beliefs goes too. A belief on a number that is still
    there stays, whatever its new value: the value in the file is only the point estimate. The
    beliefs named in ``edited`` (those the edit itself changed) stay, so that validation judges
    their new fields: a mistyped path is an error, not a belief silently gone.
    """
    beliefs = data.get("beliefs") or {}
    gone = {
        name
        for name, entry in beliefs.items()
        if name != CORRELATION and name not in edited and value_at(data, entry["path"]) is None
    }
    if not gone:
        return
    for name in gone:
        del beliefs[name]
    correlation = beliefs.get(CORRELATION)
    if correlation is None:
        return
    keep = [i for i, name in enumerate(correlation["names"]) if name not in gone]
    if len(keep) < 2:
        del beliefs[CORRELATION]
        return
    correlation["names"] = [correlation["names"][i] for i in keep]
    correlation["matrix"] = [[correlation["matrix"][i][j] for j in keep] for i in keep]
