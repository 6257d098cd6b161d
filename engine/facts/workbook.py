"""The facts workbook's layout (the Excel form a ward fills in), shared by its writer and reader.

    Thông tin            the unit, the year, the pack, who prepared it and when (one cell each)
    I. …, II. …          a sheet per reform area: one row per fact, in pack order, under a
                         header row; a fact sits in the area of the first rule that reads it
    Điểm thưởng, trừ     the facts only bonus and penalty rules read (a pack with adjustments)
    Năm 2023             last year's values (and their editions and evidence), where the pack
                         compares with last year; each area row shows its value by a formula
    Bảng 1, Bảng 2…      one sheet per table fact (a row per procedure, per document…)
    Danh mục             the lists the drop-downs offer (levels, yes/no answers); hidden

A fact's row: STT, mã dữ kiện, nội dung, giá trị, đơn vị, kỳ đánh giá, năm trước, ghi chú,
then one document of evidence (số, ngày, cơ quan ban hành, trích yếu, trang, tệp, sha256), then
the requirement ids and a hint. A fact with more documents continues on the rows below it, with
the fact's cell left blank. The reader finds every column by the fact-id header row, so widths,
colours and rows inserted above the header do not matter.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cchc.engine.numbers import roman
from cchc.engine.pack.model import Pack

FORMAT = "cchc-score/facts-xlsx/1"
INFO_SHEET = "Thông tin"
LISTS_SHEET = "Danh mục"
MAX_SHEET_NAME = 31  # Excel's limit
PENDING = "Chờ kết quả"  # an index edition not yet published
NOT_DONE = "Chưa thực hiện"  # a date fact's false
NO_ROWS = "Không có"  # a table or a list of dates with nothing in it ([])
SEE_TABLE = "Xem sheet"  # a table fact's value cell points at its sheet
YEARS_SEPARATOR = "; "


def is_workbook(path: Path) -> bool:
    """Whether a facts path names a workbook (by its extension, as a person sees it); an old
    .xls too, so that it is refused as one."""
    return path.suffix.lower() in (".xlsx", ".xlsm", ".xls")


@dataclass(frozen=True)
class Column:
    """A column of an area sheet: its key (what the reader looks for), heading and width."""

    key: str
    vi: str
    en: str
    width: float


# The area sheets' columns, in order. `key` is written in the header row's comment-free second
# line, so the reader finds each column by its key.
COLUMNS: tuple[Column, ...] = (
    Column("stt", "STT", "No.", 5),
    Column("fact", "Mã dữ kiện", "Fact id", 24),
    Column("label", "Nội dung", "Fact", 48),
    Column("value", "Giá trị", "Value", 16),
    Column("unit", "Đơn vị", "Unit", 11),
    Column("edition", "Kỳ đánh giá", "Edition", 12),
    Column("previous", "Năm trước", "Last year", 12),
    Column("note", "Ghi chú", "Note", 28),
    Column("ev_number", "Số văn bản", "Doc. No.", 16),
    Column("ev_date", "Ngày văn bản", "Doc. date", 12),
    Column("ev_issuer", "Cơ quan ban hành", "Issuer", 22),
    Column("ev_title", "Trích yếu", "Title", 40),
    Column("ev_page", "Trang", "Page", 7),
    Column("ev_file", "Tệp", "File", 22),
    Column("ev_sha256", "SHA-256 tệp", "File SHA-256", 12),
    Column("requirements", "Yêu cầu (Kế hoạch)", "Requirements", 18),
    Column("hint", "Hướng dẫn", "How to fill in", 60),
)
COLUMN_AT = {column.key: index + 1 for index, column in enumerate(COLUMNS)}
EVIDENCE_FIELDS = ("number", "date", "issuer", "title", "page", "file", "sha256")
HEADER_ROW = 6  # the headings; the keys row is HEADER_ROW + 1; facts start below

# The info sheet: (row key, Vietnamese, English) from row INFO_FIRST_ROW down, value in column B.
INFO_ROWS: tuple[tuple[str, str, str], ...] = (
    ("format", "Định dạng tệp", "File format"),
    ("ward", "Phường, xã", "Ward or commune"),
    ("city", "Thành phố, thị xã, huyện", "City, town or district"),
    ("province", "Tỉnh", "Province"),
    ("year", "Năm đánh giá", "Year assessed"),
    ("pack", "Gói quy tắc (Kế hoạch)", "Rule pack (the plan)"),
    ("prepared_by", "Người, đơn vị lập", "Prepared by"),
    ("prepared_on", "Ngày lập", "Prepared on"),
    ("previous_year", "Năm trước (so sánh)", "Last year (compared with)"),
)
INFO_FIRST_ROW = 4


@dataclass(frozen=True)
class FactSheet:
    """One sheet of fact rows: its name, title and facts, in pack order."""

    name: str
    vi: str
    en: str
    facts: tuple[str, ...]
    previous: bool = False  # last year's sheet


def sheet_name(text: str, taken: set[str]) -> str:
    """A name Excel accepts (31 characters, none of []:*?/\\), unique among `taken`, cut at a
    word with an ellipsis when too long."""
    clean = "".join(" " if char in "[]:*?/\\" else char for char in text).strip(" '")
    if len(clean) > MAX_SHEET_NAME:
        cut = clean[:MAX_SHEET_NAME - 1]
        if " " in cut:
            cut = cut[:cut.rindex(" ")]
        clean = cut.rstrip(" ,.;-") + "…"
    name, number = clean, 2
    while name.casefold() in {taken_name.casefold() for taken_name in taken}:
        suffix = f" ({number})"
        name = clean[:MAX_SHEET_NAME - len(suffix)] + suffix
        number += 1
    taken.add(name)
    return name


def fact_areas(pack: Pack) -> dict[str, str]:
    """Each reported fact's area: the area of the first rule (in pack order) that reads it."""
    out: dict[str, str] = {}
    for rule in pack.rules:
        for name in rule.inputs:
            for fact in pack.base_facts(name):
                out.setdefault(fact, rule.area)
    return out


