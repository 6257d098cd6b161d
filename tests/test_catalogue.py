"""The pack check compares each rule with the catalogue entries it names (target, deadline,
area) and the pack's dates with its year: each slip is refused naming the file, the rule and
the field; a documented reading (departs_from_text) is accepted; the shipped pack passes."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from pathlib import Path

import pytest
from conftest import ROOT, edit_pack

from cchc.engine.errors import PackError, Problem
from cchc.engine.pack.catalogue import check_catalogue
from cchc.engine.pack.load import load_pack
from cchc.engine.pack.model import Pack
from cchc.rules.schema import Rule

RULES_TTHC = "rules/03_thu_tuc_hanh_chinh.yaml"


def _refusal(folder: Path) -> list[Problem]:
    with pytest.raises(PackError) as caught:
        load_pack(folder, str(folder))
    return caught.value.problems


def _one(problems: list[Problem], where: str) -> Problem:
    found = [p for p in problems if p.where.endswith(where)]
    assert len(found) == 1, [p.where for p in problems]
    return found[0]


def _with_rule(pack: Pack, rule_id: str, **update: object) -> Pack:
    """The pack with one rule changed in memory, validated as the YAML would be (a compound
    test, a `before` deadline, a level id)."""
    rules = [Rule.model_validate({**r.model_dump(by_alias=True), **update})
             if r.id == rule_id else r for r in pack.rules]
    return dataclasses.replace(pack, rules=rules)


def _catalogue_problems(pack: Pack) -> list[Problem]:
    problems: list[Problem] = []
    check_catalogue(pack, problems)
    return problems


def test_the_shipped_pack_agrees_with_its_catalogue(pack):
    assert _catalogue_problems(pack) == []


def test_a_changed_threshold_is_refused(pack_copy):
    edit_pack(pack_copy, RULES_TTHC, "metric: ty_le_giao_dich_truc_tuyen, op: \">=\", value: 60",
              "metric: ty_le_giao_dich_truc_tuyen, op: \">=\", value: 61")
    problem = _one(_refusal(pack_copy), "quy tắc / rule TTHC-06: test.value")
    assert problem.where.startswith("rules/03_thu_tuc_hanh_chinh.yaml: ")
    assert "≥ 61 %" in problem.vi and "không khớp chỉ tiêu nào của danh mục" in problem.vi
    assert "≥ 61 % matches no target of the catalogue" in problem.en
    assert "PL.III.4: ≥ 60 %" in problem.en


def test_a_threshold_moved_onto_another_target_of_its_clause_is_refused(pack_copy):
    """PL.III.4 sets ≥ 80 % (TTHC-05) and ≥ 60 % (TTHC-06): TTHC-06 at 80 % matches a target
    of its clause, but then the clause's 60 % is no rule's."""
    edit_pack(pack_copy, RULES_TTHC, "metric: ty_le_giao_dich_truc_tuyen, op: \">=\", value: 60",
              "metric: ty_le_giao_dich_truc_tuyen, op: \">=\", value: 80")
    problem = _one(_refusal(pack_copy), "requirements.yaml: PL.III.4: measures[1]")
    assert problem.vi.startswith("chỉ tiêu ≥ 60 % (“Tỷ lệ giao dịch thanh toán trực tuyến")
    assert "is scored by no rule, although TTHC-05, TTHC-06 score this requirement" in problem.en


def test_a_changed_comparison_is_refused(pack_copy):
    edit_pack(pack_copy, "rules/07_chinh_quyen_so.yaml",
              "metric: ty_le_ky_so, op: \">\", value: 85",
              "metric: ty_le_ky_so, op: \">=\", value: 85")
    problem = _one(_refusal(pack_copy), "quy tắc / rule CQS-03: test.op")
    assert "≥ 85 %" in problem.vi and "PL.VII.6: > 85 %" in problem.vi
    assert "target ≥ 85 % matches no target" in problem.en


def test_a_deadline_one_day_after_the_catalogues_is_refused(pack_copy):
    edit_pack(pack_copy, "rules/01_chi_dao_dieu_hanh.yaml",
              "ngay_ban_hanh_ke_hoach_tuyen_truyen, op: done_by, deadline: 2024-03-31",
              "ngay_ban_hanh_ke_hoach_tuyen_truyen, op: done_by, deadline: 2024-04-01")
    problem = _one(_refusal(pack_copy), "quy tắc / rule CDDH-03: test.deadline")
    assert "01/04/2024 khác hạn của danh mục yêu cầu (PL.I.2: 31/03/2024)" in problem.vi
    assert "differs from the catalogue's (PL.I.2: 31/03/2024)" in problem.en


def test_a_rule_in_another_area_than_its_requirement_is_refused(pack_copy):
    edit_pack(pack_copy, RULES_TTHC, "  - id: TTHC-12\n    area: thu_tuc_hanh_chinh",
              "  - id: TTHC-12\n    area: cong_vu")
    problem = _one(_refusal(pack_copy), "quy tắc / rule TTHC-12: area")
    assert "lĩnh vực 'cong_vu' không phải lĩnh vực của yêu cầu nào" in problem.vi
    assert "ND.II.3.4: thu_tuc_hanh_chinh" in problem.en


def test_a_deadline_outside_the_pack_year_is_refused(pack_copy):
    edit_pack(pack_copy, "rules/07_chinh_quyen_so.yaml",
              "ngay_bao_cao_chuyen_doi_so, op: done_by, deadline: 2024-12-31",
              "ngay_bao_cao_chuyen_doi_so, op: done_by, deadline: 2025-01-31")
    problems = [p for p in _refusal(pack_copy) if "rule CQS-09: test.deadline" in p.where]
    assert any("31/01/2025 nằm ngoài năm kế hoạch 2024 của gói" in p.vi
               and "outside the pack's plan year 2024" in p.en for p in problems)


def test_a_pack_year_that_is_not_its_plans_is_refused(pack_copy):
    # two years on: a window may open in the year before the plan year (next year's plan is
    # often issued in December), never two years before
    edit_pack(pack_copy, "pack.yaml", "year: 2024", "year: 2026")
    problems = _refusal(pack_copy)
    problem = _one(problems, "quy tắc / rule CDDH-03: test.deadline")
    assert "nằm ngoài năm kế hoạch 2026" in problem.vi
    assert _one(problems, "quy tắc / rule CDDH-03: test.window_from").en.startswith(
        "the window opens 01/01/2024, outside the pack's plan year 2026")
    assert "requirements.yaml: PL.I.2: deadline" in {p.where for p in problems}


def test_a_plan_dated_after_its_year_is_refused(pack_copy):
    edit_pack(pack_copy, "pack.yaml", "issued_on: 2024-02-01", "issued_on: 2025-02-01")
    problem = _one(_refusal(pack_copy), "pack.yaml: plan.issued_on")
    assert "01/02/2025" in problem.vi and "neither in its plan year 2024" in problem.en


def test_a_spill_over_the_plan_states_is_accepted(pack):
    """A deadline after the year ("đến hết 31/01/2025") is the plan's when the catalogue states
    it and the plan's words name its year; stated nowhere, the same date is refused."""
    spill = dt.date(2025, 1, 31)
    moved = _with_rule(pack, "CQS-01", test={**_test_of(pack, "CQS-01"), "deadline": spill})
    assert {p.where for p in _catalogue_problems(moved)} == {
        "rules/07_chinh_quyen_so.yaml: quy tắc / rule CQS-01: test.deadline"}
    requirement = moved.requirement_by_id["PL.VII.1"]
    measures = [m.model_copy(update={"value": spill}) if m.op == "done_by" else m
                for m in requirement.measures]
    stated = requirement.model_copy(update={"deadline": spill, "measures": measures,
                                            "when_vi": "đến hết 31/01/2025"})
    catalogue = [stated if r.id == "PL.VII.1" else r for r in moved.requirements]
    assert _catalogue_problems(dataclasses.replace(moved, requirements=catalogue)) == []
    unstated = stated.model_copy(update={"when_vi": "Quý 1/2024"})
    catalogue = [unstated if r.id == "PL.VII.1" else r for r in moved.requirements]
    assert [p.where for p in _catalogue_problems(
        dataclasses.replace(moved, requirements=catalogue))] == [
        "requirements.yaml: PL.VII.1: deadline", "requirements.yaml: PL.VII.1: measures[0].value"]


