"""The facts workbook: `template -o ward.xlsx`, scoring a workbook, `convert` both ways without
loss, and every error at its sheet, cell and fact (engine/facts/workbook*.py)."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import zipfile
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import CASES, ROOT
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import wards

from cchc.cli.main import cli
from cchc.engine.errors import InputError
from cchc.engine.facts.read import parse_facts, read_json
from cchc.engine.facts.workbook import COLUMN_AT, HEADER_ROW, INFO_SHEET
from cchc.engine.facts.workbook_write import facts_workbook
from cchc.engine.facts.write_json import facts_json
from cchc.engine.inputs import load_facts, load_ward
from cchc.engine.pack.load import resolve_pack
from cchc.reports.json_report import render_json
from cchc.scoring.score import Scorer

SECOND = ROOT / "tests" / "packs" / "anhoa-2025"
CASE_FILES = sorted(p for p in CASES.glob("*.json") if not p.name.endswith(".appraisal.json"))
ALL_CASES = [*CASE_FILES, SECOND / "case" / "anhoa-2025.json"]


def _pack_option(path: Path) -> str | None:
    return str(SECOND) if SECOND in path.parents else None


def _report(path: Path, pack_option: str | None = None) -> dict[str, Any]:
    pack, ward = load_ward(path, pack_option or _pack_option(path))
    data = json.loads(render_json(Scorer(pack).score(ward)))
    data.pop("facts_file")
    return data


def _same_place(node: Any) -> Any:
    """A report with each JSON path as the fact names it: `{"value": v, "evidence": []}` and
    the bare `v` are one fact, whose path differs only by `.value`."""
    if isinstance(node, dict):
        return {key: (value.removesuffix(".value") if key == "json_path"
                      and isinstance(value, str) else _same_place(value))
                for key, value in node.items()}
    if isinstance(node, list):
        return [_same_place(value) for value in node]
    return node


def _without_places(node: Any) -> Any:
    """A report without the places it names (JSON paths, or a workbook's cells)."""
    if isinstance(node, dict):
        return {key: _without_places(value) for key, value in node.items()
                if key != "json_path"}
    if isinstance(node, list):
        return [_without_places(value) for value in node]
    return node


def _workbook(path: Path, tmp_path: Path) -> Path:
    """The facts file at `path` converted to a workbook by the command line."""
    from click.testing import CliRunner

    target = tmp_path / (path.stem + ".xlsx")
    args = ["convert", str(path), "-o", str(target)]
    if _pack_option(path):
        args += ["--pack", str(SECOND)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    return target


def _edit(path: Path, edit: Any, name: str = "edited.xlsx") -> Path:
    book = openpyxl.load_workbook(path)
    edit(book)
    target = path.with_name(name)
    book.save(target)
    return target


def _row_of(sheet: Any, fact: str) -> int:
    for row in range(1, sheet.max_row + 1):
        if sheet.cell(row, COLUMN_AT["fact"]).value == fact:
            return row
    raise AssertionError(f"{fact} not on {sheet.title}")


def _sheet_of(book: Any, fact: str) -> Any:
    for sheet in book.worksheets:
        if sheet.cell(HEADER_ROW + 1, 1).value == "facts":
            for row in range(HEADER_ROW + 2, sheet.max_row + 1):
                if sheet.cell(row, COLUMN_AT["fact"]).value == fact:
                    return sheet
    raise AssertionError(fact)


def _error(path: Path, pack: str | None = None) -> InputError:
    with pytest.raises(InputError) as caught:
        load_ward(path, pack)
    return caught.value


# --- the template ------------------------------------------------------------------------


def test_the_template_lists_every_fact_with_its_label_unit_requirements_and_a_validation(pack):
    book = openpyxl.load_workbook(io.BytesIO(facts_workbook(pack)))
    assert book.sheetnames[0] == INFO_SHEET
    assert book["Danh mục"].sheet_state == "hidden"
    rows: dict[str, tuple[Any, int]] = {}
    for sheet in book.worksheets:
        if sheet.cell(HEADER_ROW + 1, 1).value != "facts":
            continue
        assert sheet.freeze_panes == f"D{HEADER_ROW + 2}"
        assert int(sheet.page_setup.paperSize) == 9  # A4
        assert sheet.page_setup.orientation == "landscape"
        assert sheet.page_setup.fitToWidth == 1
        assert sheet.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW + 1}"
        for row in range(HEADER_ROW + 2, sheet.max_row + 1):
            fact = sheet.cell(row, COLUMN_AT["fact"]).value
            if fact:
                rows[fact] = (sheet, row)
    assert set(rows) == set(pack.facts)  # every fact, once
    sheet, row = rows["so_tin_bai_tuyen_truyen_cchc"]
    assert sheet.title.startswith("I. ")
    assert sheet.cell(row, COLUMN_AT["label"]).value == \
        pack.facts["so_tin_bai_tuyen_truyen_cchc"].label.vi
    assert sheet.cell(row, COLUMN_AT["unit"]).value == "tin, bài"
    assert "ND.I.3" in sheet.cell(row, COLUMN_AT["requirements"]).value or \
        sheet.cell(row, COLUMN_AT["requirements"]).value
    kinds = {}
    for current in {s for s, _ in rows.values()}:
        for rule in current.data_validations.dataValidation:
            for cell_range in rule.sqref.ranges:
                kinds[(current.title, cell_range.coord)] = rule
    count = kinds[(sheet.title, f"D{row}")]
    assert (count.type, count.formula1) == ("whole", "0")
    sheet, row = rows["gan_cchc_voi_thi_dua"]
    assert kinds[(sheet.title, f"D{row}")].type == "list"
    sheet, row = rows["ngay_ban_hanh_ke_hoach_cchc"]
    assert kinds[(sheet.title, f"D{row}")].type == "custom"
    # last year's value beside this year's, where a rule compares with it
    sheet, row = rows["ho_so_truc_tuyen"]
    assert str(sheet.cell(row, COLUMN_AT["previous"]).value).startswith("=IF('Năm 2023'!D")


def test_a_filled_in_template_scores_and_a_blank_one_says_what_is_missing(pack, tmp_path):
    blank = tmp_path / "mau.xlsx"
    blank.write_bytes(facts_workbook(pack))
    error = _error(blank)
    assert error.problems[0].where == f"Sheet '{INFO_SHEET}', ô / cell B5"
    assert "tên phường, xã chưa điền" in error.problems[0].vi

    def fill(book: Any) -> None:
        book[INFO_SHEET]["B5"] = "Phường 9"
        sheet = _sheet_of(book, "so_tin_bai_tuyen_truyen_cchc")
        sheet.cell(_row_of(sheet, "so_tin_bai_tuyen_truyen_cchc"), COLUMN_AT["value"], "1.200")

    _, ward = load_ward(_edit(blank, fill))
    assert ward.unit.ward == "Phường 9"
    assert ward.current["so_tin_bai_tuyen_truyen_cchc"].value == 1200


# --- without loss ------------------------------------------------------------------------


@pytest.mark.parametrize("case", ALL_CASES, ids=lambda p: p.stem)
def test_a_round_trip_json_xlsx_json_gives_the_same_report(case, tmp_path):
    workbook = _workbook(case, tmp_path)
    back = tmp_path / "back.json"
    from click.testing import CliRunner

    args = ["convert", str(workbook), "-o", str(back)]
    if _pack_option(case):
        args += ["--pack", str(SECOND)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    original = _report(case)
    assert _same_place(_report(back, _pack_option(case))) == _same_place(original)
    # and the workbook itself scores the same, its places named by sheet and cell
    direct = _report(workbook, _pack_option(case))
    assert not any(item["json_path"].startswith(("$.facts.", "$.unit", "$.previous_year."))
                   for item in direct["warnings"])  # "$", "$.facts": the file, all its facts
    assert _without_places(direct) == _without_places(original)
    # a fact given is named by its cell (one with no data keeps the path it would have)
    places = [i["json_path"] for o in direct["outcomes"] for i in o["inputs"]
              if i["value"] is not None]
    assert places and all(place.startswith("Sheet '") for place in places)


def test_a_second_round_trip_changes_nothing(tmp_path):
    workbook = _workbook(CASES / "phuong5-2024.json", tmp_path)
    document, pack, _ = load_facts(workbook)
    text = facts_json(document.content)
    again = tmp_path / "again.json"
    again.write_text(text, encoding="utf-8")
    document_again, _, _ = load_facts(again)
    assert facts_json(document_again.content) == text
    assert facts_workbook(pack, document_again.content.model_dump()) == \
        facts_workbook(pack, document.content.model_dump())  # deterministic bytes


def test_decimals_survive_exactly_even_beyond_a_double(tmp_path):
    data, _ = read_json(CASES / "phuong5-2024.json")
    data["facts"]["von_dau_tu_cong_ke_hoach"]["value"] = Decimal("200000000000")
    data["facts"]["von_dau_tu_cong_giai_ngan"]["value"] = Decimal("123456789012.123456")
    data["facts"]["thu_ngan_sach_thuc_hien"]["value"] = Decimal("13245.80")
    source = tmp_path / "exact.json"
    source.write_text(facts_json(parse_facts(data, "exact.json").content), encoding="utf-8")
    document, _, ward = load_facts(_workbook(source, tmp_path))
    assert document.content.facts["von_dau_tu_cong_giai_ngan"]["value"] == \
        Decimal("123456789012.123456")
    assert document.content.facts["thu_ngan_sach_thuc_hien"]["value"] == Decimal("13245.8")
    assert ward.current["von_dau_tu_cong_giai_ngan"].value == \
        Fraction("123456789012.123456")


def test_a_text_that_looks_like_a_formula_stays_text_both_ways(tmp_path):
    data, _ = read_json(CASES / "phuong5-2024.json")
    data["facts"]["so_cuoc_thi_tim_hieu_cchc"]["note"] = '=HYPERLINK("http://x","y")'
    data["prepared_by"] = "=1+1"
    source = tmp_path / "formula.json"
    source.write_text(json.dumps(data, default=float, ensure_ascii=False), encoding="utf-8")
    workbook = _workbook(source, tmp_path)
    with zipfile.ZipFile(workbook) as archive:
        sheets = b"".join(archive.read(n) for n in archive.namelist()
                          if n.startswith("xl/worksheets/"))
    assert b"HYPERLINK" not in sheets.split(b"<f>")[-1] or b"<f>=HYPERLINK" not in sheets
    assert b"<f>HYPERLINK" not in sheets and b"<f>1+1" not in sheets
    document, _, _ = load_facts(workbook)
    assert document.content.prepared_by == "=1+1"
    assert document.content.facts["so_cuoc_thi_tim_hieu_cchc"]["note"] == \
        '=HYPERLINK("http://x","y")'


@settings(max_examples=15, deadline=None)
@given(drawn=st.data())
def test_generated_wards_round_trip_json_xlsx_json(drawn, pack, tmp_path_factory):
    data = drawn.draw(wards(pack))
    folder = tmp_path_factory.mktemp("ward")
    source = folder / "ward.json"
    source.write_text(json.dumps(data, default=str, ensure_ascii=False), encoding="utf-8")
    try:
        document, pack_used, ward = load_facts(source)
    except InputError:  # the generator's rare file the checks refuse: nothing to convert
        return
    workbook = folder / "ward.xlsx"
    workbook.write_bytes(facts_workbook(pack_used, document.content.model_dump()))
    _back, _, ward_back = load_facts(workbook)
    scorer = Scorer(pack_used)
    first, second = scorer.score(ward), scorer.score(ward_back)
    assert [(o.rule, o.status, o.points) for o in first.outcomes] == \
        [(o.rule, o.status, o.points) for o in second.outcomes]
    assert {n: (r.value, r.evidence, r.note, r.edition, r.pending)
            for n, r in ward.current.items()} == \
        {n: (r.value, r.evidence, r.note, r.edition, r.pending)
         for n, r in ward_back.current.items()}


# --- a clerk's cells ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def filled(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("filled")
    return _workbook(CASES / "phuong-dat-toan-bo-2024.json", folder)


def _set(workbook: Path, fact: str, value: Any, column: str = "value",
         number_format: str | None = None) -> tuple[Path, str]:
    coordinate = ""

    def edit(book: Any) -> None:
        nonlocal coordinate
        sheet = _sheet_of(book, fact)
        cell = sheet.cell(_row_of(sheet, fact), COLUMN_AT[column])
        cell.value = value
        if number_format:
            cell.number_format = number_format
        coordinate = f"Sheet '{sheet.title}', ô / cell {cell.coordinate} ({fact})"

    return _edit(workbook, edit, f"{fact}-{column}.xlsx"), coordinate


@pytest.mark.parametrize(("fact", "typed", "value"), [
    ("ho_so_so_hoa", "1.200", 1200),
    ("ho_so_so_hoa", "1 200", 1200),
    ("chi_so_par_index", "86,5", Decimal("86.5")),
])
def test_typed_text_in_a_value_cell_reads_as_a_clerk_means_it(filled, fact, typed, value):
    path, _ = _set(filled, fact, typed)
    document, _, _ward = load_facts(path)
    assert document.content.facts[fact]["value"] == value


def test_a_percentage_cell_reads_as_its_percent_where_the_fact_is_one(filled, pack):
    fact = "chi_so_par_index"  # a percentage (its unit is %), reported with its edition
    assert pack.facts[fact].unit.vi == "%"
    path, _ = _set(filled, fact, 0.85, number_format="0%")
    document, _, _ = load_facts(path)
    entry = document.content.facts[fact]
    assert (entry["value"] if isinstance(entry, dict) else entry) == Decimal("85")


@pytest.mark.parametrize(("fact", "typed", "words"), [
    ("ho_so_so_hoa", "12,5", "được đọc là 12,5"),
    ("ho_so_so_hoa", "85%", "là một tỉ lệ"),
    ("chi_so_par_index", "86.5", "kiểu tiếng Anh"),
    ("ho_so_so_hoa", dt.datetime(2024, 2, 1), "Excel đã hiểu ô này là ngày 01/02/2024"),
    ("gan_cchc_voi_thi_dua", "có lẽ", "không phải là Có hoặc Không"),
    ("ngay_ban_hanh_ke_hoach_cchc", "31/02/2024", "không phải là một ngày có thật"),
    ("ho_so_so_hoa", -3, "không được âm"),  # the facts check's words, at the cell
])
def test_an_error_names_the_sheet_the_cell_and_the_fact(filled, fact, typed, words):
    path, where = _set(filled, fact, typed)
    error = _error(path)
    assert [p.where for p in error.problems] == [where]
    assert words in error.problems[0].vi
    assert error.file == str(path)
    assert "III. " in where or "I. " in where or "V" in where


def test_a_second_document_on_the_row_below_belongs_to_the_fact_above(filled):
    fact = "so_van_ban_chi_dao_cchc"

    def edit(book: Any) -> None:
        sheet = _sheet_of(book, fact)
        row = _row_of(sheet, fact) + 1
        sheet.insert_rows(row)
        sheet.cell(row, COLUMN_AT["ev_number"], "99/QĐ-UBND")
        sheet.cell(row, COLUMN_AT["ev_date"], dt.datetime(2024, 5, 6))
        sheet.cell(row, COLUMN_AT["ev_title"], "Quyết định bổ sung")

    _document, _, ward = load_facts(_edit(filled, edit))
    documents = ward.current[fact].evidence
    assert [d.number for d in documents][-1] == "99/QĐ-UBND" and len(documents) == 2
    assert documents[1].date == "2024-05-06"


def test_a_fact_twice_a_value_without_a_fact_and_an_uncomputed_formula_are_named(filled):
    def edit(book: Any) -> None:
        sheet = _sheet_of(book, "ho_so_so_hoa")
        row = _row_of(sheet, "ho_so_so_hoa")
        sheet.cell(sheet.max_row + 2, COLUMN_AT["fact"], "ho_so_so_hoa")
        sheet.cell(sheet.max_row + 2, COLUMN_AT["value"], 5)
        sheet.cell(row, COLUMN_AT["note"], "=1+1")  # openpyxl saves no computed value

    error = _error(_edit(filled, edit))
    words = " | ".join(p.vi for p in error.problems)
    assert "ghi hai lần" in words
    assert "không có mã dữ kiện" in words
    assert "công thức =1+1 chưa được tính" in words
    assert all(p.where.startswith("Sheet '") for p in error.problems)


def test_an_unknown_fact_id_gets_its_closest_name_at_its_cell(filled):
    path, _where = _set(filled, "ho_so_so_hoa", "ho_so_so_hoaa", column="fact")
    error = _error(path)
    assert "ho_so_so_hoa" in error.problems[0].en
    assert error.problems[0].where.startswith("Sheet '")


def test_warnings_point_at_cells(filled):
    path, _where = _set(filled, "ngay_ban_hanh_ke_hoach_cchc", dt.datetime(2024, 12, 30))
    _pack, ward = load_ward(path)
    assert ward.warnings and all(w.json_path.startswith("Sheet '") for w in ward.warnings)


# --- hostile files -----------------------------------------------------------------------


def test_the_workbook_is_never_modified(filled):
    before = hashlib.sha256(filled.read_bytes()).hexdigest()
    load_ward(filled)
    assert hashlib.sha256(filled.read_bytes()).hexdigest() == before


@pytest.mark.parametrize(("content", "words"), [
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "định dạng cũ (.xls) hoặc có đặt mật khẩu"),
    (b"unit,year\nPhuong 5,2024\n", "không phải là tệp Excel .xlsx"),
    (b"PK\x03\x04 truncated", "bị hỏng"),
    (b"", "không phải là tệp Excel .xlsx"),
])
def test_a_file_that_is_not_a_workbook_is_named_as_such(tmp_path, content, words):
    path = tmp_path / "ward.xlsx"
    path.write_bytes(content)
    error = _error(path)
    assert words in error.problems[0].vi and error.problems[0].en


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path):
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (80 * 1024 * 1024))
    assert path.stat().st_size < 1024 * 1024
    error = _error(path)
    assert "giải nén ra quá lớn" in error.problems[0].vi


