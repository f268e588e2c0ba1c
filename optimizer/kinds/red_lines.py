"""The red-line kinds: max_cost, limit, forbid, requires, excludes, offer and conditional.

Each kind's ``constrain`` is its constraint family, with the math in its
docstring; ``state`` is the same rule in plain Python, for the independent check.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Iterator

from ..formatting import fmt
from ..schema import (
    ConditionalRedLine,
    ExcludesRedLine,
    ForbidRedLine,
    LimitRedLine,
    MaxCostRedLine,
    OfferRedLine,
    RequiresRedLine,
)
from .base import RED_LINE, Finding, Member, RedLineKind, RedLineState, Reference, unknown_name
from .levers import lever_kind


def _label(items: dict, name: str) -> str:
    return getattr(items[name], "label", None) or name


def _title(line) -> str:
    return line.label or line.name


def _bounded(line, value: float | None) -> RedLineState:
    return RedLineState(value, line.min, line.max)


class MaxCost(RedLineKind):
    name = "max_cost"
    schema = MaxCostRedLine
    value_meaning = "the constituency's gross cost"
    numeric = True
    value_in_cost_points = True

    def cap(self, line) -> tuple[str, float] | None:
        return line.constituency, line.max

    def references(self, line) -> list[Reference]:
        return [Reference(("constituency",), "constituency", line.constituency)]

    def numbers(self, line):
        yield "max", line.max, True

    def constrain(self, model, lines: list) -> None:
        r"""Caps on a constituency's gross cost (before benefits).

        .. math:: cost_k \le max
        """
        model.rows_of(
            "max_cost",
            [line.name for line in lines],
            lambda name: model.cost(model.instance.red_line(name).constituency) <= model.N(f"red_lines.{name}.max"),
            member=lambda name: ("max_cost", name),
        )

    def state(self, instance, package, line, cost) -> RedLineState:
        return RedLineState(cost[line.constituency], None, line.max)

    def members(self, line) -> list[Member]:
        return [Member(f"red_lines.{line.name}.max", "max_cost", RED_LINE, line.name, line.max, "<=")]

    def rule(self, instance, line, member: Member) -> str:
        who = _label(instance.constituencies, line.constituency)
        return f"{who} bears at most {fmt(line.max)} points ({_title(line)})"

    def relaxation(self, instance, line, member: Member, change: float, moved: str) -> str:
        return f"let {_label(instance.constituencies, line.constituency)} bear {fmt(change)} more points ({moved})"


class Limit(RedLineKind):
    name = "limit"
    schema = LimitRedLine
    value_meaning = "the weighted sum of the lever amounts"
    numeric = True

    def references(self, line) -> list[Reference]:
        return [Reference(("terms", j), "lever", j) for j in line.terms]

    def numbers(self, line):
        for bound in ("max", "min"):
            if getattr(line, bound) is not None:
                yield bound, getattr(line, bound), True
        for j, value in line.terms.items():
            yield f"terms.{j}", value, False

    def constrain(self, model, lines: list) -> None:
        r"""Linear limits on lever amounts (a choice lever's amount is 1 when an option is picked).

        .. math:: min \le \sum_j terms_j \, amount_j \le max
        """

        def body(name):
            terms = model.instance.red_line(name).terms
            return model.linear((f"red_lines.{name}.terms.{j}", model.amount(j)) for j in terms)

        model.rows_of(
            "limit_max",
            [line.name for line in lines if line.max is not None],
            lambda name: body(name) <= model.N(f"red_lines.{name}.max"),
            member=lambda name: ("limit_max", name),
        )
        model.rows_of(
            "limit_min",
            [line.name for line in lines if line.min is not None],
            lambda name: body(name) >= model.N(f"red_lines.{name}.min"),
            member=lambda name: ("limit_min", name),
        )

    def state(self, instance, package, line, cost) -> RedLineState:
        amount = {j: lever_kind(instance.levers[j]).package_amount(j, package) for j in line.terms}
        return _bounded(line, sum(c * amount[j] for j, c in line.terms.items()))

    def members(self, line) -> list[Member]:
        base = f"red_lines.{line.name}"
        members = []
        if line.max is not None:
            members.append(Member(f"{base}.max", "limit_max", RED_LINE, line.name, line.max, "<="))
        if line.min is not None:
            members.append(Member(f"{base}.min", "limit_min", RED_LINE, line.name, line.min, ">="))
        return members

    def rule(self, instance, line, member: Member) -> str:
        terms = " + ".join(f"{fmt(c)} x {j}" if c != 1 else j for j, c in line.terms.items())
        relation = "at most" if member.kind == "limit_max" else "at least"
        return f"{_title(line)}: {terms} is {relation} {fmt(member.bound)}"

    def relaxation(self, instance, line, member: Member, change: float, moved: str) -> str:
        direction, side = ("raise", "max") if member.kind == "limit_max" else ("lower", "min")
        return f"{direction} the {side} of {_title(line)} by {fmt(change)} ({moved})"


class _Logical(RedLineKind):
    """A red line over which levers are used or which offer is granted: dropped whole, never moved."""

    def members(self, line) -> list[Member]:
        return [Member(f"red_lines.{line.name}", self.name, RED_LINE, line.name)]

    def rule(self, instance, line, member: Member) -> str:
        return f"{_title(line)}: {self.logic(line)}"

    @abstractmethod
    def logic(self, line) -> str:
        """The rule in a few words."""


def _used(instance, package, j: str) -> int:
    """1 when lever ``j`` is used in the package (a broken package may pick several options: their count)."""
    return lever_kind(instance.levers[j]).package_used(j, package)


class Forbid(_Logical):
    name = "forbid"
    schema = ForbidRedLine
    value_meaning = "the number of forbidden levers used"

    def forbidden(self, line) -> list[str]:
        return list(line.levers)

    def references(self, line) -> list[Reference]:
        return [Reference(("levers", i), "lever", j) for i, j in enumerate(line.levers)]

    def constrain(self, model, lines: list) -> None:
        r"""Forbidden levers are not used.

        .. math:: used_j = 0 \quad \forall j \in levers
        """
        pairs = [(line.name, j) for line in lines for j in dict.fromkeys(line.levers)]
        model.rows_of("forbid", pairs, lambda pair: model.used(pair[1]) <= 0, member=lambda pair: ("forbid", pair[0]))

    def state(self, instance, package, line, cost) -> RedLineState:
        return RedLineState(float(sum(_used(instance, package, j) for j in set(line.levers))), None, 0.0)

    def logic(self, line) -> str:
        return f"{', '.join(line.levers)} may not be used"


class Requires(_Logical):
    name = "requires"
    schema = RequiresRedLine
    value_meaning = "used(lever) - used(needs)"

    def references(self, line) -> list[Reference]:
        return [
            Reference(("lever",), "lever", line.lever, decides_use=True),
            Reference(("needs",), "lever", line.needs, decides_use=True),
        ]

    def problems(self, instance, line, path: tuple) -> Iterator[Finding]:
        if line.lever == line.needs:
            yield (*path, "needs"), "a lever cannot need itself"

    def constrain(self, model, lines: list) -> None:
        r"""A lever used only together with the lever it needs.

        .. math:: used_{lever} \le used_{needs}
        """
        model.rows_of(
            "requires",
            [line.name for line in lines],
            lambda name: (
                model.used(model.instance.red_line(name).lever) <= model.used(model.instance.red_line(name).needs)
            ),
            member=lambda name: ("requires", name),
        )

    def state(self, instance, package, line, cost) -> RedLineState:
        return RedLineState(
            float(_used(instance, package, line.lever) - _used(instance, package, line.needs)), None, 0.0
        )

    def logic(self, line) -> str:
        return f"{line.lever} only together with {line.needs}"


class Excludes(_Logical):
    name = "excludes"
    schema = ExcludesRedLine
    value_meaning = "the number of listed levers used"

    def references(self, line) -> list[Reference]:
        return [Reference(("levers", i), "lever", j, decides_use=True) for i, j in enumerate(line.levers)]

    def problems(self, instance, line, path: tuple) -> Iterator[Finding]:
        if len(set(line.levers)) < 2:
            yield (*path, "levers"), "name at least two different levers"

    def constrain(self, model, lines: list) -> None:
        r"""At most one of the listed levers is used.

        .. math:: \sum_{j \in levers} used_j \le 1
        """
        model.rows_of(
            "excludes",
            [line.name for line in lines],
            lambda name: sum(model.used(j) for j in dict.fromkeys(model.instance.red_line(name).levers)) <= 1,
            member=lambda name: ("excludes", name),
        )

    def state(self, instance, package, line, cost) -> RedLineState:
        return RedLineState(float(sum(_used(instance, package, j) for j in set(line.levers))), None, 1.0)

    def logic(self, line) -> str:
        return f"at most one of {', '.join(line.levers)}"


def breaks_offer_line(line, offer) -> bool:
    """True when a (non-walk-away) offer's attribute breaks an offer red line's bounds."""
    value = offer.attributes[line.attribute]
    return (line.max is not None and value > line.max) or (line.min is not None and value < line.min)


class Offer(_Logical):
    name = "offer"
    schema = OfferRedLine
    value_meaning = "the granted offer's attribute (blank when walking away)"

    def references(self, line) -> list[Reference]:
        return []

    def problems(self, instance, line, path: tuple) -> Iterator[Finding]:
        """The attribute must be defined by every offer that is not walk_away.

        When some of those offers lack it: if no offer defines it at all, the red line misspells
        it, and it is reported there; otherwise it is reported at each offer that lacks it.
        """
        offers = instance.offer_items
        if not offers:
            yield (*path, "attribute"), "an offer red line needs offers, and the instance defines none"
            return
        lacking = [t for t, offer in offers.items() if not offer.walk_away and line.attribute not in offer.attributes]
        defined = {a for offer in offers.values() for a in offer.attributes}
        if lacking and line.attribute not in defined:
            yield (*path, "attribute"), unknown_name("offer attribute", line.attribute, defined)
            return
        for t in lacking:
            yield (
                ("offers", t, "attributes"),
                f"red line '{line.name}' bounds attribute '{line.attribute}', which this offer does not define",
            )

    def constrain(self, model, lines: list) -> None:
        r"""Offers whose attribute breaks a bound may not be granted (walk-away offers are exempt).

        .. math:: granted_t = 0 \quad \forall t: attribute_t \notin [min, max]
        """
        pairs = [
            (line.name, t)
            for line in lines
            for t, offer in model.instance.offer_items.items()
            if not offer.walk_away and breaks_offer_line(line, offer)
        ]
        model.rows_of(
            "offer_line", pairs, lambda pair: model.m.granted[pair[1]] <= 0, member=lambda pair: ("offer", pair[0])
        )

    def state(self, instance, package, line, cost) -> RedLineState:
        offer = instance.offer_items.get(package.offer) if package.offer else None
        if offer is None or offer.walk_away:
            return _bounded(line, None)
        return _bounded(line, offer.attributes[line.attribute])

    def logic(self, line) -> str:
        bounds = [
            f"at most {fmt(line.max)}" if line.max is not None else "",
            f"at least {fmt(line.min)}" if line.min is not None else "",
        ]
        return f"no offer whose {line.attribute} is not {' and '.join(b for b in bounds if b)}"


class Conditional(_Logical):
    name = "conditional"
    schema = ConditionalRedLine
    value_meaning = "used(lever) - granted(listed offers)"

    def references(self, line) -> list[Reference]:
        return [Reference(("lever",), "lever", line.lever, decides_use=True)] + [
            Reference(("offers", i), "offer", t) for i, t in enumerate(line.offers)
        ]

    def problems(self, instance, line, path: tuple) -> Iterator[Finding]:
        if not instance.offer_items:
            yield (*path, "offers"), "a conditional red line needs offers, and the instance defines none"

    def constrain(self, model, lines: list) -> None:
        r"""A lever used only if one of the listed offers is granted.

        .. math:: used_{lever} \le \sum_{t \in offers} granted_t
        """
        m = model.m

        def rule(name):
            line = model.instance.red_line(name)
            return model.used(line.lever) <= sum(m.granted[t] for t in dict.fromkeys(line.offers))

        model.rows_of("conditional", [line.name for line in lines], rule, member=lambda name: ("conditional", name))

    def state(self, instance, package, line, cost) -> RedLineState:
        granted = int(package.offer in line.offers)
        return RedLineState(float(_used(instance, package, line.lever) - granted), None, 0.0)

    def logic(self, line) -> str:
        return f"{line.lever} only if {' or '.join(line.offers)} is granted"


RED_LINE_KINDS: dict[str, RedLineKind] = {
    kind.name: kind for kind in (MaxCost(), Limit(), Forbid(), Requires(), Excludes(), Offer(), Conditional())
}
"""Red-line kind name -> the kind, in the order constraint families are built."""


def red_line_kind(line) -> RedLineKind:
    """The kind of a red line (a schema object)."""
    return RED_LINE_KINDS[line.kind]
