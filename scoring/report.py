"""The report: one object holding the whole result, with a documented and stable JSON shape.

`Report` is what `score()` returns and what every renderer reads. Its JSON form (`cchc-score
FACTS --format json`, `Report.to_json()`) is versioned by `format`; within a version fields are
only ever added. Numbers are plain JSON numbers (points to 2 decimals); statuses use the
Vietnamese vocabulary (dat, dat_mot_phan, khong_dat, thieu_du_lieu, thieu_minh_chung,
khong_ap_dung) with labels; texts come in pairs {"vi": …, "en": …}.

The report is built of plain dataclasses rather than pydantic models: it is produced by this
program, not read from a user, so it needs no validation, and scoring a thousand wards a second
leaves no room for validating 500 nested objects per ward. The per-rule ones are not frozen only
because frozen dataclasses are several times slower to create; nothing changes them once made.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol

from cchc.rules.schema import Band
from cchc.scoring.points import STATUSES, Award, Status
from cchc.scoring.tally import Tally, tally_both

REPORT_FORMAT = "cchc-score/report/1"


@dataclass(slots=True)
class Text:
    """A text in Vietnamese and English."""

    vi: str
    en: str

    def as_json(self) -> dict[str, str]:
        """{"vi": …, "en": …}"""
        return {"vi": self.vi, "en": self.en}


STATUS_LABELS: dict[str, Text] = {
    "dat": Text("Đạt", "Met"),
    "dat_mot_phan": Text("Đạt một phần", "Partly met"),
    "khong_dat": Text("Không đạt", "Not met"),
    "thieu_du_lieu": Text("Thiếu dữ liệu", "No data"),
    "thieu_minh_chung": Text("Thiếu minh chứng", "Evidence missing"),
    "khong_ap_dung": Text("Không áp dụng", "Not applicable"),
}


def _opt(text: Text | None) -> dict[str, str] | None:
    return None if text is None else text.as_json()


@dataclass(frozen=True, slots=True)
class Score:
    """Points, maximum, not-applicable points, index % and band of one score."""

    points: float
    maximum: float
    not_applicable: float
    index: float | None
    band: Band | None

    def as_json(self) -> dict[str, Any]:
        """The JSON form."""
        band = self.band
        return {"points": self.points, "maximum": self.maximum,
                "not_applicable": self.not_applicable, "index": self.index,
                "band": None if band is None else {"id": band.id, "vi": band.vi, "en": band.en}}


@dataclass(slots=True)
class InputFact:
    """A reported fact behind an outcome: its value, where it stands, its evidence."""

    fact: str
    year: int
    label: Text
    value: Any
    shown: Text
    unit: Text | None
    evidence_required: bool
    evidence: tuple[dict[str, Any], ...]
    evidence_text: tuple[Text, ...]
    note: str | None
    json_path: str

    def as_json(self) -> dict[str, Any]:
        """The JSON form."""
        return {"fact": self.fact, "year": self.year, "label": self.label.as_json(),
                "value": self.value, "shown": self.shown.as_json(), "unit": _opt(self.unit),
                "evidence_required": self.evidence_required, "evidence": list(self.evidence),
                "evidence_text": [text.as_json() for text in self.evidence_text], "note": self.note,
                "json_path": self.json_path}


@dataclass(frozen=True, slots=True)
class RuleInfo:
    """What an outcome repeats from its rule (built once per pack)."""

    rule: str
    area: str
    requirements: tuple[str, ...]
    title: Text
    metric: str
    reading: Text
    source: str
    quote: str


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
    """One rule's outcome for the ward, with everything needed to check it by hand."""

    info: RuleInfo
    status: Status
    claimed_status: Status
    points: float
    appraisal_points: float
    maximum: float
    explanation: Explained

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

    def as_json(self) -> dict[str, Any]:
        """The JSON form."""
        info, explanation = self.info, self.explanation
        return {
            "rule": info.rule, "area": info.area, "requirements": list(info.requirements),
            "title": info.title.as_json(), "status": self.status,
            "status_label": self.status_label.as_json(), "claimed_status": self.claimed_status,
            "points": self.points, "appraisal_points": self.appraisal_points,
            "maximum": self.maximum, "metric": info.metric,
            "test": explanation.test.as_json(), "scoring": explanation.scoring.as_json(),
            "reading": info.reading.as_json(), "source": info.source, "quote": info.quote,
            "inputs": [item.as_json() for item in explanation.inputs],
            "missing": list(explanation.missing),
            "evidence_missing": list(explanation.evidence_missing)}


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

    def as_json(self) -> dict[str, Any]:
        """The JSON form."""
        return {"id": self.id, "vi": self.vi, "en": self.en,
                "self_assessment": self.self_assessment.as_json(),
                "projected_appraisal": self.projected_appraisal.as_json(),
                "counts": self.counts, "rules": list(self.rules)}


