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
import operator
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Literal

from cchc.engine.errors import InputError, Problem
from cchc.engine.facts.model import Reported, Value, WardFacts
from cchc.engine.numbers import fmt
from cchc.engine.pack.model import Pack
from cchc.engine.workdays import days_between, rolled_back
from cchc.rules.schema import DifferenceMetric, EachMetric, Metric, PerPeriodMetric, Title

Status = Literal["ok", "na", "missing", "pending"]


@dataclass(slots=True)
class MetricValue:
    """A fact's or metric's value for one ward, with how it was obtained (never changed once
    made; not frozen only because frozen dataclasses are several times slower to create).

    `not_done`: days counted to a deliverable reported not done (never on time, whatever the
    limit). `detail`: what a per-period or per-item metric counted — (period or row, its
    count or value, whether it meets) — for the explanation.
    """

    name: str
    status: Status
    value: Value = None
    evidence_ok: bool = True
    missing: tuple[str, ...] = ()
    parts: tuple[MetricValue, ...] = ()
    reported: Reported | None = None
    previous_year: bool = False
    at_ceiling: bool = False
    not_done: bool = False
    detail: tuple[tuple[str, object, bool], ...] = ()


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
    """One value to work out: a reported fact, or a metric from two earlier values.
    `evidence_required`: a reported fact of this year that must carry evidence."""

    key: Key
    metric: Metric | None
    parts: tuple[Key, ...] | None
    scale: int | Fraction
    ceiling: Fraction | None = None
    evidence_required: bool = False


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
            self._steps.append(_Step(key, metric, parts, scale, pack.ceiling_of(key[0]),
                                     metric is None and not key[1]
                                     and pack.facts[key[0]].evidence_required))

        for name in self._names:
            visit((name, False))
        # the reported facts among the steps, unpacked once: (key, name, last year?, needs
        # evidence), or None for a metric
        self._facts = [(step.key, *step.key, step.evidence_required)
                       if step.metric is None else None for step in self._steps]

    def values(self, ward: WardFacts) -> dict[str, MetricValue]:
        """This year's value of every name the Deriver was made for. A part that exceeds its
        whole once derived (apology letters above overdue dossiers, where the overdue dossiers
        are themselves computed) is an input error, as it is for reported figures."""
        got: dict[Key, MetricValue] = {}
        problems: list[Problem] = []
        current, last_year = ward.current, ward.previous
        for step, fact in zip(self._steps, self._facts, strict=True):
            if fact is not None:  # `_fact_value`, inline: a ward has a hundred of these
                key, name, previous, required = fact
                facts = last_year if previous else current
                reported = facts.get(name)
                if reported is not None and reported.value is not None \
                        and not reported.pending:
                    got[key] = MetricValue(name, "ok", reported.value,
                                           not required or bool(reported.evidence), (), (),
                                           reported, previous)
                else:
                    got[key] = _fact_value(self._pack, name, facts, previous)
            else:
                name, previous = step.key
                metric = step.metric
                assert metric is not None and step.parts is not None
                parts = tuple(got[part] for part in step.parts)
                value = _metric_value(name, step, parts, previous, self._pack)
                got[step.key] = value
                if metric.kind == "difference" and metric.non_negative \
                        and value.status == "ok" and isinstance(value.value, int | Fraction) \
                        and value.value < 0:
                    problems.append(_negative(self._pack, metric, parts))
        if problems:
            raise InputError(ward.file_name, problems)
        return {name: got[(name, False)] for name in self._names}


def _negative(pack: Pack, metric: DifferenceMetric, parts: tuple[MetricValue, ...]) -> Problem:
    """The problem of a subtrahend above its (derived) minuend."""
    whole, part = parts
    where = next((leaf.reported.path for leaf in _leaves(part) if leaf.reported is not None),
                 "$.facts")
    return Problem(where, f"«{_label(pack, part.name).vi}» ({fmt(part.value)}) lớn hơn "
                   f"«{_label(pack, whole.name).vi}» ({fmt(whole.value)})",
                   f"«{_label(pack, part.name).en}» ({fmt(part.value, 'en')}) exceeds "
                   f"«{_label(pack, whole.name).en}» ({fmt(whole.value, 'en')})",
                   f"không lớn hơn «{_label(pack, whole.name).vi}»; kiểm tra lại các số "
                   f"({', '.join(pack.base_facts(whole.name))})",
                   f"at most «{_label(pack, whole.name).en}»; check the figures "
                   f"({', '.join(pack.base_facts(whole.name))})")


def _label(pack: Pack, name: str) -> Title:
    metric = pack.metrics.get(name)
    return metric.label if metric is not None else pack.facts[name].label


def _leaves(value: MetricValue) -> list[MetricValue]:
    if not value.parts:
        return [value]
    return [leaf for part in value.parts for leaf in _leaves(part)]


def periods(year: int, every: str) -> list[tuple[dt.date, dt.date]]:
    """The periods of a plan year: the year, two half-years, four quarters or twelve months."""
    months = {"year": 12, "half_year": 6, "quarter": 3, "month": 1}[every]
    out = []
    for first in range(1, 13, months):
        last = first + months - 1
        end = dt.date(year, 12, 31) if last == 12 else \
            dt.date(year, last + 1, 1) - dt.timedelta(days=1)
        out.append((dt.date(year, first, 1), end))
    return out


