r"""Negotiation domains and additive utility profiles, read from GENIUS XML or GeniusWeb JSON.

A profile is kept as what each issue value adds to the utility, weight included:

.. math::
    u(\omega) = \sum_i w_i \, e_i(\omega_i)

- a discrete issue (and an integer issue of at most :data:`MAX_CHOICES` values) keeps one
  number per value, :attr:`Profile.tables`;
- a real issue (and a larger integer issue) keeps a straight line in (value − low),
  :attr:`Profile.lines`, only where its evaluator stays inside [0, 1] over the issue's range,
  because GENIUS clamps it there and a clamp is not linear.

The evaluations follow GENIUS's source (``semantics="genius"``) or NegMAS's reading of the
same files (``semantics="negmas"``); docs/genius.md lists the differences.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

from .rectangle_bound import largest_sum
from .safe import Node, json_line, read_json, read_xml, refuse

MAX_CHOICES = 1000
"""An integer issue with at most this many values becomes a choice lever; larger, an integer lever."""
SEMANTICS = ("genius", "negmas")
FORMATS = {"xml": "genius-xml", "json": "geniusweb-json"}
TINY_MAX = 1e-5
"""GENIUS's EvaluatorDiscrete gives every value 0 when the issue's largest evaluation is below this."""
WEIGHT_SUM_TOLERANCE = 1e-9
"""GeniusWeb refuses a profile whose weights do not sum to exactly 1 (as decimals); floats get this much."""


@dataclass(frozen=True)
class Issue:
    """One issue of a domain: discrete (its values) or numeric (integer or real, low to high)."""

    name: str
    index: int
    type: str
    """discrete, integer or real."""
    values: tuple[str, ...] = ()
    low: float = 0.0
    high: float = 0.0
    number_range: tuple[float, float] | None = None
    """A GeniusWeb number issue's ``range`` (low, high): the only span its number utilities may have."""

    @property
    def tabled(self) -> bool:
        """True when each value gets its own number (discrete, or integer with few values)."""
        return self.type == "discrete" or (self.type == "integer" and self.high - self.low + 1 <= MAX_CHOICES)

    def value_list(self) -> list[str]:
        """The values of a tabled issue, as text."""
        if self.type == "discrete":
            return list(self.values)
        return [str(v) for v in range(int(self.low), int(self.high) + 1)]


@dataclass(frozen=True)
class Domain:
    """A domain's issues; its name is the one the file gives (``<objective name>``, JSON "name"), else the file stem."""

    stated_name: str | None
    """The name the domain file itself gives, if any."""
    issues: tuple[Issue, ...]
    file: Path
    format: str

    @property
    def name(self) -> str:
        return self.stated_name or self.file.stem


@dataclass(frozen=True)
class Rectangle:
    """A hyper-rectangle of a nonlinear profile: its utility, and per issue the indices of the values inside."""

    utility: float
    sides: dict[str, list[int]]


@dataclass
class Profile:
    """Each issue value's weighted contribution to the utility, the reservation value and discount."""

    file: Path
    tables: dict[str, list[float]] = field(default_factory=dict)
    lines: dict[str, tuple[float, float]] = field(default_factory=dict)
    """Issue -> (contribution at low, contribution per unit above low)."""
    reservation: float | None = None
    discount: float | None = None
    rectangles: list[Rectangle] = field(default_factory=list)
    """The hyper-rectangles of a nonlinear profile (their utility added when the outcome lies inside)."""

    def best(self) -> float:
        """The largest utility over the domain (an upper bound when issues are continuous: exact, as lines are linear)."""
        total = sum(max(t) for t in self.tables.values())
        return total + sum(max(a, a + b * span) for (a, b), span in self._spans())

    def _spans(self):
        return [(line, self._span[issue]) for issue, line in self.lines.items()]

    _span: dict[str, float] = field(default_factory=dict, repr=False)


def read_domain(path: str | Path) -> Domain:
    """A domain file: GENIUS XML (``.xml``) or GeniusWeb JSON (``.json``)."""
    path = Path(path)
    if path.suffix.lower() == ".json":
        return _json_domain(path)
    return _xml_domain(path)


