"""Bad input: exit code 2, a ``file:line: path: message`` naming the fix, and nothing written.

Every case goes through ``dealopt solve`` in-process with an explicit ``--out``
folder, which must not exist afterwards.
"""

from __future__ import annotations

import re

import pytest
from conftest import write

from optimizer import InputError, load_instance, solve, yamlfile
from optimizer.instance import load
from optimizer.yamlfile import MAX_FILE_BYTES

BASE = """\
format: 1
name: bad
constituencies:
  a: {weight: 1}
metrics:
  m: {}
levers:
  x: {kind: continuous, max: 4, min_if_used: 1, gives: {m: 1}, costs: {a: {fixed: 1, per_unit: 2}}}
  f: {kind: choice, options: {small: {gives: {m: 1}, costs: {a: 3}}}}
offers:
  t: {requires: {m: 2}, benefits: {a: 5}, attributes: {tariff: 10}}
  walk: {walk_away: true}
demands: {m: 1}
red_lines:
  - {name: cap, kind: max_cost, constituency: a, max: 20}
"""


def edited(old: str, new: str) -> str:
    assert old in BASE, old
    return BASE.replace(old, new, 1)


def rejected(cli, tmp_path, path, pattern: str, *extra) -> str:
    """Run solve on ``path``; assert exit 2, a matching problem line, and no results folder."""
    out = tmp_path / "out"
    code, stdout, stderr = cli("solve", path, "--out", out, *extra)
    text = stdout + stderr
    assert code == 2, text
    assert re.search(pattern, text, re.MULTILINE), text
    assert "nothing was solved or written" in text
    assert not out.exists()
    return text


def test_base_file_is_valid(tmp_path):
    # t: x = 2 costs 1 + 4, minus the benefit 5: 0; walking away needs m >= 1 for 3
    result = solve(write(tmp_path, BASE))
    assert result.status == "optimal" and result.offer == "t"
    assert result.objective == pytest.approx(0)
    assert result.package.levers() == {"x": 2.0}


# -- YAML-level problems ----------------------------------------------------------------------

YAML_CASES = {
    "empty file": ("", r"deal\.yaml:1: \(document\): the file is empty"),
    "only comments": ("# nothing here\n", r"deal\.yaml:1: \(document\): the file is empty"),
    "a list at the top": (
        "- format\n- 1\n",
        r"deal\.yaml:1: \(document\): the top level must be a mapping .* not a list",
    ),
    "a text at the top": (
        "hello\n",
        r"deal\.yaml:1: \(document\): the top level must be a mapping .* not a single text value",
    ),
    "null at the top": ("~\n", r"deal\.yaml:1: \(document\): the top level must be a mapping .* not nothing"),
    "unclosed flow list": (
        edited("demands: {m: 1}", "demands: [m, 1"),
        r"deal\.yaml:14: \(document\): YAML syntax error, column \d+: .*",
    ),
    "bad indentation": (
        edited("  m: {}", "   m: {}\n  k: {}\n bad: 1"),
        r"deal\.yaml:\d+: \(document\): YAML syntax error, column \d+",
    ),
    "unclosed quote": ("format: 1\ntitle: 'open\n", r"deal\.yaml:\d+: \(document\): YAML syntax error, column \d+"),
    "tab indentation": ("format: 1\nmetrics:\n\tm: {}\n", r"deal\.yaml:3: \(document\): YAML syntax error, column 1"),
    "duplicate key": (
        edited("  walk: {walk_away: true}", "  walk: {walk_away: true}\n  t: {}"),
        r"deal\.yaml:13: offers\.t: duplicate key 't' \(first on line 11\); keep one",
    ),
    "duplicate top-level key": (
        BASE + "demands: {}\n",
        r"deal\.yaml:16: demands: duplicate key 'demands' \(first on line 13\)",
    ),
    "anchor": (
        edited("  a: {weight: 1}", "  a: &w {weight: 1}"),
        r"deal\.yaml:4: \(document\): anchors \(&w\) are not allowed",
    ),
    "alias": (
        "format: 1\nconstituencies: &c {a: {}}\nmetrics: *c\nlevers: {}\n",
        r"deal\.yaml:2: \(document\): anchors \(&c\) are not allowed",
    ),
    "alias alone": ("format: 1\nmetrics: *c\n", r"deal\.yaml:2: \(document\): aliases \(\*name\) are not allowed"),
    "explicit str tag": (
        edited("demands: {m: 1}", "demands: {m: !!str 1}"),
        r"deal\.yaml:13: demands\.m: YAML tags .* are not allowed",
    ),
    "explicit float tag": (
        edited("max: 4", "max: !!float 4"),
        r"deal\.yaml:8: levers\.x\.max: YAML tags .* are not allowed",
    ),
    "local tag": (
        edited("max: 4", "max: !amount 4"),
        r"deal\.yaml:8: levers\.x\.max: YAML tags \(!amount\) are not allowed",
    ),
    "several documents": (
        BASE + "---\nformat: 1\n",
        r"deal\.yaml:16: \(document\): several YAML documents in one file",
    ),
    "control character": (
        edited("name: bad", "name: b\x07ad"),
        r"deal\.yaml:2: \(document\): character U\+0007 is not allowed",
    ),
    "deep nesting": (
        "format: 1\ntitle:\n" + "".join("  " * i + "a:\n" for i in range(1, 80)),
        r"deal\.yaml:\d+: \(document\): nested more than 50 levels deep",
    ),
    "deep flow nesting": (
        "format: 1\ntitle: " + "[" * 5000 + "]" * 5000 + "\n",
        r"deal\.yaml:2: \(document\): (nested more than 50 levels deep|YAML syntax error, column \d+: exceeded maximum nesting depth)",
    ),
    "complex key": ("format: 1\n? [a, b]\n: 1\n", r"deal\.yaml:2: \(document\): mapping keys must be plain names"),
}


