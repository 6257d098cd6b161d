"""The scoring sheet (biểu tự chấm điểm) as an Excel workbook: `render_sheet(report) -> bytes`.

The workbook a ward sends the city with its report, for the city to re-weight. One sheet: the
header (unit, year, pack, plan, who prepared it, the facts file's sha256; with an appraisal its
file, rounds and last hash), one row per rule under its reform area's heading row, then the
summaries (`reports.sheet_xlsx_summary`) and the pack's band table. The figures are formulas
(kept to SUM, IF, OR, AND, ROUND, MIN, MAX, COUNT, N, ISNUMBER, INDEX, MATCH and IFERROR, which
Excel and LibreOffice both compute):

- per rule: maximum × weight (Hệ số, 1 by default), points × weight, and the maximum scored:
  0 when the rule's status reads Không áp dụng or Chờ kết quả (a status the city changes in its
  drop-down list moves the maximum with it); with an appraisal the same for the appraised
  status and points;
- an area's heading row: =SUM of its rules; the bonus and penalty rules under their own heading
  rows (`report.adjustments`);
- the summary: the areas, the bonus added, the total capped (`total_cap`), the penalty taken
  off (never below 0), the index = MIN(ROUND(points / maximum scored × 100, 2), 100) and the
  band: INDEX/MATCH on the band table's "reached" flags, each the pack's threshold (in data) and
  its area condition (`min_area_share`: the lowest area share against the band's minimum);
- beside them, static cells with the tool's own figures ("Theo cchc-score") and a "≠" formula
  marking where the formulas now say otherwise: with every weight 1 they agree exactly.

Texts are always written as text, never as formulas (a note "=HYPERLINK(…)" stays a note);
characters XML cannot hold become U+FFFD. The bytes are deterministic: the workbook's dates are
the report's (prepared on, the last appraisal round) and every zip part carries that date.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

from cchc.engine.archive import workbook_bytes
from cchc.engine.dates import DateFormatError, parse_date
from cchc.reports.sheet_xlsx_summary import summaries
from cchc.reports.sheet_xlsx_table import Sheet
from cchc.rules import PACK_MANIFEST, shipped_packs
from cchc.rules.schema import PackMeta
from cchc.scoring.report import Report

if TYPE_CHECKING:
    from cchc.scoring.appraisal import Appraisal


def pack_meta(report: Report) -> PackMeta:
    """The manifest of the pack the report was scored with, read again from the shipped pack
    or the report's pack folder; its pack.yaml must hash as the report records (ValueError
    otherwise: pass the pack's manifest to `render_sheet`)."""
    from cchc.engine.pack.load import read_manifest  # only when the caller gave no manifest

    info = report.pack
    folder = shipped_packs().get(info.id) if info.shipped else Path(info.location)
    wanted = dict(info.files).get(PACK_MANIFEST)
    try:
        raw = None if folder is None else folder.joinpath(PACK_MANIFEST).read_bytes()
    except (OSError, ValueError):
        raw = None
    if raw is None or hashlib.sha256(raw).hexdigest() != wanted:
        raise ValueError(f"the pack {info.id} {info.version} the report was scored with is not "
                         f"at hand ({info.location}): pass its manifest, pack=")
    assert folder is not None
    return read_manifest(folder, info.location or info.id)


def _day(text: str | None) -> dt.date | None:
    try:
        return None if not text else parse_date(text)
    except DateFormatError:
        return None


def _bytes(sheet: Sheet) -> bytes:
    """The workbook's bytes, dated from the report: created on the day it was prepared,
    modified on the last appraisal round's (no clock is read)."""
    report, appraisal = sheet.report, sheet.appraisal
    created = _day(report.prepared.on) or dt.date(report.year, 12, 31)
    modified = created
    if appraisal is not None:
        last = appraisal.rounds[-1]
        modified = max(created, _day(last.on_iso) or _day(last.on) or created)
    props = sheet.book.properties
    props.creator = "cchc-score"
    props.title = sheet.ws["A1"].value
    return workbook_bytes(sheet.book, created, modified)


def render_sheet(report: Report, lang: str = "vi", appraisal: Appraisal | None = None, *,
                 pack: PackMeta | None = None) -> bytes:
    """The scoring sheet of `report` as .xlsx bytes, its labels in `lang` ('vi' or 'en'); with
    the city's appraisal, its statuses, points round by round, reasons and totals. `pack`: the
    manifest of the pack the report was scored with (`Pack.meta`: its bands, cap and bonus
    heading); read again from the pack when not given."""
    sheet = Sheet(report, lang, appraisal, pack if pack is not None else pack_meta(report))
    sheet.header()
    sheet.table()
    summaries(sheet)
    sheet.finish()
    return _bytes(sheet)
