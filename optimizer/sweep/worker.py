"""What runs in a sweep worker: validate or solve chunks of scenarios of one base instance.

A worker holds the base instance and one :class:`~.resolver.ScenarioModel`
for the life of its process (on Dask too, where its threads take turns). Each scenario takes the
path of ``dealopt solve --set``: the overrides are applied and validated by
:func:`optimizer.instance.apply_overrides`, the model is updated and solved,
and :func:`optimizer.api.check` verifies the package. In the solve phase every
scenario has passed that validation already, so one that only changes numbers
of the model is built by :func:`optimizer.paths.with_numbers` instead. A
worker returns plain records; it never writes anything.
"""

from __future__ import annotations

import os
import signal
import threading
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..api import check, solve_loaded
from ..errors import InputError, Problem
from ..instance import LoadedInstance, apply_overrides, validate_document
from ..paths import numeric_changes, with_numbers
from ..result import Result
from ..schema import Instance
from ..solver import SolveOptions
from ..status import Status
from ..yamlfile import Document
from .analyses import analysis_columns, solve_under_options
from .options import scenario_options, sensitivity_problems, split
from .resolver import ScenarioModel
from .spec import Options

Overrides = tuple[tuple[str, Any], ...]
WATCHDOG_SECONDS = 1.0
"""How often a worker process checks that the sweep that started it is still alive."""


@dataclass(frozen=True)
class Job:
    """Everything a worker needs, sent once per worker: the parsed base file and the solve options."""

    key: str
    """Identifies the job: base content hash and options."""
    document: Document
    """The base instance file as parsed (data, lines, file name), validated again by each worker."""
    stem: str
    """The base file's stem (the default instance name)."""
    options: SolveOptions
    """How every scenario is solved."""
    sweep_options: Options = Options()
    """The spec's ``options:`` block (a scenario's swept options are among its overrides)."""
    spec_file: str = ""
    """The spec file, where problems of the options are reported."""
    sensitivity_lines: tuple[int | None, ...] = ()
    """The spec line of each ``options.sensitivity`` path."""


class WorkerState:
    """A worker's base instance and persistent model."""

    def __init__(self, job: Job):
        self.job = job
        self.base: LoadedInstance = validate_document(job.document, job.stem)
        self.model: ScenarioModel | None = None

    def validate(self, overrides: Overrides) -> tuple[list[Problem], list[Problem]]:
        """The problems of a scenario (none when it is valid) and its warnings."""
        overrides, _ = split(overrides)
        try:
            loaded = apply_overrides(self.base, overrides)
        except InputError as err:
            return list(err.problems), []
        structural = sensitivity_problems(self.job.sweep_options, loaded)
        if structural:
            job = self.job
            return [
                Problem(
                    job.spec_file,
                    job.sensitivity_lines[index],
                    f"options.sensitivity[{index}]",
                    f"{path} is not a number of this scenario's model (an override made it structure); "
                    "sensitivity moves only numbers",
                )
                for index, path in structural
            ], []
        return [], loaded.warnings

    def instance(self, overrides: Overrides, *, validated: bool = False) -> Instance:
        """The scenario's instance; raises InputError when it is invalid.

        ``validated``: the scenario passed :meth:`validate` against this base (a sweep validates
        every scenario before it solves any), so when it only changes numbers of the model, its
        instance is built by :func:`~optimizer.paths.with_numbers` rather than validated again.
        """
        numbers = numeric_changes(overrides, self.model.base_numbers) if validated and self.model else None
        if numbers is not None:
            return with_numbers(self.base.instance, numbers)
        return apply_overrides(self.base, overrides, warnings=False).instance

    def solve(self, scenario_id: str, overrides: Overrides, *, validated: bool = False) -> dict:
        """Solve one scenario as ``dealopt solve --set`` would (with ``--chance``/``--robust`` under those
        options), then the analyses its options ask for; any failure becomes a record with status error.

        ``validated`` as for :meth:`instance`. Every scenario's warnings were reported when it
        was validated, before any was solved.
        """
        overrides, swept = split(overrides)
        options = scenario_options(self.job.sweep_options, swept)
        columns: dict[str, Any] = {}
        try:
            instance = self.instance(overrides, validated=validated)
            loaded = LoadedInstance(instance, self.base.document, [])
            if options.chance is not None or options.robust is not None:
                result, columns = solve_under_options(loaded, self.job.options, options)
            elif not instance.levers:
                result = solve_loaded(loaded, self.job.options)
            else:
                if self.model is None:
                    self.model = ScenarioModel(self.base.instance)
                self.model.load(instance, overrides)
                result = check(instance, self.model.solve(self.job.options))
            columns |= analysis_columns(loaded, self.job.options, options)
        except InputError as err:
            return failure_record(scenario_id, Status.INVALID, "; ".join(map(str, err.problems)))
        except Exception as err:  # noqa: BLE001 - a sweep records a failed scenario and goes on
            self.model = None
            return failure_record(scenario_id, Status.ERROR, f"{type(err).__name__}: {err} at {_where(err)}")
        return outcome_record(scenario_id, result) | {"columns": columns}


