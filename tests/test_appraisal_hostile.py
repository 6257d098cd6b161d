"""Hostile and careless appraisal files (`score --appraisal`, `verify`, `appraisal-template`).

The promise: a bad appraisal file is an input error (exit status 2) naming the file, the JSON path
and what was expected, in Vietnamese then English — never a traceback (exit 1), never a hang,
never a silent wrong score (a clamp, a decision ignored, points above a rule's maximum, a status
a rule cannot take); inputs are never written; an output is written whole or not at all. The
chain of round hashes (RFC 8785, sha256) catches an edited facts file, a round edited, removed,
inserted or reordered, a round decided under another pack, and `verify` names the first broken
link; reformatting the file (whitespace, key order, 1.5 vs 1.50) does not break it.

Round hashes are computed here independently of cchc-score (the `rfc8785` library on the round
as plain JSON), as the chain's documentation promises anyone can.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import time
import unicodedata
from pathlib import Path

import pytest
import rfc8785
from conftest import CASES, ROOT

from cchc.cli.main import cli

PHUONG5 = CASES / "phuong5-2024.json"
ANHOA_PACK = ROOT / "tests" / "packs" / "anhoa-2025"
ANHOA = ANHOA_PACK / "case" / "anhoa-2025.json"
FAST = 3.0  # seconds

# Phường 5: the tool's projected appraisal (round 0) is 76.69; TC-02 (max 1.5) is `dat` 1.5,
# backed by one document 21/KH-UBND of the fact ngay_ban_hanh_ke_hoach_pbgdpl; CDDH-06 (max 1) is
# `dat`, its fact so_cuoc_kiem_tra_cchc backed by 52/KH-UBND and 245/BC-UBND; TC-01 is
# all-or-nothing and always applies. The self-assessment is dated 15/01/2025.
PROJECTED = 76.69
ON = "2025-01-20"
TC02_DOC = {"fact": "ngay_ban_hanh_ke_hoach_pbgdpl", "number": "21/KH-UBND"}
DECISION = "$.rounds[0].decisions[0]"


# --- helpers -------------------------------------------------------------------------------------


def _jcs(written: dict) -> str:
    """A round's hash as any JCS library computes it from the round as written."""
    return hashlib.sha256(rfc8785.dumps(written)).hexdigest()


def _chain(data: dict) -> dict:
    """Number the rounds and link each to the one before it (independently of cchc-score)."""
    previous = None
    for number, item in enumerate(data["rounds"], 1):
        item["round"] = number
        item["previous_sha256"] = previous
        previous = _jcs(json.loads(json.dumps(item)))
    return data


def _invoke(runner, args):
    started = time.monotonic()
    result = runner.invoke(cli, [str(a) for a in args])
    elapsed = time.monotonic() - started
    assert "Traceback" not in result.output
    assert "Lỗi nội bộ" not in result.output, result.output
    assert elapsed < FAST, f"{elapsed:.1f} s"
    return result


@pytest.fixture(scope="module")
def templates(tmp_path_factory):
    """The round-1 templates the tool writes for Phường 5 and An Hòa."""
    from click.testing import CliRunner

    folder = tmp_path_factory.mktemp("templates")
    runner = CliRunner()
    out = {}
    for key, args in (("phuong5", [PHUONG5]), ("anhoa", [ANHOA, "--pack", ANHOA_PACK])):
        target = folder / f"{key}.json"
        result = runner.invoke(cli, ["appraisal-template", *map(str, args), "-o", str(target)])
        assert result.exit_code == 0, result.output
        out[key] = json.loads(target.read_text(encoding="utf-8"))
    return out


def _filled(templates, decisions, on=ON, key="phuong5"):
    """Round 1 filled in: a name, a date and the given decisions."""
    data = copy.deepcopy(templates[key])
    first = data["rounds"][0]
    first["appraised_by"]["name"] = "Lê Thị B"
    first["appraised_on"] = on
    first["decisions"] = decisions
    return data


def _rounds(templates, *decided, responses=None, dates=None):
    """Rounds 1, 2, … with the given decisions (and giải trình), linked."""
    data = _filled(templates, decided[0])
    first = data["rounds"][0]
    for index, decisions in enumerate(decided[1:], 1):
        item = copy.deepcopy(first)
        item["decisions"] = decisions
        item["responses"] = (responses or {}).get(index, [])
        item["appraised_on"] = (dates or {}).get(index, f"2025-02-{index:02d}")
        data["rounds"].append(item)
    return _chain(data)


def _set(rule, status, points=None, reason="Hồ sơ không đủ"):
    out = {"rule": rule, "decision": "set", "status": status, "reason": reason}
    if points is not None:
        out["points"] = points
    return out


def _reject(rule, *documents, reason="Văn bản không hợp lệ"):
    return {"rule": rule, "decision": "reject_evidence", "reason": reason,
            "rejected_evidence": list(documents)}


def _write(tmp_path: Path, data, name="phuong5.appraisal.json") -> Path:
    path = tmp_path / name
    if isinstance(data, bytes):
        path.write_bytes(data)
    elif isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def _refused(runner, tmp_path, data, where, *words, facts=PHUONG5, extra=()):
    """Score with the appraisal file: exit status 2, the file, the path and the words named."""
    path = _write(tmp_path, data)
    result = _invoke(runner, [facts, *extra, "--appraisal", path, "--format", "json"])
    out = result.output
    assert result.exit_code == 2, out[:3000]
    assert str(path) in out and where in out, out
    for word in words:
        assert word in out, out
    return out


