"""An instance written back as a GENIUS domain and two profiles, when it can be written exactly.

Exactly means: one constituency (ours), the one metric ``their_utility`` valued 1 by the
counterpart, a disagreement point, only required choice levers, no offers, no demands, and at
most one red line, a ``max_cost`` cap on our cost (our reservation value), with our
disagreement value the one GENIUS implies (r − 1 with a reservation r, else −1), a constituency
weight of 1, and each side's best utility at most 1 (GENIUS caps it). Anything else is refused,
naming what blocks the export. The inverse of :mod:`optimizer.genius.convert`: with n issues,
our weighted evaluation of an option is 1/n − its cost; each issue's weight is its largest
weighted evaluation, and the evaluations are divided by it (so the largest is 1, and GENIUS,
which divides by the largest, reads them back as written). Numbers are written with 17
significant digits.
"""

from __future__ import annotations

from xml.sax.saxutils import quoteattr

from ..errors import InputError, Problem
from ..instance import LoadedInstance
from ..kinds import red_line_kind
from .convert import OURS, THEIR_UTILITY


def blockers(loaded: LoadedInstance) -> list[Problem]:
    """What keeps the instance from being written exactly as a GENIUS domain (empty when nothing does)."""
    instance = loaded.instance
    problems = []

    def block(path: tuple, message: str) -> None:
        line = loaded.document.line_of(path) or loaded.document.line_of(path[:1])
        problems.append(Problem(loaded.file, line, ".".join(map(str, path)), f"cannot export to GENIUS: {message}"))

    if list(instance.constituencies) != [OURS]:
        block(("constituencies",), f"needs exactly one constituency named '{OURS}'")
    elif instance.constituencies[OURS].weight != 1:
        block(("constituencies", OURS, "weight"), "our utility is 1 - cost, so the constituency's weight must be 1")
    if list(instance.metrics) != [THEIR_UTILITY]:
        block(("metrics",), f"needs exactly one metric, '{THEIR_UTILITY}'")
    counterpart = instance.counterpart
    if counterpart is None or counterpart.value != {THEIR_UTILITY: 1.0} or counterpart.disagreement is None:
        block(("counterpart",), f"needs counterpart.value {{{THEIR_UTILITY}: 1}} and a disagreement point")
    if instance.offers:
        block(("offers",), "GENIUS domains have no offers")
    if instance.demands:
        block(("demands",), "GENIUS domains have no demands")
    for j, lever in instance.levers.items():
        if lever.kind != "choice" or not lever.required:
            block(("levers", j), "only required choice levers are issues of a discrete domain")
    for k, line in enumerate(instance.red_lines):
        cap = red_line_kind(line).cap(line)
        if cap is None or cap[0] != OURS or len(instance.red_lines) > 1:
            block(("red_lines", k), "the only red line may be one max_cost cap on our cost (the reservation value)")
    if not problems:
        problems += _negative_evaluations(loaded)
    if not problems:
        _check_reservation(instance, block)
        _check_best_utilities(instance, block)
    return problems


def _check_reservation(instance, block) -> None:
    """Our disagreement value must be what GENIUS implies: r - 1 with a reservation r (cap 1 - r), else -1."""
    caps = [red_line_kind(line).cap(line)[1] for line in instance.red_lines]
    implied = -caps[0] if caps else -1.0
    ours = instance.counterpart.disagreement.ours
    if abs(ours - implied) > 1e-12:
        why = (
            f"our reservation red line caps the cost at {caps[0]:.12g}, so GENIUS implies a disagreement of {implied:.12g}"
            if caps
            else "without a reservation red line GENIUS implies a reservation value of 0, a disagreement of -1"
        )
        block(("counterpart", "disagreement", "ours"), f"the disagreement for us is {ours:.12g}; {why}")


def _check_best_utilities(instance, block) -> None:
    """Each side's best utility (the sum of the issues' largest weighted evaluations) is at most 1, as GENIUS caps it."""
    for column, side in ((1, "our"), (2, "their")):
        best = sum(max(entry[column]) for entry in _weighted(instance).values())
        if best > 1 + 1e-9:
            block(("levers",), f"{side} best utility would be {best:.12g}, and GENIUS caps utilities at 1")


