"""The lever kinds: binary, integer, continuous and choice."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..formatting import fmt
from ..schema import BinaryLever, ChoiceLever, ContinuousLever, IntegerLever, RectangleLever
from ..tolerance import tolerance
from .base import LEVER_BOUND, Finding, LeverKind, Member, Reference


def _term_numbers(lever) -> Iterator[tuple[str, float, bool]]:
    """The fixed and per-unit coefficients of an amount lever's gives and costs (segments' marginals by position)."""
    for part in ("gives", "costs"):
        for key, term in getattr(lever, part).items():
            yield f"{part}.{key}.fixed", term.fixed, False
            if isinstance(term.per_unit, list):
                for index, (_, marginal) in enumerate(term.per_unit):
                    yield f"{part}.{key}.per_unit.{index}.1", marginal, False
            else:
                yield f"{part}.{key}.per_unit", term.per_unit, False


def term_value(term, used: bool, amount: float) -> float:
    """What one gives or costs term comes to: fixed * used + per_unit * amount, through the curve when there is one."""
    if not used:
        return 0.0
    if not isinstance(term.per_unit, list):
        return term.fixed + term.per_unit * amount
    total, low = term.fixed, 0.0
    for breakpoint, marginal in term.per_unit:
        total += marginal * max(0.0, min(amount, breakpoint) - low)
        low = breakpoint
    last_marginal = term.per_unit[-1][1]
    return total + last_marginal * max(0.0, amount - low)


class _AmountLever(LeverKind):
    """What binary, integer and continuous levers share: a ``used`` binary and fixed plus per-unit terms."""

    def references(self, lever) -> list[Reference]:
        return [Reference(("gives", m), "metric", m) for m in lever.gives] + [
            Reference(("costs", k), "constituency", k) for k in lever.costs
        ]

    def used(self, model, j: str):
        return model.m.used[j]

    def terms(self, model, j: str, lever, part: str, key: str) -> list:
        term = getattr(lever, part).get(key)
        if term is None:
            return []
        base = f"levers.{j}.{part}.{key}"
        terms = [(f"{base}.fixed", model.m.used[j])]
        if isinstance(term.per_unit, list):  # a convex cost curve: one segment variable per piece
            last = len(term.per_unit) - 1
            return terms + [
                (f"{base}.per_unit.{min(s, last)}.1", model.m.seg[j, key, s]) for s in range(len(term.per_unit) + 1)
            ]
        return [*terms, (f"{base}.per_unit", self.amount(model, j))]

    def package_amount(self, j: str, package) -> float:
        return package.amount.get(j, 0.0)

    def package_used(self, j: str, package) -> int:
        return int(package.used.get(j, False))

    def gives_range(self, lever, metric: str) -> tuple[float, float]:
        term = lever.gives.get(metric)
        if term is None:
            return 0.0, 0.0
        low, high = (1.0, 1.0) if not self.sized else (lever.min_if_used, lever.max)
        ends = (term.fixed + term.per_unit * low, term.fixed + term.per_unit * high)
        return min(0.0, *ends), max(0.0, *ends)

    def contributions(self, j: str, lever, package, part: str) -> dict[str, float]:
        used, amount = package.used.get(j, False), package.amount.get(j, 0.0)
        return {key: term_value(term, used, amount) for key, term in getattr(lever, part).items()}

    def table_cells(self, lever, value: Any) -> dict:
        return {"amount": value, "option": None}


def _convex_curve(path: tuple, segments: list, upper: float) -> Iterator[Finding]:
    """A piecewise cost curve's rules: segments present, breakpoints rising up to ``upper``, marginals not falling."""
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


AMOUNT_EPS = 1e-9
"""A continuous amount this small is read as zero."""


class Binary(_AmountLever):
    name = "binary"
    schema = BinaryLever

    def rounded(self, lever, used: float, amount: float) -> tuple[bool, float]:
        is_used = round(used) == 1
        return is_used, 1.0 if is_used else 0.0

    def problems(self, lever) -> Iterator[Finding]:
        for group, term in lever.costs.items():
            if term.is_piecewise:
                yield (
                    ("costs", group, "per_unit"),
                    "a piecewise curve needs an integer or continuous lever; give a binary lever a fixed cost",
                )

    def numbers(self, lever):
        yield from _term_numbers(lever)

    def amount(self, model, j: str):
        return model.m.used[j]

    def violations(self, j: str, lever, package) -> list[str]:
        used, amount = package.used.get(j, False), package.amount.get(j, 0.0)
        return (
            [] if amount == (1.0 if used else 0.0) else [f"binary lever '{j}' has amount {amount:g} while used={used}"]
        )

    def constrain(self, model, levers: list[str]) -> None:
        """A binary lever's amount is its ``used`` variable: no rows of its own."""

    def in_words(self, j: str, value: Any) -> str:
        return j

    def members(self, j: str, lever) -> list[Member]:
        return []


