"""The rule language, construct by construct: each on a small pack written for it, with the plan
sentence it encodes, scored by durable_rules and by the oracle, which must agree, and explained
in both languages. The second plan (tests/packs/anhoa-2025) uses every one of them whole."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from minipack import count_fact, ratio_metric, write_pack
from oracle import Oracle

from cchc.engine.errors import InputError, PackError
from cchc.engine.facts.check import check_facts
from cchc.engine.facts.read import parse_facts
from cchc.engine.pack.load import load_pack
from cchc.engine.pack.model import Pack
from cchc.scoring.report import Report
from cchc.scoring.score import Scorer

LABEL = {"vi": "nhãn", "en": "label"}
PERCENT = {"vi": "%", "en": "%"}
DAYS = {"vi": "ngày", "en": "days"}
DATE = {"type": "date", "label": {"vi": "Ngày", "en": "Date"}}
YES = {"type": "boolean", "label": {"vi": "Có", "en": "Yes"}}


def _pack(tmp_path, rules, facts, metrics=None, **meta) -> Pack:
    return load_pack(write_pack(tmp_path / "pack", rules, facts, metrics, **meta), "pack")


def _score(pack: Pack, facts: dict[str, Any], previous: dict[str, Any] | None = None,
           prepared_on: str | None = None
           ) -> tuple[Report, dict[str, tuple[str, Decimal, Decimal]]]:
    """The report and the oracle's verdicts, after checking they agree rule by rule."""
    data: dict[str, Any] = {"unit": {"ward": "Phường thử"}, "year": pack.meta.year,
                            "facts": facts}
    if prepared_on is not None:
        data["prepared_on"] = prepared_on
    if previous is not None:
        data["previous_year"] = {"year": pack.meta.year - 1, "facts": previous}
    raw = json.loads(json.dumps(data), parse_float=Decimal)
    ward = check_facts(parse_facts(raw, "ward.json"), pack)
    report = Scorer(pack).score(ward)
    oracle = Oracle(pack).evaluate(ward)
    for outcome in (*report.outcomes, *report.adjustments):
        assert (outcome.status, Decimal(str(outcome.points)),
                Decimal(str(outcome.appraisal_points))) == oracle[outcome.rule], outcome.rule
    return report, oracle


def _outcome(report: Report, rule: str):
    return next(o for o in (*report.outcomes, *report.adjustments) if o.rule == rule)


def _both(outcome) -> str:
    return outcome.explanation.test.vi + " | " + outcome.explanation.test.en


# --- "Hoàn thành tốt nhiệm vụ trở lên": a level compared by its id ---------------------------

LEVELS = {"type": "level", "label": {"vi": "Xếp loại", "en": "Rating"},
          "levels": [{"id": "khong_hoan_thanh", "vi": "Không hoàn thành", "en": "Not done"},
                     {"id": "hoan_thanh", "vi": "Hoàn thành", "en": "Done"},
                     {"id": "hoan_thanh_tot", "vi": "Hoàn thành tốt", "en": "Done well"},
                     {"id": "xuat_sac", "vi": "Hoàn thành xuất sắc", "en": "Excellent"}]}


@pytest.mark.parametrize("given,status", [("hoan_thanh", "khong_dat"),
                                          ("hoan_thanh_tot", "dat"), ("xuat_sac", "dat")])
def test_a_level_is_compared_by_its_id(tmp_path, given, status):
    pack = _pack(tmp_path, [{"id": "BM-01", "test": {"metric": "xep_loai", "op": ">=",
                                                      "value": "hoan_thanh_tot"}}],
                 {"xep_loai": LEVELS})
    report, _ = _score(pack, {"xep_loai": given})
    outcome = _outcome(report, "BM-01")
    assert outcome.status == status
    assert "từ mức «Hoàn thành tốt» trở lên" in _both(outcome)
    assert "«Done well» or better" in _both(outcome)


def test_an_unknown_level_is_a_pack_error(tmp_path):
    with pytest.raises(PackError, match="hoan_thanh_rat_tot"):
        _pack(tmp_path, [{"id": "BM-01", "test": {"metric": "xep_loai", "op": ">=",
                                                   "value": "hoan_thanh_rat_tot"}}],
              {"xep_loai": LEVELS})


