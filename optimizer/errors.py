"""Input problems, reported together and located by file, line and field path."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

WHOLE_DOCUMENT = "(document)"
"""The path shown for a problem with the file as a whole (empty, not YAML, too big)."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: where it is and what to do about it."""

    file: str
    line: int | None
    path: str
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.path or WHOLE_DOCUMENT}: {self.message}"

    def as_dict(self) -> dict:
        return asdict(self)


MAX_PROBLEMS = 100
"""At most this many problems are listed: a hostile file can have hundreds of thousands."""


class InputError(Exception):
    """Bad input: one or more problems, none of which were acted on.

    ``note`` is said after the problems, on what the command did not do
    ("nothing was solved or written").
    """

    def __init__(self, problems: Iterable[Problem], note: str = ""):
        self.note = note
        problems = sorted(problems, key=lambda p: (p.file, p.line if p.line is not None else 0, p.path, p.message))
        if len(problems) > MAX_PROBLEMS:
            note = Problem(
                problems[0].file, 1, "", f"more than {MAX_PROBLEMS} problems; the first {MAX_PROBLEMS} follow"
            )
            problems = [note, *problems[:MAX_PROBLEMS]]
        self.problems = problems
        super().__init__("\n".join(str(p) for p in self.problems))


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A ' (did you mean X?)' hint when a close match exists, else ''."""
    import difflib  # only when something is misspelt: it is slow to import

    close = difflib.get_close_matches(str(word), sorted(map(str, choices)), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def each_or_every_problem(function: Callable[[T], R], items: Iterable[T]) -> list[R]:
    """``function`` applied to each item; when any raises InputError, one InputError with all their problems."""
    results, problems = [], []
    for item in items:
        try:
            results.append(function(item))
        except InputError as err:
            problems += err.problems
    if problems:
        raise InputError(problems)
    return results