def read_profile(path: str | Path, domain: Domain, semantics: str = "genius") -> Profile:
    """A utility profile of ``domain``, its evaluations read with ``semantics``."""
    path = Path(path)
    if path.suffix.lower() == ".json":
        return _json_profile(path, domain)
    return _xml_profile(path, domain, semantics)


# -- GENIUS XML -------------------------------------------------------------------------------


def _number(file, node: Node, key: str, default: float | None = None) -> float:
    text = node.attributes.get(key)
    if text is None:
        if default is not None:
            return default
        raise refuse(file, node.line, f"<{node.tag}>", f"missing attribute '{key}'")
    try:
        value = float(text)
    except ValueError:
        raise refuse(file, node.line, f"<{node.tag} {key}>", f"'{text}' is not a number") from None
    if not math.isfinite(value):
        raise refuse(file, node.line, f"<{node.tag} {key}>", f"'{text}' is not a finite number")
    return value


def _bounds(file, node: Node) -> tuple[float, float]:
    """(lowerbound, upperbound) from the issue's attributes or its <range> child."""
    holder = node if "lowerbound" in node.attributes else node.first("range")
    if holder is None:
        raise refuse(file, node.line, f"<issue name={node.attributes.get('name')!r}>", "no lowerbound/upperbound")
    low, high = _number(file, holder, "lowerbound"), _number(file, holder, "upperbound")
    if high < low:
        raise refuse(file, holder.line, f"<{holder.tag}>", f"upperbound {high:g} is below lowerbound {low:g}")
    return low, high


def _issue_type(node: Node) -> str:
    """An issue's type as GENIUS reads it: ``type``, else ``etype``, else discrete."""
    return (node.attributes.get("type") or node.attributes.get("etype") or "discrete").lower()


def _index(file, node: Node) -> int:
    text = node.attributes.get("index", "")
    try:
        return int(text)
    except ValueError:
        raise refuse(file, node.line, f"<{node.tag} index>", f"'{text}' is not a whole number") from None


def _xml_domain(path: Path) -> Domain:
    root = read_xml(path)
    nodes = root.descendants("issue")
    if not nodes:
        raise refuse(path, root.line, f"<{root.tag}>", "a GENIUS domain has <issue> elements; none found")
    issues, seen = [], set()
    for node in nodes:
        name = node.attributes.get("name")
        if not name:
            raise refuse(path, node.line, "<issue>", "an issue has no 'name'")
        if name in seen:
            raise refuse(path, node.line, f"<issue name={name!r}>", "two issues have this name")
        seen.add(name)
        kind, index = _issue_type(node), _index(path, node)
        if kind == "discrete":
            values = tuple(item.attributes.get("value", "") for item in node.all("item"))
            if not values or "" in values or len(set(values)) != len(values):
                raise refuse(
                    path, node.line, f"<issue name={name!r}>", "needs <item value=...> elements, all different"
                )
            issues.append(Issue(name, index, kind, values))
        elif kind in ("integer", "real"):
            low, high = _bounds(path, node)
            if kind == "integer" and (low != int(low) or high != int(high)):
                raise refuse(path, node.line, f"<issue name={name!r}>", "an integer issue needs whole bounds")
            issues.append(Issue(name, index, kind, low=low, high=high))
        else:
            raise refuse(path, node.line, f"<issue name={name!r}>", f"unknown issue type '{kind}'")
    objective = next(iter(root.descendants("objective")), None) if root.tag != "objective" else root
    stated = objective.attributes.get("name") if objective is not None else None
    return Domain(stated or None, tuple(issues), path, FORMATS["xml"])


def _discrete_evaluations(path, node: Node, issue: Issue, semantics: str) -> list[float]:
    """A discrete issue's evaluations as GENIUS's EvaluatorDiscrete.getEvaluation gives them (or NegMAS reads them).

    GENIUS: each evaluation divided by the issue's largest one, as written (no rounding); all 0 when
    that largest evaluation is below :data:`TINY_MAX`. NegMAS: taken as written.
    """
    values = set(issue.values)
    given = {}
    for item in node.all("item"):
        value = item.attributes.get("value")
        if value not in values:
            raise refuse(path, item.line, f"<item value={value!r}>", f"not a value of issue '{issue.name}'")
        evaluation = _number(path, item, "evaluation")
        if evaluation < 0:
            raise refuse(path, item.line, f"<item value={value!r}>", "an evaluation must be >= 0")
        given[value] = evaluation
    missing = [v for v in issue.values if v not in given]
    if missing:
        raise refuse(path, node.line, f"<issue name={issue.name!r}>", f"no evaluation for {missing[:5]}")
    raw = [given[v] for v in issue.values]
    if semantics == "negmas":
        return raw
    top = max(raw)
    if top < TINY_MAX:
        return [0.0] * len(raw)
    return [e / top for e in raw]