def test_a_documented_reading_may_leave_the_catalogue(pack):
    """TCBM-01 reads the plan's 'Qúy II/2023' as Q2/2024 and says so: without its
    departs_from_text the same rule is refused, and so is the catalogue's 2023 deadline."""
    problems = _catalogue_problems(_with_rule(pack, "TCBM-01", departs_from_text=None))
    wheres = {p.where for p in problems}
    assert "rules/04_to_chuc_bo_may.yaml: quy tắc / rule TCBM-01: test.deadline" in wheres
    assert "requirements.yaml: PL.IV.1: deadline" in wheres


def _test_of(pack: Pack, rule_id: str) -> dict:
    return next(r for r in pack.rules if r.id == rule_id).test.model_dump(exclude_none=True)


def test_a_compound_test_is_compared_part_by_part(pack):
    good = _test_of(pack, "TTHC-03")
    wrong = {**_test_of(pack, "TTHC-04"), "value": 98}
    problems = _catalogue_problems(_with_rule(pack, "TTHC-03", test={"all": [good, wrong]}))
    problem = _one(problems, "quy tắc / rule TTHC-03: test.all[1].value")
    assert "PL.III.3: ≥ 99 %" in problem.vi
    assert _catalogue_problems(_with_rule(
        pack, "TTHC-03", test={"any": [good, _test_of(pack, "TTHC-04")]})) == []


