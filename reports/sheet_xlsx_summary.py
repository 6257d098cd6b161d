"""The scoring sheet's second half (`reports.sheet_xlsx`): the self-assessment summary, the
appraisal's, and the pack's band table; every figure a formula on the rule table's heading rows,
beside the tool's own figures ("Theo cchc-score") and a "≠" where they differ.

A summary's columns: D the area, E its weighted maximum, F its maximum scored, G its weighted
points, H its index % (the total's capped at 100; then the band), I–K the tool's maximum scored,
points and index (then band), L "≠"; with bands in points and an area condition, M each area's
share of its full maximum. The band table: each band's threshold and area minimum (data, the
city may edit them), and per summary a "reached" flag (1/0) the band is looked up from.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from cchc.engine.numbers import fmt, roman
from cchc.reports.sheet_xlsx_table import (
    BOLD,
    HEAD,
    HEAD_FILL,
    INDEX,
    INPUT_FILL,
    POINTS,
    TOOL,
    Sheet,
    quoted,
)
from cchc.scoring.report import Score, in_language

if TYPE_CHECKING:
    from cchc.scoring.appraisal import RoundSummary

COLUMN = {"area": "D", "wmax": "E", "scored": "F", "points": "G", "index": "H",
          "tool_scored": "I", "tool_points": "J", "tool_index": "K", "flag": "L", "share": "M"}


@dataclass(frozen=True)
class Total:
    """Where a summary put its total: points, index, lowest area share (None: no band has an
    area condition) and the band cell the band table's lookup fills."""

    points: str
    index: str
    share: str | None
    band: str


def fixed(ref: str) -> str:
    """'H45' -> '$H$45'."""
    match = re.fullmatch(r"([A-Z]+)(\d+)", ref)
    assert match is not None
    return f"${match[1]}${match[2]}"


def _flag(sheet: Sheet, row: int, pairs: Sequence[tuple[str, str]]) -> None:
    """'≠' when a formula's figure differs from the tool's (to the cent)."""
    tests = [f"ROUND(N({COLUMN[ours]}{row})-N({COLUMN[theirs]}{row}),2)=0"
             for ours, theirs in pairs]
    test = tests[0] if len(tests) == 1 else f"AND({','.join(tests)})"
    sheet.formula(f"{COLUMN['flag']}{row}", f'=IF({test},"","≠")', "General", BOLD)


def _tool(sheet: Sheet, row: int, score: Score, points: float | None = None,
          index: bool = True) -> None:
    """The tool's maximum scored, points and index of `score`, as static cells."""
    sheet.number(f"{COLUMN['tool_scored']}{row}", score.scored_maximum, font=TOOL)
    sheet.number(f"{COLUMN['tool_points']}{row}", score.points if points is None else points,
                 font=TOOL)
    if index and score.index is not None:
        sheet.number(f"{COLUMN['tool_index']}{row}", score.index, INDEX, TOOL)


def _label(sheet: Sheet, text: str, number: str = "", bold: bool = False) -> None:
    sheet.text(f"A{sheet.row}", number, BOLD if bold else None, align=None)
    sheet.text(f"{COLUMN['area']}{sheet.row}", text, BOLD if bold else None)


def _index(row: int, capped: bool) -> str:
    ratio = f"ROUND(G{row}/F{row}*100,2)"
    return f'=IF(F{row}>0,{f"MIN({ratio},100)" if capped else ratio},"")'


