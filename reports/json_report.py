"""The report as JSON: the documented, versioned shape of `cchc-score FACTS --format json`.

The shape is named by `format` (`cchc-score/report/2`; version 2 made `source` a {vi, en}
pair and added `pending`, `convention`, `departs_from_text`, `departures`, `warnings` and the
pack's `shipped` and `location`; later, with `--appraisal`, each outcome's `appraisal`
{rounds, projected, final_status, final_points, reason (the city's, verbatim, or null), note
(the tool's {vi, en}, when no round decided the rule), changed}, each area's and the report's
`appraised` score and the `appraisal` record {file, sha256, rounds, last_round_sha256}, all
null without one); within a version fields are only ever added. Numbers are
plain JSON numbers (points to 2 decimals); statuses use the Vietnamese vocabulary with their
labels; texts come in pairs {"vi": …, "en": …}. The output is deterministic: the same report
gives the same bytes.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from cchc.engine.dates import DateFormatError, parse_date
from cchc.scoring.report import (
    REPORT_FORMAT,
    AreaResult,
    InputFact,
    Outcome,
    PackInfo,
    Report,
    Score,
    Text,
)

if TYPE_CHECKING:
    from cchc.scoring.appraisal import Appraisal, RoundSummary, Step


def _text(text: Text) -> dict[str, str]:
    return {"vi": text.vi, "en": text.en}


def _score(score: Score) -> dict[str, Any]:
    band = score.band
    return {"points": score.points, "maximum": score.maximum,
            "not_applicable": score.not_applicable, "pending": score.pending,
            "index": score.index,
            "band": None if band is None else {"id": band.id, "vi": band.vi, "en": band.en},
            "adjusted": None if score.base is None else {
                "areas_sum": score.base, "bonus": score.bonus, "penalty": score.penalty},
            "band_refused": None if score.refused_band is None else {
                "id": score.refused_band.id, "min_area_share": float(
                    score.refused_band.min_area_share or 0),
                "areas_below": list(score.weak_areas)}}


def _input(item: InputFact) -> dict[str, Any]:
    return {"fact": item.fact, "year": item.year, "label": _text(item.label),
            "value": item.value, "shown": _text(item.shown),
            "unit": None if item.unit is None else _text(item.unit),
            "evidence_required": item.evidence_required,
            "evidence": [evidence.model_dump(exclude_none=True) for evidence in item.evidence],
            "evidence_text": [_text(text) for text in item.evidence_text], "note": item.note,
            "json_path": item.json_path}


def _step(step: Step) -> dict[str, Any]:
    """One rule's result after one round (round 0: the projected appraisal)."""
    response = step.response
    return {"round": step.round, "decision": step.decision, "status": step.status,
            "points": float(step.points), "reason": step.reason or None,
            "note": None if step.note is None else _text(step.note),
            "rejected_evidence": [r.model_dump(exclude_none=True) for r in step.rejected],
            "response": None if response is None else {
                "text": response.text, "received_on": _iso(response.received_on),
                "evidence": [e.model_dump(exclude_none=True) for e in response.evidence]}}


def _iso(text: str | None) -> str | None:
    """A date typed in an appraisal file, as ISO (the JSON report's dates are ISO)."""
    if not text:
        return None
    try:
        return parse_date(text).isoformat()
    except DateFormatError:  # the appraisal check refuses it first
        return text


def _rule_appraisal(appraisal: Appraisal | None, rule: str) -> dict[str, Any] | None:
    if appraisal is None:
        return None
    item = appraisal.rules[rule]
    return {"rounds": [_step(step) for step in item.steps], "projected": _step(item.projected),
            "final_status": item.final.status, "final_points": float(item.final.points),
            "reason": item.reason or None,
            "note": None if item.note is None else _text(item.note), "changed": item.changed}


def _round(item: RoundSummary) -> dict[str, Any]:
    return {"round": item.number,
            "appraised_by": {"name": item.by, "office": item.office, "position": item.position},
            "appraised_on": item.on_iso, "sha256": item.sha256,
            "previous_sha256": item.previous_sha256, "facts_sha256": item.facts_sha256,
            "decisions": item.decisions, "responses": item.responses, "note": item.note,
            "total": _score(item.total)}