def outcome_record(scenario_id: str, result: Result) -> dict:
    """The plain, picklable outcome of a scenario: what the sweep tables are made of."""
    evaluation = result.evaluation
    return {
        "id": scenario_id,
        "status": str(result.status),
        "objective": result.objective,
        "gap": result.gap,
        "offer": result.offer,
        "verified": result.verified,
        "message": result.message if result.status != Status.ERROR else "; ".join([result.message, *result.reasons]),
        "levers": result.package.levers() if result.package else {},
        "net": {k: evaluation.net(k) for k in evaluation.cost} if evaluation else {},
        "achieved": dict(evaluation.achieved) if evaluation else {},
        "solve_seconds": result.run.get("solve_seconds", 0.0),
        "columns": {},
    }


def failure_record(scenario_id: str, status: Status, message: str) -> dict:
    """The record of a scenario that produced no result."""
    return outcome_record(scenario_id, Result(None, status, message=message))


def _where(err: Exception) -> str:
    frame = traceback.extract_tb(err.__traceback__)[-1]
    return f"{frame.filename}:{frame.lineno}"


# -- entry points called by the executors ------------------------------------------------------

_jobs: dict[str, Job] = {}
"""Jobs installed in this process by the pool initializer, by key."""
_state_now: WorkerState | None = None
"""This process's state, for the job of the last chunk."""
_one_chunk_at_a_time = threading.Lock()
"""Held while a chunk runs. Pyomo captures HiGHS's output through the process's file
descriptors, which two threads cannot do at once (they deadlock): a Dask worker with
several threads runs one chunk at a time, so start Dask workers with ``--nthreads 1``."""


def install(job: Job, sweep_pid: int) -> None:
    """Process-pool initializer: ignore Ctrl-C (the parent owns it), load the job once, and
    exit when the sweep process ``sweep_pid`` is gone."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _jobs.clear()
    _jobs[job.key] = job
    with _one_chunk_at_a_time:
        _state(job.key)
    threading.Thread(target=_exit_after, args=(sweep_pid,), name="sweep-watchdog", daemon=True).start()


def _exit_after(sweep_pid: int) -> None:
    """Exit once the sweep process has died (``kill -9`` gives it no chance to stop its workers).

    Workers are children of the fork server, not of the sweep, so nothing else tells them.
    """
    while _alive(sweep_pid):
        time.sleep(WATCHDOG_SECONDS)
    os._exit(0)


def _alive(pid: int) -> bool:
    """True while the process runs; a zombie (dead, not yet reaped by its parent) is dead."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, though owned by another user
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:  # no /proc here: the signal check is all there is
        return True
    return stat.rpartition(")")[2].split()[0] != "Z"


def _state(job: Job | str) -> WorkerState:
    """This process's state for ``job``: a Job, or the key of the job installed in this process."""
    global _state_now
    if isinstance(job, str):
        job = _jobs[job]
    if _state_now is None or _state_now.job.key != job.key:
        _state_now = WorkerState(job)
    return _state_now


def validate_chunk(
    job: Job | str, chunk: list[tuple[int, Overrides]]
) -> list[tuple[int, list[Problem], list[Problem]]]:
    """(ordinal, problems, warnings) of every scenario of the chunk that has either."""
    with _one_chunk_at_a_time:
        state = _state(job)
        found = [(ordinal, *state.validate(overrides)) for ordinal, overrides in chunk]
    return [(ordinal, problems, warnings) for ordinal, problems, warnings in found if problems or warnings]


def solve_chunk(job: Job | str, chunk: list[tuple[str, Overrides]]) -> list[dict]:
    """The outcome record of every scenario of the chunk, in order; each passed :func:`validate_chunk`."""
    with _one_chunk_at_a_time:
        state = _state(job)
        return [state.solve(scenario_id, overrides, validated=True) for scenario_id, overrides in chunk]
