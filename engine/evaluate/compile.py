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

Why floats are exact here: durable_rules compares doubles. A rate is computed exactly as a
Fraction and converted with Python's correctly rounded `float()`; a threshold likewise. Two exact
values that differ by at least 1/(10·den) — all rates from counts below 10^9 against thresholds
with one decimal — stay on the same sides after rounding, and equal values round equally, so
60,0 % ≥ 60 % and 85,0 % > 85 % are decided as the plan's words say.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any, Literal

from cchc.engine import durable
from cchc.engine.durable import Condition, compare, evidence_is, input_is
from cchc.engine.evaluate.derive import MetricValue
from cchc.engine.pack.model import Pack
from cchc.rules.schema import Rule

Kind = Literal["met", "partial", "not_met", "missing", "not_applicable"]

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


def _number(value: Decimal | Fraction | int) -> float:
    return float(Fraction(value))


def _threshold(pack: Pack, rule: Rule) -> tuple[str, float]:
    test = rule.test
    if pack.kind_of(test.metric) == "boolean":
        return "==", 1.0
    assert isinstance(test.value, Decimal)
    return test.op, _number(test.value)


def _value_regions(pack: Pack, rule: Rule) -> list[tuple[Kind, int, list[Condition], bool]]:
    """(kind, level, conditions, earns_points) for each outcome once the input is present."""
    field, method, test = rule.test.metric, rule.scoring, rule.test
    if method.method == "on_time":
        assert test.deadline is not None
        deadline, late_until = test.deadline.toordinal(), method.late_until.toordinal()
        regions: list[tuple[Kind, int, list[Condition], bool]] = [
            ("met", 0, [compare(field, ">=", 1), compare(field, "<=", deadline)], True)]
        if late_until > deadline and method.late_share > 0:
            regions.append(("partial", 0, [compare(field, ">", deadline),
                                           compare(field, "<=", late_until)], True))
            last = late_until
        else:
            last = deadline
        regions.append(("not_met", 0, [durable.any_of(compare(field, "==", 0),
                                                       compare(field, ">", last))], False))
        return regions
    op, value = _threshold(pack, rule)
    met = compare(field, op, value)
    not_met = compare(field, _NEGATION[op], value)
    if method.method == "steps":
        regions = [("met", 0, [met], True)]
        refused = [not_met]
        for level, step in enumerate(method.partial):
            step_value = _number(step.value)
            regions.append(("partial", level,
                            [*refused, compare(field, step.op, step_value)], step.share > 0))
            refused.append(compare(field, _NEGATION[step.op], step_value))
        regions.append(("not_met", 0, refused, False))
        return regions
    if method.method == "linear":
        return [("met", 0, [met], True),
                ("partial", 0, [not_met, compare(field, ">", 0.0)], True),
                ("not_met", 0, [compare(field, "<=", 0.0)], False)]
    if method.method == "deductions":
        zero_at = _number(Fraction(rule.points) / Fraction(method.per_unit))
        return [("met", 0, [met], True),
                ("partial", 0, [compare(field, ">", 0.0), compare(field, "<", zero_at)], True),
                ("not_met", 0, [compare(field, ">=", zero_at)], False)]
    return [("met", 0, [met], True), ("not_met", 0, [not_met], False)]


def _rule_branches(pack: Pack, rule: Rule) -> list[tuple[Branch, dict[str, Any]]]:
    field = rule.test.metric
    split = pack.needs_evidence(field)
    out: list[tuple[Branch, dict[str, Any]]] = []

    def add(branch: Branch, conditions: list[Condition]) -> None:
        out.append((branch, durable.rule_body(rule.area, conditions)))

    add(Branch(rule.id, "missing"), [input_is(field, "missing")])
    if pack.can_be_not_applicable(field):
        add(Branch(rule.id, "not_applicable"), [input_is(field, "na")])
    for kind, level, conditions, earns in _value_regions(pack, rule):
        present = [input_is(field, "ok"), *conditions]
        if earns and split:
            add(Branch(rule.id, kind, level, True), [*present, evidence_is(field, True)])
            add(Branch(rule.id, kind, level, False), [*present, evidence_is(field, False)])
        else:
            add(Branch(rule.id, kind, level), present)
    return out


def compile_pack(pack: Pack) -> CompiledPack:
    """Compile every area of `pack` into a durable_rules ruleset definition."""
    areas = []
    branches: dict[str, Branch] = {}
    for area in pack.meta.areas:
        definition: dict[str, Any] = {}
        inputs: dict[str, None] = {}
        for rule in pack.rules_of(area.id):
            inputs[rule.test.metric] = None
            for branch, body in _rule_branches(pack, rule):
                definition[branch.name] = body
                branches[branch.name] = branch
        marker, body = durable.marker_rule(area.id)
        definition[marker] = body
        name = durable.ruleset_name(pack.meta.id, pack.meta.version, area.id, definition)
        areas.append(CompiledArea(area.id, durable.Ruleset(name, definition), tuple(inputs)))
    return CompiledPack(tuple(areas), branches)


def area_fact(area: CompiledArea, values: dict[str, MetricValue]) -> dict[str, Any]:
    """The durable_rules fact for one area of one ward (without the session id)."""
    fact = durable.new_fact(area.area_id)
    for name in area.inputs:
        metric = values[name]
        durable.put_input(fact, name, metric.status, metric.value, metric.evidence_ok)
    return fact
