"""Where citeproc-py departs from the CSL specification (and from citeproc-js and pandoc), made
good: the one module that knows how citeproc-py formats quotation marks.

- Nested quotes: citeproc-py wraps a `quotes="true"` text in the locale's outer marks and leaves
  the quotations inside it as written ('‘A ‘movement’?’'). The style it is given here has
  placeholders for its quote terms; `finish` puts the locale's marks in their place, outer and
  inner by depth, and gives the quotations of the text inside them the alternate marks
  ('‘A “movement”?’'), as the specification and pandoc do.
- Substituted names: citeproc-py prints editors that a `<substitute>` rendered in place of
  missing authors a second time, where the style names them again ("Goodwin, J. and Jasper, J.
  (eds) (2014) ... Edited by J. Goodwin and J. Jasper."). That is worked around in the bundled
  Cite Them Right style itself (its `secondary-contributors` names the editors only when
  there are authors), not here: nothing of citeproc-py is patched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from xml.etree import ElementTree

_CSL_NS = "http://purl.org/net/xbiblio/csl"
# Private-use characters: no field's text holds them, and no text-case changes them.
OPEN, CLOSE = "\ue000", "\ue001"
_TERMS = ("open-quote", "close-quote", "open-inner-quote", "close-inner-quote")


@dataclass(frozen=True)
class Quotes:
    """A locale's quotation marks: outer open and close, inner open and close."""

    outer: tuple[str, str]
    inner: tuple[str, str]


def with_quote_placeholders(csl: bytes) -> bytes:
    """The style with its outer quote terms replaced by placeholders (for `finish`)."""
    ElementTree.register_namespace("", _CSL_NS)
    root = ElementTree.fromstring(csl)
    for terms in root.iter(f"{{{_CSL_NS}}}terms"):
        for term in list(terms):
            if term.get("name") in _TERMS:
                terms.remove(term)
    locale = ElementTree.Element(f"{{{_CSL_NS}}}locale")
    terms = ElementTree.SubElement(locale, f"{{{_CSL_NS}}}terms")
    for name, mark in (("open-quote", OPEN), ("close-quote", CLOSE)):
        ElementTree.SubElement(terms, f"{{{_CSL_NS}}}term", name=name).text = mark
    info = root.find(f"{{{_CSL_NS}}}info")
    root.insert(0 if info is None else list(root).index(info) + 1, locale)
    return bytes(ElementTree.tostring(root, encoding="utf-8", xml_declaration=True))


def quotes_of(style: Any) -> Quotes:
    """The quotation marks a citeproc-py style (built from the original XML) would print."""
    marks = [str(style.root.get_term(name).text or "") for name in _TERMS]
    return Quotes((marks[0], marks[1]), (marks[2], marks[3]))


# A quotation in a field: an opening mark at a word's start, its closing mark at a word's end.
_CLOSING = {"'": "'", '"': '"', "‘": "’", "“": "”"}
_MARKS = {*_CLOSING, *_CLOSING.values()}
_WORD_START = re.compile(r"(?:^|(?<=[\s(\[>—–-]))['\"‘“](?=\S)")
_APOSTROPHE = "’"


def finish(formatted: str, quotes: Quotes) -> str:
    """Formatted text with its placeholders as the locale's marks, alternating by depth, and the
    quotations inside a quoted text in the marks of the next depth (straight quotes there are
    made typographic, as pandoc and citeproc-js make them)."""
    if OPEN not in formatted:
        return formatted
    out: list[str] = []
    depth = 0
    for part in re.split(f"([{OPEN}{CLOSE}])", formatted):
        if part == OPEN:
            depth += 1
            out.append(_marks(quotes, depth)[0])
        elif part == CLOSE:
            out.append(_marks(quotes, depth)[1])
            depth -= 1
        else:
            out.append(_requote(part, quotes, depth + 1) if depth else part)
    return "".join(out)


def _marks(quotes: Quotes, depth: int) -> tuple[str, str]:
    return quotes.outer if depth % 2 else quotes.inner


def _requote(text: str, quotes: Quotes, depth: int) -> str:
    """Text in quotes: each quotation in it (a pair of marks, outside HTML tags) in the marks of
    `depth`, and any other straight single quote an apostrophe."""
    chars = list(text)
    tags = [range(m.start(), m.end()) for m in re.finditer(r"<[^>]*>", text)]
    pending: list[tuple[int, str]] = []
    for index, char in enumerate(chars):
        if char not in _MARKS or any(index in tag for tag in tags):
            continue
        if _WORD_START.match(text, index):
            pending.append((index, char))
        elif pending and char == _CLOSING[pending[-1][1]] and _ends_word(text, index):
            start, _ = pending.pop()
            chars[start], chars[index] = _marks(quotes, depth)
        elif char == "'":
            chars[index] = _APOSTROPHE
    for start, char in pending:
        chars[start] = _APOSTROPHE if char == "'" else char
    return "".join(chars)


def _ends_word(text: str, index: int) -> bool:
    after = text[index + 1 : index + 2]
    return index > 0 and not text[index - 1].isspace() and not after.isalnum()
