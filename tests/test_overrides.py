"""``--set PATH=VALUE``: dotted paths on the normalised instance, YAML-parsed values, validated like a file."""

from __future__ import annotations

import pytest
from conftest import TOY, assert_optimal, instance, write
from hypothesis import given, settings
from hypothesis import strategies as st

from optimizer import InputError, load_instance, solve
from optimizer.generate import generate_instance
from optimizer.instance import apply_overrides, load
from optimizer.overrides import parse_assignment
from optimizer.paths import model_numbers, with_numbers
from optimizer.schema import CostTerm


def solve_with(*assignments, source=TOY):
    return solve(source, [parse_assignment(a) for a in assignments])


def test_weight():
    # farmers' 7.5 at weight 5 is 37.5 against the benefit of 30: walking away (0) wins
    assert_optimal(solve_with("constituencies.farmers.weight=5"), 0, {}, offer="no_deal")
    # at weight 4 the deal nets 30 - 30 = 0: a tie with walking away, either may come back
    tied = solve_with("constituencies.farmers.weight=4")
    assert tied.status == "optimal" and tied.objective == pytest.approx(0)
    assert tied.instance.constituencies["farmers"].weight == 4


def test_offer_requirement():
    # 400 of investment needs the large fund: 3 * (7.5 - 2) + 35 - 40 = 11.5 > 0, so walk away
    result = solve_with("offers.deal_15.requires.investment=400")
    assert_optimal(result, 0, {}, offer="no_deal")
    assert result.instance.offer_items["deal_15"].requires["investment"] == 400


def test_removing_an_offer_requirement_with_null():
    # without the investment threshold the fund is not needed: 3 * 7.5 - 40 = -17.5
    assert_optimal(solve_with("offers.deal_15.requires.investment=null"), -17.5, {"corn": 5}, offer="deal_15")


def test_lever_max():
    result = solve_with("levers.corn.max=8")  # breakpoints 3 and 6 stay below 8; ag_budget still caps corn at 5
    assert result.instance.levers["corn"].max == 8
    assert_optimal(result, -7.5, {"corn": 5, "fund": "small"}, offer="deal_15")


def test_lever_max_below_a_breakpoint_is_invalid():
    result = solve_with("levers.corn.max=4")
    assert result.status == "invalid"
    assert any("breakpoint 6 is above the lever's max (4)" in str(p) for p in result.errors)


def test_fixed_cost():
    # farmers pay 3 instead of 2 when corn is used: -7.5 + 3 * 1
    result = solve_with("levers.corn.costs.farmers.fixed=3")
    assert_optimal(result, -4.5, {"corn": 5, "fund": "small"}, offer="deal_15")


def test_fixed_part_of_a_term_written_as_a_bare_number(tmp_path):
    text = """\
format: 1
constituencies: {fiscal: {}}
metrics: {investment: {}}
levers:
  lng: {kind: binary, gives: {investment: 40}, costs: {fiscal: 12}}
demands: {investment: 40}
"""
    path = write(tmp_path, text, name="lng.yaml")
    result = solve_with("levers.lng.costs.fiscal.fixed=5", source=path)
    assert result.instance.levers["lng"].costs["fiscal"] == CostTerm(fixed=5, per_unit=12)
    assert_optimal(result, 17, {"lng": 1})


def test_red_line_by_name():
    assert_optimal(solve_with("red_lines.farm_pain.max=25"), -7.5, {"corn": 5, "fund": "small"}, offer="deal_15")
    # farmers' 7.5 is over a cap of 5: the deal is out of reach
    assert_optimal(solve_with("red_lines.farm_pain.max=5"), 0, {}, offer="no_deal")


def test_several_overrides_apply_in_order():
    result = solve_with("constituencies.farmers.weight=5", "constituencies.farmers.weight=3")
    assert result.objective == pytest.approx(-7.5)


def test_values_are_parsed_like_the_file():
    assert parse_assignment("red_lines.farm_pain.max=1e3") == ("red_lines.farm_pain.max", 1000.0)
    assert parse_assignment("title=no") == ("title", "no")
    assert parse_assignment("title='2023'") == ("title", "2023")
    assert parse_assignment("demands={deficit_cut: 2}") == ("demands", {"deficit_cut": 2})
    assert parse_assignment(" levers.corn.max = 7 ") == ("levers.corn.max", 7)
    assert parse_assignment("offers.deal_15.requires.investment=") == ("offers.deal_15.requires.investment", None)


def test_overrides_from_the_api_take_python_values():
    result = solve(TOY, [("constituencies.farmers.weight", 5)])
    assert result.objective == pytest.approx(0)
    assert result.run["instance"]["overrides"] == ["constituencies.farmers.weight=5"]


def test_new_entries_in_named_mappings_and_parts_of_terms():
    data = instance(
        constituencies={"a": {}, "b": {}},
        levers={"x": {"kind": "binary", "gives": {"m": 1}, "costs": {"a": 1}}},
        demands={"m": 2},
    )
    result = solve(data, [("levers.x.costs.b", 2), ("levers.x.gives.m.fixed", 1)])
    lever = result.instance.levers["x"]
    assert lever.costs["b"] == CostTerm(per_unit=2)
    assert (lever.gives["m"].fixed, lever.gives["m"].per_unit) == (1, 1)
    assert_optimal(result, 3, {"x": 1})


def test_piecewise_segments_by_position():
    # the second segment's marginal cost 2 -> 3: farmers pay 2 + 1.5 + 2 * 3 = 9.5, so 28.5 + 10 - 40
    result = solve_with("levers.corn.costs.farmers.per_unit.1.1=3")
    assert result.instance.levers["corn"].costs["farmers"].per_unit == [(3, 0.5), (6, 3)]
    assert_optimal(result, -1.5, {"corn": 5, "fund": "small"}, offer="deal_15")


