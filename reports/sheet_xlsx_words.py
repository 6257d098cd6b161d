"""The fixed words of the scoring sheet (`reports.sheet_xlsx`), Vietnamese and English."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SheetWords:
    """Every label of the scoring sheet in one language."""

    sheet: str
    title: str
    title_appraised: str
    unit: str
    year: str
    pack: str
    not_shipped: str
    plan: str
    prepared: str
    facts: str
    appraisal_file: str
    rounds: str
    last_hash: str
    how_to: str
    index_rule: str
    columns: dict[str, str]
    round_column: str
    bonus: str
    penalty: str
    ward_note: str
    tool_note: str
    summary: str
    summary_appraised: str
    summary_columns: dict[str, str]
    areas_sum: str
    cap: str
    total: str
    band: str
    min_share: str
    projected: str
    after_round: str
    refused: str
    bands_title: str
    band_columns: dict[str, str]
    by_index: str
    by_points: str
    no_band: str


WORDS = {
    "vi": SheetWords(
        sheet="Biểu chấm điểm",
        title="BIỂU TỰ CHẤM ĐIỂM CẢI CÁCH HÀNH CHÍNH NĂM {year}",
        title_appraised="BIỂU TỰ CHẤM ĐIỂM VÀ THẨM ĐỊNH CẢI CÁCH HÀNH CHÍNH NĂM {year}",
        unit="Đơn vị",
        year="Năm",
        pack="Gói quy tắc",
        not_shipped="KHÔNG phải gói đi kèm công cụ",
        plan="Kế hoạch",
        prepared="Người lập, ngày lập",
        facts="Tệp dữ kiện (sha256)",
        appraisal_file="Tệp thẩm định (sha256)",
        rounds="Các vòng thẩm định",
        last_hash="Mã vòng cuối",
        how_to="Cách dùng: sửa Hệ số (mặc định 1), điểm, trạng thái (chọn trong danh sách), "
               "trần tổng điểm hoặc ngưỡng xếp loại (các ô màu vàng); tổng điểm, chỉ số % và "
               "xếp loại tính lại bằng công thức. Các cột “Theo cchc-score” giữ kết quả của "
               "công cụ; “≠” đánh dấu chỗ công thức cho kết quả khác.",
        index_rule="Chỉ số % = Tổng điểm / (Tối đa − không áp dụng − chờ kết quả) × 100, làm "
                   "tròn 2 chữ số; tiêu chí “Không áp dụng”, “Chờ kết quả” không tính vào tối "
                   "đa; xếp loại theo bảng xếp loại cuối biểu (kể cả điều kiện mỗi lĩnh vực).",
        columns={
            "no": "STT", "rule": "Mã tiêu chí", "requirements": "Yêu cầu",
            "title": "Nội dung tiêu chí", "max": "Điểm tối đa", "weight": "Hệ số",
            "wmax": "Tối đa × hệ số", "status": "Trạng thái", "scored": "Tối đa tính chỉ số",
            "points": "Điểm tự chấm", "wpoints": "Điểm tự chấm × hệ số",
            "evidence": "Tài liệu kiểm chứng", "note": "Ghi chú",
            "a_status": "Trạng thái thẩm định", "a_scored": "Tối đa tính chỉ số (thẩm định)",
            "a_points": "Điểm thẩm định", "a_wpoints": "Điểm thẩm định × hệ số",
            "reason": "Lý do (thẩm định)"},
        round_column="Sau vòng {n}",
        bonus="Điểm thưởng (cộng vào tổng điểm, không tính vào điểm tối đa)",
        penalty="Điểm trừ (trừ vào tổng điểm)",
        ward_note="Ghi chú của phường",
        tool_note="[cchc-score]",
        summary="TỔNG HỢP TỰ ĐÁNH GIÁ",
        summary_appraised="TỔNG HỢP THẨM ĐỊNH (vòng {n}, kết quả cuối)",
        summary_columns={
            "area": "Lĩnh vực", "wmax": "Tối đa × hệ số", "scored": "Tối đa tính chỉ số",
            "points": "Điểm × hệ số", "index": "Chỉ số % / xếp loại",
            "tool_scored": "Theo cchc-score: tối đa tính chỉ số",
            "tool_points": "Theo cchc-score: điểm",
            "tool_index": "Theo cchc-score: chỉ số % / xếp loại",
            "flag": "So với cchc-score", "share": "Tỷ lệ % trên tối đa (điều kiện xếp loại)"},
        areas_sum="Cộng các lĩnh vực",
        cap="Trần tổng điểm (điểm thưởng không làm tổng điểm vượt quá)",
        total="TỔNG ĐIỂM, CHỈ SỐ %",
        band="XẾP LOẠI",
        min_share="Tỷ lệ thấp nhất của một lĩnh vực (điều kiện xếp loại)",
        projected="Dự kiến thẩm định theo cchc-score (không tính điểm của tiêu chí thiếu tài "
                  "liệu kiểm chứng): {band}",
        after_round="Sau vòng {n} theo cchc-score: {band}",
        refused="Theo cchc-score: không xếp loại {band} vì lĩnh vực {areas} đạt dưới {share} % "
                "(công thức ở bảng xếp loại xét cùng điều kiện)",
        bands_title="BẢNG XẾP LOẠI (theo gói quy tắc; sửa ngưỡng thì xếp loại tính lại)",
        band_columns={
            "id": "Mã", "name": "Xếp loại", "bound": "Ngưỡng (từ)", "kind": "Tính theo",
            "share": "Mỗi lĩnh vực tối thiểu %", "self": "Đạt (tự đánh giá)",
            "appraised": "Đạt (thẩm định)"},
        by_index="chỉ số %",
        by_points="điểm",
        no_band="—",
    ),
    "en": SheetWords(
        sheet="Scoring sheet",
        title="CCHC SELF-ASSESSMENT SCORING SHEET {year}",
        title_appraised="CCHC SELF-ASSESSMENT AND APPRAISAL SCORING SHEET {year}",
        unit="Unit",
        year="Year",
        pack="Rule pack",
        not_shipped="NOT the pack shipped with the tool",
        plan="Plan",
        prepared="Prepared by, on",
        facts="Facts file (sha256)",
        appraisal_file="Appraisal file (sha256)",
        rounds="Appraisal rounds",
        last_hash="Last round's hash",
        how_to="How to use: change a Weight (1 by default), points, a status (from the list), "
               "the total cap or a band's threshold (the yellow cells); the totals, index % and "
               "band follow by formula. The “cchc-score” columns keep the tool's own results; "
               "“≠” marks where the formulas now give something else.",
        index_rule="Index % = total points / (maximum − not applicable − pending) × 100, rounded "
                   "to 2 decimals; “Not applicable” and “Pending” rules are left out of the "
                   "maximum; the band is read from the band table at the end (area condition "
                   "included).",
        columns={
            "no": "No.", "rule": "Rule", "requirements": "Requirements",
            "title": "Criterion", "max": "Max points", "weight": "Weight",
            "wmax": "Max × weight", "status": "Status", "scored": "Max scored",
            "points": "Self points", "wpoints": "Self points × weight",
            "evidence": "Evidence", "note": "Notes",
            "a_status": "Appraised status", "a_scored": "Max scored (appraised)",
            "a_points": "Appraised points", "a_wpoints": "Appraised points × weight",
            "reason": "Reason (appraisal)"},
        round_column="After round {n}",
        bonus="Bonus points (added to the total, not part of the maximum)",
        penalty="Penalty points (taken off the total)",
        ward_note="Ward's note",
        tool_note="[cchc-score]",
        summary="SELF-ASSESSMENT SUMMARY",
        summary_appraised="APPRAISAL SUMMARY (round {n}, final)",
        summary_columns={
            "area": "Area", "wmax": "Max × weight", "scored": "Max scored",
            "points": "Points × weight", "index": "Index % / band",
            "tool_scored": "cchc-score: max scored", "tool_points": "cchc-score: points",
            "tool_index": "cchc-score: index % / band", "flag": "Against cchc-score",
            "share": "% of the maximum (band condition)"},
        areas_sum="Sum of the areas",
        cap="Total cap (bonus points never take the total above it)",
        total="TOTAL, INDEX %",
        band="BAND",
        min_share="Lowest share of an area (band condition)",
        projected="Projected appraisal by cchc-score (without points whose required evidence "
                  "is missing): {band}",
        after_round="After round {n}, by cchc-score: {band}",
        refused="By cchc-score: not {band}, as area {areas} is below {share} % (the band "
                "table's formulas test the same condition)",
        bands_title="BANDS (the rule pack's; change a threshold and the band follows)",
        band_columns={
            "id": "Id", "name": "Band", "bound": "From", "kind": "By",
            "share": "Each area at least %", "self": "Reached (self-assessment)",
            "appraised": "Reached (appraisal)"},
        by_index="index %",
        by_points="points",
        no_band="—",
    ),
}
