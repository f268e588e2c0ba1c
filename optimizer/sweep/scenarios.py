"""Expanding a sweep spec into scenarios, each with a stable id.

The scenario set is named scenarios x grid points x zip groups x sample draws,
in that order (the last block varies fastest). A scenario's overrides are
``(dotted.path, value)`` pairs for :func:`optimizer.instance.apply_overrides`,
exactly what ``dealopt solve --set`` would apply. Its id hashes the canonical
base-instance content, its canonical overrides, the model version and the
solver options, so a changed spec, instance, dealopt or option never reuses a
stale result; a scenario that repeats an earlier one's overrides gets an id of
its own.
"""

from __future__ import annotations

import hashlib
import itertools
import math
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import InputError, Problem
from ..instance import SET_FILE
from ..kinds import lever_kind
from ..paths import canonical_json
from ..schema import Instance
from .options import PREFIX, WHOLE, option_path_problems
from .spec import LoadedSpec, Range, Sample

MAX_SCENARIOS = 1_000_000
ID_LENGTH = 16
"""Hex digits kept of the sha256 that identifies a scenario."""
_DRIFT = 1e-9

Override = tuple[str, Any]
Origin = tuple
"""Where in the spec document an override value comes from, e.g. ("grid", path, 2)."""


@dataclass(frozen=True)
class Scenario:
    """One variant of the base instance: its overrides, where they come from, and its id."""

    ordinal: int
    """Position in the expansion order; tables are sorted by it."""
    id: str
    """Stable id: see :func:`scenario_id`."""
    name: str | None
    """The named scenario it belongs to, if the spec has named scenarios."""
    overrides: tuple[Override, ...]
    """(dotted path, value) pairs, as ``--set`` takes them."""
    origins: tuple[Origin, ...]
    """The spec location of each override."""

    def origin_of(self, path: str) -> Origin | None:
        """The spec location of the override of ``path``."""
        for (set_path, _), origin in zip(self.overrides, self.origins, strict=True):
            if set_path == path:
                return origin
        return None

    def describe(self) -> str:
        """A short readable form: the name and the overrides."""
        sets = ", ".join(f"{path}={value!r}" for path, value in self.overrides)
        return f"{self.name}: {sets}" if self.name else sets or "(the base instance)"


Row = tuple[tuple[str, Any, Origin], ...]
"""One choice within a block: the overrides it sets, with their origins."""


def expand(loaded: LoadedSpec, base: Instance, fingerprint: Mapping[str, Any], instance_hash: str) -> list[Scenario]:
    """Every scenario of the spec, in expansion order; raise InputError for conflicting or too many paths."""
    spec = loaded.spec
    check_paths(loaded)
    named = [
        (name, tuple((p, v, ("scenarios", name, p)) for p, v in sets.items())) for name, sets in spec.scenarios.items()
    ]
    blocks = [_grid_rows(path, values, ("grid", path)) for path, values in spec.grid.items()]
    blocks += [_zip_rows(loaded, index, group) for index, group in enumerate(spec.zip)]
    if spec.sample is not None:
        blocks.append(sample_rows(loaded, spec.sample, integer_paths(base)))
    count = max(1, len(named)) * math.prod(len(rows) for rows in blocks)
    if count > MAX_SCENARIOS:
        raise InputError(
            [loaded.problem((), f"the spec makes {count:,} scenarios; the most a sweep runs is {MAX_SCENARIOS:,}")]
        )
    scenarios = []
    seen: Counter[str] = Counter()
    for ordinal, ((name, named_row), *rows) in enumerate(itertools.product(named or [(None, ())], *blocks)):
        triples = named_row + tuple(t for row in rows for t in row)
        overrides = tuple((path, value) for path, value, _ in triples)
        first = scenario_id(instance_hash, overrides, fingerprint)
        repeat, seen[first] = seen[first], seen[first] + 1
        scenarios.append(
            Scenario(
                ordinal,
                scenario_id(instance_hash, overrides, fingerprint, repeat) if repeat else first,
                name,
                overrides,
                tuple(o for _, _, o in triples),
            )
        )
    return scenarios


