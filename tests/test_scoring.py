"""Scoring: each method's points, subtotals, index and band, and invariants over many wards."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import wards

from cchc.rules.schema import Rule
from cchc.scoring.points import RuleTerms, award
from cchc.scoring.tally import band_for, tally


def _rule(pack, rule_id: str) -> Rule:
    return next(r for r in pack.rules if r.id == rule_id)


def test_all_or_nothing(pack):
    terms = RuleTerms.of(_rule(pack, "TTHC-09"))
    assert award(terms, "met", 0, True, Fraction(0)).self_points == Decimal("2.50")
    assert award(terms, "not_met", 0, None, Fraction(3)).self_points == 0


def test_steps_give_the_step_share(pack):
    terms = RuleTerms.of(_rule(pack, "CQS-03"))  # 2.5 points, half from 70 %
    result = award(terms, "partial", 0, True, Fraction(85))
    assert (result.status, result.self_points) == ("dat_mot_phan", Decimal("1.25"))


def test_late_deliverable_earns_the_late_share(pack):
    terms = RuleTerms.of(_rule(pack, "TTHC-02"))
    assert award(terms, "partial", 0, True, None).self_points == Decimal("0.50")


def test_linear_is_pro_rata_and_rounded_half_up(pack):
    terms = RuleTerms.of(_rule(pack, "TTHC-07"))  # 1 point, target 20 %
    assert award(terms, "partial", 0, True, Fraction(32 * 100, 180)).self_points == Decimal("0.89")
    assert award(terms, "partial", 0, True, Fraction(1, 8) * 20).self_points == Decimal("0.13")


def test_deductions_take_points_off_and_stop_at_zero(pack):
    terms = RuleTerms.of(_rule(pack, "TTHC-10"))  # 1.5 points, 0.5 per dossier
    assert award(terms, "partial", 0, True, Fraction(1)).self_points == Decimal("1.00")
    assert award(terms, "partial", 0, True, Fraction(2)).self_points == Decimal("0.50")
    assert award(terms, "not_met", 0, None, Fraction(7)).self_points == 0


def test_missing_evidence_counts_for_self_assessment_only(pack):
    terms = RuleTerms.of(_rule(pack, "TTHC-04"))
    result = award(terms, "met", 0, False, Fraction(100))
    assert (result.status, result.claimed_status) == ("thieu_minh_chung", "dat")
    assert (result.self_points, result.appraisal_points) == (Decimal("2.00"), 0)


def test_not_applicable_leaves_the_maximum(pack):
    rules = pack.rules_of("cong_vu")
    awards = [award(RuleTerms.of(r), "not_applicable" if r.id == "CV-06" else "met", 0, True,
                    None) for r in rules]
    result = tally(awards, pack.meta.bands)
    assert (result.points, result.maximum, result.not_applicable) == (9, 10, 1)
    assert result.index == 100 and result.band.id == "xuat_sac"


@pytest.mark.parametrize(("index", "band"), [("90", "xuat_sac"), ("89.99", "tot"), ("80", "tot"),
                                             ("79.99", "kha"), ("70", "kha"), ("50", "trung_binh"),
                                             ("49.99", "yeu"), ("0", "yeu")])
def test_band_boundaries_are_inclusive(pack, index, band):
    assert band_for(Decimal(index), pack.meta.bands).id == band


def test_index_is_rounded_as_printed_before_the_band(pack):
    rules = pack.rules_of("chi_so")  # 20 points
    awards = [award(RuleTerms.of(r), "met" if r.id != "CS-09" else "not_met", 0, True, None)
              for r in rules]
    assert tally(awards, pack.meta.bands).index == Decimal("95.00")


@settings(max_examples=120, deadline=None)
@given(data=st.data())
def test_score_invariants(pack, scorer, ward_from, data):
    report = scorer.score(ward_from(data.draw(wards(pack))))
    for outcome in report.outcomes:
        assert 0 <= outcome.appraisal_points <= outcome.points <= outcome.maximum
        if outcome.status in ("khong_dat", "thieu_du_lieu", "khong_ap_dung"):
            assert outcome.points == 0
        if outcome.status == "dat":
            assert outcome.points == outcome.maximum
    for score in (report.self_assessment, report.projected_appraisal):
        assert 0 <= score.points <= score.maximum - score.not_applicable
        assert score.index is None or 0 <= score.index <= 100
    assert report.projected_appraisal.points <= report.self_assessment.points
    assert sum(report.counts.values()) == len(pack.rules)


@settings(max_examples=60, deadline=None)
@given(drawn=st.data())
def test_adding_evidence_never_lowers_the_appraisal(pack, scorer, ward_from, drawn):
    data = drawn.draw(wards(pack))
    proven = {"unit": data["unit"], "year": data["year"], "facts": {}}
    if "previous_year" in data:
        proven["previous_year"] = data["previous_year"]
    for name, value in data["facts"].items():
        if isinstance(value, dict):
            value = value.get("value")
        proven["facts"][name] = {"value": value, "evidence": [{"title": "Báo cáo"}]}
    before = scorer.score(ward_from(data)).projected_appraisal.points
    after = scorer.score(ward_from(proven))
    assert after.projected_appraisal.points >= before
    assert after.projected_appraisal.points == after.self_assessment.points


@settings(max_examples=60, deadline=None)
@given(denominator=st.integers(1, 5000), data=st.data())
def test_more_digitised_dossiers_never_lower_the_points(pack, scorer, ward_from, denominator,
                                                        data):
    low = data.draw(st.integers(0, denominator))
    high = data.draw(st.integers(low, denominator))

    def points(numerator: int) -> float:
        ward = ward_from({"unit": {"ward": "x"}, "year": 2024, "facts": {
            "ho_so_tiep_nhan": {"value": denominator, "evidence": [{"title": "BC"}]},
            "ho_so_so_hoa": {"value": numerator, "evidence": [{"title": "BC"}]}}})
        return next(o.points for o in scorer.score(ward).outcomes if o.rule == "TTHC-04")

    assert points(low) <= points(high)
