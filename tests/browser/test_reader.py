"""What a reader does, in a real browser: follow the evidence, search, hover, copy a citation."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import parse_qsl

from playwright.sync_api import Page, Route, expect

from tests.browser.conftest import OPEN_SHADOW_ROOTS, Site, screenshot, served
from tests.conftest import MINI, build, copy_corpus


def test_home_to_stage_to_finding_to_quotation_to_reference_and_back(
    page: Page, site: Site
) -> None:
    page.goto(site.url("index.md"))
    if not site.offline:
        screenshot(page, "home")
    page.locator("article").get_by_role("link", name="Stage 2: Mobilising").first.click()
    expect(page.locator("h1")).to_contain_text("Stage 2: Mobilising")
    if not site.offline:
        screenshot(page, "stage")
    page.locator("article").get_by_role("link", name="The whisper campaign").first.click()
    expect(page.locator("h1")).to_contain_text("The whisper campaign")
    if not site.offline:
        screenshot(page, "finding")
    quote = page.locator("#q-whisper-nursing-director")
    quote.get_by_role("link", name="permalink #q-whisper-nursing-director").click()
    assert page.url == site.url("findings/whisper-campaign.md", "q-whisper-nursing-director")
    expect(quote).to_be_in_viewport()
    page.locator("article a[href*='bibliography/waring2017']").first.click()
    expect(page.locator("h1")).to_contain_text("Waring and Crompton 2017")
    screenshot(page, "reference-offline" if site.offline else "reference")
    cited_by = page.locator("#_cited-by + ul")
    cited_by.get_by_role("link", name="The whisper campaign").click()
    expect(page.locator("h1")).to_contain_text("The whisper campaign")


def test_search_finds_a_quotation_by_a_phrase(page: Page, site: Site) -> None:
    page.goto(site.url("index.md"))
    page.wait_for_load_state("networkidle")  # the search index is loaded by then
    search = page.locator("input.md-search__input")
    search.click()
    search.press_sequentially("pyramid selling", delay=30)
    results = page.locator(".md-search-result__item")
    expect(results.first).to_be_visible(timeout=30_000)
    assert "pyramid selling" in results.first.inner_text()
    screenshot(page, "search-offline" if site.offline else "search")
    results.first.locator("a").first.click()
    expect(page.locator("article")).to_contain_text("it’s like pyramid selling")


def test_a_citation_shows_the_full_reference_on_hover_and_keyboard_focus(
    page: Page, paper_url: str
) -> None:
    page.goto(paper_url + "stages/framing/")
    link = page.locator("article a[href*='bibliography/benford2000']").first
    # On hover the browser shows the link's title (not drawn in the page, so read it).
    expect(link).to_have_attribute("title", re.compile("Framing processes and social movements"))
    expect(link).to_have_accessible_description(re.compile(r"^Benford, R\. and Snow, D\. \(2000\)"))
    preview = page.locator(".evidence-tip")
    link.hover()
    expect(preview).to_be_hidden()  # the browser's own tooltip, not a second one
    page.locator("article a").first.focus()
    while not link.evaluate("(element) => element === document.activeElement"):
        page.keyboard.press("Tab")
    expect(preview).to_be_visible()
    expect(preview).to_have_text(link.get_attribute("title") or "")
    box, shown = link.bounding_box(), preview.bounding_box()
    assert box and shown and shown["y"] >= box["y"] + box["height"]  # below the link
    page.keyboard.press("Escape")
    expect(preview).to_be_hidden()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    expect(preview).to_be_visible()
    link.blur()
    expect(preview).to_be_hidden()


def test_cite_this_gives_an_absolute_permalink(page: Page, paper_url: str) -> None:
    page.goto(paper_url + "findings/whisper-campaign/")
    box = page.locator("details.cite-this").first
    box.locator("summary").click()
    reference = box.locator("pre code").first.inner_text()
    assert f"Available at: {paper_url}findings/whisper-campaign/." in reference
    screenshot(page, "cite-this")


def test_the_browser_dates_the_access_and_gives_coins_their_address(
    page: Page, paper_url: str
) -> None:
    """The site is built without an address: evidence.js adds each COinS item's permalink (the
    translators take only http(s) ones) and makes the access date the reader's own day."""
    page.goto(paper_url + "findings/whisper-campaign/")
    today = page.evaluate(
        "(() => { const d = new Date(); return [d.getFullYear(), d.getMonth() + 1, d.getDate()]; })()"
    )
    box = page.locator("details.cite-this").first
    bibtex, csl = (box.locator("pre code").nth(i).text_content() or "" for i in (1, 2))
    item = json.loads(csl)
    assert item["accessed"] == {"date-parts": [today]}
    released = page.locator('meta[name="DC.date"]').get_attribute("content") or ""
    assert item["issued"] == {"date-parts": [[int(p) for p in released.split("-")]]}
    assert f"  urldate = {{{today[0]}-{today[1]:02d}-{today[2]:02d}}}," in bibtex
    coins = page.locator("span.Z3988").evaluate_all("spans => spans.map(s => s.title)")
    addresses = [dict(parse_qsl(title))["rft_id"] for title in coins]
    assert addresses[0] == paper_url + "findings/whisper-campaign/"
    assert all(a.startswith(paper_url + "findings/whisper-campaign/#q-") for a in addresses[1:])
    assert len(addresses) == 1 + page.locator("figure.evidence-quote").count()


