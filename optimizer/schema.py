"""The instance format as strict pydantic models: the single source of the format's truth.

Every field is documented where it is declared; ``dealopt schema`` and
``docs/instance-format.md`` are generated from these models. Cross-references
and rules that span several fields live in :mod:`optimizer.checks`.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    StringConstraints,
    Tag,
    field_validator,
    model_validator,
)

NAME_PATTERN = r"^[A-Za-z][A-Za-z0-9_-]*$"
MAX_MAGNITUDE = 1e9
MAX_LEVER_AMOUNT = 1e6

Name = Annotated[str, StringConstraints(strict=True, pattern=NAME_PATTERN)]
Text = Annotated[str, Field(strict=True)]
Flag = Annotated[bool, Field(strict=True)]
Number = Annotated[float, Field(strict=True, allow_inf_nan=False, ge=-MAX_MAGNITUDE, le=MAX_MAGNITUDE)]
NonNegative = Annotated[float, Field(strict=True, allow_inf_nan=False, ge=0, le=MAX_MAGNITUDE)]
Amount = Annotated[float, Field(strict=True, allow_inf_nan=False, ge=0, le=MAX_LEVER_AMOUNT)]
PositiveAmount = Annotated[float, Field(strict=True, allow_inf_nan=False, gt=0, le=MAX_LEVER_AMOUNT)]
Segment = tuple[PositiveAmount, Number]


def _curve_or_number(value: Any) -> str:
    return "curve" if isinstance(value, list | tuple) else "number"


PerUnitCost = Annotated[
    Annotated[Number, Tag("number")] | Annotated[list[Segment], Tag("curve")],
    Discriminator(_curve_or_number),
]
"""A number, or a piecewise curve when the value is a list (errors then come from that reading alone)."""


class Strict(BaseModel):
    """Base of every model: unknown keys are errors and parsed instances are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


def _bare_number_is_per_unit(value: Any) -> Any:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return {"per_unit": value}
    return value


class GiveTerm(Strict):
    """What a lever gives the counterpart on one metric. A bare number means ``per_unit``."""

    fixed: Number = 0.0
    """Given once when the lever is used, whatever its amount."""
    per_unit: Number = 0.0
    """Given per unit of the lever's amount."""

    _bare = model_validator(mode="before")(_bare_number_is_per_unit)


class CostTerm(Strict):
    """What a lever costs one constituency. A bare number means ``per_unit``."""

    fixed: Number = 0.0
    """Political cost paid once when the lever is used."""
    per_unit: PerUnitCost = 0.0
    """Cost per unit of amount, or a convex piecewise curve: a list of
    ``[upper_breakpoint, marginal_cost]`` segments (integer and continuous levers only)."""

    _bare = model_validator(mode="before")(_bare_number_is_per_unit)

    @property
    def is_piecewise(self) -> bool:
        return isinstance(self.per_unit, list)


class Constituency(Strict):
    """A domestic group that pays the political cost of concessions."""

    label: Text | None = None
    """Display name."""
    weight: NonNegative = 1.0
    """How much one point of this group's cost counts in the objective (>= 0)."""
    source: Text | None = None
    """Where the facts behind this group come from."""
    note: Text | None = None
    """Why the weight is what it is."""


class Metric(Strict):
    """Something the counterpart counts, such as deficit reduction or investment."""

    label: Text | None = None
    """Display name."""
    unit: Text | None = None
    """Unit of the metric, shown in tables and plot axes."""
    source: Text | None = None
    """Where the facts behind this metric come from."""
    note: Text | None = None
    """Free comment."""


class Option(Strict):
    """One alternative of a choice lever."""

    label: Text | None = None
    """Display name."""
    gives: dict[Name, Number] = {}
    """Metric -> amount given when this option is picked."""
    costs: dict[Name, Number] = {}
    """Constituency -> political cost when this option is picked."""
    source: Text | None = None
    """Where the numbers come from."""
    note: Text | None = None
    """Free comment."""


