"""An independent plain-Python evaluator of a rule pack's semantics: the test oracle.

It reads the same checked facts and pack as the engine but shares none of its evaluation code:
no derive, no compile, no durable_rules, no scoring module. Rates are compared exactly with
fractions (never floats), dates as dates. Tests require its statuses and points to equal the
engine's on thousands of generated wards; the benchmark uses it as the speed floor. It never
scores in production.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_DOWN, Decimal
from fractions import Fraction

from cchc.engine.dates import parse_date
from cchc.engine.facts.model import WardFacts
from cchc.engine.pack.model import Pack

OK, NA, MISSING, PENDING = "ok", "na", "missing", "pending"
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
        if metric.kind == "change":
            a = self.value(ward, metric.of, False)
            b = self.value(ward, metric.of, True)
            evidence = a[2]
        elif metric.kind == "ratio":
            a = self.value(ward, metric.numerator, previous)
            b = self.value(ward, metric.denominator, previous)
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
        x, y = Fraction(a[1]), Fraction(b[1])
        if metric.kind == "ratio":
            if y == 0:
                return NA, None, evidence
            return OK, x * Fraction(metric.scale) / y, evidence
        if metric.kind == "difference":
            if metric.none_is_not_applicable and x == 0:
                return NA, None, evidence
            return OK, x - y, evidence
        return OK, (x - y) if metric.better == "higher" else (y - x), evidence

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

    def rule(self, rule, ward: WardFacts) -> tuple[str, Decimal, Decimal]:
        """(status, self-assessment points, projected-appraisal points) of one rule."""
        state, value, evidence = self.value(ward, rule.test.metric)
        if state == MISSING:
            return "thieu_du_lieu", Decimal("0.00"), Decimal("0.00")
        if state == NA:
            return "khong_ap_dung", Decimal("0.00"), Decimal("0.00")
        if state == PENDING:
            return "cho_ket_qua", Decimal("0.00"), Decimal("0.00")
        method = rule.scoring
        points = Fraction(rule.points)
        share = Fraction(0)
        met = False
        if rule.test.op == "done_by":
            if isinstance(value, dt.date) and value >= rule.test.window_from:
                if value <= rule.test.deadline:
                    met = True
                elif value <= method.late_until and method.late_share > 0:
                    share = Fraction(method.late_share)
        elif isinstance(value, bool):
            met = value is True
        else:
            threshold = Fraction(rule.test.value)
            met = self._holds(rule.test.op, value, threshold)
            if not met and method.method == "steps":
                for step in method.partial:
                    if self._holds(step.op, value, Fraction(step.value)):
                        share = Fraction(step.share)
                        break
            elif not met and method.method == "linear" and value > 0:
                share = value / threshold
            elif not met and method.method == "deductions" and value > 0:
                share = max(points - Fraction(method.per_unit) * value, Fraction(0)) / points
        if self._at_ceiling(ward, rule.test.metric):
            met = True
        if met:
            earned = Decimal(points.numerator) / Decimal(points.denominator)
            earned = earned.quantize(CENT)
        else:
            earned = _partial(points, share) if share > 0 else Decimal("0.00")
        if share == 0 and not met:
            return "khong_dat", earned, earned
        assessed = parse_date(ward.prepared_on) if ward.prepared_on else None
        late_paper = isinstance(value, dt.date) and assessed is not None and value > assessed
        if not evidence:
            return "thieu_minh_chung", earned, Decimal("0.00")
        return (("dat" if met else "dat_mot_phan"), earned,
                Decimal("0.00") if late_paper else earned)

    def evaluate(self, ward: WardFacts) -> dict[str, tuple[str, Decimal, Decimal]]:
        """Every rule's (status, self points, appraisal points), by rule id."""
        return {rule.id: self.rule(rule, ward) for rule in self.pack.rules}
