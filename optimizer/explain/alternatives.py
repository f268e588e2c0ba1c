"""Alternatives a negotiator could put on the table: acceptable, not dominated, and distinct.

The definitions and their math are in docs/alternatives.md. In short:

- **Eligible**: acceptable (it earns the offer it is granted), and no acceptable
  package of the same offer *dominates* it (no higher net cost for every
  constituency, lower in total, beyond the tolerance). Of a walk-away offer only
  its least-cost package is eligible, and it is listed once.
- **Distance** between two packages: the sum over sized levers of
  |Δamount| / max, plus one for each lever whose use changes (levers whose use
  is a decision), each choice lever whose option changes, and a change of offer.
- **The sequence**: the optimum first; then each alternative is the least-cost
  eligible package at distance >= ``tau`` from every one listed before it.

Modes: ``best`` (the first ``k`` of the sequence), ``within`` (every one costing at
most the optimum plus PCT% of max(1, |optimum|), up to ``k``), ``diverse`` (greedy
max-min distance within that bound) and ``per_offer`` (the eligible package of least
cost for each offer). Each is a MILP on the :class:`~.workbench.Workbench`, with
exact |Δamount| rows and a lazy loop that cuts off dominated packages, and every
package is verified by the independent check before it is reported.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import pyomo.core as pyo

from ..api import check
from ..evaluate import Evaluation, evaluate
from ..formatting import fmt
from ..instance import LoadedInstance
from ..kinds import lever_kind
from ..package import Package
from ..schema import Instance
from ..solver import SolveOptions, SolverRun
from ..status import Status
from ..tolerance import tolerance
from .words import label, package_text
from .workbench import SolveFailed, Workbench

if TYPE_CHECKING:
    import pandas as pd

DEFAULT_K = 5
"""How many packages ``best`` lists."""
WITHIN_CAP = 20
"""How many packages ``within`` and ``diverse`` list at most, unless told."""
DEFAULT_DIVERSE_WITHIN = 10.0
"""The cost bound (% above the optimum) of ``--diverse`` when ``--within`` is not given."""
DEFAULT_TAU = 0.1
"""The least distance between two listed packages."""
MAX_CUTS = 500
"""Dominated or surplus walk-away packages cut off before the search gives up."""
MODES = ("best", "within", "diverse", "per_offer")


# -- distance -------------------------------------------------------------------------------------


def sized_levers(instance: Instance) -> dict:
    """Integer and continuous levers: their amount moves the distance by |Δamount| / max."""
    return {j: lv for j, lv in instance.amount_levers.items() if lever_kind(lv).sized}


def structural_levers(instance: Instance) -> list[str]:
    """Amount levers whose use is a decision: all but continuous levers with ``min_if_used: 0``."""
    return [j for j, lever in instance.amount_levers.items() if lever_kind(lever).use_is_decided(lever)]


def distance(instance: Instance, a: Package, b: Package) -> float:
    """Σ |Δamount|/max over sized levers + the changed used flags, options and offer (docs/alternatives.md)."""
    amounts = sum(abs(a.amount[j] - b.amount[j]) / lv.max for j, lv in sized_levers(instance).items())
    flags = sum(a.used[j] != b.used[j] for j in structural_levers(instance))
    options = sum(a.picked[j] != b.picked[j] for j in instance.choice_levers)
    return amounts + flags + options + (a.granted != b.granted)


# -- what is listed ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Alternative:
    """One eligible package, verified."""

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
    """Eligible packages, the optimum first, with why the list is no longer and the tables that compare them."""

    instance: Instance
    found: list[Alternative]
    mode: str
    """best, within, diverse or per_offer."""
    bound: float | None = None
    """The cost cap of ``within`` and ``diverse``."""
    tau: float = DEFAULT_TAU
    asked: int = DEFAULT_K
    """How many packages were asked for (the cap of ``within`` and ``diverse``)."""
    shortfall: str = ""
    """Why fewer packages than asked were found, in words; empty when none are missing."""

    @property
    def status(self) -> Status:
        return Status.OPTIMAL if self.found else Status.INFEASIBLE

    @property
    def optimum(self) -> float | None:
        """The first (cheapest) package's net political cost: the optimum of ``solve``."""
        return self.found[0].objective if self.found else None

    def changes(self, alternative: Alternative) -> list[str]:
        """The alternative as its differences from the recommendation (the first package)."""
        return differences(self.instance, self.found[0].evaluation, alternative.evaluation)

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

    def _frame(self, rows: list[dict], columns: list[str]) -> pd.DataFrame:
        import pandas as pd

        return pd.DataFrame(rows, columns=columns)

    def _summary(self) -> pd.DataFrame:
        first = self.found[0].package if self.found else None
        rows = [
            {
                "rank": a.rank,
                "objective": a.objective,
                "above_optimum": a.objective - self.optimum,
                "offer": a.package.offer,
                "changes": "; ".join(self.changes(a)) if a.rank > 1 else "the recommendation",
                "package": package_text(self.instance, a.package),
                "distance_to_first": distance(self.instance, a.package, first),
                "verified": a.evaluation.acceptable,
            }
            for a in self.found
        ]
        columns = ["rank", "objective", "above_optimum", "offer", "changes", "package", "distance_to_first", "verified"]
        return self._frame(rows, columns)

    def _levers(self) -> pd.DataFrame:
        rows = []
        for a in self.found:
            for lever, value in a.package.levers().items():
                option = value if isinstance(value, str) else None
                rows.append({"rank": a.rank, "lever": lever, "amount": 1.0 if option else value, "option": option})
        return self._frame(rows, ["rank", "lever", "amount", "option"])

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
        return self._frame(rows, ["rank", "constituency", "cost", "benefit", "net", "weighted_net"])

    def _side_by_side(self) -> pd.DataFrame:
        """Levers x packages: amount or option per lever, the offer, cost per constituency, net cost."""
        items: dict[str, list] = {}
        for lever in self.instance.levers:
            items[f"lever:{lever}"] = [a.package.levers().get(lever, "") for a in self.found]
        items["offer"] = [a.package.offer or "" for a in self.found]
        for k in self.instance.constituencies:
            items[f"cost:{k}"] = [a.evaluation.cost[k] for a in self.found]
        items["net political cost"] = [a.objective for a in self.found]
        columns = [f"#{a.rank}" for a in self.found]
        rows = [{"item": item} | dict(zip(columns, values, strict=True)) for item, values in items.items()]
        return self._frame(rows, ["item", *columns])

    def _distances(self) -> pd.DataFrame:
        rows = [
            {"rank": a.rank} | {f"#{b.rank}": distance(self.instance, a.package, b.package) for b in self.found}
            for a in self.found
        ]
        return self._frame(rows, ["rank", *(f"#{a.rank}" for a in self.found)])


