"""Explaining an answer: alternatives, prices, who pays, what binds, and why nothing is acceptable.

The Python API, every result available as pandas DataFrames (``.tables``)::

    from optimizer import load
    from optimizer.explain import alternatives, diagnose, explain

    loaded = load("instances/tutorial.yaml")
    explain(loaded).tables["red_lines"]          # what each red line costs
    alternatives(loaded, k=5).tables["side_by_side"]
    diagnose(load("infeasible.yaml")).to_markdown()

The CLI commands live in :mod:`optimizer.explain.command`. Names are imported on first use,
so that a module of this package (the workbench, say) loads without pandas.
"""

from .. import lazy_exports

_SOURCES = {
    "Alternative": "alternatives",
    "Alternatives": "alternatives",
    "Diagnosis": "diagnosis",
    "Explanation": "explanation",
    "Member": "members",
    "Relaxation": "relaxation",
    "SolveFailed": "workbench",
    "alternatives": "alternatives",
    "diagnose": "diagnosis",
    "explain": "explanation",
    "least_relaxation": "relaxation",
    "members_of": "members",
}
__all__ = sorted(_SOURCES)
__getattr__, __dir__ = lazy_exports(__name__, _SOURCES)
