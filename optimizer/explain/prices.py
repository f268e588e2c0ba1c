"""What each counterpart threshold and each red line costs at the optimum, found by re-solving.

MILPs have no useful duals, so every price here is a difference between
verified optimal solves of edited instances:

- a **threshold's price** is the marginal cost of raising it. The optimal cost
  as a function of the threshold is piecewise linear and may jump (an
  all-or-nothing lever); from the current value it is ``jump + price * x``
  for a raise of ``x`` up to ``holds_until``. It is measured by solving at
  two small raises, then growing the raise fourfold while the cost stays on
  that line, then narrowing down where it leaves the line (first trying the
  intersection with the next piece, then bisection);
- a threshold's **drop saving** is the optimum minus the optimum without it;
- a **red line's price** is the optimum minus the optimum without it ("this
  red line costs you N points"), with the package you would offer instead.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from ..api import solve_loaded
from ..formatting import fmt
from ..instance import LoadedInstance
from ..kinds import RED_LINE, THRESHOLD, Member
from ..result import Result
from ..schema import MAX_MAGNITUDE
from ..solver import SolveOptions
from ..status import Status
from ..tolerance import tolerance
from .members import edited, members_of
from .words import member_text, package_text, quantity
from .workbench import SolveFailed

FIRST_STEP = 1e-3
"""The first raise, relative to max(1, |threshold|)."""
GROWTH = 4.0
PRECISION = 1e-6
"""How closely the end of a price's range is located, relative to max(1, |threshold|)."""
MAX_NARROWING = 60
ON_LINE = 1e-8
"""Relative difference under which a re-solved cost counts as on the current line."""


@dataclass(frozen=True)
class Piece:
    """The optimal cost after raising a threshold by x: optimum + jump + price * x, for 0 < x <= reach."""

    price: float | None
    """Cost per unit of raise; None when the threshold cannot be raised at all."""
    jump: float
    """A step in cost as soon as the threshold is raised at all (an all-or-nothing lever)."""
    reach: float
    """How far the threshold can be raised before the price changes (inf: never)."""
    ends: str
    """What happens beyond the reach: 'kink' (another price), 'infeasible' (no acceptable package), 'never'."""


@dataclass
class ThresholdPrice:
    """What one counterpart threshold costs at the optimum."""

    member: Member
    achieved: float
    piece: Piece
    without: Result
    """The optimum with the threshold dropped."""
    optimum: float

    @property
    def binding(self) -> bool:
        return abs(self.achieved - self.member.bound) <= tolerance(self.member.bound)

    @property
    def drop_saving(self) -> float:
        return _saving(self.optimum, self.without)

    @property
    def holds_until(self) -> float:
        return self.member.bound + self.piece.reach


@dataclass
class RedLinePrice:
    """What one red line costs at the optimum, and what you would offer without it."""

    name: str
    kind: str
    without: Result
    optimum: float

    @property
    def saving(self) -> float:
        return _saving(self.optimum, self.without)


def _saving(optimum: float, without: Result) -> float:
    saving = optimum - without.objective
    return 0.0 if abs(saving) <= tolerance(optimum) else saving


def threshold_prices(loaded: LoadedInstance, optimum: Result, options: SolveOptions) -> list[ThresholdPrice]:
    """The price of raising, and the saving of dropping, every demand and every offer's requirement."""
    prices = []
    for member in (m for m in members_of(loaded.instance) if m.family == THRESHOLD):
        achieved = optimum.evaluation.achieved[member.name]
        constrains = member.kind == "demand" or optimum.offer == member.offer
        if constrains:
            piece = _first_piece(_value_function(loaded, member, options), member, optimum.objective, achieved)
        else:  # another offer's threshold: the optimum stays feasible however high it goes
            piece = Piece(0.0, 0.0, math.inf, "never")
        without = _solved(edited(loaded, drop=[member]), options)
        prices.append(ThresholdPrice(member, achieved, piece, without, optimum.objective))
    return prices


