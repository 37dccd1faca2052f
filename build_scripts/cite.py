"""Cite stage: BibTeX fields -> CSL-JSON -> formatted references and in-text forms (citeproc-py)."""

from __future__ import annotations

import html
import re
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source import Locator
from citeproc.source.json import CiteProcJSON

from build_scripts.citations import CiteItem
from build_scripts.model import Reference

STYLES = Path(__file__).parent / "styles"
CSL_TYPES = {
    "article": "article-journal",
    "book": "book",
    "incollection": "chapter",
    "inbook": "chapter",
    "report": "report",
    "techreport": "report",
    "online": "webpage",
    "misc": "document",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
    "inproceedings": "paper-conference",
}
_TEXT_FIELDS = {
    "title": "title",
    "journal": "container-title",
    "journaltitle": "container-title",
    "booktitle": "container-title",
    "volume": "volume",
    "number": "issue",
    "edition": "edition",
    "publisher": "publisher",
    "institution": "publisher",
    "organization": "publisher",
    "address": "publisher-place",
    "location": "publisher-place",
    "doi": "DOI",
    "url": "URL",
}


def to_csl(reference: Reference) -> dict[str, Any]:
    """One CSL-JSON item from a parsed BibTeX entry (names split, LaTeX already decoded)."""
    fields = reference.fields
    item: dict[str, Any] = {
        "id": reference.id,
        "type": CSL_TYPES.get(reference.entry_type, "document"),
    }
    for name, csl_name in _TEXT_FIELDS.items():
        if name in fields and csl_name not in item:
            item[csl_name] = str(fields[name])
    if "pages" in fields:
        item["page"] = str(fields["pages"]).replace("--", "–")
    for role in ("author", "editor"):
        names = [_csl_name(n) for n in fields.get(role, []) if _csl_name(n)]
        if names:
            item[role] = names
    year = re.match(r"\d{4}", str(fields.get("year", fields.get("date", ""))))
    if year:
        item["issued"] = {"date-parts": [[int(year.group(0))]]}
    accessed = re.match(r"(\d{4})-(\d{2})-(\d{2})", str(fields.get("urldate", "")))
    if accessed:
        item["accessed"] = {"date-parts": [[int(p) for p in accessed.groups()]]}
    return item


def _csl_name(name: Any) -> dict[str, str] | None:
    if isinstance(name, str):
        return None if name == "others" else {"literal": name}
    family = " ".join([*name.von, *name.last])
    if family == "others":
        return None
    result = {"family": family, "given": " ".join(name.first)}
    if name.jr:
        result["suffix"] = " ".join(name.jr)
    return result


@dataclass(frozen=True)
class InText:
    """The in-text form of one cited item, e.g. 'Bate et al. 2004: 64', and its key."""

    key: str
    text: str


class Citer:
    """Formats references and citations once each, with one CSL style and locale."""

    def __init__(self, references: dict[str, Reference], style: str, locale: str) -> None:
        self.references = references
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            self.style = CitationStylesStyle(
                str(STYLES / f"{style}.csl"), locale=locale, validate=False
            )
        self.source = CiteProcJSON([to_csl(r) for r in references.values()])
        self._formatted = self._format_bibliography()
        self._forms: dict[tuple[str, tuple[str, str] | None, bool], str] = {}

    def _format_bibliography(self) -> dict[str, str]:
        bibliography = CitationStylesBibliography(self.style, self.source, formatter.html)
        for key in self.references:
            bibliography.register(Citation([CitationItem(key)]))
        return {
            key: _link_urls(str(entry))
            for key, entry in zip(bibliography.keys, bibliography.bibliography())
        }

    def reference_html(self, key: str) -> str:
        """The full formatted reference, as HTML escaped by the CSL processor."""
        return self._formatted[key]

    def reference_plain(self, key: str) -> str:
        """The full formatted reference as plain text."""
        return html.unescape(re.sub(r"<[^>]+>", "", self._formatted[key]))

    def in_text_label(self, key: str) -> str:
        """The parenthetical in-text form of a key without brackets, e.g. 'Bate, 2004'."""
        return self._in_text(key, None, False)

    def in_text(self, item: CiteItem, narrative: bool) -> InText:
        """The in-text form of one item, parenthetical ('Bate, 2004') or narrative ('Bate (2004)')."""
        return InText(item.key, self._in_text(item.key, item.locator, narrative))

    def _in_text(self, key: str, locator: tuple[str, str] | None, narrative: bool) -> str:
        """Each distinct (key, locator, form) is formatted once: citeproc costs ~7 ms a call."""
        cache_key = (key, locator, narrative)
        if cache_key not in self._forms:
            self._forms[cache_key] = self._format_in_text(key, locator, narrative)
        return self._forms[cache_key]

    def _format_in_text(self, key: str, locator: tuple[str, str] | None, narrative: bool) -> str:
        cite_item = CitationItem(key, locator=Locator(*locator)) if locator else CitationItem(key)
        bibliography = CitationStylesBibliography(self.style, self.source, formatter.plain)
        citation = Citation([cite_item])
        bibliography.register(citation)
        text = str(bibliography.cite(citation, lambda _: None))
        inner = text[1:-1] if text.startswith("(") and text.endswith(")") else text
        if not narrative:
            return inner
        authors, _, rest = _split_locator(inner)
        return f"{authors} ({rest})" if authors else inner


def _link_urls(formatted: str) -> str:
    """Make the DOI or URL a CSL style prints into a link (the processor leaves it as text)."""
    return re.sub(r"(https?://[^\s<>\"]+?)(?=[.,;]?(?:\s|$|<))", r'<a href="\1">\1</a>', formatted)


def _split_locator(inner: str) -> tuple[str, str, str]:
    """'Bate, Robert and Bevan, 2004, p. 64' -> ('Bate, Robert and Bevan', ', ', '2004, p. 64')."""
    match = re.search(r", (\d{4}[a-z]?|n\.d\.)(, .*)?$", inner)
    if match is None:
        return ("", "", inner)
    return (inner[: match.start()], ", ", inner[match.start() + 2 :])
