"""The scoring sheet (reports/sheet_xlsx*.py): every case renders with the tool's own totals;
its formulas, computed by an evaluator (`formulas`), give exactly the tool's figures with every
weight 1 and move as they should when the city changes a weight, points, a status, a band's
threshold, the area condition or the cap; texts never become formulas; the bytes are
deterministic; the golden dump pins the layout (cases/expected/phuong5-2024.sheet.xlsx.txt)."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
import re
import shutil
import subprocess
import zipfile
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import CASES, ROOT
from test_cases import _golden

from cchc.engine.appraisal.read import read_appraisal
from cchc.engine.inputs import load_ward
from cchc.engine.pack.load import resolve_pack
from cchc.reports.json_report import render_json
from cchc.reports.sheet_xlsx import render_sheet
from cchc.reports.sheet_xlsx_words import WORDS
from cchc.scoring.appraisal import Appraiser
from cchc.scoring.report import Report
from cchc.scoring.score import Scorer

CASE_FILES = sorted(p for p in CASES.glob("*.json") if not p.name.endswith(".appraisal.json"))
SECOND = ROOT / "tests" / "packs" / "anhoa-2025"
SECOND_CASE = SECOND / "case" / "anhoa-2025.json"
GOLDEN = CASES / "expected" / "phuong5-2024.sheet.xlsx.txt"
VI = WORDS["vi"]


# --- rendering the cases -----------------------------------------------------------------
@dataclasses.dataclass
class Book:
    """A rendered case: its report, appraisal, manifest, bytes and the sheet read back."""

    name: str
    report: Report
    appraisal: Any
    meta: Any
    data: bytes

    @property
    def sheet(self) -> Any:
        return openpyxl.load_workbook(io.BytesIO(self.data)).worksheets[0]

    @property
    def json(self) -> dict[str, Any]:
        return json.loads(render_json(self.report, self.appraisal))


def _appraise(pack, scorer, report, path: Path):
    document = read_appraisal(path, f"cases/{path.name}")
    return Appraiser(pack, scorer.evaluator.compiled.branches.values()).appraise(report,
                                                                                  document)


@pytest.fixture(scope="module")
def books(pack, scorer) -> dict[str, Book]:
    """Every case alone and, where it has one, with its appraisal; the second pack's ward."""
    out = {}
    for path in CASE_FILES:
        report = scorer.score(load_ward(path, pack.location)[1])
        name = path.name.removesuffix(".json")
        out[name] = Book(name, report, None, pack.meta, render_sheet(report, pack=pack.meta))
        appraisal_file = path.with_name(f"{name}.appraisal.json")
        if appraisal_file.exists():
            appraisal = _appraise(pack, scorer, report, appraisal_file)
            out[f"{name}+appraisal"] = Book(f"{name}+appraisal", report, appraisal, pack.meta,
                                            render_sheet(report, appraisal=appraisal,
                                                         pack=pack.meta))
    second = resolve_pack(str(SECOND), None, None)
    report = Scorer(second).score(load_ward(SECOND_CASE, str(SECOND))[1])
    out["anhoa-2025"] = Book("anhoa-2025", report, None, second.meta,
                             render_sheet(report, pack=second.meta))
    return out


def _rows(sheet, label: str) -> list[int]:
    """The rows whose column D reads `label`."""
    return [cell.row for cell in sheet["D"] if cell.value == label]


def _rule_rows(sheet) -> dict[str, int]:
    """Rule id -> its row in the rule table."""
    return {cell.value: cell.row for cell in sheet["B"]
            if isinstance(cell.value, str) and re.fullmatch(r"[A-Z]+-\d+", cell.value)}


# --- the evaluator -----------------------------------------------------------------------
def excel_round(value: float, digits: float) -> float:
    """ROUND as Excel and LibreOffice compute it: the number's 15 significant digits, rounded
    half away from zero. `formulas` 1.3 rounds the binary value (ROUND(0.575; 2) = 0.57 there,
    0.58 in Excel and LibreOffice), so the tests give it Excel's."""
    exact = Decimal(f"{float(value):.15g}")
    return float(exact.quantize(Decimal(1).scaleb(-int(digits)), rounding=ROUND_HALF_UP))


