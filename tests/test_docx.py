"""The Word report (reports.docx_report): the administrative text of NĐ 30/2020/NĐ-CP with the
same figures as the JSON report, read back from the document's own table cells; its layout
(A4, the decree's margins, Times New Roman, Quốc hiệu, Tiêu ngữ, place and date, Nơi nhận, the
signature block, one table per area, every rule in the appendix); a golden text dump; the same
bytes twice; hostile texts."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import docx
import pytest
from conftest import CASES, ROOT
from docx.document import Document as DocumentObject
from docx.oxml.ns import qn
from docx.shared import Mm
from docx.table import Table
from docx.text.paragraph import Paragraph
from test_cases import CASE_FILES, _golden

from cchc.engine.appraisal.read import read_appraisal
from cchc.engine.inputs import load_ward
from cchc.engine.pack.load import resolve_pack
from cchc.reports.docx_report import Signer, render_docx
from cchc.reports.docx_words import date_line, locality, superior
from cchc.reports.json_report import render_json
from cchc.scoring.appraisal import Appraiser
from cchc.scoring.report import Prepared, UnitInfo
from cchc.scoring.score import Scorer

GOLDEN = CASES / "expected" / "phuong5-2024.report.docx.txt"
SECOND = ROOT / "tests" / "packs" / "anhoa-2025"
SECOND_CASE = SECOND / "case" / "anhoa-2025.json"
RUNS = [(path, appraised) for path in CASE_FILES for appraised in (False, True)
        if not appraised or path.with_name(path.stem + ".appraisal.json").exists()]


def _score(pack, scorer, path: Path, appraised: bool):
    report = scorer.score(load_ward(path, pack.location)[1])
    if not appraised:
        return report, None
    name = path.stem + ".appraisal.json"
    document = read_appraisal(path.with_name(name), f"cases/{name}")
    appraiser = Appraiser(pack, scorer.evaluator.compiled.branches.values())
    return report, appraiser.appraise(report, document)


def _open(data: bytes) -> DocumentObject:
    return docx.Document(io.BytesIO(data))


def _number(text: str) -> Decimal:
    """'77,69' / '1 234,5' / '+2' / '−3' as a Decimal (Vietnamese or English separators)."""
    text = text.strip().replace("\u2212", "-").replace("+", "")
    text = text.replace(" ", "").replace(",", ".") if "," in text or " " in text else text
    return Decimal(text)


def _cells(row) -> list[str]:
    """A row's cells' texts, a merged cell once per grid column (as python-docx gives it)."""
    return [cell.text for cell in row.cells]


def _tables_headed(document: DocumentObject, first: str) -> list[Table]:
    return [t for t in document.tables if t.rows[0].cells[0].text == first]


def _summary(document: DocumentObject, lang: str = "vi") -> dict[str, list[str]]:
    """The summary table: its rows by label, and its header as the row '' (the columns)."""
    head = "Nội dung" if lang == "vi" else "Item"
    (found,) = _tables_headed(document, head)
    rows = {row.cells[0].text: _cells(row)[1:] for row in found.rows[1:]}
    rows[""] = _cells(found.rows[0])[1:]
    return rows


def _subtotals(document: DocumentObject) -> list[tuple[str, ...]]:
    """Each area table's subtotal row: (maximum, self-assessed, [appraised])."""
    out = []
    for grid in _tables_headed(document, "STT"):
        heads = _cells(grid.rows[0])
        last = _cells(grid.rows[-1])
        if last[0] != "Cộng":
            continue
        values = [last[heads.index("Điểm tối đa")], last[heads.index("Điểm tự chấm")]]
        if "Điểm thẩm định" in heads:
            values.append(last[heads.index("Điểm thẩm định")])
        out.append(tuple(values))
    return out


@pytest.fixture(scope="module")
def appraiser_for():
    return lambda pack, scorer: Appraiser(pack, scorer.evaluator.compiled.branches.values())


@pytest.mark.parametrize(("path", "appraised"), RUNS,
                         ids=[f"{p.stem}{'+appraisal' if a else ''}" for p, a in RUNS])
