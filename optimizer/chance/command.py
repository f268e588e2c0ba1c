"""``dealopt acceptance FILE``, and the ``--chance`` / ``--robust`` options that ``dealopt solve`` applies.

``acceptance`` writes, for each tier, the least cost at each reachable chance of acceptance:
``acceptance.parquet`` / ``.csv`` (point, offer, probability, objective, probability_method),
``acceptance_levers.parquet`` (point, lever, amount, option), ``acceptance.png`` and
``acceptance.json`` (what ``--json`` prints). Exit codes are the CLI's: 0 a curve (``partial``
when ``--max-points`` cut it short), 1 no tier has a package with a chance above 0, 2 invalid
input, 3 a tier could not be settled.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import click

from ..api import describe_run
from ..cli_options import NOTHING_DONE, Command, json_option, load_with_overrides, set_option
from ..contract import weighted_net
from ..errors import InputError, Problem
from ..formatting import fmt
from ..save import check_replaceable, write_folder
from ..solver import SolveOptions
from ..status import Status
from .curve import DEFAULT_MAX_POINTS, Curve, acceptance_curve
from .options import sampling_options
from .solve import ChanceOptions, TierAnswer

MARKER = "acceptance.json"
"""The file that marks a folder as an acceptance folder dealopt may replace."""


@click.command("acceptance", cls=Command)
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write (default: results/<instance name>_acceptance/).",
)
@click.option(
    "--max-points",
    type=click.IntRange(min=1),
    default=DEFAULT_MAX_POINTS,
    show_default=True,
    help="Stop the curve after this many points (status partial).",
)
@sampling_options
@set_option
@json_option
@click.option("--no-save", is_flag=True, help="Do not write a folder.")
def acceptance_command(file, out, max_points, samples, seed, scenarios, assignments, as_json, no_save):
    """The cost–probability curve: per tier, the least cost at each reachable chance of acceptance."""
    try:
        loaded = load_with_overrides(file, assignments)
        require_beliefs(loaded)
        target = out if out is not None else Path("results") / f"{loaded.instance.name}_acceptance"
        if not no_save:
            check_replaceable(target, MARKER)
    except InputError as err:
        err.note = NOTHING_DONE
        raise
    options = SolveOptions()
    sampling = ChanceOptions(samples, seed, scenarios)
    try:
        curve = acceptance_curve(loaded, options, max_points, sampling)
    except InputError as err:
        err.note = NOTHING_DONE
        raise
    answer = curve_json(curve, describe_run(loaded, options) | {"chance": curve.scenarios_used})
    click.echo(brief(curve, loaded.instance), err=as_json)
    click.echo(
        f"{answer['milps']} MILPs for {len(curve.points)} points ({'staircase, exact breakpoints' if curve.staircase else curve.method})",
        err=True,
    )
    if not no_save:
        write_folder(target, files(curve, answer, loaded.instance), marker=MARKER)
        click.echo(f"acceptance curve written to {target}", err=True)
    if as_json:
        click.echo(json.dumps(answer, allow_nan=False))
    raise SystemExit(int(Status(answer["status"]).exit_code))


def require_beliefs(loaded) -> None:
    """Refuse an instance without beliefs: a chance of acceptance (and a worst case) needs something uncertain."""
    if not loaded.instance.beliefs:
        raise InputError([Problem(loaded.file, None, "beliefs", "the instance has no beliefs: every chance is 0 or 1")])


def curve_json(curve: Curve, run: dict) -> dict:
    """The object of ``acceptance --json``: the common shape, the curve and the expected-gain point."""
    best = curve.expected_gain()
    status = curve.status
    if curve.errors:
        message = "; ".join(curve.errors)
    elif not curve.points:
        message = "no tier has a package with a chance of acceptance above 0"
    else:
        message = f"{len(curve.points)} points" + (" (cut short by --max-points)" if curve.partial else "")
    return {
        "status": str(status),
        "message": message,
        "objective": best.objective if best else None,
        "gap": 0.0 if best else None,
        "offer": best.offer if best else None,
        "package": best.evaluation.package.levers() if best else {},
        "verified": best is not None,
        "probability": best.acceptance.probability if best else None,
        "probability_method": curve.probability_method,
        "staircase": curve.staircase,
        "milps": curve.milps,
        "expected_gain": curve.gain(best) if best else None,
        "curve": [
            {
                "point": i,
                "offer": p.offer,
                "probability": p.acceptance.probability,
                "objective": p.objective,
                "package": p.evaluation.package.levers(),
                "probability_method": p.acceptance.method,
                "probability_interval": list(p.acceptance.interval) if p.acceptance.interval else None,
            }
            for i, p in enumerate(curve.points)
        ],
        "run": run,
    }


def brief(curve: Curve, instance) -> str:
    """The curve in words: the cheapest deal's chance, what 0.8 costs more and who pays, where it ends."""
    deals = [p for p in curve.points if curve.walk_away is None or p.offer != curve.walk_away.offer]
    if not deals:
        return "No deal tier has a package with a chance of acceptance above 0."
    cheapest = min(deals, key=lambda p: (p.objective, -p.acceptance.probability))
    top = max(p.acceptance.probability for p in deals)
    lines = [
        f"The cheapest deal ({cheapest.offer}) is accepted with probability {fmt(cheapest.acceptance.probability)}"
    ]
    sure = [p for p in deals if p.acceptance.probability >= 0.8 - 1e-9]
    if sure and cheapest.acceptance.probability < 0.8:
        dearer = min(sure, key=lambda p: p.objective)
        shares = _who_pays(dearer, cheapest, instance)
        who = ", ".join(f"{k} {fmt(v)}" for k, v in shares[:3])
        lines.append(
            f"a chance of 0.8 or more ({fmt(dearer.acceptance.probability)}, {dearer.offer}) costs "
            f"{fmt(dearer.objective - cheapest.objective)} points more" + (f" ({who})" if who else "")
        )
    lines.append(curve.reach(top))
    expected = curve.expected_gain()
    text = "; ".join(lines) + "."
    return text + (
        f"\nExpected-gain point{curve.gain_scope}: {expected.offer} at probability {fmt(expected.acceptance.probability)}, "
        f"net cost {fmt(expected.objective)} points (expected gain {fmt(curve.gain(expected))} points)."
    )