def differences(instance: Instance, base: Evaluation, other: Evaluation) -> list[str]:
    """What ``other`` changes from ``base``, in words: the offer, each lever, then who gains or loses.

    For example ``["+60 kt Rice", "no Boeing order", "+1.2 points for Farmers"]``.
    """
    changes = []
    if other.package.offer != base.package.offer:
        changes.append(f"offer {label(instance.offer_items, other.package.offer)}")
    was, now = base.package.levers(), other.package.levers()
    for j, lever in instance.levers.items():
        before, after = was.get(j), now.get(j)
        name = label(instance.levers, j)
        unit = f" {lever.unit}" if getattr(lever, "unit", None) else ""
        if before == after:
            continue
        if after is None:
            changes.append(f"no {name}")
        elif isinstance(after, str):
            changes.append(f"{name}: {label(lever.options, after)}")
        elif before is None:
            changes.append(f"add {fmt(after)}{unit} {name}" if lever_kind(lever).sized else f"add {name}")
        elif abs(after - before) > tolerance(before):
            changes.append(f"{'+' if after > before else '-'}{fmt(abs(after - before))}{unit} {name}")
    moves = {k: g.weight * (other.net(k) - base.net(k)) for k, g in instance.constituencies.items()}
    for k, move in sorted(moves.items(), key=lambda pair: -abs(pair[1])):
        if abs(move) > tolerance(base.objective):
            changes.append(f"{'+' if move > 0 else '-'}{fmt(abs(move))} points for {label(instance.constituencies, k)}")
    return changes or ["the same package"]


