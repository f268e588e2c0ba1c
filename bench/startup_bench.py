"""Start-up benchmark: each command as a fresh process, medians beside baselines measured in the same run.

    .venv/bin/python bench/startup_bench.py [--runs 7]

Every command and every baseline is run ``--runs`` times, interleaved round by
round so that a change in the machine's load hits all of them alike. A run is
the wall time of a whole process, Python start-up included. The baselines are
the least any implementation could do: start Python, or start it and import
the libraries the command cannot do without. ``solve --no-save`` prints its
tables in the terminal and writes nothing, so it needs Pyomo and HiGHS but
neither pandas nor matplotlib.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DEALOPT = [PYTHON, "-m", "optimizer"]

BASELINES = {
    "python -c pass": [PYTHON, "-c", "pass"],
    "import pydantic, yaml": [PYTHON, "-c", "import pydantic, yaml"],
    "import pyomo.environ, highspy": [PYTHON, "-c", "import pyomo.environ, highspy"],
}
CASES = [
    # (command, its baseline, the target: at most this many seconds above the baseline)
    ("dealopt --version", "python -c pass", 0.15),
    ("dealopt --help", "python -c pass", 0.15),
    ("dealopt validate instances/us_japan_2025.yaml", "import pydantic, yaml", 0.30),
    ("dealopt solve instances/tutorial.yaml --no-save", "import pyomo.environ, highspy", 0.35),
]


def argv(command: str) -> list[str]:
    return BASELINES.get(command) or [*DEALOPT, *command.split()[1:]]


def wall_time(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="Fresh processes per command (default 7).")
    runs = parser.parse_args().runs
    commands = [*BASELINES, *(case[0] for case in CASES)]
    times: dict[str, list[float]] = {c: [] for c in commands}
    for command in commands:  # one untimed run each: file-system caches and .pyc files are warm for all
        wall_time(argv(command))
    for _ in range(runs):
        for command in commands:
            times[command].append(wall_time(argv(command)))
    median = {c: statistics.median(t) for c, t in times.items()}
    load = f"load average {os.getloadavg()[0]:.2f}" if hasattr(os, "getloadavg") else ""
    print(f"medians of {runs} fresh processes each, {os.cpu_count()} CPUs, {load}")
    print(f"{'command':<52} {'median':>8}  {'baseline':<30} {'median':>8} {'diff':>7} {'target':>7}")
    for command, baseline, target in CASES:
        diff = median[command] - median[baseline]
        verdict = "ok" if diff <= target else "MISSED"
        print(
            f"{command:<52} {median[command]:>7.3f}s  {baseline:<30} {median[baseline]:>7.3f}s "
            f"{diff:>+6.3f}s {target:>6.2f}s {verdict}"
        )


if __name__ == "__main__":
    main()
