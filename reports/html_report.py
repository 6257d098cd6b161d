"""Render a Report as one self-contained, printable HTML page (`render_html`).

The page carries everything the people's text report does (`reports.text`, its appraisal parts in
`reports.appraisal_text`), in both languages at once: every text is written as a Vietnamese and an
English span, and a class on <html> (`show-vi` / `show-en`, set from `lang`) shows one of them;
a tiny inline script switches it, and without JavaScript the chosen language still shows. It
holds: the header (unit, year, pack, plan, who prepared it), the totals (self-assessment,
projected appraisal and, with the city's appraisal, the appraised score), an inline SVG chart of
each reform area's points against its maximum, a table per area with each rule's explanation in
a <details>, the bonus and penalty rules, the departures and pending rules, the warnings, the
summary by area, the appraisal rounds and the provenance (every sha256).

Nothing is fetched: no external stylesheet, script, font or image; a Content-Security-Policy meta
tag forbids them. An A4 print stylesheet (NĐ 30/2020 margins) expands every explanation and hides
the buttons. Every text of the facts file is user input: Jinja2 escapes it all (autoescape). The
output is deterministic (no timestamp): the same report gives the same bytes.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2
from markupsafe import Markup, escape

from cchc.reports.figures import band, index, num
from cchc.reports.text import (
    ADJUST,
    WORDS,
    adjusted_line,
    pack_origin,
    points_cell,
    roman,
    score_line,
)
from cchc.scoring.report import (
    STATUS_LABELS,
    Bilingual,
    InputFact,
    Outcome,
    Report,
    Score,
    Text,
    in_language,
)

if TYPE_CHECKING:
    from cchc.scoring.appraisal import Appraisal, RuleAppraisal

LANGUAGES = ("vi", "en")
TEMPLATES = Path(__file__).resolve().parent / "templates"

# The page's own words (the words the text report shares come from `reports.text.WORDS`).
PAGE_WORDS: dict[str, Text] = {
    "totals": Text("Kết quả chấm điểm", "Results"),
    "chart": Text("Điểm theo lĩnh vực", "Points by area"),
    "chart_label": Text("Biểu đồ: điểm tự đánh giá của từng lĩnh vực so với điểm tối đa",
                        "Chart: each area's self-assessed points against its maximum"),
    "appraised": Text("Thẩm định", "Appraised"),
    "appraised_card": Text("Điểm thẩm định (kết quả cuối)", "Appraised score (final)"),
    "explain": Text("Giải thích", "Explanation"),
    "evidence": Text("Minh chứng", "Evidence"),
    "requirements": Text("Yêu cầu", "Req."),  # a narrow column's header
    "missing": Text("Dữ kiện còn thiếu", "Facts missing"),
    "evidence_missing": Text("Còn thiếu minh chứng cho", "Evidence missing for"),
    "plan": Text("Kế hoạch", "Plan"),
    "issued": Text("ban hành ngày", "issued on"),
    "provenance": Text("Nguồn gốc và mã kiểm tra (sha256)", "Provenance and checksums (sha256)"),
    "tool": Text("Công cụ", "Tool"),
    "pack_files": Text("Các tệp của gói quy tắc", "The pack's files"),
    "location": Text("Vị trí", "Location"),
    "warnings": Text("Cảnh báo (cần kiểm tra lại trước khi nộp)",
                     "Warnings (check before submitting)"),
    "print": Text("In / Lưu PDF", "Print / Save as PDF"),
    "expand": Text("Mở tất cả giải thích", "Expand all explanations"),
    "collapse": Text("Thu gọn", "Collapse all"),
    "language": Text("Ngôn ngữ", "Language"),
    "reason": Text("Lý do của thành phố", "The city's reason"),
    "tool_note": Text("Ghi chú của công cụ", "The tool's note"),
    "history": Text("Thẩm định qua các vòng", "Appraisal round by round"),
    "previous": Text("vòng trước", "previous round"),
    "facts_hash": Text("tệp dữ kiện", "facts file"),
    "legend_max": Text("Điểm tối đa", "Maximum"),
    "legend_self": Text("Tự đánh giá", "Self-assessment"),
    "legend_appraised": Text("Thẩm định", "Appraised"),
    "shipped": Text("gói đi kèm công cụ", "shipped with the tool"),
}
_EFFECT = {("bonus", True): Text("Được cộng", "Added"),
           ("penalty", True): Text("Bị trừ", "Taken off"),
           ("bonus", False): Text("Không cộng", "Not added"),
           ("penalty", False): Text("Không trừ", "Not taken off")}

# The chart's geometry (SVG user units; the SVG scales to the page's width).
CHART_WIDTH = 520
CHART_BAR_WIDTH = 420
CHART_ROW = 44
CHART_TOP = 28


def both(make: Callable[[str], str]) -> Text:
    """A text made once per language: `both(lambda lang: num(1.5, lang))` → 1,5 / 1.5."""
    return Text(make("vi"), make("en"))


def of(make: Callable[[Score, str], str], score: Score) -> Text:
    """A score's figure in both languages: `of(index, score)` → 93,60 / 93.60."""
    return Text(make(score, "vi"), make(score, "en"))


