"""`cchc-score gap`: the smallest change per rule, the plan to the target band, `--set`.

Every bundled case, for every band above its own: the plan's changes, given as `--set` (through
`apply_settings`, and once through the real scoring command), reach the band, or the band is
reported unreachable and the reason is checked. The plan never changes an index result other
bodies publish, never moves a date already recorded, never sets a day before the assessment
date, and raises no new `ngay_khac_minh_chung` warning. The smallest change of rules of each
kind meets the rule and one step less does not. `--set` refuses what it cannot use, with exit
status 2.
"""

from __future__ import annotations

import datetime as dt
import json
import time
import unicodedata
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from conftest import CASES, ROOT
from hypothesis import given, settings
from hypothesis import strategies as st
from minipack import count_fact, write_pack
from strategies import wards

from cchc.cli.gap import gap_command
from cchc.cli.main import cli
from cchc.engine.dates import parse_date
from cchc.engine.errors import CommandLineError, InputError
from cchc.engine.facts.check import check_facts
from cchc.engine.facts.plausible import DATE_NOT_EVIDENCE, plausibility_warnings
from cchc.engine.facts.read import parse_facts, read_facts
from cchc.engine.facts.typed_text import read_typed
from cchc.engine.facts.whatif import apply_settings, fact_of
from cchc.engine.numbers import fmt_beside
from cchc.engine.pack.load import resolve_pack
from cchc.engine.pack.model import Pack
from cchc.scoring.gap import GapResult, band_position, excluded, find_gap
from cchc.scoring.score import Scorer

SECOND = ROOT / "tests" / "packs" / "anhoa-2025"
# (facts file, --pack)
CASE_FILES = [*((path, None) for path in sorted(CASES.glob("*.json"))
                if not path.name.endswith(".appraisal.json")),
              (SECOND / "case" / "anhoa-2025.json", str(SECOND))]
CASE_IDS = [path.stem for path, _ in CASE_FILES]

_PACKS: dict[str | None, tuple[Pack, Scorer]] = {}


def _pack(option: str | None, document) -> tuple[Pack, Scorer]:
    if option not in _PACKS:
        pack = resolve_pack(option, document.pack, document.year, document.name)
        _PACKS[option] = (pack, Scorer(pack))
    return _PACKS[option]


def _gap(path: Path, option: str | None, target: str | None = None):
    document = read_facts(path)
    pack, scorer = _pack(option, document)
    return document, pack, scorer, find_gap(document, pack, target, scorer)


def _pairs_of(settings) -> list[tuple[str, str]]:
    return [tuple(item.text.split("=", 1)) for item in settings]  # type: ignore[misc]


def _pairs(result: GapResult) -> list[tuple[str, str]]:
    return _pairs_of(result.settings)


def _rescored(document, pack: Pack, scorer: Scorer, pairs):
    return scorer.score(check_facts(apply_settings(document, pairs, pack), pack))


def _targets() -> list[tuple[Path, str | None, str]]:
    """(case, pack, band) for every band above each case's self-assessment band."""
    out = []
    for path, option in CASE_FILES:
        document = read_facts(path)
        pack, scorer = _pack(option, document)
        report = scorer.score(check_facts(document, pack))
        current = band_position(pack, report.self_assessment.band)
        out += [(path, option, band.id) for band in pack.meta.bands[:current]]
    return out


TARGETS = _targets()


# (case, band) the ward cannot reach without changing what it may not change
UNREACHABLE = {("phuong-yeu-2024", "tot"), ("phuong-yeu-2024", "xuat_sac")}


def _check_allowed(document, pack: Pack, result: GapResult) -> None:
    """No setting of the plan changes an index result, moves a recorded date, or sets a day
    before the assessment date."""
    ward = check_facts(document, pack)
    assessed = parse_date(ward.prepared_on) if ward.prepared_on else None
    for item in result.settings:
        spec = pack.facts[fact_of(item.fact)[0]]
        assert not spec.edition, item.text
        if spec.type == "date":
            assert not isinstance(item.before, str), f"a recorded date moved: {item.text}"
        days = [item.value] if spec.type == "date" else \
            [day for day in item.value if day not in (item.before or ())] \
            if spec.type == "dates" else []
        for day in days:
            assert assessed is None or dt.date.fromisoformat(day) >= assessed, item.text


def _check_unreachable(pack: Pack, result: GapResult, report) -> None:
    """The band is not reached with the plan, and the reason says so truly: the index it
    names is the one re-scoring gives, and every rule it leaves out is left out for what it
    says (an index result, a recorded date, a day before the assessment date)."""
    assert result.target is not None and result.reason is not None
    assert band_position(pack, report.self_assessment.band) > band_position(pack, result.target)
    shown = fmt_beside(Fraction(Decimal(str(report.self_assessment.index))),
                       result.target.bound, "vi", 2)
    assert f"chỉ đạt {shown} %" in result.reason.vi
    by_rule = {item.outcome.rule: item for item in result.rules}
    for kind, rules in excluded(result.rules).items():
        assert rules and all(rule in result.reason.vi for rule in rules)
        for rule in rules:
            gap = by_rule[rule].gap
            if kind == "undocumented":
                assert gap.undocumented and by_rule[rule].settings
                assert all(item.fact not in {s.fact for s in result.settings}
                           for item in by_rule[rule].settings)
                continue
            if kind == "past":
                assert gap.past is not None and by_rule[rule].settings
                assert all(item.fact not in {s.fact for s in result.settings}
                           for item in by_rule[rule].settings)
                continue
            for (fact, _), why in gap.blocked:
                spec = pack.facts[fact]
                assert spec.edition if why in ("published", "unpublished") else \
                    spec.type == "date"
    assert "nếu không tính" in result.reason.vi


