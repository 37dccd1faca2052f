"""Reading a built site as a browser would: pages, ids, and the internal links between them."""

from __future__ import annotations

import filecmp
import posixpath
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup


@dataclass(frozen=True)
class Link:
    page: str
    href: str
    target: str
    fragment: str


def pages(site: Path) -> list[str]:
    """Site-relative paths of every HTML page."""
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))


@cache
def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def ids(site: Path, page: str) -> set[str]:
    return {str(tag["id"]) for tag in soup(site / page).find_all(id=True)}


def internal_links(site: Path, page: str) -> list[Link]:
    """Every link of a page that stays on the site, resolved to a target file and fragment."""
    links = []
    for anchor in soup(site / page).find_all("a", href=True):
        href = str(anchor["href"])
        parts = urlsplit(href)
        if parts.scheme or href.startswith("//"):
            continue
        base = posixpath.dirname(page)
        target = (
            posixpath.normpath(posixpath.join(base, unquote(parts.path))) if parts.path else page
        )
        if target == ".":
            target = ""
        full = site / target
        if full.is_dir() or parts.path.endswith("/") or not target:
            target = posixpath.join(target, "index.html") if target else "index.html"
        links.append(Link(page, href, target, unquote(parts.fragment)))
    return links


def broken_links(site: Path) -> list[str]:
    """Links whose page or fragment does not exist, as 'page: href' strings."""
    broken = []
    # 404.html links absolutely on purpose (it is served at any depth), so it is not checked here.
    for page in [p for p in pages(site) if p != "404.html"]:
        for link in internal_links(site, page):
            if not (site / link.target).is_file():
                broken.append(f"{page}: {link.href} (no page)")
            elif (
                link.fragment
                and link.target.endswith(".html")
                and link.fragment not in ids(site, link.target)
            ):
                broken.append(f"{page}: {link.href} (no anchor)")
    return broken


def reachable(site: Path, start: str = "index.html") -> set[str]:
    """Pages reachable from start by following internal links."""
    seen, todo = {start}, [start]
    while todo:
        page = todo.pop()
        for link in internal_links(site, page):
            if (
                link.target.endswith(".html")
                and link.target not in seen
                and (site / link.target).is_file()
            ):
                seen.add(link.target)
                todo.append(link.target)
    return seen


def differing_files(a: Path, b: Path) -> list[str]:
    """Files that differ in content, or are in only one of two folders."""
    names = {p.relative_to(a) for p in a.rglob("*") if p.is_file()}
    names |= {p.relative_to(b) for p in b.rglob("*") if p.is_file()}
    return sorted(
        str(n)
        for n in names
        if not ((a / n).is_file() and (b / n).is_file())
        or not filecmp.cmp(a / n, b / n, shallow=False)
    )
