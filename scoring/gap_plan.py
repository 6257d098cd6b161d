"""The plan to a band: the fewest rule changes that lift the self-assessment index to it.

Greedy (see `cchc.scoring.gap`): each step the rule change bringing the most of the points
still missing — to the band's bound, and, counted twice, to each area below the band's
`min_area_share` — per fact it changes, then the cheapest; the ward is checked and re-scored
whole after each step (a step that does not bring it closer is skipped), and the rules the
step's facts touch are searched again. Then each step is dropped in turn if the band holds
without it.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from cchc.engine.errors import InputError
from cchc.engine.facts.check import check_facts
from cchc.engine.facts.model import FactsDocument
from cchc.engine.facts.whatif import PREVIOUS_YEAR, setting, with_values
from cchc.engine.pack.model import Pack
from cchc.rules.schema import Band, Rule
from cchc.scoring.gap_change import RuleGap
from cchc.scoring.gap_probe import FactKey, Probe
from cchc.scoring.gap_result import RuleAdvice, Setting, Step, band_position, raw_value
from cchc.scoring.gap_search import GapSearch
from cchc.scoring.gap_words import ChangeWords
from cchc.scoring.report import Outcome, Report, Text
from cchc.scoring.score import Scorer

MAX_PLAN_STEPS = 200


def reached(pack: Pack, report: Report, target: Band | None) -> bool:
    """Whether the report's self-assessment band is the target or above it."""
    return target is None or band_position(pack, report.self_assessment.band) <= \
        band_position(pack, target)


def needs(report: Report, target: Band) -> tuple[Decimal, dict[str, Decimal]]:
    """Self-assessment points missing for the target's bound, and per area for its
    `min_area_share` (of the area's scored maximum for bands by index, of its points else)."""
    score = report.self_assessment
    points = Decimal(str(score.points))
    if target.min_index is not None:
        total = target.min_index * score.scored_maximum / 100 - points
    else:
        assert target.min_points is not None
        total = target.min_points - points
    areas: dict[str, Decimal] = {}
    if target.min_area_share is not None:
        for area in report.areas:
            own = area.self_assessment
            base = own.scored_maximum if target.min_index is not None \
                else Decimal(str(own.maximum))
            missing = target.min_area_share * base / 100 - Decimal(str(own.points))
            if base > 0 and missing > 0:
                areas[area.id] = missing
    return max(total, Decimal(0)), areas


def _deficit(pack: Pack, report: Report, target: Band) -> Decimal:
    if reached(pack, report, target):
        return Decimal(0)
    total, areas = needs(report, target)
    return total + sum(areas.values(), Decimal(0)) + Decimal("0.001")