def test_a_level_compared_by_position_is_a_pack_error(tmp_path):
    with pytest.raises(PackError, match="compared by id"):
        _pack(tmp_path, [{"id": "BM-01", "test": {"metric": "xep_loai", "op": ">=",
                                                   "value": 2}}], {"xep_loai": LEVELS})


# --- "trước ngày 15/01/2025" and "trong tháng 10/2025" -----------------------------------------

@pytest.mark.parametrize("day,status", [("2025-01-14", "dat"), ("2025-01-15", "khong_dat"),
                                        ("2024-12-31", "khong_dat")])
def test_before_is_strict(tmp_path, day, status):
    pack = _pack(tmp_path, [{"id": "CD-01", "test": {
        "metric": "ngay", "op": "before", "deadline": "2025-01-15",
        "window_from": "2025-01-01"}}], {"ngay": DATE})
    report, _ = _score(pack, {"ngay": day})
    assert _outcome(report, "CD-01").status == status
    if status == "dat":
        assert "trước ngày 15/01/2025" in _both(_outcome(report, "CD-01"))


@pytest.mark.parametrize("day,status,words", [
    ("2025-09-30", "khong_dat", "sớm hơn khoảng thời gian Kế hoạch quy định"),
    ("2025-10-01", "dat", "trong thời hạn 01/10/2025 – 31/10/2025"),
    ("2025-10-31", "dat", "trong thời hạn"), ("2025-11-01", "khong_dat", "muộn 1 ngày")])
def test_a_window_of_its_own(tmp_path, day, status, words):
    # "Tổ chức Hội thi ... trong tháng 10/2025": a contest held in June does not meet it
    pack = _pack(tmp_path, [{"id": "CD-03", "test": {
        "metric": "ngay", "op": "done_by", "deadline": "2025-10-31",
        "window_from": "2025-10-01"}}], {"ngay": DATE})
    report, _ = _score(pack, {"ngay": day})
    assert _outcome(report, "CD-03").status == status
    assert words in _both(_outcome(report, "CD-03"))


# --- "chậm không quá 15 ngày được 50%, chậm trên 15 ngày được 25%" ----------------------------

LATE = {"method": "on_time", "late": [{"days": 15, "share": 0.5},
                                      {"until": "year_end", "share": 0.25}]}
LATE_RULE = {"id": "CD-06", "points": 2, "partial_in_plan": "chậm ...",
             "test": {"metric": "ngay", "op": "before", "deadline": "2025-12-10",
                      "window_from": "2025-01-01"}}


def _late_pack(tmp_path, scoring: dict[str, Any]) -> Pack:
    """"… trước ngày 10/12/2025; gửi chậm …": one dated rule scored by `scoring`."""
    return _pack(tmp_path, [{**LATE_RULE, "scoring": scoring}], {"ngay": DATE})


@pytest.mark.parametrize("day,status,points,tier", [
    ("2025-12-09", "dat", "2.00", None), ("2025-12-10", "dat_mot_phan", "1.00", "15 ngày"),
    ("2025-12-24", "dat_mot_phan", "1.00", "15 ngày"),
    ("2025-12-25", "dat_mot_phan", "0.50", "31/12/2025"),
    ("2025-12-31", "dat_mot_phan", "0.50", "31/12/2025")])
def test_late_tiers_by_days_late(tmp_path, day, status, points, tier):
    pack = _late_pack(tmp_path, LATE)
    report, _ = _score(pack, {"ngay": day})
    outcome = _outcome(report, "CD-06")
    assert (outcome.status, Decimal(str(outcome.points)).quantize(Decimal("0.01"))) == \
        (status, Decimal(points))
    if tier:
        assert tier in _both(outcome)


# --- "trừ 0,5 điểm/hồ sơ, tối đa trừ 1 điểm" ----------------------------------------------------

