"""Walking the schema along a data path: which keys a place in an instance allows.

Used to suggest the nearest valid key for a typo, and to decide which
``--set`` paths exist.
"""

from __future__ import annotations

import types
import typing
from typing import Any, get_args, get_origin

from pydantic import BaseModel

from .schema import Instance


def _unwrap(tp: Any, node: Any) -> Any:
    """Strip Annotated/Optional and pick the union member matching the data's ``kind``."""
    while True:
        origin = get_origin(tp)
        if origin is typing.Annotated:
            tp = get_args(tp)[0]
        elif origin in (typing.Union, types.UnionType):
            members = [_bare(m) for m in get_args(tp) if m is not type(None)]
            if len(members) == 1:
                tp = members[0]
                continue
            models = [m for m in members if isinstance(m, type) and issubclass(m, BaseModel)]
            kind = node.get("kind") if isinstance(node, dict) else None
            matching = [
                m for m in models if "kind" in m.model_fields and kind in get_args(m.model_fields["kind"].annotation)
            ]
            if matching:
                tp = matching[0]
            elif len(models) == 1 and isinstance(node, dict):
                tp = models[0]
            else:
                containers = [m for m in members if get_origin(m) in (dict, list)]
                if not (isinstance(node, dict | list) and containers):
                    return tp
                tp = containers[0]
        else:
            return tp


def _bare(tp: Any) -> Any:
    """A union member without its Annotated metadata (such as a discriminator Tag)."""
    return get_args(tp)[0] if get_origin(tp) is typing.Annotated else tp


def type_at(path: tuple, data: Any) -> Any:
    """The schema type at ``path`` (None when the path leaves the schema)."""
    tp: Any = Instance
    node = data
    for part in path:
        tp = _unwrap(tp, node)
        origin = get_origin(tp)
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            if part not in tp.model_fields:
                return None
            tp = tp.model_fields[part].annotation
        elif origin is dict:
            tp = get_args(tp)[1]
        elif origin is list:
            tp = get_args(tp)[0]
        else:
            return None
        node = _child(node, part)
    return _unwrap(tp, node)


def _child(node: Any, part: Any) -> Any:
    if isinstance(node, dict):
        return node.get(part)
    if isinstance(node, list):
        if isinstance(part, int):
            return node[part] if 0 <= part < len(node) else None
        return next((item for item in node if isinstance(item, dict) and item.get("name") == part), None)
    return None


def allowed_keys(path: tuple, data: Any) -> set[str]:
    """Field names allowed at ``path`` (empty for name-keyed mappings and leaves)."""
    tp = type_at(path, data)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return set(tp.model_fields)
    return set()


def is_named_mapping(path: tuple, data: Any) -> bool:
    """True when ``path`` is a mapping keyed by user names (levers, gives, requires...)."""
    return get_origin(type_at(path, data)) is dict
