"""Reference documentation generated from the schema, so the format is never described twice.

``instance_format_markdown()`` renders docs/instance-format.md and
``json_schema()`` renders docs/instance.schema.json (for editor completion via
``# yaml-language-server: $schema=...``). ``dealopt schema --write docs``
regenerates both; a test fails when the committed files are out of date.
"""

from __future__ import annotations

import json
import types
import typing
from pathlib import Path
from typing import Any, get_args, get_origin

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from . import schema

SECTIONS: list[tuple[str, type[BaseModel]]] = [
    ("Instance (top level)", schema.Instance),
    ("Constituency", schema.Constituency),
    ("Metric", schema.Metric),
    ("Lever: binary", schema.BinaryLever),
    ("Lever: integer", schema.IntegerLever),
    ("Lever: continuous", schema.ContinuousLever),
    ("Lever: choice", schema.ChoiceLever),
    ("Lever: rectangle", schema.RectangleLever),
    ("Option (of a choice lever)", schema.Option),
    ("Gives term", schema.GiveTerm),
    ("Cost term", schema.CostTerm),
    ("Offer", schema.Offer),
    ("Red line: max_cost", schema.MaxCostRedLine),
    ("Red line: limit", schema.LimitRedLine),
    ("Red line: forbid", schema.ForbidRedLine),
    ("Red line: requires", schema.RequiresRedLine),
    ("Red line: excludes", schema.ExcludesRedLine),
    ("Red line: offer", schema.OfferRedLine),
    ("Red line: conditional", schema.ConditionalRedLine),
]

INTRO = """# Instance format reference

_Generated from the schema in `optimizer/schema.py` by `dealopt schema --write docs`;
do not edit by hand._

An instance file is one YAML document. Names match `^[A-Za-z][A-Za-z0-9_-]*$`
and are literal text (`no`, `yes`, `null` are names). Numbers follow YAML 1.2
(`1e3` is 1000); quoted numbers (`"10"`) and booleans are never numbers.
Every number is finite and at most 1e9 in magnitude; a lever's `max` and its
breakpoints are at most 1e6. Unknown keys, duplicate keys, anchors, aliases,
tags and several documents are errors. Files over 4 MiB are refused.
The rules that span several fields (cross-references, convex piecewise curves,
`min_if_used` on continuous levers with fixed terms) are listed at the end.
"""

RULES = """## Rules across fields

- Every metric, constituency, lever and offer named anywhere must exist (typos get a "did you mean").
- `min_if_used <= max`; on integer levers `max` is a whole number and `min_if_used > 0`.
- A continuous lever with a non-zero fixed cost or fixed gives, or one named by a
  `requires`, `excludes` or `conditional` red line, needs `min_if_used > 0`.
- Piecewise `per_unit` lists (integer and continuous levers only): breakpoints positive,
  strictly increasing and not above `max`; marginal costs non-decreasing (convex). The last
  marginal cost continues from the last breakpoint up to `max`.
- A `walk_away` offer has no `requires`; it is exempt from `offer` red lines.
- An `offer` red line needs offers, and every offer that is not `walk_away` must define its attribute.
- A `conditional` red line names existing offers. `excludes` names at least two different levers.
- Red-line names are unique.
"""