@pytest.mark.parametrize("units,points", [(0, 2), (1, 1.5), (2, 1), (5, 1)])
def test_deductions_with_a_cap(tmp_path, units, points):
    pack = _pack(tmp_path, [{"id": "TT-02", "points": 2, "partial_in_plan": "trừ ...",
                             "scoring": {"method": "deductions", "per_unit": 0.5,
                                         "max_deduction": 1},
                             "test": {"metric": "so", "op": "==", "value": 0}}],
                 {"so": count_fact()})
    report, _ = _score(pack, {"so": units})
    outcome = _outcome(report, "TT-02")
    assert outcome.points == points
    if units == 5:
        assert "trừ tối đa" in outcome.explanation.scoring.vi


# --- "từ 30% đến dưới 80% theo tỷ lệ trong khoảng; dưới 30% không có điểm" ----------------------

@pytest.mark.parametrize("numerator,points", [(80, 3), (55, 1.5), (30, 0), (29, 0), (100, 3)])
def test_linear_over_a_band_with_a_floor(tmp_path, numerator, points):
    pack = _pack(tmp_path, [{"id": "TT-03", "points": 3, "partial_in_plan": "theo tỷ lệ",
                             "scoring": {"method": "linear", "from": 30},
                             "test": {"metric": "ty_le", "op": ">=", "value": 80}}],
                 {"so": count_fact(), "tong": count_fact()},
                 {"ty_le": ratio_metric("so", "tong")})
    report, _ = _score(pack, {"so": numerator, "tong": 100})
    outcome = _outcome(report, "TT-03")
    assert outcome.points == points
    if numerator == 55:
        assert "3 × (55,0 − 30) / (80 − 30) = 1,5" in outcome.explanation.scoring.vi


# --- "tăng ít nhất 20% so với năm 2024" ---------------------------------------------------------

@pytest.mark.parametrize("before,now,status", [(1000, 1200, "dat"), (1000, 1199, "khong_dat"),
                                               (0, 50, "khong_ap_dung")])
def test_growth_relative_to_last_year(tmp_path, before, now, status):
    pack = _pack(tmp_path, [{"id": "TT-05", "test": {"metric": "tang", "op": ">=",
                                                      "value": 20}}],
                 {"so": count_fact()},
                 {"tang": {"kind": "change", "label": LABEL, "of": "so", "measure": "percent",
                           "unit": PERCENT}})
    report, _ = _score(pack, {"so": now}, {"so": before})
    outcome = _outcome(report, "TT-05")
    assert outcome.status == status
    if status == "dat":
        assert outcome.explanation.test.en == "2024: 1,000 → 2025: 1,200: +20.00 % ≥ 20 %"


# --- "100% hồ sơ VÀ kết quả được số hóa" ---------------------------------------------------------

@pytest.mark.parametrize("combine,a,b,status", [("all", 100, 100, "dat"),
                                                ("all", 100, 99, "khong_dat"),
                                                ("any", 100, 99, "dat"),
                                                ("any", 98, 99, "khong_dat")])
def test_compound_tests(tmp_path, combine, a, b, status):
    metrics = {name: ratio_metric(f"{name}_so", "tong", name) for name in ("hs", "kq")}
    facts = {"hs_so": count_fact(), "kq_so": count_fact(), "tong": count_fact()}
    pack = _pack(tmp_path, [{"id": "TT-06", "test": {combine: [
        {"metric": "hs", "op": ">=", "value": 100}, {"metric": "kq", "op": ">=",
                                                      "value": 100}]}}], facts, metrics)
    report, _ = _score(pack, {"hs_so": a, "kq_so": b, "tong": 100})
    outcome = _outcome(report, "TT-06")
    assert outcome.status == status
    assert (" VÀ " if combine == "all" else " HOẶC ") in outcome.explanation.test.vi
    assert ("✗" in outcome.explanation.test.vi) == (min(a, b) < 100)


def test_a_compound_test_with_partial_credit_is_refused(tmp_path):
    with pytest.raises(PackError, match="all_or_nothing"):
        _pack(tmp_path, [{"id": "TT-06", "partial_in_plan": "x",
                          "scoring": {"method": "linear"}, "test": {"all": [
                              {"metric": "a", "op": ">=", "value": 1},
                              {"metric": "b", "op": ">=", "value": 1}]}}],
              {"a": count_fact(), "b": count_fact()})


