"""Strict YAML reading: YAML 1.2 scalars, no anchors, aliases, tags or duplicate keys.

PyYAML alone is YAML 1.1 (``no`` is a boolean, ``1e3`` a string, ``010`` octal)
and silently keeps the last of two duplicate keys. Here PyYAML only *parses* a
document into events (nothing is constructed, so no tag can ever run code), and
the events are turned into plain Python values, in one pass, by our own rules:

- plain scalars follow the YAML 1.2 core schema: ``null``/``~``/empty,
  ``true``/``false``, integers, floats (``1e3``, ``.inf``, ``.nan``);
  everything else, ``yes``/``no``/``on``/``off`` included, is a string;
- quoted and block scalars are always strings, and mapping keys are always text;
- anchors, aliases, explicit tags, duplicate keys and several documents are
  errors, and so is nesting more than 50 levels deep (an instance nests 7 at
  most; the guard keeps hostile nesting from exhausting the stack).

Size is bounded by the file, not by counting values: :func:`read_file` refuses
files over 4 MiB before reading them, and without aliases every value is
written out. A value takes at least two bytes in a file that breaks none of
these rules (``[1,1,...]``, or lines of ``-``), so a file within the limit
holds at most about two million values. Duplicate keys can pack a value into
each byte, but reading stops after the first 100 problems.

Events come from libyaml when PyYAML has it: two million values are then read
in about 5 seconds, and a valid 4 MiB instance (16,000 levers) in about one.
PyYAML's own parser takes about 15 seconds for that instance and a minute for
two million values (it also takes ``[?,?,...]``, a value a byte). Every
value's line is recorded, keyed by its path, so later errors can name
``file:line``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from yaml.events import (
    AliasEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

from .errors import MAX_PROBLEMS, InputError, Problem

MAX_FILE_BYTES = 4 * 1024 * 1024
MAX_DEPTH = 50

_PLAIN = re.compile(
    r"""(?P<null>~|null|Null|NULL|)
    |(?P<true>true|True|TRUE)
    |(?P<false>false|False|FALSE)
    |(?P<int>[-+]?[0-9]+)
    |0o(?P<oct>[0-7]+)
    |0x(?P<hex>[0-9a-fA-F]+)
    |(?P<float>[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?)
    |(?P<inf>[-+]?\.(?:inf|Inf|INF))
    |(?P<nan>\.(?:nan|NaN|NAN))""",
    re.VERBOSE,
)
"""The YAML 1.2 core schema's plain scalars that are not strings, tried in this order (one match a value)."""


LIBYAML = yaml.__with_libyaml__
"""Whether events come from libyaml (fast) or from PyYAML's pure-Python parser."""

if LIBYAML:
    from yaml._yaml import CParser as _Parser
else:
    _Parser = yaml.BaseLoader


class _Refused(Exception):
    """The reading stops here: ``message`` about the text at ``mark``."""

    def __init__(self, mark, message):
        self.mark = mark
        self.message = message


def plain_scalar(text: str) -> Any:
    """The value of an unquoted scalar under the YAML 1.2 core schema."""
    match = _PLAIN.fullmatch(text)
    if match is None:
        return text
    kind = match.lastgroup
    if kind == "null":
        return None
    if kind in ("true", "false"):
        return kind == "true"
    if kind == "int":
        # beyond 19 characters a whole number is far out of range anyway, and Python refuses
        # to convert more than 4300 digits to an int
        return int(text) if len(text) <= 19 else float(text)
    if kind in ("oct", "hex"):
        return int(match[kind], 8 if kind == "oct" else 16)
    if kind == "inf":
        return float("-inf") if text.startswith("-") else float("inf")
    if kind == "nan":
        return float("nan")
    return float(text)


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


class _Reader:
    """Turns a parser's events into plain values in one pass, recording each value's line.

    Anchors, aliases and deep nesting stop the reading (:class:`_Refused`); tags, keys that
    are not plain text and duplicate keys are collected in ``problems``, to be reported with
    every other problem.
    """

    def __init__(self, text: str, file: str):
        self.parser = _Parser(text)
        self.file = file
        self.lines: dict[tuple, int] = {}
        self.words: dict[tuple, str] = {}
        self.problems: list[Problem] = []

    def document(self) -> Any:
        """The one document's value; InputError when there is none, _Refused when there are several."""
        self.parser.get_event()  # the stream's start
        if self.parser.check_event(StreamEndEvent):
            raise InputError([Problem(self.file, 1, "", "the file is empty; an instance needs at least 'format: 1'")])
        self.parser.get_event()  # the document's start
        data = self.value(self.next(), (), 0)
        self.parser.get_event()  # the document's end
        extra = self.parser.get_event()
        if not isinstance(extra, StreamEndEvent):
            raise _Refused(extra.start_mark, "several YAML documents in one file; keep one (remove '---')")
        return data

    def next(self):
        """The next event, refusing aliases and anchors."""
        event = self.parser.get_event()
        anchor = getattr(event, "anchor", None)  # an alias's anchor is the name it refers to
        if anchor is not None:
            if isinstance(event, AliasEvent):
                raise _Refused(event.start_mark, "aliases (*name) are not allowed; write the value out")
            raise _Refused(event.start_mark, f"anchors (&{anchor}) are not allowed; write the value out")
        return event

    def value(self, event, path: tuple, depth: int) -> Any:
        """The value that ``event`` starts, at ``path`` inside ``depth`` collections."""
        if depth >= MAX_DEPTH:
            raise _Refused(event.start_mark, f"nested more than {MAX_DEPTH} levels deep")
        line = event.start_mark.line + 1
        self.lines[path] = line
        if event.tag is not None:
            self.problem(line, path, f"YAML tags ({event.tag}) are not allowed")
            self.skip(event)
            return None
        if isinstance(event, ScalarEvent):
            # a plain scalar's style is None from PyYAML's parser and '' from libyaml's
            if event.style:
                return event.value
            value = plain_scalar(event.value)
            if value is None or isinstance(value, bool):
                self.words[path] = event.value
            return value
        if isinstance(event, SequenceStartEvent):
            items: list[Any] = []
            item = self.next()
            while not isinstance(item, SequenceEndEvent):
                items.append(self.value(item, (*path, len(items)), depth + 1))
                item = self.next()
            return items
        return self.mapping(path, depth)

    def mapping(self, path: tuple, depth: int) -> dict[str, Any]:
        """The entries of the mapping just started, up to its end; bad and duplicate keys become problems."""
        result: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        key = self.next()
        while not isinstance(key, MappingEndEvent):
            line = key.start_mark.line + 1
            if not isinstance(key, ScalarEvent) or key.tag is not None:
                self.problem(line, path, "mapping keys must be plain names")
                self.skip(key)
                self.skip(self.next())
            elif key.value in first_line:
                self.problem(
                    line,
                    (*path, key.value),
                    f"duplicate key '{key.value}' (first on line {first_line[key.value]}); keep one",
                )
                self.skip(self.next())
            else:
                first_line[key.value] = line
                result[key.value] = self.value(self.next(), (*path, key.value), depth + 1)
                self.lines[(*path, key.value)] = line
            key = self.next()
        return result

    def problem(self, line: int, path: tuple, message: str) -> None:
        """Collect a problem; past MAX_PROBLEMS, stop reading (the file is refused and only so many are listed)."""
        self.problems.append(Problem(self.file, line, _dotted(path), message))
        if len(self.problems) > MAX_PROBLEMS:
            raise InputError(self.problems)

    def skip(self, event) -> None:
        """Read past the value that ``event`` starts, building nothing (anchors and aliases are still refused)."""
        open_collections = 0
        while True:
            if isinstance(event, (SequenceStartEvent, MappingStartEvent)):
                open_collections += 1
            elif isinstance(event, (SequenceEndEvent, MappingEndEvent)):
                open_collections -= 1
            if open_collections == 0:
                return
            event = self.next()


def parse_text(text: str, file: str) -> Document:
    """Parse one YAML document from ``text``; raise InputError on any problem."""
    try:
        reader = _Reader(text, file)
        data = reader.document()
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
    if reader.problems:
        raise InputError(reader.problems)
    return Document(data, reader.lines, file, reader.words)


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