def test_before_ends_the_day_before_its_deadline(pack):
    """'trước ngày 01/04/2024' is on time until 31/03/2024: the catalogue's Quý 1/2024."""
    dated = _test_of(pack, "CDDH-03")
    on_time = {**dated, "op": "before", "deadline": dt.date(2024, 4, 1)}
    assert _catalogue_problems(_with_rule(pack, "CDDH-03", test=on_time)) == []
    late = {**dated, "op": "before", "deadline": dt.date(2024, 3, 31)}
    problem = _one(_catalogue_problems(_with_rule(pack, "CDDH-03", test=late)),
                   "rule CDDH-03: test.deadline")
    assert "30/03/2024" in problem.en and "PL.I.2: 31/03/2024" in problem.en


def test_a_level_id_is_compared_with_a_level_id(pack):
    """A level test ('>=' hoan_thanh_tot) has no numeric target to meet; against a catalogue
    target written as a level id, the id must be the same."""
    level = {"metric": "muc_do_hoan_thanh_nhiem_vu", "op": ">=", "value": "hoan_thanh_tot"}
    leveled = _with_rule(pack, "CS-08", test=level, departs_from_text=None)
    assert _catalogue_problems(leveled) == []
    requirement = leveled.requirement_by_id["ND.II.8.1"]
    written = requirement.measures[0].model_copy(update={"op": ">=", "value": "hoan_thanh"})
    catalogue = [requirement.model_copy(update={"measures": [written]})
                 if r.id == requirement.id else r for r in leveled.requirements]
    problem = _one(_catalogue_problems(dataclasses.replace(leveled, requirements=catalogue)),
                   "rule CS-08: test.value")
    assert "≥ hoan_thanh_tot" in problem.en and "ND.II.8.1: ≥ hoan_thanh" in problem.en
    written = written.model_copy(update={"value": "hoan_thanh_tot"})
    catalogue = [requirement.model_copy(update={"measures": [written]})
                 if r.id == requirement.id else r for r in leveled.requirements]
    assert _catalogue_problems(dataclasses.replace(leveled, requirements=catalogue)) == []


def test_a_change_target_is_compared_with_its_catalogue_entry(tmp_path):
    # "tăng ít nhất 02 bậc so với năm 2024" (KH.1.8 of the second pack): a rule reading 3 places
    # is refused, as any other target is
    folder = tmp_path / "anhoa"
    shutil.copytree(ROOT / "tests" / "packs" / "anhoa-2025", folder)
    edit_pack(folder, "rules/01_chi_dao_dieu_hanh.yaml",
              'metric: bac_tang_par_index, op: ">=", value: 2',
              'metric: bac_tang_par_index, op: ">=", value: 3')
    problem = _one(_refusal(folder), "quy tắc / rule CDDH-08: test.value")
    assert "KH.1.8: ≥ 2" in problem.vi