class Computed:
    """A workbook compiled by `formulas`; `values(changes)` computes every cell, with some
    input cells changed as a reviewer would type them."""

    def __init__(self, path: Path) -> None:
        import formulas
        from formulas.functions import get_functions, wrap_ufunc

        get_functions()["ROUND"] = wrap_ufunc(excel_round)
        self.model = formulas.ExcelModel().loads(str(path)).finish()
        self.prefix = f"'[{path.name}]{VI.sheet.upper()}'!"
        self._base: dict[str, Any] | None = None

    def values(self, changes: dict[str, Any] | None = None) -> dict[str, Any]:
        if not changes and self._base is not None:
            return self._base
        solution = self.model.calculate(
            inputs={self.prefix + ref: value for ref, value in (changes or {}).items()})
        out = {}
        for key, ranges in solution.items():
            ref = key.rsplit("!", 1)[1]
            if ":" not in ref:
                out[ref] = _scalar(ranges.value[0][0] if hasattr(ranges, "value") else ranges)
        if not changes:
            self._base = out
        return out


def _scalar(value: Any) -> Any:
    if isinstance(value, str):
        return value
    try:
        return float(value)
    except (TypeError, ValueError):
        return None  # an empty cell


@pytest.fixture(scope="module")
def computed(books, tmp_path_factory) -> dict[str, Computed]:
    pytest.importorskip("formulas")
    folder = tmp_path_factory.mktemp("sheets")
    out = {}
    for name, book in books.items():
        if any(other.startswith(f"{name}+") for other in books):
            continue  # its appraised book computes the same self-assessment summary
        path = folder / f"{name}.xlsx"
        path.write_bytes(book.data)
        out[name] = Computed(path)
    return out


def _half_up(part: Fraction, whole: Fraction) -> float:
    """The tool's index: part / whole × 100, half-up to 2 decimals, as `percent_of` does."""
    scaled = part / whole * 10000
    return (int(scaled) + (1 if scaled - int(scaled) >= Fraction(1, 2) else 0)) / 100


# --- every case --------------------------------------------------------------------------
def _summary(sheet, number: int) -> dict[str, int]:
    """Rows of summary `number` (0: self-assessment, 1: appraisal): total, band."""
    return {"total": _rows(sheet, VI.total)[number], "band": _rows(sheet, VI.band)[number]}


def test_every_case_renders_with_the_tools_own_totals(books):
    """Each case (alone and appraised, and the second pack's ward) opens, and its static
    "Theo cchc-score" cells are the JSON report's figures."""
    assert len(books) == len(CASE_FILES) + 3
    for book in books.values():
        sheet, data = book.sheet, book.json
        scores = [data["self_assessment"]] + ([data["appraised"]] if book.appraisal else [])
        for number, score in enumerate(scores):
            rows = _summary(sheet, number)
            assert sheet[f"J{rows['total']}"].value == score["points"], book.name
            assert sheet[f"K{rows['total']}"].value == score["index"], book.name
            assert sheet[f"K{rows['band']}"].value == score["band"]["vi"], book.name
            assert sheet[f"I{rows['total']}"].value == pytest.approx(
                score["maximum"] - score["not_applicable"] - score["pending"])
        projected = data["projected_appraisal"]
        row = next(r for r in range(1, sheet.max_row + 1)
                   if str(sheet[f"D{r}"].value).startswith(VI.projected[:20]))
        assert (sheet[f"J{row}"].value, sheet[f"K{row}"].value) == (
            projected["points"], projected["index"])
        rules = _rule_rows(sheet)
        outcomes = data["outcomes"] + data["adjustments"]
        assert list(rules) == [o["rule"] for o in outcomes]
        for outcome in outcomes:
            row = rules[outcome["rule"]]
            assert sheet[f"J{row}"].value == outcome["points"]
            assert sheet[f"E{row}"].value == outcome["maximum"]
            assert sheet[f"H{row}"].value == outcome["status_label"]["vi"]
            if book.appraisal:
                assert sheet[f"Q{row}"].value == outcome["appraisal"]["final_points"]


