"""Every layer handles every registered kind: a kind that misses one fails here, not in a user's hands.

The registry must cover exactly the kinds the schema accepts, and one generated instance that holds
every kind must go through every layer: validation, the model (each red line gets rows), the solve,
the independent check, the tables, the members a diagnosis can name, and their words.
"""

from __future__ import annotations

import inspect
from typing import get_args

import pytest

from optimizer import load_instance, solve
from optimizer.explain.members import members_of
from optimizer.explain.words import member_text, relaxation_text
from optimizer.generate import generate_instance
from optimizer.kinds import LEVER_KINDS, RED_LINE_KINDS, LeverKind, RedLineKind, lever_kind, red_line_kind
from optimizer.model import build
from optimizer.schema import Lever, RedLine


def _union_kinds(annotated) -> dict[str, type]:
    members = get_args(get_args(annotated)[0])
    return {get_args(model.model_fields["kind"].annotation)[0]: model for model in members}


@pytest.mark.parametrize(("registry", "union"), [(LEVER_KINDS, Lever), (RED_LINE_KINDS, RedLine)])
def test_the_registry_holds_exactly_the_kinds_the_schema_accepts_with_their_schema(registry, union):
    schema_kinds = _union_kinds(union)
    assert set(registry) == set(schema_kinds)
    for name, kind in registry.items():
        assert kind.name == name
        assert kind.schema is schema_kinds[name]


@pytest.mark.parametrize("kind", [*LEVER_KINDS.values(), *RED_LINE_KINDS.values()], ids=lambda k: k.name)
def test_every_kind_implements_every_layer(kind):
    base = LeverKind if isinstance(kind, LeverKind) else RedLineKind
    assert not inspect.isabstract(type(kind))
    abstract = {name for name, member in vars(base).items() if getattr(member, "__isabstractmethod__", False)}
    for name in abstract:
        assert getattr(type(kind), name) is not getattr(base, name), f"{kind.name} does not implement {name}"
    if isinstance(kind, RedLineKind):
        assert kind.value_meaning
        assert (kind.constrain.__doc__ or "").count(".. math::") == 1, "its constraint family states its math"


def _with_a_rectangle(data: dict) -> dict:
    """The generated instance plus one rectangle lever over its two choice levers (``dealopt generate`` makes
    none: a rectangle models nonlinear negotiation domains, not trade concessions)."""
    data["levers"]["bonus"] = {
        "kind": "rectangle",
        "when": {"lever_0004": ["option_0", "option_1"], "lever_0009": ["option_1", "option_2"]},
        "gives": {"symbolic": {"fixed": 0.5}},
        "costs": {"group_0": {"fixed": -0.2}},
    }
    return data


GENERATED = load_instance(_with_a_rectangle(generate_instance(levers=10, seed=3)))


def test_the_generated_instance_holds_every_kind():
    assert {lever.kind for lever in GENERATED.levers.values()} == set(LEVER_KINDS)
    assert {line.kind for line in GENERATED.red_lines} == set(RED_LINE_KINDS)


def test_every_red_line_of_every_kind_has_rows_members_a_state_and_words():
    model = build(GENERATED)
    result = solve(GENERATED.model_dump(mode="json", exclude_none=True))
    assert result.status == "optimal" and result.verified
    table = result.tables["red_lines"].set_index("red_line")
    members = members_of(GENERATED)
    for line in GENERATED.red_lines:
        kind = red_line_kind(line)
        own = [m for m in members if m.family == "red_line" and m.name == line.name]
        assert own == kind.members(line)
        assert any(model.rows(m.kind, m.name) for m in own), line.name
        assert table.loc[line.name, "kind"] == line.kind
        assert table.loc[line.name, "binding"] in (True, False)
        for member in own:
            assert member_text(GENERATED, member)
            moved = member.loosened(1.0) if member.numeric else None
            assert relaxation_text(GENERATED, member, moved)


def test_every_lever_of_every_kind_is_checked_tabled_and_put_in_words():
    result = solve(GENERATED.model_dump(mode="json", exclude_none=True))
    package = result.package
    used = package.levers()
    table = result.tables["package"].set_index("lever")
    for j, lever in GENERATED.levers.items():
        kind = lever_kind(lever)
        assert kind.violations(j, lever, package) == []
        if j in used:
            assert kind.in_words(j, used[j]).startswith(j)
            assert table.loc[j, "kind"] == lever.kind
        for member in kind.members(j, lever):
            assert member_text(GENERATED, member)
    assert {lever.kind for j, lever in GENERATED.levers.items() if j in used} >= {"binary", "choice"}