# --- "Trường hợp phường được giao vốn đầu tư công: ..." -----------------------------------------

@pytest.mark.parametrize("given,day,status", [(False, "2025-03-01", "khong_ap_dung"),
                                              (True, "2025-03-01", "dat"),
                                              (True, False, "khong_dat"),
                                              (None, "2025-03-01", "thieu_du_lieu")])
def test_applicability_from_a_fact(tmp_path, given, day, status):
    pack = _pack(tmp_path, [
        {"id": "TC-03", "applies_if": {"metric": "duoc_giao_von", "op": "==", "value": True},
         "test": {"metric": "ngay", "op": "before", "deadline": "2025-03-31",
                  "window_from": "2025-01-01"}},
        {"id": "TC-00", "test": {"metric": "duoc_giao_von", "op": "==", "value": True}}],
        {"ngay": DATE, "duoc_giao_von": YES})
    report, _ = _score(pack, {"duoc_giao_von": given, "ngay": day})
    outcome = _outcome(report, "TC-03")
    assert outcome.status == status
    if status == "khong_ap_dung":
        assert "quy tắc chỉ áp dụng khi" in outcome.explanation.test.vi
        assert report.self_assessment.not_applicable == 1


# --- "ít nhất 01 cuộc mỗi 6 tháng" -------------------------------------------------------------

@pytest.mark.parametrize("days,status", [(["2025-03-03", "2025-03-20"], "khong_dat"),
                                         (["2025-06-30", "2025-07-01"], "dat"),
                                         (["2024-12-31", "2025-08-01"], "khong_dat"),
                                         ([], "khong_dat")])
def test_per_period_counts(tmp_path, days, status):
    pack = _pack(tmp_path, [{"id": "CD-04", "test": {"metric": "moi_6_thang", "op": ">=",
                                                      "value": 1}}],
                 {"ngay_kiem_tra": {"type": "dates", "label": {"vi": "Ngày kiểm tra",
                                                               "en": "Inspections"}}},
                 {"moi_6_thang": {"kind": "per_period", "label": LABEL, "of": "ngay_kiem_tra",
                                  "every": "half_year", "unit": {"vi": "cuộc",
                                                                 "en": "inspections"}}})
    report, _ = _score(pack, {"ngay_kiem_tra": days})
    outcome = _outcome(report, "CD-04")
    assert outcome.status == status
    assert "01/01–30/06/2025" in outcome.explanation.test.vi


# --- working days: "trong 03 ngày làm việc kể từ ngày ký", Tết included -------------------------

CALENDAR = {"covers": {"from": "2024-12-01", "to": "2026-01-31"},
            "holidays": [{"from": "2025-01-01", "vi": "Tết Dương lịch", "en": "New Year"},
                         {"from": "2025-01-25", "to": "2025-02-02", "vi": "Tết Nguyên đán",
                          "en": "Lunar New Year"}],
            "working_days": ["2025-04-26"]}


def _working_days_pack(tmp_path):
    """TC-04: at most 3 working days from signing (ngay_ky) to posting (ngay_dang)."""
    return _pack(tmp_path, [{"id": "TC-04", "test": {"metric": "so_ngay", "op": "<=",
                                                      "value": 3}}],
                 {"ngay_ky": DATE, "ngay_dang": DATE},
                 {"so_ngay": {"kind": "days_between", "label": LABEL, "from": "ngay_ky",
                              "to": "ngay_dang", "count": "working", "unit": DAYS}},
                 calendar=CALENDAR)


@pytest.mark.parametrize("signed,posted,status", [
    ("2025-01-24", "2025-02-05", "dat"),       # Fri before Tết → Wed after: 3 working days
    ("2025-01-24", "2025-02-06", "khong_dat"),  # 4 working days
    ("2025-04-24", "2025-04-29", "khong_dat"),  # Sat 26/04 is a make-up working day: 4
    ("2025-03-07", "2025-03-12", "dat"), ("2025-03-07", "2025-03-13", "khong_dat")])
