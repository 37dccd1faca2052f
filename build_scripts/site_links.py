"""The last check of a built site before it is published: every link a page holds (href, src and
the other attributes a browser follows or loads, a meta refresh's address) is the site's own
or uses an allowed scheme, however the Markdown it came from was written or placed. Content
checks refuse such links where they are written (pipeline.prose_checks); this finds any that a
page's context made all the same, and names the content the page was written from."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator, Mapping
from pathlib import Path

from build_scripts.pipeline.problems import Problem

ALLOWED_SCHEMES = frozenset({"http", "https", "mailto"})
# A start tag (text and attribute values hold no raw '<' or '>' in the HTML the engines write).
_TAG = re.compile(rb"<[a-zA-Z][^<>]*>")
_ATTRIBUTE = re.compile(
    rb"""(?:^|\s)(href|src|action|formaction|xlink:href|poster|srcset|cite|data|ping|background"""
    rb"""|content)\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+)""",
    re.IGNORECASE,
)
_REFRESH = re.compile(rb"""http-equiv\s*=\s*["']?refresh""", re.IGNORECASE)
_REFRESH_URL = re.compile(r"url\s*=\s*['\"]?(.*)", re.IGNORECASE | re.DOTALL)
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
# What a browser drops from an address before it reads the scheme.
_IGNORED = re.compile(r"^[\x00-\x20]+|[\t\n\r]")


def unsafe_links(
    site: Path, sources: Mapping[str, tuple[str, int, int]], checked: Path | None = None
) -> list[Problem]:
    """A problem for each link of a page of site with a scheme other than ALLOWED_SCHEMES, at
    the content its page is written from (`sources`: docs-relative Markdown path -> place), else
    at the page. A page that is the very file (a hard link) of the same page of `checked`, a
    site this check passed, is not read again."""
    pages = {_html_of(page): place for page, place in sources.items()}
    problems = []
    for path in sorted(site.rglob("*.html")):
        page = path.relative_to(site).as_posix()
        if checked is not None and _same_file(path, checked / page):
            continue
        for address in _addresses(path.read_bytes()):
            scheme = _SCHEME.match(_IGNORED.sub("", address))
            if scheme and scheme.group(1).lower() not in ALLOWED_SCHEMES:
                where = pages.get(page, (f"site/{page}", 1, 1))
                message = (
                    f"the built page {page} links with the '{scheme.group(1)}:' scheme "
                    f"({address[:60]!r}); only http(s), mailto and the site's own links are "
                    "allowed: remove the link from the content"
                )
                problems.append(Problem(*where, message))
    return sorted(set(problems))


def _same_file(path: Path, other: Path) -> bool:
    try:
        return path.samefile(other)
    except OSError:
        return False


def _addresses(document: bytes) -> Iterator[str]:
    """Every address in the start tags of an HTML document, decoded as a browser decodes it."""
    for tag in _TAG.finditer(document):
        text = tag.group()
        for found in _ATTRIBUTE.finditer(text):
            name = found.group(1).lower()
            value = html.unescape(found.group(2).strip(b"\"'").decode("utf-8", "replace"))
            if name == b"content":
                refresh = _REFRESH_URL.search(value) if _REFRESH.search(text) else None
                if refresh:
                    yield refresh.group(1).rstrip("'\" ")
            elif name == b"srcset":
                yield from (part.split()[0] for part in value.split(",") if part.split())
            else:
                yield value


def _html_of(page: str) -> str:
    """The HTML file a Markdown page becomes with directory URLs ('a/b.md' -> 'a/b/index.html')."""
    stem = page.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return f"{stem}.html"
    return f"{stem}/index.html"