@pytest.mark.parametrize("case", YAML_CASES)
def test_yaml_problems(cli, tmp_path, case):
    text, pattern = YAML_CASES[case]
    rejected(cli, tmp_path, write(tmp_path, text), pattern)


def test_python_tags_are_never_executed(cli, tmp_path):
    marker = tmp_path / "pwned"
    text = edited("name: bad", f'name: !!python/object/apply:os.system ["touch {marker}"]')
    rejected(
        cli,
        tmp_path,
        write(tmp_path, text),
        r"deal\.yaml:2: name: YAML tags \(tag:yaml\.org,2002:python/object/apply:os\.system\)",
    )
    assert not marker.exists()


def test_python_tag_on_a_key_is_refused(cli, tmp_path):
    marker = tmp_path / "pwned"
    text = BASE + f'? !!python/object/apply:os.system ["touch {marker}"]\n: 1\n'
    rejected(cli, tmp_path, write(tmp_path, text), r"deal\.yaml:16: \(document\): mapping keys must be plain names")
    assert not marker.exists()


def test_not_utf8(cli, tmp_path):
    path = tmp_path / "deal.yaml"
    path.write_bytes(BASE.replace("name: bad", "name: bad\ntitle: caf\xe9").encode("latin-1"))
    rejected(
        cli, tmp_path, path, r"deal\.yaml:3: \(document\): the file is not UTF-8 text \(byte \d+\); save it as UTF-8"
    )


def test_utf8_with_bom_is_read(tmp_path):
    path = tmp_path / "deal.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + BASE.replace("name: bad", "name: bad\ntitle: caf\xc3\xa9").encode("latin-1"))
    assert load_instance(path).title == "café"


def test_missing_file(cli, tmp_path):
    rejected(cli, tmp_path, tmp_path / "nowhere.yaml", r"nowhere\.yaml:1: \(document\): no such file")


def levers_file(size: int) -> str:
    """A valid instance of exactly ``size`` bytes: as many simple binary levers as fit, then padding.

    Every lever gives 1 of m and costs a 1 to 9 points, and the demand is m >= 3, so the optimum
    is 3: three levers of cost 1, among many tied packages.
    """
    head = "format: 1\nname: big\nconstituencies:\n  a: {}\nmetrics:\n  m: {}\ndemands: {m: 3}\nlevers:\n"
    lever = "  l{0:05d}: {{kind: binary, gives: {{m: 1}}, costs: {{a: {1}}}, label: Lever {0:05d}, source: {2}}}\n"
    source = "s" * 170
    length = len(lever.format(0, 1, source))
    count = (size - len(head) - len("description: x\n")) // length
    levers = "".join(lever.format(i, i % 9 + 1, source) for i in range(count))
    padding = size - len(head) - len(levers) - len("description: \n")
    return head + levers + "description: " + "x" * padding + "\n"


