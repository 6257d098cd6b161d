"""The scoring sheet's cells, header and rule table (`reports.sheet_xlsx` puts them together):
each area's heading row summing its rules, each rule's weighted maximum, maximum scored and
weighted points as formulas beside its static figures, texts never read as formulas."""

from __future__ import annotations

import math
import re
from decimal import Decimal
from typing import TYPE_CHECKING

from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from cchc.engine.numbers import roman
from cchc.reports.sheet_xlsx_words import WORDS, SheetWords
from cchc.rules.schema import PackMeta
from cchc.scoring.report import STATUS_LABELS, Outcome, Report, in_language

if TYPE_CHECKING:
    from cchc.scoring.appraisal import Appraisal

POINTS = "0.00"
INDEX = '0.00" %"'
WEIGHT = "0.00"
WHOLE = "0"
EXCLUDED = ("khong_ap_dung", "cho_ket_qua")  # statuses whose maximum the index leaves out

# Characters XML 1.0 cannot hold (and lone surrogates, which UTF-8 cannot): shown as U+FFFD.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_MAX_TEXT = 32767  # characters an Excel cell holds

BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
TOOL = Font(italic=True, color="595959")
HEAD_FILL = PatternFill("solid", fgColor="D9E1F2")
AREA_FILL = PatternFill("solid", fgColor="EDEDED")
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
CHANGED_FILL = PatternFill("solid", fgColor="FCE4D6")
WRAP = Alignment(wrap_text=True, vertical="top")
HEAD = Alignment(wrap_text=True, vertical="center", horizontal="center")
TOP = Alignment(vertical="top")

# The rule table's columns: key, width. With an appraisal the appraised ones follow, a column
# per round before the last one between them.
_COLUMNS = (("no", 5), ("rule", 11), ("requirements", 14), ("title", 46), ("max", 8),
            ("weight", 7), ("wmax", 9), ("status", 15), ("scored", 9), ("points", 9),
            ("wpoints", 9), ("evidence", 44), ("note", 44))
_APPRAISED = (("a_status", 15), ("a_scored", 9))
_APPRAISED_END = (("a_points", 9), ("a_wpoints", 9), ("reason", 44))


def clean(text: str) -> str:
    """A text a cell can hold: no character XML refuses, at most 32 767 characters."""
    text = _ILLEGAL.sub("\ufffd", text)
    return text if len(text) <= _MAX_TEXT else text[:_MAX_TEXT - 1] + "…"


def quoted(text: str) -> str:
    """A text as a formula's string literal."""
    return '"' + text.replace('"', '""') + '"'


def evidence_text(outcome: Outcome, lang: str) -> str:
    """The documents behind an outcome's inputs, one a line, each once."""
    seen: dict[str, None] = {}
    for item in outcome.explanation.inputs:
        texts = [in_language(text, lang) for text in item.evidence_text] or \
            [evidence.describe(lang) for evidence in item.evidence]
        seen.update(dict.fromkeys(texts))
    return "\n".join(seen)


def note_text(outcome: Outcome, lang: str, words: SheetWords) -> str:
    """Why points were withheld (the scoring sentence), then the ward's own notes."""
    parts = []
    if outcome.status != "dat" or outcome.points < outcome.maximum \
            or outcome.appraisal_points < outcome.points:
        parts.append(in_language(outcome.explanation.scoring, lang))
    parts += [f"{words.ward_note} ({in_language(item.label, lang)}): {item.note}"
              for item in outcome.explanation.inputs if item.note]
    return "\n".join(parts)


