"""Dated provenance: the entry model, the functions, and the dating test of the shipped real-world instances.

The instance format holds ``as_of`` and ``provenance`` (:class:`optimizer.schema.Instance`), and
loading an instance runs :func:`optimizer.provenance.dating_problems` as a domain check: a dating
problem is an :class:`~optimizer.errors.InputError` naming ``provenance.<path>`` at the entry's
line. Schema-only checks build :class:`~optimizer.schema.Instance` directly.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from conftest import instance, write
from pydantic import ValidationError

from optimizer import load_instance
from optimizer.errors import InputError
from optimizer.provenance import (
    AUDIT_COLUMNS,
    audit_rows,
    dating_problems,
    markdown_row,
    missing_provenance,
)
from optimizer.schema import Instance, ProvenanceEntry, known_by_date
from optimizer.yamlfile import dump, parse_text

ROOT = Path(__file__).resolve().parent.parent
REAL_WORLD = ["us_japan_2025", "us_japan_2025_july", "uk_us_2025"]
AUDITED = ["us_japan_2025", "uk_us_2025"]
"""Instances whose audit table is in docs/calibration.md (the July instance is explained there in prose)."""


def shipped(name: str) -> Instance:
    """A shipped instance, loaded whole (dating sections included) as a user loads it."""
    return load_instance(ROOT / "instances" / f"{name}.yaml")


# -- the dating test ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", REAL_WORLD)
def test_a_shipped_real_world_instance_is_dated_and_every_number_to_defend_has_provenance(name):
    real = shipped(name)
    assert real.as_of is not None
    assert missing_provenance(real) == []
    assert dating_problems(real) == []


def test_the_flagship_is_dated_by_the_poll_it_cites():
    flagship = shipped("us_japan_2025")
    assert flagship.as_of == "2025-05-18"  # the Mainichi poll of 17-18 May
    assert max(known_by_date(entry) for entry in flagship.provenance.values()) == dt.date(2025, 5, 18)


def test_the_july_instance_is_dated_the_day_after_the_election():
    assert shipped("us_japan_2025_july").as_of == "2025-07-21"


def test_the_may_investment_vehicle_is_sized_by_the_model_with_a_fixed_charge_and_a_choice_of_who_picks():
    """No $550bn option (first reported after as_of): a continuous size, a set-up cost, and who picks the projects."""
    may = shipped("us_japan_2025")
    vehicle = may.levers["investment_vehicle"]
    assert vehicle.kind == "continuous" and vehicle.min_if_used > 0
    assert vehicle.costs["finance"].fixed > 0
    assert may.levers["project_selection"].kind == "choice"
    pairing = {(line.lever, line.needs) for line in may.red_lines if line.kind == "requires"}
    assert {("investment_vehicle", "project_selection"), ("project_selection", "investment_vehicle")} <= pairing


@pytest.mark.parametrize("name", AUDITED)
def test_the_audit_table_in_the_calibration_notes_has_every_provenance_entry(name):
    notes = (ROOT / "docs" / "calibration.md").read_text(encoding="utf-8")
    missing = [row for row in audit_rows(shipped(name)) if markdown_row(row) not in notes]
    assert missing == []


# -- the entry model -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("published", "known_by", "expected"),
    [
        ("2025-05-16", None, dt.date(2025, 5, 16)),
        (2024, None, dt.date(2024, 12, 31)),  # a year counts as known by its last day
        ("FY2024", None, dt.date(2025, 3, 31)),  # April 2024 to March 2025
        (2025, "2025-05-15", dt.date(2025, 5, 15)),
    ],
)
def test_known_by_is_known_by_or_the_end_of_published(published, known_by, expected):
    entry = ProvenanceEntry(source="s", published=published, known_by=known_by, note="reported earlier")
    assert known_by_date(entry) == expected


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"published": 2024}, "give a 'source'"),
        ({"judgement": True, "published": 2024}, "needs a 'note'"),
        ({"source": "s", "published": "2025-02-30"}, "not a calendar date"),
        ({"source": "s", "published": "2025"}, "should match pattern"),
        ({"source": "s", "published": "FY24"}, "nor a fiscal year"),
        ({"source": "s", "published": True}, "valid integer"),
        ({"source": "s", "published": 2025, "known_by": 2025}, "valid string"),
        ({"source": "s", "published": 2025, "known_by": "2025-05-01"}, "known before it was published"),
        ({"source": "s"}, "published"),
        ({"source": "s", "published": 2024, "by": "me"}, "Extra inputs"),
        ({"source": "s", "published": 2024, "limit": "yes"}, "valid boolean"),
    ],
)
def test_a_bad_entry_is_refused_with_its_reason(fields, message):
    with pytest.raises(ValidationError, match=message):
        ProvenanceEntry(**fields)


WITH_DEMAND = dump(instance(demands={"m": 1}))
"""An instance file with a demand ``demands.m`` to give provenance to."""


def test_an_unquoted_date_in_a_file_is_text_and_an_unquoted_year_is_a_year():
    text = WITH_DEMAND + "as_of: 2025-05-18\nprovenance:\n  demands.m: {source: s, published: 2024}\n"
    dated = load_instance(parse_text(text, "<test>").data)
    assert dated.as_of == "2025-05-18"
    assert known_by_date(dated.provenance["demands.m"]) == dt.date(2024, 12, 31)
    year = parse_text(WITH_DEMAND + "as_of: 2025\n", "<test>").data
    with pytest.raises(ValidationError, match="valid string"):
        Instance.model_validate(year)
    with pytest.raises(InputError, match="as_of: expected text, got 2025"):
        load_instance(year)
    with pytest.raises(ValidationError, match="not a calendar date"):
        Instance.model_validate(instance(as_of="2025-13-01"))
    with pytest.raises(InputError, match="as_of: '2025-13-01' is not a calendar date"):
        load_instance(instance(as_of="2025-13-01"))


# -- which numbers need provenance, and what is wrong with it -------------------------------------------


TINY = instance(
    constituencies={"a": {"weight": 2}, "b": {}},
    levers={
        "grain": {"kind": "continuous", "max": 5, "gives": {"m": 1}, "costs": {"a": 1}},
        "jets": {"kind": "integer", "max": 3, "gives": {"m": 1}},
        "flag": {"kind": "binary", "gives": {"m": 1}},
        "fund": {"kind": "choice", "options": {"small": {"gives": {"m": 2}}}},
    },
    offers={"walk": {"walk_away": True}, "deal": {"requires": {"m": 4}, "benefits": {"b": 9}}},
    demands={"m": 1},
    red_lines=[
        {"name": "cap", "kind": "max_cost", "constituency": "a", "max": 3},
        {"name": "band", "kind": "limit", "terms": {"grain": 1}, "min": 1, "max": 4},
        {"name": "only_grain", "kind": "limit", "terms": {"jets": 1}, "max": 2},
        {"name": "never", "kind": "forbid", "levers": ["flag"]},
    ],
)


def test_missing_provenance_lists_every_threshold_weight_cap_and_lever_bound():
    """In the order of :func:`optimizer.paths.number_slots`: weights, lever maxima, requires, demands, red lines."""
    assert missing_provenance(load_instance(TINY)) == [
        "constituencies.a.weight",
        "constituencies.b.weight",
        "levers.grain.max",
        "levers.jets.max",
        "offers.deal.requires.m",
        "demands.m",
        "red_lines.cap.max",
        "red_lines.band.max",
        "red_lines.band.min",
        "red_lines.only_grain.max",
    ]
    covered = TINY | {"provenance": {"levers.jets.max": {"judgement": True, "published": 2024, "note": "n"}}}
    assert "levers.jets.max" not in missing_provenance(load_instance(covered))


def _entry(**fields) -> dict:
    return {"source": "s", "published": "2025-05-01"} | fields


@pytest.mark.parametrize(
    ("path", "fields", "message"),
    [
        ("levers.grian.max", {}, "not a value of this instance"),
        ("levers.flag.max", {}, "not a value of this instance"),  # a binary lever has no bound
        ("offers.walk.requires.m", {}, "not a value of this instance"),
        ("red_lines.nope.max", {}, "not a value of this instance"),
        ("red_lines.band.terms.grain.x", {}, "not a value of this instance"),
        ("levers.grain.costs.a.per_unit.3", {}, "not a value of this instance"),
        ("constituencies.a.weight", {"limit": True}, "'limit' marks a lever bound"),
        ("levers.grain.max", {"published": "2025-05-19"}, "known by 2025-05-19, after as_of 2025-05-18"),
        ("levers.grain.max", {"published": 2025}, "known by 2025-12-31, after as_of 2025-05-18"),
        ("levers.grain.max", {"published": "FY2025"}, "known by 2026-03-31, after as_of 2025-05-18"),
    ],
)
def test_each_dating_problem_is_reported_at_its_entry(path, fields, message, tmp_path):
    """Loading refuses the file, naming the entry and its line; :func:`dating_problems` says the same."""
    head = dump(TINY) + "as_of: 2025-05-18\nprovenance:\n"
    file = write(tmp_path, head + f"  {path}: {json.dumps(_entry(**fields))}\n")  # JSON is YAML in flow style
    with pytest.raises(InputError, match=message) as refused:
        load_instance(file)
    (problem,) = refused.value.problems
    assert problem.path == f"provenance.{path}"
    assert problem.line == head.count("\n") + 1
    assert f"{file}:{problem.line}: provenance.{path}: " in str(problem) and message in str(problem)
    dated = Instance.model_validate(TINY | {"as_of": "2025-05-18", "provenance": {path: _entry(**fields)}})
    problems = dating_problems(dated)
    assert len(problems) == 1 and problems[0][0] == f"provenance.{path}"
    assert message in problems[0][1]


def test_paths_by_red_line_name_list_position_and_a_later_source_reporting_earlier_are_accepted():
    dated = load_instance(
        TINY
        | {
            "as_of": "2025-05-18",
            "provenance": {
                "red_lines.band.min": _entry(),
                "levers.grain.max": _entry(limit=True),
                "levers.jets.max": _entry(published="FY2024"),  # ended 31 March 2025
                "levers.grain.costs.a.per_unit": _entry(),
                "levers.fund.options.small.gives.m": _entry(),
                "offers.deal.benefits.b": _entry(published="2025-06-18", known_by="2025-05-08", note="reports 8 May"),
            },
        }
    )
    assert dating_problems(dated) == []


def test_without_as_of_nothing_is_late_but_a_wrong_path_still_is():
    undated = TINY | {"provenance": {"levers.grain.max": _entry(published=2030), "demands.x": _entry()}}
    assert dating_problems(Instance.model_validate(undated)) == [
        ("provenance.demands.x", "'demands.x' is not a value of this instance")
    ]
    with pytest.raises(InputError) as refused:
        load_instance(undated)
    assert [(p.path, p.message) for p in refused.value.problems] == [
        ("provenance.demands.x", "'demands.x' is not a value of this instance")
    ]


def test_the_audit_rows_show_value_source_dates_and_support():
    audited = load_instance(
        TINY
        | {
            "provenance": {
                "levers.grain.max": _entry(),
                "constituencies.a.weight": {"judgement": True, "published": "FY2024", "note": "n"},
            }
        }
    )
    assert audit_rows(audited) == [
        ("levers.grain.max", "5", "s", "2025-05-01", "2025-05-01", "yes"),
        ("constituencies.a.weight", "2", "ours", "FY2024", "2025-03-31", "judgement"),
    ]
    assert markdown_row(AUDIT_COLUMNS) == "| path | value | source | published | known_by | supported |"
    assert markdown_row(("a|b",)) == "| a\\|b |"


def test_an_override_or_an_explain_edit_takes_the_source_of_what_it_changes_with_it():
    """A number set by --set, a sweep or a relaxation no longer rests on its source; the rest keep theirs."""
    from optimizer.explain import explain
    from optimizer.explain.members import edited, members_of
    from optimizer.instance import load

    data = instance(
        levers={"x": {"kind": "integer", "max": 5, "gives": {"m": 1}, "costs": {"a": 1}}},
        offers={"walk": {"walk_away": True}, "deal": {"requires": {"m": 2}, "benefits": {"a": 4}}},
        red_lines=[{"name": "cap", "kind": "max_cost", "constituency": "a", "max": 3}],
    )
    data["provenance"] = {
        "offers.deal.requires.m": _entry(),
        "red_lines.cap.max": _entry(),
        "constituencies.a.weight": _entry(),
    }
    loaded = load(data)
    overridden = load_instance(data, [("offers.deal.requires.m", None)])
    assert set(overridden.provenance) == {"red_lines.cap.max", "constituencies.a.weight"}
    dropped = edited(loaded, drop=[m for m in members_of(loaded.instance) if m.key == "red_lines.cap.max"])
    assert set(dropped.instance.provenance) == {"offers.deal.requires.m", "constituencies.a.weight"}
    explanation = explain(loaded)  # prices every member by dropping it: each edit stays valid
    assert explanation.result.status == "optimal"
    assert {p.name for p in explanation.red_lines} == {"cap"}