def test_each_case_carries_the_json_reports_totals(pack, scorer, path, appraised):
    """Self points, maximum, index, band, projected, each area's subtotal and each round's
    appraised total, read from the document's cells, are the JSON report's."""
    report, appraisal = _score(pack, scorer, path, appraised)
    data = json.loads(render_json(report, appraisal))
    document = _open(render_docx(report, appraisal=appraisal))
    rows = _summary(document)
    own, projected = data["self_assessment"], data["projected_appraisal"]
    total = rows["TỔNG ĐIỂM"]
    assert _number(total[0]) == Decimal(str(own["maximum"]))
    assert _number(total[1]) == Decimal(str(own["points"]))
    assert _number(total[2]) == Decimal(str(projected["points"]))
    assert _number(rows["Chỉ số (%)"][1]) == Decimal(str(own["index"]))
    assert _number(rows["Chỉ số (%)"][2]) == Decimal(str(projected["index"]))
    assert rows["Xếp loại"][1] == own["band"]["vi"]
    assert rows["Xếp loại"][2] == projected["band"]["vi"]
    subtotals = _subtotals(document)
    assert len(subtotals) == len(data["areas"]) == len(report.areas)
    for area, cells in zip(data["areas"], subtotals, strict=True):
        assert _number(cells[0]) == Decimal(str(area["self_assessment"]["maximum"]))
        assert _number(cells[1]) == Decimal(str(area["self_assessment"]["points"]))
        if appraised:
            assert _number(cells[2]) == Decimal(str(area["appraised"]["points"]))
    for number, area in enumerate(data["areas"]):
        line = next(v for k, v in rows.items() if k.startswith(f"{number + 1}. "))
        assert _number(line[1]) == Decimal(str(area["self_assessment"]["points"]))
        assert _number(line[2]) == Decimal(str(area["projected_appraisal"]["points"]))
    if not appraised:
        assert len(rows[""]) == 3 and data["appraisal"] is None
        return
    rounds = data["appraisal"]["rounds"]
    assert rows[""][3:] == [f"Thẩm định vòng {r['round']}" for r in rounds]
    for column, item in enumerate(rounds, 3):
        assert _number(total[column]) == Decimal(str(item["total"]["points"]))
        assert _number(rows["Chỉ số (%)"][column]) == Decimal(str(item["total"]["index"]))
    assert _number(total[-1]) == Decimal(str(data["appraised"]["points"]))
    assert rows["Xếp loại"][-1] == data["appraised"]["band"]["vi"]


def test_bonus_and_penalty_points_of_the_second_pack():
    """The second pack's adjustments: the areas' sum, bonus, penalty and the total (its band
    refused for a weak area), as the JSON report gives them."""
    pack = resolve_pack(str(SECOND), None, None)
    report = Scorer(pack).score(load_ward(SECOND_CASE, str(SECOND))[1])
    data = json.loads(render_json(report))
    document = _open(render_docx(report))
    rows = _summary(document)
    adjusted = data["self_assessment"]["adjusted"]
    assert _number(rows["Tổng điểm các lĩnh vực"][1]) == Decimal(str(adjusted["areas_sum"]))
    assert _number(rows["Điểm thưởng"][1]) == Decimal(str(adjusted["bonus"]))
    assert _number(rows["Điểm trừ"][1]) == -Decimal(str(adjusted["penalty"]))
    assert _number(rows["TỔNG ĐIỂM"][1]) == Decimal(str(data["self_assessment"]["points"]))
    assert rows["Xếp loại"][1] == data["self_assessment"]["band"]["vi"]
    texts = [p.text for p in document.paragraphs]
    assert [t for t in texts if t.startswith("Chưa xếp loại")] == [
        "Chưa xếp loại Tốt vì lĩnh vực Cải cách tài chính công đạt dưới 60 % số điểm của lĩnh "
        "vực."]
    # the bonus and penalty rules have their own table, without a subtotal
    tables = _tables_headed(document, "STT")
    assert len(tables) == len(report.areas) + 1
    rules = [_cells(r)[1] for r in tables[-1].rows[1:]]
    assert len(rules) == len(report.adjustments)
    for outcome, cell in zip(report.adjustments, rules, strict=True):
        assert outcome.rule in cell


@pytest.fixture(scope="module")
def phuong5(pack, scorer):
    return _score(pack, scorer, CASES / "phuong5-2024.json", True)


@pytest.fixture(scope="module")
def phuong5_docx(phuong5):
    report, appraisal = phuong5
    return render_docx(report, appraisal=appraisal)


