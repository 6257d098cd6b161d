"""Generate valid facts files for a pack, seeded, with a bias towards the edges that matter.

Values land on, just below and just above every threshold of the pack (numerators computed from
the denominator), a millionth either side of it (six decimals, the most a fact may carry), at the
extremes (10^12, 10^9 dossiers); dates land on the deadline, the day after it, the end of the
late window and the day before the window opens (last year's document); denominators are
sometimes 0 (not applicable); facts are sometimes absent or null (no data); index results carry
their edition and are sometimes pending (not yet published); evidence is sometimes missing; last
year's values sometimes equal this year's (no change), at the ceiling too (rank 1 kept); the
assessment date is sometimes before some deliverables. Every generated file passes the facts
check. Used by the oracle tests and the benchmark.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, Protocol

from cchc.engine.pack.model import Pack

MILLIONTH = Decimal("0.000001")
EVIDENCE = {"number": "01/BC-UBND", "date": "2024-12-15", "issuer": "UBND phường",
            "title": "Báo cáo kết quả"}


class Chooser(Protocol):
    """Where the generator's choices come from: `random.Random` (seeded runs, the benchmark)
    or hypothesis draws (`strategies.wards`), so a failing ward shrinks."""

    def choice(self, seq: Sequence[Any]) -> Any: ...
    def random(self) -> float: ...
    def randint(self, a: int, b: int) -> int: ...


class WardGenerator:
    """Makes facts-file dicts for one pack."""

    def __init__(self, pack: Pack, seed: int = 0, rng: Chooser | None = None) -> None:
        self.pack = pack
        self.rng: Chooser = rng if rng is not None else random.Random(seed)
        self.thresholds: dict[str, list[Decimal]] = {}
        self.deadlines: dict[str, list[dt.date]] = {}
        for rule in pack.rules:
            tests = [*rule.test.parts, *([rule.applies_if] if rule.applies_if else [])]
            for test in tests:
                name = test.metric
                if test.deadline is not None:
                    days = [test.deadline, test.last_day, test.window_from]
                    if rule.scoring.method == "on_time":
                        days += [day for day, tier in rule.scoring.late_days(test.last_day)
                                 if not tier.open_ended]
                    self.deadlines.setdefault(name, []).extend(days)
                elif isinstance(test.value, Decimal):
                    values = [test.value]
                    if rule.scoring.method == "steps":
                        values += [step.value for step in rule.scoring.partial]
                    if rule.scoring.method == "linear":
                        values.append(rule.scoring.from_)
                    self.thresholds.setdefault(name, []).extend(values)
        # what a metric's threshold says about the facts it is computed from
        for name, metric in pack.metrics.items():
            if metric.kind == "days_between":
                self.spans = getattr(self, "spans", {})
                self.spans[metric.to] = (metric.from_, self.thresholds.get(name, []))
            if metric.kind == "change" and name in self.thresholds:
                self.thresholds.setdefault(metric.of, []).extend(self.thresholds[name])
        self.ratio_of: dict[str, tuple[str, str]] = {}
        for name, metric in pack.metrics.items():
            if metric.kind == "ratio" and metric.numerator in pack.facts \
                    and metric.denominator in pack.facts:
                self.ratio_of[metric.numerator] = (name, metric.denominator)

    # --- single values --------------------------------------------------------------------

    def _count(self, maximum: int = 5000) -> int:
        return self.rng.choice([0, 1, 2, 3, 7, 10, 25, 100, 310, 1020, 2415,
                                self.rng.randint(0, maximum), min(maximum, 10**9)])

    def _numerator(self, ratio: str, denominator: int, bounded: bool) -> int:
        if denominator == 0:
            return 0 if bounded else self._count(50)
        choices = [0, denominator, self.rng.randint(0, denominator)]
        for threshold in self.thresholds.get(ratio, []):
            exact = threshold * denominator / 100
            for guess in (math.floor(exact), math.ceil(exact)):
                choices += [guess - 1, guess, guess + 1]
        if not bounded:
            choices.append(denominator + self.rng.randint(1, denominator + 1))
        value = self.rng.choice(choices)
        return max(0, min(value, denominator) if bounded else value)

    def _date(self, name: str, year: int) -> Any:
        options: list[Any] = [False, dt.date(year - 1, 12, 20)]
        for day in self.deadlines.get(name, []):
            options += [day, day + dt.timedelta(days=1), day - dt.timedelta(days=1)]
        options.append(dt.date(year, 1, 1) + dt.timedelta(days=self.rng.randint(0, 364)))
        day = self.rng.choice(options)
        if day is False:
            return False
        return day.isoformat() if self.rng.random() < 0.7 else day.strftime("%d/%m/%Y")

    def _number(self, spec) -> Decimal:
        low = spec.minimum if spec.minimum is not None else Decimal(0)
        high = spec.maximum if spec.maximum is not None else Decimal(20000)
        value = Decimal(self.rng.randint(int(low * 100), int(high * 100))) / 100
        roll = self.rng.random()
        if roll < 0.1:  # six decimals, the most a fact may carry
            value = value + Decimal(self.rng.randint(-99, 99)) * MILLIONTH
        elif roll < 0.15 and spec.maximum is None:  # the extremes
            value = self.rng.choice([Decimal(10) ** 12, MILLIONTH, Decimal("0.001")])
        elif roll < 0.2:  # the bounds: 0 (a rate's denominator), the top (a ceiling)
            value = self.rng.choice([low, high])
        value = max(value, low)
        return min(value, spec.maximum) if spec.maximum is not None else value

    def _number_part(self, ratio: str, whole: Decimal, bounded: bool) -> Decimal:
        cent = Decimal("0.01")
        choices = [Decimal(0), whole, (whole * Decimal(self.rng.random())).quantize(cent)]
        for threshold in self.thresholds.get(ratio, []):
            exact = (threshold * whole / 100).quantize(MILLIONTH)
            choices += [exact - cent, exact, exact + cent, exact - MILLIONTH, exact + MILLIONTH]
        if not bounded:
            choices.append(whole * 2)
        value = min(max(Decimal(0), self.rng.choice(choices)), Decimal(10) ** 12)
        return min(value, whole) if bounded else value

    def _value(self, name: str, spec, year: int, chosen: dict[str, Any]) -> Any:
        if spec.type == "count":
            if name in self.ratio_of:
                ratio, denominator = self.ratio_of[name]
                den = chosen.get(denominator)
                if isinstance(den, int):
                    return self._numerator(ratio, den, self.pack.metrics[ratio].bounded)
            maximum = int(spec.maximum) if spec.maximum is not None else 5000
            if name in self.thresholds:
                picks = [int(t) + d for t in self.thresholds[name] for d in (-1, 0, 1)]
                return max(0, min(maximum, self.rng.choice([*picks, self._count(maximum)])))
            return min(self._count(maximum), maximum)
        if spec.type == "number":
            if name in self.ratio_of:
                ratio, denominator = self.ratio_of[name]
                den = chosen.get(denominator)
                if isinstance(den, Decimal):
                    return self._number_part(ratio, den, self.pack.metrics[ratio].bounded)
            return self._number(spec)
        if spec.type == "boolean":
            return self.rng.random() < 0.7
        if spec.type == "date":
            return self._date(name, year)
        if spec.type == "rank":
            return self.rng.choice([1, 1, 2, self.rng.randint(1, 20)])
        if spec.type == "dates":
            days = [dt.date(year, 1, 1) + dt.timedelta(days=self.rng.randint(0, 364))
                    for _ in range(self.rng.choice([0, 1, 2, 2, 3, 4]))]
            if self.rng.random() < 0.2:  # the edges of the periods
                days.append(self.rng.choice([dt.date(year, 6, 30), dt.date(year, 7, 1),
                                             dt.date(year - 1, 12, 31), dt.date(year, 12, 31)]))
            return [day.isoformat() for day in days]
        if spec.type == "table":
            return [self._row(name, spec, year) for _ in range(self.rng.choice([0, 1, 2, 3, 5]))]
        return self.rng.choice([*spec.levels, spec.levels[-1]]).id

    def _row(self, table: str, spec, year: int) -> dict[str, Any]:
        """One row of a table, its values near what the metrics reading it test."""
        row: dict[str, Any] = {}
        tests = [metric for metric in self.pack.metrics.values()
                 if metric.kind == "each" and metric.of == table]
        for column, column_spec in spec.columns.items():
            if column_spec.type == "text":
                row[column] = f"Thủ tục {self.rng.randint(1, 99)}"
            elif column_spec.type == "date":
                row[column] = (dt.date(year, 1, 2) + dt.timedelta(
                    days=self.rng.randint(0, 300))).isoformat()
            elif column_spec.type == "count":
                row[column] = self.rng.randint(1, 30)
            else:
                row[column] = Decimal(self.rng.randint(1, 3000)) / 100
        for metric in tests:
            item, target = metric.item, metric.meets.value
            if item.kind == "reduction":
                legal = row[item.from_]
                cut = self.rng.choice([target, target - Decimal("0.1"), target + 1, Decimal(0),
                                       Decimal(self.rng.randint(0, 100))])
                actual = legal * (100 - cut) / 100
                if spec.columns[item.to].type == "count":
                    actual = int(actual)
                else:
                    actual = actual.quantize(Decimal("0.000001"))
                row[item.to] = max(actual, 0)
            elif item.kind == "days_between":
                start = dt.date.fromisoformat(row[item.from_])
                gap = max(0, int(target) + self.rng.choice([-1, 0, 0, 1, 2, 5]))
                row[item.to] = (start + dt.timedelta(days=gap + self.rng.choice([0, 2]))
                                ).isoformat()
        return row

    # --- whole files ----------------------------------------------------------------------

    def _ordered(self) -> list[str]:
        """Facts in dependency order: a whole (denominator, minuend) before its parts."""
        before: dict[str, set[str]] = {name: set() for name in self.pack.facts}
        for numerator, (_, denominator) in self.ratio_of.items():
            before[numerator].add(denominator)
        for metric in self.pack.metrics.values():
            if metric.kind == "difference" and metric.subtrahend in before \
                    and metric.minuend in self.pack.facts:
                before[metric.subtrahend].add(metric.minuend)
        order: list[str] = []

        def place(name: str) -> None:
            if name in order:
                return
            for whole in sorted(before[name]):
                place(whole)
            order.append(name)

        for name in self.pack.facts:
            place(name)
        return order

    def _facts(self, year: int, evidence: bool) -> dict[str, Any]:
        chosen: dict[str, Any] = {}
        for name in self._ordered():
            spec = self.pack.facts[name]
            value = self._value(name, spec, year, chosen)
            chosen[name] = value
        for metric in self.pack.metrics.values():
            if metric.kind == "difference" and metric.non_negative:
                big, small = self._whole(metric.minuend, chosen), chosen.get(metric.subtrahend)
                if isinstance(big, int) and isinstance(small, int) and small > big:
                    chosen[metric.subtrahend] = self.rng.randint(0, max(big, 0))
        for to, (start, limits) in getattr(self, "spans", {}).items():
            begin = chosen.get(start)
            if isinstance(begin, str) and isinstance(chosen.get(to), str) \
                    and self.rng.random() < 0.8:  # the other date near the limit
                first = dt.date.fromisoformat(begin) if "-" in begin else \
                    dt.datetime.strptime(begin, "%d/%m/%Y").date()
                gap = self.rng.choice([0, 1, *(int(limit) + d for limit in limits
                                               for d in (-1, 0, 1))])
                chosen[to] = (first + dt.timedelta(days=max(gap, 0))).isoformat()
            if isinstance(begin, str) and isinstance(chosen.get(to), str):
                low = begin if "-" in begin else dt.datetime.strptime(
                    begin, "%d/%m/%Y").date().isoformat()
                high = chosen[to] if "-" in chosen[to] else dt.datetime.strptime(
                    chosen[to], "%d/%m/%Y").date().isoformat()
                if high < low:
                    chosen[to] = low
        out: dict[str, Any] = {}
        for name, value in chosen.items():
            roll = self.rng.random()
            if roll < 0.04:
                continue  # absent: no data
            if roll < 0.06:
                out[name] = None
                continue
            spec = self.pack.facts[name]
            if spec.edition:  # an index result: its edition, or not yet published
                if evidence and self.rng.random() < 0.1:
                    out[name] = {"pending": True}
                    continue
                entry: dict[str, Any] = {"value": value, "edition": year}
                if evidence and self.rng.random() < 0.9:
                    entry["evidence"] = [dict(EVIDENCE)]
                out[name] = entry
            elif evidence and spec.evidence_required and self.rng.random() < 0.9:
                out[name] = {"value": value, "evidence": [dict(EVIDENCE)]}
            elif self.rng.random() < 0.5:
                out[name] = {"value": value}
            else:
                out[name] = value
        return out

    def _whole(self, name: str, chosen: dict[str, Any]) -> Any:
        """A minuend's value: a reported count, or a difference of them."""
        metric = self.pack.metrics.get(name)
        if metric is None:
            return chosen.get(name)
        if metric.kind == "difference":
            a, b = self._whole(metric.minuend, chosen), self._whole(metric.subtrahend, chosen)
            if isinstance(a, int) and isinstance(b, int):
                return a - b
        return None

    def _repair(self, facts: dict[str, Any]) -> None:
        """Lower parts that exceed their whole (after copying values across years)."""
        def raw(name: str) -> Any:
            item = facts.get(name)
            return item.get("value") if isinstance(item, dict) else item

        def put(name: str, value: Any) -> None:
            if isinstance(facts[name], dict):
                facts[name] = {**facts[name], "value": value}
            else:
                facts[name] = value

        for _ in range(3):  # parts may be wholes of other parts
            for part, whole in self.pack.bounded_pairs():
                low, high = raw(part), raw(whole)
                if isinstance(low, int | Decimal) and isinstance(high, int | Decimal) \
                        and not isinstance(low, bool) and low > high:
                    put(part, high)

    def ward(self, index: int = 0) -> dict[str, Any]:
        """One facts-file dict (numbers as int or Decimal, as read_json would give them)."""
        year = self.pack.meta.year
        current = self._facts(year, evidence=True)
        needed = set(self.pack.previous_year_facts())
        previous = {name: value for name, value in self._facts(year - 1, evidence=False).items()
                    if name in needed}
        for name in list(previous):
            if name in current and self.rng.random() < 0.3:
                now = current[name]  # no change
                if isinstance(now, dict) and now.get("pending"):
                    continue
                if isinstance(now, dict) and "edition" in now:
                    now = {"value": now["value"], "edition": year - 1}
                previous[name] = now
        self._repair(previous)
        data: dict[str, Any] = {"unit": {"ward": f"Phường thử {index}"}, "year": year,
                                "facts": current}
        if self.rng.random() < 0.5:  # the assessment date: after the year, or within it
            data["prepared_on"] = self.rng.choice([f"{year + 1}-01-15", f"{year}-12-20",
                                                   f"{year}-06-30"])
        if self.rng.random() < 0.95:
            data["previous_year"] = {"year": year - 1, "facts": previous}
        return data