def test_the_second_packs_sheet_has_bonus_penalty_cap_and_the_refused_band(books):
    sheet, data = books["anhoa-2025"].sheet, books["anhoa-2025"].json
    score = data["self_assessment"]
    assert score["adjusted"] == {"areas_sum": 86.5, "bonus": 2.0, "penalty": 3.0}
    for label, value in ((VI.areas_sum, 86.5), (VI.bonus, 2.0), (VI.penalty, 3.0)):
        assert sheet[f"J{_rows(sheet, label)[-1]}"].value == value
    assert sheet[f"G{_rows(sheet, VI.cap)[0]}"].value == 100
    refused = [cell.value for cell in sheet["D"] if str(cell.value).startswith("Theo cchc-score:")]
    assert refused and "Tốt" in refused[0] and "Cải cách tài chính công" in refused[0]


# --- the formulas, computed --------------------------------------------------------------
def test_with_every_weight_1_the_formulas_give_the_tools_figures(books, computed):
    """Computed, not read: each area's and each total's maximum scored, points, index and band
    equal the tool's, and no "≠" shows anywhere."""
    assert len(computed) == 6
    for name, model in computed.items():
        book, values = books[name], model.values()
        sheet, data = book.sheet, book.json
        scores = [(data["self_assessment"], [a["self_assessment"] for a in data["areas"]])]
        if book.appraisal:
            scores.append((data["appraised"], [a["appraised"] for a in data["areas"]]))
        for number, (score, areas) in enumerate(scores):
            rows = _summary(sheet, number)
            total = rows["total"]
            assert round(values[f"G{total}"], 2) == score["points"], name
            assert values[f"H{total}"] == score["index"], name
            assert round(values[f"F{total}"], 2) == score["maximum"] - score["not_applicable"] \
                - score["pending"]
            assert values[f"H{rows['band']}"] == score["band"]["vi"], name
            for area, score_of_area in zip(data["areas"], areas, strict=True):
                row = _rows(sheet, area["vi"])[1 + number]  # heading, then each summary
                assert round(values[f"G{row}"], 2) == score_of_area["points"], name
                assert values[f"H{row}"] == (
                    "" if score_of_area["index"] is None else score_of_area["index"]), name
        flags = [ref for ref, value in values.items() if value == "≠"]
        assert flags == [], (name, flags)


@pytest.fixture(scope="module")
def phuong5(books, computed) -> tuple[Book, Computed]:
    return books["phuong5-2024+appraisal"], computed["phuong5-2024+appraisal"]


def test_a_weight_moves_its_area_and_the_totals_exactly(phuong5):
    """Weight 2 on CDDH-01 (met, 1,5 points): its area and the total gain 1,5 in maximum and
    points, the index is worked out again, and "≠" marks what changed."""
    book, model = phuong5
    sheet = book.sheet
    row = _rule_rows(sheet)["CDDH-01"]
    self_total = _summary(sheet, 0)["total"]
    appraised_total = _summary(sheet, 1)["total"]
    values = model.values({f"F{row}": 2})
    data = book.json
    for total, score in ((self_total, data["self_assessment"]),
                         (appraised_total, data["appraised"])):
        scored = Fraction(str(score["maximum"] - score["not_applicable"] - score["pending"]))
        points = Fraction(str(score["points"])) + Fraction(3, 2)
        assert round(values[f"G{total}"], 2) == float(points)
        assert values[f"F{total}"] == float(scored + Fraction(3, 2))
        assert values[f"H{total}"] == _half_up(points, scored + Fraction(3, 2))
        assert values[f"L{total}"] == "≠"
    area = _rows(sheet, "Công tác chỉ đạo, điều hành")
    assert values[f"E{area[1]}"] == 13.5 and values[f"L{area[1]}"] == "≠"
    assert values[f"L{area[2]}"] == "≠"
    assert values[f"L{area[1] + 1}"] == ""  # the next area is unchanged


def test_a_rules_points_and_its_status_move_the_totals(phuong5):
    """Points typed into a rule go into the sum; a status set to Không áp dụng takes its
    maximum out of the maximum scored."""
    book, model = phuong5
    sheet = book.sheet
    rows = _rule_rows(sheet)
    total = _summary(sheet, 0)["total"]
    base = model.values()
    values = model.values({f"J{rows['TCC-01']}": 2})  # 1,86 -> 2
    assert round(values[f"G{total}"] - base[f"G{total}"], 2) == 0.14
    values = model.values({f"H{rows['TTHC-09']}": "Không áp dụng"})  # 0 / 2,5
    assert values[f"F{total}"] == base[f"F{total}"] - 2.5
    assert values[f"H{total}"] == _half_up(Fraction("77.69"), Fraction("80.5"))
    appraised = _summary(sheet, 1)["total"]
    assert values[f"F{appraised}"] == base[f"F{appraised}"]  # its own status column
    values = model.values({f"N{rows['TTHC-09']}": "Chờ kết quả"})
    assert (values[f"F{total}"], values[f"F{appraised}"]) == (
        base[f"F{total}"], base[f"F{appraised}"] - 2.5)


