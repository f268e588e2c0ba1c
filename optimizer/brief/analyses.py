"""The brief's optional analyses: the chance of acceptance, the bargaining frontier and how far each judgement
can move (``dealopt solve FILE --brief-with acceptance,frontier,sensitivity``).

Each re-solves many times (the flagship's frontier takes tens of seconds), so a plain
``solve`` leaves them out; its brief then says which ones apply to the instance and how to
add them. An analysis applies when the instance has what it needs: beliefs for the
acceptance curve, a ``counterpart:`` section for the frontier, provenance entries marked
judgement for the sensitivity.
"""

from __future__ import annotations

from importlib import import_module

from ..errors import InputError, Problem
from ..instance import LoadedInstance
from ..result import Result
from ..schema import Instance
from ..solver import SolveOptions

ANALYSES = ("acceptance", "frontier", "sensitivity")
"""Every optional analysis, in the order the brief shows them."""
ALL = "all"
OPTION = "--brief-with"


def requested_analyses(text: str | None, briefed: bool = True) -> tuple[str, ...]:
    """The analyses a comma-separated ``--brief-with`` value names (``all``: every one).

    An InputError for an unknown name, and when there is no brief to add them to (``briefed`` False:
    ``--no-brief``, ``--no-save``, ``--chance`` or ``--robust``).
    """
    if text is None:
        return ()
    names = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in names if name not in (*ANALYSES, ALL)]
    if unknown or not names:
        shown = ", ".join(map(repr, unknown)) or repr(text)
        _refuse(f"unknown analysis {shown}: give a comma-separated list of {', '.join(ANALYSES)}, or {ALL}")
    if not briefed:
        _refuse("adds to the brief, which a solve with --no-brief, --no-save, --chance or --robust does not write")
    return ANALYSES if ALL in names else tuple(name for name in ANALYSES if name in names)


def _refuse(message: str) -> None:
    raise InputError([Problem(OPTION, None, OPTION, message)])


def applicable(instance: Instance) -> list[str]:
    """The analyses ``instance`` has the inputs for."""
    has = {
        "acceptance": bool(instance.beliefs),
        "frontier": instance.counterpart is not None,
        "sensitivity": any(entry.judgement for entry in instance.provenance.values()),
    }
    return [name for name in ANALYSES if has[name]]


def analyses_of(
    loaded: LoadedInstance, result: Result, options: SolveOptions, requested: tuple[str, ...]
) -> dict[str, dict]:
    """Each requested analysis that applies to ``loaded``, as brief.json holds it (name -> its part).

    An analysis that cannot be made (its section of the instance lacks something, or HiGHS could not
    settle a solve) is ``{"error": why}``, which the brief shows in its place.
    """
    from ..explain.workbench import SolveFailed

    parts = {}
    for name in applicable(loaded.instance):
        if name not in requested:
            continue
        try:
            parts[name] = import_module(f".{MODULES[name]}", __package__).part(loaded, result, options)
        except InputError as err:
            parts[name] = {"error": "; ".join(problem.message for problem in err.problems)}
        except SolveFailed as err:
            parts[name] = {"error": str(err)}
    return parts


MODULES = {"acceptance": "acceptance", "frontier": "bargaining", "sensitivity": "judgements"}
"""Analysis -> the module of this package that computes its part (``part(loaded, result, options)``), imported
on first use: each pulls in its own solver machinery, which a plain solve does not need."""
