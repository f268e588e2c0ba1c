"""A sweep scenario gives the answer of ``dealopt solve --set`` with the same overrides, whatever was solved before it.

Random instances (the shared brute force's) meet random override sets drawn from every kind of
path the schema allows: weights, thresholds and caps present, absent or set to null, lever
bounds, coefficients (zero included), options, tiers and their attributes. A sweep worker keeps
one persistent model for all its scenarios, so the property is checked in the drawn order and
in a shuffled one, and against the brute force. Ties are real: packages are compared only
through their objective and their verification, never one to one.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from brute_force import brute_force, instances
from hypothesis import given, settings
from hypothesis import strategies as st

import optimizer
from optimizer.evaluate import evaluate
from optimizer.instance import load_instance
from optimizer.package import Package
from optimizer.solver import SolveOptions
from optimizer.sweep.runner import run_sweep
from optimizer.sweep.worker import Job, WorkerState
from optimizer.tolerance import objectives_agree
from optimizer.yamlfile import Document, dump

ROOT = Path(__file__).resolve().parent.parent
FLAGSHIP = ROOT / "instances" / "us_japan_2025.yaml"

small = st.integers(-3, 5)


def override_choices(data: dict) -> dict[str, list[tuple[str, st.SearchStrategy]]]:
    """Every path an override may take in ``data``, by kind of path, with the values to try there (None = null)."""
    kinds: dict[str, list] = {
        "weight": [],
        "threshold": [],
        "tier": [],
        "option": [],
        "lever bound": [],
        "coefficient": [],
        "red-line bound": [],
    }
    maybe = st.one_of  # readability: a value or null
    for k in data["constituencies"]:
        kinds["weight"].append((f"constituencies.{k}.weight", st.sampled_from([0, 0.5, 1, 3])))
    for m in data["metrics"]:
        kinds["threshold"].append((f"demands.{m}", maybe(st.integers(-2, 6), st.none())))
    for t, offer in data.get("offers", {}).items():
        for k in data["constituencies"]:
            kinds["tier"].append((f"offers.{t}.benefits.{k}", maybe(st.integers(-2, 8), st.none())))
        if offer.get("walk_away"):
            continue
        for m in data["metrics"]:
            kinds["threshold"].append((f"offers.{t}.requires.{m}", maybe(st.integers(0, 8), st.none())))
        kinds["tier"].append((f"offers.{t}.attributes.tariff", st.integers(0, 30)))
    for j, lever in data["levers"].items():
        base = f"levers.{j}"
        if lever["kind"] == "choice":
            kinds["option"].append((f"{base}.required", st.booleans()))
            for o in lever["options"]:
                kinds["option"] += [(f"{base}.options.{o}.gives.{m}", maybe(small, st.none())) for m in data["metrics"]]
                kinds["option"] += [
                    (f"{base}.options.{o}.costs.{k}", maybe(small, st.none())) for k in data["constituencies"]
                ]
            continue
        if lever["kind"] == "integer":
            kinds["lever bound"].append((f"{base}.max", st.integers(1, 3)))
        if lever["kind"] == "continuous":
            kinds["lever bound"].append((f"{base}.max", st.sampled_from([1, 2, 2.5, 4])))
            kinds["lever bound"].append((f"{base}.min_if_used", st.sampled_from([0, 0.5, 1])))
        for m in lever["gives"]:
            kinds["coefficient"] += [(f"{base}.gives.{m}.fixed", small), (f"{base}.gives.{m}.per_unit", small)]
        for k, term in lever["costs"].items():
            kinds["coefficient"].append((f"{base}.costs.{k}.fixed", small))
            if isinstance(term["per_unit"], list):
                kinds["coefficient"] += [
                    (f"{base}.costs.{k}.per_unit.{i}.1", st.integers(-2, 4)) for i in range(len(term["per_unit"]))
                ]
            else:
                kinds["coefficient"].append((f"{base}.costs.{k}.per_unit", small))
    for line in data["red_lines"]:
        base = f"red_lines.{line['name']}"
        if line["kind"] == "max_cost":
            kinds["red-line bound"].append((f"{base}.max", st.integers(-1, 10)))
        elif line["kind"] == "limit":
            kinds["red-line bound"] += [(f"{base}.{b}", maybe(st.integers(-3, 6), st.none())) for b in ("min", "max")]
            kinds["coefficient"] += [(f"{base}.terms.{j}", st.sampled_from([-2, -1, 0, 1, 2])) for j in line["terms"]]
        elif line["kind"] == "offer":
            kinds["red-line bound"] += [(f"{base}.{b}", maybe(st.integers(0, 30), st.none())) for b in ("min", "max")]
    return {kind: paths for kind, paths in kinds.items() if paths}


def override_sets(choices: dict[str, list]) -> st.SearchStrategy:
    """One to three overrides, each of a kind of path drawn first (so that rare kinds are drawn as often)."""
    one = st.sampled_from(sorted(choices)).flatmap(lambda kind: st.sampled_from(choices[kind]))
    pairs = st.lists(one, min_size=1, max_size=3, unique_by=lambda pair: pair[0])
    return pairs.flatmap(lambda picked: st.tuples(*(st.tuples(st.just(path), values) for path, values in picked)))


@st.composite
def swept_instances(draw, max_scenarios: int = 5):
    """A random instance and a list of override sets."""
    data = draw(instances())
    sets = override_sets(override_choices(data))
    return data, draw(st.lists(sets, min_size=2, max_size=max_scenarios))


def package_of(instance, levers: dict, offer: str | None) -> Package:
    """A sweep record's package (used lever -> amount or option) as a Package of ``instance``."""
    return Package(
        used={j: j in levers for j in instance.amount_levers},
        amount={j: float(levers.get(j, 0.0)) for j in instance.amount_levers},
        picked={j: (levers[j],) if j in levers else () for j in instance.choice_levers},
        granted=(offer,) if offer else (),
    )