def test_the_largest_file_allowed_validates_and_solves(tmp_path):
    # over 16,000 levers: more than 200,000 values, which an earlier guard refused
    path = write(tmp_path, levers_file(MAX_FILE_BYTES))
    assert path.stat().st_size == MAX_FILE_BYTES
    loaded = load(path)
    assert len(loaded.instance.levers) > 16_000 and not loaded.warnings
    result = solve(loaded)
    assert result.status == "optimal" and result.verified
    assert result.objective == pytest.approx(3)
    assert len(result.package.levers()) == 3


def test_a_file_one_byte_over_4_mib_is_refused_without_parsing(cli, tmp_path, monkeypatch):
    path = write(tmp_path, levers_file(MAX_FILE_BYTES + 1))
    monkeypatch.setattr(yamlfile, "parse_text", lambda *args: pytest.fail("the file was parsed"))
    rejected(cli, tmp_path, path, r"deal\.yaml:1: \(document\): the file is 4\.0 MiB; files over 4 MiB are refused")


@pytest.mark.slow
def test_two_million_values_under_4_mib_are_read_not_refused_for_their_number(cli, tmp_path):
    # the densest valid YAML, a flow list of numbers, at two bytes a value: the file's size is the only bound
    items = ",".join(["1"] * 2_000_000)
    path = write(tmp_path, BASE.replace("red_lines:\n", f"units_list: [{items}]\nred_lines:\n"))
    assert path.stat().st_size < MAX_FILE_BYTES
    rejected(cli, tmp_path, path, r"deal\.yaml:14: units_list: unknown key 'units_list' \(did you mean 'units'\?\)")


def test_hundreds_of_thousands_of_problems_are_listed_briefly(cli, tmp_path):
    items = ",".join(["1"] * 150_000)
    path = write(tmp_path, BASE.replace("red_lines:\n", f"red_lines: [{items}]\n").replace("  - {name: cap", "# "))
    text = rejected(cli, tmp_path, path, r"deal\.yaml:1: \(document\): more than 100 problems; the first 100 follow")
    assert text.count("expected a mapping of keys") == 100


def test_huge_numbers_do_not_crash(cli, tmp_path):
    text = edited("demands: {m: 1}", "demands: {m: " + "9" * 5000 + "}")
    rejected(cli, tmp_path, write(tmp_path, text), r"deal\.yaml:13: demands\.m: must be a finite number")


# -- schema and domain problems ---------------------------------------------------------------

