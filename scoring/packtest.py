"""A rule pack's own tests: YAML cases written in the plan's terms, run against the pack, with
branch coverage (`cchc-score test PACK`).

As OpenFisca's country template keeps its YAML tests beside its parameters, a pack keeps its
tests in `tests/` beside its rules: `tests/base.yaml` is a whole facts file (a ward meeting every
target, with evidence), and each other `tests/*.yaml` holds cases that change a few of its facts
and state what the plan's words give for the rules concerned:

    cases:
      - name: "60,0 % thanh toán trực tuyến: 'từ 60% trở lên' là đạt"
        facts:                       # only what differs from the base ward
          ho_so_tiep_nhan: 1020      # a bare value keeps the base's evidence
          giao_dich_thanh_toan: 612
          so_tin_bai: null           # null: no data
          ngay_ke_hoach: {value: 2024-02-01, evidence: []}   # an object replaces the entry
        previous_year:
          chi_so_par_index: 84.35
        expect:
          TTHC-06: dat                                   # the status alone, or
          CDDH-01: {status: dat_mot_phan, points: 0.75, appraisal_points: 0.75}

A case may also carry the city's appraisal of that ward (`appraisal:`, its rounds as an
appraisal file writes them, without what the tool fills in: round numbers, hashes, the pack;
who and when are optional) and expect each rule's final result and the appraised total:

        appraisal:
          - decisions:
              - {rule: TCBM-01, decision: reject_evidence, reason: "…",
                 rejected_evidence: [{fact: ngay_ban_hanh_ke_hoach_bo_tri_cong_chuc,
                                      number: 74/KH-UBND}]}
          - responses: [{rule: TCBM-01, text: "…"}]
            decisions: [{rule: TCBM-01, decision: accept, reason: "…"}]
        expect:
          TCBM-01: {status: dat, final_status: dat, final_points: 2}
        appraised: {points: 100, band: xuat_sac}

The rounds go through the same check and the same arithmetic as an appraisal file, so what a
decision may not say for a rule (points above its maximum, a status it cannot take) is a pack
error here too.

Numbers in a case are read exactly (0.1 is 1/10, never a binary float) and dates are read as
the ward would type them. A case's facts pass the same facts check as any facts file.

Coverage: every rule's branches — the durable_rules rules it compiles to (met, each partial
step, late, pro rata, deductions, not met, no data, evidence missing, not applicable) — and
which of them some case reaches. A broken test file is a pack error (exit 3) naming the file,
the case and the field; a failed expectation names the file, the case, the rule, what was
expected and what came out.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

import yaml
from pydantic import Field, field_validator, model_validator

from cchc.engine.appraisal.chain import round_hash
from cchc.engine.appraisal.model import APPRAISAL_FORMAT
from cchc.engine.appraisal.read import AppraisalDocument, parse_appraisal
from cchc.engine.errors import CchcError, PackError, Problem
from cchc.engine.evaluate.compile import Branch
from cchc.engine.facts.check import check_facts
from cchc.engine.facts.read import parse_facts
from cchc.engine.numbers import fmt
from cchc.engine.pack.load import StrictLoader, read_yaml, validated
from cchc.engine.pack.model import Pack
from cchc.rules.schema import Strict
from cchc.scoring.appraisal import Appraisal, Appraiser, Step
from cchc.scoring.points import Status
from cchc.scoring.report import Outcome, Report, Score, Text
from cchc.scoring.score import Scorer

TESTS_DIR = "tests"
BASE_FILE = "base.yaml"


class _CaseLoader(StrictLoader):
    """The pack's strict loader, reading numbers exactly and dates as typed."""