def worker(data: dict) -> WorkerState:
    """A sweep worker for the base ``data``, as a sweep's pool initializer makes it."""
    return WorkerState(Job("test", Document(data, {}, "<dict>"), "random", SolveOptions()))


def assert_same_answer(record: dict, expected: optimizer.Result, scenario) -> None:
    assert record["status"] == str(expected.status), (scenario, record, expected.message, expected.errors)
    if expected.status != "optimal":
        return
    assert record["verified"], (scenario, record)
    assert objectives_agree(record["objective"], expected.objective), (scenario, record, expected.objective)
    evaluation = evaluate(expected.instance, package_of(expected.instance, record["levers"], record["offer"]))
    assert evaluation.violations == [], (scenario, record, evaluation.violations)
    assert objectives_agree(evaluation.objective, expected.objective)


@settings(deadline=None)
@given(swept_instances(), st.randoms(use_true_random=False))
def test_a_sweep_worker_answers_as_solve_set_in_any_order(drawn, rng):
    data, scenarios = drawn
    expected = [optimizer.solve(data, overrides=overrides) for overrides in scenarios]
    valid = [i for i, result in enumerate(expected) if result.status != "invalid"]
    first = worker(data)
    for i, overrides in enumerate(scenarios):  # validation agrees with solve --set, before anything is solved
        problems, _ = first.validate(overrides)
        assert bool(problems) == (i not in valid), (overrides, problems, expected[i].status)
    shuffled = list(valid)
    rng.shuffle(shuffled)
    for order, state in ((valid, first), (shuffled, worker(data))):
        for i in order:
            record = state.solve(f"s{i}", scenarios[i], validated=True)
            assert_same_answer(record, expected[i], scenarios[i])
    for i in valid:  # and solve --set itself agrees with the brute force
        instance = expected[i].instance
        best = brute_force(instance.model_dump(mode="json", exclude_none=True))
        assert (best is None) == (expected[i].status == "infeasible"), (scenarios[i], best, expected[i].status)
        if best is not None:
            assert objectives_agree(expected[i].objective, best), (scenarios[i], expected[i].objective, best)


def _sweep_spec(folder: Path, base: Path, scenarios: list) -> Path:
    spec = folder / "spec.yaml"
    named = {f"s{i}": dict(overrides) for i, overrides in enumerate(scenarios)}
    spec.write_text(dump({"base": str(base.resolve()), "scenarios": named}), encoding="utf-8")
    return spec


def _statuses(folder: Path) -> dict[str, tuple]:
    import pandas as pd

    table = pd.read_parquet(folder / "scenarios.parquet")
    return {row.name: (row.status, row.objective) for row in table.itertuples()}