def _linear(path, issue: Issue, slope: float, at_low: float, where: str, line: int | None) -> tuple[float, float]:
    """(evaluation at low, per unit) of a linear evaluator that GENIUS clamps to [0, 1]; refused when the clamp binds."""
    at_high = at_low + slope * (issue.high - issue.low)
    if min(at_low, at_high) < -1e-12 or max(at_low, at_high) > 1 + 1e-12:
        raise refuse(
            path,
            line,
            where,
            f"the evaluator runs from {at_low:.6g} to {at_high:.6g} over the issue's range, and GENIUS clamps it "
            "to [0, 1]: a clamp is not linear, so it cannot be imported exactly",
        )
    return at_low, slope


def _numeric_evaluations(path, node: Node, issue: Issue, semantics: str):
    """A table of evaluations (few integer values) or a line, from an integer or real <evaluator>."""
    evaluator = node.first("evaluator")
    where = f"<issue name={issue.name!r}> <evaluator>"
    if evaluator is None:
        raise refuse(path, node.line, f"<issue name={issue.name!r}>", "a numeric issue needs an <evaluator>")
    ftype = evaluator.attributes.get("ftype", "linear").lower()
    if issue.type == "integer":
        if ftype != "linear":
            raise refuse(path, evaluator.line, where, f"integer evaluators are linear; got ftype '{ftype}'")
        slope, offset = _number(path, evaluator, "slope"), _number(path, evaluator, "offset")
        # GENIUS EvaluatorInteger: offset + slope * (value - lowerbound), clamped to [0, 1];
        # NegMAS: offset + slope * value, without the lower bound or a clamp
        at_low = offset + slope * issue.low if semantics == "negmas" else offset
        if issue.tabled:
            values = [at_low + slope * (v - issue.low) for v in range(int(issue.low), int(issue.high) + 1)]
            return [min(1.0, max(0.0, e)) for e in values] if semantics == "genius" else values
        if semantics == "negmas":
            return at_low, slope
        return _linear(path, issue, slope, at_low, where, evaluator.line)
    if ftype == "constant":
        return _number(path, evaluator, "parameter0"), 0.0
    if ftype != "linear":
        raise refuse(
            path, evaluator.line, where, f"only linear and constant real evaluators are imported; got ftype '{ftype}'"
        )
    constant, per_unit = _number(path, evaluator, "parameter0"), _number(path, evaluator, "parameter1")
    at_low = constant + per_unit * issue.low  # EvaluatorReal: parameter1 * value + parameter0, clamped
    if semantics == "negmas":
        return at_low, per_unit
    return _linear(path, issue, per_unit, at_low, where, evaluator.line)


def issue_at(path, node: Node, domain: Domain, semantics: str) -> Issue:
    """The issue an element's ``index`` names: by its index (GENIUS) or by position, index - 1 (NegMAS)."""
    index = _index(path, node)
    if semantics == "negmas":
        issue = domain.issues[index - 1] if 1 <= index <= len(domain.issues) else None
    else:
        issue = next((i for i in domain.issues if i.index == index), None)
    if issue is None:
        where = " at that position (NegMAS finds an issue by position, index - 1)" if semantics == "negmas" else ""
        raise refuse(path, node.line, f"<{node.tag} index={index}>", f"no issue of the domain has this index{where}")
    return issue


def _weights(path, root: Node, domain: Domain, semantics: str) -> dict[str, tuple[float, Node]]:
    """Issue name -> (weight, its element). GENIUS finds an issue by its index; NegMAS by position (index - 1)."""
    out = {}
    for node in root.descendants("weight"):
        issue = issue_at(path, node, domain, semantics)
        weight = _number(path, node, "value")
        if weight < 0:
            raise refuse(path, node.line, f"<weight index={issue.index}>", "a weight must be >= 0")
        out[issue.name] = (weight, node)
    return out


