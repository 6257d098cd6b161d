"""The fixed words of the Word report (`reports.docx_report`), Vietnamese and English, and the
parts of the thể thức worked out from the report: the superior body, the place and the date
line as NĐ 30/2020/NĐ-CP writes them."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from cchc.engine.dates import DateFormatError, parse_date
from cchc.scoring.report import UnitInfo


@dataclass(frozen=True)
class Words:
    """The fixed words of the report in one language."""

    nation: str
    motto: str
    committee: str
    number: str
    title: str
    subject: str
    basis: str
    basis_appraised: str
    reports: str
    part_one: str
    part_two: str
    stt: str
    criterion: str
    maximum: str
    at_most: str
    self: str
    evidence: str
    appraised: str
    reason: str
    subtotal: str
    no_evidence: str
    summary: str
    content: str
    projected: str
    round: str
    areas_sum: str
    bonus: str
    penalty: str
    total: str
    not_applicable: str
    pending: str
    scored: str
    index: str
    band: str
    adjustments: str
    total_line: str
    projected_line: str
    appraised_line: str
    band_refused: str
    groups: tuple[tuple[str, str], ...]
    pending_line: str
    evidence_missing: str
    data_missing: str
    warnings: str
    nothing: str
    recipients: str
    appendix: str
    appendix_title: str
    appendix_of: str
    points: str
    by_tool: str


WORDS = {
    "vi": Words(
        nation="CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", motto="Độc lập - Tự do - Hạnh phúc",
        committee="ỦY BAN NHÂN DÂN", number="Số", title="BÁO CÁO",
        subject="Kết quả tự đánh giá, chấm điểm thực hiện\nKế hoạch cải cách hành chính năm {year}",
        basis="Căn cứ {plan} của {issuer} (ban hành ngày {issued});",
        basis_appraised="Căn cứ kết quả thẩm định của {office} (vòng {round}, ngày {on});",
        reports="{unit} báo cáo kết quả tự đánh giá, chấm điểm thực hiện Kế hoạch cải cách hành "
                "chính năm {year} như sau:",
        part_one="I. KẾT QUẢ TỰ CHẤM ĐIỂM", part_two="II. TỒN TẠI, HẠN CHẾ",
        stt="STT", criterion="Tiêu chí", maximum="Điểm tối đa", at_most="tối đa",
        self="Điểm tự chấm",
        evidence="Tài liệu kiểm chứng", appraised="Điểm thẩm định", reason="Ý kiến thẩm định",
        subtotal="Cộng", no_evidence="Chưa có tài liệu kiểm chứng",
        summary="Tổng hợp kết quả", content="Nội dung", projected="Dự kiến thẩm định",
        round="Thẩm định vòng {n}", areas_sum="Tổng điểm các lĩnh vực", bonus="Điểm thưởng",
        penalty="Điểm trừ", total="TỔNG ĐIỂM", not_applicable="Điểm không áp dụng",
        pending="Điểm chờ kết quả", scored="Điểm tối đa được chấm (tính chỉ số)",
        index="Chỉ số (%)", band="Xếp loại", adjustments="Điểm thưởng, điểm trừ",
        total_line="Tổng điểm tự chấm: {points}/{scored} điểm được chấm (tối đa {maximum} "
                   "điểm); Chỉ số {index} %; xếp loại {band}.",
        projected_line="Điểm dự kiến thẩm định (không tính điểm của tiêu chí thiếu tài liệu "
                       "kiểm chứng): {points} điểm; Chỉ số {index} %; xếp loại {band}.",
        appraised_line="Điểm thẩm định (vòng {n}, ngày {on}): {points} điểm; Chỉ số {index} %; "
                       "xếp loại {band}.",
        band_refused="Chưa xếp loại {band} vì lĩnh vực {areas} đạt dưới {share} % số điểm của "
                     "lĩnh vực.",
        groups=(("khong_dat", "Tiêu chí không đạt"), ("dat_mot_phan", "Tiêu chí đạt một phần"),
                ("thieu_minh_chung", "Tiêu chí thiếu tài liệu kiểm chứng"),
                ("thieu_du_lieu", "Tiêu chí chưa có số liệu")),
        pending_line="Tiêu chí chờ kết quả công bố (chưa tính vào điểm tối đa): {rules}.",
        evidence_missing="thiếu tài liệu kiểm chứng", data_missing="chưa có số liệu",
        warnings="Số liệu cần kiểm tra lại", nothing="Không có.", recipients="Nơi nhận:",
        appendix="PHỤ LỤC", appendix_title="GIẢI TRÌNH CÁCH CHẤM TỪNG TIÊU CHÍ",
        appendix_of="(Kèm theo Báo cáo số {number} của {unit})", points="điểm",
        by_tool="máy chấm"),
    "en": Words(
        nation="SOCIALIST REPUBLIC OF VIET NAM", motto="Independence - Freedom - Happiness",
        committee="PEOPLE'S COMMITTEE", number="No.", title="REPORT",
        subject="Results of the self-assessment and scoring\nof the {year} administrative reform "
                "plan",
        basis="Pursuant to {plan} by {issuer} (issued on {issued});",
        basis_appraised="Pursuant to the appraisal by {office} (round {round}, {on});",
        reports="{unit} reports the results of its self-assessment and scoring of the {year} "
                "administrative reform plan as follows:",
        part_one="I. SELF-ASSESSMENT SCORES", part_two="II. SHORTCOMINGS",
        stt="No.", criterion="Criterion", maximum="Max", at_most="max", self="Self",
        evidence="Evidence", appraised="City", reason="City's reason",
        subtotal="Subtotal", no_evidence="No evidence yet",
        summary="Summary", content="Item", projected="Projected appraisal",
        round="Appraisal round {n}", areas_sum="Sum of the areas", bonus="Bonus points",
        penalty="Penalty points", total="TOTAL", not_applicable="Points not applicable",
        pending="Points pending a result", scored="Maximum scored (for the index)",
        index="Index (%)", band="Band", adjustments="Bonus and penalty points",
        total_line="Self-assessed total: {points}/{scored} points scored (maximum {maximum}); "
                   "index {index} %; band {band}.",
        projected_line="Projected appraisal (without the points of rules whose evidence is "
                       "missing): {points} points; index {index} %; band {band}.",
        appraised_line="Appraised (round {n}, {on}): {points} points; index {index} %; band "
                       "{band}.",
        band_refused="Not banded {band}: area {areas} is below {share} % of its points.",
        groups=(("khong_dat", "Rules not met"), ("dat_mot_phan", "Rules partly met"),
                ("thieu_minh_chung", "Rules missing evidence"),
                ("thieu_du_lieu", "Rules without data")),
        pending_line="Rules pending a published result (left out of the maximum): {rules}.",
        evidence_missing="evidence missing", data_missing="no data",
        warnings="Figures to check", nothing="None.", recipients="Recipients:",
        appendix="APPENDIX", appendix_title="HOW EACH RULE WAS SCORED",
        appendix_of="(Attached to report No. {number} of {unit})", points="points",
        by_tool="by the tool"),
}

SIGNER_EN = {"TM. ỦY BAN NHÂN DÂN": "ON BEHALF OF THE PEOPLE'S COMMITTEE",
             "CHỦ TỊCH": "CHAIRPERSON", "Phòng Nội vụ thành phố": "Home Affairs Office of the city",
             "Lưu: VT, VP": "Filed: VT, VP"}

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
_LOCALITY = re.compile(r"^\s*(thành phố|thị xã|huyện|quận|tỉnh)\s+", re.IGNORECASE)


def locality(unit: UnitInfo) -> str:
    """Where the report is made: the city's name without 'thành phố', 'thị xã', 'huyện' (the
    province's, the ward's when there is no city)."""
    for name in (unit.city, unit.province):
        if name and name.strip():
            return _LOCALITY.sub("", name).strip()
    return unit.ward.strip()


def superior(unit: UnitInfo, lang: str) -> str | None:
    """The body above the ward, upper-cased: 'UBND THÀNH PHỐ ĐÔNG HÀ'."""
    name = next((n.strip() for n in (unit.city, unit.province) if n and n.strip()), None)
    if name is None:
        return None
    return f"UBND {name}".upper() if lang == "vi" else f"PEOPLE'S COMMITTEE OF {name}".upper()


def report_date(text: str | None) -> dt.date | None:
    """The date the report is prepared (dd/mm/yyyy or ISO), None when absent or unreadable."""
    if not text:
        return None
    try:
        return parse_date(text)
    except DateFormatError:
        return None


def date_line(place: str, day: dt.date | None, lang: str) -> str:
    """'Đông Hà, ngày 15 tháng 01 năm 2025': a day below 10 and the months 1 and 2 with a
    leading 0 (NĐ 30/2020, Phụ lục I, mục II.5); blanks for the văn thư without a date."""
    if lang != "vi":
        return f"{place}, …" if day is None else \
            f"{place}, {day.day} {_MONTHS[day.month - 1]} {day.year}"
    if day is None:
        return f"{place}, ngày    tháng    năm 20…"
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"