def test_a_workbook_of_another_kind_is_told_apart(tmp_path):
    book = openpyxl.Workbook()
    book.active["A1"] = "Bảng lương"
    path = tmp_path / "other.xlsx"
    book.save(path)
    error = _error(path)
    assert "không có sheet 'Thông tin'" in error.problems[0].vi


def test_an_old_xls_name_is_refused_plainly(tmp_path):
    path = tmp_path / "ward.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 100)
    assert ".xls" in _error(path).problems[0].vi


def test_a_deleted_column_is_named(filled):
    def edit(book: Any) -> None:
        sheet = _sheet_of(book, "ho_so_so_hoa")
        sheet.delete_cols(COLUMN_AT["note"])

    error = _error(_edit(filled, edit))
    assert "thiếu cột" in error.problems[0].vi and "Ghi chú" in error.problems[0].vi


def test_convert_refuses_a_bad_facts_file_and_never_writes_over_its_input(tmp_path, runner):
    bad = tmp_path / "bad.json"
    bad.write_text('{"unit": {"ward": "P"}, "year": 2024, "facts": {"ho_so_so_hoa": -1}}',
                   encoding="utf-8")
    result = runner.invoke(cli, ["convert", str(bad), "-o", str(tmp_path / "bad.xlsx")])
    assert result.exit_code == 2 and not (tmp_path / "bad.xlsx").exists()
    workbook = _workbook(CASES / "phuong5-2024.json", tmp_path)
    result = runner.invoke(cli, ["convert", str(workbook), "-o", str(workbook), "--force"])
    assert result.exit_code == 2
    result = runner.invoke(cli, ["convert", str(CASES / "phuong5-2024.json"), "-o",
                                 str(tmp_path / "x.csv")])
    assert result.exit_code == 2


