"""Explain one rule's outcome in words with its numbers, in Vietnamese and English.

For an auditor: the test as a sentence ("612 / 1 020 = 60,0 % ≥ 60 %"), how the points follow
from it ("1,5 × 50 % = 0,75 điểm"), and every input fact with its value, its evidence and where
it stands in the facts file. The rule's reading of the plan and its quote are carried by the
report beside these.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

from cchc.engine.dates import format_date
from cchc.engine.evaluate.compile import BEFORE_WINDOW, HELD_AT_CEILING, Branch
from cchc.engine.evaluate.derive import MetricValue
from cchc.engine.numbers import SYMBOLS, fmt, fmt_beside, fmt_signed
from cchc.engine.pack.model import Pack
from cchc.rules.schema import Bilingual, Rule
from cchc.scoring.points import Award
from cchc.scoring.report import InputFact, JsonValue, Text, in_language


class Explanation:
    """The sentences and inputs that explain one outcome, worked out when first read.

    Scoring a ward needs only the outcome; the sentences (two languages, every number
    formatted) are built when a renderer or the JSON report asks, so scoring many wards does
    not pay for text nobody prints. Once built they are kept.
    """

    __slots__ = ("_award", "_branch", "_cache", "_explainer", "_inputs", "_metric", "_rule",
                 "_scoring", "_test", "_year")

    def __init__(self, explainer: Explainer, rule: Rule, branch: Branch, metric: MetricValue,
                 award: Award, year: int, cache: dict[tuple[str, bool], InputFact]) -> None:
        self._explainer, self._rule, self._branch = explainer, rule, branch
        self._metric, self._award, self._year, self._cache = metric, award, year, cache
        self._test: Text | None = None
        self._scoring: Text | None = None
        self._inputs: tuple[InputFact, ...] | None = None

    @property
    def test(self) -> Text:
        """The test as a sentence with its numbers."""
        if self._test is None:
            explainer, args = self._explainer, (self._rule, self._branch, self._metric)
            self._test = Text(explainer.test_sentence(*args, "vi"),
                              explainer.test_sentence(*args, "en"))
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
            self._explainer.collect_inputs(self._metric, self._year, found, self._cache)
            self._inputs = tuple(found.values())
        return self._inputs

    @property
    def missing(self) -> tuple[str, ...]:
        """The facts with no data (previous-year ones prefixed `previous_year.`)."""
        return self._metric.missing

    @property
    def evidence_missing(self) -> tuple[str, ...]:
        """This year's facts that need evidence and carry none."""
        return tuple(i.fact for i in self.inputs
                     if i.evidence_required and not i.evidence and i.value is not None)


def _leaves(metric: MetricValue) -> list[MetricValue]:
    """The reported facts a metric was computed from."""
    if not metric.parts:
        return [metric]
    return [leaf for part in metric.parts for leaf in _leaves(part)]


def _text(pair: Bilingual | None) -> Text | None:
    return None if pair is None else Text(pair.vi, pair.en)


