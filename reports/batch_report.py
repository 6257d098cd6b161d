"""Render a batch (`cchc-score batch`): a table for people, JSON for programs, CSV for Excel.

Every label reads "Vietnamese / English"; names of wards, bands and areas are Vietnamese.

- **table**: the ranking, then per pack the wards per band, the mean index % per area and the
  weakest rules, then the files that failed with their errors. Numbers as the other tables
  print them in Vietnamese (`77,69`, `93,60`).
- **json** (`cchc-score/batch/1`, deterministic bytes; within a version fields are only ever
  added):

      {"format": "cchc-score/batch/1", "tool": {"name", "version"},
       "ranking_rule": {"vi", "en"},
       "counts": {"files", "scored", "failed"},
       "ranking": [{"rank", "file", "pack", "ward", "city",
                    "self_assessment": SCORE, "projected_appraisal": SCORE,
                    "appraised": SCORE | null, "appraised_rank": int | null, "warnings"}],
       "packs": [{"id", "version", "title": {"vi", "en"}, "sha256", "shipped", "location",
                  "wards",
                  "bands": [{"id", "vi", "en", "self_assessment", "projected_appraisal",
                             "appraised"}],
                  "areas": [{"id", "vi", "en", "wards", "self_assessment",
                             "projected_appraisal", "appraised", "appraised_wards"}],
                  "weakest_rules": [{"rule", "area", "title": {"vi", "en"}, "maximum",
                                     "wards", "self_assessment", "projected_appraisal",
                                     "not_met"}]}],
       "failed": [{"file", "exit_status", "internal", "error"}]}

  SCORE is {"points", "maximum", "scored_maximum", "index", "band": {"id", "vi", "en"} |
  null}. `bands` lists every band of the pack in its order (0 included), then — only when some
  ward has none — an entry with `"id": null`. Area means and the rules' mean shares are % with
  2 decimals (null: no ward has a figure there). The `appraised` values are null while no ward
  has the city's appraisal. `error` is the error as the command line prints it.
- **csv**: the ranking only, one row per ward, one header row "Vietnamese / English", UTF-8
  with a byte-order mark (so Excel reads the Vietnamese), comma separated, numbers with a
  decimal point as in the JSON. The other tables are in the table and JSON outputs.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from tabulate import tabulate

from cchc.engine.numbers import fmt, roman
from cchc.scoring.batch import Figures, Named
from cchc.scoring.ranking import WEAKEST, BatchSummary, PackSummary, RankingRow
from cchc.scoring.score import tool_version

BATCH_FORMAT = "cchc-score/batch/1"
RANKING_RULE = {
    "vi": "Xếp theo chỉ số % tự đánh giá, cao trước; bằng chỉ số thì nhiều điểm hơn trước; "
          "bằng cả chỉ số và điểm thì cùng hạng (liệt kê theo tên tệp); phường chưa có chỉ "
          "số xếp cuối. Hạng thẩm định: cùng cách xếp, theo chỉ số % thẩm định, giữa các phường "
          "đã được thẩm định",
    "en": "Ranked by self-assessment index %, highest first; at equal index, more points "
          "first; at equal index and points, the same rank (listed by file name); a ward "
          "without an index comes last. Appraised rank: the same, by the appraised index %, "
          "among the wards the city has appraised"}


def _band_json(band: Named | None) -> dict[str, str] | None:
    return None if band is None else {"id": band.id, "vi": band.vi, "en": band.en}


def _score_json(row: RankingRow, score: Figures | None) -> dict[str, Any] | None:
    if score is None:
        return None
    return {"points": score.points, "maximum": score.maximum,
            "scored_maximum": score.scored_maximum, "index": score.index,
            "band": _band_json(row.band(score))}


def _pack_json(item: PackSummary, appraised: bool) -> dict[str, Any]:
    pack = item.pack
    return {
        "id": pack.id, "version": pack.version, "title": {"vi": pack.title_vi,
                                                          "en": pack.title_en},
        "sha256": pack.key, "shipped": pack.shipped, "location": pack.location,
        "wards": item.wards,
        "bands": [{**(_band_json(count.band) or {"id": None, "vi": "Chưa xếp loại",
                                                 "en": "No band"}),
                   "self_assessment": count.self_assessment,
                   "projected_appraisal": count.projected_appraisal,
                   "appraised": count.appraised if appraised else None}
                  for count in item.bands],
        "areas": [{"id": mean.area.id, "vi": mean.area.vi, "en": mean.area.en,
                   "wards": mean.wards, "self_assessment": mean.self_assessment,
                   "projected_appraisal": mean.projected_appraisal,
                   "appraised": mean.appraised, "appraised_wards": mean.appraised_wards}
                  for mean in item.areas],
        "weakest_rules": [{"rule": stat.rule.id, "area": stat.rule.area,
                           "title": {"vi": stat.rule.title_vi, "en": stat.rule.title_en},
                           "maximum": stat.rule.maximum, "wards": stat.wards,
                           "self_assessment": stat.self_assessment,
                           "projected_appraisal": stat.projected_appraisal,
                           "not_met": stat.not_met}
                          for stat in item.weakest]}


def batch_data(summary: BatchSummary) -> dict[str, Any]:
    """The batch as JSON-ready data (the documented shape)."""
    appraised = summary.has_appraised
    return {
        "format": BATCH_FORMAT,
        "tool": {"name": "cchc-score", "version": tool_version()},
        "ranking_rule": RANKING_RULE,
        "counts": {"files": summary.files, "scored": summary.scored,
                   "failed": len(summary.failures)},
        "ranking": [{"rank": row.rank, "file": row.file, "pack": row.pack.id,
                     "ward": row.ward, "city": row.city,
                     "self_assessment": _score_json(row, row.self_assessment),
                     "projected_appraisal": _score_json(row, row.projected_appraisal),
                     "appraised": _score_json(row, row.appraised),
                     "appraised_rank": row.appraised_rank, "warnings": row.warnings}
                    for row in summary.ranking],
        "packs": [_pack_json(item, appraised) for item in summary.packs],
        "failed": [{"file": failure.file, "exit_status": failure.exit_status,
                    "internal": failure.internal, "error": failure.message}
                   for failure in summary.failures]}


def render_batch_json(summary: BatchSummary) -> Iterator[str]:
    """The batch as deterministic, indented UTF-8 JSON text, in pieces as the encoder makes
    them (a city's ten thousand wards are never held as one string beside their pieces)."""
    yield from json.JSONEncoder(ensure_ascii=False, indent=2).iterencode(batch_data(summary))
    yield "\n"


# --- CSV ----------------------------------------------------------------------------------


def _plain(value: float | None) -> str:
    return "" if value is None else repr(value)


def render_batch_csv(summary: BatchSummary) -> str:
    """The ranking as CSV for Excel: a BOM, one bilingual header row, one row per ward."""
    appraised = summary.has_appraised
    headers = ["Hạng / Rank", "Tệp / File", "Phường / Ward", "Thành phố / City",
               "Gói quy tắc / Rule pack", "Điểm tự đánh giá / Self-assessment points",
               "Tối đa được chấm / Maximum scored", "Chỉ số % / Index %",
               "Xếp loại / Band", "Điểm dự kiến thẩm định / Projected appraisal points",
               "Chỉ số % dự kiến thẩm định / Projected appraisal index %",
               "Xếp loại dự kiến thẩm định / Projected appraisal band"]
    if appraised:
        headers += ["Hạng thẩm định / Appraised rank", "Điểm thẩm định / Appraised points",
                    "Tối đa thẩm định / Appraised maximum scored",
                    "Chỉ số % thẩm định / Appraised index %",
                    "Xếp loại thẩm định / Appraised band"]
    headers.append("Số cảnh báo / Warnings")
    stream = io.StringIO()
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow(headers)
    for row in summary.ranking:
        scores = [row.self_assessment, row.projected_appraisal]
        cells: list[str] = [str(row.rank), row.file, row.ward, row.city or "", row.pack.id]
        for number, score in enumerate(scores):
            band = row.band(score)
            cells += ([_plain(score.points)] + ([_plain(score.scored_maximum)]
                                                if number == 0 else [])
                      + [_plain(score.index), "" if band is None else band.vi])
        if appraised:
            given = row.appraised
            band = None if given is None else row.band(given)
            cells += ["", "", "", "", ""] if given is None else [
                str(row.appraised_rank), _plain(given.points), _plain(given.scored_maximum),
                _plain(given.index), "" if band is None else band.vi]
        cells.append(str(row.warnings))
        writer.writerow(cells)
    return "\ufeff" + stream.getvalue()


# --- the table ----------------------------------------------------------------------------


def _num(value: float) -> str:
    return fmt(Decimal(repr(value)), "vi")


def _pct(value: float | None) -> str:
    return "—" if value is None else fmt(Decimal(repr(value)), "vi", 2)


def _band_name(row: RankingRow, score: Figures) -> str:
    band = row.band(score)
    return "—" if band is None else band.vi


def _table(rows: list[list[str]], headers: list[str], left: int,
           widths: list[int | None] | None = None) -> str:
    align = ["left"] * left + ["right"] * (len(headers) - left)
    return tabulate(rows, headers=headers, tablefmt="simple", disable_numparse=True,
                    colalign=align, maxcolwidths=widths)


def _ranking_table(summary: BatchSummary) -> str:
    appraised = summary.has_appraised
    several = len(summary.packs) > 1
    headers = ["Hạng\nRank", "Tệp\nFile", "Phường\nWard", "Thành phố\nCity",
               *(["Gói\nPack"] if several else []),
               "Điểm / tối đa được chấm\nPoints / max scored", "Chỉ số %\nIndex %",
               "Xếp loại\nBand", "Dự kiến thẩm định %\nProjected appraisal %",
               "Xếp loại dự kiến\nthẩm định\nProjected band"]
    if appraised:
        headers += ["Hạng\nthẩm định\nAppraised rank", "Thẩm định %\nAppraised %",
                    "Xếp loại\nthẩm định\nAppraised band"]
    headers.append("Cảnh báo\nWarnings")
    rows = []
    for row in summary.ranking:
        own, projected = row.self_assessment, row.projected_appraisal
        cells = [str(row.rank), row.file, row.ward, row.city or "",
                 *([row.pack.id] if several else []),
                 f"{_num(own.points)} / {_num(own.scored_maximum)}", _pct(own.index),
                 _band_name(row, own), _pct(projected.index), _band_name(row, projected)]
        if appraised:
            given = row.appraised
            cells += ["—", "—", "—"] if given is None else [
                str(row.appraised_rank), _pct(given.index), _band_name(row, given)]
        cells.append(str(row.warnings))
        rows.append(cells)
    return tabulate(rows, headers=headers, tablefmt="simple", disable_numparse=True,
                    colalign=["right"] + ["left"] * (4 + several) + ["right"] * 2
                    + ["left", "right", "left"] + (["right", "right", "left"] if appraised else [])
                    + ["right"])


def _pack_sections(item: PackSummary, appraised: bool, several: bool) -> list[str]:
    pack = item.pack
    name = f" — {pack.id}" if several else ""
    appraised_header = ["Thẩm định\nAppraised"] if appraised else []
    out = [f"SỐ PHƯỜNG THEO XẾP LOẠI / WARDS PER BAND{name}", ""]
    rows = [[("Chưa xếp loại / No band" if count.band is None
              else f"{count.band.vi} / {count.band.en}"),
             str(count.self_assessment), str(count.projected_appraisal),
             *([str(count.appraised)] if appraised else [])] for count in item.bands]
    rows.append(["Cộng / Total", str(item.wards), str(item.wards),
                 *([str(sum(c.appraised for c in item.bands))] if appraised else [])])
    out += [_table(rows, ["Xếp loại\nBand", "Tự đánh giá\nSelf-assessment",
                          "Dự kiến thẩm định\nProjected appraisal", *appraised_header], 1), ""]
    out += [f"CHỈ SỐ % TRUNG BÌNH THEO LĨNH VỰC / MEAN INDEX % PER AREA{name}", ""]
    rows = [[f"{roman(number)}. {mean.area.vi}", _pct(mean.self_assessment),
             _pct(mean.projected_appraisal),
             *([_pct(mean.appraised)] if appraised else []), str(mean.wards),
             *([str(mean.appraised_wards)] if appraised else [])]
            for number, mean in enumerate(item.areas, 1)]
    out += [_table(rows, ["Lĩnh vực\nArea", "Tự đánh giá\nSelf-assessment",
                          "Dự kiến thẩm định\nProjected appraisal", *appraised_header,
                          "Số phường\nWards",
                          *(["Số phường đã thẩm định\nWards appraised"] if appraised else [])],
                   1, [46, None, None, *([None] * appraised), None, *([None] * appraised)]),
            ""]
    out += [f"{WEAKEST} TIÊU CHÍ YẾU NHẤT (điểm trung bình thấp nhất so với điểm tối đa) / "
            f"THE {WEAKEST} WEAKEST RULES (lowest mean share of their maximum){name}", ""]
    rows = [[stat.rule.id, stat.rule.title_vi, _num(stat.rule.maximum),
             _pct(stat.self_assessment), _pct(stat.projected_appraisal),
             f"{stat.not_met} / {stat.wards}"] for stat in item.weakest]
    out += [_table(rows, ["Mã\nRule", "Tiêu chí\nCriterion", "Tối đa\nMax",
                          "Trung bình % tự đánh giá\nMean % self",
                          "Trung bình % dự kiến thẩm định\nMean % projected",
                          "Chưa đạt / số phường\nNot met / wards"], 2,
                   [10, 50, None, None, None, None]), ""]
    return out


def render_batch_table(summary: BatchSummary) -> str:
    """The batch for people: ranking, bands, area means, weakest rules, failed files."""
    failed = len(summary.failures)
    out = ["XẾP HẠNG KẾT QUẢ TỰ ĐÁNH GIÁ CCHC CÁC PHƯỜNG / CCHC SELF-ASSESSMENT RANKING",
           "",
           f"Số tệp / files: {summary.files} — đã chấm / scored: {summary.scored} — lỗi / "
           f"failed: {failed}"]
    for item in summary.packs:
        pack = item.pack
        line = (f"Gói quy tắc / rule pack: {pack.id} {pack.version} — {pack.title_vi} "
                f"({item.wards} phường / wards)")
        if not pack.shipped:
            line += (f" — CHÚ Ý: không phải gói đi kèm công cụ / NOT the shipped pack: sha256 "
                     f"{pack.key}, {pack.location}")
        out.append(line)
    out += [f"{RANKING_RULE['vi']}.", f"{RANKING_RULE['en']}.", ""]
    if summary.ranking:
        out += [_ranking_table(summary), ""]
        several = len(summary.packs) > 1
        for item in summary.packs:
            out += _pack_sections(item, summary.has_appraised, several)
    if summary.failures:
        out += [f"TỆP KHÔNG CHẤM ĐƯỢC / FILES NOT SCORED ({failed})", ""]
        for failure in summary.failures:
            out += [failure.message, ""]
    return "\n".join(out).rstrip("\n") + "\n"
