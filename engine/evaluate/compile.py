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
from cchc.engine.pack.cache import cached_build
from cchc.engine.pack.model import Pack
from cchc.rules.schema import DATE_OPS, Compound, Rule, Test

Kind = Literal["met", "partial", "not_met", "missing", "not_applicable", "pending"]
# Levels with a meaning beyond "which step": a deliverable dated before its window, a change
# held at its ceiling.
BEFORE_WINDOW = 1
HELD_AT_CEILING = 1
# The case the rule is about is not the ward's (`applies_if` does not hold): not applicable at
# this level; no data or waiting at this level is about the `applies_if` fact.
OUTSIDE_CASE = 1

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
    """One area's durable_rules ruleset, the inputs its fact must carry, and the fact's layout
    (which writes a ward's fact as the text durable_rules reads)."""

    area_id: str
    ruleset: durable.Ruleset
    inputs: tuple[str, ...]
    thresholds: dict[str, tuple[int | Fraction, ...]]
    ceilings: frozenset[str]
    layout: durable.FactLayout


@dataclass(frozen=True)
class CompiledPack:
    """All areas' rulesets, every branch by its name, and the branch every durable_rules rule
    stands for (a branch whose conditions have alternatives is several durable_rules rules,
    `NAME`, `NAME#1`, …, of which at most one can match)."""

    areas: tuple[CompiledArea, ...]
    branches: dict[str, Branch]
    by_rule_name: dict[str, Branch]

    @property
    def rulesets(self) -> tuple[durable.Ruleset, ...]:
        """The areas' rulesets, in area order."""
        return tuple(area.ruleset for area in self.areas)

    def branches_of(self, rule_id: str) -> list[Branch]:
        """Every branch of one rule, in compile order."""
        return [b for b in self.branches.values() if b.rule_id == rule_id]


Region = tuple[Kind, int, list[Condition], bool]
# (field, op, threshold) -> a condition on the field's region
At = Callable[[str, str, int | Fraction], Condition]


def test_threshold(pack: Pack, test: Test) -> tuple[str, int | Fraction]:
    """The comparison a plain test makes, on the engine's numbers: a yes/no fact against 1, a
    level by its place on the fact's scale (looked up by id), a number as itself."""
    if pack.kind_of(test.metric) == "boolean":
        return "==", 1
    if isinstance(test.value, str):
        position = pack.facts[test.metric].level_position(test.value)
        assert position is not None, "the pack check refuses an unknown level"
        return test.op, position
    assert isinstance(test.value, Decimal)
    return test.op, Fraction(test.value)


def _plain(pack: Pack, test: Test, at: At) -> tuple[Condition, Condition]:
    """(holds, fails) of one test on a present input, each one condition."""
    field = test.metric
    if test.op in DATE_OPS:
        assert test.window_from is not None
        start, last = test.window_from.toordinal(), test.last_day.toordinal()
        return (durable.all_of(at(field, ">=", start), at(field, "<=", last)),
                durable.any_of(at(field, "<", start), at(field, ">", last)))
    op, value = test_threshold(pack, test)
    return at(field, op, value), at(field, _NEGATION[op], value)


def _value_regions(pack: Pack, rule: Rule, test: Test, at: At) -> list[Region]:
    """(kind, level, conditions, earns_points) for each outcome once the input is present."""
    method, field = rule.scoring, test.metric
    if test.op in DATE_OPS:
        assert test.window_from is not None
        start, end = test.window_from.toordinal(), test.last_day.toordinal()
        regions: list[Region] = [("met", 0, [at(field, ">=", start), at(field, "<=", end)],
                                  True)]
        if method.method == "on_time":
            for level, (day, _) in enumerate(method.late_days(test.last_day)):
                regions.append(("partial", level, [at(field, ">", end),
                                                   at(field, "<=", day.toordinal())], True))
                end = day.toordinal()
        regions.append(("not_met", 0, [durable.any_of(at(field, "==", 0),
                                                      at(field, ">", end))], False))
        regions.append(("not_met", BEFORE_WINDOW, [at(field, ">", 0), at(field, "<", start)],
                        False))
        return regions
    op, value = test_threshold(pack, test)
    met, not_met = at(field, op, value), at(field, _NEGATION[op], value)
    if method.method == "steps":
        regions = [("met", 0, [met], True)]
        refused = [not_met]
        for level, step in enumerate(method.partial):
            step_value = Fraction(step.value)
            regions.append(("partial", level, [*refused, at(field, step.op, step_value)],
                            step.share > 0))
            refused.append(at(field, _NEGATION[step.op], step_value))
        regions.append(("not_met", 0, refused, False))
    elif method.method == "linear":
        floor = Fraction(method.from_)
        regions = [("met", 0, [met], True),
                   ("partial", 0, [not_met, at(field, ">", floor)], True),
                   ("not_met", 0, [at(field, "<=", floor)], False)]
    elif method.method == "deductions":
        regions = [("met", 0, [met], True)]
        cap = method.max_deduction
        if cap is not None and cap < rule.points:  # never down to 0
            regions.append(("partial", 0, [at(field, ">", 0)], True))
        else:
            zero_at = Fraction(rule.points) / Fraction(method.per_unit)
            regions += [("partial", 0, [at(field, ">", 0), at(field, "<", zero_at)], True),
                        ("not_met", 0, [at(field, ">=", zero_at)], False)]
    else:
        regions = [("met", 0, [met], True), ("not_met", 0, [not_met], False)]
    if pack.ceiling_of(field) is None:
        return regions
    # held at the ceiling both years: met, whatever the change
    return [("met", HELD_AT_CEILING, [at_ceiling_is(field, True)], True),
            *((kind, level, [*conditions, at_ceiling_is(field, False)], earns)
              for kind, level, conditions, earns in regions)]


