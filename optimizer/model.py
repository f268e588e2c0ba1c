r"""The deal-package MILP, built in Pyomo exactly as the model contract (docs/model.md) states.

Every number of the model (:func:`optimizer.paths.model_numbers`: weights,
thresholds, caps, coefficients, lever sizes) enters it as a mutable ``Param``
in the expressions themselves, keyed by its dotted path in the normalised
instance, so a persistent solver re-solves a changed scenario without a
rebuild. Everything else is *structure* (:func:`optimizer.paths.structure_key`
tells when a rebuild is needed). The model asks for numbers by path only where
the instance has them; a path it does not know is an :class:`UnknownNumber`
error, never a silent zero.

:func:`build` returns a :class:`DealModel`: the Pyomo model, its expressions
(what a metric achieves, what a constituency pays, whether a lever is used)
and its rows by member (each threshold, red line and lever bound), which the
explain layer loosens and replaces. The constraint families are the functions
below, then each lever kind's and each red-line kind's (:mod:`optimizer.kinds`),
in a fixed order; each states its math in its docstring.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import pyomo.core as pyo

from .kinds import LEVER_KINDS, RED_LINE_KINDS, lever_kind, red_line_kind
from .paths import model_numbers, number_slots
from .schema import MAX_LEVER_AMOUNT, Instance

RowKey = tuple[str, str]
"""(member kind, name): ("demand", metric), ("offer_requirement", metric), ("max_cost", red line),
("limit_max", red line), a logical red-line kind and its name, ("lever_max", lever), ("choice_required", lever)."""


class UnknownNumber(LookupError):
    """The model asked for a number at a path the instance does not have: a defect of the model, not of the input."""

    def __init__(self, path: str):
        super().__init__(f"internal error: the model asked for the number at '{path}', which the instance lacks")
        self.path = path


class DealModel:
    """One instance's built model: the Pyomo model ``m``, its expressions, and its rows by member."""

    def __init__(self, instance: Instance):
        self.instance = instance
        self.m = m = pyo.ConcreteModel(name=instance.name)
        self.numbers = numbers = model_numbers(instance)
        self._zero_coefficients = {path for path, *_ in number_slots(instance)} - set(numbers)
        self._rows: dict[RowKey, list] = {}
        m.number = pyo.Param(list(numbers), mutable=True, initialize=numbers, within=pyo.Reals)
        self.choices = [(j, o) for j, lv in instance.choice_levers.items() for o in lv.options]
        sized = [j for j, lv in instance.amount_levers.items() if lever_kind(lv).sized]
        segments = [
            (j, k, s)
            for j, lv in instance.amount_levers.items()
            for k, term in lv.costs.items()
            if term.is_piecewise
            for s in range(len(term.per_unit) + 1)
        ]
        m.used = pyo.Var(list(instance.amount_levers), domain=pyo.Binary)
        m.amount = pyo.Var(sized, bounds=(0, MAX_LEVER_AMOUNT), domain=self._amount_domain)
        m.picked = pyo.Var(self.choices, domain=pyo.Binary)
        m.seg = pyo.Var(segments, domain=pyo.NonNegativeReals, bounds=self._segment_bounds)
        m.granted = pyo.Var(list(instance.offer_items), domain=pyo.Binary)
        # A variable fixed at zero by its bounds: it keeps a constraint whose other terms are all
        # absent (a demanded metric no lever gives) a real row, so HiGHS (not Pyomo) judges it.
        m.nothing = pyo.Var(bounds=(0, 0))

    # -- numbers -------------------------------------------------------------------------------

    def has_number(self, path: str) -> bool:
        """True when the number at ``path`` is a parameter of the model (a zero coefficient is not)."""
        return path in self.numbers

    def N(self, path: str):
        """The mutable parameter of the number at ``path``."""
        if path not in self.numbers:
            raise UnknownNumber(path)
        return self.m.number[path]

    def linear(self, terms: Iterable[tuple[str, Any]]):
        """sum(number[path] * variable) over ``(path, variable)`` pairs, leaving out zero coefficients.

        Every path must be a place of the instance that holds a number; a zero coefficient is
        left out, any other path raises :class:`UnknownNumber`. An empty sum is the variable
        ``nothing`` (fixed at 0), so a row never turns constant.
        """
        kept = []
        for path, variable in terms:
            if path in self.numbers:
                kept.append(self.m.number[path] * variable)
            elif path not in self._zero_coefficients:
                raise UnknownNumber(path)
        return sum(kept) if kept else self.m.nothing

    # -- rows ----------------------------------------------------------------------------------

    def rows_of(
        self, name: str, index: Iterable, rule: Callable, member: Callable[[Any], RowKey] | None = None
    ) -> None:
        """Add the indexed constraint ``name`` (nothing when ``index`` is empty); ``member(key)`` files each row."""
        index = list(index)
        if not index:
            return
        component = pyo.Constraint(index, rule=lambda m, *key: rule(key[0] if len(key) == 1 else key))
        self.m.add_component(name, component)
        if member is not None:
            for key in index:
                self._rows.setdefault(member(key), []).append(component[key])

    def rows(self, kind: str, name: str) -> list:
        """The rows of one member (see :data:`RowKey`); empty when it has none."""
        return list(self._rows.get((kind, name), ()))

    # -- expressions ---------------------------------------------------------------------------

    def amount(self, j: str):
        """The amount of lever j: ``used`` for binary levers, the number of picks for choice levers."""
        return lever_kind(self.instance.levers[j]).amount(self, j)

    def used(self, j: str):
        """1 when lever j is used."""
        return lever_kind(self.instance.levers[j]).used(self, j)

    def achieved(self, metric: str):
        r"""achieved[m] = \sum_j (gf_{jm} used_j + gp_{jm} amount_j) + \sum_{j,o} g_{jom} picked_{jo}"""
        return self._sum_over_levers("gives", metric)

    def cost(self, group: str):
        r"""cost[k] = \sum_j (cf_{jk} used_j + curve_{jk}(amount_j)) + \sum_{j,o} c_{jok} picked_{jo}"""
        return self._sum_over_levers("costs", group)

    def _sum_over_levers(self, part: str, key: str):
        levers = self.instance.levers.items()
        return self.linear(term for j, lever in levers for term in lever_kind(lever).terms(self, j, lever, part, key))

    def benefit(self, group: str):
        r"""benefit[k] = \sum_t b_{tk} granted_t"""
        return self.linear(
            (f"offers.{t}.benefits.{group}", self.m.granted[t])
            for t, offer in self.instance.offer_items.items()
            if group in offer.benefits
        )

    def _amount_domain(self, m, j):
        return pyo.NonNegativeIntegers if lever_kind(self.instance.levers[j]).integral else pyo.NonNegativeReals

    def _segment_bounds(self, m, j, k, s):
        curve = self.instance.levers[j].costs[k].per_unit
        if s == len(curve):  # the tail beyond the last breakpoint, up to the lever's max
            return (0, MAX_LEVER_AMOUNT)
        low = curve[s - 1][0] if s else 0.0
        return (0, curve[s][0] - low)


