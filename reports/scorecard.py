"""A scorecard: one line per rule (id, status, points, projected-appraisal points, maximum, the
test in Vietnamese), then each area's subtotal and the totals (`--format scorecard`).

Made for review: the bundled cases' scorecards are the golden files a reviewer reads, so a
changed score shows as a one-line diff. Columns have fixed widths (a changed value never shifts
the other lines); the tool's version and the pack's hashes are left out, so neither a version
bump nor a comment in the pack rewrites them.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from cchc.engine.numbers import fmt
from cchc.scoring.report import Report, Score, in_language

if TYPE_CHECKING:
    from cchc.scoring.appraisal import Appraisal

_WORDS = {"vi": ("không áp dụng", "chờ kết quả", "tối đa", "dự kiến thẩm định"),
          "en": ("not applicable", "pending", "max", "projected appraisal")}


def _num(value: float | None, lang: str = "vi") -> str:
    return "—" if value is None else fmt(Decimal(str(value)), lang)


def _score(score: Score, lang: str) -> str:
    na, pending, most, _ = _WORDS[lang]
    band = "—" if score.band is None else in_language(score.band, lang)
    index = "—" if score.index is None else fmt(Decimal(str(score.index)), lang, 2)
    word = {"not_applicable": na, "pending": pending}
    excluded = [f"{word[kind]} {_num(points, lang)}" for kind, points in score.left_out()]
    if not excluded:
        return f"{_num(score.points, lang)} / {_num(score.maximum, lang)} — {index} % — {band}"
    return (f"{_num(score.points, lang)} / {fmt(score.scored_maximum, lang)} ({most} "
            f"{_num(score.maximum, lang)}; {'; '.join(excluded)}) — {index} % — {band}")


def _adjusted(score: Score, lang: str) -> str:
    """'; các lĩnh vực 81 + thưởng 2 − trừ 3; không xếp tot: dưới 60 % ở the_che'."""
    out = ""
    if score.base is not None:
        out += (f"; các lĩnh vực / areas {_num(score.base, lang)} + thưởng / bonus "
                f"{_num(score.bonus, lang)} − trừ / penalty {_num(score.penalty, lang)}")
    if score.refused_band is not None:
        out += (f"; không xếp / not {score.refused_band.id}: dưới / below "
                f"{fmt(score.refused_band.min_area_share or 0, lang)} % ở / in "
                f"{', '.join(score.weak_areas)}")
    return out


def _appraisal_lines(report: Report, appraisal: Appraisal, lang: str) -> list[str]:
    """Each rule a round decided or whose result differs from the self-assessment: its points
    from the self-assessment through each round, its final status, and each decision's reason
    and the ward's giải trình verbatim; then each round's total and the appraised total."""
    from cchc.reports.appraisal_text import worth_telling  # only with an appraisal

    out = ["", f"# Thẩm định / appraisal: {appraisal.file} — "
           + "; ".join(f"vòng / round {r.number}: {r.by}, {r.on}, sha256 {r.sha256[:16]}…"
                       for r in appraisal.rounds)]
    for outcome in (*report.outcomes, *report.adjustments):
        item = appraisal.rules[outcome.rule]
        steps = [step for step in item.steps if worth_telling(step)]
        if not steps and not item.changed:
            continue
        path = " → ".join([_num(float(item.self_points), lang),
                           *(_num(float(step.points), lang) + ("*" if step.decided else "")
                             for step in item.steps)])
        out.append(f"{outcome.rule:<11} {item.final.status:<17} {path}")
        if not steps:
            note = item.projected.note
            out.append(f"{'':<11}   dự kiến / projected: "
                       f"{'' if note is None else in_language(note, lang)}")
        for step in steps:
            if step.response is not None:
                out.append(f"{'':<11}   {step.round}: giải trình: «{step.response.text}»")
            if step.decided and (step.decision != "accept" or step.reason.strip()):
                out.append(f"{'':<11}   {step.round}: {step.decision}: «{step.reason}»")
    for summary in appraisal.rounds:
        out.append(f"Vòng / round {summary.number}: {_score(summary.total, lang)}"
                   f"{_adjusted(summary.total, lang)}")
    out.append(f"Thẩm định / appraised: {_score(appraisal.final, lang)}"
               f"{_adjusted(appraisal.final, lang)}")
    return out


def render_scorecard(report: Report, lang: str = "vi", appraisal: Appraisal | None = None) -> str:
    """The scorecard of a report, its test sentences and figures in `lang` (the goldens are
    Vietnamese); the column heads are in both languages. With the city's appraisal, its
    decisions, reasons, giải trình and totals follow."""
    out = [f"# Bảng điểm / scorecard: {report.facts_file.name} — {', '.join(report.unit.parts())}"
           f" — năm {report.year}",
           f"# Gói quy tắc / rule pack: {report.pack.id} {report.pack.version}"
           + ("" if report.pack.shipped else f" — KHÔNG phải gói đi kèm / NOT the shipped pack "
              f"(sha256 {report.pack.sha256}, {report.pack.location})"),
           f"# {'Mã':<9} {'Kết quả':<17} {'Điểm':>6} {'T.định':>6} {'Tối đa':>6}  Kiểm tra"]
    for outcome in (*report.outcomes, *report.adjustments):
        excluded = outcome.status in ("khong_ap_dung", "cho_ket_qua")
        projected = "—" if excluded else _num(outcome.appraisal_points, lang)
        points = "—" if excluded else _num(outcome.points, lang)
        out.append(f"{outcome.rule:<11} {outcome.status:<17} {points:>6} {projected:>6} "
                   f"{_num(outcome.maximum, lang):>6}  "
                   f"{in_language(outcome.explanation.test, lang)}")
    out.append("")
    for area in report.areas:
        out.append(f"{area.id}: {_score(area.self_assessment, lang)}; {_WORDS[lang][3]} "
                   f"{_num(area.projected_appraisal.points, lang)}")
    out.append(f"Tự đánh giá / self-assessment: {_score(report.self_assessment, lang)}"
               f"{_adjusted(report.self_assessment, lang)}")
    out.append(f"Dự kiến thẩm định / projected appraisal: "
               f"{_score(report.projected_appraisal, lang)}"
               f"{_adjusted(report.projected_appraisal, lang)}")
    counts = ", ".join(f"{status} {count}" for status, count in report.counts.items())
    out.append(f"Số tiêu chí / rules: {counts}")
    if appraisal is not None:
        out += _appraisal_lines(report, appraisal, lang)
    return "\n".join(out) + "\n"
