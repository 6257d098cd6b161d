"""Start an appraisal file, or its next round (`cchc-score appraisal-template`).

The tool fills in what a person should never type: the facts file's and the pack's sha256, the
previous round's hash, the self-assessment of each rule listed. The person fills in the rest:
who appraised and when, and a decision on each rule listed. The rules listed are those a
reviewer must weigh — points claimed without the evidence the projection needs, partial credit,
a reading the pack marks ⚑ for the city — each with `"decision": null`, which the file
check refuses until it is decided — "accept", "set" or "reject_evidence" — or the entry
removed, so an unread template never passes for an appraisal. Each entry carries the rule's
title and why it is listed (`self_assessed.title`, `.why`), for the reader only. A next round
copies the earlier rounds as written (they are never rewritten) and lists a giải trình to fill
in for each rule the rounds so far left below the ward's claim.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from cchc.engine.appraisal.model import APPRAISAL_FORMAT, MAX_ROUNDS
from cchc.engine.appraisal.read import AppraisalDocument
from cchc.engine.errors import input_error
from cchc.engine.pack.model import Pack
from cchc.scoring.appraisal import Appraisal
from cchc.scoring.report import Outcome, Report


def _needs_a_look(outcome: Outcome) -> bool:
    """Points the city must weigh: claimed without the evidence the projection needs, partial
    credit (a share the pack's convention gives), or a reading the pack marks for the city."""
    return outcome.status in ("dat_mot_phan", "thieu_minh_chung") \
        or outcome.appraisal_points != outcome.points \
        or outcome.info.departs_from_text is not None


def _points(value: float) -> float | int:
    number = Decimal(str(value))
    return int(number) if number == number.to_integral() else float(number)


def _round(number: int, report: Report, pack: Pack, previous: str | None,
           decisions: list[dict[str, Any]], responses: list[dict[str, Any]]) -> dict[str, Any]:
    return {"round": number,
            "appraised_by": {"name": "", "office": "", "position": ""},
            "appraised_on": "",
            "facts_sha256": report.facts_file.sha256,
            "pack": {"id": pack.meta.id, "version": pack.meta.version, "sha256": pack.sha256},
            "previous_sha256": previous,
            "responses": responses,
            "decisions": decisions,
            "note": ""}


def _why(outcome: Outcome) -> str:
    """Why a rule is listed for the reviewer, in both languages."""
    reasons = []
    if outcome.status == "thieu_minh_chung":
        reasons.append("thiếu minh chứng bắt buộc / required evidence missing")
    elif outcome.appraisal_points != outcome.points:
        reasons.append("văn bản ghi ngày sau ngày tự đánh giá / a document dated after the "
                       "assessment date")
    if outcome.status == "dat_mot_phan":
        reasons.append("đạt một phần, điểm theo quy ước của gói / partly met, points by a pack "
                       "convention")
    if outcome.info.departs_from_text is not None:
        reasons.append("⚑ cách hiểu khác câu chữ, đề nghị thành phố xác nhận / ⚑ a reading "
                       "that departs from the text, for the city to confirm")
    return "; ".join(reasons)


def _decision(outcome: Outcome) -> dict[str, Any]:
    return {"rule": outcome.rule, "decision": None, "reason": "",
            "self_assessed": {"status": outcome.status, "points": _points(outcome.points),
                              "title": outcome.info.title.vi, "why": _why(outcome)}}


def appraisal_template(report: Report, pack: Pack) -> dict[str, Any]:
    """A new appraisal file: round 1, listing the rules a reviewer must decide on."""
    unit = report.unit
    every = (*report.outcomes, *report.adjustments)
    return {"format": APPRAISAL_FORMAT,
            "unit": {"ward": unit.ward, "city": unit.city, "province": unit.province},
            "year": report.year,
            "rounds": [_round(1, report, pack, None,
                              [_decision(o) for o in every if _needs_a_look(o)], [])]}


def next_round(report: Report, pack: Pack, document: AppraisalDocument,
               appraisal: Appraisal) -> dict[str, Any]:
    """The appraisal file with a new round appended: the earlier rounds as written, then a
    round listing a giải trình to fill in (and a decision to take) for every rule the rounds so
    far left below the ward's claim."""
    last = len(appraisal.rounds)
    if last >= MAX_ROUNDS:
        raise input_error(document.name, "$.rounds", f"hồ sơ đã có {last} vòng, mức tối đa",
                          f"the record already holds {last} rounds, the most it may",
                          "kết thúc thẩm định ở vòng này", "close the appraisal at this round")
    outcomes = {o.rule: o for o in (*report.outcomes, *report.adjustments)}
    # the rules the ward has cause to answer: those the rounds so far left below its claim
    adjusted = [rule for rule, item in appraisal.rules.items()
                if item.adjusted_by(last) and item.final.points < item.self_points]
    responses = [{"rule": rule, "text": "", "evidence": [], "received_on": ""}
                 for rule in adjusted]
    content = document.content
    data: dict[str, Any] = {"format": APPRAISAL_FORMAT,
                            "unit": content.unit.model_dump(),
                            "year": content.year,
                            "rounds": [dict(written) for written in document.raw_rounds]}
    data["rounds"].append(_round(last + 1, report, pack, appraisal.last_hash,
                                 [_decision(outcomes[rule]) for rule in adjusted], responses))
    return data
