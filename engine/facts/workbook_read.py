"""Read a facts workbook (`cchc-score ward.xlsx`) into the same facts-file data a JSON file holds,
then through the same checks, with every error naming its sheet, cell and fact.

The file is opened warily (`facts.workbook_grid`: size and part limits, no DOCTYPE, streamed
sheets) into grids of the cells that hold something. Cells are read as the form means them
(`facts.typed_text` for typed text; a percentage cell 85 % as 85 where the fact is a
percentage); a formula's value as Excel last computed it, and a formula Excel never computed is
refused. Nothing a clerk typed is dropped without a word: a sheet that lost its key row, a
column given twice, a value typed over the «Năm trước» formula, a text Excel turned into a date,
a table's sheet deleted or doubled, anything below the rows read are all named at their cell.
The workbook is only ever read.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from cchc.engine.errors import InputError, Problem
from cchc.engine.facts.model import FactsDocument, relocate
from cchc.engine.facts.read import parse_facts, read_bytes
from cchc.engine.facts.typed_text import PENDING_WORDS, TypedTextError, fold, read_typed
from cchc.engine.facts.workbook import (
    COLUMNS,
    EVIDENCE_FIELDS,
    FORMAT,
    INFO_FIRST_ROW,
    INFO_ROWS,
    INFO_SHEET,
    NO_ROWS,
    NOT_DONE,
    SEE_TABLE,
    cell_place,
)
from cchc.engine.facts.workbook_grid import (
    MAX_ROWS,
    Grid,
    coordinate,
    is_non_finite,
    read_grids,
    refuse,
)
from cchc.engine.messages import json_path
from cchc.engine.numbers import fmt
from cchc.engine.pack.model import Pack
from cchc.rules.schema import FactSpec

WORKBOOK_FILE = ("tệp dữ kiện Excel", "facts workbook", "cchc-score template -o ward.xlsx")
MARKER_ROWS = 500  # the key row is looked for in the first rows of a sheet

PackResolver = Callable[[str | None, int | None, str], Pack]
_CellValue = str | int | float | bool | dt.datetime | dt.date | dt.time | None


class _Problems:
    """Problems found while reading, each at its place."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.items: list[Problem] = []

    def add(self, where: str, vi: str, en: str, expected_vi: str = "",
            expected_en: str = "") -> None:
        self.items.append(Problem(where, vi, en, expected_vi, expected_en))

    def raise_any(self) -> None:
        if self.items:
            raise InputError(self.name, self.items)


def _refuse(name: str, vi: str, en: str) -> InputError:
    return refuse(name, vi, en)