def _check_plan(document, pack: Pack, scorer: Scorer, result: GapResult) -> None:
    """The plan's changes, as --set, give the index the plan says; it never falls; nothing the
    ward may not change is changed. When the band is reached: each step added points; cheapest
    first; each fact set once; no step is spare. When not: the reason is true."""
    assert result.target is not None
    _check_allowed(document, pack, result)
    report = _rescored(document, pack, scorer, _pairs(result))
    assert report.self_assessment.index == result.reached.self_assessment.index
    assert report.self_assessment.index >= result.report.self_assessment.index
    if not result.reachable:
        _check_unreachable(pack, result, report)
        return
    assert band_position(pack, report.self_assessment.band) <= band_position(pack, result.target)
    assert all(step.points > 0 for step in result.steps)
    costs = [step.cost for step in result.steps]
    assert costs == sorted(costs), "cheapest first"
    facts = [item.fact for item in result.settings]
    assert len(facts) == len(set(facts)), "each fact set once"
    for step in result.steps:  # without any one step the band is lost
        rest = [pair for other in result.steps if other is not step
                for pair in _pairs_of(other.settings)]
        try:
            without = _rescored(document, pack, scorer, rest)
        except InputError:  # another step's value rests on this one (a part within its whole)
            continue
        assert band_position(pack, without.self_assessment.band) > \
            band_position(pack, result.target), step.rule


@pytest.mark.parametrize(("path", "option", "band"), TARGETS,
                         ids=[f"{path.stem}-{band}" for path, _, band in TARGETS])
def test_every_change_as_set_reaches_every_band_above(path, option, band):
    document, pack, scorer, result = _gap(path, option, band)
    assert result.target is not None and result.target.id == band
    assert result.settings, "a band above the ward's needs a change"
    assert result.reachable == ((path.stem, band) not in UNREACHABLE), result.reason
    _check_plan(document, pack, scorer, result)


# generated wards whose greedy plan had a step the band did not need (pruned)
SPARE = [("anhoa", 4, "tot"), ("anhoa", 9, "tot"), ("phuong5", 6, "xuat_sac"),
         ("phuong5", 15, "xuat_sac")]


@pytest.mark.parametrize(("which", "seed", "band"), SPARE,
                         ids=[f"{which}-{seed}-{band}" for which, seed, band in SPARE])
def test_a_generated_ward_plan_has_no_spare_step(which, seed, band):
    from wardgen import WardGenerator

    pack = resolve_pack(str(SECOND) if which == "anhoa" else "phuong5-2024", None, None)
    scorer = Scorer(pack)
    document = parse_facts(WardGenerator(pack, seed=seed).ward(0), f"ward-{seed}.json")
    result = find_gap(document, pack, band, scorer)
    _check_plan(document, pack, scorer, result)


def test_there_is_a_band_above_for_some_case_of_each_pack():
    assert sorted((path.stem, band) for path, _, band in TARGETS) == [
        ("anhoa-2025", "tot"), ("phuong-thieu-du-lieu-2024", "tot"),
        ("phuong-thieu-du-lieu-2024", "xuat_sac"), ("phuong-yeu-2024", "kha"),
        ("phuong-yeu-2024", "tot"), ("phuong-yeu-2024", "trung_binh"),
        ("phuong-yeu-2024", "xuat_sac")]


@pytest.mark.parametrize(("path", "option"), CASE_FILES, ids=CASE_IDS)
def test_default_target_is_the_next_band_and_the_cli_reaches_it(path, option, runner):
    """gap --format json, then every change as --set to the real scoring command."""
    pack_args = ["--pack", option] if option else []
    started = time.perf_counter()
    out = runner.invoke(cli, ["gap", str(path), *pack_args, "--format", "json"])
    elapsed = time.perf_counter() - started
    assert out.exit_code == 0, out.output
    assert elapsed < 30, f"gap took {elapsed:.2f} s"  # a hang guard; speed: benchmarks
    data = json.loads(out.stdout)
    assert data["format"] == "cchc-score/gap/1"
    document = read_facts(path)
    pack, _ = _pack(option, document)
    before = data["current"]["band"]
    position = [band.id for band in pack.meta.bands].index(before)
    if position == 0:  # the highest band: nothing to reach
        assert data["target"] is None and data["changes"] == [] and data["reachable"]
        return
    assert data["target"]["band"] == pack.meta.bands[position - 1].id
    assert data["reachable"] and data["changes"]
    sets = [arg for change in data["changes"] for arg in ("--set", change["set"])]
    scored = runner.invoke(cli, [str(path), *pack_args, *sets, "--format", "json"])
    assert scored.exit_code == 0, scored.output
    report = json.loads(scored.stdout)
    assert report["self_assessment"]["band"]["id"] == data["target"]["band"]
    assert report["self_assessment"]["index"] == data["reached"]["index"]
    assert report["facts_file"]["sha256"] == data["facts_file"]["sha256"] == document.sha256


