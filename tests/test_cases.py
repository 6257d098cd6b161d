"""Golden tests: every bundled case scores to exactly its expected report (cases/expected/)."""

from __future__ import annotations

import difflib
import json
from pathlib import Path

import pytest
from conftest import CASES, ROOT

from cchc.engine.appraisal.chain import check_chain
from cchc.engine.appraisal.read import read_appraisal
from cchc.engine.inputs import load_ward
from cchc.engine.pack.model import Pack
from cchc.reports.json_report import render_json, report_data
from cchc.reports.scorecard import render_scorecard
from cchc.scoring.appraisal import Appraiser
from cchc.scoring.score import Scorer

CASE_FILES = sorted(p for p in CASES.glob("*.json") if not p.name.endswith(".appraisal.json"))
# The bundled round trips: a facts file, the city's appraisal beside it, a reviewed scorecard.
APPRAISALS = sorted(CASES.glob("*.appraisal.json"))
SHAPE_CASE = CASES / "phuong5-2024.json"
SHAPE_GOLDEN = CASES / "expected" / "phuong5-2024.report.json"


def _report(pack: Pack, scorer: Scorer, path: Path):
    return scorer.score(load_ward(path, pack.location)[1])


def _golden(request, path: Path, actual: str) -> None:
    """Compare with a golden file, or rewrite it with `pytest --update-golden`."""
    if request.config.getoption("--update-golden"):
        path.write_text(actual, encoding="utf-8")
    assert path.exists(), f"no golden file {path.name}: run pytest --update-golden"
    expected = path.read_text(encoding="utf-8")
    if actual != expected:
        diff = "".join(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True),
                                            str(path.relative_to(ROOT)), "actual", n=0))
        pytest.fail(f"{path.name} differs (pytest --update-golden rewrites it):\n{diff}",
                    pytrace=False)


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: p.stem)
def test_case_matches_its_scorecard(pack, scorer, path, request):
    """One line per rule: a changed score, status or test sentence is a one-line diff."""
    scorecard = path.with_name(path.stem + ".scorecard.txt")
    _golden(request, scorecard, render_scorecard(_report(pack, scorer, path)))


def normalised_json(report) -> str:
    """The JSON report with what changes without a change of score left out: the tool's
    version and the pack files' hashes (a comment in a rule file changes them)."""
    data = report_data(report)
    data["tool"]["version"] = "<version>"
    data["pack"]["sha256"] = "<sha256>"
    data["pack"]["files"] = dict.fromkeys(data["pack"]["files"], "<sha256>")
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def test_the_json_report_keeps_its_shape(pack, scorer, request):
    """One full JSON golden pins the report's documented shape."""
    _golden(request, SHAPE_GOLDEN, normalised_json(_report(pack, scorer, SHAPE_CASE)))


def test_there_are_at_least_five_cases():
    assert len(CASE_FILES) >= 5


def _outcome(report, rule_id):
    return next(o for o in report.outcomes if o.rule == rule_id)


def test_ward_meeting_everything_scores_100_excellent(pack, scorer):
    report = _report(pack, scorer, CASES / "phuong-dat-toan-bo-2024.json")
    own = report.self_assessment
    # no overdue dossier, so no apology owed: TTHC-10 (1,5) is not applicable
    assert (own.points, own.not_applicable, own.index) == (98.5, 1.5, 100)
    assert own.band.id == "xuat_sac"
    assert report.projected_appraisal.points == 98.5
    assert {o.status for o in report.outcomes} == {"dat", "khong_ap_dung"}
    assert [o.rule for o in report.outcomes if o.status == "khong_ap_dung"] == ["TTHC-10"]


def test_weak_ward_is_weak_or_average(pack, scorer):
    report = _report(pack, scorer, CASES / "phuong-yeu-2024.json")
    assert report.self_assessment.band.id in ("yeu", "trung_binh")
    assert report.counts["khong_dat"] > 40


