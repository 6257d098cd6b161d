"""The ward's self-assessment report (báo cáo tự đánh giá) as a Word document: the
administrative text of NĐ 30/2020/NĐ-CP (Phụ lục I), ready for the chairman's signature.

The header (the superior and the issuing body, số, Quốc hiệu and Tiêu ngữ, place and date), the
title and trích yếu, the căn cứ; I. one table per reform area (criterion, maximum, self-assessed
points, evidence; with the city's appraisal its points and reason, verbatim) and the summary
(totals, index, band, the projected appraisal, bonus and penalty points, each round); II. what
fell short and the warnings; Nơi nhận and the signature block; then the appendix for auditors
(`reports.docx_appendix`: every rule's reasoning and the provenance). Layout in
`reports.docx_layout`, tables in `reports.docx_tables`, words in `reports.docx_words`. The same
report gives the same bytes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from docx import Document
from docx.document import Document as DocumentObject
from docx.shared import Length, Mm

from cchc.engine.dates import DateFormatError, format_date, parse_date
from cchc.reports.docx_appendix import appendix
from cchc.reports.docx_layout import (
    BLOCK,
    CELL,
    CENTER,
    HEADING,
    LEFT,
    clean,
    para,
    rule,
    save,
    setup,
    table,
    text_width,
)
from cchc.reports.docx_tables import rules_table, summary_table
from cchc.reports.docx_words import (
    SIGNER_EN,
    WORDS,
    date_line,
    locality,
    report_date,
    superior,
)
from cchc.reports.figures import band, index, num
from cchc.scoring.report import Outcome, Report, in_language

if TYPE_CHECKING:
    from cchc.scoring.appraisal import Appraisal

DEFAULT_RECIPIENTS = ("Phòng Nội vụ thành phố", "Lưu: VT, VP")
_HEADER = (Mm(72), Mm(98))  # 5 mm wider than the text, centred over it
_ENDING = (Mm(75), Mm(90))


@dataclass(frozen=True)
class Signer:
    """Who signs, for whom, who receives the report, and its number (số, ký hiệu) once the
    văn thư gives it; without a number the report leaves 'Số:    /BC-UBND' to fill in."""

    name: str | None = None
    title: str = "CHỦ TỊCH"
    on_behalf: str = "TM. ỦY BAN NHÂN DÂN"
    recipients: tuple[str, ...] = DEFAULT_RECIPIENTS
    number: str | None = None
    on: dt.date | None = None  # the day the report is signed; by default: see `issued_on`


def issued_on(report: Report, appraisal: Appraisal | None, signer: Signer) -> dt.date | None:
    """The report's date: the signer's, else — with an appraisal, which it cites — the last
    round's day when that is later than the assessment date, else the assessment date."""
    if signer.on is not None:
        return signer.on
    day = report_date(report.prepared.on)
    if appraisal is not None and appraisal.rounds:
        last = report_date(appraisal.rounds[-1].on_iso or appraisal.rounds[-1].on)
        if last is not None and (day is None or last > day):
            return last
    return day


def filed(recipients: tuple[str, ...]) -> tuple[str, ...]:
    """The recipients with the office's own copy (Lưu: VT) last, added when not given."""
    if any(name.strip().casefold().startswith("lưu") for name in recipients):
        return recipients
    return (*recipients, DEFAULT_RECIPIENTS[-1])


def _signer_text(value: str, lang: str) -> str:
    return SIGNER_EN.get(value, value) if lang == "en" else value


def number_text(signer: Signer) -> str:
    """'12/BC-UBND', or '   /BC-UBND' for the văn thư to fill in."""
    return clean(signer.number) if signer.number else "    /BC-UBND"