def _exact_number(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Decimal:
    return Decimal(loader.construct_scalar(node).replace("_", ""))


def _date_as_typed(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> str:
    return str(loader.construct_scalar(node))


_CaseLoader.add_constructor("tag:yaml.org,2002:float", _exact_number)
_CaseLoader.add_constructor("tag:yaml.org,2002:timestamp", _date_as_typed)


# --- the files' shape ----------------------------------------------------------------------------


class Expectation(Strict):
    """What a case expects of one rule: its status, and optionally its points; with an
    appraisal, its final (appraised) status and points."""

    status: Status
    points: Decimal | None = None
    appraisal_points: Decimal | None = None
    final_status: Status | None = None
    final_points: Decimal | None = None


class TotalExpectation(Strict):
    """What a case expects of the self-assessed total: its points (after bonus, cap and
    penalty), its index % and its band — so bands, their area condition and the bonus cap are
    tested as the rules are."""

    points: Decimal | None = None
    index: Decimal | None = None
    band: str | None = Field(None, max_length=64)

    @property
    def status(self) -> str:
        """The band, where a rule's expectation has its status."""
        return self.band or "—"


class Case(Strict):
    """One test case: a name, the facts that differ from the base ward, what to expect of its
    rules (`expect`) and of its total (`total`); optionally the city's appraisal rounds and
    what to expect of the appraised total (`appraised`)."""

    name: str = Field(min_length=1)
    facts: dict[str, Any] = Field(default_factory=dict)
    previous_year: dict[str, Any] = Field(default_factory=dict)
    appraisal: list[dict[str, Any]] = Field(default_factory=list, max_length=20)
    expect: dict[str, Expectation] = Field(default_factory=dict)
    total: TotalExpectation | None = None
    appraised: TotalExpectation | None = None

    @model_validator(mode="after")
    def _expects_something(self) -> Case:
        if not self.expect and self.total is None and self.appraised is None:
            raise ValueError("a case expects something: 'expect' (rules), 'total' or "
                             "'appraised'")
        if not self.appraisal and (self.appraised is not None or any(
                e.final_status or e.final_points is not None for e in self.expect.values())):
            raise ValueError("'appraised' and 'final_status'/'final_points' need the case's "
                             "'appraisal' rounds")
        return self

    @field_validator("expect", mode="before")
    @classmethod
    def _status_alone(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return {rule: {"status": given} if isinstance(given, str) else given
                    for rule, given in value.items()}
        return value


class CaseFile(Strict):
    """A tests/*.yaml file: its cases."""

    cases: list[Case] = Field(min_length=1)


# --- results -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Failure:
    """An expectation a case did not meet."""

    file: str
    case: str
    rule: str
    expected: Expectation | TotalExpectation
    status: str
    points: Decimal
    appraisal_points: Decimal
    test: Text
    final: tuple[str, Decimal] | None = None  # with an appraisal: the final status and points


@dataclass(frozen=True)
class RuleCoverage:
    """The branches of one rule, and which of them no case reached."""

    rule: str
    branches: tuple[Branch, ...]
    missed: tuple[Branch, ...]


@dataclass(frozen=True)
class PackTestResult:
    """The outcome of running a pack's tests."""

    pack_id: str
    pack_version: str
    files: tuple[str, ...]
    cases: int
    expectations: int
    failures: tuple[Failure, ...]
    coverage: tuple[RuleCoverage, ...]
    sha256: str = ""
    shipped: bool = True
    location: str = ""

    @property
    def branches(self) -> int:
        """How many branches the pack's rules have."""
        return sum(len(rule.branches) for rule in self.coverage)

    @property
    def covered(self) -> int:
        """How many of them some case reaches."""
        return self.branches - sum(len(rule.missed) for rule in self.coverage)

    @property
    def percent(self) -> Fraction:
        """Branch coverage in %, exact."""
        return Fraction(100 * self.covered, self.branches) if self.branches else Fraction(100)

    @property
    def passed(self) -> bool:
        """Whether every expectation held."""
        return not self.failures


# --- running ------------------------------------------------------------------------------------


def _override(base: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """The base's facts with a case's changes: a bare value keeps the base entry's evidence
    and note; an object (with `value`) replaces the entry; null means no data."""
    out = copy.deepcopy(base)
    for name, given in changes.items():
        if isinstance(given, dict):
            out[name] = copy.deepcopy(given)
        elif isinstance(out.get(name), dict):
            out[name] = {**out[name], "value": given}
        else:
            out[name] = given
    return out


def _case_data(base: dict[str, Any], case: Case) -> dict[str, Any]:
    data = copy.deepcopy(base)
    data["facts"] = _override(base.get("facts") or {}, case.facts)
    if case.previous_year:
        previous = dict(base.get("previous_year") or {"year": base.get("year", 0) - 1})
        previous["facts"] = _override(previous.get("facts") or {}, case.previous_year)
        data["previous_year"] = previous
    return data


def _as_points(value: float) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


def _meets(expected: Expectation, outcome: Outcome, final: Step | None = None) -> bool:
    if outcome.status != expected.status:
        return False
    if expected.points is not None and _as_points(outcome.points) != expected.points:
        return False
    if final is not None and (
            (expected.final_status is not None and final.status != expected.final_status)
            or (expected.final_points is not None
                and final.points != expected.final_points.quantize(Decimal("0.01")))):
        return False
    return expected.appraisal_points is None or \
        _as_points(outcome.appraisal_points) == expected.appraisal_points


def _appraisal_document(case: Case, report: Report, pack: Pack, name: str,
                        prepared_on: str | None) -> AppraisalDocument:
    """A case's rounds as an appraisal file: numbered, linked by their hashes, on this ward's
    facts and this pack, by the pack tests unless a round names someone."""
    day = prepared_on or f"{report.year + 1}-01-15"
    rounds: list[dict[str, Any]] = []
    for number, given in enumerate(case.appraisal, 1):
        written = {"appraised_by": {"name": "Bộ kiểm thử của gói / the pack tests"},
                   "appraised_on": day, **copy.deepcopy(given), "round": number,
                   "facts_sha256": report.facts_file.sha256,
                   "pack": {"id": pack.meta.id, "version": pack.meta.version,
                            "sha256": pack.sha256},
                   "previous_sha256": round_hash(rounds[-1]) if rounds else None}
        rounds.append(written)
    data = {"format": APPRAISAL_FORMAT,
            "unit": {"ward": report.unit.ward}, "year": report.year, "rounds": rounds}
    return parse_appraisal(data, f"{name}: {case.name}: appraisal")


TOTAL = "TỔNG / total"
APPRAISED = "THẨM ĐỊNH / appraised"


def _shown(index: float | None, lang: str) -> str:
    return "—" if index is None else fmt(Decimal(str(index)), lang, 2)


def _total_meets(expected: TotalExpectation, total: Score) -> bool:
    """Whether the self-assessed total has the points, index and band expected."""
    return (expected.points is None or _as_points(total.points) == expected.points) \
        and (expected.index is None or (total.index is not None and Decimal(str(total.index))
                                        == expected.index)) \
        and (expected.band is None or (total.band is not None and total.band.id
                                       == expected.band))


def _case_files(pack: Pack) -> list[str]:
    folder = pack.folder
    if folder is None or not folder.joinpath(TESTS_DIR).is_dir():
        raise PackError(pack.location, [Problem(
            TESTS_DIR, "gói quy tắc không có thư mục tests/ (các trường hợp kiểm thử)",
            "the pack has no tests/ folder (its test cases)")])
    names = sorted(entry.name for entry in folder.joinpath(TESTS_DIR).iterdir()
                   if entry.name.endswith(".yaml") and entry.name != BASE_FILE)
    if not names:
        raise PackError(f"{pack.location}/{TESTS_DIR}", [Problem(
            "$", "không có tệp kiểm thử nào (tests/*.yaml ngoài base.yaml)",
            "no test files (tests/*.yaml besides base.yaml)")])
    return [f"{TESTS_DIR}/{name}" for name in names]


def _read(pack: Pack, relative: str) -> Any:
    assert pack.folder is not None
    return read_yaml(pack.folder, relative, pack.location, {}, _CaseLoader)


def _check_rules(pack: Pack, file: str, cases: list[Case]) -> None:
    known = {rule.id for rule in pack.rules}
    problems = [Problem(f"{case.name}: expect.{rule}", f"không có quy tắc '{rule}' trong gói",
                        f"the pack has no rule '{rule}'")
                for case in cases for rule in case.expect if rule not in known]
    if problems:
        raise PackError(file, problems)


def run_pack_tests(pack: Pack) -> PackTestResult:
    """Run every case of the pack's tests/ against it; the result lists failures and coverage.

    Raises PackError when a test file is malformed, names an unknown rule, or a case's facts do
    not pass the facts check (the error names the file and the case)."""
    files = _case_files(pack)
    base = _read(pack, f"{TESTS_DIR}/{BASE_FILE}")
    if not isinstance(base, dict):
        raise PackError(f"{pack.location}/{TESTS_DIR}/{BASE_FILE}", [Problem(
            "$", "cần một tệp dữ kiện đầy đủ (unit, year, facts)",
            "a whole facts file is expected (unit, year, facts)")])
    scorer = Scorer(pack)
    appraiser = Appraiser(pack, scorer.evaluator.compiled.branches.values())
    reached: set[str] = set()
    failures: list[Failure] = []
    count = expectations = 0
    for relative in files:
        display = f"{pack.location}/{relative}"
        cases = validated(CaseFile, _read(pack, relative), display).cases
        _check_rules(pack, display, cases)
        for case in cases:
            try:
                ward = check_facts(parse_facts(_case_data(base, case), display), pack)
            except CchcError as error:
                raise PackError(display, [Problem(f"{case.name}: {p.where}", p.vi, p.en,
                                                  p.expected_vi, p.expected_en)
                                          for p in error.problems]) from None
            report = scorer.score(ward)
            appraisal: Appraisal | None = None
            if case.appraisal:
                try:
                    appraisal = appraiser.appraise(report, _appraisal_document(
                        case, report, pack, display, ward.prepared_on))
                except CchcError as error:
                    raise PackError(display, [Problem(
                        f"{case.name}: appraisal: {p.where}", p.vi, p.en, p.expected_vi,
                        p.expected_en) for p in error.problems]) from None
            every = (*report.outcomes, *report.adjustments)
            by_rule = {outcome.rule: outcome for outcome in every}
            reached.update(outcome.branch.name for outcome in every)
            count += 1
            totals = [(TOTAL, case.total, report.self_assessment, ("chỉ số", "index"))]
            if appraisal is not None:
                totals.append((APPRAISED, case.appraised, appraisal.final,
                               ("chỉ số thẩm định", "appraised index")))
            for label, wanted, total, words in totals:
                if wanted is None:
                    continue
                expectations += 1
                if not _total_meets(wanted, total):
                    failures.append(Failure(
                        relative, case.name, label, wanted,
                        total.band.id if total.band else "—", _as_points(total.points),
                        Decimal(str(total.index)) if total.index is not None else Decimal(0),
                        Text(f"{words[0]} {_shown(total.index, 'vi')} %",
                             f"{words[1]} {_shown(total.index, 'en')} %")))
            for rule_id, expected in case.expect.items():
                expectations += 1
                outcome = by_rule[rule_id]
                step = appraisal.rules[rule_id].final if appraisal is not None else None
                if not _meets(expected, outcome, step):
                    failures.append(Failure(
                        relative, case.name, rule_id, expected, outcome.status,
                        _as_points(outcome.points), _as_points(outcome.appraisal_points),
                        outcome.explanation.test,
                        None if step is None else (step.status, step.points)))
    compiled = scorer.evaluator.compiled
    coverage = []
    for rule in pack.rules:
        branches = tuple(compiled.branches_of(rule.id))
        coverage.append(RuleCoverage(rule.id, branches,
                                     tuple(b for b in branches if b.name not in reached)))
    return PackTestResult(pack.meta.id, pack.meta.version, tuple(files), count, expectations,
                          tuple(failures), tuple(coverage), pack.sha256, pack.shipped,
                          pack.location)
