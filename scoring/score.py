"""The library entry point: `score(facts, pack) -> Report` is the whole job.

The CLI, the tests and the benchmark all call this. A `Scorer` compiles the pack once and scores
any number of wards with it; `score()` is the one-ward shortcut.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterator
from fractions import Fraction
from importlib.metadata import PackageNotFoundError, version

from cchc.engine.dates import parse_date
from cchc.engine.evaluate.derive import MetricValue
from cchc.engine.evaluate.evaluator import Evaluator
from cchc.engine.facts.model import WardFacts, dated_values
from cchc.engine.pack.model import Pack
from cchc.rules.schema import Rule
from cchc.scoring.explain import Explainer
from cchc.scoring.points import RuleTerms, award
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


def _dates(metric: MetricValue) -> Iterator[dt.date]:
    """Every date this year's facts behind a value carry (a deliverable's date, a list's dates,
    a table's date cells)."""
    if metric.parts:
        for part in metric.parts:
            yield from _dates(part)
    elif not metric.previous_year:
        yield from (day for day, _ in dated_values(metric.value, ""))


@functools.cache
def tool_version() -> str:
    """The installed version of cchc-score."""
    try:
        return version("cchc-score")
    except PackageNotFoundError:  # running from a source tree that was not installed
        return "0+unknown"


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

    def score(self, ward: WardFacts) -> Report:
        """The Report for one ward."""
        outcomes = []
        awards = []
        described: dict[tuple[str, bool], InputFact] = {}
        assessed = parse_date(ward.prepared_on) if ward.prepared_on else None
        for evaluation in self.evaluator.evaluate(ward):
            rule, branch, metric = evaluation.rule, evaluation.branch, evaluation.metric
            value = metric.value
            numeric = value if isinstance(value, int | Fraction) \
                and not isinstance(value, bool) else None
            # A deliverable dated after the assessment date cannot have happened yet: its points
            # stay out of the projected appraisal.
            withheld = assessed is not None and any(day > assessed for day in _dates(metric))
            result = award(self._terms[rule.id], branch.kind, branch.level, branch.evidence,
                           numeric, withheld)
            explanation = self.explainer.explain(rule, branch, metric, result, ward.year,
                                                 described, evaluation.condition)
            awards.append(result)
            outcomes.append(Outcome(
                info=self._info[rule.id], status=result.status,
                claimed_status=result.claimed_status, points=float(result.self_points),
                appraisal_points=float(result.appraisal_points), maximum=float(result.maximum),
                explanation=explanation, branch=branch))
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
