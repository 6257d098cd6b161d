"""A workbook opened warily and read into plain grids: the cells that hold something, per sheet.

Before openpyxl sees a byte: the file must be a zip (an old .xls or a password-protected file
is named as such) of at most MAX_ENTRIES parts, none unpacking past its limit (a sheet
MAX_SHEET_BYTES, the style table MAX_STYLE_BYTES, all of them MAX_UNPACKED) and none declaring
a DOCTYPE (no entity of any kind, internal or external, is ever expanded: defusedxml guards
openpyxl's own parsing too). Then each sheet is streamed once for the values Excel computed and
once for its formulas (openpyxl's read-only mode: merged ranges and formatted empty rows cost
nothing), keeping at most MAX_ROWS rows; a cell holding something below that is remembered, so
the reader can name it rather than drop it. A part that cannot be parsed is named.
"""

from __future__ import annotations

import io
import math
import re
import warnings
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from openpyxl.utils import get_column_letter

from cchc.engine.errors import InputError, input_error
from cchc.engine.numbers import fmt

MAX_ENTRIES = 2000
MAX_UNPACKED = 16 * 1024 * 1024
MAX_SHEET_BYTES = 4 * 1024 * 1024  # a filled-in area sheet is ~100 KB
MAX_STYLE_BYTES = 2 * 1024 * 1024  # Excel's own style table is ~50 KB
MAX_ROWS = 5000  # rows read per sheet: a pack's facts and their documents fit many times
EXPECTED = ("một tệp .xlsx lập từ `cchc-score template -o ward.xlsx`",
            "an .xlsx file made from `cchc-score template -o ward.xlsx`")


def refuse(name: str, vi: str, en: str, where: str = "$") -> InputError:
    """The workbook refused as a whole (or at a part), with what is expected."""
    return input_error(name, where, vi, en, *EXPECTED)


@dataclass
class Grid:
    """One sheet's cells that hold something: (row, column) -> value and number format, the
    formulas, and the first cell holding something below MAX_ROWS (None if there is none)."""

    title: str
    cells: dict[tuple[int, int], tuple[Any, str]] = field(default_factory=dict)
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)
    beyond: tuple[int, int] | None = None

    def value(self, row: int, column: int) -> Any:
        """The value Excel shows (a formula's computed value), None for an empty cell."""
        item = self.cells.get((row, column))
        return None if item is None else item[0]

    def number_format(self, row: int, column: int) -> str:
        item = self.cells.get((row, column))
        return "General" if item is None else item[1]

    def formula(self, row: int, column: int) -> str | None:
        return self.formulas.get((row, column))

    def rows(self, after: int = 0) -> list[int]:
        """The rows below `after` that hold something (values or formulas), in order."""
        return sorted({row for row, _ in (*self.cells, *self.formulas) if row > after})

    def row_values(self, row: int) -> dict[int, Any]:
        return {column: item[0] for (r, column), item in self.cells.items() if r == row}


def coordinate(row: int, column: int) -> str:
    """'D14'."""
    return f"{get_column_letter(column)}{row}"


def _check_zip(raw: bytes, name: str) -> None:
    if raw[:4] == b"\xd0\xcf\x11\xe0":
        raise refuse(name, "tệp Excel định dạng cũ (.xls) hoặc có đặt mật khẩu: không đọc được; "
                     "trong Excel chọn Lưu thành / Save As → Sổ làm việc Excel (.xlsx), bỏ mật "
                     "khẩu", "an old-format (.xls) or password-protected Excel file cannot be "
                     "read; save it as an Excel workbook (.xlsx), without a password")
    if raw[:4] != b"PK\x03\x04":
        raise refuse(name, "đây không phải là tệp Excel .xlsx", "this is not an .xlsx file")
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            entries = archive.infolist()
            unpacked = sum(entry.file_size for entry in entries)
            if len(entries) > MAX_ENTRIES or unpacked > MAX_UNPACKED:
                raise refuse(name, f"tệp .xlsx giải nén ra quá lớn ({fmt(len(entries))} phần, "
                             f"{fmt(unpacked)} byte)", f"the .xlsx file unpacks to too much "
                             f"({fmt(len(entries), 'en')} parts, {fmt(unpacked, 'en')} bytes)")
            names = {entry.filename for entry in entries}
            if "xl/workbook.xml" not in names:
                raise refuse(name, "tệp .xlsx không có phần xl/workbook.xml (không phải sổ làm "
                             "việc Excel)", "the .xlsx file has no xl/workbook.xml part (it is "
                             "not an Excel workbook)")
            for entry in entries:
                limit = MAX_STYLE_BYTES if entry.filename == "xl/styles.xml" else \
                    MAX_SHEET_BYTES if entry.filename.startswith("xl/worksheets/") else None
                if limit is not None and entry.file_size > limit:
                    raise refuse(name, f"phần {entry.filename} quá lớn ({fmt(entry.file_size)} "
                                 f"byte khi giải nén; tối đa {fmt(limit)}): tệp chứa nhiều hơn "
                                 "hẳn một biểu mẫu", f"the part {entry.filename} is too large "
                                 f"({fmt(entry.file_size, 'en')} bytes unpacked; at most "
                                 f"{fmt(limit, 'en')}): far more than a form holds")
                if entry.filename.endswith((".xml", ".rels")):
                    with archive.open(entry) as part:
                        head = part.read(min(entry.file_size, 64 * 1024))
                    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                        raise refuse(name, f"phần {entry.filename} khai báo DOCTYPE/ENTITY: tệp "
                                     "Excel không bao giờ có, không đọc", f"the part "
                                     f"{entry.filename} declares a DOCTYPE or ENTITY: Excel never "
                                     "writes one; not read")
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError,
            RuntimeError) as error:
        raise refuse(name, f"tệp .xlsx bị hỏng (không giải nén được: {str(error)[:120]})",
                     f"the .xlsx file is damaged (it cannot be unzipped: {str(error)[:120]})"
                     ) from None


