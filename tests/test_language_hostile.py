"""Hostile rule packs and facts for the new constructs of the rule language, each a finding of
the attack on it: a pack error (exit 3) or an input error (exit 2) naming the place, never an
internal error, never a wrong score."""

from __future__ import annotations

import pytest
from minipack import count_fact, ratio_metric
from test_language import (
    CALENDAR,
    DATE,
    DAYS,
    LABEL,
    LATE_RULE,
    LEVELS,
    PERCENT,
    TABLE,
    _late_pack,
    _outcome,
    _pack,
    _score,
)

from cchc.engine.errors import InputError, PackError
from cchc.engine.facts.check import check_facts
from cchc.engine.facts.plausible import plausibility_warnings
from cchc.engine.facts.read import parse_facts
from cchc.engine.pack.load import load_pack


@pytest.mark.parametrize("late,words", [
    ([{"share": 0.5}, {"days": 5, "share": 0.25}], "must be the last"),
    ([{"days": 15, "share": 0.25}, {"days": 5, "share": 0.5}], "larger share"),
    ([{"days": 5, "share": 0}, {"days": 15, "share": 0.5}], "larger share"),
    ([{"days": 15, "share": 0.5}, {"days": 5, "share": 0.25}], "increasing order")])
def test_late_tiers_out_of_order_are_refused(tmp_path, late, words):
    with pytest.raises(PackError, match=words):
        _late_pack(tmp_path, {"method": "on_time", "late": late})


@pytest.mark.parametrize("deadline", ["0001-01-01", "9999-12-31"])
def test_dates_far_outside_any_plan_are_refused(tmp_path, deadline):
    rule = {**LATE_RULE, "test": {**LATE_RULE["test"], "deadline": deadline,
                                  "window_from": "0001-01-01"}}
    with pytest.raises(PackError):
        _pack(tmp_path, [rule], {"ngay": DATE})


def _days_pack(tmp_path, op: str = "<=", extra: dict | None = None, **meta):
    metrics = {"so_ngay": {"kind": "days_between", "label": LABEL, "from": "ngay_nq",
                           "to": "ngay_ck", "unit": DAYS, **(extra or {})}}
    return _pack(tmp_path, [{"id": "TC-04", "test": {"metric": "so_ngay", "op": op,
                                                      "value": 30}}],
                 {"ngay_nq": DATE, "ngay_ck": DATE}, metrics, **meta)


def test_days_to_a_deliverable_are_tested_upward_only(tmp_path):
    # '>= 30 days' would be met by a deliverable never done
    with pytest.raises(PackError, match="not done never meets it"):
        _days_pack(tmp_path, ">=")


def test_nothing_is_computed_from_days_to_a_deliverable(tmp_path):
    metrics = {"so_ngay": {"kind": "days_between", "label": LABEL, "from": "ngay_nq",
                           "to": "ngay_ck", "unit": DAYS},
               "ty_le": ratio_metric("so_ngay", "tong")}
    with pytest.raises(PackError, match="rules test it directly"):
        _pack(tmp_path, [{"id": "TC-04", "test": {"metric": "ty_le", "op": ">=", "value": 1}}],
              {"ngay_nq": DATE, "ngay_ck": DATE, "tong": count_fact()}, metrics)


def test_a_day_counted_from_that_is_not_known_is_no_data(tmp_path):
    # not 'not applicable': a ward cannot take a duty out of its maximum by writing false
    report, _ = _score(_days_pack(tmp_path), {"ngay_nq": False, "ngay_ck": False})
    assert _outcome(report, "TC-04").status == "thieu_du_lieu"


def test_a_roll_over_outside_the_calendar_is_refused(tmp_path):
    pack = _days_pack(tmp_path, extra={"rolls_over": True}, calendar=CALENDAR)
    with pytest.raises(InputError, match="lịch ngày làm việc"):
        _score(pack, {"ngay_nq": "2024-01-10", "ngay_ck": "2024-02-12"})