def test_band_thresholds_are_read_from_the_band_table(phuong5):
    """Xuất sắc from 95 instead of 90: the self-assessment (93,60 %) is Tốt; the pack's
    thresholds are data on the sheet, not in the formulas."""
    book, model = phuong5
    sheet = book.sheet
    first = _rows(sheet, "Xuất sắc")[-1]
    assert sheet[f"B{first}"].value == "xuat_sac" and sheet[f"E{first}"].value == 90
    band = _summary(sheet, 0)["band"]
    values = model.values({f"E{first}": 95})
    assert values[f"H{band}"] == "Tốt" and values[f"L{band}"] == "≠"
    assert all("90" not in str(cell.value) for row in sheet.iter_rows() for cell in row
               if str(cell.value).startswith("=") and "INDEX" in str(cell.value))


def test_the_area_condition_on_a_band_is_a_formula(books, computed):
    """anhoa-2025: 90,00 % but Khá, since Cải cách tài chính công is at 40 % (below 60 %). The
    formulas say the same; with the condition cleared, or the area re-weighted above 60 %, the
    band is Tốt."""
    sheet, model = books["anhoa-2025"].sheet, computed["anhoa-2025"]
    band = _summary(sheet, 0)["band"]
    values = model.values()
    assert values[f"H{band}"] == "Khá"
    assert values[f"H{band + 1}"] == 40.0  # the lowest area share
    good = _rows(sheet, "Tốt")[-1]
    assert sheet[f"G{good}"].value == 60
    assert model.values({f"G{good}": 39})[f"H{band}"] == "Tốt"
    rows = _rule_rows(sheet)
    area = [r for r, o in ((rows[o.rule], o) for o in books["anhoa-2025"].report.outcomes)
            if o.area == "tai_chinh_cong" and o.status in ("khong_dat",)]
    assert area
    changed = model.values({f"F{r}": 0 for r in area})
    assert changed[f"H{band + 1}"] >= 60 and changed[f"H{band}"] == "Tốt"


def test_bands_in_points_with_an_area_condition(pack_copy, tmp_path):
    """A pack banding by points ("Khá từ 70 điểm", each area at 30 % of its full points): the
    tool refuses Khá to Phường 5 (77,69 points, but VIII at 5 of 20 = 25 %) and gives Trung
    bình; the sheet's formulas read the same from its band table and each area's share of its
    full maximum; with the condition at 25 %, Khá."""
    pytest.importorskip("formulas")
    for band, bound in (("xuat_sac", "90"), ("tot", "80"), ("kha", "70"),
                        ("trung_binh", "50"), ("yeu", "0")):
        path = pack_copy / "pack.yaml"
        text = path.read_text(encoding="utf-8")
        line = next(row for row in text.splitlines() if row.strip().startswith(f"- {{id: {band},"))
        condition = ", min_area_share: 30" if band == "kha" else ""
        path.write_text(text.replace(line, line.replace(f"min_index: {bound}}}",
                                                        f"min_points: {bound}{condition}}}")),
                        encoding="utf-8")
    points_pack = resolve_pack(str(pack_copy), None, None)
    assert all(band.min_points is not None for band in points_pack.meta.bands)
    report = Scorer(points_pack).score(load_ward(CASES / "phuong5-2024.json",
                                                 str(pack_copy))[1])
    score = report.self_assessment
    assert (score.points, score.band.id, score.refused_band.id) == (77.69, "trung_binh", "kha")
    path = tmp_path / "points.xlsx"
    path.write_bytes(render_sheet(report, pack=points_pack.meta))
    sheet = openpyxl.load_workbook(path).worksheets[0]
    model = Computed(path)
    rows = _summary(sheet, 0)
    values = model.values()
    assert values[f"H{rows['band']}"] == "Trung bình" == sheet[f"K{rows['band']}"].value
    assert values[f"H{rows['band'] + 1}"] == 25.0  # the lowest share, of the full maximum
    assert [cell.value for cell in sheet["L"] if cell.value == "≠"] == []
    fair = _rows(sheet, "Khá")[-1]
    assert sheet[f"F{fair}"].value == VI.by_points and sheet[f"G{fair}"].value == 30
    assert model.values({f"G{fair}": 25})[f"H{rows['band']}"] == "Khá"


