"""The online site's search (render/search_index.py, assets/javascripts/search-worker.js) in
Chromium: each quotation found at its own address by a phrase of it, each reference by its title,
text from content shown as text. The offline copy's search (the theme's) is tested from file://
in test_reader."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from playwright.sync_api import Page, expect

from build_scripts.pipeline.load import load_project
from build_scripts.render.search_index import words
from tests.browser.conftest import screenshot
from tests.conftest import PROJECT

# Runs the site's own worker outside the theme, with the theme's messages: every query's result
# items, in order.
ASK_THE_WORKER = """
async (queries) => {
  const index = await (await fetch("search/search_index.json")).json();
  const worker = new Worker("javascripts/search-worker.js");
  const next = () => new Promise((resolve) => {
    worker.onmessage = (event) => resolve(event.data);
  });
  worker.postMessage({ type: 0, data: { config: index.config, docs: index.docs } });
  await next();
  const answers = [];
  for (const query of queries) {
    worker.postMessage({ type: 2, data: query });
    answers.push((await next()).data.items);
  }
  worker.terminate();
  return answers;
}
"""


def ask(page: Page, base: str, queries: list[str]) -> list[list[list[dict[str, Any]]]]:
    """The worker's result items for each query, asked from the site's home page."""
    page.goto(base)
    answers: list[list[list[dict[str, Any]]]] = page.evaluate(ASK_THE_WORKER, queries)
    return answers


def addresses(items: list[list[dict[str, Any]]]) -> list[str]:
    """The addresses of a result list, in the order the theme shows them."""
    return [doc["location"] for item in items for doc in item]


def content(kind: str) -> list[dict[str, Any]]:
    """The project's items of one kind ('quotes'), as its YAML holds them."""
    raw = load_project(PROJECT)
    return [item for file in raw.files for item in file.data.get(kind, [])]


def distinctive_phrase(text: str, others: list[str]) -> str:
    """Seven words of a quotation that no other quotation holds in a row."""
    said = words(text)
    for start in range(max(1, len(said) - 6)):
        phrase = " ".join(said[start : start + 7])
        if not any(f" {phrase} " in f" {' '.join(words(o))} " for o in others):
            return phrase
    raise AssertionError(f"no phrase of its own in {text!r}")


def test_a_phrase_from_a_quotation_lists_that_quotation_first_among_quotations(
    page: Page, paper_url: str
) -> None:
    page.goto(paper_url)
    page.wait_for_load_state("networkidle")
    search = page.locator("input.md-search__input")
    search.click()
    search.press_sequentially("ask you to donate or complete a survey", delay=20)
    links = page.locator(".md-search-result__link")
    expect(links.first).to_be_visible(timeout=30_000)
    quotations = [h for h in (a.get_attribute("href") or "" for a in links.all()) if "#q-" in h]
    assert quotations[0] == paper_url + "findings/pledge-campaign/#q-pledge-ward-to-ward-ward-nurse"
    result = page.locator(".md-search-result__item").first
    expect(result).to_contain_text("Quotation · Waring and Crompton 2017")
    expect(result.locator("mark").first).to_have_text(re.compile("ask|donate", re.IGNORECASE))
    screenshot(page, "search-quotation")
    page.locator("a[href$='#q-pledge-ward-to-ward-ward-nurse']").click()
    expect(page.locator("#q-pledge-ward-to-ward-ward-nurse")).to_be_in_viewport()


def test_every_quotation_is_found_first_by_a_phrase_of_its_own(page: Page, paper_url: str) -> None:
    quotes = content("quotes")
    texts = [q["text"] for q in quotes]
    phrases = [distinctive_phrase(t, texts[:i] + texts[i + 1 :]) for i, t in enumerate(texts)]
    answers = ask(page, paper_url, phrases)
    firsts = []
    for items in answers:
        found = [a for a in addresses(items) if "#" in a]
        firsts.append(found[0] if found else None)
    expected = [f"findings/{q['finding']}/#{q['id']}" for q in quotes]
    assert len(quotes) == 41
    assert firsts == expected


def test_every_reference_is_found_by_its_title(page: Page, paper_url: str) -> None:
    titles = {entry.key: entry.fields["title"] for entry in load_project(PROJECT).bib}
    keys = sorted(titles)
    answers = ask(page, paper_url, [re.sub(r"[{}\\]", "", titles[k]) for k in keys])
    firsts = []
    for items in answers:
        found = [a for a in addresses(items) if a.startswith("bibliography/")]
        firsts.append(found[0] if found else None)
    assert len(keys) > 40
    assert firsts == [f"bibliography/{key}/" for key in keys]


def test_results_are_labelled_by_kind_and_study(page: Page, paper_url: str) -> None:
    (items,) = ask(page, paper_url, ["whisper campaign"])
    kinds = Counter(
        re.sub(r"<[^>]+>", "", doc["title"]).split(" · ")[0].split(" ")[0]
        for item in items
        for doc in item
        if 'class="evidence-search-kind"' in doc["title"]
    )
    assert kinds["Quotation"] >= 1 and kinds["Finding"] >= 1
    titles = [doc["title"] for item in items for doc in item if "#q-" in doc["location"]]
    assert all("Quotation · Waring and Crompton 2017" in title for title in titles)


def test_the_online_site_fetches_no_whole_index(page: Page, paper_url: str) -> None:
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url))
    page.goto(paper_url)
    page.wait_for_load_state("networkidle")
    search = page.locator("input.md-search__input")
    search.click()
    search.press_sequentially("pyramid selling", delay=20)
    expect(page.locator(".md-search-result__item").first).to_be_visible(timeout=30_000)
    page.wait_for_load_state("networkidle")
    searched = [url.removeprefix(paper_url) for url in fetched if "/search/" in url]
    assert "search/search_index.json" in searched
    keys = [u for u in searched if "/keys/" in u]
    records = [u for u in searched if "/records/" in u]
    assert 1 <= len(keys) <= 3 and 1 <= len(records) <= 2
    assert not any("lunr" in url or "workers/search." in url for url in fetched)