# -- the search ----------------------------------------------------------------------------------------


def alternatives(
    loaded: LoadedInstance,
    k: int | None = None,
    within: float | None = None,
    diverse: bool = False,
    per_offer: bool = False,
    tau: float = DEFAULT_TAU,
    options: SolveOptions | None = None,
) -> Alternatives:
    """Eligible, distinct packages, verified, the optimum first (docs/alternatives.md).

    ``k`` caps the list (default 5, or 20 with ``within`` or ``diverse``). ``within``
    (a percentage) keeps packages costing at most the optimum plus ``within``% of
    max(1, |optimum|). ``diverse`` picks, within that bound (default 10%), packages
    as far as possible from those before. ``per_offer`` lists the best package of
    each offer. ``tau`` is the least distance between two listed packages.
    """
    if k is not None and k < 1:
        raise ValueError("k must be at least 1")
    if tau < 0:
        raise ValueError("tau must not be negative")
    if diverse and within is None:
        within = DEFAULT_DIVERSE_WITHIN
    mode = "per_offer" if per_offer else "diverse" if diverse else "within" if within is not None else "best"
    asked = k if k is not None else (DEFAULT_K if mode == "best" else WITHIN_CAP)
    instance = loaded.instance
    search = _Search(instance, options or SolveOptions(), tau) if instance.levers else _OffersOnly(instance, tau)
    first = search.cheapest()
    if first is None:
        return Alternatives(instance, [], mode, tau=tau, asked=asked, shortfall="no acceptable package")
    bound = None if within is None or per_offer else first.objective + within / 100 * max(1.0, abs(first.objective))
    if bound is not None:
        search.cap_cost(bound)
    if per_offer:
        chosen, shortfall = search.per_offer(first)
    else:
        chosen = search.sequence(first, asked, diverse)
        shortfall = _shortfall(len(chosen), asked, tau, within)
    found = [Alternative(rank, evaluation) for rank, evaluation in enumerate(chosen, start=1)]
    return Alternatives(instance, found, mode, bound, tau, asked, shortfall)


def _shortfall(count: int, asked: int, tau: float, within: float | None) -> str:
    if count >= asked:
        return ""
    where = f" within {fmt(within)}% of the optimum" if within is not None else ""
    packages = "package exists" if count == 1 else "packages exist"
    return f"only {count} acceptable non-dominated {packages}{where} at distance >= {fmt(tau)} from each other"


