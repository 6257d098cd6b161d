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

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    StrictBool,
    Tag,
    field_validator,
    model_validator,
)

IDENTIFIER = re.compile(r"^[a-z][a-z0-9_]*$")
RULE_ID = re.compile(r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)*$")
# Fact keys durable_rules treats specially, or that our compiled facts use.
RESERVED_NAMES = frozenset({"id", "sid", "_area"})
LevelId = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]

Comparison = Literal[">", ">=", "<", "<=", "=="]
Points = Annotated[Decimal, Field(gt=0, max_digits=6, decimal_places=2)]
Share = Annotated[Decimal, Field(ge=0, le=1, max_digits=4, decimal_places=3)]
# The share a partial outcome earns: below 1, so a missed target never earns full points.
PartialShare = Annotated[Decimal, Field(ge=0, lt=1, max_digits=4, decimal_places=3)]
# Thresholds and bounds carry at most 6 decimals: what a plan writes ("85%", "0,5") and what a
# reader can check by eye. durable_rules never sees them as floats (see cchc.engine.durable).
THRESHOLD_DECIMALS = 6
Threshold = Annotated[Decimal, Field(decimal_places=THRESHOLD_DECIMALS, max_digits=21)]
# A date a pack names (a deadline, a window, a holiday): within the years a pack may cover, so
# no arithmetic on it (a day before, days late) leaves the calendar.
PackDate = Annotated[dt.date, Field(ge=dt.date(1990, 1, 1), le=dt.date(2110, 12, 31))]


