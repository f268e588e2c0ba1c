"""The sweep spec format: strict pydantic models, read like instance files.

A sweep spec names a base instance and the overrides to solve it under::

    base: ../instances/us_japan_2025.yaml     # relative to this file
    grid:                                       # crossed as a cartesian product
      constituencies.farmers.weight: [1, 2, 3]
      offers.car_deal.requires.investment: {from: 100, to: 550, step: 50}
    zip:                                        # groups of paths that vary together
      - offers.car_deal.requires.symbolic: [20, 25, 30]
        offers.baseline_deal.requires.symbolic: [8, 10, 12]
    scenarios:                                  # named override sets
      pre_election: {}
      post_election: {constituencies.farmers.weight: 1.5}
    sample:                                     # random draws
      n: 100
      method: latin_hypercube                   # or uniform
      seed: 7
      ranges:
        constituencies.coalition.weight: {from: 1, to: 3}
    options:                                    # how every scenario is solved, and extra columns
      chance: 0.9                               # solve --chance 0.9 (or robust: box:0.95)
      frontier: true                            # frontier:<column> summary columns
      sensitivity: [constituencies.farmers.weight]   # sensitivity:<path>:<field> columns

Paths are the dotted ``--set`` paths of :mod:`optimizer.paths`. The
scenario set is named scenarios x grid x zip groups x sample draws
(:mod:`optimizer.sweep.scenarios` expands it). The chance options
(``options.chance``, ``options.samples``, ``options.seed``, ``options.robust``) may be
swept like any path (:mod:`optimizer.sweep.options`).
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    StringConstraints,
    Tag,
    ValidationError,
    model_validator,
)

from ..chance.options import DEFAULT_SAMPLES, DEFAULT_SEED
from ..errors import InputError, Problem, did_you_mean
from ..schema import MAX_MAGNITUDE, NAME_PATTERN
from ..yamlfile import Document, read_file

OVERRIDE_PATH_PATTERN = r"^[A-Za-z][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)+$"
MAX_VALUES = 100_000
"""The most values one range or sample may produce."""

Name = Annotated[str, StringConstraints(strict=True, pattern=NAME_PATTERN)]
Text = Annotated[str, Field(strict=True)]
OverridePath = Annotated[str, StringConstraints(strict=True, pattern=OVERRIDE_PATH_PATTERN)]
Number = Annotated[float, Field(strict=True, allow_inf_nan=False, ge=-MAX_MAGNITUDE, le=MAX_MAGNITUDE)]


def _finite(value: Any) -> Any:
    """Reject NaN and infinities anywhere in an override value."""
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"must be a finite number, got {value}")
    if isinstance(value, dict):
        for item in value.values():
            _finite(item)
    if isinstance(value, list):
        for item in value:
            _finite(item)
    return value


Value = Annotated[Any, AfterValidator(_finite)]
"""An override value: anything ``--set`` accepts (numbers, text, booleans, null)."""


class Strict(BaseModel):
    """Base of the spec models: unknown keys are errors and parsed specs are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True, populate_by_name=True)


class Range(Strict):
    """Evenly spaced numbers from ``from`` to ``to`` (inclusive), by ``step`` or as ``num`` values."""

    start: Number = Field(alias="from")
    """The first value."""
    to: Number
    """The last value, included (floating-point drift is absorbed)."""
    step: Annotated[float, Field(strict=True, allow_inf_nan=False, gt=0)] | None = None
    """Distance between values (> 0); give either step or num."""
    num: Annotated[int, Field(strict=True, ge=1, le=MAX_VALUES)] | None = None
    """How many values, ends included; give either step or num."""

    @model_validator(mode="after")
    def _one_spacing(self):
        if (self.step is None) == (self.num is None):
            raise ValueError("give either 'step' or 'num' (not both)")
        if self.to < self.start:
            raise ValueError(f"'to' ({self.to:g}) is below 'from' ({self.start:g})")
        if self.num == 1 and self.to != self.start:
            raise ValueError("num: 1 gives one value, so 'from' and 'to' must be equal; use num >= 2")
        if self.step is not None and (self.to - self.start) / self.step >= MAX_VALUES:
            raise ValueError(f"the range has more than {MAX_VALUES:,} values; use a larger step")
        return self


def _values_kind(value: Any) -> str:
    return "range" if isinstance(value, dict) else "list"


Values = Annotated[
    Annotated[list[Value], Field(min_length=1), Tag("list")] | Annotated[Range, Tag("range")],
    Discriminator(_values_kind),
]
"""A list of values, or a range ``{from, to, step}`` / ``{from, to, num}``."""