class GapFinder:
    """Gaps for the wards of one pack (its Scorer, compiled once)."""

    def __init__(self, scorer: Scorer) -> None:
        self.scorer = scorer
        self.pack = scorer.pack
        self.probe = Probe(scorer)
        self.search = GapSearch(self.probe)
        self.words = ChangeWords(self.pack, scorer.explainer)
        self._rules = {rule.id: rule for rule in self.pack.rules}
        # the rules reading each fact (a change to it may change their gap)
        self._readers: dict[str, set[str]] = {}
        for rule in self.pack.rules:
            for fact, _ in self.probe.roles(rule):
                self._readers.setdefault(fact, set()).add(rule.id)

    # --- settings -------------------------------------------------------------------------

    def settings_of(self, gap: RuleGap) -> tuple[Setting, ...]:
        """A rule's change as settings."""
        out = []
        for change in gap.changes:
            name = (PREVIOUS_YEAR if change.previous else "") + change.fact
            value = raw_value(self.pack, change.fact, change.after)
            out.append(Setting(name, value, raw_value(self.pack, change.fact, change.before),
                               setting(name, value, self.pack), gap.rule.id, change.cost,
                               self.words.change(change), change,
                               self.pack.facts[change.fact].evidence_required
                               and not change.previous))
        return tuple(out)

    def score(self, document: FactsDocument, settings: Iterable[Setting]) -> Report:
        """The ward with these settings, checked and scored whole (InputError if refused)."""
        values = {item.fact: item.value for item in settings}
        return self.scorer.score(check_facts(with_values(document, values, self.pack),
                                             self.pack))

    # --- per rule -------------------------------------------------------------------------

    def open_rules(self, report: Report) -> list[tuple[Outcome, Rule]]:
        """The rules not fully met (bonus rules not earned too; never a penalty)."""
        out = []
        for outcome in (*report.outcomes, *report.adjustments):
            if outcome.info.effect == "penalty" or outcome.status in ("khong_ap_dung",
                                                                      "cho_ket_qua"):
                continue
            if outcome.points < outcome.maximum:
                out.append((outcome, self._rules[outcome.rule]))
        return out

    def advice(self, document: FactsDocument, report: Report, outcome: Outcome,
               gap: RuleGap) -> RuleAdvice:
        """A rule's change, re-checked and re-scored with the whole pipeline."""
        settings = self.settings_of(gap)
        if not settings:
            return RuleAdvice(outcome, gap, (), None, None, self.reason(gap))
        try:
            after_report = self.score(document, settings)
        except InputError as error:
            problem = error.problems[0] if error.problems else None
            why = Text(f"thay đổi bị kiểm tra dữ kiện từ chối: {problem.vi if problem else ''}",
                       f"the facts check refuses the change: {problem.en if problem else ''}")
            return RuleAdvice(outcome, gap, (), None, None, why)
        after = next(item for item in (*after_report.outcomes, *after_report.adjustments)
                     if item.rule == outcome.rule)
        return RuleAdvice(outcome, gap, settings, after, after_report.self_assessment.index,
                          self.reason(gap))

    def reason(self, gap: RuleGap) -> Text | None:
        """Why a rule has no change that meets it."""
        if gap.reason == "table":
            return Text("tiêu chí đọc một bảng dữ kiện: sửa các dòng chưa đạt trong tệp dữ kiện "
                        "(một bảng không đặt được bằng --set)",
                        "the rule reads a table: fix the rows that fail in the facts file (a "
                        "table cannot be set with --set)")
        if gap.reason == "missing":
            return Text("thiếu số liệu (" + ", ".join(gap.missing) + "): nhập số liệu thực tế; "
                        "không giá trị nào của một dữ kiện, các dữ kiện khác giữ nguyên, làm "
                        "tiêu chí đạt (công cụ không đoán hai số cùng lúc)",
                        "no data (" + ", ".join(gap.missing) + "): enter the real figures; no "
                        "value of one fact, the others as they are, meets the rule (the tool "
                        "does not guess two figures at once)")
        if gap.reason == "out_of_reach":
            return Text("không thay đổi nào của các dữ kiện do công việc của phường tạo ra (trong "
                        "giới hạn kiểm tra của tệp dữ kiện) làm tiêu chí đạt hay thêm điểm",
                        "no change of the facts the ward's work makes (within the facts "
                        "check's limits) meets the rule or adds points")
        if gap.reason in ("blocked", "past") or gap.undocumented or (
                gap.blocked and gap.reason != "table"):
            return self.words.blocked(gap)
        if gap.reason == "partial":
            return Text("chưa thể đạt bằng cách đổi dữ kiện; thay đổi trên cho mức điểm cao "
                        "nhất tìm được",
                        "it cannot be met by changing facts; the change above gives the most "
                        "points found")
        return None

    # --- the plan -------------------------------------------------------------------------

    def _affected(self, keys: Iterable[FactKey]) -> set[str]:
        facts = {fact for fact, _ in keys}
        for part, whole in self.pack.bounded_pairs():
            if part in facts or whole in facts:
                facts |= {part, whole}
        for metric in self.pack.metrics.values():
            if metric.kind == "days_between" and facts & {metric.from_, metric.to}:
                facts |= {metric.from_, metric.to}
        return {rule for fact in facts for rule in self._readers.get(fact, ())}

    def plan(self, document: FactsDocument, report: Report, target: Band,
             gaps: dict[str, RuleGap]) -> tuple[list[Step], Report]:
        """The greedy plan to `target` (see the module's doc), and the last report."""
        gaps = dict(gaps)
        steps: list[Step] = []
        applied: list[Setting] = []
        skipped: set[str] = set()
        for _ in range(MAX_PLAN_STEPS):
            if reached(self.pack, report, target):
                break
            total, areas = needs(report, target)

            def useful(gap: RuleGap, total: Decimal = total,
                       areas: dict[str, Decimal] = areas) -> Decimal:
                gain = gap.gain
                value = min(gain, total)
                if gap.rule.area in areas:
                    value += min(gain, areas[gap.rule.area]) * 2  # an area below the share
                return value / len(gap.changes)

            open_gaps = [gap for rule_id, gap in gaps.items() if rule_id not in skipped
                         and gap.changes and gap.past is None
                         and not gap.undocumented and gap.gain > 0 and useful(gap) > 0]
            if not open_gaps:
                break
            pick = max(open_gaps, key=lambda gap: (useful(gap), -gap.cost))
            settings = self.settings_of(pick)
            try:
                trial = self.score(document, [*applied, *settings])
            except InputError:
                skipped.add(pick.rule.id)
                continue
            if _deficit(self.pack, trial, target) >= _deficit(self.pack, report, target):
                skipped.add(pick.rule.id)
                continue
            gained = Decimal(str(trial.self_assessment.points)) - \
                Decimal(str(report.self_assessment.points))
            steps.append(Step(pick.rule.id, settings, float(gained)))
            applied = [item for item in applied if item.fact not in
                       {new.fact for new in settings}] + list(settings)
            report = trial
            ward = check_facts(with_values(document, {item.fact: item.value for item in applied},
                                           self.pack), self.pack)
            base = self.probe.base(ward)
            for rule_id in self._affected(change.key for change in pick.changes) | {
                    pick.rule.id}:
                rule = self._rules[rule_id]
                if rule.effect != "penalty":
                    gaps[rule_id] = self.search.rule_gap(rule, ward, base)
            skipped.clear()
        return steps, report

    def prune(self, document: FactsDocument, steps: list[Step], target: Band
              ) -> tuple[list[Step], Report]:
        """Drop each step (the least points first) while the band holds without it."""
        kept = list(steps)
        for step in sorted(steps, key=lambda item: (item.points, -item.cost)):
            rest = [item for item in kept if item is not step]
            try:
                trial = self.score(document, [s for item in rest for s in item.settings])
            except InputError:
                continue
            if reached(self.pack, trial, target):
                kept = rest
        final = self.score(document, [s for item in kept for s in item.settings])
        return kept, final


def merged(steps: list[Step]) -> list[Step]:
    """The steps with each fact set once: a fact a later step sets again is dropped from the
    earlier step (the later value is the one the plan scores with); an earlier step left with
    nothing is folded into the later one, its points added."""
    out = list(steps)
    for index in range(len(out)):
        later_facts = {item.fact: place for place in range(index + 1, len(out))
                       for item in out[place].settings}
        step = out[index]
        kept = tuple(item for item in step.settings if item.fact not in later_facts)
        if len(kept) == len(step.settings):
            continue
        if kept:
            out[index] = Step(step.rule, kept, step.points)
        else:
            place = min(later_facts[item.fact] for item in step.settings)
            target = out[place]
            out[place] = Step(target.rule, target.settings, target.points + step.points)
            out[index] = Step(step.rule, (), 0.0)
    return [step for step in out if step.settings]