class _Search:
    """The main workbench (the next package) and a judge's workbench (is it dominated? the least walk-away cost)."""

    def __init__(self, instance: Instance, options: SolveOptions, tau: float):
        self.instance = instance
        self.tau = tau
        self.bench = Workbench(instance, options)
        self.judge = Workbench(instance, options)
        self.sized = sized_levers(instance)
        self.distances = 0
        self.cuts = 0
        self.net_ceiling: dict[str, float] | None = None
        self.walk_away_least: dict[str, float] = {}

    # -- the main model -------------------------------------------------------------------------

    def cheapest(self) -> Evaluation | None:
        """The least-cost eligible package left on the main workbench; None when none is left."""
        while True:
            run = self.bench.solve()
            if run.status == Status.INFEASIBLE:
                return None
            candidate = _verified_optimum(self.instance, run)
            if self._keep_or_cut(candidate):
                return candidate

    def cap_cost(self, bound: float) -> None:
        self.bench.add_row(self.bench.model.net_cost.expr <= bound + tolerance(bound))

    def sequence(self, first: Evaluation, asked: int, diverse: bool) -> list[Evaluation]:
        chosen = [first]
        spread = self._spread() if diverse else None
        self._list(first, spread)
        while len(chosen) < asked:
            found = self._farthest(spread) if diverse else self.cheapest()
            if found is None:
                break
            chosen.append(found)
            self._list(found, spread)
        return sorted(chosen, key=lambda e: e.objective) if diverse else chosen

    def per_offer(self, first: Evaluation) -> tuple[list[Evaluation], str]:
        chosen, missing = [first], []
        granted = self.bench.model.granted
        for t in self.instance.offer_items:
            if t == first.package.offer:
                continue
            row = self.bench.add_row(granted[t] == 1)
            found = self.cheapest()
            self.bench.remove_row(row)
            if found is None:
                missing.append(label(self.instance.offer_items, t))
            else:
                chosen.append(found)
        shortfall = f"no acceptable package earns {', '.join(missing)}" if missing else ""
        return sorted(chosen, key=lambda e: e.objective), shortfall

    def _list(self, evaluation: Evaluation, spread) -> None:
        """Listed: every later package keeps distance >= tau from it; a walk-away offer is listed once."""
        gap = self._distance_to(evaluation.package)
        self.bench.add_row(gap >= self.tau)
        if spread is not None:
            self.bench.add_row(spread <= gap)
        offer = evaluation.package.offer
        if offer is not None and self.instance.offer_items[offer].walk_away:
            self.bench.add_row(self.bench.model.granted[offer] == 0)

    def _spread(self):
        upper = len(self.instance.levers) + 1.0
        self.bench.model.alternatives_spread = pyo.Var(bounds=(0, upper))
        return self.bench.model.alternatives_spread

    def _farthest(self, spread) -> Evaluation | None:
        """The eligible package farthest (max-min distance) from those listed, and the cheapest at that distance."""
        bench = self.bench
        bench.set_objective(spread, sense=pyo.maximize)
        try:
            while True:
                run = bench.solve()
                if run.status == Status.INFEASIBLE:
                    return None
                if run.status != Status.OPTIMAL:
                    raise SolveFailed(f"HiGHS could not find the most different package ({run.status}: {run.message})")
                candidate = _verified(self.instance, run)
                if self._keep_or_cut(candidate):
                    break
        finally:
            bench.restore_objective()
        floor = bench.add_row(spread >= run.objective - tolerance(run.objective))
        found = self.cheapest()
        bench.remove_row(floor)
        if found is None:
            raise SolveFailed("the most different package vanished when its cost was minimised")
        return found

    def _distance_to(self, package: Package):
        r"""The distance from the model's package to ``package``, exact: |Δamount| through one binary per lever.

        With :math:`c_j = (a_j - p_j)/max_j \in [-q_j, 1 - q_j]`, :math:`q_j = p_j/max_j`:

        .. math:: e_j \le c_j + 2 q_j (1 - z_j), \quad e_j \le -c_j + 2 (1 - q_j) z_j, \quad e_j \ge 0

        At :math:`q_j = 0` (or 1) the first (second) row alone is :math:`e_j \le |c_j|`: no binary.
        """
        m, built = self.bench.model, self.bench.built
        self.distances += 1
        terms = []
        if self.sized:
            gap = pyo.Var(list(self.sized), bounds=(0, 1))
            m.add_component(f"alternatives_gap_{self.distances}", gap)
            for j, lever in self.sized.items():
                share = min(1.0, package.amount[j] / lever.max)
                change = (built.amount(j) - package.amount[j]) / lever.max
                if share <= 0:
                    self.bench.add_row(gap[j] <= change)
                elif share >= 1:
                    self.bench.add_row(gap[j] <= -change)
                else:
                    side = pyo.Var(domain=pyo.Binary)
                    m.add_component(f"alternatives_side_{self.distances}_{j}", side)
                    self.bench.add_row(gap[j] <= change + 2 * share * (1 - side))
                    self.bench.add_row(gap[j] <= -change + 2 * (1 - share) * side)
                terms.append(gap[j])
        return sum(terms) + self._switches(package)

    def _switches(self, package: Package):
        """How many used flags, options and offers of the model's package differ from ``package``'s (linear)."""
        m = self.bench.model
        terms = [1 - m.used[j] if package.used[j] else m.used[j] for j in structural_levers(self.instance)]
        for j, lever in self.instance.choice_levers.items():
            picked = package.picked[j]
            terms.append(1 - m.picked[j, picked[0]] if picked else sum(m.picked[j, o] for o in lever.options))
        if package.offer is not None:
            terms.append(1 - m.granted[package.offer])
        return sum(terms) if terms else m.nothing

    # -- the judge -------------------------------------------------------------------------------

    def _keep_or_cut(self, candidate: Evaluation) -> bool:
        """True when ``candidate`` is eligible; otherwise cut it (and what else is surely ineligible) off."""
        offer = candidate.package.offer
        if offer is not None and self.instance.offer_items[offer].walk_away:
            least = self._walk_away_least(offer)
            if candidate.objective > least + tolerance(least):  # later packages cost no less: none is eligible
                self._cut(self.bench.model.granted[offer] == 0)
                return False
        better = self._dominating(candidate)
        if better is None:
            return True
        self._cut_dominated_by(better)
        return False

    def _cut(self, relation) -> None:
        self.cuts += 1
        if self.cuts > MAX_CUTS:
            raise SolveFailed(f"more than {MAX_CUTS} dominated packages cut off; the search gives up")
        self.bench.add_row(relation)

    def _walk_away_least(self, offer: str) -> float:
        if offer not in self.walk_away_least:
            row = self.judge.add_row(self.judge.model.granted[offer] == 1)
            self.walk_away_least[offer] = _verified_optimum(self.instance, self.judge.solve()).objective
            self.judge.remove_row(row)
        return self.walk_away_least[offer]

    def _nets(self, bench: Workbench) -> dict:
        built = bench.built
        return {k: built.cost(k) - built.benefit(k) for k in self.instance.constituencies}

    def _dominating(self, candidate: Evaluation) -> Evaluation | None:
        """A package of the same offer that dominates ``candidate``, or None (docs/alternatives.md)."""
        if not self.instance.constituencies:
            return None
        judge, nets = self.judge, self._nets(self.judge)
        rows = [judge.add_row(expr <= candidate.net(k) + tolerance(candidate.net(k))) for k, expr in nets.items()]
        if candidate.package.offer is not None:
            rows.append(judge.add_row(judge.model.granted[candidate.package.offer] == 1))
        judge.set_objective(sum(nets.values()))
        run = judge.solve()
        judge.restore_objective()
        for row in rows:
            judge.remove_row(row)
        if run.status != Status.OPTIMAL:
            raise SolveFailed(f"HiGHS could not settle whether a package is dominated ({run.status}: {run.message})")
        better = _verified(self.instance, run)
        return better if dominates(self.instance, better, candidate) else None

    def _cut_dominated_by(self, better: Evaluation) -> None:
        r"""Cut off every package of ``better``'s offer that ``better`` dominates.

        Kept: another offer, or a constituency below ``better``'s band, or a total within half of it:

        .. math:: (1 - granted_t) + \sum_k y_k + y_0 \ge 1, \quad
                  net_k \le n_k - 2 tol_k + M_k (1 - y_k), \quad
                  \sum_k net_k \le \sum_k n_k + \sum_k tol_k / 2 + M_0 (1 - y_0)

        Each kept branch stays a margin (tol_k, or half the summed band) inside what :func:`dominates`
        calls not dominated: a package on the edge of the band, within HiGHS's feasibility tolerance,
        would otherwise be judged dominated by ``better`` again and cut by the very same row, until the search gave up.
        """
        m, nets, ceiling = self.bench.model, self._nets(self.bench), self._ceiling()
        band = {k: tolerance(better.net(k)) for k in nets}
        total, slack = sum(better.net(k) for k in nets), sum(band.values())
        self.distances += 1
        below = pyo.Var(list(nets), domain=pyo.Binary)
        within = pyo.Var(domain=pyo.Binary)
        m.add_component(f"alternatives_below_{self.distances}", below)
        m.add_component(f"alternatives_within_{self.distances}", within)
        for k, expr in nets.items():
            floor = better.net(k) - 2 * band[k]
            self.bench.add_row(expr <= floor + (ceiling[k] - floor + 1) * (1 - below[k]))
        top = total + slack / 2
        self.bench.add_row(sum(nets.values()) <= top + (sum(ceiling.values()) - top + 1) * (1 - within))
        offer = better.package.offer
        other_offer = 1 - m.granted[offer] if offer is not None else 0
        self._cut(other_offer + sum(below.values()) + within >= 1)

    def _ceiling(self) -> dict[str, float]:
        """The most each constituency's net cost can be in an acceptable package (the big-M of the cuts)."""
        if self.net_ceiling is None:
            judge, self.net_ceiling = self.judge, {}
            for k, expr in self._nets(judge).items():
                judge.set_objective(expr, sense=pyo.maximize)
                run = judge.solve()
                if run.status != Status.OPTIMAL:
                    raise SolveFailed(f"HiGHS could not bound a net cost ({run.status}: {run.message})")
                self.net_ceiling[k] = run.objective + tolerance(run.objective)
            judge.restore_objective()
        return self.net_ceiling