def _points(score: Score, lang: str) -> str:
    return num(score.points, lang)


def _maximum(score: Score, lang: str) -> str:
    return num(score.maximum, lang)


def _out_of(score: Score, lang: str) -> str:
    return f"{num(score.points, lang)} / {num(score.maximum, lang)}"


def _not_applicable(score: Score, lang: str) -> str:
    return num(score.not_applicable, lang) if score.not_applicable else ""


def _pending(score: Score, lang: str) -> str:
    return num(score.pending, lang) if score.pending else ""


def word(name: str) -> Text:
    """One of the text report's fixed words (`reports.text.WORDS`) in both languages."""
    return Text(getattr(WORDS["vi"], name), getattr(WORDS["en"], name))


def bilingual(text: Bilingual | str | None) -> Markup:
    """A text as HTML: the Vietnamese and the English span (one plain text when they are the
    same), escaped."""
    if text is None:
        return Markup("")
    if isinstance(text, str):
        return escape(text)
    if text.vi == text.en:
        return escape(text.vi)
    return Markup('<span class="vi" lang="vi">{}</span><span class="en" lang="en">{}</span>'
                  ).format(text.vi, text.en)


@dataclass(frozen=True)
class Total:
    """One score in the totals: its figures and its full line."""

    key: str
    title: Text
    points: Text
    maximum: Text
    index: Text
    band: Text
    line: Text
    hint: Text | None = None
    scored: Text | None = None  # the maximum the index is computed against, when it differs


@dataclass(frozen=True)
class InputRow:
    """A fact behind a rule, as the explanation lists it."""

    label: Text
    last_year: bool
    json_path: str
    shown: Text
    evidence: tuple[Text, ...]
    no_evidence: bool
    note: str | None


@dataclass(frozen=True)
class RuleRow:
    """One rule's row in an area table, and its explanation."""

    rule: str
    departs: bool
    requirements: str
    title: Text
    status: str
    status_label: Text
    points: Text
    maximum: Text
    documents: tuple[str, ...]
    no_evidence: bool
    source: Text
    quote: str
    reading: Text
    departs_text: Text | None
    convention: Text | None
    exception: Text | None
    test: Text
    scoring: Text
    inputs: tuple[InputRow, ...]
    missing: tuple[Text, ...]
    evidence_missing: tuple[Text, ...]
    effect: Text | None = None
    final_status: str | None = None
    final: Text | None = None
    reason: str = ""
    note: Text | None = None
    changed: bool = False
    history: tuple[Text, ...] = ()


@dataclass(frozen=True)
class AreaView:
    """A reform area: its heading, score lines, rules and subtotal."""

    id: str
    number: str
    name: Text
    points: Text
    maximum: Text
    line: Text
    appraised_line: Text | None
    appraised_points: Text | None
    rows: tuple[RuleRow, ...]


def _input_row(item: InputFact, year: int) -> InputRow:
    return InputRow(
        label=Text(item.label.vi, item.label.en), last_year=item.year != year,
        json_path=item.json_path, shown=Text(item.shown.vi, item.shown.en),
        evidence=tuple(Text(text.vi, text.en) for text in item.evidence_text),
        no_evidence=not item.evidence_text and item.evidence_required
        and item.value is not None,
        note=item.note)


def _documents(outcome: Outcome) -> tuple[str, ...]:
    """The evidence documents named short (number, else file, else title), each once."""
    seen: dict[str, None] = {}
    for item in outcome.explanation.inputs:
        for evidence in item.evidence:
            name = evidence.number or evidence.file or evidence.title or ""
            if name:
                seen.setdefault(name, None)
    return tuple(seen)


def _labels(outcome: Outcome, facts: Iterable[str]) -> tuple[Text, ...]:
    """Fact ids as their labels, when the rule's inputs name them."""
    labels = {item.fact: item.label for item in outcome.explanation.inputs}
    return tuple(Text(labels[fact].vi, labels[fact].en) if fact in labels else Text(fact, fact)
                 for fact in facts)


