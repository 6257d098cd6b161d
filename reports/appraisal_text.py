"""The appraisal parts of the people's report (`cchc-score FACTS --appraisal FILE`).

`reports.text` calls these: the record (each round: who, when, its hash), each area's rules with
their points round by round, every difference from the self-assessment with the city's reason
and the ward's giải trình (both verbatim), and the summary of self-assessed and appraised
points per area and in total. Vietnamese or English, terminal table or Markdown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cchc.engine.dates import DateFormatError, format_date, parse_date
from cchc.reports.figures import band as _band
from cchc.reports.figures import index as _index
from cchc.reports.figures import num as _num
from cchc.scoring.appraisal import DECISION_LABELS, Appraisal, RuleAppraisal, Step
from cchc.scoring.report import STATUS_LABELS, Report, in_language

if TYPE_CHECKING:
    from cchc.engine.appraisal.model import Response

WORDS = {
    "vi": {"record": "HỒ SƠ THẨM ĐỊNH", "file": "Tệp thẩm định", "round": "Vòng",
           "by": "người thẩm định", "on": "ngày", "hash": "mã", "decisions": "quyết định",
           "responses": "giải trình", "last_hash": "Mã vòng cuối (ghi vào văn bản thẩm định "
           "để khóa hồ sơ)", "changes": "Điều chỉnh khi thẩm định", "reason": "Lý do",
           "response": "Giải trình của phường", "evidence": "minh chứng bổ sung",
           "rejected": "minh chứng không được công nhận", "self": "Tự ĐG",
           "final": "Thẩm định", "summary": "TỔNG HỢP THẨM ĐỊNH",
           "area": "Lĩnh vực", "max": "Tối đa", "total": "TỔNG", "index": "%",
           "band": "Xếp loại", "appraised_line": "Điểm thẩm định (vòng {n}, kết quả cuối)",
           "round_line": "Vòng {n}", "projected": "dự kiến", "points": "điểm",
           "received": "nhận ngày", "note": "Ghi chú của vòng",
           "legend": "Trong các bảng: Điểm = tự đánh giá; V1, V2… = điểm sau vòng 1, 2…; * = vòng "
                     "đó có quyết định về tiêu chí"},
    "en": {"record": "APPRAISAL RECORD", "file": "Appraisal file", "round": "Round",
           "by": "appraised by", "on": "on", "hash": "hash", "decisions": "decisions",
           "responses": "responses (giải trình)", "last_hash": "Last round's hash (quote it in the "
           "appraisal letter to close the record)", "changes": "Changes on appraisal",
           "reason": "Reason", "response": "The ward's giải trình",
           "evidence": "further evidence", "rejected": "documents not accepted",
           "self": "Self", "final": "Appraised", "summary": "APPRAISAL SUMMARY",
           "area": "Area", "max": "Max", "total": "TOTAL", "index": "%", "band": "Band",
           "appraised_line": "Appraised score (round {n}, final)", "round_line": "Round {n}",
           "projected": "projected", "points": "points", "received": "received",
           "note": "Round note",
           "legend": "In the tables: Points = self-assessment; V1, V2… = points after round 1, "
                     "2…; * = that round decided the rule"},
}


def _day(text: str) -> str:
    try:
        return format_date(parse_date(text))
    except DateFormatError:  # the appraisal check refuses it first; never fail in rendering
        return text


def step_cell(step: Step, lang: str) -> str:
    """A rule's points after a round ('—' when out of the maximum; '*' when decided then)."""
    text = "—" if step.status in ("khong_ap_dung", "cho_ket_qua") else _num(step.points, lang)
    return text + ("*" if step.decided else "")


def record_section(appraisal: Appraisal, lang: str, markdown: bool) -> list[str]:
    """Who appraised, when, each round's hash and links; the last round's full hash."""
    w = WORDS[lang]
    bullet = "- " if markdown else "  "
    h2 = "## " if markdown else ""
    out = [f"{h2}{w['record']}", "",
           f"{bullet}{w['file']}: {appraisal.file} (sha256 {appraisal.file_sha256[:16]}…)"]
    for item in appraisal.rounds:
        who = ", ".join(part for part in (item.by, item.position, item.office) if part)
        out.append(f"{bullet}{w['round']} {item.number}: {w['by']} {who}; {w['on']} {item.on};"
                   f" {item.decisions} {w['decisions']}, {item.responses} {w['responses']}; "
                   f"{w['hash']} {item.sha256[:16]}…")
        if item.note:
            out.append(f"{bullet}  {w['note']} {item.number}: «{item.note}»")
    out += [f"{bullet}{w['last_hash']}: {appraisal.last_hash}", f"{bullet}{w['legend']}.", ""]
    return out


def columns(appraisal: Appraisal, lang: str) -> list[str]:
    """The headers of the round columns an area table gains."""
    return [f"{WORDS[lang]['round'][0]}{item.number}" for item in appraisal.rounds]


