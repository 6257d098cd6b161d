"""The shape of a rule pack, checked with pydantic.

A rule pack is the whole of one plan as data: the plan it encodes, its reform areas and their
points, the facts a ward reports, the metrics derived from them, the plan's requirements
(catalogue ids and quotes) and the rules that score them. These models check each YAML file's
shape; cross-references between files (a rule naming an unknown fact, points that do not add
up) are checked by `cchc.engine.pack.check`.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, field_validator, model_validator

IDENTIFIER = re.compile(r"^[a-z][a-z0-9_]*$")
RULE_ID = re.compile(r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)*$")
# Fact keys durable_rules treats specially, or that our compiled facts use.
RESERVED_NAMES = frozenset({"id", "sid", "_area"})

Comparison = Literal[">", ">=", "<", "<=", "=="]
Points = Annotated[Decimal, Field(gt=0, max_digits=6, decimal_places=2)]
Share = Annotated[Decimal, Field(ge=0, le=1, max_digits=4, decimal_places=3)]
# The share a partial outcome earns: below 1, so a missed target never earns full points.
PartialShare = Annotated[Decimal, Field(ge=0, lt=1, max_digits=4, decimal_places=3)]
# Thresholds and bounds carry at most 6 decimals: what a plan writes ("85%", "0,5") and what a
# reader can check by eye. durable_rules never sees them as floats (see cchc.engine.durable).
THRESHOLD_DECIMALS = 6
Threshold = Annotated[Decimal, Field(decimal_places=THRESHOLD_DECIMALS, max_digits=21)]


class Strict(BaseModel):
    """Base for every pack model: unknown keys are errors (a typo must not pass silently)."""

    model_config = ConfigDict(extra="forbid", frozen=True)


# Texts a person writes in a pack: far above the longest of the shipped pack (about 1 000
# characters), and short enough that laying out a report table never crawls.
MAX_TEXT = 5000
# Names (ids of rules, facts, areas) and how many of a thing a pack lists: generous for any plan,
# and a bound on what every later stage has to walk.
MAX_NAME = 64
MAX_ITEMS = 100
MAX_RULES = 2000


class Bilingual(Strict):
    """A text in Vietnamese (read first) and English."""

    vi: str = Field(min_length=1, max_length=MAX_TEXT)
    en: str = Field(min_length=1, max_length=MAX_TEXT)


MAX_TITLE = 300


class Title(Bilingual):
    """A short text shown in a table cell: a rule's title, a fact's or metric's label."""

    vi: str = Field(min_length=1, max_length=MAX_TITLE)
    en: str = Field(min_length=1, max_length=MAX_TITLE)


# --- pack.yaml ---------------------------------------------------------------------------


class PlanSource(Strict):
    """The document the pack encodes."""

    document: str = Field(max_length=MAX_TEXT)
    issuer: str = Field(max_length=MAX_TEXT)
    unit: str = Field(max_length=MAX_TEXT)
    issued_on: dt.date
    source_file: str = Field(max_length=MAX_TEXT)


class Band(Strict):
    """A classification band (xếp loại) by index %, e.g. Xuất sắc from 90."""

    id: str = Field(max_length=MAX_NAME)
    vi: str = Field(max_length=MAX_TITLE)
    en: str = Field(max_length=MAX_TITLE)
    min_index: Decimal = Field(ge=0, le=100)


class Area(Strict):
    """A reform area (lĩnh vực) and the points it weighs."""

    id: str = Field(max_length=MAX_NAME)
    vi: str = Field(max_length=MAX_TITLE)
    en: str = Field(max_length=MAX_TITLE)
    points: Points


MetricKind = Literal["ratio", "difference", "change", "all", "count", "number", "rank", "level",
                     "date", "boolean"]


class AppliesTo(Strict):
    """Which rules a convention covers: tests with one of `ops` on a value of one of `kinds`
    (a metric's kind, or a reported fact's type)."""

    ops: list[Literal[">", ">=", "<", "<=", "==", "done_by"]] = Field(min_length=1)
    kinds: list[MetricKind] = Field(min_length=1)


class Convention(Strict):
    """A partial credit the plan does not state, declared once for the whole pack.

    Shown in every explanation of a rule that uses it as "quy ước của gói quy tắc, không có
    trong Kế hoạch" / "pack convention, not in the plan"; a city that reads the plan otherwise
    edits it here, once, and re-scores.
    """

    id: str = Field(pattern=IDENTIFIER.pattern)
    title: Bilingual
    text: Bilingual
    applies_to: AppliesTo
    scoring: Annotated[Steps | Linear | OnTime | Deductions, Field(discriminator="method")]


