"""Writing explanations into a results folder beside what ``solve`` wrote, and tables as JSON-ready rows.

Each file is written to a temporary file in the same folder and renamed into
place, so a reader sees the old file or the new one, never half of one.
Files that ``solve`` wrote are left alone.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from ..schema import Instance


def results_folder(instance: Instance, out: str | Path | None = None) -> Path:
    """``out``, or ``results/<instance name>/`` as ``solve`` uses."""
    return Path(out) if out is not None else Path("results") / instance.name


def write_beside(folder: str | Path, files: Mapping[str, str | pd.DataFrame]) -> list[Path]:
    """Write each file (text, or a table as CSV) into ``folder`` atomically; return their paths."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, content in files.items():
        text = content.to_csv(index=False) if isinstance(content, pd.DataFrame) else content
        handle, temporary = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
        try:
            with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
                stream.write(text)
            os.replace(temporary, folder / name)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        written.append(folder / name)
    return written
