"""``dealopt sweep SPEC.yaml``: the command line over :func:`optimizer.sweep.run_sweep`.

The main CLI loads it by name when it runs (``optimizer.cli.LAZY_COMMANDS``).
Exit codes and messages are the CLI's (:mod:`optimizer.cli_options`): 0 every
scenario was solved to a status (infeasible ones included), 2 invalid spec or
scenario (nothing solved) or an output folder held by another running sweep,
3 some scenarios ended in error or could not be run, 130 interrupted (what
finished is saved; the same command resumes).
"""

from __future__ import annotations

import signal
from pathlib import Path

import click
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from ..cli_options import Command, show_problems, time_limit_value
from .runner import SweepSummary, run_sweep


class RateColumn(ProgressColumn):
    """Scenarios per second."""

    def render(self, task) -> Text:
        return Text(f"{task.speed:,.1f}/s" if task.speed else "-/s", style="progress.data.speed")


class ProgressBar:
    """A rich progress bar on stderr, one task per phase (validating, solving)."""

    def __init__(self, console: Console):
        self.progress = Progress(
            TextColumn("{task.description:>10}"),
            BarColumn(),
            MofNCompleteColumn(),
            RateColumn(),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=console,
        )
        self.task = None

    def start(self, phase: str, total: int) -> None:
        if self.task is None:
            self.progress.start()
        else:
            self.progress.update(self.task, completed=self.progress.tasks[self.task].total)
        self.task = self.progress.add_task(phase, total=total)

    def advance(self, count: int) -> None:
        self.progress.advance(self.task, count)

    def finish(self) -> None:
        if self.task is not None:
            self.progress.stop()
            self.task = None


@click.command("sweep", cls=Command)
@click.argument("spec", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--workers",
    "-w",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes; default: the number of CPUs. Each runs HiGHS on one thread.",
)
@click.option(
    "--out",
    "-o",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Output folder; default: results/<spec file stem>/.",
)
@click.option(
    "--time-limit",
    type=click.FloatRange(min=0, min_open=True),
    callback=time_limit_value,
    default=None,
    help="Seconds of HiGHS time per scenario; default (or inf): none.",
)
@click.option(
    "--dask",
    metavar="ADDRESS",
    default=None,
    help='Run on an existing Dask cluster (e.g. tcp://host:8786) instead of local processes; needs pip install "dealopt[dask]".',
)
def sweep_command(
    spec: Path, workers: int | None, out: Path | None, time_limit: float | None, dask: str | None
) -> None:
    """Solve every scenario of a sweep SPEC and write tidy tables of the answers.

    Finished scenarios are saved as they come; running the same command again
    solves only the missing ones.

    \b
    Exit status:
      0    every scenario was solved to a status (infeasible ones included)
      2    invalid spec or scenario (nothing was solved), or another sweep is writing to the output folder
      3    some scenarios ended in error, or a worker died
      130  interrupted (Ctrl-C or kill): what finished is saved
    """
    signal.signal(signal.SIGTERM, _stop_like_ctrl_c)  # `kill` stops as cleanly as Ctrl-C: what finished is saved
    summary = run_sweep(
        spec, out=out, workers=workers, time_limit=time_limit, dask=dask, reporter=ProgressBar(Console(stderr=True))
    )
    show_problems(summary.warnings, "warning")
    _report(summary)
    raise SystemExit(summary.exit_code)


def _stop_like_ctrl_c(signum, frame) -> None:
    raise KeyboardInterrupt


def _report(summary: SweepSummary) -> None:
    counts = ", ".join(f"{count:,} {status}" for status, count in sorted(summary.counts.items()))
    missing = f", {summary.missing:,} missing" if summary.missing else ""
    click.echo(
        f"{summary.total:,} scenarios: {counts or 'none finished'}{missing} ({summary.solved:,} solved in {summary.wall_seconds:.1f} s)"
    )
    click.echo(f"tables in {summary.folder}/")
    if summary.failure:
        click.echo(f"dealopt sweep: {summary.failure}; resume with the same command", err=True)
    if summary.interrupted:
        click.echo("interrupted: finished scenarios are saved; resume with the same command", err=True)
