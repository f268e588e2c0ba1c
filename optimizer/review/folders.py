"""Reading results folders back: a single solve's or a sweep's, as written by ``solve --out`` and ``sweep --out``.

A single-solve folder holds ``summary.json``, ``instance.yaml`` and the table
CSVs (with the ``diagnosis_*.csv`` of an infeasible instance); it is read into the :class:`~optimizer.result.Result` that ``solve``
printed, with the folder's own tables. A sweep folder holds
``scenarios.parquet`` (or ``scenarios.csv``: ``id``, ``status``,
``objective``, ``gap``, ``offer``, ``param:<path>``, ``net:<constituency>``,
``achieved:<metric>``), ``levers.parquet`` (or ``levers.csv``: ``id``,
``lever``, ``amount``, ``option``) and ``manifest.json``. Its base instance
(the file named by the manifest's ``base.file``, while it still has
``base.content_hash``) gives labels and units, and lets one scenario be
re-evaluated or re-solved.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd

from .. import contract
from ..brief import Brief
from ..errors import InputError, Problem
from ..evaluate import evaluate
from ..formatting import plain, plain_records
from ..instance import LoadedInstance, apply_overrides, content_hash, load
from ..reference import package_from_summary
from ..result import Result
from ..save import TABLE_FILES
from ..status import Status
from .cells import decoded
from .labels import Labels
from .states import PackageState

TEXT_COLUMNS = {
    "lever",
    "label",
    "kind",
    "group",
    "option",
    "unit",
    "source",
    "note",
    "metric",
    "constituency",
    "red_line",
    "reason",
    "member",
    "family",
    "statement",
}
"""Columns of the single-solve CSVs read as text, so a name such as ``NA`` or ``null`` stays a name."""

PARAM_PREFIX = "param:"
SCENARIO_SEPARATOR = "#"
OPTION_PREFIX = "options."
"""A swept solve option (``param:options.chance``): it changes how a scenario was solved, not its instance."""
MAX_CANDIDATES = 10
"""An ambiguous scenario id lists at most this many candidates."""


class ReviewError(Exception):
    """Something review cannot use: a missing or malformed folder, file or argument; shown as ``where: message``."""

    def __init__(self, where: str | Path, message: str):
        self.where = str(where)
        self.message = message
        super().__init__(f"{where}: {message}")


@dataclass
class SolveFolder:
    """A single solve's results folder: its summary, and the Result it records, tables read from the CSVs."""

    path: Path
    summary: dict
    result: Result
    diagnosis: dict[str, pd.DataFrame] = field(default_factory=dict)
    """Why nothing is acceptable, when solve diagnosed it: the diagnosis tables by name (``conflicts``, ...)."""

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def tables(self) -> dict[str, pd.DataFrame]:
        return self.result.tables

    @property
    def labels(self) -> Labels:
        return Labels(self.result.instance)

    @cached_property
    def brief(self) -> Brief | None:
        """The negotiation brief ``solve`` wrote (brief.json), or None when the folder has none."""
        path = self.path / contract.BRIEF
        if not path.exists():
            return None
        try:
            return Brief.from_dict(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError) as err:
            raise ReviewError(path, f"cannot be read: {err}") from None

    @property
    def brief_hint(self) -> str:
        """How to make the brief of a folder that has none."""
        source = self.result.run.get("instance", {}).get("file") or "INSTANCE.yaml"
        return (
            f"no {contract.BRIEF} in {self.path}: `dealopt solve {source} --out {self.path}` writes the brief "
            "(unless --no-brief)"
        )


