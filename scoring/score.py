"""The library entry point: `score(facts, pack) -> Report` is the whole job.

The CLI, the tests and the benchmark all call this. A `Scorer` compiles the pack once and scores
any number of wards with it; `score()` is the one-ward shortcut.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from fractions import Fraction

from cchc.engine.dates import parse_date
from cchc.engine.evaluate.derive import MetricValue
from cchc.engine.evaluate.evaluator import Evaluator, tested
from cchc.engine.facts.model import WardFacts, dated_values
from cchc.engine.pack.model import Pack
from cchc.engine.version import tool_version as installed_version
from cchc.rules.schema import Rule
from cchc.scoring.explain import Explainer, Explanation
from cchc.scoring.points import Award, RuleTerms, award
from cchc.scoring.report import (
    Convention,
    FactsFileInfo,
    InputFact,
    Outcome,
    PackInfo,
    PlanInfo,
    Prepared,
    Report,
    RuleInfo,
    Text,
    ToolInfo,
    UnitInfo,
    assemble,
)


def _can_give(rule: Rule) -> bool:
    """Whether a rule's convention can ever give it partial credit (a deadline of 31/12 leaves
    the late-in-the-year convention nothing to give: it is then not shown)."""
    method, test = rule.scoring, rule.test.parts[0]
    return method.method != "on_time" or (test.deadline is not None
                                          and method.gives_late_credit(test.last_day))


def _can_be_dated(pack: Pack, rule: Rule) -> bool:
    """Whether the value a rule tests can carry a date of this year (a fact that is a date, a
    list of dates or a table, behind it): only then can it be withheld for its date."""
    return any(pack.facts[fact].type in ("date", "dates", "table")
               for name in rule.test.metrics for fact in pack.base_facts(name))


def _dates(metric: MetricValue) -> Iterator[dt.date]:
    """Every date this year's facts behind a value carry (a deliverable's date, a list's dates,
    a table's date cells)."""
    if metric.parts:
        for part in metric.parts:
            yield from _dates(part)
    elif not metric.previous_year:
        yield from (day for day, _ in dated_values(metric.value, ""))


# An Award and its points as the report gives them (floats), worked out once per outcome of a
# rule that does not depend on the value (Awards are never changed once made: shared).
_Worked = tuple[Award, float, float, float]


def tool_version() -> str:
    """The installed version of cchc-score."""
    return installed_version()


class Scorer:
    """Scores wards against one pack (compiled once)."""

    def __init__(self, pack: Pack) -> None:
        self.pack = pack
        self.evaluator = Evaluator(pack)
        self.explainer = Explainer(pack)
        meta = pack.meta
        plan = meta.plan
        self._pack_info = PackInfo(
            id=meta.id, version=meta.version, title=Text(meta.title.vi, meta.title.en),
            year=meta.year, plan=PlanInfo(plan.document, plan.issuer, plan.unit,
                                          plan.issued_on.isoformat(), plan.source_file),
            max_points=float(meta.max_points), sha256=pack.sha256,
            files=tuple(sorted(pack.file_hashes.items())), shipped=pack.shipped,
            location=pack.location)
        self._areas = [(a.id, a.vi, a.en) for a in meta.areas]
        self._terms = {rule.id: RuleTerms.of(rule) for rule in pack.rules}
        conventions = {c.id: Convention(c.id, Text(c.title.vi, c.title.en),
                                        Text(c.text.vi, c.text.en))
                       for c in meta.conventions}
        self._info = {rule.id: RuleInfo(
            rule.id, rule.area, tuple(rule.requirements), Text(rule.title.vi, rule.title.en),
            rule.test.metric, Text(rule.reading.vi, rule.reading.en),
            Text(rule.source.vi, rule.source.en), rule.quote,
            conventions[rule.convention] if rule.convention and _can_give(rule) else None,
            Text(rule.departs_from_text.vi, rule.departs_from_text.en)
            if rule.departs_from_text else None,
            Text(rule.convention_exception.vi, rule.convention_exception.en)
            if rule.convention_exception else None, rule.effect)
            for rule in pack.rules}
        # per rule, in pack order (the evaluations' order): what every ward's outcome repeats,
        # and the outcomes already worked out that do not depend on the value (most do not)
        self._plan = [(rule, self._info[rule.id], self._terms[rule.id],
                       _can_be_dated(pack, rule), rule.scoring.method in ("linear", "deductions"),
                       rule.test.metrics[0] if len(rule.test.metrics) == 1 else None,
                       rule.applies_if.metric if rule.applies_if else None,
                       dict[tuple[str, int, bool | None, bool], _Worked]())
                      for rule in pack.rules]

    def score(self, ward: WardFacts) -> Report:
        """The Report for one ward."""
        outcomes = []
        awards = []
        described: dict[tuple[str, bool], InputFact] = {}
        assessed = parse_date(ward.prepared_on) if ward.prepared_on else None
        explainer, year = self.explainer, ward.year
        values, branches = self.evaluator.branches(ward)
        for branch, (rule, info, terms, dated, by_value, single, gate, worked) in zip(
                branches, self._plan, strict=True):
            metric = values[single] if single is not None else tested(rule, values)
            # A deliverable dated after the assessment date cannot have happened yet: its points
            # stay out of the projected appraisal.
            withheld = assessed is not None and dated and \
                any(day > assessed for day in _dates(metric))
            kind = branch.kind
            key = (kind, branch.level, branch.evidence, withheld)
            done = worked.get(key)
            if done is None:  # worked out (and kept, unless it depends on the value)
                value = metric.value
                numeric = value if isinstance(value, int | Fraction) \
                    and not isinstance(value, bool) else None
                result = award(terms, kind, branch.level, branch.evidence, numeric, withheld)
                done = (result, float(result.self_points), float(result.appraisal_points),
                        float(result.maximum))
                if kind != "partial" or not by_value:  # else its share is the value's
                    worked[key] = done
            result = done[0]
            awards.append(result)
            outcomes.append(Outcome(
                info, result.status, result.claimed_status, done[1], done[2], done[3],
                Explanation(explainer, rule, branch, metric, result, year, described,
                            values[gate] if gate is not None else None), branch))
        return assemble(
            tool=ToolInfo("cchc-score", tool_version()), pack=self._pack_info,
            facts_file=FactsFileInfo(ward.file_name, ward.sha256),
            unit=UnitInfo(ward.unit.ward, ward.unit.city, ward.unit.province),
            prepared=Prepared(ward.prepared_by, ward.prepared_on),
            year=ward.year, areas=self._areas,
            bands=self.pack.meta.bands, outcomes=outcomes, awards=awards,
            warnings=ward.warnings, adjustments=self.pack.meta.adjustments)


def score(facts: WardFacts, pack: Pack) -> Report:
    """Score one ward's checked facts against a pack."""
    return Scorer(pack).score(facts)
