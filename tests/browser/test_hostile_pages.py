"""Text stays text in a real browser: every page of the hostile corpus (tests/hostile.py) opened in
Chromium, with the theme's and our scripts running (Mermaid, link previews, search, the quotations
explorer), runs no payload and holds no element or attribute it made, online and offline."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import OPEN_SHADOW_ROOTS, Site, served
from tests.hostile import HostileCorpus, build_hostile_sites, head

# What the payloads would have made, looked for in the live DOM and every open shadow root.
MADE_BY_PAYLOAD = """() => {
  const found = [];
  const walk = (root) => {
    for (const el of root.querySelectorAll("*")) {
      const name = el.localName;
      if (name.startsWith("x-hostile-")) found.push("element " + name);
      if (name === "img" && el.getAttribute("src") === "x") found.push("img src=x");
      if (name === "script" && !/json/.test(el.type) && /alert\\(/.test(el.textContent))
        found.push("script " + el.textContent.slice(0, 60));
      for (const a of el.attributes) {
        if (/^on/i.test(a.name) && /alert\\(/.test(a.value)) found.push(a.name + " on " + name);
        if (/href|src/.test(a.name) && /^\\s*javascript:.*alert\\(/i.test(a.value))
          found.push("javascript: " + a.name + " on " + name);
      }
      if (el.shadowRoot) walk(el.shadowRoot);
    }
  };
  walk(document);
  return found;
}"""


@pytest.fixture(scope="session")
def hostile_corpus(tmp_path_factory: pytest.TempPathFactory) -> HostileCorpus:
    return build_hostile_sites(tmp_path_factory.mktemp("hostile-browser") / "mini")


@pytest.fixture(params=["served", "offline"])
def hostile_site(request: pytest.FixtureRequest, hostile_corpus: HostileCorpus) -> Iterator[Site]:
    if request.param == "offline":
        yield Site((hostile_corpus.root / "site-offline").as_uri() + "/", offline=True)
        return
    with served(hostile_corpus.root / "site") as url:
        yield Site(url, offline=False)


@pytest.fixture
def watched(page: Page) -> Iterator[tuple[Page, list[str]]]:
    """A page whose dialogs (alert, confirm, prompt) are recorded and dismissed."""
    dialogs: list[str] = []

    def record(dialog) -> None:  # type: ignore[no-untyped-def]
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", record)
    page.add_init_script(OPEN_SHADOW_ROOTS)
    yield page, dialogs


def test_every_page_runs_no_payload_and_holds_nothing_it_made(
    watched: tuple[Page, list[str]], hostile_site: Site, hostile_corpus: HostileCorpus
) -> None:
    page, dialogs = watched
    docs = hostile_corpus.root / "build" / ("docs-offline" if hostile_site.offline else "docs")
    sources = sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*.md"))
    assert len(sources) >= 25
    found = []
    for source in sources:
        page.goto(hostile_site.url(source))
        page.wait_for_load_state("load")
        # Hover what a tooltip could draw (titled links, truncated headings and navigation
        # entries), and move the keyboard through the page (our previews of titled links).
        for target in page.locator(
            "article a[title]:visible, .md-ellipsis:visible"
        ).element_handles()[:8]:
            target.hover(force=True)
        for _ in range(25):
            page.keyboard.press("Tab")
        found.extend(f"{source}: {what}" for what in page.evaluate(MADE_BY_PAYLOAD))
    assert found == []
    assert dialogs == []


def test_the_diagram_draws_hostile_labels_as_text(
    watched: tuple[Page, list[str]], hostile_site: Site, hostile_corpus: HostileCorpus
) -> None:
    page, dialogs = watched
    page.goto(hostile_site.url("models/three-stages.md"))
    diagram = page.locator("article div.mermaid svg")
    expect(diagram).to_be_visible(timeout=15_000)
    number = hostile_corpus.number("stages[0].title")
    label = diagram.locator("a").filter(has_text=head(number))
    expect(label).to_have_count(1)
    assert (label.text_content() or "").endswith(f'{{: onclick="alert({number})" }}')
    model = hostile_corpus.number("models[0].title")
    alternative = diagram.locator("title").first.text_content() or ""
    assert head(model) in alternative
    assert f"[l{model}](javascript:alert({model}))" in alternative
    assert page.evaluate(MADE_BY_PAYLOAD) == []
    assert dialogs == []


def test_search_and_the_explorer_show_hostile_text_as_text(
    watched: tuple[Page, list[str]], hostile_site: Site, hostile_corpus: HostileCorpus
) -> None:
    page, dialogs = watched
    page.goto(hostile_site.url("quotes/index.md"))
    form = page.locator("form.quote-explorer")
    expect(form).to_be_visible(timeout=10_000)
    form.locator("input[name=words]").fill("onerror")
    results = page.locator(".explorer-results li")
    expect(results).to_have_count(2)
    number = hostile_corpus.number("quotes[0].text")
    expect(results.first).to_contain_text(head(number))
    page.wait_for_load_state("networkidle")
    search = page.locator("input.md-search__input")
    search.click()
    search.press_sequentially("hostile", delay=20)
    result = page.locator(".md-search-result__item").first
    expect(result).to_be_visible(timeout=30_000)
    assert page.evaluate(MADE_BY_PAYLOAD) == []
    search.fill("")
    search.press_sequentially(f"x{number}", delay=20)  # the quotation's payload, found by its tag
    expect(result).to_contain_text(head(number))  # shown as the text it is
    assert page.evaluate(MADE_BY_PAYLOAD) == []
    link = result.locator("a").first
    address = link.get_attribute("href") or ""
    assert "?" not in address  # the result's own address, no query of ours added
    link.click()
    page.wait_for_load_state("load")
    assert page.url == address
    assert page.evaluate(MADE_BY_PAYLOAD) == []
    assert dialogs == []
