"""Loading instances: read, validate against the schema, run the domain checks.

``load_instance`` takes a path or a plain dict and returns a frozen
:class:`~optimizer.schema.Instance`, or raises :class:`~optimizer.errors.InputError`
listing every problem with its file, line and field path.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from . import checks
from .beliefs import prune_beliefs
from .errors import MAX_PROBLEMS, InputError, Problem, did_you_mean
from .paths import PathError, assign, canonical_json, normalised_data, without_sources_of
from .schema import BELIEF_TAGS, LEVER_KINDS, NAME_PATTERN, RED_LINE_KINDS, Instance
from .schema_walk import allowed_keys
from .yamlfile import Document, read_file

DICT_FILE = "<dict>"
SET_FILE = "--set"
"""Stands for the file in problems found in a ``--set`` override."""


class LoadedInstance:
    """A validated instance with where it came from and the warnings it raised."""

    def __init__(self, instance: Instance, document: Document, warnings: list[Problem], overrides: tuple = ()):
        self.instance = instance
        self.document = document
        self.warnings = warnings
        self.overrides = overrides

    @property
    def file(self) -> str:
        return self.document.file


def load_instance(source: str | Path | Mapping, overrides: Iterable[tuple[str, Any]] = ()) -> Instance:
    """Load and validate an instance from a YAML file path or a plain dict, then apply overrides.

    Overrides are ``(dotted.path, value)`` pairs, see :func:`apply_overrides`.
    Raises :class:`InputError` with every problem found.
    """
    return load(source, overrides).instance


def load(source: str | Path | Mapping, overrides: Iterable[tuple[str, Any]] = ()) -> LoadedInstance:
    """Like :func:`load_instance`, but also returns the file name and the warnings."""
    if isinstance(source, Mapping):
        document = Document(dict(source), {}, DICT_FILE)
        stem = None
    else:
        document = read_file(source)
        stem = Path(source).stem
    loaded = validate_document(document, stem)
    overrides = tuple(overrides)
    return apply_overrides(loaded, overrides) if overrides else loaded


def apply_overrides(
    loaded: LoadedInstance, overrides: Iterable[tuple[str, Any]], *, warnings: bool = True
) -> LoadedInstance:
    """A new validated instance with each ``(dotted.path, value)`` applied in order.

    An overridden number no longer rests on its source: the provenance entries of every
    overridden path, and of the paths below it, are dropped, as are beliefs about numbers an
    override removes. ``warnings=False`` skips the magnitude warnings (a sweep's solve phase: they were reported
    when every scenario was validated).
    """
    overrides = tuple(overrides)
    data = normalised_data(loaded.instance)  # a fresh dump: ours to change in place
    problems: list[Problem] = []
    set_paths: dict[tuple, str] = {}
    for path_text, value in overrides:
        try:
            key_path = assign(data, path_text, value)
        except PathError as bad:
            problems.append(Problem(SET_FILE, None, path_text, bad.message))
            continue
        set_paths[key_path] = f"{path_text}={_show(value)}"
    if problems:
        raise InputError(problems)
    data["provenance"] = without_sources_of(data["provenance"], (path for path, _ in overrides))
    prune_beliefs(
        data, frozenset(path.split(".")[1] for path, _ in overrides if path.startswith("beliefs.") and "." in path)
    )
    document = Document(data, loaded.document.lines, loaded.document.file)
    result = validate_document(document, None, set_paths, warnings=warnings)
    result.overrides = loaded.overrides + overrides
    return result


def _show(value: Any) -> str:
    """The value as a --set would write it (null and true, not None and True)."""
    if value is None or isinstance(value, bool):
        return json.dumps(value)
    return value if isinstance(value, str) else repr(value)


def validate_document(
    document: Document, stem: str | None, overridden: Mapping[tuple, str] | None = None, *, warnings: bool = True
) -> LoadedInstance:
    """Validate parsed data; ``overridden`` maps paths set by ``--set`` to their text, for error locations.

    ``warnings=False`` skips the magnitude warnings, for data whose warnings were already
    reported (a sweep scenario, validated in full before anything was solved).
    """
    data = document.data
    locate = _Locator(document, overridden or {})
    if not isinstance(data, dict):
        raise InputError(
            [
                Problem(
                    document.file,
                    document.line_of(()),
                    "",
                    f"the top level must be a mapping of keys (format, levers, ...), not {_kind_of(data)}",
                )
            ]
        )
    data = dict(data)
    _names_as_written(data, document.words)
    if data.get("name") is None:
        data.pop("name", None)
        if stem is not None and re.match(NAME_PATTERN, stem):
            data["name"] = stem
    try:
        instance = Instance.model_validate(data)
    except ValidationError as err:
        raise InputError(locate.problems(_schema_findings(err, data), data)) from None
    found = checks.domain_problems(instance)
    if found:
        raise InputError(locate.problems(found, data))
    warned = locate.problems(checks.magnitude_warnings(instance), data) if warnings else []
    return LoadedInstance(instance, document, warned)


RED_LINE_NAME_FIELDS = {"name", "constituency", "lever", "needs", "attribute"}
RED_LINE_NAME_LISTS = {"levers", "offers"}


def _is_name_position(path: tuple) -> bool:
    """Places that hold a name: the instance's name, and a red line's name and the names it refers to."""
    if path == ("name",):
        return True
    if len(path) < 3 or path[0] != "red_lines":
        return False
    return (len(path) == 3 and path[2] in RED_LINE_NAME_FIELDS) or (len(path) == 4 and path[2] in RED_LINE_NAME_LISTS)


def _names_as_written(data: dict, words: Mapping[tuple, str]) -> None:
    """Put back the text of unquoted true/false/null where a name is meant: names are literal text."""
    for path, text in words.items():
        if not _is_name_position(path):
            continue
        node = data if len(path) == 1 else data.get(path[0])
        for part in path[1:-1]:
            node = node[part] if isinstance(node, dict | list) else None
        if isinstance(node, dict | list):
            node[path[-1]] = text


def content_hash(instance: Instance) -> str:
    """sha256 of the canonical JSON of the normalised instance (comments and layout do not count)."""
    return hashlib.sha256(canonical_json(instance.dump()).encode()).hexdigest()


# -- turning pydantic errors into findings -------------------------------------------------


def _schema_findings(err: ValidationError, data: dict) -> list[tuple[tuple, str]]:
    findings = []
    for item in itertools.islice(err.errors(include_url=False), MAX_PROBLEMS + 1):
        loc = _strip_tags(tuple(item["loc"]), data)
        findings.append(_explain(item, loc, data))
    return findings


def _strip_tags(loc: tuple, data: Any) -> tuple:
    """Drop the discriminator tags pydantic puts in locations (levers.x.continuous.max, per_unit.curve.0)."""
    out: list = []
    node = data
    for part in loc:
        kind_tag = isinstance(node, dict) and part not in node and part in (node.get("kind"), *BELIEF_TAGS)
        if kind_tag or (isinstance(part, str) and not isinstance(node, dict)):
            continue
        out.append(part)
        if isinstance(node, dict):
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            node = None
    return tuple(out)


def _explain(item: dict, loc: tuple, data: dict) -> tuple[tuple, str]:
    kind = item["type"]
    given = item.get("input")
    ctx = item.get("ctx") or {}
    if loc and loc[-1] == "[key]":
        loc = loc[:-1]
        return loc, f"'{loc[-1]}' is not a valid name: start with a letter, then letters, digits, _ or -"
    if kind == "extra_forbidden":
        key = loc[-1]
        allowed = allowed_keys(loc[:-1], data)
        hint = did_you_mean(key, allowed)
        if not hint and allowed:
            hint = f" (allowed here: {', '.join(sorted(allowed))})"
        return loc, f"unknown key '{key}'{hint}"
    if kind == "missing" and loc == ("name",):
        return loc, (
            "missing required key 'name' (a file's stem stands in for it only when it is a valid name: "
            "letters, digits, _ and -, starting with a letter)"
        )
    if kind == "missing":
        if "per_unit" in loc:
            return loc[:-1], "each piecewise segment is [upper_breakpoint, marginal_cost]"
        return loc, f"missing required key '{loc[-1]}'"
    if kind == "union_tag_not_found":
        options = LEVER_KINDS if len(loc) >= 1 and loc[0] == "levers" else RED_LINE_KINDS
        return loc, f"missing required key 'kind' (one of: {', '.join(options)})"
    if kind == "union_tag_invalid":
        options = LEVER_KINDS if loc and loc[0] == "levers" else RED_LINE_KINDS
        return (
            (*loc, "kind"),
            f"unknown kind {given.get('kind')!r}{did_you_mean(str(given.get('kind')), options)} (one of: {', '.join(options)})",
        )
    if kind in ("float_type", "int_type", "float_parsing"):
        if loc[-1:] == ("per_unit",) and loc[-3:-2] == ("costs",):
            return (
                loc,
                f"expected a number or a list of [upper_breakpoint, marginal_cost] segments, got {_describe(given)}",
            )
        return loc, f"expected a number, got {_describe(given)}"
    if kind == "finite_number":
        return loc, f"must be a finite number (at most 1e9 in magnitude), got {given}"
    if kind == "bool_type":
        return loc, f"expected true or false, got {_describe(given)}"
    if kind == "string_type":
        shown = str(given).lower() if isinstance(given, bool) else given
        quote = f'; quote it, e.g. "{shown}"' if isinstance(given, int | float) else ""
        return loc, f"expected text, got {_describe(given)}{quote}"
    if kind == "string_pattern_mismatch":
        return loc, f"'{given}' is not a valid name: start with a letter, then letters, digits, _ or -"
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        symbol = {"greater_than_equal": ">=", "greater_than": ">", "less_than_equal": "<=", "less_than": "<"}[kind]
        bound = next(iter(ctx.values()))
        return loc, f"must be {symbol} {bound:g}, got {given:g}{_bound_hint(loc, kind)}"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        if loc and loc[-2:-1] in (("gives",), ("costs",)):
            return loc, f"expected a number or a mapping {{fixed, per_unit}}, got {_describe(given)}"
        return loc, f"expected a mapping of keys, got {_describe(given)}"
    if kind in ("list_type", "tuple_type"):
        if "per_unit" in loc:
            return (
                loc,
                f"expected a number or a list of [upper_breakpoint, marginal_cost] segments, got {_describe(given)}",
            )
        return loc, f"expected a list, got {_describe(given)}"
    if kind in ("too_short", "too_long"):
        if "per_unit" in loc:
            return loc, "each piecewise segment is [upper_breakpoint, marginal_cost]"
        return loc, f"needs at least {ctx.get('min_length')} item(s)" if kind == "too_short" else item["msg"]
    message = item["msg"]
    return loc, message.removeprefix("Value error, ")


def _bound_hint(loc: tuple, kind: str) -> str:
    breakpoint = loc[-3:-2] == ("per_unit",) and loc[-1] == 0
    lever_size = loc[:1] == ("levers",) and (loc[-1] in ("max", "min_if_used") or breakpoint)
    return "; choose units so lever amounts stay below 1e6" if kind.startswith("less") and lever_size else ""


def _describe(value: Any) -> str:
    if isinstance(value, str):
        return f"the string {value!r}" + ("; write numbers without quotes" if _numeric_text(value) else "")
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if value is None:
        return "nothing (null)"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return repr(value)


def _numeric_text(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _kind_of(value: Any) -> str:
    return {list: "a list", str: "a single text value", type(None): "nothing"}.get(type(value), type(value).__name__)


class _Locator:
    """Turns finding paths into Problems with a file, a line and a readable dotted path."""

    def __init__(self, document: Document, overridden: Mapping[tuple, str]):
        self.document = document
        self.overridden = overridden

    def problems(self, findings: list[tuple[tuple, str]], data: dict) -> list[Problem]:
        return [self.problem(path, message, data) for path, message in findings]

    def problem(self, path: tuple, message: str, data: dict) -> Problem:
        for set_path, text in self.overridden.items():
            if path and (path[: len(set_path)] == set_path or set_path[: len(path)] == path):
                return Problem("--set", None, display_path(path, data), f"{message} (from --set {text})")
        return Problem(self.document.file, self.document.line_of(path), display_path(path, data), message)


def display_path(path: tuple, data: Any) -> str:
    """Dotted path with red-line list items shown by name (red_lines.farm_pain.max)."""
    parts = []
    node = data
    for part in path:
        if isinstance(node, list) and isinstance(part, int):
            item = node[part] if 0 <= part < len(node) else None
            name = item.get("name") if isinstance(item, dict) else None
            parts.append(name if isinstance(name, str) and name else f"[{part}]")
            node = item
            continue
        parts.append(str(part))
        node = node.get(part) if isinstance(node, dict) else None
    return ".".join(parts).replace(".[", "[")
