"""Derive the metrics the rules read (rates, differences, changes) from a ward's facts, exactly.

Every number is exact (an int, or a `Fraction`), so 612 / 1 020 × 100 is exactly 60. A metric
is `ok` with a value, `missing` when a fact it needs has no data (the names are kept for the
explanation), `na` (not applicable) when a rate's denominator is 0 — no dossiers received
means no digitisation rate — or `pending` when an index edition it needs is not yet published
(the ward cannot know it yet). A change metric with a ceiling also says whether both years sit
at the ceiling (`at_ceiling`: rank 1 kept, the top rating kept). A metric keeps its operands,
so the report can show numerator and denominator, or this year's and last year's values.
Last year's values need no evidence: they were appraised last year.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

from cchc.engine.facts.model import Reported, WardFacts
from cchc.engine.pack.model import Pack
from cchc.rules.schema import Metric

Status = Literal["ok", "na", "missing", "pending"]


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
    at_ceiling: bool = False


def _fact_value(pack: Pack, name: str, facts: dict[str, Reported], previous: bool) -> MetricValue:
    reported = facts.get(name)
    label = f"previous_year.{name}" if previous else name
    if reported is not None and reported.pending:
        return MetricValue(name, "pending", reported=reported, previous_year=previous)
    if reported is None or reported.value is None:
        return MetricValue(name, "missing", missing=(label,), reported=reported,
                           previous_year=previous)
    value = reported.value
    evidence_ok = previous or not pack.facts[name].evidence_required or bool(reported.evidence)
    return MetricValue(name, "ok", value, evidence_ok, reported=reported, previous_year=previous)


Key = tuple[str, bool]  # (fact or metric name, last year?)


@dataclass(frozen=True)
class _Step:
    """One value to work out: a reported fact, or a metric from two earlier values."""

    key: Key
    metric: Metric | None
    parts: tuple[Key, ...] | None
    scale: int | Fraction
    ceiling: Fraction | None = None


def _operands(metric: Metric, previous: bool) -> tuple[Key, ...]:
    if metric.kind == "change":  # this year's value against last year's
        return (metric.of, False), (metric.of, True)
    return tuple((name, previous) for name in metric.operands)


class Deriver:
    """Works out the values a pack's rules test, ward after ward.

    The order of the work (every metric after its operands) is fixed once per pack, so a ward
    is one pass over a list.
    """

    def __init__(self, pack: Pack, names: Iterable[str]) -> None:
        self._pack = pack
        self._names = tuple(dict.fromkeys(names))
        self._steps: list[_Step] = []
        seen: set[Key] = set()

        def visit(key: Key) -> None:
            if key in seen:
                return
            seen.add(key)
            metric = pack.metrics.get(key[0])
            parts = None if metric is None else _operands(metric, key[1])
            for part in parts or ():
                visit(part)
            scale: int | Fraction = 1
            if metric is not None and metric.kind == "ratio":
                exact = Fraction(metric.scale)
                scale = int(exact) if exact.denominator == 1 else exact
            self._steps.append(_Step(key, metric, parts, scale, pack.ceiling_of(key[0])))

        for name in self._names:
            visit((name, False))

    def values(self, ward: WardFacts) -> dict[str, MetricValue]:
        """This year's value of every name the Deriver was made for."""
        got: dict[Key, MetricValue] = {}
        for step in self._steps:
            name, previous = step.key
            if step.metric is None:
                facts = ward.previous if previous else ward.current
                got[step.key] = _fact_value(self._pack, name, facts, previous)
            else:
                assert step.parts is not None
                parts = tuple(got[part] for part in step.parts)
                got[step.key] = _metric_value(name, step, parts, previous)
        return {name: got[(name, False)] for name in self._names}


def _metric_value(name: str, step: _Step, parts: tuple[MetricValue, ...],
                  previous: bool) -> MetricValue:
    """A metric from its operands: missing if one is, not applicable if one is (or a rate's
    denominator is 0), pending if one is, else the value. Evidence is this year's operands'."""
    evidence_ok = all(part.evidence_ok for part in parts if not part.previous_year)
    missing = tuple(name for part in parts for name in part.missing)
    if missing:
        return MetricValue(name, "missing", None, evidence_ok, missing, parts,
                           previous_year=previous)
    statuses = {part.status for part in parts}
    if "na" in statuses or "pending" in statuses:
        return MetricValue(name, "na" if "na" in statuses else "pending", None, evidence_ok, (),
                           parts, previous_year=previous)
    metric = step.metric
    assert metric is not None
    if metric.kind == "all":
        return MetricValue(name, "ok", all(part.value is True for part in parts), evidence_ok,
                           (), parts, previous_year=previous)
    first, second = parts[0].value, parts[1].value
    assert isinstance(first, int | Fraction) and isinstance(second, int | Fraction)
    value: int | Fraction
    at_ceiling = False
    if metric.kind == "ratio":
        if second == 0:
            return MetricValue(name, "na", None, evidence_ok, (), parts, previous_year=previous)
        numerator = first * step.scale
        value = (Fraction(numerator, second) if type(numerator) is int is type(second)
                 else Fraction(numerator) / second)
    elif metric.kind == "difference":
        if metric.none_is_not_applicable and first == 0:
            return MetricValue(name, "na", None, evidence_ok, (), parts, previous_year=previous)
        value = first - second
    else:
        value = first - second if metric.better == "higher" else second - first
        at_ceiling = step.ceiling is not None and first == step.ceiling == second
    return MetricValue(name, "ok", value, evidence_ok, (), parts, previous_year=previous,
                       at_ceiling=at_ceiling)
