"""Compile a rule pack into durable_rules rulesets, and a ward's metrics into durable_rules facts.

Each rule becomes a set of durable_rules rules ("branches") whose conditions partition every
possible input: met, each partial-credit level, not met, no data, not applicable (only where the
tested value can be: a rate whose denominator may be 0), and, for branches that earn points on
evidence-backed facts, with or without evidence. Exactly one branch of every rule fires for any
ward, so durable_rules alone decides every outcome; the evaluator checks that exactly one fired.
Branch names are `RULE|kind|level|evidence`; `CompiledPack.branches` lists every one, which is
what a pack's own tests must reach (pack-test coverage).

One ruleset per reform area, fed one fact per area; the fact layout and the rule syntax are
`cchc.engine.durable`'s.

No value reaches durable_rules as a float: every threshold a rule compares an input with is
collected here, and the input is sent as its exact region among them (`durable.region_of`), so
612 / 1 020 × 100 = 60 % ≥ 60 %, 2.99999999999999999 / 3 < 100 % and 85 % > 85 % (false) are
decided as the plan's words say, whatever the number of decimals.

A dated deliverable has a window: from `window_from` (the start of the plan year, or the plan's
own date) to its deadline (met) or late limit (partly met, by convention); a date before the
window is last year's document, not this year's deliverable (not met, level 1). A change with a
ceiling held at the ceiling both years is met at level 1 (rank 1 kept).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any, Literal

from cchc.engine import durable
from cchc.engine.durable import Condition, at_ceiling_is, evidence_is, input_is
from cchc.engine.errors import PackError, Problem
from cchc.engine.evaluate.derive import MetricValue
from cchc.engine.pack.model import Pack
from cchc.rules.schema import Rule

Kind = Literal["met", "partial", "not_met", "missing", "not_applicable", "pending"]
# Levels with a meaning beyond "which step": a deliverable dated before its window, a change
# held at its ceiling.
BEFORE_WINDOW = 1
HELD_AT_CEILING = 1

_NEGATION = {">": "<=", ">=": "<", "<": ">=", "<=": ">", "==": "!="}


@dataclass(frozen=True)
class Branch:
    """Which outcome of which rule a durable_rules rule stands for."""

    rule_id: str
    kind: Kind
    level: int = 0
    evidence: bool | None = None

    @property
    def name(self) -> str:
        """The durable_rules rule name: `RULE|kind|level|evidence`."""
        return f"{self.rule_id}|{self.kind}|{self.level}|{self.evidence}"


@dataclass(frozen=True)
class CompiledArea:
    """One area's durable_rules ruleset and the inputs its fact must carry."""

    area_id: str
    ruleset: durable.Ruleset
    inputs: tuple[str, ...]
    thresholds: dict[str, tuple[int | Fraction, ...]]
    ceilings: frozenset[str]


@dataclass(frozen=True)
class CompiledPack:
    """All areas' rulesets, and the meaning of every durable_rules rule name."""

    areas: tuple[CompiledArea, ...]
    branches: dict[str, Branch]

    @property
    def rulesets(self) -> tuple[durable.Ruleset, ...]:
        """The areas' rulesets, in area order."""
        return tuple(area.ruleset for area in self.areas)

    def branches_of(self, rule_id: str) -> list[Branch]:
        """Every branch of one rule, in compile order."""
        return [b for b in self.branches.values() if b.rule_id == rule_id]


Region = tuple[Kind, int, list[Condition], bool]
At = Callable[[str, int | Fraction], Condition]  # (op, threshold) -> condition on the input


def _threshold(pack: Pack, rule: Rule) -> tuple[str, int | Fraction]:
    test = rule.test
    if pack.kind_of(test.metric) == "boolean":
        return "==", 1
    assert isinstance(test.value, Decimal)
    return test.op, Fraction(test.value)


def _value_regions(pack: Pack, rule: Rule, at: At) -> list[Region]:
    """(kind, level, conditions, earns_points) for each outcome once the input is present."""
    method, test = rule.scoring, rule.test
    if method.method == "on_time":
        assert test.deadline is not None and test.window_from is not None
        assert not isinstance(method.late_until, str)
        start, deadline = test.window_from.toordinal(), test.deadline.toordinal()
        late_until = method.late_until.toordinal()
        regions: list[Region] = [("met", 0, [at(">=", start), at("<=", deadline)], True)]
        last = deadline
        if method.gives_late_credit(test.deadline):
            regions.append(("partial", 0, [at(">", deadline), at("<=", late_until)], True))
            last = late_until
        regions.append(("not_met", 0, [durable.any_of(at("==", 0), at(">", last))], False))
        regions.append(("not_met", BEFORE_WINDOW, [at(">", 0), at("<", start)], False))
        return regions
    op, value = _threshold(pack, rule)
    met, not_met = at(op, value), at(_NEGATION[op], value)
    if method.method == "steps":
        regions = [("met", 0, [met], True)]
        refused = [not_met]
        for level, step in enumerate(method.partial):
            step_value = Fraction(step.value)
            regions.append(("partial", level, [*refused, at(step.op, step_value)],
                            step.share > 0))
            refused.append(at(_NEGATION[step.op], step_value))
        regions.append(("not_met", 0, refused, False))
    elif method.method == "linear":
        regions = [("met", 0, [met], True),
                   ("partial", 0, [not_met, at(">", 0)], True),
                   ("not_met", 0, [at("<=", 0)], False)]
    elif method.method == "deductions":
        zero_at = Fraction(rule.points) / Fraction(method.per_unit)
        regions = [("met", 0, [met], True),
                   ("partial", 0, [at(">", 0), at("<", zero_at)], True),
                   ("not_met", 0, [at(">=", zero_at)], False)]
    else:
        regions = [("met", 0, [met], True), ("not_met", 0, [not_met], False)]
    if pack.ceiling_of(rule.test.metric) is None:
        return regions
    field = rule.test.metric  # held at the ceiling both years: met, whatever the change
    return [("met", HELD_AT_CEILING, [at_ceiling_is(field, True)], True),
            *((kind, level, [*conditions, at_ceiling_is(field, False)], earns)
              for kind, level, conditions, earns in regions)]