def test_the_page_is_a4_with_the_decrees_margins(phuong5_docx):
    (section,) = _open(phuong5_docx).sections

    def mm(length: int) -> float:  # Word keeps twentieths of a point: A4 is 11 906 × 16 838
        return round(length / Mm(1), 1)

    assert (mm(section.page_width), mm(section.page_height)) == (210, 297)
    assert section.orientation == 0  # portrait
    assert (mm(section.top_margin), mm(section.bottom_margin)) == (20, 20)
    assert (mm(section.left_margin), mm(section.right_margin)) == (30, 15)
    # the page number: a PAGE field centred at the top, not on page 1
    assert section.different_first_page_header_footer
    header = section.header.paragraphs[0]
    assert _field(header).strip() == "PAGE" and header.alignment == 1


def test_every_font_is_times_new_roman(phuong5_docx):
    """Every style, the defaults and every run name Times New Roman for every script (or no
    font, inheriting it); body text 14 pt; no theme font anywhere."""
    document = _open(phuong5_docx)
    styles = document.styles.element
    fonts = styles.findall(f".//{qn('w:rFonts')}")
    body = document.element.body
    fonts += body.findall(f".//{qn('w:rFonts')}")
    assert fonts
    scripts = {qn(f"w:{s}") for s in ("ascii", "hAnsi", "eastAsia", "cs")}
    for tag in fonts:  # every script named (a missing one falls back to another face)
        assert dict(tag.attrib) == dict.fromkeys(scripts, "Times New Roman"), tag.attrib
    defaults = styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/"
                           f"{qn('w:rFonts')}")
    assert {defaults.get(qn(f"w:{s}")) for s in ("ascii", "hAnsi", "eastAsia", "cs")} == \
        {"Times New Roman"}
    normal = document.styles["Normal"]
    assert normal.font.size.pt == 14 and normal.paragraph_format.alignment == 3  # justify
    assert normal.paragraph_format.first_line_indent > 0


def test_the_header_has_the_bodies_quoc_hieu_tieu_ngu_and_date(phuong5_docx):
    header = _open(phuong5_docx).tables[0]
    left, right = ([p for p in cell.paragraphs if p.text] for cell in header.rows[0].cells)
    assert [p.text for p in left] == ["UBND THÀNH PHỐ ĐÔNG HÀ", "ỦY BAN NHÂN DÂN", "PHƯỜNG 5"]
    assert [p.runs[0].bold for p in left] == [None, True, True]
    assert [p.text for p in right] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                                       "Độc lập - Tự do - Hạnh phúc"]
    assert all(p.runs[0].bold for p in right)
    assert right[0].runs[0].font.size.pt in (12, 13) and right[1].runs[0].font.size.pt in (13, 14)
    # a rule under the issuing body and under the Tiêu ngữ
    for cell in header.rows[0].cells:
        assert cell._tc.findall(f".//{qn('w:pBdr')}/{qn('w:top')}")
    number, place = header.rows[1].cells
    assert number.text == "Số:     /BC-UBND"
    # with the appraisal it cites, the report is dated the day of the last round (05/03/2025),
    # never before it (the assessment date, prepared_on, is 15/01/2025)
    assert place.text == "Đông Hà, ngày 05 tháng 3 năm 2025"
    assert place.paragraphs[0].runs[0].italic
    borders = header._tbl.tblPr.find(qn("w:tblBorders"))
    assert {b.get(qn("w:val")) for b in borders} == {"nil"}


def test_title_and_trich_yeu(phuong5_docx):
    texts = [p.text for p in _open(phuong5_docx).paragraphs]
    start = texts.index("BÁO CÁO")
    assert texts[start + 1] == ("Kết quả tự đánh giá, chấm điểm thực hiện\nKế hoạch cải cách "
                                "hành chính năm 2024")
    assert texts[start + 2].startswith("Căn cứ Kế hoạch Cải cách hành chính nhà nước Phường 5 "
                                       "năm 2024")


def _ending(document: DocumentObject) -> Table:
    return next(t for t in document.tables
                if t.rows[0].cells[0].text.startswith(("Nơi nhận:", "Recipients:")))