def _appraised(runner, tmp_path, data, facts=PHUONG5, extra=()):
    """Score with the appraisal file: exit status 0, the report's JSON."""
    path = _write(tmp_path, data)
    result = _invoke(runner, [facts, *extra, "--appraisal", path, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _points(report) -> float:
    return report["appraised"]["points"]


def _verify(runner, facts, path, extra=()):
    result = _invoke(runner, ["verify", facts, *extra, "--appraisal", path, "--format", "json"])
    return result.exit_code, json.loads(result.stdout) if result.stdout.strip() else None


# --- the file as bytes and JSON ------------------------------------------------------------------


@pytest.mark.parametrize("typed", ['"1.5"', "true", "-1", "1e308", "NaN", "Infinity"])
def test_points_that_are_not_a_plain_number_are_refused(runner, tmp_path, templates, typed):
    data = _filled(templates, [_set("TC-02", "dat_mot_phan", 999)])
    text = json.dumps(data, ensure_ascii=False).replace("999", typed)
    _refused(runner, tmp_path, text, f"{DECISION}.points")


@pytest.mark.parametrize("typed", ["0.001", "1.005", "1.2500000000000000001", "0.999"])
def test_points_with_more_than_two_decimals_are_refused(runner, tmp_path, templates, typed):
    data = _filled(templates, [_set("TC-02", "dat_mot_phan", 999)])
    text = json.dumps(data, ensure_ascii=False).replace("999", typed)
    _refused(runner, tmp_path, text, f"{DECISION}.points", "quá 2 chữ số thập phân",
             "more than 2 decimals")


@pytest.mark.parametrize("typed", ["1.25", "1.250", "125e-2", "1.25E0", "0.125e1"])
def test_one_number_spelled_several_ways_scores_alike(runner, tmp_path, templates, typed):
    data = _filled(templates, [_set("TC-02", "dat_mot_phan", 999)])
    text = json.dumps(data, ensure_ascii=False).replace("999", typed)
    assert _points(_appraised(runner, tmp_path, text)) == 76.44  # 76.69 − 1.5 + 1.25


@pytest.mark.parametrize(("mangle", "words"), [
    (lambda t: t.replace('"year": 2024', '"year": 2024, "year": 2024'),
     ["$.year", "xuất hiện nhiều lần", "appears more than once"]),
    (lambda t: t.replace('"points": 1}', '"points": 1, "points": 0.5}'),
     [f"{DECISION}.points", "xuất hiện nhiều lần"]),
    (lambda t: t.replace('"reason": "x"', '"reason": ' + "[" * 5000 + "]" * 5000),
     ["32"]),
    (lambda t: t.encode("utf-8").replace("Lê".encode(), b"L\xea"), ["UTF-8"]),
    (lambda t: t.encode("utf-16"), ["UTF-8"]),
    (lambda t: "", ["tệp rỗng", "the file is empty"]),
    (lambda t: "[]", ["đối tượng JSON", "a JSON object"]),
    (lambda t: t + " x", ["JSON không hợp lệ", "invalid JSON"]),
    (lambda t: t.replace('"x"', json.dumps("y" * 6_000_000)), ["5,242,880"]),
    (lambda t: t.replace("appraisal/1", "appraisal/2"), ["$.format", "appraisal/1"]),
], ids=["duplicate key", "duplicate key in a decision", "deep", "latin-1", "utf-16", "empty",
        "array", "trailing text", "huge", "other format"])
def test_broken_files_are_input_errors(runner, tmp_path, templates, mangle, words):
    data = _filled(templates, [_set("TC-02", "dat_mot_phan", 1, reason="x")])
    text = mangle(json.dumps(data, ensure_ascii=False))
    path = _write(tmp_path, text)
    result = _invoke(runner, [PHUONG5, "--appraisal", path])
    assert result.exit_code == 2 and str(path) in result.output, result.output
    for word in words:
        assert word in result.output, result.output


def test_an_unknown_key_gets_a_did_you_mean(runner, tmp_path, templates):
    data = _filled(templates, [{"rule": "TC-02", "decision": "accept", "reasn": ""}])
    _refused(runner, tmp_path, data, f"{DECISION}.reasn", "có phải ý bạn là 'reason'?",
             "did you mean 'reason'?")


def test_a_folder_a_pipe_a_device_or_nothing_as_appraisal_file(runner, tmp_path):
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    for path, words in ((tmp_path / "missing.json", "không tìm thấy tệp"),
                        (tmp_path, "thư mục"), (fifo, "không phải là một tệp thường"),
                        (Path("/dev/zero"), "không phải là một tệp thường")):
        result = _invoke(runner, [PHUONG5, "--appraisal", path])
        assert result.exit_code == 2 and str(path) in result.output, result.output
        assert words in result.output, result.output


@pytest.mark.parametrize("broken", ["missing", "empty", "deep"])
def test_errors_on_the_appraisal_file_do_not_call_it_a_facts_file(runner, tmp_path, broken):
    """BUG: the JSON stage words what it expects for a facts file ('the path of a .json facts
    file', 'a facts file shaped like `cchc-score template`'s'), about the appraisal file."""
    path = tmp_path / "a.appraisal.json"
    if broken == "empty":
        path.write_text("", encoding="utf-8")
    elif broken == "deep":
        path.write_text("[" * 100 + "]" * 100, encoding="utf-8")
    result = _invoke(runner, [PHUONG5, "--appraisal", path])
    assert result.exit_code == 2 and str(path) in result.output, result.output
    assert "facts file" not in result.output and "tệp dữ kiện" not in result.output, \
        result.output
    assert "`cchc-score template`" not in result.output, result.output


def test_too_many_rounds_are_refused(runner, tmp_path, templates):
    data = _rounds(templates, *[[] for _ in range(21)])
    _refused(runner, tmp_path, data, "$.rounds", "20")


def test_twenty_rounds_are_read(runner, tmp_path, templates):
    data = _rounds(templates, [_set("TC-02", "dat_mot_phan", 1)], *[[] for _ in range(19)])
    report = _appraised(runner, tmp_path, data)
    assert len(report["appraisal"]["rounds"]) == 20 and _points(report) == 76.19


def test_the_facts_file_as_appraisal_and_the_appraisal_as_facts(runner, tmp_path, templates):
    result = _invoke(runner, [PHUONG5, "--appraisal", PHUONG5])
    assert result.exit_code == 2 and "$.format" in result.output, result.output
    path = _write(tmp_path, _filled(templates, []))
    result = _invoke(runner, [path, "--appraisal", path])
    assert result.exit_code == 2 and str(path) in result.output, result.output


def test_the_appraisal_of_another_ward_or_year(runner, tmp_path, templates):
    data = _filled(templates, [])
    data["unit"]["ward"] = "Phường 7"
    _refused(runner, tmp_path, data, "$.unit.ward", "Phường 7", "Phường 5")
    data = _filled(templates, [])
    data["year"] = 2025
    _refused(runner, tmp_path, data, "$.year", "2025", "2024")


@pytest.mark.parametrize(("where", "value"), [
    ("points", -1),
    ("sha", "g" * 64),
    ("decision", "approve"),
    ("reason", "x" * 5001),
])
def test_shape_errors_say_what_is_expected(runner, tmp_path, templates, where, value):
    """BUG: pydantic's own messages come through in English only with no 'expected' line
    ('Input should be greater than or equal to 0', "String should match pattern
    '^[0-9a-f]{64}$'" for a hash PowerShell's Get-FileHash prints in capitals, …)."""
    data = _filled(templates, [_set("TC-02", "dat_mot_phan", 1)])
    path = {"points": f"{DECISION}.points", "decision": f"{DECISION}.decision",
            "reason": f"{DECISION}.reason", "sha": "$.rounds[0].facts_sha256"}[where]
    if where == "sha":
        data["rounds"][0]["facts_sha256"] = value
    else:
        data["rounds"][0]["decisions"][0][where] = value
    out = _refused(runner, tmp_path, data, path)
    assert "Cần / expected:" in out.split(path, 1)[1].split("•", 1)[0], out


# --- decisions -----------------------------------------------------------------------------------


@pytest.mark.parametrize("rule", ["tc-02", "TC-02 ", "TC‐02", "ＴＣ-02", "TC-02\u200b"])
def test_look_alike_rule_ids_are_unknown_rules(runner, tmp_path, templates, rule):
    data = _filled(templates, [{"rule": rule, "decision": "accept", "reason": "x"}])
    _refused(runner, tmp_path, data, f"{DECISION}.rule", "phuong5-2024",
             "did you mean 'TC-02'?")


def test_two_decisions_on_one_rule_in_a_round(runner, tmp_path, templates):
    data = _filled(templates, [{"rule": "TC-02", "decision": "accept", "reason": "x"},
                               _set("TC-02", "khong_dat")])
    _refused(runner, tmp_path, data, "$.rounds[0].decisions[1].rule", "hai quyết định",
             "two decisions", "$.rounds[0].decisions[0]")


def test_an_untouched_template_is_no_appraisal(runner, tmp_path, templates):
    data = _filled(templates, copy.deepcopy(templates["phuong5"]["rounds"][0]["decisions"]))
    out = _refused(runner, tmp_path, data, f"{DECISION}.decision", "chưa chọn quyết định",
                   "no decision chosen")
    path = _write(tmp_path, templates["phuong5"], "template.json")
    result = _invoke(runner, [PHUONG5, "--appraisal", path])
    assert result.exit_code == 2 and "$.rounds[0].appraised_by.name" in result.output, out


@pytest.mark.parametrize(("rule", "status"), [
    ("TC-01", "dat_mot_phan"), ("TC-01", "khong_ap_dung"), ("TC-01", "cho_ket_qua"),
    ("CQS-07", "khong_ap_dung"),
])
def test_a_status_the_rule_cannot_take(runner, tmp_path, templates, rule, status):
    data = _filled(templates, [_set(rule, status, 0.5 if status == "dat_mot_phan" else None)])
    _refused(runner, tmp_path, data, f"{DECISION}.status", f"{rule} không thể có trạng thái "
             f"{status}", f"rule {rule} cannot be {status}")


@pytest.mark.parametrize(("status", "points", "words"), [
    ("dat", 1, '"dat" earns the maximum (1.5), not 1'),
    ("dat", 0, '"dat" earns the maximum (1.5), not 0'),
    ("dat_mot_phan", 1.5, "below the maximum (1.5)"),
    ("dat_mot_phan", 0, "above 0"),
    ("dat_mot_phan", None, "above 0"),
    ("khong_dat", 0.5, "status khong_dat earns no points, not 0.5"),
    ("thieu_du_lieu", 1, "status thieu_du_lieu earns no points, not 1"),
    ("dat", 5, "5 points is above rule TC-02's maximum (1.5)"),
    ("dat_mot_phan", 1000, "1000 points is above rule TC-02's maximum (1.5)"),
])
def test_points_that_contradict_the_status(runner, tmp_path, templates, status, points, words):
    data = _filled(templates, [_set("TC-02", status, points)])
    _refused(runner, tmp_path, data, f"{DECISION}.points", words)


@pytest.mark.parametrize(("decision", "points", "not_applicable"), [
    (_set("TC-02", "dat_mot_phan", 1), 76.19, 2.0),
    (_set("TC-02", "dat", 1.50), 76.69, 2.0),
    (_set("TC-02", "khong_dat"), 75.19, 2.0),
    (_set("TC-02", "khong_dat", 0), 75.19, 2.0),
    (_set("TC-02", "thieu_minh_chung"), 75.19, 2.0),
    (_set("CDDH-12", "khong_ap_dung"), 75.86, 3.0),
    (_set("CS-02", "dat"), 78.69, 2.0),
])
def test_set_decisions_score_exactly(runner, tmp_path, templates, decision, points,
                                     not_applicable):
    report = _appraised(runner, tmp_path, _filled(templates, [decision]))
    assert (_points(report), report["appraised"]["not_applicable"]) == (points, not_applicable)


def test_no_decision_keeps_the_projected_appraisal(runner, tmp_path, templates):
    report = _appraised(runner, tmp_path, _filled(templates, []))
    assert _points(report) == PROJECTED == report["projected_appraisal"]["points"]


def test_bonus_and_penalty_decisions(runner, tmp_path, templates):
    extra = ("--pack", ANHOA_PACK)
    base = _appraised(runner, tmp_path, _filled(templates, [], "2026-07-10", "anhoa"), ANHOA,
                      extra)
    assert base["appraised"]["points"] == 85.5
    report = _appraised(runner, tmp_path, _filled(
        templates, [_set("DTT-02", "khong_dat")], "2026-07-10", "anhoa"), ANHOA, extra)
    assert report["appraised"]["points"] == 88.5
    assert report["appraised"]["adjusted"] == {"areas_sum": 86.5, "bonus": 2.0, "penalty": 0.0}
    for decision, words in (
            (_set("DTT-01", "dat", 5), "5 points is above rule DTT-01's maximum (2)"),
            (_set("DTT-02", "khong_dat", 3), "status khong_dat earns no points, not 3"),
            (_set("DTT-01", "dat_mot_phan", 1), "rule DTT-01 cannot be dat_mot_phan"),
            (_set("DTT-01", "khong_ap_dung"), "rule DTT-01 cannot be khong_ap_dung"),
            (_set("TTHC-02", "khong_dat"), "rule TTHC-02 cannot be khong_dat")):
        _refused(runner, tmp_path, _filled(templates, [decision], "2026-07-10", "anhoa"),
                 DECISION, words, facts=ANHOA, extra=extra)


@pytest.mark.parametrize(("decision", "where", "words"), [
    ({"rule": "TC-02", "decision": "accept", "reason": "x", "points": 1}, DECISION,
     'a decision "accept" gives no status or points'),
    ({**_reject("TC-02", TC02_DOC), "status": "dat"}, DECISION,
     'gives no status or points'),
    ({"rule": "TC-02", "decision": "accept", "reason": "x", "rejected_evidence": [TC02_DOC]},
     f"{DECISION}.rejected_evidence", 'only a "reject_evidence" decision'),
    (_reject("TC-02"), f"{DECISION}.rejected_evidence", "no rejected document is named"),
    (_set("TC-02", "khong_dat", reason=" \t "), f"{DECISION}.reason", "needs its reason"),
    (_reject("TC-02", TC02_DOC, reason=""), f"{DECISION}.reason", "needs its reason"),
    ({"rule": "TC-02", "decision": "set", "reason": "x"}, f"{DECISION}.status",
     'a "set" decision needs a status'),
    ({"rule": "TC-02", "decision": "approve", "reason": "x"}, f"{DECISION}.decision", ""),
])
def test_what_each_decision_may_say(runner, tmp_path, templates, decision, where, words):
    _refused(runner, tmp_path, _filled(templates, [decision]), where, words)


@pytest.mark.parametrize(("document", "where", "words"), [
    ({"fact": "ngay_ban_hanh_ke_hoach_pbgdpl", "number": "99/KH-UBND"},
     f"{DECISION}.rejected_evidence[0]", "one of this fact's documents: 21/KH-UBND"),
    ({"fact": "ngay_ban_hanh_ke_hoach_cchc", "number": "18/KH-UBND"},
     f"{DECISION}.rejected_evidence[0].fact", "rule TC-02 reads no fact"),
    ({"fact": "khong_co", "number": "21/KH-UBND"},
     f"{DECISION}.rejected_evidence[0].fact", "one of: ngay_ban_hanh_ke_hoach_pbgdpl"),
    ({"fact": "ngay_ban_hanh_ke_hoach_pbgdpl"}, f"{DECISION}.rejected_evidence[0]",
     "the document's number or title is not given"),
])
def test_rejected_documents_must_be_the_rules(runner, tmp_path, templates, document, where,
                                               words):
    _refused(runner, tmp_path, _filled(templates, [_reject("TC-02", document)]), where, words)


@pytest.mark.parametrize("document", [
    TC02_DOC,
    {"fact": "ngay_ban_hanh_ke_hoach_pbgdpl", "number": " 21/kh-ubnd "},
    {"fact": "ngay_ban_hanh_ke_hoach_pbgdpl", "title": unicodedata.normalize(
        "NFD", "Kế hoạch phổ biến, giáo dục pháp luật và theo dõi thi hành pháp luật năm 2024")},
])
def test_rejecting_the_only_document_leaves_no_evidence(runner, tmp_path, templates, document):
    report = _appraised(runner, tmp_path, _filled(templates, [_reject("TC-02", document)]))
    assert _points(report) == 75.19  # TC-02: 1.5 → 0


def test_rejecting_one_of_two_documents_keeps_the_result(runner, tmp_path, templates):
    decision = _reject("CDDH-06", {"fact": "so_cuoc_kiem_tra_cchc", "number": "52/KH-UBND"})
    assert _points(_appraised(runner, tmp_path, _filled(templates, [decision]))) == PROJECTED


def test_evidence_rejected_in_an_earlier_round_stays_rejected(runner, tmp_path, templates):
    """BUG: round 1 rejects 52/KH-UBND, round 2 rejects 245/BC-UBND, the other document of the
    same fact: no document is left, yet CDDH-06 keeps its point (each round forgets the
    documents rejected before it). Rejecting both in one round gives 75.69."""
    both = _filled(templates, [_reject("CDDH-06",
                                       {"fact": "so_cuoc_kiem_tra_cchc", "number": "52/KH-UBND"},
                                       {"fact": "so_cuoc_kiem_tra_cchc", "number": "245/BC-UBND"})])
    assert _points(_appraised(runner, tmp_path, both)) == 75.69
    data = _rounds(templates,
                   [_reject("CDDH-06", {"fact": "so_cuoc_kiem_tra_cchc", "number": "52/KH-UBND"})],
                   [_reject("CDDH-06", {"fact": "so_cuoc_kiem_tra_cchc",
                                        "number": "245/BC-UBND"})])
    assert _points(_appraised(runner, tmp_path, data)) == 75.69


def test_self_assessed_must_be_the_self_assessment(runner, tmp_path, templates):
    wrong = {"rule": "TC-02", "decision": "accept", "reason": "x",
             "self_assessed": {"status": "dat", "points": 1}}
    _refused(runner, tmp_path, _filled(templates, [wrong]), f"{DECISION}.self_assessed",
             "the facts file gives dat 1.5")


def test_self_assessed_points_are_not_rounded_to_match(runner, tmp_path, templates):
    """BUG: self_assessed 1.504 is rounded to 1.50 and accepted for a self-assessment of 1.5,
    where every other points field refuses a third decimal."""
    near = {"rule": "TC-02", "decision": "accept", "reason": "x",
            "self_assessed": {"status": "dat", "points": 1.504}}
    _refused(runner, tmp_path, _filled(templates, [near]), f"{DECISION}.self_assessed")


# --- giải trình ----------------------------------------------------------------------------------


def test_giai_trinh_in_round_one(runner, tmp_path, templates):
    data = _filled(templates, [_set("TC-02", "dat_mot_phan", 1)])
    data["rounds"][0]["responses"] = [{"rule": "TC-02", "text": "Phường giải trình"}]
    _refused(runner, tmp_path, data, "$.rounds[0].responses[0]", "vòng 1 không có giải trình",
             "round 1 has no giải trình")


@pytest.mark.parametrize(("responses", "where", "words"), [
    ([{"rule": "TC-03", "text": "gt"}], "$.rounds[1].responses[0].rule",
     "rule TC-03 was not adjusted in round 1"),
    ([{"rule": "TC-99", "text": "gt"}], "$.rounds[1].responses[0].rule",
     "rule pack phuong5-2024 has no rule 'TC-99'"),
    ([{"rule": "TC-02", "text": "gt"}, {"rule": "TC-02", "text": "gt"}],
     "$.rounds[1].responses[1].rule", "rule TC-02 has two giải trình in round 2"),
    ([{"rule": "TC-02", "text": "  "}], "$.rounds[1].responses[0].text",
     "the giải trình's text is not filled in"),
    ([{"rule": "TC-02", "text": "gt", "received_on": "hôm qua"}],
     "$.rounds[1].responses[0].received_on", "is not a date"),
])
def test_giai_trinh_checks(runner, tmp_path, templates, responses, where, words):
    data = _rounds(templates, [_set("TC-02", "dat_mot_phan", 1)], [],
                   responses={1: responses})
    _refused(runner, tmp_path, data, where, words)


def test_a_giai_trinh_answers_and_round_two_decides(runner, tmp_path, templates):
    data = _rounds(templates, [_set("TC-02", "dat_mot_phan", 1)], [_set("TC-02", "dat")],
                   responses={1: [{"rule": "TC-02", "text": "Kế hoạch ban hành đúng hạn"}]})
    report = _appraised(runner, tmp_path, data)
    assert [r["total"]["points"] for r in report["appraisal"]["rounds"]] == [76.19, 76.69]


def test_a_giai_trinh_received_after_the_round_that_heard_it(runner, tmp_path, templates):
    """BUG: a giải trình received on 01/01/2030 is 'heard' by round 2 of 01/02/2025; its date
    is checked to be a date and nothing else."""
    data = _rounds(templates, [_set("TC-02", "dat_mot_phan", 1)], [],
                   responses={1: [{"rule": "TC-02", "text": "gt", "received_on": "2030-01-01"}]})
    _refused(runner, tmp_path, data, "$.rounds[1].responses[0].received_on")


# --- dates ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("dates", "where", "words"), [
    ({0: "2025-01-14"}, "$.rounds[0].appraised_on", "before the self-assessment date"),
    ({0: ""}, "$.rounds[0].appraised_on", "the appraisal date is empty or not a date"),
    ({0: "31/02/2025"}, "$.rounds[0].appraised_on", "not a date"),
    ({0: "２０２５-０１-２０"}, "$.rounds[0].appraised_on", "not a date"),
    ({1: "2025-01-19"}, "$.rounds[1].appraised_on", "before the date of round 1"),
])
def test_round_dates(runner, tmp_path, templates, dates, where, words):
    data = _rounds(templates, [], [])
    for index, day in dates.items():
        data["rounds"][index]["appraised_on"] = day
    _refused(runner, tmp_path, _chain(data), where, words)