def _xml_profile(path: Path, domain: Domain, semantics: str) -> Profile:
    if semantics not in SEMANTICS:
        raise ValueError(f"semantics must be one of {SEMANTICS}")
    root = read_xml(path)
    if root.descendants("ufun"):
        return _rectangle_profile(path, root, domain, semantics)
    issue_nodes = {node.attributes.get("name"): node for node in root.descendants("issue")}
    weights = _weights(path, root, domain, semantics)
    profile = Profile(path)
    for issue in domain.issues:
        node = issue_nodes.get(issue.name)
        if node is None:
            raise refuse(path, root.line, f"<issue name={issue.name!r}>", "the profile does not evaluate this issue")
        if _issue_type(node) != issue.type:
            raise refuse(
                path,
                node.line,
                f"<issue name={issue.name!r}>",
                f"the domain says {issue.type}, the profile {_issue_type(node)}",
            )
        if issue.type != "discrete":
            _check_bounds(path, node, issue)
        if issue.name not in weights:
            raise refuse(path, node.line, f"<issue name={issue.name!r}>", "no <weight> for this issue")
        weight = weights[issue.name][0]
        if issue.type == "discrete":
            evaluation = _discrete_evaluations(path, node, issue, semantics)
        else:
            evaluation = _numeric_evaluations(path, node, issue, semantics)
        if isinstance(evaluation, tuple):
            profile.lines[issue.name] = (weight * evaluation[0], weight * evaluation[1])
            profile._span[issue.name] = issue.high - issue.low
        else:
            profile.tables[issue.name] = [weight * e for e in evaluation]
    _reservation_and_discount(path, root, profile)
    first_weight = min((node.line or 0 for _, node in weights.values()), default=root.line)
    _check_best(profile, semantics, first_weight)
    return profile


def _check_bounds(path, node: Node, issue: Issue) -> None:
    """A numeric issue's bounds, when the profile repeats them, must be the domain's (they place the evaluator)."""
    if "lowerbound" not in node.attributes and node.first("range") is None:
        return
    low, high = _bounds(path, node)
    if (low, high) != (issue.low, issue.high):
        raise refuse(
            path,
            node.line,
            f"<issue name={issue.name!r}>",
            f"the profile's bounds {low:g} to {high:g} are not the domain's, {issue.low:g} to {issue.high:g}",
        )


def _reservation_and_discount(path, root: Node, profile: Profile) -> None:
    for tag, attribute in (("reservation", "reservation"), ("discount_factor", "discount")):
        node = root.first(tag) or next(iter(root.descendants(tag)), None)
        if node is not None:
            setattr(profile, attribute, _number(path, node, "value"))