class PackMeta(Strict):
    """pack.yaml: identity, plan, year, total points, bands, areas and conventions."""

    id: str = Field(max_length=MAX_NAME)
    version: str = Field(max_length=MAX_TEXT)
    title: Bilingual
    year: int = Field(ge=2000, le=2100)
    plan: PlanSource
    max_points: Points
    bands: list[Band] = Field(min_length=1, max_length=MAX_ITEMS)
    areas: list[Area] = Field(min_length=1, max_length=MAX_ITEMS)
    conventions: list[Convention] = Field([], max_length=MAX_ITEMS)


# --- facts.yaml --------------------------------------------------------------------------


class Level(Strict):
    """One value of an ordered scale, e.g. a task-completion rating."""

    id: str = Field(max_length=MAX_NAME)
    vi: str = Field(max_length=MAX_TITLE)
    en: str = Field(max_length=MAX_TITLE)


class FactSpec(Strict):
    """A fact the ward reports: its type, labels, unit and whether evidence must back it.

    `edition: true` marks an index result published once a year by someone else (PAR INDEX,
    SIPAS, PAPI, PCI, a ranking, a completion rating): the facts file must say which edition
    (năm đánh giá) a value belongs to, and may mark this year's edition as not yet published
    (`pending`), which makes the rules that read it wait (chờ kết quả) instead of failing.
    `evidence_since` lets evidence predate the plan year without a warning (a staffing baseline
    set at the start of a multi-year period). `published_by_month`: an edition of year N is
    usually out by the end of this month of N + 1; a pending one after that draws a warning.
    """

    type: Literal["count", "number", "boolean", "date", "level", "rank"]
    label: Title
    unit: Bilingual | None = None
    hint: Bilingual | None = None
    evidence_required: bool = False
    evidence_since: dt.date | None = None
    edition: bool = False
    published_by_month: int | None = Field(None, ge=1, le=12)
    minimum: Threshold | None = None
    maximum: Threshold | None = None
    levels: list[Level] | None = None

    @model_validator(mode="after")
    def _levels_only_for_level(self) -> FactSpec:
        if (self.type == "level") != bool(self.levels):
            raise ValueError("'levels' is required for type 'level' and only allowed there")
        return self


class RatioMetric(Strict):
    """numerator / denominator × scale, exact. A zero denominator makes the metric not applicable.

    `bounded` says the numerator can never exceed the denominator (digitised dossiers cannot
    outnumber dossiers received): a facts file that says otherwise is refused. An unbounded
    rate may name `plausible_max`: above it, a warning (revenue at 100 000 % of its target is a
    typing mistake, not a triumph).
    """

    kind: Literal["ratio"]
    label: Title
    numerator: str = Field(max_length=MAX_NAME)
    denominator: str = Field(max_length=MAX_NAME)
    scale: Annotated[Decimal, Field(gt=0, le=10**6, decimal_places=THRESHOLD_DECIMALS)] = \
        Decimal(100)
    unit: Bilingual
    bounded: bool = True
    plausible_max: Threshold | None = None

    @property
    def operands(self) -> tuple[str, ...]:
        """The names it is computed from."""
        return (self.numerator, self.denominator)


class DifferenceMetric(Strict):
    """minuend − subtrahend, e.g. overdue dossiers without an apology letter.

    `non_negative` says the subtrahend can never exceed the minuend (a facts file that says
    otherwise is refused). `none_is_not_applicable` says a minuend of 0 leaves nothing to do:
    no overdue dossier, no apology owed — the rule is then not applicable, as a rate with a
    denominator of 0 is.
    """

    kind: Literal["difference"]
    label: Title
    minuend: str = Field(max_length=MAX_NAME)
    subtrahend: str = Field(max_length=MAX_NAME)
    unit: Bilingual
    non_negative: bool = True
    none_is_not_applicable: bool = False

    @property
    def operands(self) -> tuple[str, ...]:
        """The names it is computed from."""
        return (self.minuend, self.subtrahend)