def test_every_number_of_the_model_is_a_valid_set_path():
    toy = load_instance(TOY)
    for path, value in model_numbers(toy).items():
        assert load_instance(TOY, [(path, value)]) == toy, path


@pytest.mark.parametrize(
    ("assignment", "message"),
    [
        (
            "levers.corn.costs.farmers.per_unit.2.1=3",
            r"'levers\.corn\.costs\.farmers\.per_unit' is a list of 2; address an item as 0\.\.1",
        ),
        (
            "levers.corn.costs.farmers.per_unit.1.1=0.1",
            r"--set: levers\.corn\.costs\.farmers\.per_unit\[1\]: marginal costs must not decrease .*"
            r" \(from --set levers\.corn\.costs\.farmers\.per_unit\.1\.1=0\.1\)",
        ),
        ("red_lines.nothing.max=1", r"no item named 'nothing' in red_lines"),
        (
            "constituencies.farmer.weight=4",
            r"--set: constituencies\.farmer\.weight: unknown path \(did you mean 'constituencies\.farmers\.weight'\?\)",
        ),
        ("constituencies.farmers.wieght=4", r"unknown path \(did you mean 'constituencies\.farmers\.weight'\?\)"),
        ("levers.corn.maxx=4", r"unknown path \(did you mean 'levers\.corn\.max'\?\)"),
        ("red_lines.farm_pan.max=3", r"no item named 'farm_pan' in red_lines \(did you mean 'farm_pain'\?\)"),
        ("red_lines.farm_pain=3", r"set a field of the red line, e\.g\. red_lines\.NAME\.max"),
        ("levers.corn.max.x=3", r"'levers\.corn\.max' is a value, not a mapping; it has no 'x'"),
        ("levers..max=3", r"empty part in the path"),
        ("levers.new.kind=binary", r"--set: levers\.new\.kind: unknown path"),
        (
            "levers.corn.max=abc",
            r"--set: levers\.corn\.max: expected a number, got the string 'abc' \(from --set levers\.corn\.max=abc\)",
        ),
        (
            "levers.corn.max=",
            r"--set: levers\.corn\.max: expected a number, got nothing \(null\) \(from --set levers\.corn\.max=null\)",
        ),
        ("levers.corn.max=2e6", r"levers\.corn\.max: must be <= 1e\+06"),
        ("constituencies.farmers.weight=-1", r"constituencies\.farmers\.weight: must be >= 0, got -1"),
        ("constituencies.farmers.weight=yes", r"expected a number, got the string 'yes'"),
        ("constituencies.farmers.weight=.nan", r"must be a finite number"),
        ("levers.fund.required=on", r"levers\.fund\.required: expected true or false, got the string 'on'"),
        ("levers.corn.min_if_used=0", r"levers\.corn\.min_if_used: this continuous lever has a fixed cost"),
        ("offers.deal_15.requires.nometric=3", r"unknown metric 'nometric'"),
    ],
)
def test_bad_overrides(assignment, message):
    with pytest.raises(InputError, match=message):
        load_instance(TOY, [parse_assignment(assignment)])


@pytest.mark.parametrize(
    ("assignment", "message"),
    [
        ("nonsense", r"--set: nonsense: expected PATH=VALUE"),
        ("=3", r"expected PATH=VALUE"),
        ("levers.corn.max=[1", r"--set: levers\.corn\.max: YAML syntax error"),
        ("levers.corn.max=!!str 5", r"--set: levers\.corn\.max: .*YAML tags"),
        ("levers.corn.max=*x", r"aliases"),
    ],
)
def test_unparseable_assignments(assignment, message):
    with pytest.raises(InputError, match=message):
        parse_assignment(assignment)


def test_cli_set(cli, tmp_path):
    out = tmp_path / "out"
    code, stdout, _ = cli("solve", TOY, "--set", "constituencies.farmers.weight=5", "--out", out)
    assert code == 0
    assert "no_deal" in (out / "summary.json").read_text(encoding="utf-8")
    assert "constituencies.farmers.weight=5" in (out / "summary.json").read_text(encoding="utf-8")


def test_cli_bad_set_writes_nothing(cli, tmp_path):
    out = tmp_path / "out"
    code, stdout, stderr = cli(
        "solve", TOY, "--set", "constituencies.farmer.weight=4", "--set", "levers.corn.max=abc", "--out", out
    )
    assert code == 2
    assert "did you mean 'constituencies.farmers.weight'" in stdout + stderr
    assert not out.exists()
    code, stdout, stderr = cli("solve", TOY, "--set", "levers.corn.max=[1", "--set", "oops", "--out", out)
    assert code == 2
    assert "YAML syntax error" in stdout + stderr and "expected PATH=VALUE" in stdout + stderr
    assert not out.exists()


@settings(deadline=None)
@given(seed=st.integers(0, 10_000), data=st.data())
def test_with_numbers_builds_what_apply_overrides_validates(seed, data):
    """The sweep's shortcut for validated number-only scenarios gives the very instance validation gives."""
    base = load(generate_instance(levers=8, seed=seed))
    numbers = model_numbers(base.instance)
    paths = data.draw(st.lists(st.sampled_from(sorted(numbers)), min_size=1, max_size=4, unique=True))
    changed = {path: numbers[path] * data.draw(st.sampled_from([0.0, 0.5, 1.0, 1.5, 3.0])) for path in paths}
    before = base.instance.model_dump()
    try:
        validated = apply_overrides(base, list(changed.items())).instance
    except InputError:
        return  # an invalid scenario never reaches the shortcut
    assert with_numbers(base.instance, changed) == validated
    assert base.instance.model_dump() == before  # the base is shared, never changed
