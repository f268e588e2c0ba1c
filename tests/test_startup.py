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


@pytest.mark.parametrize("name", ["tutorial", "us_japan_2025", "uk_us_2025"])
def test_the_plain_rows_a_solve_prints_are_what_its_dataframes_hold(name):
    """Printing and --json use plain rows; Result.tables builds DataFrames from them: the two must agree."""
    from optimizer import solve
    from optimizer.formatting import plain_records

    result = solve(ROOT / "instances" / f"{name}.yaml")
    assert result.status == "optimal" and result.rows
    for table, rows in result.rows.items():
        frame = result.tables[table]
        assert list(frame.columns) == rows.columns, table
        assert plain_records(frame) == rows.rows, table
        assert [type(v) for row in plain_records(frame) for v in row.values()] == [
            type(v) for row in rows.rows for v in row.values()
        ], table  # 2 and 2.0 print the same but are different JSON


def test_plain_rows_type_their_numbers_as_pandas_types_the_column():
    from optimizer.formatting import Rows, plain_records

    rows = Rows.typed(
        ["whole", "with_gap", "mixed", "flag", "text"],
        [
            {"whole": 1, "with_gap": 1, "mixed": 1, "flag": True, "text": "a"},
            {"whole": 2, "with_gap": None, "mixed": 2.5, "flag": None, "text": None},
        ],
    )
    assert rows.rows == plain_records(rows.frame())
    assert [type(v) for v in rows.rows[0].values()] == [int, float, float, bool, str]
