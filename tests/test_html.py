"""The printable HTML report (`cchc.reports.html_report`), read without a browser: per case it
parses, carries the JSON report's totals, names every rule, shows both languages, fetches nothing,
escapes the facts file's texts; one golden file pins it byte for byte."""

from __future__ import annotations

import copy
import dataclasses
import json
import re
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from conftest import CASES, ROOT
from lxml.html import HtmlElement
from test_cases import APPRAISALS, CASE_FILES, _golden

from cchc.engine.appraisal.read import read_appraisal
from cchc.engine.inputs import load_ward
from cchc.engine.pack.load import resolve_pack
from cchc.engine.pack.model import Pack
from cchc.reports.figures import num
from cchc.reports.html_report import CHART_BAR_WIDTH, bilingual, render_html
from cchc.reports.json_report import render_json
from cchc.scoring.appraisal import Appraisal, Appraiser
from cchc.scoring.report import Report, Text, ToolInfo
from cchc.scoring.score import Scorer

SECOND = ROOT / "tests" / "packs" / "anhoa-2025"
SECOND_CASE = SECOND / "case" / "anhoa-2025.json"
GOLDEN = CASES / "expected" / "phuong5-2024.report.html"
HOSTILE = "<script>alert(1)</script>"
# Every case: the five wards (the two with an appraisal file, appraised) and the second pack's.
CASE_IDS = [path.stem for path in CASE_FILES] + ["anhoa-2025"]


@pytest.fixture(scope="module")
def second() -> Pack:
    return resolve_pack(str(SECOND), None, None)


def score(pack: Pack, scorer: Scorer, path: Path) -> tuple[Report, Appraisal | None]:
    """A case's report, with the city's appraisal when the case has one."""
    report = scorer.score(load_ward(path, pack.location)[1])
    appraisal_file = path.with_name(path.stem + ".appraisal.json")
    if appraisal_file not in APPRAISALS:
        return report, None
    document = read_appraisal(appraisal_file, f"cases/{appraisal_file.name}")
    return report, Appraiser(pack, scorer.evaluator.compiled.branches.values()).appraise(
        report, document)


@pytest.fixture(scope="module")
def cases(pack: Pack, scorer: Scorer,
          second: Pack) -> dict[str, tuple[Report, Appraisal | None, str]]:
    """Every case rendered once: (report, appraisal, page)."""
    out = {}
    for path in CASE_FILES:
        report, appraisal = score(pack, scorer, path)
        out[path.stem] = (report, appraisal, render_html(report, "vi", appraisal))
    report, _ = score(second, Scorer(second), SECOND_CASE)
    out["anhoa-2025"] = (report, None, render_html(report))
    return out


def parse(page: str) -> HtmlElement:
    return lxml.html.document_fromstring(page)


def _drop(element: HtmlElement, lang: str) -> str:
    """An element's text in one language: the spans of the other dropped."""
    other = "en" if lang == "vi" else "vi"
    element = copy.deepcopy(element)
    for span in element.xpath(f".//*[{has(other)}]"):
        span.drop_tree()
    return " ".join(element.text_content().split())


