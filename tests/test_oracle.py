"""durable_rules and the independent oracle agree on thousands of generated wards."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st
from oracle import Oracle
from strategies import wards
from wardgen import WardGenerator

from cchc.scoring.score import Scorer

WARDS = 2500


def _engine_outcomes(scorer: Scorer, ward) -> dict[str, tuple[str, Decimal, Decimal]]:
    report = scorer.score(ward)
    return {o.rule: (o.status, Decimal(str(o.points)).quantize(Decimal("0.01")),
                     Decimal(str(o.appraisal_points)).quantize(Decimal("0.01")))
            for o in report.outcomes}


def test_engine_matches_oracle_on_generated_wards(pack, scorer, ward_from):
    oracle = Oracle(pack)
    generator = WardGenerator(pack, seed=20241231)
    statuses: set[str] = set()
    branches: set[str] = set()
    for index in range(WARDS):
        ward = ward_from(generator.ward(index), f"ward-{index}.json")
        expected = oracle.evaluate(ward)
        actual = _engine_outcomes(scorer, ward)
        assert actual == expected, next(
            (rule, actual[rule], expected[rule]) for rule in expected
            if actual[rule] != expected[rule])
        statuses.update(status for status, _, _ in actual.values())
        branches.update(o.branch.name for o in scorer.score(ward).outcomes)
    # the generator must have exercised every outcome, or the comparison proves little
    assert statuses == {"dat", "dat_mot_phan", "khong_dat", "thieu_du_lieu",
                        "thieu_minh_chung", "khong_ap_dung", "cho_ket_qua"}
    # ... and nearly every durable_rules branch, each kind of branch at least once (a date
    # before its window, a rank held at the top, an index pending, a rate a millionth short)
    compiled = scorer.evaluator.compiled.branches
    assert len(branches) >= 0.98 * len(compiled), sorted(set(compiled) - branches)
    kinds = {(b.kind, b.level > 0) for b in compiled.values()}
    assert kinds == {(compiled[name].kind, compiled[name].level > 0) for name in branches}


def test_totals_are_the_sum_of_outcomes(pack, scorer, ward_from):
    generator = WardGenerator(pack, seed=7)
    for index in range(50):
        report = scorer.score(ward_from(generator.ward(index)))
        total = sum(Decimal(str(o.points)) for o in report.outcomes)
        assert Decimal(str(report.self_assessment.points)) == total
        for area in report.areas:
            area_total = sum(Decimal(str(o.points)) for o in report.outcomes if o.area == area.id)
            assert Decimal(str(area.self_assessment.points)) == area_total


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_engine_matches_oracle_on_drawn_wards(pack, scorer, ward_from, data):
    """Hypothesis draws the wards, so a disagreement shrinks to a small ward."""
    ward = ward_from(data.draw(wards(pack)))
    assert _engine_outcomes(scorer, ward) == Oracle(pack).evaluate(ward)
