"""Compare each rule with the plan's catalogue (requirements.yaml), and the pack's dates with
its year.

A rule names the catalogue entries it scores (`requirements: [ids]`); the catalogue records what
the plan says of each: its reform area, its deadline and its measurable targets (`measures`,
each an op, a value and a unit). This check compares, for every rule:

- **targets**: a comparison test (`>`, `>=`, `<`, `<=`, `==` against a number or a level id)
  with the catalogue measures of the same kind: a number compared with a number
  (`count>=` is `>=` on a count), of a compatible unit (a rate in % with a % target, a change
  over last year with a target that says "vs previous year", a count with a count). One of them
  must have the same op and value. A rule whose requirements catalogue no such measure (a duty
  the plan words without a number, read by the rule as ≥ 1 or 100 %) has nothing to compare.
- **deadlines**: a dated test's last compliant day (`done_by D`: D; `before D`: D − 1 day)
  with the dated measures of its requirements (`done_by`, `before`), or a requirement's
  `deadline` when it has no dated measure. One of them must be that day.
- **areas**: a rule's area with the areas of its requirements: one of them must be the rule's.
  The catalogue writes areas with the pack's own area ids (the cross-file check refuses any
  other), so the two are compared as they stand.
- **the year**: rule deadlines and windows fall in the plan year (a window may open on the
  plan's own date, even the year before), or — a deadline after the year — on a date the
  catalogue states for the rule's requirements; the plan's date (`issued_on`) falls in the plan
  year or the year before; a requirement's deadline after the year is a period the plan states
  (its year is written in the plan's words for it), and one before the year is an evident slip
  of the plan that a rule must document.

A rule that declares `departs_from_text` (a reading that leaves the letter of the plan, shown
to the city for confirmation) may differ from its catalogue target and deadline: the
departure is documented where the report shows it. Compound tests (`{all: [...]}`,
`{any: [...]}`) are compared part by part. Problems name the file, the rule id and the field,
in Vietnamese and English, and are added to the pack check's list.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from cchc.engine.dates import format_date
from cchc.engine.errors import Problem
from cchc.engine.numbers import SYMBOLS, fmt
from cchc.engine.pack.model import Pack
from cchc.rules.schema import Measure, Requirement, Rule

_COMPARISONS = (">", ">=", "<", "<=", "==")
_DATED = ("done_by", "before")
# A catalogue unit that measures against an earlier value ("change vs previous year",
# "ranking places gained", "percentage points vs 2024", "tăng so với năm trước").
_CHANGE_UNIT = re.compile(r"previous|last year|gained|change|increase|\bvs\b|versus|so với|"
                          r"năm trước|tăng", re.IGNORECASE)
_YEAR_IN_TEXT = re.compile(r"(?<!\d)(\d{4})(?!\d)")


def _get(obj: Any, name: str) -> Any:
    """A field of a test part, whether a model or (from a half-loaded pack) a mapping."""
    if isinstance(obj, dict):
        return obj.get(name)
    return getattr(obj, name, None)


def _parts(test: Any) -> list[tuple[str, Any]]:
    """(field path, plain test) for a test: itself, or each part of `{all|any: [...]}`."""
    for combine in ("all", "any"):
        parts = _get(test, combine)
        if isinstance(parts, Sequence) and not isinstance(parts, str | bytes):
            return [(f"test.{combine}[{index}]", part) for index, part in enumerate(parts)]
    return [("test", test)]


def _last_day(op: str, deadline: dt.date) -> dt.date:
    """The last compliant day of a dated test or measure: "trước ngày D" ends the day before."""
    return deadline - dt.timedelta(days=1) if op == "before" else deadline


def _number(value: Any) -> Decimal | None:
    """A threshold as a Decimal; None for a yes/no value, a date, a level id or nothing."""
    if isinstance(value, bool) or not isinstance(value, int | Decimal | float):
        return None
    return Decimal(str(value)) if isinstance(value, float) else Decimal(value)


def _measure_op(measure: Measure) -> str:
    """The comparison a measure writes, `count>=` read as `>=` (a count compared)."""
    op = measure.op.strip()
    return op[len("count"):].strip() if op.startswith("count") else op


def _measure_class(measure: Measure) -> str | None:
    """What a catalogue target counts: 'change' (over an earlier value), 'percent', 'count';
    None when its unit does not say (then any numeric test may be compared with it)."""
    if measure.op.strip().startswith("count"):
        return "count"
    unit = (measure.unit or "").strip()
    if not unit:
        return None
    if _CHANGE_UNIT.search(unit):
        return "change"
    if unit.startswith("%") or unit.lower().startswith("percent"):
        return "percent"
    return "count"


def _rule_classes(pack: Pack, metric: str) -> set[str]:
    """What a rule's tested value counts, in the same terms as `_measure_class`: a change over
    last year is a 'change', and also what its own unit counts (places, percentage points, a
    growth in %), so a catalogue target written in that unit is compared with it too."""
    kind = pack.value_kind(metric)
    unit = pack.unit_of(metric)
    own = "percent" if kind in ("ratio", "each") or (
        unit is not None and unit.en.lstrip().startswith("%")) else "count"
    return {"change", own} if kind == "change" else {own}


def _comparable(pack: Pack, metric: str, value: Any, measure: Measure) -> bool:
    """Whether a catalogue measure is a target of the same kind as a rule's test of `metric`
    against `value`: a comparison, on a number of a compatible unit, or on a level id."""
    if _measure_op(measure) not in _COMPARISONS or isinstance(measure.value, bool):
        return False
    if _number(value) is None:  # a level id: compared with a level id only
        return isinstance(measure.value, str)
    if _number(measure.value) is None:
        return False
    kind = _measure_class(measure)
    return kind is None or kind in _rule_classes(pack, metric)


def _same_value(value: Any, measure: Measure) -> bool:
    number = _number(value)
    if number is None:
        return bool(measure.value == value)
    return _number(measure.value) == number


def _compared_parts(pack: Pack, rule: Rule) -> list[tuple[str, Any, str, Any]]:
    """(op, value, metric, part) of each comparison the rule's test makes on a known name."""
    out = []
    for _, part in _parts(rule.test):
        op, value, metric = _get(part, "op"), _get(part, "value"), _get(part, "metric")
        if op in _COMPARISONS and value is not None and not isinstance(value, bool) \
                and isinstance(metric, str) and pack.kind_of(metric) is not None:
            out.append((op, value, metric, part))
    return out