def test_a_rule_cannot_apply_only_when_it_is_met(tmp_path):
    metrics = {"ty_le": ratio_metric("so", "tong")}
    with pytest.raises(PackError, match="could never be 'not met'"):
        _pack(tmp_path, [{"id": "TC-02", "applies_if": {"metric": "ty_le", "op": ">=",
                                                         "value": 105},
                          "test": {"metric": "ty_le", "op": ">=", "value": 105}}],
              {"so": count_fact(), "tong": count_fact()}, metrics)


def test_every_ward_gets_a_band(tmp_path):
    bands = [{"id": "tot", "vi": "Tốt", "en": "Good", "min_index": 85},
             {"id": "yeu", "vi": "Yếu", "en": "Weak", "min_index": 0, "min_area_share": 100}]
    with pytest.raises(PackError, match="every ward must get a band"):
        _pack(tmp_path, [{"id": "A-01", "test": {"metric": "so", "op": ">=", "value": 1}}],
              {"so": count_fact()}, bands=bands)


def test_a_catalogue_value_too_large_is_refused(tmp_path):
    folder = tmp_path / "pack"
    _pack(tmp_path, [{"id": "A-01", "test": {"metric": "so", "op": ">=", "value": 1}}],
          {"so": count_fact()})
    text = (folder / "requirements.yaml").read_text(encoding="utf-8")
    (folder / "requirements.yaml").write_text(text.replace(
        "en: words", "en: words\n  measures: [{what: x, op: '>=', value: 1e999999999, "
        "quote_vi: x}]", 1), encoding="utf-8")
    with pytest.raises(PackError, match="measures"):
        load_pack(folder, "pack")


def test_table_numbers_cannot_be_negative(tmp_path):
    metrics = {"dat_30": {"kind": "each", "label": LABEL, "of": "thu_tuc",
                          "item": {"kind": "reduction", "from": "quy_dinh", "to": "thuc_te"},
                          "meets": {"op": ">=", "value": 30}, "unit": PERCENT}}
    pack = _pack(tmp_path, [{"id": "TT-08", "test": {"metric": "dat_30", "op": "==",
                                                      "value": 100}}], {"thu_tuc": TABLE},
                 metrics)
    with pytest.raises(InputError) as refused:
        _score(pack, {"thu_tuc": [{"ten": "a", "quy_dinh": -10, "thuc_te": -5}]})
    assert refused.value.problems[0].where == "$.facts.thu_tuc[0].quy_dinh"


def test_a_level_id_typed_wins_over_another_levels_label(tmp_path):
    levels = {**LEVELS, "levels": [{**LEVELS["levels"][0], "vi": "hoan_thanh_tot"},
                                   *LEVELS["levels"][1:]]}
    pack = _pack(tmp_path, [{"id": "BM-01", "test": {"metric": "xep_loai", "op": ">=",
                                                      "value": "hoan_thanh_tot"}}],
                 {"xep_loai": levels})
    report, _ = _score(pack, {"xep_loai": "hoan_thanh_tot"})
    assert _outcome(report, "BM-01").status == "dat"


def test_dates_in_a_list_after_the_assessment_date_stay_out_of_the_appraisal(tmp_path):
    pack = _pack(tmp_path, [{"id": "CD-04", "test": {"metric": "moi_6_thang", "op": ">=",
                                                      "value": 1}}],
                 {"ngay_kiem_tra": {"type": "dates", "label": LABEL}},
                 {"moi_6_thang": {"kind": "per_period", "label": LABEL, "of": "ngay_kiem_tra",
                                  "every": "half_year", "unit": DAYS}})
    facts = {"ngay_kiem_tra": ["2025-03-01", "2025-11-20"]}
    report, _ = _score(pack, facts, prepared_on="2025-08-01")
    outcome = _outcome(report, "CD-04")
    assert (outcome.status, outcome.points, outcome.appraisal_points) == ("dat", 1, 0)
    document = parse_facts({"unit": {"ward": "Phường thử"}, "year": 2025,
                            "prepared_on": "2025-08-01", "facts": facts}, "ward.json")
    warnings = plausibility_warnings(document, check_facts(document, pack), pack, None)
    assert [(w.code, w.json_path) for w in warnings if w.code == "ngay_sau_ngay_danh_gia"] == \
        [("ngay_sau_ngay_danh_gia", "$.facts.ngay_kiem_tra[1]")]