class _SizedLever(_AmountLever):
    """Integer and continuous levers: an amount between ``min_if_used`` and ``max`` when used."""

    sized = True

    def numbers(self, lever):
        yield "max", lever.max, True
        yield "min_if_used", lever.min_if_used, False
        yield from _term_numbers(lever)

    def amount(self, model, j: str):
        return model.m.amount[j]

    def problems(self, lever) -> Iterator[Finding]:
        if lever.min_if_used > lever.max:
            yield ("min_if_used",), f"min_if_used ({lever.min_if_used:g}) is above max ({lever.max:g})"
        for group, term in lever.costs.items():
            if term.is_piecewise:
                yield from _convex_curve(("costs", group, "per_unit"), term.per_unit, lever.max)

    def constrain(self, model, levers: list[str]) -> None:
        r"""A used lever lies between its minimum and its maximum; an unused one is at zero.

        .. math:: min\_if\_used_j \cdot used_j \le amount_j \le max_j \cdot used_j

        A zero minimum needs no row.
        """
        m = model.m
        with_minimum = [j for j in levers if model.has_number(f"levers.{j}.min_if_used")]
        model.rows_of(
            f"{self.name}_min",
            with_minimum,
            lambda j: m.amount[j] >= model.N(f"levers.{j}.min_if_used") * m.used[j],
        )
        model.rows_of(
            f"{self.name}_max",
            levers,
            lambda j: m.amount[j] <= model.N(f"levers.{j}.max") * m.used[j],
            member=lambda j: ("lever_max", j),
        )

    def violations(self, j: str, lever, package) -> list[str]:
        used, amount = package.used.get(j, False), package.amount.get(j, 0.0)
        found = []
        if self.integral and amount != round(amount):
            found.append(f"integer lever '{j}' has a fractional amount {amount:g}")
        if not used and abs(amount) > tolerance(lever.max) * 1e-3:
            found.append(f"lever '{j}' is not used but has amount {amount:g}")
        if used and not (
            lever.min_if_used - tolerance(lever.min_if_used) <= amount <= lever.max + tolerance(lever.max)
        ):
            found.append(f"lever '{j}' amount {amount:g} is outside [{lever.min_if_used:g}, {lever.max:g}]")
        return found

    def in_words(self, j: str, value: Any) -> str:
        return f"{j} {fmt(value)}"

    def members(self, j: str, lever) -> list[Member]:
        return [Member(f"levers.{j}.max", "lever_max", LEVER_BOUND, j, lever.max, "<=")]


class Integer(_SizedLever):
    name = "integer"
    schema = IntegerLever
    integral = True
    whole_number_fields = ("max", "min_if_used")

    def rounded(self, lever, used: float, amount: float) -> tuple[bool, float]:
        return round(used) == 1, float(round(amount))

    def problems(self, lever) -> Iterator[Finding]:
        if lever.max != int(lever.max):
            yield ("max",), f"an integer lever's max must be a whole number, got {lever.max:g}"
        if lever.min_if_used <= 0:
            yield ("min_if_used",), "must be > 0 on an integer lever (the default is 1)"
        yield from super().problems(lever)


class Continuous(_SizedLever):
    name = "continuous"
    schema = ContinuousLever

    def use_is_decided(self, lever) -> bool:
        return lever.min_if_used > 0

    def rounded(self, lever, used: float, amount: float) -> tuple[bool, float]:
        value = max(0.0, amount)
        if value <= AMOUNT_EPS:
            value = 0.0
        if not self.use_is_decided(lever):
            return value > 0, value
        return round(used) == 1, value


