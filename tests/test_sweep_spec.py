"""Sweep specs: strict reading with located errors, and expansion into scenarios with stable ids."""

from __future__ import annotations

from pathlib import Path

import pytest

from optimizer import load
from optimizer.errors import InputError
from optimizer.solver import SolveOptions
from optimizer.sweep import is_sweep_spec, load_spec, run_sweep, validate_sweep
from optimizer.sweep.scenarios import expand, integer_paths, range_values
from optimizer.sweep.spec import Range

DATA = Path(__file__).parent / "data"
TOY = DATA / "toy.yaml"
FINGERPRINT = {"model": "dealopt test", "solver": "highs test", "options": SolveOptions().as_dict()}


def write_spec(tmp_path: Path, body: str, base: Path = TOY) -> Path:
    path = tmp_path / "sweep.yaml"
    path.write_text(f"base: {base}\n{body}")
    return path


def scenarios_of(path: Path, fingerprint=FINGERPRINT, instance_hash="hash"):
    spec = load_spec(path)
    return expand(spec, load(spec.base_path).instance, fingerprint, instance_hash)


def problems(path: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        scenarios_of(path)
    return [str(p) for p in caught.value.problems]


# -- reading ---------------------------------------------------------------------------------


def test_a_spec_names_its_base_relative_to_itself():
    spec = load_spec(DATA / "sweep" / "toy_grid.yaml")
    assert spec.base_path.resolve() == TOY.resolve()
    assert spec.spec.title.startswith("Toy deal")


def test_sweep_specs_are_told_apart_from_instances():
    assert is_sweep_spec({"base": "x.yaml", "grid": {}})
    assert not is_sweep_spec({"format": 1, "levers": {}})
    assert not is_sweep_spec(["base"])


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("grdi: {}\n", r"sweep.yaml:2: grdi: unknown key 'grdi' \(did you mean 'grid'\?\)"),
        (
            "grid:\n  constituencies.farmers.weight: [1, .nan]\n",
            r"sweep.yaml:3: grid.constituencies.farmers.weight\[1\]: must be a finite number, got nan",
        ),
        (
            "grid:\n  constituencies.farmers.weight: {from: 3, to: 1, step: 1}\n",
            r"sweep.yaml:3: grid.constituencies.farmers.weight: 'to' \(1\) is below 'from' \(3\)",
        ),
        ("grid:\n  constituencies.farmers.weight: {from: 1, to: 3}\n", r"give either 'step' or 'num'"),
        ("grid:\n  constituencies.farmers.weight: {from: 1, to: 3, step: 0}\n", r"weight.step: must be > 0, got 0"),
        (
            "grid:\n  constituencies.farmers.weight: {from: 1, to: 3, stpe: 1}\n",
            r"unknown key 'stpe' \(did you mean 'step'\?\)",
        ),
        ("grid:\n  constituencies.farmers.weight: []\n", r"needs at least one item"),
        ("grid:\n  weight: [1]\n", r"'weight' is not a valid override path"),
        (
            "sample: {n: 3, method: sobol, ranges: {constituencies.farmers.weight: {from: 1, to: 2}}}\n",
            r"sample.method: Input should be 'uniform' or 'latin_hypercube'",
        ),
        ("scenarios:\n  2nd: {}\n", r"'2nd' is not a valid scenario name"),
    ],
)
def test_spec_errors_name_file_line_and_path(tmp_path, body, expected):
    with pytest.raises(InputError, match=expected):
        load_spec(write_spec(tmp_path, body))


def test_a_missing_base_is_reported(tmp_path):
    path = tmp_path / "sweep.yaml"
    path.write_text("grid: {}\n")
    with pytest.raises(InputError, match="sweep.yaml:1: base: missing required key 'base'"):
        load_spec(path)


def test_a_path_set_by_two_blocks_is_an_error(tmp_path):
    path = write_spec(
        tmp_path,
        "grid:\n  constituencies.farmers.weight: [1, 2]\n"
        "sample: {n: 2, ranges: {constituencies.farmers.weight: {from: 1, to: 2}}}\n",
    )
    assert any("constituencies.farmers.weight is set by both grid and sample" in p for p in problems(path))


