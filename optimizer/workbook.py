"""Spreadsheet in: a workbook template for an analyst to fill, and its conversion to an instance file.

``dealopt init NAME --template xlsx`` writes NAME.xlsx with five sheets (Levers,
Constituencies, Metrics, Offers, Red lines), each with a header row whose cells
carry a note on the column, and one example row. ``dealopt convert NAME.xlsx -o
NAME.yaml`` reads it back: each row becomes an entry of the instance, the result
is validated like any instance file, and every problem names its sheet and cell
(``Levers!E3``) and the field path (``levers.corn.max``). Nothing is written when
anything is wrong. openpyxl (the ``xlsx`` extra) is imported only here, when needed.

Cells that hold several entries list them as ``key=value`` separated by commas:
``deficit_cut=1, investment=20``. A piecewise cost curve is
``farmers=4:0.5 10:2`` (0.5 per unit up to 4, then 2 per unit up to 10). Lists
of names are separated by commas.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import click

from .cli_options import Command
from .errors import InputError, Problem
from .instance import load
from .schema import NAME_PATTERN
from .starter import new_file
from .yamlfile import dump

INSTALL_HINT = "the xlsx template needs the xlsx extra: pip install 'dealopt[xlsx]'"


@dataclass(frozen=True)
class Column:
    """One column of a sheet: its header, the note on its header cell, and the example row's value."""

    header: str
    note: str
    example: object = None


SHEETS: dict[str, list[Column]] = {
    "Levers": [
        Column(
            "name",
            "Lever name: a letter, then letters, digits, _ or -. A choice lever has one row of its own "
            "and one row per option, each repeating the lever's name.",
            "farm_purchases",
        ),
        Column("kind", "binary, integer, continuous or choice (blank on an option row).", "continuous"),
        Column("option", "Option name, on an option row of a choice lever; blank otherwise."),
        Column("label", "What people call it (optional).", "Buy more farm goods"),
        Column("unit", "Unit of the amount (optional).", "USD bn/yr"),
        Column("max", "Integer and continuous levers: the most that could be offered (> 0).", 10),
        Column("min_if_used", "Integer and continuous levers: a used lever is at least this (optional).", None),
        Column("required", "Choice levers: TRUE when exactly one option must be picked.", None),
        Column("gives_per_unit", "Metric=number per unit of amount, comma-separated: deficit_cut=1.", "deficit_cut=1"),
        Column("gives_fixed", "Metric=number given once when used (option rows: what the option gives).", None),
        Column(
            "costs_per_unit",
            "Constituency=number per unit, or a convex curve upper:marginal ...: farmers=4:0.5 10:2.",
            "farmers=4:0.5 10:2",
        ),
        Column("costs_fixed", "Constituency=number paid once when used (option rows: what the option costs).", None),
        Column("source", "Where the numbers come from (optional).", "where this number comes from"),
    ],
    "Constituencies": [
        Column("name", "Constituency name: who at home pays.", "farmers"),
        Column("label", "What people call it (optional).", "Farm lobby"),
        Column("weight", "How much their political cost counts (>= 0; default 1).", 3),
        Column("source", "Where the weight comes from (optional).", None),
    ],
    "Metrics": [
        Column("name", "Metric name: what the counterpart counts.", "deficit_cut"),
        Column("label", "What people call it (optional).", "Deficit reduction"),
        Column("unit", "Its unit (optional).", "USD bn/yr"),
        Column("demand", "A threshold (>=) that holds whatever offer is granted (optional).", None),
        Column("source", "Where the numbers come from (optional).", None),
    ],
    "Offers": [
        Column("name", "Offer name: what the counterpart may grant; exactly one is granted.", "deal"),
        Column("label", "What people call it (optional).", "Tariff cut"),
        Column("walk_away", "TRUE for walking away (no requires).", None),
        Column("requires", "Metric=threshold the counterpart needs for this offer: deficit_cut=6.", "deficit_cut=6"),
        Column("benefits", "Constituency=political gain at home when granted: farmers=5.", "farmers=5"),
        Column("attributes", "Name=number describing the offer, for offer red lines: tariff=10.", "tariff=10"),
    ],
    "Red lines": [
        Column("name", "Red-line name.", "farm_cap"),
        Column("kind", "max_cost, limit, forbid, requires, excludes, offer or conditional.", "max_cost"),
        Column("constituency", "max_cost: the constituency whose gross cost is capped.", "farmers"),
        Column("lever", "requires and conditional: the lever.", None),
        Column("needs", "requires: the lever it needs.", None),
        Column("levers", "forbid and excludes: lever names, comma-separated.", None),
        Column("offers", "conditional: the offers under which the lever may be used, comma-separated.", None),
        Column("terms", "limit: lever=coefficient, comma-separated.", None),
        Column("attribute", "offer: the offer attribute bounded.", None),
        Column("min", "limit and offer: lower bound (optional).", None),
        Column("max", "max_cost, limit and offer: upper bound.", 8),
        Column("label", "What people call it (optional).", None),
        Column("reason", "Why home holds this line (optional).", "election year"),
    ],
}
"""Sheet -> its columns, in order."""


