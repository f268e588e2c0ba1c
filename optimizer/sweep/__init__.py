"""Sweeps: solve thousands of variants of an instance, in parallel, resumably.

    from optimizer.sweep import run_sweep
    summary = run_sweep("sweeps/investment.yaml", workers=2)
    pandas.read_parquet(summary.folder / "scenarios.parquet")

A spec (:mod:`.spec`) expands into scenarios (:mod:`.scenarios`), which
workers (:mod:`.worker`, :mod:`.resolver`) solve on the same path as
``dealopt solve --set``; the parent (:mod:`.runner`) records them (:mod:`.store`)
and writes the tables (:mod:`.tables`). ``dealopt sweep`` is :mod:`.command`.
"""

from .runner import Plan, SweepError, SweepSummary, plan_sweep, run_sweep, validate_sweep
from .spec import LoadedSpec, Spec, is_sweep_spec, load_spec
from .store import FolderBusy

__all__ = [
    "FolderBusy",
    "LoadedSpec",
    "Plan",
    "Spec",
    "SweepError",
    "SweepSummary",
    "is_sweep_spec",
    "load_spec",
    "plan_sweep",
    "run_sweep",
    "validate_sweep",
]
