"""Domain checks that span several fields, run after the schema has accepted an instance.

Each check yields ``(path, message)`` pairs; :func:`domain_problems` collects
them, so that every problem in a file (as many as are listed) is reported at
once. A name that refers to nothing is reported where it is written, with the
nearest known name. Warnings (numbers so small or so spread out that HiGHS
would silently drop or mistreat them) are collected the same way but do not
reject the file.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from .beliefs import belief_problems
from .errors import MAX_PROBLEMS
from .kinds import Reference, lever_kind, red_line_kind
from .kinds.base import Finding, unknown_name
from .paths import document_path, model_numbers
from .provenance import dating_problems
from .schema import Instance

TINY = 1e-9
WIDE_RATIO = 1e9


def domain_problems(instance: Instance) -> list[Finding]:
    """Every cross-reference and rule of the format that the schema alone cannot state.

    Collection stops after ``MAX_PROBLEMS + 1`` findings: a broken file with thousands of
    problems is reported (and rejected) as quickly as one with a few.
    """
    checks = (
        _lever_rules,
        _continuous_fixed_terms,
        _offer_references,
        _red_line_names_unique,
        _red_line_rules,
        _provenance_entries,
        belief_problems,
        _counterpart_references,
    )
    findings = (finding for check in checks for finding in check(instance))
    return list(itertools.islice(findings, MAX_PROBLEMS + 1))


def _known(instance: Instance, entity: str) -> dict:
    return {
        "lever": instance.levers,
        "metric": instance.metrics,
        "constituency": instance.constituencies,
        "offer": instance.offer_items,
    }[entity]


def _dangling(instance: Instance, base: tuple, references: list[Reference]) -> Iterator[Finding]:
    """Each reference to a name the instance lacks, at the place that names it (offers only when there are any)."""
    for reference in references:
        known = _known(instance, reference.entity)
        if reference.name not in known and (reference.entity != "offer" or known):
            yield (*base, *reference.field), unknown_name(reference.entity, reference.name, known)


def _lever_rules(instance: Instance) -> Iterator[Finding]:
    """The metrics and constituencies each lever names, then the rules of its kind (bounds, curves)."""
    for name, lever in instance.levers.items():
        kind = lever_kind(lever)
        yield from _dangling(instance, ("levers", name), kind.references(lever))
        yield from ((("levers", name, *path), message) for path, message in kind.problems(lever))


def _continuous_fixed_terms(instance: Instance) -> Iterator[Finding]:
    decided = {
        reference.name
        for line in instance.red_lines
        for reference in red_line_kind(line).references(line)
        if reference.decides_use
    }
    for name, lever in instance.amount_levers.items():
        kind = lever_kind(lever)
        if not kind.sized or kind.integral or lever.min_if_used > 0:
            continue
        fixed = [t for t in (*lever.gives.values(), *lever.costs.values()) if t.fixed != 0]
        if fixed or name in decided:
            why = (
                "has a fixed cost or fixed gives"
                if fixed
                else "is named by a requires, excludes or conditional red line"
            )
            yield (
                ("levers", name, "min_if_used"),
                (
                    f"this continuous lever {why}, so it needs min_if_used > 0: "
                    "the smallest amount that counts as using it"
                ),
            )


def _offer_references(instance: Instance) -> Iterator[Finding]:
    metric, group = "metric", "constituency"
    yield from _dangling(instance, ("demands",), [Reference((m,), metric, m) for m in instance.demands])
    for name, offer in instance.offer_items.items():
        references = [Reference(("requires", m), metric, m) for m in offer.requires]
        references += [Reference(("benefits", k), group, k) for k in offer.benefits]
        yield from _dangling(instance, ("offers", name), references)


def _red_line_names_unique(instance: Instance) -> Iterator[Finding]:
    seen: dict[str, int] = {}
    for index, line in enumerate(instance.red_lines):
        if line.name in seen:
            yield (
                ("red_lines", index, "name"),
                f"red line name '{line.name}' is used twice (first at item {seen[line.name] + 1}); names are unique",
            )
        seen.setdefault(line.name, index)


def _red_line_rules(instance: Instance) -> Iterator[Finding]:
    """The names each red line refers to, then the rules of its kind."""
    for index, line in enumerate(instance.red_lines):
        kind = red_line_kind(line)
        yield from _dangling(instance, ("red_lines", index), kind.references(line))
        yield from kind.problems(instance, line, ("red_lines", index))


def _counterpart_references(instance: Instance) -> Iterator[Finding]:
    """The metrics the counterpart values and the offers whose cost it names."""
    counterpart = instance.counterpart
    if counterpart is None:
        return
    references = [Reference(("value", m), "metric", m) for m in counterpart.value]
    references += [Reference(("offer_cost", t), "offer", t) for t in counterpart.offer_cost]
    yield from _dangling(instance, ("counterpart",), references)
    if counterpart.offer_cost and not instance.offer_items:
        yield ("counterpart", "offer_cost"), "the instance defines no offers"


def _provenance_entries(instance: Instance) -> Iterator[Finding]:
    """Provenance paths that address no value, ``limit`` on anything but a lever bound, numbers known after as_of."""
    for path, message in dating_problems(instance):
        yield ("provenance", path.removeprefix("provenance.")), message


def magnitude_warnings(instance: Instance) -> list[Finding]:
    """Numbers HiGHS would silently drop (below 1e-9) or mistreat (spread over more than 9 orders).

    Every number that enters the model is looked at: coefficients, thresholds, caps and weights.
    """
    numbers = model_numbers(instance)
    findings = [
        (
            document_path(path, instance),
            f"|{value:g}| is below 1e-9; HiGHS would drop it silently (use 0 or rescale the units)",
        )
        for path, value in numbers.items()
        if 0 < abs(value) < TINY
    ]
    sizes = [abs(v) for v in numbers.values() if abs(v) >= TINY]
    if sizes and max(sizes) / min(sizes) > WIDE_RATIO:
        findings.append(
            (
                (),
                f"numbers span {min(sizes):g} to {max(sizes):g} (more than 9 orders); rescale units for a reliable solve",
            )
        )
    return findings