def _openpyxl():
    try:
        import openpyxl
    except ImportError:
        raise InputError([Problem("init", None, "--template", INSTALL_HINT)]) from None
    return openpyxl


def write_template(name: str, folder: Path, overwrite: bool = False) -> Path:
    """Write ``folder/NAME.xlsx``: every sheet with its annotated header and one example row."""
    openpyxl = _openpyxl()
    from openpyxl.comments import Comment

    path = new_file(name, folder, ".xlsx", overwrite)
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, columns in SHEETS.items():
        sheet = book.create_sheet(title)
        for index, column in enumerate(columns, start=1):
            cell = sheet.cell(row=1, column=index, value=column.header)
            cell.comment = Comment(column.note, "dealopt")
            sheet.cell(row=2, column=index, value=column.example)
            sheet.column_dimensions[cell.column_letter].width = max(12, len(column.header) + 4)
        sheet.freeze_panes = "A2"
    book.save(path)
    return path


# -- reading a workbook back -----------------------------------------------------------------------------


@dataclass
class _Reader:
    """The instance built from a workbook, the cell behind each field path, and the problems found."""

    file: str
    data: dict = field(default_factory=dict)
    cells: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def problem(self, cell: str, path: str, message: str) -> None:
        self.problems.append(Problem(self.file, None, f"{cell} {path}".strip(), message))

    def rows(self, book, title: str):
        """{header: (value, cell)} of each filled row of a sheet."""
        if title not in book.sheetnames:
            self.problem(
                f"'{title}'", "", f"the workbook has no sheet '{title}'; start from `dealopt init NAME --template xlsx`"
            )
            return
        sheet = book[title]
        headers = [str(c.value).strip() if c.value is not None else "" for c in sheet[1]]
        known = [c.header for c in SHEETS[title]]
        for index, header in enumerate(headers, start=1):
            if header and header not in known:
                letter = sheet.cell(row=1, column=index).column_letter
                self.problem(f"{title}!{letter}1", "", f"unknown column '{header}'; the columns are {', '.join(known)}")
        for cells in sheet.iter_rows(min_row=2):
            values = {
                headers[c.column - 1]: (
                    c.value.strip() if isinstance(c.value, str) else c.value,
                    f"{title}!{c.coordinate}",
                )
                for c in cells
                if c.column <= len(headers) and headers[c.column - 1] and c.value not in (None, "")
            }
            if values:
                yield values

    def put(self, target: dict, key: str, path: str, value, cell: str) -> None:
        target[key] = value
        self.cells[path] = cell

    def number(self, value, cell: str, path: str):
        if isinstance(value, bool) or not isinstance(value, int | float):
            text = str(value)
            try:
                return int(text) if re.fullmatch(r"[+-]?\d+", text) else float(text)
            except ValueError:
                self.problem(cell, path, f"expected a number, got '{value}'")
                return None
        return value

    def entries(self, value, cell: str, path: str, curve: bool = False) -> dict:
        """'key=number, key=number' (a curve: 'key=upper:marginal upper:marginal') as a mapping."""
        out = {}
        for part in filter(None, (p.strip() for p in str(value).split(","))):
            key, sep, text = (s.strip() for s in part.partition("="))
            if not sep or not key:
                self.problem(cell, path, f"expected key=number, got '{part}'")
                continue
            if curve and ":" in text:
                segments = [point.split(":") for point in text.split()]
                if any(len(s) != 2 for s in segments):
                    self.problem(cell, f"{path}.{key}", f"expected upper:marginal pairs, got '{text}'")
                    continue
                out[key] = [
                    [self.number(a, cell, f"{path}.{key}"), self.number(b, cell, f"{path}.{key}")] for a, b in segments
                ]
            else:
                out[key] = self.number(text, cell, f"{path}.{key}")
        return out


