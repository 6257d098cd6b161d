"""Write the facts workbook: blank (`cchc-score template -o ward.xlsx`) or holding a facts file's
values (`cchc-score convert ward.json -o ward.xlsx`), in the layout of `facts.workbook`.

Every value is written so that the reader gives back the same value: whole numbers and decimals
that a double holds exactly as numbers, longer decimals as Vietnamese text (`12,3456789012345`);
dates as Excel dates shown dd/mm/yyyy; yes/no as the pack's words; levels by their names.
Texts that begin with `=` are written as text, never as formulas. The cells a ward fills in are
shaded, carry a data validation (whole numbers ≥ 0, dates, Có/Không lists, the levels) and an
input message with the fact's hint; the sheets print on A4 landscape, one page wide, with the
heading rows repeated.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from cchc.engine.archive import workbook_bytes
from cchc.engine.dates import DateFormatError, parse_date
from cchc.engine.errors import InputError, Problem
from cchc.engine.facts.typed_text import answer_words
from cchc.engine.facts.workbook import (
    COLUMN_AT,
    COLUMNS,
    EVIDENCE_FIELDS,
    FORMAT,
    HEADER_ROW,
    INFO_FIRST_ROW,
    INFO_ROWS,
    INFO_SHEET,
    LISTS_SHEET,
    NO_ROWS,
    NOT_DONE,
    PENDING,
    SEE_TABLE,
    YEARS_SEPARATOR,
    FactSheet,
    fact_requirements,
    fact_sheets,
    table_sheet_names,
)
from cchc.engine.messages import json_path
from cchc.engine.numbers import fmt
from cchc.engine.pack.model import Pack
from cchc.engine.publish import date_windows
from cchc.rules.schema import FactSpec

_THIN = Side(style="thin", color="A6A6A6")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
_INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
_GREY_FILL = PatternFill("solid", fgColor="F2F2F2")
_KEY_FONT = Font(name="Times New Roman", size=8, color="808080")
_FONT = Font(name="Times New Roman", size=11)
_BOLD = Font(name="Times New Roman", size=11, bold=True)
_TITLE = Font(name="Times New Roman", size=14, bold=True)
_WRAP = Alignment(wrap_text=True, vertical="top")
_DATE_FORMAT = "DD/MM/YYYY"
# What XML 1.0 cannot hold (openpyxl refuses it): a facts file's text with one is named, not lost.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
AnyCell = Cell | MergedCell
_INPUT_KEYS = ("value", "note", *(f"ev_{name}" for name in EVIDENCE_FIELDS))


class _Writer:
    """One workbook being written; `problems` collects texts no cell can hold."""

    def __init__(self, pack: Pack) -> None:
        self.pack = pack
        self.book = Workbook()
        self.problems: list[Problem] = []
        self.lists: dict[tuple[str, ...], str] = {}  # a drop-down's choices -> its range

    # --- cells ---------------------------------------------------------------------------
    def text(self, cell: AnyCell, value: str, where: str) -> None:
        """A text, never read as a formula; a character XML cannot hold is a problem."""
        if _ILLEGAL.search(value):
            self.problems.append(Problem(where, "chữ chứa ký tự điều khiển, Excel không lưu được",
                                         "the text holds a control character Excel cannot "
                                         "store", "bỏ ký tự đó", "remove it"))
            value = _ILLEGAL.sub(" ", value)
        cell.value = value
        cell.data_type = "s"

    def number(self, cell: AnyCell, value: int | Decimal, decimals: bool) -> None:
        """A number Excel holds exactly, else the Vietnamese text the reader reads back."""
        if isinstance(value, int) or (value == value.to_integral_value() and abs(value) < 2**53):
            cell.value = int(value)
            cell.number_format = "General" if decimals else "#,##0"
            return
        as_float = float(value)
        if Decimal(repr(as_float)) == value:
            cell.value = as_float
            cell.number_format = "General"
        else:
            cell.value = fmt(value).replace(" ", ".")
            cell.data_type = "s"

    def date(self, cell: AnyCell, text: str) -> bool:
        """A date given as text, as an Excel date; False if the text is not a date."""
        try:
            day = parse_date(text)
        except DateFormatError:
            return False
        cell.value = dt.datetime(day.year, day.month, day.day)
        cell.number_format = _DATE_FORMAT
        return True

    def value(self, cell: AnyCell, spec: FactSpec, raw: Any, where: str,
              table_sheet: str | None) -> None:
        """A fact's value as the form shows it (raw as a checked facts file holds it)."""
        if raw is None:
            return
        kind = spec.type
        if kind in ("count", "rank", "number") and not isinstance(raw, bool):
            self.number(cell, raw, kind == "number")
        elif kind == "boolean":
            yes, no = answer_words(spec)
            self.text(cell, yes if raw else no, where)
        elif kind == "date":
            if raw is False:
                self.text(cell, NOT_DONE, where)
            elif not self.date(cell, str(raw)):
                self.text(cell, str(raw), where)
        elif kind == "level":
            position = spec.level_position(str(raw))
            label = spec.levels[position].vi if spec.levels and position is not None else raw
            self.text(cell, str(label), where)
        elif kind == "dates":
            days = []
            for item in raw:
                try:
                    days.append(parse_date(str(item)).strftime("%d/%m/%Y"))
                except DateFormatError:
                    days.append(str(item))
            self.text(cell, YEARS_SEPARATOR.join(days) if days else NO_ROWS, where)
        elif kind == "table":
            if raw and table_sheet is not None:
                self.text(cell, f"{SEE_TABLE} '{table_sheet}'", where)
                cell.hyperlink = f"#{quote_sheetname(table_sheet)}!A1"
            else:
                self.text(cell, NO_ROWS, where)

    def choices(self, values: tuple[str, ...]) -> str:
        """The range of the hidden lists sheet holding `values` (one column per list)."""
        if values not in self.lists:
            sheet = self.book[LISTS_SHEET]
            column = get_column_letter(len(self.lists) + 1)
            for row, value in enumerate(values, start=1):
                sheet[f"{column}{row}"] = value
            self.lists[values] = f"{quote_sheetname(LISTS_SHEET)}!${column}$1:${column}$" \
                                 f"{len(values)}"
        return self.lists[values]

    def validation(self, sheet: Worksheet, coordinate: str, spec: FactSpec, hint: str) -> None:
        """The value cell's drop-down or bounds, and its hint as an input message."""
        kind = spec.type
        rule: DataValidation | None = None
        if kind in ("count", "rank"):
            low = 0 if kind == "count" else 1
            high = int(spec.maximum) if spec.maximum is not None else 10**9
            rule = DataValidation(type="whole", operator="between", formula1=str(low),
                                  formula2=str(high))
            rule.error = f"Cần một số nguyên từ {low} đến {high:,}".replace(",", ".")
        elif kind == "number":
            low_n = spec.minimum if spec.minimum is not None else Decimal(-10**12)
            high_n = spec.maximum if spec.maximum is not None else Decimal(10**12)
            rule = DataValidation(type="decimal", operator="between", formula1=str(low_n),
                                  formula2=str(high_n))
            rule.error = f"Cần một số từ {fmt(low_n)} đến {fmt(high_n)}"
        elif kind == "boolean":
            rule = DataValidation(type="list", formula1=self.choices(answer_words(spec)))
            rule.error = "Chọn trong danh sách / choose from the list"
        elif kind == "level":
            rule = DataValidation(type="list", formula1=self.choices(
                tuple(level.vi for level in spec.levels or ())))
            rule.error = "Chọn một mức trong danh sách / choose a level from the list"
        elif kind == "date":
            rule = DataValidation(type="custom", formula1=f'OR(ISNUMBER({coordinate}),'
                                                          f'{coordinate}="{NOT_DONE}")')
            rule.error = f"Cần một ngày (ngày/tháng/năm) hoặc «{NOT_DONE}»"
        if rule is None:
            return
        rule.allow_blank = True
        # a warning, not a stop: text the tool reads ("12,5" typed where Excel's number settings
        # are English, "15/03/2024" where they are American) must still go in
        rule.errorStyle = "warning"
        rule.showErrorMessage = True
        rule.errorTitle = "Giá trị không hợp lệ"
        rule.showInputMessage = True
        rule.promptTitle = "Hướng dẫn"
        rule.prompt = hint[:250]
        sheet.add_data_validation(rule)
        rule.add(coordinate)

    # --- sheets --------------------------------------------------------------------------
    def info(self, data: Mapping[str, Any], previous_year: int | None) -> None:
        sheet = self.book.active
        assert sheet is not None
        sheet.title = INFO_SHEET
        sheet["A1"] = "TỆP DỮ KIỆN TỰ ĐÁNH GIÁ, CHẤM ĐIỂM CẢI CÁCH HÀNH CHÍNH"
        sheet["A1"].font = _TITLE
        sheet["A2"] = (f"{self.pack.meta.title.vi} — {self.pack.meta.plan.document} / "
                       f"Facts workbook of cchc-score")
        sheet["A2"].font = _FONT
        unit = data.get("unit") or {}
        blank = not data  # a template names the pack and its year
        values: dict[str, Any] = {"format": FORMAT, "ward": unit.get("ward"),
                                  "city": unit.get("city"), "province": unit.get("province"),
                                  "year": self.pack.meta.year if blank else data.get("year"),
                                  "pack": self.pack.meta.id if blank else data.get("pack"),
                                  "prepared_by": data.get("prepared_by"),
                                  "prepared_on": data.get("prepared_on"),
                                  "previous_year": previous_year}
        for offset, (key, vi, en) in enumerate(INFO_ROWS):
            row = INFO_FIRST_ROW + offset
            sheet.cell(row, 1, f"{vi} / {en}").font = _BOLD
            target = sheet.cell(row, 2)
            target.font, target.border = _FONT, _BORDER
            given = values[key]
            if key != "format":
                target.fill = _INPUT_FILL
            if given in (None, ""):
                continue
            if key == "prepared_on" and self.date(target, str(given)):
                continue
            if isinstance(given, int) and not isinstance(given, bool):
                target.value = given
            else:
                self.text(target, str(given), json_path(
                    ("unit", key) if key in ("ward", "city", "province") else (key,)))
        notes = [
            "Cách điền / how to fill in:",
            "• Mỗi dữ kiện một dòng, điền ô màu vàng ở cột «Giá trị». Để trống nếu chưa có số "
            "liệu (thiếu dữ liệu).",
            "• Số theo kiểu Việt Nam: 1.200 là một nghìn hai trăm, 12,5 là mười hai phẩy năm. "
            "Ngày: ngày/tháng/năm.",
            f"• Có/Không chọn trong danh sách; ngày chưa thực hiện ghi «{NOT_DONE}»; kết quả chỉ "
            f"số chưa công bố ghi «{PENDING}» ở cột «Kỳ đánh giá».",
            "• Tài liệu kiểm chứng: số, ngày, cơ quan ban hành, trích yếu ở cùng dòng; tài liệu "
            "thứ hai trở đi ghi ở các dòng ngay dưới, để trống cột «Mã dữ kiện».",
            "• Chấm điểm: cchc-score TỆP.xlsx — không đổi tên sheet, không sửa cột «Mã dữ kiện».",
            "One fact per row: fill the yellow cells; Vietnamese numbers (1.200 = 1 200; 12,5); "
            "dates day/month/year; further documents on the rows below, fact id left blank.",
        ]
        for offset, line in enumerate(notes):
            sheet.cell(INFO_FIRST_ROW + len(INFO_ROWS) + 1 + offset, 1, line).font = _FONT
        sheet.column_dimensions["A"].width = 44
        sheet.column_dimensions["B"].width = 40
        _print_setup(sheet, landscape=False)

    def headings(self, sheet: Worksheet, title: str, subtitle: str, marker: str,
                 columns: Iterable[tuple[str, str, str, float]]) -> None:
        sheet["A1"] = title
        sheet["A1"].font = _TITLE
        sheet["A2"] = (f"='{INFO_SHEET}'!B{INFO_FIRST_ROW + 1}&\" — năm \"&"
                       f"'{INFO_SHEET}'!B{INFO_FIRST_ROW + 4}")
        sheet["A2"].font = _BOLD
        sheet["A3"] = subtitle
        sheet["A3"].font = _FONT
        for index, (key, vi, en, width) in enumerate(columns, start=1):
            head = sheet.cell(HEADER_ROW, index, f"{vi} / {en}")
            head.font, head.fill, head.border = _BOLD, _HEAD_FILL, _BORDER
            head.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
            key_cell = sheet.cell(HEADER_ROW + 1, index, marker if index == 1 else key)
            key_cell.font, key_cell.fill = _KEY_FONT, _GREY_FILL
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.row_dimensions[HEADER_ROW].height = 32
        sheet.freeze_panes = f"{get_column_letter(COLUMN_AT['value'])}{HEADER_ROW + 2}"
        sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW + 1}"
        _print_setup(sheet, landscape=True)

    def fact_sheet(self, fact_sheet: FactSheet, facts: Mapping[str, Any], year: int,
                   tables: Mapping[str, str], previous_rows: Mapping[str, int],
                   previous_sheet: str | None, requirements: Mapping[str, tuple[str, ...]]
                   ) -> dict[str, int]:
        """The fact rows of one sheet; returns each fact's row."""
        sheet = self.book.create_sheet(fact_sheet.name)
        self.headings(sheet, fact_sheet.vi, fact_sheet.en,
                      "previous_year" if fact_sheet.previous else "facts",
                      ((c.key, c.vi, c.en, c.width) for c in COLUMNS))
        row = HEADER_ROW + 2
        rows: dict[str, int] = {}
        base = ("previous_year", "facts") if fact_sheet.previous else ("facts",)
        for number, name in enumerate(fact_sheet.facts, start=1):
            spec = self.pack.facts[name]
            entry = _entry(facts.get(name))
            rows[name] = row
            where = json_path((*base, name))
            cells = {key: sheet.cell(row, COLUMN_AT[key]) for key in
                     ("stt", "fact", "label", "value", "unit", "edition", "previous", "note",
                      "requirements", "hint")}
            cells["stt"].value = number
            self.text(cells["fact"], name, where)
            self.text(cells["label"], spec.label.vi, where)
            if spec.unit:
                self.text(cells["unit"], spec.unit.vi, where)
            self.value(cells["value"], spec, entry.get("value"), where + ".value",
                       tables.get(name))
            cells["edition"].fill = _GREY_FILL  # an input cell only for an index result
            if spec.edition or entry.get("edition") is not None or entry.get("pending"):
                cells["edition"].fill = _INPUT_FILL
                if entry.get("pending"):
                    self.text(cells["edition"], PENDING, where + ".pending")
                elif entry.get("edition") is not None:
                    cells["edition"].value = int(entry["edition"])
                edition_rule = DataValidation(
                    type="list", formula1=f'"{year},{year - 1},{PENDING}"', allow_blank=True)
                sheet.add_data_validation(edition_rule)
                edition_rule.add(cells["edition"].coordinate)
            if entry.get("note") is not None:
                self.text(cells["note"], str(entry["note"]), where + ".note")
            if name in previous_rows and previous_sheet is not None:
                source = f"{quote_sheetname(previous_sheet)}!D{previous_rows[name]}"
                cells["previous"].value = f'=IF({source}="","",{source})'
                cells["previous"].number_format = _DATE_FORMAT if spec.type == "date" \
                    else "General"
            else:
                cells["previous"].fill = _GREY_FILL
            self.text(cells["requirements"], ", ".join(requirements.get(name, ())), where)
            hint = cell_hint(self.pack, name, fact_sheet.previous, year, tables.get(name))
            self.text(cells["hint"], hint, where)
            self.validation(sheet, cells["value"].coordinate, spec, hint)
            documents = entry.get("evidence") or [{}]
            for index, document in enumerate(documents):
                self.evidence_row(sheet, row, document, f"{where}.evidence[{index}]")
                row += 1
        return rows

    def evidence_row(self, sheet: Worksheet, row: int, document: Mapping[str, Any],
                     where: str) -> None:
        for key in _INPUT_KEYS:
            cell = sheet.cell(row, COLUMN_AT[key])
            cell.fill, cell.border = _INPUT_FILL, _BORDER
        for key in ("stt", "fact", "label", "unit", "edition", "previous", "requirements",
                    "hint"):
            cell = sheet.cell(row, COLUMN_AT[key])
            cell.border, cell.alignment = _BORDER, _WRAP
        for field_name in EVIDENCE_FIELDS:
            given = document.get(field_name)
            if given is None:
                continue
            cell = sheet.cell(row, COLUMN_AT[f"ev_{field_name}"])
            if isinstance(given, int) and not isinstance(given, bool):
                cell.value = given
            else:
                self.text(cell, str(given), f"{where}.{field_name}")
        for key in ("label", "note", "ev_title", "ev_issuer", "hint"):
            sheet.cell(row, COLUMN_AT[key]).alignment = _WRAP

    def table_sheet(self, name: str, sheet_name: str, rows: Any, year: int) -> None:
        spec = self.pack.facts[name]
        assert spec.columns is not None
        sheet = self.book.create_sheet(sheet_name)
        columns = [("stt", "STT", "No.", 5.0)] + [
            (column_id, column.label.vi + (f" ({column.unit.vi})" if column.unit else ""),
             column.label.en, 40.0 if column.type == "text" else 16.0)
            for column_id, column in spec.columns.items()]
        self.headings(sheet, spec.label.vi, spec.label.en + f" — {name}", f"table:{name}",
                      columns)
        for index, item in enumerate(rows or (), start=HEADER_ROW + 2):
            number = index - HEADER_ROW - 1
            sheet.cell(index, 1, number).border = _BORDER
            for offset, (column_id, column) in enumerate(spec.columns.items(), start=2):
                cell = sheet.cell(index, offset)
                cell.border, cell.fill = _BORDER, _INPUT_FILL
                given = item.get(column_id) if isinstance(item, Mapping) else None
                where = json_path(("facts", name, "value", number - 1, column_id))
                if given is None:
                    continue
                if column.type == "date":
                    if given is False:
                        self.text(cell, NOT_DONE, where)
                    elif not self.date(cell, str(given)):
                        self.text(cell, str(given), where)
                elif column.type in ("count", "number") and not isinstance(given, bool | str):
                    self.number(cell, given, column.type == "number")
                else:
                    self.text(cell, str(given), where)
                cell.alignment = _WRAP