def _history(item: RuleAppraisal) -> tuple[Text, ...]:
    """The rule through the rounds: the projected appraisal, each giải trình and each decision,
    as the text report words them (`reports.appraisal_text`)."""
    from cchc.reports.appraisal_text import WORDS as APPRAISAL_WORDS
    from cchc.reports.appraisal_text import response_line, step_line

    def projected(lang: str) -> str:
        note = item.projected.note
        return (f"{APPRAISAL_WORDS[lang]['projected']}: {num(item.projected.points, lang)}"
                + ("" if note is None else f" — {in_language(note, lang)}"))

    decided = any(step.decided for step in item.steps)
    if not decided and not item.changed:
        return ()
    lines = []
    if item.projected.points != item.self_points or not decided:
        lines.append(both(projected))
    for step in item.steps:
        if step.response is not None:
            lines.append(both(functools.partial(response_line, step.round, step.response)))
        if step.decided:
            lines.append(both(functools.partial(step_line, step)))
    return tuple(lines)


def _rule_row(outcome: Outcome, year: int, appraisal: Appraisal | None) -> RuleRow:
    info, explanation = outcome.info, outcome.explanation
    convention = None
    if info.convention is not None:
        title, text = info.convention.title, info.convention.text
        convention = both(lambda lang: f"{in_language(title, lang)} — "
                                       f"{in_language(text, lang)}")
    effect = None
    points = both(lambda lang: points_cell(outcome, lang))
    if info.effect != "score":  # a bonus or a penalty: its points signed, what it does
        sign = "+" if info.effect == "bonus" else "−"
        effect = _EFFECT[(info.effect, bool(outcome.points))]
        points = both(lambda lang: f"{sign}{num(outcome.points, lang)}" if outcome.points
                      else "0")
    final_status: str | None = None
    final: Text | None = None
    note: Text | None = None
    reason, changed, history = "", False, tuple[Text, ...]()
    if appraisal is not None:
        item = appraisal.rules[outcome.rule]
        step = item.final
        final_status, reason, changed = step.status, item.reason, item.changed
        final = both(lambda lang: f"{in_language(STATUS_LABELS[step.status], lang)}"
                                  f" · {num(step.points, lang)}")
        note = item.note if item.changed else None
        history = _history(item)
    return RuleRow(
        rule=outcome.rule, departs=info.departs_from_text is not None,
        requirements=", ".join(info.requirements), title=Text(info.title.vi, info.title.en),
        status=outcome.status, status_label=outcome.status_label,
        points=points,
        maximum=Text(num(outcome.maximum, "vi"), num(outcome.maximum, "en")),
        documents=_documents(outcome),
        no_evidence=any(item.evidence_required and not item.evidence_text
                        and item.value is not None for item in explanation.inputs),
        source=Text(info.source.vi, info.source.en), quote=info.quote,
        reading=Text(info.reading.vi, info.reading.en), departs_text=info.departs_from_text,
        convention=convention, exception=info.convention_exception,
        test=Text(explanation.test.vi, explanation.test.en),
        scoring=Text(explanation.scoring.vi, explanation.scoring.en),
        inputs=tuple(_input_row(item, year) for item in explanation.inputs),
        missing=_labels(outcome, explanation.missing),
        evidence_missing=_labels(outcome, explanation.evidence_missing), effect=effect,
        final_status=final_status, final=final, reason=reason, note=note, changed=changed,
        history=history)


def _total(key: str, title: Text, score: Score, names: dict[str, Text],
           hint: Text | None = None) -> Total:
    def full(lang: str) -> str:
        area_names = {area: in_language(name, lang) for area, name in names.items()}
        return score_line(score, lang) + adjusted_line(score, lang, area_names)

    scored = None if score.scored_maximum == Decimal(str(score.maximum)) else \
        Text(num(score.scored_maximum, "vi"), num(score.scored_maximum, "en"))
    return Total(key=key, title=title, points=of(_points, score), maximum=of(_maximum, score),
                 index=of(index, score), band=of(band, score), line=both(full),
                 hint=hint, scored=scored)


