"""Generated negotiation domains written as GENIUS XML or GeniusWeb JSON files (the benchmark's and the tests').

A domain is plain data: its issues (discrete, integer or real) and two profiles, each with
a weight per issue and an evaluator per issue (a list of evaluations for a discrete issue,
``{"slope", "offset"}`` for an integer issue, ``{"parameter0", "parameter1"}`` for a real one),
a reservation value and a discount factor. Every draw comes from the seed given.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from xml.sax.saxutils import quoteattr


def random_domain(
    seed: int,
    issues: int,
    values: int,
    *,
    first_index: int = 1,
    anti_correlated: bool = False,
    whole_evaluations: bool = False,
) -> dict:
    """An additive discrete domain: weights and evaluations drawn independently and uniformly.

    ``anti_correlated``: their evaluation of a value is 1 - ours (most outcomes Pareto-optimal);
    ``whole_evaluations``: evaluations are whole numbers 0..9 (GENIUS then divides by the largest).
    """
    rng = random.Random(seed)
    domain = {"name": f"generated_{issues}x{values}_s{seed}", "issues": [], "profiles": {"ours": {}, "theirs": {}}}
    for i in range(issues):
        domain["issues"].append(
            {
                "name": f"issue{i}",
                "index": first_index + i,
                "type": "discrete",
                "values": [f"v{k}" for k in range(values)],
            }
        )
    for side in ("ours", "theirs"):
        weights = [rng.random() for _ in range(issues)]
        total = sum(weights)
        domain["profiles"][side] = {
            "weights": {f"issue{i}": w / total for i, w in enumerate(weights)},
            "evaluators": {},
            "reservation": round(rng.random() * 0.5, 3),
            "discount": 1.0,
        }
    for i in range(issues):
        ours = [rng.randint(0, 9) if whole_evaluations else rng.random() for _ in range(values)]
        if anti_correlated:
            theirs = [(9 - e) if whole_evaluations else 1.0 - e for e in ours]
        else:
            theirs = [rng.randint(0, 9) if whole_evaluations else rng.random() for _ in range(values)]
        domain["profiles"]["ours"]["evaluators"][f"issue{i}"] = ours
        domain["profiles"]["theirs"]["evaluators"][f"issue{i}"] = theirs
    return domain


def _attributes(**pairs) -> str:
    return " ".join(f"{k}={quoteattr(str(v))}" for k, v in pairs.items())


def _issue_xml(issue: dict, evaluator=None) -> list[str]:
    kind = issue["type"]
    head = _attributes(index=issue["index"], etype=kind, type=kind, vtype=kind, name=issue["name"])
    if kind == "discrete":
        lines = [f"    <issue {head}>"]
        for k, value in enumerate(issue["values"], start=1):
            extra = {} if evaluator is None else {"evaluation": repr(float(evaluator[k - 1]))}
            lines.append(f"      <item {_attributes(index=k, value=value, **extra)}/>")
        return [*lines, "    </issue>"]
    if kind == "integer":
        lines = [f"    <issue {head} {_attributes(lowerbound=issue['low'], upperbound=issue['high'])}>"]
        if evaluator is not None:
            lines.append(f"      <evaluator {_attributes(ftype='linear', **evaluator)}/>")
        return [*lines, "    </issue>"]
    lines = [f"    <issue {head}>", f"      <range {_attributes(lowerbound=issue['low'], upperbound=issue['high'])}/>"]
    if evaluator is not None:
        lines.append(f"      <evaluator {_attributes(ftype='linear', **evaluator)}/>")
    return [*lines, "    </issue>"]


def write_xml(domain: dict, folder: Path) -> tuple[Path, Path, Path]:
    """(domain file, our profile, their profile) written as GENIUS XML into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    objective = f"  <objective {_attributes(index=0, etype='objective', type='objective', name=domain['name'])}>"
    lines = ["<negotiation_template>", f'<utility_space number_of_issues="{len(domain["issues"])}">', objective]
    for issue in domain["issues"]:
        lines += _issue_xml(issue)
    lines += ["  </objective>", "</utility_space>", "</negotiation_template>"]
    paths = [folder / f"{domain['name']}-domain.xml"]
    paths[0].write_text("\n".join(lines) + "\n", encoding="utf-8")
    for side in ("ours", "theirs"):
        profile = domain["profiles"][side]
        lines = ["<utility_space>", objective]
        for issue in domain["issues"]:
            lines += _issue_xml(issue, profile["evaluators"][issue["name"]])
            lines.append(f'    <weight index="{issue["index"]}" value="{profile["weights"][issue["name"]]!r}"/>')
        lines.append("  </objective>")
        lines.append(f'  <discount_factor value="{profile["discount"]!r}"/>')
        lines.append(f'  <reservation value="{profile["reservation"]!r}"/>')
        lines.append("</utility_space>")
        path = folder / f"{domain['name']}-{side}.xml"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        paths.append(path)
    return tuple(paths)