def summary(sheet: Sheet, title: str, keys: tuple[str, str], areas: Sequence[Score],
            total: Score, after: Sequence[tuple[str, Score]]) -> Total:
    """One summary: each area from its heading row, the sum, bonus, cap, penalty, the total
    and its index, the band (looked up later), the lowest area share; `keys`: the rule table's
    columns of the maximum scored and the weighted points; `after`: static lines of the tool's
    (the projected appraisal, the rounds before the last)."""
    words, report, meta = sheet.words, sheet.report, sheet.meta
    by_points = any(band.min_points is not None for band in meta.bands)
    condition = any(band.min_area_share is not None for band in meta.bands)
    shares = by_points and condition
    sheet.row += 1
    sheet.text(f"A{sheet.row}", title, BOLD, align=None)
    sheet.row += 1
    heads = [key for key in COLUMN if key != "share" or shares]
    for key in heads:
        name = words.summary_columns[key]
        sheet.text(f"{COLUMN[key]}{sheet.row}", name, BOLD, HEAD_FILL, HEAD)
    sheet.row += 1
    first = sheet.row
    for number, (area, score, heading) in enumerate(zip(report.areas, areas, sheet.area_rows,
                                                        strict=True), 1):
        row = sheet.row
        _label(sheet, in_language(area, sheet.lang), roman(number))
        for key, source in (("wmax", "wmax"), ("scored", keys[0]), ("points", keys[1])):
            sheet.formula(f"{COLUMN[key]}{row}", f"={sheet.at(source, heading)}")
        sheet.formula(f"H{row}", _index(row, capped=False), INDEX)
        if shares:
            sheet.formula(f"M{row}", f'=IF(E{row}>0,ROUND(G{row}/E{row}*100,2),"")', INDEX)
        _tool(sheet, row, score)
        _flag(sheet, row, (("scored", "tool_scored"), ("points", "tool_points"),
                           ("index", "tool_index")))
        sheet.row += 1
    last = sheet.row - 1
    span = {key: f"SUM({COLUMN[key]}{first}:{COLUMN[key]}{last})"
            for key in ("wmax", "scored", "points")}
    if meta.adjustments is not None or report.adjustments:
        base = sheet.row
        _label(sheet, words.areas_sum)
        for key, text in span.items():
            sheet.formula(f"{COLUMN[key]}{base}", f"={text}")
        _tool(sheet, base, total, total.base if total.base is not None else total.points,
              index=False)
        _flag(sheet, base, (("scored", "tool_scored"), ("points", "tool_points")))
        sheet.row += 1
        adds = {}
        for name, label, group, static in (
                ("bonus", words.bonus, sheet.bonus_row, total.bonus),
                ("penalty", words.penalty, sheet.penalty_row, total.penalty)):
            adds[name] = sheet.row
            _label(sheet, label)
            sheet.formula(f"G{sheet.row}", "=0" if group is None else
                          f"={sheet.at(keys[1], group)}")
            sheet.number(f"J{sheet.row}", static, font=TOOL)
            _flag(sheet, sheet.row, (("points", "tool_points"),))
            sheet.row += 1
        points = f"G{base}+G{adds['bonus']}"
        cap = meta.adjustments.total_cap if meta.adjustments is not None else None
        if cap is not None:
            _label(sheet, words.cap)
            sheet.number(f"G{sheet.row}", cap, fill=INPUT_FILL)
            points = f"MIN({points},G{sheet.row})"
            sheet.row += 1
        row = sheet.row
        for key in ("wmax", "scored"):
            sheet.formula(f"{COLUMN[key]}{row}", f"={COLUMN[key]}{base}")
        sheet.formula(f"G{row}", f"=MAX({points}-G{adds['penalty']},0)")
    else:
        row = sheet.row
        for key, text in span.items():
            sheet.formula(f"{COLUMN[key]}{row}", f"={text}")
    _label(sheet, words.total, bold=True)
    sheet.formula(f"H{row}", _index(row, capped=True), INDEX, BOLD)
    for key in ("wmax", "scored", "points"):
        sheet.ws[f"{COLUMN[key]}{row}"].font = BOLD
    _tool(sheet, row, total)
    _flag(sheet, row, (("scored", "tool_scored"), ("points", "tool_points"),
                       ("index", "tool_index")))
    sheet.row += 1
    band = sheet.row
    _label(sheet, words.band, bold=True)
    sheet.text(f"K{band}", in_language(total.band, sheet.lang) if total.band is not None
               else words.no_band, TOOL)
    sheet.formula(f"L{band}", f'=IF(H{band}=K{band},"","≠")', "General", BOLD)
    sheet.row += 1
    share = None
    if condition:
        share = f"H{sheet.row}"
        column = "M" if shares else "H"
        _label(sheet, words.min_share)
        sheet.formula(share, f"=IF(COUNT({column}{first}:{column}{last})=0,100,"
                             f"MIN({column}{first}:{column}{last}))", INDEX)
        sheet.row += 1
    refused = total.refused_band
    if refused is not None:
        names = {area.id: in_language(area, sheet.lang) for area in report.areas}
        _label(sheet, words.refused.format(
            band=in_language(refused, sheet.lang),
            areas=", ".join(names.get(area, area) for area in total.weak_areas),
            share=fmt(refused.min_area_share or Decimal(0), sheet.lang)))
        sheet.ws[f"D{sheet.row}"].font = TOOL
        sheet.row += 1
    for text, score in after:
        _label(sheet, text.format(band=in_language(score.band, sheet.lang)
                                  if score.band is not None else words.no_band))
        sheet.ws[f"D{sheet.row}"].font = TOOL
        _tool(sheet, sheet.row, score)
        sheet.row += 1
    return Total(f"G{row}", f"H{row}", share, f"H{band}")