def _flag(value) -> bool | str:
    if isinstance(value, bool):
        return value
    return {"true": True, "false": False}.get(str(value).lower(), str(value))


def _names(value) -> list[str]:
    return [name.strip() for name in str(value).split(",") if name.strip()]


def workbook_instance(path: Path) -> tuple[dict, dict[str, str]]:
    """The instance data of a filled workbook, and the cell behind each field path; raises InputError."""
    openpyxl = _openpyxl()
    reader = _Reader(str(path))
    try:
        book = openpyxl.load_workbook(path, read_only=False, data_only=True)
    except (OSError, ValueError, KeyError) as err:
        raise InputError([Problem(str(path), None, "", f"cannot read the workbook: {err}")]) from None
    data = reader.data
    data["format"] = 1
    if re.match(NAME_PATTERN, path.stem):
        data["name"] = path.stem
    for section, title, fields in (
        ("constituencies", "Constituencies", {"label": None, "weight": "number", "source": None}),
        ("metrics", "Metrics", {"label": None, "unit": None, "source": None}),
    ):
        data[section] = {}
        for row in reader.rows(book, title):
            name = _entry_name(reader, row, section)
            if name is None:
                continue
            entry = data[section].setdefault(name, {})
            for key, (value, cell) in row.items():
                if key == "demand":
                    reader.put(
                        data.setdefault("demands", {}),
                        name,
                        f"demands.{name}",
                        reader.number(value, cell, f"demands.{name}"),
                        cell,
                    )
                elif key != "name":
                    value = reader.number(value, cell, f"{section}.{name}.{key}") if fields.get(key) else value
                    reader.put(entry, key, f"{section}.{name}.{key}", value, cell)
    data["levers"] = _levers(reader, book)
    offers = _offers(reader, book)
    if offers:
        data["offers"] = offers
    data["red_lines"] = _red_lines(reader, book)
    if reader.problems:
        raise InputError(reader.problems)
    return data, reader.cells


def _entry_name(reader: _Reader, row: dict, section: str) -> str | None:
    if "name" not in row:
        first_cell = next(iter(row.values()))[1]
        reader.problem(first_cell, section, "this row has no name")
        return None
    return str(row["name"][0])


def _levers(reader: _Reader, book) -> dict:
    levers: dict = {}
    for row in reader.rows(book, "Levers"):
        name = _entry_name(reader, row, "levers")
        if name is None:
            continue
        lever = levers.setdefault(name, {})
        path = f"levers.{name}"
        if "option" in row:
            option_name, cell = row.pop("option")
            lever.setdefault("options", {})
            target, path = lever["options"].setdefault(str(option_name), {}), f"{path}.options.{option_name}"
            reader.cells.setdefault(path, cell)
        else:
            target = lever
        reader.cells.setdefault(f"levers.{name}", row["name"][1])
        gives, costs = {}, {}
        for key, (value, cell) in row.items():
            if key == "name":
                continue
            if key in ("max", "min_if_used"):
                reader.put(target, key, f"{path}.{key}", reader.number(value, cell, f"{path}.{key}"), cell)
            elif key == "required":
                reader.put(target, key, f"{path}.{key}", _flag(value), cell)
            elif key.startswith(("gives_", "costs_")):
                part, style = key.split("_", 1)
                terms = gives if part == "gives" else costs
                entries = reader.entries(value, cell, f"{path}.{part}", curve=part == "costs")
                for item, number in entries.items():
                    reader.cells[f"{path}.{part}.{item}"] = cell
                    terms.setdefault(item, {})[style] = number
            else:
                reader.put(target, key, f"{path}.{key}", value, cell)
        for part, terms in (("gives", gives), ("costs", costs)):
            if terms:
                target[part] = {item: _term(t, option=target is not lever) for item, t in terms.items()}
    return levers