def cell_hint(pack: Pack, name: str, previous: bool, year: int, table: str | None) -> str:
    """What to type in a fact's value cell, in the workbook's own words (Có/Không, «Chưa thực
    hiện», 1.200 and 12,5, «Chờ kết quả»), never the JSON file's (true, false, "pending")."""
    spec = pack.facts[name]
    kind = spec.type
    unit = f" ({spec.unit.vi})" if spec.unit else ""
    if kind in ("count", "rank"):
        low = 0 if kind == "count" else 1
        bounds = f"từ {low} đến {fmt(spec.maximum)}" if spec.maximum is not None else f"≥ {low}"
        text = (f"Số nguyên {bounds}{unit}, ví dụ 1.200" if kind == "count"
                else "Thứ hạng: số nguyên, 1 là cao nhất")
    elif kind == "number":
        bounds = ""
        if spec.minimum is not None and spec.maximum is not None:
            bounds = f" từ {fmt(spec.minimum)} đến {fmt(spec.maximum)}"
        text = f"Một số{bounds}{unit}; dấu phẩy thập phân, ví dụ 12,5 hoặc 1.234,5"
    elif kind == "boolean":
        yes, no = answer_words(spec)
        text = f"Chọn «{yes}» hoặc «{no}»"
    elif kind == "date":
        text = f"Ngày/tháng/năm, ví dụ 15/03/{year}; «{NOT_DONE}» nếu chưa làm"
        windows = date_windows(pack, name)[0] if not previous else ""
        if windows:
            text += f"; {windows}"
    elif kind == "level":
        text = "Chọn một mức: " + "; ".join(level.vi for level in spec.levels or ())
    elif kind == "dates":
        text = (f"Các ngày, cách nhau bởi dấu ; (ví dụ 15/03/{year}; 20/06/{year}); "
                f"«{NO_ROWS}» nếu không có")
    else:
        text = (f"Điền các dòng ở sheet '{table}'; «{NO_ROWS}» nếu không có dòng nào"
                if table else f"«{NO_ROWS}» nếu không có dòng nào")
    if spec.edition:
        text += ("; kết quả chỉ số: ghi năm đánh giá ở cột «Kỳ đánh giá»"
                 + (f", hoặc «{PENDING}» nếu kỳ năm nay chưa công bố" if not previous else ""))
    if spec.evidence_required and not previous:
        text += "; cần tài liệu kiểm chứng"
    if spec.hint:
        text += f". {spec.hint.vi}"
    return text


