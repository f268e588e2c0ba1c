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

from .errors import MAX_PROBLEMS, did_you_mean
from .paths import document_path, model_numbers
from .schema import CostTerm, Instance, Offer, OfferRedLine

Finding = tuple[tuple, str]

TINY = 1e-9
WIDE_RATIO = 1e9


def domain_problems(instance: Instance) -> list[Finding]:
    """Every cross-reference and rule of the format that the schema alone cannot state.

    Collection stops after ``MAX_PROBLEMS + 1`` findings: a broken file with thousands of
    problems is reported (and rejected) as quickly as one with a few.
    """
    checks = (
        _lever_references,
        _lever_bounds,
        _piecewise_curves,
        _continuous_fixed_terms,
        _offer_references,
        _red_line_names_unique,
        _red_line_references,
    )
    findings = (finding for check in checks for finding in check(instance))
    return list(itertools.islice(findings, MAX_PROBLEMS + 1))


_PLURAL = {"constituency": "constituencies"}
MAX_LISTED = 12
"""Known names are listed in a hint only when there are this few."""


def _unknown(kind: str, name: str, known) -> str:
    known = list(known)
    listed = f" (known: {', '.join(sorted(known))})" if len(known) <= MAX_LISTED else ""
    hint = did_you_mean(name, known) or (listed if known else f" (no {_PLURAL.get(kind, kind + 's')} are defined)")
    return f"unknown {kind} '{name}'{hint}"


def _dangling(base: tuple, names, kind: str, known) -> Iterator[Finding]:
    """Each of ``names`` that ``known`` lacks, as a finding at ``base + (name,)``."""
    for name in names:
        if name not in known:
            yield (*base, name), _unknown(kind, name, known)


def _lever_references(instance: Instance) -> Iterator[Finding]:
    metrics, groups = instance.metrics, instance.constituencies
    for lever_name, lever in instance.levers.items():
        if lever.kind == "choice":
            for option_name, option in lever.options.items():
                base = ("levers", lever_name, "options", option_name)
                yield from _dangling((*base, "gives"), option.gives, "metric", metrics)
                yield from _dangling((*base, "costs"), option.costs, "constituency", groups)
        else:
            yield from _dangling(("levers", lever_name, "gives"), lever.gives, "metric", metrics)
            yield from _dangling(("levers", lever_name, "costs"), lever.costs, "constituency", groups)


def _lever_bounds(instance: Instance) -> Iterator[Finding]:
    for name, lever in instance.amount_levers.items():
        if lever.kind == "binary":
            continue
        path = ("levers", name)
        if lever.kind == "integer":
            if lever.max != int(lever.max):
                yield (*path, "max"), f"an integer lever's max must be a whole number, got {lever.max:g}"
            if lever.min_if_used <= 0:
                yield (*path, "min_if_used"), "must be > 0 on an integer lever (the default is 1)"
        if lever.min_if_used > lever.max:
            yield (*path, "min_if_used"), f"min_if_used ({lever.min_if_used:g}) is above max ({lever.max:g})"


def _piecewise_curves(instance: Instance) -> Iterator[Finding]:
    for name, lever in instance.amount_levers.items():
        for group, term in lever.costs.items():
            if not term.is_piecewise:
                continue
            path = ("levers", name, "costs", group, "per_unit")
            if lever.kind == "binary":
                yield path, "a piecewise curve needs an integer or continuous lever; give a binary lever a fixed cost"
                continue
            yield from _convex_curve(path, term, lever.max)


def _convex_curve(path: tuple, term: CostTerm, upper: float) -> Iterator[Finding]:
    segments = term.per_unit
    if not segments:
        yield path, "a piecewise curve needs at least one [upper_breakpoint, marginal_cost] segment"
        return
    for i in range(1, len(segments)):
        (low, low_cost), (high, high_cost) = segments[i - 1], segments[i]
        if high <= low:
            yield (*path, i), f"breakpoints must strictly increase: {high:g} follows {low:g}"
        if high_cost < low_cost:
            yield (
                (*path, i),
                (
                    f"marginal costs must not decrease (the curve must be convex): {high_cost:g} follows {low_cost:g}; "
                    "model a cheaper tail as a separate lever"
                ),
            )
    if segments[-1][0] > upper:
        yield (*path, len(segments) - 1), f"breakpoint {segments[-1][0]:g} is above the lever's max ({upper:g})"


