"""The rule pack as a table for people: every rule with its target, method, points and the
plan's requirement ids (`cchc-score rules`). The JSON listing is `engine.publish`'s."""

from __future__ import annotations

from decimal import Decimal

from tabulate import tabulate

from cchc.engine.dates import format_date
from cchc.engine.numbers import SYMBOLS, fmt
from cchc.engine.pack.model import Pack
from cchc.engine.publish import threshold_unit
from cchc.rules.schema import Rule
from cchc.scoring.report import in_language


def _test_text(pack: Pack, rule: Rule, lang: str) -> str:
    test = rule.test
    if test.op == "done_by":
        assert test.deadline is not None
        return ("ban hành ≤ " if lang == "vi" else "issued ≤ ") + format_date(test.deadline)
    if isinstance(test.value, bool):
        return "đã thực hiện" if lang == "vi" else "done"
    assert isinstance(test.value, Decimal)
    unit = threshold_unit(pack, rule)
    return f"{SYMBOLS[test.op]} {fmt(test.value, lang)}{' ' + unit if unit else ''}"


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
