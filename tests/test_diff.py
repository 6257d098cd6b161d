"""`cchc-score diff PACK_A PACK_B`: rules, areas, bands, … added, removed and changed, each change
with its dotted path; the generic comparison; the table and the JSON shape."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import PACK_ID, edit_pack

from cchc.cli.main import cli
from cchc.engine.pack import discover
from cchc.engine.pack.diff import Change, compare, diff_packs
from cchc.engine.pack.load import resolve_pack
from cchc.reports.pack_diff import NO_DIFFERENCES, diff_json, render_diff_table

SECTIONS = ["rules", "areas", "bands", "conventions", "facts", "metrics", "requirements"]


@pytest.fixture(autouse=True)
def no_outside_packs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(discover.PACKS_ENV, raising=False)
    monkeypatch.setattr(discover, "user_packs_dir", lambda: tmp_path / "no-user-folder")


def _diff(folder: Path) -> dict:
    """The shipped pack → `folder`, as the JSON shape."""
    return diff_json(diff_packs(resolve_pack(PACK_ID, None, None),
                                resolve_pack(str(folder), None, None)))


def _changes(result: dict, section: str, item: str) -> list[tuple[str, object, object]]:
    changed = {c["id"]: c["changes"] for c in result[section]["changed"]}
    return [(c["path"], c["from"], c["to"]) for c in changed[item]]


def _only(result: dict, *sections: str) -> None:
    """Nothing differs outside `sections` (and the pack section when named "pack")."""
    for name in SECTIONS:
        if name not in sections:
            assert result[name] == {"added": [], "removed": [], "changed": []}, name
    if "pack" not in sections:
        assert result["pack"] == {"changes": []}


# --- identical packs -------------------------------------------------------------------------


def test_identical_packs_have_no_differences(pack_copy, runner):
    edit_pack(pack_copy, "pack.yaml", "max_points: 100", "max_points: 100  # a comment")
    result = _diff(pack_copy)
    assert result["identical"] is True
    _only(result)
    assert result["from"]["sha256"] != result["to"]["sha256"]  # the files differ, not the pack
    table = runner.invoke(cli, ["diff", PACK_ID, str(pack_copy)])
    assert table.exit_code == 0, table.output
    assert NO_DIFFERENCES in table.output and "Không có khác biệt" in table.output
    assert "read the same" in table.output
    same = runner.invoke(cli, ["diff", PACK_ID, PACK_ID])
    assert same.exit_code == 0 and NO_DIFFERENCES in same.output
    assert "read the same" not in same.output


# --- each kind of change, with its path --------------------------------------------------------


def _raise_online_payment_target(folder: Path) -> None:
    """TTHC-06 from ≥ 60 % to ≥ 65 %, in the rule and in the plan's catalogue (which the pack
    check holds the rule to)."""
    edit_pack(folder, "rules/03_thu_tuc_hanh_chinh.yaml",
              "test: {metric: ty_le_giao_dich_truc_tuyen, op: \">=\", value: 60}",
              "test: {metric: ty_le_giao_dich_truc_tuyen, op: \">=\", value: 65}")
    measure = "\n    unit: '%'\n    quote_vi: Tỷ lệ giao dịch"
    edit_pack(folder, "requirements.yaml", "value: 60" + measure, "value: 65" + measure)


def test_a_changed_threshold(pack_copy, runner):
    _raise_online_payment_target(pack_copy)
    result = _diff(pack_copy)
    assert _changes(result, "rules", "TTHC-06") == [("test.value", 60, 65)]
    assert _changes(result, "requirements", "PL.III.4") == [("measures[1].value", 60, 65)]
    _only(result, "rules", "requirements")
    assert [c["id"] for c in result["rules"]["changed"]] == ["TTHC-06"]
    table = runner.invoke(cli, ["diff", PACK_ID, str(pack_copy)])
    assert table.exit_code == 0, table.output
    row = next(line for line in table.output.splitlines() if line.startswith("TTHC-06"))
    assert row.split() == ["TTHC-06", "đổi", "/", "changed", "test.value", "60", "65"]
    assert "Quy tắc / rules: đổi 1 / changed 1" in table.output


def test_changed_points(pack_copy):
    text = (pack_copy / "rules/02_the_che.yaml").read_text(encoding="utf-8")
    first, rest = text.split("  - id: TC-02", 1)
    first = first.replace("points: 1.5", "points: 2", 1)  # TC-01 +0.5, TC-02 −0.5
    rest = rest.replace("points: 1.5", "points: 1", 1)
    (pack_copy / "rules/02_the_che.yaml").write_text(first + "  - id: TC-02" + rest,
                                                      encoding="utf-8")
    result = _diff(pack_copy)
    assert _changes(result, "rules", "TC-01") == [("points", 1.5, 2)]
    assert _changes(result, "rules", "TC-02") == [("points", 1.5, 1)]
    _only(result, "rules")


def test_a_changed_deadline(pack_copy):
    edit_pack(pack_copy, "rules/02_the_che.yaml", "deadline: 2024-02-15", "deadline: 2024-02-28")
    result = _diff(pack_copy)
    assert _changes(result, "rules", "TC-02") == [("test.deadline", "2024-02-15", "2024-02-28")]
    _only(result, "rules")


def test_a_changed_convention_share_shows_in_the_convention_and_its_rules(pack_copy):
    edit_pack(pack_copy, "pack.yaml", "late_share: 0.5, late_until: year_end",
              "late_share: 0.4, late_until: year_end")
    result = _diff(pack_copy)
    changes = _changes(result, "conventions", "muon_trong_nam")
    # the path is the schema's (`scoring.late_share`, or a tier's share as the schema grows)
    (share,) = [path for path, old, new in changes if (old, new) == (0.5, 0.4)]
    assert share.startswith("scoring.") and share.endswith("share")
    assert any(path == "title.vi" for path, _, _ in changes)  # {share} follows the number
    # a rule scored by the convention, its method as the engine resolved it
    (rule_share,) = [path for path, old, new in _changes(result, "rules", "TC-02")
                     if (old, new) == (0.5, 0.4)]
    assert rule_share.startswith("scoring.") and rule_share.endswith("share")


def _with_extra_rule(folder: Path) -> None:
    """TC-09, a copy of TC-01 worth 1 point: the area and the pack gain a point."""
    path = folder / "rules/02_the_che.yaml"
    text = path.read_text(encoding="utf-8")
    block = text[text.index("  - id: TC-01"):text.index("  - id: TC-02")]
    extra = block.replace("id: TC-01", "id: TC-09").replace("points: 1.5", "points: 1")
    path.write_text(text.rstrip("\n") + "\n\n" + extra, encoding="utf-8")
    edit_pack(folder, "pack.yaml", "{id: the_che,            points: 8,",
              "{id: the_che,            points: 9,")
    edit_pack(folder, "pack.yaml", "max_points: 100", "max_points: 101")


def test_a_removed_rule_and_an_added_one(pack_copy, runner):
    _with_extra_rule(pack_copy)
    shipped = resolve_pack(PACK_ID, None, None)
    copy = resolve_pack(str(pack_copy), None, None)
    removed = diff_json(diff_packs(copy, shipped))
    assert [item["id"] for item in removed["rules"]["removed"]] == ["TC-09"]
    assert removed["rules"]["removed"][0]["value"]["points"] == 1
    assert removed["rules"]["added"] == [] and removed["rules"]["changed"] == []
    assert _changes(removed, "areas", "the_che") == [("points", 9, 8)]
    assert [(c["path"], c["from"], c["to"]) for c in removed["pack"]["changes"]] == [
        ("max_points", 101, 100)]
    _only(removed, "rules", "areas", "pack")
    added = diff_json(diff_packs(shipped, copy))
    assert [item["id"] for item in added["rules"]["added"]] == ["TC-09"]
    assert added["rules"]["removed"] == []
    table = runner.invoke(cli, ["diff", str(pack_copy), PACK_ID]).output
    assert "thêm 0" not in table and "bỏ 1 / removed 1" in table
    row = next(line for line in table.splitlines() if line.startswith("TC-09"))
    assert "bỏ / removed" in row and "Không có văn bản QPPL" in row
    assert "(1 điểm /" in table  # the title and the points of the rule removed


def test_an_added_band(pack_copy, runner):
    edit_pack(pack_copy, "pack.yaml", "  - {id: tot,",
              '  - {id: rat_tot, vi: "Rất tốt", en: "Very good", min_index: 85}\n  - {id: tot,')
    result = _diff(pack_copy)
    (added,) = result["bands"]["added"]
    assert added["id"] == "rat_tot"
    assert (added["value"]["vi"], added["value"]["min_index"]) == ("Rất tốt", 85)
    assert result["bands"]["removed"] == [] and result["bands"]["changed"] == []
    _only(result, "bands")
    table = runner.invoke(cli, ["diff", PACK_ID, str(pack_copy)]).output
    assert "Xếp loại / bands: thêm 1 / added 1" in table
    row = next(line for line in table.splitlines() if line.startswith("rat_tot"))
    assert "thêm / added" in row and "Rất tốt (≥ 85 %)" in row


def test_a_changed_band_threshold(pack_copy):
    edit_pack(pack_copy, "pack.yaml", "min_index: 90}", "min_index: 91}")
    result = _diff(pack_copy)
    assert _changes(result, "bands", "xuat_sac") == [("min_index", 90, 91)]
    _only(result, "bands")


def test_changed_area_points(pack_copy):
    edit_pack(pack_copy, "pack.yaml", "{id: the_che,            points: 8,",
              "{id: the_che,            points: 9,")
    edit_pack(pack_copy, "pack.yaml", "max_points: 100", "max_points: 101")
    text = (pack_copy / "rules/02_the_che.yaml").read_text(encoding="utf-8")
    head, rest = text.split("  - id: TC-03", 1)
    (pack_copy / "rules/02_the_che.yaml").write_text(
        head + "  - id: TC-03" + rest.replace("points: 1", "points: 2", 1), encoding="utf-8")
    result = _diff(pack_copy)
    assert _changes(result, "areas", "the_che") == [("points", 8, 9)]
    assert _changes(result, "rules", "TC-03") == [("points", 1, 2)]
    assert [(c["path"], c["from"], c["to"]) for c in result["pack"]["changes"]] == [
        ("max_points", 100, 101)]
    _only(result, "areas", "rules", "pack")


def test_pack_year_and_version(pack_copy, runner):
    edit_pack(pack_copy, "pack.yaml", 'version: "1.0.0"', 'version: "1.1.0"')
    result = _diff(pack_copy)
    assert [(c["path"], c["kind"], c["from"], c["to"]) for c in result["pack"]["changes"]] == [
        ("version", "changed", "1.0.0", "1.1.0")]
    assert result["to"]["version"] == "1.1.0" and result["identical"] is False
    table = runner.invoke(cli, ["diff", PACK_ID, str(pack_copy)]).output
    assert "Gói / pack (pack.yaml)" in table and "1.0.0" in table and "1.1.0" in table


def test_facts_and_metrics(pack_copy):
    edit_pack(pack_copy, "facts.yaml", "plausible_max: 200", "plausible_max: 300")
    edit_pack(pack_copy, "facts.yaml", """  ngay_ban_hanh_ke_hoach_cchc:
    type: date
    label: {vi: "Ngày ban hành Kế hoạch CCHC năm 2024 của UBND phường",""",
              """  ngay_ban_hanh_ke_hoach_cchc:
    type: date
    label: {vi: "Ngày ban hành Kế hoạch CCHC 2024",""")
    result = _diff(pack_copy)
    assert _changes(result, "metrics", "ty_le_thu_ngan_sach") == [("plausible_max", 200, 300)]
    assert _changes(result, "facts", "ngay_ban_hanh_ke_hoach_cchc") == [
        ("label.vi", "Ngày ban hành Kế hoạch CCHC năm 2024 của UBND phường",
         "Ngày ban hành Kế hoạch CCHC 2024")]
    _only(result, "facts", "metrics")


# --- the generic comparison ------------------------------------------------------------------


def test_compare_walks_any_shape():
    before = {"test": {"op": ">=", "value": 85, "late": [{"share": 0.5}]}, "flag": True,
              "requirements": ["a", "b"], "tiers": [{"id": "x", "v": 1}, {"id": "y", "v": 2}],
              "gone": 1}
    after = {"test": {"op": ">", "value": 85.0, "late": [{"share": 0.4}, {"share": 0.2}]},
             "flag": 1, "requirements": ["a", "c"], "tiers": [{"id": "y", "v": 3}],
             "applies_if": {"all": [{"fact": "f"}]}}
    assert compare(before, after) == [
        Change("test.op", ">=", ">"),
        Change("test.late[0].share", 0.5, 0.4),
        Change("test.late[1]", None, {"share": 0.2}, "added"),
        Change("flag", True, 1),  # a yes/no is not a number, though True == 1 in Python
        Change("requirements", ["a", "b"], ["a", "c"]),
        Change("tiers[id=x]", {"id": "x", "v": 1}, None, "removed"),
        Change("tiers[id=y].v", 2, 3),
        Change("gone", 1, None, "removed"),
        Change("applies_if", None, {"all": [{"fact": "f"}]}, "added"),
    ]
    assert compare(before, before) == []


# --- the JSON shape and the command line -----------------------------------------------------


def test_the_json_shape(pack_copy, runner, tmp_path):
    _raise_online_payment_target(pack_copy)
    output = tmp_path / "diff.json"
    result = runner.invoke(cli, ["diff", PACK_ID, str(pack_copy), "-o", str(output)])
    assert result.exit_code == 0, result.output
    assert result.output == ""
    data = json.loads(output.read_text(encoding="utf-8"))
    assert list(data) == ["format", "identical", "from", "to", *SECTIONS, "pack"]
    assert data["format"] == "cchc-score/pack-diff/1" and data["identical"] is False
    shipped = resolve_pack(PACK_ID, None, None)
    assert data["from"] == {"id": PACK_ID, "version": "1.0.0", "sha256": shipped.sha256,
                            "location": PACK_ID, "shipped": True}
    assert data["to"]["location"] == str(pack_copy) and data["to"]["shipped"] is False
    for name in SECTIONS:
        assert list(data[name]) == ["added", "removed", "changed"]
    assert data["rules"]["changed"] == [{"id": "TTHC-06", "changes": [
        {"path": "test.value", "kind": "changed", "from": 60, "to": 65}]}]
    assert data["pack"] == {"changes": []}
    # --format json on stdout gives the same bytes; the same packs always the same bytes
    again = runner.invoke(cli, ["diff", PACK_ID, str(pack_copy), "--format", "json"])
    assert again.stdout == output.read_text(encoding="utf-8")


def test_diff_finds_packs_by_id_in_a_packs_dir(tmp_path, runner):
    from test_discovery import CITY_ID, make_pack
    folder = make_pack(tmp_path / "d", "city", version="2.0.0")
    result = runner.invoke(cli, ["diff", PACK_ID, CITY_ID, "--packs-dir", str(tmp_path / "d"),
                                 "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["to"]["location"] == str(folder)
    assert [(c["path"], c["from"], c["to"]) for c in data["pack"]["changes"]] == [
        ("id", PACK_ID, CITY_ID), ("version", "1.0.0", "2.0.0")]


def test_diff_refuses_bad_arguments(tmp_path, runner, pack_copy):
    unknown = runner.invoke(cli, ["diff", PACK_ID, "phuong9-2030"])
    assert unknown.exit_code == 2 and "PACK_B" in unknown.output
    word = runner.invoke(cli, ["diff", PACK_ID, PACK_ID, "-o", str(tmp_path / "d.docx")])
    assert word.exit_code == 2 and not (tmp_path / "d.docx").exists()
    text = runner.invoke(cli, ["diff", PACK_ID, str(pack_copy), "-o", str(tmp_path / "d.txt")])
    assert text.exit_code == 0 and text.output == ""
    assert NO_DIFFERENCES in (tmp_path / "d.txt").read_text(encoding="utf-8")


def test_the_table_text_is_rendered_from_the_diff_alone(pack):
    text = render_diff_table(diff_packs(pack, pack))
    assert text.startswith("So sánh gói quy tắc / rule pack comparison\n")
    assert NO_DIFFERENCES in text
