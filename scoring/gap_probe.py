"""One rule's outcome for a ward with some facts changed, worked out by the engine itself.

`Probe.outcome(rule, ward, base)` derives the rule's inputs from the changed ward, sends the
rule's area to durable_rules exactly as the evaluator does (`FactLayout.message`, the other
inputs of the area as `base` has them: no branch of this rule reads them) and turns the branch
that fired into points with `scoring.points.award`. So a candidate change meets a rule only
when the engine says it does; nothing here decides an outcome by itself. One area is fired,
not the whole pack (about 60 µs against 0,8 ms for a whole score).

Which facts a rule may change (`changeable`): the facts a ward's work moves — a rate's
numerator, what a difference takes off, this year's value of a change, the day a deliverable
was done, a yes/no fact, a count tested as itself. A rate's denominator (the dossiers received),
a difference's starting figure (overdue dossiers, the staffing baseline), the day a time limit
is counted from, last year's values and the fact an `applies_if` reads are the setting the work
is measured against: they are changed only when they have no data (the ward then has to supply
them). Tables are never changed (a row cannot be typed on a command line).

Never changed (`blocked`): an index result (a fact the pack marks `edition`: published by the
city, the province, UNDP; with no data it is fetched from its publisher, not chosen) and a date
that has a value (history, carried by its evidence document). A date not done, or with no
data, may be set: to a day before the assessment date (`prepared_on`) only as "too late".
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from cchc.engine import durable
from cchc.engine.dates import DateFormatError, parse_date
from cchc.engine.errors import InputError
from cchc.engine.evaluate.compile import Branch, CompiledArea, test_threshold
from cchc.engine.evaluate.derive import COMPARE, Deriver, MetricValue
from cchc.engine.evaluate.evaluator import tested
from cchc.engine.facts.model import Reported, Value, WardFacts
from cchc.engine.pack.model import Pack
from cchc.rules.schema import DATE_OPS, Rule, Test
from cchc.scoring.points import RuleTerms, award
from cchc.scoring.score import Scorer

FactKey = tuple[str, bool]  # (fact, last year's value?)

# why a fact a rule reads is never changed: an index result published by others (or, with no
# data, still to be fetched from its publisher), a date already recorded
PUBLISHED, UNPUBLISHED, RECORDED = "published", "unpublished", "recorded"


def evidence_days(reported: Reported | None, day: Value) -> tuple[dt.date, ...]:
    """The dates a date fact's evidence documents carry, when `day` is none of them (a --set
    keeps the evidence: the day set would differ from its documents)."""
    if reported is None or not isinstance(day, dt.date):
        return ()
    days = []
    for item in reported.evidence:
        try:
            if item.date:
                days.append(parse_date(item.date))
        except DateFormatError:
            continue
    return () if day in days else tuple(days)


def assessed_on(ward: WardFacts) -> dt.date | None:
    """The assessment date (`prepared_on`), if the file gives one."""
    return parse_date(ward.prepared_on) if ward.prepared_on else None


@dataclass(frozen=True, slots=True)
class Result:
    """A rule's outcome under a candidate change: its claimed status (what the self-assessment
    counts), its self-assessment points, how many parts of its test hold (progress towards
    met when the points do not move), and whether the facts check would refuse the change."""

    claimed: str
    status: str
    points: Decimal
    maximum: Decimal
    holding: Fraction = Fraction(0)
    branch: Branch | None = None
    refused: bool = False

    @property
    def met(self) -> bool:
        """Met in the self-assessment (full points, with or without evidence)."""
        return not self.refused and self.claimed == "dat"

    @property
    def progress(self) -> tuple[bool, Decimal, Fraction]:
        """What a change must raise to count as a step towards met."""
        return (self.met, self.points if not self.refused else Decimal(-1), self.holding)


REFUSED = Result("khong_dat", "khong_dat", Decimal(-1), Decimal(0), refused=True)


def roles(pack: Pack, rule: Rule) -> dict[FactKey, bool]:
    """Every reported fact a rule reads (this year's or last year's), and whether the ward's
    work moves it (True) or it is the setting the work is measured against (False)."""
    found: dict[FactKey, bool] = {}

    def visit(name: str, work: bool, previous: bool) -> None:
        metric = pack.metrics.get(name)
        if metric is None:
            if name in pack.facts:
                found[(name, previous)] = found.get((name, previous), False) or work
            return
        if metric.kind == "ratio":
            visit(metric.numerator, work, previous)
            visit(metric.denominator, False, previous)
        elif metric.kind == "difference":
            visit(metric.minuend, False, previous)
            visit(metric.subtrahend, work, previous)
        elif metric.kind == "change":
            visit(metric.of, work, False)  # as derive reads a change: this year, last year
            visit(metric.of, False, True)
        elif metric.kind == "days_between":
            visit(metric.from_, False, previous)
            visit(metric.to, work, previous)
        else:
            for part in metric.operands:
                visit(part, work, previous)

    if rule.applies_if is not None:
        visit(rule.applies_if.metric, False, False)
    for name in rule.test.metrics:
        visit(name, True, False)
    return found


def value_of(ward: WardFacts, key: FactKey) -> Reported | None:
    """A fact as the ward reports it (this year's or last year's)."""
    return (ward.previous if key[1] else ward.current).get(key[0])


def with_value(ward: WardFacts, key: FactKey, value: Value) -> WardFacts:
    """The ward with one fact's value replaced (evidence and note kept, no longer pending)."""
    fact, previous = key
    facts = ward.previous if previous else ward.current
    old = facts.get(fact)
    new = Reported(fact, value, old.evidence if old else (), old.note if old else None,
                   old.path if old else "", old.edition if old else None, False)
    if previous:
        return dataclasses.replace(ward, previous={**facts, fact: new})
    return dataclasses.replace(ward, current={**facts, fact: new})


