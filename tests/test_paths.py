"""The parameter-path layer: which changes are numbers of the model and which are structure."""

from __future__ import annotations

import pytest
from conftest import TOY, instance, write

from optimizer import load_instance
from optimizer.model import DealModel, UnknownNumber
from optimizer.paths import PathError, assign, model_numbers, normalised_data, numeric_changes, structure_key

LIMITED = instance(
    levers={"x": {"kind": "integer", "max": 5, "gives": {"m": 1}, "costs": {"a": 1}}},
    red_lines=[{"name": "cap", "kind": "limit", "terms": {"x": 1}, "max": 4}],
)


def test_a_bound_that_is_absent_set_or_removed_is_three_structures():
    absent = load_instance(LIMITED)
    set_low = load_instance(LIMITED, [("red_lines.cap.min", 1)])
    set_high = load_instance(LIMITED, [("red_lines.cap.min", 2)])
    removed = load_instance(LIMITED, [("red_lines.cap.min", 1), ("red_lines.cap.max", None)])
    assert structure_key(absent) != structure_key(set_low)
    assert structure_key(set_low) == structure_key(set_high)  # only a number moved
    assert structure_key(removed) not in {structure_key(absent), structure_key(set_low)}


def test_a_zero_coefficient_is_structure_and_a_non_zero_one_a_number():
    base = load_instance(LIMITED)
    assert "levers.x.costs.a.fixed" not in model_numbers(base)
    assert model_numbers(base)["levers.x.costs.a.per_unit"] == 1
    fixed = load_instance(LIMITED, [("levers.x.costs.a.fixed", 3)])
    assert structure_key(fixed) != structure_key(base)
    assert structure_key(load_instance(LIMITED, [("levers.x.costs.a.per_unit", 0)])) != structure_key(base)


@pytest.mark.parametrize(
    ("overrides", "numeric"),
    [
        ([("constituencies.a.weight", 2)], True),
        ([("red_lines.cap.max", 3), ("levers.x.max", 4)], True),
        ([("red_lines.cap.min", 1)], False),  # absent in the base: a new row
        ([("red_lines.cap.max", None)], False),  # removing a bound
        ([("levers.x.costs.a.fixed", 3)], False),  # a zero coefficient becomes a term
        ([("constituencies.a.weight", True)], False),  # not a plain number
        ([("levers.x.kind", "continuous")], False),
        ([("constituencies.a.weight", 2), ("demands.m", 1)], False),  # one structural change is enough
    ],
)
def test_numeric_changes_are_those_that_only_move_numbers_of_the_base_model(overrides, numeric):
    changes = numeric_changes(overrides, model_numbers(load_instance(LIMITED)))
    assert (changes is not None) == numeric
    if numeric:
        assert changes == {path: float(value) for path, value in overrides}


def test_the_builder_refuses_a_path_the_instance_lacks_instead_of_reading_zero():
    builder = DealModel(load_instance(LIMITED))
    with pytest.raises(UnknownNumber, match="levers.y.gives.m.per_unit"):
        builder.linear([("levers.y.gives.m.per_unit", builder.m.used["x"])])
    with pytest.raises(UnknownNumber, match="red_lines.cap.min"):
        builder.N("red_lines.cap.min")
    assert builder.linear([("levers.x.costs.a.fixed", builder.m.used["x"])]) is builder.m.nothing  # a zero: left out


def test_assign_names_the_nearest_valid_path():
    data = normalised_data(load_instance(TOY))
    with pytest.raises(PathError, match="did you mean 'constituencies.farmers.weight'"):
        assign(data, "constituencies.farmers.wieght", 2)
    with pytest.raises(PathError, match="no item named 'farm_pian'.*did you mean 'farm_pain'"):
        assign(data, "red_lines.farm_pian.max", 2)


@pytest.mark.parametrize(
    ("grid_line", "expected"),
    [
        ("constituencies.farmers.wieght: [2, 3]", "grid.constituencies.farmers.wieght: unknown path (did you mean"),
        (
            "red_lines.farm_pain.max: [10, yes]",
            "spec.yaml:3: grid.red_lines.farm_pain.max[1]: expected a number, got the string 'yes'",
        ),
        (
            "levers.corn.kind: [binary, binery]",
            "grid.levers.corn.kind[1]: unknown kind 'binery' (did you mean 'binary'?)",
        ),
    ],
)
def test_a_sweep_over_a_path_or_value_the_schema_does_not_allow_is_refused_before_solving(
    tmp_path, cli, grid_line, expected
):
    (tmp_path / "base.yaml").write_text(TOY.read_text(encoding="utf-8"), encoding="utf-8")
    spec = write(tmp_path, f"base: base.yaml\ngrid:\n  {grid_line}\n", "spec.yaml")
    code, out, err = cli("sweep", spec, "--out", tmp_path / "out", "--workers", "1")
    assert code == 2, (out, err)
    assert expected in err
    assert not (tmp_path / "out").exists()


def test_an_override_that_removes_a_believed_number_drops_the_belief_and_its_correlation_terms():
    data = instance(
        levers={"x": {"kind": "integer", "max": 5, "gives": {"m": 1}, "costs": {"a": 1}}},
        offers={"walk": {"walk_away": True}, "deal": {"requires": {"m": 2}, "benefits": {"a": 4}}},
        red_lines=[{"name": "cap", "kind": "max_cost", "constituency": "a", "max": 3}],
        beliefs={
            "need": {"path": "offers.deal.requires.m", "discrete": {"values": [1, 2, 3], "probs": [0.2, 0.5, 0.3]}},
            "cap": {"path": "red_lines.cap.max", "uniform": {"low": 2, "high": 4}},
            "gain": {"path": "offers.deal.benefits.a", "uniform": {"low": 3, "high": 5}},
            "correlation": {
                "names": ["need", "cap", "gain"],
                "matrix": [[1, 0.2, 0.1], [0.2, 1, 0.3], [0.1, 0.3, 1]],
            },
        },
    )
    kept = load_instance(data, [("offers.deal.requires.m", 3)])  # a new point estimate: the belief stays
    assert set(kept.beliefs) == {"need", "cap", "gain", "correlation"}
    dropped = load_instance(data, [("offers.deal.requires.m", None)])
    assert set(dropped.beliefs) == {"cap", "gain", "correlation"}
    assert dropped.beliefs["correlation"].names == ["cap", "gain"]
    assert dropped.beliefs["correlation"].matrix == [[1, 0.3], [0.3, 1]]
    alone = load_instance(data, [("offers.deal.requires.m", None), ("offers.deal.benefits.a", None)])
    assert set(alone.beliefs) == {"cap"}