class Explainer:
    """Builds Explanations for the outcomes of one pack."""

    def __init__(self, pack: Pack) -> None:
        self.pack = pack
        self._units: dict[tuple[str, str], str] = {}

    # --- values ---------------------------------------------------------------------------

    def _unit(self, name: str, lang: str) -> str:
        key = (name, lang)
        if key not in self._units:
            unit = self.pack.unit_of(name)
            self._units[key] = "" if unit is None else f" {in_language(unit, lang)}"
        return self._units[key]

    def _fact_shown(self, name: str, value: object, lang: str) -> str:
        spec = self.pack.facts[name]
        if value is None:
            return "chưa có số liệu" if lang == "vi" else "no data"
        if spec.type == "boolean":
            if lang == "vi":
                return "đã thực hiện" if value else "chưa thực hiện"
            return "done" if value else "not done"
        if spec.type == "date":
            if value is False:
                return "chưa thực hiện" if lang == "vi" else "not done"
            assert isinstance(value, dt.date)
            return format_date(value)
        if spec.type == "level":
            assert spec.levels is not None and isinstance(value, int | Fraction)
            level = spec.levels[int(value)]
            return level.vi if lang == "vi" else level.en
        assert isinstance(value, int | Fraction)
        return fmt(value, lang) + self._unit(name, lang)

    def _formula(self, metric: MetricValue, lang: str, threshold: Decimal | None) -> str:
        """The metric's value as its computation shows it."""
        spec = self.pack.metrics.get(metric.name)
        if spec is None:
            return self._fact_shown(metric.name, metric.value, lang)
        assert isinstance(metric.value, int | Fraction)
        first, second = metric.parts
        if spec.kind == "ratio":
            shown = (fmt_beside(metric.value, threshold, lang) if threshold is not None
                     else fmt(metric.value, lang, 1))
            return (f"{self._plain(first, lang)} / {self._plain(second, lang)} = {shown}"
                    f"{self._unit(metric.name, lang)}")
        if spec.kind == "difference":
            return (f"{self._plain(first, lang)} − {self._plain(second, lang)} = "
                    f"{fmt(metric.value, lang)}{self._unit(metric.name, lang)}")
        year_word = "năm trước" if lang == "vi" else "last year"
        return (f"{year_word} {self._plain(second, lang)} → {self._plain(first, lang)}: "
                f"{fmt_signed(Fraction(metric.value), lang)}{self._unit(metric.name, lang)}")

    def _plain(self, metric: MetricValue, lang: str) -> str:
        if metric.name in self.pack.metrics:
            assert isinstance(metric.value, int | Fraction)
            return fmt(metric.value, lang, 1 if self.pack.metrics[metric.name].kind == "ratio"
                       else None) + self._unit(metric.name, lang)
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
            label = in_language(self.pack.facts[fact].label, lang)
            if previous:
                label += " (năm trước)" if lang == "vi" else " (last year)"
            path = f"$.previous_year.facts.{fact}" if previous else f"$.facts.{fact}"
            out.append(f"{label} [{path}]")
        return "; ".join(out)

    def _zero_denominator(self, metric: MetricValue) -> MetricValue | None:
        spec = self.pack.metrics.get(metric.name)
        if spec is not None and spec.kind == "ratio" and metric.parts \
                and metric.parts[1].status == "ok" and metric.parts[1].value == 0:
            return metric.parts[1]
        for part in metric.parts:
            found = self._zero_denominator(part)
            if found is not None:
                return found
        return None

    def _date_test(self, rule: Rule, branch: Branch, metric: MetricValue, lang: str) -> str:
        deadline, start = rule.test.deadline, rule.test.window_from
        assert deadline is not None and start is not None
        value = metric.value
        vi = lang == "vi"
        if value is False:
            return "chưa thực hiện" if vi else "not done"
        assert isinstance(value, dt.date)
        window = f"{format_date(start)} – {format_date(deadline)}"
        if branch.kind == "met":
            return (f"{format_date(value)}, trong thời hạn {window}" if vi
                    else f"{format_date(value)}, within {window}")
        if branch.kind == "not_met" and branch.level == BEFORE_WINDOW:
            return (f"{format_date(value)}, trước {format_date(start)}: văn bản này có trước khi "
                    f"nhiệm vụ năm {start.year} bắt đầu, không phải sản phẩm của Kế hoạch năm "
                    f"{rule.test.deadline.year}" if vi else
                    f"{format_date(value)}, before {format_date(start)}: the document predates "
                    f"the {start.year} task, so it is not a deliverable of the "
                    f"{rule.test.deadline.year} plan")
        days = (value - deadline).days
        if vi:
            return f"{format_date(value)}, sau hạn chót {format_date(deadline)} {days} ngày"
        unit = "day" if days == 1 else "days"
        return f"{format_date(value)}, {days} {unit} after the deadline {format_date(deadline)}"

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

    def test_sentence(self, rule: Rule, branch: Branch, metric: MetricValue, lang: str) -> str:
        """The test as a sentence with its numbers, in `lang`."""
        if branch.kind == "pending":
            return self._pending(metric, self.pack.meta.year, lang)
        if branch.kind == "met" and branch.level == HELD_AT_CEILING \
                and self.pack.ceiling_of(metric.name) is not None:
            held = self._formula(metric, lang, None)
            return (f"{held}; giữ mức cao nhất có thể cả hai năm: đã ở mức cao nhất thì duy trì "
                    "là đạt 'duy trì và nâng cao'" if lang == "vi" else
                    f"{held}; at the best possible value both years: holding the top meets "
                    "'maintain and raise'")
        if branch.kind == "missing":
            return (("Thiếu dữ liệu: " if lang == "vi" else "No data: ")
                    + self._labels(metric.missing, lang))
        if branch.kind == "not_applicable":
            zero = self._zero_denominator(metric)
            what = self._labels((("previous_year." if zero.previous_year else "")
                                 + zero.name,), lang) if zero else metric.name
            return (f"Không áp dụng: {what} = 0" if lang == "vi"
                    else f"Not applicable: {what} = 0")
        kind = self.pack.kind_of(rule.test.metric)
        if kind == "date":
            return self._date_test(rule, branch, metric, lang)
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
        wanted = f"{SYMBOLS[rule.test.op]} {fmt(threshold, lang)}{unit}"
        if branch.kind == "met":
            return f"{sentence} {wanted}"
        sentence += f"; cần {wanted}" if lang == "vi" else f"; needs {wanted}"
        if branch.kind == "partial" and rule.scoring.method == "steps":
            step = rule.scoring.partial[branch.level]
            reached = f"{SYMBOLS[step.op]} {fmt(step.value, lang)}{unit}"
            sentence += f"; đạt mức {reached}" if lang == "vi" else f"; reaches {reached}"
        return sentence

    def scoring_sentence(self, rule: Rule, branch: Branch, metric: MetricValue, award: Award,
                         lang: str) -> str:
        """How the points follow from the outcome, in `lang`."""
        vi = lang == "vi"
        points = fmt(rule.points, lang)
        earned = fmt(award.self_points, lang)
        word = "điểm" if vi else "points"
        if award.status == "khong_ap_dung":
            return (f"không tính vào điểm tối đa ({points} {word})" if vi
                    else f"left out of the maximum ({points} {word})")
        if award.status == "cho_ket_qua":
            return (f"chưa chấm: chờ kết quả, tạm không tính vào điểm tối đa ({points} {word}); "
                    "chấm khi có kết quả công bố" if vi else
                    f"not scored yet: pending, left out of the maximum for now ({points} {word}); "
                    "scored once the result is published")
        if branch.kind in ("not_met", "missing"):
            return f"0 / {points} {word}"
        method = rule.scoring
        if branch.kind == "met":
            text = f"{earned} / {points} {word}"
        elif method.method == "linear":
            assert isinstance(metric.value, int | Fraction) and isinstance(rule.test.value, Decimal)
            text = (f"{points} × {fmt_beside(metric.value, rule.test.value, lang, 2)} / "
                    f"{fmt(rule.test.value, lang)} = {self._rounded(award, earned, lang)} {word}")
        elif method.method == "deductions":
            assert isinstance(metric.value, int | Fraction)
            text = (f"{points} − {fmt(metric.value, lang)} × {fmt(method.per_unit, lang)} = "
                    f"{earned} {word}")
        else:
            share = fmt(award.share * 100, lang)
            late = (" (muộn)" if vi else " (late)") if method.method == "on_time" else ""
            text = f"{points} × {share} %{late} = {self._rounded(award, earned, lang)} {word}"
        convention = self.pack.convention_by_id.get(rule.convention or "")
        if branch.kind == "partial" and convention is not None:
            text += (f" (quy ước của gói quy tắc, không có trong Kế hoạch: "
                     f"{convention.title.vi})" if vi else
                     f" (pack convention, not in the plan: {convention.title.en})")
        if award.withheld:
            text += ("; ngày hoàn thành sau ngày tự đánh giá nên chưa thể có: dự kiến thẩm định "
                     "0 điểm" if vi else "; dated after the assessment date, so it cannot have "
                     "happened yet: projected appraisal 0 points")
        if award.status == "thieu_minh_chung":
            text += ("; thiếu tài liệu kiểm chứng: dự kiến thẩm định 0 điểm" if vi
                     else "; evidence missing: projected appraisal 0 points")
        return text

    @staticmethod
    def _rounded(award: Award, earned: str, lang: str) -> str:
        """'1,998 → 1,99 (làm tròn xuống…)' when the exact points were rounded down or kept below
        the maximum; else just the points."""
        if not award.rounded_down:
            return earned
        exact = award.exact
        shown = fmt(exact, lang) if exact.denominator == 1 else \
            fmt_beside(exact, award.self_points, lang, 3)
        note = "làm tròn xuống, chưa đạt chỉ tiêu thì luôn dưới điểm tối đa" if lang == "vi" \
            else "rounded down: a missed target stays below the maximum"
        return f"{shown} → {earned} ({note})"

    # --- inputs ---------------------------------------------------------------------------

    def collect_inputs(self, metric: MetricValue, year: int,
                       out: dict[tuple[str, bool], InputFact],
                       cache: dict[tuple[str, bool], InputFact]) -> None:
        """Add the reported facts behind `metric` to `out` (described once per ward)."""
        if metric.name in self.pack.metrics:
            for part in metric.parts:
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
        raw = reported.value if reported else None
        value: JsonValue = None
        if isinstance(raw, bool | int | None):
            value = raw
        elif isinstance(raw, dt.date):
            value = raw.isoformat()
        elif isinstance(raw, Fraction):
            value = int(raw) if raw.denominator == 1 else float(raw)
        if spec.type == "level" and raw is not None and spec.levels is not None:
            assert isinstance(raw, int)
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
            json_path=reported.path if reported else
            ("$.previous_year.facts." if metric.previous_year else "$.facts.") + metric.name)

    def explain(self, rule: Rule, branch: Branch, metric: MetricValue, award: Award,
                year: int, cache: dict[tuple[str, bool], InputFact]) -> Explanation:
        """The Explanation of one rule's outcome for a ward reporting on `year`.

        `cache` holds the input facts already described for this ward (one dict per ward).
        """
        return Explanation(self, rule, branch, metric, award, year, cache)
