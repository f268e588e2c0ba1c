"""Other acceptable packages: the K best, those within a cost bound, and diverse sets to table together.

Two packages are *structurally different* when they differ in the set of used
levers, a picked option or the granted offer. Their structure is a set of
indicators: ``("used", lever)``, ``("picked", lever, option)`` and
``("granted", offer)``; the distance between two packages is the number of
indicators in one but not the other. A continuous lever with
``min_if_used: 0`` has no threshold of use (a sliver of it is as good as
none), so it is a pure amount, re-optimised within each structure: give it a
``min_if_used`` to make its use count as a different package.

- **K best**: solve, cut off the structure just found with a no-good cut, solve
  again. Each solve returns the best package among the structures not yet
  seen, with its amounts optimal for its structure, so the packages come out
  in order of net political cost and are the true K best.
- **Within a bound**: the same, with the cost capped at the optimum plus PCT%
  of max(1, |optimum|).
- **Diverse** (multiple equivalent simultaneous offers): starting from the
  optimum, greedily add the package within the bound whose smallest distance
  to the packages already chosen is largest, and the cheapest such package.

Every package is verified by the independent check before it is reported.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import pandas as pd
import pyomo.environ as pyo

from ..api import check
from ..evaluate import Evaluation, evaluate
from ..instance import LoadedInstance
from ..kinds import lever_kind
from ..package import Package
from ..schema import Instance
from ..solver import SolveOptions
from ..status import Status
from ..tolerance import tolerance
from .words import package_text
from .workbench import SolveFailed, Workbench

DEFAULT_K = 5
DEFAULT_DIVERSE_WITHIN = 10.0
"""The cost bound (% above the optimum) of ``--diverse`` when ``--within`` is not given."""


def structural_levers(instance: Instance) -> list[str]:
    """Amount levers whose use is a decision: all but continuous levers with ``min_if_used: 0``."""
    return [j for j, lever in instance.amount_levers.items() if lever_kind(lever).use_is_decided(lever)]


def structure(instance: Instance, package: Package) -> frozenset[tuple]:
    """The indicators that are 1 in ``package``: used levers, picked options, the granted offer."""
    used = {("used", j) for j in structural_levers(instance) if package.used[j]}
    picked = {("picked", j, o) for j, options in package.picked.items() for o in options}
    return frozenset(used | picked | {("granted", t) for t in package.granted})


def distance(instance: Instance, a: Package, b: Package) -> int:
    """How many levers, options and offers are switched between two packages."""
    return len(structure(instance, a) ^ structure(instance, b))


@dataclass(frozen=True)
class Alternative:
    """One acceptable package, verified."""

    rank: int
    evaluation: Evaluation

    @property
    def package(self) -> Package:
        return self.evaluation.package

    @property
    def objective(self) -> float:
        return self.evaluation.objective


@dataclass
class Alternatives:
    """Acceptable packages in order of net political cost, with the tables that compare them."""

    instance: Instance
    found: list[Alternative]
    mode: str
    """best, within or diverse."""
    bound: float | None = None
    """The cost cap of ``within`` and ``diverse``."""

    @property
    def status(self) -> Status:
        return Status.OPTIMAL if self.found else Status.INFEASIBLE

    @property
    def optimum(self) -> float | None:
        """The first (cheapest) package's net political cost: the optimum of ``solve``."""
        return self.found[0].objective if self.found else None

    @cached_property
    def tables(self) -> dict[str, pd.DataFrame]:
        """summary, levers, constituencies, side_by_side and distances."""
        return {
            "summary": self._summary(),
            "levers": self._levers(),
            "constituencies": self._constituencies(),
            "side_by_side": self._side_by_side(),
            "distances": self._distances(),
        }

    def _summary(self) -> pd.DataFrame:
        rows = [
            {
                "rank": a.rank,
                "objective": a.objective,
                "above_optimum": a.objective - self.optimum,
                "offer": a.package.offer,
                "package": package_text(self.instance, a.package),
                "distance_to_first": distance(self.instance, a.package, self.found[0].package),
                "verified": a.evaluation.acceptable,
            }
            for a in self.found
        ]
        columns = ["rank", "objective", "above_optimum", "offer", "package", "distance_to_first", "verified"]
        return pd.DataFrame(rows, columns=columns)

    def _levers(self) -> pd.DataFrame:
        rows = []
        for a in self.found:
            for lever, value in a.package.levers().items():
                option = value if isinstance(value, str) else None
                rows.append({"rank": a.rank, "lever": lever, "amount": 1.0 if option else value, "option": option})
        return pd.DataFrame(rows, columns=["rank", "lever", "amount", "option"])

    def _constituencies(self) -> pd.DataFrame:
        rows = [
            {
                "rank": a.rank,
                "constituency": k,
                "cost": a.evaluation.cost[k],
                "benefit": a.evaluation.benefit[k],
                "net": a.evaluation.net(k),
                "weighted_net": group.weight * a.evaluation.net(k),
            }
            for a in self.found
            for k, group in self.instance.constituencies.items()
        ]
        return pd.DataFrame(rows, columns=["rank", "constituency", "cost", "benefit", "net", "weighted_net"])

    def _side_by_side(self) -> pd.DataFrame:
        """Levers x packages: amount or option per lever, the offer, cost per constituency, net cost."""
        items: dict[str, list] = {}
        for lever in self.instance.levers:
            items[f"lever:{lever}"] = [a.package.levers().get(lever, "") for a in self.found]
        items["offer"] = [a.package.offer or "" for a in self.found]
        for k in self.instance.constituencies:
            items[f"cost:{k}"] = [a.evaluation.cost[k] for a in self.found]
        items["net political cost"] = [a.objective for a in self.found]
        table = pd.DataFrame.from_dict(items, orient="index", columns=[f"#{a.rank}" for a in self.found])
        return table.rename_axis("item").reset_index()

    def _distances(self) -> pd.DataFrame:
        rows = [
            {"rank": a.rank} | {f"#{b.rank}": distance(self.instance, a.package, b.package) for b in self.found}
            for a in self.found
        ]
        return pd.DataFrame(rows, columns=["rank", *(f"#{a.rank}" for a in self.found)])