def test_days_between_in_working_days(tmp_path, signed, posted, status):
    pack = _working_days_pack(tmp_path)
    report, _ = _score(pack, {"ngay_ky": signed, "ngay_dang": posted})
    outcome = _outcome(report, "TC-04")
    assert outcome.status == status
    assert "ngày làm việc" in outcome.explanation.test.vi


def test_a_day_outside_the_calendar_or_before_the_start_is_an_input_error(tmp_path):
    pack = _working_days_pack(tmp_path)
    with pytest.raises(InputError) as refused:
        _score(pack, {"ngay_ky": "2025-03-10", "ngay_dang": "2026-02-10"})
    assert "lịch ngày làm việc" in refused.value.problems[0].vi
    with pytest.raises(InputError) as refused:
        _score(pack, {"ngay_ky": "2025-03-10", "ngay_dang": "2025-03-09"})
    assert refused.value.problems[0].where == "$.facts.ngay_dang"


def test_a_deliverable_not_done_never_meets_a_days_limit(tmp_path):
    pack = _pack(tmp_path, [{"id": "TC-05", "test": {"metric": "so_ngay", "op": "<=",
                                                      "value": 30}}],
                 {"ngay_nq": DATE, "ngay_ck": DATE},
                 {"so_ngay": {"kind": "days_between", "label": LABEL, "from": "ngay_nq",
                              "to": "ngay_ck", "unit": DAYS}})
    report, _ = _score(pack, {"ngay_nq": "2024-12-20", "ngay_ck": False})
    assert _outcome(report, "TC-05").status == "khong_dat"
    report, _ = _score(pack, {"ngay_nq": "2024-12-20", "ngay_ck": "2025-01-19"})
    assert _outcome(report, "TC-05").status == "dat"


# --- "cắt giảm tối thiểu 30% thời gian đối với từng TTHC" ---------------------------------------

TABLE = {"type": "table", "label": {"vi": "Thủ tục", "en": "Procedures"}, "key": "ten",
         "columns": {"ten": {"type": "text", "label": {"vi": "Tên", "en": "Name"}},
                     "quy_dinh": {"type": "number", "label": {"vi": "Quy định", "en": "Legal"}},
                     "thuc_te": {"type": "number", "label": {"vi": "Thực tế", "en": "Actual"}}}}


@pytest.mark.parametrize("actual,status", [((7, 14), "dat"), ((7, 14.01), "khong_dat"),
                                           ((0, 2), "dat")])
def test_every_item_is_checked(tmp_path, actual, status):
    pack = _pack(tmp_path, [{"id": "TT-08", "test": {"metric": "dat_30", "op": "==",
                                                      "value": 100}}],
                 {"thu_tuc": TABLE},
                 {"dat_30": {"kind": "each", "label": LABEL, "of": "thu_tuc",
                             "item": {"kind": "reduction", "from": "quy_dinh", "to": "thuc_te"},
                             "meets": {"op": ">=", "value": 30}, "unit": PERCENT}})
    rows = [{"ten": "Chứng thực", "quy_dinh": 10, "thuc_te": actual[0]},
            {"ten": "Khai sinh", "quy_dinh": 20, "thuc_te": actual[1]}]
    report, _ = _score(pack, {"thu_tuc": rows})
    outcome = _outcome(report, "TT-08")
    assert outcome.status == status
    if status == "khong_dat":
        assert "Khai sinh 29,95 % ✗" in outcome.explanation.test.vi
    report, _ = _score(pack, {"thu_tuc": []})
    assert _outcome(report, "TT-08").status == "khong_ap_dung"


# --- bands with an area condition, bonus and penalty points -------------------------------------

