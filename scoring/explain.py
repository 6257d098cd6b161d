"""Explain one rule's outcome in words with its numbers, in Vietnamese and English.

For an auditor: the test as a sentence ("612 / 1 020 = 60,0 % ≥ 60 %"), how the points follow
from it ("1,5 × 50 % = 0,75 điểm"), and every input fact with its value, its evidence and where
it stands in the facts file. The rule's reading of the plan and its quote are carried by the
report beside these.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_DOWN, Decimal
from fractions import Fraction

from cchc.engine.dates import format_date
from cchc.engine.evaluate.compile import BEFORE_WINDOW, HELD_AT_CEILING, OUTSIDE_CASE, Branch
from cchc.engine.evaluate.derive import COMPARE, MetricValue
from cchc.engine.numbers import MAX_DECIMALS, SYMBOLS, fmt, fmt_beside, fmt_signed, to_decimal
from cchc.engine.pack.model import Pack
from cchc.rules.schema import DATE_OPS, Bilingual, DaysBetweenMetric, EachMetric, Rule, Test
from cchc.scoring.points import Award
from cchc.scoring.report import InputFact, JsonValue, Text, in_language


class Explanation:
    """The sentences and inputs that explain one outcome, worked out when first read.

    Scoring a ward needs only the outcome; the sentences (two languages, every number
    formatted) are built when a renderer or the JSON report asks, so scoring many wards does
    not pay for text nobody prints. Once built they are kept.
    """

    __slots__ = ("_award", "_branch", "_cache", "_condition", "_explainer", "_inputs", "_metric",
                 "_rule", "_scoring", "_test", "_year")

    def __init__(self, explainer: Explainer, rule: Rule, branch: Branch, metric: MetricValue,
                 award: Award, year: int, cache: dict[tuple[str, bool], InputFact],
                 condition: MetricValue | None = None) -> None:
        self._explainer, self._rule, self._branch = explainer, rule, branch
        self._metric, self._award, self._year, self._cache = metric, award, year, cache
        self._condition = condition
        self._test: Text | None = None
        self._scoring: Text | None = None
        self._inputs: tuple[InputFact, ...] | None = None

    @property
    def test(self) -> Text:
        """The test as a sentence with its numbers."""
        if self._test is None:
            explainer, args = self._explainer, (self._rule, self._branch, self._metric)
            self._test = Text(explainer.test_sentence(*args, "vi", self._condition),
                              explainer.test_sentence(*args, "en", self._condition))
        return self._test

    @property
    def scoring(self) -> Text:
        """How the points follow from the outcome."""
        if self._scoring is None:
            explainer = self._explainer
            args = (self._rule, self._branch, self._metric, self._award)
            self._scoring = Text(explainer.scoring_sentence(*args, "vi"),
                                 explainer.scoring_sentence(*args, "en"))
        return self._scoring

    @property
    def inputs(self) -> tuple[InputFact, ...]:
        """The reported facts behind the outcome, this year's and last year's."""
        if self._inputs is None:
            found: dict[tuple[str, bool], InputFact] = {}
            if self._condition is not None:
                self._explainer.collect_inputs(self._condition, self._year, found, self._cache)
            self._explainer.collect_inputs(self._metric, self._year, found, self._cache)
            self._inputs = tuple(found.values())
        return self._inputs

    @property
    def missing(self) -> tuple[str, ...]:
        """The facts with no data (previous-year ones prefixed `previous_year.`)."""
        if self._branch.kind == "missing" and self._branch.level == OUTSIDE_CASE \
                and self._condition is not None:
            return self._condition.missing
        return self._metric.missing

    @property
    def evidence_missing(self) -> tuple[str, ...]:
        """This year's facts that need evidence and carry none."""
        return tuple(i.fact for i in self.inputs
                     if i.evidence_required and not i.evidence and i.value is not None)


_PENDING = object()  # a fact whose edition is not yet published (shown, never computed with)


def singular(unit: str) -> str:
    """An English unit for exactly one: ' documents' → ' document', ' people' → ' person'."""
    if unit.endswith("people"):
        return unit[:-6] + "person"
    if unit.endswith("ies"):
        return unit[:-3] + "y"
    if unit.endswith("s") and not unit.endswith("ss"):
        return unit[:-1]
    return unit