def _header(document: DocumentObject, report: Report, lang: str, signer: Signer) -> None:
    """The two columns of the thể thức: the bodies and the số on the left; the Quốc hiệu, the
    Tiêu ngữ and the place and date on the right."""
    w = WORDS[lang]
    grid = table(document, 2, _HEADER, borders=False)
    left, right = grid.rows[0].cells
    body = superior(report.unit, lang)
    if body:
        para(left, body, BLOCK, size=13)
    para(left, w.committee, BLOCK, bold=True, size=13)
    ward = report.unit.ward.upper()
    para(left, ward, BLOCK, bold=True, size=13)
    rule(left, Length(max(text_width(w.committee, 13, True), text_width(ward, 13, True)) * 2
                      // 5))
    para(right, w.nation, BLOCK, bold=True, size=12)
    para(right, w.motto, BLOCK, bold=True, size=13)
    rule(right, text_width(w.motto, 13, True))
    number, place = grid.rows[1].cells
    para(number, f"{w.number}: {number_text(signer)}", BLOCK, size=13)
    para(place, date_line(locality(report.unit), signer.on, lang), BLOCK, italic=True, size=14)


def _opening(document: DocumentObject, report: Report, lang: str,
             appraisal: Appraisal | None) -> None:
    w, plan = WORDS[lang], report.pack.plan
    para(document, w.title, HEADING, align=CENTER, before=18, after=0)
    para(document, w.subject.format(year=report.year), HEADING, align=CENTER, after=18)
    para(document, w.basis.format(plan=plan.document, issuer=plan.issuer,
                                  issued=_day(plan.issued_on)))
    if appraisal is not None:
        last = appraisal.rounds[-1]
        para(document, w.basis_appraised.format(office=last.office or last.by,
                                                round=last.number, on=last.on))
    unit = f"{'Ủy ban nhân dân' if lang == 'vi' else 'The People’s Committee of'} " \
           f"{report.unit.ward}"
    para(document, w.reports.format(unit=unit, year=report.year))


def _day(text: str) -> str:
    try:
        return format_date(parse_date(text))
    except DateFormatError:
        return text


def _score_lines(document: DocumentObject, report: Report, lang: str,
                 appraisal: Appraisal | None) -> None:
    w = WORDS[lang]
    own = report.self_assessment
    para(document, w.total_line.format(points=num(own.points, lang),
                                       scored=num(own.scored_maximum, lang),
                                       maximum=num(own.maximum, lang), index=index(own, lang),
                                       band=band(own, lang)), before=6)
    projected = report.projected_appraisal
    para(document, w.projected_line.format(points=num(projected.points, lang),
                                           index=index(projected, lang),
                                           band=band(projected, lang)))
    scores = [own, projected]
    if appraisal is not None:
        last = appraisal.rounds[-1]
        para(document, w.appraised_line.format(n=last.number, on=last.on,
                                               points=num(last.total.points, lang),
                                               index=index(last.total, lang),
                                               band=band(last.total, lang)))
        scores.append(last.total)
    names = {area.id: in_language(area, lang) for area in report.areas}
    refused = [w.band_refused.format(band=in_language(score.refused_band, lang),
                                     areas=", ".join(names.get(a, a) for a in score.weak_areas),
                                     share=num(score.refused_band.min_area_share or 0, lang))
               for score in scores if score.refused_band is not None]
    for line in dict.fromkeys(refused):  # once, when both scores are refused alike
        para(document, line)


def _part_one(document: DocumentObject, report: Report, lang: str,
              appraisal: Appraisal | None) -> None:
    w = WORDS[lang]
    para(document, w.part_one, HEADING)
    number = 0
    for number, area in enumerate(report.areas, 1):
        own = area.self_assessment
        para(document, f"{number}. {in_language(area, lang)} ({w.at_most} "
                       f"{num(own.maximum, lang)} {w.points})", HEADING, after=3)
        outcomes = [o for o in report.outcomes if o.area == area.id]
        rules_table(document, outcomes, lang, appraisal,
                     (own, None if appraisal is None else appraisal.areas[number - 1]))
    if report.adjustments:
        number += 1
        para(document, f"{number}. {w.adjustments}", HEADING, after=3, before=6)
        rules_table(document, report.adjustments, lang, appraisal, None)
    para(document, f"{number + 1}. {w.summary}", HEADING, after=3, before=6)
    summary_table(document, report, lang, appraisal)
    _score_lines(document, report, lang, appraisal)


def _lacking(outcome: Outcome, lang: str) -> str:
    """'; thiếu tài liệu kiểm chứng: …' / '; chưa có số liệu: …', the facts by their labels."""
    explanation = outcome.explanation
    labels = {item.fact: in_language(item.label, lang) for item in explanation.inputs}
    out = ""
    for facts, word in ((explanation.evidence_missing, WORDS[lang].evidence_missing),
                        (explanation.missing, WORDS[lang].data_missing)):
        if facts:
            out += f"; {word}: " + "; ".join(labels.get(fact, fact) for fact in facts)
    return out


def _part_two(document: DocumentObject, report: Report, lang: str) -> None:
    """Each rule that fell short, by status, with its test; the pending rules; the warnings."""
    w = WORDS[lang]
    para(document, w.part_two, HEADING, before=6)
    letters = "abcdefgh"
    found = 0
    for status, title in w.groups:
        outcomes = [o for o in report.outcomes if o.status == status]
        if not outcomes:
            continue
        para(document, f"{letters[found]}) {title} ({len(outcomes)}):", italic=True)
        found += 1
        for o in outcomes:
            para(document, f"- {o.rule} {in_language(o.info.title, lang)}: "
                           f"{in_language(o.explanation.test, lang)}{_lacking(o, lang)} "
                           f"({num(o.points, lang)}/{num(o.maximum, lang)} {w.points}).")
    if report.pending:
        para(document, w.pending_line.format(rules=", ".join(o.rule for o in report.pending)))
    if report.warnings:
        para(document, f"{letters[found]}) {w.warnings} ({len(report.warnings)}):", italic=True)
        found += 1
        for item in report.warnings:
            para(document, f"- {item.vi if lang == 'vi' else item.en} ({item.json_path}).")
    if not found and not report.pending:
        para(document, w.nothing)


def _ending(document: DocumentObject, lang: str, signer: Signer) -> None:
    """Nơi nhận on the left; on the right the authority, the title, room for the signature and
    the seal, and the signer's name."""
    grid = table(document, 1, _ENDING, borders=False)
    left, right = grid.rows[0].cells
    para(left, WORDS[lang].recipients, CELL, bold=True, italic=True, size=12, align=LEFT,
         before=12)
    names = [_signer_text(r.strip().rstrip(";."), lang) for r in filed(signer.recipients)]
    for number, name in enumerate(names):
        para(left, f"- {name}{'.' if number == len(names) - 1 else ';'}", CELL, size=11,
             after=0)
    lines = [line.strip() for line in (signer.on_behalf, *signer.title.splitlines())
             if line.strip()]
    for number, line in enumerate(lines):
        para(right, _signer_text(line, lang).upper(), BLOCK, bold=True, size=14,
             before=12 if number == 0 else None)
    for _ in range(4):
        para(right, "", BLOCK, size=14)
    if signer.name:
        para(right, signer.name, BLOCK, bold=True, size=14)


def _properties(document: DocumentObject, report: Report, lang: str,
                on: dt.date | None) -> dt.datetime:
    """The core properties, dated by the report (never by the clock); returns that date."""
    day = on or dt.date(report.year, 12, 31)
    when = dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc)
    props = document.core_properties
    author = clean(report.prepared.by or f"{report.tool.name} {report.tool.version}")
    props.author = props.last_modified_by = author[:255]
    props.created = props.modified = when
    subject = WORDS[lang].subject.format(year=report.year).replace("\n", " ")
    props.title = clean(f"{WORDS[lang].title} — {subject}")
    props.subject = clean(", ".join(report.unit.parts()))[:255]
    props.comments = f"{report.tool.name} {report.tool.version}; facts sha256 " \
                     f"{report.facts_file.sha256}; pack {report.pack.id} {report.pack.version}"
    props.keywords = "CCHC"
    props.language = "vi-VN" if lang == "vi" else "en-GB"
    props.revision = 1
    return when


def render_docx(report: Report, lang: str = "vi", appraisal: Appraisal | None = None, *,
                signer: Signer | None = None) -> bytes:
    """The report as a Word document (.docx bytes), in `lang`; with the city's appraisal, its
    points, reasons and rounds too. The same arguments give the same bytes."""
    if lang not in WORDS:
        raise ValueError(f"no Word report in {lang!r}")
    signer = signer or Signer()
    signer = dataclasses.replace(signer, on=issued_on(report, appraisal, signer))
    document = Document()
    setup(document, lang)
    _header(document, report, lang, signer)
    _opening(document, report, lang, appraisal)
    _part_one(document, report, lang, appraisal)
    _part_two(document, report, lang)
    _ending(document, lang, signer)
    appendix(document, report, lang, appraisal, number_text(signer), signer.on)
    when = _properties(document, report, lang, signer.on)
    return save(document, when)


__all__ = ["DEFAULT_RECIPIENTS", "Signer", "render_docx"]