def _gate(pack: Pack, rule: Rule, at: At) -> tuple[list[tuple[Branch, list[Condition]]],
                                                   list[Condition]]:
    """The branches of a rule's `applies_if` (its fact missing or pending; the case not the
    ward's: not applicable) and the conditions every other branch adds (the case holds)."""
    gate = rule.applies_if
    if gate is None:
        return [], []
    field = gate.metric
    holds, fails = _plain(pack, gate, at)
    branches = [(Branch(rule.id, "missing", OUTSIDE_CASE), [input_is(field, "missing")])]
    if pack.can_be_pending(field):
        branches.append((Branch(rule.id, "pending", OUTSIDE_CASE),
                         [input_is(field, "pending")]))
    outside = durable.all_of(input_is(field, "ok"), fails)
    if pack.can_be_not_applicable(field):
        outside = durable.any_of(input_is(field, "na"), outside)
    branches.append((Branch(rule.id, "not_applicable", OUTSIDE_CASE), [outside]))
    return branches, [input_is(field, "ok"), holds]


def _earning(branch: Branch, present: list[Condition], fields: tuple[str, ...], pack: Pack,
             earns: bool, holding: dict[str, tuple[Condition, Condition]] | None = None
             ) -> list[tuple[Branch, list[Condition]]]:
    """A branch that earns points, split by whether the evidence behind it is there. A part
    of a compound test that is not applicable needs none; with `holding` (field -> (its part
    holds, it fails), for `any`), neither does a part that fails: the points rest on the parts
    that hold."""
    backed = [field for field in fields if pack.needs_evidence(field)]
    if not earns or not backed:
        return [(branch, present)]

    def backing(field: str) -> tuple[Condition, Condition]:  # (evidence there, not there)
        there, lacking = evidence_is(field, True), evidence_is(field, False)
        ok = input_is(field, "ok")
        idle = [input_is(field, "na")] if len(fields) > 1 and \
            pack.can_be_not_applicable(field) else []
        if holding is not None and field in holding:
            holds, fails = holding[field]
            return (durable.any_of(*idle, durable.all_of(ok, fails),
                                   durable.all_of(ok, holds, there)),
                    durable.all_of(ok, holds, lacking))
        if idle:
            return (durable.any_of(*idle, durable.all_of(ok, there)),
                    durable.all_of(ok, lacking))
        return there, lacking

    pairs = [backing(field) for field in backed]
    with_evidence = [there for there, _ in pairs]
    without = durable.exclusive_any([(lacking, there) for there, lacking in pairs])
    return [(Branch(branch.rule_id, branch.kind, branch.level, True), [*present, *with_evidence]),
            (Branch(branch.rule_id, branch.kind, branch.level, False), [*present, without])]


def _single(pack: Pack, rule: Rule, test: Test, at: At) -> list[tuple[Branch, list[Condition]]]:
    field = test.metric
    out = [(Branch(rule.id, "missing"), [input_is(field, "missing")])]
    if pack.can_be_not_applicable(field):
        out.append((Branch(rule.id, "not_applicable"), [input_is(field, "na")]))
    if pack.can_be_pending(field):
        out.append((Branch(rule.id, "pending"), [input_is(field, "pending")]))
    for kind, level, conditions, earns in _value_regions(pack, rule, test, at):
        out += _earning(Branch(rule.id, kind, level), [input_is(field, "ok"), *conditions],
                        (field,), pack, earns)
    return out