class ChangeMetric(Strict):
    """Improvement of a fact or metric over the previous year's value in the same facts file.

    `better: higher` gives this year − last year; `better: lower` (a rank, where 1 is best) gives
    last year − this year, so a positive change is always an improvement. `ceiling` is the best
    value there is (rank 1, the top level's id, 100 %): a ward at the ceiling both years has
    kept the best place, which a rule may read as met although nothing rose.
    """

    kind: Literal["change"]
    label: Title
    of: str = Field(max_length=MAX_NAME)
    better: Literal["higher", "lower"] = "higher"
    unit: Bilingual
    ceiling: Threshold | str | None = None

    @property
    def operands(self) -> tuple[str, ...]:
        """The name it is computed from (this year's and last year's value of it)."""
        return (self.of,)


class AllMetric(Strict):
    """True when every one of several yes/no facts is true, e.g. each document a duty names
    was published: one yes/no fact cannot pass a duty on evidence of only one of its parts."""

    kind: Literal["all"]
    label: Title
    of: list[str] = Field(min_length=2)

    @property
    def operands(self) -> tuple[str, ...]:
        """The yes/no facts it combines."""
        return tuple(self.of)


Metric = Annotated[RatioMetric | DifferenceMetric | ChangeMetric | AllMetric,
                   Field(discriminator="kind")]


class FactsSection(Strict):
    """facts.yaml: the facts a ward reports and the metrics derived from them."""

    facts: dict[str, FactSpec]
    metrics: dict[str, Metric] = {}

    @field_validator("facts", "metrics")
    @classmethod
    def _names(cls, value: dict) -> dict:
        if len(value) > MAX_RULES:
            raise ValueError(f"at most {MAX_RULES} facts and {MAX_RULES} metrics")
        for name in value:
            if not IDENTIFIER.match(name) or "__" in name or name in RESERVED_NAMES \
                    or len(name) > MAX_NAME:
                raise ValueError(
                    f"'{name[:MAX_NAME]}': names are lower-case letters, digits and single "
                    f"underscores, at most {MAX_NAME} characters, not {sorted(RESERVED_NAMES)}"
                )
        return value


# --- requirements.yaml -------------------------------------------------------------------


class Measure(Strict):
    """A measurable target of the plan as catalogued (op, value, unit)."""

    what: str = Field(max_length=MAX_TEXT)
    op: str = Field(max_length=MAX_NAME)
    value: StrictBool | int | Decimal | dt.date
    unit: str | None = Field(None, max_length=MAX_TEXT)
    quote_vi: str = Field(max_length=MAX_TEXT)


class Requirement(Strict):
    """One catalogued requirement of the plan: its stable id, where it stands, its words."""

    id: str = Field(max_length=MAX_NAME)
    area: str = Field(max_length=MAX_NAME)
    source_vi: str = Field(max_length=MAX_TEXT)
    quote_vi: str = Field(max_length=MAX_TEXT)
    en: str = Field(max_length=MAX_TEXT)
    when_vi: str | None = Field(None, max_length=MAX_TEXT)
    deadline: dt.date | None = None
    measures: list[Measure] = []
    notes: str | None = Field(None, max_length=MAX_TEXT)


class RequirementsSection(Strict):
    """requirements.yaml: the plan's catalogue of requirements."""

    requirements: list[Requirement] = Field(min_length=1, max_length=MAX_RULES)


# --- rules/*.yaml ------------------------------------------------------------------------


class Test(Strict):
    """What the plan asks: a metric compared with a threshold, or a deliverable done by a day.

    `op: done_by` takes `deadline` (the last compliant day, inclusive) and `window_from` (the
    first day a document counts as this plan's deliverable: the start of the plan year, or the
    plan's own date for a task the plan creates); the comparisons take `value`. A boolean fact
    is tested with `op: "=="` and `value: true`.
    """

    metric: str = Field(max_length=MAX_NAME)
    op: Literal[">", ">=", "<", "<=", "==", "done_by"]
    value: StrictBool | Threshold | None = None
    deadline: dt.date | None = None
    window_from: dt.date | None = None

    @model_validator(mode="after")
    def _value_or_deadline(self) -> Test:
        if self.op == "done_by":
            if self.deadline is None or self.window_from is None or self.value is not None:
                raise ValueError("op 'done_by' takes 'window_from' and 'deadline' "
                                 "(and no 'value')")
            if self.window_from > self.deadline:
                raise ValueError("window_from is after the deadline")
        elif self.value is None or self.deadline is not None or self.window_from is not None:
            raise ValueError(f"op '{self.op}' takes 'value' (and no 'deadline' or "
                             "'window_from')")
        return self