def scenario_id(
    instance_hash: str, overrides: tuple[Override, ...], fingerprint: Mapping[str, Any], repeat: int = 0
) -> str:
    """sha256 of the base content hash, the canonical overrides, the model version and solver options.

    ``repeat`` counts earlier scenarios of the spec with the same overrides (a value listed
    twice, whole-number draws that coincide, two named scenarios that set the same): each
    scenario of the spec keeps a row of its own.
    """
    payload = {
        "instance": instance_hash,
        "overrides": sorted([path, _canonical(value)] for path, value in overrides),
        **fingerprint,
    }
    if repeat:
        payload["repeat"] = repeat
    return hashlib.sha256(canonical_json(payload).encode()).hexdigest()[:ID_LENGTH]


def _canonical(value: Any) -> Any:
    """Numbers as floats (2 and 2.0 set the same number), containers recursively."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, Mapping):
        return {key: _canonical(item) for key, item in value.items()}
    return [_canonical(item) for item in value]


def swept_paths(loaded: LoadedSpec) -> list[str]:
    """Every path the spec sets, in spec order: the ``param:<path>`` columns of the tables."""
    spec = loaded.spec
    paths = [p for sets in spec.scenarios.values() for p in sets]
    paths += list(spec.grid) + [p for group in spec.zip for p in group]
    paths += list(spec.sample.ranges) if spec.sample else []
    return list(dict.fromkeys(paths))


# -- blocks ----------------------------------------------------------------------------------


def range_values(values: Range) -> list[float]:
    """The numbers of a range, ``to`` included, with floating-point drift absorbed."""
    start, to = values.start, values.to
    if values.num is not None:
        count = values.num - 1
        step = (to - start) / count if count else 0.0
    else:
        step = values.step
        count = math.floor((to - start) / step * (1 + _DRIFT) + _DRIFT)
    numbers = [_clean(start + i * step) for i in range(count + 1)]
    if abs(numbers[-1] - to) <= _DRIFT * max(1.0, abs(to)):
        numbers[-1] = to
    return numbers


def _clean(number: float) -> float:
    """Drop the binary noise of a step times an index: 0.30000000000000004 becomes 0.3.

    15 significant digits: the noise sits in the 16th and 17th, and values a range keeps
    apart (1e8 and 1e8 + 0.00033) differ well before that.
    """
    return float(f"{number:.15g}")


def _grid_rows(path: str, values, origin: Origin) -> list[Row]:
    if isinstance(values, Range):
        return [((path, v, origin),) for v in range_values(values)]
    return [((path, v, (*origin, i)),) for i, v in enumerate(values)]


def _zip_rows(loaded: LoadedSpec, index: int, group: Mapping[str, Any]) -> list[Row]:
    columns = {path: _grid_rows(path, values, ("zip", index, path)) for path, values in group.items()}
    lengths = {path: len(rows) for path, rows in columns.items()}
    if len(set(lengths.values())) > 1:
        shown = ", ".join(f"{path} has {n}" for path, n in lengths.items())
        raise InputError(
            [loaded.problem(("zip", index), f"the paths of a zip group need the same number of values: {shown}")]
        )
    return [tuple(row[0] for row in rows) for rows in zip(*columns.values(), strict=True)]


def integer_paths(base: Instance) -> set[str]:
    """Fields that only take whole numbers: an integer lever's max and min_if_used, the options samples and seed."""
    return {
        f"levers.{j}.{field}" for j, lever in base.levers.items() for field in lever_kind(lever).whole_number_fields
    } | {PREFIX + name for name in WHOLE}


