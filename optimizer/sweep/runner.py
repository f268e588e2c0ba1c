"""Running a sweep: expand, validate every scenario, solve what is missing, write the tables.

The parent process owns everything but the solving: interrupts, the lock, the
store and the tables. Scenarios go to the workers in small chunks, a few
chunks per worker at a time, so a crash loses at most the chunks in flight.
Workers are local processes (:class:`LocalWorkers`) or the workers of an
existing Dask cluster (:class:`DaskWorkers`); either way, each runs the same
:mod:`optimizer.sweep.worker` functions, and the answers do not depend on which
worker solved what.
"""

from __future__ import annotations

import concurrent.futures
import hashlib
import multiprocessing
import os
import platform
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, Protocol

from .. import __version__
from ..errors import InputError, Problem
from ..instance import LoadedInstance, content_hash, load
from ..save import check_replaceable
from ..solver import SOLVER_NAME, SolveOptions, solver_version
from ..status import ExitCode
from ..yamlfile import read_file
from .analyses import extra_columns
from .options import base_problems, distinct_options
from .recognise import is_sweep_spec
from .scenarios import Scenario, expand, locate_problems, swept_paths
from .spec import LoadedSpec, Options, load_spec
from .store import DATABASE, LOCK, SweepFolder
from .tables import lever_table, scenario_table, write_outputs
from .worker import Job, WorkerState, install, solve_chunk, validate_chunk

MAX_CHUNK = 16
"""Most scenarios sent to a worker at once (and lost at most per worker by a crash)."""
VALIDATION_CHUNK = 64
CHUNKS_PER_WORKER = 2
"""Chunks kept in flight per worker, so no worker waits for the parent."""


class SweepError(Exception):
    """The sweep cannot start or go on (no Dask, a worker died); the message says what to do."""


class Reporter(Protocol):
    """Receives progress: the command draws a progress bar with it. ``finish`` may come twice."""

    def start(self, phase: str, total: int) -> None: ...

    def advance(self, count: int) -> None: ...

    def finish(self) -> None: ...


class SilentReporter:
    """Progress that nobody watches."""

    def start(self, phase: str, total: int) -> None:
        pass

    def advance(self, count: int) -> None:
        pass

    def finish(self) -> None:
        pass


@dataclass
class SweepSummary:
    """What a sweep run did and how its scenarios ended."""

    folder: Path
    total: int
    """Scenarios in the spec."""
    counts: dict[str, int]
    """Finished scenarios of the spec per status (this run and earlier ones)."""
    solved: int = 0
    """Scenarios solved by this run."""
    interrupted: bool = False
    failure: str = ""
    """Why the run stopped early, when a worker died."""
    wall_seconds: float = 0.0
    warnings: list[Problem] = field(default_factory=list)
    """The base instance's and the scenarios' warnings, each once."""

    @property
    def missing(self) -> int:
        return self.total - sum(self.counts.values())

    @property
    def exit_code(self) -> int:
        """0 every scenario has a status, 3 some ended in error or could not be run, 130 interrupted."""
        if self.interrupted:
            return ExitCode.INTERRUPTED
        if self.failure or self.missing or self.counts.get("error") or self.counts.get("invalid"):
            return ExitCode.FAILED
        return ExitCode.OK


@dataclass
class Plan:
    """A sweep ready to run: its spec, base instance and scenarios, and the job sent to workers."""

    spec: LoadedSpec
    base: LoadedInstance
    instance_hash: str
    options: SolveOptions
    scenarios: list[Scenario]
    job: Job
    warnings: list[Problem] = field(default_factory=list)
    """The base instance's warnings, then each distinct scenario warning once (set by validation)."""