def _entry(given: Any) -> dict[str, Any]:
    """A fact as an entry object, whether the file gave it bare or as {value, evidence…}."""
    if isinstance(given, Mapping):
        return dict(given)
    return {"value": given}


def _rows(names: Iterable[str], facts: Mapping[str, Any]) -> dict[str, int]:
    """The row of each fact on its sheet: one row per document of evidence, at least one."""
    rows, row = {}, HEADER_ROW + 2
    for name in names:
        rows[name] = row
        row += max(1, len(_entry(facts.get(name)).get("evidence") or ()))
    return rows


def _print_setup(sheet: Worksheet, landscape: bool) -> None:
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    if sheet.sheet_properties.pageSetUpPr is None:
        sheet.sheet_properties.pageSetUpPr = PageSetupProperties()
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_margins.left = sheet.page_margins.right = 0.5
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6
    sheet.print_options.horizontalCentered = True


def facts_workbook(pack: Pack, data: Mapping[str, Any] | None = None) -> bytes:
    """The facts workbook for `pack`: blank, or holding the facts file `data` (as read and
    checked: numbers as int or Decimal). Raises InputError naming the JSON path of a text no
    cell can hold."""
    data = data or {}
    writer = _Writer(pack)
    writer.book.create_sheet(LISTS_SHEET).sheet_state = "hidden"
    previous = data.get("previous_year") or {}
    previous_facts = previous.get("facts") or {}
    previous_names = tuple(dict.fromkeys(
        [*pack.previous_year_facts(), *(n for n in previous_facts if n in pack.facts)]))
    year = int(data.get("year") or pack.meta.year)
    previous_year = int(previous["year"]) if previous.get("year") is not None else (
        year - 1 if pack.previous_year_facts() else None)
    writer.info(data, previous_year)
    taken = {INFO_SHEET, LISTS_SHEET}
    sheets = fact_sheets(pack, previous_names, previous_year, taken)
    tables = table_sheet_names(pack, taken)
    requirements = fact_requirements(pack)
    previous_sheet = next((s for s in sheets if s.previous), None)
    previous_rows = _rows(previous_sheet.facts, previous_facts) if previous_sheet else {}
    facts = data.get("facts") or {}
    for fact_sheet in sheets:
        writer.fact_sheet(fact_sheet, previous_facts if fact_sheet.previous else facts,
                          (previous_year or year) if fact_sheet.previous else year, tables,
                          {} if fact_sheet.previous else previous_rows,
                          previous_sheet.name if previous_sheet else None, requirements)
    for name, sheet_name in tables.items():
        writer.table_sheet(name, sheet_name, _entry(facts.get(name)).get("value"), year)
    book = writer.book
    book.move_sheet(LISTS_SHEET, len(book.sheetnames) - 1 - book.sheetnames.index(LISTS_SHEET))
    if writer.problems:
        raise InputError("", writer.problems)
    for sheet in book.worksheets:
        sheet.sheet_view.zoomScale = 100
    book.active = 0
    book.properties.creator = "cchc-score"
    return workbook_bytes(book, dt.date(year, 1, 1))

