"""GENIUS and GeniusWeb domains: import, the merged frontier against enumeration, export round trips, refusals."""

from __future__ import annotations

import importlib.util
import itertools
import json
from pathlib import Path

import numpy as np
import pytest
import yaml
from brute_force import pareto_points
from hypothesis import given
from hypothesis import strategies as st

from optimizer.errors import InputError
from optimizer.frontier.analysis import analyse
from optimizer.genius.command import imported
from optimizer.genius.frontier import merged_analysis
from optimizer.genius.merge import merge_frontier
from optimizer.genius.safe import Node
from optimizer.genius.space import read_domain, read_profile
from optimizer.instance import load

PICNIC = Path(__file__).parent / "data" / "genius" / "picnic"
XML = [PICNIC / f"picnic-{part}.xml" for part in ("domain", "ours", "theirs")]
JSON = [PICNIC / f"picnic-{part}.json" for part in ("domain", "ours", "theirs")]

_spec = importlib.util.spec_from_file_location(
    "genius_domains", Path(__file__).parents[1] / "bench" / "genius_domains.py"
)
domains = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(domains)


def _frontier(loaded) -> list[tuple[float, float]]:
    analysis, _ = merged_analysis(loaded)
    return [(p.ours, p.theirs) for p in analysis.frontier.points]


def _close(a: list[tuple[float, float]], b: list[tuple[float, float]]) -> bool:
    return len(a) == len(b) and all(np.allclose(x, y, rtol=0, atol=1e-12) for x, y in zip(a, b, strict=True))


# -- a hand-worked domain ---------------------------------------------------------------------
# Food (index 3): ours 2, 4, 1 -> divided by the largest, 4: 0.5, 1, 0.25, weight 0.6;
#                 theirs 1, 2, 4 -> 0.25, 0.5, 1, weight 0.5.
# Music (index 7): ours 1, 0.5 (largest 1: as written), weight 0.4; theirs 0.25, 1, weight 0.5.
# Utilities (ours, theirs): Chips+MP3 (.7, .25), Chips+Band (.5, .625), Finger+MP3 (1, .375),
# Finger+Band (.8, .75), Catering+MP3 (.55, .625), Catering+Band (.35, 1).
# Frontier: (1, .375), (.8, .75), (.35, 1); ours = u - 1.
HAND_FRONTIER = [(0.0, 0.375), (-0.2, 0.75), (-0.65, 1.0)]


@pytest.mark.parametrize("files", [XML, JSON], ids=["genius-xml", "geniusweb-json"])
def test_the_hand_worked_domain_imports_to_its_hand_worked_frontier(files):
    data = imported(*files, "genius")
    loaded = load(data)
    assert _close(_frontier(loaded), HAND_FRONTIER)
    assert data["name"] == "picnic"  # the domain's own name, in either format
    food = data["levers"]["Food"]
    assert food["required"] and food["kind"] == "choice"
    assert food["options"]["Finger-Food"]["label"] == "Finger-Food"
    assert data["counterpart"]["value"] == {"their_utility": 1.0}


def test_the_hand_worked_reservations_are_the_disagreement_point_and_our_red_line():
    data = imported(*XML, "genius")
    assert data["counterpart"]["disagreement"] == pytest.approx({"ours": -0.7, "theirs": 0.2})
    assert data["red_lines"] == [
        {
            "name": "our_reservation",
            "kind": "max_cost",
            "constituency": "ours",
            "max": pytest.approx(0.7),
            "reason": "no deal below our reservation value (cost = 1 - utility)",
        }
    ]
    assert data["genius"]["discount_ours"] == 0.9 and data["genius"]["domain"] == "picnic-domain.xml"


def test_the_merge_and_the_milp_walk_find_the_same_hand_worked_frontier():
    loaded = load(imported(*XML, "genius"))
    walked = [(p.ours, p.theirs) for p in analyse(loaded).frontier.points]
    assert _close(walked, HAND_FRONTIER)