SCHEMA_CASES = {
    "unknown top-level key": (
        edited("demands:", "demand:"),
        r"deal\.yaml:13: demand: unknown key 'demand' \(did you mean 'demands'\?\)",
    ),
    "unknown lever key": (
        edited("min_if_used: 1", "min_if_usd: 1"),
        r"deal\.yaml:8: levers\.x\.min_if_usd: unknown key 'min_if_usd' \(did you mean 'min_if_used'\?\)",
    ),
    "unknown cost key": (
        edited("{fixed: 1, per_unit: 2}", "{fixed: 1, per_unt: 2}"),
        r"levers\.x\.costs\.a\.per_unt: unknown key 'per_unt' \(did you mean 'per_unit'\?\)",
    ),
    "unknown key, no close match": (
        edited("  m: {}", "  m: {colour: red}"),
        r"deal\.yaml:6: metrics\.m\.colour: unknown key 'colour' \(allowed here: label, note, source, unit\)",
    ),
    "missing format": (edited("format: 1\n", ""), r"deal\.yaml:1: format: missing required key 'format'"),
    "missing metrics": (
        edited("metrics:\n  m: {}\n", "")
        .replace("gives: {m: 1}", "gives: {}")
        .replace("demands: {m: 1}", "demands: {}")
        .replace("{gives: {m: 1}, costs: {a: 3}}", "{costs: {a: 3}}")
        .replace("requires: {m: 2}, ", ""),
        r"deal\.yaml:1: metrics: missing required key 'metrics'",
    ),
    "missing kind": (
        edited("{kind: continuous, ", "{"),
        r"deal\.yaml:8: levers\.x: missing required key 'kind' \(one of: binary, integer, continuous, choice, rectangle\)",
    ),
    "unknown kind": (
        edited("kind: continuous", "kind: continous"),
        r"levers\.x\.kind: unknown kind 'continous' \(did you mean 'continuous'\?\)",
    ),
    "unknown red line kind": (
        edited("kind: max_cost", "kind: maxcost"),
        r"red_lines\.cap\.kind: unknown kind 'maxcost' \(did you mean 'max_cost'\?\)",
    ),
    "unsupported format": (
        edited("format: 1", "format: 2"),
        r"deal\.yaml:1: format: unsupported format 2; this version of dealopt reads 'format: 1'",
    ),
    "quoted number": (
        edited("{weight: 1}", '{weight: "10"}'),
        r"deal\.yaml:4: constituencies\.a\.weight: expected a number, got the string '10'; write numbers without quotes",
    ),
    "boolean for a number": (
        edited("{weight: 1}", "{weight: true}"),
        r"constituencies\.a\.weight: expected a number, got the boolean true",
    ),
    "yes for a boolean": (
        edited("walk_away: true", "walk_away: yes"),
        r"deal\.yaml:12: offers\.walk\.walk_away: expected true or false, got the string 'yes'",
    ),
    "number for text": (
        edited("name: bad", "name: bad\ntitle: 2023"),
        r"deal\.yaml:3: title: expected text, got 2023; quote it, e\.g\. \"2023\"",
    ),
    "NaN": (edited("{weight: 1}", "{weight: .nan}"), r"constituencies\.a\.weight: must be a finite number"),
    "infinity": (
        edited("demands: {m: 1}", "demands: {m: -.inf}"),
        r"deal\.yaml:13: demands\.m: must be a finite number",
    ),
    "beyond 1e9": (
        edited("benefits: {a: 5}", "benefits: {a: 2e9}"),
        r"offers\.t\.benefits\.a: must be <= 1e\+09, got 2e\+09",
    ),
    "below -1e9": (edited("max: 20}", "max: -1.5e9}"), r"red_lines\.cap\.max: must be >= -1e\+09"),
    "lever max beyond 1e6": (
        edited("max: 4", "max: 2e6"),
        r"levers\.x\.max: must be <= 1e\+06, got 2e\+06; choose units so lever amounts stay below 1e6",
    ),
    "breakpoint beyond 1e6": (
        edited("max: 4", "max: 1e6").replace("per_unit: 2}", "per_unit: [[2e6, 1]]}"),
        r"levers\.x\.costs\.a\.per_unit\[0\]\[0\]: must be <= 1e\+06",
    ),
    "negative weight": (edited("{weight: 1}", "{weight: -1}"), r"constituencies\.a\.weight: must be >= 0, got -1"),
    "negative max": (edited("max: 4", "max: -4"), r"levers\.x\.max: must be > 0, got -4"),
    "zero max": (edited("max: 4", "max: 0"), r"levers\.x\.max: must be > 0, got 0"),
    "negative min_if_used": (
        edited("min_if_used: 1", "min_if_used: -1"),
        r"levers\.x\.min_if_used: must be >= 0, got -1",
    ),
    "min_if_used above max": (
        edited("min_if_used: 1", "min_if_used: 5"),
        r"deal\.yaml:8: levers\.x\.min_if_used: min_if_used \(5\) is above max \(4\)",
    ),
    "non-convex curve": (
        edited("per_unit: 2}", "per_unit: [[1, 3], [4, 2]]}"),
        r"levers\.x\.costs\.a\.per_unit\[1\]: marginal costs must not decrease \(the curve must be convex\): 2 follows 3",
    ),
    "unordered breakpoints": (
        edited("per_unit: 2}", "per_unit: [[3, 1], [2, 2]]}"),
        r"levers\.x\.costs\.a\.per_unit\[1\]: breakpoints must strictly increase: 2 follows 3",
    ),
    "breakpoint above max": (
        edited("per_unit: 2}", "per_unit: [[5, 1]]}"),
        r"levers\.x\.costs\.a\.per_unit\[0\]: breakpoint 5 is above the lever's max \(4\)",
    ),
    "empty curve": (
        edited("per_unit: 2}", "per_unit: []}"),
        r"levers\.x\.costs\.a\.per_unit: a piecewise curve needs at least one",
    ),
    "short segment": (
        edited("per_unit: 2}", "per_unit: [[2]]}"),
        r"levers\.x\.costs\.a\.per_unit\[0\]: each piecewise segment is \[upper_breakpoint, marginal_cost\]",
    ),
    "text for per_unit": (
        edited("per_unit: 2}", "per_unit: two}"),
        r"levers\.x\.costs\.a\.per_unit: expected a number or a list of \[upper_breakpoint, marginal_cost\] segments, got the string 'two'",
    ),
    "zero breakpoint": (
        edited("per_unit: 2}", "per_unit: [[0, 1]]}"),
        r"levers\.x\.costs\.a\.per_unit\[0\]\[0\]: must be > 0, got 0",
    ),
    "piecewise on a binary lever": (
        edited("  f: {kind: choice", "  b: {kind: binary, costs: {a: {per_unit: [[1, 1]]}}}\n  f: {kind: choice"),
        r"levers\.b\.costs\.a\.per_unit: a piecewise curve needs an integer or continuous lever",
    ),
    "unknown metric in gives": (
        edited("gives: {m: 1}", "gives: {n: 1}"),
        r"deal\.yaml:8: levers\.x\.gives\.n: unknown metric 'n' \(known: m\)",
    ),
    "unknown constituency in costs": (
        edited("costs: {a: {fixed", "costs: {farmers: {fixed"),
        r"deal\.yaml:8: levers\.x\.costs\.farmers: unknown constituency 'farmers' \(known: a\)",
    ),
    "unknown metric in option gives": (
        edited("{gives: {m: 1}, costs: {a: 3}}", "{gives: {mm: 1}, costs: {a: 3}}"),
        r"deal\.yaml:9: levers\.f\.options\.small\.gives\.mm: unknown metric 'mm' \(did you mean 'm'\?\)",
    ),
    "unknown metric in requires": (
        edited("requires: {m: 2}", "requires: {mm: 2}"),
        r"deal\.yaml:11: offers\.t\.requires\.mm: unknown metric 'mm'",
    ),
    "unknown metric in demands": (
        edited("demands: {m: 1}", "demands: {mm: 1}"),
        r"deal\.yaml:13: demands\.mm: unknown metric 'mm'",
    ),
    "unknown constituency in benefits": (
        edited("benefits: {a: 5}", "benefits: {aa: 5}"),
        r"deal\.yaml:11: offers\.t\.benefits\.aa: unknown constituency 'aa' \(did you mean 'a'\?\)",
    ),
    "unknown constituency in max_cost": (
        edited("constituency: a,", "constituency: b,"),
        r"deal\.yaml:15: red_lines\.cap\.constituency: unknown constituency 'b'",
    ),
    "unknown lever in forbid": (
        BASE + "  - {name: no, kind: forbid, levers: [y]}\n",
        r"deal\.yaml:16: red_lines\.no\.levers\[0\]: unknown lever 'y'",
    ),
    "unknown lever in limit": (
        BASE + "  - {name: lim, kind: limit, terms: {xx: 1}, max: 3}\n",
        r"deal\.yaml:16: red_lines\.lim\.terms\.xx: unknown lever 'xx' \(did you mean 'x'\?\)",
    ),
    "unknown lever in requires": (
        BASE + "  - {name: dep, kind: requires, lever: x, needs: z}\n",
        r"deal\.yaml:16: red_lines\.dep\.needs: unknown lever 'z'",
    ),
    "unknown lever in excludes": (
        BASE + "  - {name: ex, kind: excludes, levers: [x, z]}\n",
        r"deal\.yaml:16: red_lines\.ex\.levers\[1\]: unknown lever 'z'",
    ),
    "unknown offer in conditional": (
        BASE + "  - {name: c, kind: conditional, lever: f, offers: [tt]}\n",
        r"deal\.yaml:16: red_lines\.c\.offers\[0\]: unknown offer 'tt' \(did you mean 't'\?\)",
    ),
    "offer attribute that one offer lacks": (
        edited("  walk: {walk_away: true}", "  u: {attributes: {quota: 1}}\n  walk: {walk_away: true}")
        + "  - {name: o, kind: offer, attribute: tariff, max: 5}\n",
        r"deal\.yaml:12: offers\.u\.attributes: red line 'o' bounds attribute 'tariff', which this offer does not define",
    ),
    "conditional without offers": (
        edited(
            "offers:\n  t: {requires: {m: 2}, benefits: {a: 5}, attributes: {tariff: 10}}\n  walk: {walk_away: true}\n",
            "",
        )
        + "  - {name: c, kind: conditional, lever: f, offers: [t]}\n",
        r"deal\.yaml:13: red_lines\.c\.offers: a conditional red line needs offers, and the instance defines none",
    ),
    "offer line without offers": (
        edited(
            "offers:\n  t: {requires: {m: 2}, benefits: {a: 5}, attributes: {tariff: 10}}\n  walk: {walk_away: true}\n",
            "",
        )
        + "  - {name: o, kind: offer, attribute: tariff, max: 5}\n",
        r"deal\.yaml:13: red_lines\.o\.attribute: an offer red line needs offers",
    ),
    "no bounds on a limit": (
        BASE + "  - {name: lim, kind: limit, terms: {x: 1}}\n",
        r"red_lines\.lim: give 'max', 'min' or both",
    ),
    "limit min above max": (
        BASE + "  - {name: lim, kind: limit, terms: {x: 1}, min: 3, max: 2}\n",
        r"red_lines\.lim: min \(3\) is above max \(2\)",
    ),
    "excludes one lever twice": (
        BASE + "  - {name: ex, kind: excludes, levers: [x, x]}\n",
        r"red_lines\.ex\.levers: name at least two different levers",
    ),
    "requires itself": (
        edited("min_if_used: 1,", "min_if_used: 1,") + "  - {name: dep, kind: requires, lever: x, needs: x}\n",
        r"red_lines\.dep\.needs: a lever cannot need itself",
    ),
    "duplicate red line names": (
        BASE + "  - {name: cap, kind: max_cost, constituency: a, max: 3}\n",
        r"deal\.yaml:16: red_lines\.cap\.name: red line name 'cap' is used twice",
    ),
    "choice without options": (
        edited("options: {small: {gives: {m: 1}, costs: {a: 3}}}", "options: {}"),
        r"deal\.yaml:9: levers\.f\.options: needs at least 1 item",
    ),
    "choice with options missing": (
        edited(", options: {small: {gives: {m: 1}, costs: {a: 3}}}", ""),
        r"levers\.f\.options: missing required key 'options'",
    ),
    "max on a choice lever": (edited("{kind: choice,", "{kind: choice, max: 3,"), r"levers\.f\.max: unknown key 'max'"),
    "fixed cost without min_if_used": (
        edited("min_if_used: 1, ", ""),
        r"deal\.yaml:8: levers\.x\.min_if_used: this continuous lever has a fixed cost or fixed gives, so it needs min_if_used > 0",
    ),
    "logical red line without min_if_used": (
        edited("min_if_used: 1, ", "").replace("fixed: 1, ", "") + "  - {name: ex, kind: excludes, levers: [x, f]}\n",
        r"levers\.x\.min_if_used: this continuous lever is named by a requires, excludes or conditional red line",
    ),
    "integer max 2.5": (
        edited("  f: {kind: choice", "  n: {kind: integer, max: 2.5}\n  f: {kind: choice"),
        r"deal\.yaml:9: levers\.n\.max: an integer lever's max must be a whole number, got 2\.5",
    ),
    "integer min_if_used 0": (
        edited("  f: {kind: choice", "  n: {kind: integer, max: 2, min_if_used: 0}\n  f: {kind: choice"),
        r"levers\.n\.min_if_used: must be > 0 on an integer lever",
    ),
    "walk_away with requires": (
        edited("walk: {walk_away: true}", "walk: {walk_away: true, requires: {m: 1}}"),
        r"deal\.yaml:12: offers\.walk: a walk_away offer has no 'requires'",
    ),
    "empty offers": (
        edited(
            "offers:\n  t: {requires: {m: 2}, benefits: {a: 5}, attributes: {tariff: 10}}\n  walk: {walk_away: true}\n",
            "offers: {}\n",
        ),
        r"offers: needs at least 1 item",
    ),
    "text attribute": (
        edited("attributes: {tariff: 10}", "attributes: {tariff: high}"),
        r"offers\.t\.attributes\.tariff: expected a number, got the string 'high'",
    ),
    "invalid name": (edited("name: bad", "name: 1bad"), r"deal\.yaml:2: name: '1bad' is not a valid name"),
    "invalid key name": (
        edited("  m: {}", "  m: {}\n  2m: {}"),
        r"deal\.yaml:7: metrics\.2m: '2m' is not a valid name",
    ),
    "lever not a mapping": (
        edited("  f: {kind: choice, options: {small: {gives: {m: 1}, costs: {a: 3}}}}", "  f: 5"),
        r"deal\.yaml:9: levers\.f: expected a mapping of keys, got 5",
    ),
    "red lines not a list": (
        edited("red_lines:\n  - {name: cap, kind: max_cost, constituency: a, max: 20}", "red_lines: {cap: 1}"),
        r"deal\.yaml:14: red_lines: expected a list, got a mapping",
    ),
    "marginal cost beyond 1e9": (
        edited("per_unit: 2}", "per_unit: [[2, 2e9]]}"),
        r"levers\.x\.costs\.a\.per_unit\[0\]\[1\]: must be <= 1e\+09, got 2e\+09$",
    ),
    "no constituencies at all": (
        edited("  a: {weight: 1}", "  {}").replace("constituencies:\n  {}", "constituencies: {}"),
        r"deal\.yaml:7: levers\.x\.costs\.a: unknown constituency 'a' \(no constituencies are defined\)",
    ),
    "boolean for text": (
        edited("name: bad", "name: bad\ntitle: true"),
        r"deal\.yaml:3: title: expected text, got the boolean true; quote it, e\.g\. \"true\"",
    ),
    "gives as text": (
        edited("gives: {m: 1}", "gives: {m: lots}"),
        r"levers\.x\.gives\.m: expected a number or a mapping \{fixed, per_unit\}, got the string 'lots'",
    ),
}


