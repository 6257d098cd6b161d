"""The report: one object holding the whole result, with a documented and stable JSON shape.

`Report` is what `score()` returns and what every renderer reads. Its JSON form (`cchc-score
FACTS --format json`) is versioned by `format`; fields are only ever added within a version.
Numbers are plain JSON numbers (points to 2 decimals); statuses use the Vietnamese vocabulary
(dat, dat_mot_phan, khong_dat, thieu_du_lieu, thieu_minh_chung, khong_ap_dung) with labels.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict

from cchc.rules.schema import Band, Bilingual
from cchc.scoring.points import STATUSES, Award, Status
from cchc.scoring.tally import Tally, tally

REPORT_FORMAT = "cchc-score/report/1"

STATUS_LABELS: dict[str, Bilingual] = {
    "dat": Bilingual(vi="Đạt", en="Met"),
    "dat_mot_phan": Bilingual(vi="Đạt một phần", en="Partly met"),
    "khong_dat": Bilingual(vi="Không đạt", en="Not met"),
    "thieu_du_lieu": Bilingual(vi="Thiếu dữ liệu", en="No data"),
    "thieu_minh_chung": Bilingual(vi="Thiếu minh chứng", en="Evidence missing"),
    "khong_ap_dung": Bilingual(vi="Không áp dụng", en="Not applicable"),
}


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True)


class BandOut(_Out):
    """A band (xếp loại)."""

    id: str
    vi: str
    en: str


class Score(_Out):
    """Points, maximum, not-applicable points, index % and band of one score."""

    points: float
    maximum: float
    not_applicable: float
    index: float | None
    band: BandOut | None


class InputOut(_Out):
    """A reported fact behind an outcome."""

    fact: str
    year: int
    label: Bilingual
    value: Any
    shown: Bilingual
    unit: Bilingual | None
    evidence_required: bool
    evidence: list[dict[str, Any]]
    evidence_text: list[str]
    note: str | None
    json_path: str


class Outcome(_Out):
    """One rule's outcome for the ward, with everything needed to check it by hand."""

    rule: str
    area: str
    requirements: list[str]
    title: Bilingual
    status: Status
    status_label: Bilingual
    claimed_status: Status
    points: float
    appraisal_points: float
    maximum: float
    metric: str
    test: Bilingual
    scoring: Bilingual
    reading: Bilingual
    source: str
    quote: str
    inputs: list[InputOut]
    missing: list[str]
    evidence_missing: list[str]


class AreaOut(_Out):
    """A reform area's subtotals."""

    id: str
    vi: str
    en: str
    self_assessment: Score
    projected_appraisal: Score
    counts: dict[str, int]
    rules: list[str]


class Report(_Out):
    """The whole result of scoring one ward's facts against one rule pack."""

    format: str
    tool: dict[str, str]
    pack: dict[str, Any]
    facts_file: dict[str, str]
    unit: dict[str, str | None]
    year: int
    self_assessment: Score
    projected_appraisal: Score
    counts: dict[str, int]
    areas: list[AreaOut]
    outcomes: list[Outcome]

    def to_json(self) -> str:
        """The report as deterministic, indented UTF-8 JSON."""
        return self.model_dump_json(indent=2) + "\n"


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def score_out(result: Tally) -> Score:
    """The JSON form of a Tally."""
    band: Band | None = result.band
    return Score(points=float(result.points), maximum=float(result.maximum),
                 not_applicable=float(result.not_applicable), index=_number(result.index),
                 band=BandOut(id=band.id, vi=band.vi, en=band.en) if band else None)


def counts_of(statuses: Sequence[str]) -> dict[str, int]:
    """How many outcomes have each status, every status listed (0 included), in fixed order."""
    counter = Counter(statuses)
    return {status: counter.get(status, 0) for status in STATUSES}


def assemble(*, tool: dict[str, str], pack: dict[str, Any], facts_file: dict[str, str],
             unit: dict[str, str | None], year: int, areas: list[tuple[str, str, str]],
             bands: list[Band], outcomes: list[Outcome], awards: list[Award]) -> Report:
    """Put outcomes together with area and total subtotals into a Report."""
    area_reports = []
    for area_id, vi, en in areas:
        pairs = [(o, a) for o, a in zip(outcomes, awards, strict=True) if o.area == area_id]
        area_awards = [a for _, a in pairs]
        area_reports.append(AreaOut(
            id=area_id, vi=vi, en=en,
            self_assessment=score_out(tally(area_awards, bands)),
            projected_appraisal=score_out(tally(area_awards, bands, appraisal=True)),
            counts=counts_of([o.status for o, _ in pairs]),
            rules=[o.rule for o, _ in pairs]))
    return Report(
        format=REPORT_FORMAT, tool=tool, pack=pack, facts_file=facts_file, unit=unit, year=year,
        self_assessment=score_out(tally(awards, bands)),
        projected_appraisal=score_out(tally(awards, bands, appraisal=True)),
        counts=counts_of([o.status for o in outcomes]), areas=area_reports, outcomes=outcomes)