def _record(appraisal: Appraisal | None) -> dict[str, Any] | None:
    if appraisal is None:
        return None
    return {"file": appraisal.file, "sha256": appraisal.file_sha256,
            "rounds": [_round(item) for item in appraisal.rounds],
            "last_round_sha256": appraisal.last_hash}


def _outcome(outcome: Outcome, appraisal: Appraisal | None = None) -> dict[str, Any]:
    info, explanation = outcome.info, outcome.explanation
    return {
        "rule": info.rule, "area": info.area, "requirements": list(info.requirements),
        "title": _text(info.title), "status": outcome.status,
        "status_label": _text(outcome.status_label), "claimed_status": outcome.claimed_status,
        "points": outcome.points, "appraisal_points": outcome.appraisal_points,
        "maximum": outcome.maximum, "metric": info.metric,
        "test": _text(explanation.test), "scoring": _text(explanation.scoring),
        "reading": _text(info.reading), "source": _text(info.source), "quote": info.quote,
        "departs_from_text": None if info.departs_from_text is None
        else _text(info.departs_from_text),
        "convention_exception": None if info.convention_exception is None
        else _text(info.convention_exception),
        "convention": None if info.convention is None else {
            "id": info.convention.id, "title": _text(info.convention.title),
            "text": _text(info.convention.text),
            "note": {"vi": "quy ước của gói quy tắc, không có trong Kế hoạch",
                     "en": "pack convention, not in the plan"}},
        "inputs": [_input(item) for item in explanation.inputs],
        "missing": list(explanation.missing),
        "evidence_missing": list(explanation.evidence_missing),
        "appraisal": _rule_appraisal(appraisal, info.rule)}


def _area(area: AreaResult, appraised: Score | None) -> dict[str, Any]:
    return {"id": area.id, "vi": area.vi, "en": area.en,
            "self_assessment": _score(area.self_assessment),
            "projected_appraisal": _score(area.projected_appraisal),
            "appraised": None if appraised is None else _score(appraised),
            "counts": area.counts, "rules": list(area.rules)}


def _pack(pack: PackInfo) -> dict[str, Any]:
    plan = pack.plan
    return {"id": pack.id, "version": pack.version, "title": _text(pack.title),
            "year": pack.year,
            "plan": {"document": plan.document, "issuer": plan.issuer, "unit": plan.unit,
                     "issued_on": plan.issued_on, "source_file": plan.source_file},
            "max_points": pack.max_points, "sha256": pack.sha256, "files": dict(pack.files),
            "shipped": pack.shipped, "location": pack.location}


def report_data(report: Report, appraisal: Appraisal | None = None) -> dict[str, Any]:
    """The report as JSON-ready data (the documented shape); with the city's appraisal, each
    outcome's `appraisal`, each area's and the report's `appraised` score and the record."""
    unit = report.unit
    areas = appraisal.areas if appraisal is not None else (None,) * len(report.areas)
    return {
        "format": REPORT_FORMAT,
        "tool": {"name": report.tool.name, "version": report.tool.version},
        "pack": _pack(report.pack),
        "facts_file": {"name": report.facts_file.name, "sha256": report.facts_file.sha256},
        "unit": {"ward": unit.ward, "city": unit.city, "province": unit.province},
        "prepared": {"by": report.prepared.by, "on": report.prepared.on},
        "year": report.year,
        "self_assessment": _score(report.self_assessment),
        "projected_appraisal": _score(report.projected_appraisal),
        "appraised": None if appraisal is None else _score(appraisal.final),
        "appraisal": _record(appraisal), "counts": report.counts,
        "areas": [_area(area, appraised) for area, appraised in zip(report.areas, areas,
                                                                    strict=True)],
        "outcomes": [_outcome(outcome, appraisal) for outcome in report.outcomes],
        "adjustments": [{**_outcome(outcome, appraisal), "effect": outcome.info.effect}
                        for outcome in report.adjustments],
        "departures": [outcome.rule for outcome in report.departures],
        "pending": [outcome.rule for outcome in report.pending],
        "warnings": [{"code": item.code, "json_path": item.json_path,
                      "message": {"vi": item.vi, "en": item.en}}
                     for item in report.warnings]}


def render_json(report: Report, appraisal: Appraisal | None = None) -> str:
    """The report as deterministic, indented UTF-8 JSON text."""
    return json.dumps(report_data(report, appraisal), ensure_ascii=False, indent=2) + "\n"