FLAGSHIP_SCENARIOS = [
    (("constituencies.farmers.weight", 2), ("red_lines.rice_within_quota.min", 0)),
    (("constituencies.farmers.weight", 3), ("red_lines.rice_within_quota.min", 120)),
    (("constituencies.farmers.weight", 2), ("red_lines.rice_within_quota.min", 120)),
    (("constituencies.farmers.weight", 3), ("red_lines.rice_within_quota.min", 0)),
    (("red_lines.rice_within_quota.max", None), ("red_lines.rice_within_quota.min", 10)),
    (("offers.car_deal.requires.investment", None),),
    (("offers.baseline_deal.requires.investment", 50),),
    (("offers.car_deal.requires.investment", 350), ("constituencies.farmers.weight", 5)),
    (("demands.deficit_cut", 5),),
    (("constituencies.business.weight", 0),),
]


@pytest.mark.parametrize("workers", [1, 2])
def test_a_real_sweep_on_the_flagship_matches_solve_set_with_any_workers_and_order(tmp_path, workers):
    """Bounds absent, set and removed, thresholds dropped and added, on 1 and 2 workers, in two orders."""
    answers = {}
    for name, scenarios in (("forward", FLAGSHIP_SCENARIOS), ("backward", FLAGSHIP_SCENARIOS[::-1])):
        spec = _sweep_spec(tmp_path, FLAGSHIP, scenarios)
        summary = run_sweep(spec, out=tmp_path / name, workers=workers)
        assert summary.exit_code == 0, summary.counts
        found = _statuses(tmp_path / name)
        answers[name] = {tuple(s): found[f"s{i}"] for i, s in enumerate(scenarios)}
    assert answers["forward"].keys() == answers["backward"].keys()
    for scenario, (status, objective) in answers["forward"].items():
        expected = optimizer.solve(FLAGSHIP, overrides=scenario)
        assert status == str(expected.status), (scenario, status, expected.message)
        assert answers["backward"][scenario][0] == status
        if status == "optimal":
            assert objectives_agree(objective, expected.objective), (scenario, objective, expected.objective)
            assert objectives_agree(answers["backward"][scenario][1], objective)


FLAGSHIP_DATA = load_instance(FLAGSHIP).model_dump(mode="json", exclude_none=True)
FLAGSHIP_CHOICES = override_choices(FLAGSHIP_DATA) | {"tier": []}  # its offers have no "tariff" attribute
FLAGSHIP_CHOICES["tier"] = [
    (f"offers.{t}.benefits.{k}", st.one_of(st.integers(-20, 80), st.none()))
    for t in FLAGSHIP_DATA["offers"]
    for k in FLAGSHIP_DATA["constituencies"]
]


@settings(deadline=None)
@given(st.lists(override_sets(FLAGSHIP_CHOICES), min_size=2, max_size=6))
def test_random_changes_of_the_flagship_in_one_worker_agree_with_solve_set(scenarios):
    """Random number and structure changes of the flagship, one after another in one worker, against fresh solves."""
    data = FLAGSHIP_DATA
    state = worker(data)
    for overrides in scenarios:
        expected = optimizer.solve(data, overrides=overrides)
        problems, _ = state.validate(overrides)
        if expected.status == "invalid":
            assert problems, overrides
            continue
        assert_same_answer(state.solve("s", overrides, validated=True), expected, overrides)


@pytest.mark.e2e
def test_the_reported_repro_gives_four_answers(tmp_path):
    """A sweep that sets a bound the base leaves out: every scenario answers as solve --set (was 4 errors)."""
    shutil.copy(FLAGSHIP, tmp_path / "base.yaml")
    (tmp_path / "spec.yaml").write_text(
        "base: base.yaml\ngrid:\n  constituencies.farmers.weight: [2, 3]\n  red_lines.rice_within_quota.min: [0, 120]\n",
        encoding="utf-8",
    )
    script = Path(sys.executable).parent / "dealopt"
    done = subprocess.run(
        [str(script), "sweep", "spec.yaml", "--out", "out", "--workers", "1"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "200"},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "2 infeasible, 2 optimal" in done.stdout + done.stderr
    import pandas as pd

    table = pd.read_parquet(tmp_path / "out" / "scenarios.parquet")
    assert sorted(table["status"]) == ["infeasible", "infeasible", "optimal", "optimal"]
    for row in table.to_dict("records"):
        paths = ("constituencies.farmers.weight", "red_lines.rice_within_quota.min")
        overrides = [(path, row[f"param:{path}"]) for path in paths]
        expected = optimizer.solve(tmp_path / "base.yaml", overrides=overrides)
        assert row["status"] == expected.status, overrides
        assert row["status"] == "infeasible" or objectives_agree(row["objective"], expected.objective)
