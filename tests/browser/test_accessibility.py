"""Accessibility: axe-core (from node_modules, injected into the page) on every page type of the
paper's site, and in the states a reader puts pages in: no serious or critical violations."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Literal

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import OPEN_SHADOW_ROOTS, screenshot, served
from tests.conftest import PROJECT, build

AXE = PROJECT / "node_modules" / "axe-core" / "axe.min.js"
PAGE_TYPES = {
    "home": "",
    "studies": "studies/",
    "study": "studies/waring-crompton-2017/",
    "evidence matrix": "studies/waring-crompton-2017/matrix/",
    "notes on the source": "studies/waring-crompton-2017/source-notes/",
    "models": "models/",
    "model with its diagram": "models/movement-for-improvement/",
    "stage": "stages/framing/",
    "findings": "findings/",
    "finding": "findings/whisper-campaign/",
    "quotations": "quotes/",
    "roles": "roles/",
    "role": "roles/doctor/",
    "speaker group": "groups/frontline-clinicians/",
    "concepts": "concepts/",
    "concept": "concepts/change-fatigue/",
    "bibliography": "bibliography/",
    "reference": "bibliography/bate2004/",
    "how to cite": "how-to-cite/",
    "about": "about/",
}


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A tab that asks for reduced motion, as many readers do: the theme then draws each state at
    once (its tabs fade in over up to 0.45 s otherwise, and a check in mid-fade measures a colour
    no reader is left with)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, reduced_motion="reduce")
    tab = context.new_page()
    yield tab
    context.close()


SETTLED = """() => document.fonts.status === "loaded" &&
  document.getAnimations().every((a) => a.playState !== "running")"""


def serious_violations(page: Page) -> list[str]:
    """axe-core's serious and critical violations of the page once it has settled (fonts loaded,
    no transition or animation running), one line each."""
    page.wait_for_function(SETTLED)
    page.add_script_tag(path=str(AXE))
    result: dict[str, Any] = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:5]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(("name", "path"), PAGE_TYPES.items(), ids=PAGE_TYPES.keys())
def test_page_type_has_no_serious_accessibility_violations(
    browser: Browser, paper_url: str, name: str, path: str, scheme: Literal["light", "dark"]
) -> None:
    assert violations_in_scheme(browser, paper_url + path, name, scheme) == []


def violations_in_scheme(
    browser: Browser, url: str, name: str, scheme: Literal["light", "dark"]
) -> list[str]:
    """serious_violations of the page at url in the colour scheme a reader's system asks for,
    diagrams drawn; a screenshot of it is kept under the page type's name."""
    # The site follows the reader's system: the dark scheme is the one a dark system gets.
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, reduced_motion="reduce", color_scheme=scheme
    )
    page = context.new_page()
    page.add_init_script(OPEN_SHADOW_ROOTS)  # so axe also checks the drawn diagram
    page.goto(url)
    page.wait_for_load_state("networkidle")
    drawn = page.evaluate("document.body.dataset.mdColorScheme")
    assert drawn == {"light": "default", "dark": "slate"}[scheme]
    violations = serious_violations(page)
    screenshot(page, f"page-type-{name.replace(' ', '-')}-{scheme}")
    context.close()
    return violations


def test_printing_is_light_when_the_screen_is_dark(browser: Browser, paper_url: str) -> None:
    context = browser.new_context(color_scheme="dark")
    page = context.new_page()
    page.goto(paper_url + "findings/whisper-campaign/")
    colours = (
        "[getComputedStyle(document.body).backgroundColor, getComputedStyle(document.body).color]"
    )
    screen = page.evaluate(colours)
    page.emulate_media(media="print")
    printed = page.evaluate(colours)
    context.close()
    assert screen[0] != "rgb(255, 255, 255)"
    assert printed == ["rgb(255, 255, 255)", "rgba(0, 0, 0, 0.87)"]


def test_tabs_hidden_by_scrolling_and_shown_again_have_no_serious_violations(
    page: Page, paper_url: str
) -> None:
    page.goto(paper_url + "bibliography/bate2004/")
    page.wait_for_load_state("networkidle")
    page.mouse.wheel(0, 2000)  # the theme hides the tabs once the page scrolls
    page.wait_for_function("document.querySelector('.md-tabs').hidden")
    assert serious_violations(page) == []
    page.mouse.wheel(0, -4000)
    page.wait_for_function("!document.querySelector('.md-tabs').hidden")
    assert serious_violations(page) == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_open_search_results_and_cite_this_have_no_serious_violations(
    browser: Browser, paper_url: str, scheme: Literal["light", "dark"]
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    page.goto(paper_url + "findings/whisper-campaign/")
    page.wait_for_load_state("networkidle")
    page.locator("details.cite-this summary").first.click()
    search = page.locator("input.md-search__input")
    search.click()
    search.press_sequentially("whisper", delay=20)
    page.locator(".md-search-result__item").first.wait_for(timeout=30_000)
    expect(page.locator(".evidence-search-kind").first).to_be_visible()
    screenshot(page, f"search-results-{scheme}")
    assert serious_violations(page) == []
    context.close()


def test_filtered_explorer_has_no_serious_violations(page: Page, paper_url: str) -> None:
    page.goto(paper_url + "quotes/")
    form = page.locator("form.quote-explorer")
    form.wait_for(state="visible", timeout=10_000)
    form.locator("select[name=group]").select_option(label="Senior managers")
    assert serious_violations(page) == []


def test_summary_of_qualitative_findings_has_no_serious_violations(
    page: Page, assessed_url: str
) -> None:
    page.goto(assessed_url + "soqf/")
    page.wait_for_load_state("networkidle")
    assert page.locator("article table").count() == 1
    assert serious_violations(page) == []


def test_a_keyboard_preview_has_no_serious_violations(page: Page, paper_url: str) -> None:
    page.goto(paper_url + "stages/framing/")
    page.wait_for_load_state("networkidle")
    page.locator("article a").first.focus()
    while not page.evaluate("document.activeElement.matches('.md-content a[title]')"):
        page.keyboard.press("Tab")
    page.locator(".evidence-tip").wait_for(state="visible")
    assert serious_violations(page) == []


REVIEW_PAGES = {
    "review with its flow diagram": "reviews/owning-change-review/",
    "review finding": "review-findings/someone-must-keep-it/",
    "summary of qualitative findings of a review": "reviews/owning-change-review/soqf/",
    "evidence profile": "reviews/owning-change-review/evidence-profile/",
}


@pytest.fixture(scope="module")
def example_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The example review (examples/review), built and served."""
    import shutil

    root = tmp_path_factory.mktemp("example") / "review"
    for part in ("content", "bib", "sources"):
        shutil.copytree(PROJECT / "examples" / "review" / part, root / part)
    assert build(root) == 0
    with served(root / "site") as url:
        yield url


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(("name", "path"), REVIEW_PAGES.items(), ids=REVIEW_PAGES.keys())
def test_review_pages_have_no_serious_accessibility_violations(
    browser: Browser, example_url: str, name: str, path: str, scheme: Literal["light", "dark"]
) -> None:
    assert violations_in_scheme(browser, example_url + path, name, scheme) == []