def sample_rows(loaded: LoadedSpec, sample: Sample, integer: set[str]) -> list[Row]:
    """n draws, uniform or Latin hypercube, of every sampled path; whole numbers for integer fields."""
    rng = np.random.default_rng(sample.seed)
    columns = []
    for path, bounds in sample.ranges.items():
        if sample.method == "uniform":
            unit = rng.random(sample.n)
        else:
            unit = (rng.permutation(sample.n) + rng.random(sample.n)) / sample.n
        origin = ("sample", "ranges", path)
        if path in integer:
            low, high = math.ceil(bounds.start), math.floor(bounds.to)
            if low > high:
                raise InputError(
                    [
                        loaded.problem(
                            origin, f"{path} takes whole numbers, and none lies in [{bounds.start:g}, {bounds.to:g}]"
                        )
                    ]
                )
            values = [float(min(high, low + math.floor(u * (high - low + 1)))) for u in unit]
        else:
            values = [float(bounds.start + u * (bounds.to - bounds.start)) for u in unit]
        columns.append([(path, v, origin) for v in values])
    return [tuple(row) for row in zip(*columns, strict=True)]


# -- conflicts -------------------------------------------------------------------------------


def check_paths(loaded: LoadedSpec) -> None:
    """A path set by two blocks, or overlapping another (a.b and a.b.c), is an error."""
    spec = loaded.spec
    uses: list[tuple[str, str, Origin]] = [
        (p, f"scenarios.{n}", ("scenarios", n, p)) for n, sets in spec.scenarios.items() for p in sets
    ]
    uses += [(p, "grid", ("grid", p)) for p in spec.grid]
    uses += [(p, f"zip[{i}]", ("zip", i, p)) for i, group in enumerate(spec.zip) for p in group]
    uses += [(p, "sample", ("sample", "ranges", p)) for p in (spec.sample.ranges if spec.sample else {})]
    problems = option_path_problems(loaded, [(path, origin) for path, _, origin in uses])
    for (path, block, origin), (other, other_block, _) in itertools.permutations(uses, 2):
        both_named = block.startswith("scenarios.") and other_block.startswith("scenarios.")
        if path == other and not both_named and block < other_block:
            problems.append(
                loaded.problem(origin, f"{path} is set by both {block} and {other_block}; set each path in one block")
            )
        elif other.startswith(path + ".") and not (both_named and block != other_block):
            problems.append(
                loaded.problem(origin, f"{path} contains {other} (set by {other_block}); set one or the other")
            )
    if problems:
        raise InputError(problems)


# -- validation problems, located in the spec ------------------------------------------------

_FROM_SET = re.compile(r" \(from --set (?P<path>[^=]+)=.*\)$")


def locate_problems(loaded: LoadedSpec, failures: list[tuple[Scenario, list[Problem]]]) -> list[Problem]:
    """Each distinct problem of the invalid scenarios once, at the spec line that sets the value when it has one."""
    found: dict[tuple[Problem, bool], list[Scenario]] = {}
    for scenario, problems in failures:
        for problem in problems:
            found.setdefault(_in_spec(loaded, scenario, problem), []).append(scenario)
    located = []
    for (problem, pinpointed), where in found.items():
        if not pinpointed:
            many = f"{len(where):,} scenarios, e.g. " if len(where) > 1 else "scenario "
            problem = Problem(
                problem.file, problem.line, problem.path, f"{problem.message} (in {many}{where[0].describe()})"
            )
        located.append(problem)
    return located


def _in_spec(loaded: LoadedSpec, scenario: Scenario, problem: Problem) -> tuple[Problem, bool]:
    """The problem at the spec location of the override it is about, and whether that names one value."""
    if problem.file != SET_FILE:
        return problem, False
    match = _FROM_SET.search(problem.message)
    if match is None:  # the path itself is wrong: point at it, not at a value
        origin = scenario.origin_of(problem.path)
        origin = origin[:-1] if origin and isinstance(origin[-1], int) else origin
        return (loaded.problem(origin, problem.message) if origin else problem), True
    path = match["path"]
    message = problem.message[: match.start()]
    if problem.path != path:
        message = f"{problem.path}: {message}"
    origin = scenario.origin_of(path)
    return loaded.problem(origin, message), isinstance(origin[-1], int)
