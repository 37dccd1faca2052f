"""Cite stage: BibTeX fields -> CSL-JSON -> formatted references and in-text forms (citeproc-py)."""

from __future__ import annotations

import hashlib
import html
import json
import re
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from citeproc import (
    LOCALES_PATH,
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source import Locator
from citeproc.source.json import CiteProcJSON

from build_scripts.folders import STYLES
from build_scripts.pipeline.citations import CiteItem
from build_scripts.pipeline.model import Reference

# Part of every cache key: changed when the way forms are made changes, so that a cache written
# by an earlier version is not reused (2: entries' values escaped before formatting as HTML).
FORMAT_VERSION = b"2"
_CSL = "{http://purl.org/net/xbiblio/csl}"
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
TEXT_FIELDS = {
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
    if reference.entry_type == "online" and "organization" in fields:
        item["container-title"] = str(fields["organization"])
    for name, csl_name in TEXT_FIELDS.items():
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


@dataclass(frozen=True)
class Affixes:
    """How a style wraps and joins the items of one citation, e.g. '(', ', ', ')'."""

    prefix: str
    delimiter: str
    suffix: str


# HTML's special characters, and Markdown's: a formatted reference also stands in Markdown lines.
_SPECIAL = {ord(c): f"&#{ord(c)};" for c in "&<>*_[]{}`\\#|"}


def escape_values(item: Any) -> Any:
    """A CSL-JSON item with every string value escaped for HTML and for Markdown.

    citeproc-py's HTML formatter escapes the style's own text but passes an item's variables
    through as they are, so the values are escaped before formatting. Numeric references
    (`&#60;`) survive the style's text-case changes (`&LT;` would not be a reference)."""
    if isinstance(item, str):
        return item.translate(_SPECIAL)
    if isinstance(item, dict):
        return {key: escape_values(value) for key, value in item.items()}
    if isinstance(item, list):
        return [escape_values(value) for value in item]
    return item


def known_styles() -> list[str]:
    """The names of the bundled CSL styles."""
    return sorted(path.stem for path in STYLES.glob("*.csl"))


def known_locales() -> list[str]:
    """The CSL locales citeproc-py ships (en-GB, de-DE, ...)."""
    return sorted(p.stem.removeprefix("locales-") for p in Path(LOCALES_PATH).glob("locales-*.xml"))


def style_path(style: str) -> Path:
    """The bundled CSL file of a style name."""
    return STYLES / f"{style}.csl"


def citation_affixes(csl: bytes) -> Affixes:
    """Read the citation layout's prefix, delimiter and suffix from a CSL style."""
    root = ElementTree.fromstring(csl)
    layout = root.find(f"{_CSL}citation/{_CSL}layout")
    attributes = layout.attrib if layout is not None else {}
    return Affixes(
        attributes.get("prefix", ""),
        attributes.get("delimiter", "; "),
        attributes.get("suffix", ""),
    )


class Citer:
    """Formats references and citations with one CSL style and locale, each form once.

    Every formatted string is kept in `cache`, keyed by
    the style, the locale and the entry's CSL-JSON: the CLI saves it between builds, and a rebuild
    whose entries did not change never starts the CSL processor.
    """

    def __init__(
        self,
        references: dict[str, Reference],
        style: str,
        locale: str,
        cache: dict[str, str] | None = None,
    ) -> None:
        self.references = references
        self.style_name, self.locale = style, locale
        csl = style_path(style).read_bytes()
        self.affixes = citation_affixes(csl)
        prefix = hashlib.sha256(FORMAT_VERSION + csl + locale.encode()).hexdigest()[:16]
        self._items = {key: to_csl(ref) for key, ref in references.items()}
        self._keys = {
            key: prefix + hashlib.sha256(json.dumps(item, sort_keys=True).encode()).hexdigest()[:24]
            for key, item in self._items.items()
        }
        self.cache: dict[str, str] = cache if cache is not None else {}
        self._processor: tuple[CitationStylesStyle, CiteProcJSON, CiteProcJSON] | None = None
        self._plain: dict[str, str] = {}

    @property
    def processor_started(self) -> bool:
        """Whether the CSL processor has been started (a form was not in the cache)."""
        return self._processor is not None

    def _csl(self) -> tuple[CitationStylesStyle, CiteProcJSON, CiteProcJSON]:
        """The CSL processor and its two sources (plain values for text, escaped values for
        HTML), started only when a form is not in the cache."""
        if self._processor is None:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                style = CitationStylesStyle(
                    str(style_path(self.style_name)), locale=self.locale, validate=False
                )
            items = list(self._items.values())
            escaped = [escape_values(item) for item in items]
            self._processor = (style, CiteProcJSON(items), CiteProcJSON(escaped))
        return self._processor

    def reference_html(self, key: str) -> str:
        """The full formatted reference as HTML: the style's markup (italics, links) around the
        entry's text, every character of which stays text."""
        cache_key = f"bib:{self._keys[key]}"
        if cache_key not in self.cache:
            style, _, source = self._csl()
            bibliography = CitationStylesBibliography(style, source, formatter.html)
            bibliography.register(Citation([CitationItem(key)]))
            self.cache[cache_key] = _link_urls(str(bibliography.bibliography()[0]))
        return self.cache[cache_key]

    def uncached(self) -> list[str]:
        """The keys whose formatted entry is not in the cache yet."""
        return [key for key in self.references if f"bib:{self._keys[key]}" not in self.cache]

    def prepare(self, keys: list[str], cited: list[tuple[CiteItem, bool]]) -> dict[str, str]:
        """Format every form of these references that pages ask for (the entry, its label and
        each in-text form cited in prose); the forms formatted now."""
        known = len(self.cache)
        mine = set(keys)
        for key in keys:
            self.reference_html(key)
            self.in_text_label(key)
        for item, narrative in cited:
            if item.key in mine:
                self.in_text(item, narrative)
        return self.added_since(known)

    def added_since(self, known: int) -> dict[str, str]:
        """The forms formatted since the cache held `known` of them (a dict keeps insertion
        order: what is added comes after), for a worker to send back."""
        return dict(list(self.cache.items())[known:])

    def reference_plain(self, key: str) -> str:
        """The full formatted reference as plain text."""
        if key not in self._plain:
            self._plain[key] = html.unescape(re.sub(r"<[^>]+>", "", self.reference_html(key)))
        return self._plain[key]

    def in_text_label(self, key: str) -> str:
        """The parenthetical in-text form of a key without brackets, e.g. 'Bate et al. 2004'."""
        return self._in_text(key, None, "parenthetical")

    def in_text(self, item: CiteItem, narrative: bool) -> InText:
        """One item's in-text form: 'Bate et al. 2004: 64', 'Bate et al. (2004)' or '2004'."""
        mode = "narrative" if narrative else "year" if item.suppress_author else "parenthetical"
        return InText(item.key, self._in_text(item.key, item.locator, mode))

    def _in_text(self, key: str, locator: tuple[str, str] | None, mode: str) -> str:
        """A form with a locator is the form with a placeholder locator, filled in: so each
        reference costs the CSL processor a few calls, however many pages it is cited at."""
        if locator is None:
            return self._form(key, mode, None)
        label, value = locator
        plural = bool(re.search(r"[-–,&]", value))
        shape = self._form(key, mode, (label, _PLURAL_SENTINEL if plural else _SENTINEL))
        written = re.sub(r"(?<=\d)-{1,2}(?=\d)", "–", value)
        return _SENTINEL_RENDERED.sub(lambda _: written, shape, count=1)

    def _form(self, key: str, mode: str, locator: tuple[str, str] | None) -> str:
        where = ":".join(locator) if locator else ""
        cache_key = f"cite:{self._keys[key]}:{mode}:{where}"
        if cache_key not in self.cache:
            self.cache[cache_key] = self._format_in_text(key, locator, mode)
        return self.cache[cache_key]

    def _format_in_text(self, key: str, locator: tuple[str, str] | None, mode: str) -> str:
        style, source, _ = self._csl()
        cite_item = CitationItem(key, locator=Locator(*locator)) if locator else CitationItem(key)
        bibliography = CitationStylesBibliography(style, source, formatter.plain)
        citation = Citation([cite_item])
        bibliography.register(citation)
        text = str(bibliography.cite(citation, lambda _: None))
        inner = text.removeprefix(self.affixes.prefix).removesuffix(self.affixes.suffix)
        if mode == "parenthetical":
            return inner
        authors, _, rest = _split_locator(inner)
        if mode == "year" or not authors:
            return rest
        return f"{authors} ({rest})"


_SENTINEL = "9999901"
_PLURAL_SENTINEL = "9999901–9999902"
_SENTINEL_RENDERED = re.compile(r"9999901(?:[–-]9*9999902|[–-]\d+)?")


def _link_urls(formatted: str) -> str:
    """Make the DOI or URL a CSL style prints into a link (the processor leaves it as text)."""
    return re.sub(r"(https?://[^\s<>\"]+?)(?=[.,;]?(?:\s|$|<))", r'<a href="\1">\1</a>', formatted)


_YEAR = re.compile(r"(,? )(\d{4}[a-z]?|n\.d\.)(?=$|[,:;] )")


def _split_locator(inner: str) -> tuple[str, str, str]:
    """'Bate et al. 2004: 64' -> ('Bate et al.', ' ', '2004: 64'): authors, separator, the rest."""
    matches = list(_YEAR.finditer(inner))
    if not matches:
        return ("", "", inner)
    last = matches[-1]
    return (inner[: last.start()], last.group(1), inner[last.start(2) :])