class _LeverText(Strict):
    label: Text | None = None
    """Display name."""
    unit: Text | None = None
    """Unit of the lever's amount."""
    group: Text | None = None
    """A grouping for reports, such as 'agriculture'."""
    source: Text | None = None
    """Where the facts behind this lever come from."""
    note: Text | None = None
    """Why its numbers are what they are."""


class BinaryLever(_LeverText):
    """An all-or-nothing concession: amount is 1 when used, 0 otherwise."""

    kind: Literal["binary"]
    """binary | integer | continuous | choice."""
    gives: dict[Name, GiveTerm] = {}
    """Metric -> number (per unit) or {fixed, per_unit}."""
    costs: dict[Name, CostTerm] = {}
    """Constituency -> number (per unit) or {fixed, per_unit}."""


class IntegerLever(_LeverText):
    """A concession made in whole units (aircraft, batches), from min_if_used up to max."""

    kind: Literal["integer"]
    """binary | integer | continuous | choice."""
    max: PositiveAmount
    """Upper bound of the amount: a whole number, at most 1e6."""
    min_if_used: Amount = 1.0
    """A used lever is at least this big (0 < min_if_used <= max)."""
    gives: dict[Name, GiveTerm] = {}
    """Metric -> number (per unit) or {fixed, per_unit}."""
    costs: dict[Name, CostTerm] = {}
    """Constituency -> number (per unit), {fixed, per_unit}, or a piecewise per_unit list."""


class ContinuousLever(_LeverText):
    """A concession of any size from min_if_used up to max (purchases in USD bn/yr, kt of rice)."""

    kind: Literal["continuous"]
    """binary | integer | continuous | choice."""
    max: PositiveAmount
    """Upper bound of the amount, at most 1e6 (choose units to stay below it)."""
    min_if_used: Amount = 0.0
    """The smallest amount that counts as using the lever (0 <= min_if_used <= max).
    Must be > 0 when the lever has fixed terms or is named by a requires,
    excludes or conditional red line."""
    gives: dict[Name, GiveTerm] = {}
    """Metric -> number (per unit) or {fixed, per_unit}."""
    costs: dict[Name, CostTerm] = {}
    """Constituency -> number (per unit), {fixed, per_unit}, or a piecewise per_unit list."""


class ChoiceLever(_LeverText):
    """Pick at most one of several options (exactly one when required)."""

    kind: Literal["choice"]
    """binary | integer | continuous | choice."""
    options: Annotated[dict[Name, Option], Field(min_length=1)]
    """Option name -> option; at least one."""
    required: Flag = False
    """When true, exactly one option must be picked."""


class RectangleLever(_LeverText):
    """A hyper-rectangle of choices: it holds exactly when every listed choice lever picks a listed option.

    Each side is a closed range of an issue's values, listed one by one. It is not a decision of its own:
    what it gives and costs follows from the picks (nonlinear negotiation domains, docs/genius.md)."""

    kind: Literal["rectangle"]
    """binary | integer | continuous | choice | rectangle."""
    when: Annotated[dict[Name, Annotated[list[Name], Field(min_length=1)]], Field(min_length=1)]
    """Choice lever -> the options of it inside the rectangle (any one of them)."""
    gives: dict[Name, GiveTerm] = {}
    """Metric -> what holding the rectangle gives: a number (its amount is 1 when it holds) or {fixed}."""
    costs: dict[Name, CostTerm] = {}
    """Constituency -> what holding it costs (a negative cost is a gain)."""


AmountLever = BinaryLever | IntegerLever | ContinuousLever | RectangleLever
Lever = Annotated[
    BinaryLever | IntegerLever | ContinuousLever | ChoiceLever | RectangleLever, Field(discriminator="kind")
]


