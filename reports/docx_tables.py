"""The tables of the Word report (`reports.docx_report`): one per reform area (criterion,
maximum, self-assessed points, evidence; with the city's appraisal its points after the last
round and its reason, verbatim; the subtotal) and the summary (each area, bonus and penalty
points, the total, what the index leaves out, the index and the band, for the self-assessment,
the projected appraisal and each round)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from docx.document import Document as DocumentObject
from docx.shared import Length, Mm
from docx.table import _Cell

from cchc.reports.docx_layout import CELL, CENTER, add_row, header_row, middle, para, table
from cchc.reports.docx_words import WORDS
from cchc.reports.figures import band, index, num
from cchc.scoring.report import STATUS_LABELS, Outcome, Report, Score, in_language

if TYPE_CHECKING:
    from cchc.scoring.appraisal import Appraisal


def _widths(appraisal: Appraisal | None) -> list[Length]:
    """The columns of an area's table (165 mm: the text's width)."""
    if appraisal is None:
        return [Mm(12), Mm(67), Mm(17), Mm(17), Mm(52)]
    return [Mm(12), Mm(42), Mm(14), Mm(15), Mm(40), Mm(16), Mm(26)]


def _cell(cell: _Cell, words: str, *, bold: bool = False, center: bool = False,
          note: str | None = None) -> None:
    """A cell's text (its own paragraph), and an italic note under it."""
    para(cell, words, CELL, bold=bold, align=CENTER if center else None)
    if note:
        para(cell, note, CELL, italic=True, align=CENTER if center else None)
    middle(cell)


def _evidence(outcome: Outcome, lang: str) -> list[str]:
    """Each document cited for the rule's inputs, once, in order."""
    seen: list[str] = []
    for item in outcome.explanation.inputs:
        texts = [in_language(t, lang) for t in item.evidence_text] or \
            [e.describe(lang) for e in item.evidence]
        seen += [t for t in texts if t not in seen]
    return seen


def _points(value: float, status: str, lang: str, sign: str = "") -> str:
    """Points as printed ('—' out of the maximum; a bonus '+2', a penalty '−3')."""
    if status in ("khong_ap_dung", "cho_ket_qua"):
        return "—"
    return f"{sign}{num(value, lang)}" if value else num(value, lang)


def _status_note(status: str, lang: str) -> str | None:
    return None if status == "dat" else in_language(STATUS_LABELS[status], lang)


def _rule_row(cells: Sequence[_Cell], number: int, outcome: Outcome, lang: str,
              appraisal: Appraisal | None) -> None:
    w = WORDS[lang]
    sign = {"bonus": "+", "penalty": "−"}.get(outcome.info.effect, "")
    _cell(cells[0], str(number), center=True)
    flag = " ⚑" if outcome.info.departs_from_text is not None else ""
    _cell(cells[1], in_language(outcome.info.title, lang),
          note=f"{outcome.rule}{flag} ({', '.join(outcome.info.requirements)})")
    _cell(cells[2], num(outcome.maximum, lang), center=True)
    _cell(cells[3], _points(outcome.points, outcome.status, lang, sign), center=True,
          note=_status_note(outcome.status, lang))
    documents = _evidence(outcome, lang)
    needed = any(i.evidence_required and i.value is not None
                 for i in outcome.explanation.inputs)
    for document in documents:
        para(cells[4], f"- {document}", CELL)
    if not documents and needed:
        para(cells[4], w.no_evidence, CELL, italic=True)
    middle(cells[4])
    if appraisal is None:
        return
    item = appraisal.rules[outcome.rule]
    _cell(cells[5], _points(float(item.final.points), item.final.status, lang, sign),
          center=True, note=_status_note(item.final.status, lang))
    if item.reason:
        para(cells[6], item.reason, CELL)
    elif item.changed and item.note is not None:
        para(cells[6], f"({w.by_tool}) {in_language(item.note, lang)}", CELL, italic=True)
    middle(cells[6])


def rules_table(document: DocumentObject, outcomes: Sequence[Outcome], lang: str,
                appraisal: Appraisal | None, subtotal: tuple[Score, Score | None] | None
                ) -> None:
    """One table of rules: the header row, a row per rule, and the subtotal row."""
    w = WORDS[lang]
    widths = _widths(appraisal)
    grid = table(document, 1, widths)
    heads = [w.stt, w.criterion, w.maximum, w.self, w.evidence]
    if appraisal is not None:
        heads += [w.appraised, w.reason]
    for cell, head in zip(grid.rows[0].cells, heads, strict=True):
        _cell(cell, head, bold=True, center=True)
    header_row(grid)
    for number, outcome in enumerate(outcomes, 1):
        _rule_row(add_row(grid, widths), number, outcome, lang, appraisal)
    if subtotal is None:
        return
    own, appraised = subtotal
    cells = add_row(grid, widths)
    label = cells[0].merge(cells[1])
    _cell(label, w.subtotal, bold=True, center=True)
    _cell(cells[2], num(own.maximum, lang), bold=True, center=True)
    _cell(cells[3], num(own.points, lang), bold=True, center=True)
    if appraised is not None:
        _cell(cells[5], num(appraised.points, lang), bold=True, center=True)


def summary_table(document: DocumentObject, report: Report, lang: str,
                  appraisal: Appraisal | None) -> None:
    """The summary table: each area, the bonus and penalty points, the total, what the index
    leaves out, the index and the band, for the self-assessment, the projected appraisal and
    each round of the city's."""
    w = WORDS[lang]
    rounds = [] if appraisal is None else list(appraisal.rounds)
    scores = [report.self_assessment, report.projected_appraisal, *[r.total for r in rounds]]
    rest = Mm(105) // (len(scores) + 1)
    widths = [Length(Mm(165) - rest * (len(scores) + 1)), *[Length(rest)] * (len(scores) + 1)]
    grid = table(document, 1, widths)
    heads = [w.content, w.maximum, w.self, w.projected,
             *[w.round.format(n=r.number) for r in rounds]]
    for cell, head in zip(grid.rows[0].cells, heads, strict=True):
        _cell(cell, head, bold=True, center=True)
    header_row(grid)

    def row(label: str, maximum: str, values: Sequence[str], bold: bool = False) -> None:
        cells = add_row(grid, widths)
        _cell(cells[0], label, bold=bold)
        for cell, value in zip(cells[1:], [maximum, *values], strict=True):
            _cell(cell, value, bold=bold, center=True)

    for number, area in enumerate(report.areas):
        row(f"{number + 1}. {in_language(area, lang)}", num(area.self_assessment.maximum, lang),
            [num(s.points, lang) for s in (area.self_assessment, area.projected_appraisal,
                                           *[r.areas[number] for r in rounds])])
    if report.self_assessment.base is not None:
        row(w.areas_sum, "", [num(s.base or 0, lang) for s in scores])
        row(w.bonus, "", [f"+{num(s.bonus, lang)}" for s in scores])
        row(w.penalty, "", [f"−{num(s.penalty, lang)}" for s in scores])
    row(w.total, num(report.self_assessment.maximum, lang),
        [num(s.points, lang) for s in scores], bold=True)
    if any(s.not_applicable for s in scores):
        row(w.not_applicable, "", [num(s.not_applicable, lang) for s in scores])
    if any(s.pending for s in scores):
        row(w.pending, "", [num(s.pending, lang) for s in scores])
    row(w.scored, "", [num(s.scored_maximum, lang) for s in scores])
    row(w.index, "", [index(s, lang) for s in scores], bold=True)
    row(w.band, "", [band(s, lang) for s in scores], bold=True)
