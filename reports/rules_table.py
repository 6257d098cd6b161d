"""The rule pack as a table for people: every rule with its target, method, points and the
plan's requirement ids (`cchc-score rules`). The JSON listing is `engine.publish`'s."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tabulate import tabulate

from cchc.engine.dates import format_date
from cchc.engine.numbers import SYMBOLS, fmt
from cchc.engine.pack.model import Pack
from cchc.engine.publish import plain_tests
from cchc.rules.schema import Rule
from cchc.scoring.report import in_language

METHODS = {
    "all_or_nothing": ("đạt / không đạt", "all or nothing"),
    "steps": ("theo bậc", "steps"),
    "linear": ("theo tỷ lệ", "pro rata"),
    "on_time": ("đúng hạn / muộn", "on time / late"),
    "deductions": ("trừ điểm", "deductions"),
}
_PERIODS = {"year": ("trong năm", "a year"), "half_year": ("mỗi 6 tháng", "every half-year"),
            "quarter": ("mỗi quý", "every quarter"), "month": ("mỗi tháng", "every month")}


def _unit(pack: Pack, name: str, lang: str) -> str:
    unit = pack.unit_of(name)
    return f" {in_language(unit, lang)}" if unit is not None else ""


def _part_text(pack: Pack, rule: Rule, part: Any, lang: str) -> str:
    """One test as a table cell: a dated test as the days it is on time ("01/01/2024 –
    29/02/2024"), a level by its name, a threshold with its unit, and what a per-period or
    per-row metric counts."""
    vi = lang == "vi"
    if part.op in ("done_by", "before"):
        assert part.deadline is not None and part.window_from is not None
        window = f"{format_date(part.window_from)} – "
        if part.op == "before":
            return window + ("trước " if vi else "before ") + format_date(part.deadline)
        return window + format_date(part.deadline)
    if isinstance(part.value, bool):
        spec = pack.facts.get(part.metric)
        if spec is not None and spec.answers is not None:
            return in_language(spec.answers.if_true, lang)
        return "đã thực hiện" if vi else "done"
    if isinstance(part.value, str):  # a level, by its name
        spec = pack.facts[part.metric]
        position = spec.level_position(part.value)
        name = in_language(spec.levels[position], lang) if spec.levels and position is not None \
            else part.value
        return f"{SYMBOLS.get(part.op, part.op)} «{name}»"
    assert isinstance(part.value, Decimal)
    text = f"{SYMBOLS[part.op]} {fmt(part.value, lang)}{_unit(pack, part.metric, lang)}"
    metric = pack.metrics.get(part.metric)
    if metric is not None and metric.kind == "per_period":
        text += f" {_PERIODS[metric.every][0 if vi else 1]}"
    elif metric is not None and metric.kind == "each":
        item = metric.item
        unit = " %" if item.kind == "reduction" else (
            (" ngày làm việc" if vi else " working days") if item.kind == "days_between"
            and item.count == "working" else (" ngày" if vi else " days")
            if item.kind == "days_between" else "")
        text += (f" số dòng ({SYMBOLS[metric.meets.op]} {fmt(metric.meets.value, lang)}{unit} "
                 "mỗi dòng)" if vi else f" of the rows ({SYMBOLS[metric.meets.op]} "
                 f"{fmt(metric.meets.value, lang)}{unit} each)")
    elif metric is not None and metric.kind == "days_between" and metric.rolls_over:
        text += " (Điều 148 BLDS)" if vi else " (Civil Code art. 148)"
    return text


def _test_text(pack: Pack, rule: Rule, lang: str) -> str:
    parts = plain_tests(rule.test)
    if len(parts) == 1:
        text = _part_text(pack, rule, parts[0], lang)
    else:
        joint = {"any": (" hoặc ", " or ")}.get(str(rule.test.op), (" và ", " and "))
        text = joint[0 if lang == "vi" else 1].join(
            f"{_label(pack, part.metric, lang)} {_part_text(pack, rule, part, lang)}"
            for part in parts)
    if rule.applies_if is not None:
        gate = rule.applies_if
        when = f"{_label(pack, gate.metric, lang)}: {_part_text(pack, rule, gate, lang)}"
        text += f" (chỉ khi {when})" if lang == "vi" else f" (only when {when})"
    return text


def _label(pack: Pack, name: str, lang: str) -> str:
    metric = pack.metrics.get(name)
    return in_language(metric.label if metric is not None else pack.facts[name].label, lang)


def _method_text(rule: Rule, lang: str) -> str:
    """The scoring method, with its numbers: late tiers, a band's floor, a cap."""
    vi = lang == "vi"
    method = rule.scoring
    text = METHODS[method.method][0 if vi else 1]
    if method.method == "on_time":
        test = rule.test.parts[0]
        if test.deadline is not None:
            tiers = [tier for _, tier in method.late_days(test.last_day)]
            shown = []
            for tier in tiers:
                share = fmt(tier.share * 100, lang)
                if tier.days is not None:
                    shown.append(f"≤ {tier.days} {'ngày' if vi else 'days'}: {share} %")
                elif tier.open_ended:
                    shown.append(f"{'muộn hơn' if vi else 'later'}: {share} %")
                else:
                    assert not isinstance(tier.until, str) and tier.until is not None
                    shown.append(f"≤ {format_date(tier.until)}: {share} %")
            if shown:
                text += f" ({'; '.join(shown)})"
    elif method.method == "linear" and method.from_:
        text += f" ({'từ' if vi else 'from'} {fmt(method.from_, lang)})"
    elif method.method == "deductions":
        text += f" ({fmt(method.per_unit, lang)}/{'đơn vị' if vi else 'unit'}"
        if method.max_deduction is not None:
            text += f", {'tối đa' if vi else 'at most'} {fmt(method.max_deduction, lang)}"
        text += ")"
    if rule.convention:
        text += " ⓒ"
    return text


def _points_text(rule: Rule, lang: str) -> str:
    sign = {"bonus": "+", "penalty": "−"}.get(rule.effect, "")
    return sign + fmt(rule.points, lang)


def rules_table(pack: Pack, lang: str = "vi") -> str:
    """The pack's rules as a terminal table."""
    column = 0 if lang == "vi" else 1
    rows = [[r.id, in_language(r.title, lang), _test_text(pack, r, lang),
             _method_text(r, lang), _points_text(r, lang), ", ".join(r.requirements)]
            for r in pack.rules]
    headers = (["Mã", "Tiêu chí", "Chỉ tiêu", "Cách tính", "Điểm", "Yêu cầu"] if lang == "vi"
               else ["Rule", "Criterion", "Target", "Method", "Points", "Requirements"])
    title = f"{pack.meta.id} {pack.meta.version} — {in_language(pack.meta.title, lang)}"
    note = ("ⓒ quy ước của gói quy tắc (pack.yaml), không có trong Kế hoạch" if column == 0
            else "ⓒ pack convention (pack.yaml), not in the plan")
    return title + "\n\n" + tabulate(rows, headers=headers, disable_numparse=True,
                                     maxcolwidths=[None, 40, 40, 30, None, 24]) + "\n\n" + \
        note + "\n"
