"""What every lever kind and red-line kind must own, and the small values they share with the layers.

A kind is one object that owns, for its lever or red line: its schema (the
pydantic model in :mod:`optimizer.schema`), its numbers of the model, its
constraint family (one documented method, the math in the docstring), its
plain-Python verification, its members (what a diagnosis can name and a
relaxation loosen) and its words. The layers dispatch through the registry in
:mod:`optimizer.kinds`, never on ``kind`` strings, so a new kind that misses a
layer fails at import (an abstract method left out) and in the registry test.

Nothing here imports Pyomo or pandas: a constraint family builds its rows
through the :class:`~optimizer.model.DealModel` it is given.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from ..tolerance import tolerance

if TYPE_CHECKING:
    from ..model import DealModel
    from ..package import Package
    from ..schema import Instance

THRESHOLD = "threshold"
RED_LINE = "red_line"
LEVER_BOUND = "lever_bound"


@dataclass(frozen=True)
class Member:
    """One threshold, red line or lever bound of an instance: what a diagnosis names and a relaxation loosens."""

    key: str
    """Dotted path: the ``--set`` path of its number, or ``red_lines.R`` / ``levers.J.required``."""
    kind: str
    """demand, offer_requirement, max_cost, limit_max, limit_min, a logical red-line kind,
    lever_max or choice_required."""
    family: str
    """threshold, red_line or lever_bound."""
    name: str
    """The metric (thresholds), red line or lever it is about."""
    bound: float | None = None
    """Its number; None for a logical member, which is relaxed only by dropping it."""
    sense: str | None = None
    """'>=' when a package must reach the bound, '<=' when it must stay below it."""
    offer: str | None = None
    """The offer of an offer requirement."""

    @property
    def numeric(self) -> bool:
        return self.bound is not None

    @property
    def scale(self) -> float:
        """What a relaxation of this member is divided by: max(1, |bound|); 1 for a logical member."""
        return max(1.0, abs(self.bound)) if self.bound is not None else 1.0

    def loosened(self, amount: float) -> float:
        """The bound moved by ``amount`` in the direction that admits more packages."""
        return self.bound - amount if self.sense == ">=" else self.bound + amount


@dataclass(frozen=True)
class RedLineState:
    """A red line's value in a package, its bounds and whether it binds."""

    value: float | None
    min: float | None
    max: float | None

    @property
    def slack(self) -> float | None:
        if self.value is None:
            return None
        slacks = []
        if self.max is not None:
            slacks.append(self.max - self.value)
        if self.min is not None:
            slacks.append(self.value - self.min)
        return min(slacks) if slacks else None

    def _bound_slacks(self) -> list[tuple[float, float]]:
        """(slack, bound) for each bound, so each side is judged with its own tolerance."""
        if self.value is None:
            return []
        sides = [(self.max - self.value, self.max)] if self.max is not None else []
        return sides + ([(self.value - self.min, self.min)] if self.min is not None else [])

    @property
    def binding(self) -> bool:
        return any(abs(slack) <= tolerance(bound) for slack, bound in self._bound_slacks())

    @property
    def holds(self) -> bool:
        return all(slack >= -tolerance(bound) for slack, bound in self._bound_slacks())

    @property
    def holds_exactly(self) -> bool:
        return all(slack >= 0 for slack, _ in self._bound_slacks())


Finding = tuple[tuple, str]
"""(path in the file's data, message): a problem of the input, located."""

_PLURAL = {"constituency": "constituencies"}
MAX_LISTED = 12
"""Known names are listed in a hint only when there are this few."""


def unknown_name(entity: str, name: str, known) -> str:
    """The message for a name that refers to nothing: the nearest known name, or the known ones."""
    from ..errors import did_you_mean

    known = list(known)
    listed = f" (known: {', '.join(sorted(known))})" if len(known) <= MAX_LISTED else ""
    hint = did_you_mean(name, known) or (listed if known else f" (no {_PLURAL.get(entity, entity + 's')} are defined)")
    return f"unknown {entity} '{name}'{hint}"


@dataclass(frozen=True)
class Reference:
    """A name that a lever or red line refers to, and where: checked before anything is built."""

    field: tuple
    """Where the name stands inside the lever or red line: ("lever",), ("levers", 0), ("gives", "m")."""
    entity: str
    """What it names: lever, metric, constituency or offer."""
    name: str
    decides_use: bool = False
    """True when the red line constrains whether the named lever is used (requires, excludes, conditional)."""