def test_rounds_on_the_self_assessment_day_and_on_one_day(runner, tmp_path, templates):
    data = _rounds(templates, [], [], dates={1: "2025-01-15"})
    data["rounds"][0]["appraised_on"] = "15/01/2025"
    assert _points(_appraised(runner, tmp_path, _chain(data))) == PROJECTED


def test_a_round_dated_before_the_year_it_appraises(runner, tmp_path, templates):
    """BUG: without prepared_on in the facts file nothing bounds round 1's date: an appraisal
    of the 2024 results dated 01/01/2020 is accepted."""
    facts = json.loads(PHUONG5.read_text(encoding="utf-8"))
    del facts["prepared_on"]
    facts_path = tmp_path / "phuong5-no-date.json"
    facts_path.write_text(json.dumps(facts, ensure_ascii=False), encoding="utf-8")
    data = _filled(templates, [], on="2020-01-01")
    data["rounds"][0]["facts_sha256"] = hashlib.sha256(facts_path.read_bytes()).hexdigest()
    _refused(runner, tmp_path, data, "$.rounds[0].appraised_on", facts=facts_path)


# --- the chain -----------------------------------------------------------------------------------


def _three_rounds(templates):
    return _rounds(templates, [_set("TC-02", "dat_mot_phan", 1.25)], [_set("TC-02", "dat")],
                   [_set("TC-02", "khong_dat")],
                   responses={1: [{"rule": "TC-02", "text": "gt"}],
                              2: [{"rule": "TC-02", "text": "gt"}]})


