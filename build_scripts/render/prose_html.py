"""Prose as HTML, for the few raw HTML blocks that hold prose (a study's timeline).

mkdocs converts the rest of a page's prose; this converts the same Markdown the same way here, and
resolves its links to pages of the site as mkdocs would, so that no page needs Markdown inside
HTML (the md_in_html extension: a sixth of mkdocs' Markdown time on every page of a large site).
"""

from __future__ import annotations

import posixpath
import re

import markdown

from build_scripts.pipeline.urls import page_url, root_of

# A link to a Markdown page of the site: relative, no scheme, ending in .md (maybe a fragment).
_PAGE_LINK = re.compile(r'href="(?![a-zA-Z][a-zA-Z0-9+.-]*:|/|#)([^"#]*\.md)(?:#([^"]*))?"')
_CONVERTER = markdown.Markdown(output_format="html")


def prose_to_html(text: str, page: str, file_urls: bool = False, inline: bool = False) -> str:
    """Markdown prose (raw HTML already neutralised) -> HTML whose site links work from page;
    inline=True gives a one-paragraph text without its <p> (for a caption)."""
    html = _CONVERTER.reset().convert(text)
    if inline and html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[len("<p>") : -len("</p>")]
    root = root_of(page, file_urls)

    def resolve(match: re.Match[str]) -> str:
        target = posixpath.normpath(posixpath.join(posixpath.dirname(page), match.group(1)))
        return f'href="{root}{page_url(target, match.group(2) or "", file_urls)}"'

    return _PAGE_LINK.sub(resolve, html)
