"""Strict YAML reading: YAML 1.2 scalars, no aliases, tags or duplicate keys.

PyYAML alone is YAML 1.1 (``no`` is a boolean, ``1e3`` a string, ``010`` octal)
and silently keeps the last of two duplicate keys. Here a document is only
*composed* by PyYAML (nothing is constructed, so no tag can ever run code) and
the node tree is turned into plain Python values by our own rules:

- plain scalars follow the YAML 1.2 core schema: ``null``/``~``/empty,
  ``true``/``false``, integers, floats (``1e3``, ``.inf``, ``.nan``);
  everything else, ``yes``/``no``/``on``/``off`` included, is a string;
- quoted and block scalars are always strings, and mapping keys are always text;
- anchors, aliases, explicit tags, duplicate keys and several documents are
  errors, and so are documents nested more than 50 levels deep or holding more
  than 200,000 values (a hostile file is refused in a second, not parsed for minutes).

Events come from libyaml when PyYAML has it (pure-Python scanning of a 4 MiB
file takes about a minute); the tree is composed here, in Python, either way.
Every value's line is recorded, keyed by its path, so later errors can name
``file:line``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.resolver import BaseResolver

from .errors import InputError, Problem

MAX_FILE_BYTES = 4 * 1024 * 1024
MAX_DEPTH = 50
MAX_NODES = 200_000

_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_TRUE = re.compile(r"^(?:true|True|TRUE)$")
_FALSE = re.compile(r"^(?:false|False|FALSE)$")
_INT = re.compile(r"^[-+]?[0-9]+$")
_INT_OCT = re.compile(r"^0o[0-7]+$")
_INT_HEX = re.compile(r"^0x[0-9a-fA-F]+$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_INF = re.compile(r"^[-+]?\.(?:inf|Inf|INF)$")
_NAN = re.compile(r"^\.(?:nan|NaN|NAN)$")


LIBYAML = yaml.__with_libyaml__
"""Whether events come from libyaml (fast) or from PyYAML's pure-Python parser."""

if LIBYAML:
    from yaml._yaml import CParser

    class _EventSource(Composer, CParser, BaseResolver):
        """libyaml's events, composed by PyYAML's Python composer (every implicit tag is a plain str/seq/map)."""

        def __init__(self, text: str):
            CParser.__init__(self, text)
            Composer.__init__(self)
            BaseResolver.__init__(self)

else:
    _EventSource = yaml.BaseLoader


class _Composer(_EventSource):
    """Composes the node tree, refusing aliases, anchors, deep nesting and too many values.

    Explicit tags are kept on their nodes as ``explicit_tag``, to be reported with every other problem.
    """

    def __init__(self, text: str):
        super().__init__(text)
        self.depth = 0
        self.nodes = 0

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise _Refused(event.start_mark, "aliases (*name) are not allowed; write the value out")
        event = self.peek_event()
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            raise _Refused(event.start_mark, f"anchors (&{anchor}) are not allowed; write the value out")
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise _Refused(event.start_mark, f"more than {MAX_NODES:,} values; an instance file is far smaller")
        if self.depth >= MAX_DEPTH:
            raise _Refused(event.start_mark, f"nested more than {MAX_DEPTH} levels deep")
        self.depth += 1
        try:
            node = super().compose_node(parent, index)
        finally:
            self.depth -= 1
        node.explicit_tag = getattr(event, "tag", None)
        return node


class _Refused(Exception):
    def __init__(self, mark, message):
        self.mark = mark
        self.message = message


def plain_scalar(text: str) -> Any:
    """The value of an unquoted scalar under the YAML 1.2 core schema."""
    if _NULL.match(text):
        return None
    if _TRUE.match(text):
        return True
    if _FALSE.match(text):
        return False
    if _INT.match(text):
        # beyond 19 characters a whole number is far out of range anyway, and Python refuses
        # to convert more than 4300 digits to an int
        return int(text) if len(text) <= 19 else float(text)
    if _INT_OCT.match(text):
        return int(text[2:], 8)
    if _INT_HEX.match(text):
        return int(text[2:], 16)
    if _FLOAT.match(text):
        return float(text)
    if _INF.match(text):
        return float("-inf") if text.startswith("-") else float("inf")
    if _NAN.match(text):
        return float("nan")
    return text


class Document:
    """A parsed YAML document: its plain-Python ``data`` and the line of every path."""

    def __init__(self, data: Any, lines: dict[tuple, int], file: str, words: dict[tuple, str] | None = None):
        self.data = data
        self.lines = lines
        self.file = file
        self.words = words or {}
        """Path -> the text of each unquoted ``true``/``false``/``null``/``~``, for places where a name is meant."""

    def line_of(self, path: tuple) -> int | None:
        """The line of the deepest recorded prefix of ``path``."""
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), None)