def _shown(op: str, value: Any, unit: str | None, lang: str) -> str:
    number = _number(value)
    text = fmt(number, lang) if number is not None else str(value)
    return f"{SYMBOLS.get(op, op)} {text}{' ' + unit if unit else ''}"


def _listing(items: Iterable[str], lang: str) -> str:
    return "; ".join(items) or ("không có" if lang == "vi" else "none")


class _RuleCheck:
    """The comparisons of one rule with the catalogue entries it names."""

    def __init__(self, pack: Pack, rule: Rule, problems: list[Problem]) -> None:
        self.pack, self.rule, self.problems = pack, rule, problems
        self.where = f"{pack.rule_files.get(rule.id, 'rules')}: quy tắc / rule {rule.id}"
        self.requirements: list[Requirement] = [
            pack.requirement_by_id[req] for req in rule.requirements
            if req in pack.requirement_by_id]
        self.documented = rule.departs_from_text is not None

    def problem(self, field: str, vi: str, en: str, expected_vi: str = "",
                expected_en: str = "") -> None:
        self.problems.append(Problem(f"{self.where}: {field}", vi, en, expected_vi, expected_en))

    def run(self) -> None:
        self.area()
        test = self.rule.test
        for field, part in _parts(test):
            op = _get(part, "op")
            if op in _DATED:
                self.dated(field, part, op)
            elif op in _COMPARISONS:
                self.compared(field, part, op)

    def area(self) -> None:
        areas = {req.area for req in self.requirements}
        if not areas or self.rule.area in areas:
            return
        named = ", ".join(f"{req.id}: {req.area}" for req in self.requirements)
        self.problem("area", f"lĩnh vực '{self.rule.area}' không phải lĩnh vực của yêu cầu nào "
                     f"quy tắc chấm (requirements.yaml: {named})",
                     f"area '{self.rule.area}' is the area of none of the requirements the rule "
                     f"scores (requirements.yaml: {named})",
                     "lĩnh vực của một trong các yêu cầu đó, hoặc sửa lĩnh vực trong "
                     "requirements.yaml", "the area of one of those requirements, or fix the "
                     "area in requirements.yaml")

    # --- deadlines -----------------------------------------------------------------------

    def catalogue_dates(self) -> list[tuple[str, dt.date]]:
        """(requirement id, last compliant day) the catalogue gives the rule's requirements:
        each dated measure's, or the requirement's deadline when it has none."""
        out: list[tuple[str, dt.date]] = []
        for req in self.requirements:
            dated = [_last_day(m.op.strip(), m.value) for m in req.measures
                     if m.op.strip() in _DATED and isinstance(m.value, dt.date)]
            if not dated and req.deadline is not None:
                dated = [req.deadline]
            out += [(req.id, day) for day in dict.fromkeys(dated)]
        return out

    def dated(self, field: str, part: Any, op: str) -> None:
        deadline, window_from = _get(part, "deadline"), _get(part, "window_from")
        if not isinstance(deadline, dt.date):
            return
        last = _last_day(op, deadline)
        stated = self.catalogue_dates()
        said = f"'{op}' {format_date(deadline)}"
        if op == "before":
            said += f" (ngày cuối cùng đúng hạn / last day on time {format_date(last)})"
        if stated and last not in {day for _, day in stated} and not self.documented:
            listed = ", ".join(f"{req}: {format_date(day)}" for req, day in stated)
            self.problem(f"{field}.deadline",
                         f"hạn {said} khác hạn của danh mục yêu cầu ({listed})",
                         f"deadline {said} differs from the catalogue's ({listed})",
                         "hạn chót ghi trong danh mục (ngày cuối cùng còn đúng hạn), hoặc "
                         "departs_from_text nói vì sao quy tắc đọc khác",
                         "the catalogue's deadline (the last day on time), or departs_from_text "
                         "saying why the rule reads it otherwise")
        self.dates_in_year(field, last, window_from, {day for _, day in stated})

    def dates_in_year(self, field: str, last: dt.date, window_from: Any,
                      stated: set[dt.date]) -> None:
        meta = self.pack.meta
        first_day, year_end = dt.date(meta.year, 1, 1), dt.date(meta.year, 12, 31)
        spill_over = last > year_end and (last in stated or self.documented)
        if not (first_day <= last <= year_end or spill_over):
            self.problem(f"{field}.deadline",
                         f"hạn {format_date(last)} nằm ngoài năm kế hoạch {meta.year} của gói "
                         "(pack.yaml: year)",
                         f"deadline {format_date(last)} is outside the pack's plan year "
                         f"{meta.year} (pack.yaml: year)",
                         f"một ngày của năm {meta.year}, hoặc sau năm đó khi danh mục yêu cầu "
                         "ghi đúng ngày ấy", f"a day of {meta.year}, or after it where the "
                         "catalogue states that very day")
        if isinstance(window_from, dt.date):
            # a deliverable of the plan year may be made in the last months of the year before
            # (next year's plan, issued in December): the window may open in that year
            opens = min(dt.date(meta.year - 1, 1, 1), meta.plan.issued_on)
            if not opens <= window_from <= year_end:
                self.problem(f"{field}.window_from",
                             f"cửa sổ bắt đầu {format_date(window_from)}, ngoài năm kế hoạch "
                             f"{meta.year} của gói (pack.yaml: year)",
                             f"the window opens {format_date(window_from)}, outside the pack's "
                             f"plan year {meta.year} (pack.yaml: year)",
                             f"từ {format_date(opens)} đến {format_date(year_end)} (từ năm trước "
                             "năm kế hoạch đến hết năm kế hoạch)",
                             f"from {format_date(opens)} to {format_date(year_end)} (from the year "
                             "before the plan year to its end)")

    # --- targets -------------------------------------------------------------------------

    def compared(self, field: str, part: Any, op: str) -> None:
        value, metric = _get(part, "value"), _get(part, "metric")
        if isinstance(value, bool) or value is None or self.documented \
                or not isinstance(metric, str) or self.pack.kind_of(metric) is None:
            return
        candidates = [(req.id, measure) for req in self.requirements for measure in req.measures
                      if _comparable(self.pack, metric, value, measure)]
        if not candidates:
            return

        def same(measure: Measure) -> bool:
            return _same_value(value, measure)

        if any(_measure_op(m) == op and same(m) for _, m in candidates):
            return
        by_value = [(req, m) for req, m in candidates if same(m)]
        by_op = [(req, m) for req, m in candidates if _measure_op(m) == op]
        if by_value:
            target, shown = f"{field}.op", by_value
        elif by_op:
            target, shown = f"{field}.value", by_op
        else:
            target, shown = field, candidates
        unit = self.pack.unit_of(metric)

        def listed(lang: str) -> str:
            return _listing((f"{req}: {_shown(_measure_op(m), m.value, m.unit, lang)} "
                             f"(“{m.quote_vi}”)" for req, m in shown), lang)

        self.problem(target,
                     f"chỉ tiêu {_shown(op, value, unit.vi if unit else None, 'vi')} không khớp "
                     f"chỉ tiêu nào của danh mục yêu cầu ({listed('vi')})",
                     f"target {_shown(op, value, unit.en if unit else None, 'en')} matches no "
                     f"target of the catalogue ({listed('en')})",
                     "phép so sánh và ngưỡng đúng như danh mục, hoặc departs_from_text nói vì sao "
                     "quy tắc đọc khác", "the catalogue's comparison and threshold, or "
                     "departs_from_text saying why the rule reads it otherwise")


