"""`cchc-score gap`: the gap to the next band as a table (one language) or as JSON.

The table: the ward now and the target band, the plan (the fewest changes that reach it,
cheapest first, each with the `--set` that makes it and the points it added), then every rule
not fully met with its smallest change and what it gives, then the points the projected
appraisal would lose for want of evidence, and the tool's cost convention.

JSON (`"format": "cchc-score/gap/1"`): `target` {band, label, index, points, min_area_share},
`current` and `reached` (the self-assessment: points, maximum, scored_maximum, index, band,
band_refused), `projected_appraisal` {current, reached}, `reachable`, `changes` [{step, rule,
fact, value, from, set, points, cost, text, evidence_required}] — `value` as a facts file holds
it, `set` the `--set fact=value` text that gives it; `points` the self-assessment points the
step added when the ward was re-scored with it and the steps before it, on the step's first
change (0 on the others of the same step) —, `reason`, `rules` [{rule, area, title, status,
points, maximum, change, after, reason, blocked [{fact, why}], too_late, evidence_dates_differ}]
— `change` is the rule's smallest change; `too_late` when it needs a day before the assessment
date, `evidence_dates_differ` the date facts it sets whose evidence carries other dates (then
it is not in `changes`) —, `evidence` [{rule, title, facts, points, advice}] (evidence to add: not a
`--set` change; `points` the projected appraisal regains), `convention`, `what_if` (the
settings given with `--set`). Fields are only ever added within a format.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from tabulate import tabulate

from cchc.engine.numbers import fmt
from cchc.reports.figures import band as _band
from cchc.reports.figures import index as _index
from cchc.reports.figures import num as _num
from cchc.scoring.gap_result import GapResult, RuleAdvice, Setting
from cchc.scoring.gap_words import COST_CONVENTION, STATUS_WORDS
from cchc.scoring.report import Report, Score, Text, in_language

GAP_FORMAT = "cchc-score/gap/1"

_WORDS = {
    "vi": {
        "title": "KHOẢNG CÁCH ĐẾN XẾP LOẠI MỤC TIÊU (điểm tự đánh giá)",
        "unit": "Đơn vị", "year": "Năm", "pack": "Gói quy tắc", "facts": "Tệp dữ kiện",
        "what_if": "Giả định (what-if, tệp không bị sửa)",
        "now": "Hiện tại", "target": "Mục tiêu", "top": "đã ở xếp loại cao nhất của gói",
        "already": "đã đạt", "reached": "Đạt được với {n} thay đổi",
        "not_reached": "KHÔNG đạt được", "plan": "KẾ HOẠCH ĐẠT MỤC TIÊU (chi phí thấp trước)",
        "rules": "TỪNG TIÊU CHÍ CHƯA ĐẠT ĐỦ ĐIỂM: THAY ĐỔI NHỎ NHẤT",
        "evidence": "BỔ SUNG MINH CHỨNG (phường còn làm được; không phải thay đổi --set): điểm "
                    "tự đánh giá có, nhưng dự kiến thẩm định mất vì thiếu tài liệu kiểm chứng",
        "todo": "Việc cần làm", "restored": "+Điểm thẩm định",
        "none": "(không có)", "rule": "Mã", "change": "Thay đổi", "set": "--set",
        "points": "+Điểm", "status": "Hiện tại", "after": "Sau thay đổi", "facts_col": "Dữ kiện",
        "lost": "Điểm mất", "then": "thì", "appraisal": "Dự kiến thẩm định",
        "convention": "Quy ước",
        "need_evidence": "Giá trị mới cần tài liệu kiểm chứng (để được tính khi thẩm định): "
                         "{facts}",
        "index": "chỉ số",
    },
    "en": {
        "title": "GAP TO THE TARGET BAND (self-assessment score)",
        "unit": "Unit", "year": "Year", "pack": "Rule pack", "facts": "Facts file",
        "what_if": "What-if (the file is not changed)",
        "now": "Now", "target": "Target", "top": "already in the pack's highest band",
        "already": "already reached", "reached": "Reached with {n} changes",
        "not_reached": "NOT reachable", "plan": "PLAN TO THE TARGET (cheapest first)",
        "rules": "EACH RULE NOT FULLY MET: ITS SMALLEST CHANGE",
        "evidence": "ADD EVIDENCE (still in the ward's hands; not a --set change): points the "
                    "self-assessment counts but the projected appraisal loses for want of "
                    "evidence documents",
        "todo": "To do", "restored": "+Appraisal points",
        "none": "(none)", "rule": "Rule", "change": "Change", "set": "--set",
        "points": "+Points", "status": "Now", "after": "After the change", "facts_col": "Facts",
        "lost": "Points lost", "then": "then", "appraisal": "Projected appraisal",
        "convention": "Convention",
        "need_evidence": "The new values need evidence documents (to count in the appraisal): "
                         "{facts}",
        "index": "index",
    },
}


def _json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _text(text: Text | None) -> dict[str, str] | None:
    return None if text is None else {"vi": text.vi, "en": text.en}


def _score(score: Score) -> dict[str, Any]:
    band = score.band
    return {"points": score.points, "maximum": score.maximum,
            "scored_maximum": float(score.scored_maximum), "index": score.index,
            "band": None if band is None else band.id,
            "band_refused": None if score.refused_band is None else {
                "id": score.refused_band.id, "areas_below": list(score.weak_areas)}}


def _setting(item: Setting, step: int | None = None, points: float | None = None
             ) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if step is not None:
        out["step"] = step
    out.update({"rule": item.rule, "fact": item.fact, "value": _json_value(item.value),
                "from": _json_value(item.before), "set": item.text})
    if points is not None:
        out["points"] = points
    out.update({"cost": round(float(item.cost), 6), "text": _text(item.words),
                "evidence_required": item.evidence_required})
    return out


def _rule(item: RuleAdvice) -> dict[str, Any]:
    outcome, after = item.outcome, item.after
    return {"rule": outcome.rule, "area": outcome.area, "title": _text(outcome.info.title),
            "status": outcome.status, "points": outcome.points, "maximum": outcome.maximum,
            "change": [_setting(setting) for setting in item.settings],
            "after": None if after is None else {
                "status": after.status, "claimed_status": after.claimed_status,
                "points": after.points, "points_gained": round(after.points - outcome.points, 2),
                "index": item.index_after, "test": _text(after.explanation.test)},
            "reason": _text(item.reason),
            "blocked": [{"fact": ("previous_year." if previous else "") + fact, "why": kind}
                        for (fact, previous), kind in item.gap.blocked],
            "too_late": item.gap.past is not None,
            "evidence_dates_differ": [fact for fact, _ in item.gap.undocumented]}


def gap_data(result: GapResult, what_if: Sequence[tuple[str, str]] = ()) -> dict[str, Any]:
    """The gap as the documented JSON shape (see the module's doc)."""
    report, target = result.report, result.target
    changes = []
    for number, step in enumerate(result.steps, 1):
        for place, item in enumerate(step.settings):
            changes.append(_setting(item, number, step.points if place == 0 else 0.0))
    return {
        "format": GAP_FORMAT,
        "tool": {"name": report.tool.name, "version": report.tool.version},
        "pack": {"id": report.pack.id, "version": report.pack.version,
                 "sha256": report.pack.sha256},
        "facts_file": {"name": report.facts_file.name, "sha256": report.facts_file.sha256},
        "what_if": [{"fact": name, "value": value} for name, value in what_if],
        "unit": {"ward": report.unit.ward, "city": report.unit.city,
                 "province": report.unit.province},
        "year": report.year,
        "target": None if target is None else {
            "band": target.id, "label": {"vi": target.vi, "en": target.en},
            "index": None if target.min_index is None else float(target.min_index),
            "points": None if target.min_points is None else float(target.min_points),
            "min_area_share": None if target.min_area_share is None
            else float(target.min_area_share)},
        "current": _score(report.self_assessment),
        "reachable": result.reachable,
        "changes": changes,
        "reached": _score(result.reached.self_assessment),
        "projected_appraisal": {"current": _score(report.projected_appraisal),
                                "reached": _score(result.reached.projected_appraisal)},
        "reason": _text(result.reason),
        "convention": _text(COST_CONVENTION),
        "rules": [_rule(item) for item in result.rules],
        "evidence": [{"rule": item.rule, "title": _text(item.title), "facts": list(item.facts),
                      "points": item.points, "advice": _text(item.advice)}
                     for item in result.evidence],
    }


def render_gap_json(result: GapResult, what_if: Sequence[tuple[str, str]] = ()) -> str:
    """The gap as deterministic, indented UTF-8 JSON text."""
    return json.dumps(gap_data(result, what_if), ensure_ascii=False, indent=2) + "\n"


def _line(score: Score, lang: str) -> str:
    word = "điểm" if lang == "vi" else "points"
    return (f"{_index(score, lang)} % — {_band(score, lang)} ({_num(score.points, lang)} / "
            f"{fmt(score.scored_maximum, lang)} {word})")


def _header(report: Report, lang: str, what_if: Sequence[tuple[str, str]]) -> list[str]:
    w = _WORDS[lang]
    lines = [w["title"], "",
             f"{w['unit']}: {', '.join(report.unit.parts())} — {w['year']}: {report.year}",
             f"{w['pack']}: {report.pack.id} {report.pack.version}",
             f"{w['facts']}: {report.facts_file.name} (sha256 {report.facts_file.sha256[:16]}…)"]
    if what_if:
        lines.append(f"{w['what_if']}: " + ", ".join(f"{name}={value}"
                                                     for name, value in what_if))
    return lines


def render_gap(result: GapResult, lang: str = "vi",
               what_if: Sequence[tuple[str, str]] = ()) -> str:
    """The gap as a terminal table in one language."""
    w = _WORDS[lang]
    report, target = result.report, result.target
    lines = _header(report, lang, what_if)
    lines += ["", f"{w['now']}: {_line(report.self_assessment, lang)}"]
    if target is None:
        lines.append(f"{w['target']}: {w['top']}")
    else:
        bound = fmt(target.bound, lang) + (" %" if target.min_index is not None else "")
        lines.append(f"{w['target']}: {in_language(target, lang)} (≥ {bound})")
        if not result.steps and result.reachable:
            lines.append(f"→ {w['already']}")
        elif result.reachable:
            lines.append(f"→ {w['reached'].format(n=len(result.settings))}: "
                         f"{_line(result.reached.self_assessment, lang)}")
        else:
            lines.append(f"→ {w['not_reached']}: {_line(result.reached.self_assessment, lang)}")
        if result.reason is not None:
            lines.append(in_language(result.reason, lang))
        lines.append(f"{w['appraisal']}: {_line(report.projected_appraisal, lang)} → "
                     f"{_line(result.reached.projected_appraisal, lang)}")
    if result.steps:
        rows = []
        for number, step in enumerate(result.steps, 1):
            for place, item in enumerate(step.settings):
                rows.append([number if place == 0 else "", item.rule if place == 0 else "",
                             in_language(item.words, lang), item.text,
                             _signed(step.points, lang) if place == 0 else ""])
        lines += ["", w["plan"], "",
                  tabulate(rows, headers=["#", w["rule"], w["change"], w["set"], w["points"]],
                           disable_numparse=True, maxcolwidths=[None, None, 56, None, None])]
    lines += ["", w["rules"], ""]
    rows = []
    for advice in result.rules:
        outcome = advice.outcome
        now = (f"{in_language(STATUS_WORDS[outcome.status], lang)} "
               f"{_num(outcome.points, lang)}/{_num(outcome.maximum, lang)}")
        if advice.after is not None:
            after = advice.after
            then = (f"{in_language(STATUS_WORDS[after.claimed_status], lang)} "
                    f"{_num(after.points, lang)}: {in_language(after.explanation.test, lang)}")
            change = in_language(_joined(advice.settings), lang)
            if advice.reason is not None:
                then += f" ({in_language(advice.reason, lang)})"
            gained = _signed(after.points - outcome.points, lang)
        else:
            change, gained = "—", ""
            then = in_language(advice.reason, lang) if advice.reason else ""
        rows.append([outcome.rule, now, change, then, gained])
    lines.append(tabulate(rows, headers=[w["rule"], w["status"], w["change"], w["after"],
                                         w["points"]],
                          disable_numparse=True, maxcolwidths=[None, 18, 48, 48, None])
                 if rows else w["none"])
    if result.evidence:
        rows = [[lost.rule, in_language(lost.title, lang), in_language(lost.advice, lang),
                 _signed(lost.points, lang)] for lost in result.evidence]
        lines += ["", w["evidence"], "",
                  tabulate(rows, headers=[w["rule"], "", w["todo"], w["restored"]],
                           disable_numparse=True, maxcolwidths=[None, 36, 48, None])]
    needing = sorted({item.fact for item in result.settings if item.evidence_required})
    if needing:
        lines += ["", w["need_evidence"].format(facts=", ".join(needing))]
    lines += ["", f"{w['convention']}: {in_language(COST_CONVENTION, lang)}", ""]
    return "\n".join(lines)


def _joined(settings: tuple[Setting, ...]) -> Text:
    return Text("; ".join(item.words.vi for item in settings),
                "; ".join(item.words.en for item in settings))


def _signed(points: float, lang: str) -> str:
    text = _num(abs(points), lang)
    return f"+{text}" if points > 0 else (f"−{text}" if points < 0 else "0")
