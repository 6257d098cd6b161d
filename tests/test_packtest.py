"""A pack's own YAML tests (`cchc-score test PACK`): the shipped pack passes with every branch
reached; a changed threshold, a broken test file or an unreached branch is reported plainly."""

from __future__ import annotations

import shutil
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import yaml
from conftest import ROOT

from cchc.cli.main import cli
from cchc.engine.errors import EXIT_PACK, EXIT_TESTS_FAILED
from cchc.engine.pack.load import load_pack, resolve_pack
from cchc.reports.packtest_text import render_pack_tests
from cchc.scoring.packtest import Case, _case_data, _CaseLoader, run_pack_tests

TESTS = "tests"



def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_shipped_pack_passes_its_tests_and_reaches_every_branch(pack):
    result = run_pack_tests(pack)
    assert result.failures == ()
    assert result.cases >= 200 and result.expectations >= result.cases
    assert [rule.rule for rule in result.coverage if rule.missed] == []
    assert result.covered == result.branches and result.percent == 100


def test_a_changed_threshold_fails_and_names_file_case_rule(runner, pack_copy):
    # 'từ 60% trở lên' (TTHC-06) moved to 61 %: the cases on 60,0 % must now fail
    _edit(pack_copy / "rules" / "03_thu_tuc_hanh_chinh.yaml",
          "test: {metric: ty_le_giao_dich_truc_tuyen, op: \">=\", value: 60}",
          "test: {metric: ty_le_giao_dich_truc_tuyen, op: \">=\", value: 61}")
    # ... with its catalogue entry, which the pack check compares it with
    _edit(pack_copy / "requirements.yaml", "    value: 60\n", "    value: 61\n")
    result = runner.invoke(cli, ["test", str(pack_copy), "--lang", "en"])
    assert result.exit_code == EXIT_TESTS_FAILED, result.output
    assert "FAILED: tests/03_thu_tuc_hanh_chinh.yaml · «" in result.output
    assert "» · TTHC-06" in result.output
    assert "expected: dat" in result.output and "actual:" in result.output


def test_a_moved_deadline_fails(pack_copy):
    _edit(pack_copy / "rules" / "01_chi_dao_dieu_hanh.yaml", "deadline: 2024-02-29",
          "deadline: 2024-02-28")
    _edit(pack_copy / "requirements.yaml", "  deadline: 2024-02-29\n", "  deadline: 2024-02-28\n")
    _edit(pack_copy / "requirements.yaml", "    value: 2024-02-29\n", "    value: 2024-02-28\n")
    failures = run_pack_tests(load_pack(pack_copy, "copy")).failures
    assert {f.rule for f in failures} == {"CDDH-01"}


def test_a_city_that_reads_a_convention_otherwise_edits_one_line(runner, pack_copy):
    """Late deliverables earn a quarter instead of half: one line of pack.yaml; every late case
    of every deadline rule shows the change, and no other rule moves."""
    _edit(pack_copy / "pack.yaml", "scoring: {method: on_time, late_share: 0.5, late_until: "
          "year_end}", "scoring: {method: on_time, late_share: 0.25, late_until: year_end}")
    pack = load_pack(pack_copy, "copy")
    failures = run_pack_tests(pack).failures
    changed = {f.rule for f in failures}
    deadline_rules = {r.id for r in pack.rules if r.convention == "muon_trong_nam"}
    assert changed and changed <= deadline_rules
    late = [f for f in failures if f.status == "dat_mot_phan"]
    assert late and all(f.points <= Decimal(str(f.expected.points)) / 2 for f in late)
    facts = Path(__file__).parent.parent / "cases" / "phuong5-2024.json"
    before = runner.invoke(cli, [str(facts), "--format", "scorecard"]).output
    after = runner.invoke(cli, [str(facts), "--pack", str(pack_copy), "--format",
                                "scorecard"]).output
    moved = [line.split()[0] for line in before.splitlines()
             if line not in after.splitlines() and line[:1].isupper() and "-" in line[:8]]
    assert moved == ["TTHC-02"]  # the case's one late deliverable: 0,5 → 0,25
    explained = runner.invoke(cli, [str(facts), "--pack", str(pack_copy), "--explain"]).output
    assert "trong năm kế hoạch: 25 % số điểm" in explained and ": 50 % số điểm" not in \
        explained.split("Giữ nguyên")[0]


