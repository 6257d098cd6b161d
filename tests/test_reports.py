"""Renderers: the scorecard's fixed columns, area numbering past XII, JSON shape round trip."""

from __future__ import annotations

import json

from conftest import CASES

from cchc.engine.inputs import load_ward
from cchc.engine.numbers import roman
from cchc.reports.json_report import render_json
from cchc.reports.scorecard import render_scorecard


def _report(scorer, name: str = "phuong5-2024.json"):
    _pack, ward = load_ward(CASES / name)
    return scorer.score(ward)


def test_scorecard_has_one_line_per_rule_in_fixed_columns(scorer, pack):
    lines = render_scorecard(_report(scorer)).splitlines()
    rows = [line for line in lines if line[:1].isupper() and line.split()[0] in
            {rule.id for rule in pack.rules}]
    assert [row.split()[0] for row in rows] == [rule.id for rule in pack.rules]
    # status at column 12 and the test sentence at column 52, whatever the values
    assert {row[12:29].strip() for row in rows} <= {
        "dat", "dat_mot_phan", "khong_dat", "thieu_du_lieu", "thieu_minh_chung",
        "khong_ap_dung", "cho_ket_qua"}
    assert all(row[50:52] == "  " and row[52] != " " for row in rows)


def test_scorecard_leaves_out_version_and_hashes(scorer):
    text = render_scorecard(_report(scorer))
    assert "sha256" not in text and "cchc-score 0" not in text


def test_area_numbers_continue_past_twelve():
    assert [roman(n) for n in (1, 4, 9, 12, 13, 14, 40)] == [
        "I", "IV", "IX", "XII", "XIII", "XIV", "XL"]


def test_json_report_lists_every_outcome_with_its_inputs(scorer, pack):
    data = json.loads(render_json(_report(scorer)))
    assert [o["rule"] for o in data["outcomes"]] == [rule.id for rule in pack.rules]
    assert all(item["json_path"].startswith("$.") for o in data["outcomes"]
               for item in o["inputs"])


def test_fourteen_areas_all_appear_numbered_in_the_table_and_in_markdown(scorer):
    """A plan of 14 areas: each is numbered I … XIV, with its own table and its summary row, in
    the terminal table and in Markdown (a 12-numeral list once dropped the 13th and 14th)."""
    import dataclasses

    from cchc.reports.text import render

    report = _report(scorer)
    extra = [dataclasses.replace(report.areas[0], id=f"them_{n}", vi=f"Lĩnh vực thêm {n}",
                                 en=f"Extra area {n}", rules=())
             for n in range(1, 15 - len(report.areas))]
    wide = dataclasses.replace(report, areas=(*report.areas, *extra))
    assert len(wide.areas) == 14
    for markdown in (False, True):
        for lang in ("vi", "en"):
            text = render(wide, lang, markdown=markdown)
            for number, area in enumerate(wide.areas, 1):
                name = area.vi if lang == "vi" else area.en
                heading = f"{'## ' if markdown else ''}{roman(number)}. {name} — "
                assert heading in text, (markdown, lang, heading)
                row = f"| {roman(number)}. {name} " if markdown else f"{roman(number)}. "
                summary = [line for line in text.splitlines() if line.startswith(row)
                           and " — " not in line]
                assert len(summary) == 1, (markdown, lang, number)
