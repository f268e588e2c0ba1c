"""Sweeps: solve thousands of variants of an instance, in parallel, resumably.

    from optimizer.sweep import run_sweep
    summary = run_sweep("sweeps/investment.yaml", workers=2)
    pandas.read_parquet(summary.folder / "scenarios.parquet")

A spec (:mod:`.spec`) expands into scenarios (:mod:`.scenarios`), which
workers (:mod:`.worker`, :mod:`.resolver`) solve on the same path as
``dealopt solve --set``; the parent (:mod:`.runner`) records them (:mod:`.store`)
and writes the tables (:mod:`.tables`). ``dealopt sweep`` is :mod:`.command`. Names are imported on first use, so that
reading a spec (``dealopt validate``) does not load the solver.
"""

from .. import lazy_exports

_SOURCES = {
    "FolderBusy": "store",
    "LoadedSpec": "spec",
    "Plan": "runner",
    "Spec": "spec",
    "SweepError": "runner",
    "SweepSummary": "runner",
    "is_sweep_spec": "recognise",
    "load_spec": "spec",
    "plan_sweep": "runner",
    "run_sweep": "runner",
    "validate_sweep": "runner",
}
__all__ = sorted(_SOURCES)
__getattr__, __dir__ = lazy_exports(__name__, _SOURCES)