def fact_requirements(pack: Pack) -> dict[str, tuple[str, ...]]:
    """Each reported fact's requirement ids: those of every rule that reads it, in order."""
    out: dict[str, dict[str, None]] = {}
    for rule in pack.rules:
        for name in rule.inputs:
            for fact in pack.base_facts(name):
                out.setdefault(fact, {}).update(dict.fromkeys(rule.requirements))
    return {fact: tuple(ids) for fact, ids in out.items()}


def fact_sheets(pack: Pack, previous_facts: tuple[str, ...], previous_year: int | None,
                taken: set[str]) -> list[FactSheet]:
    """The sheets of fact rows: one per area (numbered as the plan numbers them), the bonus and
    penalty facts, the facts no rule reads, then last year's."""
    areas = fact_areas(pack)
    sheets = []
    for number, area in enumerate(pack.meta.areas, start=1):
        facts = tuple(name for name in pack.facts if areas.get(name) == area.id)
        if facts:
            sheets.append(FactSheet(sheet_name(f"{roman(number)}. {area.vi}", taken),
                                    f"{roman(number)}. {area.vi}", f"{roman(number)}. {area.en}",
                                    facts))
    adjustments = pack.meta.adjustments
    if adjustments is not None:
        facts = tuple(name for name in pack.facts if areas.get(name) == adjustments.id)
        if facts:
            sheets.append(FactSheet(sheet_name(adjustments.vi, taken), adjustments.vi,
                                    adjustments.en, facts))
    unread = tuple(name for name in pack.facts if name not in areas)
    if unread:
        sheets.append(FactSheet(sheet_name("Dữ kiện khác", taken), "Dữ kiện khác",
                                "Other facts", unread))
    if previous_facts and previous_year is not None:
        sheets.append(FactSheet(sheet_name(f"Năm {previous_year}", taken),
                                f"Số liệu năm {previous_year} (năm trước)",
                                f"{previous_year} figures (last year)", previous_facts,
                                previous=True))
    return sheets


def table_sheet_names(pack: Pack, taken: set[str]) -> dict[str, str]:
    """A sheet per table fact: 'Bảng 1', 'Bảng 2'… in pack order."""
    tables = [name for name, spec in pack.facts.items() if spec.type == "table"]
    return {name: sheet_name(f"Bảng {number}", taken)
            for number, name in enumerate(tables, start=1)}


def cell_place(sheet: str, coordinate: str, fact: str | None = None) -> str:
    """Where a value stands, as an error names it: "Sheet 'III. TTHC', ô D14 (ho_so_so_hoa)"."""
    place = f"Sheet '{sheet}', ô / cell {coordinate}"
    return f"{place} ({fact})" if fact else place