def plan_sweep(spec_path: str | Path, options: SolveOptions) -> Plan:
    """Read the spec and its base instance and expand the scenarios; raise InputError on any problem."""
    spec = load_spec(spec_path)
    if spec.base_path.is_file() and is_sweep_spec(read_file(spec.base_path).data):
        raise InputError([spec.problem(("base",), f"{spec.spec.base} is a sweep spec; base names an instance file")])
    base = load(spec.base_path)
    instance_hash = content_hash(base.instance)
    scenarios = expand(spec, base.instance, fingerprint(options, spec.spec.options), instance_hash)
    problems = base_problems(spec, base, distinct_options(spec, scenarios))
    if problems:
        raise InputError(problems)
    key = _digest(instance_hash, options, spec.spec.options)
    lines = tuple(
        spec.document.line_of(("options", "sensitivity", i)) for i in range(len(spec.spec.options.sensitivity))
    )
    job = Job(key, base.document, spec.base_path.stem, options, spec.spec.options, spec.file, lines)
    return Plan(spec, base, instance_hash, options, scenarios, job, list(base.warnings))


def validate_sweep(spec_path: str | Path) -> Plan:
    """Everything ``dealopt validate`` checks in a sweep spec, in this process: the spec, the base and every scenario."""
    plan = plan_sweep(spec_path, SolveOptions())
    state = WorkerState(plan.job)
    _judge(plan, [(s, *state.validate(s.overrides)) for s in plan.scenarios])
    return plan


def run_sweep(
    spec_path: str | Path,
    *,
    out: str | Path | None = None,
    workers: int | None = None,
    time_limit: float | None = None,
    dask: str | None = None,
    reporter: Reporter | None = None,
) -> SweepSummary:
    """Run every scenario of a sweep spec that is not already in the output folder.

    Raises InputError (invalid spec, base instance or scenario, or an --out folder that is not
    a sweep's; nothing is solved), :class:`~.store.FolderBusy` and :class:`SweepError`. A Ctrl-C
    returns a summary with ``interrupted`` set, after saving what finished.
    """
    started, started_at = time.perf_counter(), _now()
    reporter = reporter or SilentReporter()
    plan = plan_sweep(spec_path, SolveOptions(time_limit=time_limit))
    folder_path = Path(out) if out is not None else Path("results") / Path(spec_path).stem
    if not (folder_path / LOCK).exists():  # a locked folder is a sweep's, running or killed at its start
        check_replaceable(folder_path, marker=DATABASE)
    fresh = not (folder_path / DATABASE).exists()
    summary = SweepSummary(folder_path, len(plan.scenarios), {})
    executor = None
    abandon = True
    try:
        if fresh and plan.scenarios:  # validated before the folder is made: an invalid spec writes nothing
            executor = _executor(workers, dask, plan.job)
            _validate(executor, plan, plan.scenarios, reporter)
        with SweepFolder(folder_path) as folder:
            done = folder.done_ids()
            todo = [s for s in plan.scenarios if s.id not in done]
            try:
                if todo:
                    executor = executor or _executor(workers, dask, plan.job)
                    if not fresh:
                        _validate(executor, plan, todo, reporter)
                    _solve(executor, folder, todo, reporter, summary)
            except KeyboardInterrupt:
                summary.interrupted = True
            except SweepError as err:
                summary.failure = str(err)
            abandon = summary.interrupted or bool(summary.failure)
            summary.warnings = plan.warnings
            reporter.finish()
            records = folder.records(s.id for s in plan.scenarios)
            summary.counts = dict(Counter(r["status"] for r in records.values()))
            summary.wall_seconds = time.perf_counter() - started
            _write_tables(folder.path, plan, records, _manifest(plan, executor, summary, started_at))
    finally:
        reporter.finish()
        if executor is not None:
            executor.close(abandon=abandon)
    return summary


def _write_tables(folder: Path, plan: Plan, records: dict[str, dict], manifest: dict) -> None:
    base = plan.base.instance
    options = plan.spec.spec.options
    extra = extra_columns(distinct_options(plan.spec, plan.scenarios))
    scenarios = scenario_table(plan.scenarios, records, base, swept_paths(plan.spec), options, extra)
    write_outputs(folder, scenarios, lever_table(plan.scenarios, records), manifest)


