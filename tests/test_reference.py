"""The committed reference results agree with what the code produces now.

Agreement means the same status, an objective within MODEL.md's tolerance,
and a committed package that still passes the independent check. A changed
tie-break, time or version does not count.
"""

from pathlib import Path

import pytest

from optimizer import solve
from optimizer.reference import compare, instance_files

ROOT = Path(__file__).resolve().parent.parent
INSTANCES = instance_files(ROOT / "instances")


@pytest.mark.parametrize("path", INSTANCES, ids=lambda p: p.stem)
def test_committed_result_agrees_with_a_fresh_solve(path):
    fresh = solve(path)
    assert fresh.status != "invalid", fresh.errors
    comparison = compare(fresh, ROOT / "results" / fresh.instance.name)
    assert comparison.agrees, comparison.differences


def test_shipped_instances_exist():
    assert {"us_japan_2025", "tutorial", "uk_us_2025"} <= {p.stem for p in INSTANCES}


def test_a_changed_objective_is_detected(tmp_path):
    fresh = solve(ROOT / "instances" / "tutorial.yaml")
    other = solve(
        ROOT / "instances" / "tutorial.yaml",
        [("constituencies." + next(iter(fresh.instance.constituencies)) + ".weight", 0)],
    )
    from optimizer.save import save_result

    save_result(other, tmp_path / "r")
    if other.objective == pytest.approx(fresh.objective):
        pytest.fail("the override should change the tutorial's objective")
    assert not compare(fresh, tmp_path / "r").agrees