def _part_holds(pack: Pack, test: Test, value: MetricValue) -> Fraction:
    """1 when one part of a test holds; for a yes/no of several facts (`all`), the share of
    them done so far (below 1); else 0."""
    if value.status != "ok" or value.not_done:
        return Fraction(0)
    if value.at_ceiling:
        return Fraction(1)
    got = value.value
    if test.op in DATE_OPS:
        assert test.window_from is not None
        inside = isinstance(got, dt.date) and test.window_from <= got <= test.last_day
        return Fraction(1 if inside else 0)
    op, threshold = test_threshold(pack, test)
    if isinstance(got, bool | int | Fraction) and COMPARE[op](durable.as_number(got), threshold):
        return Fraction(1)
    metric = pack.metrics.get(value.name)
    if metric is not None and metric.kind == "all" and value.parts:
        done = sum(1 for part in value.parts if part.value is True)
        return Fraction(done, len(value.parts) + 1)
    return Fraction(0)


class Probe:
    """Outcomes of single rules for changed wards, by the Scorer's own compiled pack."""

    def __init__(self, scorer: Scorer) -> None:
        self.scorer = scorer
        self.pack = scorer.pack
        compiled = scorer.evaluator.compiled
        self._area: dict[str, CompiledArea] = {}
        for area in compiled.areas:
            for name in area.ruleset.definition:
                branch = compiled.by_rule_name.get(name)
                if branch is not None:
                    self._area[branch.rule_id] = area
        self._by_name = compiled.by_rule_name
        self._terms = {rule.id: RuleTerms.of(rule) for rule in self.pack.rules}
        self._derivers: dict[tuple[str, ...], Deriver] = {}
        self._roles: dict[str, dict[FactKey, bool]] = {}

    def deriver(self, names: tuple[str, ...]) -> Deriver:
        """A Deriver of just these names (made once)."""
        found = self._derivers.get(names)
        if found is None:
            found = self._derivers[names] = Deriver(self.pack, names)
        return found

    def roles(self, rule: Rule) -> dict[FactKey, bool]:
        """`roles(pack, rule)`, worked out once per rule."""
        found = self._roles.get(rule.id)
        if found is None:
            found = self._roles[rule.id] = roles(self.pack, rule)
        return found

    def thresholds(self, rule: Rule, name: str) -> tuple[int | Fraction, ...]:
        """The thresholds durable_rules places an input of this rule's area among."""
        return self._area[rule.id].thresholds.get(name, ())

    def base(self, ward: WardFacts) -> dict[str, MetricValue]:
        """Every input of every area for a ward (what the other rules of an area read)."""
        return self.scorer.evaluator.metrics(ward)

    def outcome(self, rule: Rule, ward: WardFacts, base: dict[str, MetricValue]) -> Result:
        """The rule's outcome for `ward` (REFUSED when a derived figure cannot hold)."""
        try:
            own = self.deriver(rule.inputs).values(ward)
        except InputError:
            return REFUSED
        area = self._area[rule.id]
        values = {**base, **own}
        fired = durable.fire_messages((area.ruleset,), [area.layout.message(values)])
        branch = next(branch for name in fired
                      if (branch := self._by_name.get(name)) is not None
                      and branch.rule_id == rule.id)
        metric = tested(rule, own)
        value = metric.value
        numeric = value if isinstance(value, int | Fraction) and not isinstance(value, bool) \
            else None
        result = award(self._terms[rule.id], branch.kind, branch.level, branch.evidence, numeric)
        holding = sum((_part_holds(self.pack, part, own[part.metric])
                       for part in rule.test.parts), Fraction(0))
        return Result(result.claimed_status, result.status, result.self_points, result.maximum,
                      holding, branch)

    def changeable(self, rule: Rule, ward: WardFacts) -> list[FactKey]:
        """The facts a change to this rule may set (see the module's doc), in pack order."""
        blocked = self.blocked(rule, ward)
        return [key for key in self._candidates(rule, ward) if key not in blocked]

    def blocked(self, rule: Rule, ward: WardFacts) -> dict[FactKey, str]:
        """The facts a change to this rule would set but never does, and why (PUBLISHED,
        UNPUBLISHED, RECORDED)."""
        out = {}
        for key in self._candidates(rule, ward):
            spec = self.pack.facts[key[0]]
            reported = value_of(ward, key)
            value = None if reported is None else reported.value
            if spec.edition:
                out[key] = PUBLISHED if value is not None else UNPUBLISHED
            elif spec.type == "date" and isinstance(value, dt.date):
                out[key] = RECORDED
        return out

    def _candidates(self, rule: Rule, ward: WardFacts) -> list[FactKey]:
        out = []
        for key, work in self.roles(rule).items():
            spec = self.pack.facts[key[0]]
            reported = value_of(ward, key)
            if spec.type == "table" or (reported is not None and reported.pending):
                continue
            missing = reported is None or reported.value is None or (
                reported.value is False and spec.type == "date")  # a day not known: no data
            if (work and not key[1]) or missing:
                out.append(key)
        return out