def has(name: str) -> str:
    """An XPath test for a class: `//td[{has('id')}]`."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def one(root: HtmlElement, path: str) -> HtmlElement:
    """The one element an XPath finds."""
    found = root.xpath(path)
    assert len(found) == 1, f"{len(found)} elements match {path}"
    return found[0]


def figure(element: HtmlElement) -> float:
    """A figure as the English span prints it (1,234.5) read back."""
    return float(_drop(element, "en").replace(",", ""))


def check_score(root: HtmlElement, key: str, data: dict[str, Any]) -> None:
    """A totals card against the JSON report's score: points, maximum, index %, band, in
    both languages."""
    card = one(root, f"//*[@id='total-{key}']")
    for field in ("points", "maximum"):
        assert figure(one(card, f".//*[{has(field)}]")) == data[field], (key, field)
        assert _drop(one(card, f".//*[{has(field)}]"), "vi") == num(data[field], "vi")
    index = _drop(one(card, f".//*[{has('index')}]"), "en")
    assert (None if index == "—" else float(index)) == data["index"], key
    # the headline names the maximum the index is computed against (77,69 / 83 điểm được
    # chấm), not only the plan's 100, when not-applicable or pending points are left out
    scored = data["maximum"] - data["not_applicable"] - data["pending"]
    shown = card.xpath(f".//*[{has('scored')}]")
    if abs(scored - data["maximum"]) > 1e-9:
        assert shown and figure(shown[0]) == pytest.approx(scored), key
    else:
        assert not shown
    band = data["band"] or {"vi": "—", "en": "—"}
    assert _drop(one(card, f".//*[{has('band')}]"), "vi") == band["vi"]
    assert _drop(one(card, f".//*[{has('band')}]"), "en") == band["en"]


@pytest.mark.parametrize("case", CASE_IDS)
def test_the_page_carries_the_json_reports_totals(cases, case):
    report, appraisal, page = cases[case]
    data = json.loads(render_json(report, appraisal))
    root = parse(page)
    check_score(root, "self", data["self_assessment"])
    check_score(root, "projected", data["projected_appraisal"])
    if appraisal is None:
        assert not root.xpath("//*[@id='total-appraised']")
    else:
        check_score(root, "appraised", data["appraised"])
    for area in data["areas"]:
        section = one(root, f"//section[{has('area')} and @data-area='{area['id']}']")
        own = area["self_assessment"]
        assert figure(one(section, f".//td[{has('area-points')}]")) == own["points"]
        assert figure(one(section, f".//td[{has('area-maximum')}]")) == own["maximum"]
        if appraisal is not None:
            assert figure(one(section, f".//td[{has('area-appraised')}]")) == \
                area["appraised"]["points"]
    assert len(root.xpath(f"//section[{has('area')}]")) == len(data["areas"])


@pytest.mark.parametrize("case", CASE_IDS)
def test_every_rule_is_in_the_page_with_its_explanation(cases, case):
    report, appraisal, page = cases[case]
    root = parse(page)
    rules = [*report.outcomes, *report.adjustments]
    assert len(root.xpath(f"//tbody[{has('rule')}]")) == len(rules)
    for outcome in rules:
        body = one(root, f"//tbody[@id='rule-{outcome.rule}']")
        assert _drop(one(body, f".//td[{has('id')}]"), "vi").startswith(outcome.rule)
        badge = one(body, f".//td[{has('status')}]/*[{has('badge')}]")
        assert _drop(badge, "vi") == outcome.status_label.vi
        assert _drop(badge, "en") == outcome.status_label.en
        details = _drop(one(body, ".//details"), "vi")
        assert " ".join(outcome.explanation.test.vi.split()) in details
        assert " ".join(outcome.info.quote.split()) in details
        if outcome.info.departs_from_text is not None:
            assert "⚑" in _drop(one(body, f".//td[{has('id')}]"), "vi")
        if appraisal is not None:
            item = appraisal.rules[outcome.rule]
            if item.reason:  # the city's reason, verbatim, beside the rule
                verdict = _drop(one(body, f".//tr[{has('verdict')}]"), "vi")
                assert " ".join(item.reason.split()) in verdict


def test_the_appraised_page_has_the_rounds_and_their_hashes(cases):
    for case in ("phuong5-2024", "phuong-thieu-du-lieu-2024"):
        report, appraisal, page = cases[case]
        assert appraisal is not None
        root = parse(page)
        summary = one(root, "//*[@id='rounds-summary']")
        assert len(summary.xpath("./tbody/tr")) == len(report.areas) + 1
        provenance = one(root, "//*[@id='provenance']").text_content()
        assert appraisal.file_sha256 in provenance
        for item in appraisal.rounds:
            assert item.sha256 in provenance
        assert appraisal.last_hash in one(root, "//*[@id='record']").text_content()


@pytest.mark.parametrize("case", CASE_IDS)
def test_provenance_names_every_file_and_hash(cases, case):
    report, _, page = cases[case]
    provenance = one(parse(page), "//*[@id='provenance']").text_content()
    for text in (report.facts_file.name, report.facts_file.sha256, report.pack.id,
                 report.pack.version, report.pack.sha256, report.tool.name, report.tool.version):
        assert text in provenance, text
    for name, sha256 in report.pack.files:
        assert name in provenance and sha256 in provenance, name


@pytest.mark.parametrize("case", CASE_IDS)
def test_warnings_are_in_the_page(cases, case):
    report, _, page = cases[case]
    root = parse(page)
    items = root.xpath(f"//*[@id='warnings']//li[{has('warning')}]")
    assert len(items) == len(report.warnings)
    for element, item in zip(items, report.warnings, strict=True):
        assert element.get("data-code") == item.code
        assert item.json_path in element.text_content()
        assert " ".join(item.vi.split()) in _drop(element, "vi")
        assert " ".join(item.en.split()) in _drop(element, "en")


def test_bonus_and_penalty_points_are_shown(cases):
    report, _, page = cases["anhoa-2025"]
    assert report.adjustments
    root = parse(page)
    section = one(root, "//*[@id='adjustments']")
    assert len(section.xpath(f".//tbody[{has('rule')}]")) == len(report.adjustments)
    line = _drop(one(root, f"//*[@id='total-self']/*[{has('line')}]"), "vi")
    assert "thưởng 2" in line and "trừ 3" in line and "chưa xếp Tốt" in line
    assert not parse(cases["phuong5-2024"][2]).xpath("//*[@id='adjustments']")


@pytest.mark.parametrize("case", CASE_IDS)
def test_the_chart_has_a_bar_per_area_to_scale(cases, case):
    report, _, page = cases[case]
    chart = one(parse(page), "//svg[@id='chart-areas']")
    assert chart.xpath("./title")
    bars = chart.xpath(".//g[@data-area]")
    assert [bar.get("data-area") for bar in bars] == [area.id for area in report.areas]
    scale = max(area.self_assessment.maximum for area in report.areas)
    for bar, area in zip(bars, report.areas, strict=True):
        width = float(one(bar, f"./rect[{has('pts')}]").get("width"))
        assert width == pytest.approx(CHART_BAR_WIDTH * area.self_assessment.points / scale,
                                      abs=0.006)
        assert float(one(bar, f"./rect[{has('max')}]").get("width")) >= width
        assert bar.xpath("./title")


@pytest.mark.parametrize("case", CASE_IDS)
def test_both_languages_are_in_the_page(cases, case):
    report, appraisal, page = cases[case]
    root = parse(page)
    assert root.get("lang") == "vi" and "show-vi" in root.get("class").split()
    spans = {lang: len(root.xpath(f"//*[{has(lang)}]")) for lang in ("vi", "en")}
    assert spans["vi"] > 100 and spans["vi"] == spans["en"]
    body = one(root, "//body")
    assert "Tự đánh giá" in _drop(body, "vi") and "Self-assessment" not in _drop(body, "vi")
    assert "Self-assessment" in _drop(body, "en") and "Tự đánh giá" not in _drop(body, "en")
    english = parse(render_html(report, "en", appraisal))
    assert english.get("lang") == "en" and "show-en" in english.get("class").split()
    assert english.findtext(".//title").startswith("CCHC SELF-ASSESSMENT SCORE")
    # Without JavaScript the chosen language still shows: the CSS hides the other one.
    assert "html.show-vi .en, html.show-en .vi { display: none !important; }" in page


def test_an_unknown_language_is_refused(cases):
    report, _, _ = cases["phuong5-2024"]
    with pytest.raises(ValueError, match="language"):
        render_html(report, "fr")


_URL_ATTRIBUTES = ("src", "href", "action", "formaction", "poster", "data", "srcset",
                   "background", "xlink:href", "{http://www.w3.org/1999/xlink}href")
_EXTERNAL = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:|//)", re.IGNORECASE)
_CSS_URL = re.compile(r"url\(|@import", re.IGNORECASE)


def external_references(page: str) -> list[str]:
    """Every reference the page makes outside itself: a URL with a scheme (other than data:)
    or a protocol-relative one in a URL attribute, any url() or @import in CSS."""
    root = parse(page)
    found = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        for name, value in element.attrib.items():
            if name in _URL_ATTRIBUTES and _EXTERNAL.match(value) and \
                    not value.strip().lower().startswith("data:"):
                found.append(f"<{element.tag} {name}={value}>")
            if name == "style" and _CSS_URL.search(value):
                found.append(f"<{element.tag} style={value}>")
    for style in root.iter("style"):
        found += [f"<style> {match.group(0)}" for match in _CSS_URL.finditer(style.text or "")]
    found += [f"<link {link.get('href')}>" for link in root.iter("link")]
    found += [f"<script src={s.get('src')}>" for s in root.iter("script") if s.get("src")]
    return found


@pytest.mark.parametrize("case", CASE_IDS)
def test_the_page_fetches_nothing(cases, case):
    _, _, page = cases[case]
    assert external_references(page) == []
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:|//)""", page, re.I)
    policy = one(parse(page), "//meta[@http-equiv='Content-Security-Policy']").get("content")
    assert policy.startswith("default-src 'none';")