def test_reformatting_the_file_keeps_the_chain(runner, tmp_path, templates):
    data = _three_rounds(templates)
    assert _points(_appraised(runner, tmp_path, data)) == 75.19
    data["rounds"][0] = dict(reversed(list(data["rounds"][0].items())))
    for text in (json.dumps(data, ensure_ascii=False, separators=(",", ":")),
                 json.dumps(data, ensure_ascii=True, indent=8),
                 json.dumps(data, ensure_ascii=False).replace("1.25", "1.250"),
                 json.dumps(data, ensure_ascii=False).replace("1.25", "125e-2")):
        path = _write(tmp_path, text)
        status, verdict = _verify(runner, PHUONG5, path)
        assert (status, verdict["intact"]) == (0, True), verdict
        assert _points(_appraised(runner, tmp_path, text)) == 75.19


def test_a_changed_value_breaks_the_link_after_it(runner, tmp_path, templates):
    text = json.dumps(_three_rounds(templates), ensure_ascii=False).replace("1.25", "1.26")
    _refused(runner, tmp_path, text, "$.rounds[1]", "vòng 1 đã bị sửa",
             "round 1 was edited, removed or replaced")
    status, verdict = _verify(runner, PHUONG5, _write(tmp_path, text))
    assert status == 2 and verdict["intact"] is False
    assert (verdict["first_broken"]["round"], verdict["first_broken"]["link"]) == (2, "previous")


