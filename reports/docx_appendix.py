"""The appendix of the Word report, for auditors: how every rule was scored (the plan's words,
the reading, the test with its numbers, the points, each input with its evidence, what is
missing, the city's decisions and the ward's giải trình), then where every figure comes from
(the facts file, the rule pack, the tool and the appraisal record, with their sha256)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from docx.document import Document as DocumentObject

from cchc.engine.dates import format_date
from cchc.reports.appraisal_text import changes
from cchc.reports.docx_layout import CENTER, HEADING, NOTE, para, text
from cchc.reports.docx_words import WORDS
from cchc.reports.figures import num
from cchc.reports.text import pack_origin
from cchc.scoring.report import Outcome, Report, in_language

if TYPE_CHECKING:
    from cchc.scoring.appraisal import Appraisal

_W = {
    "vi": {"result": "Kết quả", "projected": "dự kiến thẩm định", "requirements": "Yêu cầu",
           "quote": "Trích Kế hoạch", "reading": "Cách hiểu",
           "departs": "⚑ Cách hiểu khác câu chữ của Kế hoạch (đề nghị thành phố xác nhận)",
           "convention": "Quy ước của gói quy tắc (không có trong Kế hoạch)",
           "exception": "Không theo quy ước của gói", "test": "Kiểm tra",
           "scoring": "Tính điểm", "inputs": "Số liệu", "last_year": "năm trước",
           "evidence": "tài liệu kiểm chứng", "note": "ghi chú", "missing": "Thiếu số liệu",
           "evidence_missing": "Thiếu tài liệu kiểm chứng", "appraisal": "Thẩm định",
           "self": "tự chấm", "final": "thẩm định", "adjustments": "Điểm thưởng, điểm trừ",
           "provenance": "NGUỒN GỐC SỐ LIỆU", "facts": "Tệp dữ kiện", "pack": "Gói quy tắc",
           "plan": "Kế hoạch", "tool": "Công cụ chấm", "file": "Tệp thẩm định",
           "round": "Vòng {n}: {who}, ngày {on}; mã vòng (sha256) {sha}",
           "last": "Mã vòng cuối (ghi vào văn bản thẩm định để khóa hồ sơ)",
           "date": "ngày {day}"},
    "en": {"result": "Result", "projected": "projected appraisal", "requirements":
           "Requirements", "quote": "Plan's words", "reading": "Reading",
           "departs": "⚑ Reading departs from the text of the plan (for the city to confirm)",
           "convention": "Pack convention (not in the plan)",
           "exception": "Not by the pack's convention", "test": "Test", "scoring": "Points",
           "inputs": "Figures", "last_year": "last year", "evidence": "evidence",
           "note": "note", "missing": "No data", "evidence_missing": "Evidence missing",
           "appraisal": "Appraisal", "self": "self-assessed", "final": "appraised",
           "adjustments": "Bonus and penalty points", "provenance": "PROVENANCE",
           "facts": "Facts file", "pack": "Rule pack", "plan": "Plan", "tool": "Scoring tool",
           "file": "Appraisal file", "round": "Round {n}: {who}, {on}; round hash (sha256) {sha}",
           "last": "Last round's hash (quote it in the appraisal letter to close the record)",
           "date": "of {day}"},
}


def _line(document: DocumentObject, label: str, words: str, *, flag: bool = False) -> None:
    paragraph = para(document, "", NOTE)
    text(paragraph, f"{label}: ", italic=True, bold=flag or None)
    text(paragraph, words)


def _appraisal_lines(appraisal: Appraisal, outcome: Outcome, lang: str) -> list[str]:
    """The rule's rounds as the text report tells them (reports.appraisal_text.changes): the
    projected appraisal, each giải trình and each decision with the city's reason, verbatim."""
    lines = changes(appraisal, [outcome.rule], {outcome.rule: ""}, lang, markdown=False)
    return [line.strip().removeprefix("• ") for line in lines[2:] if line.strip()]


