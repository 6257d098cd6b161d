"""Explanations an auditor reads: every rule of every case, and of generated wards, rendered in
both languages and checked for the patterns that make a figure or a sentence wrong.

- the figures shown add up: "612 / 1 020 = 60,0 %", "năm 2023: 59,11 % → năm 2024: 68,00 %:
  +8,89", "1,5 × 97,06 / 100 = 1,456 → 1,45" are each checked by redoing the arithmetic on the
  digits printed;
- ranks read as ranks ("hạng 6 → hạng 4", "6th → 4th place"), never "6 hạng";
- one minus sign (−), never a hyphen before a number;
- English units agree with their number ("1 contest", "2 contests");
- evidence without a number has no dangling word ("minh chứng: của …");
- counts have no decimals; one spelling of hóa/hòa/thủy outside the plan's own words;
- English output carries no Vietnamese clause words (the source is translated).
"""

from __future__ import annotations

import re
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

import pytest
from conftest import CASES
from wardgen import WardGenerator

from cchc.engine.inputs import load_ward

CASE_FILES = sorted(path.name for path in CASES.glob("*.json")
                    if not path.name.endswith(".appraisal.json"))
VI_NUMBER = r"−?\d{1,3}(?: \d{3})*(?:,\d+)?"
EN_NUMBER = r"−?\d{1,3}(?:,\d{3})*(?:\.\d+)?"


def _number(text: str, lang: str) -> Decimal:
    text = text.replace("−", "-")
    if lang == "vi":
        return Decimal(text.replace(" ", "").replace(",", "."))
    return Decimal(text.replace(",", ""))


def _sentences(report, lang: str) -> list[tuple[str, str, str]]:
    """(rule, kind, text) for every sentence a reader sees for each outcome."""
    out = []
    for outcome in report.outcomes:
        explanation = outcome.explanation
        pick = (lambda pair: pair.vi) if lang == "vi" else (lambda pair: pair.en)
        out.append((outcome.rule, "test", pick(explanation.test)))
        out.append((outcome.rule, "scoring", pick(explanation.scoring)))
        out.append((outcome.rule, "source", pick(outcome.info.source)))
        for item in explanation.inputs:
            out.append((outcome.rule, "shown", pick(item.shown)))
            out.extend((outcome.rule, "evidence", pick(text)) for text in item.evidence_text)
    return out


def _reports(scorer, ward_from, pack):
    for name in CASE_FILES:
        _pack, ward = load_ward(CASES / name)
        yield name, scorer.score(ward)
    generator = WardGenerator(pack, seed=12)
    for index in range(40):
        yield f"generated-{index}", scorer.score(ward_from(generator.ward(index)))


def _check_arithmetic(rule: str, text: str, lang: str) -> list[str]:
    number = VI_NUMBER if lang == "vi" else EN_NUMBER
    problems = []
    # a rate: x / y = z %
    for match in re.finditer(rf"({number}) / ({number}) = ({number}) %", text):
        x, y, z = (_number(g, lang) for g in match.groups())
        places = -z.as_tuple().exponent if z.as_tuple().exponent < 0 else 0
        exact = (x * 100 / y).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP) if y else None
        if exact != z:
            problems.append(f"{rule}: {match.group(0)} (≠ {exact})")
    # a change: a → b: ±c (values with their units in between)
    change = re.search(rf": ({number})[^→:]*→ [^:]*: ({number})[^:]*: ([+−]?{number})", text)
    if change and "hạng" not in text and "place" not in text:
        a, b, c = (_number(g.replace("+", ""), lang) for g in change.groups())
        if b - a != c:
            problems.append(f"{rule}: {change.group(0)} ({b} − {a} ≠ {c})")
    # pro rata: p × r / t = e → f
    for match in re.finditer(rf"({number}) × ({number}) / ({number}) = ({number}) → ({number})",
                             text):
        p, r, t, e, f = (_number(g, lang) for g in match.groups())
        places = -e.as_tuple().exponent
        cut = e.quantize(Decimal("0.01"), ROUND_DOWN)  # partial points are rounded down …
        capped = e >= p and f == p - Decimal("0.01")   # … and stay below the maximum
        if (p * r / t).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP) != e \
                or (f != cut and not capped):
            problems.append(f"{rule}: {match.group(0)}")
    return problems


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_explanation_reads_right(scorer, ward_from, pack, lang):
    problems: list[str] = []
    counts = {name for name, spec in pack.facts.items() if spec.type == "count"}
    for case, report in _reports(scorer, ward_from, pack):
        for rule, kind, text in _sentences(report, lang):
            where = f"{case} {rule} {kind}"
            problems += [f"{where}: {p}" for p in _check_arithmetic(rule, text, lang)]
            if re.search(r"(?:^|[\s(])-\d", text):
                problems.append(f"{where}: a hyphen as a minus sign: {text}")
            if lang == "vi" and re.search(r"\d hạng\b", text):
                problems.append(f"{where}: a rank not read as a rank: {text}")
            if lang == "en" and re.search(r"(?<![+−\d])\b\d+ place\b", text):
                problems.append(f"{where}: a rank not read as a rank: {text}")
            if lang == "en" and re.search(r"(?<![\d.,])1 (?!percentage)[a-z]+s\b", text):
                problems.append(f"{where}: a plural after 1: {text}")
            if kind == "evidence" and re.match(r"(của|by|ngày|of)\b", text):
                problems.append(f"{where}: a dangling word: {text}")
            if kind != "evidence" and re.search(r"[^\W\d_]o[áàảãạ](?![^\W\d_])", text):
                problems.append(f"{where}: the old spelling (hoá, hoà): {text}")
            if lang == "en" and kind in ("test", "scoring", "source") and re.search(
                    r"Nội dung|Phụ lục|gạch đầu dòng|\bmục\b|\bđiểm\b|năm trước|chưa", text):
                problems.append(f"{where}: Vietnamese in English output: {text}")
        for outcome in report.outcomes:
            for item in outcome.explanation.inputs:
                if item.fact in counts and item.value is not None:
                    shown = item.shown.vi if lang == "vi" else item.shown.en
                    if re.search(r"\d,\d" if lang == "vi" else r"\d\.\d", shown):
                        problems.append(f"{case} {outcome.rule}: a count with decimals: {shown}")
    assert problems == [], "\n".join(problems[:40])


def test_the_checks_catch_what_they_guard():
    """The arithmetic check is not vacuous: a figure that does not add up is caught."""
    assert _check_arithmetic("X", "612 / 1 020 = 60,1 %", "vi")
    assert not _check_arithmetic("X", "612 / 1 020 = 60,0 %", "vi")
    assert _check_arithmetic("X", "năm 2023: 59,1 % → năm 2024: 68,0 %: +8,89 điểm %", "vi")
    assert not _check_arithmetic("X", "năm 2023: 59,1 % → năm 2024: 68,0 %: +8,9 điểm %", "vi")
    assert _check_arithmetic("X", "1 × 4.8 / 5 = 0.952 → 0.95 points", "en")
    assert not _check_arithmetic("X", "1 × 4.76 / 5 = 0.952 → 0.95 points", "en")
    assert _check_arithmetic("X", "1 × 21.0 / 100 = 0.210 → 0.2 points", "en")
    assert not _check_arithmetic("X", "2.5 × 85.0 / 85 = 2.500 → 2.49 points", "en")