def _status_any(fields: list[str] | tuple[str, ...], status: durable.InputStatus) -> Condition:
    """Some input among `fields` has `status` (one disjunct matching, see exclusive_any)."""
    return durable.exclusive_any([(input_is(f, status), durable.input_is_not(f, status))
                                  for f in fields])


def _compound(pack: Pack, rule: Rule, test: Compound, at: At
              ) -> list[tuple[Branch, list[Condition]]]:
    """All of / any of several tests: no data if any part has none, then waiting if any part
    waits, then not applicable if every part is; else met or not by the parts that apply (a
    part with nothing to do — no dossier received — neither meets nor fails it)."""
    fields = test.metrics
    out = [(Branch(rule.id, "missing"), [_status_any(fields, "missing")])]
    settled = [durable.input_is_not(f, "missing") for f in fields]
    pending = [f for f in fields if pack.can_be_pending(f)]
    if pending:
        out.append((Branch(rule.id, "pending"), [*settled, _status_any(pending, "pending")]))
        settled += [durable.input_is_not(f, "pending") for f in pending]
    # from here every input is ok or not applicable
    absent = {f for f in fields if pack.can_be_not_applicable(f)}
    if absent == set(fields):
        out.append((Branch(rule.id, "not_applicable"),
                    [*settled, *(input_is(f, "na") for f in fields)]))
    some_apply = [] if not absent else [durable.exclusive_any(
        [(input_is(f, "ok"), input_is(f, "na")) for f in fields])]
    true, false, idle = [], [], []
    for part in test.parts:
        holds, fails = _plain(pack, part, at)
        ok = input_is(part.metric, "ok")
        true.append(durable.all_of(ok, holds))
        false.append(durable.all_of(ok, fails))
        idle.append(input_is(part.metric, "na") if part.metric in absent else None)

    def either(first: Condition, second: Condition | None) -> Condition:
        return first if second is None else durable.any_of(first, second)  # exclusive

    if test.combine == "all":
        met = [either(t, n) for t, n in zip(true, idle, strict=True)]
        not_met = [durable.exclusive_any([(f, either(t, n))
                                          for t, f, n in zip(true, false, idle, strict=True)])]
    else:
        met = [durable.exclusive_any([(t, either(f, n))
                                      for t, f, n in zip(true, false, idle, strict=True)])]
        not_met = [either(f, n) for f, n in zip(false, idle, strict=True)]
    holding = None
    if test.combine == "any" and len(fields) == len(test.parts):  # one part per field
        holding = {part.metric: _plain(pack, part, at) for part in test.parts}
    out += _earning(Branch(rule.id, "met"), [*settled, *some_apply, *met], fields, pack, True,
                    holding)
    out.append((Branch(rule.id, "not_met"), [*settled, *some_apply, *not_met]))
    return out


def _rule_branches(pack: Pack, rule: Rule, at: At
                   ) -> list[tuple[str, Branch, dict[str, Any]]]:
    """(durable_rules rule name, branch, body) of every durable_rules rule of one rule."""
    gate, guard = _gate(pack, rule, at)
    test = rule.test
    body = _single(pack, rule, test, at) if isinstance(test, Test) else \
        _compound(pack, rule, test, at)
    out = []
    branches = [*gate, *((b, [*guard, *c]) for b, c in body)]
    total = sum(durable.count_conjunctions(conditions) for _, conditions in branches)
    if total >= durable.MAX_RULES_PER_RULESET:  # counted first: never built
        raise PackError(pack.location, [Problem(
            f"quy tắc / rule {rule.id}", f"quy tắc biên dịch thành {total} nhánh, quá "
            f"{durable.MAX_RULES_PER_RULESET - 1} nhánh durable_rules nhận được trong một "
            "tập quy tắc; hãy tách quy tắc (bớt phần của phép kiểm tra kép)",
            f"the rule compiles to {total} branches, more than the "
            f"{durable.MAX_RULES_PER_RULESET - 1} durable_rules takes in one ruleset; split it "
            "(fewer parts in its compound test)")])
    for branch, conditions in branches:
        for index, alternative in enumerate(durable.conjunctions(conditions)):
            name = branch.name if index == 0 else f"{branch.name}#{index}"
            out.append((name, branch, durable.rule_body(rule.area, alternative)))
    return out