@pytest.mark.parametrize(("path", "option"), CASE_FILES, ids=CASE_IDS)
def test_every_rule_change_is_what_the_whole_pipeline_gives(path, option):
    """Each rule's change, re-scored alone, gives the outcome the search found; the settings
    read back (typed text) as the values the JSON gives."""
    document, pack, scorer, result = _gap(path, option, None)
    assert bool(result.rules) == (path.stem != "phuong-dat-toan-bo-2024")
    for advice in result.rules:
        assert advice.outcome.points < advice.outcome.maximum
        if not advice.settings:
            assert advice.reason is not None
            continue
        for item in advice.settings:
            fact = fact_of(item.fact)[0]
            assert read_typed(item.text.split("=", 1)[1], pack.facts[fact]) == item.value
        report = _rescored(document, pack, scorer, [tuple(item.text.split("=", 1))
                                                    for item in advice.settings])
        after = next(o for o in (*report.outcomes, *report.adjustments)
                     if o.rule == advice.outcome.rule)
        assert after.points > advice.outcome.points
        assert (after.claimed_status == "dat") == advice.gap.after.met
        assert after.points == advice.after.points


# --- the smallest change, one rule at a time -------------------------------------------------

def _step_back(pack: Pack, fact: str, before, after):
    """The value one step nearer the value before (or, for a fact with no data, one step past
    the edge the change stands on)."""
    spec = pack.facts[fact_of(fact)[0]]
    if spec.type == "date":
        day = dt.date.fromisoformat(after)
        # not done, or no data: the edge is the last day on time
        sign = 1 if not isinstance(before, str) or dt.date.fromisoformat(before) > day else -1
        return (day + dt.timedelta(days=sign)).isoformat()
    if spec.type == "level":
        ids = [level.id for level in spec.levels]
        return ids[ids.index(after) - 1]
    value = Decimal(str(after))
    places = max(-value.as_tuple().exponent, 0) if isinstance(after, Decimal) else 0
    unit = Decimal(1).scaleb(-places)
    if before is None:
        raise AssertionError("use the edge")
    return value - unit if Decimal(str(before)) < value else value + unit


def _typed(value) -> str:
    if isinstance(value, Decimal) and value != value.to_integral_value():
        return f"{value.normalize():f}".replace(".", ",")
    return str(value)


# (case, pack, rule, kind): rules of different kinds whose change is one fact
MINIMAL = [
    ("phuong-yeu-2024", None, "TTHC-06", "ratio numerator (count)"),
    ("phuong-yeu-2024", None, "CDDH-03", "a date not done (too late for the plan)"),
    ("phuong-yeu-2024", None, "TTHC-10", "deductions on a difference"),
    ("phuong-yeu-2024", None, "CQS-07", "linear on a count"),
    ("phuong-yeu-2024", None, "CV-07", "a ratio of a difference (staff cut)"),
    ("phuong-yeu-2024", None, "TCC-02", "a number, ratio numerator"),
    ("phuong-yeu-2024", None, "TTHC-03", "a ratio whose target falls between two counts"),
    ("phuong-yeu-2024", None, "TTHC-04", "a ratio, 99 %"),
    ("phuong-yeu-2024", None, "CQS-02", "a ratio, pro rata"),
    ("phuong-yeu-2024", None, "CQS-04", "a ratio over a count another rule raises"),
    ("phuong-yeu-2024", None, "CV-05", "a ratio, pro rata"),
    ("phuong-yeu-2024", None, "TTHC-08", "a change of a ratio, in points"),
    ("phuong5-2024", None, "CDDH-12", "linear ratio, partly met"),
    ("phuong-nguong-2024", None, "CQS-03", "a threshold met by one document"),
    ("anhoa-2025", str(SECOND), "TCC-02", "an unbounded ratio"),
]
# (case, pack, rule): a fact with no data given the value at the edge of what meets
EDGES = [
    ("phuong-thieu-du-lieu-2024", None, "TTHC-06", "1020"),     # denominator: at most
    ("phuong-thieu-du-lieu-2024", None, "TTHC-13", "7"),        # numerator: at least
    ("phuong-thieu-du-lieu-2024", None, "TCBM-03", "2024-12-31"),  # date: at the latest
    ("phuong-thieu-du-lieu-2024", None, "CQS-07", "8"),         # a count, linear
]


def _advice(path_stem: str, option: str | None, rule: str):
    path = next(path for path, _ in CASE_FILES if path.stem == path_stem)
    document, pack, scorer, result = _gap(path, option, None)
    advice = next(item for item in result.rules if item.outcome.rule == rule)
    return document, pack, scorer, advice