def test_ward_with_gaps_reports_missing_data_and_evidence(pack, scorer):
    report = _report(pack, scorer, CASES / "phuong-thieu-du-lieu-2024.json")
    assert report.counts["thieu_du_lieu"] > 0
    assert report.counts["thieu_minh_chung"] > 0
    assert report.projected_appraisal.points < report.self_assessment.points
    missing = _outcome(report, "TTHC-06")
    assert missing.status == "thieu_du_lieu"
    assert missing.explanation.missing == ("giao_dich_thanh_toan",)
    unproven = _outcome(report, "CDDH-01")
    assert unproven.status == "thieu_minh_chung"
    assert unproven.points == 1.5 and unproven.appraisal_points == 0
    assert unproven.explanation.evidence_missing == ("ngay_ban_hanh_ke_hoach_cchc",)


def test_ward_on_the_thresholds(pack, scorer):
    report = _report(pack, scorer, CASES / "phuong-nguong-2024.json")
    payments = _outcome(report, "TTHC-06")  # 'từ 60% trở lên': 60.0 % meets it
    assert payments.status == "dat"
    assert payments.explanation.test.vi == "612 / 1 020 = 60,0 % ≥ 60 %"
    signed = _outcome(report, "CQS-03")  # 'trên 85%': 85.0 % does not
    assert signed.status == "dat_mot_phan"
    assert signed.claimed_status == "dat_mot_phan"
    assert "850 / 1 000 = 85,0 %; cần > 85 %" in signed.explanation.test.vi
    assert _outcome(report, "TC-02").status == "dat_mot_phan"  # 15/02 is not 'trước ngày 15/02'
    assert _outcome(report, "CDDH-01").status == "dat"  # 29/02/2024 is in 'Tháng 2/2024'
    assert _outcome(report, "CDDH-03").status == "dat"  # 31/03/2024 is in 'Quý 1/2024'


def test_the_json_report_has_the_documented_shape(pack, scorer):
    report = json.loads(render_json(_report(pack, scorer, SHAPE_CASE)))
    assert report["format"] == "cchc-score/report/2"
    assert set(report) >= {"tool", "pack", "facts_file", "unit", "year", "self_assessment",
                           "projected_appraisal", "counts", "areas", "outcomes", "departures",
                           "pending", "warnings"}
    assert report["pack"]["shipped"] is True
    assert set(report["self_assessment"]) >= {"points", "maximum", "not_applicable", "pending",
                                              "index", "band"}
    outcome = report["outcomes"][0]
    assert set(outcome["source"]) == {"vi", "en"}
    assert {"convention", "departs_from_text"} <= set(outcome)
    flagged = [o["rule"] for o in report["outcomes"] if o["departs_from_text"]]
    assert report["departures"] == flagged and "TCBM-01" in flagged
    conventions = {o["convention"]["id"] for o in report["outcomes"] if o["convention"]}
    assert conventions == {"muon_trong_nam", "ty_le_theo_chi_tieu", "giu_nguyen_mot_nua",
                           "tru_diem_moi_truong_hop"}
    assert len(report["pack"]["sha256"]) == 64 and len(report["facts_file"]["sha256"]) == 64
    assert len(report["outcomes"]) == len(pack.rules)


def test_at_least_two_wards_have_a_full_round_trip():
    """Self-assessment → round 1 → giải trình → round 2, for two wards at least."""
    assert len(APPRAISALS) >= 2
    for path in APPRAISALS:
        rounds = read_appraisal(path).content.rounds
        assert len(rounds) >= 2 and rounds[1].responses, path.name


@pytest.mark.parametrize("path", APPRAISALS, ids=lambda p: p.name.split(".")[0])
def test_appraised_case_matches_its_scorecard(pack, scorer, path, request):
    """The appraised scorecard: each decision, reason and giải trình, and each round's total."""
    facts = path.with_name(path.name.replace(".appraisal.json", ".json"))
    report = _report(pack, scorer, facts)
    document = read_appraisal(path, f"cases/{path.name}")
    chain = check_chain(document, report.facts_file.sha256, pack.meta.id, pack.meta.version,
                        pack.sha256)
    assert chain.intact, chain.first_broken
    appraisal = Appraiser(pack, scorer.evaluator.compiled.branches.values()).appraise(
        report, document)
    golden = path.with_name(path.name.replace(".appraisal.json", ".appraised.scorecard.txt"))
    _golden(request, golden, render_scorecard(report, appraisal=appraisal))