def _who_pays(dearer: TierAnswer, cheaper: TierAnswer, instance) -> list[tuple[str, float]]:
    """Constituency -> how much more its weighted net cost is at ``dearer``, largest first (positive only)."""

    def net(point: TierAnswer, k: str) -> float:
        e = point.evaluation
        return weighted_net(instance.constituencies[k].weight, e.cost[k], e.benefit[k])

    moved = [(k, net(dearer, k) - net(cheaper, k)) for k in instance.constituencies]
    return sorted([(k, v) for k, v in moved if v > 1e-9], key=lambda kv: -kv[1])


def files(curve: Curve, answer: dict, instance) -> dict:
    """The folder: the curve and its levers as tables, the plot, the JSON answer."""
    import pandas as pd

    points = pd.DataFrame(
        [
            {k: row[k] for k in ("point", "offer", "probability", "objective", "probability_method")}
            for row in answer["curve"]
        ],
        columns=["point", "offer", "probability", "objective", "probability_method"],
    )
    levers = pd.DataFrame(
        [
            {
                "point": row["point"],
                "lever": lever,
                "amount": None if isinstance(value, str) else value,
                "option": value if isinstance(value, str) else None,
            }
            for row in answer["curve"]
            for lever, value in row["package"].items()
        ],
        columns=["point", "lever", "amount", "option"],
    )
    stable = {k: v for k, v in answer.items() if k != "run"} | {
        "run": {k: v for k, v in answer["run"].items() if k not in ("started_at", "total_seconds")}
    }
    return {
        "acceptance.parquet": _parquet(points),
        "acceptance.csv": points,
        "acceptance_levers.parquet": _parquet(levers),
        "acceptance.png": plot(curve, instance),
        MARKER: json.dumps(stable, indent=2, allow_nan=False) + "\n",
    }


def _parquet(table) -> bytes:
    buffer = io.BytesIO()
    table.to_parquet(buffer, index=False)
    return buffer.getvalue()


