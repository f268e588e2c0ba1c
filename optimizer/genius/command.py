"""``dealopt import-genius`` and ``dealopt export-genius``, loaded by the main CLI when they run.

Exit codes are the CLI's: 0 written, 2 invalid input (a refused file, a profile that does not
fit its domain, an instance that cannot be exported exactly); nothing is written then.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..cli_options import Command, json_option

SEMANTICS_HELP = (
    "Whose reading of the files to follow: genius (GENIUS's source) or negmas "
    "(no division by the largest discrete evaluation, issues found by position, no clamp or cap; docs/genius.md)."
)


def semantics_option(command):
    """--semantics genius|negmas."""
    return click.option(
        "--semantics",
        type=click.Choice(["genius", "negmas"]),
        default="genius",
        show_default=True,
        help=SEMANTICS_HELP,
    )(command)


def imported(domain: Path, ours: Path, theirs: Path, semantics: str) -> dict:
    """The instance data of a domain and two profiles, validated as a dealopt instance."""
    from ..instance import load
    from .convert import instance_data
    from .space import read_domain, read_profile

    parsed = read_domain(domain)
    data = instance_data(
        parsed, read_profile(ours, parsed, semantics), read_profile(theirs, parsed, semantics), semantics
    )
    load(data)  # a domain that does not make a valid instance is refused here, before anything is written
    return data


@click.command("import-genius", cls=Command)
@click.argument("domain", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("profile_ours", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("profile_theirs", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o", "--out", type=click.Path(dir_okay=False, path_type=Path), help="Instance file to write (default: stdout)."
)
@semantics_option
@json_option
def import_genius_command(domain, profile_ours, profile_theirs, out, semantics, as_json):
    """Turn a GENIUS (XML) or GeniusWeb (JSON) domain and two utility profiles into an instance file."""
    from ..yamlfile import dump

    data = imported(domain, profile_ours, profile_theirs, semantics)
    text = dump(data)
    if out is None:
        click.echo(text, nl=False, err=as_json)
    else:
        _write_atomically(out, text)
        click.echo(f"instance written to {out}", err=True)
    if as_json:
        click.echo(json.dumps({"status": "ok", "instance": data, "file": None if out is None else str(out)}))


def _write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder (never half-written).

    An operating-system error (a folder that cannot be made or written, a read-only file system,
    ``path`` being a folder) is an InputError about ``--out``, as for results folders, and leaves
    what was there before.
    """
    import os
    import tempfile

    from ..errors import InputError, Problem

    temporary = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except BaseException as err:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
        if isinstance(err, OSError):
            raise InputError(
                [Problem(str(path), None, "--out", f"cannot be written: {err.strerror or err}")],
                note="nothing was written",
            ) from None
        raise


@click.command("export-genius", cls=Command)
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write the domain and both profiles to (default: results/<name>_genius/).",
)
def export_genius_command(file, out):
    """Write an instance back as a GENIUS domain and two profiles (only when it can be written exactly)."""
    from ..instance import load
    from ..save import write_folder
    from .export import genius_files

    loaded = load(file)
    files = genius_files(loaded)
    target = out if out is not None else Path("results") / f"{loaded.instance.name}_genius"
    write_folder(target, files, marker=f"{loaded.instance.name}-domain.xml")
    click.echo(f"GENIUS domain and profiles written to {target}", err=True)


COMMANDS = (import_genius_command, export_genius_command)
"""The commands this module defines (the main CLI loads them by name: ``optimizer.cli.LAZY_COMMANDS``)."""