def _coordinate(value: float) -> str:
    """An SVG coordinate, printed the same way every time."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def chart_svg(report: Report, appraisal: Appraisal | None = None) -> Markup:
    """The chart: per reform area a light bar for its maximum, a dark one for its
    self-assessed points (and a thin one for the appraised points), the figures as text.
    Bars share one scale (the largest area maximum), so areas compare."""
    scale = max((area.self_assessment.maximum for area in report.areas), default=0.0) or 1.0
    height = CHART_TOP + CHART_ROW * len(report.areas) + 4
    out = [Markup('<svg id="chart-areas" class="chart" '
                  'role="img" viewBox="0 0 {} {}" aria-labelledby="chart-areas-title">'
                  '<title id="chart-areas-title">{}</title>').format(
        CHART_WIDTH, height, f"{PAGE_WORDS['chart_label'].vi} / {PAGE_WORDS['chart_label'].en}")]
    legend = [("max", PAGE_WORDS["legend_max"]), ("pts", PAGE_WORDS["legend_self"])]
    if appraisal is not None:
        legend.append(("appr", PAGE_WORDS["legend_appraised"]))
    for lang in LANGUAGES:  # a legend per language: the words' lengths differ
        x = 0.0
        out.append(Markup('<g class="legend {0}" lang="{0}">').format(lang))
        for css, text in legend:
            label = in_language(text, lang)
            out.append(Markup('<rect class="{}" x="{}" y="4" width="12" height="12"/>'
                              '<text x="{}" y="14">{}</text>').format(
                css, _coordinate(x), _coordinate(x + 16), label))
            x += 30 + 6.2 * len(label)
        out.append(Markup("</g>"))
    for number, area in enumerate(report.areas):
        own = area.self_assessment
        top = CHART_TOP + CHART_ROW * number
        name = Text(f"{roman(number + 1)}. {area.vi}", f"{roman(number + 1)}. {area.en}")
        figure = of(_out_of, own)
        out.append(Markup('<g class="bar" data-area="{}" role="listitem"><title>{}</title>'
                          ).format(area.id, f"{name.vi}: {figure.vi}"
                                   + ("" if name.en == name.vi else f" / {name.en}: {figure.en}")))
        out.append(_svg_text(name, 0, top + 12, "label"))
        out.append(Markup('<rect class="max" data-area="{}" x="0" y="{}" width="{}" height="14"/>'
                          ).format(area.id, top + 18,
                                   _coordinate(CHART_BAR_WIDTH * own.maximum / scale)))
        out.append(Markup('<rect class="pts" data-area="{}" x="0" y="{}" width="{}" height="14"/>'
                          ).format(area.id, top + 18,
                                   _coordinate(CHART_BAR_WIDTH * own.points / scale)))
        if appraisal is not None:
            appraised = appraisal.areas[number].points
            out.append(Markup('<rect class="appr" data-area="{}" x="0" y="{}" width="{}" '
                              'height="5"/>').format(
                area.id, top + 34, _coordinate(CHART_BAR_WIDTH * appraised / scale)))
        out.append(_svg_text(figure, CHART_BAR_WIDTH * own.maximum / scale + 8, top + 30,
                             "figure"))
        out.append(Markup("</g>"))
    out.append(Markup("</svg>"))
    return Markup("").join(out)


def _svg_text(text: Text, x: float, y: float, css: str) -> Markup:
    """An SVG text in both languages (one element each, shown by the page's language)."""
    if text.vi == text.en:
        return Markup('<text class="{}" x="{}" y="{}">{}</text>').format(
            css, _coordinate(x), _coordinate(y), text.vi)
    return Markup('<text class="{} vi" lang="vi" x="{}" y="{}">{}</text>'
                  '<text class="{} en" lang="en" x="{}" y="{}">{}</text>').format(
        css, _coordinate(x), _coordinate(y), text.vi, css, _coordinate(x), _coordinate(y), text.en)


def _areas(report: Report, appraisal: Appraisal | None) -> tuple[AreaView, ...]:
    areas = []
    for number, area in enumerate(report.areas):
        rows = tuple(_rule_row(outcome, report.year, appraisal)
                     for outcome in report.outcomes if outcome.area == area.id)
        own = area.self_assessment
        appraised = None if appraisal is None else appraisal.areas[number]
        areas.append(AreaView(
            id=area.id, number=roman(number + 1), name=Text(area.vi, area.en),
            points=of(_points, own), maximum=of(_maximum, own), line=of(score_line, own),
            appraised_line=None if appraised is None else of(score_line, appraised),
            appraised_points=None if appraised is None else of(_points, appraised),
            rows=rows))
    return tuple(areas)


def _summary_rows(report: Report) -> tuple[list[Text], list[list[Text]]]:
    """The summary by area: maximum, not applicable, pending, self and projected points and
    index %, then the total."""
    pending = any(area.self_assessment.pending for area in report.areas) or bool(
        report.self_assessment.pending)
    headers = [word("area"), word("max"), word("na_short"),
               *([word("pending_short")] if pending else []), word("self"), Text("%", "%"),
               word("appraisal"), Text("%", "%")]
    lines = [(Text(f"{roman(n)}. {area.vi}", f"{roman(n)}. {area.en}"), area.self_assessment,
              area.projected_appraisal) for n, area in enumerate(report.areas, 1)]
    lines.append((word("total"), report.self_assessment, report.projected_appraisal))
    rows = []
    for name, own, projected in lines:
        row = [name, of(_maximum, own), of(_not_applicable, own)]
        if pending:
            row.append(of(_pending, own))
        row += [of(_points, own), of(index, own), of(_points, projected), of(index, projected)]
        rows.append(row)
    return headers, rows


def _appraisal_view(report: Report, appraisal: Appraisal) -> dict[str, object]:
    """The appraisal record, its rounds summary and total lines (`reports.appraisal_text`)."""
    from cchc.reports import appraisal_text

    names = {lang: [f"{roman(n)}. {in_language(area, lang)}"
                    for n, area in enumerate(report.areas, 1)] for lang in LANGUAGES}
    tables = {lang: appraisal_text.summary(report, appraisal, lang, names[lang])
              for lang in LANGUAGES}
    headers = [Text(vi, en) for vi, en in zip(tables["vi"][0], tables["en"][0], strict=True)]
    rows = [[Text(vi, en) for vi, en in zip(row_vi, row_en, strict=True)]
            for row_vi, row_en in zip(tables["vi"][1], tables["en"][1], strict=True)]
    area_names = {area.id: Text(area.vi, area.en) for area in report.areas}
    final = _total("appraised", PAGE_WORDS["appraised_card"], appraisal.final, area_names)
    lines = {lang: appraisal_text.total_lines(appraisal, lang, in_language(final.line, lang))
             for lang in LANGUAGES}
    return {"words": {key: Text(appraisal_text.WORDS["vi"][key],
                                appraisal_text.WORDS["en"][key])
                      for key in appraisal_text.WORDS["vi"]},
            "file": appraisal.file, "sha256": appraisal.file_sha256,
            "rounds": appraisal.rounds, "last_hash": appraisal.last_hash,
            "headers": headers, "rows": rows,
            "lines": [Text(vi, en) for vi, en in zip(lines["vi"], lines["en"], strict=True)],
            "total": final}


def _plan_day(text: str) -> str:
    """The plan's date as documents write it (`reports.appraisal_text`'s reading of a date)."""
    from cchc.reports.appraisal_text import _day

    return _day(text)


@functools.cache
def _environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True, trim_blocks=True,
        lstrip_blocks=True, keep_trailing_newline=True, undefined=jinja2.StrictUndefined)
    environment.filters["t"] = bilingual
    return environment


