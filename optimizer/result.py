"""The outcome of one solve: status, the verified package, its tables, and the run's metadata."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property

import pandas as pd

from .errors import Problem
from .evaluate import Evaluation
from .formatting import plain
from .package import Package
from .schema import Instance
from .status import Status
from .tables import TABLES


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
    def tables(self) -> dict[str, pd.DataFrame]:
        """package, metrics, constituencies and red_lines tables (empty when there is no package)."""
        if self.evaluation is None or self.instance is None or not self.verified:
            return {}
        return {name: build(self.instance, self.evaluation) for name, build in TABLES.items()}

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
            table = self.tables.get(name)
            if table is not None:
                out[name] = {
                    row[key]: {c: plain(v) for c, v in row.items() if c != key} for row in table.to_dict("records")
                }
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