def fingerprint(options: SolveOptions, sweep_options: Options | None = None) -> dict[str, Any]:
    """What besides the instance and the overrides decides a scenario's answer: part of its id.

    The spec's ``options:`` block is part of it when it sets anything (ids of specs without
    one stay as they were); swept options are overrides, hashed with the others.
    """
    found = {
        "model": f"dealopt {__version__}",
        "solver": f"{SOLVER_NAME} {solver_version()}",
        "options": options.as_dict(),
    }
    if sweep_options is not None and sweep_options.model_fields_set:
        found["sweep_options"] = sweep_options.model_dump(mode="json")
    return found


def default_workers() -> int:
    """The CPUs this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


# -- phases ----------------------------------------------------------------------------------


def _validate(executor, plan: Plan, todo: list[Scenario], reporter: Reporter) -> None:
    """Validate every scenario before solving any: raise InputError, or note the warnings in ``plan``."""
    reporter.start("validating", len(todo))
    found = []
    chunks = [[(s.ordinal, s.overrides) for s in part] for part in _chunks(todo, VALIDATION_CHUNK)]
    by_ordinal = {s.ordinal: s for s in todo}
    for chunk, findings in _run_chunks(executor, validate_chunk, chunks):
        found += [(by_ordinal[ordinal], problems, warnings) for ordinal, problems, warnings in findings]
        reporter.advance(len(chunk))
    _judge(plan, found)


def _judge(plan: Plan, found: list[tuple[Scenario, list[Problem], list[Problem]]]) -> None:
    """Raise InputError with each distinct problem once, located in the spec; else set ``plan.warnings``.

    A scenario repeats the base instance's own warnings: those are reported once, as the base's.
    """
    found.sort(key=lambda item: item[0].ordinal)
    failures = [(scenario, problems) for scenario, problems, _ in found if problems]
    if failures:
        raise InputError(locate_problems(plan.spec, failures))
    base = set(plan.base.warnings)
    own = [(scenario, [w for w in warnings if w not in base]) for scenario, _, warnings in found]
    plan.warnings = plan.base.warnings + locate_problems(plan.spec, [(s, w) for s, w in own if w])


def _solve(executor, folder: SweepFolder, todo: list[Scenario], reporter: Reporter, summary: SweepSummary) -> None:
    """Solve the scenarios, recording each chunk as it comes back and counting it in ``summary.solved``."""
    reporter.start("solving", len(todo))
    size = max(1, min(MAX_CHUNK, len(todo) // (executor.slots * 4)))
    chunks = [[(s.id, s.overrides) for s in part] for part in _chunks(todo, size)]
    for _, records in _run_chunks(executor, solve_chunk, chunks):
        folder.record(records)
        summary.solved += len(records)
        reporter.advance(len(records))


def _chunks(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _run_chunks(executor, function: Callable, chunks: Iterable[list]) -> Iterator[tuple[list, Any]]:
    """(chunk, result) as results come back, with a few chunks per worker in flight."""
    waiting = iter(chunks)
    running: dict[Any, list] = {}
    while True:
        while len(running) < executor.slots and (chunk := next(waiting, None)) is not None:
            running[executor.submit(function, chunk)] = chunk
        if not running:
            return
        for future in executor.wait_first(list(running)):
            yield running.pop(future), executor.result(future)


# -- executors -------------------------------------------------------------------------------


def _executor(workers: int | None, dask: str | None, job: Job):
    if dask is not None:
        return DaskWorkers(dask, job)
    return LocalWorkers(workers or default_workers(), job)


class LocalWorkers:
    """Worker processes on this machine, started by a fork server that has imported dealopt once.

    Each worker ignores Ctrl-C and loads the job when it starts.
    """

    def __init__(self, workers: int, job: Job):
        self.workers = workers
        self.slots = CHUNKS_PER_WORKER * workers
        self.job_key = job.key
        self.pool = concurrent.futures.ProcessPoolExecutor(
            workers,
            mp_context=process_context("optimizer.sweep.worker"),
            initializer=install,
            initargs=(job, os.getpid()),
        )

    def describe(self) -> dict:
        return {"kind": "processes", "workers": self.workers}

    def submit(self, function: Callable, chunk: list):
        return self.pool.submit(function, self.job_key, chunk)

    @staticmethod
    def wait_first(futures: list) -> set:
        return concurrent.futures.wait(futures, return_when=concurrent.futures.FIRST_COMPLETED).done

    @staticmethod
    def result(future):
        try:
            return future.result()
        except BrokenProcessPool as err:
            raise SweepError(f"a worker process died ({err}); the scenarios it was solving are not saved") from None

    def close(self, abandon: bool) -> None:
        """Shut the workers down; when abandoning, kill them without waiting for their chunks."""
        if abandon:
            for process in list(getattr(self.pool, "_processes", {}).values()):
                process.kill()
        self.pool.shutdown(wait=True, cancel_futures=True)


def process_context(preload: str):
    """Fork-server processes where the platform has them (they start fast, and from a process without
    threads), with the module ``preload`` imported once in the server; spawned processes elsewhere."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([preload])
    return context