def test_bonus_cap_and_penalty_are_formulas(books, computed):
    """anhoa-2025: 86,5 + 2 − 3 = 85,5. A cap of 87 takes the total to 87 − 3 = 84; a cap of 80
    to 77; no penalty, 88,5; weights on the bonus rule count."""
    sheet, model = books["anhoa-2025"].sheet, computed["anhoa-2025"]
    total = _summary(sheet, 0)["total"]
    cap = _rows(sheet, VI.cap)[0]
    assert model.values()[f"G{total}"] == 85.5
    assert model.values({f"G{cap}": 87})[f"G{total}"] == 84
    assert model.values({f"G{cap}": 80})[f"G{total}"] == 77
    values = model.values({f"G{cap}": 80})
    assert values[f"H{total}"] == _half_up(Fraction(77), Fraction(95))
    rows = _rule_rows(sheet)
    penalty = next(o.rule for o in books["anhoa-2025"].report.adjustments
                   if o.info.effect == "penalty")
    bonus = next(o.rule for o in books["anhoa-2025"].report.adjustments
                 if o.info.effect == "bonus" and o.points)
    assert model.values({f"F{rows[penalty]}": 0})[f"G{total}"] == 88.5
    assert model.values({f"F{rows[bonus]}": 2, f"G{cap}": 200})[f"G{total}"] == 87.5
    assert model.values({f"F{rows[penalty]}": 40})[f"G{total}"] == 0  # never below 0


def _binary_round(value: float) -> float:
    """ROUND(value; 2) on the double itself (as `formulas` 1.3 computes it)."""
    return float(Decimal(value * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)) / 100


def _on_the_boundary(book: Book) -> tuple[dict[str, float], Fraction, Fraction]:
    """Changes to the self-assessment that put its index exactly on …5 at the 3rd decimal,
    where binary arithmetic rounds the wrong way: weight 0 on a met rule of 2 points and one
    of 1 (80 scored: 83 has no total on such a boundary), TCC-01's points moved to make the
    total 74,66 (74,66 / 80 × 100 = 93,325, 93.32499… as a double; the tool gives 93,33).
    Returns the changes, the total and the maximum scored."""
    sheet, score = book.sheet, book.report.self_assessment
    rows = _rule_rows(sheet)
    scored = Fraction(score.scored_maximum) - 3
    left = Fraction(str(score.points)) - 3
    target = next(p for p in (left + Fraction(k, 100) for k in range(-50, 50))
                  if (p / scored * 10000).denominator == 2
                  and _binary_round(float(p) / float(scored) * 100) != _half_up(p, scored))
    out = [next(o.rule for o in book.report.outcomes if o.status == "dat" and o.maximum == m)
           for m in (2, 1)]
    partial = Fraction(str(sheet[f"J{rows['TCC-01']}"].value)) + target - left
    return ({f"F{rows[out[0]]}": 0, f"F{rows[out[1]]}": 0,
             f"J{rows['TCC-01']}": float(partial)}, target, scored)


def test_the_index_rounds_half_up_as_the_tool_does(phuong5):
    """A total whose index falls exactly on …5 at the third decimal: ROUND gives the tool's
    half-up figure (Excel and LibreOffice round the decimal number, as `excel_round`; the
    LibreOffice test below checks the same total)."""
    book, model = phuong5
    changes, target, scored = _on_the_boundary(book)
    total = _summary(book.sheet, 0)["total"]
    values = model.values(changes)
    assert (values[f"F{total}"], round(values[f"G{total}"], 2)) == (80, float(target))
    assert values[f"H{total}"] == _half_up(target, scored) == 93.33


# --- hostile texts -----------------------------------------------------------------------
INJECTIONS = ('=HYPERLINK("http://example.invalid/x","bấm vào đây")', "=cmd|' /C calc'!A0",
              "=1+1", "@SUM(1+1)", "+1-2", "-2+3")