def _outcome(report, rule: str):
    return next(o for o in (*report.outcomes, *report.adjustments) if o.rule == rule)


@pytest.mark.parametrize(("case", "option", "rule", "kind"), MINIMAL,
                         ids=[f"{case}-{rule}" for case, _, rule, _ in MINIMAL])
def test_the_smallest_change_meets_the_rule_and_one_step_less_does_not(case, option, rule, kind):
    document, pack, scorer, advice = _advice(case, option, rule)
    assert len(advice.settings) == 1, (kind, advice.settings)
    item = advice.settings[0]
    met = _rescored(document, pack, scorer, [tuple(item.text.split("=", 1))])
    assert _outcome(met, rule).claimed_status == "dat", kind
    back = _step_back(pack, item.fact, item.before, item.value)
    less = _rescored(document, pack, scorer, [(item.fact, _typed(back))])
    assert _outcome(less, rule).claimed_status != "dat", (kind, back)


@pytest.mark.parametrize(("case", "option", "rule", "value"), EDGES,
                         ids=[f"{case}-{rule}" for case, _, rule, _ in EDGES])
def test_a_fact_with_no_data_gets_the_edge_of_what_meets(case, option, rule, value):
    document, pack, scorer, advice = _advice(case, option, rule)
    assert len(advice.settings) == 1 and advice.settings[0].before is None
    item = advice.settings[0]
    assert item.text.split("=", 1)[1] == value
    edge = item.change.edge
    assert edge in ("max", "min")
    spec = pack.facts[fact_of(item.fact)[0]]
    if spec.type == "date":
        past = (dt.date.fromisoformat(item.value) + dt.timedelta(days=1)).isoformat()
    else:
        unit = Decimal(1).scaleb(-max(-Decimal(str(item.value)).as_tuple().exponent, 0))
        past = _typed(Decimal(str(item.value)) + (unit if edge == "max" else -unit))
    assert _outcome(_rescored(document, pack, scorer, [(item.fact, item.text.split("=")[1])]),
                    rule).claimed_status == "dat"
    assert _outcome(_rescored(document, pack, scorer, [(item.fact, past)]),
                    rule).claimed_status != "dat"
    words = {"date": ("chậm nhất", "sớm nhất"), "rank": ("trở lên", "trở xuống")}.get(
        spec.type, ("không quá", "ít nhất"))
    assert words[0 if edge == "max" else 1] in item.words.vi, item.words.vi


def test_a_whole_set_below_its_parts_takes_them_along():
    """0 overdue dossiers: the apology letters for overdue dossiers go to 0 too (a part may
    not exceed its whole), both in the change."""
    advice = _advice("phuong5-2024", None, "TTHC-09")[3]
    assert [(item.fact, item.value) for item in advice.settings] == [
        ("ho_so_tre_han", 0), ("ho_so_tre_han_co_thu_xin_loi", 0)]
    assert advice.after is not None and advice.after.claimed_status == "dat"


def test_a_list_of_dates_gets_the_date_its_leanest_period_lacks():
    advice = _advice("anhoa-2025", str(SECOND), "CDDH-04")[3]
    (item,) = advice.settings
    assert item.value == ["2025-03-18", "2025-03-27", "2025-12-31"]
    assert advice.after is not None and advice.after.claimed_status == "dat"
    assert "thêm 1 ngày: 31/12/2025" in item.words.vi


def test_the_words_say_what_changes_in_both_languages():
    advice = _advice("phuong-yeu-2024", None, "TTHC-06")[3]
    (item,) = advice.settings
    assert item.words.vi == ("«Số giao dịch thanh toán trực tuyến qua Cổng thanh toán quốc "
                             "gia»: thêm 357 giao dịch (255 → 612)")
    assert item.words.en.endswith("357 more transactions (255 → 612)")
    assert advice.after is not None
    assert advice.after.explanation.test.vi == "612 / 1 020 = 60,0 % ≥ 60 %"


# --- small packs: what cannot be reached, and why ------------------------------------------

def _mini(tmp_path: Path, rules, facts, metrics=None, bands=None, previous=None,
          values=None):
    folder = write_pack(tmp_path / "pack", rules, facts, metrics,
                        **({"bands": bands} if bands else {}))
    pack = resolve_pack(str(folder), None, None)
    data = {"unit": {"ward": "Phường thử"}, "year": 2025, "facts": values or {}}
    if previous is not None:
        data["previous_year"] = {"year": 2024, "facts": previous}
    return pack, parse_facts(data, "mini.json")


RANK = {"type": "rank", "label": {"vi": "Thứ hạng", "en": "Rank"}}
CHANGE = {"kind": "change", "of": "hang", "better": "lower", "label": {"vi": "Số bậc tăng",
                                                                       "en": "Places gained"},
          "unit": {"vi": "bậc", "en": "places"}}


