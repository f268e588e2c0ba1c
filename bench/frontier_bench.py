"""The frontier's cost against one deterministic solve of the same instance, measured in the same run.

For the flagship and generated instances (50 levers, with targets; 200 levers, reported without
one): frontier points, MILPs and LPs, and time per point over the time of one solve.
Targets (issue 14): MILPs <= 2 per point + 1; time per point <= 3x a solve.

    .venv/bin/python bench/frontier_bench.py [--levers 50 200]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

from optimizer.api import solve_loaded
from optimizer.frontier.walk import frontier
from optimizer.generate import generate_instance
from optimizer.instance import load
from optimizer.solver import SolveOptions

SOLVES = 3
"""One solve is timed as the median of this many (build, solve and check each time)."""


def measure(name: str, loaded, target: bool) -> None:
    options = SolveOptions()
    timings = []
    for _ in range(SOLVES):
        started = time.perf_counter()
        result = solve_loaded(loaded, options)
        timings.append(time.perf_counter() - started)
    solve_seconds = statistics.median(timings)
    started = time.perf_counter()
    walked = frontier(loaded, options)
    seconds = time.perf_counter() - started
    points = max(1, len(walked.points))
    milp_ratio = walked.milps / (2 * points + 1)
    time_ratio = seconds / points / solve_seconds
    verdict = (
        f"MILPs {'ok' if milp_ratio <= 1 else 'over'}, time {'ok' if time_ratio <= 3 else 'over'}"
        if target
        else "no target"
    )
    print(
        f"{name}: solve {result.status} in {solve_seconds:.3g} s (median of {SOLVES}); frontier "
        f"{'complete' if walked.complete else 'partial'}, {len(walked.points)} points "
        f"({sum(p.closed for p in walked.points)} closed), {len(walked.segments)} segments, {walked.milps} MILPs "
        f"({walked.milps / points:.3g} a point), {walked.lps} LPs in {seconds:.3g} s; "
        f"MILPs / (2 x points + 1) = {milp_ratio:.3g}; time per point / solve = {time_ratio:.3g} ({verdict}); "
        f"load average {os.getloadavg()[0]:.2f}",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--levers", type=int, nargs="*", default=[50, 200])
    args = parser.parse_args()
    measure("flagship us_japan_2025", load("instances/us_japan_2025.yaml"), target=True)
    for levers in args.levers:
        loaded = load(generate_instance(levers=levers, seed=0, counterpart=True))
        measure(f"generated {levers} levers", loaded, target=levers <= 50)


if __name__ == "__main__":
    main()
