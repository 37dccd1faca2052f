"""The anchors a page's raw HTML holds, found as mkdocs 1.6 finds them, without parsing every tag.

Before converting a page, mkdocs feeds its whole Markdown source through an HTML parser only to
collect the `id` of any tag and the `name` of any `<a>` (for its anchor validation), and our
pages' quotations, citation boxes and lists are raw HTML. Only a tag that holds such an
attribute matters, so this looks for the attributes and reads just their
tags, with the parser's own patterns. The parallel build puts it in mkdocs' place in its workers;
a test holds it to mkdocs' result on every page the generator writes.
"""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import markdown
from markdown.htmlparser import htmlparser

# Searched for in the page in lower case: a pattern that starts with plain letters is found by a
# fast scan, not tried at every position.
_ATTRIBUTES = (re.compile(r"id(?=[\s/=>]|\Z)"), re.compile(r"name(?=[\s/=>]|\Z)"))
_BEFORE_ATTRIBUTE = re.compile(r"[\s'\"/]")
_TAG_START = re.compile(r"<[a-zA-Z]")
# Where the parser reads no tags: comments, and the text of script and style elements.
_OPAQUE = (
    re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL),
    re.compile(r"<script(?=[\s/>])[^>]*>.*?(?=</script|\Z)", re.DOTALL),
    re.compile(r"<style(?=[\s/>])[^>]*>.*?(?=</style|\Z)", re.DOTALL),
)


def anchor_ids(source: str) -> set[str | None]:
    """Every `id`, and every `name` of an `<a>`, in the start tags of source."""
    lowered = source.lower()
    if len(lowered) != len(source):  # a letter whose lower case is longer: keep positions
        lowered = "".join(char if len(char.lower()) != 1 else char.lower() for char in source)
    opaque = [match.span() for pattern in _OPAQUE for match in pattern.finditer(lowered)]
    candidates = sorted(
        match.start()
        for pattern in _ATTRIBUTES
        for match in pattern.finditer(lowered)
        if match.start() and _BEFORE_ATTRIBUTE.match(lowered, match.start() - 1)
    )
    found: set[str | None] = set()
    done = -1
    for candidate in candidates:
        tag = _tag_around(source, candidate)
        if tag is None or tag.start() <= done or _inside(opaque, tag.start()):
            continue
        done = tag.start()
        found |= _tag_ids(source, tag)
    return found


def _tag_around(source: str, position: int) -> re.Match[str] | None:
    """The start tag (as the parser locates it, up to its closing '>') that holds `position`."""
    start = source.rfind("<", 0, position + 1)
    while start >= 0 and not _TAG_START.match(source, start):
        start = source.rfind("<", 0, start)
    if start < 0:
        return None
    tag = htmlparser.locatestarttagend_tolerant.match(source, start)
    return tag if tag and tag.end() > position else None


def _inside(spans: list[tuple[int, int]], position: int) -> bool:
    return any(begin < position < end for begin, end in spans)


def _tag_ids(source: str, located: re.Match[str]) -> set[str | None]:
    """The anchors of a located start tag, read as HTMLParser.parse_starttag reads it."""
    start, end = located.span()
    if source[end : end + 1] == ">":
        end += 1
    elif source.startswith("/>", end):
        end += 2
    else:
        return set()  # not a whole tag: the parser reads it as text
    name = htmlparser.tagfind_tolerant.match(source, start + 1)
    assert name is not None
    tag, position, ids = name.group(1).lower(), name.end(), set()
    while position < end:
        attribute = htmlparser.attrfind_tolerant.match(source, position)
        if not attribute:
            break
        key, rest, value = attribute.group(1, 2, 3)
        value = None if not rest else value
        if value and value[:1] in "'\"" and value[:1] == value[-1:]:
            value = value[1:-1]
        if key.lower() == "id" or (key.lower() == "name" and tag == "a"):
            ids.add(unescape(value) if value else value)
        position = attribute.end()
    return ids if source[position:end].strip() in (">", "/>") else set()


class FastRawIds(markdown.preprocessors.Preprocessor):  # type: ignore[misc]  # untyped
    """mkdocs' `_RawHTMLPreprocessor`, finding the same anchors with `anchor_ids`."""

    def __init__(self) -> None:
        super().__init__()
        self.present_anchor_ids: set[str | None] = set()

    def run(self, lines: list[str]) -> list[str]:
        """Collect the anchors; the lines pass on unchanged."""
        self.present_anchor_ids = anchor_ids("\n".join(lines))
        return lines

    def _register(self, md: Any) -> None:
        md.preprocessors.register(self, "mkdocs_raw_html", priority=21)


def mkdocs_anchor_ids(source: str) -> set[str | None]:
    """The anchors mkdocs 1.6's own pass (`_RawHTMLPreprocessor`) finds in a page's source: what
    `anchor_ids` must find."""
    from mkdocs.structure.pages import _RawHTMLPreprocessor

    found = _RawHTMLPreprocessor()
    found.run(source.split("\n"))
    return set(found.present_anchor_ids)