def test_an_unreachable_target_says_so_and_the_reason_holds(tmp_path):
    """Rank 1 kept, and no ceiling: the rank cannot rise, so 3 of the 4 points are out of
    reach; the other rule met gives 25 % < 50 %."""
    pack, document = _mini(tmp_path, [
        {"id": "R-1", "points": 3, "test": {"metric": "tang_hang", "op": ">", "value": 0}},
        {"id": "R-2", "points": 1, "test": {"metric": "so", "op": ">=", "value": 1}}],
        {"hang": RANK, "so": count_fact()}, {"tang_hang": CHANGE},
        previous={"hang": 1}, values={"hang": 1, "so": 0})
    scorer = Scorer(pack)
    result = find_gap(document, pack, None, scorer)
    assert result.target is not None and result.target.id == "tot"
    assert not result.reachable
    assert result.reason is not None and "25.00 %" in result.reason.en and "R-1" in result.reason.en
    # the reason is true: with the changes found the index is 25 %, and no rank meets R-1
    report = _rescored(document, pack, scorer, _pairs(result))
    assert report.self_assessment.index == 25.0 == result.reached.self_assessment.index
    for rank in range(1, 40):
        tried = _rescored(document, pack, scorer, [("hang", str(rank))])
        assert _outcome(tried, "R-1").claimed_status != "dat"
    advice = {item.outcome.rule: item for item in result.rules}
    assert not advice["R-1"].settings and advice["R-1"].reason is not None


def test_a_table_rule_has_no_change_and_says_why(tmp_path):
    table = {"type": "table", "label": {"vi": "Bảng", "en": "Table"},
             "columns": {"ten": {"type": "text", "label": {"vi": "Tên", "en": "Name"}},
                         "so": {"type": "count", "label": {"vi": "Số", "en": "Count"}}}}
    each = {"kind": "each", "of": "bang", "item": {"kind": "column", "column": "so"},
            "meets": {"op": ">=", "value": 5}, "label": {"vi": "Tỷ lệ", "en": "Share"},
            "unit": {"vi": "%", "en": "%"}}
    pack, document = _mini(tmp_path, [
        {"id": "R-1", "test": {"metric": "ty_le", "op": "==", "value": 100}}],
        {"bang": table}, {"ty_le": each}, values={"bang": [{"ten": "a", "so": 1}]})
    result = find_gap(document, pack, None, Scorer(pack))
    (advice,) = result.rules
    assert advice.settings == () and advice.gap.reason == "table"
    assert "--set" in advice.reason.en
    assert not result.reachable


def test_a_compound_test_and_a_yes_no_of_several_facts_take_several_steps(tmp_path):
    boolean = {"type": "boolean", "label": {"vi": "Có", "en": "Yes"}}
    pack, document = _mini(tmp_path, [
        {"id": "R-1", "points": 2, "test": {"all": [
            {"metric": "a", "op": ">=", "value": 3}, {"metric": "b", "op": ">=", "value": 2}]}},
        {"id": "R-2", "points": 2, "test": {"metric": "ca_ba", "op": "==", "value": True}}],
        {"a": count_fact(), "b": count_fact(), "x": boolean, "y": boolean, "z": boolean},
        {"ca_ba": {"kind": "all", "of": ["x", "y", "z"], "label": {"vi": "Cả ba",
                                                                   "en": "All three"}}},
        values={"a": 1, "b": 0, "x": False, "y": True, "z": False})
    result = find_gap(document, pack, None, Scorer(pack))
    advice = {item.outcome.rule: item for item in result.rules}
    assert {(item.fact, item.value) for item in advice["R-1"].settings} == {("a", 3), ("b", 2)}
    assert {(item.fact, item.value) for item in advice["R-2"].settings} == {("x", True),
                                                                            ("z", True)}
    assert all(item.after is not None and item.after.claimed_status == "dat"
               for item in advice.values())
    # 50 % is 2 of the 4 points: one rule's two changes, the cheaper
    assert result.reachable and len(result.settings) == 2


def test_the_area_condition_of_a_band_is_met_first(tmp_path):
    """Tốt needs 50 % and every area at 60 %: the point in the weak area, though worth less."""
    rules = [{"id": "A-1", "area": "a", "points": 4, "test": {"metric": "p", "op": ">=",
                                                              "value": 1}},
             {"id": "A-2", "area": "a", "points": 1, "test": {"metric": "q", "op": ">=",
                                                              "value": 1}},
             {"id": "B-1", "area": "b", "points": 1, "test": {"metric": "r", "op": ">=",
                                                              "value": 1}},
             {"id": "B-2", "area": "b", "points": 2, "test": {"metric": "s", "op": ">=",
                                                              "value": 1}}]
    bands = [{"id": "tot", "vi": "Tốt", "en": "Good", "min_index": 50, "min_area_share": 60},
             {"id": "yeu", "vi": "Yếu", "en": "Weak", "min_index": 0}]
    pack, document = _mini(tmp_path, rules, {name: count_fact() for name in "pqrs"},
                           bands=bands, values={"p": 1, "q": 1, "r": 0, "s": 0})
    scorer = Scorer(pack)
    result = find_gap(document, pack, None, scorer)
    assert result.report.self_assessment.refused_band is not None  # 5/8 ≥ 50 %, b at 0 %
    assert result.reachable and [step.rule for step in result.steps] == ["B-2"]
    assert result.reached.self_assessment.band.id == "tot"


