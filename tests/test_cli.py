"""The command line: commands, formats, output files, determinism, exit statuses."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CASES

from cchc.cli.main import cli

PHUONG5 = str(CASES / "phuong5-2024.json")


def test_version_and_help(runner):
    assert runner.invoke(cli, ["--version"]).output.startswith("cchc-score, version ")
    result = runner.invoke(cli, ["--help"])
    assert result.exit_code == 0 and "rules" in result.output and "template" in result.output
    assert runner.invoke(cli, ["score", "--help"]).exit_code == 0


def test_score_prints_areas_totals_and_both_scores(runner):
    result = runner.invoke(cli, [PHUONG5])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "III. Cải cách thủ tục hành chính" in out
    assert ("Điểm tự đánh giá: 77,69 / 83 điểm được chấm (tối đa 100; không áp dụng 2 điểm; "
            "chờ kết quả 15 điểm) — 93,60 % — Xuất sắc (tạm tính: khi có kết quả các tiêu chí "
            "chờ, chỉ số sẽ trong khoảng 79,28 % – 94,58 %)") in out
    assert "Điểm dự kiến thẩm định: 76,69 / 83 điểm được chấm" in out
    assert "Xuất sắc" in out


def test_options_before_the_file_and_english(runner):
    result = runner.invoke(cli, ["--lang", "en", PHUONG5])
    assert result.exit_code == 0, result.output
    assert "Self-assessment score: 77.69 / 83 points scored (max 100;" in result.output


def test_explain_shows_quote_reading_test_and_evidence(runner):
    out = runner.invoke(cli, [PHUONG5, "--explain"]).output
    assert "Trích kế hoạch: “Tỷ lệ giao dịch thanh toán trực tuyến qua Cổng thanh toán" in out
    assert "Kiểm tra: 612 / 1 020 = 60,0 % ≥ 60 %" in out
    assert "Cách hiểu: 'Từ 60% trở lên' đọc là ≥ 60 %" in out
    assert "minh chứng: Số 238/BC-UBND ngày 12/12/2024 của UBND Phường 5" in out


def test_json_output_is_deterministic_and_names_pack_and_facts_hashes(runner):
    first = runner.invoke(cli, [PHUONG5, "--format", "json"]).output
    second = runner.invoke(cli, [PHUONG5, "--format", "json"]).output
    assert first == second
    report = json.loads(first)
    assert report["pack"]["id"] == "phuong5-2024" and report["pack"]["version"]
    assert len(report["pack"]["sha256"]) == 64
    assert report["facts_file"] == {"name": "phuong5-2024.json",
                                    "sha256": report["facts_file"]["sha256"]}


def test_markdown_output(runner):
    out = runner.invoke(cli, [PHUONG5, "--format", "markdown", "--explain"]).output
    assert out.startswith("# KẾT QUẢ TỰ ĐÁNH GIÁ")
    assert "| Mã " in out and "## III. Cải cách thủ tục hành chính" in out


def test_rules_listing_json_shape(runner):
    result = runner.invoke(cli, ["rules", "--format", "json"])
    rules = json.loads(result.output)
    assert len(rules) == 85
    by_id = {rule["id"]: rule for rule in rules}
    assert by_id["CQS-03"]["thresholds"] == [{"op": ">", "value": 85, "unit": "%"}]
    assert by_id["TTHC-06"]["thresholds"] == [{"op": ">=", "value": 60, "unit": "%"}]
    assert by_id["TTHC-09"]["thresholds"][0]["op"] == "=="
    assert by_id["CDDH-01"]["thresholds"] == [{"op": ">=", "value": "2024-01-01", "unit": "date"},
                                              {"op": "<=", "value": "2024-02-29", "unit": "date"}]
    for rule in rules:
        assert set(rule) >= {"id", "area", "requirements", "points", "thresholds"}
        for threshold in rule["thresholds"]:
            assert threshold["op"] in (">", ">=", "<", "<=", "==")
    table = runner.invoke(cli, ["rules"]).output
    assert "TTHC-06" in table and "≥ 60 %" in table


def test_template_lists_every_fact_and_scores_as_no_data(runner, tmp_path, pack):
    path = tmp_path / "template.json"
    assert runner.invoke(cli, ["template", "-o", str(path)]).exit_code == 0
    template = json.loads(path.read_text(encoding="utf-8"))
    assert set(template["facts"]) == set(pack.facts)
    entry = template["facts"]["ho_so_so_hoa"]
    assert entry["value"] is None and entry["label_vi"] and entry["label_en"] and entry["unit"]
    template["unit"]["ward"] = "Phường thử"
    path.write_text(json.dumps(template, ensure_ascii=False), encoding="utf-8")
    result = runner.invoke(cli, [str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["counts"]["thieu_du_lieu"] == 85
    assert report["self_assessment"]["points"] == 0


def test_schema_is_a_json_schema_that_accepts_the_cases(runner):
    import jsonschema

    schema = json.loads(runner.invoke(cli, ["schema"]).output)
    assert schema["$schema"].startswith("https://json-schema.org/")
    validator = jsonschema.Draft202012Validator(schema)
    for path in CASES.glob("*.json"):
        if path.name.endswith(".appraisal.json"):  # the city's appraisals: their own schema
            continue
        errors = list(validator.iter_errors(json.loads(path.read_text(encoding="utf-8"))))
        assert not errors, (path.name, errors[0].message)
    bad = {"unit": {"ward": "x"}, "year": 2024, "facts": {"ho_so_so_hoa": "12"}}
    assert list(validator.iter_errors(bad))


def test_output_file_is_written_whole_and_the_input_is_never_overwritten(runner, tmp_path):
    facts = tmp_path / "facts.json"
    original = (CASES / "phuong5-2024.json").read_bytes()
    facts.write_bytes(original)
    out = tmp_path / "report.json"
    assert runner.invoke(cli, [str(facts), "--format", "json", "-o", str(out)]).exit_code == 0
    assert json.loads(out.read_text(encoding="utf-8"))["year"] == 2024
    result = runner.invoke(cli, [str(facts), "-o", str(facts)])
    assert result.exit_code == 2
    assert facts.read_bytes() == original
    assert sorted(p.name for p in tmp_path.iterdir()) == ["facts.json", "report.json"]


def test_packs_command(runner):
    listed = json.loads(runner.invoke(cli, ["packs", "--format", "json"]).output)
    assert any(entry["id"] == "phuong5-2024" and entry["year"] == 2024 for entry in
               (listed["packs"] if isinstance(listed, dict) else listed))


def test_real_process_exit_statuses_and_no_traceback(tmp_path):
    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "cchc.cli.main", *args],
                              capture_output=True, text=True, encoding="utf-8")

    assert run(PHUONG5).returncode == 0
    missing = run(str(tmp_path / "khong-co.json"))
    assert missing.returncode == 2
    assert "không tìm thấy tệp" in missing.stderr and "Traceback" not in missing.stderr
    usage = run(PHUONG5, "--format", "pdf")
    assert usage.returncode == 2


def test_template_never_overwrites_a_file_without_force(runner, tmp_path):
    filled = tmp_path / "ward.json"
    filled.write_text('{"filled": true}', encoding="utf-8")
    result = runner.invoke(cli, ["template", "-o", str(filled)])
    assert result.exit_code == 2 and "--force" in result.output
    assert filled.read_text(encoding="utf-8") == '{"filled": true}'
    assert runner.invoke(cli, ["template", "-o", str(filled), "--force"]).exit_code == 0
    assert "facts" in json.loads(filled.read_text(encoding="utf-8"))


def test_output_into_a_folder_is_a_usage_error(runner, tmp_path):
    result = runner.invoke(cli, [PHUONG5, "-o", str(tmp_path)])
    assert result.exit_code == 2 and "Lỗi dòng lệnh" in result.output
    assert "thư mục" in result.output and "folder" in result.output
    assert list(tmp_path.iterdir()) == []


def test_written_files_get_the_usual_permissions(runner, tmp_path):
    import os

    out = tmp_path / "report.md"
    assert runner.invoke(cli, [PHUONG5, "-o", str(out)]).exit_code == 0
    umask = os.umask(0)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask


def test_output_format_follows_the_file_extension(runner, tmp_path):
    as_json, as_markdown = tmp_path / "r.json", tmp_path / "r.md"
    runner.invoke(cli, [PHUONG5, "-o", str(as_json)])
    runner.invoke(cli, [PHUONG5, "-o", str(as_markdown)])
    assert json.loads(as_json.read_text(encoding="utf-8"))["format"] == "cchc-score/report/2"
    assert as_markdown.read_text(encoding="utf-8").startswith("# ")


def test_usage_errors_speak_vietnamese_too(tmp_path):
    result = subprocess.run([sys.executable, "-m", "cchc.cli.main", "score"],
                            capture_output=True, text=True, encoding="utf-8")
    assert result.returncode == 2
    assert "Lỗi dòng lệnh / usage error: thiếu FACTS" in result.stderr
    unknown = subprocess.run([sys.executable, "-m", "cchc.cli.main", "--pack", "nope", PHUONG5],
                             capture_output=True, text=True, encoding="utf-8")
    assert unknown.returncode == 2 and "không có gói quy tắc 'nope'" in unknown.stderr
    assert "Tùy chọn / option: --pack nope" in unknown.stderr


def test_markdown_tables_never_wrap(runner):
    out = runner.invoke(cli, [PHUONG5, "--format", "markdown"]).output
    continuation = [line for line in out.splitlines()
                    if re.match(r"\| +\|", line) and "Cộng lĩnh vực" not in line]
    assert re.search(r"\| TTHC-04 +\|", out) and continuation == []


def test_load_ward_is_read_resolve_check(tmp_path):
    """The library pipeline the CLI calls: the pack the file names, else the option's."""
    from cchc.engine.errors import CommandLineError, InputError
    from cchc.engine.inputs import load_ward

    pack, ward = load_ward(Path(PHUONG5))
    assert pack.meta.id == "phuong5-2024" and ward.year == 2024
    with pytest.raises(CommandLineError):
        load_ward(Path(PHUONG5), "khong-co-goi")
    named = json.loads(Path(PHUONG5).read_text(encoding="utf-8"))
    named["pack"] = "khong-co-goi"
    other = tmp_path / "other.json"
    other.write_text(json.dumps(named, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(InputError):
        load_ward(other)


def test_the_benchmark_runs_on_a_few_wards():
    """Not a timing test: the benchmark script must keep working as the code moves."""
    bench = Path(__file__).resolve().parent.parent / "benchmarks" / "bench.py"
    done = subprocess.run([sys.executable, str(bench), "--wards", "20"], capture_output=True,
                          text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    assert "oracle" in done.stdout and "wards/s" in done.stdout
