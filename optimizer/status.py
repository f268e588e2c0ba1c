"""The fixed vocabulary of solve outcomes, and the exit code of each."""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    """What a solve came to. Carried into every table row and JSON object."""

    OPTIMAL = "optimal"
    """HiGHS proved the package optimal and the independent check passed."""
    INFEASIBLE = "infeasible"
    """No acceptable package exists: an answer about the data, not a failure."""
    TIME_LIMIT = "time_limit"
    """The time limit ran out; the best package found (if any) is reported with its gap."""
    INVALID = "invalid"
    """The input was rejected; nothing was solved."""
    ERROR = "error"
    """Solver or internal trouble, including a package that failed verification."""

    @property
    def exit_code(self) -> int:
        return {Status.OPTIMAL: 0, Status.INFEASIBLE: 1, Status.INVALID: 2}.get(self, 3)
