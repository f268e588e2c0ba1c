r"""The deal-package MILP, built in Pyomo exactly as the model contract states.

Every number of the model (:func:`optimizer.paths.model_numbers`: weights,
thresholds, caps, coefficients, lever sizes) enters it as a mutable ``Param``
in the expressions themselves, keyed by its dotted path in the normalised
instance, so a persistent solver re-solves a changed scenario without a
rebuild. Everything else is *structure*
(:func:`optimizer.paths.structure_key` tells when a rebuild is needed). The
builder asks for numbers by path only where the instance has them; a path it
does not know is an :class:`UnknownNumber` error, never a silent zero.

``build`` calls one function per constraint family, in a fixed order. Each
returns early when its family is empty and states its math in its docstring.
"""

from __future__ import annotations

import pyomo.environ as pyo

from .paths import model_numbers, number_slots
from .schema import MAX_LEVER_AMOUNT, Instance


class UnknownNumber(LookupError):
    """The builder asked for a number at a path the instance does not have: a defect of the builder."""

    def __init__(self, path: str):
        super().__init__(
            f"internal error: the model builder asked for the number at '{path}', which the instance lacks"
        )
        self.path = path


class _Builder:
    """Holds the model under construction and the helpers every constraint family uses."""

    def __init__(self, instance: Instance):
        self.instance = instance
        self.m = m = pyo.ConcreteModel(name=instance.name)
        self.numbers = numbers = model_numbers(instance)
        self.zero_coefficients = {path for path, *_ in number_slots(instance)} - set(numbers)
        m.number = pyo.Param(list(numbers), mutable=True, initialize=numbers, within=pyo.Reals)
        self.amount_levers = list(instance.amount_levers)
        self.sized_levers = [n for n, lv in instance.amount_levers.items() if lv.kind != "binary"]
        self.choices = [(j, o) for j, lv in instance.choice_levers.items() for o in lv.options]
        self.segments = [
            (j, k, s)
            for j, lv in instance.amount_levers.items()
            for k, term in lv.costs.items()
            if term.is_piecewise
            for s in range(len(term.per_unit) + 1)
        ]
        self.offers = list(instance.offer_items)

        m.used = pyo.Var(self.amount_levers, domain=pyo.Binary)
        m.amount = pyo.Var(self.sized_levers, bounds=(0, MAX_LEVER_AMOUNT), domain=self._amount_domain)
        m.picked = pyo.Var(self.choices, domain=pyo.Binary)
        m.seg = pyo.Var(self.segments, domain=pyo.NonNegativeReals, bounds=self._segment_bounds)
        m.granted = pyo.Var(self.offers, domain=pyo.Binary)
        # A variable fixed at zero by its bounds: it keeps a constraint whose other terms are all
        # absent (a demanded metric no lever gives) a real row, so HiGHS (not Pyomo) judges it.
        m.nothing = pyo.Var(bounds=(0, 0))

    def N(self, path: str):
        """The mutable parameter of the number at ``path``."""
        if path not in self.numbers:
            raise UnknownNumber(path)
        return self.m.number[path]

    def linear(self, terms) -> object:
        """sum(number[path] * variable) over ``(path, variable)`` pairs, leaving out zero coefficients.

        Every path must be a place of the instance that holds a number; a zero coefficient is
        left out, any other path raises :class:`UnknownNumber`. An empty sum is the variable
        ``nothing`` (fixed at 0), so a row never turns constant.
        """
        kept = []
        for path, variable in terms:
            if path in self.numbers:
                kept.append(self.m.number[path] * variable)
            elif path not in self.zero_coefficients:
                raise UnknownNumber(path)
        return sum(kept) if kept else self.m.nothing

    def _amount_domain(self, m, j):
        return pyo.NonNegativeIntegers if self.instance.levers[j].kind == "integer" else pyo.NonNegativeReals

    def _segment_bounds(self, m, j, k, s):
        curve = self.instance.levers[j].costs[k].per_unit
        if s == len(curve):  # the tail beyond the last breakpoint, up to the lever's max
            return (0, MAX_LEVER_AMOUNT)
        low = curve[s - 1][0] if s else 0.0
        return (0, curve[s][0] - low)

    # -- expressions ---------------------------------------------------------------------

    def amount(self, j: str):
        """The amount of lever j: used for binary levers, sum of picks for choice levers."""
        kind = self.instance.levers[j].kind
        if kind == "binary":
            return self.m.used[j]
        if kind == "choice":
            return self.used(j)
        return self.m.amount[j]

    def used(self, j: str):
        """1 when lever j is used."""
        if self.instance.levers[j].kind == "choice":
            return sum(self.m.picked[j, o] for o in self.instance.levers[j].options)
        return self.m.used[j]

    def achieved(self, metric: str):
        r"""achieved[m] = \sum_j (gf_{jm} used_j + gp_{jm} amount_j) + \sum_{j,o} g_{jom} picked_{jo}"""
        terms = []
        for j, lever in self.instance.levers.items():
            if lever.kind == "choice":
                terms += [
                    (f"levers.{j}.options.{o}.gives.{metric}", self.m.picked[j, o])
                    for o, option in lever.options.items()
                    if metric in option.gives
                ]
            elif metric in lever.gives:
                terms.append((f"levers.{j}.gives.{metric}.fixed", self.m.used[j]))
                terms.append((f"levers.{j}.gives.{metric}.per_unit", self.amount(j)))
        return self.linear(terms)

    def cost(self, group: str):
        r"""cost[k] = \sum_j (cf_{jk} used_j + curve_{jk}(amount_j)) + \sum_{j,o} c_{jok} picked_{jo}"""
        terms = []
        for j, lever in self.instance.levers.items():
            if lever.kind == "choice":
                terms += [
                    (f"levers.{j}.options.{o}.costs.{group}", self.m.picked[j, o])
                    for o, option in lever.options.items()
                    if group in option.costs
                ]
                continue
            term = lever.costs.get(group)
            if term is None:
                continue
            base = f"levers.{j}.costs.{group}"
            terms.append((f"{base}.fixed", self.m.used[j]))
            if term.is_piecewise:
                last = len(term.per_unit) - 1
                terms += [
                    (f"{base}.per_unit.{min(s, last)}.1", self.m.seg[j, group, s])
                    for s in range(len(term.per_unit) + 1)
                ]
            else:
                terms.append((f"{base}.per_unit", self.amount(j)))
        return self.linear(terms)

    def benefit(self, group: str):
        r"""benefit[k] = \sum_t b_{tk} granted_t"""
        return self.linear(
            (f"offers.{t}.benefits.{group}", self.m.granted[t])
            for t, offer in self.instance.offer_items.items()
            if group in offer.benefits
        )


