"""Explaining an answer: alternatives, prices, who pays, what binds, and why nothing is acceptable.

The Python API, every result available as pandas DataFrames (``.tables``)::

    from optimizer import load
    from optimizer.explain import alternatives, diagnose, explain

    loaded = load("instances/tutorial.yaml")
    explain(loaded).tables["red_lines"]          # what each red line costs
    alternatives(loaded, k=5).tables["side_by_side"]
    diagnose(load("infeasible.yaml")).to_markdown()

The CLI commands live in :mod:`optimizer.explain.command`.
"""

from .alternatives import Alternative, Alternatives, alternatives
from .diagnosis import Diagnosis, diagnose
from .explanation import Explanation, explain
from .members import Member, members_of
from .relaxation import Relaxation, least_relaxation
from .workbench import SolveFailed

__all__ = [
    "Alternative",
    "Alternatives",
    "Diagnosis",
    "Explanation",
    "Member",
    "Relaxation",
    "SolveFailed",
    "alternatives",
    "diagnose",
    "explain",
    "least_relaxation",
    "members_of",
]
