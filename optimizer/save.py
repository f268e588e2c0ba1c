"""Writing a results folder atomically: it is replaced whole, or not at all.

Files are written into a temporary sibling folder, which is then renamed into
place; the previous folder is moved aside first and deleted last. A crash at
any point leaves either the old folder or the new one, never a mix.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from .errors import InputError, Problem
from .report import markdown_report
from .result import Result
from .yamlfile import dump

TABLE_FILES = ("package", "metrics", "constituencies", "red_lines")


def default_results_dir(result: Result) -> Path:
    return Path("results") / result.instance.name


def check_replaceable(target: str | Path, marker: str = "summary.json") -> None:
    """Refuse to replace a non-empty folder that is not a results folder (it has no ``marker`` file).

    A results folder is replaced whole, so pointing ``--out`` at a folder of other files would
    delete them: that is an input error, raised before anything is solved.
    """
    target = Path(target)
    if target.exists() and not target.is_dir():
        raise InputError([Problem(str(target), None, "--out", "exists and is not a folder; choose another --out")])
    if target.is_dir() and any(target.iterdir()) and not (target / marker).exists():
        raise InputError(
            [
                Problem(
                    str(target),
                    None,
                    "--out",
                    f"is a folder of other files (no {marker}); dealopt replaces its results folder whole, "
                    "so choose a new or empty folder",
                )
            ]
        )


def write_folder(target: Path, files: Mapping[str, str | bytes | pd.DataFrame], marker: str = "summary.json") -> Path:
    """Replace the folder ``target`` with exactly ``files`` (name -> text, bytes or a table for CSV)."""
    target = Path(target)
    check_replaceable(target, marker)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))
    try:
        for name, content in files.items():
            path = staging / name
            if isinstance(content, pd.DataFrame):
                content.to_csv(path, index=False)
            elif isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        _swap_into_place(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
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


def result_files(
    result: Result, extra: Mapping[str, str | pd.DataFrame] | None = None
) -> dict[str, str | pd.DataFrame]:
    """The files of a single-solve results folder."""
    files: dict[str, str | pd.DataFrame] = {}
    for name in TABLE_FILES:
        if name in result.tables:
            files[f"{name}.csv"] = result.tables[name]
    files["summary.json"] = json.dumps(result.to_dict(), indent=2, allow_nan=False) + "\n"
    files["report.md"] = markdown_report(result)
    files["instance.yaml"] = dump(result.instance.model_dump(mode="json", exclude_none=True))
    files.update(extra or {})
    return files


def save_result(
    result: Result, out: str | Path | None = None, extra: Mapping[str, str | pd.DataFrame] | None = None
) -> Path:
    """Write ``result`` to ``out`` (default ``results/<instance name>/``), replacing it atomically."""
    if result.instance is None:
        raise ValueError("an invalid result has no instance and is never saved")
    target = Path(out) if out is not None else default_results_dir(result)
    return write_folder(target, result_files(result, extra))
