"""Anchors that never break: the published permalinks in anchors.lock, and how each old one
still resolves — its entity, an alias (a redirect page or an extra anchor), or a moved quotation."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass

from build_scripts.pipeline.entities import Corpus, Ref
from build_scripts.pipeline.kinds import KINDS
from build_scripts.pipeline.problems import Problem
from build_scripts.pipeline.urls import location, site_url

LOCK_FILE = "anchors.lock"
LOCK_HEADER = (
    "# Every published permalink of this site, one a line (site-relative URL with fragment).\n"
    "# The build fails when one would stop resolving: keep the id, or add the old id to the\n"
    "# entity's `aliases` (BibTeX: `ids`). Add new permalinks with `make lock`.\n"
)
PAGE_KINDS = (*(kind.name for kind in KINDS if kind.folder), "reference")
# The sections every page of a kind has (the templates guarantee them; a test holds them to it):
# their addresses are permalinks too, locked like the units'.
SECTIONS: dict[str, tuple[str, ...]] = {
    "study": ("_findings", "_works-cited", "_linked-from"),
    "model": ("_stages", "_works-cited", "_linked-from"),
    "stage": ("_definition", "_findings", "_quotations", "_works-cited", "_linked-from"),
    "finding": ("_quotations", "_works-cited", "_linked-from"),
    "role": ("_quotations", "_works-cited", "_linked-from"),
    "group": ("_roles", "_works-cited", "_linked-from"),
    "concept": ("_works-cited", "_linked-from"),
    "reference": ("_cited-by",),
}


@dataclass(frozen=True)
class Redirect:
    """A page left at an old address that sends readers (and the fragment) to the new one."""

    path: str  # docs-relative file, e.g. findings/old-id/index.html
    target: str  # relative URL from the old page to the new one
    title: str


@dataclass(frozen=True)
class ExtraAnchor:
    """An element with an old fragment id, placed on a page so an old link still lands."""

    page: str  # docs-relative Markdown page it goes on
    fragment: str
    target: Ref  # the quotation it stands for


@dataclass(frozen=True)
class AnchorPlan:
    """What the site publishes, and what it adds so that every locked permalink resolves."""

    current: frozenset[str]
    redirects: tuple[Redirect, ...]
    extra: tuple[ExtraAnchor, ...]
    resolvable: frozenset[str]


def anchor(page: str, fragment: str = "") -> str:
    """The lock's form of a permalink: 'findings/x/' or 'findings/x/#q-y'."""
    return site_url(page, fragment)


def current_anchors(corpus: Corpus) -> dict[str, Ref]:
    """Every permalink the corpus publishes now, with the entity it names: each unit, and each
    section of a unit's page (SECTIONS)."""
    found: dict[str, Ref] = {}
    for kind in (*PAGE_KINDS, "quote"):
        for ident in corpus.collection(kind):
            page, fragment = location((kind, ident), corpus)
            found[anchor(page, fragment)] = (kind, ident)
            for section in SECTIONS.get(kind, ()):
                found[anchor(page, section)] = (kind, ident)
    return found


def _aliases(corpus: Corpus, kind: str, ident: str) -> tuple[str, ...]:
    entity = corpus.get((kind, ident))
    return tuple(getattr(entity, "aliases", ()))


def plan_anchors(corpus: Corpus, locked: list[str]) -> AnchorPlan:
    """Redirect pages for renamed pages, extra anchors for renamed or moved quotations."""
    current = current_anchors(corpus)
    redirects, pages = [], {}
    for kind in PAGE_KINDS:
        for ident in corpus.collection(kind):
            new_page = location((kind, ident), corpus)[0]
            for old in _aliases(corpus, kind, ident):
                old_page = posixpath.join(posixpath.dirname(new_page), f"{old}.md")
                pages[anchor(old_page)] = anchor(new_page)
                target = posixpath.relpath(anchor(new_page), anchor(old_page)) + "/"
                redirects.append(Redirect(anchor(old_page) + "index.html", target, ident))
    extra = [
        ExtraAnchor(location(("quote", q.id), corpus)[0], old, ("quote", q.id))
        for q in corpus.quotes.values()
        for old in q.aliases
    ]
    extra += _moved_quotes(corpus, locked, current, pages)
    resolvable = set(current) | {anchor(e.page, e.fragment) for e in extra}
    for old_page, new_page in pages.items():
        resolvable.add(old_page)
        resolvable |= {
            old_page + a[len(new_page) :] for a in resolvable if a.startswith(new_page + "#")
        }
    return AnchorPlan(frozenset(current), tuple(redirects), tuple(extra), frozenset(resolvable))