def render_html(report: Report, lang: str = "vi", appraisal: Appraisal | None = None) -> str:
    """The report as one self-contained, printable HTML page in both languages, `lang` ('vi' or
    'en') shown first; with the city's appraisal, the appraised totals, each rule's final status,
    points and reason, the rounds and their hashes too."""
    if lang not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}, not {lang!r}")
    area_names = {area.id: Text(area.vi, area.en) for area in report.areas}
    totals = [_total("self", word("self_line"), report.self_assessment, area_names),
              _total("projected", word("appraisal_line"), report.projected_appraisal,
                     area_names, hint=word("appraisal_hint"))]
    record = None if appraisal is None else _appraisal_view(report, appraisal)
    if record is not None:
        final = record["total"]
        assert isinstance(final, Total)
        totals.append(final)
    headers, rows = _summary_rows(report)
    unit = ", ".join(report.unit.parts())
    title = word("title") if appraisal is None else both(
        lambda lang: f"{WORDS[lang].title} — {'THẨM ĐỊNH' if lang == 'vi' else 'APPRAISAL'}")
    counts = both(lambda lang: ", ".join(
        f"{in_language(STATUS_LABELS[status], lang)} {count}"
        for status, count in report.counts.items()))
    plan = report.pack.plan
    return _environment().get_template("report.html.j2").render(
        lang=lang, report=report, unit=unit, title=title, word=word, w=PAGE_WORDS,
        totals=totals, chart=chart_svg(report, appraisal), areas=_areas(report, appraisal),
        adjustments=tuple(_rule_row(outcome, report.year, appraisal)
                          for outcome in report.adjustments),
        adjustments_title=Text(ADJUST["vi"][0], ADJUST["en"][0]),
        departures=report.departures, pending=report.pending,
        summary_headers=headers, summary_rows=rows, counts=counts,
        origin=both(lambda lang: pack_origin(report, lang) or ""),
        plan_issued=_plan_day(plan.issued_on), appraisal=record,
        columns=8 if appraisal is not None else 7, Text=Text)