def test_negmas_semantics_take_discrete_evaluations_as_written_and_find_issues_by_position(tmp_path):
    domain = domains.random_domain(2, issues=2, values=3, whole_evaluations=True)
    files = domains.write_xml(domain, tmp_path)
    data = imported(*files, "negmas")
    profile = domain["profiles"]["ours"]
    weight, evaluations = profile["weights"]["issue0"], profile["evaluators"]["issue0"]
    costs = [o["costs"]["ours"] for o in data["levers"]["issue0"]["options"].values()]
    assert costs == pytest.approx([0.5 - weight * e for e in evaluations])
    assert data["genius"]["semantics"] == "negmas"
    with pytest.raises(InputError, match="no issue of the domain has this index"):
        imported(*XML, "negmas")  # picnic's issues are numbered 3 and 7: NegMAS looks them up by position


# -- generated domains, every evaluator and edge case ----------------------------------------


def _enumerated(domain: dict, red_line: float | None) -> list[tuple[float, float]]:
    """The frontier by enumerating every outcome with GENIUS's own formulas (bench/genius_domains.py)."""
    sizes = [len(issue["values"]) for issue in domain["issues"]]
    points = []
    for outcome in itertools.product(*(range(n) for n in sizes)):
        ours = domains.genius_utility(domain, "ours", outcome)
        if red_line is None or ours >= red_line - 1e-12:
            points.append((ours - 1.0, domains.genius_utility(domain, "theirs", outcome)))
    return pareto_points(points)


@pytest.mark.parametrize(
    ("seed", "options"),
    [
        (1, {"first_index": 5}),
        (2, {"whole_evaluations": True}),
        (3, {"anti_correlated": True}),
        (4, {"whole_evaluations": True, "anti_correlated": True, "first_index": 0}),
    ],
)
def test_generated_xml_domains_give_the_enumerated_frontier(tmp_path, seed, options):
    domain = domains.random_domain(seed, issues=4, values=4, **options)
    domain["profiles"]["ours"]["weights"]["issue1"] = 0.0  # a zero weight: every value ties for us
    domain["profiles"]["theirs"]["evaluators"]["issue2"] = [0.5] * 4  # ties for them
    files = domains.write_xml(domain, tmp_path)
    loaded = load(imported(*files, "genius"))
    assert _close(_frontier(loaded), _enumerated(domain, domain["profiles"]["ours"]["reservation"]))


def test_generated_json_domains_import_like_their_xml_twins(tmp_path):
    domain = domains.random_domain(7, issues=3, values=5)
    from_xml = imported(*domains.write_xml(domain, tmp_path / "xml"), "genius")
    from_json = imported(*domains.write_json(domain, tmp_path / "json"), "genius")
    assert from_json["levers"] == from_xml["levers"]


def test_integer_and_real_issues_become_choice_integer_and_continuous_levers(tmp_path):
    domain = domains.random_domain(5, issues=1, values=3, first_index=4)
    domain["issues"] += [
        {"name": "days", "index": 9, "type": "integer", "low": 2, "high": 6},
        {"name": "volume", "index": 11, "type": "integer", "low": 0, "high": 2000},
        {"name": "price", "index": 12, "type": "real", "low": 10.0, "high": 20.0},
    ]
    for side, sign in (("ours", 1), ("theirs", -1)):
        profile = domain["profiles"][side]
        profile["evaluators"] |= {
            "days": {"slope": 0.5 * sign, "offset": 0.0 if sign > 0 else 1.0},  # clamped at 1 and 0 from day 4
            "volume": {"slope": 0.0005 * sign, "offset": 0.0 if sign > 0 else 1.0},
            "price": {"parameter0": -1.0 if sign > 0 else 2.0, "parameter1": 0.1 * sign},
        }
        profile["weights"] = {"issue0": 0.4, "days": 0.2, "volume": 0.2, "price": 0.2}
    data = imported(*domains.write_xml(domain, tmp_path), "genius")
    levers = data["levers"]
    assert levers["days"]["kind"] == "choice" and list(levers["days"]["options"]) == [f"v{d}" for d in range(2, 7)]
    # days for us: min(1, 0.5 (d - 2)) * 0.2 -> 0, 0.1, 0.2, 0.2, 0.2; cost 1/4 minus that
    assert [o["costs"]["ours"] for o in levers["days"]["options"].values()] == pytest.approx(
        [0.25, 0.15, 0.05, 0.05, 0.05]
    )
    assert levers["volume"]["kind"] == "integer" and levers["volume"]["max"] == 2000
    assert levers["price"]["kind"] == "continuous" and levers["price"]["max"] == 10
    assert levers["price"]["costs"]["ours"]["per_unit"] == pytest.approx(-0.02)
    # the base option: 1/4 - 0 for volume and 1/4 - 0 for price (both at 0 at their low) for us
    assert levers["base"]["options"]["at_low"]["costs"]["ours"] == pytest.approx(0.5)
    assert levers["base"]["options"]["at_low"]["gives"]["their_utility"] == pytest.approx(0.4)
    loaded = load(data)
    best = analyse(loaded, max_points=50)
    assert best.frontier.points and all(not p.found.evaluation.violations for p in best.frontier.points)