def _moved_quotes(
    corpus: Corpus, locked: list[str], current: dict[str, Ref], pages: dict[str, str]
) -> list[ExtraAnchor]:
    """A locked quotation anchor on a page that still exists, whose quotation now lives elsewhere."""
    by_id = {q.id: q.id for q in corpus.quotes.values()}
    by_id |= {old: q.id for q in corpus.quotes.values() for old in q.aliases}
    finding_pages = {anchor(location(("finding", f), corpus)[0]): f for f in corpus.findings}
    moved = []
    for entry in locked:
        page, _, fragment = entry.partition("#")
        if entry in current or not fragment or fragment not in by_id or page not in finding_pages:
            continue
        quote = by_id[fragment]
        if anchor(*location(("quote", quote), corpus)) != entry:
            moved.append(
                ExtraAnchor(f"findings/{finding_pages[page]}.md", fragment, ("quote", quote))
            )
    return moved


def check_lock(plan: AnchorPlan, locked: list[tuple[int, str]]) -> list[Problem]:
    """Every locked permalink must still resolve; each one that would not is a problem."""
    return [
        Problem(
            LOCK_FILE,
            line,
            1,
            f"permalink '{entry}' would stop resolving: keep its id, or add the old id to the "
            "`aliases` of the entity that replaces it (BibTeX: `ids`); if it was never published, "
            "delete this line",
        )
        for line, entry in locked
        if entry not in plan.resolvable
    ]


def parse_lock(text: str) -> list[tuple[int, str]]:
    """(line number, permalink) of every entry of anchors.lock."""
    return [
        (number, line.strip())
        for number, line in enumerate(text.splitlines(), start=1)
        if line.strip() and not line.startswith("#")
    ]


def render_lock(entries: set[str]) -> str:
    """The text of anchors.lock: its header and the permalinks, sorted."""
    return LOCK_HEADER + "".join(f"{entry}\n" for entry in sorted(entries))


def as_file_redirect(redirect: Redirect) -> Redirect:
    """The same redirect in the offline copy, whose pages are files: findings/old.html -> new.html
    (an old page and its new one always share a folder, so the target is a sibling)."""
    path = redirect.path.removesuffix("/index.html") + ".html"
    target = redirect.target.removeprefix("../").removesuffix("/") + ".html"
    return Redirect(path, target, redirect.title)


def redirect_html(redirect: Redirect) -> str:
    """A static page at an old address: sends readers on, keeping the #fragment."""
    target = redirect.target.replace('"', "%22")
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>Moved: {redirect.title}</title>\n"
        f'<link rel="canonical" href="{target}">\n'
        f'<meta http-equiv="refresh" content="0; url={target}">\n'
        f'<script>location.replace("{target}" + location.hash);</script>\n'
        "</head>\n<body>\n"
        f'<p>This page has moved: <a href="{target}">{redirect.title}</a>.</p>\n'
        "</body>\n</html>\n"
    )


def moved_by_page(anchors: AnchorPlan | None, corpus: Corpus) -> dict[str, list[ExtraAnchor]]:
    """Old quotation anchors that stand on a page the quotation itself no longer is on, by
    that page."""
    moved: dict[str, list[ExtraAnchor]] = {}
    for extra in anchors.extra if anchors else ():
        if location(extra.target, corpus)[0] != extra.page:
            moved.setdefault(extra.page, []).append(extra)
    return moved
