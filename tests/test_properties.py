"""Random small instances: dealopt agrees with the brute force, and every optimal package passes the check."""

from __future__ import annotations

import copy

from brute_force import brute_force, instances
from conftest import TOY, solve
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from optimizer import load_instance
from optimizer.evaluate import evaluate
from optimizer.yamlfile import dump, parse_text


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_dealopt_agrees_with_brute_force(data):
    result = solve(data)
    assert result.status in ("optimal", "infeasible"), (result.status, result.message, result.reasons, result.errors)
    best = brute_force(data)
    if best is None:
        assert result.status == "infeasible"
        return
    assert result.status == "optimal", result.reasons
    assert abs(result.objective - best) <= 1e-6 * max(1.0, abs(best)), (result.objective, best)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_every_optimal_package_passes_evaluate(data):
    result = solve(data)
    assert result.status in ("optimal", "infeasible"), (result.status, result.message, result.reasons)
    if result.status == "optimal":
        evaluation = evaluate(result.instance, result.package)
        assert evaluation.violations == []
        assert abs(evaluation.objective - result.objective) <= 1e-6 * max(1.0, abs(result.objective))
        weighted = result.tables["constituencies"]["weighted_net"].sum()
        assert abs(weighted - result.objective) <= 1e-6 * max(1.0, abs(result.objective))


@settings(deadline=None)
@given(instances())
def test_a_saved_instance_reads_back_identically(data):
    # what save.py writes as instance.yaml: the normalised instance without unset keys
    instance = load_instance(data)
    text = dump(instance.model_dump(mode="json", exclude_none=True))
    assert load_instance(parse_text(text, "instance.yaml").data) == instance


def _paths(node, prefix=()):
    if prefix:
        yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, (*prefix, index))


TOY_DATA = parse_text(TOY.read_text(encoding="utf-8"), "toy.yaml").data
TOY_PATHS = list(_paths(TOY_DATA))
ODD_VALUES = [
    None,
    "",
    "no",
    "corn",
    "deal_15",
    -1,
    0,
    2.5,
    1e12,
    10**30,
    True,
    [],
    {},
    [1],
    [[1, 2]],
    {"a": 1},
    {"kind": "binary"},
    float("nan"),
    float("inf"),
    ["corn", "corn"],
    {"fixed": "a"},
]


@settings(deadline=None)
@given(st.lists(st.tuples(st.sampled_from(TOY_PATHS), st.sampled_from(ODD_VALUES)), min_size=1, max_size=3))
def test_any_edit_of_the_toy_is_answered_or_rejected_never_crashes(edits):
    data = copy.deepcopy(TOY_DATA)
    for path, value in edits:
        node = data
        try:
            for part in path[:-1]:
                node = node[part]
            node[path[-1]] = copy.deepcopy(value)
        except (KeyError, IndexError, TypeError):
            continue
    result = solve(data)
    assert result.status in ("optimal", "infeasible", "invalid"), (result.status, result.message, result.reasons)
    if result.status == "invalid":
        assert result.errors and all(problem.message for problem in result.errors)