@pytest.mark.parametrize("edit", ["default list", "note removed", "note null", "reason"])
def test_any_edit_of_an_earlier_round_breaks_the_chain(runner, tmp_path, templates, edit):
    data = _three_rounds(templates)
    first = data["rounds"][1]
    if edit == "default list":
        first["decisions"][0]["rejected_evidence"] = []
    elif edit == "note removed":
        del first["note"]
    elif edit == "note null":
        first["note"] = None
    else:
        first["decisions"][0]["reason"] += "."
    status, verdict = _verify(runner, PHUONG5, _write(tmp_path, data))
    assert status == 2
    assert (verdict["first_broken"]["round"], verdict["first_broken"]["link"]) == (3, "previous")


def test_the_facts_file_edited_after_a_round(runner, tmp_path, templates):
    facts = tmp_path / "facts.json"
    facts.write_bytes(PHUONG5.read_bytes() + b"\n")  # one byte more: the same facts, edited
    data = _three_rounds(templates)
    _refused(runner, tmp_path, data, "$.rounds[0]", "tệp dữ kiện đã thay đổi",
             "the facts file changed after round 1", facts=facts)
    status, verdict = _verify(runner, facts, _write(tmp_path, data))
    assert status == 2
    assert (verdict["first_broken"]["round"], verdict["first_broken"]["link"]) == (1, "facts")