def band_table(sheet: Sheet, totals: Sequence[Total]) -> None:
    """The pack's bands, in its order: threshold, kind, area minimum, and per summary whether
    it is reached (1/0); each summary's band is the first reached (INDEX/MATCH)."""
    words, bands = sheet.words, sheet.meta.bands
    by_points = any(band.min_points is not None for band in bands)
    sheet.row += 1
    sheet.text(f"A{sheet.row}", words.bands_title, BOLD, align=None)
    sheet.row += 1
    heads = {"id": "B", "name": "D", "bound": "E", "kind": "F", "share": "G", "self": "H",
             "appraised": "I"}
    for key, letter in list(heads.items())[:5 + len(totals)]:
        sheet.text(f"{letter}{sheet.row}", words.band_columns[key], BOLD, HEAD_FILL, HEAD)
    sheet.row += 1
    first = sheet.row
    for band in bands:
        row = sheet.row
        sheet.text(f"B{row}", band.id)
        sheet.text(f"D{row}", in_language(band, sheet.lang))
        sheet.number(f"E{row}", band.bound, POINTS if by_points else INDEX, fill=INPUT_FILL)
        sheet.text(f"F{row}", words.by_points if by_points else words.by_index, align=None)
        if band.min_area_share is not None:
            sheet.number(f"G{row}", band.min_area_share, INDEX, fill=INPUT_FILL)
        for total, letter in zip(totals, "HI", strict=False):
            reached = fixed(total.points if by_points else total.index)
            test = f"{reached}>=$E${row}"
            if total.share is not None:
                test = f'AND({test},OR($G${row}="",{fixed(total.share)}>=$G${row}))'
            sheet.formula(f"{letter}{row}",
                          f"=IF(ISNUMBER({fixed(total.index)}),IF({test},1,0),0)", "0")
        sheet.row += 1
    last = sheet.row - 1
    for total, letter in zip(totals, "HI", strict=False):
        sheet.formula(total.band, f"=IFERROR(INDEX($D${first}:$D${last},MATCH(1,${letter}$"
                                  f"{first}:${letter}${last},0)),{quoted(words.no_band)})",
                      "General", BOLD)


def summaries(sheet: Sheet) -> None:
    """The self-assessment summary (with the tool's projected appraisal), the appraisal's (with
    the tool's totals after each round before the last), then the band table."""
    report, appraisal, words = sheet.report, sheet.appraisal, sheet.words
    totals = [summary(sheet, words.summary, ("scored", "wpoints"),
                      [area.self_assessment for area in report.areas], report.self_assessment,
                      [(words.projected, report.projected_appraisal)])]
    if appraisal is not None:
        rounds: Sequence[RoundSummary] = appraisal.rounds[:-1]
        totals.append(summary(
            sheet, words.summary_appraised.format(n=len(appraisal.rounds)),
            ("a_scored", "a_wpoints"), appraisal.areas, appraisal.final,
            [(words.after_round.replace("{n}", str(item.number)), item.total)
             for item in rounds]))
    band_table(sheet, totals)