class Bounds(Strict):
    """The interval a sampled parameter is drawn from."""

    start: Number = Field(alias="from")
    """Lowest value."""
    to: Number
    """Highest value (>= from)."""

    @model_validator(mode="after")
    def _ordered(self):
        if self.to < self.start:
            raise ValueError(f"'to' ({self.to:g}) is below 'from' ({self.start:g})")
        return self


class Sample(Strict):
    """Random draws of some parameters, each within its bounds."""

    n: Annotated[int, Field(strict=True, ge=1, le=MAX_VALUES)]
    """How many draws."""
    method: Literal["uniform", "latin_hypercube"] = "uniform"
    """uniform: independent draws; latin_hypercube: each parameter's range cut into n strata, one draw in each."""
    seed: Annotated[int, Field(strict=True, ge=0)] = 0
    """Seed of the random generator: the same seed gives the same draws."""
    ranges: Annotated[dict[OverridePath, Bounds], Field(min_length=1)]
    """Path -> {from, to}. Whole numbers are drawn for integer fields (an integer lever's max, min_if_used)."""


FRONTIER_COLUMNS = (
    "status",
    "points",
    "segments",
    "ours_min",
    "ours_max",
    "theirs_min",
    "theirs_max",
    "disagreement_ours",
    "disagreement_theirs",
    "nash_offer",
    "nash_ours",
    "nash_theirs",
    "nash_gain_ours",
    "nash_gain_theirs",
    "milps",
    "lps",
)
"""The frontier summary columns a sweep can record, each written ``frontier:<name>`` (docs/sweep-format.md)."""
FrontierColumn = Literal[FRONTIER_COLUMNS]


class Options(Strict):
    """How every scenario is solved, and the analyses that add columns to its row."""

    chance: Annotated[float, Field(strict=True, gt=0, le=1, allow_inf_nan=False)] | None = None
    """Solve as ``dealopt solve --chance P``: per tier, the least-cost package accepted with probability >= P."""
    samples: Annotated[int, Field(strict=True, ge=10, le=MAX_VALUES)] = DEFAULT_SAMPLES
    """Scenarios of the sampled chance method (``--samples``)."""
    seed: Annotated[int, Field(strict=True, ge=0)] = DEFAULT_SEED
    """Seed of the sampled chance method (``--seed``)."""
    robust: Text | None = None
    """Solve as ``dealopt solve --robust``: box, box:q (0 < q <= 1) or budget:G; not with chance."""
    frontier: Annotated[
        Annotated[bool, Field(strict=True), Tag("flag")]
        | Annotated[list[FrontierColumn], Field(min_length=1), Tag("columns")],
        Discriminator(lambda value: "columns" if isinstance(value, list) else "flag"),
    ] = False
    """true: every frontier summary column (dealopt frontier on each scenario); or a list of them."""
    sensitivity: list[OverridePath] = []
    """Numbers of the model whose interval (dealopt sensitivity --path) each scenario records."""

    @model_validator(mode="after")
    def _one_way_of_solving(self):
        if self.chance is not None and self.robust is not None:
            raise ValueError("give chance or robust, not both")
        if self.robust is not None:
            from ..chance.robust import parse_robust

            try:
                parse_robust(self.robust)
            except InputError as err:
                raise ValueError(err.problems[0].message) from None
        repeated = sorted({path for path in self.sensitivity if self.sensitivity.count(path) > 1})
        if repeated:
            raise ValueError(f"sensitivity lists {', '.join(repeated)} more than once")
        return self

    def frontier_columns(self) -> tuple[str, ...]:
        """The frontier summary columns asked for, in their documented order (none when frontier is false)."""
        if self.frontier is True:
            return FRONTIER_COLUMNS
        return tuple(column for column in FRONTIER_COLUMNS if column in (self.frontier or ()))


class Spec(Strict):
    """A sweep: a base instance and the override sets to solve it under."""

    base: Text
    """The instance file, relative to the spec file."""
    title: Text | None = None
    """One-line title."""
    description: Text | None = None
    """What the sweep asks."""
    grid: dict[OverridePath, Values] = {}
    """Path -> values or range; every combination is a scenario."""
    zip: list[Annotated[dict[OverridePath, Values], Field(min_length=1)]] = []
    """Groups of paths whose values vary together: the i-th values of each path form one row."""
    scenarios: dict[Name, dict[OverridePath, Value]] = {}
    """Scenario name -> overrides (path -> value); an empty mapping is the base instance."""
    sample: Sample | None = None
    """n random draws of some parameters."""
    options: Options = Options()
    """How every scenario is solved (chance, robust) and the analyses recorded per scenario (frontier, sensitivity)."""