@dataclass
class SweepFolder:
    """A sweep's results folder: one row per scenario, the levers each scenario uses, and the manifest."""

    path: Path
    manifest: dict
    scenarios: pd.DataFrame
    levers: pd.DataFrame
    base: LoadedInstance | None = None
    """The base instance, when it could be found (and still matches the manifest's hash)."""
    base_problem: str = ""
    """Why there is no base instance."""
    _results: dict = field(default_factory=dict, init=False, repr=False)

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def parameters(self) -> list[str]:
        """The swept parameters: dotted paths into the instance, in column order."""
        return [c.removeprefix(PARAM_PREFIX) for c in self.scenarios.columns if c.startswith(PARAM_PREFIX)]

    @property
    def constituencies(self) -> list[str]:
        return [c.removeprefix("net:") for c in self.scenarios.columns if c.startswith("net:")]

    @property
    def labels(self) -> Labels:
        return Labels(self.base.instance if self.base else None)

    def require_base(self, purpose: str) -> LoadedInstance:
        """The base instance, or a ReviewError saying why ``purpose`` needs it and why it is missing."""
        if self.base is None:
            raise ReviewError(self.path, f"{purpose} needs the sweep's base instance: {self.base_problem}")
        return self.base

    def row(self, scenario_id) -> dict:
        """One scenario's row; ``scenario_id`` may be the id or its text."""
        matches = self.scenarios[self.scenarios["id"].astype(str) == str(scenario_id)]
        if matches.empty:
            raise ReviewError(self.path, f"no scenario with id {scenario_id}")
        return plain_records(matches)[0]

    def scenario_id(self, text: str) -> str:
        """The id ``text`` names: an id, a scenario's name, or the start of exactly one id (as git takes a hash).

        An ambiguous start is an error listing the candidates.
        """
        ids = [str(i) for i in self.scenarios["id"]]
        if text in ids:
            return text
        if "name" in self.scenarios.columns:
            named = [i for i, name in zip(ids, self.scenarios["name"], strict=True) if name == text]
            if len(named) == 1:
                return named[0]
        starting = [i for i in ids if i.startswith(text)] if text else []
        if len(starting) == 1:
            return starting[0]
        if starting:
            shown = ", ".join(sorted(starting)[:MAX_CANDIDATES])
            more = f" and {len(starting) - MAX_CANDIDATES} more" if len(starting) > MAX_CANDIDATES else ""
            raise ReviewError(
                self.path, f"scenario id '{text}' is ambiguous: {len(starting)} ids start with it ({shown}{more})"
            )
        raise ReviewError(self.path, f"no scenario with id {text}")

    def overrides(self, row: dict, *, with_options: bool = False) -> list[tuple[str, Any]]:
        """The ``(path, value)`` overrides that make a scenario from the base instance.

        A missing value means the base sets nothing there. A parameter column
        mixing numbers with other values holds JSON text (``null`` removes an entry); it is decoded.
        Swept solve options (``options.*``) are not overrides of the instance: they are left out
        unless ``with_options``.
        """
        values = [
            (p, row.get(PARAM_PREFIX + p)) for p in self.parameters if with_options or not p.startswith(OPTION_PREFIX)
        ]
        return [(p, decoded(v)) for p, v in values if v is not None]

    @property
    def spec(self) -> dict:
        """The sweep spec as the manifest keeps it (empty when it keeps none)."""
        return (self.manifest.get("spec") or {}).get("content") or {}

    def spec_paths(self, block: str) -> list[str]:
        """The paths a block of the sweep's spec sets: ``grid``'s keys, or ``sample``'s ranges."""
        found = self.spec.get(block)
        if block == "sample" and isinstance(found, dict):
            found = found.get("ranges")
        return list(found) if isinstance(found, dict) else []

    @property
    def sampled(self) -> list[str]:
        """The swept paths drawn by the spec's ``sample`` block: neighbouring draws differ in every one of
        them, so no switch point is sought along them."""
        return [p for p in self.spec_paths("sample") if p in self.parameters]

    @property
    def sweep_options(self):
        """The spec's ``options:`` block (each scenario's swept options go on top of it)."""
        from ..sweep.spec import Options

        return Options.model_validate(self.spec.get("options") or {})

    @property
    def solve_options(self) -> dict[str, Any]:
        """The sweep's time limit and gap, as keyword arguments of :func:`optimizer.solve`."""
        options = self.manifest.get("options") or {}
        return {"time_limit": options.get("time_limit"), "gap": options.get("mip_rel_gap", 1e-9)}

    @cached_property
    def packages(self) -> dict[str, dict[str, float | str]]:
        """Scenario id (as text) -> used lever -> amount, or option for a choice lever."""
        packages: dict[str, dict[str, float | str]] = {}
        for entry in self.levers.to_dict("records"):
            option, amount = plain(entry.get("option")), plain(entry.get("amount"))
            if option is None and not amount:
                continue
            packages.setdefault(str(entry["id"]), {})[entry["lever"]] = option if option is not None else amount
        return packages

    def state(self, row: dict) -> PackageState:
        """What a scenario's answer was: status, offer and package."""
        status = str(row["status"])
        has_package = status in PackageState.WITH_PACKAGE and row.get("objective") is not None
        return PackageState(
            status,
            row.get("offer") if has_package else None,
            self.packages.get(str(row["id"]), {}) if has_package else {},
            has_package,
        )

    def scenario_result(self, scenario_id) -> Result:
        """A scenario as a Result of the base instance with its overrides, its package re-evaluated (cached)."""
        key = str(scenario_id)
        if key not in self._results:
            row = self.row(scenario_id)
            base = self.require_base(f"scenario {key}")
            overrides = self.overrides(row)
            try:
                instance = apply_overrides(base, overrides).instance
            except InputError as err:
                raise ReviewError(self.path, f"scenario {key}: {err.problems[0]}") from None
            state = self.state(row)
            evaluation = None
            if state.has_package:
                evaluation = evaluate(instance, package_from_summary(instance, state.as_summary()))
            self._results[key] = Result(
                instance,
                Status(row["status"]),
                objective=row.get("objective"),
                gap=row.get("gap"),
                evaluation=evaluation,
                verified=bool(row.get("verified", evaluation is not None and evaluation.acceptable)),
                message=row.get("message") or "",
                run={"instance": {"name": instance.name, "overrides": [f"{p}={v}" for p, v in overrides]}},
            )
        return self._results[key]


