"""The output contract: names that readers of dealopt's tables and folders rely on, each defined once.

Everything that writes or reads a results folder, a sweep's tables or a
result's columns imports these names instead of spelling them out:

- column prefixes, so that user names (a metric called ``status``) never
  collide with ours: ``param:<path>``, ``net:<constituency>``,
  ``achieved:<metric>``, ``gives:<metric>``, ``costs:<constituency>``, and the
  columns a sweep's ``options:`` adds: ``chance:<field>``, ``frontier:<name>``,
  ``sensitivity:<path>:<field>``;
- the weighted net value of a constituency, whose sum over constituencies is
  the objective;
- the file names of a single solve's results folder, and which keys of a
  result's ``run`` change from one run to the next (they go to ``run.json``,
  never into the committed ``summary.json``).

This module imports nothing, so any layer may use it.
"""

from __future__ import annotations

PARAM = "param:"
"""A sweep's scenarios table: the value of a swept parameter, ``param:<dotted path>``."""
NET = "net:"
"""A sweep's scenarios table: a constituency's net cost (cost - benefit), ``net:<constituency>``."""
ACHIEVED = "achieved:"
"""A sweep's scenarios table: what the package achieves on a counterpart metric, ``achieved:<metric>``."""
GIVES = "gives:"
"""package.csv: what a lever contributes to a metric, ``gives:<metric>``."""
COSTS = "costs:"
"""package.csv: what a lever costs a constituency, ``costs:<constituency>``."""
CHANCE = "chance:"
"""A sweep's scenarios table, under options chance or robust: the answer's chance of acceptance, ``chance:<field>``."""
FRONTIER = "frontier:"
"""A sweep's scenarios table, under options frontier: a frontier summary column, ``frontier:<name>``."""
SENSITIVITY = "sensitivity:"
"""A sweep's scenarios table, under options sensitivity: ``sensitivity:<dotted path>:<field>`` of a number's interval."""
WEIGHTED_NET = "weighted_net:"
"""A sweep's cost curves: a constituency's weighted net value, weight x (cost - benefit), ``weighted_net:<constituency>``."""


def weighted_net(weight: float, cost: float, benefit: float) -> float:
    """A constituency's weighted net cost, weight x (cost - benefit); these sum to the objective."""
    return weight * (cost - benefit)


SUMMARY = "summary.json"
"""The result as ``--json`` prints it, without the run's times; marks a folder as dealopt's to replace."""
RUN = "run.json"
"""The volatile part of the run (start time, seconds): beside summary.json, never committed."""
REPORT = "report.md"
BRIEF = "brief.json"
"""The negotiation brief of a solve (:mod:`optimizer.brief`), full precision: what review and report open with."""
BRIEF_MARKDOWN = "brief.md"
"""The same brief as Markdown, for pasting into a memo."""
INSTANCE = "instance.yaml"
"""The resolved instance after overrides: solving it reproduces the run."""
TABLES = ("package", "metrics", "constituencies", "red_lines")
"""The tables of a single solve, each written as ``<name>.csv``."""
DIAGNOSIS = "diagnosis"
"""Prefix of the diagnosis files of an infeasible instance: ``diagnosis.md``, ``diagnosis_<table>.csv``."""
EXPLAIN = "explain"
"""Prefix of the files ``dealopt explain`` adds: ``explain.md``, ``explain_<table>.csv``."""


def table_file(name: str, prefix: str | None = None) -> str:
    """The CSV file of a table: ``package.csv``, or ``diagnosis_conflicts.csv`` under a prefix."""
    return f"{prefix}_{name}.csv" if prefix else f"{name}.csv"


VOLATILE_RUN_KEYS = ("started_at", "solve_seconds", "total_seconds")
"""Keys of a result's ``run`` that differ between two runs of the same input."""


def split_run(run: dict) -> tuple[dict, dict]:
    """``run`` as (what is the same on every run of the same input, what is not)."""
    stable = {key: value for key, value in run.items() if key not in VOLATILE_RUN_KEYS}
    volatile = {key: run[key] for key in VOLATILE_RUN_KEYS if key in run}
    return stable, volatile