def _continuous_fixed_terms(instance: Instance) -> Iterator[Finding]:
    named_logically = set()
    for line in instance.red_lines:
        if line.kind in ("requires", "conditional"):
            named_logically.add(line.lever)
        if line.kind == "requires":
            named_logically.add(line.needs)
        if line.kind == "excludes":
            named_logically.update(line.levers)
    for name, lever in instance.amount_levers.items():
        if lever.kind != "continuous" or lever.min_if_used > 0:
            continue
        fixed = [t for t in (*lever.gives.values(), *lever.costs.values()) if t.fixed != 0]
        if fixed or name in named_logically:
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
    yield from _dangling(("demands",), instance.demands, "metric", instance.metrics)
    for name, offer in instance.offer_items.items():
        yield from _dangling(("offers", name, "requires"), offer.requires, "metric", instance.metrics)
        yield from _dangling(("offers", name, "benefits"), offer.benefits, "constituency", instance.constituencies)


def _red_line_names_unique(instance: Instance) -> Iterator[Finding]:
    seen: dict[str, int] = {}
    for index, line in enumerate(instance.red_lines):
        if line.name in seen:
            yield (
                ("red_lines", index, "name"),
                f"red line name '{line.name}' is used twice (first at item {seen[line.name] + 1}); names are unique",
            )
        seen.setdefault(line.name, index)


def _levers_named(line) -> list[tuple[str, object, str]]:
    """(field, position, lever) for every lever a red line names."""
    if line.kind in ("forbid", "excludes"):
        return [("levers", i, n) for i, n in enumerate(line.levers)]
    if line.kind == "requires":
        return [("lever", None, line.lever), ("needs", None, line.needs)]
    if line.kind == "conditional":
        return [("lever", None, line.lever)]
    if line.kind == "limit":
        return [("terms", n, n) for n in line.terms]
    return []


def _red_line_references(instance: Instance) -> Iterator[Finding]:
    levers = instance.levers
    offers = instance.offer_items
    for index, line in enumerate(instance.red_lines):
        path = ("red_lines", index)
        for field, position, lever in _levers_named(line):
            if lever not in levers:
                where = (*path, field) if position is None else (*path, field, position)
                yield where, _unknown("lever", lever, levers)
        if line.kind == "max_cost" and line.constituency not in instance.constituencies:
            yield (*path, "constituency"), _unknown("constituency", line.constituency, instance.constituencies)
        if line.kind == "requires" and line.lever == line.needs:
            yield (*path, "needs"), "a lever cannot need itself"
        if line.kind == "excludes" and len(set(line.levers)) < 2:
            yield (*path, "levers"), "name at least two different levers"
        if line.kind == "conditional":
            if not offers:
                yield (*path, "offers"), "a conditional red line needs offers, and the instance defines none"
            for i, offer in enumerate(line.offers):
                if offers and offer not in offers:
                    yield (*path, "offers", i), _unknown("offer", offer, offers)
        if line.kind == "offer":
            yield from _attribute_references(path, line, offers)


def _attribute_references(path: tuple, line: OfferRedLine, offers: dict[str, Offer]) -> Iterator[Finding]:
    """An offer red line's attribute, defined by every offer that is not walk_away.

    When some of those offers lack it: if no offer defines it at all, the red line misspells
    it, and it is reported there; otherwise it is reported at each offer that lacks it.
    """
    if not offers:
        yield (*path, "attribute"), "an offer red line needs offers, and the instance defines none"
        return
    lacking = [name for name, offer in offers.items() if not offer.walk_away and line.attribute not in offer.attributes]
    defined = {a for offer in offers.values() for a in offer.attributes}
    if lacking and line.attribute not in defined:
        yield (*path, "attribute"), _unknown("offer attribute", line.attribute, defined)
        return
    for name in lacking:
        yield (
            ("offers", name, "attributes"),
            f"red line '{line.name}' bounds attribute '{line.attribute}', which this offer does not define",
        )


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