def test_noi_nhan_and_the_signature_block(phuong5_docx, phuong5):
    left, right = _ending(_open(phuong5_docx)).rows[0].cells
    head, *recipients = left.paragraphs
    assert head.text == "Nơi nhận:" and head.runs[0].bold and head.runs[0].italic
    assert head.runs[0].font.size.pt == 12
    assert [p.text for p in recipients] == ["- Phòng Nội vụ thành phố;", "- Lưu: VT, VP."]
    assert all(p.runs[0].font.size.pt == 11 for p in recipients)
    signed = [p for p in right.paragraphs if p.text]
    assert [p.text for p in signed] == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]
    assert all(p.runs[0].bold for p in signed)
    report, appraisal = phuong5
    signer = Signer(name="Lê Văn An", title="KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH",
                    recipients=("Phòng Nội vụ thành phố Đông Hà;", "Đảng ủy phường",
                                "Lưu: VT"), number="12/BC-UBND")
    document = _open(render_docx(report, appraisal=appraisal, signer=signer))
    left, right = _ending(document).rows[0].cells
    assert [p.text for p in left.paragraphs[1:]] == [
        "- Phòng Nội vụ thành phố Đông Hà;", "- Đảng ủy phường;", "- Lưu: VT."]
    signed = [p for p in right.paragraphs if p.text]
    assert [p.text for p in signed] == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH",
                                        "Lê Văn An"]
    assert signed[-1].runs[0].bold
    assert right.paragraphs[-1].text == "Lê Văn An"
    assert document.tables[0].rows[1].cells[0].text == "Số: 12/BC-UBND"


def test_one_table_per_area_with_each_rule_once(phuong5_docx, phuong5):
    report, appraisal = phuong5
    document = _open(phuong5_docx)
    tables = _tables_headed(document, "STT")
    assert len(tables) == len(report.areas)
    for area, grid in zip(report.areas, tables, strict=True):
        heads = _cells(grid.rows[0])
        assert heads == ["STT", "Tiêu chí", "Điểm tối đa", "Điểm tự chấm",
                         "Tài liệu kiểm chứng", "Điểm thẩm định", "Ý kiến thẩm định"]
        rows = grid.rows[1:-1]
        assert len(rows) == len(area.rules)
        for number, (rule, row) in enumerate(zip(area.rules, rows, strict=True), 1):
            cells = _cells(row)
            assert cells[0] == str(number)
            assert rule in cells[1]
            reason = appraisal.rules[rule].reason
            if reason:  # the city's reason, verbatim
                assert cells[6] == reason
            else:  # or the tool's note, marked as the tool's, or nothing
                assert cells[6] == "" or cells[6].startswith("(máy chấm) ")


def test_every_shortfall_is_listed_in_part_two(phuong5_docx, phuong5):
    report, _ = phuong5
    texts = [p.text for p in _open(phuong5_docx).paragraphs]
    part = texts[texts.index("II. TỒN TẠI, HẠN CHẾ"):]
    listed = {m.group(1) for t in part for m in [re.match(r"- ([A-Z]+-\d+) ", t)] if m}
    short = {o.rule for o in report.outcomes
             if o.status in ("khong_dat", "dat_mot_phan", "thieu_minh_chung", "thieu_du_lieu")}
    assert short and listed == short


def test_every_rule_is_explained_in_the_appendix(phuong5_docx, phuong5):
    report, appraisal = phuong5
    document = _open(phuong5_docx)
    texts = [p.text for p in document.paragraphs]
    start = texts.index("PHỤ LỤC")
    assert document.paragraphs[start].paragraph_format.page_break_before
    assert texts[start + 1] == "GIẢI TRÌNH CÁCH CHẤM TỪNG TIÊU CHÍ"
    heads = [p.text.split(".")[0].removesuffix(" ⚑") for p in document.paragraphs[start:]
             if p.runs and p.runs[0].bold and re.match(r"[A-Z]+-\d+", p.text)]
    assert heads == [o.rule for o in report.outcomes]
    appendix = "\n".join(texts[start:])
    for item in appraisal.rules.values():
        assert item.reason in appendix
    assert report.facts_file.sha256 in appendix and report.pack.sha256 in appendix
    assert appraisal.file_sha256 in appendix
    assert all(r.sha256 in appendix for r in appraisal.rounds)


def test_the_same_report_gives_the_same_bytes(phuong5, phuong5_docx):
    report, appraisal = phuong5
    assert render_docx(report, appraisal=appraisal) == phuong5_docx
    with zipfile.ZipFile(io.BytesIO(phuong5_docx)) as archive:
        assert {i.date_time for i in archive.infolist()} == {(2025, 3, 5, 0, 0, 0)}
        names = archive.namelist()
        assert "docProps/thumbnail.jpeg" not in names and "word/stylesWithEffects.xml" not in names
    props = _open(phuong5_docx).core_properties
    assert props.author == "Văn phòng UBND Phường 5"
    assert props.created == props.modified == dt.datetime(2025, 3, 5, tzinfo=dt.timezone.utc)