@pytest.fixture(scope="module")
def hostile(pack, scorer, tmp_path_factory) -> tuple[bytes, Report]:
    """phuong5-2024 with formula-like and control-character texts: in the ward's name, the
    preparer, a fact's note, an evidence title; and a city's reason in the appraisal."""
    data = json.loads((CASES / "phuong5-2024.json").read_text(encoding="utf-8"))
    data["unit"]["ward"] = "=HYPERLINK(\"http://example.invalid\",\"Phường 5\")\x01\x0b"
    data["prepared_by"] = "=cmd|' /C calc'!A0\x1f\uffff"
    fact = data["facts"]["ngay_ban_hanh_ke_hoach_cchc"]
    fact["note"] = "\n".join(INJECTIONS) + "\x07 chuông"
    fact["evidence"][0]["title"] = "=1+1 Kế hoạch\x08"
    folder = tmp_path_factory.mktemp("hostile")
    facts = folder / "phuong5-2024.json"
    facts.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    report = scorer.score(load_ward(facts, pack.location)[1])
    return render_sheet(report, pack=pack.meta), report


def test_a_text_starting_with_equals_is_written_as_text(hostile, pack, scorer, tmp_path):
    """A note "=HYPERLINK(…)" or "=cmd|…" is a text cell (no <f> in the sheet's XML): the
    evaluator reads it back as the same text, never a link or a command."""
    data, _ = hostile
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    row = _rule_rows(sheet)["CDDH-01"]
    note = sheet[f"M{row}"]
    assert note.data_type == "s" and all(text in note.value for text in INJECTIONS)
    assert sheet[f"L{row}"].data_type == "s" and sheet[f"L{row}"].value.startswith("Số")
    ward = sheet["D2"]
    assert ward.data_type == "s" and ward.value.startswith("=HYPERLINK")
    assert sheet["D6"].data_type == "s" and sheet["D6"].value.startswith("=cmd|")
    xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    formulas_in_xml = re.findall(r"<f>(.*?)</f>", xml)
    assert formulas_in_xml and not any("HYPERLINK" in f or "cmd" in f or f == "1+1"
                                       for f in formulas_in_xml)
    # the city's reason, from an appraisal file
    appraisal_file = json.loads((CASES / "phuong5-2024.appraisal.json").read_text("utf-8"))
    decision = appraisal_file["rounds"][-1]["decisions"][0]
    decision["reason"] = "=HYPERLINK(\"http://example.invalid\")"  # no control character:
    # the appraisal reader refuses one
    path = tmp_path / "phuong5-2024.appraisal.json"
    path.write_text(json.dumps(appraisal_file, ensure_ascii=False), encoding="utf-8")
    report = scorer.score(load_ward(CASES / "phuong5-2024.json", pack.location)[1])
    appraised = render_sheet(report, appraisal=_appraise(pack, scorer, report, path),
                             pack=pack.meta)
    sheet = openpyxl.load_workbook(io.BytesIO(appraised)).worksheets[0]
    reason = sheet[f"S{_rule_rows(sheet)[decision['rule']]}"]
    assert reason.data_type == "s"
    assert reason.value == "=HYPERLINK(\"http://example.invalid\")"
    pytest.importorskip("formulas")
    path = tmp_path / "appraised.xlsx"
    path.write_bytes(appraised)
    values = Computed(path).values()
    assert values[reason.coordinate] == reason.value


def test_control_characters_do_not_break_the_file(hostile):
    """Characters XML cannot hold become U+FFFD; line breaks and tabs stay."""
    data, _ = hostile
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    assert "Phường 5\")\ufffd\ufffd, thành phố" in sheet["D2"].value
    assert sheet["D6"].value == "=cmd|' /C calc'!A0\ufffd\ufffd, 15/01/2025"
    row = _rule_rows(sheet)["CDDH-01"]
    assert "\n" in sheet[f"M{row}"].value and "\ufffd chuông" in sheet[f"M{row}"].value
    assert sheet[f"L{row}"].value.endswith("=1+1 Kế hoạch\ufffd")
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]",
                         "".join(str(cell.value) for r in sheet.iter_rows() for cell in r))


