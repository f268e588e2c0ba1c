"""Reading untrusted negotiation files: XML only through defusedxml, JSON with size and depth limits.

Every refusal is an :class:`~optimizer.errors.InputError` naming the file, the line and the
element, raised before anything is written. XML may carry no DTD, no entity and no external
reference (defusedxml, with DTDs forbidden too); files over :data:`MAX_BYTES` are refused
unread; JSON deeper than :data:`MAX_DEPTH` is refused before it is parsed, XML as soon as the
parser reaches an element that deep.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError, Problem

MAX_BYTES = 16 * 2**20
"""The largest domain or profile file read (16 MiB); the ANAC files are all under 1 MiB."""
MAX_DEPTH = 64
"""The deepest nesting of JSON arrays and objects, and of XML elements, accepted (GENIUS files nest 5 deep)."""


@dataclass
class Node:
    """One XML element: its tag, attributes, children and the line it starts on."""

    tag: str
    attributes: dict[str, str]
    line: int
    children: list[Node] = field(default_factory=list)

    def all(self, tag: str) -> list[Node]:
        return [child for child in self.children if child.tag == tag]

    def first(self, tag: str) -> Node | None:
        found = self.all(tag)
        return found[0] if found else None

    def descendants(self, tag: str) -> list[Node]:
        """Every element below this one with the tag, in document order."""
        out, stack = [], list(reversed(self.children))
        while stack:
            node = stack.pop()
            if node.tag == tag:
                out.append(node)
            stack += reversed(node.children)
        return out


def refuse(file: str | Path, line: int | None, element: str, message: str) -> InputError:
    """An InputError about one element of one file, at its line."""
    return InputError([Problem(str(file), line, element, message)], note="nothing was written")


def _read_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise refuse(
                path, 1, "", f"the file is {size / 2**20:.1f} MiB; files over {MAX_BYTES // 2**20} MiB are refused"
            )
        return path.read_bytes()
    except FileNotFoundError:
        raise refuse(path, None, "", "no such file") from None
    except IsADirectoryError:
        raise refuse(path, None, "", "is a directory, not a domain or profile file") from None
    except OSError as err:
        raise refuse(path, None, "", f"cannot read the file: {err.strerror}") from None


def read_xml(path: str | Path) -> Node:
    """The element tree of an XML file, parsed by defusedxml with DTDs, entities and external references refused."""
    from xml.sax import SAXParseException
    from xml.sax.handler import ContentHandler

    import defusedxml
    import defusedxml.sax

    path = Path(path)
    raw = _read_bytes(path)

    class _Builder(ContentHandler):
        def __init__(self):
            super().__init__()
            self.stack: list[Node] = []
            self.root: Node | None = None
            self.locator = None

        def setDocumentLocator(self, locator):  # noqa: N802 - the SAX interface
            self.locator = locator

        def startElement(self, name, attrs):  # noqa: N802
            line = self.locator.getLineNumber() if self.locator else None
            if len(self.stack) >= MAX_DEPTH:
                raise refuse(path, line, f"<{name}>", f"XML elements nested deeper than {MAX_DEPTH} levels are refused")
            node = Node(name, {k: attrs[k] for k in attrs.getNames()}, line)
            if self.stack:
                self.stack[-1].children.append(node)
            else:
                self.root = node
            self.stack.append(node)

        def endElement(self, name):  # noqa: N802
            self.stack.pop()

    builder = _Builder()
    try:
        defusedxml.sax.parseString(raw, builder, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except defusedxml.DTDForbidden:
        raise refuse(
            path, _line_of(raw, b"<!DOCTYPE"), "<!DOCTYPE>", "a DTD is refused (it can define entities)"
        ) from None
    except defusedxml.EntitiesForbidden:
        raise refuse(path, _line_of(raw, b"<!ENTITY"), "<!ENTITY>", "an entity declaration is refused") from None
    except defusedxml.ExternalReferenceForbidden:
        raise refuse(path, None, "", "an external reference is refused") from None
    except SAXParseException as err:
        raise refuse(path, err.getLineNumber(), "", f"not well-formed XML: {err.getMessage()}") from None
    if builder.root is None:
        raise refuse(path, 1, "", "no XML element")
    return builder.root


def _line_of(raw: bytes, marker: bytes) -> int:
    at = raw.upper().find(marker.upper())
    return raw[:at].count(b"\n") + 1 if at >= 0 else 1


_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)


def json_depth(text: str) -> tuple[int, int]:
    """(deepest nesting of arrays and objects, the line where it is first reached), strings ignored."""
    bare = _STRING.sub('""', text)
    depth = deepest = 0
    line = deepest_line = 1
    for char in re.finditer(r"[\[\]{}\n]", bare):
        c = char.group()
        if c == "\n":
            line += 1
        elif c in "[{":
            depth += 1
            if depth > deepest:
                deepest, deepest_line = depth, line
            if depth > MAX_DEPTH:
                return depth, line
        else:
            depth -= 1
    return deepest, deepest_line


def read_json(path: str | Path) -> tuple[Any, str]:
    """(the parsed JSON, its text) of a file, refusing huge and too deeply nested documents."""
    path = Path(path)
    raw = _read_bytes(path)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise refuse(path, raw[: err.start].count(b"\n") + 1, "", "the file is not UTF-8 text") from None
    depth, line = json_depth(text)
    if depth > MAX_DEPTH:
        raise refuse(path, line, "", f"JSON nested deeper than {MAX_DEPTH} levels is refused")
    try:
        return json.loads(text, parse_constant=_no_constant), text
    except json.JSONDecodeError as err:
        raise refuse(path, err.lineno, "", f"not valid JSON: {err.msg}") from None
    except ValueError as err:
        raise refuse(path, None, "", str(err)) from None


def _no_constant(name: str):
    raise ValueError(f"{name} is not a number JSON allows")


def json_line(text: str, *keys: str) -> int | None:
    """The line of ``"key":`` in a JSON text (where a problem with that key is shown).

    With several keys, each is looked for after the one before it (``"issueUtilities"``, then an
    issue's name within it), so a key is not taken from an earlier part, such as an embedded domain.
    """
    line, at = None, 0
    for key in keys:
        found = text.find(json.dumps(key) + ":", at)
        if found < 0:
            found = text.find(json.dumps(key), at)
        if found < 0:
            break
        line, at = text[:found].count("\n") + 1, found
    return line