def _load(raw: bytes, name: str, data_only: bool) -> Any:
    from openpyxl import load_workbook  # here: a JSON run never pays for it

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl's notes on extensions it drops
            return load_workbook(io.BytesIO(raw), read_only=True, data_only=data_only)
    except Exception as error:  # openpyxl raises many kinds on a damaged file
        raise refuse(name, f"không mở được tệp .xlsx ({type(error).__name__}: "
                     f"{str(error)[:200]})", f"the .xlsx file cannot be opened "
                     f"({type(error).__name__}: {str(error)[:200]})") from None


_CELL = re.compile(r'<c\b[^>]*?\br="([A-Z]{1,3})(\d+)"([^>]*)>(.*?)</c>', re.DOTALL)
_VALUE = re.compile(r"<v>([^<]*)</v>")


def _bad_number(raw: bytes, sheet: Any) -> str | None:
    """The first cell of `sheet` whose number no spreadsheet writes (NaN, inf, 1,5): looked
    for in the sheet's XML, only once openpyxl has failed on it."""
    part = getattr(sheet, "_worksheet_path", None)
    if not isinstance(part, str):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            text = archive.read(part.lstrip("/")).decode("utf-8", "replace")
    except (KeyError, zipfile.BadZipFile, OSError):
        return None
    for match in _CELL.finditer(text):
        if re.search(r'\bt="(s|inlineStr|str|b|e)"', match.group(0)[:120]):
            continue
        value = _VALUE.search(match.group(4))
        if value is None or not value.group(1).strip():
            continue
        try:
            number = float(value.group(1))
        except ValueError:
            return f"{match.group(1)}{match.group(2)}"
        if not math.isfinite(number):
            return f"{match.group(1)}{match.group(2)}"
    return None


def _stream(sheet: Any, raw: bytes, name: str, title: str) -> Iterator[tuple[int, Any]]:
    """(row number, row of cells), the sheet's XML parse errors named with the sheet (and the
    cell, when a number no spreadsheet writes is the cause)."""
    rows = sheet.iter_rows()
    number = 0
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except Exception as error:  # a damaged sheet: its XML, a number openpyxl cannot read
            cell = _bad_number(raw, sheet) if isinstance(error, ValueError) else None
            if cell is not None:
                raise refuse(name, "ô chứa một số không bảng tính nào ghi (NaN, vô cực, hay "
                             "dấu phẩy trong số lưu của tệp)", "the cell holds a number no "
                             "spreadsheet writes (NaN, infinity, or a comma in the stored "
                             "number)", f"Sheet '{title}', ô / cell {cell}") from None
            raise refuse(name, f"sheet '{title}' bị hỏng, không đọc được (sau dòng {number}: "
                         f"{type(error).__name__}: {str(error)[:160]})", f"sheet '{title}' is "
                         f"damaged and cannot be read (after row {number}: "
                         f"{type(error).__name__}: {str(error)[:160]})",
                         f"Sheet '{title}'") from None
        number += 1
        yield number, row


def _fill(grid: Grid, sheet: Any, raw: bytes, name: str, formulas: bool) -> None:
    for number, row in _stream(sheet, raw, name, grid.title):
        for cell in row:
            value = cell.value
            if value is None or (isinstance(value, str) and not value.strip()):
                continue
            column = cell.column
            if number > MAX_ROWS:
                if grid.beyond is None:
                    grid.beyond = (number, column)
                return
            if formulas:
                if getattr(cell, "data_type", None) == "f" and isinstance(value, str):
                    grid.formulas[(number, column)] = value
            else:
                if isinstance(value, float) and not math.isfinite(value):
                    value = _NonFinite(repr(value))
                grid.cells[(number, column)] = (value, cell.number_format or "General")


class _NonFinite(str):
    """A number cell Excel could not have written (inf, NaN): kept to be named at its cell."""

    __slots__ = ()


def is_non_finite(value: Any) -> bool:
    """Whether a grid value is a number cell holding inf or NaN."""
    return isinstance(value, _NonFinite)


def read_grids(raw: bytes, name: str) -> tuple[dict[str, Grid], Any]:
    """Every sheet of the workbook `raw` as a Grid, by title, and the epoch (1900 or 1904) its
    dates were read in."""
    _check_zip(raw, name)
    values = _load(raw, name, data_only=True)
    formulas = _load(raw, name, data_only=False)
    grids: dict[str, Grid] = {}
    try:
        for title in values.sheetnames:
            grid = Grid(title)
            sheet = values[title]
            if not hasattr(sheet, "iter_rows"):  # a chart sheet: nothing to read
                continue
            _fill(grid, sheet, raw, name, formulas=False)
            _fill(grid, formulas[title], raw, name, formulas=True)
            grids[title] = grid
    finally:
        values.close()
        formulas.close()
    return grids, values.epoch