def test_an_over_long_text_is_cut_to_what_a_cell_holds(books):
    from cchc.reports.sheet_xlsx_table import clean

    assert len(clean("x" * 40000)) == 32767 and clean("x" * 40000).endswith("…")
    assert clean("a\tb\nc\x00d\ud800") == "a\tb\nc\ufffdd\ufffd"


# --- the file ----------------------------------------------------------------------------
def test_the_bytes_are_deterministic_and_dated_from_the_report(books, pack):
    book = books["phuong5-2024+appraisal"]
    assert render_sheet(book.report, appraisal=book.appraisal, pack=pack.meta) == book.data
    with zipfile.ZipFile(io.BytesIO(book.data)) as archive:
        stamps = {item.date_time for item in archive.infolist()}
    assert stamps == {(2025, 3, 5, 0, 0, 0)}  # the last round's date
    properties = openpyxl.load_workbook(io.BytesIO(book.data)).properties
    assert properties.created == dt.datetime(2025, 1, 15)  # prepared on 15/01/2025
    assert properties.modified == dt.datetime(2025, 3, 5)
    assert properties.creator == "cchc-score"
    alone = books["phuong5-2024"]
    with zipfile.ZipFile(io.BytesIO(alone.data)) as archive:
        assert {item.date_time for item in archive.infolist()} == {(2025, 1, 15, 0, 0, 0)}


def test_the_sheet_is_laid_out_for_review_and_print(books):
    """Frozen under the column heads, a filter on the rule table, A4 landscape fitted to the
    width with the heads on every page; points are numbers in 0.00, indexes in %."""
    sheet = books["phuong5-2024+appraisal"].sheet
    head = next(cell.row for cell in sheet["A"] if cell.value == "STT")
    assert sheet.freeze_panes == f"C{head + 1}"
    assert sheet.print_title_rows == f"${head}:${head}"
    rules = _rule_rows(sheet)
    assert sheet.auto_filter.ref == f"A{head}:S{max(rules.values())}"
    setup = sheet.page_setup
    assert (int(setup.paperSize), setup.orientation, setup.fitToWidth,
            setup.fitToHeight) == (int(sheet.PAPERSIZE_A4), "landscape", 1, 0)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.column_dimensions["D"].width >= 40 and sheet.column_dimensions["L"].width >= 40
    row = rules["TCC-01"]
    for column in "EJQ":
        assert sheet[f"{column}{row}"].data_type == "n"
        assert sheet[f"{column}{row}"].number_format == "0.00"
    assert sheet[f"K{row}"].value == f"=J{row}*F{row}"
    assert sheet[f"M{row}"].alignment.wrap_text
    total = _summary(sheet, 0)["total"]
    assert sheet[f"H{total}"].number_format == '0.00" %"'
    assert sheet[f"H{total}"].value.startswith("=IF(F")
    validation = sheet.data_validations.dataValidation[0]
    assert "Không áp dụng" in validation.formula1 and f"H{head + 1}" in str(validation.sqref)


def test_english_labels(books, pack):
    book = books["phuong5-2024+appraisal"]
    data = render_sheet(book.report, "en", book.appraisal, pack=pack.meta)
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    assert sheet.title == "Scoring sheet"
    words = WORDS["en"]
    assert _rows(sheet, words.total) and _rows(sheet, "Direction and management")
    row = _rule_rows(sheet)["CV-05"]
    assert sheet[f"H{row}"].value == "Not applicable"
    assert '"Not applicable"' in sheet[f"I{row}"].value
    assert sheet[f"K{_rows(sheet, words.band)[0]}"].value == "Excellent"


def test_the_packs_manifest_is_read_again_when_not_given(books):
    """Without `pack=`, the manifest is read from the pack the report names — only when its
    pack.yaml hashes as the report records."""
    book = books["phuong5-2024"]
    assert render_sheet(book.report) == book.data
    second = books["anhoa-2025"]
    assert render_sheet(second.report) == second.data  # a pack folder (--pack DIR)
    files = tuple((name, "0" * 64 if name == "pack.yaml" else digest)
                  for name, digest in book.report.pack.files)
    other = dataclasses.replace(book.report, pack=dataclasses.replace(book.report.pack,
                                                                      files=files))
    with pytest.raises(ValueError, match="pack="):
        render_sheet(other)


