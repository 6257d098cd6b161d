"""Compile a rule pack into durable_rules rulesets, and a ward's metrics into durable_rules facts.

Each rule becomes a set of durable_rules rules ("branches") whose conditions partition every
possible input: met, each partial-credit level, not met, no data, not applicable, and, for
branches that earn points on evidence-backed facts, with or without evidence. Exactly one branch
of every rule fires for any ward, so durable_rules alone decides every outcome; the engine checks
that exactly one fired. Branch names are `RULE|kind|level|evidence`.

One ruleset per reform area, fed one fact per area: this keeps every fact under durable_rules'
255-property limit and every ruleset far below the ~480 rules where it fails (#312). Each input
becomes three properties: its value (a float; dates as day ordinals; booleans as 1/0), its status
(`__s`: 1 ok, 2 not applicable, 0 no data) and its evidence flag (`__e`). Status fields replace
`$nex`, which also matches durable_rules' own state fact.

Why floats are exact here: durable_rules compares doubles. A rate is computed exactly as a
Fraction and converted with Python's correctly rounded `float()`; a threshold likewise. Two exact
values that differ by at least 1/(10·den) — all rates from counts below 10^9 against thresholds
with one decimal — stay on the same sides after rounding, and equal values round equally, so
60,0 % ≥ 60 % and 85,0 % > 85 % are decided as the plan's words say.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any, Literal

from cchc.engine.evaluate.derive import MetricValue
from cchc.engine.pack.model import Pack
from cchc.rules.schema import Rule

Kind = Literal["met", "partial", "not_met", "missing", "not_applicable"]

STATUS_FIELD = "__s"
EVIDENCE_FIELD = "__e"
STATUS_OK, STATUS_NOT_APPLICABLE, STATUS_MISSING = 1, 2, 0
AREA_FIELD = "_area"
MARKER = "marker"

_OPERATORS = {">": "$gt", ">=": "$gte", "<": "$lt", "<=": "$lte", "!=": "$neq"}
_NEGATION = {">": "<=", ">=": "<", "<": ">=", "<=": ">", "==": "!="}


@dataclass(frozen=True)
class Branch:
    """Which outcome of which rule a durable_rules rule stands for."""

    rule_id: str
    kind: Kind
    level: int = 0
    evidence: bool | None = None


@dataclass(frozen=True)
class CompiledArea:
    """One area's durable_rules ruleset and the inputs its fact must carry."""

    area_id: str
    ruleset_name: str
    definition: dict[str, Any]
    inputs: tuple[str, ...]
    kinds: dict[str, str]


@dataclass(frozen=True)
class CompiledPack:
    """All areas' rulesets, and the meaning of every durable_rules rule name."""

    areas: tuple[CompiledArea, ...]
    branches: dict[str, Branch]


def _number(value: Decimal | Fraction | int) -> float:
    return float(Fraction(value))


def _compare(field: str, op: str, value: float) -> dict[str, Any]:
    if op == "==":
        return {field: value}
    return {_OPERATORS[op]: {field: value}}


def _threshold(pack: Pack, rule: Rule) -> tuple[str, float]:
    test = rule.test
    if pack.kind_of(test.metric) == "boolean":
        return "==", 1.0
    assert isinstance(test.value, Decimal)
    return test.op, _number(test.value)


def _value_regions(pack: Pack, rule: Rule) -> list[tuple[Kind, int, list[dict], bool]]:
    """(kind, level, conditions, earns_points) for each outcome once the input is present."""
    field, method, test = rule.test.metric, rule.scoring, rule.test
    if method.method == "on_time":
        assert test.deadline is not None
        deadline, late_until = test.deadline.toordinal(), method.late_until.toordinal()
        regions: list[tuple[Kind, int, list[dict], bool]] = [
            ("met", 0, [_compare(field, ">=", 1), _compare(field, "<=", deadline)], True)]
        if late_until > deadline and method.late_share > 0:
            regions.append(("partial", 0, [_compare(field, ">", deadline),
                                           _compare(field, "<=", late_until)], True))
            last = late_until
        else:
            last = deadline
        regions.append(("not_met", 0, [{"$or": [_compare(field, "==", 0),
                                                  _compare(field, ">", last)]}], False))
        return regions
    op, value = _threshold(pack, rule)
    met = _compare(field, op, value)
    not_met = _compare(field, _NEGATION[op], value)
    if method.method == "steps":
        regions = [("met", 0, [met], True)]
        refused = [not_met]
        for level, step in enumerate(method.partial):
            step_value = _number(step.value)
            regions.append(("partial", level,
                            [*refused, _compare(field, step.op, step_value)], step.share > 0))
            refused.append(_compare(field, _NEGATION[step.op], step_value))
        regions.append(("not_met", 0, refused, False))
        return regions
    if method.method == "linear":
        return [("met", 0, [met], True),
                ("partial", 0, [not_met, _compare(field, ">", 0.0)], True),
                ("not_met", 0, [_compare(field, "<=", 0.0)], False)]
    if method.method == "deductions":
        zero_at = _number(Fraction(rule.points) / Fraction(method.per_unit))
        return [("met", 0, [met], True),
                ("partial", 0, [_compare(field, ">", 0.0), _compare(field, "<", zero_at)], True),
                ("not_met", 0, [_compare(field, ">=", zero_at)], False)]
    return [("met", 0, [met], True), ("not_met", 0, [not_met], False)]