@pytest.mark.parametrize("case", SCHEMA_CASES)
def test_schema_and_domain_problems(cli, tmp_path, case):
    text, pattern = SCHEMA_CASES[case]
    rejected(cli, tmp_path, write(tmp_path, text), pattern)


def test_every_problem_is_reported_at_once(cli, tmp_path):
    text = (
        edited("{weight: 1}", '{weight: "1"}').replace("max: 4", "max: -4").replace("max: 20}", "max: 20, colour: red}")
    )
    out = rejected(cli, tmp_path, write(tmp_path, text), r"deal\.yaml:4: constituencies\.a\.weight")
    problems = [line for line in out.splitlines() if re.match(r"\S+:\d+: ", line)]
    assert len(problems) == 3, out
    assert "deal.yaml:15: red_lines.cap.colour: unknown key 'colour'" in out


def test_domain_problems_are_reported_together(cli, tmp_path):
    text = edited("gives: {m: 1}", "gives: {n: 1}").replace("benefits: {a: 5}", "benefits: {b: 5}") + (
        "  - {name: no, kind: forbid, levers: [y]}\n"
    )
    out = rejected(cli, tmp_path, write(tmp_path, text), r"unknown metric 'n'")
    assert "unknown constituency 'b'" in out and "unknown lever 'y'" in out
    assert len([line for line in out.splitlines() if re.match(r"\S+:\d+: ", line)]) == 3