def _rectangle_profile(path: Path, root: Node, domain: Domain, semantics: str) -> Profile:
    """A nonlinear (ANAC 2014) profile: the sum of the utilities of the hyper-rectangles that hold.

    As GENIUS's NonlinearUtilitySpace reads it: each <hyperRectangle utility=u weight=v> of a
    <ufun weight=w aggregation="sum"> adds w * v * u when every <INCLUDES index min max> holds,
    bounds included (InclusiveHyperRectangle: min <= value <= max, integer issues); the sum is
    divided by <utility maxutility> and capped at 1 (getUtility). A cap that could bind is not
    linear, so a profile is refused when the rectangles one outcome lies in can add up to more than
    maxutility (the largest such sum, found by :func:`~.rectangle_bound.largest_sum`). NegMAS
    reads the same sum undivided and uncapped, finds issues by position (index - 1) and also
    accepts discrete issues (a value's item position, from 1).
    """
    if root.descendants("weight"):
        raise refuse(
            path,
            root.descendants("weight")[0].line,
            "<weight>",
            "a profile with both weights and hyper-rectangles is not imported",
        )
    for issue in domain.issues:
        if not issue.tabled:
            raise refuse(
                path,
                root.line,
                f"<issue name={issue.name!r}>",
                "a nonlinear profile needs discrete issues or integer ones of at most 1,000 values",
            )
    profile = Profile(path, tables={issue.name: [0.0] * len(issue.value_list()) for issue in domain.issues})
    holders = root.descendants("utility") + root.descendants("utility_function")
    if semantics == "genius" and not holders:
        raise refuse(path, root.line, f"<{root.tag}>", "GENIUS reads maxutility from a <utility> element; none found")
    top = _number(path, holders[0], "maxutility") if semantics == "genius" else 1.0
    if top <= 0:
        raise refuse(path, holders[0].line, f"<{holders[0].tag} maxutility>", "must be above 0")
    for ufun in root.descendants("ufun"):
        where = f"<ufun type={ufun.attributes.get('type')!r}>"
        if (
            ufun.attributes.get("type", "PlainUfun") != "PlainUfun"
            or ufun.attributes.get("aggregation", "sum") != "sum"
        ):
            raise refuse(
                path, ufun.line, where, "only PlainUfun hyper-rectangles summed (aggregation 'sum') are imported"
            )
        weight = _number(path, ufun, "weight", 1.0)
        for rectangle in ufun.children:
            sides = {}
            for side in rectangle.children:
                if side.tag.upper() != "INCLUDES":
                    raise refuse(
                        path, side.line, f"<{side.tag}>", "only INCLUDES bounds of a hyper-rectangle are imported"
                    )
                issue = issue_at(path, side, domain, semantics)
                if semantics == "genius" and issue.type != "integer":
                    raise refuse(
                        path, side.line, f"<{side.tag}>", "GENIUS's hyper-rectangles bound integer issues only"
                    )
                low, high = _number(path, side, "min"), _number(path, side, "max")
                numbers = (
                    [k + 1 for k in range(len(issue.values))]
                    if issue.type == "discrete"
                    else [int(v) for v in issue.value_list()]
                )
                sides[issue.name] = [k for k, v in enumerate(numbers) if low <= v <= high]
            if not sides:
                raise refuse(path, rectangle.line, f"<{rectangle.tag}>", "a hyper-rectangle without bounds")
            utility = weight * _number(path, rectangle, "weight", 1.0) * _number(path, rectangle, "utility") / top
            if utility and all(sides.values()):
                profile.rectangles.append(Rectangle(utility, sides))
    most = sum(r.utility for r in profile.rectangles if r.utility > 0)
    if semantics == "genius" and most > 1 + 1e-9:  # the quick bound fails: find the largest sum one outcome reaches
        most = largest_sum(profile.rectangles, {issue.name: len(issue.value_list()) for issue in domain.issues})
    if semantics == "genius" and most > 1 + 1e-9:
        raise refuse(
            path,
            holders[0].line,
            f"<{holders[0].tag} maxutility>",
            f"the rectangles one outcome lies in can add up to {most:.6g} times maxutility, and GENIUS caps utilities at 1: "
            "a cap that binds is not linear (use --semantics negmas to import the sum uncapped)",
        )
    _reservation_and_discount(path, root, profile)
    return profile


def _check_best(profile: Profile, semantics: str, line: int | None) -> None:
    """GENIUS caps a utility at 1 (AdditiveUtilitySpace.getUtility); a cap that binds is not additive.

    Refused at ``line``, the first <weight>.
    """
    best = profile.best()
    if semantics == "genius" and best > 1 + 1e-9:
        raise refuse(
            profile.file,
            line,
            "<weight>",
            f"the best outcome's utility is {best:.6g}: GENIUS caps utilities at 1, which is not additive "
            "(do the weights sum to more than 1?); use --semantics negmas to import it uncapped",
        )


# -- GeniusWeb JSON ----------------------------------------------------------------------------


def _json_fail(path, text: str, key: str | tuple[str, ...], message: str):
    """A refusal at a key; a tuple of keys is a path (each looked for after the one before)."""
    keys = (key,) if isinstance(key, str) else key
    return refuse(path, json_line(text, *keys), ".".join(keys), message)


def _json_number(path, text, key: str, value) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        if isinstance(value, str):
            try:
                return float(value)
            except ValueError:
                pass
        raise _json_fail(path, text, key, f"{value!r} is not a number")
    return float(value)