def test_overlapping_paths_are_an_error(tmp_path):
    path = write_spec(
        tmp_path, "grid:\n  offers.deal_15.requires.investment: [1]\nscenarios:\n  s: {offers.deal_15.requires: {}}\n"
    )
    assert any("offers.deal_15.requires contains offers.deal_15.requires.investment" in p for p in problems(path))


def test_zip_groups_need_equal_lengths(tmp_path):
    path = write_spec(
        tmp_path, "zip:\n  - constituencies.farmers.weight: [1, 2]\n    constituencies.fiscal.weight: [1, 2, 3]\n"
    )
    assert problems(path) == [
        f"{tmp_path / 'sweep.yaml'}:3: zip[0]: the paths of a zip group need the same number of values: "
        "constituencies.farmers.weight has 2, constituencies.fiscal.weight has 3"
    ]


# -- ranges and samples ----------------------------------------------------------------------


def test_ranges_include_their_end_and_absorb_drift():
    assert range_values(Range.model_validate({"from": 0, "to": 1, "step": 0.1})) == [
        round(0.1 * i, 1) for i in range(11)
    ]
    assert range_values(Range.model_validate({"from": 0, "to": 0.3, "step": 0.1})) == [0.0, 0.1, 0.2, 0.3]
    assert range_values(Range.model_validate({"from": 1, "to": 2, "num": 5})) == [1.0, 1.25, 1.5, 1.75, 2.0]
    assert range_values(Range.model_validate({"from": 1, "to": 2.5, "step": 1})) == [1.0, 2.0]
    # the cleaning keeps what the range means: distinct values stay distinct, `from` stays exact
    close = range_values(Range.model_validate({"from": 1e8, "to": 1e8 + 0.001, "num": 4}))
    assert len(set(close)) == 4 and close[0] == 1e8 and close[-1] == 1e8 + 0.001
    assert range_values(Range.model_validate({"from": 123456.7890123, "to": 123457, "num": 2}))[0] == 123456.7890123


def test_latin_hypercube_draws_one_value_per_stratum_and_whole_numbers_for_integer_fields(tmp_path):
    base = tmp_path / "base.yaml"
    base.write_text(TOY.read_text().replace("kind: binary\n", "kind: integer\n    max: 40\n", 1))
    assert "levers.lng.max" in integer_paths(load(base).instance)
    path = write_spec(
        tmp_path,
        "sample:\n  n: 10\n  method: latin_hypercube\n  seed: 3\n  ranges:\n"
        "    constituencies.farmers.weight: {from: 0, to: 10}\n    levers.lng.max: {from: 1, to: 40}\n",
        base=base,
    )
    scenarios = scenarios_of(path)
    weights = sorted(dict(s.overrides)["constituencies.farmers.weight"] for s in scenarios)
    assert [int(w) for w in weights] == list(range(10))
    sizes = [dict(s.overrides)["levers.lng.max"] for s in scenarios]
    assert all(size == int(size) and 1 <= size <= 40 for size in sizes)
    assert [s.overrides for s in scenarios_of(path)] == [s.overrides for s in scenarios]


# -- expansion and ids -----------------------------------------------------------------------


def test_the_scenario_set_is_named_times_grid_times_zip_times_sample():
    scenarios = scenarios_of(DATA / "sweep" / "toy_mixed.yaml")
    assert len(scenarios) == 4 * 3 * 4
    assert [s.name for s in scenarios[:12]] == ["as_is"] * 12
    first = dict(scenarios[0].overrides)
    assert first["constituencies.farmers.weight"] == 1.0 and "red_lines.farm_pain.max" in first
    assert len({s.id for s in scenarios}) == len(scenarios)


def test_grid_crosses_and_zip_varies_together():
    scenarios = scenarios_of(DATA / "sweep" / "toy_grid.yaml")
    assert len(scenarios) == 3 * 4 * 3
    pairs = {
        (o["offers.deal_15.requires.investment"], o["offers.deal_15.benefits.fiscal"])
        for o in map(dict, (s.overrides for s in scenarios))
    }
    assert pairs == {(100, 40), (250, 45), (500, 50)}


