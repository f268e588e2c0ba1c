"""``dealopt init``: a commented starter instance, the quickest way to begin a new model."""

from __future__ import annotations

import re
from importlib.resources import files
from pathlib import Path

from .errors import InputError, Problem
from .schema import NAME_PATTERN


def starter_text(name: str) -> str:
    """The starter instance, named ``name``."""
    return files("optimizer").joinpath("templates/starter.yaml").read_text(encoding="utf-8").format(name=name)


def write_starter(name: str, folder: Path, overwrite: bool = False) -> Path:
    """Write ``folder/NAME.yaml``; refuses bad names and existing files unless ``overwrite``."""
    path = new_file(name, folder, ".yaml", overwrite)
    path.write_text(starter_text(name), encoding="utf-8")
    return path


def new_file(name: str, folder: Path, suffix: str, overwrite: bool) -> Path:
    """``folder/NAME<suffix>``, its folder made: refuses a bad name, and an existing file unless ``overwrite``."""
    if not re.match(NAME_PATTERN, name):
        raise InputError(
            [
                Problem(
                    "init",
                    None,
                    "name",
                    f"'{name}' is not a valid name: start with a letter, then letters, digits, _ or -",
                )
            ]
        )
    path = Path(folder) / f"{name}{suffix}"
    if path.exists() and not overwrite:
        raise InputError([Problem(str(path), None, "", "the file exists; use --force to overwrite it")])
    path.parent.mkdir(parents=True, exist_ok=True)
    return path
