"""Derive the metrics the rules read (rates, differences, changes) from a ward's facts, exactly.

Every number is exact (an int, or a `Fraction`), so 612 / 1 020 × 100 is exactly 60. A metric
is `ok` with a value, `missing` when a fact it needs has no data (the names are kept for the
explanation), or `na` (not applicable) when a rate's denominator is 0 — no dossiers received
means no digitisation rate. A metric keeps its operands, so the report can show numerator and
denominator, or this year's and last year's values. Last year's values need no evidence: they
were appraised last year.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

from cchc.engine.factsfile import Reported, WardFacts
from cchc.engine.pack import Pack

Status = Literal["ok", "na", "missing"]


@dataclass(slots=True)
class MetricValue:
    """A fact's or metric's value for one ward, with how it was obtained (never changed once
    made; not frozen only because frozen dataclasses are several times slower to create)."""

    name: str
    status: Status
    value: int | Fraction | bool | dt.date | None = None
    evidence_ok: bool = True
    missing: tuple[str, ...] = ()
    parts: tuple[MetricValue, ...] = ()
    reported: Reported | None = None
    previous_year: bool = False


def _fact_value(pack: Pack, name: str, facts: dict[str, Reported], previous: bool) -> MetricValue:
    reported = facts.get(name)
    label = f"previous_year.{name}" if previous else name
    if reported is None or reported.value is None:
        return MetricValue(name, "missing", missing=(label,), reported=reported,
                           previous_year=previous)
    value = reported.value
    evidence_ok = previous or not pack.facts[name].evidence_required or bool(reported.evidence)
    return MetricValue(name, "ok", value, evidence_ok, reported=reported, previous_year=previous)


def _combine(name: str, parts: tuple[MetricValue, ...],
             previous: bool) -> MetricValue | None:
    """The missing / not-applicable result its operands force, or None if all are ok."""
    missing = tuple(m for part in parts for m in part.missing)
    evidence_ok = all(part.evidence_ok for part in parts if not part.previous_year)
    if missing:
        return MetricValue(name, "missing", None, evidence_ok, missing, parts,
                           previous_year=previous)
    if any(part.status == "na" for part in parts):
        return MetricValue(name, "na", None, evidence_ok, (), parts, previous_year=previous)
    return None


class Deriver:
    """Computes (and remembers) facts and metrics for one ward."""

    def __init__(self, pack: Pack, ward: WardFacts) -> None:
        self._pack = pack
        self._ward = ward
        self._memo: dict[tuple[str, bool], MetricValue] = {}

    def value(self, name: str, previous: bool = False) -> MetricValue:
        """The value of fact or metric `name` this year (or, with previous=True, last year)."""
        key = (name, previous)
        if key not in self._memo:
            self._memo[key] = self._compute(name, previous)
        return self._memo[key]

    def _compute(self, name: str, previous: bool) -> MetricValue:
        metric = self._pack.metrics.get(name)
        if metric is None:
            facts = self._ward.previous if previous else self._ward.current
            return _fact_value(self._pack, name, facts, previous)
        if metric.kind == "change":
            parts = (self.value(metric.of), self.value(metric.of, previous=True))
        elif metric.kind == "ratio":
            parts = (self.value(metric.numerator, previous),
                     self.value(metric.denominator, previous))
        else:
            parts = (self.value(metric.minuend, previous), self.value(metric.subtrahend, previous))
        forced = _combine(name, parts, previous)
        if forced is not None:
            return forced
        first, second = (part.value for part in parts)
        assert isinstance(first, int | Fraction) and isinstance(second, int | Fraction)
        evidence_ok = all(part.evidence_ok for part in parts if not part.previous_year)
        value: int | Fraction
        if metric.kind == "ratio":
            if second == 0:
                return MetricValue(name, "na", None, evidence_ok, (), parts,
                                   previous_year=previous)
            scale = metric.scale
            numerator = first * (int(scale) if scale == scale.to_integral_value()
                                 else Fraction(scale))
            value = (Fraction(numerator, second) if type(numerator) is int is type(second)
                     else Fraction(numerator) / second)
        elif metric.kind == "difference":
            value = first - second
        else:
            value = first - second if metric.better == "higher" else second - first
        return MetricValue(name, "ok", value, evidence_ok, (), parts, previous_year=previous)
