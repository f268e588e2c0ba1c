"""The fixed vocabulary of solve outcomes, and the exit codes of the command line."""

from __future__ import annotations

from enum import IntEnum, StrEnum


class ExitCode(IntEnum):
    """What ``dealopt`` exits with; the same meaning in every command."""

    OK = 0
    """Optimal or valid, walk-away answers included; a curve or frontier stopped at --max-points (partial)."""
    INFEASIBLE = 1
    """No acceptable package: an answer about the data."""
    INVALID = 2
    """Invalid input or usage (a sweep folder held by a running sweep included); nothing was solved."""
    FAILED = 3
    """A time limit (even with a package), a solver error, a failed verification, a sweep scenario in error."""
    INTERRUPTED = 130
    """Ctrl-C or SIGTERM."""


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
    PARTIAL = "partial"
    """A curve or frontier stopped at --max-points: every point shown is proved, the rest was not sought."""

    @property
    def exit_code(self) -> ExitCode:
        return {
            Status.OPTIMAL: ExitCode.OK,
            Status.PARTIAL: ExitCode.OK,
            Status.INFEASIBLE: ExitCode.INFEASIBLE,
            Status.INVALID: ExitCode.INVALID,
        }.get(self, ExitCode.FAILED)