def plot(curve: Curve, instance) -> bytes:
    """Net political cost against the chance of acceptance, one line per tier (steps for a staircase)."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=(7, 4.5))
    axes = figure.add_subplot()
    offers = list(dict.fromkeys(p.offer for p in curve.points))
    for offer in offers:
        points = sorted((p for p in curve.points if p.offer == offer), key=lambda p: p.acceptance.probability)
        x = [p.acceptance.probability for p in points]
        y = [p.objective for p in points]
        label = instance.offer_items[offer].label or offer if offer else "package"
        if curve.staircase and len(points) > 1:
            axes.step(x, y, where="pre", marker="o", label=label)
        else:
            axes.plot(x, y, marker="o", label=label)
    best = curve.expected_gain()
    if best is not None:
        axes.scatter(
            [best.acceptance.probability],
            [best.objective],
            s=160,
            facecolors="none",
            edgecolors="black",
            label="expected-gain point",
            zorder=5,
        )
    axes.set_xlabel("chance of acceptance P(accept)")
    axes.set_ylabel("net political cost (points; below 0 a net gain)")
    axes.set_xlim(0, 1.02)
    axes.grid(alpha=0.3)
    axes.legend(fontsize=8)
    axes.set_title(f"{instance.title or instance.name}: cost of a surer deal"[:80], fontsize=10)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110, bbox_inches="tight", metadata={"Software": None})
    return buffer.getvalue()


def tiers_text(answer: dict) -> str:
    """The per-tier table of a chance or robust answer (its JSON object), for the terminal."""
    lines = [
        answer["message"],
        "",
        "| offer | P(accept) | method | net cost (points) | reaches target | note |",
        "|---|---|---|---|---|---|",
    ]
    for row in answer["per_offer"]:
        interval = row.get("probability_interval")
        shown = fmt(row["probability"]) + (f" [{fmt(interval[0])}, {fmt(interval[1])}]" if interval else "")
        reaches = row.get("reaches_target")
        lines.append(
            f"| {row['offer']} | {shown} | {row.get('probability_method') or ''} | {fmt(row.get('objective'))} | "
            f"{'' if reaches is None else 'yes' if reaches else 'no'} | {row.get('message', '')} |"
        )
    if answer.get("offer") is not None:
        lines += [
            "",
            f"answer: {answer['offer']}, net cost {fmt(answer['objective'])} points, "
            f"P(accept) {fmt(answer['probability'])} ({answer['probability_method']}), "
            f"target met: {answer.get('target_met', 'n/a')}",
        ]
    return "\n".join(lines)


def finish_under_uncertainty(
    loaded,
    options: SolveOptions,
    chance: float | None,
    robust: str | None,
    samples: int,
    seed: int,
    as_json: bool,
    scenarios: Path | None = None,
    out: Path | None = None,
    no_save: bool = True,
) -> None:
    """``dealopt solve --chance/--robust``: print the per-tier table (stderr under --json) and the JSON, write
    the results folder (default ``results/<instance name>_chance`` or ``_robust``) unless ``no_save``, then exit.

    The folder is a plain solve's (the package's tables, report.md, instance.yaml) with the chance's keys
    in summary.json, written atomically; bad options or a bad scenario file write nothing.
    """
    from ..save import default_results_dir
    from .uncertain import solve_uncertain

    if chance is not None and robust is not None:
        raise click.UsageError("give --chance or --robust, not both")
    suffix = "_robust" if robust is not None else "_chance"
    target = out if out is not None else default_results_dir(loaded.instance.name + suffix)
    try:
        require_beliefs(loaded)
        if not no_save:
            check_replaceable(target)
        answer = solve_uncertain(
            loaded, options, chance=chance, robust=robust, sampling=ChanceOptions(samples, seed, scenarios)
        )
    except InputError as err:
        err.note = NOTHING_DONE
        raise
    click.echo(tiers_text(answer.data), err=as_json)
    if not no_save:
        write_folder(target, uncertain_files(answer))
        click.echo(f"results written to {target}", err=True)
    if as_json:
        click.echo(json.dumps(answer.data, allow_nan=False))
    raise SystemExit(answer.exit_code)


def uncertain_files(answer) -> dict:
    """A plain solve's folder for the package, with summary.json holding the chance's keys as well
    (``probability``, ``probability_method``, ``probability_interval``, ``target``, ``target_met``, ``per_offer``)."""
    from .. import contract
    from ..save import result_files

    files = result_files(answer.result)
    summary = answer.result.to_dict() | answer.data
    summary["run"], volatile = contract.split_run(summary["run"])
    files[contract.SUMMARY] = json.dumps(summary, indent=2, allow_nan=False) + "\n"
    files[contract.RUN] = json.dumps(volatile, indent=2, allow_nan=False) + "\n"
    files[contract.REPORT] += "\n## Chance of acceptance per tier\n\n" + tiers_text(answer.data) + "\n"
    return files