@pytest.mark.parametrize(("change", "first_broken"), [
    ("remove first", (1, "number")),
    ("remove middle", (2, "number")),
    ("swap 2 and 3", (2, "number")),
    ("duplicate round 1", (2, "number")),
    ("swap 2 and 3, renumbered", (2, "previous")),
    ("insert a round, renumbered", (3, "previous")),
])
def test_rounds_removed_inserted_or_reordered(runner, tmp_path, templates, change, first_broken):
    data = _three_rounds(templates)
    rounds = data["rounds"]
    if change == "remove first":
        del rounds[0]
    elif change == "remove middle":
        del rounds[1]
    elif change.startswith("swap"):
        rounds[1], rounds[2] = rounds[2], rounds[1]
    elif change == "duplicate round 1":
        rounds.insert(1, copy.deepcopy(rounds[0]))
    else:
        forged = copy.deepcopy(rounds[1])
        forged["decisions"] = [_set("TC-02", "dat")]
        rounds.insert(1, forged)
    if change.endswith("renumbered"):
        for number, item in enumerate(rounds, 1):
            item["round"] = number
    path = _write(tmp_path, data)
    status, verdict = _verify(runner, PHUONG5, path)
    assert status == 2
    assert (verdict["first_broken"]["round"], verdict["first_broken"]["link"]) == first_broken
    _refused(runner, tmp_path, data, f"$.rounds[{first_broken[0] - 1}]")