class Offer(Strict):
    """A deal the counterpart may grant (a tariff tier), or walking away."""

    label: Text | None = None
    """Display name."""
    walk_away: Flag = False
    """The no-deal outcome: it has no requires and is exempt from offer red lines."""
    requires: dict[Name, Number] = {}
    """Metric -> threshold (>=) the package must reach for this offer."""
    benefits: dict[Name, Number] = {}
    """Constituency -> political gain at home when this offer is granted."""
    attributes: dict[Name, Number] = {}
    """Name -> number describing the offer (e.g. auto_tariff: 15), used by offer red lines."""
    source: Text | None = None
    """Where the facts behind this offer come from."""
    note: Text | None = None
    """Why its thresholds and benefits are what they are."""

    @model_validator(mode="after")
    def _walk_away_requires_nothing(self):
        if self.walk_away and self.requires:
            raise ValueError("a walk_away offer has no 'requires' (global demands still apply)")
        return self


class _RedLineBase(Strict):
    name: Name
    """Unique name of the red line."""
    label: Text | None = None
    """Display name, shown in explanations."""
    reason: Text | None = None
    """Why this line exists, shown in explanations."""


def _has_a_bound(line):
    if line.max is None and line.min is None:
        raise ValueError("give 'max', 'min' or both")
    if line.max is not None and line.min is not None and line.min > line.max:
        raise ValueError(f"min ({line.min:g}) is above max ({line.max:g})")
    return line


class MaxCostRedLine(_RedLineBase):
    """A cap on one constituency's gross political cost: cost[k] <= max."""

    kind: Literal["max_cost"]
    """The red line's kind."""
    constituency: Name
    """The constituency whose cost is capped."""
    max: Number
    """The cap, in cost points (before benefits)."""


class LimitRedLine(_RedLineBase):
    """A linear limit on lever amounts: min <= sum(terms[j] * amount[j]) <= max."""

    kind: Literal["limit"]
    """The red line's kind."""
    terms: Annotated[dict[Name, Number], Field(min_length=1)]
    """Lever -> coefficient (a choice lever's amount is 1 when an option is picked)."""
    max: Number | None = None
    """Upper bound of the weighted sum."""
    min: Number | None = None
    """Lower bound of the weighted sum."""

    _bounds = model_validator(mode="after")(_has_a_bound)


class ForbidRedLine(_RedLineBase):
    """Levers that must not be used."""

    kind: Literal["forbid"]
    """The red line's kind."""
    levers: Annotated[list[Name], Field(min_length=1)]
    """The forbidden levers."""


class RequiresRedLine(_RedLineBase):
    """A lever that may be used only together with another: used[lever] <= used[needs]."""

    kind: Literal["requires"]
    """The red line's kind."""
    lever: Name
    """The dependent lever."""
    needs: Name
    """The lever it needs."""


class ExcludesRedLine(_RedLineBase):
    """Levers of which at most one may be used."""

    kind: Literal["excludes"]
    """The red line's kind."""
    levers: Annotated[list[Name], Field(min_length=2)]
    """At least two different levers."""


class OfferRedLine(_RedLineBase):
    """Bounds on an offer attribute: offers that break them may not be granted (walk-away exempt)."""

    kind: Literal["offer"]
    """The red line's kind."""
    attribute: Name
    """The offer attribute bounded, defined by every offer that is not walk_away."""
    max: Number | None = None
    """Highest acceptable attribute value."""
    min: Number | None = None
    """Lowest acceptable attribute value."""

    _bounds = model_validator(mode="after")(_has_a_bound)


class ConditionalRedLine(_RedLineBase):
    """A lever that may be used only if one of the listed offers is granted."""

    kind: Literal["conditional"]
    """The red line's kind."""
    lever: Name
    """The conditional lever."""
    offers: Annotated[list[Name], Field(min_length=1)]
    """Offers under which the lever may be used."""


RedLine = Annotated[
    MaxCostRedLine
    | LimitRedLine
    | ForbidRedLine
    | RequiresRedLine
    | ExcludesRedLine
    | OfferRedLine
    | ConditionalRedLine,
    Field(discriminator="kind"),
]

LATER_SECTIONS: dict[str, Any] = {
    "as_of": None,
    "provenance": {},
    "beliefs": {},
    "counterpart": None,
    "genius": None,
}
"""Optional top-level sections that joined format 1 after its first release, with their defaults.
An instance that leaves them at their defaults hashes and saves exactly as it did before they existed."""