def test_a_penalty_cannot_need_evidence(tmp_path):
    facts = {"x": {"type": "boolean", "label": LABEL},
             "phe_binh": {"type": "boolean", "label": LABEL, "evidence_required": True}}
    rules = [{"id": "A-01", "test": {"metric": "x", "op": "==", "value": True}},
             {"id": "T-02", "area": "thuong_tru", "effect": "penalty", "points": 3,
              "test": {"metric": "phe_binh", "op": "==", "value": True}}]
    with pytest.raises(PackError, match="penalty would vanish"):
        _pack(tmp_path, rules, facts, adjustments={"id": "thuong_tru", "vi": "Thưởng, trừ",
                                                   "en": "Bonus, penalty"})


def test_a_listed_date_outside_the_plan_year_is_warned_about(tmp_path):
    pack = _pack(tmp_path, [{"id": "CD-04", "test": {"metric": "moi_6_thang", "op": ">=",
                                                      "value": 1}}],
                 {"ngay_kiem_tra": {"type": "dates", "label": LABEL}},
                 {"moi_6_thang": {"kind": "per_period", "label": LABEL, "of": "ngay_kiem_tra",
                                  "every": "half_year", "unit": DAYS}})
    document = parse_facts({"unit": {"ward": "Phường thử"}, "year": 2025,
                            "facts": {"ngay_kiem_tra": ["2025-03-01", "2024-11-20"]}},
                           "ward.json")
    warnings = plausibility_warnings(document, check_facts(document, pack), pack, None)
    assert ("ngay_ngoai_nam", "$.facts.ngay_kiem_tra[1]") in {(w.code, w.json_path)
                                                             for w in warnings}


def test_a_compound_of_too_many_parts_is_refused_at_once(tmp_path):
    # counted before it is built: 8 parts, each able to have nothing to do, would make
    # thousands of durable_rules rules; more than 8 parts is refused by the schema
    metrics = {f"m{i}": ratio_metric("so", f"tong{i}") for i in range(9)}
    facts = {"so": count_fact(), **{f"tong{i}": count_fact() for i in range(9)}}
    with pytest.raises(PackError, match="at most 8"):
        _pack(tmp_path, [{"id": "TT-06", "test": {"all": [
            {"metric": f"m{i}", "op": ">=", "value": 100} for i in range(9)]}}], facts, metrics)


def test_a_huge_days_limit_is_explained_without_rolling_over(tmp_path):
    metrics = {"so_ngay": {"kind": "days_between", "label": LABEL, "from": "ngay_nq",
                           "to": "ngay_ck", "unit": DAYS, "rolls_over": True}}
    pack = _pack(tmp_path, [{"id": "TC-04", "test": {"metric": "so_ngay", "op": "<=",
                                                      "value": 1000000000}}],
                 {"ngay_nq": DATE, "ngay_ck": DATE}, metrics, calendar=CALENDAR)
    report, _ = _score(pack, {"ngay_nq": "2024-12-20", "ngay_ck": "2025-01-20"})
    assert "31 ngày" in _outcome(report, "TC-04").explanation.test.vi


def test_facts_of_a_rule_that_cannot_apply_are_not_asked_for(tmp_path):
    # "Trường hợp được giao vốn": a ward with no capital is not told its disbursement is empty
    pack = _pack(tmp_path, [
        {"id": "TC-03", "applies_if": {"metric": "duoc_giao_von", "op": "==", "value": True},
         "test": {"metric": "ngay", "op": "before", "deadline": "2025-03-31",
                  "window_from": "2025-01-01"}},
        {"id": "TC-00", "test": {"metric": "duoc_giao_von", "op": "==", "value": True}}],
        {"ngay": DATE, "duoc_giao_von": {"type": "boolean", "label": LABEL}})

    def empty(facts: dict) -> list[str]:
        document = parse_facts({"unit": {"ward": "Phường thử"}, "year": 2025, "facts": facts},
                               "ward.json")
        return [w.vi for w in plausibility_warnings(document, check_facts(document, pack), pack,
                                                    None) if w.code == "con_trong"]

    assert empty({"duoc_giao_von": False}) == []
    assert len(empty({"duoc_giao_von": True})) == 1