def period_name(start: dt.date, end: dt.date) -> str:
    """A period as shown: '01/01–30/06/2025'."""
    return f"{start:%d/%m}–{end:%d/%m/%Y}"


def _per_period(metric: PerPeriodMetric, days: tuple[dt.date, ...], year: int
                ) -> tuple[int, tuple[tuple[str, object, bool], ...]]:
    counts = []
    for start, end in periods(year, metric.every):
        number = sum(1 for day in days if start <= day <= end)
        counts.append((period_name(start, end), number, number > 0))
    return min(count for _, count, _ in counts), tuple(counts)


# A comparison of a rule's test, on exact numbers (a row's test, a compound part's ✓ / ✗).
COMPARE = {">": operator.gt, ">=": operator.ge, "<": operator.lt, "<=": operator.le,
           "==": operator.eq}


def _each(metric: EachMetric, rows: tuple[Any, ...], pack: Pack
          ) -> tuple[Fraction | None, tuple[tuple[str, object, bool], ...]]:
    """The % of rows that meet the item test, and each row's value."""
    item, threshold = metric.item, Fraction(metric.meets.value)
    spec = pack.facts[metric.of]
    detail = []
    for index, row in enumerate(rows):
        value: int | Fraction | None
        if item.kind == "column":
            value = row[item.column]
        elif item.kind == "reduction":
            start, now = row[item.from_], row[item.to]
            value = (Fraction(start) - now) * 100 / start
        elif row[item.to] is False:  # not done yet: never within the limit
            value = None
        else:
            value = days_between(row[item.from_], row[item.to], item.count, pack.working_days)
        name = row.get(spec.key) if spec.key else None
        detail.append((name or f"#{index + 1}", value,
                       value is not None and COMPARE[metric.meets.op](value, threshold)))
    if not detail:
        return None, ()
    meeting = sum(1 for _, _, meets in detail if meets)
    return Fraction(meeting * 100, len(detail)), tuple(detail)


def _metric_value(name: str, step: _Step, parts: tuple[MetricValue, ...],
                  previous: bool, pack: Pack) -> MetricValue:
    """A metric from its operands: missing if one is, not applicable if one is (or a rate's
    denominator is 0), pending if one is, else the value. Evidence is this year's operands'."""
    evidence_ok = True
    settled = True  # every part ok
    for part in parts:
        if not part.evidence_ok and not part.previous_year:
            evidence_ok = False
        if part.status != "ok":
            settled = False
    if not settled:
        missing = tuple(name for part in parts for name in part.missing)
        if missing:
            return MetricValue(name, "missing", None, evidence_ok, missing, parts,
                               previous_year=previous)
        statuses = {part.status for part in parts}
        if "na" in statuses or "pending" in statuses:
            return MetricValue(name, "na" if "na" in statuses else "pending", None,
                               evidence_ok, (), parts, previous_year=previous)
    metric = step.metric
    assert metric is not None
    if metric.kind == "all":
        return MetricValue(name, "ok", all(part.value is True for part in parts), evidence_ok,
                           (), parts, previous_year=previous)
    if metric.kind == "per_period":
        listed = parts[0].value
        assert isinstance(listed, tuple)
        days = tuple(day for day in listed if isinstance(day, dt.date))
        least, counts = _per_period(metric, days, pack.meta.year - (1 if previous else 0))
        return MetricValue(name, "ok", least, evidence_ok, (), parts, previous_year=previous,
                           detail=counts)
    if metric.kind == "each":
        rows = parts[0].value
        assert isinstance(rows, tuple)
        share, detail = _each(metric, rows, pack)
        return MetricValue(name, "na" if share is None else "ok", share, evidence_ok, (), parts,
                           previous_year=previous, detail=detail)
    if metric.kind == "days_between":
        start, end = parts[0].value, parts[1].value
        if start is False:  # the day it is counted from is not known: no data, never a pass
            return MetricValue(name, "missing", None, evidence_ok,
                               (parts[0].name if not previous else
                                f"previous_year.{parts[0].name}",), parts,
                               previous_year=previous)
        if end is False:
            return MetricValue(name, "ok", None, evidence_ok, (), parts, previous_year=previous,
                               not_done=True)
        assert isinstance(start, dt.date) and isinstance(end, dt.date)
        calendar = pack.working_days
        if metric.rolls_over and calendar is not None:
            counted_to = rolled_back(start, end, calendar)
            if counted_to != end:  # the days off before `end` do not count (Điều 148 BLDS)
                return MetricValue(name, "ok", days_between(start, counted_to, "calendar", None),
                                   evidence_ok, (), parts, previous_year=previous,
                                   detail=((counted_to.isoformat(),
                                            days_between(start, end, "calendar", None), True),))
        return MetricValue(name, "ok", days_between(start, end, metric.count, calendar),
                           evidence_ok, (), parts, previous_year=previous)
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
        if metric.measure == "percent":
            if second == 0:  # no growth rate from nothing
                return MetricValue(name, "na", None, evidence_ok, (), parts,
                                   previous_year=previous)
            value = Fraction(value) * 100 / second
        at_ceiling = step.ceiling is not None and first == step.ceiling == second
    return MetricValue(name, "ok", value, evidence_ok, (), parts, previous_year=previous,
                       at_ceiling=at_ceiling)
