"""``--set PATH=VALUE`` text: the path, and the value parsed like a value in an instance file.

Paths are those of :mod:`optimizer.paths` (``red_lines.farm_pain.max``,
``levers.corn.costs.farmers.per_unit.1.1``). A value is parsed like a YAML
file value (``1e3`` is a number, ``no`` is text); ``null`` (or nothing)
removes an entry from a name-keyed mapping
(``offers.deal.requires.investment=null``). The parsed pairs are applied and
validated by :func:`optimizer.instance.apply_overrides`.
"""

from __future__ import annotations

from typing import Any

from .errors import InputError, Problem
from .instance import SET_FILE
from .yamlfile import parse_text


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