def _ordinal(number: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 21st."""
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10,
                                                                                 "th")
    return f"{number}{suffix}"


def _exact_places(award: Award) -> int:
    """Decimals to show a rule's exact points with, so that cutting the shown figure to 2
    decimals gives the points awarded (0,20999 is shown so, never as 0,210 beside 0,20)."""
    exact = award.exact
    floor = Decimal(exact.numerator * 100 // exact.denominator).scaleb(-2)
    for places in range(3, MAX_DECIMALS + 1):
        if to_decimal(exact, places).quantize(Decimal("0.01"), ROUND_DOWN) == floor:
            return places
    return MAX_DECIMALS


def _share_shown(value: object, points: Decimal, target: Decimal | bool | None, award: Award,
                 lang: str) -> tuple[str, bool]:
    """A pro-rata rate with enough decimals that points × rate / target, worked by hand from
    the digits shown, gives the points shown next (the exact points when they were rounded
    down, else the points to 0,01); and whether the rate shown is the rate itself (else the
    sentence says ≈)."""
    assert isinstance(value, int | Fraction) and isinstance(target, Decimal)
    if award.rounded_down:
        places = _exact_places(award)
        wanted = to_decimal(award.exact, places)
    else:
        places, wanted = 2, to_decimal(award.self_points, 2)
    for decimals in range(1, MAX_DECIMALS + 1):
        shown = to_decimal(value, decimals)
        if Fraction(shown) == value or to_decimal(
                Fraction(points) * Fraction(shown) / Fraction(target), places) == wanted:
            return fmt(shown, lang, decimals), Fraction(shown) == value
    return fmt(value, lang, MAX_DECIMALS), False


def _decimals_that_add_up(before: Fraction, now: Fraction) -> int:
    """The fewest decimals (1 to 6) at which the two values, rounded for display, differ by
    exactly their difference rounded the same way, and show a change exactly when there is one
    ("59,1 % → 59,1 %: +0,0" never printed for a change of 0,04): what a reader subtracts is
    what is shown."""
    for places in range(1, MAX_DECIMALS + 1):
        shown = to_decimal(now, places) - to_decimal(before, places)
        change = to_decimal(now - before, places)
        if shown == change and (change != 0) == (now != before):
            return places
    return MAX_DECIMALS


def _leaves(metric: MetricValue) -> list[MetricValue]:
    """The reported facts a metric was computed from."""
    if not metric.parts:
        return [metric]
    return [leaf for part in metric.parts for leaf in _leaves(part)]


_PERIOD_NAMES = {
    "year": (("cả năm",), ("the year",)),
    "half_year": (("6 tháng đầu năm", "6 tháng cuối năm"),
                  ("the first half", "the second half")),
    "quarter": (tuple(f"quý {q}" for q in ("I", "II", "III", "IV")),
                tuple(f"Q{q}" for q in range(1, 5))),
    "month": (tuple(f"tháng {m}" for m in range(1, 13)),
              tuple(dt.date(2000, m, 1).strftime("%B") for m in range(1, 13))),
}


def _json_cell(value: object) -> JsonValue:
    """A date, number or text of a list or table as JSON."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Fraction):
        return int(value) if value.denominator == 1 else float(value)
    assert value is None or isinstance(value, str | int | bool)
    return value


def _text(pair: Bilingual | None) -> Text | None:
    return None if pair is None else Text(pair.vi, pair.en)


class Explainer:
    """Builds Explanations for the outcomes of one pack."""

    def __init__(self, pack: Pack) -> None:
        self.pack = pack
        self._units: dict[tuple[str, str], str] = {}

    # --- values ---------------------------------------------------------------------------

    def _unit(self, name: str, lang: str, value: object = None) -> str:
        """' văn bản', ' documents' — and in English ' document' for exactly one."""
        key = (name, lang)
        if key not in self._units:
            unit = self.pack.unit_of(name)
            self._units[key] = "" if unit is None else f" {in_language(unit, lang)}"
        text = self._units[key]
        if lang == "en" and value == 1 and not isinstance(value, bool):
            return singular(text)
        return text

    def _amount(self, value: int | Fraction, name: str, lang: str,
                decimals: int | None = None) -> str:
        """A number with its unit; a rank as a rank ('hạng 4', '4th place')."""
        spec = self.pack.facts.get(name)
        if spec is not None and spec.type == "rank":
            place = int(value)
            return f"hạng {place}" if lang == "vi" else f"{_ordinal(place)} place"
        return fmt(value, lang, decimals) + self._unit(name, lang, value)

    def _fact_shown(self, name: str, value: object, lang: str) -> str:
        spec = self.pack.facts[name]
        if value is None:
            return "chưa có số liệu" if lang == "vi" else "no data"
        if value is _PENDING:
            year = self.pack.meta.year
            return (f"chờ kết quả kỳ đánh giá {year} (chưa công bố)" if lang == "vi"
                    else f"pending: the {year} edition is not yet published")
        if spec.type == "boolean":
            return self._answer(name, bool(value), lang)
        if spec.type == "date":
            if value is False:
                return "chưa thực hiện" if lang == "vi" else "not done"
            assert isinstance(value, dt.date)
            return format_date(value)
        if spec.type == "level":
            assert spec.levels is not None and isinstance(value, int | Fraction)
            level = spec.levels[int(value)]
            return level.vi if lang == "vi" else level.en
        if spec.type == "dates":
            assert isinstance(value, tuple)
            if not value:
                return "không có" if lang == "vi" else "none"
            return ", ".join(format_date(day) for day in value if isinstance(day, dt.date))
        if spec.type == "table":
            assert isinstance(value, tuple)
            return (f"{len(value)} dòng" if lang == "vi"
                    else f"{len(value)} row{'s' if len(value) != 1 else ''}")
        assert isinstance(value, int | Fraction)
        return self._amount(value, name, lang)

    def _answer(self, name: str, value: bool, lang: str) -> str:
        """A yes/no fact's value in its own words (done / not done unless it says)."""
        answers = self.pack.facts[name].answers
        if answers is not None:
            return in_language(answers.if_true if value else answers.if_false, lang)
        if lang == "vi":
            return "đã thực hiện" if value else "chưa thực hiện"
        return "done" if value else "not done"

    def ratio_shown(self, metric: MetricValue, lang: str, threshold: Decimal | None) -> str:
        """A rate as the test shows it: with enough decimals to show its side of the target."""
        assert isinstance(metric.value, int | Fraction)
        return (fmt_beside(metric.value, threshold, lang) if threshold is not None
                else fmt(metric.value, lang, 1))

    def _formula(self, metric: MetricValue, lang: str, threshold: Decimal | None) -> str:
        """The metric's value as its computation shows it."""
        spec = self.pack.metrics.get(metric.name)
        if spec is None:
            return self._fact_shown(metric.name, metric.value, lang)
        vi = lang == "vi"
        if spec.kind == "days_between":
            start, end = metric.parts
            if metric.not_done:
                return f"{self._plain(start, lang)} → {self._plain(end, lang)}"
            assert isinstance(metric.value, int)
            unit = ("ngày làm việc" if vi else "working day") if spec.count == "working" else \
                ("ngày" if vi else "day")
            plural = "" if vi or metric.value == 1 else "s"
            if metric.detail or spec.rolls_over:
                return self._rolled(metric, spec, start, end, threshold, lang)
            return (f"{self._plain(start, lang)} → {self._plain(end, lang)}: "
                    f"{fmt(metric.value, lang)} {unit}{plural}")
        if spec.kind == "per_period":
            names = _PERIOD_NAMES[spec.every][0 if vi else 1]
            counts = "; ".join(
                f"{names[index]} ({period}): {count}{self._unit(metric.name, lang, count)}"
                for index, (period, count, _) in enumerate(metric.detail))
            assert isinstance(metric.value, int)
            empty = [names[index] for index, (_, count, _) in enumerate(metric.detail)
                     if count == 0]
            if spec.every == "year":
                return counts
            if empty:
                return (f"{counts} → {', '.join(empty)} không có" if vi
                        else f"{counts} → none in {', '.join(empty)}")
            return (f"{counts} → ít nhất trong một kỳ: {fmt(metric.value, lang)}"
                    f"{self._unit(metric.name, lang)}" if vi else
                    f"{counts} → the fewest in a period: {fmt(metric.value, lang)}"
                    f"{self._unit(metric.name, lang, metric.value)}")
        if spec.kind == "each":
            return self._each_shown(metric, spec, lang, threshold)
        assert isinstance(metric.value, int | Fraction)
        first, second = metric.parts
        if spec.kind == "ratio":
            inner = self.pack.metrics.get(first.name)
            top = (f"({self._plain(first.parts[0], lang)} − {self._plain(first.parts[1], lang)})"
                   if inner is not None and inner.kind == "difference" and first.parts
                   else self._plain(first, lang))
            return (f"{top} / {self._plain(second, lang)} = "
                    f"{self.ratio_shown(metric, lang, threshold)}{self._unit(metric.name, lang)}")
        if spec.kind == "difference":
            return (f"{self._plain(first, lang)} − {self._plain(second, lang)} = "
                    f"{fmt(metric.value, lang)}{self._unit(metric.name, lang, metric.value)}")
        return self._change(metric, first, second, lang)

    def _rolled(self, metric: MetricValue, spec: DaysBetweenMetric, start: MetricValue,
                end: MetricValue, limit: Decimal | None, lang: str) -> str:
        """Days counted under Điều 148 BLDS 2015: the actual days, and, when the limit's last day
        is a day off, the working day it moves to."""
        vi = lang == "vi"
        assert isinstance(start.value, dt.date) and isinstance(end.value, dt.date)
        actual = (end.value - start.value).days
        text = (f"{self._plain(start, lang)} → {self._plain(end, lang)}: {fmt(actual, lang)} "
                f"{'ngày' if vi else ('day' if actual == 1 else 'days')}")
        calendar = self.pack.working_days
        if limit is None or calendar is None or limit != int(limit) \
                or not calendar.covers(start.value) or int(limit) > 3660:
            return text  # beyond any calendar a pack carries: nothing rolls over
        last = start.value + dt.timedelta(days=int(limit))
        if calendar.is_working(last) or not calendar.covers(last):
            return text
        moved = last
        while not calendar.is_working(moved):
            moved += dt.timedelta(days=1)
        if not last < end.value <= moved:  # the move changes nothing for this date
            return text
        return (f"{text}; ngày thứ {fmt(limit, lang)} ({format_date(last)}) là ngày nghỉ nên hạn "
                f"kết thúc vào ngày làm việc tiếp theo, {format_date(moved)} (Điều 148 Bộ luật "
                f"Dân sự 2015): đúng hạn, tính như {fmt(metric.value or 0, lang)} ngày" if vi else
                f"{text}; day {fmt(limit, lang)} ({format_date(last)}) is a day off, so the limit "
                f"ends on the next working day, {format_date(moved)} (Civil Code 2015, art. 148): "
                f"on time, counted as {fmt(metric.value or 0, lang)} days")

    def _each_shown(self, metric: MetricValue, spec: EachMetric, lang: str,
                    threshold: Decimal | None) -> str:
        """'Thủ tục cắt giảm thời gian: 3 / 4 dòng đạt (≥ 30 %) = 75 %; chưa đạt: X (29,9 %)'."""
        vi = lang == "vi"
        item = spec.item
        if item.kind == "reduction":
            unit = " %"
        elif item.kind == "days_between":
            unit = (" ngày làm việc" if vi else " working days") if item.count == "working" \
                else (" ngày" if vi else " days")
        else:
            unit = ""

        def amount(value: object) -> str:  # with the decimals that show its side of the test
            if value is None:
                return "chưa thực hiện" if vi else "not done"
            assert isinstance(value, int | Fraction)
            if isinstance(value, int):  # days are whole
                return fmt(value, lang) + unit
            return fmt_beside(value, spec.meets.value, lang) + unit

        meets = sum(1 for _, _, ok in metric.detail if ok)
        # the rows that fail first: an auditor looks for them
        ordered = sorted(metric.detail, key=lambda row: row[2])
        listed = "; ".join(f"{name} {amount(value)} {'✓' if ok else '✗'}"
                           for name, value, ok in ordered[:12])
        if len(ordered) > 12:
            listed += (f"; … {len(ordered) - 12} dòng nữa" if vi
                       else f"; … {len(ordered) - 12} more rows")
        wanted = f"{SYMBOLS[spec.meets.op]} {fmt(spec.meets.value, lang)}{unit}"
        rows = in_language(self.pack.facts[spec.of].label, lang)
        share = self.ratio_shown(metric, lang, threshold)
        return (f"{rows}: {listed} → {meets} / {len(metric.detail)} dòng đạt ({wanted}) = "
                f"{share} %" if vi else f"{rows}: {listed} → {meets} / {len(metric.detail)} "
                f"rows meet {wanted} = {share} %")

    def _change(self, metric: MetricValue, now: MetricValue, before: MetricValue,
                lang: str) -> str:
        """'năm 2023: 59,11 % → năm 2024: 68,00 %: +8,89 điểm %' — the two values shown with as
        many decimals as it takes for the difference shown to be their difference; a rank as
        ranks; each year's value labelled with its edition when it is an index result."""
        assert isinstance(metric.value, int | Fraction)
        assert isinstance(now.value, int | Fraction) and isinstance(before.value, int | Fraction)
        decimals = None
        if now.name in self.pack.metrics or any(
                isinstance(v, Fraction) and v.denominator != 1 for v in (now.value, before.value)):
            decimals = _decimals_that_add_up(Fraction(before.value), Fraction(now.value))
        spec = self.pack.metrics[metric.name]
        if spec.kind == "change" and spec.measure == "percent":
            shown_before = self._shown_at(before, lang, None)
            shown_now = self._shown_at(now, lang, None)
            rate = fmt_signed(Fraction(metric.value), lang, 2)
            return (f"{self._year_of(before, lang)}: {shown_before} → "
                    f"{self._year_of(now, lang)}: {shown_now}: {rate} %")
        change = fmt_signed(Fraction(metric.value), lang, decimals)
        unit = self._unit(metric.name, lang, abs(metric.value))
        if self.pack.facts.get(now.name) is not None and self.pack.facts[now.name].type == "level":
            shown_before = self._fact_shown(before.name, before.value, lang)
            shown_now = self._fact_shown(now.name, now.value, lang)
        else:
            shown_before = self._shown_at(before, lang, decimals)
            shown_now = self._shown_at(now, lang, decimals)
        return (f"{self._year_of(before, lang)}: {shown_before} → {self._year_of(now, lang)}: "
                f"{shown_now}: {change}{unit}")

    def _shown_at(self, metric: MetricValue, lang: str, decimals: int | None) -> str:
        assert isinstance(metric.value, int | Fraction)
        return self._amount(metric.value, metric.name, lang, decimals)

    def _year_of(self, metric: MetricValue, lang: str) -> str:
        """'năm 2023' — or, for an index result, 'kỳ đánh giá 2023' (its edition)."""
        year = self.pack.meta.year - (1 if metric.previous_year else 0)
        reported = metric.reported
        if reported is not None and reported.edition is not None:
            return (f"kỳ đánh giá {reported.edition}" if lang == "vi"
                    else f"{reported.edition} edition")
        return f"năm {year}" if lang == "vi" else str(year)

    def _plain(self, metric: MetricValue, lang: str) -> str:
        if metric.name in self.pack.metrics:
            assert isinstance(metric.value, int | Fraction)
            return fmt(metric.value, lang, 1 if self.pack.metrics[metric.name].kind == "ratio"
                       else None) + self._unit(metric.name, lang, metric.value)
        spec = self.pack.facts[metric.name]
        if spec.type in ("count", "number"):
            assert isinstance(metric.value, int | Fraction)
            return fmt(metric.value, lang)
        return self._fact_shown(metric.name, metric.value, lang)

    # --- sentences ------------------------------------------------------------------------

    def _labels(self, names: tuple[str, ...], lang: str) -> str:
        out = []
        for name in names:
            previous = name.startswith("previous_year.")
            fact = name.removeprefix("previous_year.")
            last_year = " (năm trước)" if lang == "vi" else " (last year)"
            year_word = last_year if previous else ""
            if fact in self.pack.metrics:  # a metric computed from facts: no place in the file
                label = in_language(self.pack.metrics[fact].label, lang)
                out.append(f"{label}{year_word} ({'tính ra' if lang == 'vi' else 'computed'})")
                continue
            label = in_language(self.pack.facts[fact].label, lang) + year_word
            path = f"$.previous_year.facts.{fact}" if previous else f"$.facts.{fact}"
            out.append(f"{label} [{path}]")
        return "; ".join(out)

    def _zero_denominator(self, metric: MetricValue) -> MetricValue | None:
        """The operand whose 0 made the metric not applicable (a rate's denominator, or the
        cases a difference counts when none means nothing to do)."""
        spec = self.pack.metrics.get(metric.name)
        if spec is not None and spec.kind == "ratio" and metric.parts \
                and metric.parts[1].status == "ok" and metric.parts[1].value == 0:
            return metric.parts[1]
        if spec is not None and spec.kind == "difference" and spec.none_is_not_applicable \
                and metric.parts and metric.parts[0].status == "ok" and metric.parts[0].value == 0:
            return metric.parts[0]
        if spec is not None and spec.kind == "change" and spec.measure == "percent" \
                and metric.parts and metric.parts[1].status == "ok" and metric.parts[1].value == 0:
            return metric.parts[1]
        for part in metric.parts:
            found = self._zero_denominator(part)
            if found is not None:
                return found
        return None

    def _date_test(self, rule: Rule, branch: Branch, metric: MetricValue, lang: str) -> str:
        test = rule.test.parts[0]
        deadline, start, last = test.deadline, test.window_from, test.last_day
        assert deadline is not None and start is not None
        value = metric.value
        vi = lang == "vi"
        if value is False:
            return "chưa thực hiện" if vi else "not done"
        assert isinstance(value, dt.date)
        if test.op == "before":
            window = (f"từ {format_date(start)}, trước ngày {format_date(deadline)}" if vi
                      else f"{format_date(start)} – {format_date(last)} (before "
                      f"{format_date(deadline)})")
        else:
            window = f"{format_date(start)} – {format_date(deadline)}"
        if branch.kind == "met":
            return (f"{format_date(value)}, trong thời hạn {window}" if vi
                    else f"{format_date(value)}, within {window}")
        if branch.kind == "not_met" and branch.level == BEFORE_WINDOW:
            if start > self.pack.meta.plan.issued_on:  # a window of its own ("tháng 10/2025")
                return (f"{format_date(value)}, trước {format_date(start)}: sớm hơn khoảng "
                        f"thời gian Kế hoạch quy định ({window})" if vi else
                        f"{format_date(value)}, before {format_date(start)}: earlier than the "
                        f"time the plan sets ({window})")
            year = self.pack.meta.year
            if start.year != year:  # a window opening in the year before the plan year
                return (f"{format_date(value)}, trước {format_date(start)}: ngày sớm nhất một "
                        f"sản phẩm của Kế hoạch năm {year} có thể có, nên đây là văn bản của kỳ "
                        "trước" if vi else
                        f"{format_date(value)}, before {format_date(start)}, the earliest a "
                        f"deliverable of the {year} plan can be dated: a document of the period "
                        "before")
            return (f"{format_date(value)}, trước {format_date(start)}: văn bản này có trước khi "
                    f"nhiệm vụ năm {start.year} bắt đầu, không phải sản phẩm của Kế hoạch năm "
                    f"{deadline.year}" if vi else
                    f"{format_date(value)}, before {format_date(start)}: the document predates "
                    f"the {start.year} task, so it is not a deliverable of the "
                    f"{deadline.year} plan")
        days = (value - last).days
        limit = (f"hạn chót {format_date(deadline)}" if test.op == "done_by" else
                 f"hạn trước ngày {format_date(deadline)}") if vi else (
            f"the deadline {format_date(deadline)}" if test.op == "done_by" else
            f"the deadline (before {format_date(deadline)})")
        tier = ""
        if branch.kind == "partial" and rule.scoring.method == "on_time":
            tiers = rule.scoring.late_days(last)
            late_tier = tiers[branch.level][1]
            if late_tier.days is not None:
                tier = (f" (mức chậm không quá {late_tier.days} ngày)" if vi else
                        f" (the tier of at most {late_tier.days} days late)")
            elif late_tier.open_ended and branch.level > 0:
                before = (tiers[branch.level - 1][0] - last).days
                tier = (f" (mức chậm trên {before} ngày)" if vi else
                        f" (the tier of more than {before} days late)")
            elif rule.scoring.late is not None and len(rule.scoring.late) > 1:
                end = rule.scoring.late_days(last)[branch.level][0]
                tier = (f" (mức chậm đến {format_date(end)})" if vi else
                        f" (the tier late until {format_date(end)})")
        if vi:
            return f"{format_date(value)}, muộn {days} ngày so với {limit}{tier}"
        unit = "day" if days == 1 else "days"
        return f"{format_date(value)}, {days} {unit} after {limit}{tier}"

    def _not_applicable(self, metric: MetricValue, lang: str) -> str:
        """'Không áp dụng: <the fact> = 0', or a table with no rows, or a date never reached."""
        vi = lang == "vi"
        for leaf in (metric, *metric.parts):
            spec = self.pack.metrics.get(leaf.name)
            if leaf.status == "na" and spec is not None and spec.kind == "each":
                label = self._labels((spec.of,), lang)
                return (f"Không áp dụng: {label} không có dòng nào" if vi
                        else f"Not applicable: {label} has no rows")
        zero = self._zero_denominator(metric)
        what = self._labels((("previous_year." if zero.previous_year else "")
                             + zero.name,), lang) if zero else metric.name
        return f"Không áp dụng: {what} = 0" if vi else f"Not applicable: {what} = 0"

    def _outside_case(self, rule: Rule, branch: Branch, condition: MetricValue,
                      lang: str) -> str:
        """The rule's case is not the ward's, or the fact that says so has no data / waits."""
        gate = rule.applies_if
        assert gate is not None
        vi = lang == "vi"
        if branch.kind == "missing":
            return (("Thiếu dữ liệu: " if vi else "No data: ")
                    + self._labels(condition.missing, lang)
                    + ("; cần để biết quy tắc có áp dụng không" if vi
                       else "; needed to know whether the rule applies"))
        if branch.kind == "pending":
            return self._pending(condition, self.pack.meta.year, lang)
        if condition.status == "na":
            return self._not_applicable(condition, lang)
        shown = self._formula(condition, lang, gate.value if isinstance(gate.value, Decimal)
                              else None)
        label = self._labels((gate.metric,), lang)
        return (f"Không áp dụng: {label}: {shown} — quy tắc chỉ áp dụng khi "
                f"{self._wanted(gate, lang)}" if vi else
                f"Not applicable: {label}: {shown} — the rule applies only when "
                f"{self._wanted(gate, lang)}")

    def _wanted(self, test: Test, lang: str) -> str:
        """What a plain test asks, in words: '≥ 95 %', 'từ mức «Hoàn thành tốt» trở lên', 'có'."""
        vi = lang == "vi"
        kind = self.pack.kind_of(test.metric)
        if kind == "boolean":
            if test.metric in self.pack.facts:
                return self._answer(test.metric, True, lang)
            return "đã thực hiện" if vi else "done"
        if test.op in DATE_OPS:
            assert test.window_from is not None
            return f"{format_date(test.window_from)} – {format_date(test.last_day)}"
        if isinstance(test.value, str):
            spec = self.pack.facts[test.metric]
            position = spec.level_position(test.value)
            assert spec.levels is not None and position is not None
            name = in_language(spec.levels[position], lang)
            words = {">=": ("từ mức «{}» trở lên", "«{}» or better"),
                     ">": ("trên mức «{}»", "better than «{}»"),
                     "<=": ("từ mức «{}» trở xuống", "«{}» or worse"),
                     "<": ("dưới mức «{}»", "worse than «{}»"),
                     "==": ("đúng mức «{}»", "exactly «{}»")}[test.op]
            return (words[0] if vi else words[1]).format(name)
        assert isinstance(test.value, Decimal)
        return (f"{SYMBOLS[test.op]} {fmt(test.value, lang)}"
                f"{self._unit(test.metric, lang, test.value)}")

    def _compound(self, rule: Rule, metric: MetricValue, lang: str) -> str:
        """Each part with its value and ✓ or ✗, joined by 'và' / 'hoặc'."""
        vi = lang == "vi"
        by_name = {part.name: part for part in metric.parts}
        shown = []
        for test in rule.test.parts:
            value = by_name[test.metric]
            if value.status == "na":
                shown.append(f"{self._not_applicable(value, lang)} (—)")
                continue
            threshold = test.value if isinstance(test.value, Decimal) else None
            holds = self._holds(test, value)
            shown.append(f"{self._formula(value, lang, threshold)} "
                         f"({'cần' if vi else 'needs'} {self._wanted(test, lang)}) "
                         f"{'✓' if holds else '✗'}")
        joiner = {"all": (" VÀ ", " AND "), "any": (" HOẶC ", " OR ")}[rule.test.combine]
        return (joiner[0] if vi else joiner[1]).join(shown)

    def _holds(self, test: Test, value: MetricValue) -> bool:
        """Whether one part of a compound test holds (for the ✓ / ✗ beside it)."""
        got = value.value
        if test.op in DATE_OPS:
            assert test.window_from is not None
            return isinstance(got, dt.date) and test.window_from <= got <= test.last_day
        if isinstance(got, bool):
            return got
        if not isinstance(got, int | Fraction) or value.not_done:
            return False
        target = Fraction(test.value) if isinstance(test.value, Decimal) else Fraction(
            self.pack.facts[test.metric].level_position(str(test.value)) or 0)
        return bool(COMPARE[test.op](got, target))

    def _pending(self, metric: MetricValue, year: int, lang: str) -> str:
        names = [m for m in _leaves(metric) if m.status == "pending"]
        labels = "; ".join(
            f"{in_language(self.pack.facts[m.name].label, lang)} [$.facts.{m.name}]"
            for m in names)
        if lang == "vi":
            return (f"Chờ kết quả: kỳ đánh giá năm {year} chưa được công bố tại ngày tự đánh "
                    f"giá ({labels})")
        return (f"Pending: the {year} edition was not yet published on the assessment date "
                f"({labels})")

    def test_sentence(self, rule: Rule, branch: Branch, metric: MetricValue, lang: str,
                      condition: MetricValue | None = None) -> str:
        """The test as a sentence with its numbers, in `lang` (`condition`: the value of the
        rule's `applies_if`)."""
        if branch.level == OUTSIDE_CASE and branch.kind in ("missing", "pending",
                                                            "not_applicable"):
            assert condition is not None
            return self._outside_case(rule, branch, condition, lang)
        if branch.kind == "pending":
            return self._pending(metric, self.pack.meta.year, lang)
        if branch.kind == "met" and branch.level == HELD_AT_CEILING \
                and self.pack.ceiling_of(metric.name) is not None:
            held = self._formula(metric, lang, None)
            return (f"{held}; ở mức cao nhất có thể cả hai năm: không thể tăng thêm nên giữ "
                    "được mức này là đạt" if lang == "vi" else
                    f"{held}; at the best possible value both years: it cannot rise, so holding "
                    "it is met")
        if branch.kind == "missing":
            return (("Thiếu dữ liệu: " if lang == "vi" else "No data: ")
                    + self._labels(metric.missing, lang))
        if branch.kind == "not_applicable":
            return self._not_applicable(metric, lang)
        if len(rule.test.parts) > 1:
            return self._compound(rule, metric, lang)
        kind = self.pack.kind_of(rule.test.metric)
        if kind == "date":
            return self._date_test(rule, branch, metric, lang)
        test = rule.test.parts[0]
        if kind == "level":
            shown = self._fact_shown(metric.name, metric.value, lang)
            wanted = self._wanted(test, lang)
            return f"{shown}; {'cần' if lang == 'vi' else 'needs'} {wanted}"
        if metric.not_done:
            return (f"{self._formula(metric, lang, None)}: chưa thực hiện; cần "
                    f"{self._wanted(test, lang)}" if lang == "vi" else
                    f"{self._formula(metric, lang, None)}: not done; needs "
                    f"{self._wanted(test, lang)}")
        if kind == "boolean":
            if metric.name in self.pack.metrics:  # all of several yes/no facts
                return "; ".join(f"{in_language(self.pack.facts[part.name].label, lang)}: "
                                 f"{self._fact_shown(part.name, part.value, lang)}"
                                 for part in metric.parts)
            return self._fact_shown(metric.name, metric.value, lang)
        threshold = rule.test.value
        assert isinstance(threshold, Decimal)
        unit = self._unit(metric.name, lang)
        sentence = self._formula(metric, lang, threshold)
        wanted = (f"{SYMBOLS[rule.test.op]} {fmt(threshold, lang)}"
                  f"{self._unit(metric.name, lang, threshold)}")
        if branch.kind == "met":
            return f"{sentence} {wanted}"
        sentence += f"; cần {wanted}" if lang == "vi" else f"; needs {wanted}"
        if branch.kind == "partial" and rule.scoring.method == "steps":
            step = rule.scoring.partial[branch.level]
            if step.value == 0 and self.pack.value_kind(metric.name) == "change":
                sentence += "; giữ nguyên" if lang == "vi" else "; held level"
            else:
                reached = f"{SYMBOLS[step.op]} {fmt(step.value, lang)}{unit}"
                sentence += f"; đạt mức {reached}" if lang == "vi" else f"; reaches {reached}"
        return sentence

    def scoring_sentence(self, rule: Rule, branch: Branch, metric: MetricValue, award: Award,
                         lang: str) -> str:
        """How the points follow from the outcome, in `lang`."""
        vi = lang == "vi"
        points = fmt(rule.points, lang)
        earned = fmt(award.self_points, lang)
        word = "điểm" if vi else ("point" if rule.points == 1 else "points")
        earned_word = "điểm" if vi else ("point" if award.self_points == 1 else "points")
        if award.status == "khong_ap_dung":
            return (f"không tính vào điểm tối đa ({points} {word})" if vi
                    else f"left out of the maximum ({points} {word})")
        if award.status == "cho_ket_qua":
            return (f"chưa chấm: chờ kết quả, tạm không tính vào điểm tối đa ({points} {word}); "
                    "chấm khi có kết quả công bố" if vi else
                    f"not scored yet: pending, left out of the maximum for now ({points} {word}); "
                    "scored once the result is published")
        if rule.effect != "score":
            return self._adjustment(rule, award, lang)
        if branch.kind in ("not_met", "missing"):
            return f"0 / {points} {word}"
        method = rule.scoring
        if branch.kind == "met":
            text = f"{earned} / {points} {word}"
        elif method.method == "linear" and method.from_:
            assert isinstance(metric.value, int | Fraction) and isinstance(rule.test.value, Decimal)
            floor, target = fmt(method.from_, lang), fmt(rule.test.value, lang)
            achieved = Fraction(metric.value)
            near = min((method.from_, rule.test.value),
                       key=lambda bound: abs(Fraction(bound) - achieved))
            value = fmt_beside(achieved, near, lang)
            equals = "=" if award.rounded_down or (Fraction(award.self_points)
                                                   == award.exact) else "≈"
            text = (f"{points} × ({value} − {floor}) / ({target} − {floor}) {equals} "
                    f"{self._rounded(award, earned, lang, earned_word)}")
        elif method.method == "linear":
            assert isinstance(metric.value, int | Fraction) and isinstance(rule.test.value, Decimal)
            shown, exact = _share_shown(metric.value, rule.points, rule.test.value, award, lang)
            equals = "=" if exact or award.rounded_down else "≈"
            text = (f"{points} × {shown} / {fmt(rule.test.value, lang)} {equals} "
                    f"{self._rounded(award, earned, lang, earned_word)}")
        elif method.method == "deductions":
            assert isinstance(metric.value, int | Fraction)
            off = f"{fmt(metric.value, lang)} × {fmt(method.per_unit, lang)}"
            cap = method.max_deduction
            if cap is not None and Fraction(method.per_unit) * metric.value > cap:
                off = (f"{fmt(cap, lang)} (trừ tối đa; {off} = "
                       f"{fmt(Fraction(method.per_unit) * metric.value, lang)})" if vi else
                       f"{fmt(cap, lang)} (the most taken off; {off} = "
                       f"{fmt(Fraction(method.per_unit) * metric.value, lang)})")
            text = f"{points} − {off} = {earned} {earned_word}"
        else:
            share = fmt(award.share * 100, lang)
            late = (" (muộn)" if vi else " (late)") if method.method == "on_time" else ""
            text = (f"{points} × {share} %{late} = "
                    f"{self._rounded(award, earned, lang, earned_word)}")
        convention = self.pack.convention_by_id.get(rule.convention or "")
        if branch.kind == "partial" and convention is not None:
            text += (f"; quy ước của gói quy tắc, không có trong Kế hoạch: "
                     f"{convention.title.vi}" if vi else
                     f"; pack convention, not in the plan: {convention.title.en}")
        if award.withheld:
            text += ("; ngày hoàn thành sau ngày tự đánh giá nên chưa thể có: dự kiến thẩm định "
                     "0 điểm" if vi else "; dated after the assessment date, so it cannot have "
                     "happened yet: projected appraisal 0 points")
        if award.status == "thieu_minh_chung":
            text += ("; thiếu tài liệu kiểm chứng: dự kiến thẩm định 0 điểm" if vi
                     else "; evidence missing: projected appraisal 0 points")
        return text

    @staticmethod
    def _adjustment(rule: Rule, award: Award, lang: str) -> str:
        """'cộng 2 điểm vào tổng điểm' — or nothing added, and why."""
        vi = lang == "vi"
        points = fmt(rule.points, lang)
        bonus = rule.effect == "bonus"
        if award.status in ("dat", "thieu_minh_chung"):
            text = (f"{'cộng' if bonus else 'trừ'} {points} điểm vào tổng điểm" if vi else
                    f"{points} points {'added to' if bonus else 'taken from'} the total")
            if award.status == "thieu_minh_chung":
                text += ("; thiếu tài liệu kiểm chứng: dự kiến thẩm định không cộng" if vi and bonus
                         else "; thiếu tài liệu kiểm chứng" if vi else
                         "; evidence missing: not added in the projected appraisal" if bonus
                         else "; evidence missing")
            return text
        return (f"không {'cộng' if bonus else 'trừ'} điểm" if vi else
                f"nothing {'added' if bonus else 'taken off'}")

    @staticmethod
    def _rounded(award: Award, earned: str, lang: str, word: str) -> str:
        """'1,998 → 1,99 điểm (làm tròn xuống…)' when the exact points were rounded down or kept
        below the maximum; else just the points."""
        if not award.rounded_down:
            return f"{earned} {word}"
        exact = award.exact
        shown = fmt(exact, lang) if (exact * 100).denominator == 1 else \
            fmt(exact, lang, _exact_places(award))
        if exact >= Fraction(award.maximum):  # a strict target reached exactly: the cap
            note = ("chỉ tiêu chưa đạt nên lấy dưới điểm tối đa 0,01" if lang == "vi"
                    else "the target is not met, so 0.01 below the maximum")
        else:
            note = ("làm tròn xuống, chưa đạt chỉ tiêu thì luôn dưới điểm tối đa" if lang == "vi"
                    else "rounded down: a missed target stays below the maximum")
        return f"{shown} → {earned} {word} ({note})"

    # --- inputs ---------------------------------------------------------------------------

    def collect_inputs(self, metric: MetricValue, year: int,
                       out: dict[tuple[str, bool], InputFact],
                       cache: dict[tuple[str, bool], InputFact]) -> None:
        """Add the reported facts behind `metric` to `out` (described once per ward)."""
        if metric.name in self.pack.metrics or metric.name not in self.pack.facts:
            for part in metric.parts:  # a metric, or a compound test's parts
                self.collect_inputs(part, year, out, cache)
            return
        key = (metric.name, metric.previous_year)
        if key in out:
            return
        if key in cache:
            out[key] = cache[key]
            return
        spec = self.pack.facts[metric.name]
        reported = metric.reported
        raw: object = reported.value if reported else None
        if reported is not None and reported.pending:
            raw = _PENDING
        value: JsonValue = None
        if isinstance(raw, bool | int | None):
            value = raw
        elif isinstance(raw, dt.date):
            value = raw.isoformat()
        elif isinstance(raw, Fraction):
            value = int(raw) if raw.denominator == 1 else float(raw)
        elif isinstance(raw, tuple):  # a list of dates, or a table's rows
            value = [_json_cell(item) if not isinstance(item, dict) else
                     {column: _json_cell(cell) for column, cell in item.items()}
                     for item in raw]
        if spec.type == "level" and isinstance(raw, int) and spec.levels is not None:
            value = spec.levels[raw].id
        out[key] = cache[key] = InputFact(
            fact=metric.name, year=year - 1 if metric.previous_year else year,
            label=Text(spec.label.vi, spec.label.en),
            shown=Text(self._fact_shown(metric.name, raw, "vi"),
                       self._fact_shown(metric.name, raw, "en")),
            value=value, unit=_text(spec.unit),
            evidence_required=spec.evidence_required and not metric.previous_year,
            evidence=reported.evidence if reported else (),
            evidence_text=tuple(Text(e.describe("vi"), e.describe("en"))
                                for e in reported.evidence) if reported else (),
            note=reported.note if reported else None,
            json_path=(reported.path.removesuffix(".value") + ".pending" if raw is _PENDING
                       else reported.path) if reported else
            ("$.previous_year.facts." if metric.previous_year else "$.facts.") + metric.name)

    def explain(self, rule: Rule, branch: Branch, metric: MetricValue, award: Award,
                year: int, cache: dict[tuple[str, bool], InputFact],
                condition: MetricValue | None = None) -> Explanation:
        """The Explanation of one rule's outcome for a ward reporting on `year`.

        `cache` holds the input facts already described for this ward (one dict per ward);
        `condition` is the value of the rule's `applies_if`.
        """
        return Explanation(self, rule, branch, metric, award, year, cache, condition)