def test_a_misspelt_attribute_is_reported_once_at_the_red_line_that_names_it(cli, tmp_path):
    text = edited("attributes: {tariff: 10}", "attributes: {auto_tariff: 10}") + (
        "  - {name: autos, kind: offer, attribute: car_tariff, max: 15}\n"
    )
    pattern = r"deal\.yaml:16: red_lines\.autos\.attribute: unknown offer attribute 'car_tariff' \(did you mean 'auto_tariff'\?\)"
    out = rejected(cli, tmp_path, write(tmp_path, text), pattern)
    assert len([line for line in out.splitlines() if re.match(r"\S+:\d+: ", line)]) == 1, out


def test_an_offer_red_line_is_vacuous_when_every_offer_is_walk_away(tmp_path):
    # no offer that could break the bound, so none has to define the attribute, and nothing is misspelt
    text = edited("  t: {requires: {m: 2}, benefits: {a: 5}, attributes: {tariff: 10}}\n", "")
    result = solve(write(tmp_path, text + "  - {name: o, kind: offer, attribute: quota, max: 5}\n"))
    assert result.status == "optimal" and result.offer == "walk"


def test_missing_name_is_reported_with_other_problems(tmp_path):
    path = write(tmp_path, edited("name: bad\n", "").replace("{weight: 1}", "{weight: -1}"), name="my deal.yaml")
    with pytest.raises(InputError) as caught:
        load_instance(path)
    messages = [str(p) for p in caught.value.problems]
    assert any(re.search(r"my deal\.yaml:1: name: missing required key 'name' \(a file's stem", m) for m in messages)
    assert any("constituencies.a.weight: must be >= 0" in m for m in messages)


