"""A change of a ward's facts, and a rule's smallest change: what `gap_search` finds.

`cost` is the tool's convention for how much a change asks of a ward ("cheapest first"),
stated to the reader as `gap_words.COST_CONVENTION`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from cchc.engine.facts.model import Value
from cchc.rules.schema import Rule
from cchc.scoring.gap_probe import FactKey, Result

MAX_DECIMALS = 6


@dataclass(frozen=True, slots=True)
class Change:
    """One fact (this year's, or last year's) set from one value to another (engine types:
    a level as its position, a number as a Fraction, a date as a date or False)."""

    fact: str
    previous: bool
    before: Value
    after: Value
    cost: Fraction
    # for a fact with no data, where the value found stands: "max" when a larger value fails
    # (met if at most this), "min" when a smaller one does (met if at least this)
    edge: str | None = None

    @property
    def key(self) -> FactKey:
        """(fact, last year's?)."""
        return self.fact, self.previous


@dataclass(frozen=True)
class RuleGap:
    """A rule not fully met: its outcome now, the smallest change found and its outcome after,
    or why there is none (`reason`: table, missing, out_of_reach, blocked; `partial` when the
    change found does not reach met; `past` when it sets a day before the assessment date).
    `blocked`: the facts it would change but never does, and why (`gap_probe.blocked`);
    `past`: the assessment date, when the change is too late; `undocumented`: the date facts
    it sets whose evidence carries other dates (a --set keeps that evidence). Neither is for
    the plan."""

    rule: Rule
    before: Result
    changes: tuple[Change, ...]
    after: Result
    reason: str | None
    missing: tuple[str, ...] = ()
    blocked: tuple[tuple[FactKey, str], ...] = ()
    past: dt.date | None = None
    # dates the change sets that the fact's evidence documents do not carry (they carry others)
    undocumented: tuple[tuple[str, tuple[dt.date, ...]], ...] = ()

    @property
    def gain(self) -> Decimal:
        """Self-assessment points the change brings."""
        return self.after.points - self.before.points if self.changes else Decimal(0)

    @property
    def cost(self) -> Fraction:
        """The change's cost (the sum of its facts')."""
        return sum((change.cost for change in self.changes), Fraction(0))


def too_late(change: Change, assessed: dt.date | None) -> bool:
    """Whether a change sets a day (or adds one to a list) before the assessment date."""
    if assessed is None:
        return False
    after, before = change.after, change.before
    if isinstance(after, dt.date):
        return after < assessed
    if isinstance(after, tuple):
        held = before if isinstance(before, tuple) else ()
        return any(isinstance(day, dt.date) and day < assessed and day not in held
                   for day in after)
    return False


def cost(kind: str, before: Value, after: Value) -> Fraction:
    """What a change costs, by the tool's convention: supplying a fact with no data 1; a
    yes/no fact 1; a level 1 a level; a date 1 for each 30 days moved (a deliverable not done
    made done: 1); a list of dates 1 a date added; a number its relative change
    |after − before| / max(|before|, 1)."""
    if before is None or kind == "boolean":
        return Fraction(1)
    if kind == "date":
        if not isinstance(before, dt.date) or not isinstance(after, dt.date):
            return Fraction(1)
        return Fraction(abs((after - before).days), 30)
    if kind == "dates":
        assert isinstance(before, tuple) and isinstance(after, tuple)
        return Fraction(max(len(after) - len(before), 1))
    assert isinstance(before, int | Fraction) and isinstance(after, int | Fraction)
    step = abs(Fraction(after) - Fraction(before))
    if kind == "level":
        return step
    return step / max(abs(Fraction(before)), Fraction(1))


def decimals(value: object) -> int:
    """How many decimals a number is written with (at most 6; 0 for a whole number)."""
    if not isinstance(value, Fraction) or value.denominator == 1:
        return 0
    for places in range(1, MAX_DECIMALS + 1):
        if (value * 10 ** places).denominator == 1:
            return places
    return MAX_DECIMALS


def size(change: Change) -> Fraction:
    """How far a number moves (0 for anything else)."""
    before, after = change.before, change.after
    if isinstance(before, int | Fraction) and isinstance(after, int | Fraction):
        return abs(Fraction(after) - Fraction(before))
    return Fraction(0)


def transitions(low: int, high: int, view: Callable[[int], object]) -> list[int]:
    """Every k in (low, high] whose view differs from k − 1's, by bisection (the view moves
    monotonically through its regions between low and high)."""
    found = []
    stack = [(low, high)]
    while stack:
        first, last = stack.pop()
        if view(first) == view(last):
            continue
        if last - first == 1:
            found.append(last)
            continue
        middle = (first + last) // 2
        stack += [(first, middle), (middle, last)]
    return found