def _scored_pack(tmp_path):
    bands = [{"id": "tot", "vi": "Tốt", "en": "Good", "min_index": 85, "min_area_share": 60},
             {"id": "kha", "vi": "Khá", "en": "Fair", "min_index": 70},
             {"id": "yeu", "vi": "Yếu", "en": "Weak", "min_index": 0}]
    rules = [{"id": "A-01", "area": "a", "points": 90, "test": {"metric": "x", "op": "==",
                                                                 "value": True}},
             {"id": "B-01", "area": "b", "points": 10, "partial_in_plan": "theo tỷ lệ",
              "scoring": {"method": "linear"}, "test": {"metric": "y", "op": ">=",
                                                        "value": 100}},
             {"id": "T-01", "area": "thuong_tru", "effect": "bonus", "points": 2,
              "test": {"metric": "sang_kien", "op": "==", "value": True}},
             {"id": "T-02", "area": "thuong_tru", "effect": "penalty", "points": 3,
              "test": {"metric": "phe_binh", "op": "==", "value": True}}]
    adjustments = {"id": "thuong_tru", "vi": "Điểm thưởng, điểm trừ", "en": "Bonus, penalty",
                   "total_cap": 100}
    return _pack(tmp_path, rules, {"x": YES, "y": count_fact(), "sang_kien": YES,
                                   "phe_binh": YES}, bands=bands, adjustments=adjustments)


@pytest.mark.parametrize("y,bonus,penalty,points,band,refused", [
    (100, False, False, 100, "tot", None), (100, True, False, 100, "tot", None),
    (50, False, False, 95, "kha", "tot"), (59, True, False, 97.9, "kha", "tot"),
    (60, False, True, 93, "tot", None), (100, True, True, 97, "tot", None)])
def test_bands_bonus_and_penalty(tmp_path, y, bonus, penalty, points, band, refused):
    # "Tốt từ 85 điểm trở lên và không có lĩnh vực nào đạt dưới 60%"; "+2 (tổng điểm không vượt
    # quá 100)"; "trừ 3 điểm vào tổng điểm"
    pack = _scored_pack(tmp_path)
    report, _ = _score(pack, {"x": True, "y": y, "sang_kien": bonus, "phe_binh": penalty})
    score = report.self_assessment
    assert (score.points, score.band.id) == (points, band)
    assert (score.refused_band.id if score.refused_band else None) == refused
    assert len(report.adjustments) == 2 and len(report.outcomes) == 2
    if bonus:
        assert "cộng 2 điểm" in _outcome(report, "T-01").explanation.scoring.vi


def test_a_bonus_outside_the_adjustments_is_refused(tmp_path):
    with pytest.raises(PackError, match="adjustments"):
        _pack(tmp_path, [{"id": "A-01", "effect": "bonus", "test": {
            "metric": "x", "op": "==", "value": True}},
            {"id": "A-02", "test": {"metric": "y", "op": "==", "value": True}}],
            {"x": YES, "y": YES})


def _compound_pack(tmp_path, combine: str) -> Pack:
    facts = {"hs_so": {**count_fact(), "evidence_required": True},
             "kq_so": {**count_fact(), "evidence_required": True},
             "hs_tong": count_fact(), "kq_tong": count_fact()}
    metrics = {name: ratio_metric(f"{name}_so", f"{name}_tong", name) for name in ("hs", "kq")}
    return _pack(tmp_path, [{"id": "TT-06", "test": {combine: [
        {"metric": "hs", "op": ">=", "value": 100},
        {"metric": "kq", "op": ">=", "value": 100}]}}], facts, metrics)


EVIDENCE = [{"number": "01/BC", "title": "Báo cáo"}]


@pytest.mark.parametrize("combine", ["all", "any"])
@pytest.mark.parametrize("facts,status", [
    # both parts without data, both without evidence: durable_rules fires once per matching
    # disjunct of an $or, so each disjunction is written to match exactly once
    ({}, "thieu_du_lieu"),
    ({"hs_so": 5, "hs_tong": 5, "kq_so": 5, "kq_tong": 5}, "thieu_minh_chung"),
    # nothing received: that part has nothing to do, the other decides; both: not applicable
    ({"hs_so": 0, "hs_tong": 0, "kq_so": {"value": 4, "evidence": EVIDENCE}, "kq_tong": 5},
     "khong_dat"),
    ({"hs_so": 0, "hs_tong": 0, "kq_so": {"value": 5, "evidence": EVIDENCE}, "kq_tong": 5},
     "dat"),
    ({"hs_so": 0, "hs_tong": 0, "kq_so": 0, "kq_tong": 0}, "khong_ap_dung")])
