"""``--set PATH=VALUE`` overrides on the normalised instance: the mechanism behind sweeps too.

Paths are those of :mod:`optimizer.paths` (``red_lines.farm_pain.max``,
``levers.corn.costs.farmers.per_unit.1.1``). A value is text parsed like a
YAML file value (``1e3`` is a number, ``no`` is text), or a Python value when
called from the API. ``null`` removes an entry from a name-keyed mapping
(``offers.deal.requires.investment=null``). The result is validated exactly
like a file.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from .errors import InputError, Problem
from .instance import LoadedInstance, validate_document
from .paths import PathError, assign, normalised_data
from .yamlfile import Document, parse_text

SET_FILE = "--set"


def parse_assignment(text: str) -> tuple[str, Any]:
    """Split ``PATH=VALUE`` and parse VALUE with the instance-file loader."""
    path, sep, value = text.partition("=")
    if not sep or not path.strip():
        raise InputError([Problem(SET_FILE, None, text, "expected PATH=VALUE, e.g. constituencies.farmers.weight=4")])
    return path.strip(), parse_value(value, path.strip())


def parse_value(text: str, path: str) -> Any:
    if not text.strip():
        return None
    try:
        return parse_text(text, SET_FILE).data
    except InputError as err:
        raise InputError([Problem(SET_FILE, None, path, p.message) for p in err.problems]) from None


def apply_overrides(
    loaded: LoadedInstance, overrides: Iterable[tuple[str, Any]], *, warnings: bool = True
) -> LoadedInstance:
    """A new validated instance with each ``(dotted.path, value)`` applied in order.

    ``warnings=False`` skips the magnitude warnings (a sweep's solve phase: they were reported
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
    document = Document(data, loaded.document.lines, loaded.document.file)
    result = validate_document(document, None, set_paths, warnings=warnings)
    result.overrides = loaded.overrides + overrides
    return result


def _show(value: Any) -> str:
    """The value as a --set would write it (null and true, not None and True)."""
    if value is None or isinstance(value, bool):
        return json.dumps(value)
    return value if isinstance(value, str) else repr(value)