def red_line_prices(loaded: LoadedInstance, optimum: Result, options: SolveOptions) -> list[RedLinePrice]:
    """How much the optimum improves without each red line, and the package it would take."""
    members = [m for m in members_of(loaded.instance) if m.family == RED_LINE]
    prices = []
    for line in loaded.instance.red_lines:
        without = _solved(edited(loaded, drop=[m for m in members if m.name == line.name]), options)
        prices.append(RedLinePrice(line.name, line.kind, without, optimum.objective))
    return prices


def _solved(loaded: LoadedInstance, options: SolveOptions) -> Result:
    result = solve_loaded(loaded, options)
    if result.status not in (Status.OPTIMAL, Status.INFEASIBLE):
        raise SolveFailed(f"a re-solve for the prices ended {result.status}: {result.message}")
    return result


def _value_function(loaded: LoadedInstance, member: Member, options: SolveOptions) -> Callable[[float], float | None]:
    """The optimal cost with the threshold raised by x (None when nothing is acceptable then)."""

    def value_at(raise_by: float) -> float | None:
        result = _solved(edited(loaded, values={member: member.bound + raise_by}), options)
        return result.objective if result.status == Status.OPTIMAL else None

    return value_at


def _first_piece(value_at, member: Member, optimum: float, achieved: float) -> Piece:
    """The line the optimal cost follows as the threshold rises from its value, and where it ends."""
    scale = member.scale
    horizon = MAX_MAGNITUDE - member.bound
    slack = achieved - member.bound
    if slack > tolerance(member.bound):  # the optimum itself stays feasible until the slack is used up
        line = _Line(member.bound, 0.0, optimum, 0.0)
        good = min(slack, horizon)
    elif horizon <= 0:  # the threshold is at the format's ceiling already
        return Piece(None, 0.0, 0.0, "never")
    else:
        step = min(FIRST_STEP * scale, horizon / 2)
        first, second = value_at(step), value_at(2 * step)
        if first is None:
            return Piece(None, 0.0, 0.0, "infeasible")
        if second is None:
            return Piece((first - optimum) / step, 0.0, step, "infeasible")
        line = _Line(member.bound, step, first, (second - first) / step)
        good = 2 * step
    bad, beyond = None, None
    while bad is None and good < horizon:
        x = min(GROWTH * good, horizon)
        value = value_at(x)
        if line.holds(x, value):
            good = x
            line.refit(x, value)
        else:
            bad, beyond = x, value
    if bad is None:
        return line.piece(optimum, math.inf, "never")
    good, bad, beyond = _narrow(value_at, line, good, bad, beyond, scale)
    return line.piece(optimum, good, "infeasible" if beyond is None else "kink")


def _narrow(value_at, line: _Line, good: float, bad: float, beyond: float | None, scale: float):
    """Shrink [good, bad] around the end of the line: the next piece's intersection first, then bisection."""
    if beyond is not None:
        far = bad + (bad - good)
        far_value = value_at(far)
        if far_value is not None and far > bad:
            next_price = (far_value - beyond) / (far - bad)
            if abs(next_price - line.price) > 1e-12:
                corner = (beyond - next_price * bad - line.value + line.price * line.at) / (line.price - next_price)
                after = corner + PRECISION * scale
                if good < corner < bad and line.holds(corner, value_at(corner)):
                    after_value = value_at(after)
                    if not line.holds(after, after_value):
                        return corner, after, after_value
    for _ in range(MAX_NARROWING):
        if bad - good <= PRECISION * scale:
            break
        middle = (good + bad) / 2
        value = value_at(middle)
        if line.holds(middle, value):
            good = middle
        else:
            bad, beyond = middle, value
    return _round_end(value_at, line, good, bad, beyond)


def _round_end(value_at, line: _Line, good: float, bad: float, beyond: float | None):
    """Prefer a round number for the end when one lies in [good, bad] and is still on the line."""
    for digits in (3, 6, 9):
        candidate = float(f"{line.threshold + bad:.{digits}g}") - line.threshold
        if good < candidate < bad:
            if line.holds(candidate, value_at(candidate)):
                return candidate, bad, beyond
            break
    return good, bad, beyond