def test_the_date_is_the_assessment_date_the_last_round_or_the_signers(phuong5):
    report, appraisal = phuong5

    def place(data: bytes) -> str:
        return _open(data).tables[0].rows[1].cells[1].text

    assert place(render_docx(report)) == "Đông Hà, ngày 15 tháng 01 năm 2025"
    assert place(render_docx(report, appraisal=appraisal)) == "Đông Hà, ngày 05 tháng 3 năm 2025"
    signed = Signer(on=dt.date(2025, 3, 9))
    assert place(render_docx(report, appraisal=appraisal, signer=signed)) == \
        "Đông Hà, ngày 09 tháng 3 năm 2025"


def test_the_office_copy_is_always_filed(phuong5):
    report, _ = phuong5
    text = "\n".join(p.text for p in _open(render_docx(report, signer=Signer(
        recipients=("Phòng Nội vụ thành phố", "Văn phòng HĐND-UBND thành phố")))).paragraphs)
    cells = "\n".join(c.text for t in _open(render_docx(report, signer=Signer(
        recipients=("Phòng Nội vụ thành phố",)))).tables for r in t.rows for c in r.cells)
    assert "- Lưu: VT, VP." in cells or "- Lưu: VT, VP." in text


def test_without_a_date_the_van_thu_fills_it_in(phuong5):
    """No prepared date: the blanks of a draft, and the document dated 31/12 of the plan year,
    never by the clock."""
    report, _ = phuong5
    undated = dataclasses.replace(report, prepared=Prepared(None, None))
    document = _open(render_docx(undated))
    assert document.tables[0].rows[1].cells[1].text == "Đông Hà, ngày    tháng    năm 20…"
    props = document.core_properties
    assert props.created == dt.datetime(2024, 12, 31, tzinfo=dt.timezone.utc)
    assert props.author == "cchc-score " + report.tool.version


def test_english_rendering(phuong5):
    report, appraisal = phuong5
    document = _open(render_docx(report, "en", appraisal))
    header = document.tables[0]
    assert [p.text for p in header.rows[0].cells[1].paragraphs if p.text] == [
        "SOCIALIST REPUBLIC OF VIET NAM", "Independence - Freedom - Happiness"]
    assert header.rows[1].cells[1].text == "Đông Hà, 5 March 2025"  # the last round's day
    rows = _summary(document, "en")
    assert rows["TOTAL"][1] == "77.69" and rows["Band"][1] == "Excellent"
    assert [p.text for p in _ending(document).rows[0].cells[1].paragraphs if p.text] == [
        "ON BEHALF OF THE PEOPLE'S COMMITTEE", "CHAIRPERSON"]
    with pytest.raises(ValueError):
        render_docx(report, "fr")


@pytest.mark.parametrize(("city", "day", "expected"), [
    ("thành phố Đông Hà", dt.date(2025, 1, 15), "Đông Hà, ngày 15 tháng 01 năm 2025"),
    ("thị xã Quảng Trị", dt.date(2025, 2, 5), "Quảng Trị, ngày 05 tháng 02 năm 2025"),
    ("huyện Gio Linh", dt.date(2025, 3, 9), "Gio Linh, ngày 09 tháng 3 năm 2025"),
    ("Thành phố Huế", dt.date(2025, 12, 31), "Huế, ngày 31 tháng 12 năm 2025"),
    (None, None, "Quảng Trị, ngày    tháng    năm 20…"),
])
def test_place_and_date_as_the_decree_writes_them(city, day, expected):
    unit = UnitInfo("Phường 1", city, "tỉnh Quảng Trị")
    assert date_line(locality(unit), day, "vi") == expected
    assert superior(unit, "vi") == f"UBND {city or 'tỉnh Quảng Trị'}".upper()


def _field(paragraph: Paragraph) -> str:
    """The field codes of a paragraph: ' PAGE '."""
    return "".join(t.text for t in paragraph._p.iter(qn("w:instrText")))


