"""Benchmark of the chance of acceptance (issue 13): HiGHS time against the deterministic solve, in one run.

Each figure is the median HiGHS time over 20 runs, each on a freshly built model, divided by the
median of deterministic solves of the flagship run between them (the machine's load then weighs on both) (targets: exact discrete
<= 5x, exact_tol <= 5x, SAA with 1,000 scenarios <= 10x; a target also counts as met under 50 ms).
SAA runs on three sets of beliefs: the issue's own example (a discrete and a uniform threshold joined
by a copula), the flagship's own (discrete: a few distinct sampled values per threshold) and three
continuous laws (every sampled value distinct on every threshold, so about 600 level binaries at
N = 1,000: the stress case).
The chance solves are the car deal's tier at P >= 0.8; exact_tol and the curve count every MILP.

    .venv/bin/python bench/chance_bench.py [--runs 20]
"""

from __future__ import annotations

import argparse
import copy
import statistics

from optimizer.chance.conditions import at_means, conditions_of
from optimizer.chance.curve import acceptance_curve
from optimizer.chance.probability import draw
from optimizer.chance.solve import TierSolver, method_of
from optimizer.instance import load
from optimizer.solver import PersistentModel, SolveOptions
from optimizer.yamlfile import read_file

FLAGSHIP = "instances/us_japan_2025.yaml"
OPTIONS = SolveOptions()
TARGET = 0.8
SAA_TIME_LIMIT = 120.0
"""Seconds HiGHS may take on one sampled MILP before the figure is reported as unsettled."""


def flagship(beliefs: dict | None) -> dict:
    data = copy.deepcopy(read_file(FLAGSHIP).data)
    if beliefs is not None:
        data["beliefs"] = beliefs
    return data


def ten_levels(path: str, point: float) -> dict:
    """A discrete law of 10 support points from 0.6 to 1.5 times the point estimate, peaked near it."""
    values = [round(point * (0.6 + 0.1 * k), 6) for k in range(10)]
    weights = [1, 2, 4, 6, 8, 6, 4, 3, 2, 1]
    probs = [w / sum(weights) for w in weights]
    probs[-1] = 1 - sum(probs[:-1])
    return {"path": path, "discrete": {"values": values, "probs": probs}}


DISCRETE = {
    "deficit": ten_levels("offers.car_deal.requires.deficit_cut", 14),
    "investment": ten_levels("offers.car_deal.requires.investment", 300),
    "access": ten_levels("offers.car_deal.requires.market_access", 30),
    "symbolic": ten_levels("offers.car_deal.requires.symbolic", 25),
    "farm_cap": ten_levels("red_lines.farmers_pain_cap.max", 5),
}
CONTINUOUS = {
    "deficit": {"path": "offers.car_deal.requires.deficit_cut", "uniform": {"low": 10, "high": 20}},
    "investment": {"path": "offers.car_deal.requires.investment", "triangular": {"low": 200, "mode": 300, "high": 550}},
    "symbolic": {"path": "offers.car_deal.requires.symbolic", "normal": {"mean": 25, "sd": 5}},
}
COPULA = CONTINUOUS | {"correlation": {"names": ["deficit", "investment"], "matrix": [[1, 0.6], [0.6, 1]]}}
ISSUE_EXAMPLE = {
    "car_investment": {
        "path": "offers.car_deal.requires.investment",
        "discrete": {"values": [250, 300, 400, 550], "probs": [0.2, 0.4, 0.3, 0.1]},
    },
    "car_deficit": {"path": "offers.car_deal.requires.deficit_cut", "uniform": {"low": 10, "high": 20}},
    "base_symbolic": {
        "path": "offers.baseline_deal.requires.symbolic",
        "triangular": {"low": 5, "mode": 10, "high": 20},
    },
    "correlation": {"names": ["car_investment", "car_deficit"], "matrix": [[1, 0.6], [0.6, 1]]},
}
"""The beliefs of the issue's own example: a discrete investment ask and a uniform deficit ask joined by a
Gaussian copula (one threshold with a distinct value per scenario)."""
OWN_COPULA = copy.deepcopy(read_file(FLAGSHIP).data["beliefs"]) | {
    "correlation": {"names": ["car_investment", "car_deficit"], "matrix": [[1, 0.6], [0.6, 1]]}
}
"""The flagship's own beliefs (discrete, a few values each), the car deal's investment and deficit asks
joined by a Gaussian copula: the sampled method, with few distinct sampled values per threshold."""