class _Reader:
    """One workbook being read into facts-file data, with the place of every JSON path."""

    def __init__(self, name: str, grids: dict[str, Grid]) -> None:
        self.name = name
        self.grids = grids
        self.problems = _Problems(name)
        self.places: dict[str, str] = {}
        # a table fact's value cell: where it is and what it says (_TABLE: see its sheet)
        self.table_cells: dict[str, tuple[str, Any, str]] = {}

    def raw(self, sheet: str, row: int, column: int, fact: str | None = None) -> _CellValue:
        """A cell's value; a formula Excel never computed, or a number Excel could not have
        written (inf, NaN), is a problem named at its cell."""
        grid = self.grids[sheet]
        value = grid.value(row, column)
        if value is None:
            formula = grid.formula(row, column)
            if formula is not None:
                self.problems.add(cell_place(sheet, coordinate(row, column), fact),
                                  f"ô chứa công thức {formula[:60]} chưa được tính",
                                  f"the cell holds the formula {formula[:60]}, never computed",
                                  "mở tệp bằng Excel rồi lưu lại, hoặc gõ giá trị",
                                  "open the file in Excel and save it, or type the value")
            return None
        if is_non_finite(value):
            self.problems.add(cell_place(sheet, coordinate(row, column), fact),
                              f"ô chứa số không hữu hạn ({value})",
                              f"the cell holds a number that is not finite ({value})",
                              "một số hữu hạn", "a finite number")
            return None
        if isinstance(value, str):
            value = _visible(value)
            if not value.strip():
                return None
        return value  # type: ignore[no-any-return]

    def number_format(self, sheet: str, row: int, column: int) -> str:
        return self.grids[sheet].number_format(row, column)

    def place(self, path: str, sheet: str, row: int, column: int, fact: str | None) -> str:
        where = cell_place(sheet, coordinate(row, column), fact)
        self.places.setdefault(path, where)
        return where

    # --- the info sheet ------------------------------------------------------------------
    def info(self) -> dict[str, Any]:
        if INFO_SHEET not in self.grids:
            raise _refuse(self.name, f"không có sheet '{INFO_SHEET}': đây không phải mẫu dữ kiện "
                          "của cchc-score", f"there is no '{INFO_SHEET}' sheet: this is not a "
                          "cchc-score facts workbook")
        sheet = self.grids[INFO_SHEET]
        found: dict[str, int] = {}
        labels = {fold(f"{vi} / {en}"): key for key, vi, en in INFO_ROWS}
        labels.update({fold(vi): key for key, vi, _ in INFO_ROWS})
        for row in sheet.rows():
            label = sheet.value(row, 1)
            if isinstance(label, str) and fold(_visible(label)) in labels:
                key = labels[fold(_visible(label))]
                if key in found:
                    self.problems.add(cell_place(INFO_SHEET, f"A{row}"),
                                      f"dòng «{label}» ghi hai lần (lần đầu: dòng {found[key]})",
                                      f"the «{label}» row is given twice (first: row "
                                      f"{found[key]})", "mỗi dòng một lần", "each row once")
                    continue
                found[key] = row
        if found.get("format") is None or sheet.value(found["format"], 2) != FORMAT:
            raise _refuse(self.name, f"sheet '{INFO_SHEET}' không có ô «Định dạng tệp» = "
                          f"{FORMAT}: đây không phải mẫu dữ kiện của cchc-score",
                          f"sheet '{INFO_SHEET}' has no «File format» cell = {FORMAT}: this is "
                          "not a cchc-score facts workbook")
        out: dict[str, Any] = {}
        for key, vi, en in INFO_ROWS:
            if key == "format":
                continue
            if key not in found:
                self.problems.add(cell_place(INFO_SHEET, f"A{INFO_FIRST_ROW}"),
                                  f"thiếu dòng «{vi}»", f"the «{en}» row is missing",
                                  "giữ nguyên các dòng của mẫu", "keep the template's rows")
                continue
            row = found[key]
            path = json_path(("unit", key) if key in ("ward", "city", "province") else
                             ("previous_year", "year") if key == "previous_year" else (key,))
            where = self.place(path, INFO_SHEET, row, 2, None)
            value = self.raw(INFO_SHEET, row, 2)
            out[key] = self.info_value(key, value, where, vi, en)
        return out

    def info_value(self, key: str, value: _CellValue, where: str, vi: str, en: str) -> Any:
        if value is None:
            return None
        if key in ("year", "previous_year"):
            number = _whole(value) if not isinstance(value, dt.datetime | dt.date) else None
            if number is None and isinstance(value, str) and value.strip().isdigit():
                number = int(value.strip())
            if number is None:
                self.problems.add(where, f"{vi}: cần một năm, nhận được «{value}»",
                                  f"{en}: a year is expected, got «{value}»", "ví dụ 2024",
                                  "e.g. 2024")
            return number
        if key == "prepared_on":
            if isinstance(value, dt.datetime | dt.date):
                return _day(value).isoformat()
            if isinstance(value, str):
                try:
                    return read_typed(value, _DATE_SPEC)
                except TypedTextError as error:
                    self.problems.add(where, f"{vi}: {error.vi}", f"{en}: {error.en}",
                                      error.expected_vi, error.expected_en)
                    return None
            self.problems.add(where, f"{vi}: cần một ngày, nhận được «{value}»",
                              f"{en}: a date is expected, got «{value}»",
                              "ngày/tháng/năm, ví dụ 15/01/2025 (ô định dạng Ngày)",
                              "day/month/year, e.g. 15/01/2025 (a Date cell)")
            return None
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return str(value).strip() if not isinstance(value, dt.datetime) else \
            _day(value).strftime("%d/%m/%Y")

    # --- the fact sheets -----------------------------------------------------------------
    def marked_sheets(self) -> Iterator[tuple[str, str, int, dict[str, int]]]:
        """Each sheet with a key row: (sheet, marker, key row, key -> column). A sheet that
        has the form's headings but no key row under them (edited, deleted) is named; a
        column key given twice is named."""
        for title, grid in self.grids.items():
            self.beyond(grid)
            marked = False
            for row in grid.rows():
                if row > MARKER_ROWS:
                    break
                marker = grid.value(row, 1)
                folded = fold(_visible(marker)) if isinstance(marker, str) else ""
                if folded in ("facts", "previous_year") or folded.startswith("table:"):
                    keys: dict[str, int] = {}
                    for column, key in sorted(grid.row_values(row).items()):
                        if column == 1 or not isinstance(key, str) or not key.strip():
                            continue
                        key = fold(_visible(key))
                        if key in keys:
                            self.problems.add(cell_place(title, coordinate(row, column)),
                                              f"cột «{key}» có hai lần (cột "
                                              f"{coordinate(row, keys[key])[:-len(str(row))]} "
                                              "và cột này)", f"the «{key}» column is there "
                                              "twice", "mỗi cột của mẫu một lần",
                                              "each of the template's columns once")
                        keys.setdefault(key, column)
                    marker_key = folded if not folded.startswith("table:") \
                        else "table:" + _visible(str(marker)).strip()[len("table:"):].strip()
                    yield title, marker_key, row, keys
                    marked = True
                    break
            if not marked and self.looks_like_a_form(grid):
                self.problems.add(cell_place(title, "A1"), f"sheet '{title}' có tiêu đề cột "
                                  "của mẫu nhưng mất dòng khóa (ô A của dòng ngay dưới tiêu đề "
                                  "ghi facts, previous_year hoặc table:…): sheet này không được "
                                  "đọc", f"sheet '{title}' has the form's headings but lost its "
                                  "key row (the row under the headings, starting facts, "
                                  "previous_year or table:…): the sheet cannot be read",
                                  "khôi phục dòng khóa (chép từ mẫu mới), đừng sửa hay xóa nó",
                                  "restore the key row (copy it from a new template); never "
                                  "edit or delete it")

    @staticmethod
    def looks_like_a_form(grid: Grid) -> bool:
        """Whether a sheet carries the form's headings («Mã dữ kiện», «STT»)."""
        heads = {fold(f"{column.vi} / {column.en}") for column in COLUMNS[:2]}
        return any(isinstance(value, str) and fold(_visible(value)) in heads
                   for (row, _), (value, _fmt) in grid.cells.items() if row <= MARKER_ROWS)

    def beyond(self, grid: Grid) -> None:
        """A cell holding something below the rows read is named, never dropped."""
        if grid.beyond is not None:
            row, column = grid.beyond
            self.problems.add(cell_place(grid.title, coordinate(row, column)),
                              f"có nội dung ở dòng {fmt(row)}, quá {fmt(MAX_ROWS)} dòng được đọc "
                              "của một sheet", f"something is written on row {fmt(row, 'en')}, "
                              f"beyond the {fmt(MAX_ROWS, 'en')} rows read of a sheet",
                              "xóa nội dung đó, hoặc chuyển lên ngay dưới dữ kiện của nó",
                              "remove it, or move it up under its fact")

    def fact_rows(self, pack: Pack, title: str, key_row: int, keys: dict[str, int],
                  base: tuple[str, ...], into: dict[str, Any], year: int,
                  seen: dict[str, str]) -> None:
        """The facts of one sheet into `into` (fact -> entry)."""
        missing = [c for c in COLUMNS if c.key not in keys and c.key != "stt"
                   and c.key in ("fact", "value", "edition", "note",
                                 *(f"ev_{f}" for f in EVIDENCE_FIELDS))]
        if missing:
            self.problems.add(cell_place(title, f"A{key_row}"),
                              "thiếu cột: " + ", ".join(f"«{c.vi}» ({c.key})" for c in missing),
                              "columns missing: " + ", ".join(f"«{c.en}» ({c.key})"
                                                              for c in missing),
                              "giữ các cột của mẫu (có thể đổi độ rộng, màu)",
                              "keep the template's columns (widths and colours may change)")
            return
        grid = self.grids[title]
        current: str | None = None
        for row in grid.rows(after=key_row):
            fact_cell = self.raw(title, row, keys["fact"])
            fact_where = cell_place(title, coordinate(row, keys["fact"]))
            if fact_cell is not None:
                name = str(fact_cell).strip()
                where = cell_place(title, coordinate(row, keys["fact"]), name)
                path = json_path((*base, name))
                if name in seen:
                    self.problems.add(where, f"dữ kiện '{name}' ghi hai lần (lần đầu: "
                                      f"{seen[name]})", f"the fact '{name}' is given twice "
                                      f"(first: {seen[name]})", "mỗi dữ kiện một dòng",
                                      "each fact on one row")
                    current = None
                    continue
                seen[name] = where
                current = name
                self.places.setdefault(path, where)
                spec = pack.facts.get(name)
                entry: dict[str, Any] = {}
                into[name] = entry
                self.entry_cells(title, row, keys, name, spec, base, entry, year)
                if "previous" in keys and base[0] != "previous_year":
                    self.previous_cell(title, row, keys["previous"], name)
            elif any(self.raw(title, row, keys[f"ev_{f}"]) is not None
                     for f in EVIDENCE_FIELDS):
                if current is None:
                    self.problems.add(fact_where, "tài liệu kiểm chứng không thuộc dữ kiện nào",
                                      "evidence that belongs to no fact",
                                      "ghi ngay dưới dòng của dữ kiện, hoặc ghi mã dữ kiện",
                                      "put it right below its fact's row, or give the fact id")
                    continue
                self.evidence(title, row, keys, current, base, into[current])
            elif any(self.raw(title, row, keys[k]) is not None
                     for k in ("value", "edition", "note")):
                self.problems.add(fact_where, "có giá trị nhưng không có mã dữ kiện",
                                  "a value with no fact id", "ghi mã dữ kiện ở cột «Mã dữ kiện»",
                                  "the fact id in the «Fact id» column")

    def previous_cell(self, title: str, row: int, column: int, fact: str) -> None:
        """The «Năm trước» cell shows last year's value by a formula: a value typed over it
        would be lost, so it is named."""
        grid = self.grids[title]
        if grid.formula(row, column) is None and grid.value(row, column) is not None:
            self.problems.add(cell_place(title, coordinate(row, column), fact),
                              "ô «Năm trước» chỉ hiển thị số liệu năm trước lấy từ sheet năm "
                              "trước; giá trị gõ vào đây không được đọc",
                              "the «Last year» cell only shows last year's figure from last "
                              "year's sheet; a value typed here is not read",
                              "gõ số liệu năm trước ở sheet năm trước (Năm …), cột «Giá trị»",
                              "type last year's figure on last year's sheet, «Value» column")

    def entry_cells(self, title: str, row: int, keys: dict[str, int], name: str,
                    spec: FactSpec | None, base: tuple[str, ...], entry: dict[str, Any],
                    year: int) -> None:
        path = json_path((*base, name))
        value_where = self.place(f"{path}.value", title, row, keys["value"], name)
        raw_value = self.raw(title, row, keys["value"], name)
        if spec is not None and raw_value is not None:
            number_format = self.number_format(title, row, keys["value"])
            value = self.value(raw_value, number_format, spec, value_where)
            if spec.type == "table":
                self.table_cells[name] = (value_where, value, str(raw_value))
            if value is not _TABLE:
                entry["value"] = value
        elif raw_value is not None:  # an unknown fact: the check names it (did you mean)
            entry["value"] = str(raw_value)
        edition_where = self.place(f"{path}.edition", title, row, keys["edition"], name)
        self.places.setdefault(f"{path}.pending", edition_where)
        edition = self.raw(title, row, keys["edition"], name)
        if edition is not None:
            if isinstance(edition, str) and fold(edition) in PENDING_WORDS:
                entry["pending"] = True
            elif (number := _whole(edition)) is not None or (
                    isinstance(edition, str) and edition.strip().isdigit()):
                entry["edition"] = number if number is not None else int(str(edition).strip())
            else:
                self.problems.add(edition_where, f"kỳ đánh giá «{edition}» không phải là một năm",
                                  f"the edition «{edition}» is not a year",
                                  f"năm của kỳ đánh giá (ví dụ {year}), hoặc «Chờ kết quả»",
                                  f"the edition's year (e.g. {year}), or «Chờ kết quả» (pending)")
        self.place(f"{path}.note", title, row, keys["note"], name)
        note = self.raw(title, row, keys["note"], name)
        if note is not None:
            entry["note"] = _text(note)
        self.evidence(title, row, keys, name, base, entry)

    def evidence(self, title: str, row: int, keys: dict[str, int], name: str,
                 base: tuple[str, ...], entry: dict[str, Any]) -> None:
        documents = entry.setdefault("evidence", [])
        index = len(documents)
        path = json_path((*base, name, "evidence", index))
        document: dict[str, Any] = {}
        for field_name in EVIDENCE_FIELDS:
            column = keys[f"ev_{field_name}"]
            self.place(f"{path}.{field_name}", title, row, column, name)
            value = self.raw(title, row, column, name)
            if value is None:
                continue
            if field_name == "date" and isinstance(value, dt.datetime | dt.date):
                document[field_name] = _day(value).isoformat()
            elif isinstance(value, dt.datetime | dt.date | dt.time):
                self.excel_made_a_date(title, row, column, name, value)
            elif field_name == "page" and (number := _whole(value)) is not None:
                document[field_name] = number
            else:
                document[field_name] = _text(value)
        if document:
            self.place(path, title, row, keys["ev_number"], name)
            self.places.setdefault(json_path((*base, name, "evidence")), self.places[path])
            documents.append(document)
        elif not documents:
            del entry["evidence"]

    def excel_made_a_date(self, title: str, row: int, column: int, fact: str | None,
                          value: Any) -> None:
        """A text cell Excel turned into a date ("12/01" typed: 12 January) is named."""
        shown = f"{value:%d/%m/%Y}" if isinstance(value, dt.date) else str(value)
        self.problems.add(cell_place(title, coordinate(row, column), fact),
                          f"Excel đã đổi ô chữ này thành ngày {shown}",
                          f"Excel turned this text cell into the date {shown}",
                          "định dạng ô là Văn bản (Text) rồi gõ lại đúng như trên giấy tờ",
                          "format the cell as Text and type it again as the document has it")

    def value(self, raw: _CellValue, number_format: str, spec: FactSpec, where: str) -> Any:
        """A value cell read as the form means it (None after a problem)."""
        kind = spec.type
        if kind == "table":
            if isinstance(raw, str) and fold(raw) == fold(NO_ROWS):
                return []
            if isinstance(raw, str) and fold(raw).startswith(fold(SEE_TABLE)):
                return _TABLE
            self.problems.add(where, f"{spec.label.vi}: ô này chỉ ghi «{SEE_TABLE} …» hoặc "
                              f"«{NO_ROWS}»; các dòng của bảng điền ở sheet bảng",
                              f"{spec.label.en}: this cell only says «{SEE_TABLE} …» or "
                              f"«{NO_ROWS}» (none); the table's rows go on its own sheet",
                              f"để trống, «{NO_ROWS}», hoặc điền bảng ở sheet của nó",
                              f"blank, «{NO_ROWS}», or the rows on the table's sheet")
            return None
        if isinstance(raw, str):
            if kind in ("count", "rank", "number") and fold(raw).startswith(fold(SEE_TABLE)):
                return None
            try:
                return read_typed(raw, spec)
            except TypedTextError as error:
                self.problems.add(where, f"{spec.label.vi}: {error.vi}",
                                  f"{spec.label.en}: {error.en}", error.expected_vi,
                                  error.expected_en)
                return None
        if isinstance(raw, bool):
            if kind == "boolean":
                return raw
            self.problems.add(where, f"{spec.label.vi}: ô là giá trị đúng/sai ({raw})",
                              f"{spec.label.en}: the cell is a true/false value ({raw})",
                              "gõ lại giá trị theo hướng dẫn", "type the value as the hint says")
            return None
        if isinstance(raw, dt.datetime | dt.date):
            day = _day(raw)
            if kind == "date":
                return day.isoformat()
            if kind == "dates":
                return [day.isoformat()]
            self.problems.add(where, f"{spec.label.vi}: Excel đã hiểu ô này là ngày "
                              f"{day:%d/%m/%Y}", f"{spec.label.en}: Excel took this cell for "
                              f"the date {day:%d/%m/%Y}", "định dạng ô là số (General) rồi gõ "
                              "lại", "format the cell as a number (General) and type it again")
            return None
        if isinstance(raw, dt.time):
            self.problems.add(where, f"{spec.label.vi}: Excel đã hiểu ô này là giờ {raw}",
                              f"{spec.label.en}: Excel took this cell for the time {raw}",
                              "gõ lại giá trị", "type the value again")
            return None
        assert isinstance(raw, int | float)
        number = Decimal(raw) if isinstance(raw, int) else Decimal(repr(raw))
        if _is_percent_format(number_format):  # 85 % typed in a % cell: Excel holds 0.85
            if spec.unit is None or "%" not in spec.unit.vi:
                self.problems.add(where, f"{spec.label.vi}: ô định dạng phần trăm "
                                  f"({number * 100} %) nhưng dữ kiện không phải tỉ lệ",
                                  f"{spec.label.en}: a percentage cell ({number * 100} %) but "
                                  "the fact is not a percentage", "định dạng ô là số (General)",
                                  "format the cell as a number (General)")
                return None
            number = (number * 100).normalize()
            if number == number.to_integral_value():
                number = number.quantize(Decimal(1))
        if kind in ("count", "rank"):
            return int(number) if number == number.to_integral_value() else number
        if kind == "number":
            return number
        if kind == "boolean" and number in (0, 1):
            return bool(number)
        self.problems.add(where, f"{spec.label.vi}: cần {_KIND_VI.get(kind, kind)}, nhận được "
                          f"số {raw}", f"{spec.label.en}: {_KIND_EN.get(kind, kind)} expected, "
                          f"got the number {raw}", _KIND_VI.get(kind, kind),
                          _KIND_EN.get(kind, kind))
        return None

    def table_rows(self, pack: Pack, title: str, fact: str, key_row: int,
                   keys: dict[str, int]) -> list[dict[str, Any]]:
        spec = pack.facts.get(fact)
        if spec is None or spec.columns is None:
            self.problems.add(cell_place(title, f"A{key_row}"),
                              f"sheet bảng của dữ kiện '{fact}' không có trong gói quy tắc",
                              f"a table sheet for '{fact}', which the pack does not have",
                              "xóa sheet này, hoặc tạo lại mẫu", "remove the sheet, or make a "
                              "new template")
            return []
        missing = [column for column in spec.columns if column not in keys]
        if missing:
            self.problems.add(cell_place(title, f"A{key_row}"), "thiếu cột: "
                              + ", ".join(missing), "columns missing: " + ", ".join(missing),
                              "giữ các cột của mẫu", "keep the template's columns")
            return []
        grid = self.grids[title]
        rows: list[dict[str, Any]] = []
        for row in grid.rows(after=key_row):
            cells = {column: self.raw(title, row, keys[column], fact) for column in spec.columns}
            if all(value is None for value in cells.values()):
                continue
            base = json_path(("facts", fact, "value", len(rows)))
            self.place(base, title, row, 1, fact)
            out: dict[str, Any] = {}
            for column, column_spec in spec.columns.items():
                where = self.place(f"{base}.{column}", title, row, keys[column], fact)
                value = cells[column]
                if value is None:
                    continue
                if column_spec.type == "text":
                    if isinstance(value, dt.datetime | dt.date | dt.time):
                        self.excel_made_a_date(title, row, keys[column], fact, value)
                        continue
                    out[column] = _text(value)
                    continue
                cell_spec = FactSpec(type=column_spec.type, label=column_spec.label,
                                     unit=column_spec.unit)
                typed = self.value(value, self.number_format(title, row, keys[column]),
                                   cell_spec, where)
                if typed is not None:
                    out[column] = typed
            rows.append(out)
        return rows