def _json_domain(path: Path) -> Domain:
    data, text = read_json(path)
    if not isinstance(data, dict) or not isinstance(data.get("issuesValues"), dict) or not data["issuesValues"]:
        raise refuse(path, 1, "issuesValues", "a GeniusWeb domain is an object with a non-empty 'issuesValues'")
    issues = []
    for index, (name, spec) in enumerate(data["issuesValues"].items(), start=1):
        if not isinstance(spec, dict):
            raise _json_fail(path, text, name, "an issue's value set is an object")
        if "values" in spec:
            values = spec["values"]
            if not isinstance(values, list) or not values or len({str(v) for v in values}) != len(values):
                raise _json_fail(path, text, name, "'values' must be a non-empty list of different values")
            issues.append(Issue(name, index, "discrete", tuple(str(v) for v in values)))
        elif "range" in spec:
            issues.append(_json_range(path, text, name, index, spec["range"]))
        else:
            raise _json_fail(path, text, name, "an issue has 'values' or 'range'")
    stated = data.get("name")
    return Domain(str(stated) if stated else None, tuple(issues), path, FORMATS["json"])


def _json_range(path, text, name: str, index: int, spec) -> Issue:
    """A GeniusWeb NumberValueSet {low, high, step}: an integer issue when every number is whole and step is 1."""
    if isinstance(spec, list) and len(spec) == 3:
        spec = dict(zip(("low", "high", "step"), spec, strict=True))
    if not isinstance(spec, dict) or not {"low", "high", "step"} <= set(spec):
        raise _json_fail(path, text, name, "'range' needs low, high and step")
    low, high, step = (_json_number(path, text, name, spec[k]) for k in ("low", "high", "step"))
    if step <= 0 or high < low:
        raise _json_fail(path, text, name, "'range' needs low <= high and step > 0")
    if step == 1 and low == int(low) and high == int(high):
        return Issue(name, index, "integer", low=low, high=high, number_range=(low, high))
    count = math.floor((high - low) / step + 1e-9) + 1
    if count > MAX_CHOICES:
        raise _json_fail(path, text, name, f"a range of {count} values that are not whole numbers is not imported")
    values = tuple(repr(round(low + k * step, 12)) for k in range(count))
    return Issue(name, index, "discrete", values, number_range=(low, high))


def _json_profile(path: Path, domain: Domain) -> Profile:
    """A GeniusWeb LinearAdditiveUtilitySpace: utilities in [0, 1], the best outcome's utility at most 1."""
    data, text = read_json(path)
    space = data.get("LinearAdditiveUtilitySpace") if isinstance(data, dict) else None
    if not isinstance(space, dict):
        raise refuse(path, 1, "LinearAdditiveUtilitySpace", "a GeniusWeb profile is a 'LinearAdditiveUtilitySpace'")
    _check_domain_name(path, text, space, domain)
    utilities, weights = space.get("issueUtilities"), space.get("issueWeights")
    if not isinstance(utilities, dict) or not isinstance(weights, dict):
        raise refuse(path, 1, "issueUtilities", "the profile needs 'issueUtilities' and 'issueWeights' objects")
    profile = Profile(path)
    known = {issue.name for issue in domain.issues}
    for part, entries in (("issueUtilities", utilities), ("issueWeights", weights)):
        for name in sorted(set(entries) - known):
            raise _json_fail(path, text, (part, name), f"'{name}' is not an issue of the domain")
    total = sum(_json_number(path, text, ("issueWeights", name), weight) for name, weight in weights.items())
    if abs(total - 1) > WEIGHT_SUM_TOLERANCE:
        raise _json_fail(path, text, "issueWeights", f"the weights sum to {total:.6g}; GeniusWeb requires a sum of 1")
    for issue in domain.issues:
        if issue.name not in utilities or issue.name not in weights:
            raise _json_fail(path, text, "issueUtilities", f"issue '{issue.name}' needs a utility and a weight")
        at_weight = ("issueWeights", issue.name)
        weight = _json_number(path, text, at_weight, weights[issue.name])
        if weight < 0:
            raise _json_fail(path, text, at_weight, "a weight must be >= 0")
        spec = utilities[issue.name]
        where = ("issueUtilities", issue.name)
        if isinstance(spec, dict) and "DiscreteValueSetUtilities" in spec:
            table = spec["DiscreteValueSetUtilities"].get("valueUtilities", {})
            values = issue.value_list()
            if not isinstance(table, dict) or set(map(str, table)) != set(values):
                raise _json_fail(path, text, where, "'valueUtilities' must give every value of the issue")
            table = {str(k): _json_utility(path, text, (*where, str(k)), v) for k, v in table.items()}
            profile.tables[issue.name] = [weight * table[v] for v in values]
        elif isinstance(spec, dict) and "NumberValueSetUtilities" in spec:
            line = _json_line(path, text, issue, spec["NumberValueSetUtilities"])
            if issue.tabled:
                profile.tables[issue.name] = [
                    weight * (line[0] + line[1] * (float(v) - issue.low)) for v in issue.value_list()
                ]
            else:
                profile.lines[issue.name] = (weight * line[0], weight * line[1])
                profile._span[issue.name] = issue.high - issue.low
        else:
            raise _json_fail(path, text, where, "needs DiscreteValueSetUtilities or NumberValueSetUtilities")
    bid = space.get("reservationBid")
    if isinstance(bid, dict) and isinstance(bid.get("issuevalues"), dict):
        profile.reservation = _bid_utility(path, text, domain, profile, bid["issuevalues"])
    return profile


