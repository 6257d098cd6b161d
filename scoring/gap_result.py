"""What `cchc-score gap` finds, as typed data the renderers read (`reports.gap_text`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from cchc.engine.facts.model import Value
from cchc.engine.pack.model import Pack
from cchc.rules.schema import Band
from cchc.scoring.gap_change import Change, RuleGap
from cchc.scoring.report import Outcome, Report, Text


@dataclass(frozen=True)
class Setting:
    """One fact set: its name (`previous_year.NAME` for last year's), the value as a facts file
    holds it, the value before, the `--set` text, the rule it is for, its cost, in words."""

    fact: str
    value: Any
    before: Any
    text: str
    rule: str
    cost: Fraction
    words: Text
    change: Change
    evidence_required: bool = False


@dataclass(frozen=True)
class RuleAdvice:
    """A rule not fully met: its outcome now, its smallest change (settings) and the outcome
    the whole pipeline gives with that change alone (`after`, and the index it makes), or why
    there is none (`reason`)."""

    outcome: Outcome
    gap: RuleGap
    settings: tuple[Setting, ...]
    after: Outcome | None
    index_after: float | None
    reason: Text | None


@dataclass(frozen=True)
class Step:
    """One step of the plan: a rule's change, and the self-assessment points it added when
    applied on top of the steps before it (the whole ward re-scored)."""

    rule: str
    settings: tuple[Setting, ...]
    points: float

    @property
    def cost(self) -> Fraction:
        """The step's cost (its settings')."""
        return sum((item.cost for item in self.settings), Fraction(0))


@dataclass(frozen=True)
class EvidenceAdvice:
    """A rule whose points the projected appraisal loses for want of evidence: the facts to
    give evidence for (their labels), and the appraisal points that evidence restores."""

    rule: str
    title: Text
    facts: tuple[str, ...]
    points: float
    labels: tuple[Text, ...] = ()

    @property
    def advice(self) -> Text:
        """'bổ sung tài liệu kiểm chứng cho «…»' / 'add evidence documents for «…»'."""
        vi = ", ".join(f"«{label.vi}»" for label in self.labels) or ", ".join(self.facts)
        en = ", ".join(f"«{label.en}»" for label in self.labels) or ", ".join(self.facts)
        return Text(f"bổ sung tài liệu kiểm chứng cho {vi}", f"add evidence documents for {en}")


@dataclass(frozen=True)
class GapResult:
    """The gap of one ward to its target band."""

    report: Report
    target: Band | None
    reachable: bool
    steps: tuple[Step, ...]
    reached: Report
    reason: Text | None
    rules: tuple[RuleAdvice, ...]
    evidence: tuple[EvidenceAdvice, ...]

    @property
    def settings(self) -> tuple[Setting, ...]:
        """Every setting of the plan, cheapest first."""
        return tuple(item for step in self.steps for item in step.settings)


def raw_value(pack: Pack, fact: str, value: Value) -> Any:
    """An engine value as a facts file holds it (a level by its id, a date as ISO text, a
    number as an exact Decimal)."""
    spec = pack.facts[fact]
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return [day.isoformat() for day in value if isinstance(day, dt.date)]
    if spec.type == "level":
        assert spec.levels is not None and isinstance(value, int)
        return spec.levels[value].id
    if isinstance(value, Fraction) and value.denominator != 1:
        places = 0
        while (value * 10 ** places).denominator != 1:
            places += 1
        return Decimal(int(value * 10 ** places)).scaleb(-places)
    assert isinstance(value, int | Fraction)
    return int(value)


def band_position(pack: Pack, band: Band | None) -> int:
    """A band's place, 0 the highest; no band is below every band."""
    ids = [item.id for item in pack.meta.bands]
    return len(ids) if band is None else ids.index(band.id)
