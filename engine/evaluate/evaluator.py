"""Evaluate a ward against a pack in durable_rules: derive, assert, collect one outcome per rule.

The pack is compiled once per Evaluator. For each ward: metrics are derived exactly, turned into
one durable_rules fact per area, asserted, and the names of the rules that fired are mapped back
to (rule, outcome). Every rule must have exactly one fired branch and every area its marker; any
other count is an engine bug and raises EngineError rather than scoring silently.
"""

from __future__ import annotations

from dataclasses import dataclass

from cchc.engine import durable
from cchc.engine.errors import EngineError, Problem
from cchc.engine.evaluate.compile import Branch, CompiledPack, compile_pack
from cchc.engine.evaluate.derive import Deriver, MetricValue
from cchc.engine.facts.model import WardFacts
from cchc.engine.pack.model import Pack
from cchc.rules.schema import Rule


@dataclass(slots=True)
class Evaluation:
    """A rule, the outcome durable_rules chose for it, and the value it tested."""

    rule: Rule
    branch: Branch
    metric: MetricValue
    condition: MetricValue | None = None


_ORDER = ("missing", "pending", "ok", "na")


def tested(rule: Rule, values: dict[str, MetricValue]) -> MetricValue:
    """The value a rule's test read: its metric's, or, for a compound test, one value whose
    parts are the parts' values (status: no data, waiting, not applicable, then ok, the first
    that any part has)."""
    names = rule.test.metrics
    if len(names) == 1:
        return values[names[0]]
    parts = tuple(values[name] for name in names)
    status = next(s for s in _ORDER if any(part.status == s for part in parts))
    return MetricValue("+".join(names), status, None,  # type: ignore[arg-type]
                       all(part.evidence_ok for part in parts),
                       tuple(name for part in parts for name in part.missing), parts)


class Evaluator:
    """Evaluates wards against one compiled pack."""

    def __init__(self, pack: Pack) -> None:
        self.pack = pack
        self.compiled: CompiledPack = compile_pack(pack)
        self._rules = list(pack.rules)
        self._rulesets = self.compiled.rulesets
        self._areas = self.compiled.areas
        # each durable_rules rule name -> (its rule's place in pack order, the branch)
        place = {rule.id: index for index, rule in enumerate(self._rules)}
        self._by_name = {name: (place[branch.rule_id], branch)
                         for name, branch in self.compiled.by_rule_name.items()}
        self._deriver = Deriver(pack, (name for area in self.compiled.areas
                                       for name in area.inputs))

    def metrics(self, ward: WardFacts) -> dict[str, MetricValue]:
        """Every value the pack's rules test, for one ward."""
        return self._deriver.values(ward)

    def evaluate(self, ward: WardFacts) -> list[Evaluation]:
        """One Evaluation per rule of the pack, in pack order."""
        values, branches = self.branches(ward)
        return [Evaluation(rule, branch, tested(rule, values),
                           values[rule.applies_if.metric] if rule.applies_if else None)
                for rule, branch in zip(self._rules, branches, strict=True)]

    def branches(self, ward: WardFacts) -> tuple[dict[str, MetricValue], list[Branch]]:
        """Every value the rules test, and the branch that fired for each rule, in pack order
        (`evaluate` without the Evaluation objects, for scoring many wards)."""
        values = self.metrics(ward)
        fired = durable.fire_messages(self._rulesets,
                                      [area.layout.message(values) for area in self._areas])
        by_name = self._by_name
        chosen: list[Branch | None] = [None] * len(self._rules)
        duplicated: list[str] = []
        markers = 0
        for name in fired:
            found = by_name.get(name)
            if found is None:
                markers += durable.is_marker(name)
            elif chosen[found[0]] is None:
                chosen[found[0]] = found[1]
            else:
                duplicated.append(found[1].rule_id)
        if duplicated or markers != len(self._areas) or None in chosen:
            self._refuse(ward, {branch.rule_id: branch for branch in chosen if branch},
                         duplicated, markers)
        return values, chosen  # type: ignore[return-value]  # no None left: refused above

    def _refuse(self, ward: WardFacts, chosen: dict[str, Branch], duplicated: list[str],
                markers: int) -> None:
        problems = [Problem(rule.id, "không có nhánh nào được kích hoạt (cần đúng 1)",
                            "no branch fired (exactly 1 expected)")
                    for rule in self._rules if rule.id not in chosen]
        problems += [Problem(rule_id, "nhiều nhánh được kích hoạt (cần đúng 1)",
                             "several branches fired (exactly 1 expected)")
                     for rule_id in dict.fromkeys(duplicated)]
        if markers != len(self.compiled.areas):
            problems.append(Problem("marker", f"{markers} quy tắc đánh dấu được kích hoạt",
                                    f"{markers} marker rules fired, expected "
                                    f"{len(self.compiled.areas)}"))
        raise EngineError(ward.file_name, problems)
