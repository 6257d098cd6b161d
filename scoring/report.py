"""The report: one typed object holding the whole result of scoring a ward.

`Report` is what `score()` returns and what every renderer reads (`cchc.reports`): its header
(tool, pack, facts file, unit, who prepared it), both scores, the areas' subtotals and one
`Outcome` per rule. Statuses use the Vietnamese vocabulary (dat, dat_mot_phan, khong_dat,
thieu_du_lieu, thieu_minh_chung, khong_ap_dung); texts come in pairs (`Text`). Its JSON form
is `cchc.reports.json_report`'s, versioned by `REPORT_FORMAT`.

The report is built of plain dataclasses rather than pydantic models: it is produced by this
program, not read from a user, so it needs no validation, and scoring a thousand wards a second
leaves no room for validating 500 nested objects per ward. The per-rule ones are not frozen only
because frozen dataclasses are several times slower to create; nothing changes them once made.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from cchc.engine.evaluate.compile import Branch
from cchc.engine.facts.model import Evidence
from cchc.engine.warnings import FactWarning
from cchc.rules.schema import Adjustments, Band
from cchc.scoring.points import STATUSES, Award, Status
from cchc.scoring.tally import (
    Sums,
    Tally,
    adjusted,
    area_shares,
    base_tallies,
    sums_of,
    tallies_of,
)

REPORT_FORMAT = "cchc-score/report/2"

# A reported value as the JSON report gives it (a date as ISO text, a level as its id).
JsonValue = str | int | float | bool | None | list["JsonValue"] | dict[str, "JsonValue"]


class Bilingual(Protocol):
    """Anything that reads in Vietnamese and English (a Text, a band, an area, a pack title)."""

    @property
    def vi(self) -> str: ...
    @property
    def en(self) -> str: ...


def in_language(pair: Bilingual, lang: str) -> str:
    """The Vietnamese or the English of `pair` ('vi' or 'en')."""
    return pair.vi if lang == "vi" else pair.en


@dataclass(slots=True)
class Text:
    """A text in Vietnamese and English."""

    vi: str
    en: str


STATUS_LABELS: dict[str, Text] = {
    "dat": Text("Đạt", "Met"),
    "dat_mot_phan": Text("Đạt một phần", "Partly met"),
    "khong_dat": Text("Không đạt", "Not met"),
    "thieu_du_lieu": Text("Thiếu dữ liệu", "No data"),
    "thieu_minh_chung": Text("Thiếu minh chứng", "Evidence missing"),
    "khong_ap_dung": Text("Không áp dụng", "Not applicable"),
    "cho_ket_qua": Text("Chờ kết quả", "Pending"),
}


@dataclass(frozen=True, slots=True)
class Score:
    """Points, maximum, not-applicable points, index % and band of one score."""

    points: float
    maximum: float
    not_applicable: float
    pending: float
    index: float | None
    band: Band | None
    bonus: float = 0.0
    penalty: float = 0.0
    base: float | None = None  # the areas' sum before bonus and penalty points
    refused_band: Band | None = None
    weak_areas: tuple[str, ...] = ()

    @property
    def scored_maximum(self) -> Decimal:
        """The maximum the index is computed against (without not-applicable and pending)."""
        return (Decimal(str(self.maximum)) - Decimal(str(self.not_applicable))
                - Decimal(str(self.pending)))

    def left_out(self) -> list[tuple[str, float]]:
        """What the index leaves out, in order: ('not_applicable' | 'pending', points)."""
        return [(kind, points) for kind, points in (("not_applicable", self.not_applicable),
                                                    ("pending", self.pending)) if points]


@dataclass(slots=True)
class InputFact:
    """A reported fact behind an outcome: its value, where it stands, its evidence."""

    fact: str
    year: int
    label: Text
    value: JsonValue
    shown: Text
    unit: Text | None
    evidence_required: bool
    evidence: tuple[Evidence, ...]
    evidence_text: tuple[Text, ...]
    note: str | None
    json_path: str


@dataclass(frozen=True, slots=True)
class RuleInfo:
    """What an outcome repeats from its rule (built once per pack)."""

    rule: str
    area: str
    requirements: tuple[str, ...]
    title: Text
    metric: str
    reading: Text
    source: Text
    quote: str
    convention: Convention | None = None
    departs_from_text: Text | None = None
    convention_exception: Text | None = None
    effect: str = "score"  # or "bonus", "penalty"


@dataclass(frozen=True, slots=True)
class Convention:
    """A pack convention a rule scores by (quy ước của gói quy tắc, không có trong Kế hoạch)."""

    id: str
    title: Text
    text: Text


class Explained(Protocol):
    """What explains an outcome (the engine may work the texts out only when they are read)."""

    @property
    def test(self) -> Text: ...
    @property
    def scoring(self) -> Text: ...
    @property
    def inputs(self) -> tuple[InputFact, ...]: ...
    @property
    def missing(self) -> tuple[str, ...]: ...
    @property
    def evidence_missing(self) -> tuple[str, ...]: ...


@dataclass(slots=True)
class Outcome:
    """One rule's outcome for the ward, with everything needed to check it by hand, and the
    durable_rules branch that decided it."""

    info: RuleInfo
    status: Status
    claimed_status: Status
    points: float
    appraisal_points: float
    maximum: float
    explanation: Explained
    branch: Branch

    @property
    def rule(self) -> str:
        """The rule id."""
        return self.info.rule

    @property
    def area(self) -> str:
        """The area id."""
        return self.info.area

    @property
    def status_label(self) -> Text:
        """The status in words."""
        return STATUS_LABELS[self.status]


@dataclass(frozen=True, slots=True)
class AreaResult:
    """A reform area's subtotals."""

    id: str
    vi: str
    en: str
    self_assessment: Score
    projected_appraisal: Score
    counts: dict[str, int]
    rules: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ToolInfo:
    """The program that made the report."""

    name: str
    version: str


