"""dealopt's exact frontier of GENIUS domains against NegMAS's, in one run.

    .venv/bin/python bench/genius_bench.py [--skip-negmas] [--largest 7]

Generated additive domains (bench/genius_domains.py, fixed seeds) of 10^5, 10^6 and 10^7
outcomes (5, 6 and 7 issues of 10 values, weights and evaluations uniform). On each, the
end-to-end time of ``dealopt frontier --genius ... --no-save --json`` and of NegMAS's exact
``pareto_frontier`` (bench/genius_negmas.py, run by the interpreter of NegMAS's own
environment), each in its own process, their peak memory (the process's maximum resident set,
from ``wait4``), and a check that both frontiers are the same under the same semantics
(each issue's largest evaluation 1 and ids from 1, where GENIUS and NegMAS agree). "Beyond start-up"
subtracts the same command's time on a 4-outcome domain. Then a 50-issue domain of 10 values
each (10^50 outcomes), uncorrelated and anti-correlated, by dealopt alone, and the MILP walk
against the merge on the 10^5 domain (the measurement behind the frontier's choice of method), and
a 10 x 10 hyper-rectangle domain (10^10 outcomes, ``rectangle_domain`` with the same seed) by
the MILP walk. "In the command" is dealopt's own ``run.total_seconds`` (after its imports).

NegMAS is AGPL-licensed: it is installed (by pip, from the package index) into its own virtual
environment in the system's temporary folder, never into dealopt's, and only this script's
subprocesses use it.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import genius_domains as domains

HERE = Path(__file__).parent
NEGMAS_ENV = Path(tempfile.gettempdir()) / "dealopt-negmas-venv"
SEED = 2025
SIZES = {5: "1e5", 6: "1e6", 7: "1e7"}


def negmas_python() -> Path:
    """The interpreter of NegMAS's own environment, made (and NegMAS installed) on first use."""
    python = NEGMAS_ENV / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(NEGMAS_ENV)], check=True)
    if subprocess.run([str(python), "-c", "import negmas"], capture_output=True).returncode != 0:
        subprocess.run([str(python), "-m", "pip", "install", "-q", "negmas"], check=True)
    return python