# --- --set -----------------------------------------------------------------------------------

PHUONG5 = CASES / "phuong5-2024.json"


@pytest.mark.parametrize(("setting", "words"), [
    ("giao_dich_thanh_toan_truc_tuyn=649", ["giao_dich_thanh_toan_truc_tuyen", "--set"]),
    ("tthc_cat_giam=1", ["--set", "không có dữ kiện"]),
    ("giao_dich_thanh_toan_truc_tuyen=12.5", ["không phải là một số nguyên",
                                              "--set giao_dich_thanh_toan_truc_tuyen"]),
    ("giao_dich_thanh_toan_truc_tuyen=abc", ["không phải là một số", "is not a number"]),
    ("ngay_ban_hanh_ke_hoach_cchc=31/02/2024", ["không phải là một ngày có thật"]),
    ("previous_year.ho_so_so_hoa=1", ["năm trước", "last year"]),
    ("giao_dich_thanh_toan_truc_tuyen", ["fact=value"]),
])
def test_set_refuses_what_it_cannot_use_with_exit_2(runner, setting, words):
    for args in (["gap", str(PHUONG5), "--set", setting],
                 [str(PHUONG5), "--set", setting]):
        result = runner.invoke(cli, args)
        assert result.exit_code == 2, (args, result.output)
        for word in words:
            assert word in result.output, (word, result.output)


def test_set_refuses_a_table_and_a_fact_set_twice(tmp_path):
    document = read_facts(SECOND / "case" / "anhoa-2025.json")
    pack = resolve_pack(str(SECOND), document.pack, document.year, document.name)
    table = next(name for name, spec in pack.facts.items() if spec.type == "table")
    with pytest.raises(CommandLineError) as caught:
        apply_settings(document, [(table, "1"), ("ho_so_tiep_nhan", "1"),
                                  ("ho_so_tiep_nhan", "2")], pack)
    text = caught.value.describe()
    assert "là một bảng" in text and "a table cannot be set" in text
    assert "được đặt hai lần" in text and "is set twice" in text
    assert caught.value.exit_status == 2


def test_set_never_touches_the_file_and_keeps_evidence_and_edition(tmp_path):
    before = PHUONG5.read_bytes()
    document = read_facts(PHUONG5)
    pack = resolve_pack(None, document.pack, document.year, document.name)
    changed = apply_settings(document, [("giao_dich_thanh_toan_truc_tuyen", "1.000"),
                                        ("chi_so_par_index", "86,5"),
                                        ("previous_year.chi_so_par_index", "80")], pack)
    assert PHUONG5.read_bytes() == before and changed.sha256 == document.sha256
    entry = changed.content.facts["giao_dich_thanh_toan_truc_tuyen"]
    assert entry["value"] == 1000 and entry["evidence"]
    assert changed.content.facts["chi_so_par_index"]["edition"] == 2024
    assert changed.content.previous_year.facts["chi_so_par_index"]["edition"] == 2023
    ward = check_facts(changed, pack)
    assert ward.current["chi_so_par_index"].value == Fraction(173, 2)
    # an index result the file does not have gets its edition (this year's, last year's)
    document = read_facts(CASES / "phuong-thieu-du-lieu-2024.json")
    assert "chi_so_pci" not in document.content.facts
    assert "chi_so_sipas" not in document.content.previous_year.facts
    changed = apply_settings(document, [("chi_so_pci", "64"),
                                        ("previous_year.chi_so_sipas", "88,4")], pack)
    ward = check_facts(changed, pack)
    assert ward.current["chi_so_pci"].edition == 2024
    assert ward.previous["chi_so_sipas"].edition == 2023


def test_gap_with_set_is_the_what_ifs_gap_and_says_so(runner):
    result = runner.invoke(cli, ["gap", str(CASES / "phuong-nguong-2024.json"), "--set",
                                 "chi_so_par_index=70", "--target", "xuat_sac"])
    assert result.exit_code == 0, result.output
    assert "Giả định (what-if, tệp không bị sửa): chi_so_par_index=70" in result.stdout
    data = json.loads(runner.invoke(cli, ["gap", str(CASES / "phuong-nguong-2024.json"),
                                          "--set", "chi_so_par_index=70", "--format",
                                          "json"]).stdout)
    assert data["what_if"] == [{"fact": "chi_so_par_index", "value": "70"}]