def alternatives(
    loaded: LoadedInstance,
    k: int = DEFAULT_K,
    within: float | None = None,
    diverse: bool = False,
    options: SolveOptions | None = None,
) -> Alternatives:
    """Up to ``k`` structurally different acceptable packages, verified, in order of net political cost.

    ``within`` (a percentage) keeps only packages costing at most the optimum
    plus ``within``% of max(1, |optimum|). ``diverse`` picks packages within
    that bound (default 10%) that differ from each other as much as possible.
    """
    if k < 1:
        raise ValueError("k must be at least 1")
    options = options or SolveOptions()
    instance = loaded.instance
    if diverse and within is None:
        within = DEFAULT_DIVERSE_WITHIN
    mode = "diverse" if diverse else ("within" if within is not None else "best")
    if not instance.levers:
        return _offers_only(instance, k, within, mode)
    search = _Search(instance, options)
    first = search.best()
    if first is None:
        return Alternatives(instance, [], mode)
    bound = None if within is None else first.objective + within / 100 * max(1.0, abs(first.objective))
    if bound is not None:
        search.cap_cost(bound)
    chosen = search.most_different(first, k) if diverse else search.next_best(first, k)
    ranked = sorted(chosen, key=lambda e: e.objective) if diverse else chosen
    found = [Alternative(rank, evaluation) for rank, evaluation in enumerate(ranked, start=1)]
    return Alternatives(instance, found, mode, bound)


class _Search:
    """The workbench of one instance, with the structure indicators of its packages."""

    def __init__(self, instance: Instance, options: SolveOptions):
        self.instance = instance
        self.bench = bench = Workbench(instance, options)
        m = bench.model
        self.indicators = {("used", j): m.used[j] for j in structural_levers(instance)}
        self.indicators |= {("picked", j, o): m.picked[j, o] for j, o in bench.built.choices}
        self.indicators |= {("granted", t): m.granted[t] for t in instance.offer_items}

    def distance_to(self, package: Package):
        """The distance between the model's package and ``package``, as an expression."""
        ones = structure(self.instance, package)
        return sum((1 - var) if key in ones else var for key, var in self.indicators.items())

    def best(self) -> Evaluation | None:
        """The cheapest acceptable package left, verified; None when there is none."""
        run = self.bench.solve()
        if run.status == Status.INFEASIBLE:
            return None
        result = check(self.instance, run)
        if result.status != Status.OPTIMAL or not result.verified:
            raise SolveFailed(f"{result.message}: {'; '.join(result.reasons)}" if result.reasons else result.message)
        return result.evaluation

    def cap_cost(self, bound: float) -> None:
        self.bench.add_row(self.bench.model.net_cost.expr <= bound + tolerance(bound))

    def exclude(self, package: Package) -> None:
        """A no-good cut: no later package has this structure."""
        self.bench.add_row(self.distance_to(package) >= 1)

    def next_best(self, first: Evaluation, k: int) -> list[Evaluation]:
        chosen = [first]
        while len(chosen) < k and self.indicators:  # without indicators there is one structure
            self.exclude(chosen[-1].package)
            found = self.best()
            if found is None:
                break
            chosen.append(found)
        return chosen

    def most_different(self, first: Evaluation, k: int) -> list[Evaluation]:
        """Greedy max-min distance: each new package is as far as possible from all chosen before it."""
        bench = self.bench
        bench.model.explain_spread = pyo.Var(bounds=(0, len(self.indicators)))
        spread = bench.model.explain_spread
        chosen = [first]
        while len(chosen) < k and self.indicators:
            bench.add_row(spread <= self.distance_to(chosen[-1].package))
            bench.set_objective(spread, sense=pyo.maximize)
            run = bench.solve()
            if run.status != Status.OPTIMAL:
                raise SolveFailed(f"HiGHS could not find the most different package ({run.status}: {run.message})")
            if run.objective < 0.5:  # every package within the bound is one already chosen
                break
            floor = bench.add_row(spread >= round(run.objective))
            bench.restore_objective()
            found = self.best()
            bench.remove_row(floor)
            if found is None:
                raise SolveFailed("the most different package vanished when its cost was minimised")
            chosen.append(found)
        return chosen


def _offers_only(instance: Instance, k: int, within: float | None, mode: str) -> Alternatives:
    """With no levers a package is just an offer: evaluate each in plain Python."""
    offers = list(instance.offer_items) or [None]
    acceptable = sorted(
        (e for e in (evaluate(instance, Package.empty(instance, t)) for t in offers) if e.acceptable),
        key=lambda e: e.objective,
    )
    bound = None
    if acceptable and within is not None:
        best = acceptable[0].objective
        bound = best + within / 100 * max(1.0, abs(best))
        acceptable = [e for e in acceptable if e.objective <= bound + tolerance(bound)]
    found = [Alternative(rank, e) for rank, e in enumerate(acceptable[:k], start=1)]
    return Alternatives(instance, found, mode, bound)
