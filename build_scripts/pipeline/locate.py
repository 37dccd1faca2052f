"""Where each quotation sits in its study's source text: the section (the headings above it,
as the study declares them), the paragraph, and W3C Web Annotation selectors.

A source text is compared with quotations as `normalise` gives it: quotation marks (‘ ’ ‚ ‛ ′ as
', “ ” „ ‟ ″ as ") and dashes (‐ ‑ ‒ – — ― − as -) made plain, every run of whitespace one space.
A paragraph is a block of lines between blank lines (a quotation set apart from the text is a
paragraph of its own); a heading is a paragraph that reads as one of the study's declared
`source_headings`, found in their order. Paragraphs are counted from 1 after each heading.
Positions count the characters (Unicode code points) of the source text as it is, unnormalised,
as a TextPositionSelector does.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

_PLAIN = str.maketrans(
    {
        **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032", "'"),
        **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033", '"'),
        **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"),
    }
)
_WORD = re.compile(r"\S+")
# A run of whitespace that normalising shortens: one with a character other than a space, or
# with more than one character.
_SHORTENED = re.compile(r"\s*(?:[^\S ]|  )\s*")
_BLANK_LINES = re.compile(r"\n[^\S\n]*(?:\n[^\S\n]*)+")
# Characters of the source either side of a quotation in its TextQuoteSelector.
AFFIX = 32
# Characters of the source looked through either side of a quotation for the edges of the
# sentences around it; and those edges: a full stop, question or exclamation mark after a word
# (not the dots of an ellipsis '. . .', nor an abbreviation such as 'e.g.'), with any closing
# quotation marks or brackets, before whitespace; or a blank line.
CONTEXT = 400
_SENTENCE_END = re.compile(
    r"(?<=\S)(?<!\be\.g)(?<!\bi\.e)(?<!\bal)(?<!\bcf)(?<!\bvs)(?<!\betc)(?<!\bp)(?<!\bpp)(?<!\bNo)"
    "[.?!][\"'\u2019\u201d)]*(?=\\s)(?!\\s\\.)|\\n[^\\S\\n]*\\n"
)
# An attribution after a quotation set apart: '(Quality manager)'.
_ATTRIBUTION = re.compile(r"\s*\([^()]*\)[.,;:]?\s*")


@dataclass(frozen=True)
class Heading:
    """A heading of a source text as printed; `level` 1 for a section, 2 for one inside it…"""

    title: str
    level: int = 1


@dataclass(frozen=True)
class Location:
    """Where a quotation sits in a source text (`source`: its project-relative path).

    `section`: the headings above the quotation, outermost first (empty before the first
    heading); `paragraph`: its paragraph's number under the innermost of them (0: the quotation
    starts in the heading itself). `start` and `end` (exclusive) are a TextPositionSelector;
    `exact`, `prefix` and `suffix` a TextQuoteSelector (the source's characters as they are).
    """

    source: str
    section: tuple[str, ...]
    paragraph: int
    start: int
    end: int
    exact: str
    prefix: str
    suffix: str
    # Whether the site publishes the text (a study's publish_source): if not, prefix and suffix
    # are empty and nothing links to the text.
    published: bool = True


def under(section: tuple[str, ...], heading: Heading) -> tuple[str, ...]:
    """The section a heading begins, below the section before it (outermost heading first)."""
    return (*section[: heading.level - 1], heading.title)


def normalise(text: str) -> str:
    """Text as quotations are compared with their source (see the module's docstring)."""
    return " ".join(_WORD.findall(text.translate(_PLAIN)))


class SourceText:
    """A source text prepared for finding quotations in it: its normalised form, and the runs of
    whitespace that normalising shortened, to tell where a normalised position stands."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.normalised = normalise(text)
        lead = len(text) - len(text.lstrip())
        # For each run of whitespace other than one space: the normalised position after it,
        # and how many characters normalising has left out up to there.
        self._after, self._shift = [0], [lead]
        for run in _SHORTENED.finditer(text, lead):
            self._shift.append(self._shift[-1] + len(run.group()) - 1)
            self._after.append(run.end() - self._shift[-1])

    def find(self, quotation: str) -> tuple[int, int] | None:
        """The first place (start, end) in the text as it is where quotation occurs (as
        normalise compares them), or None."""
        wanted = normalise(quotation)
        found = self.normalised.find(wanted) if wanted else -1
        if found < 0:
            return None
        return self._raw(found), self._raw(found + len(wanted) - 1) + 1

    def _raw(self, position: int) -> int:
        # Called with positions of characters other than spaces, which normalising keeps.
        return position + self._shift[bisect_right(self._after, position) - 1]


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of a source text: where it starts, the headings above it, its number."""

    start: int
    section: tuple[str, ...]
    number: int


class Outline:
    """A source text's paragraphs (each with its section and number) under the headings given,
    and how many of them were found, in order (one not found leaves the rest unlooked for)."""

    def __init__(self, text: str, headings: tuple[Heading, ...]) -> None:
        self.paragraphs: list[Paragraph] = []
        section: tuple[str, ...] = ()
        number, self.found, start = 0, 0, 0
        for block in [*_BLANK_LINES.finditer(text), None]:
            end = block.start() if block else len(text)
            content = text[start:end]
            if content.strip():
                begins = start + len(content) - len(content.lstrip())
                heading = headings[self.found] if self.found < len(headings) else None
                if heading and normalise(content) == normalise(heading.title):
                    section = under(section, heading)
                    self.found, number = self.found + 1, 0
                else:
                    number += 1
                self.paragraphs.append(Paragraph(begins, section, number))
            start = block.end() if block else len(text)
        self._starts = [paragraph.start for paragraph in self.paragraphs]

    def paragraph_at(self, position: int) -> Paragraph:
        """The paragraph a position of the text falls in (the first, before any)."""
        return self.paragraphs[max(0, bisect_right(self._starts, position) - 1)]


def locate(path: str, text: str, outline: Outline, start: int, end: int) -> Location:
    """The location of the passage text[start:end] of the source text at path."""
    paragraph = outline.paragraph_at(start)
    return Location(
        source=path,
        section=paragraph.section,
        paragraph=paragraph.number,
        start=start,
        end=end,
        exact=text[start:end],
        prefix=text[max(0, start - AFFIX) : start],
        suffix=text[end : end + AFFIX],
    )


def place_label(location: Location) -> str:
    """A location as a reader is told it: 'Findings › Adopting a movement approach, paragraph
    2' (only the paragraph before the first heading; 'heading' for a quotation in one)."""
    where = " › ".join(location.section)
    if location.paragraph == 0:
        return f"{where}, heading"
    paragraph = f"paragraph {location.paragraph}"
    return f"{where}, {paragraph}" if where else paragraph


def selectors(location: Location) -> list[dict[str, str | int]]:
    """The location as W3C Web Annotation selectors (TextQuoteSelector, TextPositionSelector)
    into its source text."""
    quote: dict[str, str | int] = {"type": "TextQuoteSelector", "exact": location.exact}
    if location.published:  # the words around it are the text's, which it may not publish
        quote.update(prefix=location.prefix, suffix=location.suffix)
    return [quote, {"type": "TextPositionSelector", "start": location.start, "end": location.end}]


def context(text: str, start: int, end: int) -> tuple[str, str]:
    """The words around the passage text[start:end], normalised: before it, the start of its
    sentence (or, when it starts one, the sentence before); after it, the rest of its sentence
    (or, when it ends one, the sentence after). An attribution in brackets does not count as a
    sentence ('(HR manager) We are…'). '…' stands where the search for an edge gave up."""
    head = text[max(0, start - CONTEXT) : start]
    cut = 0
    for cut in reversed([0, *(found.end() for found in _SENTENCE_END.finditer(head))]):
        words = head[cut:]
        if any(c.isalnum() for c in words) and not _ATTRIBUTION.fullmatch(words):
            break
    before = ("… " if cut == 0 and start > CONTEXT else "") + head[cut:]
    tail = text[end : end + CONTEXT]
    edges = [found.end() for found in _SENTENCE_END.finditer(tail)]
    after = tail[: edges[0]] if edges else tail + " …"
    if edges and (not any(c.isalnum() for c in after) or _ATTRIBUTION.fullmatch(after)):
        after = tail[: edges[1]] if len(edges) > 1 else tail + " …"
    return normalise(before), normalise(after)