def test_compound_edges(tmp_path, combine, facts, status):
    report, _ = _score(_compound_pack(tmp_path, combine), facts)
    assert _outcome(report, "TT-06").status == status


@pytest.mark.parametrize("posted,status,words", [
    # "trong 30 ngày kể từ ngày HĐND quyết định (20/12/2024)": day 30 is Sunday 19/01/2025, so
    # the limit ends on Monday 20/01 (Điều 148 Bộ luật Dân sự 2015)
    ("2025-01-20", "dat", "Điều 148"), ("2025-01-21", "khong_dat", "32 ngày"),
    ("2025-01-17", "dat", "28 ngày")])
def test_a_limit_ending_on_a_day_off_rolls_over(tmp_path, posted, status, words):
    pack = _pack(tmp_path, [{"id": "TC-04", "test": {"metric": "so_ngay", "op": "<=",
                                                      "value": 30}}],
                 {"ngay_nq": DATE, "ngay_ck": DATE},
                 {"so_ngay": {"kind": "days_between", "label": LABEL, "from": "ngay_nq",
                              "to": "ngay_ck", "rolls_over": True, "unit": DAYS}},
                 calendar=CALENDAR)
    report, _ = _score(pack, {"ngay_nq": "2024-12-20", "ngay_ck": posted})
    outcome = _outcome(report, "TC-04")
    assert outcome.status == status
    assert words in outcome.explanation.test.vi


@pytest.mark.parametrize("day,points", [("2025-12-25", "0.50"), ("2026-03-01", "0.50")])
def test_an_open_ended_late_tier(tmp_path, day, points):
    # "chậm trên 15 ngày được 25% số điểm": however late
    scoring = {"method": "on_time", "late": [{"days": 15, "share": 0.5}, {"share": 0.25}]}
    pack = _late_pack(tmp_path, scoring)
    report, _ = _score(pack, {"ngay": day})
    outcome = _outcome(report, "CD-06")
    assert Decimal(str(outcome.points)).quantize(Decimal("0.01")) == Decimal(points)
    assert "mức chậm trên 15 ngày" in outcome.explanation.test.vi


def test_a_row_not_done_fails_its_limit(tmp_path):
    table = {"type": "table", "label": {"vi": "Thủ tục công bố", "en": "Procedures"},
             "key": "ten", "columns": {
                 "ten": {"type": "text", "label": {"vi": "Tên", "en": "Name"}},
                 "ngay_qd": {"type": "date", "label": {"vi": "Ngày QĐ", "en": "Decision"}},
                 "ngay_ny": {"type": "date", "label": {"vi": "Ngày niêm yết", "en": "Posted"}}}}
    pack = _pack(tmp_path, [{"id": "TT-10", "test": {"metric": "dung_han", "op": "==",
                                                      "value": 100}}], {"cong_bo": table},
                 {"dung_han": {"kind": "each", "label": LABEL, "of": "cong_bo",
                               "item": {"kind": "days_between", "from": "ngay_qd",
                                        "to": "ngay_ny", "count": "working"},
                               "meets": {"op": "<=", "value": 5}, "unit": PERCENT}},
                 calendar=CALENDAR)
    rows = [{"ten": "A", "ngay_qd": "2025-03-03", "ngay_ny": "2025-03-10"},
            {"ten": "B", "ngay_qd": "2025-03-03", "ngay_ny": False}]
    report, _ = _score(pack, {"cong_bo": rows})
    outcome = _outcome(report, "TT-10")
    assert outcome.status == "khong_dat"
    assert "B chưa thực hiện ✗" in outcome.explanation.test.vi