def read_folder(path: str | Path) -> SolveFolder | SweepFolder:
    """Read a results folder: a sweep's (scenarios.parquet or manifest.json) or a single solve's (summary.json)."""
    path = Path(path)
    if not path.is_dir():
        raise ReviewError(path, "no such results folder")
    if (path / "scenarios.parquet").exists() or (path / "manifest.json").exists():
        return read_sweep_folder(path)
    if (path / "summary.json").exists():
        return read_solve_folder(path)
    raise ReviewError(
        path, "not a results folder: expected summary.json (dealopt solve) or scenarios.parquet (dealopt sweep)"
    )


def read_outcome(text: str | Path) -> tuple[str, Result]:
    """``DIR`` (a single solve) or ``DIR#ID`` (one scenario of a sweep): a name for it and its Result.

    ``ID`` may be a scenario's name or the start of one id (see :meth:`SweepFolder.scenario_id`).
    """
    folder_text, _, scenario = str(text).partition(SCENARIO_SEPARATOR)
    folder = read_folder(folder_text)
    if isinstance(folder, SolveFolder):
        if scenario:
            raise ReviewError(text, "is a single solve; '#ID' picks a scenario of a sweep folder")
        return folder.name, folder.result
    if not scenario:
        raise ReviewError(
            text, "is a sweep folder: pick a scenario with DIR#ID (an id, its first characters or a name)"
        )
    scenario = folder.scenario_id(scenario)
    return f"{folder.name}{SCENARIO_SEPARATOR}{scenario}", folder.scenario_result(scenario)


def read_solve_folder(path: Path) -> SolveFolder:
    summary = read_json(path / "summary.json")
    try:
        instance = load(path / "instance.yaml").instance
    except InputError as err:
        raise ReviewError(path / "instance.yaml", "; ".join(p.message for p in err.problems)) from None
    tables = {name: read_table(path / f"{name}.csv") for name in TABLE_FILES if (path / f"{name}.csv").exists()}
    diagnosis = {found.stem.removeprefix("diagnosis_"): read_table(found) for found in path.glob("diagnosis_*.csv")}
    try:
        evaluation = evaluate(instance, package_from_summary(instance, summary)) if "package" in tables else None
        result = Result(
            instance,
            Status(summary["status"]),
            objective=summary["objective"],
            gap=summary["gap"],
            evaluation=evaluation,
            verified=summary["verified"],
            message=summary["message"],
            reasons=list(summary["reasons"]),
            warnings=[Problem(**w) for w in summary.get("warnings", [])],
            run=summary["run"],
        )
    except (KeyError, ValueError, TypeError) as err:
        raise ReviewError(path / "summary.json", f"not a dealopt summary ({type(err).__name__}: {err})") from None
    result.tables = tables  # the folder's own tables, exactly as solve wrote them
    return SolveFolder(path, summary, result, diagnosis)


def read_sweep_folder(path: Path) -> SweepFolder:
    manifest = read_json(path / "manifest.json") if (path / "manifest.json").exists() else {}
    scenarios = _read_frame(path, "scenarios", required=("id", "status"))
    levers = _read_frame(path, "levers", required=("id", "lever", "amount", "option"))
    base, problem = _base_instance(manifest)
    return SweepFolder(path, manifest, scenarios, levers, base, problem)


def read_json(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ReviewError(path, "missing") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ReviewError(path, f"cannot be read as JSON: {err}") from None
    if not isinstance(data, dict):
        raise ReviewError(path, "expected a JSON object")
    return data


def read_table(path: Path) -> pd.DataFrame:
    """A single-solve CSV, text columns as text and only empty cells missing."""
    try:
        header = pd.read_csv(path, nrows=0).columns
        text = {c: str for c in header if c in TEXT_COLUMNS}
        return pd.read_csv(path, dtype=text, keep_default_na=False, na_values=[""])
    except (OSError, ValueError, pd.errors.ParserError) as err:
        raise ReviewError(path, f"cannot be read as CSV: {err}") from None


def _read_frame(folder: Path, name: str, required: tuple[str, ...]) -> pd.DataFrame:
    parquet, csv = folder / f"{name}.parquet", folder / f"{name}.csv"
    try:
        if parquet.exists():
            frame, where = pd.read_parquet(parquet), parquet
        elif csv.exists():
            frame, where = pd.read_csv(csv, keep_default_na=False, na_values=[""]), csv
        else:
            raise ReviewError(parquet, "missing: the sweep has not finished, or this is not a sweep folder")
    except (OSError, ValueError) as err:
        raise ReviewError(parquet if parquet.exists() else csv, f"cannot be read: {err}") from None
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise ReviewError(where, f"missing column(s) {', '.join(missing)}")
    return frame


def _base_instance(manifest: dict) -> tuple[LoadedInstance | None, str]:
    """The sweep's base instance: the file the manifest's ``base.file`` names, if it still has ``base.content_hash``."""
    recorded = manifest.get("base") if isinstance(manifest.get("base"), dict) else {}
    if not recorded.get("file"):
        return None, "manifest.json names no base.file"
    try:
        loaded = load(recorded["file"])
    except InputError as err:
        return None, f"{err.problems[0]}"
    expected = recorded.get("content_hash")
    if expected and content_hash(loaded.instance) != expected:
        return None, f"{recorded['file']} has changed since the sweep (its content hash differs from the manifest's)"
    return loaded, ""