@dataclass(frozen=True, slots=True)
class Report:
    """The whole result of scoring one ward's facts against one rule pack."""

    tool: dict[str, str]
    pack: dict[str, Any]
    facts_file: dict[str, str]
    unit: dict[str, str | None]
    prepared: dict[str, str | None]
    year: int
    self_assessment: Score
    projected_appraisal: Score
    counts: dict[str, int]
    areas: tuple[AreaResult, ...]
    outcomes: tuple[Outcome, ...]

    def as_json(self) -> dict[str, Any]:
        """The report as JSON-ready data (the documented shape)."""
        return {
            "format": REPORT_FORMAT, "tool": self.tool, "pack": self.pack,
            "facts_file": self.facts_file, "unit": self.unit, "prepared": self.prepared,
            "year": self.year,
            "self_assessment": self.self_assessment.as_json(),
            "projected_appraisal": self.projected_appraisal.as_json(), "counts": self.counts,
            "areas": [area.as_json() for area in self.areas],
            "outcomes": [outcome.as_json() for outcome in self.outcomes]}

    def to_json(self) -> str:
        """The report as deterministic, indented UTF-8 JSON."""
        return json.dumps(self.as_json(), ensure_ascii=False, indent=2) + "\n"


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def score_of(result: Tally) -> Score:
    """The report form of a Tally."""
    return Score(float(result.points), float(result.maximum), float(result.not_applicable),
                 _number(result.index), result.band)


def counts_of(statuses: Sequence[str]) -> dict[str, int]:
    """How many outcomes have each status, every status listed (0 included), in fixed order."""
    counter = Counter(statuses)
    return {status: counter.get(status, 0) for status in STATUSES}


def assemble(*, tool: dict[str, str], pack: dict[str, Any], facts_file: dict[str, str],
             unit: dict[str, str | None], prepared: dict[str, str | None], year: int,
             areas: list[tuple[str, str, str]],
             bands: list[Band], outcomes: list[Outcome], awards: list[Award]) -> Report:
    """Put outcomes together with area and total subtotals into a Report."""
    by_area: dict[str, list[tuple[Outcome, Award]]] = {area_id: [] for area_id, _, _ in areas}
    for outcome, item in zip(outcomes, awards, strict=True):
        by_area[outcome.info.area].append((outcome, item))
    area_results = []
    for area_id, vi, en in areas:
        pairs = by_area[area_id]
        own, appraised = tally_both([item for _, item in pairs], bands)
        area_results.append(AreaResult(
            area_id, vi, en, score_of(own), score_of(appraised),
            counts_of([o.status for o, _ in pairs]), tuple(o.info.rule for o, _ in pairs)))
    own, appraised = tally_both(awards, bands)
    return Report(
        tool=tool, pack=pack, facts_file=facts_file, unit=unit, prepared=prepared, year=year,
        self_assessment=score_of(own), projected_appraisal=score_of(appraised),
        counts=counts_of([o.status for o in outcomes]), areas=tuple(area_results),
        outcomes=tuple(outcomes))
