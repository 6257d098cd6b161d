"""The smallest change of a ward's facts that meets one rule, found by asking the engine.

For each fact a rule may change (`gap_probe.Probe.changeable`) the candidates are the values at
which the rule's outcome can change, and no others: durable_rules sees an input only as its
region among the thresholds the pack compares it with (its status, the region, the evidence
flag, the ceiling flag: `durable.input_region`), so the outcome is constant between two values
whose inputs sit in the same regions. Those values are found by bisection on the fact (a count,
a number on the grid of the decimals the ward already writes, a day, a rank): every metric kind
moves monotonically with each of its facts (a rate with its numerator, a difference against
what it takes off, a change with this year's value, days with the day done), so between two
values in the same regions there is no other. The candidates are both sides of every region
boundary, the ends of the fact's admissible range and the ceiling of a change; each is scored by
the engine (`Probe.outcome`). A yes/no fact tries both answers, a level every level, a list of
dates the dates a per-period count lacks (each period's last days).

The admissible range is the facts check's: counts 0 … 10⁹ (or the fact's maximum), ranks from
1, numbers within their bounds, dates from the year before to the year after, a part never
above its whole, a day never before the day its time is counted from, working days inside the
pack's calendar. A candidate the engine refuses (a derived difference below 0) is out of reach.

Which change: the cheapest that makes the rule met (`cost`), else the one bringing the most
points; a fact with no data gets the value at the edge of what meets ("đạt nếu không quá
1 020"), the latest day for a date (`past` if before the assessment date). One fact short (a
compound test, a yes/no of several facts): the best step, then search again, a few times.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from dataclasses import dataclass
from fractions import Fraction
from itertools import pairwise

from cchc.engine import durable
from cchc.engine.errors import InputError
from cchc.engine.evaluate.derive import MetricValue, periods
from cchc.engine.facts.check import MAX_COUNT, MAX_NUMBER
from cchc.engine.facts.model import Value, WardFacts
from cchc.rules.schema import Rule
from cchc.scoring.gap_change import (
    MAX_DECIMALS,
    Change,
    RuleGap,
    cost,
    decimals,
    size,
    too_late,
    transitions,
)
from cchc.scoring.gap_probe import (
    FactKey,
    Probe,
    Result,
    assessed_on,
    evidence_days,
    value_of,
    with_value,
)

MAX_STEPS = 6  # facts changed for one rule, at most


@dataclass(frozen=True)
class _Option:
    change: Change
    result: Result
    point: int | None  # its place on the fact's grid (neighbours are ±1)
    follow: tuple[Change, ...] = ()  # parts that follow a whole down


class GapSearch:
    """Smallest changes per rule, for one pack (its Probe)."""

    def __init__(self, probe: Probe) -> None:
        self.probe = probe
        self.pack = probe.pack

    # --- the grid of a fact's values ------------------------------------------------------

    def _scale(self, rule: Rule, ward: WardFacts) -> int:
        """10^d, d the most decimals among the numbers this rule reads (the ward's own
        precision: 84,35 moves by 0,01)."""
        places = 0
        for key in self.probe.roles(rule):
            reported = value_of(ward, key)
            if reported is not None:
                places = max(places, decimals(reported.value))
        return int(10 ** places)

    def _range(self, key: FactKey, ward: WardFacts, scale: int,
               clamps: bool) -> tuple[int, int]:
        """The admissible grid points of one fact, the other facts as they are (`clamps`: a
        whole may go below its parts, which then follow it down)."""
        pack, (fact, previous) = self.pack, key
        spec = pack.facts[fact]
        facts = ward.previous if previous else ward.current
        year = pack.meta.year - (1 if previous else 0)
        if spec.type == "date":
            low, high = dt.date(year - 1, 1, 1).toordinal(), dt.date(year + 1, 12, 31).toordinal()
        elif spec.type == "number":
            least = Fraction(spec.minimum) if spec.minimum is not None else -Fraction(MAX_NUMBER)
            most = Fraction(spec.maximum) if spec.maximum is not None else Fraction(MAX_NUMBER)
            low, high = math.ceil(least * scale), math.floor(most * scale)
        else:  # count, rank, level
            low = 1 if spec.type == "rank" else 0
            high = len(spec.levels or ()) - 1 if spec.type == "level" else \
                int(spec.maximum) if spec.maximum is not None else MAX_COUNT

        def number(name: str) -> Fraction | None:
            reported = facts.get(name)
            got = reported.value if reported is not None else None
            return Fraction(got) if isinstance(got, int | Fraction) \
                and not isinstance(got, bool) else None

        for part, whole in pack.bounded_pairs():
            if fact == part and (top := number(whole)) is not None:
                high = min(high, math.floor(top * scale))
            if fact == whole and not clamps and (bottom := number(part)) is not None:
                low = max(low, math.ceil(bottom * scale))
        calendar = pack.meta.calendar
        for metric in pack.metrics.values():
            if metric.kind != "days_between" or fact not in (metric.from_, metric.to):
                continue
            other = facts.get(metric.from_ if fact == metric.to else metric.to)
            day = other.value if other is not None else None
            if isinstance(day, dt.date):
                if fact == metric.to:
                    low = max(low, day.toordinal())
                else:
                    high = min(high, day.toordinal())
            if calendar is not None and (metric.count == "working" or metric.rolls_over):
                low = max(low, calendar.covers.from_.toordinal())
                high = min(high, calendar.covers.to.toordinal())
        return low, high

    def set(self, ward: WardFacts, key: FactKey, value: Value
            ) -> tuple[WardFacts, tuple[Change, ...]]:
        """The ward with one fact set, and the parts that must follow a whole set below them
        (overdue dossiers down to 0 take their apology letters with them)."""
        ward = with_value(ward, key, value)
        follow: list[Change] = []
        if isinstance(value, int | Fraction) and not isinstance(value, bool):
            for part, whole in self.pack.bounded_pairs():
                reported = value_of(ward, (part, key[1]))
                got = reported.value if reported is not None else None
                if whole == key[0] and part in self.pack.facts and isinstance(got, int | Fraction) \
                        and not isinstance(got, bool) and got > value:
                    now = int(value) if isinstance(got, int) else Fraction(value)
                    ward, more = self.set(ward, (part, key[1]), now)
                    follow += [Change(part, key[1], got, now,
                                      cost(self.pack.facts[part].type, got, now)), *more]
        return ward, tuple(follow)

    def _value(self, kind: str, point: int, scale: int) -> Value:
        return dt.date.fromordinal(point) if kind == "date" else \
            Fraction(point, scale) if kind == "number" else point

    def _grid_options(self, rule: Rule, key: FactKey, ward: WardFacts,
                      base: dict[str, MetricValue], scale: int) -> list[_Option]:
        kind = self.pack.facts[key[0]].type
        low, high = self._range(key, ward, scale, self.probe.roles(rule)[key])
        if low > high:
            return []
        reported = value_of(ward, key)
        before = reported.value if reported is not None else None
        inputs = tuple(name for name in rule.inputs if key[0] in self.pack.base_facts(name))
        deriver = self.probe.deriver(inputs)
        regions = {name: durable.Regions(self.probe.thresholds(rule, name)) for name in inputs}
        seen: dict[int, object] = {}

        def view(point: int) -> object:
            if point not in seen:
                changed = self.set(ward, key, self._value(kind, point, scale))[0]
                try:
                    values = deriver.values(changed)
                except InputError:
                    seen[point] = "refused"
                else:
                    seen[point] = tuple(
                        (value.status, durable.input_region(value, regions[name]),
                         value.evidence_ok, value.at_ceiling)
                        for name, value in ((name, values[name]) for name in inputs))
            return seen[point]

        anchors = {low, high}
        if isinstance(before, dt.date):
            anchors.add(before.toordinal())
        elif isinstance(before, int | Fraction) and not isinstance(before, bool):
            anchors.add(math.floor(Fraction(before) * scale))
        for name in inputs:
            ceiling = self.pack.ceiling_of(name)
            if ceiling is not None:
                anchors.add(math.floor(ceiling * scale) if kind == "number" else int(ceiling))
        ordered = sorted(point for point in anchors if low <= point <= high)
        points = set(ordered)
        for first, last in pairwise(ordered):
            for point in transitions(first, last, view):
                points |= {point - 1, point}
        return [self._option(rule, key, ward, base, kind, self._value(kind, point, scale), point)
                for point in sorted(points) if low <= point <= high]

    def _option(self, rule: Rule, key: FactKey, ward: WardFacts, base: dict[str, MetricValue],
                kind: str, value: Value, point: int | None) -> _Option:
        reported = value_of(ward, key)
        before = reported.value if reported is not None else None
        changed, follow = self.set(ward, key, value)
        result = self.probe.outcome(rule, changed, base)
        return _Option(Change(key[0], key[1], before, value, cost(kind, before, value)), result,
                       point, follow)

    def _list_options(self, rule: Rule, key: FactKey, ward: WardFacts,
                      base: dict[str, MetricValue]) -> list[_Option]:
        """A list of dates read per period: the dates each period lacks, added on its last
        days, for each count the rule's thresholds ask of the leanest period."""
        reported = value_of(ward, key)
        days = tuple(day for day in (reported.value if reported is not None and
                                     isinstance(reported.value, tuple) else ())
                     if isinstance(day, dt.date))
        year = self.pack.meta.year - (1 if key[1] else 0)
        lists: list[tuple[dt.date, ...]] = []
        for name in rule.inputs:
            metric = self.pack.metrics.get(name)
            if metric is None or metric.kind != "per_period" or metric.of != key[0]:
                continue
            needs = sorted({need for threshold in self.probe.thresholds(rule, name)
                            for need in (math.ceil(threshold), math.floor(threshold) + 1)
                            if need > 0} or {1})
            for need in needs:
                added: list[dt.date] = []
                for start, end in periods(year, metric.every):
                    held = sum(1 for day in days if start <= day <= end)
                    added += [end - dt.timedelta(days=i) for i in range(max(need - held, 0))]
                if added:
                    lists.append(tuple(sorted(days + tuple(added))))
        return [self._option(rule, key, ward, base, "dates", listed, None)
                for listed in dict.fromkeys(lists)]

    def options(self, rule: Rule, key: FactKey, ward: WardFacts,
                base: dict[str, MetricValue]) -> list[_Option]:
        """Every candidate value of one fact for one rule, with its outcome."""
        spec = self.pack.facts[key[0]]
        reported = value_of(ward, key)
        before = reported.value if reported is not None else None
        if spec.type == "boolean":
            found = [self._option(rule, key, ward, base, "boolean", answer, None)
                     for answer in (True, False)]
        elif spec.type == "dates":
            found = self._list_options(rule, key, ward, base)
        else:
            scale = self._scale(rule, ward) if spec.type == "number" else 1
            found = self._grid_options(rule, key, ward, base, scale)
            if spec.type == "number" and scale < 10 ** MAX_DECIMALS \
                    and not any(option.result.met for option in found):
                found = self._grid_options(rule, key, ward, base, 10 ** MAX_DECIMALS)
        return [option for option in found if before is None or option.change.after != before]

    # --- choosing -------------------------------------------------------------------------

    def _pick(self, options: list[_Option], missing: bool, now: Result) -> _Option | None:
        met = [option for option in options if option.result.met]
        if met:
            pool = met
        else:
            better = [option for option in options if not option.result.refused
                      and option.result.progress > now.progress]
            if not better:
                return None
            best = max(option.result.progress for option in better)
            pool = [option for option in better if option.result.progress == best]
        if not missing:
            return min(pool, key=lambda option: (option.change.cost, size(option.change)))
        # no data: the value at the edge of what meets, next to one that does not
        by_point = {option.point: option for option in options if option.point is not None}
        best = pool[0].result.progress

        def borders(option: _Option) -> bool:
            return option.point is not None and any(
                (other := by_point.get(option.point + step)) is not None
                and not other.result.refused and other.result.progress < best
                and other.result.status != "khong_ap_dung" for step in (-1, 1))

        edge = [option for option in pool if borders(option)] or pool
        if isinstance(edge[0].change.after, dt.date):
            chosen = max(edge, key=lambda option: option.point or 0)
        else:
            chosen = min(edge, key=lambda option: (abs(option.point or 0), option.point or 0))
        if chosen.point is None:
            return chosen
        above = by_point.get(chosen.point + 1)
        side = "max" if above is not None and not above.result.refused \
            and above.result.progress < best else "min" if borders(chosen) else None
        return dataclasses.replace(chosen, change=dataclasses.replace(chosen.change, edge=side))

    def rule_gap(self, rule: Rule, ward: WardFacts, base: dict[str, MetricValue]) -> RuleGap:
        """The smallest change found for one rule, from `ward` (`base`: its area inputs)."""
        probe = self.probe
        start = now = probe.outcome(rule, ward, base)
        working = ward
        chosen: dict[FactKey, Change] = {}
        keys = probe.changeable(rule, ward)
        for _ in range(min(MAX_STEPS, len(keys) + 1)):
            picks = []
            for key in probe.changeable(rule, working):
                reported = value_of(working, key)
                missing = reported is None or reported.value is None or (
                    reported.value is False and self.pack.facts[key[0]].type == "date")
                pick = self._pick(self.options(rule, key, working, base), missing, now)
                if pick is not None:
                    picks.append(pick)
            if not picks:
                break
            met = [pick for pick in picks if pick.result.met]
            choice = min(met, key=lambda pick: pick.change.cost) if met else max(
                picks, key=lambda pick: (pick.result.progress, -pick.change.cost))
            for change in (choice.change, *choice.follow):
                first = chosen.get(change.key)
                if first is not None:  # the same fact again: one change from its first value
                    kind = self.pack.facts[change.fact].type
                    change = Change(change.fact, change.previous, first.before, change.after,
                                    cost(kind, first.before, change.after))
                chosen[change.key] = change
                working = with_value(working, change.key, change.after)
            now = choice.result
            if now.met:
                break
        absent = tuple(dict.fromkeys(
            ("previous_year." if previous else "") + fact
            for fact, previous in probe.roles(rule)
            if (reported := value_of(ward, (fact, previous))) is None or reported.value is None))
        reason = None
        blocked = tuple(probe.blocked(rule, ward).items())
        if chosen and not now.met and now.points <= start.points:
            chosen = {}  # steps towards met that never got there: nothing gained
        assessed = assessed_on(ward)
        past = assessed if any(too_late(change, assessed) for change in chosen.values()) \
            else None
        if not chosen:
            tables = any(self.pack.facts[fact].type == "table" for fact, _ in probe.roles(rule))
            reason = "table" if tables else "blocked" if blocked else "missing" if absent and \
                start.status == "thieu_du_lieu" else "out_of_reach"
        elif past is not None:
            reason = "past"
        elif not now.met:
            reason = "partial"
        undocumented = tuple((change.fact, days) for change in chosen.values()
                             if (days := evidence_days(value_of(ward, change.key), change.after)))
        return RuleGap(rule, start, tuple(chosen.values()), now, reason, absent, blocked, past,
                       undocumented)