# -- constraint families, in build order ---------------------------------------------------


def lever_size_bounds(b: _Builder) -> None:
    r"""A used integer or continuous lever lies between its minimum and its maximum.

    .. math:: min\_if\_used_j \cdot used_j \le amount_j \le max_j \cdot used_j
    """
    if not b.sized_levers:
        return
    m = b.m
    with_minimum = [j for j in b.sized_levers if f"levers.{j}.min_if_used" in b.numbers]  # a zero minimum needs no row
    m.lever_min = pyo.Constraint(
        with_minimum, rule=lambda m, j: m.amount[j] >= b.N(f"levers.{j}.min_if_used") * m.used[j]
    )
    m.lever_max = pyo.Constraint(b.sized_levers, rule=lambda m, j: m.amount[j] <= b.N(f"levers.{j}.max") * m.used[j])


def choice_pick(b: _Builder) -> None:
    r"""A choice lever picks at most one option, exactly one when required.

    .. math:: \sum_o picked_{jo} \le 1 \quad (= 1 \text{ if required})
    """
    levers = b.instance.choice_levers
    if not levers:
        return

    def rule(m, j):
        picks = b.used(j)
        return picks == 1 if levers[j].required else picks <= 1

    b.m.choice_pick = pyo.Constraint(list(levers), rule=rule)


def piecewise_fill(b: _Builder) -> None:
    r"""Piecewise cost segments add up to the lever's amount; convexity fills the cheap ones first.

    .. math:: \sum_s seg_{jks} = amount_j
    """
    curves = sorted({(j, k) for j, k, _ in b.segments})
    if not curves:
        return
    b.m.piecewise_fill = pyo.Constraint(
        curves,
        rule=lambda m, j, k: sum(m.seg[j, k, s] for jj, kk, s in b.segments if (jj, kk) == (j, k)) == b.amount(j),
    )


def one_offer_granted(b: _Builder) -> None:
    r"""Exactly one offer is granted when offers exist.

    .. math:: \sum_t granted_t = 1
    """
    if not b.offers:
        return
    b.m.one_offer = pyo.Constraint(expr=sum(b.m.granted[t] for t in b.offers) == 1)


def global_demands(b: _Builder) -> None:
    r"""Thresholds that hold whatever offer is granted.

    .. math:: achieved_m \ge demand_m
    """
    metrics = list(b.instance.demands)
    if not metrics:
        return
    b.m.demand = pyo.Constraint(metrics, rule=lambda m, metric: b.achieved(metric) >= b.N(f"demands.{metric}"))


def offer_requirements(b: _Builder) -> None:
    r"""The granted offer's thresholds; an offer that does not name a metric requires 0 of it.

    .. math:: achieved_m \ge \sum_t requires_{tm} \, granted_t
    """
    offers = b.instance.offer_items
    metrics = sorted({metric for offer in offers.values() for metric in offer.requires})
    if not metrics:
        return
    b.m.offer_requirement = pyo.Constraint(
        metrics,
        rule=lambda m, metric: (
            b.achieved(metric)
            >= b.linear(
                (f"offers.{t}.requires.{metric}", m.granted[t]) for t, o in offers.items() if metric in o.requires
            )
        ),
    )


def _red_lines(b: _Builder, kind: str) -> list:
    return [line for line in b.instance.red_lines if line.kind == kind]


