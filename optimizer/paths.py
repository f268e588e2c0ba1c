"""Dotted parameter paths: the one owner of "path -> number or structure of the model".

A path such as ``constituencies.farmers.weight`` or ``red_lines.farm_pain.max``
addresses the *normalised* instance (:func:`normalised_data`): every
``gives``/``costs`` entry is a ``{fixed, per_unit}`` mapping, red lines are
addressed by name and items of other lists by position
(``levers.corn.costs.farmers.per_unit.1.1`` is the second segment's marginal
cost). ``--set``, sweep specs and every path-keyed section use this module to
read, write and classify such paths.

Each path is one of two things to the model:

- a **number of the model** (:func:`model_numbers`): a weight, threshold, cap,
  lever size or non-zero coefficient. It enters the built model as a mutable
  parameter, so changing it is *numeric*: the model is re-solved in place.
- **structure**: everything else, including which keys exist, which bounds are
  set (absent, set and null are three different structures), names, kinds,
  list lengths, breakpoints, offer attributes and zero coefficients (HiGHS keeps
  no entry for a zero). :func:`structure_key` hashes it: two instances with the
  same key share one built model, and any other change forces a rebuild.

The classification is derived from the instance itself, not from hand-kept
lists: :func:`numeric_changes` says whether an override set only moves numbers
of the model of a given base.
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from pydantic import BaseModel

from .errors import did_you_mean
from .kinds import lever_kind, red_line_kind
from .schema import Instance
from .schema_walk import allowed_keys, is_named_mapping

NUMBER_SLOT = "<number of the model>"
"""What stands in a number's place when the structure is hashed: unlike None, it never equals an unset bound."""


class PathError(Exception):
    """A dotted path that does not address a place of the instance; ``message`` says why, with a hint."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def normalised_data(instance: Instance) -> dict:
    """The instance as plain data, every optional key present (None when unset); a new copy every call."""
    return instance.model_dump(mode="json")


def canonical_json(data: Any) -> str:
    """JSON with sorted keys and no whitespace: equal data, equal text."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


# -- numbers of the model --------------------------------------------------------------------


def number_slots(instance: Instance) -> Iterator[tuple[str, float, bool]]:
    """``(path, value, always)`` for every place of ``instance`` where a number of the model can stand.

    ``always`` is False for coefficients: a zero coefficient is left out of the model (and so is
    structure), a non-zero one is a parameter. Weights, thresholds, caps and lever sizes are
    always parameters.
    """
    for name, group in instance.constituencies.items():
        yield f"constituencies.{name}.weight", group.weight, True
    for name, lever in instance.levers.items():
        for path, value, always in lever_kind(lever).numbers(lever):
            yield f"levers.{name}.{path}", value, always
    for name, offer in instance.offer_items.items():
        for part in ("requires", "benefits"):
            for key, value in getattr(offer, part).items():
                yield f"offers.{name}.{part}.{key}", value, False
    for metric, value in instance.demands.items():
        yield f"demands.{metric}", value, True
    for line in instance.red_lines:
        for path, value, always in red_line_kind(line).numbers(line):
            yield f"red_lines.{line.name}.{path}", value, always


def model_numbers(instance: Instance) -> dict[str, float]:
    """Every number that enters the model as a mutable parameter, keyed by dotted path."""
    return {path: value for path, value, always in number_slots(instance) if always or value != 0}


def structure_key(instance: Instance) -> str:
    """A hash of everything in ``instance`` that is not a number of the model.

    Two instances with the same key share one built model: only parameter values differ.
    A bound that is absent and one that is set differ (the set one holds :data:`NUMBER_SLOT`).
    """
    data = normalised_data(instance)
    for path in model_numbers(instance):
        _put(data, path.split("."), NUMBER_SLOT)
    return hashlib.sha256(canonical_json(data).encode()).hexdigest()


def _put(data: Any, parts: list[str], value: Any) -> None:
    """Set ``value`` at a path known to exist in normalised data (red lines by name)."""
    node = data
    for part in parts[:-1]:
        node = _item(node, part)
    if isinstance(node, list):
        node[int(parts[-1])] = value
    else:
        node[parts[-1]] = value


def _item(node: Any, part: str) -> Any:
    if isinstance(node, list):
        return node[int(part)] if part.isdigit() else next(i for i in node if i.get("name") == part)
    return node[part]


def numeric_changes(overrides: Iterable[tuple[str, Any]], base_numbers: Mapping[str, float]) -> dict[str, float] | None:
    """The overrides as new values of numbers of the model, or None when any of them changes structure.

    ``base_numbers`` are the base instance's :func:`model_numbers`. An override is numeric when it
    puts a plain number where the base has a number of the model; anything else (a bound the base
    leaves unset, null, a zero coefficient, a list, a name, a kind) is structural.
    """
    numbers = {}
    for path, value in overrides:
        if path not in base_numbers or isinstance(value, bool) or not isinstance(value, int | float):
            return None
        numbers[path] = float(value)
    return numbers


