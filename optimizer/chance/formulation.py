r"""The rows that put the chance of acceptance into the deal model, one function per family.

Each family adds its variables and rows to a :class:`~optimizer.explain.workbench.Workbench` whose
instance has every uncertain number already replaced by a floor (a quantile, :mod:`.solve`), and
returns a :class:`Chance`: a linear ``measure`` of the package's chance, and the right-hand side
that ``measure >= rhs(p)`` needs for P >= p. Every condition reads ``Y_i <= z_i`` (:mod:`.laws`).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass, field

import pyomo.core as pyo

from ..explain.workbench import Workbench
from .conditions import Condition

CUT_TOLERANCE = 1e-6
"""The outer approximation stops when its probability is within this of the true one."""


@dataclass
class Chance:
    """A linear measure of the chance in the model, and what it must reach for P >= p."""

    measure: object
    rhs: Callable[[float], float]
    cut: Callable[[dict[str, float]], int] = field(default=lambda values: 0)
    """Add outer-approximation cuts at the values z_i of a package (by condition name); returns how many."""


def _name(bench: Workbench, stem: str) -> str:
    count = sum(1 for _ in bench.model.component_objects(descend_into=False))
    return f"chance_{stem}_{count}"


def support_levels(bench: Workbench, conditions: list[Condition], floor: float) -> Chance:
    r"""Discrete thresholds, exactly: a monotone binary per support level above the floor that z_i reaches.

    The levels with :math:`F_{ik} \ge` floor are :math:`v_{i0} < v_{i1} < \dots`; the hard row already
    holds z_i at :math:`v_{i0}` (the floor quantile), and :math:`y_{ik} = 1` when z_i reaches
    :math:`v_{ik}`. Branching on :math:`y_{ik}` splits "below v_ik" from "at or above it".

    .. math::
        y_{ik} \le y_{i,k-1}, \qquad z_i \ge v_{i0} + \sum_{k \ge 1} (v_{ik} - v_{i,k-1}) \, y_{ik}, \qquad
        \log P = \sum_i \Big(\log F_{i0} + \sum_{k \ge 1} (\log F_{ik} - \log F_{i,k-1}) \, y_{ik}\Big) \ge \log p
    """
    measure = bench.model.nothing  # fixed at 0: the measure stays an expression when no level is free
    for condition in conditions:
        levels = [(v, f) for v, f in condition.law.levels if f >= floor - 1e-12]
        measure = measure + math.log(levels[0][1])
        if len(levels) == 1:
            continue
        reached = pyo.Var(range(1, len(levels)), domain=pyo.Binary)
        bench.model.add_component(_name(bench, f"level_{condition.name}"), reached)
        for k in range(2, len(levels)):
            bench.add_row(reached[k] <= reached[k - 1])
        steps = list(zip(levels[1:], levels[:-1], strict=True))
        bench.add_row(
            condition.expression(bench.built)
            >= levels[0][0] + sum((v - below) * reached[k] for k, ((v, _), (below, _)) in enumerate(steps, start=1))
        )
        measure = measure + sum(
            (math.log(f) - math.log(f_below)) * reached[k] for k, ((_, f), (_, f_below)) in enumerate(steps, start=1)
        )
    return Chance(measure, lambda p: math.log(p) - 1e-12)


def log_cdf_cuts(bench: Workbench, conditions: list[Condition], floor: float) -> Chance:
    r"""Continuous log-concave thresholds, to a tolerance: tangent cuts on each concave :math:`\log F_i`.

    .. math::
        \log(\text{floor}) \le w_i \le 0, \qquad
        w_i \le \log F_i(a) + \frac{f_i(a)}{F_i(a)} (z_i - a) \ \text{for every cut point } a, \qquad
        \sum_i w_i \ge \log p

    Each z_i is a column of its own (one row ties it to the metric), so that a cut has two entries.
    The first solve already has the cuts of :func:`tolerance_cut_points`: dense enough that the tangents
    err by at most :data:`CUT_TOLERANCE` / (n + 1) on each of the n conditions, so its package is
    usually within the tolerance at once. When it is not (HiGHS's own tolerances, or too many cuts
    needed), each condition gets a cut at its z_i and, where the cuts overstated
    :math:`\log F_i(z_i)` by e, at the points whose :math:`\log F_i` is e/4, e and 4e away, and the
    model is solved again, until the package's true P is within :data:`CUT_TOLERANCE`.
    """
    w = pyo.Var([c.name for c in conditions], bounds=(math.log(floor), 0.0))
    bench.model.add_component(_name(bench, "log_cdf"), w)
    z = pyo.Var([c.name for c in conditions])
    bench.model.add_component(_name(bench, "reach"), z)
    for condition in conditions:
        bench.add_row(z[condition.name] == condition.expression(bench.built))
    tangents: dict[str, dict[float, tuple[float, float]]] = {c.name: {} for c in conditions}

    def tangent(condition: Condition, a: float) -> int:
        log_f = condition.law.log_cdf(a)
        if not math.isfinite(log_f) or log_f >= 0 or round(a, 12) in tangents[condition.name]:
            return 0
        slope = condition.law.log_cdf_slope(a)
        tangents[condition.name][round(a, 12)] = (log_f, slope)
        bench.add_row(w[condition.name] <= log_f + slope * (z[condition.name] - a))
        return 1

    def overstated(condition: Condition, a: float, log_f: float) -> float:
        """How far the cuts so far put log F_i above its true value at a."""
        cuts = tangents[condition.name].items()
        return min([0.0, *(f + slope * (a - x) for x, (f, slope) in cuts)]) - log_f

    def cut(values: dict[str, float]) -> int:
        added = 0
        for condition in conditions:
            a = values[condition.name]
            log_f = condition.law.log_cdf(a)
            error = overstated(condition, a, log_f) if math.isfinite(log_f) else 0.0
            added += tangent(condition, a)
            for step in (error / 4, error, 4 * error) if error > 1e-12 else ():
                for q in (math.exp(log_f - step), math.exp(log_f + step)):
                    if floor < q < 1:
                        added += tangent(condition, condition.law.quantile(q))
        return added

    for condition in conditions:
        for a in tolerance_cut_points(condition.law, floor, CUT_TOLERANCE / (1 + len(conditions))):
            tangent(condition, a)
    return Chance(sum(w.values()), lambda p: math.log(p), cut)


GRID = 4000
"""Candidate cut points per condition: this many evenly spaced in z, and as many evenly spaced in log F."""
MAX_INITIAL_CUTS = 400
"""Cuts per condition before the first solve; beyond it the tolerance is loosened and rounds finish the job."""


def tolerance_cut_points(law, floor: float, error: float) -> list[float]:
    r"""Tangent points on :math:`\log F` from the floor quantile up to where :math:`\log F \ge -` ``error``,
    close enough that the tangents overstate :math:`\log F` by at most ``error`` anywhere above the floor.

    The tangents at a < b of the concave :math:`g = \log F` err most where they cross, at x; there g is
    at least the chord between the candidate points around x, so the tangent's height above that chord
    bounds the error. Above the last point, :math:`w \le 0` errs by at most :math:`-\log F`. Each next
    point is the farthest candidate within the bound; when more than :data:`MAX_INITIAL_CUTS` would be
    needed, the error is doubled.
    """
    import numpy as np

    low, high = law.quantile(floor), law.quantile(math.exp(-error))
    if not high > low:
        return [low]
    candidates = np.concatenate(
        [np.linspace(low, high, GRID), law.from_uniform(np.exp(np.linspace(math.log(floor), -error, GRID)))]
    )
    z = np.unique(np.clip(candidates[np.isfinite(candidates)], low, high))
    g, slope = law.log_cdf_and_slopes(z)
    keep = np.isfinite(g)
    z, g, slope = z[keep], g[keep], slope[keep]
    while True:
        chosen, i = [0], 0
        while i < len(z) - 1 and len(chosen) <= MAX_INITIAL_CUTS:
            i += max(1, _within(z, g, slope, i, error))
            chosen.append(i)
        if len(chosen) <= MAX_INITIAL_CUTS:
            return [float(z[i]) for i in chosen]
        error *= 2


def _within(z, g, slope, i: int, error: float) -> int:
    """How many candidates after the i-th can be the next tangent point with an error of at most ``error``."""
    import numpy as np

    zj, gj, sj = z[i + 1 :], g[i + 1 :], slope[i + 1 :]
    with np.errstate(divide="ignore", invalid="ignore"):
        cross = np.clip((gj - g[i] + slope[i] * z[i] - sj * zj) / (slope[i] - sj), z[i], zj)
    height = np.where(slope[i] > sj, g[i] + slope[i] * (cross - z[i]) - np.interp(cross, z, g), 0.0)
    beyond = height > error
    return int(np.argmax(beyond)) if beyond.any() else len(beyond)


def levels_above_floor(values, floor: float):
    """(the empirical floor quantile of the sampled ``values``, their distinct values above it, sorted)."""
    import numpy as np

    y = np.asarray(values, dtype=float)
    base = empirical_floor(y, floor)
    return base, np.unique(y[y > base])


def empirical_floor(values, floor: float) -> float:
    """The least sampled value v with at least a share ``floor`` of the samples at or below v."""
    import numpy as np

    ordered = np.sort(np.asarray(values, dtype=float))
    return float(ordered[max(0, math.ceil(floor * len(ordered) - 1e-9) - 1)])


MAX_EFFICIENT_CANDIDATES = 2048
"""Candidate points :func:`efficient_points` may weigh; beyond it the mixing set of :func:`scenario_rows` is used."""
MAX_EFFICIENT_CELLS = 4_000_000
"""Candidates times scenarios :func:`efficient_points` may hold in memory at once (about 20 MB); beyond it
the mixing set is used too."""


def efficient_points(bench: Workbench, conditions: list[Condition], scenarios: dict, floor: float) -> Chance | None:
    r"""Sample average approximation for one target, through the p-efficient points of the sample: None
    when there are more than :data:`MAX_EFFICIENT_CANDIDATES` candidates (or :data:`MAX_EFFICIENT_CELLS`
    candidates times scenarios).

    With K = :math:`\lceil pN \rceil` scenarios to meet and thresholds only (no belief on ``gives`` moving
    a metric the tier reads),
    the packages that meet enough of them are those whose z reaches one of the sample's p-efficient
    points: the least vectors e with at least K scenarios at or below e. The condition with the most
    sampled values above its floor quantile is the dependent one, d; for each combination c of values
    of the others (each at its floor quantile or a sampled value above it), the least z_d that meets
    K scenarios is the K-th smallest :math:`Y_d` among the scenarios that c meets,

    .. math::
        h(c) = \min \{ t : \#\{s : Y_i^s \le c_i \ \forall i \ne d, \ Y_d^s \le t\} \ge K \},

    and the efficient points are the combinations whose h is below that of every smaller combination.
    One binary :math:`\lambda_e` per efficient point e picks the one the package reaches:

    .. math::
        \sum_e \lambda_e = 1, \qquad z_i \ge \sum_e e_i \lambda_e \ (i \ne d), \qquad z_d \ge \sum_e h(e) \lambda_e

    Its relaxation is the convex hull of the efficient points (and everything above them), the
    tightest a linear relaxation can be, in a handful of rows: with one or two conditions sampled
    value by value and the rest taking few values, it is far smaller than the mixing set. The measure
    is the share of scenarios the chosen point meets (at least K/N for every point).
    """
    found = sample_efficient_points({c.name: scenarios[c.name] for c in conditions}, floor)
    if found is None:
        return None
    names, points, meets = found
    count = len(next(iter(scenarios.values())))
    if not names:
        return Chance(bench.model.nothing + 1.0, lambda p: 0.0)
    pick = pyo.Var(range(len(points)), domain=pyo.Binary)
    bench.model.add_component(_name(bench, "efficient_point"), pick)
    bench.add_row(sum(pick.values()) == 1)
    by_name = {c.name: c for c in conditions}
    for i, name in enumerate(names):
        bench.add_row(
            by_name[name].expression(bench.built) >= sum(float(e) * pick[k] for k, e in enumerate(points[:, i]))
        )
    measure = sum(float(n) / count * pick[k] for k, n in enumerate(meets))
    return Chance(measure, lambda p: math.ceil(p * count - 1e-9) / count - 1e-12)


def sample_efficient_points(values: dict, floor: float):
    """(condition names, efficient points (one row each, a column per name), scenarios each point meets) of
    the sample ``values`` (by condition name) for a share ``floor`` of its N scenarios, or None when more
    candidates would be weighed than :func:`efficient_points` allows. Conditions whose sampled values never
    exceed their floor quantile are left out (the floor rows hold them); the last name is the dependent one.
    """
    import numpy as np

    values = {name: np.asarray(y, dtype=float) for name, y in values.items()}
    count = len(next(iter(values.values())))
    needed = math.ceil(floor * count - 1e-9)
    grids = {}
    for name, y in values.items():
        base, levels = levels_above_floor(y, floor)
        grids[name] = np.concatenate([[base], levels])
    moving = [name for name in values if len(grids[name]) > 1]
    if not moving:
        return [], np.zeros((1, 0)), np.array([count])
    dependent = max(moving, key=lambda name: len(grids[name]))
    others = [name for name in moving if name != dependent]
    shape = tuple(len(grids[name]) for name in others)
    if math.prod(shape) > MAX_EFFICIENT_CANDIDATES or math.prod(shape) * count > MAX_EFFICIENT_CELLS:
        return None
    order = np.argsort(values[dependent], kind="stable")
    ordered = values[dependent][order]
    combinations = np.array(list(itertools.product(*(grids[name] for name in others)))).reshape(
        math.prod(shape), len(others)
    )
    met = np.ones((len(combinations), count), dtype=bool)
    for i, name in enumerate(others):
        met &= values[name][order][None, :] <= combinations[:, i][:, None]
    running = np.cumsum(met, axis=1, dtype=np.int32)
    reached = running[:, -1] >= needed
    h = np.where(reached, ordered[np.argmax(running >= needed, axis=1)], np.inf)
    grid_h = h.reshape(shape)
    efficient = reached.reshape(shape).copy()
    for axis in range(len(others)):
        below = np.concatenate([np.full_like(grid_h.take([0], axis=axis), np.inf), grid_h], axis=axis)
        efficient &= grid_h < below.take(range(shape[axis]), axis=axis)
    chosen = np.flatnonzero(efficient.ravel())
    meets = running[chosen, np.searchsorted(ordered, h[chosen], side="right") - 1]
    return [*others, dependent], np.column_stack([combinations[chosen], h[chosen]]), meets


@dataclass(frozen=True)
class ScenarioNeed:
    """A threshold on a metric that beliefs on ``gives`` move: what it requires in each scenario, and how
    each scenario moves what the package achieves (``shifts``: the carrier of a ``gives`` coefficient
    and that coefficient's deviation from the instance's number, per scenario)."""

    metric: str
    thresholds: object
    """Per scenario (a numpy array)."""
    shifts: tuple = ()


def scenario_rows(
    bench: Workbench, conditions: list[Condition], scenarios: dict, floor: float, needs: tuple = ()
) -> Chance:
    r"""Sample average approximation over N scenarios of the thresholds Y_i^s (a mixing set per condition).

    For each condition, the sampled values above its floor quantile :math:`q_i` are sorted,
    :math:`q_i = v_{i0} < v_{i1} < \dots`; binary :math:`y_{ik}` (monotone in k) says z_i reaches
    :math:`v_{ik}`. A scenario only matters through the levels it needs (:math:`r_i(s)`, the rank of
    :math:`Y_i^s`, for the conditions with :math:`Y_i^s > q_i`), so scenarios needing the same levels
    are one group g of weight :math:`n_g`: a group needing no level always holds, a group needing
    one level holds when :math:`y_{ik}` does (its weight joins that binary's coefficient :math:`c_{ik}`),
    and a group needing several holds (:math:`u_g` in [0, 1]) only if every one is reached:

    .. math::
        y_{ik} \le y_{i,k-1}, \quad z_i \ge q_i + \sum_k (v_{ik} - v_{i,k-1}) \, y_{ik}, \quad
        u_g \le y_{i, r_i(g)}, \quad
        \frac{1}{N} \Big(n_\emptyset + \sum_{i,k} c_{ik} y_{ik} + \sum_g n_g u_g\Big) \ge \frac{\lceil pN \rceil}{N}

    A threshold whose metric moves with beliefs on ``gives`` (a :class:`ScenarioNeed`) has no single
    z: in scenario s the package achieves :math:`a_m + \sum_g \delta_g^s x_g`, so its group's
    :math:`u_g` is binary and a big-M row, M the shortfall at the least the metric can be within the
    levers' bounds, switches the need off when the group fails:

    .. math::
        a_m + \sum_g \delta_g^s x_g \ge Y^s - M_s (1 - u_g)
    """
    import numpy as np

    count = len(next(iter(scenarios.values()))) if scenarios else len(needs[0].thresholds)
    reached, ranks = {}, {}
    for condition in conditions:
        y = np.asarray(scenarios[condition.name], dtype=float)
        base, levels = levels_above_floor(y, floor)
        ranks[condition.name] = np.where(y > base, np.searchsorted(levels, y), -1)
        if not len(levels):
            continue
        steps = pyo.Var(range(len(levels)), domain=pyo.Binary)
        bench.model.add_component(_name(bench, f"reached_{condition.name}"), steps)
        reached[condition.name] = steps
        for k in range(1, len(levels)):
            bench.add_row(steps[k] <= steps[k - 1])
        rises = np.diff(levels, prepend=base)
        bench.add_row(condition.expression(bench.built) >= base + sum(float(r) * steps[k] for k, r in enumerate(rises)))
    achieved = {need.metric: bench.built.achieved(need.metric) for need in needs}
    groups: dict[tuple, int] = {}
    for s in range(count):
        levels_needed = tuple((c.name, int(ranks[c.name][s])) for c in conditions if ranks[c.name][s] >= 0)
        moved = tuple(
            (n, float(need.thresholds[s]), tuple(float(d[s]) for _, d in need.shifts)) for n, need in enumerate(needs)
        )
        groups[levels_needed, moved] = groups.get((levels_needed, moved), 0) + 1
    measure = bench.model.nothing
    joint = []
    for (levels_needed, moved), weight in sorted(groups.items()):
        rows = [row for n, y, deviations in moved if (row := _moved_need(bench, needs[n], achieved, y, deviations))]
        if not rows and len(levels_needed) <= 1:
            measure = measure + weight * (reached[levels_needed[0][0]][levels_needed[0][1]] if levels_needed else 1)
        else:
            joint.append((levels_needed, rows, weight))
    if joint:
        held = pyo.Var(
            range(len(joint)), bounds=(0.0, 1.0), domain=lambda m, g: pyo.Binary if joint[g][1] else pyo.Reals
        )
        bench.model.add_component(_name(bench, "scenario_group"), held)
        for g, (levels_needed, rows, weight) in enumerate(joint):
            for name, rank in levels_needed:
                bench.add_row(held[g] <= reached[name][rank])
            for lhs, rhs, big_m in rows:
                bench.add_row(lhs >= rhs - big_m * (1 - held[g]))
            measure = measure + weight * held[g]
    return Chance(measure / count, lambda p: math.ceil(p * count - 1e-9) / count - 1e-12)


def _moved_need(bench: Workbench, need: ScenarioNeed, achieved: dict, threshold: float, deviations: tuple):
    """(what the package achieves in the scenario, its threshold, big-M), or None when it always holds."""
    lhs = achieved[need.metric] + sum(d * carrier for (carrier, _), d in zip(need.shifts, deviations, strict=True))
    shortfall = threshold - lowest(bench, lhs)
    if shortfall <= 0:
        return None
    return lhs, threshold, shortfall


def lowest(bench: Workbench, expr) -> float:
    """The least value of a linear expression of the levers within their bounds (an amount up to the lever's max)."""
    from pyomo.repn import generate_standard_repn

    repn = generate_standard_repn(expr, compute_values=True)
    ceiling = {
        id(bench.model.amount[j]): lever.max
        for j, lever in bench.instance.amount_levers.items()
        if (j in bench.model.amount)
    }
    total = float(repn.constant)
    for coefficient, var in zip(repn.linear_coefs, repn.linear_vars, strict=True):
        low, high = var.lb or 0.0, ceiling.get(id(var), var.ub)
        total += coefficient * (low if coefficient > 0 else high)
    return total
