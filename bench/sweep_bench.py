"""Sweep benchmark: per-scenario cost against direct highspy, worker scaling, and memory.

    .venv/bin/python bench/sweep_bench.py                       # 1,000 scenarios on each instance
    .venv/bin/python bench/sweep_bench.py --scenarios 200 --generated-scenarios 20
    .venv/bin/python bench/sweep_bench.py --memory 10000        # also the 10,000-scenario RSS check

For each instance (the flagship, else the toy; and a generated one with
``--levers`` levers) it measures, in one run on one machine, the cost per
scenario of:

- **sweep**: everything a sweep worker does to solve a scenario (build its
  instance, update the persistent model, solve, extract, verify) plus what the
  parent does (record it in SQLite, a chunk per transaction), split by stage;
- **validation pass**: what a sweep does for a scenario before solving any
  (override, validate, warn); reported on its own and added to the sweep's cost;
- **core persistent**: the same with the core ``PersistentModel`` update and
  solve (Pyomo's default per-solve path), for reference;
- **rebuild**: override and validate, then build a new Pyomo model and solve it
  (what a loop over ``dealopt solve --set`` does);
- **highspy**: the same MILP built once with highspy and re-solved with changed
  coefficients and bounds (``bench/direct_highs.py``): the floor.

Every answer is compared with highspy's. Then it runs the whole sweep
(``run_sweep``) with 1 and 2 workers and compares throughput, and, with
``--memory N``, runs an N-scenario sweep on 2 workers while sampling the
resident memory of the parent and its workers. Each measurement is repeated
``--repeats`` times, alternating, and the best run counts: other work on the
machine only ever adds time.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import math
import os
import sys
import tempfile
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))

from direct_highs import DirectModel  # noqa: E402

from optimizer.api import check, solve_loaded  # noqa: E402
from optimizer.generate import generate_instance  # noqa: E402
from optimizer.instance import (  # noqa: E402
    apply_overrides,  # noqa: E402
    content_hash,
    load,
)
from optimizer.solver import PersistentModel, SolveOptions  # noqa: E402
from optimizer.sweep import load_spec, run_sweep  # noqa: E402
from optimizer.sweep.resolver import ScenarioModel  # noqa: E402
from optimizer.sweep.runner import MAX_CHUNK, fingerprint  # noqa: E402
from optimizer.sweep.scenarios import expand  # noqa: E402
from optimizer.sweep.store import SweepFolder  # noqa: E402
from optimizer.sweep.worker import Job, WorkerState, outcome_record  # noqa: E402
from optimizer.tolerance import objectives_agree  # noqa: E402
from optimizer.yamlfile import dump  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
FLAGSHIP = ROOT / "instances" / "us_japan_2025.yaml"
TOY = ROOT / "tests" / "data" / "toy.yaml"
OPTIONS = SolveOptions()
HIGHS_OPTIONS = {
    "threads": 1,
    "mip_rel_gap": OPTIONS.gap,
    "mip_abs_gap": 0.0,
    "random_seed": OPTIONS.seed,
    "mip_feasibility_tolerance": 1e-9,
    "time_limit": math.inf,
}
"""What the core solver sets (optimizer/solver.py), so every path solves the same problem."""

GRIDS = {
    "us_japan_2025": [
        ("constituencies.farmers.weight", 1.0, 5.5),
        ("offers.car_deal.requires.investment", 100.0, 550.0),
        ("offers.car_deal.requires.deficit_cut", 6.0, 24.0),
    ],
    "toy-deal": [
        ("constituencies.farmers.weight", 0.5, 8.0),
        ("offers.deal_15.requires.investment", 50.0, 500.0),
        ("offers.deal_15.requires.deficit_cut", 1.0, 9.0),
    ],
}


def generated_grid(instance) -> list[tuple[str, float, float]]:
    """Weights, a deal threshold and a cost cap of the generated instance, around their base values."""
    requirement = instance.offer_items["deal_high"].requires["deficit_cut"]
    cap = instance.red_line("cap_group_0").max
    return [
        ("constituencies.group_0.weight", 0.5, 3.0),
        ("offers.deal_high.requires.deficit_cut", 0.7 * requirement, 1.3 * requirement),
        ("red_lines.cap_group_0.max", 0.7 * cap, 1.3 * cap),
    ]


def write_spec(folder: Path, base: Path, grid: list[tuple[str, float, float]], scenarios: int) -> Path:
    """A grid spec of about ``scenarios`` scenarios (the first two paths get the cube root each)."""
    side = max(1, round(scenarios ** (1 / 3)))
    counts = [side, side, max(1, math.ceil(scenarios / side**2))]
    lines = [f"base: {base}", "grid:"]
    lines += [
        f"  {path}: {{from: {low!r}, to: {high!r}, num: {n}}}"
        for (path, low, high), n in zip(grid, counts, strict=True)
    ]
    spec = folder / f"{base.stem}_{scenarios}.yaml"
    spec.write_text("\n".join(lines) + "\n")
    return spec


# -- per-scenario costs in one process ------------------------------------------------------------


@contextlib.contextmanager
def stdout_to_null():
    """Send what C code prints on file descriptor 1 to /dev/null."""
    sys.stdout.flush()
    saved = os.dup(1)
    with open(os.devnull, "wb") as null:
        os.dup2(null.fileno(), 1)
    try:
        yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)


class SweepPath:
    """What a sweep does for a scenario: the worker's steps, timed by stage, then the parent's record."""

    STAGES = ("instance", "update", "solve (HiGHS)", "extract", "verify", "record")

    def __init__(self, base, job: Job, folder: SweepFolder, last_id: str):
        self.base, self.folder, self.last_id = base, folder, last_id
        self.state = WorkerState(job)
        self.model = self.state.model = ScenarioModel(base.instance)
        self.model.solve(OPTIONS)
        self.stages = dict.fromkeys(self.STAGES, 0.0)
        self.finished: list[dict] = []

    def __call__(self, scenario) -> float | None:
        t0 = time.perf_counter()
        instance = self.state.instance(scenario.overrides, validated=True)  # as solve_chunk: after validation
        t1 = time.perf_counter()
        self.model.load(instance, scenario.overrides)
        t2 = time.perf_counter()
        run = self.model.solve(OPTIONS)
        t3 = time.perf_counter()
        result = check(instance, run)
        t4 = time.perf_counter()
        self.finished.append(outcome_record(scenario.id, result))
        if len(self.finished) == MAX_CHUNK or scenario.id == self.last_id:  # the parent records chunk by chunk
            self.folder.record(self.finished)
            self.finished = []
        t5 = time.perf_counter()
        times = (t1 - t0, t2 - t1, run.solve_seconds, t3 - t2 - run.solve_seconds, t4 - t3, t5 - t4)
        for stage, seconds in zip(self.STAGES, times, strict=True):
            self.stages[stage] += seconds
        return result.objective


def per_scenario(spec_path: Path, limit: int, rounds: int) -> dict:
    """Each path solves every scenario in a block of its own; blocks alternate for ``rounds`` rounds.

    The best round of each path counts: other work on the machine only ever adds time.
    """
    spec = load_spec(spec_path)
    base = load(spec.base_path)
    scenarios = expand(spec, base.instance, fingerprint(OPTIONS), content_hash(base.instance))[:limit]
    job = Job("bench", base.document, spec.base_path.stem, OPTIONS)

    def core_persistent():
        core = PersistentModel(base.instance)

        def step(scenario):
            loaded = apply_overrides(base, scenario.overrides)
            core.update(loaded.instance)
            return check(loaded.instance, core.solve(OPTIONS)).objective

        return step

    def rebuild():
        return lambda scenario: solve_loaded(apply_overrides(base, scenario.overrides), OPTIONS).objective

    def validation_pass():
        state = WorkerState(job)
        return lambda scenario: state.validate(scenario.overrides) and None

    def highspy():
        direct = DirectModel(base.instance, HIGHS_OPTIONS)

        def step(scenario):
            direct.set_numbers({path: float(value) for path, value in scenario.overrides})
            return direct.solve()[1]

        step.direct = direct
        return step

    best: dict[str, tuple[float, object]] = {}
    answers: dict[str, list] = {}
    with tempfile.TemporaryDirectory() as out, SweepFolder(Path(out)) as folder, stdout_to_null():
        for _ in range(rounds):
            makers = {
                "sweep": lambda: SweepPath(base, job, folder, scenarios[-1].id),
                "validation pass": validation_pass,
                "core persistent": core_persistent,
                "rebuild": rebuild,
                "highspy": highspy,
            }
            for name, make in makers.items():
                gc.collect()  # no path pays for the garbage of the one before
                step = make()
                started = time.perf_counter()
                found = [step(scenario) for scenario in scenarios]
                seconds = time.perf_counter() - started
                answers.setdefault(name, found)
                if name not in best or seconds < best[name][0]:
                    best[name] = (seconds, step)
    n = len(scenarios)
    return {
        "instance": base.instance.name,
        "levers": len(base.instance.levers),
        "scenarios": n,
        "rounds": rounds,
        **{name: seconds / n for name, (seconds, _) in best.items()},
        "highspy run": best["highspy"][1].direct.run_seconds / n,
        "stages": {stage: total / n for stage, total in best["sweep"][1].stages.items()},
        "disagree": {
            name: _disagreements(found, answers["highspy"])
            for name, found in answers.items()
            if name not in ("highspy", "validation pass")
        },
    }


def _disagreements(objectives: list, reference: list) -> int:
    return sum(
        (a is None) != (b is None) or (a is not None and not objectives_agree(a, b))
        for a, b in zip(objectives, reference, strict=True)
    )


def print_costs(row: dict) -> None:
    ms = {key: row[key] * 1e3 for key in ("sweep", "validation pass")}
    ms["sweep + validation"] = ms["sweep"] + ms["validation pass"]
    ms |= {key: row[key] * 1e3 for key in ("core persistent", "rebuild", "highspy")}
    print(
        f"\n{row['instance']} ({row['levers']} levers), {row['scenarios']} scenarios, per scenario (best of {row['rounds']} rounds):"
    )
    for key, value in ms.items():
        print(f"  {key:<20} {value:9.3f} ms   {value / ms['highspy']:5.2f}x highspy")
    stages = ", ".join(f"{stage} {seconds * 1e3:.3f}" for stage, seconds in row["stages"].items())
    print(f"  sweep by stage (ms): {stages}")
    print(
        f"  highspy: HiGHS run {row['highspy run'] * 1e3:.3f} ms, the rest {(row['highspy'] - row['highspy run']) * 1e3:.3f} ms"
    )
    print(f"  answers differing from highspy's: {row['disagree']} (of {row['scenarios']})")


# -- whole sweeps ----------------------------------------------------------------------------------


class Timing:
    """A reporter that notes when solving starts and ends, and samples memory as scenarios finish."""

    def __init__(self, sample_every: int = 0):
        self.sample_every = sample_every
        self.done = 0
        self.solving_started = self.solving_ended = None
        self.peaks: list[tuple[int, float]] = []
        self.process = psutil.Process()

    def start(self, phase: str, total: int) -> None:
        self.done = 0
        if phase == "solving":
            self.solving_started = time.perf_counter()

    def advance(self, count: int) -> None:
        before, self.done = self.done, self.done + count
        if self.solving_started and self.sample_every and before // self.sample_every != self.done // self.sample_every:
            self.peaks.append((self.done, self.rss()))

    def finish(self) -> None:
        self.solving_ended = self.solving_ended or time.perf_counter()

    def rss(self) -> float:
        """MiB resident in the parent and all its children."""
        total = 0
        for process in [self.process, *self.process.children(recursive=True)]:
            with contextlib.suppress(psutil.Error):  # a worker may exit between listing and reading
                total += process.memory_info().rss
        return total / 2**20


def whole_sweep(spec: Path, workers: int) -> dict:
    """One ``run_sweep`` into a fresh folder: wall time, and the time of its solving phase."""
    timing = Timing()
    with tempfile.TemporaryDirectory() as out:
        started = time.perf_counter()
        summary = run_sweep(spec, out=out, workers=workers, reporter=timing)
        wall = time.perf_counter() - started
    solving = timing.solving_ended - timing.solving_started
    return {"workers": workers, "scenarios": summary.total, "wall": wall, "solving": solving, "counts": summary.counts}


def scaling(spec: Path, repeats: int, highspy: float) -> None:
    """1 and 2 workers, alternately, ``repeats`` times each; the best run of each counts (others share the CPUs)."""
    runs = {1: [], 2: []}
    for _ in range(repeats):
        for workers in runs:
            runs[workers].append(whole_sweep(spec, workers))
    best = {workers: min(found, key=lambda run: run["solving"]) for workers, found in runs.items()}
    print(f"\nwhole sweep, {best[1]['scenarios']} scenarios ({best[1]['counts']}), best of {repeats}:")
    for workers, run in best.items():
        n = run["scenarios"]
        every = ", ".join(f"{other['solving']:.2f}" for other in runs[workers])
        print(
            f"  {workers} worker(s): wall {run['wall']:.2f} s ({n / run['wall']:.0f}/s),"
            f" solving phase {run['solving']:.2f} s ({n / run['solving']:.0f}/s);"
            f" all solving phases: {every} s"
        )
    print(
        f"  2 workers vs 1: {best[1]['solving'] / best[2]['solving']:.2f}x throughput (solving phase),"
        f" {best[1]['wall'] / best[2]['wall']:.2f}x (wall)"
    )
    one = best[1]
    for label, seconds in (("solving phase", one["solving"]), ("whole run", one["wall"])):
        per = seconds / one["scenarios"]
        print(f"  1 worker, {label}: {per * 1e3:.3f} ms per scenario, {per / highspy:.2f}x highspy")


def memory(spec: Path) -> None:
    timing = Timing(sample_every=500)
    with tempfile.TemporaryDirectory() as out:
        started = time.perf_counter()
        summary = run_sweep(spec, out=out, workers=2, reporter=timing)
        wall = time.perf_counter() - started
    first = max(rss for done, rss in timing.peaks if done <= 1000)
    peak = max(rss for _, rss in timing.peaks)
    print(f"\nmemory over {summary.total} scenarios on 2 workers ({wall:.1f} s wall, {summary.counts}):")
    print(
        f"  RSS of parent + workers: peak {first:.0f} MiB in the first 1,000, peak {peak:.0f} MiB overall ({peak / first - 1:+.1%})"
    )
    print(
        "  samples (scenarios done: MiB): "
        + ", ".join(f"{done}: {rss:.0f}" for done, rss in timing.peaks[:: max(1, len(timing.peaks) // 10)])
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenarios", type=int, default=1000, help="scenarios of the flagship (or toy) grid")
    parser.add_argument(
        "--generated-scenarios",
        type=int,
        default=None,
        help="scenarios of the generated instance's grid (default: --scenarios)",
    )
    parser.add_argument("--levers", type=int, default=500, help="levers of the generated instance (0 to skip it)")
    parser.add_argument("--repeats", type=int, default=3, help="rounds of each measurement; the best counts")
    parser.add_argument(
        "--memory",
        type=int,
        default=0,
        help="also run a sweep of this many flagship scenarios on 2 workers and report RSS",
    )
    args = parser.parse_args()
    flagship = FLAGSHIP if FLAGSHIP.exists() else TOY
    print(
        f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs (other work on the machine skews timings)"
    )
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        spec = write_spec(folder, flagship, GRIDS[load(flagship).instance.name], args.scenarios)
        costs = per_scenario(spec, args.scenarios, args.repeats)
        print_costs(costs)
        scaling(spec, args.repeats, costs["highspy"])
        if args.levers:
            data = generate_instance(levers=args.levers, seed=0)
            base = folder / f"generated_{args.levers}.yaml"
            base.write_text(dump(data))
            count = args.generated_scenarios or args.scenarios
            generated = write_spec(folder, base, generated_grid(load(base).instance), count)
            print_costs(per_scenario(generated, count, args.repeats))
        if args.memory:
            memory(write_spec(folder, flagship, GRIDS[load(flagship).instance.name], args.memory))
    print(f"\nload average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