def parse_text(text: str, file: str) -> Document:
    """Parse one YAML document from ``text``; raise InputError on any problem."""
    loader = None
    try:
        loader = _Composer(text)
        if not loader.check_node():
            raise InputError([Problem(file, 1, "", "the file is empty; an instance needs at least 'format: 1'")])
        root = loader.get_node()
        if loader.check_node():
            extra = loader.peek_event()
            raise _Refused(extra.start_mark, "several YAML documents in one file; keep one (remove '---')")
    except _Refused as refused:
        raise InputError([Problem(file, refused.mark.line + 1, "", refused.message)]) from None
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark else None
        column = f", column {mark.column + 1}" if mark else ""
        what = err.problem or err.context or "invalid YAML"
        raise InputError([Problem(file, line, "", f"YAML syntax error{column}: {what}")]) from None
    except yaml.reader.ReaderError as err:
        # libyaml counts the position in UTF-8 bytes, PyYAML's reader in characters
        before = text.encode()[: err.position] if LIBYAML else text[: err.position]
        line = before.count(b"\n" if LIBYAML else "\n") + 1
        raise InputError(
            [Problem(file, line, "", f"character U+{err.character:04X} is not allowed: {err.reason}")]
        ) from None
    except UnicodeEncodeError:
        raise InputError([Problem(file, 1, "", "the text is not valid UTF-8")]) from None
    except yaml.YAMLError as err:
        raise InputError([Problem(file, 1, "", f"YAML error: {err}")]) from None
    finally:
        if loader is not None:
            loader.dispose()

    lines: dict[tuple, int] = {}
    words: dict[tuple, str] = {}
    problems: list[Problem] = []
    data = _to_python(root, (), lines, words, problems, file)
    if problems:
        raise InputError(problems)
    return Document(data, lines, file, words)


def read_file(path: str | Path) -> Document:
    """Read and parse a YAML file, refusing files over 4 MiB and text that is not UTF-8."""
    path = Path(path)
    file = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InputError(
                [Problem(file, 1, "", f"the file is {size / 2**20:.1f} MiB; files over 4 MiB are refused")]
            )
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError([Problem(file, 1, "", "no such file")]) from None
    except IsADirectoryError:
        raise InputError([Problem(file, 1, "", "is a directory, not a YAML file")]) from None
    except OSError as err:
        raise InputError([Problem(file, 1, "", f"cannot read the file: {err.strerror}")]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise InputError(
            [Problem(file, line, "", f"the file is not UTF-8 text (byte {err.start}); save it as UTF-8")]
        ) from None
    return parse_text(text, file)


def _to_python(node, path: tuple, lines: dict, words: dict, problems: list[Problem], file: str) -> Any:
    lines[path] = node.start_mark.line + 1
    if node.explicit_tag is not None:
        problems.append(
            Problem(file, node.start_mark.line + 1, _dotted(path), f"YAML tags ({node.explicit_tag}) are not allowed")
        )
        return None
    if isinstance(node, yaml.ScalarNode):
        # a plain scalar's style is None from PyYAML's parser and '' from libyaml's
        if node.style:
            return node.value
        value = plain_scalar(node.value)
        if value is None or isinstance(value, bool):
            words[path] = node.value
        return value
    if isinstance(node, yaml.SequenceNode):
        return [_to_python(item, (*path, i), lines, words, problems, file) for i, item in enumerate(node.value)]
    result: dict[str, Any] = {}
    first_line: dict[str, int] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode) or key_node.explicit_tag is not None:
            problems.append(
                Problem(file, key_node.start_mark.line + 1, _dotted(path), "mapping keys must be plain names")
            )
            continue
        key = key_node.value
        line = key_node.start_mark.line + 1
        if key in first_line:
            problems.append(
                Problem(
                    file,
                    line,
                    _dotted((*path, key)),
                    f"duplicate key '{key}' (first on line {first_line[key]}); keep one",
                )
            )
            continue
        first_line[key] = line
        result[key] = _to_python(value_node, (*path, key), lines, words, problems, file)
        lines[(*path, key)] = line
    return result


def _dotted(path: tuple) -> str:
    return ".".join(str(p) for p in path)


class _Dumper(yaml.SafeDumper):
    """Quotes every string that our YAML 1.2 reading would take for something else."""

    def represent_str(self, value: str):
        style = None if plain_scalar(value) == value and not _looks_special(value) else '"'
        return self.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _looks_special(value: str) -> bool:
    return value.lower() in {"yes", "no", "on", "off", "y", "n"} or value == ""


_Dumper.add_representer(str, _Dumper.represent_str)


def dump(data: Any) -> str:
    """YAML text for plain data, read back by :func:`parse_text` to the same values."""
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, default_flow_style=False, width=100)
