"""Strict YAML reading: YAML 1.2 scalars, the same with and without libyaml, and a lossless dump."""

from __future__ import annotations

import importlib.util
import math

import pytest
import yaml

from optimizer import yamlfile
from optimizer.errors import MAX_PROBLEMS, InputError


@pytest.fixture(params=["libyaml", "pure-python"])
def parser(request, monkeypatch):
    """The module as imported, and a private copy built as if PyYAML had no libyaml."""
    if request.param == "libyaml":
        if not yaml.__with_libyaml__:
            pytest.skip("PyYAML was built without libyaml")
        return yamlfile
    monkeypatch.setattr(yaml, "__with_libyaml__", False)
    spec = importlib.util.spec_from_file_location("optimizer._yamlfile_pure_python", yamlfile.__file__)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert not module.LIBYAML
    return module


SCALARS = [
    ("1e3", 1000.0),
    ("-2.5E-1", -0.25),
    (".5", 0.5),
    ("1.", 1.0),
    ("010", 10),
    ("+7", 7),
    ("0o17", 15),
    ("0x1F", 31),
    ("true", True),
    ("False", False),
    ("~", None),
    ("null", None),
    ("", None),
    ("no", "no"),
    ("yes", "yes"),
    ("on", "on"),
    ("Off", "Off"),
    ("y", "y"),
    ("12:30", "12:30"),
    ("1_000", "1_000"),
    ("0b101", "0b101"),
    ('"10"', "10"),
    ("'true'", "true"),
    ("|\n  text", "text\n"),
]


@pytest.mark.parametrize(("text", "value"), SCALARS)
def test_yaml_12_scalars(parser, text, value):
    got = parser.parse_text(f"key: {text}\n", "f.yaml").data["key"]
    assert got == value and type(got) is type(value)


@pytest.mark.parametrize(("text", "check"), [(".inf", math.isinf), ("-.Inf", math.isinf), (".NaN", math.isnan)])
def test_special_floats_are_read_then_rejected_by_the_schema(parser, text, check):
    assert check(parser.parse_text(f"key: {text}\n", "f.yaml").data["key"])


def test_keys_are_always_text(parser):
    assert parser.parse_text("1: a\ntrue: b\nnull: c\n", "f.yaml").data == {"1": "a", "true": "b", "null": "c"}


def test_lines_are_recorded_by_path(parser):
    document = parser.parse_text("a:\n  b:\n    - x\n    - {c: 1}\n", "f.yaml")
    assert document.line_of(("a", "b", 1, "c")) == 4
    assert document.line_of(("a", "b", 0)) == 3
    assert document.line_of(("a", "missing")) == 1


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: 1\na: 2\n", r"f\.yaml:2: a: duplicate key 'a' \(first on line 1\)"),
        ("a: &x 1\n", r"f\.yaml:1: \(document\): anchors \(&x\) are not allowed"),
        ("a: *x\n", r"f\.yaml:1: \(document\): aliases"),
        ("a: !!int 1\n", r"f\.yaml:1: a: YAML tags \(tag:yaml\.org,2002:int\) are not allowed"),
        ("a: 1\n---\nb: 2\n", r"f\.yaml:2: \(document\): several YAML documents"),
        ("a: [1\n", r"f\.yaml:2: \(document\): YAML syntax error, column 1"),
        ("a: \x00\n", r"f\.yaml:1: \(document\): character U\+0000 is not allowed"),
        (
            "a:\n" + "".join("  " * i + "b:\n" for i in range(1, 60)),
            r"f\.yaml:\d+: \(document\): nested more than 50 levels deep",
        ),
        ("# only a comment\n", r"f\.yaml:1: \(document\): the file is empty"),
        ("a: é\nb: \x07\n", r"f\.yaml:2: \(document\): character U\+0007 is not allowed"),
        (
            "a: " + "[" * 3000 + "]" * 3000 + "\n",
            r"f\.yaml:1: \(document\): (nested more than 50 levels deep|YAML syntax error)",
        ),
    ],
)
def test_refusals(parser, text, message):
    with pytest.raises(InputError, match=message):
        parser.parse_text(text, "f.yaml")


def test_all_yaml_problems_are_collected(parser):
    with pytest.raises(InputError) as caught:
        parser.parse_text("a: 1\na: 2\nb: !!str x\nc: {d: 1, d: 2}\n", "f.yaml")
    assert [p.line for p in caught.value.problems] == [2, 3, 4]


def test_reading_stops_once_there_are_too_many_problems_to_list(parser):
    # were the reading to go on, the unclosed list at the end would be a syntax error instead
    text = "a: {" + ", ".join(["k: 1"] * (MAX_PROBLEMS + 50)) + "}\nb: [1\n"
    with pytest.raises(InputError) as caught:
        parser.parse_text(text, "f.yaml")
    assert str(caught.value.problems[0]).endswith(f"more than {MAX_PROBLEMS} problems; the first {MAX_PROBLEMS} follow")
    assert all("duplicate key 'k'" in p.message for p in caught.value.problems[1:])


@pytest.mark.parametrize(
    "value",
    [
        "no",
        "yes",
        "on",
        "null",
        "~",
        "",
        "1e3",
        "010",
        "0x1F",
        ".inf",
        "12:30",
        "true",
        "a: b",
        "- x",
        "#",
        "é",
        "1_000",
    ],
)
def test_dump_reads_back_as_the_same_text(value):
    data = {"label": value, value or "empty": [value], "number": 1e-12, "big": 1e9, "whole": 3.0, "flag": True}
    assert yamlfile.parse_text(yamlfile.dump(data), "dump").data == data
