"""Compare two builds of the same generated Markdown (Material for MkDocs and Zensical).

What a reader and a citation depend on is compared page by page: the pages that exist, the
anchors of the article (engine-internal ids such as Zensical's `__skip` aside), every link's
resolved target and title, the article's text, the JSON-LD in the head (as data), the scripts a page
loads, and a finding page's left column (drawn by the theme override, outside the article). `make zensical` prints the differences and fails when there are any.

    python -m build_scripts.tools.compare SITE_A SITE_B
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

from bs4 import BeautifulSoup

ENGINE_IDS = "__"  # ids the engines add for their own chrome (skip links, overlays)


@dataclass(frozen=True)
class PageFacts:
    """What a page gives a reader and a citation, independent of the engine's markup."""

    ids: frozenset[str]
    links: tuple[tuple[str, str], ...]
    text: str
    jsonld: str
    scripts: frozenset[str]
    column: tuple[tuple[str, str, str], ...] = ()


def page_facts(html: str, page: str) -> PageFacts:
    """The facts of one built page; `page` is its site-relative path, to resolve its links."""
    soup = BeautifulSoup(html, "html.parser")
    article = soup.select_one("article") or soup.new_tag("article")
    base = "http://site/" + page  # a scheme urljoin resolves relative paths against
    links = tuple(
        (urljoin(base, str(a["href"])), str(a.get("title") or ""))
        for a in article.select("a[href]")
        if "headerlink" not in (a.get("class") or [])
    )
    jsonld = soup.select_one('script[type="application/ld+json"]')
    column = tuple(
        (urljoin(base, str(a["href"])), a.get_text(" ", strip=True), str(a.get("aria-current")))
        for a in soup.select("nav.study-nav a[href]")
    )
    return PageFacts(
        ids=frozenset(
            str(e["id"]) for e in article.select("[id]") if not str(e["id"]).startswith(ENGINE_IDS)
        ),
        links=links,
        text=" ".join(article.get_text(" ").split()),
        jsonld=json.dumps(json.loads(jsonld.get_text()), sort_keys=True) if jsonld else "",
        scripts=frozenset(
            urljoin(base, str(s["src"])).rsplit("/", 1)[-1]
            for s in soup.select("script[src]")
            if "/vendor/" in str(s["src"]) or "javascripts/evidence" in str(s["src"])
        ),
        column=column,
    )


def compare_pages(page: str, a: PageFacts, b: PageFacts) -> list[str]:
    """The differences between two builds of one page, one line each."""
    found = []
    if a.ids != b.ids:
        found.append(
            f"{page}: anchors only in A {sorted(a.ids - b.ids)}, only in B {sorted(b.ids - a.ids)}"
        )
    if a.links != b.links:
        changed = [(x, y) for x, y in zip(a.links, b.links, strict=False) if x != y]
        first = changed[0] if changed else (a.links[len(b.links) :] or b.links[len(a.links) :])
        found.append(f"{page}: links differ ({len(a.links)} vs {len(b.links)}), first: {first}")
    if a.text != b.text:
        at = next((i for i, (x, y) in enumerate(zip(a.text, b.text)) if x != y), 0)
        found.append(
            f"{page}: text differs at {at}: {a.text[at : at + 60]!r} vs {b.text[at : at + 60]!r}"
        )
    if a.jsonld != b.jsonld:
        found.append(f"{page}: JSON-LD differs")
    if a.scripts != b.scripts:
        found.append(f"{page}: scripts {sorted(a.scripts)} vs {sorted(b.scripts)}")
    if a.column != b.column:
        found.append(f"{page}: left column differs ({len(a.column)} vs {len(b.column)} links)")
    return found


def compare_sites(a: Path, b: Path) -> list[str]:
    """Every difference between two built sites, pages sorted."""
    pages_a = {p.relative_to(a).as_posix() for p in a.rglob("*.html")}
    pages_b = {p.relative_to(b).as_posix() for p in b.rglob("*.html")}
    found = [f"{page}: only in A" for page in sorted(pages_a - pages_b)]
    found += [f"{page}: only in B" for page in sorted(pages_b - pages_a)]
    for page in sorted(pages_a & pages_b):
        facts_a = page_facts((a / page).read_text(encoding="utf-8"), page)
        facts_b = page_facts((b / page).read_text(encoding="utf-8"), page)
        found += compare_pages(page, facts_a, facts_b)
    return found


def main(argv: list[str]) -> int:
    """Print the differences between two sites; exit 1 when there are any."""
    if len(argv) != 2:
        print("usage: python -m build_scripts.tools.compare SITE_A SITE_B", file=sys.stderr)
        return 2
    a, b = Path(argv[0]), Path(argv[1])
    found = compare_sites(a, b)
    for line in found:
        print(line)
    pages = len(list(a.rglob("*.html")))
    verdict = f"{len(found)} difference(s)" if found else "no differences"
    print(f"compared {pages} pages of {a} (A) and {b} (B): {verdict}", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