def test_the_url_check_can_fail(cases):
    page = cases["phuong5-2024"][2]
    for bad in ('<img src="https://example.com/x.png">', '<a href="//example.com/">x</a>',
                '<div style="background: url(http://example.com/x.png)"></div>',
                '<link rel="stylesheet" href="x.css">'):
        assert external_references(page.replace("<body>", "<body>" + bad, 1)), bad


def _hostile_facts(tmp_path: Path) -> Path:
    data = json.loads((CASES / "phuong5-2024.json").read_text(encoding="utf-8"))
    data["unit"]["ward"] = f"Phường {HOSTILE}"
    data["prepared_by"] = f"{HOSTILE}<img src=x onerror=alert(2)>"
    data["facts"]["so_cuoc_thi_tim_hieu_cchc"]["note"] = f"</td></tr></table>{HOSTILE}"
    evidence = data["facts"]["so_van_ban_chi_dao_cchc"]["evidence"][0]
    evidence["number"] = '"><svg onload=alert(3)>'
    # A document named by its title only reads the same in both languages.
    data["facts"]["so_van_ban_chi_dao_cchc"]["evidence"].append({"title": "<b>alert(4)</b>"})
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_the_facts_files_texts_come_out_inert(pack, scorer, tmp_path):
    report = scorer.score(load_ward(_hostile_facts(tmp_path), pack.location)[1])
    page = render_html(report)
    root = parse(page)
    scripts = root.xpath("//script")
    assert len(scripts) == 1 and "alert" not in scripts[0].text_content()  # ours, only
    assert not root.xpath("//img") and not root.xpath("//*[@onerror or @onload]")
    assert len(root.xpath("//svg")) == 1  # the chart
    assert HOSTILE in one(root, "//*[@id='unit']").text_content()  # shown as text
    assert HOSTILE in one(root, "//*[@id='prepared']").text_content()
    rule = one(root, "//tbody[@id='rule-CDDH-05']")
    assert f"</td></tr></table>{HOSTILE}" in rule.text_content()
    documents = one(root, f"//tbody[@id='rule-CDDH-02']//td[{has('docs')}]")
    assert '"><svg onload=alert(3)>' in documents.text_content()
    # the unit's name in a warning
    assert HOSTILE in one(root, "//*[@id='warnings']").text_content()
    assert not root.xpath("//details//b[contains(., 'alert(4)')]")
    assert "<b>alert(4)</b>" in one(root, "//tbody[@id='rule-CDDH-02']//details").text_content()
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    # The page still has every rule: nothing the texts held closed a table early.
    assert len(root.xpath(f"//tbody[{has('rule')}]")) == len(report.outcomes)


