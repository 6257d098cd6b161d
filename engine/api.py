"""The library entry point: `score(facts, pack) -> Report` is the whole job.

The CLI, the tests and the benchmark all call this. A `Scorer` compiles the pack once and scores
any number of wards with it; `score()` is the one-ward shortcut.
"""

from __future__ import annotations

from fractions import Fraction
from importlib.metadata import PackageNotFoundError, version

from cchc.engine.evaluate import Evaluator
from cchc.engine.explain import Explainer
from cchc.engine.facts import WardFacts
from cchc.engine.pack import Pack
from cchc.scoring.points import award
from cchc.scoring.report import STATUS_LABELS, InputOut, Outcome, Report, assemble


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
        self._pack_info = {
            "id": meta.id, "version": meta.version, "title": meta.title.model_dump(),
            "year": meta.year, "plan": meta.plan.model_dump(mode="json"),
            "max_points": float(meta.max_points), "sha256": pack.sha256,
            "files": dict(sorted(pack.file_hashes.items())),
        }
        self._areas = [(a.id, a.vi, a.en) for a in meta.areas]

    def score(self, ward: WardFacts) -> Report:
        """The Report for one ward."""
        outcomes = []
        awards = []
        for evaluation in self.evaluator.evaluate(ward):
            rule, branch, metric = evaluation.rule, evaluation.branch, evaluation.metric
            numeric = metric.value if isinstance(metric.value, Fraction) else None
            result = award(rule, branch.kind, branch.level, branch.evidence, numeric)
            explanation = self.explainer.explain(rule, branch, metric, result, ward.year)
            awards.append(result)
            outcomes.append(Outcome(
                rule=rule.id, area=rule.area, requirements=list(rule.requirements),
                title=rule.title, status=result.status, status_label=STATUS_LABELS[result.status],
                claimed_status=result.claimed_status, points=float(result.self_points),
                appraisal_points=float(result.appraisal_points), maximum=float(result.maximum),
                metric=rule.test.metric, test=explanation.test, scoring=explanation.scoring,
                reading=rule.reading, source=rule.source, quote=rule.quote,
                inputs=[InputOut(fact=i.fact, year=i.year, label=i.label, value=i.value,
                                 shown=i.shown, unit=i.unit,
                                 evidence_required=i.evidence_required,
                                 evidence=list(i.evidence), evidence_text=list(i.evidence_text),
                                 note=i.note, json_path=i.json_path)
                        for i in explanation.inputs],
                missing=list(explanation.missing),
                evidence_missing=list(explanation.evidence_missing)))
        return assemble(
            tool={"name": "cchc-score", "version": tool_version()}, pack=self._pack_info,
            facts_file={"name": ward.file_name, "sha256": ward.sha256},
            unit=ward.unit.model_dump(), year=ward.year, areas=self._areas,
            bands=self.pack.meta.bands, outcomes=outcomes, awards=awards)


def score(facts: WardFacts, pack: Pack) -> Report:
    """Score one ward's checked facts against a pack."""
    return Scorer(pack).score(facts)