def test_gap_command_runs_alone_and_writes_a_file(runner, tmp_path):
    out = tmp_path / "gap.json"
    result = runner.invoke(gap_command, [str(CASES / "phuong-yeu-2024.json"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text(encoding="utf-8"))["reachable"] is True
    english = runner.invoke(gap_command, [str(CASES / "phuong-yeu-2024.json"), "--lang", "en"])
    assert "PLAN TO THE TARGET (cheapest first)" in english.stdout
    assert "Convention: The tool's convention for the “cost” of a change" in english.stdout
    bad = runner.invoke(cli, ["gap", str(PHUONG5), "--target", "gioi"])
    assert bad.exit_code == 2
    assert ("xuat_sac (Xuất sắc / Excellent), tot (Tốt / Good), kha (Khá / Fair), trung_binh "
            "(Trung bình / Average), yeu (Yếu / Weak)") in bad.output


@pytest.mark.parametrize("name", ["Xuất sắc", "xuất sắc", "XUẤT SẮC", "xuat sac", "Excellent",
                                  "excellent", "xuat_sac",
                                  unicodedata.normalize("NFD", "Xuất Sắc")])
def test_target_takes_a_band_name_in_either_language(runner, name):
    out = runner.invoke(cli, ["gap", str(CASES / "phuong-yeu-2024.json"), "--target", name,
                              "--format", "json"])
    assert out.exit_code == 0, out.output
    assert json.loads(out.stdout)["target"]["band"] == "xuat_sac"


def test_target_choices_are_in_the_help(runner):
    out = runner.invoke(cli, ["gap", "--help"])
    assert out.exit_code == 0
    assert "xuat_sac (Xuất sắc" in " ".join(out.output.split())


# --- generated wards -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def second_pack() -> tuple[Pack, Scorer]:
    pack = resolve_pack(str(SECOND), None, None)
    return pack, Scorer(pack)


@settings(max_examples=12)
@given(data=st.data())
def test_the_plan_never_lowers_the_index_and_reaches_the_band_when_it_says_so(second_pack,
                                                                            data):
    pack, scorer = second_pack
    document = parse_facts(data.draw(wards(pack)), "ward.json")
    result = find_gap(document, pack, None, scorer)
    now = result.report.self_assessment
    report = _rescored(document, pack, scorer, _pairs(result))
    assert report.self_assessment.index == result.reached.self_assessment.index
    if now.index is not None:
        assert report.self_assessment.index >= now.index
    if result.reachable and result.target is not None:
        assert band_position(pack, report.self_assessment.band) <= \
            band_position(pack, result.target)
    elif result.target is not None:
        assert result.reason is not None
        assert band_position(pack, report.self_assessment.band) > \
            band_position(pack, result.target)
    for advice in result.rules:
        if advice.after is not None:
            assert advice.after.points > advice.outcome.points
            assert (advice.after.claimed_status == "dat") == advice.gap.after.met


def test_the_cost_convention():
    """Relative change for a number, 1 per 30 days for a date, 1 a level, 1 for a yes/no fact,
    1 for a figure supplied; the plan lists its steps by it."""
    costs = {}
    for case, rule in [("phuong-yeu-2024", "TTHC-06"), ("phuong-yeu-2024", "CDDH-03"),
                       ("phuong-yeu-2024", "TC-04"),
                       ("phuong-thieu-du-lieu-2024", "TTHC-06")]:
        (item,) = _advice(case, None, rule)[3].settings
        costs[(case, rule)] = item.cost
    assert costs == {("phuong-yeu-2024", "TTHC-06"): Fraction(612 - 255, 255),
                     ("phuong-yeu-2024", "CDDH-03"): Fraction(1),  # not done → done (a date)
                     ("phuong-yeu-2024", "TC-04"): Fraction(1),  # not done → done
                     ("phuong-thieu-du-lieu-2024", "TTHC-06"): Fraction(1)}  # supplied


# --- what the ward may not change, and what it still can do ----------------------------------

ALL_TARGETS = [(path, option, None) for path, option in CASE_FILES] + TARGETS
ALL_IDS = [f"{path.stem}-{band or 'next'}" for path, _, band in ALL_TARGETS]


@pytest.mark.parametrize(("path", "option", "band"), ALL_TARGETS, ids=ALL_IDS)
def test_no_change_touches_an_index_result_or_a_recorded_date(path, option, band):
    """Neither the plan nor any rule's change sets a fact the pack marks `edition` or moves a
    date that has a value; a rule that would need one says why it proposes nothing."""
    document, pack, _, result = _gap(path, option, band)
    _check_allowed(document, pack, result)
    ward = check_facts(document, pack)
    for advice in result.rules:
        for item in advice.settings:
            fact, previous = fact_of(item.fact)
            assert not pack.facts[fact].edition, item.text
            reported = (ward.previous if previous else ward.current).get(fact)
            if pack.facts[fact].type == "date":
                assert reported is None or not isinstance(reported.value, dt.date), item.text
        kinds = {kind for _, kind in advice.gap.blocked}
        if "published" in kinds:
            assert "kết quả do cơ quan khác công bố, phường không tự thay đổi được" in \
                advice.reason.vi
        if "recorded" in kinds:
            assert "ngày đã ghi là việc đã làm" in advice.reason.vi


def test_the_newcomers_changes_are_gone():
    """The changes the newcomer found on phuong-yeu-2024 --target xuat_sac: index results
    changed, dates moved back."""
    _, _, _, result = _gap(CASES / "phuong-yeu-2024.json", None, "xuat_sac")
    texts = {item.text.split("=")[0] for advice in result.rules for item in advice.settings}
    for fact in ("chi_so_par_index", "chi_so_sipas", "xep_hang_par_index",
                 "muc_do_hoan_thanh_nhiem_vu", "ngay_ban_hanh_ke_hoach_cchc",
                 "ngay_quyet_dinh_phan_cong_nhiem_vu"):
        assert fact not in texts
    advice = {item.outcome.rule: item for item in result.rules}
    assert advice["CS-01"].settings == () and "cơ quan khác công bố" in advice["CS-01"].reason.vi
    assert advice["CDDH-01"].settings == () and "không dời ngày" in advice["CDDH-01"].reason.vi
    assert not result.reachable
    assert "nếu không tính các kết quả chỉ số do cơ quan khác công bố" in result.reason.vi


def test_an_index_result_with_no_data_is_advice_without_a_value():
    """PCI has no data: fetched from its publisher, never a value to --set."""
    advice = _advice("phuong-thieu-du-lieu-2024", None, "CS-07")[3]
    assert advice.settings == ()
    assert "nhập kết quả đã công bố" in advice.reason.vi
    assert ("chi_so_pci", False) in {key for key, _ in advice.gap.blocked}


def _without_assessment_date(path: Path):
    data = json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
    del data["prepared_on"]
    return parse_facts(data, path.name)


@pytest.mark.parametrize(("path", "option", "rule", "value"), [
    (CASES / "phuong-thieu-du-lieu-2024.json", None, "TCBM-03", "2024-12-31"),
    (SECOND / "case" / "anhoa-2025.json", str(SECOND), "CDDH-04",
     ["2025-03-18", "2025-03-27", "2025-12-31"]),
])
def test_a_day_before_the_assessment_date_is_too_late_for_the_plan(path, option, rule, value):
    """A deliverable not done (or a date added to a list) on a day before `prepared_on`: the
    rule's change says "hạn đã qua" and the plan leaves it out; with no assessment date, the
    same change is for the plan."""
    _, pack, scorer, result = _gap(path, option, "tot")
    advice = next(item for item in result.rules if item.outcome.rule == rule)
    (item,) = advice.settings
    assert item.value == value and advice.gap.past is not None
    assert "hạn đã qua" in advice.reason.vi
    assert item.fact not in {setting.fact for setting in result.settings}
    open_ended = find_gap(_without_assessment_date(path), pack, "tot", scorer)
    again = next(item for item in open_ended.rules if item.outcome.rule == rule)
    assert again.gap.past is None and again.settings[0].value == value
    assert again.reason is None or "hạn đã qua" not in again.reason.vi


@pytest.mark.parametrize(("path", "option", "band"), ALL_TARGETS, ids=ALL_IDS)
def test_applying_the_plan_raises_no_new_date_warning(path, option, band):
    """The plan's changes as --set raise no `ngay_khac_minh_chung` the file did not have
    (nor for the file without its assessment date, when any day may still be set)."""
    document, pack, scorer, result = _gap(path, option, band)

    def date_warnings(facts) -> set[tuple[str, str]]:
        ward = check_facts(facts, pack)
        return {(w.code, w.json_path) for w in (*ward.warnings, *plausibility_warnings(
            facts, ward, pack, path.parent)) if w.code == DATE_NOT_EVIDENCE}

    undated = _without_assessment_date(path)
    for facts, plan in ((document, result), (undated, find_gap(undated, pack, band, scorer))):
        before = date_warnings(facts)
        after = date_warnings(apply_settings(facts, _pairs(plan), pack))
        assert after <= before, sorted(after - before)


def test_missing_evidence_is_advice_with_the_points_it_restores(runner):
    """Points the projected appraisal loses for want of evidence: listed as evidence to add
    (not a --set change), with the appraisal points it restores."""
    path = CASES / "phuong-thieu-du-lieu-2024.json"
    _, _, _, result = _gap(path, None, None)
    lost = {item.rule: item for item in result.evidence}
    outcomes = {o.rule: o for o in (*result.report.outcomes, *result.report.adjustments)}
    assert lost, "the case has points claimed without evidence"
    for rule, item in lost.items():
        outcome = outcomes[rule]
        assert item.points == pytest.approx(outcome.points - outcome.appraisal_points)
        assert item.points > 0 and item.advice.vi.startswith("bổ sung tài liệu kiểm chứng cho «")
    assert lost["CDDH-01"].advice.vi == ("bổ sung tài liệu kiểm chứng cho «Ngày ban hành Kế "
                                         "hoạch CCHC năm 2024 của UBND phường»")
    text = runner.invoke(cli, ["gap", str(path)]).stdout
    flat = " ".join(text.split())
    assert "BỔ SUNG MINH CHỨNG" in flat and "+Điểm thẩm định" in flat
    assert "CDDH-01  Ban hành Kế hoạch CCHC" in text
    assert "bổ sung tài liệu kiểm chứng cho «Ngày" in flat
    data = json.loads(runner.invoke(cli, ["gap", str(path), "--format", "json"]).stdout)
    assert {item["rule"] for item in data["evidence"]} == set(lost)
    assert all(item["advice"]["vi"].startswith("bổ sung") for item in data["evidence"])
