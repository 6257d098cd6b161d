"""An independent plain-Python evaluator of a rule pack's semantics: the test oracle.

It reads the same checked facts and pack as the engine but shares none of its evaluation code:
no derive, no compile, no durable_rules, no scoring module. Rates are compared exactly with
fractions (never floats), dates as dates. Tests require its statuses and points to equal the
engine's on thousands of generated wards; the benchmark uses it as the speed floor. It never
scores in production.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from fractions import Fraction

from cchc.engine.dates import parse_date
from cchc.engine.facts.model import WardFacts
from cchc.engine.pack.model import Pack

OK, NA, MISSING, PENDING = "ok", "na", "missing", "pending"
NOT_DONE = Fraction(10) ** 30  # days to a deliverable never done: beyond any limit
CENT = Decimal("0.01")


def _partial(points: Fraction, share: Fraction) -> Decimal:
    """Partial points: rounded down to 0.01, never the maximum."""
    exact = points * share
    down = (Decimal(exact.numerator) / Decimal(exact.denominator)).quantize(
        CENT, rounding=ROUND_DOWN)
    return max(min(down, Decimal(points.numerator) / Decimal(points.denominator) - CENT),
               Decimal("0.00"))


class Oracle:
    """Evaluates one pack, ward by ward."""

    def __init__(self, pack: Pack) -> None:
        self.pack = pack

    def _raw(self, ward: WardFacts, name: str, previous: bool):
        facts = ward.previous if previous else ward.current
        item = facts.get(name)
        if item is not None and item.pending:
            return PENDING, None, True
        if item is None or item.value is None:
            return MISSING, None, True
        spec = self.pack.facts[name]
        evidence = previous or not spec.evidence_required or len(item.evidence) > 0
        return OK, item.value, evidence

    def _working(self, day: dt.date) -> bool:
        calendar = self.pack.meta.calendar
        if day in calendar.working_days:
            return True
        for holiday in calendar.holidays:
            if holiday.from_ <= day <= (holiday.to or holiday.from_):
                return False
        return day.weekday() < 5

    def _days(self, start: dt.date, end: dt.date, count: str) -> int:
        """Days after `start` up to and including `end`, walked one by one."""
        if count == "calendar":
            return (end - start).days
        days, day = 0, start
        while day < end:
            day += dt.timedelta(days=1)
            days += self._working(day)
        return days

    def _days_in(self, ward: WardFacts, name: str):
        """Every date of this year's facts behind a name."""
        metric = self.pack.metrics.get(name)
        if metric is not None:
            for part in metric.operands:
                yield from self._days_in(ward, part)
            return
        item = ward.current.get(name)
        value = item.value if item is not None else None
        if isinstance(value, dt.date):
            yield value
        elif isinstance(value, tuple):
            for entry in value:
                if isinstance(entry, dt.date):
                    yield entry
                elif isinstance(entry, dict):
                    yield from (cell for cell in entry.values() if isinstance(cell, dt.date))

    def _item(self, item, row) -> Fraction:
        if item.kind == "column":
            return Fraction(row[item.column])
        if item.kind == "reduction":
            legal, actual = Fraction(row[item.from_]), Fraction(row[item.to])
            return (legal - actual) / legal * 100
        return Fraction(self._days(row[item.from_], row[item.to], item.count))

    def value(self, ward: WardFacts, name: str, previous: bool = False):
        """(state, value, evidence_ok) of a fact or metric."""
        metric = self.pack.metrics.get(name)
        if metric is None:
            return self._raw(ward, name, previous)
        if metric.kind == "all":
            parts = [self.value(ward, name, previous) for name in metric.of]
            evidence = all(p[2] for p in parts)
            states = [p[0] for p in parts]
            for state in (MISSING, NA, PENDING):
                if state in states:
                    return state, None, evidence
            return OK, all(p[1] is True for p in parts), evidence
        if metric.kind in ("per_period", "each"):
            state, items, evidence = self.value(ward, metric.of, previous)
            if state != OK:
                return state, None, evidence
            if metric.kind == "per_period":
                year = self.pack.meta.year - (1 if previous else 0)
                size = {"year": 12, "half_year": 6, "quarter": 3, "month": 1}[metric.every]
                counts = [sum(1 for day in items if day.year == year
                              and first <= day.month < first + size)
                          for first in range(1, 13, size)]
                return OK, min(counts), evidence
            if not items:
                return NA, None, evidence
            threshold = Fraction(metric.meets.value)
            meeting = sum(1 for row in items
                          if not (metric.item.kind == "days_between"
                                  and row[metric.item.to] is False)
                          and self._holds(metric.meets.op, self._item(metric.item, row),
                                          threshold))
            return OK, Fraction(100 * meeting, len(items)), evidence
        if metric.kind == "change":
            a = self.value(ward, metric.of, False)
            b = self.value(ward, metric.of, True)
            evidence = a[2]
        elif metric.kind == "ratio":
            a = self.value(ward, metric.numerator, previous)
            b = self.value(ward, metric.denominator, previous)
            evidence = a[2] and b[2]
        elif metric.kind == "days_between":
            a = self.value(ward, metric.from_, previous)
            b = self.value(ward, metric.to, previous)
            evidence = a[2] and b[2]
        else:
            a = self.value(ward, metric.minuend, previous)
            b = self.value(ward, metric.subtrahend, previous)
            evidence = a[2] and b[2]
        if MISSING in (a[0], b[0]):
            return MISSING, None, evidence
        if NA in (a[0], b[0]):
            return NA, None, evidence
        if PENDING in (a[0], b[0]):
            return PENDING, None, evidence
        if metric.kind == "days_between":
            if a[1] is False:  # the day it is counted from is not known
                return MISSING, None, evidence
            if b[1] is False:
                return OK, NOT_DONE, evidence
            end = b[1]
            if metric.rolls_over:  # Điều 148 BLDS: a limit ending on a day off moves on
                while end - dt.timedelta(days=1) > a[1] and \
                        not self._working(end - dt.timedelta(days=1)):
                    end -= dt.timedelta(days=1)
            return OK, Fraction(self._days(a[1], end, metric.count)), evidence
        x, y = Fraction(a[1]), Fraction(b[1])
        if metric.kind == "ratio":
            if y == 0:
                return NA, None, evidence
            return OK, x * Fraction(metric.scale) / y, evidence
        if metric.kind == "difference":
            if metric.none_is_not_applicable and x == 0:
                return NA, None, evidence
            return OK, x - y, evidence
        change = (x - y) if metric.better == "higher" else (y - x)
        if metric.measure == "percent":
            if y == 0:
                return NA, None, evidence
            return OK, change * 100 / y, evidence
        return OK, change, evidence

    @staticmethod
    def _holds(op: str, value, threshold) -> bool:
        return {">": value > threshold, ">=": value >= threshold, "<": value < threshold,
                "<=": value <= threshold, "==": value == threshold}[op]

    def _at_ceiling(self, ward: WardFacts, name: str) -> bool:
        """Both years at the change metric's ceiling (rank 1 kept, the top level kept)."""
        metric = self.pack.metrics.get(name)
        if metric is None or metric.kind != "change" or metric.ceiling is None:
            return False
        ceiling = metric.ceiling
        spec = self.pack.facts.get(metric.of)
        if spec is not None and spec.type == "level":
            ceiling = [level.id for level in spec.levels].index(ceiling)
        now, before = self.value(ward, metric.of, False), self.value(ward, metric.of, True)
        return now[0] == OK == before[0] and Fraction(now[1]) == Fraction(ceiling) \
            == Fraction(before[1])

    def _level(self, test) -> Fraction:
        if isinstance(test.value, str):
            return Fraction([level.id for level in self.pack.facts[test.metric].levels]
                            .index(test.value))
        return Fraction(test.value)

    def _test_holds(self, test, value) -> bool:
        """Whether one plain test holds on a present value."""
        if test.op in ("done_by", "before"):
            last = test.deadline - dt.timedelta(days=1) if test.op == "before" else test.deadline
            return isinstance(value, dt.date) and test.window_from <= value <= last
        if isinstance(value, bool):
            return value is True
        return self._holds(test.op, value, self._level(test))

    def _state(self, ward: WardFacts, names) -> tuple[str, list, bool, list]:
        """(state, values, evidence, each part's evidence): no data if any part has none,
        pending if any waits, not applicable if every part is (one part not applicable: the
        others decide; its value is NA)."""
        parts = [self.value(ward, name) for name in names]
        evidence = all(p[2] for p in parts if p[0] != NA or len(parts) == 1)
        each = [p[2] for p in parts]
        for state in (MISSING, PENDING):
            if any(p[0] == state for p in parts):
                return state, [], evidence, each
        if all(p[0] == NA for p in parts):
            return NA, [], evidence, each
        return OK, [p[1] if p[0] == OK else NA for p in parts], evidence, each

    def rule(self, rule, ward: WardFacts) -> tuple[str, Decimal, Decimal]:
        """(status, self-assessment points, projected-appraisal points) of one rule."""
        zero = Decimal("0.00")
        if rule.applies_if is not None:
            state, value, _ = self.value(ward, rule.applies_if.metric)
            if state == MISSING:
                return "thieu_du_lieu", zero, zero
            if state == PENDING:
                return "cho_ket_qua", zero, zero
            if state == NA or not self._test_holds(rule.applies_if, value):
                return "khong_ap_dung", zero, zero
        tests = rule.test.parts
        state, values, evidence, each_evidence = self._state(ward, rule.test.metrics)
        if state == MISSING:
            return "thieu_du_lieu", zero, zero
        if state == NA:
            return "khong_ap_dung", zero, zero
        if state == PENDING:
            return "cho_ket_qua", zero, zero
        method = rule.scoring
        points = Fraction(rule.points)
        share = Fraction(0)
        met = False
        value = values[0]
        test = tests[0]
        if len(tests) > 1:
            by_name = dict(zip(rule.test.metrics, values, strict=True))
            holds = [self._test_holds(part, by_name[part.metric]) for part in tests
                     if by_name[part.metric] is not NA]
            met = all(holds) if rule.test.combine == "all" else any(holds)
            if rule.test.combine == "any" and len(rule.test.metrics) == len(tests):
                # the points rest on the parts that hold: only their evidence counts
                by_evidence = dict(zip(rule.test.metrics, each_evidence, strict=True))
                evidence = all(by_evidence[part.metric] for part in tests
                               if by_name[part.metric] is not NA
                               and self._test_holds(part, by_name[part.metric]))
        elif test.op in ("done_by", "before"):
            last = test.deadline - dt.timedelta(days=1) if test.op == "before" else test.deadline
            if isinstance(value, dt.date) and value >= test.window_from:
                if value <= last:
                    met = True
                elif method.method == "on_time":
                    end = last
                    for tier in method.tiers():
                        if tier.share <= 0:
                            break
                        tier_end = last + dt.timedelta(days=tier.days) if tier.days \
                            else tier.until or dt.date.max
                        if tier_end <= end:
                            continue
                        if value <= tier_end:
                            share = Fraction(tier.share)
                            break
                        end = tier_end
        elif value is NOT_DONE:
            met = False
        elif isinstance(value, bool):
            met = value is True
        else:
            threshold = self._level(test)
            met = self._holds(test.op, value, threshold)
            if not met and method.method == "steps":
                for step in method.partial:
                    if self._holds(step.op, value, Fraction(step.value)):
                        share = Fraction(step.share)
                        break
            elif not met and method.method == "linear":
                floor = Fraction(method.from_)
                if value > floor:
                    share = (value - floor) / (threshold - floor)
            elif not met and method.method == "deductions" and value > 0:
                off = Fraction(method.per_unit) * value
                if method.max_deduction is not None:
                    off = min(off, Fraction(method.max_deduction))
                share = max(points - off, Fraction(0)) / points
        if len(tests) == 1 and self._at_ceiling(ward, test.metric):
            met = True
        if met:
            earned = Decimal(points.numerator) / Decimal(points.denominator)
            earned = earned.quantize(CENT)
        else:
            earned = _partial(points, share) if share > 0 else zero
        if share == 0 and not met:
            return "khong_dat", earned, earned
        assessed = parse_date(ward.prepared_on) if ward.prepared_on else None
        late_paper = assessed is not None and any(
            day > assessed for name in rule.test.metrics for day in self._days_in(ward, name))
        if not evidence:
            return "thieu_minh_chung", earned, zero
        return (("dat" if met else "dat_mot_phan"), earned, zero if late_paper else earned)

    def total(self, ward: WardFacts) -> tuple[Decimal, Decimal | None, str | None]:
        """(self-assessed total, index %, band id): the areas' points, bonuses, the cap,
        penalties, the index over the scored maximum (half up, at most 100) and the first band
        whose index and area condition the ward meets."""
        meta = self.pack.meta
        outcomes = {rule.id: (rule, self.rule(rule, ward)) for rule in self.pack.rules}
        left_out = ("khong_ap_dung", "cho_ket_qua")
        areas: dict[str, tuple[Decimal, Decimal]] = {}
        bonus = penalty = Decimal(0)
        for rule, (status, points, _) in outcomes.values():
            if rule.effect == "bonus":
                bonus += points
            elif rule.effect == "penalty":
                penalty += points
            else:
                got, most = areas.get(rule.area, (Decimal(0), Decimal(0)))
                areas[rule.area] = (got + points, most + (0 if status in left_out
                                                          else Decimal(rule.points)))
        total = sum((got for got, _ in areas.values()), Decimal(0)) + bonus
        if meta.adjustments is not None and meta.adjustments.total_cap is not None:
            total = min(total, meta.adjustments.total_cap)
        total = max(total - penalty, Decimal(0))
        scored = sum((most for _, most in areas.values()), Decimal(0))
        if scored == 0:
            return total, None, None

        def percent(part: Decimal, whole: Decimal) -> Decimal:
            exact = Fraction(part) * 100 / Fraction(whole)
            return (Decimal(exact.numerator) / Decimal(exact.denominator)).quantize(
                CENT, rounding=ROUND_HALF_UP)

        index = min(percent(total, scored), Decimal(100))
        in_points = any(band.min_points is not None for band in meta.bands)
        full = {area.id: Decimal(area.points) for area in meta.areas}
        shares = [percent(got, full[area] if in_points else most)
                  for area, (got, most) in areas.items() if (full[area] if in_points else most)]
        for band in meta.bands:
            reached = total if band.min_points is not None else index
            if reached >= (band.min_points if band.min_points is not None else band.min_index) \
                    and (band.min_area_share is None
                         or all(share >= band.min_area_share for share in shares)):
                return total, index, band.id
        return total, index, None

    def evaluate(self, ward: WardFacts) -> dict[str, tuple[str, Decimal, Decimal]]:
        """Every rule's (status, self points, appraisal points), by rule id."""
        return {rule.id: self.rule(rule, ward) for rule in self.pack.rules}
