"""Start-up stays light: commands that need no solver, table or plot import none of their libraries.

Each case runs the CLI's ``main`` in a fresh interpreter (the test process has
long imported everything) and then lists which heavy libraries got loaded.
Times are measured by bench/startup_bench.py, never asserted.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("matplotlib", "pyomo", "pandas")

PROBE = f"""
import contextlib, io, json, sys
from optimizer.cli import main
with contextlib.redirect_stdout(io.StringIO()):
    code = main(sys.argv[1:])
print(json.dumps({{"code": code, "loaded": sorted(m for m in {HEAVY!r} if m in sys.modules)}}))
"""


def loaded_by(*args: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args], cwd=ROOT, capture_output=True, text=True, timeout=120, check=True
    )
    return json.loads(done.stdout.splitlines()[-1])


@pytest.mark.parametrize(
    "args",
    [
        ("--help",),
        ("--version",),
        ("validate", "instances/us_japan_2025.yaml"),
        ("validate", "instances/tutorial.yaml"),
    ],
    ids=" ".join,
)
def test_commands_without_a_solve_import_no_heavy_library(args):
    assert loaded_by(*args) == {"code": 0, "loaded": []}


def test_a_plain_solve_prints_its_tables_without_pandas_or_matplotlib():
    outcome = loaded_by("solve", "instances/tutorial.yaml", "--no-save")
    assert outcome == {"code": 0, "loaded": ["pyomo"]}


def test_the_probe_sees_what_a_command_imports():
    """The probe itself can fail: a command that reads a results folder does load pandas."""
    outcome = loaded_by("review", "results/tutorial", "--format", "csv")
    assert outcome["code"] == 0 and "pandas" in outcome["loaded"]