def _check_plan_date(pack: Pack, problems: list[Problem]) -> None:
    year, issued = pack.meta.year, pack.meta.plan.issued_on
    if not dt.date(year - 1, 1, 1) <= issued <= dt.date(year, 12, 31):
        problems.append(Problem(
            "pack.yaml: plan.issued_on",
            f"Kế hoạch ban hành ngày {format_date(issued)}, không thuộc năm kế hoạch {year} "
            "hay năm trước đó (year)",
            f"the plan is dated {format_date(issued)}, neither in its plan year {year} nor the "
            "year before (year)",
            f"một ngày từ 01/01/{year - 1} đến 31/12/{year}",
            f"a day from 01/01/{year - 1} to 31/12/{year}"))


def _check_requirement_dates(pack: Pack, problems: list[Problem]) -> None:
    """A requirement's dates against the plan year: after it, a period the plan's words state;
    before it, a slip of the plan that some rule scoring it documents (departs_from_text)."""
    year = pack.meta.year
    documented = {req for rule in pack.rules if rule.departs_from_text is not None
                  for req in rule.requirements}
    for req in pack.requirements:
        dates = [("deadline", req.deadline)] + [
            (f"measures[{index}].value", m.value) for index, m in enumerate(req.measures)
            if isinstance(m.value, dt.date)]
        words = f"{req.when_vi or ''} {req.quote_vi}"
        stated_years = {int(found) for found in _YEAR_IN_TEXT.findall(words)}
        for field, day in dates:
            if not isinstance(day, dt.date) or day.year == year or req.id in documented:
                continue
            if day.year > year and day.year in stated_years:
                continue  # a period the plan sets beyond its year ("giai đoạn 2022-2026")
            problems.append(Problem(
                f"requirements.yaml: {req.id}: {field}",
                f"ngày {format_date(day)} nằm ngoài năm kế hoạch {year} (pack.yaml: year)"
                + ("" if day.year > year else ", trước cả năm kế hoạch"),
                f"{format_date(day)} is outside the plan year {year} (pack.yaml: year)"
                + ("" if day.year > year else ", before the plan year"),
                f"một ngày của năm {year}; sau năm đó khi lời Kế hoạch ghi năm ấy; trước năm đó "
                "chỉ khi quy tắc chấm yêu cầu này có departs_from_text",
                f"a day of {year}; after it where the plan's words name that year; before it "
                "only where a rule scoring this requirement has departs_from_text"))


