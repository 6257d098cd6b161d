"""Render a Report for people: a terminal table or a Markdown document, Vietnamese or English.

Per reform area: a table (tabulate) of rule, status, points / maximum; the area subtotal; then a
summary of all areas, the total, index %, band, and both the self-assessment score and the
projected-appraisal score. With `explain`, every rule follows with its requirement ids, the
plan's words, the reading, the test with its numbers, the points and each input with evidence.
Markdown is for pasting into Word (or converting with pandoc); JSON is `json_report`'s.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from tabulate import tabulate

from cchc.engine.numbers import fmt, percent_of, roman
from cchc.engine.warnings import FactWarning
from cchc.reports.figures import band as _band
from cchc.reports.figures import index as _index
from cchc.reports.figures import num as _num
from cchc.scoring.report import (
    STATUS_LABELS,
    AreaResult,
    Outcome,
    Report,
    Score,
    in_language,
)

if TYPE_CHECKING:
    from types import ModuleType

    from cchc.scoring.appraisal import Appraisal


def _appraisal_text() -> ModuleType:
    """The appraisal parts (`reports.appraisal_text`), imported only for a report with an
    appraisal: a plain run never loads the appraisal modules."""
    from cchc.reports import appraisal_text

    return appraisal_text


@dataclass(frozen=True)
class Words:
    """The fixed words of a report in one language."""

    title: str
    unit: str
    year: str
    pack: str
    facts: str
    rule: str
    criterion: str
    status: str
    points: str
    max: str
    area: str
    self: str
    appraisal: str
    index: str
    band: str
    subtotal: str
    total: str
    summary: str
    na: str
    requirements: str
    quote: str
    reading: str
    test: str
    scoring: str
    inputs: str
    evidence: str
    no_evidence: str
    note: str
    self_line: str
    appraisal_line: str
    appraisal_hint: str
    counts: str
    points_word: str
    last_year: str
    na_short: str
    prepared: str
    pending: str
    pending_short: str
    convention: str
    departs: str
    departures: str
    pending_list: str
    not_shipped: str
    window: str
    points_scored: str
    provisional: str
    exception: str


WORDS = {
    "vi": Words(
        title="KẾT QUẢ TỰ ĐÁNH GIÁ, CHẤM ĐIỂM CCHC",
        unit="Đơn vị",
        year="Năm",
        pack="Gói quy tắc",
        facts="Tệp dữ kiện",
        rule="Mã",
        criterion="Tiêu chí",
        status="Kết quả",
        points="Điểm",
        max="Tối đa",
        area="Lĩnh vực",
        self="Tự đánh giá",
        appraisal="Dự kiến thẩm định",
        index="Chỉ số %",
        band="Xếp loại",
        subtotal="Cộng lĩnh vực",
        total="TỔNG",
        summary="TỔNG HỢP THEO LĨNH VỰC",
        na="không áp dụng",
        requirements="Yêu cầu",
        quote="Trích kế hoạch",
        reading="Cách hiểu",
        test="Kiểm tra",
        scoring="Tính điểm",
        inputs="Dữ kiện",
        evidence="minh chứng",
        no_evidence="chưa có minh chứng",
        note="ghi chú",
        self_line="Điểm tự đánh giá",
        appraisal_line="Điểm dự kiến thẩm định",
        appraisal_hint="(không tính điểm của tiêu chí thiếu tài liệu kiểm chứng)",
        counts="Số tiêu chí",
        points_word="điểm",
        last_year="năm trước",
        na_short="Không áp dụng",
        prepared="Người lập",
        pending="chờ kết quả",
        pending_short="Chờ kết quả",
        convention="Quy ước của gói quy tắc, không có trong Kế hoạch",
        departs="Cách hiểu khác câu chữ",
        departures="⚑ CÁCH HIỂU KHÁC CÂU CHỮ CỦA KẾ HOẠCH (đề nghị thành phố xác nhận hoặc bác "
                   "bỏ)",
        pending_list="TIÊU CHÍ CHỜ KẾT QUẢ (chưa tính vào điểm tối đa; chấm khi có kết quả "
                     "công bố)",
        not_shipped="CHÚ Ý: gói quy tắc này KHÔNG phải gói đi kèm công cụ (chọn bằng --pack, "
                    "hoặc tìm thấy trong một thư mục gói)",
        window="thời hạn",
        points_scored="điểm được chấm",
        exception="Không theo quy ước của gói",
        provisional="tạm tính: khi có kết quả các tiêu chí chờ, chỉ số sẽ trong khoảng {low} % – "
                    "{high} %",
    ),
    "en": Words(
        title="CCHC SELF-ASSESSMENT SCORE",
        unit="Unit",
        year="Year",
        pack="Rule pack",
        facts="Facts file",
        rule="Rule",
        criterion="Criterion",
        status="Status",
        points="Points",
        max="Max",
        area="Area",
        self="Self-assessment",
        appraisal="Projected appraisal",
        index="Index %",
        band="Band",
        subtotal="Area subtotal",
        total="TOTAL",
        summary="SUMMARY BY AREA",
        na="not applicable",
        requirements="Requirements",
        quote="Plan's words",
        reading="Reading",
        test="Test",
        scoring="Points",
        inputs="Facts",
        evidence="evidence",
        no_evidence="no evidence",
        note="note",
        self_line="Self-assessment score",
        appraisal_line="Projected appraisal score",
        appraisal_hint="(without points whose required evidence is missing)",
        counts="Rules by status",
        points_word="points",
        last_year="last year",
        na_short="Not applicable",
        prepared="Prepared by",
        pending="pending",
        pending_short="Pending",
        convention="Pack convention, not in the plan",
        departs="Reading departs from the text",
        departures="⚑ READINGS THAT DEPART FROM THE TEXT OF THE PLAN (for the city to confirm or "
                   "overrule)",
        pending_list="RULES PENDING A RESULT (left out of the maximum; scored once published)",
        not_shipped="NOTE: this rule pack is NOT the one shipped with the tool (chosen with "
                    "--pack, or found in a packs folder)",
        window="window",
        points_scored="points scored",
        exception="Not by the pack's convention",
        provisional="provisional: once the pending rules are scored the index will lie between "
                    "{low} % and {high} %",
    ),
}



def points_cell(outcome: Outcome, lang: str) -> str:
    if outcome.status in ("khong_ap_dung", "cho_ket_qua"):
        return "—"
    text = _num(outcome.points, lang)
    if outcome.appraisal_points != outcome.points:
        text += f" ({_num(outcome.appraisal_points, lang)})"
    return text


def score_line(score: Score, lang: str) -> str:
    """'77,69 / 83 điểm được chấm (tối đa 100; không áp dụng 2 điểm; chờ kết quả 15 điểm) —
    93,60 % — Xuất sắc (tạm tính: …)': the index's own denominator, and what is left out."""
    t = WORDS[lang]
    word = {"not_applicable": t.na, "pending": t.pending}
    excluded = [f"{word[kind]} {_num(points, lang)} {t.points_word}"
                for kind, points in score.left_out()]
    if not excluded:
        return (f"{_num(score.points, lang)} / {_num(score.maximum, lang)} {t.points_word}"
                f" — {_index(score, lang)} % — {_band(score, lang)}")
    scored = score.scored_maximum
    line = (f"{_num(score.points, lang)} / {fmt(scored, lang)} {t.points_scored} "
            f"({t.max.lower()} {_num(score.maximum, lang)}; {'; '.join(excluded)}) — "
            f"{_index(score, lang)} % — {_band(score, lang)}")
    if score.pending:
        base = scored + Decimal(str(score.pending))
        points = Decimal(str(score.points))
        low = percent_of(points, base, 2) if base else Decimal(0)
        high = percent_of(points + Decimal(str(score.pending)), base, 2) if base else Decimal(0)
        line += f" ({t.provisional.format(low=fmt(low, lang, 2), high=fmt(high, lang, 2))})"
    return line


ADJUST = {"vi": ("Điểm thưởng, điểm trừ", "tổng các lĩnh vực", "thưởng", "trừ",
                  "chưa xếp {band} vì lĩnh vực {areas} đạt dưới {share} % số điểm của lĩnh vực",
                  "trần tổng điểm"),
           "en": ("Bonus and penalty points", "the areas' sum", "bonus", "penalty",
                  "not {band}: area {areas} below {share} % of its points", "total cap")}


def adjusted_line(score: Score, lang: str, area_names: dict[str, str]) -> str:
    """'(tổng các lĩnh vực 81 + thưởng 2 − trừ 3)' and a band refused for its area condition."""
    words = ADJUST[lang]
    notes = []
    if score.base is not None:
        base, bonus, penalty = (Decimal(str(v)) for v in (score.base, score.bonus, score.penalty))
        text = f"{words[1]} {_num(score.base, lang)}"
        if bonus:
            text += f" + {words[2]} {_num(score.bonus, lang)} = {fmt(base + bonus, lang)}"
            kept = Decimal(str(score.points)) + penalty
            if kept < base + bonus:  # the total cap (or, with penalties, the floor at 0)
                text += f" → {fmt(kept, lang)} ({words[5]})"
        if penalty:
            text += f" − {words[3]} {_num(score.penalty, lang)} = {_num(score.points, lang)}"
        notes.append(text)
    if score.refused_band is not None:
        notes.append(words[4].format(
            band=in_language(score.refused_band, lang),
            areas=", ".join(area_names.get(a, a) for a in score.weak_areas),
            share=fmt(score.refused_band.min_area_share or 0, lang)))
    return f" ({'; '.join(notes)})" if notes else ""


def _adjustments_section(report: Report, lang: str, markdown: bool, explain: bool,
                         appraisal: Appraisal | None = None) -> list[str]:
    """The bonus and penalty rules, their outcomes and points."""
    if not report.adjustments:
        return []
    t = WORDS[lang]
    words = {("bonus", True): ("Được cộng", "Added"), ("penalty", True): ("Bị trừ", "Taken off"),
             ("bonus", False): ("Không cộng", "Not added"),
             ("penalty", False): ("Không trừ", "Not taken off")}
    rows = [[o.rule, in_language(o.info.title, lang),
             words[(o.info.effect, bool(o.points))][0 if lang == "vi" else 1]
             + (f" ({in_language(o.status_label, lang)})" if o.status == "thieu_minh_chung"
                or o.status == "thieu_du_lieu" else ""),
             ("+" if o.info.effect == "bonus" else "−") + _num(o.points, lang)
             if o.points else "0"] for o in report.adjustments]
    rounds: list[str] = []
    if appraisal is not None:
        rounds = _appraisal_text().columns(appraisal, lang)
        for row, outcome in zip(rows, report.adjustments, strict=True):
            row += _appraisal_text().rule_cells(appraisal.rules[outcome.rule], lang)
    out = [f"{'## ' if markdown else ''}{ADJUST[lang][0]}", "",
           _table(rows, [t.rule, t.criterion, t.status, t.points, *rounds], markdown,
                  [10, 58 - 6 * len(rounds), 18, None, *[None] * len(rounds)]), ""]
    if appraisal is not None:
        titles = {o.rule: in_language(o.info.title, lang) for o in report.adjustments}
        out += _appraisal_text().changes(appraisal, [o.rule for o in report.adjustments], titles,
                                      lang, markdown)
    if explain:
        for outcome in report.adjustments:
            out.extend(_explain(outcome, report.year, lang, markdown))
    return out


def _explain(outcome: Outcome, year: int, lang: str, markdown: bool) -> list[str]:
    t = WORDS[lang]
    bullet = "- " if markdown else "    "
    sub = "  - " if markdown else "      • "
    head = (f"**{outcome.rule}** {in_language(outcome.info.title, lang)} — "
            f"{in_language(outcome.status_label, lang)} — "
            if markdown else f"  {outcome.rule}  {in_language(outcome.info.title, lang)} — "
            f"{in_language(outcome.status_label, lang)} — ")
    head += f"{points_cell(outcome, lang)} / {_num(outcome.maximum, lang)}"
    info = outcome.info
    lines = [head,
             f"{bullet}{t.requirements}: {', '.join(info.requirements)} "
             f"({in_language(info.source, lang)})",
             f"{bullet}{t.quote}: “{info.quote}”",
             f"{bullet}{t.reading}: {in_language(info.reading, lang)}"]
    if info.departs_from_text is not None:
        lines.append(f"{bullet}{t.departs}: {in_language(info.departs_from_text, lang)}")
    if info.convention is not None:
        lines.append(f"{bullet}{t.convention}: {in_language(info.convention.title, lang)} — "
                     f"{in_language(info.convention.text, lang)}")
    if info.convention_exception is not None:
        lines.append(f"{bullet}{t.exception}: {in_language(info.convention_exception, lang)}")
    lines += [f"{bullet}{t.test}: {in_language(outcome.explanation.test, lang)}",
              f"{bullet}{t.scoring}: {in_language(outcome.explanation.scoring, lang)}",
              f"{bullet}{t.inputs}:"]
    for item in outcome.explanation.inputs:
        previous = f" ({t.last_year})" if item.year != year else ""
        line = (f"{sub}{in_language(item.label, lang)}{previous} [{item.json_path}] = "
                f"{in_language(item.shown, lang)}")
        if item.evidence_text:
            line += f"; {t.evidence}: " + " | ".join(in_language(text, lang)
                                                       for text in item.evidence_text)
        elif item.evidence_required and item.value is not None:
            line += f"; {t.no_evidence}"
        if item.note:
            line += f"; {t.note}: {item.note}"
        lines.append(line)
    if markdown:
        lines.append("")
    return lines


def _table(rows: list[list[str]], headers: list[str], markdown: bool,
           widths: list[int | None]) -> str:
    """A table; numbers (all columns after the text ones) right-aligned; Markdown never wraps."""
    text_columns = sum(1 for width in widths if width)
    align = ["left"] * max(text_columns, 1) + ["right"] * (len(headers) - max(text_columns, 1))
    return tabulate(rows, headers=headers, tablefmt="pipe" if markdown else "simple",
                    disable_numparse=True, colalign=align,
                    maxcolwidths=None if markdown else widths)


def _area_table(area: AreaResult, outcomes: list[Outcome], lang: str, markdown: bool,
                appraisal: Appraisal | None = None, number: int = 0) -> str:
    """An area's rules: status, points, maximum; with an appraisal, the points after each
    round (the city's decisions starred)."""
    t = WORDS[lang]
    rows = [[o.rule + (" ⚑" if o.info.departs_from_text else ""),
             in_language(o.info.title, lang), in_language(o.status_label, lang),
             points_cell(o, lang), _num(o.maximum, lang),
             *([] if appraisal is None else
               _appraisal_text().rule_cells(appraisal.rules[o.rule], lang))] for o in outcomes]
    rows.append(["", t.subtotal, "", _num(area.self_assessment.points, lang),
                 _num(area.self_assessment.maximum, lang),
                 *([] if appraisal is None else
                   _appraisal_text().area_cells(appraisal, number, lang))])
    rounds = [] if appraisal is None else _appraisal_text().columns(appraisal, lang)
    return _table(rows, [t.rule, t.criterion, t.status, t.points, t.max, *rounds],
                  markdown, [10, 58 - 6 * len(rounds), 18, None, None, *[None] * len(rounds)])


def _summary(report: Report, lang: str, markdown: bool) -> str:
    t = WORDS[lang]
    areas = [(f"{roman(number)}. {in_language(area, lang)}", area.self_assessment,
              area.projected_appraisal) for number, area in enumerate(report.areas, 1)]
    pending = any(own.pending for _, own, _ in areas) or bool(
        report.self_assessment.pending)
    total = [(t.total, report.self_assessment, report.projected_appraisal)]
    rows = []
    own, appraised = report.self_assessment, report.projected_appraisal
    if own.base is not None:  # the areas' sum, then bonus and penalty points, then the total
        words = ADJUST[lang]
        blank = ["", ""] + ([""] if pending else [])
        rows.append([words[1], *blank, _num(own.base, lang), "",
                     _num(appraised.base or 0, lang), ""])
        rows.append([words[0], *blank,
                     f"+{_num(own.bonus, lang)} / −{_num(own.penalty, lang)}", "",
                     f"+{_num(appraised.bonus, lang)} / −{_num(appraised.penalty, lang)}", ""])
    lines = []
    for name, own, appraised in [*areas, *total]:
        row = [name, _num(own.maximum, lang),
               _num(own.not_applicable, lang) if own.not_applicable else ""]
        if pending:
            row.append(_num(own.pending, lang) if own.pending else "")
        lines.append([*row, _num(own.points, lang), _index(own, lang),
                      _num(appraised.points, lang), _index(appraised, lang)])
    rows = [*lines[:-1], *rows, lines[-1]]
    headers = [t.area, t.max, t.na_short, *([t.pending_short] if pending else []), t.self, "%",
               t.appraisal, "%"]
    return _table(rows, headers, markdown, [46] + [None] * (len(headers) - 1))


def pack_origin(report: Report, lang: str) -> str | None:
    """The warning line for a pack that is not the shipped one (id, version, sha256, where)."""
    if report.pack.shipped:
        return None
    pack = report.pack
    return (f"{WORDS[lang].not_shipped}: {pack.id} {pack.version}, sha256 {pack.sha256}, "
            f"{pack.location}")


def render_warnings(warnings: tuple[FactWarning, ...]) -> str:
    """The warnings, both languages, for stderr after the report."""
    count = len(warnings)
    lines = [f"cchc-score: {count} cảnh báo / {count} warning{'' if count == 1 else 's'} — kiểm "
             "tra lại trước khi nộp / check before submitting"]
    for item in warnings:
        lines += [f"  • [{item.code}] {item.json_path}", f"      {item.vi}", f"      {item.en}"]
    return "\n".join(lines) + "\n"


def _warnings_section(report: Report, lang: str, markdown: bool) -> list[str]:
    """The warnings inside the report too (a Word copy keeps them), one line each."""
    if not report.warnings:
        return []
    h2 = "## " if markdown else ""
    bullet = "- " if markdown else "  "
    title = "CẢNH BÁO (cần kiểm tra lại)" if lang == "vi" else "WARNINGS (to check)"
    out = [f"{h2}{title}", ""]
    out += [f"{bullet}[{item.code}] {item.json_path}: {item.vi if lang == 'vi' else item.en}"
            for item in report.warnings]
    out.append("")
    return out


def _lists(report: Report, lang: str, markdown: bool) -> list[str]:
    """The departures and pending rules, each listed once at the end."""
    t = WORDS[lang]
    h2 = "## " if markdown else ""
    bullet = "- " if markdown else "  "
    out: list[str] = []
    for title, outcomes, text in (
            (t.departures, report.departures,
             lambda o: in_language(o.info.departs_from_text, lang)),
            (t.pending_list, report.pending, lambda o: in_language(o.explanation.test, lang))):
        if not outcomes:
            continue
        out += [f"{h2}{title}", ""]
        out += [f"{bullet}{o.rule} {in_language(o.info.title, lang)}: {text(o)}"
                for o in outcomes]
        out.append("")
    return out


def render(report: Report, lang: str = "vi", explain: bool = False,
           markdown: bool = False, appraisal: Appraisal | None = None) -> str:
    """The report as a terminal table (or Markdown), in `lang`, with or without explanations;
    with the city's appraisal, its record, rounds, reasons and giải trình too."""
    t = WORDS[lang]
    h1, h2 = ("# ", "## ") if markdown else ("", "")
    unit = ", ".join(report.unit.parts())
    header = [f"{t.unit}: {unit} — {t.year}: {report.year}",
              f"{t.pack}: {report.pack.id} {report.pack.version} — "
              f"{in_language(report.pack.title, lang)}",
              f"{t.facts}: {report.facts_file.name} "
              f"(sha256 {report.facts_file.sha256[:16]}…)"]
    prepared = [v for v in (report.prepared.by, report.prepared.on) if v]
    if prepared:
        header.append(f"{t.prepared}: " + ", ".join(prepared))
    origin = pack_origin(report, lang)
    if origin:
        header.insert(0, f"**{origin}**" if markdown else origin)
    title = t.title if appraisal is None else \
        f"{t.title} — {'THẨM ĐỊNH' if lang == 'vi' else 'APPRAISAL'}"
    out = [f"{h1}{title}", ""]
    for line in header:  # Markdown joins lines without a blank one into one paragraph
        out += [line, ""] if markdown else [line]
    if not markdown:
        out.append("")
    if appraisal is not None:
        out += _appraisal_text().record_section(appraisal, lang, markdown)
    titles = {o.rule: in_language(o.info.title, lang) for o in report.outcomes}
    for number, area in enumerate(report.areas, 1):
        outcomes = [o for o in report.outcomes if o.area == area.id]
        out.append(f"{h2}{roman(number)}. {in_language(area, lang)} — "
                   f"{score_line(area.self_assessment, lang)}")
        if appraisal is not None:
            out += [""] if markdown else []
            out.append(f"{_appraisal_text().WORDS[lang]['final']}: "
                       f"{score_line(appraisal.areas[number - 1], lang)}")
        out.append("")
        out.append(_area_table(area, outcomes, lang, markdown, appraisal, number - 1))
        out.append("")
        if appraisal is not None:
            out += _appraisal_text().changes(appraisal, list(area.rules), titles, lang, markdown)
        if explain:
            for outcome in outcomes:
                out.extend(_explain(outcome, report.year, lang, markdown))
            if not markdown:
                out.append("")
    out += _adjustments_section(report, lang, markdown, explain, appraisal)
    out += _lists(report, lang, markdown)
    out += _warnings_section(report, lang, markdown)
    out.append(f"{h2}{t.summary}")
    out.append("")
    out.append(_summary(report, lang, markdown))
    out.append("")
    gap = [""] if markdown else []
    names = {area.id: in_language(area, lang) for area in report.areas}
    out.append(f"{t.self_line}: {score_line(report.self_assessment, lang)}"
               f"{adjusted_line(report.self_assessment, lang, names)}")
    out += gap
    out.append(f"{t.appraisal_line}: {score_line(report.projected_appraisal, lang)}"
               f"{adjusted_line(report.projected_appraisal, lang, names)} {t.appraisal_hint}")
    out += gap
    if appraisal is not None:
        out.append("")
        out.append(f"{h2}{_appraisal_text().WORDS[lang]['summary']}")
        out.append("")
        headers, rows = _appraisal_text().summary(
            report, appraisal, lang, [f"{roman(number)}. {in_language(area, lang)}"
                                      for number, area in enumerate(report.areas, 1)])
        out.append(_table(rows, headers, markdown, [46] + [None] * (len(headers) - 1)))
        out.append("")
        final = appraisal.final
        for line in _appraisal_text().total_lines(
                appraisal, lang, score_line(final, lang) + adjusted_line(final, lang, names)):
            out += [line, *gap]
    counts = ", ".join(
        f"{label} {n}" for label, n in
        ((in_language(STATUS_LABELS[s], lang), n) for s, n in report.counts.items()))
    counted = "" if appraisal is None else (" (tự đánh giá)" if lang == "vi"
                                            else " (self-assessment)")
    out.append(f"{t.counts}{counted}: {counts}")
    return "\n".join(out) + "\n"
