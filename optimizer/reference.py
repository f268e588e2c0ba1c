"""Reference results: the committed output of ``dealopt solve`` for every shipped instance.

``regenerate`` re-solves every instance into ``results/<name>/``, writing exactly what
``dealopt solve FILE`` writes, except the run's times (``run.json``), so that a committed
folder changes only when its answer does and a user's own solve leaves it as it is. An
instance with inputs for the brief's analyses (beliefs, a counterpart, judgements) also gets
``results/<name>_analyses/``: what ``dealopt solve FILE --brief-with all`` writes, its brief
with the chance of acceptance, the bargaining frontier and the sensitivity of each
judgement. ``compare`` says whether a
committed folder still agrees with the code: same status, objective within
tolerance, and its package still passes the independent check. Tie-breaks,
times and versions do not count. ``check_reference`` adds what a shipped
real-world instance (one dated by ``as_of``) must also satisfy: its optimum
rests on no lever bound that its provenance does not mark a real limit
(:mod:`optimizer.bounds`). Synthetic instances (the tutorial, generated ones)
claim no calibration, so their bounds are not judged.
"""

from __future__ import annotations

import json
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

from . import contract
from .api import solve_loaded
from .bounds import limiting_bounds
from .brief.analyses import ANALYSES, applicable
from .brief.build import with_analyses
from .errors import each_or_every_problem
from .evaluate import evaluate
from .instance import LoadedInstance, load
from .outcome import SolveOutcome, solve_outcome
from .package import Package
from .result import Result
from .save import check_replaceable, write_folder
from .schema import Instance
from .solver import SolveOptions
from .sweep.runner import process_context
from .tolerance import objectives_agree


def instance_files(folder: str | Path) -> list[Path]:
    return sorted(Path(folder).glob("*.yaml"))


def load_instances(folder: str | Path) -> list[LoadedInstance]:
    """Every instance file in ``folder``, validated; raises InputError with the problems of all of them."""
    return each_or_every_problem(load, instance_files(folder))


def solve_reference(loaded: LoadedInstance) -> Result:
    """Solve as ``dealopt solve`` does, so a fresh folder matches a committed one field for field."""
    return solve_loaded(loaded, SolveOptions())


def regenerate(instances: str | Path = "instances", results: str | Path = "results") -> list[Result]:
    """Solve every instance file in ``instances`` and write ``results/<name>/`` (and ``<name>_analyses/``).

    Every file is validated and every target folder checked before anything is solved or
    written; raises InputError listing all problems. The instances are solved side by side,
    one process each up to the CPU count (HiGHS runs one thread with a fixed seed, so the
    files are the same bytes however many run at once); each folder is written whole.
    """
    loaded = load_instances(instances)
    folders = [name for item in loaded for name in reference_folders(item)]
    each_or_every_problem(lambda name: check_replaceable(Path(results) / name), folders)
    workers = max(1, min(len(loaded), os.cpu_count() or 1))
    with ProcessPoolExecutor(max_workers=workers, mp_context=process_context("optimizer.reference")) as pool:
        answers = list(pool.map(reference_outcome, loaded))
    for _, written in answers:
        for name, files in written.items():
            write_folder(Path(results) / name, files)
    return [result for result, _ in answers]


ANALYSES_SUFFIX = "_analyses"
"""The folder beside ``results/<name>/`` that holds the brief with every analysis that applies."""


def reference_folders(loaded: LoadedInstance) -> list[str]:
    """The folders ``regenerate`` writes for ``loaded``: its solve, and its analyses when any applies."""
    name = loaded.instance.name
    return [name, name + ANALYSES_SUFFIX] if applicable(loaded.instance) else [name]


def reference_outcome(loaded: LoadedInstance) -> tuple[Result, dict[str, dict]]:
    """The result of ``loaded``, and the files of each of its reference folders (by folder name)."""
    plain = solve_outcome(loaded, SolveOptions())
    written = {loaded.instance.name: reference_files(plain)}
    if applicable(loaded.instance):
        brief = plain.brief and with_analyses(plain.brief, loaded, plain.result, SolveOptions(), ANALYSES)
        written[loaded.instance.name + ANALYSES_SUFFIX] = reference_files(replace(plain, brief=brief))
    return plain.result, written


def reference_files(outcome: SolveOutcome) -> dict:
    """The files ``dealopt solve`` writes for ``outcome`` that are the same on every run: all but ``run.json``."""
    return {name: content for name, content in outcome.files().items() if name != contract.RUN}


def package_from_summary(instance: Instance, summary: dict) -> Package:
    """The package recorded in a summary.json, as a Package of ``instance``."""
    levers = summary.get("package") or {}
    empty = Package.empty(instance, summary.get("offer"))
    return Package(
        used={j: j in levers for j in empty.used},
        amount={j: float(levers.get(j, 0.0)) for j in empty.amount},
        picked={j: (levers[j],) if j in levers else () for j in empty.picked},
        granted=empty.granted,
    )


@dataclass
class Comparison:
    name: str
    differences: list[str]

    @property
    def agrees(self) -> bool:
        return not self.differences


def compare(fresh: Result, folder: str | Path) -> Comparison:
    """How a committed results folder differs from a fresh solve (empty when it agrees)."""
    summary_path = Path(folder) / "summary.json"
    name = fresh.instance.name if fresh.instance else str(folder)
    if not summary_path.exists():
        return Comparison(name, [f"no committed {summary_path}"])
    committed = json.loads(summary_path.read_text(encoding="utf-8"))
    differences = []
    if committed["status"] != str(fresh.status):
        differences.append(f"status: committed {committed['status']}, now {fresh.status}")
    if (committed["objective"] is None) != (fresh.objective is None) or (
        fresh.objective is not None and not objectives_agree(committed["objective"], fresh.objective)
    ):
        differences.append(f"objective: committed {committed['objective']}, now {fresh.objective}")
    if committed["status"] == "optimal" and fresh.instance is not None:
        check = evaluate(fresh.instance, package_from_summary(fresh.instance, committed))
        differences += [f"committed package: {v}" for v in check.violations]
    return Comparison(name, differences)


def guessed_bounds(loaded: LoadedInstance) -> list[str]:
    """Each lever bound the optimum rests on that the provenance does not mark a real limit, in words."""
    return [
        f"{bound.path}: the optimum rests on this bound (raising it by {bound.step:g} saves {bound.saving:.6g} points) "
        "and its provenance does not mark it a real limit (limit: true)"
        for bound in limiting_bounds(loaded, SolveOptions())
        if not bound.real_limit
    ]


def check_reference(loaded: LoadedInstance, results: str | Path) -> Comparison:
    """``compare`` for the committed folder of ``loaded`` under ``results``, plus the guessed bounds of a dated instance."""
    comparison = compare(solve_reference(loaded), Path(results) / loaded.instance.name)
    if loaded.instance.as_of is not None:
        comparison.differences += guessed_bounds(loaded)
    return comparison