RED_LINE_KINDS = ("max_cost", "limit", "forbid", "requires", "excludes", "offer", "conditional")
LEVER_KINDS = ("binary", "integer", "continuous", "choice", "rectangle")


# -- dated provenance (see optimizer.provenance for what is checked with it) ---------------------

_FISCAL_YEAR = re.compile(r"FY(?P<year>[0-9]{4})")
FISCAL_YEAR_END = (3, 31)
"""Month and day on which fiscal year FY<n> ends, in year n + 1 (April-March, Japan and the UK)."""


def _calendar_date(text: str) -> str:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"'{text}' is not a calendar date; write YYYY-MM-DD") from None
    return text


def _fiscal_year(text: str) -> str:
    if _FISCAL_YEAR.fullmatch(text) is None:
        raise ValueError(f"'{text}' is neither a date (YYYY-MM-DD) nor a fiscal year (FY2024)")
    return text


IsoDate = Annotated[str, Field(strict=True, pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"), AfterValidator(_calendar_date)]
"""A calendar date written ``YYYY-MM-DD``."""
Year = Annotated[int, Field(strict=True, ge=1900, le=2100)]
"""A calendar year, such as 2024."""
FiscalYear = Annotated[str, Field(strict=True), AfterValidator(_fiscal_year)]
"""A fiscal year written ``FY2024`` (April 2024 to March 2025)."""
Published = Year | IsoDate | FiscalYear
"""When a source appeared: a date, a year or a fiscal year."""


class ProvenanceEntry(Strict):
    """Where one number comes from, and when it was known."""

    source: Text | None = None
    """The source, by name and date (outlet, publication, dataset); required unless ``judgement`` is true."""
    published: Published
    """When the source (or, for a judgement, the latest fact it rests on) was published:
    ``YYYY-MM-DD``, a year (``2024``) or a fiscal year (``FY2024``). A year or fiscal year
    counts as known by its last day."""
    known_by: IsoDate | None = None
    """The date by which the number was public; defaults to ``published`` (its last day for a
    year). Earlier than ``published`` only for a source reporting an earlier public position,
    with a ``note`` saying so."""
    judgement: Flag = False
    """True when the number is ours (a calibration call), not read off a source."""
    limit: Flag = False
    """For a lever bound (``levers.*.max``) only: the bound is a real physical, legal or budget
    limit, the most that could be offered, so an optimum may rest on it."""
    note: Text | None = None
    """The reasoning: the arithmetic, or why a judgement is what it is."""

    @model_validator(mode="after")
    def _sourced_or_judged(self):
        if self.source is None and not self.judgement:
            raise ValueError("give a 'source', or mark the number 'judgement: true' and explain it in 'note'")
        if self.judgement and self.note is None:
            raise ValueError("a judgement needs a 'note' with its reasoning")
        if self.note is None and known_by_date(self) < period_end(self.published):
            raise ValueError("known before it was published: say in 'note' which earlier public position it reports")
        return self


def period_end(published: int | str) -> dt.date:
    """The last day of a publication date, year or fiscal year."""
    if isinstance(published, int):
        return dt.date(published, 12, 31)
    fiscal = _FISCAL_YEAR.fullmatch(published)
    if fiscal:
        return dt.date(int(fiscal["year"]) + 1, *FISCAL_YEAR_END)
    return dt.date.fromisoformat(published)


def known_by_date(entry: ProvenanceEntry) -> dt.date:
    """The date by which ``entry``'s number was public: ``known_by``, else the end of ``published``."""
    if entry.known_by is not None:
        return dt.date.fromisoformat(entry.known_by)
    return period_end(entry.published)


# -- beliefs about uncertain numbers (see optimizer.beliefs) -------------------------------------

Probability = Annotated[float, Field(strict=True, allow_inf_nan=False, ge=0, le=1)]


class DiscreteLaw(Strict):
    """A number that takes one of a few values, each with its probability."""

    values: Annotated[list[Number], Field(min_length=1)]
    """The possible values, all different."""
    probs: Annotated[list[Probability], Field(min_length=1)]
    """The probability of each value, in the same order; they sum to 1 (within 1e-9)."""

    @model_validator(mode="after")
    def _a_distribution(self):
        if len(self.values) != len(self.probs):
            raise ValueError(f"give one probability per value: {len(self.values)} values, {len(self.probs)} probs")
        if len(set(self.values)) != len(self.values):
            raise ValueError("the values must all be different")
        if abs(sum(self.probs) - 1) > 1e-9:
            raise ValueError(f"the probabilities must sum to 1, got {sum(self.probs):.12g}")
        return self


class UniformLaw(Strict):
    """Any value between low and high, all equally likely."""

    low: Number
    """The least value."""
    high: Number
    """The greatest value (> low)."""

    @model_validator(mode="after")
    def _ordered(self):
        if not self.low < self.high:
            raise ValueError(f"low ({self.low:g}) must be below high ({self.high:g})")
        return self


class TriangularLaw(Strict):
    """A value between low and high, most likely near mode."""

    low: Number
    """The least value."""
    mode: Number
    """The most likely value (low <= mode <= high)."""
    high: Number
    """The greatest value (> low)."""

    @model_validator(mode="after")
    def _ordered(self):
        if not (self.low <= self.mode <= self.high and self.low < self.high):
            raise ValueError(f"need low <= mode <= high and low < high, got {self.low:g}, {self.mode:g}, {self.high:g}")
        return self


class NormalLaw(Strict):
    """A normal law, optionally truncated to [low, high]."""

    mean: Number
    """The mean (of the law before truncation)."""
    sd: Annotated[float, Field(strict=True, allow_inf_nan=False, gt=0, le=MAX_MAGNITUDE)]
    """The standard deviation (> 0)."""
    low: Number | None = None
    """Truncate below this value."""
    high: Number | None = None
    """Truncate above this value (> low)."""

    @model_validator(mode="after")
    def _ordered(self):
        if self.low is not None and self.high is not None and not self.low < self.high:
            raise ValueError(f"low ({self.low:g}) must be below high ({self.high:g})")
        return self


class LognormalLaw(Strict):
    """A positive number whose logarithm is normal, given by its own mean and standard deviation."""

    mean: Annotated[float, Field(strict=True, allow_inf_nan=False, gt=0, le=MAX_MAGNITUDE)]
    """The mean of the number itself (> 0), not of its logarithm."""
    sd: Annotated[float, Field(strict=True, allow_inf_nan=False, gt=0, le=MAX_MAGNITUDE)]
    """The standard deviation of the number itself (> 0)."""


LAWS = ("discrete", "uniform", "triangular", "normal", "lognormal")
"""The laws a belief may follow, each a key of :class:`Belief`."""


class Belief(Strict):
    """What we believe about one uncertain number of the instance: its path and its law (exactly one)."""

    path: Text
    """The ``--set`` path of the number (e.g. offers.car_deal.requires.investment); its value in the file stays
    the point estimate."""
    discrete: DiscreteLaw | None = None
    """A few values with their probabilities."""
    uniform: UniformLaw | None = None
    """Equally likely between low and high."""
    triangular: TriangularLaw | None = None
    """Between low and high, most likely at mode."""
    normal: NormalLaw | None = None
    """Normal, optionally truncated."""
    lognormal: LognormalLaw | None = None
    """Lognormal, by the number's own mean and sd."""
    label: Text | None = None
    """Display name."""
    source: Text | None = None
    """Where the range comes from."""
    judgement: Flag = False
    """True when the law is ours, not read off a source."""
    note: Text | None = None
    """The reasoning behind the law."""

    @model_validator(mode="after")
    def _one_law(self):
        given = [law for law in LAWS if getattr(self, law) is not None]
        if len(given) != 1:
            raise ValueError(f"give exactly one law ({', '.join(LAWS)}), got {len(given)}")
        return self

    @property
    def law(self) -> str:
        """The name of its law: discrete, uniform, triangular, normal or lognormal."""
        return next(law for law in LAWS if getattr(self, law) is not None)


class Correlation(Strict):
    """A Gaussian copula between some beliefs (independent when absent)."""

    names: Annotated[list[Name], Field(min_length=2)]
    """The beliefs it correlates, all different."""
    matrix: list[list[Annotated[float, Field(strict=True, allow_inf_nan=False, ge=-1, le=1)]]]
    """The correlation matrix, in the order of ``names``: symmetric, ones on the diagonal, positive semi-definite."""

    @model_validator(mode="after")
    def _a_correlation_matrix(self):
        n = len(self.names)
        if len(set(self.names)) != n:
            raise ValueError("the names must all be different")
        if len(self.matrix) != n or any(len(row) != n for row in self.matrix):
            raise ValueError(f"the matrix must be {n} x {n}, one row and column per name")
        if any(self.matrix[i][i] != 1 for i in range(n)):
            raise ValueError("the diagonal must be all 1")
        if any(self.matrix[i][j] != self.matrix[j][i] for i in range(n) for j in range(i)):
            raise ValueError("the matrix must be symmetric")
        import numpy as np  # only when a correlation is given: plain validation stays light

        if float(np.linalg.eigvalsh(np.array(self.matrix)).min()) < -1e-9:
            raise ValueError("the matrix must be positive semi-definite (a correlation matrix)")
        return self


CORRELATION = "correlation"
"""The key of ``beliefs`` that holds a :class:`Correlation` rather than a belief."""


def _belief_or_correlation(value: Any) -> str:
    correlation = isinstance(value, Correlation) or (isinstance(value, dict) and "matrix" in value)
    return CORRELATION if correlation else "belief"


BELIEF_TAGS = ("belief", CORRELATION)
"""The tags that tell a belief from a correlation (they appear in pydantic's error locations)."""

BeliefEntry = Annotated[
    Annotated[Belief, Tag(BELIEF_TAGS[0])] | Annotated[Correlation, Tag(CORRELATION)],
    Discriminator(_belief_or_correlation),
]


# -- the counterpart's side (see optimizer.frontier) --------------------------------------------


class Disagreement(Strict):
    """What each side gets when there is no agreement."""

    ours: Number
    """Our value (minus the net political cost), in points."""
    theirs: Number
    """The counterpart's value, in its unit."""


class Counterpart(Strict):
    """What the counterpart gains from a package, in its own unit."""

    label: Text | None = None
    """Display name (e.g. United States)."""
    unit: Text | None = None
    """The unit of its value (e.g. USD bn/yr equivalent)."""
    value: dict[Name, Number] = {}
    """Metric -> its value per unit achieved; a metric left out counts 0."""
    offer_cost: dict[Name, Number] = {}
    """Offer -> what granting it costs the counterpart; an offer left out costs 0."""
    disagreement: Disagreement | None = None
    """Overrides the disagreement point (required when the instance has no walk-away offer)."""
    source: Text | None = None
    """Where the values come from."""
    note: Text | None = None
    """The reasoning behind them."""


# -- where an imported negotiation domain came from (see optimizer.genius) ----------------------


class GeniusSource(Strict):
    """Metadata of an instance imported from a GENIUS or GeniusWeb negotiation domain (docs/genius.md)."""

    format: Literal["genius-xml", "geniusweb-json"]
    """The format of the source files."""
    domain: Text
    """The domain file's name (without its folder)."""
    ours: Text
    """The file name of our utility profile (our cost is 1 - its utility)."""
    theirs: Text
    """The file name of the counterpart's utility profile (the metric their_utility)."""
    semantics: Literal["genius", "negmas"] = "genius"
    """Whose reading of the files the numbers follow: GENIUS's own, or NegMAS's (docs/genius.md)."""
    discount_ours: Annotated[float, Field(strict=True, allow_inf_nan=False, ge=0, le=1)] | None = None
    """Our profile's discount factor, kept but not used (the frontier is undiscounted)."""
    discount_theirs: Annotated[float, Field(strict=True, allow_inf_nan=False, ge=0, le=1)] | None = None
    """The counterpart's discount factor, kept but not used."""
    reservation_ours: Number | None = None
    """Our reservation value as written in the profile (our red line and disagreement point)."""
    reservation_theirs: Number | None = None
    """The counterpart's reservation value as written (its disagreement point)."""


class Instance(Strict):
    """A negotiation: what home can concede, who pays, what the counterpart asks, and home's red lines."""

    format: int
    """The format version; only 1."""
    name: Name
    """Identifier, used for results/<name>/ (defaults to the file's stem)."""
    title: Text | None = None
    """One-line title."""
    description: Text | None = None
    """Longer description: the situation, and how costs were scaled."""
    units: dict[Name, Text] = {}
    """Free-form unit labels, such as money: USD bn."""
    constituencies: dict[Name, Constituency]
    """Who at home pays (may be empty)."""
    metrics: dict[Name, Metric]
    """What the counterpart counts (may be empty)."""
    levers: dict[Name, Lever]
    """The concessions home can offer (may be empty)."""
    offers: Annotated[dict[Name, Offer], Field(min_length=1)] | None = None
    """What the counterpart may grant; exactly one is granted. Optional; when present, at least one."""
    demands: dict[Name, Number] = {}
    """Metric -> threshold (>=) that holds whatever offer is granted."""
    red_lines: list[RedLine] = []
    """Home's red lines, each with a unique name."""
    as_of: IsoDate | None = None
    """The date (YYYY-MM-DD) whose knowledge the instance models: no number may rest on anything known later."""
    provenance: dict[str, ProvenanceEntry] = {}
    """A ``--set`` path of the normalised instance -> where the number there comes from and when it was known."""
    beliefs: dict[Name, BeliefEntry] = {}
    """Name -> a belief about an uncertain number; the key ``correlation`` holds a Gaussian copula between some."""
    counterpart: Counterpart | None = None
    """What the counterpart gains from a package, for the bargaining frontier."""
    genius: GeniusSource | None = None
    """Where an instance imported by ``dealopt import-genius`` came from; not used by the model."""

    @field_validator("format", mode="before")
    @classmethod
    def _format_one(cls, value):
        if isinstance(value, bool) or not isinstance(value, int | float) or value != 1:
            raise ValueError(f"unsupported format {value!r}; this version of dealopt reads 'format: 1'")
        return 1

    # Convenience views used by the model, the verifier and the tables.

    @property
    def amount_levers(self) -> dict[str, AmountLever]:
        return {n: lv for n, lv in self.levers.items() if lv.kind != "choice"}

    @model_validator(mode="after")
    def _rectangles_name_choice_options(self):
        for name, lever in self.levers.items():
            for j, options in getattr(lever, "when", {}).items():
                other = self.levers.get(j)
                if other is None:
                    continue  # an unknown lever is reported, located, by the reference checks
                known = getattr(other, "options", None)
                if known is None:
                    raise ValueError(f"levers.{name}.when.{j}: '{j}' is not a choice lever")
                unknown = [o for o in options if o not in known]
                if unknown:
                    raise ValueError(f"levers.{name}.when.{j}: '{j}' has no option {unknown[0]!r}")
        return self

    @property
    def choice_levers(self) -> dict[str, ChoiceLever]:
        return {n: lv for n, lv in self.levers.items() if lv.kind == "choice"}

    @property
    def offer_items(self) -> dict[str, Offer]:
        return dict(self.offers or {})

    def dump(self, *, exclude_none: bool = False) -> dict:
        """The instance as plain JSON data, without the later sections left at their defaults (see LATER_SECTIONS)."""
        data = self.model_dump(mode="json", exclude_none=exclude_none)
        for key, default in LATER_SECTIONS.items():
            if data.get(key, default) == default:
                data.pop(key, None)
        return data

    def red_line(self, name: str):
        return next(line for line in self.red_lines if line.name == name)