# -- the constraint families that belong to no kind, in build order ----------------------------


def piecewise_fill(model: DealModel) -> None:
    r"""Piecewise cost segments add up to the lever's amount; convexity fills the cheap ones first.

    .. math:: \sum_s seg_{jks} = amount_j
    """
    segments = list(model.m.seg)
    model.rows_of(
        "piecewise_fill",
        sorted({(j, k) for j, k, _ in segments}),
        lambda pair: sum(model.m.seg[j, k, s] for j, k, s in segments if (j, k) == pair) == model.amount(pair[0]),
    )


def one_offer_granted(model: DealModel) -> None:
    r"""Exactly one offer is granted when offers exist.

    .. math:: \sum_t granted_t = 1
    """
    if model.instance.offer_items:
        model.m.one_offer = pyo.Constraint(expr=sum(model.m.granted.values()) == 1)


def global_demands(model: DealModel) -> None:
    r"""Thresholds that hold whatever offer is granted.

    .. math:: achieved_m \ge demand_m
    """
    model.rows_of(
        "demand",
        list(model.instance.demands),
        lambda metric: model.achieved(metric) >= model.N(f"demands.{metric}"),
        member=lambda metric: ("demand", metric),
    )


def offer_requirements(model: DealModel) -> None:
    r"""The granted offer's thresholds; an offer that does not name a metric requires 0 of it.

    One row per metric, shared by every offer that requires it.

    .. math:: achieved_m \ge \sum_t requires_{tm} \, granted_t
    """
    offers = model.instance.offer_items

    def rule(metric):
        required = (
            (f"offers.{t}.requires.{metric}", model.m.granted[t]) for t, o in offers.items() if metric in o.requires
        )
        return model.achieved(metric) >= model.linear(required)

    model.rows_of(
        "offer_requirement",
        sorted({metric for offer in offers.values() for metric in offer.requires}),
        rule,
        member=lambda metric: ("offer_requirement", metric),
    )


def net_political_cost(model: DealModel) -> None:
    r"""The objective: the weighted net political cost.

    .. math:: \min \sum_k weight_k \, (cost_k - benefit_k)
    """
    groups = model.instance.constituencies
    model.m.net_cost = pyo.Objective(
        expr=sum(model.N(f"constituencies.{k}.weight") * (model.cost(k) - model.benefit(k)) for k in groups)
        if groups
        else model.m.nothing,
        sense=pyo.minimize,
    )


def build(instance: Instance) -> DealModel:
    """The model of ``instance``: variables, every constraint family in order, the objective."""
    model = DealModel(instance)
    for kind in LEVER_KINDS.values():
        levers = [j for j, lever in instance.levers.items() if lever_kind(lever) is kind]
        if levers:
            kind.constrain(model, levers)
    piecewise_fill(model)
    one_offer_granted(model)
    global_demands(model)
    offer_requirements(model)
    for kind in RED_LINE_KINDS.values():
        lines = [line for line in instance.red_lines if red_line_kind(line) is kind]
        if lines:
            kind.constrain(model, lines)
    net_political_cost(model)
    return model


def set_numbers(model: DealModel, instance: Instance) -> None:
    """Load the numbers of ``instance`` into a model built for the same structure (the same structure key)."""
    for path, value in model_numbers(instance).items():
        model.m.number[path] = value