def test_with_nothing_scored_there_is_no_index_and_no_band(phuong5):
    """Every rule set to Chờ kết quả: the maximum scored is 0, the index empty and the band
    "—", as the tool gives none (no division by zero, no band read from an empty index)."""
    book, model = phuong5
    sheet = book.sheet
    rows = _summary(sheet, 0)
    values = model.values({f"H{row}": "Chờ kết quả" for row in _rule_rows(sheet).values()})
    assert values[f"F{rows['total']}"] == 0 and values[f"H{rows['total']}"] == ""
    assert values[f"H{rows['band']}"] == "—"


# --- the golden and LibreOffice ----------------------------------------------------------
def dump(data: bytes) -> str:
    """The workbook as text: properties, the sheet's layout, then every cell of the used range
    (coordinate, type, value or formula, number format)."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    out = [f"# properties: creator {book.properties.creator}; created "
           f"{book.properties.created}; modified {book.properties.modified}"]
    for sheet in book.worksheets:
        setup = sheet.page_setup
        out += [f"# sheet {sheet.title!r}: used {sheet.dimensions}; frozen {sheet.freeze_panes};"
                f" filter {sheet.auto_filter.ref}; print titles {sheet.print_title_rows}; paper "
                f"{setup.paperSize} {setup.orientation}, fit {setup.fitToWidth}×"
                f"{setup.fitToHeight}",
                "# widths: " + " ".join(f"{key}={dim.width:g}" for key, dim in
                                        sorted(sheet.column_dimensions.items())),
                "# merged: " + " ".join(sorted(str(r) for r in sheet.merged_cells.ranges)),
                "# lists: " + "; ".join(f"{v.sqref} {v.formula1}" for v in
                                        sheet.data_validations.dataValidation)]
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is None:
                    continue
                value = json.dumps(cell.value, ensure_ascii=False) \
                    if isinstance(cell.value, str) else repr(cell.value)
                out.append(f"{cell.coordinate}\t{cell.data_type}\t{value}\t{cell.number_format}")
    return "\n".join(out) + "\n"


def test_golden_sheet_of_phuong5_with_its_appraisal(books, request):
    _golden(request, GOLDEN, dump(books["phuong5-2024+appraisal"].data))


def test_libreoffice_computes_the_same_totals(books, tmp_path):
    """The same sheet recomputed by LibreOffice (when installed): its totals, indexes and bands
    are the tool's; and with the changes that put the index on a rounding boundary, the tool's
    half-up figure."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    book = books["phuong5-2024+appraisal"]
    source = tmp_path / "sheet.xlsx"
    source.write_bytes(book.data)
    changes, target, scored = _on_the_boundary(book)
    edited = openpyxl.load_workbook(io.BytesIO(book.data))
    for ref, value in changes.items():
        edited.worksheets[0][ref] = value
    edited.save(tmp_path / "edited.xlsx")
    done = subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path}/profile",
                           "--headless", "--calc", "--convert-to", "csv:Text - txt - csv "
                           "(StarCalc):44,34,76,1,,0,false,true,false,false,false",
                           "--outdir", str(tmp_path), str(source), str(tmp_path / "edited.xlsx")],
                          capture_output=True, timeout=180, check=False)
    if not (tmp_path / "sheet.csv").exists() or not (tmp_path / "edited.csv").exists():
        pytest.skip(f"LibreOffice could not convert: {done.stderr.decode()[-300:]}")
    sheet, data = book.sheet, book.json

    def cell(name: str, ref: str) -> str:
        rows = list(csv.reader((tmp_path / f"{name}.csv").open(encoding="utf-8")))
        match = re.fullmatch(r"([A-Z])(\d+)", ref)
        assert match is not None
        return rows[int(match[2]) - 1][ord(match[1]) - 65]

    for number, score in enumerate((data["self_assessment"], data["appraised"])):
        rows_of = _summary(sheet, number)
        assert float(cell("sheet", f"G{rows_of['total']}")) == score["points"]
        assert float(cell("sheet", f"H{rows_of['total']}")) == score["index"]
        assert cell("sheet", f"H{rows_of['band']}") == score["band"]["vi"]
        assert cell("sheet", f"L{rows_of['total']}") == ""
    total = _summary(sheet, 0)["total"]
    assert float(cell("edited", f"G{total}")) == float(target)
    assert float(cell("edited", f"H{total}")) == _half_up(target, scored) == 93.33