class LoadedSpec:
    """A validated spec with its file, its parsed document (for line numbers) and its base path."""

    def __init__(self, spec: Spec, document: Document, path: Path):
        self.spec = spec
        self.document = document
        self.path = path

    @property
    def file(self) -> str:
        return self.document.file

    @property
    def base_path(self) -> Path:
        """The base instance file, resolved against the spec file's folder."""
        return self.path.parent / self.spec.base

    def problem(self, location: tuple, message: str) -> Problem:
        """A problem located at a path of the spec document."""
        return Problem(self.file, self.document.line_of(location), _dotted(location), message)


def load_spec(path: str | Path) -> LoadedSpec:
    """Read and validate a sweep spec; raise :class:`InputError` naming file, line and path of every problem."""
    path = Path(path)
    document = read_file(path)
    if not isinstance(document.data, dict):
        raise InputError(
            [Problem(document.file, document.line_of(()), "", "a sweep spec is a mapping with at least 'base'")]
        )
    try:
        spec = Spec.model_validate(document.data)
    except ValidationError as err:
        raise InputError([_problem(document, item) for item in err.errors(include_url=False)]) from None
    return LoadedSpec(spec, document, path)


# -- pydantic errors to problems -------------------------------------------------------------


def _problem(document: Document, item: dict) -> Problem:
    loc = tuple(part for part in item["loc"] if part not in ("list", "range", "flag", "columns"))
    kind, given = item["type"], item.get("input")
    if kind == "extra_forbidden":
        message = f"unknown key '{loc[-1]}'" + _key_hint(loc)
    elif kind == "missing":
        message = f"missing required key '{loc[-1]}'"
    elif kind == "string_pattern_mismatch" or loc[-1:] == ("[key]",):
        loc = tuple(p for p in loc if p != "[key]")
        what = "scenario name" if loc[:1] == ("scenarios",) and len(loc) == 2 else "override path"
        example = (
            "letters, digits, _ and -, starting with a letter"
            if what == "scenario name"
            else "dotted names, e.g. constituencies.farmers.weight"
        )
        message = f"'{loc[-1] if loc else given}' is not a valid {what} ({example})"
    elif kind in ("float_type", "int_type", "float_parsing", "int_parsing", "int_from_float"):
        message = f"expected a {'whole ' if kind.startswith('int') else ''}number, got {given!r}"
    elif kind == "finite_number":
        message = f"must be a finite number, got {given}"
    elif kind in ("list_type", "dict_type", "model_type", "model_attributes_type"):
        message = {
            "list_type": "expected a list",
            "dict_type": "expected a mapping",
        }.get(kind, "expected a mapping of keys") + f", got {given!r}"
    elif kind == "union_tag_not_found" or kind == "union_tag_invalid":
        message = "expected a list of values or a range {from, to, step} / {from, to, num}"
    elif kind in ("bool_type", "bool_parsing"):
        columns = (
            f" or a list of frontier columns ({', '.join(FRONTIER_COLUMNS)})" if loc == ("options", "frontier") else ""
        )
        message = f"expected true or false{columns}, got {given!r}"
    elif kind == "literal_error":
        allowed = re.findall(r"'([^']*)'", str((item.get("ctx") or {}).get("expected", "")))
        message = item["msg"] + did_you_mean(str(given), allowed)
    elif kind == "too_short":
        message = "needs at least one item"
    elif kind in _COMPARISONS:
        bound = next(iter((item.get("ctx") or {}).values()))
        message = f"must be {_COMPARISONS[kind]} {bound:g}, got {given:g}"
    elif kind == "string_type":
        message = f"expected text, got {given!r}"
    else:
        message = item["msg"].removeprefix("Value error, ")
    return Problem(document.file, document.line_of(loc), _dotted(loc), message)


_COMPARISONS = {"greater_than_equal": ">=", "greater_than": ">", "less_than_equal": "<=", "less_than": "<"}


def _key_hint(loc: tuple) -> str:
    model = _model_at(loc[:-1])
    if model is None:
        return ""
    allowed = [field.alias or name for name, field in model.model_fields.items()]
    return did_you_mean(str(loc[-1]), allowed) or f" (allowed here: {', '.join(allowed)})"


def _model_at(parent: tuple) -> type[BaseModel] | None:
    if parent == ():
        return Spec
    if parent == ("sample",):
        return Sample
    if parent == ("options",):
        return Options
    if parent[:2] == ("sample", "ranges") and len(parent) == 3:
        return Bounds
    if (parent[:1] == ("grid",) and len(parent) == 2) or (parent[:1] == ("zip",) and len(parent) == 3):
        return Range
    return None


def _dotted(location: tuple) -> str:
    """``grid.constituencies.farmers.weight[2]``: names joined by dots, list positions in brackets."""
    text = ""
    for part in location:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text
