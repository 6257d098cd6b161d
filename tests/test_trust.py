"""Scores an auditor can sign: exact numbers in durable_rules, deliverable windows, editions and
the pending outcome, the shipped pack, blank forms, output names, warnings and --strict."""

from __future__ import annotations

import json
import re
import shutil
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from conftest import CASES

from cchc.cli.main import cli
from cchc.engine import durable
from cchc.engine.facts.read import read_json
from cchc.rules import shipped_packs

PHUONG5 = CASES / "phuong5-2024.json"


def _case() -> dict:
    data, _ = read_json(PHUONG5)
    return data


def _write(tmp_path: Path, data: dict, name: str = "facts.json") -> Path:
    """The facts as JSON, every number exactly as held (never through a float)."""
    def marked(value):
        if isinstance(value, Decimal):
            return f"@@{value}@@"
        if isinstance(value, dict):
            return {key: marked(item) for key, item in value.items()}
        if isinstance(value, list):
            return [marked(item) for item in value]
        return value

    path = tmp_path / name
    text = json.dumps(marked(data), ensure_ascii=False)
    path.write_text(re.sub(r'"@@([^@]*)@@"', r"\1", text), encoding="utf-8")
    return path


def _outcome(scorer, ward, rule_id):
    return next(o for o in scorer.score(ward).outcomes if o.rule == rule_id)


def _set(data: dict, name: str, value) -> None:
    entry = data["facts"].get(name)
    data["facts"][name] = {**entry, "value": value} if isinstance(entry, dict) else value


# --- numbers reach durable_rules exactly ---------------------------------------------------------


def test_region_of_is_exact_on_both_sides_of_every_threshold():
    thresholds = (Fraction(0), Fraction(60), Fraction(85))
    assert durable.region_of(Fraction(-1), thresholds) == 0
    assert durable.region_of(Fraction(0), thresholds) == 1
    assert durable.region_of(Fraction(599_999_999_999, 10**10), thresholds) == 2
    assert durable.region_of(Fraction(60), thresholds) == 3
    assert durable.region_of(Fraction(60) + Fraction(1, 10**30), thresholds) == 4
    assert durable.region_of(Fraction(85), thresholds) == 5
    assert durable.region_of(Fraction(10**20), thresholds) == 6


@pytest.mark.parametrize(("rule_id", "whole", "part", "planned", "done", "status"), [
    # a millionth short of 100 % disbursed (a float would round it up to 100 %)
    ("TCC-01", "von_dau_tu_cong_ke_hoach", "von_dau_tu_cong_giai_ngan", "3", "2.999999",
     "dat_mot_phan"),
    # 10^17 % of a tiny revenue target: a float would print in exponent form (error 204)
    ("TCC-02", "thu_ngan_sach_chi_tieu", "thu_ngan_sach_thuc_hien", "0.000001",
     "1000000000000", "dat"),
    ("TCC-02", "thu_ngan_sach_chi_tieu", "thu_ngan_sach_thuc_hien", "1000000000000",
     "999999999999.999999", "dat_mot_phan"),
    ("TCC-01", "von_dau_tu_cong_ke_hoach", "von_dau_tu_cong_giai_ngan", "1000000000000",
     "1000000000000", "dat"),
])
def test_extreme_and_many_decimal_numbers_score_exactly(scorer, ward_from, rule_id, whole, part,
                                                        planned, done, status):
    data = _case()
    _set(data, whole, Decimal(planned))
    _set(data, part, Decimal(done))
    outcome = _outcome(scorer, ward_from(data), rule_id)
    assert outcome.status == status
    assert (outcome.points == outcome.maximum) == (status == "dat")


def test_a_fact_with_more_than_six_decimals_is_refused(runner, tmp_path):
    data = _case()
    _set(data, "von_dau_tu_cong_giai_ngan", Decimal("2.99999999999999999"))
    result = runner.invoke(cli, [str(_write(tmp_path, data))])
    assert result.exit_code == 2
    assert "có quá 6 chữ số thập phân" in result.output
    assert "more than 6 decimal places" in result.output


def test_no_value_reaches_durable_rules_as_a_float(scorer, ward_from):
    compiled = scorer.evaluator.compiled
    values = scorer.evaluator.metrics(ward_from(_case()))
    from cchc.engine.evaluate.compile import area_fact
    for area in compiled.areas:
        fact = area_fact(area, values)
        assert all(not isinstance(v, float) for v in fact.values()), area.area_id
    text = json.dumps([ruleset.definition for ruleset in compiled.rulesets])
    assert "." not in "".join(c for c in text if c.isdigit() or c == ".")


# --- deliverables belong to the plan year; the assessment date ----------------------------------


def test_last_years_report_is_not_this_years_deliverable(scorer, ward_from):
    data = _case()
    _set(data, "ngay_bao_cao_danh_gia_xep_loai_cbcc", "2023-12-20")
    outcome = _outcome(scorer, ward_from(data), "CV-01")
    assert (outcome.status, outcome.points) == ("khong_dat", 0)
    assert "20/12/2023, trước 01/01/2024" in outcome.explanation.test.vi
    assert "not a deliverable of the 2024 plan" in outcome.explanation.test.en


def test_a_deliverable_after_the_assessment_date_stays_out_of_the_appraisal(scorer, ward_from):
    data = _case()
    data["prepared_on"] = "2024-03-01"
    outcome = _outcome(scorer, ward_from(data), "CDDH-03")  # dated 15/03/2024
    assert outcome.points == outcome.maximum and outcome.appraisal_points == 0
    assert "sau ngày tự đánh giá" in outcome.explanation.scoring.vi


# --- index editions and the pending outcome ------------------------------------------------------