class DaskWorkers:
    """The workers of an existing Dask cluster; the job is sent to every worker once."""

    def __init__(self, address: str, job: Job):
        try:
            import distributed
        except ImportError:
            raise SweepError('--dask needs Dask: pip install "dealopt[dask]"') from None
        self.distributed = distributed
        self.address = address
        try:
            self.client = distributed.Client(address, timeout="10s")
        except OSError as err:
            raise SweepError(f"cannot reach the Dask scheduler at {address}: {err}") from None
        self.threads = sum(self.client.nthreads().values())
        self.slots = CHUNKS_PER_WORKER * max(1, self.threads)
        self.job = self.client.scatter(job, broadcast=True, hash=False)
        self._futures: list = []

    def describe(self) -> dict:
        return {"kind": "dask", "address": self.address, "workers": self.threads}

    def submit(self, function: Callable, chunk: list):
        future = self.client.submit(function, self.job, chunk, pure=False)
        self._futures.append(future)
        return future

    def wait_first(self, futures: list) -> set:
        try:
            return self.distributed.wait(futures, return_when="FIRST_COMPLETED").done
        except self.distributed.utils.CancelledError as err:  # the scheduler went away
            raise SweepError(f"the Dask cluster dropped the sweep's chunks ({err})") from None

    def result(self, future):
        self._futures.remove(future)
        try:
            return future.result()
        except self.distributed.utils.CancelledError as err:
            raise SweepError(f"the Dask cluster dropped a chunk ({err})") from None

    def close(self, abandon: bool) -> None:
        if abandon and self._futures:
            self.client.cancel(self._futures)
        self.client.close()


# -- manifest --------------------------------------------------------------------------------


def _manifest(plan: Plan, executor, summary: SweepSummary, started_at: str) -> dict:
    return {
        "spec": {"file": str(plan.spec.path.resolve()), "content": plan.spec.document.data},
        "base": {
            "file": str(Path(plan.base.file).resolve()),
            "name": plan.base.instance.name,
            "content_hash": plan.instance_hash,
        },
        "versions": _versions(),
        "options": plan.options.as_dict(),
        "executor": executor.describe() if executor is not None else None,
        "scenarios": summary.total,
        "counts": summary.counts | {"missing": summary.missing},
        "complete": summary.missing == 0,
        "solved_this_run": summary.solved,
        "interrupted": summary.interrupted,
        "failure": summary.failure or None,
        "warnings": [str(warning) for warning in summary.warnings],
        "started_at": started_at,
        "finished_at": _now(),
        "wall_seconds": round(summary.wall_seconds, 3),
    }


def _versions() -> dict[str, str]:
    versions = {"dealopt": __version__, "python": platform.python_version(), "highs": solver_version()}
    for package in ("pyomo", "highspy", "pydantic", "pandas", "pyarrow"):
        try:
            versions[package] = version(package)
        except PackageNotFoundError:
            versions[package] = "unknown"
    return versions


def _digest(instance_hash: str, options: SolveOptions, sweep_options: Options) -> str:
    text = f"{instance_hash}:{sorted(options.as_dict().items())}:{sweep_options.model_dump_json()}"
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