def test_the_second_plan_keeps_its_tables_lists_and_levels(tmp_path):
    workbook = _workbook(SECOND / "case" / "anhoa-2025.json", tmp_path)
    book = openpyxl.load_workbook(workbook)
    tables = [name for name in book.sheetnames if name.startswith("Bảng ")]
    assert tables
    _document, pack, ward = load_facts(workbook, str(SECOND))
    _original, _, ward_json = load_facts(SECOND / "case" / "anhoa-2025.json", str(SECOND))
    for name, spec in pack.facts.items():
        if spec.type in ("table", "dates", "level") and name in ward_json.current:
            assert ward.current[name].value == ward_json.current[name].value, name


def test_the_template_command_writes_a_workbook_and_never_over_one(tmp_path, runner):
    target = tmp_path / "mau.xlsx"
    assert runner.invoke(cli, ["template", "-o", str(target)]).exit_code == 0
    assert zipfile.is_zipfile(target)
    again = runner.invoke(cli, ["template", "-o", str(target)])
    assert again.exit_code == 2
    assert resolve_pack("phuong5-2024", None, None)


def test_something_below_the_rows_read_is_named_not_dropped(filled, monkeypatch):
    """Past the rows read of a sheet (MAX_ROWS), anything written is named at its cell."""
    from cchc.engine.facts import workbook_grid

    monkeypatch.setattr(workbook_grid, "MAX_ROWS", 60)

    def edit(book: Any) -> None:
        sheet = _sheet_of(book, "ho_so_so_hoa")
        sheet.cell(90, COLUMN_AT["note"], "ghi chú lạc dòng")

    error = _error(_edit(filled, edit))
    assert any(p.where.endswith(f"ô / cell {chr(64 + COLUMN_AT['note'])}90")
               for p in error.problems), [p.where for p in error.problems]


def test_every_mistake_is_named_in_one_run(filled):
    """A value refused at its cell and an unknown fact id (the facts check's) come in the same
    error: a clerk fixes the workbook once, not one round of errors after another."""
    def edit(book: Any) -> None:
        sheet = _sheet_of(book, "ho_so_so_hoa")
        sheet.cell(_row_of(sheet, "ho_so_so_hoa"), COLUMN_AT["value"], "12.5")
        sheet.cell(_row_of(sheet, "ho_so_tiep_nhan"), COLUMN_AT["fact"], "ho_so_tiep_nhann")

    error = _error(_edit(filled, edit))
    words = " | ".join(p.vi for p in error.problems)
    assert "không phải là một số nguyên" in words and "ho_so_tiep_nhann" in words