def test_without_javascript_citations_stay_plain_working_links(browser, paper_url: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(paper_url + "stages/framing/")
    link = page.locator("article a[href*='bibliography/benford2000']").first
    assert link.get_attribute("title").startswith("Benford, R. and Snow, D. (2000)")
    link.click()
    expect(page.locator("h1")).to_contain_text("Benford and Snow 2000")
    context.close()


def test_without_javascript_the_quotations_page_is_the_plain_complete_table(
    browser,  # type: ignore[no-untyped-def]
    paper_url: str,
) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(paper_url + "quotes/")
    expect(page.locator("form.quote-explorer")).to_be_hidden()
    rows = page.locator("article table tbody tr")
    expect(rows).to_have_count(41)
    rows.filter(has_text="We called it a whisper campaign").get_by_role("link").first.click()
    assert page.url.endswith("/findings/whisper-campaign/#q-whisper-nursing-director")
    context.close()


def test_a_finding_prints_with_its_quotations_and_references(page: Page, paper_url: str) -> None:
    page.goto(paper_url + "findings/whisper-campaign/")
    page.emulate_media(media="print")
    expect(page.locator("#q-whisper-nursing-director blockquote")).to_be_visible()
    expect(page.locator("#_works-cited + ul")).to_contain_text("Sociology of Health & Illness")
    expect(page.locator("details.cite-this").first).to_be_hidden()
    expect(page.locator(".md-header")).to_be_hidden()
    screenshot(page, "finding-print")


def test_quotations_explorer_filters_and_links_to_each_quotation(page: Page, site: Site) -> None:
    page.goto(site.url("quotes/index.md"))
    form = page.locator("form.quote-explorer")
    expect(form).to_be_visible(timeout=10_000)
    expect(form.locator(".explorer-count")).to_have_text("41 of 41 quotations")
    expect(page.locator("article table")).to_be_visible()
    form.locator("select[name=group]").select_option(label="Senior managers")
    form.locator("select[name=stage]").select_option(label="Stage 2: Mobilising")
    form.locator("input[name=words]").fill("whisper")
    expect(form.locator(".explorer-count")).to_have_text("1 of 41 quotations")
    expect(page.locator("article table")).to_be_hidden()  # the matches replace the table
    if not site.offline:
        screenshot(page, "explorer")
    page.locator(".explorer-results a").first.click()
    assert page.url == site.url("findings/whisper-campaign.md", "q-whisper-nursing-director")


# Sums the layout shifts the browser records from the start (what Lighthouse reports as
# cumulative layout shift), in window.shifted.
RECORD_SHIFTS = """window.shifted = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) { if (!entry.hadRecentInput) window.shifted += entry.value; }
}).observe({type: "layout-shift", buffered: true});"""


def test_the_explorer_takes_its_place_before_its_data_arrives(page: Page, paper_url: str) -> None:
    held: list[Route] = []
    page.route("**/data/evidence.json", lambda route: held.append(route))
    page.add_init_script(RECORD_SHIFTS)
    page.goto(paper_url + "quotes/", wait_until="load")
    form = page.locator("form.quote-explorer")
    expect(form).to_be_visible()
    expect(form.locator("select[name=group]")).to_be_disabled()
    expect(form.locator(".explorer-count")).to_have_text("Loading the quotations…")
    table = page.locator("article table").bounding_box()
    page.wait_for_timeout(200)
    assert len(held) == 1  # the data is still on its way
    held[0].continue_()
    expect(form.locator(".explorer-count")).to_have_text("41 of 41 quotations")
    expect(form.locator("select[name=group]")).to_be_enabled()
    assert page.locator("article table").bounding_box() == table
    assert page.evaluate("window.shifted") <= 0.05


def test_the_model_diagram_links_each_stage_and_has_a_text_alternative(
    page: Page, site: Site
) -> None:
    page.add_init_script(OPEN_SHADOW_ROOTS)
    page.goto(site.url("models/movement-for-improvement.md"))
    diagram = page.locator("article div.mermaid svg")
    expect(diagram).to_be_visible(timeout=15_000)  # drawn by the vendored Mermaid, no CDN
    expect(page.locator("article pre.mermaid")).to_have_count(0)
    title = diagram.locator("title").first
    expect(title).to_have_text("Three-stage model of a movement for improvement")
    expect(diagram.locator("desc").first).to_contain_text(
        "1. Framing; 2. Mobilising; 3. Sustaining and mainstreaming."
    )
    in_words = page.locator("article ol").first.get_by_role("link")
    expect(in_words).to_have_text(
        ["Stage 1: Framing", "Stage 2: Mobilising", "Stage 3: Sustaining and mainstreaming"]
    )
    if not site.offline:
        screenshot(page, "model")
    diagram.locator("a").filter(has_text="2. Mobilising").click()
    expect(page.locator("h1")).to_contain_text("Stage 2: Mobilising")
    assert page.url == site.url("stages/mobilising.md")


def test_a_stage_title_with_markup_is_drawn_as_text_in_the_diagram(
    page: Page, tmp_path: Path
) -> None:
    root = copy_corpus(MINI, tmp_path / "mini")
    model = root / "content" / "model.yaml"
    hostile = '<img src=x onerror="window.pwned=1"> "Framing" & #1'
    model.write_text(
        model.read_text(encoding="utf-8").replace(
            "    title: Framing\n", f"    title: '{hostile}'\n"
        ),
        encoding="utf-8",
    )
    assert build(root) == 0
    page.add_init_script(OPEN_SHADOW_ROOTS)
    with served(root / "site") as url:
        page.goto(url + "models/three-stages/")
        diagram = page.locator("article div.mermaid svg")
        expect(diagram).to_be_visible(timeout=15_000)
        expect(diagram.locator("a").filter(has_text="Framing")).to_contain_text(hostile)
        assert diagram.locator("img").count() == 0
        assert page.evaluate("window.pwned") is None


def test_next_walks_the_studys_findings_in_section_order_and_previous_walks_back(
    page: Page, paper_url: str
) -> None:
    page.goto(paper_url + "studies/waring-crompton-2017/")
    # The study page lists its findings under its sections, in order: the order to walk.
    titles: list[str] = page.evaluate(
        """() => {
          const found = [];
          let node = document.getElementById("_findings").nextElementSibling;
          for (; node && node.tagName !== "H2"; node = node.nextElementSibling) {
            if (node.tagName === "UL") found.push(...[...node.querySelectorAll("li > a")].map((a) => a.textContent));
          }
          return found;
        }"""
    )
    assert len(titles) > 20
    page.goto(paper_url + "findings/task-and-finish-group/")
    pager = page.get_by_role("navigation", name="Previous and next finding")
    previous = pager.get_by_role("link", name=re.compile("^Previous finding: "))
    following = pager.get_by_role("link", name=re.compile("^Next finding: "))

    def title() -> str:
        return page.locator("h1").inner_text().removesuffix("¶")

    walked = [title()]
    expect(previous).to_have_count(0)
    while following.count():
        target = following.evaluate("(a) => a.href")
        following.focus()
        page.keyboard.press("Enter")  # the keyboard alone
        page.wait_for_url(target)
        walked.append(title())
    assert walked == titles
    back = [title()]
    while previous.count():
        target = previous.evaluate("(a) => a.href")
        previous.click()
        page.wait_for_url(target)
        back.append(title())
    assert back == titles[::-1]
    screenshot(page, "finding-first")


def test_the_explorer_filters_by_study_and_names_each_quotations_study(
    page: Page, tmp_path: Path
) -> None:
    from tests.test_several_studies import FICTIONAL_LABEL, two_studies

    root = two_studies(tmp_path / "two")
    assert build(root) == 0
    with served(root / "site") as url:
        page.goto(url + "quotes/")
        form = page.locator("form.quote-explorer")
        expect(form.locator(".explorer-count")).to_have_text("5 of 5 quotations", timeout=10_000)
        form.locator("select[name=study]").select_option(label=FICTIONAL_LABEL)
        expect(form.locator(".explorer-count")).to_have_text("3 of 5 quotations")
        speakers = page.locator(".explorer-results .explorer-speaker").all_text_contents()
        assert len(speakers) == 3
        assert all(f" · {FICTIONAL_LABEL} · " in who for who in speakers)
        form.locator("input[name=words]").fill("whisper")
        expect(form.locator(".explorer-count")).to_have_text("1 of 5 quotations")
        page.locator(".explorer-results a").first.click()
        assert page.url == url + "findings/ward-sisters-owned-the-change/#q-fictional-whisper"