def deterministic_seconds() -> float:
    """HiGHS seconds of one deterministic solve of the flagship, on a freshly built model."""
    return PersistentModel(load(flagship({})).instance).solve(OPTIONS).solve_seconds


def chance_time(
    beliefs: dict, runs: int, samples: int = 1000, options: SolveOptions = OPTIONS
) -> tuple[float, float, str, int]:
    """Median HiGHS seconds of the car deal's least-cost package at P >= 0.8, the median of deterministic
    solves run between them (so that both see the same load on a shared machine), the method and MILPs
    (raises when HiGHS does not settle it within the options' time limit)."""
    loaded = at_means(load(flagship(beliefs)))
    method = method_of(loaded.instance)
    among = conditions_of(loaded.instance, "car_deal")
    times, bases, milps = [], [], 0
    for run in range(runs):
        scenarios = draw(loaded.instance, samples, run) if method == "sampled" else {}
        solver = TierSolver(loaded, "car_deal", among, method, options, run, scenarios)
        bases.append(deterministic_seconds())
        answer = solver.least_cost(TARGET)
        assert answer is not None and not answer.evaluation.violations
        times.append(solver.seconds)
        milps = solver.solves
    return statistics.median(times), statistics.median(bases), method, milps


def verdict(ratio: float, seconds: float, target: float) -> str:
    return "met" if ratio <= target or seconds < 0.05 else "NOT met"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    runs = parser.parse_args().runs
    print(f"median HiGHS time over {runs} runs; each ratio against deterministic flagship solves run in between")
    for label, beliefs, target in (
        ("exact discrete, 5 thresholds x 10 levels", DISCRETE, 5),
        ("exact_tol, 3 continuous laws", CONTINUOUS, 5),
    ):
        seconds, base, method, milps = chance_time(beliefs, runs)
        print(
            f"{label}: {method}, {milps} MILP(s), median {seconds * 1000:.1f} ms / {base * 1000:.1f} ms "
            f"= {seconds / base:.2f}x (target {target}x: {verdict(seconds / base, seconds, target)})"
        )
    for label, beliefs in (
        ("the issue's example beliefs (discrete and uniform joined by a copula)", ISSUE_EXAMPLE),
        ("the flagship's own discrete beliefs, two joined by a copula", OWN_COPULA),
        ("3 continuous laws, two joined by a copula (stress case)", COPULA),
    ):
        for samples, repeats in ((100, runs), (1000, runs), (10000, 1)):
            try:
                seconds, base, _, _ = chance_time(beliefs, repeats, samples, SolveOptions(time_limit=SAA_TIME_LIMIT))
            except Exception as err:  # noqa: BLE001 - a time limit is a figure too
                print(f"SAA, {label}, N = {samples:,}: not settled within {SAA_TIME_LIMIT:g} s ({err})")
                continue
            target = " (target 10x: " + verdict(seconds / base, seconds, 10) + ")" if samples == 1000 else ""
            print(
                f"SAA, {label}, N = {samples:,} ({repeats} runs): median {seconds * 1000:.1f} ms / "
                f"{base * 1000:.1f} ms = {seconds / base:.2f}x{target}"
            )
    curve = acceptance_curve(load(FLAGSHIP), OPTIONS)
    deals = [p for p in curve.points if p is not curve.walk_away]
    print(
        f"flagship curve: {curve.milps} MILPs for {len(curve.points)} points ({len(deals)} breakpoints of deal tiers, "
        f"walk-away 1): {curve.milps / len(curve.points):.2f} per point (target 2)"
    )


if __name__ == "__main__":
    main()
