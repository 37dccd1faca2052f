"""Pandoc citations in prose: [@key], [@key, p. 64], [@a; @b], [-@key], @key and @key [p. 64]."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

KEY = r"[A-Za-z0-9_](?:[A-Za-z0-9_:.#$%&+?~/-]*[A-Za-z0-9_])?"
# A bracket with no bracket inside, not a link's text (possessive: no backtracking, linear);
# it is a citation when an '@' in it starts a key (_CITES).
_BRACKET = re.compile(r"\[(?P<body>[^\[\]]*+)\](?!\()")
_CITES = re.compile(r"(?<![\w.])-?@")
_ITEM = re.compile(
    rf"^\s*(?P<prefix>[^@]*?)\s*(?P<suppress>-)?@(?P<key>{KEY})\s*(?:,\s*(?P<locator>.*\S))?\s*$"
)
_NARRATIVE = re.compile(rf"(?<![\w@\[\]\\/.-])@(?P<key>{KEY})")
_NARRATIVE_LOCATOR = re.compile(r" \[(?P<locator>[^\[\]@]+)\](?!\()")
_LABELS = {
    "p.": "page",
    "pp.": "page",
    "page": "page",
    "pages": "page",
    "ch.": "chapter",
    "chap.": "chapter",
    "chapter": "chapter",
    "sec.": "section",
    "section": "section",
    "para.": "paragraph",
}


@dataclass(frozen=True)
class CiteItem:
    """One cited work with an optional locator (label, value), e.g. ('page', '64')."""

    key: str
    locator: tuple[str, str] | None = None
    prefix: str = ""
    suppress_author: bool = False


@dataclass(frozen=True)
class Cluster:
    """A citation as written: its span in the text, its items, and whether it is narrative."""

    start: int
    end: int
    items: tuple[CiteItem, ...]
    narrative: bool


@dataclass(frozen=True)
class CitationError:
    """Malformed citation syntax at an offset of the text."""

    offset: int
    message: str


def parse_locator(text: str) -> tuple[str, str]:
    """'p. 64' -> ('page', '64'); a bare '64' is a page; an unknown label keeps its words."""
    head, _, rest = text.partition(" ")
    label = _LABELS.get(head.lower())
    if label and rest.strip():
        return (label, rest.strip())
    return ("page", text.strip())


def parse_citations(text: str) -> tuple[list[Cluster], list[CitationError]]:
    """Find every citation in a prose string, in order; malformed ones become errors."""
    clusters, errors = _parse(text)
    return list(clusters), list(errors)


@lru_cache(maxsize=16384)
def _parse(text: str) -> tuple[tuple[Cluster, ...], tuple[CitationError, ...]]:
    """The same text is parsed once per build, however many pages show it."""
    clusters: list[Cluster] = []
    errors: list[CitationError] = []
    taken: list[tuple[int, int]] = []
    for match in _BRACKET.finditer(text):
        if not _CITES.search(match.group("body")):
            continue
        taken.append(match.span())
        items = []
        for part in match.group("body").split(";"):
            item = _ITEM.match(part)
            if item is None:
                errors.append(
                    CitationError(match.start(), f"malformed citation '{match.group(0)}'")
                )
                break
            locator = item.group("locator")
            items.append(
                CiteItem(
                    key=item.group("key"),
                    locator=parse_locator(locator) if locator else None,
                    prefix=item.group("prefix"),
                    suppress_author=bool(item.group("suppress")),
                )
            )
        else:
            clusters.append(Cluster(match.start(), match.end(), tuple(items), narrative=False))
    for match in _NARRATIVE.finditer(text):
        if any(start <= match.start() < end for start, end in taken):
            continue
        end, locator = match.end(), None
        trailing = _NARRATIVE_LOCATOR.match(text, end)
        if trailing:
            end, locator = trailing.end(), parse_locator(trailing.group("locator"))
        narrative_item = CiteItem(match.group("key"), locator)
        clusters.append(Cluster(match.start(), end, (narrative_item,), narrative=True))
    for stray in re.finditer(r"\[[^\]]*$", text):
        if "@" in stray.group(0):
            errors.append(CitationError(stray.start(), "citation bracket '[' is never closed"))
    clusters.sort(key=lambda c: c.start)
    return tuple(clusters), tuple(errors)


def cited_keys(text: str) -> list[str]:
    """Every key cited in a prose string, in order of appearance."""
    clusters, _ = parse_citations(text)
    return [item.key for cluster in clusters for item in cluster.items]
