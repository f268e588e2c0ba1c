"""Sensitivity benchmark: verified solves per reported interval against a naive sweep that finds the same ends.

    .venv/bin/python bench/sensitivity_bench.py            # the flagship and a 50-lever generated instance

For each instance it runs ``analyse`` (the flagship's judgements; on the generated instance,
which has no provenance, every weight, threshold and cap and the first ten coefficients) and
counts the solves it made. The baseline, from the same run's intervals, is the smallest naive
sweep that finds the same ends to the same precision: a grid of step 1e-6 x max(1, |end|)
from the number's value out to each end where the recommendation changes. Ends at a limit of
the spec are left out of the baseline (a naive sweep would have to cover up to 1e9 to find
them), so the ratio printed is a lower bound. Target: at least 20 times fewer solves.
"""

from __future__ import annotations

import os
import time

from optimizer.generate import generate_instance
from optimizer.instance import load
from optimizer.paths import model_numbers
from optimizer.sensitivity.analysis import analyse
from optimizer.tolerance import tolerance

TARGET = 20.0


def naive_solves(interval) -> float:
    """Solves of a grid fine enough to find the interval's changing ends, swept from its value."""
    ends = [end for end in (interval.low, interval.high) if end.beyond is not None]
    return sum(max(1.0, abs(end.value - interval.value) / tolerance(end.value)) for end in ends)


def generated_paths(instance) -> list[str]:
    numbers = model_numbers(instance)
    chosen = [p for p in numbers if p.split(".")[0] in {"constituencies", "offers", "demands", "red_lines"}]
    coefficients = [p for p in numbers if p.startswith("levers.")][:10]
    return chosen + coefficients


def report(name: str, loaded, paths=None) -> float:
    started = time.perf_counter()
    found = analyse(loaded, paths)
    seconds = time.perf_counter() - started
    ours = found.solves
    naive = sum(naive_solves(interval) for interval in found.intervals)
    changing = sum(end.beyond is not None for i in found.intervals for end in (i.low, i.high))
    ratio = naive / ours
    print(f"{name}: {len(found.intervals)} intervals ({changing} ends where the recommendation changes)")
    print(f"  sensitivity: {ours} verified solves, {ours / len(found.intervals):.1f} per interval, {seconds:.1f} s")
    print(f"  naive sweep to the same ends (1e-6): {naive:.3g} solves, {naive / len(found.intervals):.3g} per interval")
    print(f"  ratio: {ratio:.3g}x fewer solves (target {TARGET:g}x: {'met' if ratio >= TARGET else 'NOT met'})")
    return ratio


def main() -> None:
    print("load average (1, 5, 15 min): " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))
    report("flagship (us_japan_2025)", load("instances/us_japan_2025.yaml"))
    generated = load(generate_instance(levers=50))
    report("generated, 50 levers", generated, generated_paths(generated.instance))


if __name__ == "__main__":
    main()