@pytest.mark.parametrize("bound,band", [("min_index", "tot"), ("min_points", "kha")])
def test_bands_by_index_or_by_points(tmp_path, bound, band):
    # 84,5 of 95 scored (5 not applicable): 88,95 % by index ("quy đổi"), 84,5 < 85 by points
    bands = [{"id": "tot", "vi": "Tốt", "en": "Good", bound: 85},
             {"id": "kha", "vi": "Khá", "en": "Fair", bound: 0}]
    rules = [{"id": "A-01", "points": 95, "partial_in_plan": "theo tỷ lệ",
              "scoring": {"method": "linear"}, "test": {"metric": "ty_le", "op": ">=",
                                                        "value": 100}},
             {"id": "A-02", "points": 5, "test": {"metric": "ty_le_von", "op": ">=",
                                                  "value": 100}}]
    metrics = {name: ratio_metric(f"{name}_so", f"{name}_tong") for name in ("ty_le", "ty_le_von")}
    facts = {f"{name}_{part}": count_fact() for name in ("ty_le", "ty_le_von")
             for part in ("so", "tong")}
    pack = _pack(tmp_path, rules, facts, metrics, bands=bands)
    report, _ = _score(pack, {"ty_le_so": 889475, "ty_le_tong": 1000000, "ty_le_von_so": 0,
                              "ty_le_von_tong": 0})
    score = report.self_assessment
    assert (score.points, score.index, score.band.id) == (84.5, 88.95, band)


def _parts_pack(tmp_path, combine: str, parts: int) -> Pack:
    metrics = {f"m{i}": ratio_metric(f"so{i}", f"tong{i}") for i in range(parts)}
    facts = {f"{name}{i}": count_fact() for i in range(parts) for name in ("so", "tong")}
    pack = _pack(tmp_path, [{"id": "TT-06", "test": {combine: [
        {"metric": f"m{i}", "op": ">=", "value": 100} for i in range(parts)]}}], facts, metrics)
    Scorer(pack)  # compiled
    return pack


def test_a_compound_too_large_for_durable_rules_is_a_pack_error(tmp_path):
    # each part able to have nothing to do doubles the alternatives of "all parts met or idle"
    with pytest.raises(PackError, match="split it"):
        _parts_pack(tmp_path, "all", 8)


@pytest.mark.parametrize("combine", ["all", "any"])
@pytest.mark.parametrize("parts", [3, 5])
def test_a_compound_of_several_parts(tmp_path, combine, parts):
    # durable_rules refuses a rule of more than 31 expressions (error 113): every branch is
    # compiled to plain conjunctions, so a compound of several parts (each able to have nothing
    # to do) still compiles and scores
    pack = _parts_pack(tmp_path, combine, parts)
    every = {f"tong{i}": 10 for i in range(parts)}
    report, _ = _score(pack, {**every, **{f"so{i}": 10 for i in range(parts)}})
    assert _outcome(report, "TT-06").status == "dat"
    report, _ = _score(pack, {**every, **{f"so{i}": 10 if i else 9 for i in range(parts)}})
    assert _outcome(report, "TT-06").status == ("khong_dat" if combine == "all" else "dat")
    report, _ = _score(pack, {**{f"tong{i}": 0 if i else 10 for i in range(parts)},
                              **{f"so{i}": 0 if i else 9 for i in range(parts)}})
    assert _outcome(report, "TT-06").status == "khong_dat"


def test_any_rests_on_the_evidence_of_the_parts_that_hold(tmp_path):
    # "any": a part that fails needs no document; a part that holds does
    report, _ = _score(_compound_pack(tmp_path, "any"),
                       {"hs_so": {"value": 5, "evidence": EVIDENCE}, "hs_tong": 5,
                        "kq_so": 4, "kq_tong": 5})
    outcome = _outcome(report, "TT-06")
    assert (outcome.status, outcome.appraisal_points) == ("dat", 1)
    report, _ = _score(_compound_pack(tmp_path / "b", "any"),
                       {"hs_so": {"value": 5, "evidence": EVIDENCE}, "hs_tong": 5,
                        "kq_so": 5, "kq_tong": 5})
    assert _outcome(report, "TT-06").status == "thieu_minh_chung"
