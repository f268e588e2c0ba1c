"""``--set PATH=VALUE`` overrides on the normalised instance: the mechanism behind sweeps too.

A path is dotted and addresses the normalised instance, in which every
``gives``/``costs`` entry is a ``{fixed, per_unit}`` mapping and red lines are
addressed by name: ``red_lines.farm_pain.max``; items of other lists by position
(``levers.corn.costs.farmers.per_unit.1.1`` is the second segment's marginal
cost). A value is text parsed like a YAML file value (``1e3`` is a number,
``no`` is text), or a Python value when called from the API. ``null`` removes an entry from a name-keyed mapping
(``offers.deal.requires.investment=null``). The result is validated exactly
like a file.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import BaseModel

from .errors import InputError, Problem, did_you_mean
from .instance import LoadedInstance, normalised_data, validate_document
from .schema import Instance
from .schema_walk import allowed_keys, is_named_mapping
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
        except _BadPath as bad:
            problems.append(Problem(SET_FILE, None, path_text, bad.message))
            continue
        set_paths[key_path] = f"{path_text}={_show(value)}"
    if problems:
        raise InputError(problems)
    document = Document(data, loaded.document.lines, loaded.document.file)
    result = validate_document(document, None, set_paths, warnings=warnings)
    result.overrides = loaded.overrides + overrides
    return result


def with_numbers(instance: Instance, numbers: Mapping[str, float]) -> Instance:
    """``instance`` with each number replaced at its dotted path, copying only what is on the way, without validation.

    The paths are those of :func:`optimizer.model.sweepable_numbers`. Only for numbers that
    already passed :func:`apply_overrides` on this instance: a sweep validates every scenario
    before it solves any, then builds each one again this way, which is much cheaper.
    """
    for path, value in numbers.items():
        instance = _replaced(instance, path.split("."), value)
    return instance


def _replaced(node: Any, parts: list[str], value: float) -> Any:
    """A copy of ``node`` with ``value`` at ``parts``; what is off the path is shared, not copied."""
    if not parts:
        return value
    head, rest = parts[0], parts[1:]
    if isinstance(node, BaseModel):
        return node.model_copy(update={head: _replaced(getattr(node, head), rest, value)})
    if isinstance(node, dict):
        return {**node, head: _replaced(node[head], rest, value)}
    items = list(node)
    index = int(head) if head.isdigit() else next(i for i, item in enumerate(items) if item.name == head)
    items[index] = _replaced(items[index], rest, value)
    return type(node)(items)


class _BadPath(Exception):
    def __init__(self, message: str):
        self.message = message


def assign(data: dict, path_text: str, value: Any) -> tuple:
    """Set ``value`` at the dotted path in ``data`` (in place); return the path with list indexes."""
    parts = path_text.split(".")
    if any(not p for p in parts):
        raise _BadPath("empty part in the path; write names separated by single dots")
    node: Any = data
    key_path: list = []
    for depth, part in enumerate(parts):
        last = depth == len(parts) - 1
        here = tuple(key_path)
        if isinstance(node, list) and node and not any(isinstance(item, dict) for item in node):
            # a plain list (piecewise segments, lever names) is addressed by position: per_unit.1.0
            if not part.isdigit() or int(part) >= len(node):
                raise _BadPath(
                    f"'{'.'.join(parts[:depth])}' is a list of {len(node)}; address an item as 0..{len(node) - 1}"
                )
            key_path.append(int(part))
            if last:
                node[int(part)] = copy.deepcopy(value)
            node = node[int(part)]
            continue
        if isinstance(node, list):
            index = next(
                (i for i, item in enumerate(node) if isinstance(item, dict) and item.get("name") == part), None
            )
            if index is None:
                names = [item.get("name") for item in node if isinstance(item, dict)]
                raise _BadPath(
                    f"no item named '{part}' in {'.'.join(map(str, parts[:depth]))}{did_you_mean(part, names)}"
                )
            if last:
                raise _BadPath("set a field of the red line, e.g. red_lines.NAME.max")
            key_path.append(index)
            node = node[index]
            continue
        if not isinstance(node, dict):
            raise _BadPath(f"'{'.'.join(parts[:depth])}' is a value, not a mapping; it has no '{part}'")
        # the schema is consulted only when the key is new, or an entry may be removed
        named = (part not in node or (last and value is None)) and _adds_entries(here, data)
        if part not in node and not named and part not in allowed_keys(here, data):
            raise _BadPath(f"unknown path{_nearest(path_text, data)}")
        key_path.append(part)
        if last:
            if value is None and named:
                node.pop(part, None)
            else:
                node[part] = copy.deepcopy(value)
        else:
            if node.get(part) is None:
                node[part] = {}
            node = node[part]
    return tuple(key_path)


def _adds_entries(path: tuple, data: dict) -> bool:
    """True for a mapping keyed by names in which --set may add or remove an entry."""
    return is_named_mapping(path, data) and not _is_entity_section(path)


def _is_entity_section(path: tuple) -> bool:
    """Sections whose entries are entities: --set changes them but does not create new ones."""
    return (
        path in {("constituencies",), ("metrics",), ("levers",), ("offers",)}
        or path[-1:] == ("options",)
        and len(path) == 3
    )


def _nearest(path_text: str, data: dict) -> str:
    return did_you_mean(path_text, list(_all_paths(data, ())))


def _all_paths(node: Any, prefix: tuple):
    if isinstance(node, dict):
        for key, value in node.items():
            path = (*prefix, key)
            yield ".".join(map(str, path))
            yield from _all_paths(value, path)
    elif isinstance(node, list):
        for item in node:
            if isinstance(item, dict) and isinstance(item.get("name"), str):
                yield from _all_paths(item, (*prefix, item["name"]))


def _show(value: Any) -> str:
    """The value as a --set would write it (null and true, not None and True)."""
    if value is None or isinstance(value, bool):
        return json.dumps(value)
    return value if isinstance(value, str) else repr(value)