def test_an_index_value_needs_its_edition(runner, tmp_path):
    data = _case()
    data["facts"]["muc_do_hoan_thanh_nhiem_vu"]["edition"] = 2023
    result = runner.invoke(cli, [str(_write(tmp_path, data))])
    assert result.exit_code == 2
    assert "$.facts.muc_do_hoan_thanh_nhiem_vu.edition" in result.output
    assert "kỳ đánh giá 2023 được nhập vào ô của năm 2024" in result.output


def test_a_pending_index_is_left_out_of_the_maximum(scorer, ward_from):
    data = _case()
    data["facts"]["muc_do_hoan_thanh_nhiem_vu"] = {"pending": True}
    report = scorer.score(ward_from(data))
    outcome = next(o for o in report.outcomes if o.rule == "CS-08")
    assert (outcome.status, outcome.points) == ("cho_ket_qua", 0)
    assert report.self_assessment.pending >= outcome.maximum
    assert "CS-08" in [o.rule for o in report.pending]
    assert outcome.explanation.test.vi.startswith("Chờ kết quả")


# --- the pack a facts file may name --------------------------------------------------------------


def test_a_facts_file_cannot_choose_a_pack_folder(runner, tmp_path):
    data = _case()
    data["pack"] = str(tmp_path)
    result = runner.invoke(cli, [str(_write(tmp_path, data))])
    assert result.exit_code == 2
    assert "chỉ được nêu mã của một gói quy tắc" in result.output and "--pack" in result.output


@pytest.mark.parametrize("output_format", ["table", "markdown", "json", "scorecard"])
def test_a_pack_folder_that_is_not_the_shipped_pack_is_flagged(runner, tmp_path, output_format):
    folder = tmp_path / "pack"
    shutil.copytree(str(shipped_packs()["phuong5-2024"]), folder)
    args = [str(PHUONG5), "--pack", str(folder), "--format", output_format]
    same = runner.invoke(cli, args)  # a byte-for-byte copy is the shipped pack
    assert same.exit_code == 0, same.output
    assert "KHÔNG" not in same.output and '"shipped": false' not in same.output
    manifest = folder / "pack.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8") + "\n# a city's copy\n",
                        encoding="utf-8")
    changed = runner.invoke(cli, args)
    assert changed.exit_code == 0, changed.output
    if output_format == "json":
        pack = json.loads(changed.stdout)["pack"]
        assert pack["shipped"] is False and pack["location"] == str(folder)
    else:
        assert "KHÔNG" in changed.output and str(folder) in changed.output


# --- blank forms, output names, warnings ---------------------------------------------------------


def test_a_blank_form_scores_no_data_and_warns(runner, tmp_path):
    path = _write(tmp_path, {"unit": {"ward": "Phường 5"}, "year": 2024})
    result = runner.invoke(cli, [str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert {o["status"] for o in report["outcomes"]} == {"thieu_du_lieu"}
    codes = {w["code"] for w in report["warnings"]}
    assert "con_trong" in codes
    assert "chỉ tiêu chưa nhập" in result.stderr


@pytest.mark.parametrize("name", ["report.csv", "report.pdf", "report.doc", "report.xls"])
def test_an_output_name_no_format_writes_is_refused(runner, tmp_path, name):
    result = runner.invoke(cli, [str(PHUONG5), "-o", str(tmp_path / name)])
    assert result.exit_code == 2
    assert ".json" in result.output and ".md" in result.output and ".docx" in result.output
    assert not (tmp_path / name).exists()


def test_strict_turns_warnings_into_exit_status_2(runner, tmp_path):
    data = _case()
    data["unit"]["ward"] = "Phường Đông Lương"
    path = _write(tmp_path, data)
    relaxed = runner.invoke(cli, [str(path)])
    assert relaxed.exit_code == 0 and "ten_don_vi" in relaxed.stderr
    strict = runner.invoke(cli, [str(path), "--strict", "-o", str(tmp_path / "out.json")])
    assert strict.exit_code == 2 and not (tmp_path / "out.json").exists()


def test_the_bundled_case_is_warning_free(runner):
    result = runner.invoke(cli, [str(PHUONG5), "--strict"])
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""


@pytest.mark.parametrize(("command", "name"), [(["template"], "t.docx"), (["schema"], "s.md"),
                                              (["rules"], "r.xlsx"), (["test", "phuong5-2024"],
                                                                      "t.json")])
def test_every_command_refuses_an_extension_it_does_not_write(runner, tmp_path, command, name):
    result = runner.invoke(cli, [*command, "-o", str(tmp_path / name)])
    assert result.exit_code == 2 and not (tmp_path / name).exists()


def test_rules_follow_the_output_extension(runner, tmp_path):
    assert runner.invoke(cli, ["rules", "-o", str(tmp_path / "r.json")]).exit_code == 0
    assert json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))[0]["id"] == "CDDH-01"


def test_warnings_are_in_the_markdown_report_too(runner, tmp_path):
    data = _case()
    data["unit"]["ward"] = "Phường Đông Lương"
    result = runner.invoke(cli, [str(_write(tmp_path, data)), "--format", "markdown"])
    assert "## CẢNH BÁO (cần kiểm tra lại)" in result.stdout and "[ten_don_vi]" in result.stdout


def test_a_count_typed_with_a_thousands_separator_is_explained(runner, tmp_path):
    data = _case()
    _set(data, "so_tin_bai_tuyen_truyen_cchc", Decimal("12.600"))
    result = runner.invoke(cli, [str(_write(tmp_path, data))])
    assert result.exit_code == 2 and "có phải là 12 600" in result.output
    assert "type 12600" in result.output