@pytest.mark.parametrize("field", ["id", "version", "sha256"])
def test_a_round_decided_under_another_pack(runner, tmp_path, templates, field):
    data = _three_rounds(templates)
    data["rounds"][1]["pack"][field] = {"id": "phuong5-2025", "version": "1.0.1",
                                        "sha256": "1" * 64}[field]
    data = _chain(data)
    status, verdict = _verify(runner, PHUONG5, _write(tmp_path, data))
    assert status == 2
    assert (verdict["first_broken"]["round"], verdict["first_broken"]["link"]) == (2, "pack")
    _refused(runner, tmp_path, data, "$.rounds[1]", "vòng 2 thẩm định theo gói quy tắc",
             "round 2 was decided under rule pack")


def test_verify_gives_each_rounds_hash_as_any_jcs_library_does(runner, tmp_path, templates):
    data = _three_rounds(templates)
    status, verdict = _verify(runner, PHUONG5, _write(tmp_path, data))
    assert (status, verdict["intact"]) == (0, True)
    assert verdict["round_sha256"] == [_jcs(item) for item in data["rounds"]]


def test_a_round_hash_is_of_the_text_as_written_even_decomposed(runner, tmp_path, templates):
    """BUG: the reader turns NFD text into NFC before hashing, so a round typed on a Mac (NFD
    Vietnamese) gets a hash no JCS library computes from the file: an auditor recomputing it
    finds a broken chain where `verify` says intact (or the reverse)."""
    reason = unicodedata.normalize("NFD", "Kế hoạch ban hành muộn")
    data = _rounds(templates, [_set("TC-02", "dat_mot_phan", 1, reason=reason)], [])
    path = _write(tmp_path, data)
    status, verdict = _verify(runner, PHUONG5, path)
    written = json.loads(path.read_text(encoding="utf-8"))
    assert verdict["round_sha256"][0] == _jcs(written["rounds"][0])
    assert (status, verdict["intact"]) == (0, True)


@pytest.mark.parametrize("page", [2**53 + 1, 10**20])
def test_a_huge_page_number_in_a_giai_trinh_is_an_input_error(runner, tmp_path, templates,
                                                              page):
    """BUG: an integer beyond 2^53 anywhere in a round (a response's evidence "page") makes the
    RFC 8785 library raise: 'Lỗi nội bộ' (exit 1) from score, verify and appraisal-template."""
    data = _rounds(templates, [_set("TC-02", "dat_mot_phan", 1)], [], responses={1: [
        {"rule": "TC-02", "text": "gt", "evidence": [{"number": "1/BC", "page": 7}]}]})
    text = json.dumps(data, ensure_ascii=False).replace('"page": 7', f'"page": {page}')
    path = _write(tmp_path, text)
    for args in ([PHUONG5, "--appraisal", path], ["verify", PHUONG5, "--appraisal", path],
                 ["appraisal-template", PHUONG5, "--appraisal", path, "-o",
                  tmp_path / "next.json"]):
        result = runner.invoke(cli, [str(a) for a in args])
        assert result.exit_code == 2, result.output
        assert "$.rounds[1].responses[0].evidence[0].page" in result.output, result.output
    assert not (tmp_path / "next.json").exists()


# --- appraisal-template and outputs --------------------------------------------------------------