_TABLE = object()  # a table fact's value cell: the rows are on the table's sheet
_DATE_SPEC = FactSpec(type="date", label={"vi": "Ngày lập", "en": "Prepared on"})
_KIND_VI = {"boolean": "Có hoặc Không", "level": "một mức trong danh sách",
            "date": f"một ngày hoặc «{NOT_DONE}»", "dates": "các ngày, cách nhau bởi dấu ;"}
_KIND_EN = {"boolean": "yes or no (Có / Không)", "level": "a level from the list",
            "date": f"a date or «{NOT_DONE}»", "dates": "dates separated by ;"}


_HIDDEN = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))  # invisible
_QUOTED = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')  # a format's literal text, escapes, [colours]


def _visible(text: str) -> str:
    """A cell's text without the invisible characters pasting from the web brings (U+200B)."""
    return text.translate(_HIDDEN) if not text.isascii() else text


def _is_percent_format(number_format: str) -> bool:
    """Whether Excel shows the cell as a percentage (a % outside quotes: `0.00"%"` is not)."""
    return "%" in _QUOTED.sub("", number_format)


def _bare(entry: dict[str, Any]) -> Any:
    """A fact with a value and nothing else, as a facts file writes it: the bare value."""
    return entry["value"] if set(entry) == {"value"} else entry


