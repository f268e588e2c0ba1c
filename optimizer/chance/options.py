"""The command-line options of the chance of acceptance, light enough for ``dealopt --help`` (click only).

``dealopt solve`` applies :func:`chance_options`; ``dealopt acceptance`` applies :func:`sampling_options`.
``--scenarios FILE`` is read by :mod:`.scenario_file`.
"""

from __future__ import annotations

from pathlib import Path

import click

DEFAULT_SAMPLES = 1000
"""Scenarios of the sample average approximation (``--samples``)."""
DEFAULT_SEED = 0
"""Seed of the scenarios (``--seed``); the out-of-sample check uses another (see probability.py)."""


def chance_options(command):
    """--chance, --samples, --seed and --robust, for ``dealopt solve``."""
    command = click.option(
        "--robust",
        metavar="box[:q]|budget:G",
        help="Solve against uncertain numbers at their worst: box sets every uncertain threshold at its "
        "q-quantile (default: the worst value of its support, q = 0.95 for unbounded laws); budget:G "
        "protects each metric against G beliefs on gives at their worst (Bertsimas–Sim).",
    )(command)
    return sampling_options(
        click.option(
            "--chance",
            type=click.FloatRange(min=0, max=1, min_open=True),
            help="Least-cost package whose chance of acceptance (from the instance's beliefs) is at least P.",
            metavar="P",
        )(command)
    )


def refuse_unused_sampling(chance: float | None, robust: str | None) -> None:
    """Refuse --scenarios, --samples or --seed on a ``dealopt solve`` that would ignore them: they set the
    scenarios of ``--chance``, and neither a plain solve nor ``--robust`` (quantiles, no scenarios) uses any."""
    context = click.get_current_context()
    given = [
        f"--{name}"
        for name in ("scenarios", "samples", "seed")
        if context.get_parameter_source(name) not in (None, click.core.ParameterSource.DEFAULT)
    ]
    if not given or chance is not None:
        return
    if robust is not None:
        raise click.UsageError(
            f"{', '.join(given)}: --robust uses no scenarios (box and budget:G set uncertain numbers at "
            "quantiles of their laws); scenarios are for --chance"
        )
    raise click.UsageError(f"{', '.join(given)}: these set the scenarios of --chance P, and need it")


def sampling_options(command):
    """--samples, --seed and --scenarios: the scenarios of the sampled method."""
    command = click.option(
        "--scenarios",
        type=click.Path(dir_okay=False, path_type=Path),
        metavar="FILE",
        help="Solve over these scenarios (CSV with one column per belief, or YAML mapping each belief to its "
        "values) instead of a draw; probabilities are still recomputed from the beliefs' laws.",
    )(command)
    command = click.option(
        "--seed", type=int, default=DEFAULT_SEED, show_default=True, help="Seed of the sampled scenarios."
    )(command)
    return click.option(
        "--samples",
        type=click.IntRange(min=10),
        default=DEFAULT_SAMPLES,
        show_default=True,
        help="Scenarios of the sampled method (copulas, beliefs on gives).",
    )(command)