def with_numbers(instance: Instance, numbers: Mapping[str, float]) -> Instance:
    """``instance`` with each number replaced at its dotted path, copying only what is on the way, without validation.

    Only for the result of :func:`numeric_changes` on overrides that already passed
    :func:`optimizer.instance.apply_overrides` on this instance: a sweep validates every scenario
    before it solves any, then builds each one again this way, which is much cheaper. As there,
    the provenance of a replaced number goes with it.
    """
    for path, value in numbers.items():
        instance = _replaced(instance, path.split("."), value)
    return instance.model_copy(update={"provenance": without_sources_of(instance.provenance, numbers)})


def without_sources_of(provenance: Mapping[str, Any], paths: Iterable[str]) -> dict[str, Any]:
    """``provenance`` without the entries of ``paths`` or below them: an overridden number's source is the override."""
    paths = tuple(paths)
    return {key: entry for key, entry in provenance.items() if not any(_at_or_below(key, path) for path in paths)}


def _at_or_below(key: str, path: str) -> bool:
    return key == path or key.startswith(path + ".")


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


def document_path(dotted: str, instance: Instance) -> tuple:
    """A dotted path as a path into the file's data: red lines by position, list positions as integers."""
    parts: list = [int(p) if p.isdigit() else p for p in dotted.split(".")]
    if parts[0] == "red_lines" and len(parts) > 1:
        names = [line.name for line in instance.red_lines]
        if parts[1] in names:
            parts[1] = names.index(parts[1])
    return tuple(parts)


# -- reading and writing paths in plain data ---------------------------------------------------


def assign(data: dict, path_text: str, value: Any) -> tuple:
    """Set ``value`` at the dotted path in normalised ``data`` (in place); return the path with list indexes.

    ``None`` removes an entry from a mapping keyed by names (``offers.deal.requires.investment``).
    Raises :class:`PathError` for a path that the schema does not allow there, with the nearest
    valid path as a hint.
    """
    parts = path_text.split(".")
    if any(not p for p in parts):
        raise PathError("empty part in the path; write names separated by single dots")
    node: Any = data
    key_path: list = []
    for depth, part in enumerate(parts):
        last = depth == len(parts) - 1
        here = tuple(key_path)
        if isinstance(node, list) and node and not any(isinstance(item, dict) for item in node):
            # a plain list (piecewise segments, lever names) is addressed by position: per_unit.1.0
            if not part.isdigit() or int(part) >= len(node):
                raise PathError(
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
                raise PathError(
                    f"no item named '{part}' in {'.'.join(map(str, parts[:depth]))}{did_you_mean(part, names)}"
                )
            if last:
                raise PathError("set a field of the red line, e.g. red_lines.NAME.max")
            key_path.append(index)
            node = node[index]
            continue
        if not isinstance(node, dict):
            raise PathError(f"'{'.'.join(parts[:depth])}' is a value, not a mapping; it has no '{part}'")
        # the schema is consulted only when the key is new, or an entry may be removed
        named = (part not in node or (last and value is None)) and _adds_entries(here, data)
        if part not in node and not named and part not in allowed_keys(here, data):
            raise PathError(f"unknown path{did_you_mean(path_text, list(all_paths(data)))}")
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
    """True for a mapping keyed by names in which a path may add or remove an entry."""
    return is_named_mapping(path, data) and not _is_entity_section(path)


def _is_entity_section(path: tuple) -> bool:
    """Sections whose entries are entities: a path changes them but does not create new ones."""
    return (
        path in {("constituencies",), ("metrics",), ("levers",), ("offers",)}
        or path[-1:] == ("options",)
        and len(path) == 3
    )


def value_at(data: Any, path: str) -> Any:
    """The value at a dotted path of normalised data (red lines by name, list items by position), or None."""
    node = data
    for part in path.split("."):
        if isinstance(node, dict):
            node = node.get(part)
        elif isinstance(node, list):
            if part.isdigit():
                node = node[int(part)] if int(part) < len(node) else None
            else:
                node = next((item for item in node if isinstance(item, dict) and item.get("name") == part), None)
        else:
            return None
        if node is None:
            return None
    return node


def all_paths(node: Any, prefix: tuple = ()) -> Iterator[str]:
    """Every dotted path that exists in normalised data (red lines by name), for "did you mean" hints."""
    if isinstance(node, dict):
        for key, value in node.items():
            path = (*prefix, key)
            yield ".".join(map(str, path))
            yield from all_paths(value, path)
    elif isinstance(node, list):
        for item in node:
            if isinstance(item, dict) and isinstance(item.get("name"), str):
                yield from all_paths(item, (*prefix, item["name"]))