def write_json(domain: dict, folder: Path) -> tuple[Path, Path, Path]:
    """(domain file, our profile, their profile) written as GeniusWeb JSON (discrete issues only).

    GeniusWeb takes value utilities as written, so each is written as GENIUS reads the XML twin's.
    """
    folder.mkdir(parents=True, exist_ok=True)
    spec = {"name": domain["name"], "issuesValues": {i["name"]: {"values": i["values"]} for i in domain["issues"]}}
    paths = [folder / f"{domain['name']}-domain.json"]
    paths[0].write_text(json.dumps(spec, indent=1), encoding="utf-8")
    for side in ("ours", "theirs"):
        profile = domain["profiles"][side]
        utilities = {
            issue["name"]: {
                "DiscreteValueSetUtilities": {
                    "valueUtilities": dict(
                        zip(issue["values"], normalised(profile["evaluators"][issue["name"]]), strict=True)
                    )
                }
            }
            for issue in domain["issues"]
        }
        space = {"issueUtilities": utilities, "issueWeights": profile["weights"], "domain": spec, "name": side}
        path = folder / f"{domain['name']}-{side}.json"
        path.write_text(json.dumps({"LinearAdditiveUtilitySpace": space}, indent=1), encoding="utf-8")
        paths.append(path)
    return tuple(paths)


def normalised(evaluations: list[float]) -> list[float]:
    """GENIUS's EvaluatorDiscrete: e / max (the issue's largest evaluation, as written), 0 when max < 1e-5."""
    top = max(evaluations)
    return [e / top if top >= 1e-5 else 0.0 for e in evaluations]


def genius_utility(domain: dict, side: str, outcome: tuple[int, ...]) -> float:
    """An outcome's utility (value index per issue) as GENIUS's source computes it, discrete issues only.

    EvaluatorDiscrete: :func:`normalised`. AdditiveUtilitySpace: the weighted sum, capped at 1.
    """
    profile = domain["profiles"][side]
    total = 0.0
    for issue, k in zip(domain["issues"], outcome, strict=True):
        total += profile["weights"][issue["name"]] * normalised(profile["evaluators"][issue["name"]])[k]
    return min(total, 1.0)


def rectangle_domain(seed: int, issues: int = 10, values: int = 10, rectangles: int = 40) -> dict:
    """A nonlinear (ANAC 2014 style) domain: integer issues 1..values, each profile a sum of hyper-rectangles.

    Each rectangle bounds 1 to 4 issues to a closed range and is worth a whole utility of 1 to 100;
    ``maxutility`` is the sum of a profile's utilities, so every outcome's utility lies in [0, 1]. The files
    follow GENIUS's layout: ``<utility maxutility>`` inside the ``<objective>``, as NonlinearUtilitySpace reads it.
    """
    rng = random.Random(seed)
    domain = {
        "name": f"rectangles_{issues}x{values}_s{seed}",
        "issues": [
            {"name": f"issue{i}", "index": i + 1, "type": "integer", "low": 1, "high": values} for i in range(issues)
        ],
        "profiles": {},
    }
    for side in ("ours", "theirs"):
        drawn = []
        for _ in range(rectangles):
            bounds = {}
            for i in rng.sample(range(issues), rng.randint(1, min(4, issues))):
                low = rng.randint(1, values)
                bounds[i + 1] = (low, rng.randint(low, values))
            drawn.append((rng.randint(1, 100), bounds))
        domain["profiles"][side] = {"rectangles": drawn, "reservation": round(rng.random() * 0.3, 3), "discount": 1.0}
    return domain


def write_rectangle_xml(domain: dict, folder: Path) -> tuple[Path, Path, Path]:
    """(domain file, our profile, their profile) of a :func:`rectangle_domain`, as GENIUS XML."""
    folder.mkdir(parents=True, exist_ok=True)
    objective = f"  <objective {_attributes(index=0, etype='objective', type='objective', name=domain['name'])}>"
    issues = [
        f"    <issue {_attributes(index=i['index'], etype='integer', type='integer', vtype='integer', name=i['name'], lowerbound=i['low'], upperbound=i['high'])}/>"
        for i in domain["issues"]
    ]
    text = ["<negotiation_template>", "<utility_space>", objective, *issues, "  </objective>", "</utility_space>"]
    paths = [folder / f"{domain['name']}-domain.xml"]
    paths[0].write_text("\n".join([*text, "</negotiation_template>"]) + "\n", encoding="utf-8")
    for side in ("ours", "theirs"):
        profile = domain["profiles"][side]
        total = sum(u for u, _ in profile["rectangles"])
        lines = ["<utility_space>", objective, *issues, f'  <utility maxutility="{total}">']
        lines.append('    <ufun type="PlainUfun" weight="1" aggregation="sum">')
        for utility, bounds in profile["rectangles"]:
            lines.append(f'      <hyperRectangle utility="{utility}">')
            lines += [f'        <INCLUDES index="{i}" min="{lo}" max="{hi}"/>' for i, (lo, hi) in bounds.items()]
            lines.append("      </hyperRectangle>")
        lines += [
            "    </ufun>",
            "  </utility>",
            "  </objective>",
            f'  <reservation value="{profile["reservation"]!r}"/>',
        ]
        lines.append("</utility_space>")
        path = folder / f"{domain['name']}-{side}.xml"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        paths.append(path)
    return tuple(paths)


def rectangle_utility(domain: dict, side: str, outcome: tuple[int, ...]) -> float:
    """An outcome's utility (the value of each issue, 1-based) under a :func:`rectangle_domain` profile:
    the rectangles that hold it (bounds included), over the sum of every rectangle's utility."""
    profile = domain["profiles"][side]
    total = sum(u for u, _ in profile["rectangles"])
    held = sum(
        u for u, bounds in profile["rectangles"] if all(lo <= outcome[i - 1] <= hi for i, (lo, hi) in bounds.items())
    )
    return held / total
