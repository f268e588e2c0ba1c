"""The committed reference results agree with what the code produces now.

Agreement means the same status, an objective within the model's tolerance (docs/model.md),
and a committed package that still passes the independent check. A changed
tie-break, time or version does not count.
"""

from pathlib import Path

import pytest

from optimizer import solve
from optimizer.reference import compare, instance_files, regenerate

ROOT = Path(__file__).resolve().parent.parent
INSTANCES = instance_files(ROOT / "instances")


@pytest.mark.parametrize("path", INSTANCES, ids=lambda p: p.stem)
def test_committed_result_agrees_with_a_fresh_solve(path):
    fresh = solve(path)
    assert fresh.status != "invalid", fresh.errors
    comparison = compare(fresh, ROOT / "results" / fresh.instance.name)
    assert comparison.agrees, comparison.differences


def test_regenerated_folders_are_the_same_bytes_every_time_with_no_run_times(tmp_path):
    """So that `dealopt reference` changes a committed folder only when its answer changes."""
    instances = tmp_path / "instances"
    instances.mkdir()
    (instances / "tutorial.yaml").write_text((ROOT / "instances" / "tutorial.yaml").read_text())
    written = []
    for results in (tmp_path / "first", tmp_path / "second"):
        regenerate(instances, results)
        written.append({p.name: p.read_bytes() for p in (results / "tutorial").iterdir()})
    assert written[0] == written[1]
    assert "run.json" not in written[0] and b"started_at" not in written[0]["summary.json"]


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


def test_reference_refuses_an_invalid_instance_or_a_foreign_folder_before_writing(cli, tmp_path):
    instances, results = tmp_path / "instances", tmp_path / "results"
    instances.mkdir()
    (instances / "a_tutorial.yaml").write_text((ROOT / "instances" / "tutorial.yaml").read_text())
    (instances / "b_bad.yaml").write_text(
        "format: 1\nlevers: {x: {kind: binary}}\nconstituencies: {}\nmetrics: {}\nwat: 1\n"
    )
    code, _, err = cli("reference", "--instances", instances, "--results", results)
    assert code == 2 and "b_bad.yaml:5: wat: unknown key" in err
    assert not results.exists()
    assert cli("reference", "--check", "--instances", instances, "--results", results)[0] == 2
    (instances / "b_bad.yaml").unlink()
    (results / "tutorial").mkdir(parents=True)
    (results / "tutorial" / "notes.txt").write_text("mine")
    code, _, err = cli("reference", "--instances", instances, "--results", results)
    assert code == 2 and "is a folder of other files" in err
    assert [p.name for p in (results / "tutorial").iterdir()] == ["notes.txt"]