SWEEP_INTRO = """# Sweep spec reference

_Generated from the schema in `optimizer/sweep/spec.py` by `dealopt schema --write docs`;
do not edit by hand._

A sweep spec is one YAML document, read as strictly as an instance file. It
names a `base` instance and the `--set` overrides to solve it under. Paths are
the dotted paths of `dealopt solve --set` (red lines by name, `gives`/`costs`
entries as `{fixed, per_unit}`). The scenarios are the named `scenarios` x the
`grid` (a cartesian product) x each `zip` group (paths that vary together) x
the `sample` draws. Every scenario is validated before anything is solved.

```yaml
base: ../us_japan_2025.yaml            # relative to this file
grid:
  constituencies.farmers.weight: [2, 3, 4]
  offers.car_deal.requires.investment: {from: 200, to: 500, step: 25}
zip:
  - offers.car_deal.requires.symbolic: [20, 25, 30]
    offers.baseline_deal.requires.symbolic: [8, 10, 12]
scenarios:
  pre_election: {}
  post_election: {constituencies.farmers.weight: 1.5}
sample: {n: 100, method: latin_hypercube, seed: 7, ranges: {constituencies.coalition.weight: {from: 1, to: 3}}}
```

The `options` block says how every scenario is solved and what each row records besides the
answer. `chance`, `samples`, `seed` and `robust` are those of `dealopt solve`; they may also be
swept, as the paths `options.chance`, `options.samples`, `options.seed` and `options.robust`:

```yaml
base: ../us_japan_2025.yaml
grid:
  options.chance: [null, 0.5, 0.8, 0.9] # a plain solve (null), then solve --chance at each
  constituencies.farmers.weight: [2, 3]
options:
  frontier: [nash_offer, nash_ours, nash_theirs]   # or true: every frontier column
  sensitivity: [offers.car_deal.requires.investment]
```

Columns added to `scenarios.parquet` / `.csv` (full precision in Parquet):

- under `chance` or `robust` (fixed or swept): `chance:probability` (the answer's P(accept),
  recomputed from the rounded package), `chance:method` (`exact`, `exact_tol` or `sampled`),
  `chance:interval_low` and `chance:interval_high` (its 95% Clopper–Pearson interval, sampled
  only) and `chance:target_met` (`yes`, `no` or `uncertain`; empty under `robust`); each swept
  option is a `param:options.<name>` column;
- under `frontier`: `frontier:<name>` for each column asked for (the table below), as
  `dealopt frontier` computes them on the scenario: `status` (`optimal` or `partial`),
  `points` and `segments`, the ranges `ours_min`/`ours_max` (points, minus our net cost) and
  `theirs_min`/`theirs_max` (the counterpart's unit) over the frontier's points, the
  disagreement point `disagreement_ours`/`disagreement_theirs`, the Nash point `nash_offer`,
  `nash_ours`, `nash_theirs` and its gains over the disagreement point `nash_gain_ours`,
  `nash_gain_theirs` (empty when no agreement beats walking away), and the `milps` and `lps` solved;
- under `sensitivity`: for each path, `sensitivity:<path>:low` and `:high` (the interval, empty
  where nothing bounds it), `:low_end` and `:high_end` (`change (crossing)`, `change (bisection)`
  or `limit`), `:change_beyond_low` and `:change_beyond_high` (what the recommendation becomes
  beyond each end) and `:solves`, as `dealopt sensitivity --path` computes them on the scenario.

The frontier and sensitivity columns are of the scenario's instance as written, whatever
`chance` or `robust` say, as their own commands are.
"""

SWEEP_RULES = """## Rules across fields

- A path may appear in only one block (grid, zip, scenarios, sample).
- The lists of one `zip` group have the same length.
- A range has `step` or `num`, not both; `to` is inclusive, with floating-point drift absorbed.
- Sampled integer fields (an integer lever's `max` and `min_if_used`) are drawn as whole numbers.
- Each scenario's id hashes the base instance's content, the scenario's overrides, the model version and the
  solver options, so a changed spec or instance never reuses a stale result. A non-empty `options` block is
  hashed too, and swept options are overrides: two runs with different options never share an id, so resuming
  never mixes their answers.
- Only `options.chance`, `options.samples`, `options.seed` and `options.robust` may be swept, and a swept
  option may not also be set in the `options` block. `chance` and `robust` exclude each other in every scenario.
- Every option value is checked before anything is solved, and so is what the options need from the base
  instance: `frontier` a `counterpart` section and a disagreement point, `sensitivity` numbers of the model
  (in every scenario), `robust: budget:G` beliefs on `gives`, `chance` and `robust` beliefs of any kind.
"""