def max_cost_lines(b: _Builder) -> None:
    r"""Caps on a constituency's gross cost (before benefits).

    .. math:: cost_k \le max
    """
    lines = _red_lines(b, "max_cost")
    if not lines:
        return
    b.m.max_cost = pyo.Constraint(
        [line.name for line in lines],
        rule=lambda m, name: b.cost(b.instance.red_line(name).constituency) <= b.N(f"red_lines.{name}.max"),
    )


def limit_lines(b: _Builder) -> None:
    r"""Linear limits on lever amounts.

    .. math:: min \le \sum_j terms_j \, amount_j \le max
    """
    lines = _red_lines(b, "limit")
    if not lines:
        return

    def body(name):
        return b.linear((f"red_lines.{name}.terms.{j}", b.amount(j)) for j in b.instance.red_line(name).terms)

    upper = [line.name for line in lines if line.max is not None]
    lower = [line.name for line in lines if line.min is not None]
    b.m.limit_max = pyo.Constraint(upper, rule=lambda m, name: body(name) <= b.N(f"red_lines.{name}.max"))
    b.m.limit_min = pyo.Constraint(lower, rule=lambda m, name: body(name) >= b.N(f"red_lines.{name}.min"))


def forbid_lines(b: _Builder) -> None:
    r"""Forbidden levers are not used.

    .. math:: used_j = 0
    """
    pairs = [(line.name, j) for line in _red_lines(b, "forbid") for j in dict.fromkeys(line.levers)]
    if not pairs:
        return
    b.m.forbid = pyo.Constraint(pairs, rule=lambda m, name, j: b.used(j) <= 0)


def requires_lines(b: _Builder) -> None:
    r"""A lever used only together with the lever it needs.

    .. math:: used_{lever} \le used_{needs}
    """
    lines = _red_lines(b, "requires")
    if not lines:
        return
    b.m.requires = pyo.Constraint(
        [line.name for line in lines],
        rule=lambda m, name: b.used(b.instance.red_line(name).lever) <= b.used(b.instance.red_line(name).needs),
    )


def excludes_lines(b: _Builder) -> None:
    r"""At most one of the listed levers is used.

    .. math:: \sum_{j \in levers} used_j \le 1
    """
    lines = _red_lines(b, "excludes")
    if not lines:
        return
    b.m.excludes = pyo.Constraint(
        [line.name for line in lines],
        rule=lambda m, name: sum(b.used(j) for j in dict.fromkeys(b.instance.red_line(name).levers)) <= 1,
    )


def breaks_offer_line(line, offer) -> bool:
    """True when a (non-walk-away) offer's attribute breaks an offer red line's bounds."""
    value = offer.attributes[line.attribute]
    return (line.max is not None and value > line.max) or (line.min is not None and value < line.min)


def offer_lines(b: _Builder) -> None:
    r"""Offers whose attribute breaks a bound may not be granted (walk-away offers are exempt).

    .. math:: granted_t = 0 \quad \forall t: attribute_t \notin [min, max]
    """
    pairs = [
        (line.name, t)
        for line in _red_lines(b, "offer")
        for t, offer in b.instance.offer_items.items()
        if not offer.walk_away and breaks_offer_line(line, offer)
    ]
    if not pairs:
        return
    b.m.offer_line = pyo.Constraint(pairs, rule=lambda m, name, t: m.granted[t] <= 0)


def conditional_lines(b: _Builder) -> None:
    r"""A lever used only if one of the listed offers is granted.

    .. math:: used_{lever} \le \sum_{t \in offers} granted_t
    """
    lines = _red_lines(b, "conditional")
    if not lines:
        return
    b.m.conditional = pyo.Constraint(
        [line.name for line in lines],
        rule=lambda m, name: (
            b.used(b.instance.red_line(name).lever)
            <= sum(m.granted[t] for t in dict.fromkeys(b.instance.red_line(name).offers))
        ),
    )


def net_political_cost(b: _Builder) -> None:
    r"""The objective: the weighted net political cost.

    .. math:: \min \sum_k weight_k \, (cost_k - benefit_k)
    """
    groups = b.instance.constituencies
    b.m.net_cost = pyo.Objective(
        expr=sum(b.N(f"constituencies.{k}.weight") * (b.cost(k) - b.benefit(k)) for k in groups)
        if groups
        else b.m.nothing,
        sense=pyo.minimize,
    )


CONSTRAINT_FAMILIES = (
    lever_size_bounds,
    choice_pick,
    piecewise_fill,
    one_offer_granted,
    global_demands,
    offer_requirements,
    max_cost_lines,
    limit_lines,
    forbid_lines,
    requires_lines,
    excludes_lines,
    offer_lines,
    conditional_lines,
)


def build(instance: Instance) -> pyo.ConcreteModel:
    """The Pyomo model of ``instance``: variables, every constraint family in order, the objective."""
    builder = _Builder(instance)
    for family in CONSTRAINT_FAMILIES:
        family(builder)
    net_political_cost(builder)
    return builder.m


def set_numbers(model: pyo.ConcreteModel, instance: Instance) -> None:
    """Load the numbers of ``instance`` into a model built for the same structure (the same structure key)."""
    for path, value in model_numbers(instance).items():
        model.number[path] = value