def test_every_text_is_escaped_in_both_languages():
    assert bilingual(Text("<b>vi</b>", "<b>en</b>")) == (
        '<span class="vi" lang="vi">&lt;b&gt;vi&lt;/b&gt;</span>'
        '<span class="en" lang="en">&lt;b&gt;en&lt;/b&gt;</span>')
    assert bilingual(Text("<b>", "<b>")) == "&lt;b&gt;" == bilingual("<b>")
    assert bilingual(None) == ""


def test_the_page_is_deterministic(cases):
    report, appraisal, page = cases["phuong5-2024"]
    assert render_html(report, "vi", appraisal) == page


def test_the_print_stylesheet_is_a4_with_the_decree_margins(cases):
    page = cases["phuong5-2024"][2]
    assert "@page { size: A4; margin: 20mm 15mm 20mm 30mm; }" in page
    print_css = page[page.index("@media print"):]
    assert ".toolbar, .no-print { display: none !important; }" in print_css
    assert "details::details-content" in print_css


def normalised(report: Report) -> Report:
    """What changes without a change of score left out (as the JSON golden does): the tool's
    version and the pack files' hashes."""
    pack = dataclasses.replace(report.pack, sha256="<sha256>", files=tuple(
        (name, "<sha256>") for name, _ in report.pack.files))
    return dataclasses.replace(report, tool=ToolInfo(report.tool.name, "<version>"), pack=pack)


def test_the_page_matches_its_golden_file(pack, scorer, request):
    """cases/expected/phuong5-2024.report.html, byte for byte (pytest --update-golden)."""
    report, appraisal = score(pack, scorer, CASES / "phuong5-2024.json")
    assert appraisal is not None
    _golden(request, GOLDEN, render_html(normalised(report), "vi", appraisal))