def _type_name(tp: Any) -> str:
    origin = get_origin(tp)
    if origin is typing.Annotated:
        base, *meta = get_args(tp)
        if base is float:
            constraints = {}
            for info in meta:
                for item in getattr(info, "metadata", []):
                    for key in ("ge", "gt", "le"):
                        if getattr(item, key, None) is not None:
                            constraints[key] = getattr(item, key)
            if constraints.get("ge") == 0:
                return "number >= 0"
            if constraints.get("gt") == 0:
                return "number > 0"
            return "number"
        if base is str:
            return "name" if any("pattern" in repr(m) for m in meta) else "text"
        if base is bool:
            return "true/false"
        return _type_name(base)
    if origin in (typing.Union, types.UnionType):
        members = [m for m in get_args(tp) if m is not type(None)]
        return " or ".join(_type_name(m) for m in members)
    if origin is dict:
        key, value = get_args(tp)
        return f"mapping {_type_name(key)} → {_type_name(value)}"
    if origin is list:
        return f"list of {_type_name(get_args(tp)[0])}"
    if origin is tuple:
        return "[" + ", ".join(_type_name(a) for a in get_args(tp)) + "]"
    if origin is typing.Literal:
        return " | ".join(map(str, get_args(tp)))
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return tp.__name__
    return getattr(tp, "__name__", str(tp))


def _field_type(field) -> str:
    """The type of a model field, with the constraints pydantic moved into its metadata."""
    bounds = {
        key: getattr(item, key)
        for item in field.metadata
        for key in ("ge", "gt", "le")
        if getattr(item, key, None) is not None
    }
    tp = field.annotation
    if tp is float:
        lower = ">= 0" if bounds.get("ge") == 0 else "> 0" if bounds.get("gt") == 0 else ""
        upper = "<= 1e6" if bounds.get("le") == schema.MAX_LEVER_AMOUNT else ""
        return "number " + ", ".join(b for b in (lower, upper) if b) if lower or upper else "number"
    if tp is bool:
        return "true/false"
    if tp is str:
        return "name" if any(getattr(item, "pattern", None) for item in field.metadata) else "text"
    if tp is int:
        return "integer"
    return _type_name(tp)


def _default(field) -> str:
    if field.is_required():
        return "required"
    value = field.default if field.default is not PydanticUndefined else field.default_factory()
    if value is None:
        return "—"
    if isinstance(value, BaseModel):  # a nested block left out: each of its keys at its default
        return "`{}`"
    return f"`{json.dumps(value)}`"


def _reference(intro: str, sections: list[tuple[str, type[BaseModel]]], rules: str) -> str:
    """A field-by-field Markdown reference of pydantic models: key, type, default, meaning."""
    parts = [intro]
    for title, model in sections:
        doc = (model.__doc__ or "").strip().splitlines()[0]
        parts += [f"## {title}", "", doc, "", "| key | type | default | meaning |", "|---|---|---|---|"]
        for name, field in model.model_fields.items():
            meaning = " ".join((field.description or "").split()).replace("|", r"\|")
            type_text = _field_type(field).replace("|", r"\|")
            parts.append(f"| `{field.alias or name}` | {type_text} | {_default(field)} | {meaning} |")
        parts.append("")
    parts.append(rules)
    return "\n".join(parts)


def instance_format_markdown() -> str:
    """The field-by-field reference of the instance format, from the pydantic models."""
    return _reference(INTRO, SECTIONS, RULES)


def sweep_format_markdown() -> str:
    """The field-by-field reference of sweep specs, from their pydantic models."""
    from .sweep import spec

    sections = [
        ("Sweep spec (top level)", spec.Spec),
        ("Range", spec.Range),
        ("Sample", spec.Sample),
        ("Sample range", spec.Bounds),
        ("Options", spec.Options),
    ]
    return _reference(SWEEP_INTRO, sections, SWEEP_RULES)


def json_schema() -> str:
    """The JSON Schema of instance files, for editors."""
    document = schema.Instance.model_json_schema()
    document["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    document["title"] = "dealopt instance"
    return json.dumps(document, indent=2, sort_keys=True) + "\n"


DOC_FILES = {
    "instance-format.md": instance_format_markdown,
    "instance.schema.json": json_schema,
    "sweep-format.md": sweep_format_markdown,
}


def write_docs(folder: str | Path) -> list[Path]:
    """Regenerate the reference files in ``folder``."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, render in DOC_FILES.items():
        path = folder / name
        path.write_text(render(), encoding="utf-8")
        written.append(path)
    return written