class Step(Strict):
    """A partial-credit level: below the target but at or past this threshold earns `share`."""

    op: Comparison
    value: Threshold
    share: PartialShare


class AllOrNothing(Strict):
    """Full points when the test holds, none otherwise."""

    method: Literal["all_or_nothing"]


class Steps(Strict):
    """Full points when the test holds; otherwise the first step that holds gives its share."""

    method: Literal["steps"]
    partial: list[Step] = Field(min_length=1, max_length=MAX_ITEMS)


class Linear(Strict):
    """Full points at the target; below it, points × achieved / target."""

    method: Literal["linear"]


class OnTime(Strict):
    """A dated deliverable: full points on time, `late_share` if done by `late_until`, else 0.

    `late_until: year_end` (in a convention) is the last day of the pack's plan year.
    """

    method: Literal["on_time"]
    late_share: PartialShare
    late_until: dt.date | Literal["year_end"]

    def gives_late_credit(self, deadline: dt.date | None) -> bool:
        """Whether a late deliverable can earn anything: a share above 0 and a late limit after
        the deadline (in a rule, where `late_until` is resolved to a date). A deadline of 31/12
        with `year_end` leaves no late period."""
        return self.late_share > 0 and deadline is not None \
            and isinstance(self.late_until, dt.date) and self.late_until > deadline

    def last_late_day(self, year: int) -> dt.date:
        """The last day a late deliverable earns `late_share`, for a plan of `year`."""
        if self.late_until == "year_end":
            return dt.date(year, 12, 31)
        return self.late_until


class Deductions(Strict):
    """Points off per counted unit (e.g. per overdue dossier without an apology), floored at 0."""

    method: Literal["deductions"]
    per_unit: Points


ScoringMethod = Annotated[
    AllOrNothing | Steps | Linear | OnTime | Deductions, Field(discriminator="method")
]


class ConventionRef(Strict):
    """`scoring: {convention: <id>}`: score as the pack's convention of that id says."""

    convention: str = Field(max_length=MAX_NAME)


class _RuleBase(Strict):
    id: str = Field(max_length=MAX_NAME)
    area: str = Field(max_length=MAX_NAME)
    requirements: list[str] = Field(min_length=1, max_length=MAX_ITEMS)
    title: Title
    source: Bilingual
    quote: str = Field(min_length=1, max_length=MAX_TEXT)
    reading: Bilingual
    departs_from_text: Bilingual | None = None
    convention_exception: Bilingual | None = None
    partial_in_plan: str | None = Field(None, max_length=MAX_TEXT)
    test: Test
    points: Points

    @field_validator("id")
    @classmethod
    def _rule_id(cls, value: str) -> str:
        if not RULE_ID.match(value):
            raise ValueError("a rule id is capitals and digits joined by '-', e.g. TTHC-04")
        return value


class RuleSpec(_RuleBase):
    """One scored duty of the plan as a rules/*.yaml file writes it.

    - `source` (vi, en): the clause of the plan; `quote`: its words; `reading`: how the rule
      reads them.
    - `departs_from_text`: set when the reading leaves the letter of the plan (a date that
      cannot be meant, a typo read as another word): what the text says, what is read, why. The
      report flags such rules for the city to confirm or overrule.
    - `scoring`: a method, or `{convention: <id>}`. Partial credit the plan does not state must
      come from a pack convention (pack.yaml); a rule whose test is of a kind a convention
      covers uses it, or says why not in `convention_exception`; a partial-credit method
      written in the rule needs `partial_in_plan`, the plan's words that give it.
    """

    scoring: ScoringMethod | ConventionRef


class Rule(_RuleBase):
    """A rule as the engine uses it: its scoring method resolved (from its convention, if it
    names one), and the convention's id kept so every explanation can show it."""

    scoring: ScoringMethod
    convention: str | None = Field(None, max_length=MAX_NAME)


class RulesFile(Strict):
    """A rules/*.yaml file: a list of rules (one file per area, by custom)."""

    rules: list[RuleSpec] = Field(min_length=1, max_length=MAX_RULES)


# Conventions and the pack manifest name scoring methods defined after them.
Convention.model_rebuild()
PackMeta.model_rebuild()