def _check_domain_name(path, text: str, space: dict, domain: Domain) -> None:
    """A profile that embeds a domain must name the domain file's (when that file names itself)."""
    embedded = space.get("domain")
    name = embedded.get("name") if isinstance(embedded, dict) else None
    if name is not None and domain.stated_name is not None and str(name) != domain.stated_name:
        raise _json_fail(
            path,
            text,
            ("domain", "name"),
            f"the profile is for domain '{name}', the domain file is '{domain.stated_name}'",
        )


def _json_utility(path, text, key: tuple[str, ...], value) -> float:
    """A GeniusWeb utility: a number in [0, 1]."""
    number = _json_number(path, text, key, value)
    if not 0 <= number <= 1:
        raise _json_fail(path, text, key, f"a utility must be in [0, 1]; got {number:g}")
    return number


def _json_line(path, text, issue: Issue, spec) -> tuple[float, float]:
    """(utility at the issue's low, per unit): linear between (lowValue, lowUtility) and (highValue, highUtility).

    As GeniusWeb's ``NumberValueSetUtilities.isFitting``: only a number issue (a ``range``), and
    lowValue and highValue must be that range's low and high.
    """
    where = ("issueUtilities", issue.name)
    if issue.number_range is None:
        raise _json_fail(
            path, text, where, "NumberValueSetUtilities need a number issue (a 'range'), not listed values"
        )
    numbers = {k: _json_number(path, text, (*where, k), spec.get(k)) for k in ("lowValue", "highValue")}
    numbers |= {k: _json_utility(path, text, (*where, k), spec.get(k)) for k in ("lowUtility", "highUtility")}
    if numbers["highValue"] <= numbers["lowValue"]:
        raise _json_fail(path, text, where, "needs highValue > lowValue")
    low, high = issue.number_range
    if (numbers["lowValue"], numbers["highValue"]) != (low, high):
        raise _json_fail(
            path,
            text,
            where,
            f"lowValue and highValue must be the issue's range, {low:g} to {high:g} (as in GeniusWeb)",
        )
    slope = (numbers["highUtility"] - numbers["lowUtility"]) / (numbers["highValue"] - numbers["lowValue"])
    base = issue.low if issue.type != "discrete" else 0.0
    return numbers["lowUtility"] + slope * (base - numbers["lowValue"]), slope


def _bid_utility(path, text, domain: Domain, profile: Profile, values: dict) -> float:
    """The utility of a GeniusWeb reservation bid: its reservation value."""
    total = 0.0
    for issue in domain.issues:
        if issue.name not in values:
            raise _json_fail(path, text, "reservationBid", f"the reservation bid gives no value for '{issue.name}'")
        value = values[issue.name]
        if issue.name in profile.tables:
            options = issue.value_list()
            if str(value) not in options:
                raise _json_fail(path, text, "reservationBid", f"{value!r} is not a value of '{issue.name}'")
            total += profile.tables[issue.name][options.index(str(value))]
        else:
            at_low, slope = profile.lines[issue.name]
            total += at_low + slope * (_json_number(path, text, "reservationBid", value) - issue.low)
    return total