def test_a_linear_evaluator_that_genius_would_clamp_is_refused(tmp_path):
    domain = domains.random_domain(5, issues=1, values=2)
    domain["issues"].append({"name": "price", "index": 2, "type": "real", "low": 0.0, "high": 20.0})
    for side in ("ours", "theirs"):
        domain["profiles"][side]["evaluators"]["price"] = {"parameter0": 0.0, "parameter1": 0.1}
        domain["profiles"][side]["weights"] = {"issue0": 0.5, "price": 0.5}
    files = domains.write_xml(domain, tmp_path)
    with pytest.raises(InputError, match="clamps it"):
        imported(*files, "genius")


@given(
    st.lists(
        st.lists(st.tuples(st.integers(-5, 5), st.integers(-5, 5)), min_size=1, max_size=4), min_size=1, max_size=5
    )
)
def test_the_merge_is_the_frontier_of_every_outcome(issues):
    contributions = [(np.array([o / 4 for o, _ in i]), np.array([t / 4 for _, t in i])) for i in issues]
    merged = merge_frontier(contributions)
    sums = [
        (
            sum(c[0][v] for c, v in zip(contributions, outcome, strict=True)),
            sum(c[1][v] for c, v in zip(contributions, outcome, strict=True)),
        )
        for outcome in itertools.product(*(range(len(c[0])) for c in contributions))
    ]
    assert _close(list(zip(merged.ours, merged.theirs, strict=True)), pareto_points(sums))
    for row, ours, theirs in zip(merged.choices, merged.ours, merged.theirs, strict=True):
        assert sum(c[0][v] for c, v in zip(contributions, row, strict=True)) == pytest.approx(ours, abs=1e-12)
        assert sum(c[1][v] for c, v in zip(contributions, row, strict=True)) == pytest.approx(theirs, abs=1e-12)


# -- the command line -------------------------------------------------------------------------


