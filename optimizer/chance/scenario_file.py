"""A scenario file of the user's own for the sampled method (``--scenarios FILE``): one column per belief.

- **CSV**: a header of belief names, then one row per scenario.
- **YAML**: a mapping from each belief's name to its list of values, one per scenario.

Every belief of the instance needs a column and no other column is allowed; every cell is a
finite number (a weight's at or above 0), and every column has as many values as the others, at
least :data:`MIN_SCENARIOS`. Problems name the file, the line and the column, all at once. The
instance's laws still give every probability reported; the scenarios are what the solve sees.
"""

from __future__ import annotations

import csv
import io
import math
from collections import Counter
from pathlib import Path

from ..beliefs import NON_NEGATIVE
from ..errors import InputError, Problem
from ..schema import Instance
from ..yamlfile import read_file
from .conditions import beliefs_of

MIN_SCENARIOS = 10
"""As ``--samples``: fewer scenarios say little about a chance."""


def read_scenarios(path: str | Path, instance: Instance) -> dict:
    """Belief name -> its values in each scenario (numpy arrays of one length); raises InputError."""
    import numpy as np

    path = Path(path)
    reader = _yaml_columns if path.suffix.lower() in (".yaml", ".yml") else _csv_columns
    columns, problems = reader(path)
    file = str(path)
    beliefs = beliefs_of(instance)
    for name, (line, _) in columns.items():
        if name not in beliefs:
            problems.append(Problem(file, line, name, f"no belief named '{name}'; the beliefs are {_names(beliefs)}"))
    for name in beliefs:
        if name not in columns:
            problems.append(Problem(file, 1, name, f"no column for the belief '{name}'; give every belief a column"))
    lengths = Counter(len(cells) for _, cells in columns.values())
    if len(lengths) > 1:
        usual = max(sorted(lengths), key=lengths.__getitem__)
        problems += [
            Problem(file, line, name, f"{len(cells)} values, the other columns {usual}: one value per scenario")
            for name, (line, cells) in columns.items()
            if len(cells) != usual
        ]
    elif lengths and min(lengths) < MIN_SCENARIOS:
        problems.append(Problem(file, None, "", f"{min(lengths)} scenarios; give at least {MIN_SCENARIOS}"))
    for name, (_, cells) in columns.items():
        belief = beliefs.get(name)
        floor = 0.0 if belief is not None and NON_NEGATIVE.fullmatch(belief.path) else -math.inf
        for line, value in cells:
            if isinstance(value, str):
                problems.append(Problem(file, line, name, f"'{value}' is not a number"))
            elif not math.isfinite(value):
                problems.append(Problem(file, line, name, f"{value} is not a finite number"))
            elif value < floor:
                problems.append(
                    Problem(file, line, name, f"{value:g} is below 0, and {belief.path} cannot be negative")
                )
    if problems:
        raise InputError(problems)
    return {name: np.array([v for _, v in columns[name][1]], dtype=float) for name in beliefs}


def _names(beliefs: dict) -> str:
    return ", ".join(sorted(beliefs)) or "none"


def _csv_columns(path: Path) -> tuple[dict, list[Problem]]:
    """name -> (line of the header, [(line, number or the text that is not one)])."""
    file = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError([Problem(file, None, "", "no such file")]) from None
    except (OSError, UnicodeDecodeError) as err:
        raise InputError([Problem(file, None, "", f"cannot read the file as UTF-8 text: {err}")]) from None
    rows = list(csv.reader(io.StringIO(text)))
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise InputError([Problem(file, 1, "", "no header: the first line names the beliefs, one per column")])
    header = [cell.strip() for cell in rows[0]]
    twice = [Problem(file, 1, name, "the column appears twice") for i, name in enumerate(header) if name in header[:i]]
    if twice:
        raise InputError(twice)
    problems = []
    columns = {name: (1, []) for name in header}
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            problems.append(Problem(file, number, "", f"{len(row)} cells; the header has {len(header)}"))
            continue
        for name, cell in zip(header, row, strict=True):
            columns[name][1].append((number, _number(cell.strip())))
    return columns, problems


def _number(text: str) -> float | str:
    try:
        return float(text)
    except ValueError:
        return text


def _yaml_columns(path: Path) -> tuple[dict, list[Problem]]:
    document = read_file(path)
    file = str(path)
    if not isinstance(document.data, dict):
        raise InputError([Problem(file, 1, "", "a mapping from each belief's name to its list of values")])
    columns, problems = {}, []
    for name, values in document.data.items():
        line = document.line_of((name,))
        if not isinstance(values, list):
            problems.append(Problem(file, line, str(name), "a list of numbers, one per scenario"))
            continue
        cells = []
        for i, value in enumerate(values):
            number = value if isinstance(value, int | float) and not isinstance(value, bool) else str(value)
            cells.append((document.line_of((name, i)), float(number) if not isinstance(number, str) else number))
        columns[str(name)] = (line, cells)
    return columns, problems