def measured(argv: list[str]) -> tuple[float, float, float, str]:
    """(wall seconds, CPU seconds, peak resident MB, stdout) of one process."""
    with tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        process = subprocess.Popen(argv, stdout=out, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read().decode()
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, text


def dealopt_frontier(files, max_points: int = 100000, repeats: int = 1) -> dict:
    """The fastest of ``repeats`` runs of ``dealopt frontier --genius``, every point shown up to ``max_points``."""
    command = [sys.executable, "-m", "optimizer", "frontier", "--genius", *map(str, files), "--no-save", "--json"]
    wall, cpu, peak, text = min(measured([*command, "--max-points", str(max_points)]) for _ in range(repeats))
    summary = json.loads(text)
    points = [(p["ours"] + 1.0, p["theirs"]) for p in summary["points"]]
    return {"wall": wall, "cpu": cpu, "peak": peak, "frontier": points, "summary": summary}


def negmas_frontier(python: Path, files, repeats: int = 1) -> dict:
    """The fastest of ``repeats`` runs of NegMAS's exact Pareto frontier, in NegMAS's environment."""
    argv = [str(python), str(HERE / "genius_negmas.py"), *map(str, files)]
    wall, cpu, peak, text = min(measured(argv) for _ in range(repeats))
    answer = json.loads(text)
    return {"wall": wall, "cpu": cpu, "peak": peak, "frontier": [tuple(p) for p in answer["frontier"]], **answer}


def same_frontier(a: list, b: list, tolerance: float = 1e-9) -> bool:
    a, b = sorted(a, key=lambda p: (-p[0], -p[1])), sorted(b, key=lambda p: (-p[0], -p[1]))
    return len(a) == len(b) and all(
        abs(x - y) <= tolerance and abs(u - v) <= tolerance for (x, u), (y, v) in zip(a, b, strict=True)
    )


def _files(folder: Path, issues: int, values: int, **options):
    return domains.write_xml(_domain(issues, values, **options), folder / f"{issues}x{values}")


def _domain(issues: int, values: int, **options) -> dict:
    """A generated domain whose every issue's largest evaluation is 1: GENIUS divides by it, NegMAS does not."""
    domain = domains.random_domain(SEED, issues, values, **options)
    for profile in domain["profiles"].values():
        profile["evaluators"] = {name: domains.normalised(e) for name, e in profile["evaluators"].items()}
    return domain


def rational(points: list, domain: dict) -> list:
    """The points at or above both reservation values (NegMAS's frontier leaves out the others)."""
    ours, theirs = (domain["profiles"][side]["reservation"] - 1e-12 for side in ("ours", "theirs"))
    return [p for p in points if p[0] >= ours and p[1] >= theirs]


def _same(ours: dict, theirs: dict, domain: dict) -> str:
    agree = same_frontier(rational(ours["frontier"], domain), rational(theirs["frontier"], domain))
    return "yes" if agree else "NO"


def compare(folder: Path, python: Path | None, largest: int) -> None:
    tiny = _files(folder, 2, 2)
    base_ours = dealopt_frontier(tiny, repeats=3)
    base_theirs = negmas_frontier(python, tiny, repeats=3) if python else None
    print(f"4-outcome domain (start-up): dealopt {base_ours['wall']:.3g} s, peak {base_ours['peak']:.4g} MB", end="")
    print(f"; NegMAS {base_theirs['wall']:.3g} s, peak {base_theirs['peak']:.4g} MB" if python else "")
    print(
        "| outcomes | frontier points | dealopt s (end to end / beyond start-up / in the command) | dealopt peak MB | "
        "NegMAS s (end to end / beyond start-up) | NegMAS peak MB | ratio end to end | ratio beyond start-up | same frontier |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for issues in range(5, largest + 1):
        files = _files(folder, issues, 10)
        ours = dealopt_frontier(files, repeats=3)
        beyond_ours = max(ours["wall"] - base_ours["wall"], 1e-3)
        row = [
            SIZES.get(issues, f"1e{issues}"),
            str(len(ours["frontier"])),
            f"{ours['wall']:.3g} / {beyond_ours:.3g} / {ours['summary']['run']['total_seconds']:.3g}",
            f"{ours['peak']:.4g}",
        ]
        if python:
            theirs = negmas_frontier(python, files)
            beyond_theirs = theirs["wall"] - base_theirs["wall"]
            row += [
                f"{theirs['wall']:.4g} / {beyond_theirs:.4g}",
                f"{theirs['peak']:.4g}",
                f"{theirs['wall'] / ours['wall']:.3g}x",
                f"{beyond_theirs / beyond_ours:.3g}x",
                _same(ours, theirs, _domain(issues, 10)),
            ]
        else:
            row += ["-"] * 5
        print("| " + " | ".join(row) + " |", flush=True)


def large(folder: Path) -> None:
    print("\n| 50 issues x 10 values (1e50 outcomes) | frontier points | dealopt s end to end | peak MB |")
    print("|---|---|---|---|")
    for label, options in (("uncorrelated", {}), ("anti-correlated", {"anti_correlated": True})):
        files = _files(folder / label, 50, 10, **options)
        ours = dealopt_frontier(files, max_points=500)
        size = ours["summary"]["frontier_size"]
        print(f"| {label} | {size} | {ours['wall']:.3g} | {ours['peak']:.4g} |", flush=True)


def rectangles(folder: Path) -> None:
    """The 10 issues x 10 values hyper-rectangle domain (10^10 outcomes): the MILP walk, target under a minute."""
    files = domains.write_rectangle_xml(domains.rectangle_domain(SEED), folder / "rectangles")
    ours = dealopt_frontier(files, max_points=500)
    summary = ours["summary"]
    print(
        f"\nhyper-rectangles, 10 issues x 10 values (1e10 outcomes), 40 rectangles a side: {len(ours['frontier'])} "
        f"frontier points, {summary['milps']} MILPs, {ours['wall']:.3g} s end to end "
        f"({summary['run']['total_seconds']:.3g} s in the command), peak {ours['peak']:.4g} MB, status {summary['status']}"
    )


def walk_against_merge(folder: Path) -> None:
    """The MILP walk and the merge on the 10^5 domain, in this process (the frontier's choice of method)."""
    from optimizer.frontier.analysis import analyse
    from optimizer.genius.command import imported
    from optimizer.genius.frontier import merged_analysis
    from optimizer.instance import load

    loaded = load(imported(*_files(folder, 5, 10), "genius"))
    started = time.perf_counter()
    merged, _ = merged_analysis(loaded)
    merge_seconds = time.perf_counter() - started
    started = time.perf_counter()
    walked = analyse(loaded)
    walk_seconds = time.perf_counter() - started
    agree = same_frontier(
        [(p.ours, p.theirs) for p in merged.frontier.points], [(p.ours, p.theirs) for p in walked.frontier.points]
    )
    print(
        f"\n1e5 domain, in process: merge {merge_seconds:.3g} s, MILP walk {walk_seconds:.3g} s "
        f"({walked.milps} MILPs), {walk_seconds / merge_seconds:.3g}x; same frontier: {'yes' if agree else 'NO'}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-negmas", action="store_true", help="Time dealopt alone.")
    parser.add_argument(
        "--largest", type=int, default=7, help="Issues of the largest compared domain (10 values each)."
    )
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.2f} (1 min) on {os.cpu_count()} cores")
    python = None if args.skip_negmas else negmas_python()
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        compare(folder, python, args.largest)
        large(folder)
        rectangles(folder)
        walk_against_merge(folder)
    print(f"load average {os.getloadavg()[0]:.2f} (1 min) after the run")


if __name__ == "__main__":
    main()