class LeverKind(ABC):
    """Everything about one kind of lever: binary, integer, continuous or choice."""

    name: ClassVar[str]
    """The value of ``kind`` in the file."""
    schema: ClassVar[type]
    """Its pydantic model in :mod:`optimizer.schema`."""
    sized: ClassVar[bool] = False
    """True when its amount runs from ``min_if_used`` to ``max`` (it has an ``amount`` variable)."""
    integral: ClassVar[bool] = False
    """True when its amount is a whole number."""
    whole_number_fields: ClassVar[tuple[str, ...]] = ()
    """Fields that take only whole numbers (an integer lever's max and min_if_used)."""

    def use_is_decided(self, lever) -> bool:
        """True when ``used`` is a decision of its own; a continuous lever with a zero minimum is used
        exactly when its amount is positive."""
        return True

    @abstractmethod
    def gives_range(self, lever, metric: str) -> tuple[float, float]:
        """The least and the most it can give ``metric`` on its own, unused (0) included."""

    @abstractmethod
    def numbers(self, lever) -> Iterator[tuple[str, float, bool]]:
        """(path below the lever, value, always) of every number of the model it holds; see :mod:`optimizer.paths`."""

    @abstractmethod
    def references(self, lever) -> list[Reference]:
        """The metrics and constituencies it names."""

    def problems(self, lever) -> Iterator[Finding]:
        """Rules of its kind the schema alone cannot state, as (path below the lever, message); none by default."""
        return iter(())

    @abstractmethod
    def amount(self, model: DealModel, j: str):
        """The lever's amount as a Pyomo expression."""

    @abstractmethod
    def used(self, model: DealModel, j: str):
        """1 when the lever is used, as a Pyomo expression."""

    @abstractmethod
    def terms(self, model: DealModel, j: str, lever, part: str, key: str) -> list:
        """``(path, variable)`` pairs of what lever ``j`` adds to a metric (``part`` "gives") or a
        constituency's cost (``part`` "costs", through its curve) named ``key``; empty when nothing."""

    @abstractmethod
    def constrain(self, model: DealModel, levers: list[str]) -> None:
        """Add the rows of every lever of this kind (named in ``levers``, never empty) to the model."""

    def rounded(self, lever, used: float, amount: float) -> tuple[bool, float]:
        """(used, amount) of an amount lever from a solver's values, rounded as its kind requires."""
        raise TypeError(f"{self.name} levers have no amount variable")  # choice levers are read from their picks

    @abstractmethod
    def violations(self, j: str, lever, package: Package) -> list[str]:
        """Every rule of its kind the package breaks for lever ``j`` (bounds, integrality, picks)."""

    @abstractmethod
    def package_amount(self, j: str, package: Package) -> float:
        """Its amount in a package (a choice lever's is 1 when an option is picked)."""

    @abstractmethod
    def package_used(self, j: str, package: Package) -> int:
        """1 when it is used in a package (a choice lever: the number of options picked)."""

    @abstractmethod
    def contributions(self, j: str, lever, package: Package, part: str) -> dict[str, float]:
        """What it gives each metric (``part`` "gives") or costs each constituency ("costs") in a
        package, in plain Python, through the true cost curves; every key it names, zero when unused."""

    @abstractmethod
    def in_words(self, j: str, value: Any) -> str:
        """The lever as used in a package, in a few words: ``aircraft``, ``rice 84``, ``fund small``."""

    @abstractmethod
    def members(self, j: str, lever) -> list[Member]:
        """The lever bounds a diagnosis may name."""

    @abstractmethod
    def table_cells(self, lever, value: Any) -> dict:
        """Its ``amount`` and ``option`` cells in the package table (``value`` as in ``Package.levers()``)."""


class RedLineKind(ABC):
    """Everything about one kind of red line."""

    name: ClassVar[str]
    """The value of ``kind`` in the file."""
    schema: ClassVar[type]
    """Its pydantic model in :mod:`optimizer.schema`."""
    value_meaning: ClassVar[str]
    """What the ``value`` column of red_lines.csv holds for it."""
    numeric: ClassVar[bool] = False
    """True when it bounds a number (a cost or a sum of amounts) rather than which levers or offers are taken."""
    value_in_cost_points: ClassVar[bool] = False
    """True when its value is a political cost, in the instance's cost unit."""

    def cap(self, line) -> tuple[str, float] | None:
        """(constituency, max) when the line caps a constituency's cost."""
        return None

    def forbidden(self, line) -> list[str]:
        """The levers it rules out whatever else is chosen."""
        return []

    @abstractmethod
    def references(self, line) -> list[Reference]:
        """The levers, constituencies and offers the line names."""

    def problems(self, instance: Instance, line, path: tuple) -> Iterator[Finding]:
        """Rules of its kind that span fields, for the line at ``path`` (absolute paths); none by default."""
        return iter(())

    def numbers(self, line) -> Iterator[tuple[str, float, bool]]:
        """(path below the line, value, always) of every number of the model it holds (none by default)."""
        return iter(())

    @abstractmethod
    def constrain(self, model: DealModel, lines: list) -> None:
        """Add the rows of every line of this kind to the model (the lines are never empty)."""

    @abstractmethod
    def state(self, instance: Instance, package: Package, line, cost: dict[str, float]) -> RedLineState:
        """The line's value in the package and its bounds, in plain Python (the independent check)."""

    @abstractmethod
    def members(self, line) -> list[Member]:
        """What a diagnosis may name of the line: its numeric bounds, or the whole line."""

    @abstractmethod
    def rule(self, instance: Instance, line, member: Member) -> str:
        """What ``member`` of the line asks, in words."""

    def relaxation(self, instance: Instance, line, member: Member, change: float, moved: str) -> str:
        """A way out that moves a numeric member by ``change`` (``moved`` is "old -> new"), in words."""
        raise NotImplementedError(f"{self.name} red lines have no number to move")  # logical kinds: dropped whole