def _rule_branches(pack: Pack, rule: Rule) -> dict[str, tuple[Branch, dict]]:
    field = rule.test.metric
    anchor = {AREA_FIELD: rule.area}
    status = field + STATUS_FIELD
    evidence = field + EVIDENCE_FIELD
    split = pack.needs_evidence(field)
    out: dict[str, tuple[Branch, dict]] = {}

    def add(branch: Branch, conditions: list[dict]) -> None:
        name = f"{branch.rule_id}|{branch.kind}|{branch.level}|{branch.evidence}"
        out[name] = (branch, {"all": [{"m": {"$and": [anchor, *conditions]}}]})

    add(Branch(rule.id, "missing"), [{status: STATUS_MISSING}])
    add(Branch(rule.id, "not_applicable"), [{status: STATUS_NOT_APPLICABLE}])
    for kind, level, conditions, earns in _value_regions(pack, rule):
        present = [{status: STATUS_OK}, *conditions]
        if earns and split:
            add(Branch(rule.id, kind, level, True), [*present, {evidence: 1}])
            add(Branch(rule.id, kind, level, False), [*present, {evidence: 0}])
        else:
            add(Branch(rule.id, kind, level), present)
    return out


def _ruleset_name(pack: Pack, area_id: str, definition: dict[str, Any]) -> str:
    # durable_rules cannot register a name twice; a name per pack version and content lets a
    # changed pack load beside the old one and an unchanged one reuse its ruleset.
    digest = hashlib.sha256(json.dumps(definition, sort_keys=True).encode()).hexdigest()[:16]
    safe = re.sub(r"[^A-Za-z0-9]+", "_", f"{pack.meta.id}_{pack.meta.version}_{area_id}")
    return f"cchc_{safe}_{digest}"


def compile_pack(pack: Pack) -> CompiledPack:
    """Compile every area of `pack` into a durable_rules ruleset definition."""
    areas = []
    branches: dict[str, Branch] = {}
    for area in pack.meta.areas:
        definition: dict[str, Any] = {}
        inputs: dict[str, None] = {}
        for rule in pack.rules_of(area.id):
            inputs[rule.test.metric] = None
            for name, (branch, body) in _rule_branches(pack, rule).items():
                definition[name] = body
                branches[name] = branch
        # The marker matches every area fact, so no fact is ever unmatched: durable_rules raises
        # on an unmatched fact and segfaults when deleting the state it leaves.
        definition[f"{area.id}|{MARKER}"] = {"all": [{"m": {AREA_FIELD: area.id}}]}
        kinds = {name: pack.kind_of(name) or "numeric" for name in inputs}
        areas.append(CompiledArea(area.id, _ruleset_name(pack, area.id, definition), definition,
                                  tuple(inputs), kinds))
    return CompiledPack(tuple(areas), branches)


def _durable_value(kind: str, value: Any) -> float:
    if kind == "date":
        return 0.0 if value is False else float(value.toordinal())
    if kind == "boolean":
        return 1.0 if value else 0.0
    return float(value)


def area_fact(area: CompiledArea, values: dict[str, MetricValue]) -> dict[str, Any]:
    """The durable_rules fact for one area of one ward (without the session id)."""
    fact: dict[str, Any] = {AREA_FIELD: area.area_id}
    for name in area.inputs:
        metric = values[name]
        if metric.status == "ok":
            fact[name] = _durable_value(area.kinds[name], metric.value)
            fact[name + STATUS_FIELD] = STATUS_OK
        else:
            fact[name + STATUS_FIELD] = (STATUS_NOT_APPLICABLE if metric.status == "na"
                                         else STATUS_MISSING)
        fact[name + EVIDENCE_FIELD] = 1 if metric.evidence_ok else 0
    return fact
