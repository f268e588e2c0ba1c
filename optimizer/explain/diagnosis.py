"""Why no package is acceptable: the conflicting set, and the ways out, in the domain's words.

:func:`diagnose` finds an irreducible conflicting set (and mentions when there
are several), then two kinds of way out, each computed with the integer
variables kept and confirmed by re-solving the relaxed instance:

- for each member of the set, the least relaxation of that member alone that
  admits an acceptable package, or "not sufficient alone" when another
  conflict remains (then the relaxation that resolves this conflict is given);
- one combined relaxation over every threshold and red line, minimising the
  sum of relative relaxations (a logical red line is dropped at a cost of 1).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import pandas as pd

from ..formatting import fmt, markdown_escape, markdown_table, plain_records
from ..instance import LoadedInstance
from ..kinds import LEVER_BOUND, Member
from ..schema import Instance
from ..solver import SolveOptions
from .conflicts import FeasibilityOracle, conflicting_sets
from .members import kept_only
from .relaxation import Relaxation, least_relaxation
from .words import member_text, package_text

MAX_SETS = 3
"""How many conflicting sets a diagnosis looks for."""


@dataclass
class WayOut:
    """The least relaxation of one member of the conflicting set."""

    member: Member
    alone: Relaxation | None
    """Relaxing this member alone, on the whole instance; None when another conflict remains."""
    in_conflict: Relaxation | None = None
    """When not sufficient alone: the relaxation that resolves this conflict (the set on its own)."""

    @property
    def sufficient_alone(self) -> bool:
        return self.alone is not None

    @property
    def relaxation(self) -> Relaxation | None:
        return self.alone or self.in_conflict


@dataclass
class Diagnosis:
    """The answer to "why is nothing acceptable?" for one instance."""

    instance: Instance
    conflicts: list[list[Member]] = field(default_factory=list)
    """Irreducible conflicting sets; the first is the one the ways out address."""
    ways_out: list[WayOut] = field(default_factory=list)
    combined: Relaxation | None = None
    """The least combined relaxation of every threshold and red line."""
    questions: int = 0
    """How many feasibility questions HiGHS answered."""

    @property
    def feasible(self) -> bool:
        """True when the instance has an acceptable package after all (nothing to diagnose)."""
        return not self.conflicts

    @property
    def several(self) -> bool:
        """True when more than one conflicting set exists: resolving the first may not be enough."""
        return len(self.conflicts) > 1 or any(not w.sufficient_alone for w in self.ways_out)

    @cached_property
    def tables(self) -> dict[str, pd.DataFrame]:
        """conflicts (one row per member of each set), ways_out and combined.

        In ways_out, ``confirmed`` says the re-solve found an acceptable package
        under that relaxation: of the whole instance when ``sufficient_alone``,
        else of the conflicting set on its own.
        """
        return {"conflicts": self._conflicts(), "ways_out": self._ways_out(), "combined": self._combined()}

    def _conflicts(self) -> pd.DataFrame:
        rows = [
            {
                "set": number,
                "member": m.key,
                "kind": m.kind,
                "family": m.family,
                "bound": m.bound,
                "statement": member_text(self.instance, m),
            }
            for number, members in enumerate(self.conflicts, start=1)
            for m in members
        ]
        return pd.DataFrame(rows, columns=["set", "member", "kind", "family", "bound", "statement"])

    def _ways_out(self) -> pd.DataFrame:
        rows = []
        for way in self.ways_out:
            relaxation = way.relaxation
            row = relaxation.rows(self.instance)[0] if relaxation and relaxation.amounts else {}
            rows.append(
                {
                    "member": way.member.key,
                    "kind": way.member.kind,
                    "bound": way.member.bound,
                    "relaxed_to": row.get("relaxed_to"),
                    "amount": row.get("amount"),
                    "relative": row.get("relative"),
                    "dropped": row.get("dropped"),
                    "sufficient_alone": way.sufficient_alone,
                    "confirmed": bool(relaxation and relaxation.restores),
                    "statement": row.get("statement", ""),
                }
            )
        columns = ["member", "kind", "bound", "relaxed_to", "amount", "relative", "dropped"]
        return pd.DataFrame(rows, columns=[*columns, "sufficient_alone", "confirmed", "statement"])

    def _combined(self) -> pd.DataFrame:
        rows = self.combined.rows(self.instance) if self.combined else []
        columns = ["member", "kind", "bound", "relaxed_to", "amount", "relative", "dropped", "statement"]
        return pd.DataFrame(rows, columns=columns)

    def files(self) -> dict[str, str | pd.DataFrame]:
        """diagnosis.md and its tables, by file name, for a results folder."""
        return {"diagnosis.md": self.to_markdown()} | {
            f"diagnosis_{name}.csv": table for name, table in self.tables.items()
        }

    def to_markdown(self) -> str:
        title = self.instance.title or self.instance.name
        lines = [f"# Why no package is acceptable: {markdown_escape(title)}", ""]
        if self.feasible:
            return "\n".join([*lines, "An acceptable package exists: there is nothing to diagnose.", ""])
        first = self.conflicts[0]
        lines += [
            "These constraints cannot all hold together; dropping any one of them resolves the conflict:",
            "",
            *(f"- {markdown_escape(member_text(self.instance, m))} (`{m.key}`)" for m in first),
            "",
        ]
        if self.several:
            lines += [_several_text(self), ""]
        lines += ["## Ways out, one at a time", ""]
        for way in self.ways_out:
            lines.append(f"- {markdown_escape(_way_out_text(self.instance, way))}")
        lines += ["", "## The least combined relaxation", ""]
        lines += _combined_lines(self)
        lines += ["", "### Tables", "", markdown_table(self.tables["ways_out"].drop(columns=["statement"]))]
        return "\n".join(lines) + "\n"

    def to_dict(self) -> dict:
        """The diagnosis as plain data (JSON-ready)."""
        return {
            "conflicts": [[m.key for m in members] for members in self.conflicts],
            "several": self.several,
            "ways_out": plain_records(self.tables["ways_out"]),
            "combined": plain_records(self.tables["combined"]),
            "combined_restores": bool(self.combined and self.combined.restores),
            "combined_score": self.combined.score if self.combined else None,
        }


def diagnose(loaded: LoadedInstance, options: SolveOptions | None = None, max_sets: int = MAX_SETS) -> Diagnosis:
    """Explain an infeasible instance: conflicting sets, each member's way out, the least combined relaxation.

    On an instance that has an acceptable package, the diagnosis is empty
    (``feasible`` is true). Raises :class:`~optimizer.explain.workbench.SolveFailed`
    when HiGHS cannot settle a question within the options' time limit.
    """
    options = options or SolveOptions()
    oracle = FeasibilityOracle(loaded, options)
    if oracle.feasible(oracle.members):
        return Diagnosis(loaded.instance, questions=oracle.questions)
    conflicts = conflicting_sets(oracle, max_sets)
    ways_out = [_way_out(oracle, conflicts[0], member) for member in conflicts[0]]
    combined = least_relaxation(loaded, [m for m in oracle.members if m.family != LEVER_BOUND], options)
    return Diagnosis(loaded.instance, conflicts, ways_out, combined, oracle.questions)


def _way_out(oracle: FeasibilityOracle, conflict: list[Member], member: Member) -> WayOut:
    """Relax ``member`` on the whole instance when that can suffice, else within its conflict only."""
    if oracle.feasible([m for m in oracle.members if m != member]):
        return WayOut(member, least_relaxation(oracle.loaded, [member], oracle.options))
    return WayOut(member, None, least_relaxation(kept_only(oracle.loaded, conflict), [member], oracle.options))


def _several_text(diagnosis: Diagnosis) -> str:
    others = diagnosis.conflicts[1:]
    if not others:
        return "Another conflict remains besides this one: resolving this set alone is not enough."
    listed = "; ".join("{" + ", ".join(f"`{m.key}`" for m in members) + "}" for members in others)
    return f"Several conflicting sets exist; resolving one is not enough. Others found: {listed}."


def _way_out_text(instance: Instance, way: WayOut) -> str:
    relaxation = way.relaxation
    if relaxation is None or not relaxation.amounts:
        return f"{member_text(instance, way.member)}: no relaxation of this member alone helps"
    text = relaxation.rows(instance)[0]["statement"]
    if not way.sufficient_alone:
        return f"{text}: not sufficient alone (another conflict remains)"
    confirmed = relaxation.confirmed
    if not relaxation.restores:
        return f"{text} (the re-solve did not confirm it: {confirmed.status})"
    best = package_text(instance, confirmed.package)
    return f"{text}; the best package is then {best}, at a net political cost of {fmt(confirmed.objective)}"


def _combined_lines(diagnosis: Diagnosis) -> list[str]:
    combined = diagnosis.combined
    if combined is None:
        return ["No relaxation of the thresholds and red lines alone admits an acceptable package."]
    lines = [f"- {markdown_escape(row['statement'])}" for row in combined.rows(diagnosis.instance)]
    lines += [
        "",
        f"Sum of relative relaxations: {fmt(combined.score)}. Applying it makes the instance solvable: "
        + ("yes" if combined.restores else "no")
        + (
            f"; the best package is then {markdown_escape(package_text(diagnosis.instance, combined.confirmed.package))}"
            f" at a net political cost of {fmt(combined.confirmed.objective)}."
            if combined.restores
            else "."
        ),
    ]
    return lines
