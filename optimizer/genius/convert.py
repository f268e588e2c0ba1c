r"""A negotiation domain and two profiles as a dealopt instance (docs/genius.md).

With n issues, our weighted evaluations :math:`c_i(v)` and theirs :math:`t_i(v)`:

- each tabled issue is a *required* choice lever, one option per value, costing our one
  constituency :math:`1/n - c_i(v)` and giving the metric ``their_utility`` :math:`t_i(v)`;
- each other issue is a continuous (real) or integer lever whose amount is value − low, with
  per-unit cost −slope and per-unit gift slope; what both lines are worth at ``low`` (and the
  1/n of each such issue) goes to one required choice lever with a single option, ``base``;
- ``counterpart.value`` is ``{their_utility: 1}``, so theirs is their utility, and ours
  (minus the cost) is :math:`u_{ours} - 1`;
- the disagreement point is (reservation_ours − 1, reservation_theirs); our reservation is
  also a ``max_cost`` red line: cost ≤ 1 − reservation_ours.
"""

from __future__ import annotations

import re

from .space import Domain, Issue, Profile

THEIR_UTILITY = "their_utility"
OURS = "ours"
BASE_LEVER = "base"
BASE_OPTION = "at_low"
RESERVATION_LINE = "our_reservation"
_NOT_NAME = re.compile(r"[^A-Za-z0-9_-]+")


def name_of(text: str, taken: set[str], prefix: str) -> str:
    """A dealopt name for ``text`` (letters, digits, _ and -, starting with a letter), unique among ``taken``."""
    base = _NOT_NAME.sub("_", text).strip("_") or prefix
    if not base[0].isalpha():
        base = f"{prefix}{base}"
    name, k = base, 2
    while name in taken:
        name, k = f"{base}_{k}", k + 1
    taken.add(name)
    return name


def instance_data(domain: Domain, ours: Profile, theirs: Profile, semantics: str = "genius") -> dict:
    """The instance (plain data) for ``domain`` seen by us (``ours``) against the counterpart (``theirs``)."""
    n = len(domain.issues)
    levers: dict = {}
    taken: set[str] = {BASE_LEVER}
    base_cost, base_gift = 0.0, 0.0
    for issue in domain.issues:
        name = name_of(issue.name, taken, "issue_")
        if issue.tabled:
            levers[name] = _choice(issue, ours.tables[issue.name], theirs.tables[issue.name], 1.0 / n)
        else:
            (our_low, our_slope), (their_low, their_slope) = ours.lines[issue.name], theirs.lines[issue.name]
            base_cost += 1.0 / n - our_low
            base_gift += their_low
            levers[name] = {
                "kind": "integer" if issue.type == "integer" else "continuous",
                "label": issue.name,
                "max": issue.high - issue.low,
                "min_if_used": 1.0 if issue.type == "integer" else 0.0,
                "unit": f"above {issue.low:g}",
                "costs": {OURS: {"per_unit": -our_slope}},
                "gives": {THEIR_UTILITY: {"per_unit": their_slope}},
            }
    if any(not issue.tabled for issue in domain.issues):
        levers[BASE_LEVER] = {
            "kind": "choice",
            "label": "what the numeric issues are worth at their lower bounds",
            "required": True,
            "options": {BASE_OPTION: {"costs": {OURS: base_cost}, "gives": {THEIR_UTILITY: base_gift}}},
        }
    for side, profile in (("ours", ours), ("theirs", theirs)):
        for k, rectangle in enumerate(profile.rectangles):
            levers[name_of(f"{side}_rectangle_{k}", taken, "r")] = _rectangle(domain, levers, side, rectangle)
    reservation_ours = ours.reservation if ours.reservation is not None else 0.0
    reservation_theirs = theirs.reservation if theirs.reservation is not None else 0.0
    data = {
        "format": 1,
        "name": name_of(domain.name, set(), "domain_"),
        "title": f"Negotiation domain {domain.name} (imported from {domain.format})",
        "constituencies": {OURS: {"label": f"our utility profile {ours.file.name} (cost = 1 - utility)"}},
        "metrics": {THEIR_UTILITY: {"label": f"the counterpart's utility ({theirs.file.name})", "unit": "utility"}},
        "levers": levers,
        "counterpart": {
            "label": "the counterpart",
            "unit": "utility",
            "value": {THEIR_UTILITY: 1.0},
            "disagreement": {"ours": reservation_ours - 1.0, "theirs": reservation_theirs},
        },
        "genius": _metadata(domain, ours, theirs, semantics),
    }
    if ours.reservation is not None:
        data["red_lines"] = [
            {
                "name": RESERVATION_LINE,
                "kind": "max_cost",
                "constituency": OURS,
                "max": 1.0 - ours.reservation,
                "reason": "no deal below our reservation value (cost = 1 - utility)",
            }
        ]
    return data


def _rectangle(domain: Domain, levers: dict, side: str, rectangle) -> dict:
    """A rectangle lever: its sides name the options of each issue's choice lever inside it."""
    lever_of = {lever.get("label"): name for name, lever in levers.items()}
    when = {}
    for issue in domain.issues:
        if issue.name in rectangle.sides:
            options = list(levers[lever_of[issue.name]]["options"])
            when[lever_of[issue.name]] = [options[k] for k in rectangle.sides[issue.name]]
    term = {"fixed": rectangle.utility}
    if side == "ours":
        return {"kind": "rectangle", "when": when, "costs": {OURS: {"fixed": -rectangle.utility}}}
    return {"kind": "rectangle", "when": when, "gives": {THEIR_UTILITY: term}}


def _choice(issue: Issue, ours: list[float], theirs: list[float], share: float) -> dict:
    taken: set[str] = set()
    options = {}
    for value, our_value, their_value in zip(issue.value_list(), ours, theirs, strict=True):
        option = {"label": value, "costs": {OURS: share - our_value}, "gives": {THEIR_UTILITY: their_value}}
        options[name_of(value, taken, "v")] = option
    return {"kind": "choice", "label": issue.name, "required": True, "options": options}


def _metadata(domain: Domain, ours: Profile, theirs: Profile, semantics: str) -> dict:
    out = {
        "format": domain.format,
        "domain": domain.file.name,
        "ours": ours.file.name,
        "theirs": theirs.file.name,
        "semantics": semantics,
    }
    for key, value in (
        ("discount_ours", ours.discount),
        ("discount_theirs", theirs.discount),
        ("reservation_ours", ours.reservation),
        ("reservation_theirs", theirs.reservation),
    ):
        if value is not None:
            out[key] = value
    return out
