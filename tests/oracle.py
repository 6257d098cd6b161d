"""An independent plain-Python evaluator of a rule pack's semantics: the test oracle.

It reads the same checked facts and pack as the engine but shares none of its evaluation code:
no derive, no compile, no durable_rules, no scoring module. Rates are compared exactly with
fractions (never floats), dates as dates. Tests require its statuses and points to equal the
engine's on thousands of generated wards; the benchmark uses it as the speed floor. It never
scores in production.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from cchc.engine.facts.model import WardFacts
from cchc.engine.pack.model import Pack

OK, NA, MISSING = "ok", "na", "missing"


def _round2(value: Fraction) -> Decimal:
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


class Oracle:
    """Evaluates one pack, ward by ward."""

    def __init__(self, pack: Pack) -> None:
        self.pack = pack

    def _raw(self, ward: WardFacts, name: str, previous: bool):
        facts = ward.previous if previous else ward.current
        item = facts.get(name)
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
        x, y = Fraction(a[1]), Fraction(b[1])
        if metric.kind == "ratio":
            if y == 0:
                return NA, None, evidence
            return OK, x * Fraction(metric.scale) / y, evidence
        if metric.kind == "difference":
            return OK, x - y, evidence
        return OK, (x - y) if metric.better == "higher" else (y - x), evidence

    @staticmethod
    def _holds(op: str, value, threshold) -> bool:
        return {">": value > threshold, ">=": value >= threshold, "<": value < threshold,
                "<=": value <= threshold, "==": value == threshold}[op]

    def rule(self, rule, ward: WardFacts) -> tuple[str, Decimal, Decimal]:
        """(status, self-assessment points, projected-appraisal points) of one rule."""
        state, value, evidence = self.value(ward, rule.test.metric)
        if state == MISSING:
            return "thieu_du_lieu", Decimal("0.00"), Decimal("0.00")
        if state == NA:
            return "khong_ap_dung", Decimal("0.00"), Decimal("0.00")
        method = rule.scoring
        points = Fraction(rule.points)
        share = Fraction(0)
        met = False
        if rule.test.op == "done_by":
            if isinstance(value, dt.date):
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
        if met:
            share = Fraction(1)
        earned = _round2(points * share)
        if share == 0:
            return "khong_dat", earned, earned
        if not evidence:
            return "thieu_minh_chung", earned, Decimal("0.00")
        return ("dat" if met else "dat_mot_phan"), earned, earned

    def evaluate(self, ward: WardFacts) -> dict[str, tuple[str, Decimal, Decimal]]:
        """Every rule's (status, self points, appraisal points), by rule id."""
        return {rule.id: self.rule(rule, ward) for rule in self.pack.rules}