def _term(parts: dict, option: bool):
    """A lever's term from its per-unit and fixed cells; an option takes one plain number."""
    if option:
        return parts.get("fixed", 0) + parts.get("per_unit", 0)
    if "fixed" not in parts and not isinstance(parts["per_unit"], list):
        return parts["per_unit"]
    return {"fixed": parts.get("fixed", 0), "per_unit": parts.get("per_unit", 0)}


def _offers(reader: _Reader, book) -> dict:
    offers: dict = {}
    for row in reader.rows(book, "Offers"):
        name = _entry_name(reader, row, "offers")
        if name is None:
            continue
        offer, path = offers.setdefault(name, {}), f"offers.{name}"
        reader.cells.setdefault(path, row["name"][1])
        for key, (value, cell) in row.items():
            if key in ("requires", "benefits", "attributes"):
                reader.put(offer, key, f"{path}.{key}", reader.entries(value, cell, f"{path}.{key}"), cell)
            elif key == "walk_away":
                reader.put(offer, key, f"{path}.{key}", _flag(value), cell)
            elif key != "name":
                reader.put(offer, key, f"{path}.{key}", value, cell)
    return offers


def _red_lines(reader: _Reader, book) -> list:
    lines = []
    for row in reader.rows(book, "Red lines"):
        line, index = {}, len(lines)
        path = f"red_lines.{index}"
        reader.cells[path] = next(iter(row.values()))[1]
        for key, (value, cell) in row.items():
            if key in ("levers", "offers"):
                value = _names(value)
            elif key == "terms":
                value = reader.entries(value, cell, f"{path}.terms")
            elif key in ("min", "max"):
                value = reader.number(value, cell, f"{path}.{key}")
            reader.put(line, key, f"{path}.{key}", value, cell)
        if "name" in line:  # problems name a red line by its name
            for key, (_, cell) in row.items():
                reader.cells[f"red_lines.{line['name']}.{key}"] = cell
            reader.cells[f"red_lines.{line['name']}"] = reader.cells[path]
        lines.append(line)
    return lines


def convert(workbook: Path, out: Path, overwrite: bool = False) -> Path:
    """Write the instance file of a filled workbook to ``out``, validated; raises InputError, writing nothing."""
    workbook, out = Path(workbook), Path(out)
    if out.exists() and not overwrite:
        raise InputError([Problem(str(out), None, "", "the file exists; use --force to overwrite it")])
    data, cells = workbook_instance(workbook)
    try:
        load(data)
    except InputError as err:
        raise InputError([_located(workbook, problem, cells) for problem in err.problems]) from None
    text = f"# Converted from {workbook.name} by `dealopt convert`.\n" + dump(data)
    out.write_text(text, encoding="utf-8")
    return out


def _located(workbook: Path, problem: Problem, cells: dict[str, str]) -> Problem:
    """A problem of the converted instance, placed at the workbook cell its field path came from."""
    parts = problem.path.split(".") if problem.path else []
    for end in range(len(parts), 0, -1):
        cell = cells.get(".".join(parts[:end]))
        if cell is not None:
            return Problem(str(workbook), None, f"{cell} {problem.path}", problem.message)
    return Problem(str(workbook), None, problem.path, problem.message)


@click.command("convert", cls=Command)
@click.argument("workbook", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option(
    "-o",
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Instance file to write (default: the workbook's name with .yaml).",
)
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def convert_command(workbook, out, force):
    """Turn a filled workbook (from `dealopt init NAME --template xlsx`) into a validated instance file."""
    path = convert(workbook, out if out is not None else workbook.with_suffix(".yaml"), overwrite=force)
    click.echo(f"wrote {path}; next: dealopt validate {path} && dealopt solve {path}")
    raise SystemExit(0)