class Sheet:
    """The scoring sheet being written: the rule table here, the rest in
    `reports.sheet_xlsx_summary`, which reads `area_rows`, `bonus_row` and `penalty_row`."""

    def __init__(self, report: Report, lang: str, appraisal: Appraisal | None,
                 meta: PackMeta) -> None:
        self.report, self.lang, self.appraisal, self.meta = report, lang, appraisal, meta
        self.words = WORDS[lang]
        self.book = Workbook()
        sheet = self.book.active
        assert isinstance(sheet, Worksheet)
        sheet.title = self.words.sheet
        self.ws = sheet
        self.row = 1
        columns = list(_COLUMNS)
        if appraisal is not None:
            columns += [*_APPRAISED, *((f"r{n}", 9) for n in range(1, len(appraisal.rounds))),
                        *_APPRAISED_END]
        self.col = {key: get_column_letter(number) for number, (key, _) in
                    enumerate(columns, 1)}
        self.widths = {self.col[key]: width for key, width in columns}
        self.head_row = 0
        self.area_rows: list[int] = []
        self.bonus_row: int | None = None
        self.penalty_row: int | None = None
        self.last_rule_row = 0
        self.lines: dict[int, int] = {}  # row -> the most lines a wrapped text of it takes

    # --- cells ---------------------------------------------------------------------------
    def text(self, ref: str, value: str, font: Font | None = None,
             fill: PatternFill | None = None, align: Alignment | None = WRAP) -> None:
        """A text, never read as a formula (empty: the cell stays empty)."""
        if not value:
            return
        cell = self.ws[ref]
        cell.value = clean(value)
        cell.data_type = "s"
        self._style(cell, font, fill, align)
        width = self.widths.get(cell.column_letter)
        if align is not None and align.wrap_text and width:
            lines = sum(max(1, math.ceil(len(part) / (width - 1)))
                        for part in cell.value.split("\n"))
            self.lines[cell.row] = max(lines, self.lines.get(cell.row, 1))

    def number(self, ref: str, value: float | Decimal | int, fmt: str = POINTS,
               font: Font | None = None, fill: PatternFill | None = None) -> None:
        """A number (points as a number, never as text)."""
        cell = self.ws[ref]
        cell.value = int(value) if fmt == WHOLE else float(value)
        cell.number_format = fmt
        self._style(cell, font, fill, TOP)

    def formula(self, ref: str, formula: str, fmt: str = POINTS, font: Font | None = None,
                fill: PatternFill | None = None) -> None:
        """A formula (`formula` starts with '=')."""
        cell = self.ws[ref]
        cell.value = formula
        cell.number_format = fmt
        self._style(cell, font, fill, TOP)

    @staticmethod
    def _style(cell: Cell, font: Font | None, fill: PatternFill | None,
               align: Alignment | None) -> None:
        if font is not None:
            cell.font = font
        if fill is not None:
            cell.fill = fill
        if align is not None:
            cell.alignment = align

    def at(self, key: str, row: int | None = None) -> str:
        """The reference of a rule-table column's cell in `row` (default: the current row)."""
        return f"{self.col[key]}{self.row if row is None else row}"

    # --- header --------------------------------------------------------------------------
    def header(self) -> None:
        """Title, who and what (unit, year, pack, plan, prepared, facts file, appraisal)."""
        report, words, appraisal = self.report, self.words, self.appraisal
        title = words.title_appraised if appraisal is not None else words.title
        self.text("A1", title.format(year=report.year), TITLE, align=None)
        pack, plan, prepared = report.pack, report.pack.plan, report.prepared
        origin = "" if pack.shipped else \
            f" — {words.not_shipped} (sha256 {pack.sha256}, {pack.location})"
        lines: list[tuple[str, str | int]] = [
            (words.unit, ", ".join(report.unit.parts())), (words.year, report.year),
            (words.pack, f"{pack.id} {pack.version}{origin}"),
            (words.plan, f"{plan.document} — {plan.issuer}, {plan.issued_on}"),
            (words.prepared, ", ".join(part for part in (prepared.by, prepared.on) if part)),
            (words.facts, f"{report.facts_file.name} — {report.facts_file.sha256}")]
        if appraisal is not None:
            lines += [(words.appraisal_file, f"{appraisal.file} — {appraisal.file_sha256}"),
                      (words.rounds, "; ".join(f"{item.number}: {item.by}, {item.on}"
                                               for item in appraisal.rounds)),
                      (words.last_hash, appraisal.last_hash)]
        self.row = 2
        for label, value in lines:
            self.text(f"A{self.row}", label, BOLD, align=None)
            if isinstance(value, int):
                self.number(f"D{self.row}", value, WHOLE)
                self.ws[f"D{self.row}"].alignment = Alignment(horizontal="left")
            else:
                self.text(f"D{self.row}", value, align=None)
            self.row += 1
        last = self.col["reason" if appraisal is not None else "note"]
        for line in (words.how_to, words.index_rule):
            self.text(f"A{self.row}", line, align=WRAP)
            self.ws.merge_cells(f"A{self.row}:{last}{self.row}")
            self.lines[self.row] = math.ceil(len(line) / (sum(self.widths.values()) - 10))
            self.row += 1

    # --- the rule table ------------------------------------------------------------------
    def table(self) -> None:
        """The column heads, each area's heading row and rules, the bonus and penalty rules."""
        self.head_row = self.row
        heads = self.words.columns
        for key, letter in self.col.items():
            head = self.words.round_column.format(n=key[1:]) if key[0] == "r" and \
                key[1:].isdigit() else heads[key]
            self.text(f"{letter}{self.row}", head, BOLD, HEAD_FILL, HEAD)
        self.row += 1
        by_area: dict[str, list[Outcome]] = {area.id: [] for area in self.report.areas}
        for outcome in self.report.outcomes:
            by_area[outcome.area].append(outcome)
        for number, area in enumerate(self.report.areas, 1):
            self.area_rows.append(self.group(roman(number), in_language(area, self.lang),
                                             by_area[area.id], scored=True))
        for effect, title in (("bonus", self.words.bonus), ("penalty", self.words.penalty)):
            outcomes = [o for o in self.report.adjustments if o.info.effect == effect]
            if outcomes:
                row = self.group("", title, outcomes, scored=False)
                self.bonus_row, self.penalty_row = (row, self.penalty_row) \
                    if effect == "bonus" else (self.bonus_row, row)
        self.last_rule_row = self.row - 1

    def group(self, number: str, title: str, outcomes: list[Outcome], scored: bool) -> int:
        """A heading row summing its rules' rows below it; returns the heading's row."""
        heading = self.row
        for key in self.col:
            self._style(self.ws[self.at(key)], BOLD, AREA_FILL, None)
        self.text(self.at("no"), number, BOLD, AREA_FILL, align=None)
        self.text(self.at("title"), title, BOLD, AREA_FILL)
        self.row += 1
        for item, outcome in enumerate(outcomes, 1):
            self.rule_row(item, outcome, scored)
        first, last = heading + 1, self.row - 1
        keys = ["max", "wmax", "scored", "points", "wpoints"] if scored else \
            ["points", "wpoints"]
        keys += [key for key in self.col if key[0] == "r" and key[1:].isdigit()]
        if self.appraisal is not None:
            keys += ["a_scored", "a_points", "a_wpoints"] if scored else \
                ["a_points", "a_wpoints"]
        for key in keys:
            letter = self.col[key]
            self.formula(self.at(key, heading), f"=SUM({letter}{first}:{letter}{last})"
                         if outcomes else "=0", font=BOLD, fill=AREA_FILL)
        return heading

    def _scored(self, status_key: str) -> str:
        """The maximum scored: 0 when the status (as written in the sheet) is left out."""
        na, pending = (quoted(in_language(STATUS_LABELS[s], self.lang)) for s in EXCLUDED)
        status = self.at(status_key)
        return f"=IF(OR({status}={na},{status}={pending}),0,{self.at('wmax')})"

    def rule_row(self, number: int, outcome: Outcome, scored: bool) -> None:
        """One rule: what it asks, its maximum and weight, status, points, evidence, notes;
        with an appraisal, its appraised status, points after each round, the city's reason."""
        lang, at = self.lang, self.at
        self.number(at("no"), number, WHOLE)
        self.text(at("rule"), outcome.rule)
        self.text(at("requirements"), ", ".join(outcome.info.requirements))
        self.text(at("title"), in_language(outcome.info.title, lang))
        self.number(at("max"), outcome.maximum)
        self.number(at("weight"), 1, WEIGHT, fill=INPUT_FILL)
        self.text(at("status"), in_language(STATUS_LABELS[outcome.status], lang))
        if scored:
            self.formula(at("wmax"), f"={at('max')}*{at('weight')}")
            self.formula(at("scored"), self._scored("status"))
        self.number(at("points"), outcome.points)
        self.formula(at("wpoints"), f"={at('points')}*{at('weight')}")
        self.text(at("evidence"), evidence_text(outcome, lang))
        self.text(at("note"), note_text(outcome, lang, self.words))
        if self.appraisal is not None:
            item = self.appraisal.rules[outcome.rule]
            self.text(at("a_status"), in_language(STATUS_LABELS[item.final.status], lang))
            if scored:
                self.formula(at("a_scored"), self._scored("a_status"))
            for step in item.steps[:-1]:
                self.number(at(f"r{step.round}"), step.points)
            self.number(at("a_points"), item.final.points,
                        fill=CHANGED_FILL if item.changed else None)
            self.formula(at("a_wpoints"), f"={at('a_points')}*{at('weight')}")
            note = item.note if item.changed else None  # not "the self-assessment stands"
            self.text(at("reason"), item.reason or (
                "" if note is None else f"{self.words.tool_note} {in_language(note, lang)}"))
        self.row += 1

    # --- the page ------------------------------------------------------------------------
    def finish(self) -> None:
        """Widths, frozen heads, the status lists, the filter and the printed page."""
        ws, head = self.ws, self.head_row
        for letter, width in self.widths.items():
            ws.column_dimensions[letter].width = width
        ws.freeze_panes = f"C{head + 1}"
        last = self.col["reason" if self.appraisal is not None else "note"]
        ws.auto_filter.ref = f"A{head}:{last}{self.last_rule_row}"
        labels = ",".join(in_language(label, self.lang) for label in STATUS_LABELS.values())
        statuses = DataValidation(type="list", formula1=quoted(labels), allow_blank=True)
        ws.add_data_validation(statuses)
        for key in ("status", "a_status"):
            if key in self.col:
                statuses.add(f"{self.col[key]}{head + 1}:{self.col[key]}{self.last_rule_row}")
        ws.print_title_rows = f"{head}:{head}"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.orientation = "landscape"
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        ws.page_margins.left = ws.page_margins.right = 0.4
        ws.page_margins.top = ws.page_margins.bottom = 0.6
        ws.sheet_view.zoomScale = 100
        # Excel fits a row to its wrapped texts when it draws it, LibreOffice keeps the height
        # the file gives: each row is given the height of its longest text, estimated
        for row, lines in sorted(self.lines.items()):
            if lines > 1:
                ws.row_dimensions[row].height = min(409, 15 * lines)
