"""The city's appraisal applied to a ward's report: each round's points per rule, per area and in
total, and the final (appraised) score, every difference with its reason and the ward's giải
trình.

Round 0 is the tool's own projected appraisal (điểm dự kiến thẩm định: the self-assessment
without points whose required evidence is missing or whose deliverable postdates the
assessment). Each round starts from the round before it; a rule it does not decide keeps its
result. A decision is

  accept            the self-assessment stands: the status the ward claimed, its points;
  set               the city's status; points are the maximum for `dat`, those given for
                    `dat_mot_phan` (above 0, below the maximum, at most 2 decimals), else 0;
  reject_evidence   the named documents are not accepted: if a fact whose evidence the rule
                    requires is left with none, the rule is `thieu_minh_chung` with 0 points,
                    otherwise it keeps the round before's result.

Everything a decision could get wrong is an input error naming its JSON path (exit status 2),
never a silent clamp: an unknown rule, two decisions on one rule in a round, points above the
rule's maximum or with more than 2 decimals, a status the rule cannot take (one none of its
durable_rules branches gives: `dat_mot_phan` for an all-or-nothing rule, `khong_ap_dung` for a
rule that always applies, `cho_ket_qua` for one that reads no index), points that contradict
the status, a document the rule's facts do not carry, a giải trình in round 1 or on a rule the
round before did not adjust, a round dated before the one before it or before the
self-assessment, an appraisal of another ward or year, and a broken chain of hashes.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from cchc.engine.appraisal.chain import check_chain
from cchc.engine.appraisal.model import RejectedDocument, Response, Round, RuleDecision
from cchc.engine.appraisal.read import AppraisalDocument
from cchc.engine.dates import DateFormatError, format_date, parse_date
from cchc.engine.errors import InputError, Problem
from cchc.engine.evaluate.compile import Branch
from cchc.engine.facts.model import Evidence
from cchc.engine.pack.model import Pack
from cchc.scoring.points import Award, Status
from cchc.scoring.report import Outcome, Report, Score, Text, score_of
from cchc.scoring.tally import Tally, adjusted, area_shares, tally_both

_CENT = Decimal("0.01")
_ZERO = Decimal("0.00")
_STATUS_OF_KIND: dict[str, Status] = {
    "met": "dat", "partial": "dat_mot_phan", "not_met": "khong_dat",
    "missing": "thieu_du_lieu", "not_applicable": "khong_ap_dung", "pending": "cho_ket_qua"}
_EARNING: tuple[Status, ...] = ("dat", "dat_mot_phan")

DECISION_LABELS: dict[str, Text] = {
    "accept": Text("Chấp nhận kết quả tự đánh giá", "Self-assessment accepted"),
    "set": Text("Điều chỉnh", "Set by the city"),
    "reject_evidence": Text("Không công nhận minh chứng", "Evidence rejected"),
}
PROJECTED = Text("Dự kiến thẩm định (máy chấm)", "Projected appraisal (by the tool)")


@dataclass(frozen=True)
class Step:
    """One rule in one round: its status and points after the round, and why.

    `decision` is None when the round did not decide the rule (it keeps the round before's
    result); round 0 is the projected appraisal."""

    round: int
    decision: str | None
    status: Status
    points: Decimal
    reason: str  # the city's, verbatim ("" for a round that did not decide the rule)
    rejected: tuple[RejectedDocument, ...] = ()
    response: Response | None = None
    note: Text | None = None  # the tool's own note, in both languages (round 0 and after)

    @property
    def decided(self) -> bool:
        """Whether the round decided this rule."""
        return self.decision is not None


@dataclass(frozen=True)
class RuleAppraisal:
    """One rule through the rounds: the self-assessment, round 0 (projected), each round, and
    the final status and points with the reason they rest on."""

    rule: str
    self_status: Status
    self_points: Decimal
    maximum: Decimal
    projected: Step
    steps: tuple[Step, ...]

    @property
    def final(self) -> Step:
        """The result of the last round."""
        return self.steps[-1]

    @property
    def reason(self) -> str:
        """The city's reason the final result rests on: the last decision's ("" when no round
        decided the rule: then `note` says why the result is what it is)."""
        decided = [step for step in self.steps if step.decided]
        return decided[-1].reason if decided else ""

    @property
    def note(self) -> Text | None:
        """The tool's note when no round decided the rule (round 0's: the projected
        appraisal and why it differs from the self-assessment)."""
        return None if any(step.decided for step in self.steps) else self.projected.note

    @property
    def changed(self) -> bool:
        """Whether the final result differs from the self-assessment."""
        return (self.final.points, self.final.status) != (self.self_points, self.self_status)

    def adjusted_by(self, number: int) -> bool:
        """Whether the result after round `number` differs from the self-assessment, or that
        round decided it other than by accepting (what a giải trình may answer)."""
        step = self.projected if number == 0 else self.steps[number - 1]
        return (step.points, step.status) != (self.self_points, self.self_status) or \
            step.decision in ("set", "reject_evidence")


@dataclass(frozen=True)
class RoundSummary:
    """One round: who, when, its hash and links, and the totals after it."""

    number: int
    by: str
    office: str | None
    position: str | None
    on: str
    sha256: str
    previous_sha256: str | None
    facts_sha256: str
    decisions: int
    responses: int
    note: str | None
    total: Score
    areas: tuple[Score, ...]
    on_iso: str = ""  # the date as ISO 2025-02-12 (`on` is as documents write it, 12/02/2025)


@dataclass(frozen=True)
class Appraisal:
    """The appraisal of one ward: its file, its rounds, each rule through them, and the final
    (appraised) total and areas (in the report's area order)."""

    file: str
    file_sha256: str
    rounds: tuple[RoundSummary, ...]
    rules: dict[str, RuleAppraisal]

    @property
    def final(self) -> Score:
        """The appraised total (điểm thẩm định): the last round's."""
        return self.rounds[-1].total

    @property
    def areas(self) -> tuple[Score, ...]:
        """Each area's appraised score, in the report's order."""
        return self.rounds[-1].areas

    @property
    def last_hash(self) -> str:
        """The last round's hash, for the city's letter (nothing later vouches for it)."""
        return self.rounds[-1].sha256


def statuses_by_rule(branches: Iterable[Branch]) -> dict[str, frozenset[Status]]:
    """The statuses each rule can take: those its durable_rules branches give (a met or partly
    met branch without its evidence gives `thieu_minh_chung`)."""
    out: dict[str, set[Status]] = {}
    for branch in branches:
        found = out.setdefault(branch.rule_id, set())
        found.add(_STATUS_OF_KIND[branch.kind])
        if branch.evidence is False and branch.kind in ("met", "partial"):
            found.add("thieu_minh_chung")
    return {rule: frozenset(statuses) for rule, statuses in out.items()}


def _blank(text: str) -> bool:
    """Whether a text says nothing: no letter and no digit (spaces, a zero-width space, dots)."""
    return not any(unicodedata.category(char)[0] in "LN" for char in text)


def _standing(steps: Sequence[Step]) -> tuple[RejectedDocument, ...]:
    """The documents rejected so far and not since accepted: an `accept` (the self-assessment,
    its evidence included, stands) clears them; a later rejection adds to them."""
    out: list[RejectedDocument] = []
    for step in steps:
        if step.decision == "accept":
            out = []
        out += step.rejected
    return tuple(out)


def _points(value: float) -> Decimal:
    return Decimal(str(value)).quantize(_CENT)


def _shown(value: Decimal) -> str:
    return format(value.normalize(), "f") if value else "0"


# A number's decimal point, written as a decimal comma in the Vietnamese text (1.5 → 1,5).
_POINT = re.compile(r"(?<=\d)\.(?=\d)")


class _Problems:
    """Problems found in an appraisal file, each at its JSON path."""

    def __init__(self) -> None:
        self.items: list[Problem] = []

    def add(self, where: str, vi: str, en: str, expected_vi: str = "",
            expected_en: str = "") -> None:
        self.items.append(Problem(where, _POINT.sub(",", vi), en, _POINT.sub(",", expected_vi),
                                  expected_en))

    def date(self, text: str, where: str, problem: tuple[str, str]) -> dt.date | None:
        """The date `text` names, or None with `problem` added at `where`."""
        try:
            return parse_date(text)
        except DateFormatError:
            self.add(where, *problem, "một ngày dạng 2025-01-10 hoặc 10/01/2025",
                     "a date as 2025-01-10 or 10/01/2025")
            return None

    def name_rule(self, since: int, rule: str) -> None:
        """Begin the problems found since `since` with the rule they are about (a JSON path
        names an entry by its number; a reviewer looks for the rule)."""
        for at in range(since, len(self.items)):
            item = self.items[at]
            if rule not in item.vi:
                self.items[at] = Problem(item.where, f"{rule}: {item.vi}", f"{rule}: {item.en}",
                                         item.expected_vi, item.expected_en)


def _projected(outcome: Outcome) -> Step:
    """Round 0: the tool's projected appraisal of the rule, and why it differs, if it does."""
    points = _points(outcome.appraisal_points)
    if outcome.status == "thieu_minh_chung":
        note = Text("thiếu minh chứng bắt buộc: chưa tính điểm khi thẩm định",
                    "required evidence missing: no points on appraisal")
    elif points != _points(outcome.points):
        note = Text("văn bản ghi ngày sau ngày tự đánh giá: chưa tính điểm khi thẩm định",
                    "a document dated after the assessment date: no points on appraisal")
    else:
        note = Text("giữ kết quả tự đánh giá", "the self-assessment stands")
    return Step(0, None, outcome.status, points, "", note=note)


class Appraiser:
    """Applies appraisal files to reports of one pack (the rules' statuses worked out once)."""

    def __init__(self, pack: Pack, branches: Iterable[Branch]) -> None:
        self.pack = pack
        self.statuses = statuses_by_rule(branches)

    def appraise(self, report: Report, document: AppraisalDocument) -> Appraisal:
        """The Appraisal of `report` by `document`; raises InputError (exit status 2) naming
        every problem of the file at its JSON path, or the first broken link of its chain."""
        name = document.name
        meta = self.pack.meta
        content = document.content
        unit = _Problems()  # another ward's or year's file first: its hashes differ anyway
        self._check_unit(report, content.unit.ward, content.year, unit)
        if unit.items:
            raise InputError(name, unit.items)
        chain = check_chain(document, report.facts_file.sha256, meta.id, meta.version,
                            self.pack.sha256)
        broken = chain.first_broken
        if broken is not None:
            raise InputError(name, [Problem(
                f"$.rounds[{broken.round - 1}]", broken.vi, broken.en,
                f"chuỗi mã nguyên vẹn (kiểm tra: cchc-score verify); ghi nhận: {broken.recorded},"
                f" thấy: {broken.found}",
                f"an intact chain (check: cchc-score verify); recorded: {broken.recorded}, "
                f"found: {broken.found}")])
        problems = _Problems()
        outcomes = {o.rule: o for o in (*report.outcomes, *report.adjustments)}
        results = {rule: [_projected(outcome)] for rule, outcome in outcomes.items()}
        year_start = dt.date(report.year, 1, 1)
        previous_day = parse_date(report.prepared.on) if report.prepared.on else year_start
        previous_label = ("ngày tự đánh giá", "the self-assessment date") \
            if report.prepared.on else (f"đầu năm {report.year} được thẩm định",
                                        f"the start of the year appraised, {report.year}")
        summaries: list[RoundSummary] = []
        for index, item in enumerate(content.rounds):
            where = f"$.rounds[{index}]"
            number = index + 1
            day = problems.date(item.appraised_on, f"{where}.appraised_on",
                                ("ngày thẩm định chưa điền hoặc không phải là ngày",
                                 "the appraisal date is empty or not a date"))
            earlier = previous_day
            if day is not None and day < previous_day:
                problems.add(f"{where}.appraised_on",
                             f"ngày thẩm định {format_date(day)} trước {previous_label[0]} "
                             f"{format_date(previous_day)}",
                             f"the appraisal date {format_date(day)} is before "
                             f"{previous_label[1]} {format_date(previous_day)}",
                             "các vòng theo thứ tự thời gian, sau ngày tự đánh giá",
                             "rounds in time order, after the self-assessment")
            if day is not None:
                previous_day = day
                previous_label = (f"ngày thẩm định vòng {number}",
                                  f"the date of round {number}")
            responses = self._responses(item, index, outcomes, results, problems,
                                        (earlier, day))
            decided = self._decisions(item, index, outcomes, problems)
            for rule, outcome in outcomes.items():
                before = results[rule][-1]
                decision = decided.get(rule)
                if decision is None:
                    step = Step(number, None, before.status, before.points, "",
                                response=responses.get(rule), note=before.note)
                else:
                    step = self._decide(decision[0], outcome, results[rule], number,
                                        responses.get(rule))
                    if decision[0].decision == "accept" and _blank(step.reason) and \
                            (step.status, step.points) != (before.status, before.points):
                        change = f"{_shown(before.points)} → {_shown(step.points)}"
                        problems.add(f"{decision[1]}.reason",
                                     f"{rule}: chấp nhận này làm thay đổi kết quả ({change} "
                                     "điểm) nên cần nêu lý do",
                                     f"{rule}: this acceptance changes the result ({change} "
                                     "points), so it needs its reason",
                                     "lý do, ví dụ: minh chứng bản giấy đã nộp kèm hồ sơ",
                                     "the reason, e.g. the paper evidence was handed in")
                results[rule].append(step)
            total, areas = self._totals(report, {r: s[-1] for r, s in results.items()})
            by = item.appraised_by
            summaries.append(RoundSummary(
                number, by.name, by.office, by.position,
                format_date(day) if day else item.appraised_on, chain.hashes[index],
                item.previous_sha256, item.facts_sha256, len(item.decisions),
                len(item.responses), item.note, total, areas,
                day.isoformat() if day else item.appraised_on))
        if problems.items:
            raise InputError(name, problems.items)
        rules = {rule: RuleAppraisal(rule, outcome.status, _points(outcome.points),
                                     _points(outcome.maximum), results[rule][0],
                                     tuple(results[rule][1:]))
                 for rule, outcome in outcomes.items()}
        return Appraisal(name, document.sha256, tuple(summaries), rules)

    # --- checks ------------------------------------------------------------------------------

    def _check_unit(self, report: Report, ward: str, year: int, problems: _Problems) -> None:
        if ward.strip().casefold() != report.unit.ward.strip().casefold():
            problems.add("$.unit.ward", f"tệp thẩm định của \"{ward}\", tệp dữ kiện của "
                         f"\"{report.unit.ward}\"", f"the appraisal is of \"{ward}\", the facts "
                         f"file of \"{report.unit.ward}\"", "tệp thẩm định của đúng phường này",
                         "the appraisal file of this very ward")
        if year != report.year:
            problems.add("$.year", f"tệp thẩm định năm {year}, tệp dữ kiện năm {report.year}",
                         f"the appraisal is for {year}, the facts file for {report.year}",
                         f"{report.year}", f"{report.year}")

    def _known(self, rule: str, where: str, outcomes: dict[str, Outcome],
               problems: _Problems) -> bool:
        if rule in outcomes:
            return True
        close = difflib.get_close_matches(rule, list(outcomes), n=1, cutoff=0.6)
        problems.add(where, f"không có tiêu chí '{rule}' trong gói quy tắc {self.pack.meta.id}",
                     f"rule pack {self.pack.meta.id} has no rule '{rule}'",
                     f"có phải ý bạn là '{close[0]}'?" if close else
                     "mã tiêu chí như trong `cchc-score rules`",
                     f"did you mean '{close[0]}'?" if close else
                     "a rule id as `cchc-score rules` lists it")
        return False

    def _responses(self, item: Round, index: int, outcomes: dict[str, Outcome],
                   results: dict[str, list[Step]], problems: _Problems,
                   window: tuple[dt.date, dt.date | None]) -> dict[str, Response]:
        """The giải trình a round heard, each checked: a later round's, on a rule the rounds
        before left adjusted, filled in, received between the round before and this one."""
        found: dict[str, Response] = {}
        for at, response in enumerate(item.responses):
            where = f"$.rounds[{index}].responses[{at}]"
            if index == 0:
                problems.add(where, "vòng 1 không có giải trình: phường giải trình sau khi có "
                             "kết quả vòng trước", "round 1 has no giải trình: the ward "
                             "answers the result of a round before", "giải trình ghi ở vòng 2 "
                             "trở đi", "giải trình from round 2 on")
                continue
            if not self._known(response.rule, f"{where}.rule", outcomes, problems):
                continue
            if response.rule in found:
                problems.add(f"{where}.rule", f"tiêu chí {response.rule} có hai giải trình trong "
                             f"vòng {index + 1}", f"rule {response.rule} has two giải trình in "
                             f"round {index + 1}", "một giải trình mỗi tiêu chí mỗi vòng",
                             "one giải trình per rule per round")
                continue
            if _blank(response.text):
                problems.add(f"{where}.text", "chưa điền nội dung giải trình",
                             "the giải trình's text is not filled in",
                             "nội dung phường giải trình, hoặc xóa mục này",
                             "the ward's text, or remove this entry")
            steps = results[response.rule]
            before = steps[-1]
            self_status, self_points = outcomes[response.rule].status, \
                _points(outcomes[response.rule].points)
            if (before.points, before.status) == (self_points, self_status) and \
                    before.decision not in ("set", "reject_evidence"):
                problems.add(f"{where}.rule", f"tiêu chí {response.rule} không bị điều chỉnh ở "
                             f"vòng {index}: không có gì để giải trình",
                             f"rule {response.rule} was not adjusted in round {index}: there "
                             "is nothing to answer", "giải trình cho tiêu chí bị điều chỉnh ở "
                             "vòng trước", "a giải trình on a rule the round before adjusted")
            received = None if not response.received_on else problems.date(
                response.received_on, f"{where}.received_on",
                ("ngày nhận giải trình không phải là ngày",
                 "the date the giải trình was received is not a date"))
            low, high = window
            if received is not None and (received < low or (high is not None and received > high)):
                bound = f"{format_date(low)} – " + (format_date(high) if high else "…")
                problems.add(f"{where}.received_on", f"ngày nhận giải trình "
                             f"{format_date(received)} nằm ngoài khoảng giữa vòng {index} và "
                             f"vòng {index + 1} ({bound})",
                             f"the giải trình was received on {format_date(received)}, outside "
                             f"the time between rounds {index} and {index + 1} ({bound})",
                             f"một ngày trong {bound}", f"a day within {bound}")
            found[response.rule] = response
        return found

    def _decisions(self, item: Round, index: int, outcomes: dict[str, Outcome],
                   problems: _Problems) -> dict[str, tuple[RuleDecision, str]]:
        found: dict[str, tuple[RuleDecision, str]] = {}
        for at, decision in enumerate(item.decisions):
            where = f"$.rounds[{index}].decisions[{at}]"
            if not self._known(decision.rule, f"{where}.rule", outcomes, problems):
                continue
            if decision.rule in found:
                problems.add(f"{where}.rule", f"tiêu chí {decision.rule} có hai quyết định trong "
                             f"vòng {index + 1} (lần đầu ở {found[decision.rule][1]})",
                             f"rule {decision.rule} has two decisions in round {index + 1} "
                             f"(the first at {found[decision.rule][1]})",
                             "một quyết định mỗi tiêu chí mỗi vòng",
                             "one decision per rule per round")
                continue
            if decision.decision is None:
                problems.add(f"{where}.decision", "chưa chọn quyết định",
                             "no decision chosen", "\"accept\" (chấp nhận), \"set\" (điều "
                             "chỉnh) hoặc \"reject_evidence\" (không công nhận minh chứng); "
                             "hoặc xóa mục này", "\"accept\", \"set\" or \"reject_evidence\"; "
                             "or remove this entry")
                continue
            outcome = outcomes[decision.rule]
            given = decision.self_assessed
            if given is not None and (given.status, given.points) != (
                    outcome.status, _points(outcome.points)):
                problems.add(f"{where}.self_assessed", f"ghi tự đánh giá {given.status} "
                             f"{_shown(given.points)} điểm, tệp dữ kiện cho {outcome.status} "
                             f"{outcome.points:g} điểm", f"says the self-assessment is "
                             f"{given.status} {_shown(given.points)} points, the facts file "
                             f"gives {outcome.status} {outcome.points:g}",
                             "đúng kết quả tự đánh giá (hoặc bỏ self_assessed)",
                             "the self-assessment as scored (or leave self_assessed out)")
            since = len(problems.items)
            self._check_decision(decision, where, outcome, problems)
            problems.name_rule(since, decision.rule)
            found[decision.rule] = (decision, where)
        return found

    def _check_decision(self, decision: RuleDecision, where: str, outcome: Outcome,
                        problems: _Problems) -> None:
        kind = decision.decision
        if kind in ("set", "reject_evidence") and _blank(decision.reason):
            problems.add(f"{where}.reason", "quyết định điều chỉnh cần nêu lý do",
                         "a decision that changes the result needs its reason",
                         "lý do (giữ nguyên văn trong báo cáo)", "the reason (kept verbatim)")
        if kind != "set" and (decision.status is not None or decision.points is not None):
            problems.add(where, f"quyết định \"{kind}\" không ghi status hay points",
                         f"a decision \"{kind}\" gives no status or points",
                         "\"decision\": \"set\" để cho trạng thái và điểm",
                         "\"decision\": \"set\" to give a status and points")
        if kind != "reject_evidence" and decision.rejected_evidence:
            problems.add(f"{where}.rejected_evidence", "chỉ quyết định \"reject_evidence\" nêu "
                         "minh chứng không công nhận", "only a \"reject_evidence\" decision "
                         "names rejected documents", "\"decision\": \"reject_evidence\"",
                         "\"decision\": \"reject_evidence\"")
        if kind == "reject_evidence" and not decision.rejected_evidence:
            problems.add(f"{where}.rejected_evidence", "chưa nêu minh chứng nào không được "
                         "công nhận", "no rejected document is named",
                         "[{\"fact\": …, \"number\": …}]", "[{\"fact\": …, \"number\": …}]")
        if kind == "set":
            self._check_set(decision, where, outcome, problems)
        if kind == "reject_evidence":
            for at, document in enumerate(decision.rejected_evidence):
                self._find_document(document, f"{where}.rejected_evidence[{at}]", outcome,
                                    problems)

    def _check_set(self, decision: RuleDecision, where: str, outcome: Outcome,
                   problems: _Problems) -> None:
        status, points = decision.status, decision.points
        maximum = _points(outcome.maximum)
        rule = outcome.rule
        if status is None:
            problems.add(f"{where}.status", "quyết định điều chỉnh cần trạng thái",
                         "a \"set\" decision needs a status",
                         "dat, dat_mot_phan, khong_dat, thieu_du_lieu, thieu_minh_chung, "
                         "khong_ap_dung hoặc cho_ket_qua", "one of the statuses")
            return
        can = self.statuses.get(rule, frozenset())
        if status not in can:
            problems.add(f"{where}.status", f"tiêu chí {rule} không thể có trạng thái "
                         f"{status} (không nhánh nào của quy tắc cho kết quả này)",
                         f"rule {rule} cannot be {status} (none of its branches gives it)",
                         "một trong: " + ", ".join(sorted(can)),
                         "one of: " + ", ".join(sorted(can)))
            return
        if points is not None and points > maximum:
            problems.add(f"{where}.points", f"{_shown(points)} điểm vượt điểm tối đa của tiêu "
                         f"chí {rule} ({_shown(maximum)})", f"{_shown(points)} points is above "
                         f"rule {rule}'s maximum ({_shown(maximum)})",
                         f"từ 0 đến {_shown(maximum)}", f"0 to {_shown(maximum)}")
            return
        if points is not None and points != points.quantize(_CENT):
            problems.add(f"{where}.points", f"điểm {points} có quá 2 chữ số thập phân",
                         f"{points} points has more than 2 decimals",
                         "điểm làm tròn đến 0,01", "points to 0.01")
            return
        if status == "dat" and points is not None and points != maximum:
            problems.add(f"{where}.points", f"\"đạt\" là đủ điểm tối đa ({_shown(maximum)}), "
                         f"không phải {_shown(points)}", f"\"dat\" earns the maximum "
                         f"({_shown(maximum)}), not {_shown(points)}",
                         f"{_shown(maximum)}, hoặc \"dat_mot_phan\" với số điểm này",
                         f"{_shown(maximum)}, or \"dat_mot_phan\" with these points")
        elif status == "dat_mot_phan" and (points is None or not _ZERO < points < maximum):
            problems.add(f"{where}.points", "\"đạt một phần\" cần số điểm lớn hơn 0 và nhỏ hơn "
                         f"điểm tối đa ({_shown(maximum)})", "\"dat_mot_phan\" needs points "
                         f"above 0 and below the maximum ({_shown(maximum)})",
                         f"một số trong khoảng (0; {_shown(maximum)})",
                         f"a number between 0 and {_shown(maximum)}, both excluded")
        elif status not in _EARNING and points:
            problems.add(f"{where}.points", f"trạng thái {status} không có điểm, không phải "
                         f"{_shown(points)}", f"status {status} earns no points, not "
                         f"{_shown(points)}", "0 hoặc bỏ points", "0, or leave points out")

    def _find_document(self, document: RejectedDocument, where: str, outcome: Outcome,
                       problems: _Problems) -> None:
        inputs: dict[str, list[Evidence]] = {}
        for item in outcome.explanation.inputs:  # a fact read this year and last is one fact
            inputs.setdefault(item.fact, []).extend(item.evidence)
        if document.fact not in inputs:
            problems.add(f"{where}.fact", f"tiêu chí {outcome.rule} không đọc dữ kiện "
                         f"'{document.fact}'", f"rule {outcome.rule} reads no fact "
                         f"'{document.fact}'", "một trong: " + ", ".join(inputs),
                         "one of: " + ", ".join(inputs))
            return
        if document.number is None and document.title is None:
            problems.add(where, "chưa nêu số hiệu (number) hoặc trích yếu (title) của văn bản",
                         "the document's number or title is not given", "\"number\": \"…\"",
                         "\"number\": \"…\"")
            return
        if not any(_same_document(document, evidence) for evidence in inputs[document.fact]):
            listed = "; ".join(e.number or e.title or e.file or "?"
                               for e in inputs[document.fact]) or "không có / none"
            problems.add(where, f"dữ kiện '{document.fact}' không có minh chứng "
                         f"\"{document.number or document.title}\"",
                         f"fact '{document.fact}' has no document "
                         f"\"{document.number or document.title}\"",
                         f"một minh chứng của dữ kiện này: {listed}",
                         f"one of this fact's documents: {listed}")

    # --- results -----------------------------------------------------------------------------

    def _decide(self, decision: RuleDecision, outcome: Outcome, steps: Sequence[Step],
                number: int, response: Response | None) -> Step:
        """The rule's step in this round under `decision` (`steps`: the rule's so far)."""
        kind = decision.decision
        before = steps[-1]
        reason = decision.reason
        if kind == "accept":
            status: Status = outcome.claimed_status if outcome.status == "thieu_minh_chung" \
                else outcome.status
            return Step(number, kind, status, _points(outcome.points), reason,
                        response=response)
        if kind == "set":
            status = decision.status or before.status
            maximum = _points(outcome.maximum)
            points = maximum if status == "dat" else \
                (decision.points or _ZERO).quantize(_CENT) if status == "dat_mot_phan" else _ZERO
            return Step(number, kind, status, min(points, maximum), reason, response=response)
        rejected = tuple(decision.rejected_evidence)
        gone = _evidence_gone(outcome, (*_standing(steps), *rejected))
        if gone and outcome.claimed_status in _EARNING:
            return Step(number, kind, "thieu_minh_chung", _ZERO, reason, rejected, response)
        return Step(number, kind, before.status, before.points, reason, rejected, response)

    def _totals(self, report: Report, final: dict[str, Step]) -> tuple[Score, tuple[Score, ...]]:
        """The total and each area's score from each rule's step, as the report sums them:
        areas, then bonus, the cap and penalty, then the band with its area condition."""
        bands = self.pack.meta.bands
        tallies: dict[str, Tally] = {}
        everything: list[Award] = []
        for area in report.areas:
            awards = [_award(final[rule], _points(report_maximum)) for rule, report_maximum in
                      _maxima(report, area.rules)]
            everything += awards
            tallies[area.id] = tally_both(awards, bands)[0]
        base = tally_both(everything, bands)[0]
        bonus = penalty = Decimal(0)
        for outcome in report.adjustments:
            points = final[outcome.rule].points
            if outcome.info.effect == "penalty":
                penalty += points
            else:
                bonus += points
        adjustments = self.pack.meta.adjustments
        cap = adjustments.total_cap if adjustments is not None else None
        total = adjusted(base, bonus, penalty, cap, bands, area_shares(tallies, bands))
        return score_of(total), tuple(score_of(tallies[area.id]) for area in report.areas)


def _maxima(report: Report, rules: Sequence[str]) -> list[tuple[str, float]]:
    by_rule = {outcome.rule: outcome.maximum for outcome in report.outcomes}
    return [(rule, by_rule[rule]) for rule in rules]


def _award(step: Step, maximum: Decimal) -> Award:
    share = Fraction(step.points) / Fraction(maximum) if maximum else Fraction(0)
    return Award(step.status, step.status, share, step.points, step.points, maximum)


def _same_document(named: RejectedDocument, evidence: Evidence) -> bool:
    if named.number is not None:
        return (evidence.number or "").strip().casefold() == named.number.strip().casefold()
    return (evidence.title or "").strip().casefold() == (named.title or "").strip().casefold()


def _evidence_gone(outcome: Outcome, rejected: Sequence[RejectedDocument]) -> bool:
    """Whether some fact whose evidence the rule requires is left with no accepted document."""
    for item in outcome.explanation.inputs:
        if not item.evidence_required or not item.evidence:
            continue
        named = [r for r in rejected if r.fact == item.fact]
        if named and all(any(_same_document(r, e) for r in named) for e in item.evidence):
            return True
    return False