def test_the_next_round_copies_the_rounds_and_links_to_the_last(runner, tmp_path, templates):
    data = _filled(templates, [_set("TC-02", "dat_mot_phan", 1)])
    path = _write(tmp_path, data)
    before = path.read_bytes()
    target = tmp_path / "round2.json"
    result = _invoke(runner, ["appraisal-template", PHUONG5, "--appraisal", path, "-o", target])
    assert result.exit_code == 0, result.output
    assert path.read_bytes() == before
    written = json.loads(target.read_text(encoding="utf-8"))
    assert written["rounds"][0] == data["rounds"][0]
    second = written["rounds"][1]
    assert (second["round"], second["previous_sha256"]) == (2, _jcs(data["rounds"][0]))
    assert "TC-02" in [item["rule"] for item in second["responses"]]
    # filled in, it scores; untouched, it does not
    unfilled = _invoke(runner, [PHUONG5, "--appraisal", target])
    assert unfilled.exit_code == 2 and "$.rounds[1]" in unfilled.output
    second.update(appraised_by={"name": "Lê Thị B"}, appraised_on="2025-02-01",
                  responses=[{"rule": "TC-02", "text": "Đã ban hành đúng hạn"}],
                  decisions=[_set("TC-02", "dat")])
    assert _points(_appraised(runner, tmp_path, written)) == PROJECTED


def test_no_twenty_first_round_is_written(runner, tmp_path, templates):
    """BUG: after 20 rounds appraisal-template writes a 21st round (exit 0) into a file the
    reader then refuses ('at most 20 items')."""
    path = _write(tmp_path, _rounds(templates, *[[] for _ in range(20)]))
    target = tmp_path / "round21.json"
    result = _invoke(runner, ["appraisal-template", PHUONG5, "--appraisal", path, "-o", target])
    assert result.exit_code == 2 and "$.rounds" in result.output, result.output
    assert not target.exists()


def test_outputs_never_replace_an_input_a_folder_a_link_or_a_device(runner, tmp_path,
                                                                     templates):
    facts = tmp_path / "facts.json"
    facts.write_bytes(PHUONG5.read_bytes())
    path = _write(tmp_path, _filled(templates, [_set("TC-02", "dat_mot_phan", 1)]))
    (tmp_path / "link.json").symlink_to(path)
    saved = {p: p.read_bytes() for p in (facts, path)}
    for args, words in (
            (["appraisal-template", facts, "--appraisal", path, "-o", path], "input of this run"),
            (["appraisal-template", facts, "--appraisal", path, "-o", facts],
             "input of this run"),
            (["appraisal-template", facts, "-o", path], "not overwritten"),
            (["appraisal-template", facts, "--appraisal", path, "-o", tmp_path], "folder"),
            (["appraisal-template", facts, "--appraisal", path, "-o", tmp_path / "link.json"],
             "not a regular file"),
            (["appraisal-template", facts, "--appraisal", path, "-o", "/dev/null"],
             "not a regular file"),
            ([facts, "--appraisal", path, "-o", path], "input of this run"),
            ([facts, "--appraisal", path, "-o", facts], "input of this run"),
            ([facts, "--appraisal", path, "-o", tmp_path / "link.json"], "not a regular file")):
        result = _invoke(runner, args)
        assert result.exit_code == 2 and words in result.output, (args, result.output)
    assert {p: p.read_bytes() for p in saved} == saved
    assert sorted(p.name for p in tmp_path.iterdir()) == ["facts.json", "link.json",
                                                          "phuong5.appraisal.json"]


def test_schema_never_overwrites_an_appraisal_file(runner, tmp_path, templates):
    """BUG: `schema --appraisal -o FILE` replaces any existing file: the city's appraisal
    record, a clerk meaning to save the schema beside it, is lost (appraisal-template refuses
    an existing file)."""
    path = _write(tmp_path, _filled(templates, []))
    before = path.read_bytes()
    result = _invoke(runner, ["schema", "--appraisal", "-o", path])
    assert result.exit_code == 2 and "not overwritten" in result.output, result.output
    assert path.read_bytes() == before


def test_the_appraisal_schema_takes_a_filled_file_and_refuses_text_points(runner, tmp_path,
                                                                          templates):
    import jsonschema

    schema = json.loads(_invoke(runner, ["schema", "--appraisal"]).stdout)
    validator = jsonschema.Draft202012Validator(schema)
    data = _three_rounds(templates)
    assert list(validator.iter_errors(data)) == []
    data["rounds"][0]["decisions"][0]["points"] = "1.25"
    assert list(validator.iter_errors(data))


def test_ten_thousand_bad_decisions_are_answered_at_once(runner, tmp_path, templates):
    unknown = [{"rule": f"X{i:062d}", "decision": "accept", "reason": ""} for i in range(500)]
    data = _rounds(templates, *[unknown for _ in range(20)])
    out = _refused(runner, tmp_path, data, "$.rounds[0].decisions[0].rule")
    assert len(out) < 30_000 and "more" in out


def test_a_hash_in_capitals_is_the_same_hash(runner, tmp_path, templates):
    """PowerShell's Get-FileHash prints capitals: the facts file's hash typed that way is the
    same hash, and the record stays intact."""
    data = _filled(templates, [_set("TC-02", "dat_mot_phan", 1)])
    data["rounds"][0]["facts_sha256"] = data["rounds"][0]["facts_sha256"].upper()
    path = _write(tmp_path, data)
    status, verdict = _verify(runner, PHUONG5, path)
    assert (status, verdict["intact"]) == (0, True)