def _encoded(pack: Pack, rule: Rule) -> list[tuple[str, Any]]:
    """(op, value) of every threshold a rule encodes besides its test: its partial-credit steps,
    the floor of a banded linear credit, a cap on deductions, the days of a late tier, and the
    per-row test of a metric it reads ("tối thiểu 30% đối với từng TTHC")."""
    method = rule.scoring
    out: list[tuple[str, Any]] = []
    if method.method == "steps":
        out += [(step.op, step.value) for step in method.partial]
    elif method.method == "linear" and method.from_:
        out += [(">=", method.from_), (">", method.from_), ("<", method.from_)]
    elif method.method == "deductions":
        out.append(("==", method.per_unit))
        if method.max_deduction is not None:
            out.append(("<=", method.max_deduction))
    elif method.method == "on_time":
        out += [(op, tier.days) for tier in method.tiers() if tier.days is not None
                for op in ("<=", ">")]
    for name in rule.inputs:
        metric = pack.metrics.get(name)
        if metric is not None and metric.kind == "each":
            out.append((metric.meets.op, metric.meets.value))
    return out


def _check_measures_scored(pack: Pack, problems: list[Problem]) -> None:
    """Each numeric target of the catalogue is some rule's, when rules score its requirement
    with thresholds of its kind: two targets of one clause (≥ 80 % and ≥ 60 %) cannot both be
    read as the same one. A requirement no rule tests with such a threshold is left alone (its
    target is read otherwise, e.g. as done or not), and so is one a rule reads by a documented
    departure."""
    scoring: dict[str, list[Rule]] = {}
    for rule in pack.rules:
        for req_id in rule.requirements:
            scoring.setdefault(req_id, []).append(rule)
    for req in pack.requirements:
        rules = scoring.get(req.id, [])
        if any(rule.departs_from_text is not None for rule in rules):
            continue
        tests = [(rule, op, value, metric) for rule in rules
                 for op, value, metric, _ in _compared_parts(pack, rule)]
        for index, measure in enumerate(req.measures):
            readers = [(rule, op, value) for rule, op, value, metric in tests
                       if _comparable(pack, metric, value, measure)]
            encoded = [(op, value) for rule in rules for op, value in _encoded(pack, rule)]
            if not readers or any(op == _measure_op(measure) and _same_value(value, measure)
                                  for op, value in [(o, v) for _, o, v in readers] + encoded):
                continue
            names = ", ".join(dict.fromkeys(rule.id for rule, _, _ in readers))
            target = _shown(_measure_op(measure), measure.value, measure.unit, "vi")
            problems.append(Problem(
                f"requirements.yaml: {req.id}: measures[{index}]",
                f"chỉ tiêu {target} (“{measure.quote_vi}”) không quy tắc nào chấm, dù {names} "
                "chấm yêu cầu này bằng ngưỡng cùng loại",
                f"target {_shown(_measure_op(measure), measure.value, measure.unit, 'en')} is "
                f"scored by no rule, although {names} "
                f"{'score' if ',' in names else 'scores'} this requirement with thresholds "
                "of its kind",
                "một quy tắc với đúng phép so sánh và ngưỡng này",
                "a rule with this very comparison and threshold"))


def check_catalogue(pack: Pack, problems: list[Problem]) -> None:
    """Add to `problems` every difference between a rule and the catalogue entries it names
    (target, deadline, area) and every date of the pack outside its plan year."""
    _check_plan_date(pack, problems)
    _check_requirement_dates(pack, problems)
    for rule in pack.rules:
        _RuleCheck(pack, rule, problems).run()
    _check_measures_scored(pack, problems)
