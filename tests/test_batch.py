"""`cchc-score batch`: many wards scored in processes, ranked, summarised; broken files named.

The figures of the batch (ranking, band counts, area means, weakest rules) are checked against
numbers worked out here from each ward's own `cchc-score FILE --format json` report.
"""

from __future__ import annotations

import csv
import io
import json
import os
import pty
import re
import shutil
import subprocess
import sys
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import CASES
from wardgen import WardGenerator

from cchc.cli.main import cli
from cchc.scoring import batch as batch_module
from cchc.scoring.batch import Figures, Named, PackDescriptor, WardSummary, score_files
from cchc.scoring.ranking import WEAKEST, Aggregator

GOOD = ["phuong-dat-toan-bo-2024.json", "phuong-nguong-2024.json",
        "phuong-thieu-du-lieu-2024.json", "phuong-yeu-2024.json", "phuong5-2024.json"]
BROKEN = {"b-hong.json": "{\"unit\": {\"ward\": \"Phường Hỏng\"}, \"year\": 2024,",
          "c-sai-du-kien.json": None, "d-goi-la.json": None}
LEFT_OUT = ("khong_ap_dung", "cho_ket_qua")


def _cent(value: Fraction | Decimal) -> float:
    exact = Decimal(value.numerator) / Decimal(value.denominator) \
        if isinstance(value, Fraction) else value
    return float(exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def write_ward(path: Path, data: dict) -> None:
    """A generated ward as a facts file (its Decimal numbers written as JSON numbers)."""
    text = json.dumps(data, ensure_ascii=False, default=lambda d: f"@@{d:f}@@")
    path.write_text(re.sub(r'"@@(.*?)@@"', r"\1", text), encoding="utf-8")


@pytest.fixture()
def wards(tmp_path: Path) -> Path:
    """A folder of the bundled cases, a copy of Phường 5 (a tie), three broken files, an
    appraisal file, a subfolder and a note — only the *.json facts files of the folder count."""
    folder = tmp_path / "wards"
    folder.mkdir()
    for name in GOOD:
        shutil.copy(CASES / name, folder / name)
    shutil.copy(CASES / "phuong5-2024.json", folder / "a-ban-sao-phuong5.json")
    (folder / "b-hong.json").write_text(BROKEN["b-hong.json"], encoding="utf-8")
    data = json.loads((CASES / "phuong5-2024.json").read_text(encoding="utf-8"))
    (folder / "c-sai-du-kien.json").write_text(
        json.dumps({**data, "facts": {**data["facts"], "ho_so_tiep_nhan": "nhiều"}},
                   ensure_ascii=False), encoding="utf-8")
    (folder / "d-goi-la.json").write_text(json.dumps({**data, "pack": "khong-co-goi"},
                                                     ensure_ascii=False), encoding="utf-8")
    shutil.copy(CASES / "phuong5-2024.json", folder / "phuong5-2024.appraisal.json")
    (folder / "con").mkdir()
    shutil.copy(CASES / "phuong5-2024.json", folder / "con" / "trong-thu-muc-con.json")
    (folder / "ghi-chu.txt").write_text("không phải tệp dữ kiện", encoding="utf-8")
    return folder


def _good(folder: Path) -> list[Path]:
    return sorted((p for p in folder.glob("*.json") if p.name not in BROKEN
                   and not p.name.endswith(".appraisal.json")), key=lambda p: p.name)


def _reports(runner, paths: list[Path]) -> dict[str, dict]:
    """Each ward's own JSON report, by the file name the batch shows."""
    out = {}
    for path in paths:
        result = runner.invoke(cli, [str(path), "--format", "json"])
        assert result.exit_code == 0, result.output
        out[str(path)] = json.loads(result.stdout)
    return out


def _batch(runner, *args: str) -> tuple[int, dict, str]:
    result = runner.invoke(cli, ["batch", *args, "--format", "json"])
    return result.exit_code, json.loads(result.stdout), result.stderr


def test_mixed_batch_exits_2_names_each_broken_file_and_ranks_the_rest(runner, wards,
                                                                         tmp_path):
    out = tmp_path / "xep-hang.json"
    result = runner.invoke(cli, ["batch", str(wards), "-o", str(out), "--jobs", "2"])
    assert result.exit_code == 2, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    good = _good(wards)
    assert data["format"] == "cchc-score/batch/1"
    assert data["counts"] == {"files": len(good) + 3, "scored": len(good), "failed": 3}
    assert sorted(row["file"] for row in data["ranking"]) == sorted(str(p) for p in good)
    failed = {item["file"]: item for item in data["failed"]}
    assert sorted(failed) == [str(wards / name) for name in sorted(BROKEN)]
    # each error as `cchc-score FILE` words it, on stderr and in the output
    for name in BROKEN:
        alone = runner.invoke(cli, [str(wards / name)])
        assert alone.exit_code == 2
        message = alone.stderr.strip()
        assert message in result.stderr and failed[str(wards / name)]["error"] == message
        assert failed[str(wards / name)]["exit_status"] == 2
    assert "'khong-co-goi'" in failed[str(wards / "d-goi-la.json")]["error"]
    assert "$.facts.ho_so_tiep_nhan" in failed[str(wards / "c-sai-du-kien.json")]["error"]
    assert f"3 / {len(good) + 3} tệp không chấm được / files not scored" in result.stderr


def test_table_lists_the_ranking_and_the_failed_files(runner, wards):
    result = runner.invoke(cli, ["batch", str(wards), "--jobs", "1"])
    assert result.exit_code == 2
    out = result.stdout
    assert "XẾP HẠNG KẾT QUẢ TỰ ĐÁNH GIÁ CCHC" in out and "Hạng" in out and "Rank" in out
    assert "Số tệp / files: 9 — đã chấm / scored: 6 — lỗi / failed: 3" in out
    assert re.search(r"\n\s+1\s+\S+phuong-dat-toan-bo-2024\.json .* 98,5 / 98,5 +100,00 +"
                     r"Xuất sắc", out)
    assert "77,69 / 83" in out and "93,60" in out  # Vietnamese decimals
    assert "Xuất sắc / Excellent" in out and "Tốt / Good" in out
    assert "TỆP KHÔNG CHẤM ĐƯỢC / FILES NOT SCORED (3)" in out
    assert "b-hong.json" in out.split("FILES NOT SCORED")[1]
    assert "Thẩm định" not in out  # no ward has the city's appraisal: no appraised column


def test_ordering_and_bytes_do_not_depend_on_the_number_of_processes(runner, pack, tmp_path):
    folder = tmp_path / "sinh"
    folder.mkdir()
    generator = WardGenerator(pack, seed=7)
    for index in range(60):
        write_ward(folder / f"w{index:03d}.json", generator.ward(index))
    (folder / "w030.json").write_text("[]", encoding="utf-8")  # failures in two chunks
    (folder / "w005.json").write_text("{", encoding="utf-8")
    outputs = []
    for jobs in ("1", "2", "3"):
        result = runner.invoke(cli, ["batch", str(folder), "--format", "json", "--jobs", jobs])
        assert result.exit_code == 2, result.stderr
        outputs.append(result.stdout)
    assert outputs[0] == outputs[1] == outputs[2]
    assert [item["file"] for item in json.loads(outputs[1])["failed"]] == [
        str(folder / "w005.json"), str(folder / "w030.json")]
    items = [(path, None) for path in sorted(folder.glob("*.json"))]
    positions = [result.position for result in score_files(items, jobs=2)]
    assert positions == list(range(60))


def test_ranking_by_index_then_points_ties_share_a_rank(runner, wards):
    code, data, _ = _batch(runner, str(wards), "--jobs", "2")
    assert code == 2
    reports = _reports(runner, _good(wards))
    rows = data["ranking"]
    for row in rows:  # each row is the ward's own report's figures
        own = reports[row["file"]]
        for score in ("self_assessment", "projected_appraisal"):
            assert row[score]["index"] == own[score]["index"]
            assert row[score]["points"] == own[score]["points"]
            assert row[score]["band"] == own[score]["band"]
        assert row["warnings"] == len(own["warnings"])
        assert row["ward"] == own["unit"]["ward"]
    keys = [(-r["self_assessment"]["index"], -r["self_assessment"]["points"], r["file"])
            for r in rows]
    assert keys == sorted(keys)
    copy, original = (str(wards / "a-ban-sao-phuong5.json"), str(wards / "phuong5-2024.json"))
    ranks = {row["file"]: row["rank"] for row in rows}
    files = [row["file"] for row in rows]
    assert ranks[copy] == ranks[original]  # same index and points: same rank
    assert files.index(copy) + 1 == files.index(original)  # listed by file name
    # competition ranking: the next ward's rank counts both
    after = rows[files.index(original) + 1]
    assert after["rank"] == ranks[original] + 2
    assert [row["rank"] for row in rows][:1] == [1]


def _summary(file: str, index: float | None, points: float, pack: PackDescriptor) -> WardSummary:
    score = Figures(points, 100.0, 100.0, index, None)
    return WardSummary(0, file, pack.key, file, None, score, score, 0, (), (), None, pack)


def test_equal_index_more_points_first_and_no_index_last():
    pack = PackDescriptor("k", "p", "1", "", "", True, "", (), (Named("a", "A", "A"),), (), ())
    aggregator = Aggregator()
    for file, index, points in (("e", None, 0.0), ("d", 80.0, 40.0), ("c", 80.0, 41.0),
                                ("b", 90.0, 10.0), ("a", 80.0, 40.0)):
        aggregator.add(_summary(file, index, points, pack))
    ranking = aggregator.finish().ranking
    assert [(row.file, row.rank) for row in ranking] == [("b", 1), ("c", 2), ("a", 3),
                                                          ("d", 3), ("e", 5)]


def test_band_counts_list_every_band_of_the_pack(runner, wards, pack):
    _, data, _ = _batch(runner, str(wards))
    reports = _reports(runner, _good(wards)).values()
    (summary,) = data["packs"]
    assert summary["wards"] == len(reports)
    assert [band["id"] for band in summary["bands"]] == [band.id for band in pack.meta.bands]
    for score in ("self_assessment", "projected_appraisal"):
        counted = Counter(report[score]["band"]["id"] for report in reports)
        assert {band["id"]: band[score] for band in summary["bands"]} == {
            band.id: counted.get(band.id, 0) for band in pack.meta.bands}
    assert any(band["self_assessment"] == 0 for band in summary["bands"])  # 0 included
    assert all(band["appraised"] is None for band in summary["bands"])


def test_area_means_and_weakest_rules_match_the_wards_own_reports(runner, wards):
    _, data, _ = _batch(runner, str(wards), "--jobs", "2")
    reports = list(_reports(runner, _good(wards)).values())
    (summary,) = data["packs"]
    for number, area in enumerate(summary["areas"]):
        for score in ("self_assessment", "projected_appraisal"):
            indexes = [Decimal(str(report["areas"][number][score]["index"]))
                       for report in reports
                       if report["areas"][number][score]["index"] is not None]
            assert area["id"] == reports[0]["areas"][number]["id"]
            assert area[score] == _cent(Fraction(sum(indexes)) / len(indexes))
        assert area["appraised"] is None
    expected = []
    for number, first in enumerate(reports[0]["outcomes"]):
        scored = [report["outcomes"][number] for report in reports
                  if report["outcomes"][number]["status"] not in LEFT_OUT]
        if not scored:
            continue
        shares = [sum(Fraction(str(o[key])) / Fraction(str(o["maximum"])) for o in scored)
                  / len(scored) * 100 for key in ("points", "appraisal_points")]
        not_met = sum(1 for o in scored if o["status"] != "dat")
        expected.append((_cent(shares[0]), -not_met, number,
                         {"rule": first["rule"], "wards": len(scored),
                          "self_assessment": _cent(shares[0]),
                          "projected_appraisal": _cent(shares[1]), "not_met": not_met}))
    expected.sort(key=lambda item: item[:3])
    got = [{key: rule[key] for key in ("rule", "wards", "self_assessment",
                                        "projected_appraisal", "not_met")}
           for rule in summary["weakest_rules"]]
    assert got == [item[3] for item in expected[:WEAKEST]]
    assert len(got) == WEAKEST


def test_csv_has_a_bom_one_bilingual_header_and_the_ranking(runner, wards, tmp_path):
    out = tmp_path / "xep-hang.csv"
    result = runner.invoke(cli, ["batch", str(wards), "-o", str(out)])
    assert result.exit_code == 2
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    assert header[0] == "Hạng / Rank" and "Chỉ số % / Index %" in header
    assert all(" / " in cell for cell in header)
    _, data, _ = _batch(runner, str(wards))
    assert len(body) == len(data["ranking"])
    at = header.index("Chỉ số % / Index %")
    for row, expected in zip(body, data["ranking"], strict=True):
        assert (int(row[0]), row[1]) == (expected["rank"], expected["file"])
        assert float(row[at]) == expected["self_assessment"]["index"]
        assert "," not in row[at]  # a decimal point, as in the JSON
    assert "Phường 5" in raw.decode("utf-8-sig")


def test_no_progress_bar_unless_stderr_is_a_terminal(runner, wards, tmp_path):
    result = runner.invoke(cli, ["batch", str(wards), "-o", str(tmp_path / "a.json")])
    assert "Đang chấm" not in result.stderr and "%" not in result.stderr
    # the same run with stderr on a terminal shows it (so the check above can fail)
    script = Path(sys.executable).with_name("cchc-score")
    leader, follower = pty.openpty()
    process = subprocess.Popen([str(script), "batch", str(wards), "-o",
                                str(tmp_path / "b.json")], stderr=follower,
                               stdout=subprocess.DEVNULL)
    os.close(follower)
    seen = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal closed with the process
            break
        if not chunk:
            break
        seen += chunk
    os.close(leader)
    assert process.wait(timeout=120) == 2
    assert "Đang chấm / scoring".encode() in seen


def test_output_over_an_input_is_refused_before_scoring(runner, wards, tmp_path):
    target = wards / "phuong5-2024.json"
    before = target.read_bytes()
    result = runner.invoke(cli, ["batch", str(wards), "-o", str(target)])
    assert result.exit_code == 2
    assert "trùng với một tệp đầu vào" in result.stderr and target.read_bytes() == before
    named = runner.invoke(cli, ["batch", str(target), str(wards / "phuong-yeu-2024.json"),
                                "-o", str(wards / "phuong-yeu-2024.json")])
    assert named.exit_code == 2 and "trùng với một tệp đầu vào" in named.stderr
    result = runner.invoke(cli, ["batch", str(wards), "-o", str(tmp_path / "x.docx")])
    assert result.exit_code == 2 and not (tmp_path / "x.docx").exists()


def test_csv_is_refused_by_the_other_commands(runner, tmp_path):
    result = runner.invoke(cli, [str(CASES / "phuong5-2024.json"), "-o",
                                 str(tmp_path / "a.csv")])
    assert result.exit_code == 2 and not (tmp_path / "a.csv").exists()


def test_an_internal_error_in_one_ward_exits_1_and_the_rest_is_ranked(runner, wards,
                                                                       monkeypatch, tmp_path):
    real = batch_module.Scorer.score

    def failing(self, ward):
        if ward.unit.ward.startswith("Phường Ví Dụ B"):
            raise ZeroDivisionError("lỗi giả")
        return real(self, ward)

    monkeypatch.setattr(batch_module.Scorer, "score", failing)
    # the workers must inherit the patch: forked, whatever threads the test runner has
    monkeypatch.setattr(batch_module, "_threads", lambda: 1)
    out = tmp_path / "a.json"
    result = runner.invoke(cli, ["batch", str(wards), "--jobs", "2", "-o", str(out)])
    assert result.exit_code == 1
    data = json.loads(out.read_text(encoding="utf-8"))
    internal = [item for item in data["failed"] if item["internal"]]
    assert [item["file"] for item in internal] == [str(wards / "phuong-yeu-2024.json")]
    assert "ZeroDivisionError: lỗi giả" in internal[0]["error"]
    assert data["counts"]["scored"] == len(_good(wards)) - 1


def test_a_worker_that_dies_fails_its_files_instead_of_hanging(wards, monkeypatch):
    real = batch_module.Scorer.score

    def dying(self, ward):
        if ward.unit.ward.startswith("Phường Ví Dụ B"):
            os._exit(9)
        return real(self, ward)

    monkeypatch.setattr(batch_module.Scorer, "score", dying)
    monkeypatch.setattr(batch_module, "_threads", lambda: 1)  # forked: the patch inherited
    items = [(path, None) for path in _good(wards)]
    results = list(score_files(items, jobs=2))
    assert [result.position for result in results] == list(range(len(items)))
    died = [result for result in results if isinstance(result, batch_module.Failure)]
    assert died and all(failure.exit_status == 1 for failure in died)
    assert str(wards / "phuong-yeu-2024.json") in [failure.file for failure in died]


def test_each_pack_is_resolved_and_compiled_once_and_nothing_explained(wards, monkeypatch):
    calls = Counter()
    resolve, scorer_class = batch_module.resolve_pack, batch_module.Scorer

    def counting_resolve(*args, **kwargs):
        calls["resolve"] += 1
        return resolve(*args, **kwargs)

    class CountingScorer(scorer_class):
        def __init__(self, pack):
            calls["scorer"] += 1
            super().__init__(pack)

    def no_texts(self):
        raise AssertionError("an explanation was built")

    from cchc.scoring.explain import Explanation
    for name in ("test", "scoring", "inputs"):
        monkeypatch.setattr(Explanation, name, property(no_texts))
    monkeypatch.setattr(batch_module, "resolve_pack", counting_resolve)
    monkeypatch.setattr(batch_module, "Scorer", CountingScorer)
    items = [(path, None) for path in _good(wards)]
    results = list(score_files(items, jobs=1))
    assert all(isinstance(result, WardSummary) for result in results)
    assert calls == {"resolve": 1, "scorer": 1}
    assert results[0].descriptor is not None
    assert all(result.descriptor is None for result in results[1:])


def test_empty_folder_and_stdin_are_usage_errors(runner, tmp_path):
    result = runner.invoke(cli, ["batch", str(tmp_path)])
    assert result.exit_code == 2 and "không có tệp dữ kiện nào" in result.stderr
    result = runner.invoke(cli, ["batch", "-"])
    assert result.exit_code == 2


def test_appraisals_rank_the_wards_the_city_has_appraised(tmp_path: Path):
    """With --appraisal-dir, each ward with NAME.appraisal.json there gains its appraised score
    (the same as `cchc-score NAME.json --appraisal …` gives) and a rank among the appraised;
    a ward without one keeps its self-assessment only; a broken appraisal fails its ward."""
    folder, appraisals = tmp_path / "wards", tmp_path / "tham-dinh"
    folder.mkdir()
    appraisals.mkdir()
    for name in GOOD:
        shutil.copy(CASES / name, folder / name)
    for path in CASES.glob("*.appraisal.json"):
        shutil.copy(path, appraisals / path.name)
    out = tmp_path / "batch.json"
    result = CliRunner().invoke(cli, ["batch", str(folder), "--appraisal-dir", str(appraisals),
                                      "-o", str(out), "--jobs", "1"])
    assert result.exit_code == 0, result.output
    rows = {Path(row["file"]).name: row for row in json.loads(out.read_text())["ranking"]}
    for name in GOOD:
        appraisal = appraisals / name.replace(".json", ".appraisal.json")
        if not appraisal.exists():
            assert rows[name]["appraised"] is None and rows[name]["appraised_rank"] is None
            continue
        single = tmp_path / f"{name}.report.json"
        CliRunner().invoke(cli, [str(folder / name), "--appraisal", str(appraisal), "-o",
                                 str(single)])
        expected = json.loads(single.read_text(encoding="utf-8"))["appraised"]
        assert rows[name]["appraised"]["points"] == expected["points"]
        assert rows[name]["appraised"]["index"] == expected["index"]
    assert "không khớp" not in result.output  # every appraisal file matched a ward
    # Phường 5 (93,29 %) before the ward missing evidence (60,52 %)
    assert rows["phuong5-2024.json"]["appraised_rank"] == 1
    assert rows["phuong-thieu-du-lieu-2024.json"]["appraised_rank"] == 2
    broken = appraisals / "phuong5-2024.appraisal.json"
    broken.write_text(broken.read_text(encoding="utf-8").replace("Nguyễn Thị Hoa", "X"),
                      encoding="utf-8")
    out.unlink()
    result = CliRunner().invoke(cli, ["batch", str(folder), "--appraisal-dir", str(appraisals),
                                      "-o", str(out), "--jobs", "1"])
    assert result.exit_code == 2
    data = json.loads(out.read_text())
    assert [Path(f["file"]).name for f in data["failed"]] == ["phuong5-2024.json"]
    assert "vòng 1 đã bị sửa" in data["failed"][0]["error"]
    assert data["counts"] == {"files": 5, "scored": 4, "failed": 1}


def test_an_appraisal_file_matching_no_ward_is_named(tmp_path: Path):
    """A misspelt appraisal file is not silently ignored: its ward is ranked without it, and
    the file is named on stderr."""
    folder, appraisals = tmp_path / "wards", tmp_path / "tham-dinh"
    folder.mkdir()
    appraisals.mkdir()
    shutil.copy(CASES / "phuong5-2024.json", folder / "phuong5-2024.json")
    shutil.copy(CASES / "phuong5-2024.appraisal.json",
                appraisals / "phuong-5-2024.appraisal.json")
    command = str(Path(sys.executable).with_name("cchc-score"))
    result = subprocess.run([command, "batch", str(folder),
                             "--appraisal-dir", str(appraisals), "--format", "json"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert "phuong-5-2024.appraisal.json" in result.stderr and "không khớp" in result.stderr
    assert json.loads(result.stdout)["ranking"][0]["appraised"] is None


def test_the_json_is_written_in_pieces_and_whole(tmp_path: Path):
    """The batch JSON reaches the file piece by piece (never one string for ten thousand
    wards), and the file is the same bytes as the whole text."""
    from cchc.reports.batch_report import render_batch_json
    from cchc.scoring.ranking import summarise

    folder = tmp_path / "wards"
    folder.mkdir()
    for name in GOOD:
        shutil.copy(CASES / name, folder / name)
    summary = summarise(score_files([(path, None) for path in sorted(folder.glob("*.json"))],
                                    jobs=1))
    pieces = render_batch_json(summary)
    assert not isinstance(pieces, str)
    text = "".join(render_batch_json(summary))
    out = tmp_path / "batch.json"
    result = CliRunner().invoke(cli, ["batch", str(folder), "-o", str(out), "--jobs", "1"])
    assert result.exit_code == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["counts"]["scored"] == len(GOOD) and text.endswith("}\n")
    assert out.read_text(encoding="utf-8") == text


def test_a_process_with_threads_gets_fresh_workers_with_the_same_results(tmp_path: Path):
    """Forking a process that has other threads may deadlock its children: with a thread
    alive the batch starts fresh interpreters instead, and gives the same results."""
    import threading

    from cchc.scoring.batch import _context

    folder = tmp_path / "wards"
    folder.mkdir()
    for name in GOOD[:3]:
        shutil.copy(CASES / name, folder / name)
    items = [(path, None) for path in sorted(folder.glob("*.json"))]
    alone = list(score_files(items, jobs=1))
    stop = threading.Event()
    helper = threading.Thread(target=stop.wait)
    helper.start()
    try:
        assert _context().get_start_method() != "fork"
        together = list(score_files(items, jobs=2))
    finally:
        stop.set()
        helper.join()
    assert [(r.file, r.self_assessment) for r in together] == \
        [(r.file, r.self_assessment) for r in alone]