def test_frontier_genius_names_its_folder_after_the_domain_and_counts_outcomes(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, _ = cli("frontier", "--genius", *XML, "--json")
    assert code == 0
    summary = json.loads(out)
    assert summary["method"] == "merge" and summary["outcomes"] == 6 and summary["frontier_size"] == 3
    assert summary["nash"]["package"] == {"Food": "Finger-Food", "Music": "Band"}
    assert (tmp_path / "results" / "picnic_frontier" / "frontier.csv").exists()


def test_frontier_beyond_max_points_is_partial(cli, tmp_path):
    domain = domains.random_domain(3, issues=4, values=5, anti_correlated=True)
    files = domains.write_xml(domain, tmp_path / "d")
    code, out, _ = cli("frontier", "--genius", *files, "--max-points", "3", "--no-save", "--json")
    summary = json.loads(out)
    assert code == 0 and summary["status"] == "partial" and len(summary["points"]) == 3
    assert summary["frontier_size"] > 3


TRADE = [
    Path(__file__).parent / "data" / "genius" / "trade" / f"trade-{part}.xml" for part in ("domain", "ours", "theirs")
]


def test_discrete_evaluations_are_divided_by_the_exact_largest_one_without_rounding():
    # colour: ours 2.4, 3.6, 1.2, 1.4 -> / 3.6 (not rounded to 2/4, 4/4, 1/4, 1/4); size: ours 0.1, 0.4, 0.3 -> / 0.4
    loaded = load(imported(*TRADE, "genius"))
    frontier = _frontier(loaded)
    assert len(frontier) == 12 and frontier[0] == pytest.approx((0.0, 0.285), abs=1e-12)
    analysis, _ = merged_analysis(loaded)
    nash = analysis.bargaining.nash.found
    assert (nash.ours, nash.theirs) == pytest.approx((-0.3766666666666667, 0.77), abs=1e-12)


def test_a_discrete_issue_whose_largest_evaluation_is_below_1e_5_evaluates_to_0(tmp_path):
    domain = domains.random_domain(5, issues=2, values=3)
    domain["profiles"]["ours"]["evaluators"]["issue0"] = [1e-6, 5e-6, 0.0]
    ours = read_profile(domains.write_xml(domain, tmp_path)[1], read_domain(domains.write_xml(domain, tmp_path)[0]))
    assert ours.tables["issue0"] == [0.0, 0.0, 0.0]


@pytest.mark.parametrize("max_points", [2, 3])
def test_bargaining_solutions_of_a_partial_merged_frontier_are_those_of_the_whole_frontier(cli, max_points):
    def solutions(*extra):
        code, out, _ = cli("frontier", "--genius", *TRADE, "--no-save", "--json", *extra)
        assert code == 0
        summary = json.loads(out)
        return summary, [
            summary[k][v] for k in ("nash", "kalai_smorodinsky", "egalitarian") for v in ("ours", "theirs")
        ]

    whole, expected = solutions()
    partial, got = solutions("--max-points", str(max_points))
    assert partial["status"] == "partial" and len(partial["points"]) == max_points
    assert whole["status"] != "partial" and got == pytest.approx(expected, abs=1e-12)
    assert all(abs(p["theirs"] - 0.77) > 1e-9 for p in partial["points"])  # Nash is not among the points shown


def test_import_writes_an_instance_that_loads(cli, tmp_path):
    target = tmp_path / "picnic.yaml"
    code, _, _ = cli("import-genius", *XML, "-o", target)
    assert code == 0
    assert load(target).instance.genius.theirs == "picnic-theirs.xml"


def test_import_to_an_unwritable_out_is_refused_and_writes_nothing(cli, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    code, _, err = cli("import-genius", *XML, "-o", blocker / "x.yaml")
    assert code == 2 and "--out: cannot be written" in err
    assert blocker.read_text() == "" and list(tmp_path.iterdir()) == [blocker]


def test_export_then_import_gives_the_same_instance(cli, tmp_path):
    first = tmp_path / "first.yaml"
    assert cli("import-genius", *XML, "-o", first)[0] == 0
    assert cli("export-genius", first, "-o", tmp_path / "exported")[0] == 0
    name = load(first).instance.name
    again = imported(*(tmp_path / "exported" / f"{name}-{part}.xml" for part in ("domain", "ours", "theirs")), "genius")
    before = yaml.safe_load(first.read_text())
    for data in (before, again):
        data.pop("genius"), data.pop("constituencies"), data.pop("metrics")  # they name the files read
    assert before["name"] == again["name"] == "picnic" and _same(before, again)


def _same(a, b) -> bool:
    """Equal structure, numbers equal to 1e-12."""
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return isinstance(b, list) and len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float | int) and not isinstance(a, bool):
        return abs(a - b) <= 1e-12
    return a == b


def _no_red_line(data):
    data.pop("red_lines")


def _other_disagreement(data):
    data["counterpart"]["disagreement"]["ours"] = -0.5


def _weight_2(data):
    data["constituencies"]["ours"]["weight"] = 2.0


def _their_utilities_past_1(data):
    data["levers"]["Food"]["options"]["Catering"]["gives"]["their_utility"] = 1.7


@pytest.mark.parametrize(
    ("change", "says"),
    [
        (
            _no_red_line,
            "counterpart.disagreement.ours: cannot export to GENIUS: the disagreement for us is -0.7; without",
        ),
        (
            _other_disagreement,
            "counterpart.disagreement.ours: cannot export to GENIUS: the disagreement for us is -0.5",
        ),
        (_weight_2, "constituencies.ours.weight: cannot export to GENIUS"),
        (_their_utilities_past_1, "levers: cannot export to GENIUS: their best utility would be 2.2"),
    ],
    ids=["no-red-line", "disagreement-off-the-red-line", "weight-2", "their-utilities-past-1"],
)
def test_export_refuses_what_genius_would_read_differently(cli, tmp_path, change, says):
    data = imported(*XML, "genius")
    change(data)
    path = tmp_path / "changed.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    code, _, err = cli("export-genius", path, "-o", tmp_path / "out")
    assert code == 2 and says in err and not (tmp_path / "out").exists()


def test_export_of_an_instance_with_offers_names_what_blocks_it(cli, tmp_path):
    code, _, err = cli("export-genius", Path(__file__).parent / "data" / "toy.yaml", "-o", tmp_path / "out")
    assert code == 2 and "cannot export to GENIUS" in err and "offers" in err
    assert not (tmp_path / "out").exists()


# -- refusals: one test per error path ----------------------------------------------------------

BOMB = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>
<negotiation_template>&lol2;</negotiation_template>
"""
DTD_ONLY = """<?xml version="1.0"?>
<!DOCTYPE negotiation_template SYSTEM "http://example.invalid/x.dtd">
<negotiation_template/>
"""


@pytest.mark.parametrize(("text", "says"), [(BOMB, "refused"), (DTD_ONLY, "DTD")], ids=["entity", "dtd"])
def test_an_xml_domain_with_a_dtd_or_entities_is_refused_and_nothing_written(cli, tmp_path, text, says):
    bad = tmp_path / "bad-domain.xml"
    bad.write_text(text)
    target = tmp_path / "out.yaml"
    code, _, err = cli("import-genius", bad, XML[1], XML[2], "-o", target)
    assert code == 2 and "bad-domain.xml:2" in err and says in err
    assert not target.exists()


def test_a_huge_file_is_refused_unread(cli, tmp_path):
    huge = tmp_path / "huge-domain.xml"
    with huge.open("wb") as stream:
        stream.truncate(17 * 2**20)
    code, _, err = cli("import-genius", huge, XML[1], XML[2])
    assert code == 2 and "huge-domain.xml:1" in err and "16 MiB" in err


def test_deeply_nested_json_is_refused(cli, tmp_path):
    deep = tmp_path / "deep-domain.json"
    deep.write_text("[" * 100 + "]" * 100)
    code, _, err = cli("import-genius", deep, JSON[1], JSON[2])
    assert code == 2 and "deeper than 64" in err


def test_deeply_nested_xml_is_refused_with_its_line_and_element(cli, tmp_path):
    deep = tmp_path / "deep-domain.xml"
    deep.write_text("<a>\n" * 50_000 + "</a>" * 50_000)
    code, _, err = cli("import-genius", deep, *XML[1:], "-o", tmp_path / "x.yaml")
    assert code == 2 and "deep-domain.xml:65: <a>" in err and "deeper than 64" in err
    assert not (tmp_path / "x.yaml").exists()


def test_finding_elements_in_a_deep_tree_does_not_recurse():
    root = node = Node("a", {}, 1)
    for line in range(2, 5_000):
        node.children.append(Node("a", {}, line))
        node = node.children[0]
    assert len(root.descendants("a")) == 4_998


def test_a_malformed_profile_names_its_file_line_and_element(cli, tmp_path):
    text = XML[1].read_text().replace('value="Finger-Food" evaluation="4"', 'value="Finger-Food" evaluation="many"')
    bad = tmp_path / "bad-ours.xml"
    bad.write_text(text)
    code, _, err = cli("import-genius", XML[0], bad, XML[2])
    assert code == 2 and "bad-ours.xml:5: <item evaluation>: 'many' is not a number" in err


def test_a_profile_weight_for_an_unknown_issue_is_refused(cli, tmp_path):
    bad = tmp_path / "bad-theirs.xml"
    bad.write_text(XML[2].read_text().replace('<weight index="7"', '<weight index="8"'))
    code, _, err = cli("import-genius", XML[0], XML[1], bad)
    assert code == 2 and "<weight index=8>: no issue of the domain has this index" in err


@pytest.mark.parametrize(
    ("old", "new", "says"),
    [
        ('"Food": 0.6', '"Food": 0.9', "bad-ours.json:22: issueWeights: the weights sum to 1.3; GeniusWeb requires"),
        ('"Food": 0.6', '"Food": 0.5', "bad-ours.json:22: issueWeights: the weights sum to 0.9; GeniusWeb requires"),
        (
            '"Music": 0.4',
            '"Music": 0.4, "Drinks": 0',
            "bad-ours.json:24: issueWeights.Drinks: 'Drinks' is not an issue",
        ),
        ('"Finger-Food": 1,', '"Finger-Food": 1.5,', "bad-ours.json:31: issueUtilities.Food.Finger-Food: a utility"),
        ('"Catering": 0.25', '"Catering": -0.25', "bad-ours.json:32: issueUtilities.Food.Catering: a utility"),
        ('"name": "picnic"', '"name": "elsewhere"', "bad-ours.json:4: domain.name: the profile is for domain 'else"),
    ],
    ids=["weights-over-1", "weights-under-1", "unknown-issue", "utility-over-1", "utility-below-0", "other-domain"],
)
def test_a_geniusweb_profile_out_of_bounds_or_for_another_domain_is_refused_at_its_line(cli, tmp_path, old, new, says):
    bad = tmp_path / "bad-ours.json"
    bad.write_text(JSON[1].read_text().replace(old, new))
    code, _, err = cli("import-genius", JSON[0], bad, JSON[2], "-o", tmp_path / "x.yaml")
    assert code == 2 and says in err and not (tmp_path / "x.yaml").exists()


def test_an_xml_profile_whose_best_outcome_passes_1_is_refused_at_its_first_weight(cli, tmp_path):
    bad = tmp_path / "bad-ours.xml"
    bad.write_text(XML[1].read_text().replace('<weight index="7" value="0.4"/>', '<weight index="7" value="0.6"/>'))
    code, _, err = cli("import-genius", XML[0], bad, XML[2])
    assert code == 2 and "bad-ours.xml:8: <weight>: the best outcome's utility is 1.2" in err


def test_a_profile_whose_integer_bounds_are_not_the_domains_is_refused(cli, tmp_path):
    bad = tmp_path / "bad-ours.xml"
    bad.write_text(TRADE[1].read_text().replace('lowerbound="3" upperbound="9"', 'lowerbound="0" upperbound="9"'))
    code, _, err = cli("import-genius", TRADE[0], bad, TRADE[2])
    assert code == 2 and "bad-ours.xml:10: <issue name='days'>: the profile's bounds 0 to 9 are not the domain's" in err


def test_malformed_json_names_its_line(cli, tmp_path):
    bad = tmp_path / "bad-ours.json"
    bad.write_text('{\n "LinearAdditiveUtilitySpace": {\n  "issueUtilities": ,\n }\n}')
    code, _, err = cli("import-genius", JSON[0], bad, JSON[2])
    assert code == 2 and "bad-ours.json:3" in err and "not valid JSON" in err


def test_geniusweb_number_issues_are_read_as_lines_through_their_two_points(tmp_path):
    domain = {"name": "numbers", "issuesValues": {"days": {"range": {"low": 1, "high": 3, "step": 1}}}}
    (tmp_path / "d.json").write_text(json.dumps(domain))
    for side, (low, high) in (("ours", (0.0, 1.0)), ("theirs", (1.0, 0.5))):
        line = {"lowValue": 1, "lowUtility": low, "highValue": 3, "highUtility": high}
        space = {"issueUtilities": {"days": {"NumberValueSetUtilities": line}}, "issueWeights": {"days": 1.0}}
        (tmp_path / f"{side}.json").write_text(json.dumps({"LinearAdditiveUtilitySpace": space}))
    data = imported(tmp_path / "d.json", tmp_path / "ours.json", tmp_path / "theirs.json", "genius")
    options = data["levers"]["days"]["options"]
    assert list(options) == ["v1", "v2", "v3"]
    assert [o["costs"]["ours"] for o in options.values()] == pytest.approx([1.0, 0.5, 0.0])
    assert [o["gives"]["their_utility"] for o in options.values()] == pytest.approx([1.0, 0.75, 0.5])


@pytest.mark.parametrize(
    ("issue", "line", "says"),
    [
        ({"range": {"low": 0, "high": 3, "step": 1}}, (1, 3), "must be the issue's range, 0 to 3"),
        ({"range": {"low": 1, "high": 2, "step": 1}}, (1, 3), "must be the issue's range, 1 to 2"),
        ({"values": ["1", "2", "3"]}, (1, 3), "need a number issue (a 'range'), not listed values"),
    ],
    ids=["wider-range", "narrower-range", "listed-values"],
)
def test_number_utilities_must_span_exactly_their_issue_s_range_as_geniusweb_requires(cli, tmp_path, issue, line, says):
    """GeniusWeb's NumberValueSetUtilities.isFitting refuses any other span (and values outside it would score 0)."""
    (tmp_path / "d.json").write_text(json.dumps({"name": "numbers", "issuesValues": {"days": issue}}))
    spec = {"lowValue": line[0], "lowUtility": 0.0, "highValue": line[1], "highUtility": 1.0}
    space = {"issueUtilities": {"days": {"NumberValueSetUtilities": spec}}, "issueWeights": {"days": 1.0}}
    for side in ("ours", "theirs"):
        (tmp_path / f"{side}.json").write_text(json.dumps({"LinearAdditiveUtilitySpace": space}))
    out = tmp_path / "x.yaml"
    code, _, err = cli(
        "import-genius", tmp_path / "d.json", tmp_path / "ours.json", tmp_path / "theirs.json", "-o", out
    )
    assert code == 2 and "ours.json:1: issueUtilities.days: " in err and says in err and not out.exists()


@pytest.mark.parametrize("seed", [11, 12])
def test_generated_domains_survive_a_round_trip(cli, tmp_path, seed):
    domain = domains.random_domain(seed, issues=3, values=4, first_index=3, whole_evaluations=True)
    domain["profiles"]["theirs"]["weights"]["issue0"] = 0.0
    first = imported(*domains.write_xml(domain, tmp_path / "in"), "genius")
    path = tmp_path / "first.yaml"
    path.write_text(yaml.safe_dump(first, sort_keys=False))
    assert cli("export-genius", path, "-o", tmp_path / "out")[0] == 0
    files = [tmp_path / "out" / f"{first['name']}-{part}.xml" for part in ("domain", "ours", "theirs")]
    again = imported(*files, "genius")
    assert _same(first["levers"], again["levers"]) and _same(first["red_lines"], again["red_lines"])
    assert _same(first["counterpart"], again["counterpart"])
    assert again["name"] == first["name"] == domain["name"] and again["title"] == first["title"]


def test_frontier_takes_the_negmas_semantics_switch(cli, tmp_path):
    domain = domains.random_domain(2, issues=2, values=3, whole_evaluations=True)
    files = domains.write_xml(domain, tmp_path / "d")
    genius = json.loads(cli("frontier", "--genius", *files, "--no-save", "--json")[1])
    negmas = json.loads(cli("frontier", "--genius", *files, "--no-save", "--json", "--semantics", "negmas")[1])
    # whole evaluations up to 9: GENIUS divides by the largest, NegMAS does not, so NegMAS's utilities are larger
    assert max(p["theirs"] for p in negmas["points"]) > max(p["theirs"] for p in genius["points"])
