"""Bad input gets a clear message — file, JSON path, what was expected, in Vietnamese and English —
exit status 2, never a traceback, and the input file is left as it was."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import CASES

from cchc.cli.main import cli

GOOD = json.loads((CASES / "phuong5-2024.json").read_text(encoding="utf-8"))


def _write(tmp_path: Path, content: bytes | str | dict, name: str = "facts.json") -> Path:
    path = tmp_path / name
    if isinstance(content, dict):
        content = json.dumps(content, ensure_ascii=False)
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def _fails(runner, path: Path, *needles: str, status: int = 2) -> str:
    before = path.read_bytes() if path.is_file() else None
    result = runner.invoke(cli, [str(path)])
    assert result.exit_code == status, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert str(path) in result.output
    for needle in needles:
        assert needle in result.output, (needle, result.output)
    if before is not None:
        assert path.read_bytes() == before
    return result.output


def _with(**facts) -> dict:
    data = json.loads(json.dumps(GOOD))
    data["facts"].update(facts)
    return data


def test_missing_file(runner, tmp_path):
    _fails(runner, tmp_path / "khong-co.json", "không tìm thấy tệp", "file not found")


def test_directory(runner, tmp_path):
    _fails(runner, tmp_path, "thư mục", "directory")


def test_unreadable_file(runner, tmp_path, monkeypatch):
    path = _write(tmp_path, GOOD)
    real_open = Path.open

    def refuse(self, *args, **kwargs):
        if self == path:
            raise PermissionError(13, "Permission denied")
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refuse)
    result = runner.invoke(cli, [str(path)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "không đọc được tệp" in result.output and "cannot read the file" in result.output


def test_not_utf8(runner, tmp_path):
    path = _write(tmp_path, json.dumps(GOOD, ensure_ascii=False).encode("cp1258",
                                                                          errors="replace"))
    _fails(runner, path, "UTF-8", "byte")


def test_utf8_bom_is_accepted(runner, tmp_path):
    path = _write(tmp_path, b"\xef\xbb\xbf" + json.dumps(GOOD).encode())
    assert runner.invoke(cli, [str(path)]).exit_code == 0


def test_malformed_json_names_line_and_column(runner, tmp_path):
    path = _write(tmp_path, '{\n  "unit": {"ward": "x"},\n  "year": 2024,\n  "facts": {,}\n}')
    _fails(runner, path, "dòng 4, cột 13", "line 4, column 13", "JSON không hợp lệ")


def test_duplicate_keys(runner, tmp_path):
    text = json.dumps(GOOD, ensure_ascii=False).replace(
        '"ho_so_tiep_nhan": {', '"ho_so_tiep_nhan": 5, "ho_so_tiep_nhan": {', 1)
    _fails(runner, _write(tmp_path, text), "$.facts.ho_so_tiep_nhan", "more than once")


@pytest.mark.parametrize("token", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity(runner, tmp_path, token):
    text = json.dumps(_with(chi_so_pci=123456.5)).replace("123456.5", token)
    _fails(runner, _write(tmp_path, text), "$.facts.chi_so_pci", "not a finite number")


def test_number_as_string_is_refused(runner, tmp_path):
    _fails(runner, _write(tmp_path, _with(ho_so_tiep_nhan="2415")), "$.facts.ho_so_tiep_nhan",
           "cần một số nguyên", "without quotes")


def test_wrong_types_in_structure(runner, tmp_path):
    data = json.loads(json.dumps(GOOD))
    data["year"] = "2024"
    data["unit"] = {"ward": 5}
    _fails(runner, _write(tmp_path, data), "$.year", "$.unit.ward", "cần một số nguyên",
           "cần một chuỗi ký tự")


def test_unknown_fact_gets_did_you_mean(runner, tmp_path):
    _fails(runner, _write(tmp_path, _with(ho_so_so_hoaa=3)), "$.facts.ho_so_so_hoaa",
           "không có dữ kiện tên", "did you mean 'ho_so_so_hoa'?")


def test_negative_count(runner, tmp_path):
    _fails(runner, _write(tmp_path, _with(so_cuoc_kiem_tra_cchc=-1)),
           "$.facts.so_cuoc_kiem_tra_cchc", "không được âm", "cannot be negative")


def test_numerator_above_denominator(runner, tmp_path):
    output = _fails(runner, _write(tmp_path, _with(giao_dich_thanh_toan_truc_tuyen=1100)),
                    "$.facts.giao_dich_thanh_toan_truc_tuyen", "1 100", "1 020", "exceeds")
    assert "$.facts.giao_dich_thanh_toan" in output


@pytest.mark.parametrize("value", ["30/02/2024", "2024-02-30", "2024-13-01", "31/04/2024"])
def test_impossible_dates(runner, tmp_path, value):
    _fails(runner, _write(tmp_path, _with(ngay_ban_hanh_ke_hoach_cchc=value)),
           "$.facts.ngay_ban_hanh_ke_hoach_cchc", "không phải là một ngày có thật",
           "not a real date")


@pytest.mark.parametrize("value", ["ngày 5", "01.02.2024", "01/02/24", "2024/02/01"])
def test_dates_in_a_form_not_read(runner, tmp_path, value):
    _fails(runner, _write(tmp_path, _with(ngay_ban_hanh_ke_hoach_cchc=value)),
           "$.facts.ngay_ban_hanh_ke_hoach_cchc", "không đúng dạng ngày", "day first")


def test_values_are_quoted_as_typed_not_as_python(runner, tmp_path):
    output = _fails(runner, _write(tmp_path, _with(so_cuoc_kiem_tra_cchc=True,
                                                   chi_so_pci="85,5")))
    assert "got true" in output and 'got "85,5"' in output
    assert "True" not in output and "Decimal" not in output


def test_a_whole_number_written_with_point_zero_is_accepted(runner, tmp_path):
    text = json.dumps(_with(pakn_tiep_nhan=12345678)).replace("12345678", "7.0")
    assert runner.invoke(cli, [str(_write(tmp_path, text))]).exit_code == 0


def test_json_syntax_errors_are_explained(runner, tmp_path):
    output = _fails(runner, _write(tmp_path, '{\n  "unit": {"ward": "x"}\n  "year": 2024\n}'),
                    "dòng 3, cột 3", "thiếu dấu phẩy", "a comma (,) is missing", '"year": 2024')
    assert "Expecting" not in output
    _fails(runner, _write(tmp_path, "  \n", "empty.json"), "tệp rỗng", "the file is empty")


def test_unknown_structural_keys_get_did_you_mean(runner, tmp_path):
    data = _with(ho_so_tiep_nhan={"value": 5, "evidnce": []})
    _fails(runner, _write(tmp_path, data), "$.facts.ho_so_tiep_nhan.evidnce",
           "did you mean 'evidence'?")
    data = json.loads(json.dumps(GOOD))
    data["unti"] = {}
    _fails(runner, _write(tmp_path, data, "top.json"), "$.unti", "did you mean 'unit'?")


def test_empty_ward_name(runner, tmp_path):
    data = json.loads(json.dumps(GOOD))
    data["unit"]["ward"] = ""
    _fails(runner, _write(tmp_path, data), "$.unit.ward", "tên phường, xã chưa điền")


def test_previous_year_facts_no_rule_compares(runner, tmp_path):
    data = json.loads(json.dumps(GOOD))
    data["previous_year"]["facts"]["ngay_ban_hanh_ke_hoach_cchc"] = "2023-02-01"
    _fails(runner, _write(tmp_path, data), "$.previous_year.facts.ngay_ban_hanh_ke_hoach_cchc",
           "no rule compares last year's")


def test_decomposed_vietnamese_is_normalised(runner, tmp_path):
    import unicodedata

    data = json.loads(json.dumps(GOOD))
    data["unit"]["ward"] = unicodedata.normalize("NFD", "Phường Đông Lương")
    data["facts"]["muc_do_hoan_thanh_nhiem_vu"]["value"] = unicodedata.normalize(
        "NFD", "Hoàn thành tốt nhiệm vụ")
    result = runner.invoke(cli, [str(_write(tmp_path, data)), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["unit"]["ward"] == "Phường Đông Lương"


def test_impossible_evidence_date(runner, tmp_path):
    data = _with(ho_so_so_hoa={"value": 5, "evidence": [{"number": "1", "date": "31/04/2024"}]})
    _fails(runner, _write(tmp_path, data), "$.facts.ho_so_so_hoa.evidence[0].date")


def test_date_far_from_the_year(runner, tmp_path):
    _fails(runner, _write(tmp_path, _with(ngay_ban_hanh_ke_hoach_cchc="2031-01-01")),
           "nằm xa năm 2024")


def test_level_not_in_the_list(runner, tmp_path):
    _fails(runner, _write(tmp_path, _with(muc_do_hoan_thanh_nhiem_vu="tốt lắm")),
           "$.facts.muc_do_hoan_thanh_nhiem_vu", "hoan_thanh_tot")


def test_year_no_pack_covers(runner, tmp_path):
    data = json.loads(json.dumps(GOOD))
    data["year"] = 2019
    del data["pack"]
    del data["previous_year"]
    _fails(runner, _write(tmp_path, data), "$.year", "không có gói quy tắc nào cho năm 2019",
           "2024")


def test_year_other_than_the_pack(runner, tmp_path):
    data = json.loads(json.dumps(GOOD))
    data["year"] = 2025
    _fails(runner, _write(tmp_path, data), "$.year", "phuong5-2024")


def test_unknown_pack(runner, tmp_path):
    data = json.loads(json.dumps(GOOD))
    data["pack"] = "phuong5-2099"
    _fails(runner, _write(tmp_path, data), "$.pack", "phuong5-2024")


def test_file_is_not_an_object(runner, tmp_path):
    _fails(runner, _write(tmp_path, "[1, 2]"), "đối tượng JSON")


def test_absurdly_large_file_is_refused_quickly(runner, tmp_path):
    path = _write(tmp_path, b'{"x": "' + b"a" * (6 * 1024 * 1024) + b'"}')
    _fails(runner, path, "quá lớn", "too large")


def test_deeply_nested_file_is_refused(runner, tmp_path):
    _fails(runner, _write(tmp_path, "[" * 100_000 + "]" * 100_000), "lồng nhau", "nested")


def test_huge_integer_is_refused(runner, tmp_path):
    text = json.dumps(_with(pakn_tiep_nhan=12345678)).replace("12345678", "9" * 5000)
    _fails(runner, _write(tmp_path, text))


def test_all_problems_are_reported_at_once(runner, tmp_path):
    data = _with(ho_so_tiep_nhan=-5, so_cuoc_kiem_tra_cchc="hai",
                 ngay_bao_cao_phan_cap="31/11/2024")
    output = _fails(runner, _write(tmp_path, data))
    assert output.count("•") == 3


def test_a_malformed_sha256_says_what_is_expected(runner, tmp_path):
    data = _with(so_tin_bai_tuyen_truyen_cchc={"value": 3, "evidence": [
        {"title": "Báo cáo", "sha256": "abc"}]})
    _fails(runner, _write(tmp_path, data), "evidence[0].sha256", "mã sha256 không đúng dạng",
           "exactly 64 hex digits")