def test_existing_results_are_untouched_by_bad_input(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    previous = tmp_path / "results" / "bad"
    previous.mkdir(parents=True)
    (previous / "summary.json").write_text("old", encoding="utf-8")
    path = write(tmp_path, edited("{weight: 1}", "{weight: -1}"))
    code, out, _ = cli("solve", path)
    assert code == 2
    assert [p.name for p in previous.iterdir()] == ["summary.json"]
    assert (previous / "summary.json").read_text(encoding="utf-8") == "old"
    assert [p.name for p in (tmp_path / "results").iterdir()] == ["bad"]


def test_bad_input_with_json_prints_errors(cli, tmp_path):
    import json

    path = write(tmp_path, edited("{weight: 1}", "{weight: -1}"))
    code, out, _ = cli("solve", path, "--json", "--out", tmp_path / "out")
    assert code == 2
    answer = json.loads(out)
    assert answer["status"] == "invalid"
    assert answer["errors"][0]["line"] == 4
    assert answer["errors"][0]["path"] == "constituencies.a.weight"
    assert not (tmp_path / "out").exists()


def test_tiny_coefficients_warn_but_solve(cli, tmp_path):
    path = write(tmp_path, edited("{gives: {m: 1}, costs: {a: 3}}", "{gives: {m: 1}, costs: {a: 1e-12}}"))
    code, _, out = cli("validate", path)
    assert code == 0
    assert re.search(r"warning: .*deal\.yaml:9: levers\.f\.options\.small\.costs\.a: \|1e-12\| is below 1e-9", out)
    result = solve(path)
    assert result.status == "optimal" and result.warnings


def test_badly_scaled_coefficients_warn(tmp_path):
    result = solve(write(tmp_path, edited("gives: {m: 1}", "gives: {m: 1e-5}").replace("{a: 3}", "{a: 1e5}")))
    assert any("more than 9 orders" in w.message for w in result.warnings)


# -- valid surprises ---------------------------------------------------------------------------


def test_yaml_11_booleans_are_names(tmp_path):
    text = """\
format: 1
constituencies: {yes: {weight: 1}}
metrics: {on: {}}
levers:
  no: {kind: binary, gives: {on: 1}, costs: {yes: 2}}
  off: {kind: choice, options: {n: {costs: {yes: 1}}, y: {costs: {yes: 0.5}}}, required: true}
offers:
  "null": {requires: {on: 1}}
red_lines:
  - {name: No, kind: forbid, levers: [off]}
"""
    path = write(
        tmp_path, text.replace("red_lines:\n  - {name: No, kind: forbid, levers: [off]}\n", ""), name="yes.yaml"
    )
    result = solve(path)
    assert result.status == "optimal", result.errors
    instance = result.instance
    assert instance.name == "yes"
    assert set(instance.levers) == {"no", "off"} and set(instance.constituencies) == {"yes"}
    assert set(instance.offer_items) == {"null"}
    assert result.package.levers() == {"no": 1.0, "off": "y"}
    assert result.objective == pytest.approx(2.5)
    # 'off' is required and forbidden at once: an answer (infeasible), not an input error
    assert solve(write(tmp_path, text, name="no.yaml")).status == "infeasible"


def test_yaml_12_numbers(tmp_path):
    text = (
        edited("demands: {m: 1}", "demands: {m: 1e0}")
        .replace("max: 20}", "max: 1.5e1}")
        .replace("benefits: {a: 5}", "benefits: {a: 0x5}")
    )
    instance = load_instance(write(tmp_path, text))
    assert instance.demands["m"] == 1.0
    assert instance.red_lines[0].max == 15.0
    assert instance.offer_items["t"].benefits["a"] == 5
    big = load_instance(write(tmp_path, edited("max: 20}", "max: 1e3}"), name="big.yaml"))
    assert big.red_lines[0].max == 1000


def test_quoted_values_stay_text(tmp_path):
    text = edited("name: bad", "name: bad\ntitle: \"2023\"\ndescription: 'yes'")
    instance = load_instance(write(tmp_path, text))
    assert instance.title == "2023" and instance.description == "yes"


def test_whole_floats_are_accepted_where_whole_numbers_are_required(tmp_path):
    text = edited("  f: {kind: choice", "  n: {kind: integer, max: 3.0, min_if_used: 2.0}\n  f: {kind: choice").replace(
        "format: 1", "format: 1.0"
    )
    instance = load_instance(write(tmp_path, text))
    assert instance.levers["n"].max == 3