def dominates(instance: Instance, a: Evaluation, b: Evaluation) -> bool:
    """A dominates B: the same offer, no constituency's net cost higher, and lower in total, beyond the tolerance.

    Tolerances are A's: net_k(A) - tol(net_k(A)) <= net_k(B) for every k, and
    Σ_k net_k(B) - Σ_k net_k(A) > Σ_k tol(net_k(A)).
    """
    groups = instance.constituencies
    if a.package.offer != b.package.offer or not groups:
        return False
    if any(a.net(k) - tolerance(a.net(k)) > b.net(k) for k in groups):
        return False
    return sum(b.net(k) - a.net(k) for k in groups) > sum(tolerance(a.net(k)) for k in groups)


def _verified(instance: Instance, run: SolverRun) -> Evaluation:
    """The run's package, evaluated; raises :class:`SolveFailed` when it fails the independent check."""
    if not run.has_solution:
        raise SolveFailed(f"HiGHS found no package ({run.status}: {run.message})")
    evaluation = evaluate(instance, run.package(instance))
    if evaluation.violations:
        raise SolveFailed(f"HiGHS's package failed the independent check: {'; '.join(evaluation.violations)}")
    return evaluation


def _verified_optimum(instance: Instance, run: SolverRun) -> Evaluation:
    """A least-cost run's package, verified, its objective agreeing with the solver's."""
    result = check(instance, run)
    if result.status != Status.OPTIMAL or not result.verified:
        raise SolveFailed(f"{result.message}: {'; '.join(result.reasons)}" if result.reasons else result.message)
    return result.evaluation


class _OffersOnly:
    """No levers: a package is an offer; each is evaluated in plain Python (one package per offer)."""

    def __init__(self, instance: Instance, tau: float):
        self.tau = tau
        offers = list(instance.offer_items) or [None]
        packages = (evaluate(instance, Package.empty(instance, t)) for t in offers)
        self.left = sorted((e for e in packages if e.acceptable), key=lambda e: e.objective)

    def cheapest(self) -> Evaluation | None:
        return self.left[0] if self.left else None

    def cap_cost(self, bound: float) -> None:
        self.left = [e for e in self.left if e.objective <= bound + tolerance(bound)]

    def sequence(self, first: Evaluation, asked: int, diverse: bool) -> list[Evaluation]:
        return self.left[: asked if self.tau <= 1 else 1]  # two offers are at distance 1

    def per_offer(self, first: Evaluation) -> tuple[list[Evaluation], str]:
        return self.left, ""
