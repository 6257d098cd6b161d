"""The printable HTML report in a real browser: Debian's chromium, headless, driven by Playwright.

The page shows the report's totals, its chart has a bar per area, the language switch shows
English, an explanation opens (and every one is shown in print), a screenshot and an A4 PDF print
come out; and loading and using the page makes no request but for the page itself. Without
chromium or Playwright the tests are skipped, except on CI (`CI` set), where they fail.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NoReturn

import pytest
from conftest import CASES
from test_html import score

from cchc.reports.figures import index, num
from cchc.reports.html_report import render_html
from cchc.scoring.appraisal import Appraisal
from cchc.scoring.report import Report

CHROMIUM = os.environ.get("CCHC_CHROMIUM", "/usr/bin/chromium")
# No sandbox (root in a container), nothing fetched in the background: the only requests are
# the page's.
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# Records what a page tries to fetch that its Content-Security-Policy refuses.
VIOLATIONS = """window.__violations = [];
document.addEventListener("securitypolicyviolation",
                          function (event) { window.__violations.push(event.blockedURI); });"""


def unavailable(reason: str) -> NoReturn:
    """Skip locally; on CI, where the browser must be there, fail."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI must run the browser tests)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One headless chromium for the module."""
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        unavailable("the playwright package is not installed (pip install playwright)")
    if not (Path(CHROMIUM).is_file() or shutil.which(CHROMIUM)):
        unavailable(f"no chromium at {CHROMIUM} (apt-get install chromium, or set "
                    "CCHC_CHROMIUM)")
    with sync_playwright() as playwright:
        try:
            launched = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        except Error as error:
            unavailable(f"chromium at {CHROMIUM} does not start: {error}")
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def ward(pack, scorer) -> tuple[Report, Appraisal]:
    report, appraisal = score(pack, scorer, CASES / "phuong5-2024.json")
    assert appraisal is not None
    return report, appraisal


@pytest.fixture(scope="module")
def page_file(ward, tmp_path_factory) -> Path:
    report, appraisal = ward
    path = tmp_path_factory.mktemp("html") / "phuong5-2024.report.html"
    path.write_text(render_html(report, "vi", appraisal), encoding="utf-8")
    return path


def test_the_page_shows_the_report_switches_language_and_prints(browser, ward, page_file,
                                                                 tmp_path):
    report, appraisal = ward
    page = browser.new_page(viewport={"width": 1000, "height": 1400})
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(page_file.as_uri())
    own = report.self_assessment

    def shown(selector: str) -> str:
        return " ".join(page.locator(selector).inner_text().split())

    assert shown("#total-self .points") == num(own.points, "vi")
    assert shown("#total-self .maximum") == num(own.maximum, "vi")
    assert shown("#total-self .index") == index(own, "vi")
    assert shown("#total-self .band") == own.band.vi
    assert shown("#total-projected .points") == num(report.projected_appraisal.points, "vi")
    assert shown("#total-appraised .points") == num(appraisal.final.points, "vi")
    assert page.locator(".toolbar").is_visible()  # the script ran
    # The chart: a bar per area, drawn (a width on screen) wherever the area has points.
    bars = page.locator("#chart-areas g[data-area]")
    assert bars.count() == len(report.areas)
    for number, area in enumerate(report.areas):
        bar = bars.nth(number)
        assert bar.get_attribute("data-area") == area.id
        width = bar.locator("rect.pts").evaluate("rect => rect.getBoundingClientRect().width")
        assert (width > 1) == (area.self_assessment.points > 0), area.id
        assert bar.locator("rect.max").bounding_box()["width"] >= width
    # The language switch.
    assert page.locator("#total-self h3 .en").is_hidden()
    page.click("button[data-lang=en]")
    assert page.evaluate("document.documentElement.lang") == "en"
    assert shown("#total-self .points") == num(own.points, "en")
    assert shown("#total-self h3") == "Self-assessment score"
    assert page.locator("#total-self h3 .vi").is_hidden()
    assert page.title().startswith("CCHC SELF-ASSESSMENT SCORE")
    page.click("button[data-lang=vi]")
    assert shown("#total-self h3") == "Điểm tự đánh giá"
    # An explanation opens; in print every one shows, closed or not, and the buttons do not.
    rule = page.locator("tbody#rule-CDDH-05")
    assert rule.locator("details dl").is_hidden()
    rule.locator("details summary").click()
    assert rule.locator("details").evaluate("details => details.open")
    assert rule.locator("details dl").is_visible()
    closed = page.locator("tbody#rule-CDDH-06 details dl")
    assert closed.is_hidden()
    page.emulate_media(media="print")
    assert closed.is_visible()
    assert page.locator(".toolbar").is_hidden()
    page.emulate_media(media="screen")
    assert closed.is_hidden()
    # A screenshot and an A4 print.
    png = tmp_path / "report.png"
    page.screenshot(path=str(png))
    data = png.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 50_000
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF-")
    pages = len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))
    assert pages >= 10, pages  # every explanation printed: dozens of pages
    (tmp_path / "report.pdf").write_bytes(pdf)
    assert errors == []
    page.close()


def requests_of(browser: Any, path: Path, html: str) -> tuple[list[str], list[str]]:
    """Load `html` from `path`, use it (switch language, open everything, print), and return
    every request it made and every fetch its Content-Security-Policy refused."""
    path.write_text(html, encoding="utf-8")
    context = browser.new_context()
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))

    def route(route: Any) -> None:  # nothing beyond the page itself is ever served
        if route.request.url == path.as_uri():
            route.continue_()
        else:
            route.abort()

    context.route("**/*", route)
    context.add_init_script(VIOLATIONS)
    page = context.new_page()
    page.goto(path.as_uri(), wait_until="load")
    page.click("button[data-lang=en]")
    page.click("#expand-all")
    page.emulate_media(media="print")
    page.pdf(format="A4")
    page.wait_for_load_state("networkidle")
    refused = page.evaluate("window.__violations")
    context.close()
    return requests, refused


def test_the_page_requests_nothing_but_itself(browser, page_file, tmp_path):
    html = page_file.read_text(encoding="utf-8")
    path = tmp_path / "page.html"
    assert requests_of(browser, path, html) == ([path.as_uri()], [])


def test_an_external_image_would_be_caught(browser, page_file, tmp_path):
    """The check can fail: an image from the web is seen as a request, or as a fetch the
    page's Content-Security-Policy refused when the policy is there."""
    html = page_file.read_text(encoding="utf-8")
    image = '<img src="https://example.com/x.png" alt="">'
    with_image = html.replace("<body>", "<body>" + image, 1)
    path = tmp_path / "page.html"
    requests, refused = requests_of(browser, path, with_image)
    assert refused == ["https://example.com/x.png"]
    policy = re.compile(r'<meta http-equiv="Content-Security-Policy"[^>]*>')
    assert policy.search(with_image)
    requests, refused = requests_of(browser, path, policy.sub("", with_image))
    assert "https://example.com/x.png" in requests and refused == []


def test_without_javascript_the_chosen_language_shows(browser, ward, tmp_path):
    report, appraisal = ward
    path = tmp_path / "english.html"
    path.write_text(render_html(report, "en", appraisal), encoding="utf-8")
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(path.as_uri())
    title = page.locator("#total-self h3")
    assert " ".join(title.inner_text().split()) == "Self-assessment score"
    assert title.locator(".vi").is_hidden()
    assert page.locator(".toolbar").is_hidden()  # buttons that could not work are not shown
    context.close()
