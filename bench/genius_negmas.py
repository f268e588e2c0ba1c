"""NegMAS's exact Pareto frontier of a GENIUS domain, run inside NegMAS's own environment by bench/genius_bench.py.

NegMAS is AGPL-licensed: it is never a dependency of dealopt and nothing of dealopt imports it;
the benchmark runs this script with the interpreter of a separate virtual environment and reads
one JSON object from its stdout: the seconds spent after loading, the outcome count and the
frontier's (ours, theirs) utilities.

    python genius_negmas.py DOMAIN OURS THEIRS
"""

import json
import sys
import time

from negmas.inout import Scenario
from negmas.preferences import pareto_frontier


def main(domain: str, ours: str, theirs: str) -> None:
    started = time.perf_counter()
    scenario = Scenario.from_genius_files(domain, [ours, theirs], ignore_discount=True)
    loaded = time.perf_counter()
    points, _ = pareto_frontier(scenario.ufuns, issues=scenario.outcome_space.issues, sort_by_welfare=False)
    done = time.perf_counter()
    frontier = sorted({(float(a), float(b)) for a, b in points}, key=lambda p: (-p[0], -p[1]))
    json.dump(
        {
            "load_seconds": loaded - started,
            "frontier_seconds": done - loaded,
            "outcomes": int(scenario.outcome_space.cardinality),
            "frontier": frontier,
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main(*sys.argv[1:4])
