"""The gap to the next band: per rule not fully met, the smallest change of the facts that meets
it and the points it brings; then the fewest changes that lift the self-assessment index to the
target band, cheapest first.

    result = find_gap(document, pack, target="tot")     # target: a band id of the pack, or the
                                                         # next band above the ward's
    result.settings      # the plan: every change as a facts file holds it, and as --set takes it
    result.reached       # the ward re-scored with all of them (check_facts, then Scorer.score)

Per rule (`gap_search`): the engine itself scores every candidate, so a change that "meets" a
rule meets it by construction; each rule's change is then re-checked and re-scored with the
whole pipeline (`with_values` → `check_facts` → `Scorer.score`), as `--set` would run it.

The plan is greedy: at each step the rule change that brings the most of the points still
missing (to the band's index, and to each area its `min_area_share` asks for), per fact
changed, then the cheapest; every step is applied to the facts and the ward re-scored whole,
so facts shared by several rules, parts bounded by their wholes and the band's area condition
are what the report says, not an estimate. A step that does not bring the ward closer is
skipped; the rules a step touches are searched again from the new facts. Once the band is
reached, each step is dropped in turn if the band holds without it, and a fact two steps set
is set once (the later value). What cannot be reached is said with how far the changes found
go. The index that matters is the self-assessment's; points claimed without evidence are
listed apart (`evidence`), as the projected appraisal loses them.

The modules: `gap_probe` (one rule's outcome from the engine, which facts a rule may change),
`gap_change` (a change, a rule's smallest change, the cost convention), `gap_search` (the
candidates and the choice per rule), `gap_plan` (the plan), `gap_result` (the typed result
the renderers read), `gap_words` (a change in words), this module (the entry point).
"""

from __future__ import annotations

import unicodedata
from decimal import Decimal
from fractions import Fraction

from cchc.engine.errors import usage_error
from cchc.engine.facts.check import check_facts
from cchc.engine.facts.model import FactsDocument, WardFacts
from cchc.engine.numbers import fmt, fmt_beside
from cchc.engine.pack.model import Pack
from cchc.rules.schema import Band
from cchc.scoring.gap_plan import GapFinder, merged
from cchc.scoring.gap_plan import reached as band_reached
from cchc.scoring.gap_probe import PUBLISHED, RECORDED, UNPUBLISHED
from cchc.scoring.gap_result import (
    EvidenceAdvice,
    GapResult,
    RuleAdvice,
    Setting,
    Step,
    band_position,
    raw_value,
)
from cchc.scoring.report import Report, Score, Text, in_language
from cchc.scoring.score import Scorer

__all__ = ["EvidenceAdvice", "GapFinder", "GapResult", "RuleAdvice", "Setting", "Step",
           "band_choices", "band_position", "choose_target", "excluded", "find_gap",
           "raw_value"]


def _folded(text: str) -> str:
    """A name as compared: NFC, case-folded, accents (and đ) taken off, spaces and _ alike."""
    text = unicodedata.normalize("NFC", text).casefold().replace("đ", "d")
    bare = "".join(char for char in unicodedata.normalize("NFD", text)
                   if not unicodedata.combining(char))
    return " ".join(bare.replace("_", " ").split())


def band_choices(pack: Pack) -> str:
    """The bands a --target may name: 'xuat_sac (Xuất sắc / Excellent), …'."""
    return ", ".join(f"{band.id} ({band.vi} / {band.en})" for band in pack.meta.bands)


def choose_target(pack: Pack, report: Report, target: str | None) -> Band | None:
    """The band asked for (`--target`: a band id of the pack, or its Vietnamese or English
    name, matched without regard to case or accents), else the next band above the ward's
    self-assessment band; None when the ward is already in the highest band."""
    bands = pack.meta.bands
    if target is not None:
        wanted = _folded(target)
        found = next((band for band in bands if band.id == target), None) or next(
            (band for band in bands if wanted in {_folded(band.id), _folded(band.vi),
                                                  _folded(band.en)}), None)
        if found is None:
            choices = band_choices(pack)
            raise usage_error(f"--target {target}", f"gói {pack.meta.id} không có xếp loại "
                              f"'{target}'", f"pack {pack.meta.id} has no band '{target}'",
                              f"một trong (mã hoặc tên): {choices}",
                              f"one of (id or name): {choices}")
        return found
    position = band_position(pack, report.self_assessment.band)
    return bands[position - 1] if position > 0 else None


