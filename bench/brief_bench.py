"""Benchmark of the brief: what each part of ``dealopt solve --brief-with`` adds to a plain solve, in one run.

For each instance, the wall time of the solve, of the seven-section brief, and of each optional
analysis (acceptance, frontier, sensitivity), each the median over ``--runs`` runs, and each
divided by the solve's time measured in the same run. Note the machine's load beside the figures.

    .venv/bin/python bench/brief_bench.py [--runs 1] [FILE ...]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from importlib import import_module

from optimizer.api import solve_loaded
from optimizer.brief import build_brief
from optimizer.brief.analyses import MODULES, applicable
from optimizer.instance import load
from optimizer.solver import SolveOptions

INSTANCES = ["instances/us_japan_2025.yaml", "instances/uk_us_2025.yaml"]
OPTIONS = SolveOptions()


def timed(work, runs: int) -> float:
    """The median wall time of ``work()`` over ``runs`` runs, in seconds."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def bench(path: str, runs: int) -> None:
    loaded = load(path)
    result = solve_loaded(loaded, OPTIONS)
    figures = {
        "solve": timed(lambda: solve_loaded(loaded, OPTIONS), runs),
        "brief (7 sections)": timed(lambda: build_brief(loaded, result, OPTIONS), runs),
    }
    for name in applicable(loaded.instance):
        part = import_module(f"optimizer.brief.{MODULES[name]}").part
        figures[name] = timed(lambda part=part: part(loaded, result, OPTIONS), runs)
    base = figures["solve"]
    print(f"{path} (median of {runs}; load average {os.getloadavg()[0]:.2f})")
    for name, seconds in figures.items():
        print(f"  {name:20} {seconds:8.2f} s  {seconds / base:8.1f}x the solve")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", default=INSTANCES)
    parser.add_argument("--runs", type=int, default=1)
    arguments = parser.parse_args()
    for path in arguments.files:
        bench(path, arguments.runs)


if __name__ == "__main__":
    main()