def rule_cells(item: RuleAppraisal, lang: str) -> list[str]:
    """A rule's points after each round."""
    return [step_cell(step, lang) for step in item.steps]


def area_cells(appraisal: Appraisal, index: int, lang: str) -> list[str]:
    """An area's points after each round (its subtotal row)."""
    return [_num(item.areas[index].points, lang) for item in appraisal.rounds]


def worth_telling(step: Step) -> bool:
    """Whether a round's step says something beyond the star in the table: a decision that
    changes the result, an acceptance with a reason, or a giải trình heard."""
    return step.response is not None or step.decision in ("set", "reject_evidence") or \
        (step.decision == "accept" and bool(step.reason.strip()))


def response_line(round_number: int, response: Response, lang: str) -> str:
    """The ward's giải trình heard in a round: "Giải trình (vòng 2, nhận 24/02/2025): «…»;
    tài liệu: …"."""
    w = WORDS[lang]
    line = f"{w['response']} ({w['round']} {round_number}"
    if response.received_on:
        line += f", {w['received']} {_day(response.received_on)}"
    line += f"): «{response.text}»"
    if response.evidence:
        line += f"; {w['evidence']}: " + " | ".join(e.describe(lang) for e in response.evidence)
    return line


def step_line(step: Step, lang: str) -> str:
    w = WORDS[lang]
    label = in_language(DECISION_LABELS[step.decision or "accept"], lang)
    status = in_language(STATUS_LABELS[step.status], lang)
    word = "point" if lang == "en" and step.points == 1 else w["points"]
    line = f"{w['round']} {step.round}: {label} → {status}, {_num(step.points, lang)} {word}"
    if step.reason:
        line += f". {w['reason']}: «{step.reason}»"
    if step.rejected:
        names = "; ".join(f"{r.fact}: {r.number or r.title}" for r in step.rejected)
        line += f" ({w['rejected']}: {names})"
    return line


def changes(appraisal: Appraisal, rules: list[str], report_titles: dict[str, str], lang: str,
            markdown: bool) -> list[str]:
    """Every rule of an area that a round decided or whose result differs from the
    self-assessment: each round's decision and reason, each giải trình, verbatim."""
    w = WORDS[lang]
    bullet = "- " if markdown else "    "
    sub = "  - " if markdown else "      • "
    out: list[str] = []
    for rule in rules:
        item = appraisal.rules[rule]
        decided = [step for step in item.steps if worth_telling(step)]
        if not decided and not item.changed:
            continue
        out.append(f"{bullet}{rule} {report_titles[rule]}: {w['self']} "
                   f"{_num(item.self_points, lang)} → {w['final']} "
                   f"{_num(item.final.points, lang)}")
        note = item.projected.note
        if item.projected.points != item.self_points or not decided:
            out.append(f"{sub}{w['projected']}: {_num(item.projected.points, lang)} — "
                       f"{'' if note is None else in_language(note, lang)}")
        for step in item.steps:
            if step.response is not None:
                out.append(f"{sub}{response_line(step.round, step.response, lang)}")
            if step.decided and worth_telling(step):
                out.append(f"{sub}{step_line(step, lang)}")
    if not out:
        return []
    return [f"{'**' if markdown else '  '}{w['changes']}{'**' if markdown else ''}:", *out, ""]


def summary(report: Report, appraisal: Appraisal, lang: str,
            names: list[str]) -> tuple[list[str], list[list[str]]]:
    """The headers and rows of the appraisal summary: each area's maximum, self-assessed
    points, points after each round, appraised index % and band; then the total."""
    w = WORDS[lang]
    headers = [w["area"], w["max"], w["self"], *columns(appraisal, lang), w["index"]]
    rows = []
    for number, area in enumerate(report.areas):
        final = appraisal.areas[number]
        rows.append([names[number], _num(area.self_assessment.maximum, lang),
                     _num(area.self_assessment.points, lang),
                     *area_cells(appraisal, number, lang), _index(final, lang)])
    rows.append([w["total"], _num(report.self_assessment.maximum, lang),
                 _num(report.self_assessment.points, lang),
                 *[_num(item.total.points, lang) for item in appraisal.rounds],
                 _index(appraisal.final, lang)])
    return headers, rows


def total_lines(appraisal: Appraisal, lang: str, score_line: str) -> list[str]:
    """'Vòng 1: …' for each round before the last, then the appraised score line."""
    w = WORDS[lang]
    out = [f"{w['round_line'].format(n=item.number)}: {_num(item.total.points, lang)} "
           f"{w['points']} — {_index(item.total, lang)} % — {_band(item.total, lang)}"
           for item in appraisal.rounds[:-1]]
    out.append(f"{w['appraised_line'].format(n=len(appraisal.rounds))}: {score_line}")
    return out