class _Line:
    """The current piece of the cost curve: through (at, value) with slope price, x a raise of threshold."""

    def __init__(self, threshold: float, at: float, value: float, price: float):
        self.threshold = threshold
        self.at, self.value, self.price = at, value, price

    def holds(self, x: float, value: float | None) -> bool:
        """True when the cost ``value`` at a raise of ``x`` lies on the line (to solver precision)."""
        if value is None:
            return False
        expected = self.value + self.price * (x - self.at)
        return abs(value - expected) <= ON_LINE * max(1.0, abs(value), abs(self.value))

    def refit(self, x: float, value: float) -> None:
        """Re-estimate the slope from the farthest point known to be on the line."""
        if x > self.at:
            self.price = (value - self.value) / (x - self.at)

    def piece(self, optimum: float, reach: float, ends: str) -> Piece:
        jump = self.value - self.price * self.at - optimum
        jump = 0.0 if abs(jump) <= 10 * tolerance(optimum) else jump
        price = 0.0 if abs(self.price) <= 1e-9 else self.price
        return Piece(price, jump, reach, ends)


def threshold_table(loaded: LoadedInstance, prices: list[ThresholdPrice]) -> pd.DataFrame:
    """One row per threshold: value, achieved, binding, price per unit, jump, range, drop saving, in words."""
    instance = loaded.instance
    rows = [
        {
            "threshold": p.member.key,
            "metric": p.member.name,
            "offer": p.member.offer,
            "value": p.member.bound,
            "achieved": p.achieved,
            "binding": p.binding,
            "price_per_unit": p.piece.price,
            "jump": p.piece.jump,
            "holds_until": p.holds_until,
            "beyond": p.piece.ends,
            "drop_saving": p.drop_saving,
            "package_without": _package_or_none(instance, p.without),
            "statement": _threshold_sentence(instance, p),
        }
        for p in prices
    ]
    columns = ["threshold", "metric", "offer", "value", "achieved", "binding", "price_per_unit", "jump"]
    columns += ["holds_until", "beyond", "drop_saving", "package_without", "statement"]
    return pd.DataFrame(rows, columns=columns)


def red_line_table(loaded: LoadedInstance, prices: list[RedLinePrice]) -> pd.DataFrame:
    """One row per red line: what dropping it would save, and the package you would offer instead."""
    instance = loaded.instance
    rows = []
    for p in prices:
        line = instance.red_line(p.name)
        rows.append(
            {
                "red_line": p.name,
                "kind": p.kind,
                "label": line.label or p.name,
                "saving": p.saving,
                "objective_without": p.without.objective,
                "offer_without": p.without.offer,
                "package_without": _package_or_none(instance, p.without),
                "statement": _red_line_sentence(instance, p),
            }
        )
    columns = ["red_line", "kind", "label", "saving", "objective_without", "offer_without", "package_without"]
    return pd.DataFrame(rows, columns=[*columns, "statement"])


def _package_or_none(instance, result: Result) -> str | None:
    return package_text(instance, result.package) if result.package else None


def _threshold_sentence(instance, p: ThresholdPrice) -> str:
    unit = instance.metrics[p.member.name].unit
    what = member_text(instance, p.member)
    piece = p.piece
    if piece.price is None:
        raising = "it cannot be raised at all: no package would then be acceptable"
    else:
        per = f"{fmt(piece.price)} points per {unit or 'unit'}" if piece.price else "nothing"
        if piece.jump:
            per = f"{fmt(piece.jump)} points at once, then {'nothing more' if not piece.price else per}"
        until = "however high it goes" if piece.ends == "never" else f"up to {quantity(p.holds_until, unit)}"
        after = {"kink": ", then the price changes", "infeasible": ", beyond which nothing is acceptable"}
        raising = f"raising it costs {per} {until}{after.get(piece.ends, '')}"
    dropping = (
        f"dropping it would save {fmt(p.drop_saving)} points" if p.drop_saving else "dropping it would save nothing"
    )
    return f"{what}: {raising}; {dropping}"


def _red_line_sentence(instance, p: RedLinePrice) -> str:
    line = instance.red_line(p.name)
    name = line.label or line.name
    if not p.saving:
        return f"{name} costs you nothing: the optimum does not change without it"
    instead = package_text(instance, p.without.package)
    return f"{name} costs you {fmt(p.saving)} points: without it you would offer {instead}"
