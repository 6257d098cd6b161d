"""The rule pack as a table for people: every rule with its target, method, points and the
plan's requirement ids (`cchc-score rules`). The JSON listing is `engine.publish`'s."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tabulate import tabulate

from cchc.engine.dates import format_date
from cchc.engine.numbers import SYMBOLS, fmt
from cchc.engine.pack.model import Pack
from cchc.engine.publish import plain_tests, threshold_unit
from cchc.rules.schema import Rule
from cchc.scoring.report import in_language


def _part_text(pack: Pack, rule: Rule, part: Any, lang: str) -> str:
    """One test as a table cell: a dated test as the days it is on time ("01/01/2024 –
    29/02/2024", whatever the date is of), a threshold with its unit."""
    if part.op in ("done_by", "before"):
        assert part.deadline is not None and part.window_from is not None
        window = f"{format_date(part.window_from)} – "
        if part.op == "before":
            return window + ("trước " if lang == "vi" else "before ") + format_date(part.deadline)
        return window + format_date(part.deadline)
    if isinstance(part.value, bool):
        return "đã thực hiện" if lang == "vi" else "done"
    if isinstance(part.value, str):  # a level's id
        return f"{SYMBOLS.get(part.op, part.op)} {part.value}"
    assert isinstance(part.value, Decimal)
    unit = threshold_unit(pack, rule, part.metric)
    return f"{SYMBOLS[part.op]} {fmt(part.value, lang)}{' ' + unit if unit else ''}"


def _test_text(pack: Pack, rule: Rule, lang: str) -> str:
    parts = plain_tests(rule.test)
    if len(parts) == 1:
        return _part_text(pack, rule, parts[0], lang)
    joint = {"any": (" hoặc ", " or ")}.get(str(rule.test.op), (" và ", " and "))
    return joint[0 if lang == "vi" else 1].join(
        f"{part.metric} {_part_text(pack, rule, part, lang)}" for part in parts)


METHODS = {
    "all_or_nothing": ("đạt / không đạt", "all or nothing"),
    "steps": ("theo bậc", "steps"),
    "linear": ("theo tỷ lệ", "pro rata"),
    "on_time": ("đúng hạn / muộn", "on time / late"),
    "deductions": ("trừ điểm", "deductions"),
}


def rules_table(pack: Pack, lang: str = "vi") -> str:
    """The pack's rules as a terminal table."""
    column = 0 if lang == "vi" else 1
    rows = [[r.id, in_language(r.title, lang), _test_text(pack, r, lang),
             METHODS[r.scoring.method][column],
             fmt(r.points, lang), ", ".join(r.requirements)] for r in pack.rules]
    headers = (["Mã", "Tiêu chí", "Chỉ tiêu", "Cách tính", "Điểm", "Yêu cầu"] if lang == "vi"
               else ["Rule", "Criterion", "Target", "Method", "Points", "Requirements"])
    title = f"{pack.meta.id} {pack.meta.version} — {in_language(pack.meta.title, lang)}"
    return title + "\n\n" + tabulate(rows, headers=headers, disable_numparse=True,
                                     maxcolwidths=[None, 50, None, None, None, 30]) + "\n"
