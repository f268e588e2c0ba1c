"""The outcome of one solve: status, the verified package, its tables, and the run's metadata."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from .errors import Problem
from .formatting import Rows
from .status import Status

if TYPE_CHECKING:  # imported where used, so that a result of bad input needs neither the schema nor the solver
    import pandas as pd

    from .evaluate import Evaluation
    from .package import Package
    from .schema import Instance


@dataclass
class Result:
    """A solve's answer. Tables are pandas DataFrames built on first use."""

    instance: Instance | None
    status: Status
    objective: float | None = None
    """Net weighted political cost of the package, recomputed from the instance."""
    gap: float | None = None
    """Relative gap HiGHS proved (0 when optimal to tolerance)."""
    evaluation: Evaluation | None = None
    """The independent check of the package (None when there is no package)."""
    verified: bool = False
    """True when the package passed the independent check."""
    message: str = ""
    """A sentence on the outcome: why infeasible, what went wrong."""
    reasons: list[str] = field(default_factory=list)
    """Details behind the message (verification failures, unreachable thresholds)."""
    errors: list[Problem] = field(default_factory=list)
    """Input problems, for status invalid."""
    warnings: list[Problem] = field(default_factory=list)
    """Input warnings (tiny or badly scaled coefficients)."""
    run: dict = field(default_factory=dict)
    """Metadata: solver, version, options, hash, file, overrides, times."""

    @property
    def package(self) -> Package | None:
        return self.evaluation.package if self.evaluation else None

    @property
    def offer(self) -> str | None:
        return self.package.offer if self.package else None

    @property
    def exit_code(self) -> int:
        return self.status.exit_code

    @cached_property
    def rows(self) -> dict[str, Rows]:
        """The tables as plain rows, which the terminal, report.md and ``--json`` show without pandas.

        When ``tables`` was given (a results folder read back), these are its rows.
        """
        if "tables" in self.__dict__:
            return {name: Rows.of(table) for name, table in self.tables.items()}
        if self.evaluation is None or self.instance is None or not self.verified:
            return {}
        from .tables import TABLES

        return {name: build(self.instance, self.evaluation) for name, build in TABLES.items()}

    @cached_property
    def tables(self) -> dict[str, pd.DataFrame]:
        """package, metrics, constituencies and red_lines as pandas DataFrames (none when there is no package)."""
        return {name: rows.frame() for name, rows in self.rows.items()}

    def to_dict(self) -> dict:
        """The JSON object of ``dealopt solve --json``."""
        out = {
            "status": str(self.status),
            "objective": _number(self.objective),
            "gap": _number(self.gap),
            "offer": self.offer,
            "package": self.package.levers() if self.package and self.verified else {},
            "verified": self.verified,
            "message": self.message,
            "reasons": list(self.reasons),
            "metrics": {},
            "constituencies": {},
            "red_lines": {},
        }
        for name, key in (("metrics", "metric"), ("constituencies", "constituency"), ("red_lines", "red_line")):
            table = self.rows.get(name)
            if table is not None:
                out[name] = {row[key]: {c: v for c, v in row.items() if c != key} for row in table.rows}
        if self.package and not self.verified:
            out["rejected_package"] = self.package.as_dict()
        if self.errors:
            out["errors"] = [p.as_dict() for p in self.errors]
        if self.warnings:
            out["warnings"] = [p.as_dict() for p in self.warnings]
        out["run"] = self.run
        return out


def _number(value: float | None) -> float | None:
    return None if value is None or (isinstance(value, float) and not math.isfinite(value)) else float(value)