def _dump(document: DocumentObject) -> str:
    """Paragraphs and table cells in document order: a paragraph as `style|align: text`, bold
    runs in **, italic in _; a table's rows as `| cell | cell |`, a cell's paragraphs joined
    by ' ¶ '; the page setup and the page-number field first."""
    section = document.sections[0]
    mm = [round(v / Mm(1)) for v in (section.page_width, section.page_height, section.top_margin,
                                     section.bottom_margin, section.left_margin,
                                     section.right_margin)]
    out = ["# page {}x{} mm, margins top {} bottom {} left {} right {}".format(*mm),
           f"# header from page 2:{_field(section.header.paragraphs[0])}"]

    def runs(paragraph: Paragraph) -> str:
        text = ""
        for run in paragraph.runs:
            piece = run.text.replace("\n", "↵")  # a line break inside the paragraph
            if piece and run.italic:
                piece = f"_{piece}_"
            if piece and run.bold:
                piece = f"**{piece}**"
            text += piece
        return text

    def describe(paragraph: Paragraph) -> str:
        align = {None: "", 0: "|l", 1: "|c", 2: "|r", 3: "|j"}[paragraph.alignment]
        brk = "|newpage" if paragraph.paragraph_format.page_break_before else ""
        return f"{paragraph.style.name}{align}{brk}: {runs(paragraph)}".rstrip()

    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            out.append(describe(block))
            continue
        out.append(f"[table {len(block.rows)}x{len(block.columns)}]")
        for row in block.rows:
            seen, cells = set(), []
            for cell in row.cells:
                if id(cell._tc) in seen:
                    continue
                seen.add(id(cell._tc))
                cells.append(" ¶ ".join(runs(p) for p in cell.paragraphs))
            out.append("| " + " | ".join(cells) + " |")
        out.append("[/table]")
    return "\n".join(out) + "\n"


def test_golden_text_of_phuong5_with_its_appraisal(phuong5, phuong5_docx, request):
    """The whole document as text: a changed word, figure, bold or cell is a one-line diff
    (the tool's version and the pack's hash left out, as the JSON golden does)."""
    report, _ = phuong5
    text = _dump(_open(phuong5_docx))
    text = text.replace(report.pack.sha256, "<sha256>")
    text = text.replace(f"{report.tool.name} {report.tool.version}", f"{report.tool.name} "
                        "<version>")
    _golden(request, GOLDEN, text)


def test_hostile_texts_do_not_break_the_document(pack, scorer, tmp_path):
    """XML-special characters print as they are; a control character (no place in XML) is
    shown as U+FFFD; the document opens and says the rest."""
    text = (CASES / "phuong5-2024.json").read_text(encoding="utf-8")
    for old, new in (
            ('"ward": "Phường 5"', "Phường <5> & \"Đông\"\x07"),
            ('"prepared_by": "Văn phòng UBND Phường 5"', "Văn phòng <UBND>\x0b"),
            ('"title": "Báo cáo kết quả thực hiện công tác CCHC năm 2024"',
             "Báo cáo <script>\x1f</script>"),
            ('"value": 6,', "ghi chú \x01 <b>không</b> đậm & ]]>")):
        assert text.count(old) >= 1, old
        key = old.split(":")[0]
        replacement = f"{key}: {json.dumps(new, ensure_ascii=False)}"
        if key == '"value"':  # the note goes beside the value
            replacement = f'"value": 6, "note": {json.dumps(new)},'
        text = text.replace(old, replacement, 1)
    path = tmp_path / "hostile.json"
    path.write_text(text, encoding="utf-8")
    report = scorer.score(load_ward(path, pack.location)[1])
    document = _open(render_docx(report, signer=Signer(name="A\x00B <&>",
                                                         recipients=("<&>\x02",))))
    header = document.tables[0].rows[0].cells[0].text
    assert "PHƯỜNG <5> & \"ĐÔNG\"\ufffd" in header
    texts = "\n".join(p.text for p in document.paragraphs)
    assert "ghi chú: «ghi chú \ufffd <b>không</b> đậm & ]]>»" in texts
    cells = "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert "Báo cáo <script>\ufffd</script>" in cells
    assert "A\ufffdB <&>" in cells and "- <&>\ufffd;" in cells and "- Lưu: VT, VP." in cells
    assert document.core_properties.author == "Văn phòng <UBND>\ufffd"


def test_a_number_never_breaks_across_two_lines(phuong5_docx):
    """4 512,6 is written with a non-breaking space: Word never puts 4 and 512,6 on two
    lines (the newcomer saw "4⏎512,6" with a plain space)."""
    document = _open(phuong5_docx)
    cells = "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    texts = "\n".join(p.text for p in document.paragraphs) + cells
    assert "4\u00a0512,6" in texts
    assert not re.search(r"\d \d{3}(?!\d)", texts)