def test_unreached_branches_are_listed_and_fail_under_the_bar(runner, pack_copy):
    for path in (pack_copy / TESTS).glob("0*.yaml"):
        if not path.name.startswith("01_"):
            path.unlink()
    result = runner.invoke(cli, ["test", str(pack_copy), "--lang", "en"])
    assert result.exit_code == EXIT_TESTS_FAILED
    assert "Branches no case reaches:" in result.output
    assert "  TTHC-06: no data; not applicable;" in result.output
    lenient = runner.invoke(cli, ["test", str(pack_copy), "--fail-under", "0"])
    assert lenient.exit_code == 0, lenient.output


def test_a_malformed_case_is_a_pack_error_naming_file_and_field(runner, pack_copy):
    path = pack_copy / TESTS / "02_the_che.yaml"
    _edit(path, "expect:", "expected:")
    result = runner.invoke(cli, ["test", str(pack_copy)])
    assert result.exit_code == EXIT_PACK
    assert "02_the_che.yaml" in result.output and "expected" in result.output


def test_an_unknown_rule_or_status_is_refused(runner, pack_copy):
    path = pack_copy / TESTS / "02_the_che.yaml"
    text = path.read_text(encoding="utf-8")
    first_rule = text.split("expect:\n", 1)[1].split(":", 1)[0].strip()
    _edit(path, f"      {first_rule}:", "      TC-99:")
    result = runner.invoke(cli, ["test", str(pack_copy), "--lang", "en"])
    assert result.exit_code == EXIT_PACK and "TC-99" in result.output


def test_a_case_with_invalid_facts_names_the_case(runner, pack_copy):
    path = pack_copy / TESTS / "01_chi_dao_dieu_hanh.yaml"
    _edit(path, "      ngay_ban_hanh_ke_hoach_cchc: 2024-02-29",
          "      ngay_ban_hanh_ke_hoach_cchc: 2024-02-30")
    result = runner.invoke(cli, ["test", str(pack_copy)])
    assert result.exit_code == EXIT_PACK
    assert "ngay_ban_hanh_ke_hoach_cchc" in result.output and "29/02/2024" in result.output


def test_a_pack_without_tests_is_refused(runner, pack_copy):
    shutil.rmtree(pack_copy / TESTS)
    result = runner.invoke(cli, ["test", str(pack_copy)])
    assert result.exit_code == EXIT_PACK and "tests/" in result.output


def test_a_bare_value_keeps_the_base_evidence_an_object_replaces_it():
    evidence = [{"title": "Báo cáo"}]
    base = {"unit": {"ward": "x"}, "year": 2024,
            "facts": {"a": {"value": 1, "evidence": evidence}, "b": {"value": 2,
                                                                     "evidence": evidence}},
            "previous_year": {"year": 2023, "facts": {"c": 3}}}
    case = Case.model_validate({"name": "n", "facts": {"a": 5, "b": {"value": 6}, "d": None},
                                "previous_year": {"c": 4}, "expect": {"X-1": "dat"}})
    data = _case_data(base, case)
    assert data["facts"]["a"] == {"value": 5, "evidence": evidence}
    assert data["facts"]["b"] == {"value": 6}
    assert data["facts"]["d"] is None
    assert data["previous_year"] == {"year": 2023, "facts": {"c": 4}}
    assert base["facts"]["a"]["value"] == 1  # the base is never changed


def test_numbers_in_cases_are_exact_and_dates_as_typed():
    assert yaml.load("a: 0.1\nb: 2024-02-29", Loader=_CaseLoader) == {
        "a": Decimal("0.1"), "b": "2024-02-29"}


def test_coverage_below_the_bar_is_a_failure_in_words_too():
    pack = resolve_pack(str(ROOT / "tests" / "packs" / "anhoa-2025"), None, None)
    result = run_pack_tests(pack)
    methods = {rule.id: rule.scoring.method for rule in pack.rules}
    assert render_pack_tests(result, methods, "en").rstrip().endswith(
        "PASSED: every expectation held")
    # every expectation held but the coverage is below the bar: the last line says so
    text = render_pack_tests(result, methods, "en", Fraction(101))
    assert text.rstrip().endswith("is below 101.0 % (--fail-under)")


def test_a_case_can_expect_the_total_and_its_band(tmp_path):
    # the bands, their area condition and the bonus cap are tested as the rules are
    folder = tmp_path / "anhoa"
    shutil.copytree(ROOT / "tests" / "packs" / "anhoa-2025", folder)
    path = folder / "tests" / "07_diem_thuong_tru.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("total: {points: 95, index: 95, band: kha}",
                                 "total: {points: 95, index: 95, band: tot}"), encoding="utf-8")
    failures = run_pack_tests(load_pack(folder, "copy")).failures
    assert [(f.rule, f.status) for f in failures] == [("TỔNG / total", "kha")]