class Strict(BaseModel):
    """Base for every pack model: unknown keys are errors (a typo must not pass silently).

    Validators are built when a model first validates, not when this module is imported: a
    command that takes its pack from the cache (`cchc.engine.pack.cache`) validates none."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


# Texts a person writes in a pack: far above the longest of the shipped pack (about 1 000
# characters), and short enough that laying out a report table never crawls.
MAX_TEXT = 5000
# Names (ids of rules, facts, areas) and how many of a thing a pack lists: generous for any plan,
# and a bound on what every later stage has to walk.
MAX_NAME = 64
MAX_ITEMS = 100
MAX_RULES = 2000
MAX_PARTS = 8


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
    """A classification band (xếp loại) by index %, e.g. Xuất sắc from 90.

    `min_index` bands by the index % (points over the maximum scored, so a rule not applicable
    costs nothing); `min_points` by the total points, as a plan that says "Tốt từ 85 điểm trở
    lên" words it — every band of a pack uses the same one. `min_area_share`: the band also
    needs every area at or above this % of its points ("không có lĩnh vực nào đạt dưới 60% số
    điểm của lĩnh vực"): of its scored maximum with `min_index`, of its full points with
    `min_points`. A ward that misses it falls to the next band whose conditions it meets.
    """

    id: str = Field(max_length=MAX_NAME)
    vi: str = Field(max_length=MAX_TITLE)
    en: str = Field(max_length=MAX_TITLE)
    min_index: Decimal | None = Field(None, ge=0, le=100)
    min_points: Decimal | None = Field(None, ge=0, max_digits=8, decimal_places=2)
    min_area_share: Decimal | None = Field(None, gt=0, le=100)

    @model_validator(mode="after")
    def _one_bound(self) -> Band:
        if (self.min_index is None) == (self.min_points is None):
            raise ValueError("a band takes 'min_index' (index %) or 'min_points' (points)")
        return self

    @property
    def bound(self) -> Decimal:
        """Its lower bound, in index % or in points."""
        bound = self.min_index if self.min_index is not None else self.min_points
        assert bound is not None
        return bound


class Area(Strict):
    """A reform area (lĩnh vực) and the points it weighs."""

    id: str = Field(max_length=MAX_NAME)
    vi: str = Field(max_length=MAX_TITLE)
    en: str = Field(max_length=MAX_TITLE)
    points: Points


MetricKind = Literal["ratio", "difference", "change", "all", "days_between", "per_period", "each",
                     "count", "number", "rank", "level", "date", "boolean", "dates", "table"]


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


class Holiday(Strict):
    """A public holiday (ngày nghỉ lễ, Tết), one day or `from`–`to` inclusive."""

    from_: PackDate = Field(alias="from")
    to: PackDate | None = None
    vi: str = Field(max_length=MAX_TITLE)
    en: str = Field(max_length=MAX_TITLE)

    @model_validator(mode="after")
    def _ordered(self) -> Holiday:
        if self.to is not None and self.to < self.from_:
            raise ValueError("'to' is before 'from'")
        if self.to is not None and (self.to - self.from_).days > 31:
            raise ValueError("a holiday of more than 31 days")
        return self

    def days(self) -> list[dt.date]:
        """Every day of the holiday."""
        last = self.to or self.from_
        return [dt.date.fromordinal(d) for d in range(self.from_.toordinal(),
                                                        last.toordinal() + 1)]


class Span(Strict):
    """A span of days, both ends inclusive."""

    from_: PackDate = Field(alias="from")
    to: PackDate

    @model_validator(mode="after")
    def _ordered(self) -> Span:
        if self.to < self.from_ or (self.to - self.from_).days > 3 * 366:
            raise ValueError("'to' must be on or after 'from', at most three years later")
        return self


class Calendar(Strict):
    """Working days (ngày làm việc) for deadlines counted in them: Monday to Friday, minus the
    holidays, plus the make-up working days (ngày làm bù), over the span it `covers` (a date
    outside it cannot be counted and is refused)."""

    covers: Span
    holidays: list[Holiday] = Field([], max_length=MAX_ITEMS)
    working_days: list[PackDate] = Field([], max_length=MAX_ITEMS)


class Adjustments(Strict):
    """Bonus and penalty points on the total (điểm thưởng, điểm trừ): a pseudo-area whose rules
    (`effect: bonus|penalty`) add to or take from the total and weigh nothing in the maximum.
    `total_cap`: the total with bonuses never exceeds it ("tổng điểm không vượt quá 100")."""

    id: str = Field(max_length=MAX_NAME)
    vi: str = Field(max_length=MAX_TITLE)
    en: str = Field(max_length=MAX_TITLE)
    total_cap: Points | None = None


class PackMeta(Strict):
    """pack.yaml: identity, plan, year, total points, bands, areas, conventions, and where a
    plan needs them, its working-day calendar and its bonus and penalty points."""

    id: str = Field(max_length=MAX_NAME)
    version: str = Field(max_length=MAX_TEXT)
    title: Bilingual
    year: int = Field(ge=2000, le=2100)
    plan: PlanSource
    max_points: Points
    bands: list[Band] = Field(min_length=1, max_length=MAX_ITEMS)
    areas: list[Area] = Field(min_length=1, max_length=MAX_ITEMS)
    conventions: list[Convention] = Field([], max_length=MAX_ITEMS)
    calendar: Calendar | None = None
    adjustments: Adjustments | None = None


# --- facts.yaml --------------------------------------------------------------------------


class Level(Strict):
    """One value of an ordered scale, e.g. a task-completion rating."""

    id: LevelId
    vi: str = Field(max_length=MAX_TITLE)
    en: str = Field(max_length=MAX_TITLE)


class Column(Strict):
    """A column of a table fact: one value per row (a procedure's name, its legal and actual
    processing time, a document's signing and posting dates)."""

    type: Literal["text", "count", "number", "date"]
    label: Title
    unit: Bilingual | None = None


class Answers(Strict):
    """How a yes/no fact's two values read ("Có" / "Không" for "Phường được giao vốn"; by
    default "đã thực hiện" / "chưa thực hiện", done / not done). The keys are `if_true` and
    `if_false`: YAML reads a bare `yes` or `no` as a boolean."""

    if_true: Bilingual
    if_false: Bilingual


class FactSpec(Strict):
    """A fact the ward reports: its type, labels, unit and whether evidence must back it.

    `edition: true` marks an index result published once a year by someone else (PAR INDEX,
    SIPAS, PAPI, PCI, a ranking, a completion rating): the facts file must say which edition
    (năm đánh giá) a value belongs to, and may mark this year's edition as not yet published
    (`pending`), which makes the rules that read it wait (chờ kết quả) instead of failing.
    `evidence_since` lets evidence predate the plan year without a warning (a staffing baseline
    set at the start of a multi-year period); `evidence_until` lets it follow the year (a
    disbursement "tính đến hết 31/01/2026" is proven by a 2026 report). `published_by_month`:
    an edition of year N is usually out by the end of this month of N + 1; a pending one after
    that draws a warning.
    """

    type: Literal["count", "number", "boolean", "date", "level", "rank", "dates", "table"]
    label: Title
    unit: Bilingual | None = None
    hint: Bilingual | None = None
    evidence_required: bool = False
    evidence_since: dt.date | None = None
    evidence_until: dt.date | None = None
    edition: bool = False
    published_by_month: int | None = Field(None, ge=1, le=12)
    minimum: Threshold | None = None
    maximum: Threshold | None = None
    levels: list[Level] | None = None
    answers: Answers | None = None
    columns: dict[str, Column] | None = Field(None, max_length=MAX_ITEMS)
    key: str | None = Field(None, max_length=MAX_NAME)

    @model_validator(mode="after")
    def _levels_only_for_level(self) -> FactSpec:
        if (self.type == "level") != bool(self.levels):
            raise ValueError("'levels' is required for type 'level' and only allowed there")
        if self.answers is not None and self.type != "boolean":
            raise ValueError("'answers' is only allowed for type 'boolean'")
        if (self.type == "table") != bool(self.columns):
            raise ValueError("'columns' is required for type 'table' and only allowed there")
        if self.columns is not None:
            for name in self.columns:
                if not IDENTIFIER.match(name) or len(name) > MAX_NAME:
                    raise ValueError(f"column '{name[:MAX_NAME]}': lower-case letters, digits "
                                     "and underscores")
            if self.key is not None and self.key not in self.columns:
                raise ValueError(f"key '{self.key}' is not one of the columns")
        elif self.key is not None:
            raise ValueError("'key' is only allowed for type 'table'")
        if self.levels is not None:
            ids = [level.id for level in self.levels]
            if len(set(ids)) != len(ids):
                raise ValueError("level ids must be distinct")
        return self

    def level_position(self, level_id: str) -> int | None:
        """A level's place on the scale (0 = lowest); None for an id the fact does not list."""
        ids = [level.id for level in self.levels or ()]
        return ids.index(level_id) if level_id in ids else None


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
    measure: Literal["difference", "percent"] = "difference"
    unit: Bilingual
    ceiling: Threshold | str | None = None

    @model_validator(mode="after")
    def _percent_has_no_ceiling(self) -> ChangeMetric:
        if self.measure == "percent" and self.ceiling is not None:
            raise ValueError("a change in percent takes no ceiling")
        return self

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


DayCount = Literal["calendar", "working"]


class DaysBetweenMetric(Strict):
    """Days from one dated fact to another ("trong 30 ngày kể từ ngày HĐND quyết định"):
    calendar days after `from` up to and including `to`, or working days (`count: working`:
    Monday to Friday, minus the pack's holidays, plus its make-up working days). `to` before
    `from` is refused as an input error.

    `rolls_over: true` (calendar days, with the pack's calendar) applies Điều 148 Bộ luật Dân
    sự 2015: a time limit whose last day is a day off ends on the next working day. The days
    off just before `to` are then not counted: a limit of 30 days ending on a Sunday is met on
    the Monday after."""

    kind: Literal["days_between"]
    label: Title
    from_: str = Field(alias="from", max_length=MAX_NAME)
    to: str = Field(max_length=MAX_NAME)
    count: DayCount = "calendar"
    rolls_over: bool = False
    unit: Bilingual

    @property
    def operands(self) -> tuple[str, ...]:
        """The two dated facts."""
        return (self.from_, self.to)


Period = Literal["year", "half_year", "quarter", "month"]


class PerPeriodMetric(Strict):
    """The smallest number of dated events in any period of the plan year ("ít nhất 01 cuộc mỗi
    6 tháng"): two inspections in March leave the second half-year at 0. `every: year` counts
    the events of the plan year ("ít nhất 02 cuộc/năm")."""

    kind: Literal["per_period"]
    label: Title
    of: str = Field(max_length=MAX_NAME)
    every: Period
    unit: Bilingual

    @property
    def operands(self) -> tuple[str, ...]:
        """The list of dates."""
        return (self.of,)


class ColumnItem(Strict):
    """A row's value: one of its columns."""

    kind: Literal["column"]
    column: str = Field(max_length=MAX_NAME)

    @property
    def columns(self) -> tuple[str, ...]:
        """The columns it reads."""
        return (self.column,)


class ReductionItem(Strict):
    """A row's reduction in %: (from − to) / from × 100 (time cut against the legal time)."""

    kind: Literal["reduction"]
    from_: str = Field(alias="from", max_length=MAX_NAME)
    to: str = Field(max_length=MAX_NAME)

    @property
    def columns(self) -> tuple[str, ...]:
        """The columns it reads."""
        return (self.from_, self.to)


class DaysItem(Strict):
    """A row's days from one date column to another, calendar or working."""

    kind: Literal["days_between"]
    from_: str = Field(alias="from", max_length=MAX_NAME)
    to: str = Field(max_length=MAX_NAME)
    count: DayCount = "calendar"

    @property
    def columns(self) -> tuple[str, ...]:
        """The columns it reads."""
        return (self.from_, self.to)


ItemValue = Annotated[ColumnItem | ReductionItem | DaysItem, Field(discriminator="kind")]


class ItemTest(Strict):
    """What each row must meet."""

    op: Comparison
    value: Threshold


class EachMetric(Strict):
    """The % of a table's rows that meet a test ("đối với từng TTHC", "100% văn bản ... trong
    03 ngày làm việc"): exact; a table with no rows makes it not applicable."""

    kind: Literal["each"]
    label: Title
    of: str = Field(max_length=MAX_NAME)
    item: ItemValue
    meets: ItemTest
    unit: Bilingual

    @property
    def operands(self) -> tuple[str, ...]:
        """The table."""
        return (self.of,)


Metric = Annotated[RatioMetric | DifferenceMetric | ChangeMetric | AllMetric | DaysBetweenMetric
                   | PerPeriodMetric | EachMetric, Field(discriminator="kind")]


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
    value: StrictBool | Threshold | PackDate | LevelId
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
    # a clause on the scoring itself, encoded in pack.yaml rather than by a rule: the areas'
    # points, the bands, the bonus and penalty points
    encoded_in: Literal["areas", "bands", "adjustments"] | None = None


class RequirementsSection(Strict):
    """requirements.yaml: the plan's catalogue of requirements."""

    requirements: list[Requirement] = Field(min_length=1, max_length=MAX_RULES)


# --- rules/*.yaml ------------------------------------------------------------------------


DATE_OPS = ("done_by", "before")


class Test(Strict):
    """What the plan asks: a metric compared with a threshold, or a deliverable done in a window.

    - `op: done_by` takes `deadline` (the last compliant day, inclusive) and `window_from` (the
      first day a document counts as this plan's deliverable: the start of the plan year, the
      plan's own date for a task the plan creates, the first day of "trong tháng 10/2025");
    - `op: before` is "trước ngày D": the same window, ending the day before `deadline`;
    - the comparisons take `value`: a number, `true` for a yes/no fact (`op: "=="`), or a
      level's id for a level fact ("Hoàn thành tốt nhiệm vụ trở lên": `">=", hoan_thanh_tot`),
      compared by the level's place on the fact's scale, lowest first.
    """

    metric: str = Field(max_length=MAX_NAME)
    op: Literal[">", ">=", "<", "<=", "==", "done_by", "before"]
    value: StrictBool | Threshold | LevelId | None = None
    deadline: PackDate | None = None
    window_from: PackDate | None = None

    @model_validator(mode="after")
    def _value_or_deadline(self) -> Test:
        if self.op in DATE_OPS:
            if self.deadline is None or self.window_from is None or self.value is not None:
                raise ValueError(f"op '{self.op}' takes 'window_from' and 'deadline' "
                                 "(and no 'value')")
            if self.window_from > self.last_day:
                raise ValueError("window_from is after the last day of the window")
        elif self.value is None or self.deadline is not None or self.window_from is not None:
            raise ValueError(f"op '{self.op}' takes 'value' (and no 'deadline' or "
                             "'window_from')")
        return self

    @property
    def last_day(self) -> dt.date:
        """The last day a dated deliverable is on time: the deadline (done_by), or the day
        before it ("trước ngày D")."""
        assert self.deadline is not None
        if self.op == "before":
            return self.deadline - dt.timedelta(days=1)
        return self.deadline

    @property
    def parts(self) -> tuple[Test, ...]:
        """The single tests it is made of: itself."""
        return (self,)

    @property
    def combine(self) -> Literal["all"]:
        """A single test holds when it holds (as a compound of one part would)."""
        return "all"

    @property
    def metrics(self) -> tuple[str, ...]:
        """The names it reads."""
        return (self.metric,)


class Compound(Strict):
    """Several tests in one duty ("100% hồ sơ VÀ kết quả được số hóa"): met when `all` of them
    hold, or when `any` of them does. Scored all or nothing."""

    # "hồ sơ VÀ kết quả": plans join two or three conditions; each part that can have nothing
    # to do doubles what durable_rules is given, so a compound is kept small
    all: list[Test] | None = Field(None, min_length=2, max_length=MAX_PARTS)
    any: list[Test] | None = Field(None, min_length=2, max_length=MAX_PARTS)

    @model_validator(mode="after")
    def _one_list(self) -> Compound:
        if (self.all is None) == (self.any is None):
            raise ValueError("a compound test takes either 'all' or 'any'")
        return self

    @property
    def combine(self) -> Literal["all", "any"]:
        """How its parts combine."""
        return "all" if self.all is not None else "any"

    @property
    def parts(self) -> tuple[Test, ...]:
        """Its tests, in order."""
        return tuple(self.all if self.all is not None else self.any or ())

    @property
    def metrics(self) -> tuple[str, ...]:
        """The names it reads, without repeats."""
        return tuple(dict.fromkeys(part.metric for part in self.parts))

    @property
    def metric(self) -> str:
        """The first name it reads (where one name stands for the rule: a listing, a template
        hint)."""
        return self.parts[0].metric

    @property
    def op(self) -> str:
        """'all' or 'any', where a listing shows a rule's comparison."""
        return self.combine

    @property
    def value(self) -> None:
        """A compound test has no single value."""
        return None

    @property
    def deadline(self) -> None:
        """A compound test has no single deadline."""
        return None

    @property
    def window_from(self) -> None:
        """A compound test has no single window."""
        return None


def _test_kind(value: object) -> str:
    """'Compound' for `{all: …}` / `{any: …}` (as read, or as a model being written out)."""
    if isinstance(value, Compound) or (isinstance(value, dict)
                                       and ("all" in value or "any" in value)):
        return "Compound"
    return "Test"


# Tags named like the models, so an error's path leaves them out (engine.pack.load._yaml_path)
AnyTest = Annotated[Annotated[Test, Tag("Test")] | Annotated[Compound, Tag("Compound")],
                    Discriminator(_test_kind)]


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
    """Full points at the target; below it, points × achieved / target. With `from` (a band
    with a floor: "từ 30% đến dưới 80% được điểm theo tỷ lệ; dưới 30% không có điểm"), points ×
    (achieved − from) / (target − from), and nothing at or below `from`."""

    method: Literal["linear"]
    from_: Threshold = Field(Decimal(0), alias="from")


class LateTier(Strict):
    """One tier of lateness: up to `days` calendar days after the last on-time day, or up to
    `until` (a date, or year_end: the last day of the plan year), earns `share`; a tier with
    neither has no end ("chậm trên 15 ngày được 25%": however late)."""

    share: PartialShare
    days: int | None = Field(None, ge=1, le=3660)
    until: PackDate | Literal["year_end"] | None = None

    @model_validator(mode="after")
    def _days_or_until(self) -> LateTier:
        if self.days is not None and self.until is not None:
            raise ValueError("a late tier takes 'days' or 'until', not both")
        return self

    @property
    def open_ended(self) -> bool:
        """Whether the tier has no last day."""
        return self.days is None and self.until is None

    def last_day(self, on_time_until: dt.date) -> dt.date:
        """The last day of the tier, for a deliverable due by `on_time_until` (in a rule, where
        year_end is resolved to a date); an open-ended tier ends on the last day there is."""
        if self.days is not None:
            return on_time_until + dt.timedelta(days=self.days)
        if self.until is None:
            return dt.date.max
        assert isinstance(self.until, dt.date), "year_end is resolved when a rule is loaded"
        return self.until


class OnTime(Strict):
    """A dated deliverable: full points on time; if late, the share of the first late tier it
    falls in ("chậm không quá 15 ngày được 50%, chậm trên 15 ngày được 25%"); else 0.

    `late_share` + `late_until` is the one-tier form (`late_until: year_end` is the last day of
    the pack's plan year, in a convention or a rule); `late` lists tiers in order of lateness:
    shares never rising, an open-ended tier (no `days`, no `until`) last.
    """

    method: Literal["on_time"]
    late_share: PartialShare | None = None
    late_until: dt.date | Literal["year_end"] | None = None
    late: list[LateTier] | None = Field(None, min_length=1, max_length=MAX_ITEMS)

    @model_validator(mode="after")
    def _one_form(self) -> OnTime:
        single = self.late_share is not None or self.late_until is not None
        if single == (self.late is not None) or (single and (self.late_share is None
                                                              or self.late_until is None)):
            raise ValueError("on_time takes 'late_share' and 'late_until', or 'late' (tiers)")
        tiers = self.late or []
        if any(tier.open_ended for tier in tiers[:-1]):
            raise ValueError("an open-ended late tier (no 'days', no 'until') must be the last")
        shares = [tier.share for tier in tiers]
        if shares != sorted(shares, reverse=True):
            raise ValueError("a later tier (more days late) cannot earn a larger share")
        if 0 in shares[:-1]:
            raise ValueError("a tier of share 0 can only be the last (no tier after it earns)")
        days = [tier.days for tier in tiers if tier.days is not None]
        if days != sorted(set(days)):
            raise ValueError("tiers by days late must come in increasing order of days")
        return self

    def tiers(self) -> tuple[LateTier, ...]:
        """The late tiers, the one-tier form included."""
        if self.late is not None:
            return tuple(self.late)
        assert self.late_share is not None and self.late_until is not None
        return (LateTier(share=self.late_share, until=self.late_until),)

    def for_year(self, year: int) -> OnTime:
        """The same method with every `year_end` made the last day of `year` (as a rule uses
        it), and the one-tier form written as a tier."""
        end = dt.date(year, 12, 31)
        tiers = [tier.model_copy(update={"until": end}) if tier.until == "year_end" else tier
                 for tier in self.tiers()]
        return self.model_copy(update={"late": tiers, "late_share": None, "late_until": None})

    def late_days(self, on_time_until: dt.date | None) -> list[tuple[dt.date, LateTier]]:
        """(last day, tier) of each tier that can earn something, in order: a tier ending on
        or before the one before it (a deadline of 31/12 with `year_end`) is dropped, and so
        is every tier from a share of 0 on."""
        out: list[tuple[dt.date, LateTier]] = []
        if on_time_until is None:
            return out
        last = on_time_until
        for tier in self.tiers():
            if tier.share <= 0:
                break
            day = tier.last_day(on_time_until)
            if day > last:
                out.append((day, tier))
                last = day
        return out

    def gives_late_credit(self, on_time_until: dt.date | None) -> bool:
        """Whether a late deliverable can earn anything."""
        return bool(self.late_days(on_time_until))


class Deductions(Strict):
    """Points off per counted unit (e.g. per overdue dossier without an apology), floored at 0;
    with `max_deduction`, never more than that off ("tối đa trừ 1 điểm")."""

    method: Literal["deductions"]
    per_unit: Points
    max_deduction: Points | None = None


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
    test: AnyTest
    applies_if: Test | None = None
    effect: Literal["score", "bonus", "penalty"] = "score"
    points: Points

    @property
    def inputs(self) -> tuple[str, ...]:
        """The names the rule reads: its `applies_if`'s, then its test's."""
        gate = (self.applies_if.metric,) if self.applies_if is not None else ()
        return tuple(dict.fromkeys((*gate, *self.test.metrics)))

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
    - `test`: one test, or `{all: [...]}` / `{any: [...]}`; `applies_if`: a test on a fact
      that makes the rule not applicable when it does not hold ("Trường hợp được giao vốn");
    - `effect`: `bonus` or `penalty` for a rule of the pack's adjustments (điểm thưởng, điểm
      trừ): met, its points are added to (taken from) the total;
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

# Conventions and the pack manifest name scoring methods defined after them: with validators
# built on first use (`Strict`), those names are looked up then, from this module, once it is
# whole; nothing needs rebuilding here.