class Choice(LeverKind):
    name = "choice"
    schema = ChoiceLever

    def numbers(self, lever):
        for option_name, option in lever.options.items():
            for part in ("gives", "costs"):
                for key, value in getattr(option, part).items():
                    yield f"options.{option_name}.{part}.{key}", value, False

    def amount(self, model, j: str):
        return self.used(model, j)

    def used(self, model, j: str):
        return sum(model.m.picked[j, o] for o in model.instance.levers[j].options)

    def references(self, lever) -> list[Reference]:
        return [
            Reference(("options", o, part, key), entity, key)
            for o, option in lever.options.items()
            for part, entity in (("gives", "metric"), ("costs", "constituency"))
            for key in getattr(option, part)
        ]

    def terms(self, model, j: str, lever, part: str, key: str) -> list:
        return [
            (f"levers.{j}.options.{o}.{part}.{key}", model.m.picked[j, o])
            for o, option in lever.options.items()
            if key in getattr(option, part)
        ]

    def constrain(self, model, levers: list[str]) -> None:
        r"""A choice lever picks at most one option, exactly one when required.

        .. math:: \sum_o picked_{jo} \le 1 \quad (= 1 \text{ if required})
        """
        instance = model.instance
        model.rows_of(
            "choice_pick",
            levers,
            lambda j: self.used(model, j) == 1 if instance.levers[j].required else self.used(model, j) <= 1,
            member=lambda j: ("choice_required", j),
        )

    def violations(self, j: str, lever, package) -> list[str]:
        picks = package.picked.get(j, ())
        found = []
        if len(picks) > 1:
            found.append(f"choice lever '{j}' picks several options: {', '.join(picks)}")
        if lever.required and len(picks) != 1:
            found.append(f"choice lever '{j}' is required but no option is picked")
        return found

    def package_amount(self, j: str, package) -> float:
        return float(len(package.picked.get(j, ())))

    def package_used(self, j: str, package) -> int:
        return len(package.picked.get(j, ()))

    def gives_range(self, lever, metric: str) -> tuple[float, float]:
        values = [0.0] + [option.gives.get(metric, 0.0) for option in lever.options.values()]
        return min(values), max(values)

    def contributions(self, j: str, lever, package, part: str) -> dict[str, float]:
        picks = [getattr(lever.options[o], part) for o in package.picked.get(j, ())]
        keys = dict.fromkeys(key for option in lever.options.values() for key in getattr(option, part))
        return {key: sum(entries.get(key, 0.0) for entries in picks) for key in keys}

    def in_words(self, j: str, value: Any) -> str:
        return f"{j} {value}"

    def members(self, j: str, lever) -> list[Member]:
        return [Member(f"levers.{j}.required", "choice_required", LEVER_BOUND, j)] if lever.required else []

    def table_cells(self, lever, value: Any) -> dict:
        return {"amount": 1.0, "option": value}


class Rectangle(Binary):
    """A hyper-rectangle of choices: used exactly when every listed choice lever picks a listed option."""

    name = "rectangle"
    schema = RectangleLever

    def use_is_decided(self, lever) -> bool:
        return False

    def references(self, lever) -> list[Reference]:
        return super().references(lever) + [Reference(("when", j), "lever", j) for j in lever.when]

    @staticmethod
    def inside(model, r: str, j: str):
        """1 when choice lever j picks an option of rectangle r's side j."""
        return sum(model.m.picked[j, o] for o in model.instance.levers[r].when[j])

    def constrain(self, model, levers: list[str]) -> None:
        r"""A rectangle holds exactly when each of its choice levers J_r picks an option of its side S_rj.

        One indicator per rectangle, closed sides:

        .. math:: used_r \le \sum_{o \in S_{rj}} picked_{jo} \quad \forall j \in J_r, \qquad
            used_r \ge \sum_{j \in J_r} \sum_{o \in S_{rj}} picked_{jo} - (|J_r| - 1)
        """
        instance = model.instance
        sides = [(r, j) for r in levers for j in instance.levers[r].when]
        model.rows_of("rectangle_side", sides, lambda key: model.m.used[key[0]] <= self.inside(model, *key))
        model.rows_of(
            "rectangle_all",
            levers,
            lambda r: (
                model.m.used[r]
                >= sum(self.inside(model, r, j) for j in instance.levers[r].when) - (len(instance.levers[r].when) - 1)
            ),
        )

    @staticmethod
    def holds(lever, package) -> bool:
        """True when the package's picks fall inside the rectangle on every side."""
        return all(any(o in options for o in package.picked.get(j, ())) for j, options in lever.when.items())

    def violations(self, j: str, lever, package) -> list[str]:
        found = super().violations(j, lever, package)
        if bool(package.used.get(j, False)) != self.holds(lever, package):
            found.append(f"rectangle '{j}' is marked {'held' if package.used.get(j) else 'not held'} against its picks")
        return found


LEVER_KINDS: dict[str, LeverKind] = {
    kind.name: kind for kind in (Binary(), Integer(), Continuous(), Choice(), Rectangle())
}
"""Lever kind name -> the kind, in the order the format lists them."""


def lever_kind(lever) -> LeverKind:
    """The kind of a lever (a schema object)."""
    return LEVER_KINDS[lever.kind]