def test_ids_are_stable_and_change_with_instance_overrides_and_options(tmp_path):
    path = DATA / "sweep" / "toy_grid.yaml"
    ids = [s.id for s in scenarios_of(path)]
    assert ids == [s.id for s in scenarios_of(path)]
    assert set(ids).isdisjoint(s.id for s in scenarios_of(path, instance_hash="other"))
    other_options = FINGERPRINT | {"options": SolveOptions(time_limit=5).as_dict()}
    assert set(ids).isdisjoint(s.id for s in scenarios_of(path, fingerprint=other_options))
    as_floats = write_spec(tmp_path, "grid:\n  constituencies.farmers.weight: [3.0]\n")
    as_ints = tmp_path / "ints.yaml"
    as_ints.write_text(as_floats.read_text().replace("3.0", "3"))
    assert scenarios_of(as_floats)[0].id == scenarios_of(as_ints)[0].id


def test_repeated_scenarios_keep_a_row_each_and_the_first_keeps_the_plain_id(tmp_path, tmp_path_factory):
    """A value listed twice, and two named scenarios that set the same: every scenario has its own id."""
    path = write_spec(
        tmp_path,
        "scenarios:\n  a: {levers.corn.max: 7}\n  b: {levers.corn.max: 7}\n"
        "grid:\n  constituencies.farmers.weight: [1, 2, 1]\n",
    )
    scenarios = scenarios_of(path)
    assert len(scenarios) == 6 and len({s.id for s in scenarios}) == 6
    plain = write_spec(tmp_path_factory.mktemp("plain"), "grid:\n  constituencies.farmers.weight: [1]\n")
    assert scenarios_of(plain)[0].id != scenarios[0].id  # it also sets levers.corn.max
    repeats = write_spec(tmp_path_factory.mktemp("repeats"), "grid:\n  constituencies.farmers.weight: [1, 1]\n")
    first, second = scenarios_of(repeats)
    assert first.id == scenarios_of(plain)[0].id and second.id != first.id
    summary = run_sweep(path, out=tmp_path / "out", workers=1)
    assert summary.exit_code == 0 and summary.counts == {"optimal": 6} and summary.missing == 0


def test_too_many_scenarios_are_refused(tmp_path):
    path = write_spec(
        tmp_path,
        "grid:\n"
        + "".join(f"  constituencies.{k}.weight: {{from: 0, to: 1, num: 1001}}\n" for k in ("farmers", "fiscal")),
    )
    assert any("makes 1,002,001 scenarios" in p for p in problems(path))


# -- the validate hook -----------------------------------------------------------------------


def test_validate_sweep_checks_every_scenario_without_solving(tmp_path):
    assert len(validate_sweep(DATA / "sweep" / "toy_grid.yaml").scenarios) == 36
    path = write_spec(tmp_path, "scenarios:\n  fine: {}\n  heavy: {constituencies.fiscal.weight: -1}\n")
    with pytest.raises(InputError) as caught:
        validate_sweep(path)
    assert [str(p) for p in caught.value.problems] == [
        f"{path}:4: scenarios.heavy.constituencies.fiscal.weight: must be >= 0, got -1 (in scenario heavy: constituencies.fiscal.weight=-1)"
    ]


def test_a_spec_without_base_or_based_on_a_spec_is_told_so(tmp_path, cli):
    nameless = write_spec(tmp_path, "grid:\n  constituencies.farmers.weight: [1, 2]\n")
    nameless.write_text(nameless.read_text().split("\n", 1)[1])  # drop the base line
    code, _, err = cli("validate", nameless)
    assert code == 2 and err.strip() == f"{nameless}:1: base: missing required key 'base'"
    nested = tmp_path / "nested.yaml"
    nested.write_text(f"base: {nameless.name}\ngrid:\n  constituencies.farmers.weight: [1]\n")
    code, _, err = cli("validate", nested)
    assert code == 2 and f"{nested}:1: base: {nameless.name} is a sweep spec; base names an instance file" in err
    stepped = write_spec(tmp_path, "grid:\n  constituencies.farmers.weight: {from: 1, to: 2, step: -1}\n")
    assert any("step: must be > 0, got -1" in p for p in problems(stepped))


def test_the_keys_that_tell_a_spec_are_the_spec_schema_s_own():
    from optimizer.sweep.recognise import SPEC_KEYS
    from optimizer.sweep.spec import Spec

    assert set(SPEC_KEYS) == {field.alias or name for name, field in Spec.model_fields.items()} - {
        "title",
        "description",
    }