def _thresholds(pack: Pack, rules: list[Rule]) -> dict[str, tuple[int | Fraction, ...]]:
    """Every threshold each input is compared with, sorted and distinct."""
    seen: dict[str, set[int | Fraction]] = {}

    def record(field: str, op: str, value: int | Fraction) -> Condition:
        seen.setdefault(field, set()).add(value)
        return {}

    for rule in rules:
        _rule_branches(pack, rule, record)
    return {field: tuple(sorted(values)) for field, values in seen.items()}


def _no_threshold(field: str, op: str, value: int | Fraction) -> Condition:
    return {}


def branch_count(pack: Pack, rule: Rule) -> int:
    """How many durable_rules rules a rule compiles to."""
    return len(_rule_branches(pack, rule, _no_threshold))


def split_area(pack: Pack, rules: list[Rule]) -> list[list[Rule]]:
    """An area's rules in groups that durable_rules can take in one ruleset and one fact: at
    most MAX_INPUTS_PER_FACT inputs and fewer than MAX_RULES_PER_RULESET rules each, in pack
    order (a rule too large for any group alone is refused by the pack check)."""
    groups: list[list[Rule]] = []
    current: list[Rule] = []
    inputs: set[str] = set()
    branches = 0
    for rule in rules:
        needs, count = set(rule.inputs), branch_count(pack, rule)  # a rule too large: refused
        if current and (len(inputs | needs) > durable.MAX_INPUTS_PER_FACT
                        or branches + count >= durable.MAX_RULES_PER_RULESET):
            groups.append(current)
            current, inputs, branches = [], set(), 0
        current.append(rule)
        inputs |= needs
        branches += count
    if current:
        groups.append(current)
    return groups


def compile_pack(pack: Pack) -> CompiledPack:
    """Compile every area of `pack` (and its adjustments) into durable_rules rulesets: one per
    area, or several where an area is larger than one ruleset and one fact can take. A pack
    loaded from its files is compiled once for its bytes (`cchc.engine.pack.cache`)."""
    return cached_build(pack, "compiled", CompiledPack, lambda: _compile(pack))


def _compile(pack: Pack) -> CompiledPack:
    areas = []
    branches: dict[str, Branch] = {}
    by_rule_name: dict[str, Branch] = {}
    for area_id in pack.ruleset_areas():
        for part, rules in enumerate(split_area(pack, pack.rules_of(area_id))):
            definition: dict[str, Any] = {}
            inputs = tuple(dict.fromkeys(name for rule in rules for name in rule.inputs))
            thresholds = _thresholds(pack, rules)
            def at(field: str, op: str, value: int | Fraction,
                   thresholds: dict[str, tuple[int | Fraction, ...]] = thresholds) -> Condition:
                return durable.region_condition(field, op, thresholds[field].index(value))

            for rule in rules:
                for name, branch, body in _rule_branches(pack, rule, at):
                    definition[name] = body
                    branches[branch.name] = branch
                    by_rule_name[name] = branch
            marker, body = durable.marker_rule(area_id)
            definition[marker] = body
            name = durable.ruleset_name(pack.meta.id, pack.meta.version,
                                        area_id if part == 0 else f"{area_id}_{part}",
                                        definition)
            ceilings = frozenset(i for i in inputs if pack.ceiling_of(i) is not None)
            layout = durable.FactLayout(area_id, [
                (i, durable.Regions(thresholds.get(i, ())), i in ceilings) for i in inputs])
            areas.append(CompiledArea(area_id, durable.Ruleset(name, definition), inputs,
                                      thresholds, ceilings, layout))
    return CompiledPack(tuple(areas), branches, by_rule_name)


def area_fact(area: CompiledArea, values: dict[str, MetricValue]) -> dict[str, Any]:
    """The durable_rules fact for one area of one ward (without the session id), as a dict:
    what `area.layout.message` writes as text (the evaluator's path), spelled out."""
    fact = durable.new_fact(area.area_id)
    for name in area.inputs:
        metric = values[name]
        region = 0
        if metric.status == "ok":
            ordered = area.thresholds.get(name, ())
            region = 2 * len(ordered) if metric.not_done else \
                durable.region_of(durable.as_number(metric.value), ordered)  # type: ignore[arg-type]
        durable.put_input(fact, name, metric.status, region, metric.evidence_ok,
                          metric.at_ceiling if name in area.ceilings else None)
    return fact
