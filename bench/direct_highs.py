"""The benchmark's floor: the deal-package MILP built and re-solved directly with highspy.

This mirrors :mod:`optimizer.model` (same variables, rows and objective, in
the math of docs/model.md) without Pyomo. Every coefficient, bound and cost is kept as
a sum of products of the instance's sweepable numbers (keyed by their dotted
paths, as in :func:`optimizer.paths.model_numbers`), so a scenario that
changes some numbers recomputes and sends only the entries that depend on
them. It is a baseline for ``bench/sweep_bench.py``, not product code: it does
no validation and no independent check.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field

import highspy
import numpy as np

from optimizer.kinds import breaks_offer_line
from optimizer.paths import model_numbers
from optimizer.schema import MAX_LEVER_AMOUNT, Instance

INF = highspy.kHighsInf

Term = tuple[float, tuple[str, ...]]
"""factor * product of the numbers at the paths."""


@dataclass
class Linear:
    """A linear expression whose coefficients are sums of terms: column -> [terms]."""

    terms: dict[int, list[Term]] = field(default_factory=lambda: defaultdict(list))

    def add(self, column: int, factor: float = 1.0, *paths: str) -> Linear:
        self.terms[column].append((factor, paths))
        return self

    def extend(self, other: Linear, factor: float = 1.0, *paths: str) -> Linear:
        for column, terms in other.terms.items():
            self.terms[column] += [(f * factor, (*p, *paths)) for f, p in terms]
        return self


@dataclass
class Bound:
    """A row bound: a constant, or a sum of terms."""

    constant: float = 0.0
    terms: list[Term] = field(default_factory=list)


class DirectModel:
    """The MILP of an instance in a highspy.Highs object, updatable by sweepable number."""

    def __init__(self, instance: Instance, options: dict):
        self.instance = instance
        self.numbers = model_numbers(instance)
        self.highs = highspy.Highs()
        self.highs.setOptionValue("output_flag", False)
        self.run_seconds = 0.0
        """Time spent in HiGHS (clearSolver and run) over all solves."""
        for key, value in options.items():
            self.highs.setOptionValue(key, value)
        self.lower, self.upper, self.integer, self.names = [], [], [], []
        self.rows: list[tuple[Linear, Bound | None, Bound | None]] = []
        self.objective = Linear()
        self._columns()
        self._rows()
        self._objective()
        self._load()

    # -- columns -------------------------------------------------------------------------------

    def _column(self, name, lower: float, upper: float, integer: bool) -> int:
        self.names.append(name)
        self.lower.append(lower)
        self.upper.append(upper)
        self.integer.append(integer)
        return len(self.names) - 1

    def _columns(self) -> None:
        inst = self.instance
        self.used = {j: self._column(("used", j), 0, 1, True) for j in inst.amount_levers}
        self.amount = {
            j: self._column(("amount", j), 0, MAX_LEVER_AMOUNT, lever.kind == "integer")
            for j, lever in inst.amount_levers.items()
            if lever.kind != "binary"
        }
        self.picked = {
            (j, o): self._column(("picked", j, o), 0, 1, True)
            for j, lever in inst.choice_levers.items()
            for o in lever.options
        }
        self.seg = {}
        for j, lever in inst.amount_levers.items():
            for k, term in lever.costs.items():
                if term.is_piecewise:
                    low = 0.0
                    for s, (breakpoint, _) in enumerate(term.per_unit):
                        self.seg[j, k, s] = self._column(("seg", j, k, s), 0, breakpoint - low, False)
                        low = breakpoint
                    self.seg[j, k, len(term.per_unit)] = self._column(
                        ("seg", j, k, len(term.per_unit)), 0, MAX_LEVER_AMOUNT, False
                    )
        self.granted = {t: self._column(("granted", t), 0, 1, True) for t in inst.offer_items}

    # -- expressions ---------------------------------------------------------------------------

    def amount_of(self, j: str) -> Linear:
        lever = self.instance.levers[j]
        if lever.kind == "binary":
            return Linear().add(self.used[j])
        if lever.kind == "choice":
            return self.used_of(j)
        return Linear().add(self.amount[j])

    def used_of(self, j: str) -> Linear:
        lever = self.instance.levers[j]
        if lever.kind == "choice":
            expr = Linear()
            for o in lever.options:
                expr.add(self.picked[j, o])
            return expr
        return Linear().add(self.used[j])

    def achieved(self, metric: str) -> Linear:
        expr = Linear()
        for j, lever in self.instance.levers.items():
            if lever.kind == "choice":
                for o, option in lever.options.items():
                    if metric in option.gives:
                        expr.add(self.picked[j, o], 1.0, f"levers.{j}.options.{o}.gives.{metric}")
            elif metric in lever.gives:
                expr.add(self.used[j], 1.0, f"levers.{j}.gives.{metric}.fixed")
                expr.extend(self.amount_of(j), 1.0, f"levers.{j}.gives.{metric}.per_unit")
        return expr

    def cost(self, group: str) -> Linear:
        expr = Linear()
        for j, lever in self.instance.levers.items():
            if lever.kind == "choice":
                for o, option in lever.options.items():
                    if group in option.costs:
                        expr.add(self.picked[j, o], 1.0, f"levers.{j}.options.{o}.costs.{group}")
                continue
            term = lever.costs.get(group)
            if term is None:
                continue
            expr.add(self.used[j], 1.0, f"levers.{j}.costs.{group}.fixed")
            if term.is_piecewise:
                last = len(term.per_unit) - 1
                for s in range(len(term.per_unit) + 1):
                    expr.add(self.seg[j, group, s], 1.0, f"levers.{j}.costs.{group}.per_unit.{min(s, last)}.1")
            else:
                expr.extend(self.amount_of(j), 1.0, f"levers.{j}.costs.{group}.per_unit")
        return expr

    # -- rows ----------------------------------------------------------------------------------

    def _row(self, expr: Linear, lower: Bound | None, upper: Bound | None) -> None:
        self.rows.append((expr, lower, upper))

    def _rows(self) -> None:
        inst = self.instance
        zero = Bound()
        for j in self.amount:
            if f"levers.{j}.min_if_used" in self.numbers:  # as the model: a zero minimum needs no row
                self._row(Linear().add(self.amount[j]).add(self.used[j], -1.0, f"levers.{j}.min_if_used"), zero, None)
            self._row(Linear().add(self.amount[j]).add(self.used[j], -1.0, f"levers.{j}.max"), None, zero)
        for j, lever in inst.choice_levers.items():
            self._row(self.used_of(j), Bound(1.0) if lever.required else None, Bound(1.0))
        for j, k in sorted({(j, k) for j, k, _ in self.seg}):
            expr = Linear()
            for (jj, kk, _), column in self.seg.items():
                if (jj, kk) == (j, k):
                    expr.add(column)
            self._row(expr.extend(self.amount_of(j), -1.0), zero, zero)
        if self.granted:
            expr = Linear()
            for column in self.granted.values():
                expr.add(column)
            self._row(expr, Bound(1.0), Bound(1.0))
        for metric in inst.demands:
            self._row(self.achieved(metric), Bound(terms=[(1.0, (f"demands.{metric}",))]), None)
        offers = inst.offer_items
        for metric in sorted({m for offer in offers.values() for m in offer.requires}):
            expr = self.achieved(metric)
            for t, offer in offers.items():
                if metric in offer.requires:
                    expr.add(self.granted[t], -1.0, f"offers.{t}.requires.{metric}")
            self._row(expr, zero, None)
        for line in inst.red_lines:
            self._red_line(line)

    def _red_line(self, line) -> None:
        name, zero, one = line.name, Bound(), Bound(1.0)
        if line.kind == "max_cost":
            self._row(self.cost(line.constituency), None, Bound(terms=[(1.0, (f"red_lines.{name}.max",))]))
        elif line.kind == "limit":
            expr = Linear()
            for j in line.terms:
                expr.extend(self.amount_of(j), 1.0, f"red_lines.{name}.terms.{j}")
            if line.max is not None:
                self._row(expr, None, Bound(terms=[(1.0, (f"red_lines.{name}.max",))]))
            if line.min is not None:
                self._row(expr, Bound(terms=[(1.0, (f"red_lines.{name}.min",))]), None)
        elif line.kind == "forbid":
            for j in dict.fromkeys(line.levers):
                self._row(self.used_of(j), None, zero)
        elif line.kind == "requires":
            self._row(self.used_of(line.lever).extend(self.used_of(line.needs), -1.0), None, zero)
        elif line.kind == "excludes":
            expr = Linear()
            for j in dict.fromkeys(line.levers):
                expr.extend(self.used_of(j))
            self._row(expr, None, one)
        elif line.kind == "offer":
            for t, offer in self.instance.offer_items.items():
                if not offer.walk_away and breaks_offer_line(line, offer):
                    self._row(Linear().add(self.granted[t]), None, zero)
        elif line.kind == "conditional":
            expr = self.used_of(line.lever)
            for t in dict.fromkeys(line.offers):
                expr.add(self.granted[t], -1.0)
            self._row(expr, None, zero)

    def _objective(self) -> None:
        inst = self.instance
        for k in inst.constituencies:
            weight = f"constituencies.{k}.weight"
            self.objective.extend(self.cost(k), 1.0, weight)
            for t, offer in inst.offer_items.items():
                if k in offer.benefits:
                    self.objective.add(self.granted[t], -1.0, f"offers.{t}.benefits.{k}", weight)

    # -- loading and updating ------------------------------------------------------------------

    def value(self, terms: list[Term]) -> float:
        total = 0.0
        for factor, paths in terms:
            for path in paths:
                factor *= self.numbers.get(path, 0.0)  # zero coefficients are not parameters
            total += factor
        return total

    def _bound(self, bound: Bound | None, missing: float) -> float:
        return missing if bound is None else bound.constant + self.value(bound.terms)

    def _load(self) -> None:
        h = self.highs
        n = len(self.names)
        h.addVars(n, np.array(self.lower, dtype=np.double), np.array(self.upper, dtype=np.double))
        h.changeColsIntegrality(
            n,
            np.arange(n, dtype=np.int32),
            np.array([highspy.HighsVarType.kInteger if i else highspy.HighsVarType.kContinuous for i in self.integer]),
        )
        costs = np.zeros(n)
        for column, terms in self.objective.terms.items():
            costs[column] = self.value(terms)
        h.changeColsCost(n, np.arange(n, dtype=np.int32), costs)
        self.depends: dict[str, list[tuple]] = defaultdict(list)
        for column, terms in self.objective.terms.items():
            for path in {p for _, paths in terms for p in paths}:
                self.depends[path].append(("cost", column, terms))
        for row, (expr, lower, upper) in enumerate(self.rows):
            columns = [c for c in expr.terms]
            values = [self.value(expr.terms[c]) for c in columns]
            h.addRow(
                self._bound(lower, -INF),
                self._bound(upper, INF),
                len(columns),
                np.array(columns, dtype=np.int32),
                np.array(values),
            )
            for column, terms in expr.terms.items():
                for path in {p for _, paths in terms for p in paths}:
                    self.depends[path].append(("coeff", row, column, terms))
            for bound in (lower, upper):
                for path in {p for _, paths in (bound.terms if bound else []) for p in paths}:
                    self.depends[path].append(("bounds", row))

    def set_numbers(self, changes: dict[str, float]) -> None:
        """Change numbers by path and send HiGHS the entries that depend on them."""
        touched = {}
        for path, value in changes.items():
            if self.numbers.get(path) == value:
                continue
            self.numbers[path] = value
            for entry in self.depends.get(path, ()):
                touched[entry[:3] if entry[0] == "coeff" else entry[:2]] = entry
        h = self.highs
        for entry in touched.values():
            if entry[0] == "cost":
                h.changeColCost(entry[1], self.value(entry[2]))
            elif entry[0] == "coeff":
                h.changeCoeff(entry[1], entry[2], self.value(entry[3]))
            else:
                _, lower, upper = self.rows[entry[1]]
                h.changeRowBounds(entry[1], self._bound(lower, -INF), self._bound(upper, INF))

    def solve(self) -> tuple[str, float | None, list[float] | None]:
        """Solve from a cleared state: the model status, the objective and the column values."""
        h = self.highs
        started = time.perf_counter()
        h.clearSolver()
        h.run()
        self.run_seconds += time.perf_counter() - started
        info = h.getInfo()
        status = h.modelStatusToString(h.getModelStatus())
        if info.primal_solution_status != 2:
            return status, None, None
        return status, info.objective_function_value, list(h.getSolution().col_value)
