"""Counting days between two dates: calendar days, or working days (ngày làm việc) by a pack's
calendar — Monday to Friday, minus its holidays (Tết included), plus its make-up working days.

"Trong 03 ngày làm việc kể từ ngày ký" counts the days after the signing day up to and
including the day of the act: a document signed on Friday 24/01/2025 and posted on Monday
03/02/2025 took 1 working day, since Tết Nguyên đán (25/01–02/02/2025) is off. A count that
reaches outside the calendar's span is refused when the facts are checked, never guessed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

from cchc.rules.schema import Calendar, DayCount


@dataclass(frozen=True)
class WorkingDays:
    """A pack's calendar, ready to count with."""

    calendar: Calendar

    @cached_property
    def _off(self) -> frozenset[dt.date]:
        return frozenset(day for holiday in self.calendar.holidays for day in holiday.days())

    @cached_property
    def _on(self) -> frozenset[dt.date]:
        return frozenset(self.calendar.working_days)

    def covers(self, day: dt.date) -> bool:
        """Whether the calendar knows this day's holidays."""
        return self.calendar.covers.from_ <= day <= self.calendar.covers.to

    def is_working(self, day: dt.date) -> bool:
        """Whether `day` is a working day."""
        if day in self._on:
            return True
        return day.weekday() < 5 and day not in self._off


def days_between(start: dt.date, end: dt.date, count: DayCount,
                 calendar: WorkingDays | None) -> int:
    """Days after `start` up to and including `end` (`end` before `start` gives a negative
    count of calendar days, and a negative count of working days the other way round)."""
    if count == "calendar" or calendar is None:
        return end.toordinal() - start.toordinal()
    sign = 1 if end >= start else -1
    low, high = (start, end) if sign == 1 else (end, start)
    days = sum(1 for ordinal in range(low.toordinal() + 1, high.toordinal() + 1)
               if calendar.is_working(dt.date.fromordinal(ordinal)))
    return sign * days


def rolled_back(start: dt.date, end: dt.date, calendar: WorkingDays) -> dt.date:
    """The first day of the run of days off just before `end` (or `end` itself): a time limit
    whose last day falls in that run ends on the next working day (Điều 148 Bộ luật Dân sự
    2015), so acting on `end` meets any limit that reaches this day."""
    one = dt.timedelta(days=1)
    day = end
    while day - one > start and not calendar.is_working(day - one):
        day -= one
    return day