def _rule_branches(pack: Pack, rule: Rule, at: At) -> list[tuple[Branch, dict[str, Any]]]:
    field = rule.test.metric
    split = pack.needs_evidence(field)
    out: list[tuple[Branch, dict[str, Any]]] = []

    def add(branch: Branch, conditions: list[Condition]) -> None:
        out.append((branch, durable.rule_body(rule.area, conditions)))

    add(Branch(rule.id, "missing"), [input_is(field, "missing")])
    if pack.can_be_not_applicable(field):
        add(Branch(rule.id, "not_applicable"), [input_is(field, "na")])
    if pack.can_be_pending(field):
        add(Branch(rule.id, "pending"), [input_is(field, "pending")])
    for kind, level, conditions, earns in _value_regions(pack, rule, at):
        present = [input_is(field, "ok"), *conditions]
        if earns and split:
            add(Branch(rule.id, kind, level, True), [*present, evidence_is(field, True)])
            add(Branch(rule.id, kind, level, False), [*present, evidence_is(field, False)])
        else:
            add(Branch(rule.id, kind, level), present)
    return out


def _thresholds(pack: Pack, rules: list[Rule]) -> dict[str, tuple[int | Fraction, ...]]:
    """Every threshold each input is compared with, sorted and distinct."""
    seen: dict[str, set[int | Fraction]] = {}
    for rule in rules:
        field = rule.test.metric

        def record(op: str, value: int | Fraction, field: str = field) -> Condition:
            seen.setdefault(field, set()).add(value)
            return {}

        _value_regions(pack, rule, record)
    return {field: tuple(sorted(values)) for field, values in seen.items()}


def compile_pack(pack: Pack) -> CompiledPack:
    """Compile every area of `pack` into a durable_rules ruleset definition."""
    areas = []
    branches: dict[str, Branch] = {}
    for area in pack.meta.areas:
        definition: dict[str, Any] = {}
        rules = pack.rules_of(area.id)
        inputs = tuple(dict.fromkeys(rule.test.metric for rule in rules))
        thresholds = _thresholds(pack, rules)
        for rule in rules:
            field, ordered = rule.test.metric, thresholds.get(rule.test.metric, ())

            def at(op: str, value: int | Fraction, field: str = field,
                   ordered: tuple[int | Fraction, ...] = ordered) -> Condition:
                return durable.region_condition(field, op, ordered.index(value))

            for branch, body in _rule_branches(pack, rule, at):
                definition[branch.name] = body
                branches[branch.name] = branch
        if len(definition) >= durable.MAX_RULES_PER_RULESET:
            raise PackError(pack.location, [Problem(
                f"rules: area {area.id}", f"lĩnh vực có {len(rules)} quy tắc, biên dịch thành "
                f"{len(definition)} nhánh, quá {durable.MAX_RULES_PER_RULESET - 1} nhánh "
                "durable_rules xử lý được trong một tập quy tắc; hãy tách lĩnh vực",
                f"the area's {len(rules)} rules compile to {len(definition)} branches, more "
                f"than the {durable.MAX_RULES_PER_RULESET - 1} durable_rules can take in one "
                "ruleset; split the area")])
        marker, body = durable.marker_rule(area.id)
        definition[marker] = body
        name = durable.ruleset_name(pack.meta.id, pack.meta.version, area.id, definition)
        ceilings = frozenset(i for i in inputs if pack.ceiling_of(i) is not None)
        areas.append(CompiledArea(area.id, durable.Ruleset(name, definition), inputs,
                                  thresholds, ceilings))
    return CompiledPack(tuple(areas), branches)


def area_fact(area: CompiledArea, values: dict[str, MetricValue]) -> dict[str, Any]:
    """The durable_rules fact for one area of one ward (without the session id)."""
    fact = durable.new_fact(area.area_id)
    for name in area.inputs:
        metric = values[name]
        region = 0
        if metric.status == "ok":
            region = durable.region_of(durable.as_number(metric.value), area.thresholds[name])
        durable.put_input(fact, name, metric.status, region, metric.evidence_ok,
                          metric.at_ceiling if name in area.ceilings else None)
    return fact