def _weighted(instance) -> dict[str, tuple[list[str], list[float], list[float]]]:
    """Lever -> (value labels, our weighted evaluations 1/n - cost, their weighted evaluations)."""
    n = len(instance.levers)
    out = {}
    for j, lever in instance.levers.items():
        labels = [option.label or name for name, option in lever.options.items()]
        ours = [1.0 / n - option.costs.get(OURS, 0.0) for option in lever.options.values()]
        theirs = [option.gives.get(THEIR_UTILITY, 0.0) for option in lever.options.values()]
        out[j] = (labels, ours, theirs)
    return out


def _negative_evaluations(loaded: LoadedInstance) -> list[Problem]:
    problems = []
    for j, (_, ours, theirs) in _weighted(loaded.instance).items():
        if min(ours) < -1e-12 or min(theirs) < -1e-12:
            line = loaded.document.line_of(("levers", j))
            problems.append(
                Problem(loaded.file, line, f"levers.{j}", "cannot export to GENIUS: an evaluation would be negative")
            )
    return problems


def _number(x: float) -> str:
    """A number as GENIUS reads it, to 15 significant digits: 0.3, not the 0.30000000000000004 of 1 - 0.7."""
    return f"{float(x):.15g}" if x != 0 else "0.0"


def _issue_open(index: int, name: str) -> str:
    return f'    <issue index="{index}" etype="discrete" type="discrete" vtype="discrete" name={quoteattr(name)}>\n'


def genius_files(loaded: LoadedInstance) -> dict[str, str]:
    """{file name: XML text} of the domain and both profiles; an InputError naming every blocker."""
    problems = blockers(loaded)
    if problems:
        raise InputError(problems, note="nothing was written")
    instance = loaded.instance
    weighted = _weighted(instance)
    labels = {j: instance.levers[j].label or j for j in instance.levers}
    objective = (
        f'  <objective index="0" etype="objective" type="objective" description="" name={quoteattr(instance.name)}>\n'
    )
    domain = ["<negotiation_template>\n", f'<utility_space number_of_issues="{len(weighted)}">\n', objective]
    for index, (j, (values, _, _)) in enumerate(weighted.items(), start=1):
        domain.append(_issue_open(index, labels[j]))
        domain += [f'      <item index="{k}" value={quoteattr(v)}/>\n' for k, v in enumerate(values, start=1)]
        domain.append("    </issue>\n")
    domain += ["  </objective>\n", "</utility_space>\n", "</negotiation_template>\n"]
    genius = instance.genius
    disagreement = instance.counterpart.disagreement
    caps = [red_line_kind(line).cap(line)[1] for line in instance.red_lines]
    reservations = {
        "ours": 1.0 - caps[0] if caps else None,
        "theirs": disagreement.theirs,
    }
    discounts = {
        "ours": genius.discount_ours if genius else None,
        "theirs": genius.discount_theirs if genius else None,
    }
    files = {f"{instance.name}-domain.xml": "".join(domain)}
    for side, column in (("ours", 1), ("theirs", 2)):
        lines = ["<utility_space>\n", objective]
        for index, (j, entry) in enumerate(weighted.items(), start=1):
            values, evaluations = entry[0], entry[column]
            weight = max(evaluations)
            lines.append(_issue_open(index, labels[j]))
            for k, (value, e) in enumerate(zip(values, evaluations, strict=True), start=1):
                scaled = e / weight if weight > 0 else 0.0
                lines.append(f'      <item index="{k}" value={quoteattr(value)} evaluation="{_number(scaled)}"/>\n')
            lines.append("    </issue>\n")
            lines.append(f'    <weight index="{index}" value="{_number(weight)}"/>\n')
        lines.append("  </objective>\n")
        if discounts[side] is not None:
            lines.append(f'  <discount_factor value="{_number(discounts[side])}"/>\n')
        if reservations[side] is not None:
            lines.append(f'  <reservation value="{_number(reservations[side])}"/>\n')
        lines.append("</utility_space>\n")
        files[f"{instance.name}-{side}.xml"] = "".join(lines)
    return files