def _whole(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def _day(value: dt.datetime | dt.date) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return _day(value).isoformat()
    return str(value).strip()


def read_facts_workbook(path: Path, display_name: str | None,
                        resolve: PackResolver) -> tuple[FactsDocument, Pack]:
    """Read the facts workbook at `path` and the pack it is scored with (`resolve`: from the
    pack and year its info sheet names). Raises InputError naming sheet and cell."""
    name = display_name or str(path)
    if path.suffix.lower() == ".xls" and path.is_file():
        raise _refuse(name, "tệp Excel định dạng cũ (.xls): không đọc được",
                      "an old-format Excel file (.xls) cannot be read")
    raw = read_bytes(path, name, WORKBOOK_FILE, suffix=".xlsx")
    grids, _epoch = read_grids(raw, name)
    reader = _Reader(name, grids)
    info = reader.info()
    reader.problems.raise_any()
    try:
        pack = resolve(info.get("pack"), info.get("year"), name)
    except InputError as error:
        raise relocate(error, reader.places) from None
    year = info.get("year") or pack.meta.year
    facts: dict[str, Any] = {}
    previous: dict[str, Any] = {}
    seen: dict[str, str] = {}
    seen_previous: dict[str, str] = {}
    tables: dict[str, tuple[str, list[dict[str, Any]]]] = {}
    for title, marker, key_row, keys in list(reader.marked_sheets()):
        if marker == "facts":
            reader.fact_rows(pack, title, key_row, keys, ("facts",), facts, year, seen)
        elif marker == "previous_year":
            reader.fact_rows(pack, title, key_row, keys, ("previous_year", "facts"), previous,
                             year - 1, seen_previous)
        else:
            fact = marker.split(":", 1)[1]
            if fact in tables:
                reader.problems.add(cell_place(title, f"A{key_row}"), f"bảng '{fact}' có ở hai "
                                    f"sheet: '{tables[fact][0]}' và '{title}'", f"the table "
                                    f"'{fact}' is on two sheets: '{tables[fact][0]}' and "
                                    f"'{title}'", "giữ một sheet, xóa bản kia",
                                    "keep one sheet, remove the other")
                continue
            tables[fact] = (title, reader.table_rows(pack, title, fact, key_row, keys))
    for fact, (where, said, typed) in reader.table_cells.items():
        rows = tables.get(fact, ("", []))[1]
        if said is _TABLE and fact not in tables:
            reader.problems.add(where, f"ô ghi «{typed}», nhưng không có sheet nào mang bảng "
                                f"'{fact}' (sheet đã bị xóa?)", f"the cell says «{typed}», but "
                                f"no sheet holds the table '{fact}' (deleted?)",
                                f"khôi phục sheet bảng, hoặc ghi «{NO_ROWS}» nếu không có dòng nào",
                                f"restore the table's sheet, or «{NO_ROWS}» if it has no rows")
        elif said == [] and rows:
            reader.problems.add(where, f"ô ghi «{NO_ROWS}» nhưng sheet bảng có {len(rows)} dòng",
                                f"the cell says «{NO_ROWS}» (none) but the table's sheet has "
                                f"{len(rows)} rows", "xóa các dòng, hoặc ghi «Xem sheet …»",
                                "remove the rows, or «Xem sheet …» (see the sheet)")
    for fact, (_title, rows) in tables.items():
        entry = facts.setdefault(fact, {})
        if rows:
            entry["value"] = rows
    found = list(reader.problems.items)  # reported with the facts check's, all in one run
    data: dict[str, Any] = {"unit": {key: info.get(key) for key in ("ward", "city", "province")
                                     if info.get(key) is not None},
                            "year": info.get("year")}
    for key in ("pack", "prepared_by", "prepared_on"):
        if info.get(key) is not None:
            data[key] = info[key]
    data["facts"] = {fact: _bare(entry) for fact, entry in facts.items() if entry}
    kept_previous = {fact: _bare(entry) for fact, entry in previous.items() if entry}
    if kept_previous:
        data["previous_year"] = {"year": info.get("previous_year") or year - 1,
                                 "facts": kept_previous}
    try:
        document = parse_facts(data, name, raw)
    except InputError as error:
        error = relocate(error, reader.places)
        error.problems = [*found, *error.problems]
        raise error from None
    return dataclasses.replace(document, places=reader.places, problems=tuple(found)), pack
