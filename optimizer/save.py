"""Writing a results folder atomically: it is replaced whole, or not at all.

Files are written into a temporary sibling folder, which is then renamed into
place; the previous folder is moved aside first and deleted last. A crash at
any point leaves either the old folder or the new one, never a mix.

The file names are :mod:`optimizer.contract`'s. ``summary.json`` holds what is
the same on every run of the same input; the run's times go to ``run.json``.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from . import contract
from .errors import InputError, Problem
from .formatting import CSV_FLOAT_FORMAT
from .report import markdown_report
from .result import Result
from .yamlfile import dump

if TYPE_CHECKING:  # the diagnosis imports the solve pipeline, which saves through this module
    import pandas as pd

    from .brief import Brief
    from .explain.diagnosis import Diagnosis


TABLE_FILES = contract.TABLES
"""The tables of a single solve (the name :mod:`optimizer.review.folders` imports)."""


def default_results_dir(name: str) -> Path:
    """``results/<instance name>``: where a solve's folder goes without --out."""
    return Path("results") / name


def check_replaceable(target: str | Path, marker: str = contract.SUMMARY) -> None:
    """Refuse an output folder that cannot be written, or that is not dealopt's to replace.

    A results folder is replaced whole, so pointing ``--out`` at a folder of other files (one
    without ``marker``) would delete them, and the current folder cannot be swapped out from
    under the process. Both are input errors, raised before anything is solved; so are a file
    in the way and a parent folder that cannot be written.
    """
    shown, target = Path(target), _absolute(target)
    if target.is_symlink():
        _refuse(shown, "is a symbolic link; give the folder it points to (dealopt replaces its results folder whole)")
    if target.exists() and not target.is_dir():
        _refuse(shown, "exists and is not a folder; choose another --out")
    try:
        resolved, here = target.resolve(), Path.cwd().resolve()
    except (OSError, RuntimeError) as err:  # a symbolic link loop on the way
        _refuse(shown, f"cannot be resolved: {err}")
    if resolved == here or resolved in here.parents:
        _refuse(shown, "is the current folder or holds it; choose a folder inside it, such as results/NAME")
    if target.is_dir() and any(target.iterdir()) and not (target / marker).exists():
        _refuse(
            shown,
            f"is a folder of other files (no {marker}), which dealopt would replace or mix with its own; "
            "choose a new or empty folder",
        )
    existing = next(p for p in (target, *target.parents) if p.exists())
    if not existing.is_dir():
        _refuse(shown, f"cannot be made: {existing} is a file")
    renamed_in = target.parent if target.exists() else existing
    if not os.access(renamed_in, os.W_OK | os.X_OK):
        _refuse(shown, f"cannot be written: no permission to write in {renamed_in}")


def _absolute(path: str | Path) -> Path:
    """The path made absolute with ``..`` worked out, as the checks and the writing must see it."""
    return Path(os.path.abspath(path))


def _refuse(target: Path, message: str) -> None:
    raise InputError([Problem(str(target), None, "--out", message)])


def write_folder(target: Path, files: Mapping[str, str | bytes | pd.DataFrame], marker: str = contract.SUMMARY) -> Path:
    """Replace the folder ``target`` with exactly ``files`` (name -> text, bytes or a table for CSV).

    The folder gets the permissions any new folder would (the process umask decides).
    An operating-system error (disk full, a read-only file system) is an InputError about
    ``--out``, and leaves what was there before.
    """
    check_replaceable(target, marker)
    target, place = Path(target), _absolute(target)
    try:
        place.parent.mkdir(parents=True, exist_ok=True)
        staging = place.parent / f".{place.name}.new-{secrets.token_hex(6)}"
        staging.mkdir(mode=0o777)  # as any new folder: the umask decides (mkdtemp would make it 0700)
    except OSError as err:
        _refuse(target, f"cannot be written: {err.strerror or err}")
    try:
        for name, content in files.items():
            path = staging / name
            if isinstance(content, bytes):
                path.write_bytes(content)
            elif not isinstance(content, str):  # a DataFrame
                content.to_csv(path, index=False, float_format=CSV_FLOAT_FORMAT)
            else:
                path.write_text(content, encoding="utf-8")
        _swap_into_place(staging, place)
    except BaseException as err:
        shutil.rmtree(staging, ignore_errors=True)
        if isinstance(err, OSError):
            _refuse(target, f"cannot be written: {err.strerror or err}")
        raise
    return target


def _swap_into_place(staging: Path, target: Path) -> None:
    if target.exists() or target.is_symlink():
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
        old.rmdir()
        os.replace(target, old)
        os.replace(staging, target)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(staging, target)


def summary_of(result: Result, diagnosis: Diagnosis | None = None, acceptance: list[dict] | None = None) -> dict:
    """What ``solve --json`` prints: the result, the diagnosis if any, and, for an instance with beliefs,
    each tier's chance of accepting the package (``per_offer``)."""
    summary = result.to_dict() | ({"diagnosis": diagnosis.to_dict()} if diagnosis is not None else {})
    return summary | ({"per_offer": acceptance} if acceptance is not None else {})


def _json_file(data: dict) -> str:
    return json.dumps(data, indent=2, allow_nan=False) + "\n"


def result_files(
    result: Result,
    extra: Mapping[str, str | pd.DataFrame] | None = None,
    diagnosis: Diagnosis | None = None,
    brief: Brief | None = None,
    acceptance: list[dict] | None = None,
) -> dict[str, str | pd.DataFrame]:
    """The files of a single-solve results folder (with the diagnosis's and the brief's when there are).

    ``summary.json`` is the ``--json`` object with the run's times taken out of ``run``:
    they go to ``run.json``, so that a committed folder changes only when its answer does.
    """
    files: dict[str, str | pd.DataFrame] = {}
    for name in contract.TABLES:
        if name in result.tables:
            files[contract.table_file(name)] = result.tables[name]
    summary = summary_of(result, diagnosis, acceptance)
    summary["run"], volatile = contract.split_run(summary["run"])
    files[contract.SUMMARY] = _json_file(summary)
    files[contract.RUN] = _json_file(volatile)
    files[contract.REPORT] = markdown_report(result)
    files[contract.INSTANCE] = dump(result.instance.dump(exclude_none=True))
    files.update(diagnosis.files() if diagnosis is not None else {})
    if brief is not None:
        files[contract.BRIEF] = _json_file(brief.to_dict())
        files[contract.BRIEF_MARKDOWN] = brief.to_markdown()
    files.update(extra or {})
    return files


def save_result(
    result: Result,
    out: str | Path | None = None,
    extra: Mapping[str, str | pd.DataFrame] | None = None,
    diagnosis: Diagnosis | None = None,
    brief: Brief | None = None,
    acceptance: list[dict] | None = None,
) -> Path:
    """Write ``result`` to ``out`` (default ``results/<instance name>/``), replacing it atomically."""
    if result.instance is None:
        raise ValueError("an invalid result has no instance and is never saved")
    target = Path(out) if out is not None else default_results_dir(result.instance.name)
    return write_folder(target, result_files(result, extra, diagnosis, brief, acceptance))