def _rule(document: DocumentObject, outcome: Outcome, report: Report, lang: str,
          appraisal: Appraisal | None) -> None:
    w = _W[lang]
    info, explanation = outcome.info, outcome.explanation
    head = para(document, "", NOTE, before=6)
    head.paragraph_format.keep_with_next = True
    flag = " ⚑" if info.departs_from_text is not None else ""
    text(head, f"{outcome.rule}{flag}. {in_language(info.title, lang)}", bold=True)
    points = "—" if outcome.status in ("khong_ap_dung", "cho_ket_qua") else \
        num(outcome.points, lang)
    result = (f"{in_language(outcome.status_label, lang)} — {points}/"
              f"{num(outcome.maximum, lang)} {WORDS[lang].points}")
    if outcome.appraisal_points != outcome.points:
        result += f" ({w['projected']} {num(outcome.appraisal_points, lang)})"
    _line(document, w["result"], result)
    _line(document, w["requirements"],
          f"{', '.join(info.requirements)} ({in_language(info.source, lang)})")
    _line(document, w["quote"], f"“{info.quote}”")
    _line(document, w["reading"], in_language(info.reading, lang))
    if info.departs_from_text is not None:
        _line(document, w["departs"], in_language(info.departs_from_text, lang), flag=True)
    if info.convention is not None:
        _line(document, w["convention"], f"{in_language(info.convention.title, lang)} — "
                                         f"{in_language(info.convention.text, lang)}")
    if info.convention_exception is not None:
        _line(document, w["exception"], in_language(info.convention_exception, lang))
    _line(document, w["test"], in_language(explanation.test, lang))
    _line(document, w["scoring"], in_language(explanation.scoring, lang))
    labels = {item.fact: in_language(item.label, lang) for item in explanation.inputs}
    if explanation.inputs:
        _line(document, w["inputs"], "")
    for item in explanation.inputs:
        previous = f" ({w['last_year']})" if item.year != report.year else ""
        line = (f"- {in_language(item.label, lang)}{previous} = {in_language(item.shown, lang)}"
                f" [{item.json_path}]")
        documents = [in_language(t, lang) for t in item.evidence_text]
        if documents:
            line += f"; {w['evidence']}: " + " | ".join(documents)
        if item.note:
            line += f"; {w['note']}: «{item.note}»"
        para(document, line, NOTE)
    if explanation.missing:
        _line(document, w["missing"], "; ".join(labels.get(f, f) for f in explanation.missing))
    if explanation.evidence_missing:
        _line(document, w["evidence_missing"],
              "; ".join(labels.get(f, f) for f in explanation.evidence_missing))
    if appraisal is None:
        return
    decided = appraisal.rules[outcome.rule]
    lines = _appraisal_lines(appraisal, outcome, lang)
    if lines:
        _line(document, w["appraisal"], f"{w['self']} {num(decided.self_points, lang)} → "
                                        f"{w['final']} {num(decided.final.points, lang)}")
        for line in lines:
            para(document, f"- {line}", NOTE)


def _provenance(document: DocumentObject, report: Report, lang: str,
                appraisal: Appraisal | None) -> None:
    w = _W[lang]
    para(document, w["provenance"], HEADING, before=12)
    origin = pack_origin(report, lang)
    if origin:
        para(document, origin, NOTE, bold=True)
    pack, plan = report.pack, report.pack.plan
    _line(document, w["facts"], f"{report.facts_file.name} — sha256 {report.facts_file.sha256}")
    _line(document, w["pack"], f"{pack.id} {pack.version} ({in_language(pack.title, lang)}) — "
                               f"sha256 {pack.sha256}")
    _line(document, w["plan"], f"{plan.document}; {plan.issuer}; {plan.source_file}")
    _line(document, w["tool"], f"{report.tool.name} {report.tool.version}")
    if appraisal is None:
        return
    _line(document, w["file"], f"{appraisal.file} — sha256 {appraisal.file_sha256}")
    for item in appraisal.rounds:
        who = ", ".join(part for part in (item.by, item.position, item.office) if part)
        para(document, "- " + w["round"].format(n=item.number, who=who, on=item.on,
                                                sha=item.sha256), NOTE)
    _line(document, w["last"], appraisal.last_hash)


def appendix(document: DocumentObject, report: Report, lang: str, appraisal: Appraisal | None,
             number: str, on: dt.date | None) -> None:
    """The appendix, on a new page: every rule by area, the bonus and penalty rules, then the
    provenance."""
    words = WORDS[lang]
    para(document, words.appendix, HEADING, align=CENTER, page_break=True, after=0)
    para(document, words.appendix_title, HEADING, align=CENTER, after=0)
    day = on
    of = number if day is None else f"{number} {_W[lang]['date'].format(day=format_date(day))}"
    unit = f"{'UBND' if lang == 'vi' else 'the People’s Committee of'} {report.unit.ward}"
    para(document, words.appendix_of.format(number=of, unit=unit), NOTE, align=CENTER,
         italic=True, after=12)
    for number_, area in enumerate(report.areas, 1):
        para(document, f"{number_}. {in_language(area, lang)}", HEADING, before=6, after=0)
        for outcome in report.outcomes:
            if outcome.area == area.id:
                _rule(document, outcome, report, lang, appraisal)
    if report.adjustments:
        para(document, f"{len(report.areas) + 1}. {_W[lang]['adjustments']}", HEADING, before=6,
             after=0)
        for outcome in report.adjustments:
            _rule(document, outcome, report, lang, appraisal)
    _provenance(document, report, lang, appraisal)