def find_gap(document: FactsDocument, pack: Pack, target: str | None = None,
             scorer: Scorer | None = None, ward: WardFacts | None = None) -> GapResult:
    """The gap of the ward in `document` (checked against `pack`; `ward`, if given, is that
    check's result, with its warnings) to `target`, a band id of the pack (default: the next
    band above its self-assessment band)."""
    finder = GapFinder(scorer or Scorer(pack))
    if ward is None:
        ward = check_facts(document, pack)
    report = finder.scorer.score(ward)
    band = choose_target(pack, report, target)
    base = finder.probe.base(ward)
    open_rules = finder.open_rules(report)
    gaps = {rule.id: finder.search.rule_gap(rule, ward, base) for _, rule in open_rules}
    rules = tuple(finder.advice(document, report, outcome, gaps[rule.id])
                  for outcome, rule in open_rules)
    evidence = tuple(
        EvidenceAdvice(outcome.rule, outcome.info.title, outcome.explanation.evidence_missing,
                       round(outcome.points - outcome.appraisal_points, 4),
                       tuple(finder.words.label(fact, False)
                             for fact in outcome.explanation.evidence_missing
                             if fact in pack.facts))
        for outcome in (*report.outcomes, *report.adjustments)
        # evidence missing always makes the status thieu_minh_chung (`scoring.points.award`)
        if outcome.status == "thieu_minh_chung" and outcome.info.effect != "penalty")
    if band is None or band_reached(pack, report, band):
        return GapResult(report, band, True, (), report, None, rules, evidence)
    steps, reached = finder.plan(document, report, band, gaps)
    reachable = band_reached(pack, reached, band)
    if reachable:
        steps, reached = finder.prune(document, steps, band)
    steps = merged(steps)
    steps.sort(key=lambda step: (step.cost, step.rule))
    reason = None if reachable else _why_not(pack, reached, band, rules)
    return GapResult(report, band, reachable, tuple(steps), reached, reason, rules, evidence)


# why rules are left out of the plan (`excluded`), as the reason says it
_LEFT_OUT = {
    PUBLISHED: Text("các kết quả chỉ số do cơ quan khác công bố",
                    "the index results other bodies publish"),
    UNPUBLISHED: Text("các kết quả chỉ số chưa nhập (lấy từ cơ quan công bố)",
                      "the index results not entered (from their publisher)"),
    RECORDED: Text("các ngày đã ghi (có văn bản làm chứng)",
                   "the dates already recorded (with their evidence)"),
    "past": Text("các việc có hạn trước ngày tự đánh giá", "the deadlines before the "
                 "assessment date"),
    "undocumented": Text("các ngày mà tài liệu kiểm chứng đang ghi mang ngày khác",
                         "the dates whose evidence carries another date"),
}


def excluded(rules: tuple[RuleAdvice, ...]) -> dict[str, list[str]]:
    """The rules whose change the plan may not make, by why (PUBLISHED, UNPUBLISHED,
    RECORDED: facts never changed; "past": a day before the assessment date; "undocumented":
    a day its evidence does not carry)."""
    out: dict[str, list[str]] = {}
    for item in rules:
        kinds = [kind for _, kind in item.gap.blocked]
        if item.gap.past is not None:
            kinds.append("past")
        if item.gap.undocumented:
            kinds.append("undocumented")
        for kind in dict.fromkeys(kinds):
            out.setdefault(kind, []).append(item.outcome.rule)
    return {kind: out[kind] for kind in _LEFT_OUT if kind in out}


def _why_not(pack: Pack, reached: Report, target: Band, rules: tuple[RuleAdvice, ...]) -> Text:
    """Why the target cannot be reached, with how far the changes found go and what they leave
    out."""
    score: Score = reached.self_assessment
    unit = " %" if target.min_index is not None else ""
    left_out = excluded(rules)
    named = {rule for ids in left_out.values() for rule in ids}
    none = [item.outcome.rule for item in rules if not item.settings
            and item.outcome.rule not in named]
    words = []
    for lang in ("vi", "en"):
        index = "—" if score.index is None else fmt_beside(
            Fraction(Decimal(str(score.index))), target.bound, lang, 2)
        bound = fmt(target.bound, lang) + unit
        band = "—" if score.band is None else in_language(score.band, lang)
        refused = ""
        if score.refused_band is not None and band_position(pack, score.refused_band) <= \
                band_position(pack, target):
            share = fmt(score.refused_band.min_area_share or 0, lang)
            areas = ", ".join(score.weak_areas)
            refused = (f"; xếp loại {score.refused_band.vi} bị loại vì lĩnh vực dưới {share} %: "
                       f"{areas}" if lang == "vi" else
                       f"; {score.refused_band.en} is refused: areas below {share} %: {areas}")
        without = "; ".join(f"{in_language(_LEFT_OUT[kind], lang)} ({', '.join(ids)})"
                            for kind, ids in left_out.items())
        if lang == "vi":
            words.append(f"Không đạt được {target.vi} (cần {bound}) bằng các thay đổi phường còn "
                         f"làm được: chỉ đạt {index} % ({band}){refused}"
                         + (f" nếu không tính {without}" if without else "")
                         + f". Tiêu chí không có thay đổi nào: {', '.join(none) or 'không có'}.")
        else:
            words.append(f"{target.en} (needs {bound}) cannot be reached with the changes the "
                         f"ward can still make: only {index} % ({band}){refused}"
                         + (f" without {without}" if without else "")
                         + f". Rules with no change: {', '.join(none) or 'none'}.")
    return Text(*words)