@dataclass(frozen=True, slots=True)
class PlanInfo:
    """The plan a pack encodes."""

    document: str
    issuer: str
    unit: str
    issued_on: str
    source_file: str


@dataclass(frozen=True, slots=True)
class PackInfo:
    """The rule pack the ward was scored with, and the sha256 of each of its files.

    `shipped` is False when the pack was read from a folder (`--pack DIR`) and is not
    byte-for-byte the shipped pack of its id: every report says so, with `location`."""

    id: str
    version: str
    title: Text
    year: int
    plan: PlanInfo
    max_points: float
    sha256: str
    files: tuple[tuple[str, str], ...]
    shipped: bool = True
    location: str = ""


@dataclass(frozen=True, slots=True)
class FactsFileInfo:
    """The facts file scored: its name and the sha256 of its bytes."""

    name: str
    sha256: str


@dataclass(frozen=True, slots=True)
class UnitInfo:
    """The reporting unit."""

    ward: str
    city: str | None
    province: str | None

    def parts(self) -> tuple[str, ...]:
        """The names given, ward first."""
        return tuple(part for part in (self.ward, self.city, self.province) if part)


@dataclass(frozen=True, slots=True)
class Prepared:
    """Who prepared the facts, and when (dd/mm/yyyy), as the facts file says."""

    by: str | None
    on: str | None


@dataclass(frozen=True, slots=True)
class Report:
    """The whole result of scoring one ward's facts against one rule pack."""

    tool: ToolInfo
    pack: PackInfo
    facts_file: FactsFileInfo
    unit: UnitInfo
    prepared: Prepared
    year: int
    self_assessment: Score
    projected_appraisal: Score
    counts: dict[str, int]
    areas: tuple[AreaResult, ...]
    outcomes: tuple[Outcome, ...]
    warnings: tuple[FactWarning, ...] = ()
    adjustments: tuple[Outcome, ...] = ()  # bonus and penalty points (điểm thưởng, điểm trừ)

    @property
    def departures(self) -> tuple[Outcome, ...]:
        """The outcomes whose rule reads the plan other than by its letter."""
        return tuple(o for o in self.outcomes if o.info.departs_from_text is not None)

    @property
    def pending(self) -> tuple[Outcome, ...]:
        """The outcomes waiting for an index edition (chờ kết quả)."""
        return tuple(o for o in self.outcomes if o.status == "cho_ket_qua")


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def score_of(result: Tally) -> Score:
    """The report form of a Tally."""
    return Score(float(result.points), float(result.maximum), float(result.not_applicable),
                 float(result.pending), _number(result.index), result.band,
                 float(result.bonus), float(result.penalty), _number(result.base),
                 result.refused_band, result.weak_areas)


def counts_of(statuses: Sequence[str]) -> dict[str, int]:
    """How many outcomes have each status, every status listed (0 included), in fixed order."""
    counts: dict[str, int] = dict.fromkeys(STATUSES, 0)
    for status in statuses:
        if status in counts:
            counts[status] += 1
    return counts


def assemble(*, tool: ToolInfo, pack: PackInfo, facts_file: FactsFileInfo, unit: UnitInfo,
             prepared: Prepared, year: int,
             areas: list[tuple[str, str, str]],
             bands: list[Band], outcomes: list[Outcome], awards: list[Award],
             warnings: Sequence[FactWarning] = (),
             adjustments: Adjustments | None = None) -> Report:
    """Put outcomes together with area and total subtotals into a Report: the areas' sums, then
    bonus and penalty points (the pack's adjustments), then the band with its area condition."""
    by_area: dict[str, tuple[list[Outcome], list[Award]]] = {
        area_id: ([], []) for area_id, _, _ in areas}
    extra: list[tuple[Outcome, Award]] = []
    for outcome, item in zip(outcomes, awards, strict=True):
        group = by_area.get(outcome.info.area)
        if group is None:
            extra.append((outcome, item))
        else:
            group[0].append(outcome)
            group[1].append(item)
    area_results = []
    tallies: tuple[dict[str, Tally], dict[str, Tally]] = ({}, {})
    everything = Sums()
    for area_id, vi, en in areas:
        in_area, area_awards = by_area[area_id]
        sums = sums_of(area_awards)
        everything += sums  # exact: the sum of the areas' sums is the sum over every rule
        own, appraised = tallies_of(sums, bands)
        tallies[0][area_id], tallies[1][area_id] = own, appraised
        area_results.append(AreaResult(
            area_id, vi, en, score_of(own), score_of(appraised),
            counts_of([o.status for o in in_area]), tuple([o.info.rule for o in in_area])))
    totals = []
    cap = adjustments.total_cap if adjustments is not None else None
    for number, base in enumerate(base_tallies(everything)):
        bonus = penalty = Decimal(0)
        for outcome, item in extra:
            points = item.appraisal_points if number else item.self_points
            if outcome.info.effect == "penalty":
                penalty += points
            else:
                bonus += points
        totals.append(adjusted(base, bonus, penalty, cap, bands,
                               area_shares(tallies[number], bands)))
    scored_outcomes = tuple(outcomes) if not extra else \
        tuple([o for o in outcomes if o.info.area in by_area])
    return Report(
        tool=tool, pack=pack, facts_file=facts_file, unit=unit, prepared=prepared, year=year,
        self_assessment=score_of(totals[0]), projected_appraisal=score_of(totals[1]),
        counts=counts_of([o.status for o in scored_outcomes]), areas=tuple(area_results),
        outcomes=scored_outcomes, warnings=tuple(warnings),
        adjustments=tuple(o for o, _ in extra))
