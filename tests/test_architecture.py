"""The module map of docs/architecture.md holds: imports point down the layers, and no module imports itself in a circle.

Every import of a dealopt module counts, at the top of a file or inside a function, except those
under ``if TYPE_CHECKING:`` (names for type hints only, never run).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "optimizer"
ARCHITECTURE = ROOT / "docs" / "architecture.md"


def layers() -> list[list[str]]:
    """The layers of docs/architecture.md's map, lowest first: each a list of module patterns."""
    text = ARCHITECTURE.read_text(encoding="utf-8")
    table = re.findall(r"^\| (\d+) \| [^|]+ \| ([^|]+) \|$", text, flags=re.M)
    assert table, "docs/architecture.md has no layer table"
    return [[item.strip(" `") for item in modules.split(",")] for _, modules in sorted(table, key=lambda r: int(r[0]))]


def modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def _runtime_imports(tree: ast.AST):
    """Import nodes, skipping the bodies of ``if TYPE_CHECKING:``."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            yield from (inner for branch in node.orelse for inner in _runtime_imports_of(branch))
            continue
        yield from _runtime_imports_of(node)


def _runtime_imports_of(node: ast.AST):
    if isinstance(node, ast.Import | ast.ImportFrom):
        yield node
    else:
        yield from _runtime_imports(node)


def imports(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The dealopt modules ``name`` imports."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in _runtime_imports(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name in known}
            continue
        base = package.split(".")[: len(package.split(".")) - node.level + 1] if node.level else []
        target = ".".join([*base, node.module] if node.module else base)
        for alias in node.names:
            found.add(f"{target}.{alias.name}" if f"{target}.{alias.name}" in known else target)
    return {module for module in found if module in known and module != name and not name.startswith(module + ".")}


def layer_of(module: str, table: list[list[str]]) -> int:
    """The layer that names the module exactly, else the one whose pattern covers it (``optimizer.review.*``)."""
    for index, patterns in enumerate(table):
        if module in patterns:
            return index
    for index, patterns in enumerate(table):
        if any(pattern.endswith(".*") and (module + ".").startswith(pattern[:-1]) for pattern in patterns):
            return index
    raise AssertionError(f"{module} is in no layer of docs/architecture.md")


KNOWN = modules()
GRAPH = {name: imports(name, path, KNOWN) for name, path in KNOWN.items()}


def test_every_module_has_a_layer_and_every_import_points_down_or_across():
    table = layers()
    upward = [
        f"{module} (layer {layer_of(module, table)}) imports {target} (layer {layer_of(target, table)})"
        for module, targets in sorted(GRAPH.items())
        for target in sorted(targets)
        if layer_of(target, table) > layer_of(module, table)
    ]
    assert upward == []


def test_no_import_cycle():
    state: dict[str, str] = {}
    stack: list[str] = []

    def visit(module: str) -> None:
        state[module] = "open"
        stack.append(module)
        for target in sorted(GRAPH[module]):
            if state.get(target) == "open":
                pytest.fail("import cycle: " + " -> ".join([*stack[stack.index(target) :], target]))
            if target not in state:
                visit(target)
        stack.pop()
        state[module] = "done"

    for module in sorted(GRAPH):
        if module not in state:
            visit(module)


def test_the_map_names_no_module_that_does_not_exist():
    for patterns in layers():
        for pattern in patterns:
            prefix = pattern[:-2] if pattern.endswith(".*") else pattern
            assert prefix in KNOWN, f"docs/architecture.md names {pattern}, which does not exist"
