"""Cite stage: BibTeX fields -> CSL-JSON -> formatted references and in-text forms (citeproc-py)."""

from __future__ import annotations

import hashlib
import html
import json
import re
import warnings
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
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
from build_scripts.pipeline.citeproc_fixes import (
    Quotes,
    finish,
    quotes_of,
    with_quote_placeholders,
)
from build_scripts.pipeline.csl_json import escape_values, to_csl
from build_scripts.pipeline.csl_order import bibliography_order
from build_scripts.pipeline.entities import Reference

# Part of every cache key: changed when the way forms are made changes, so that a cache written
# by an earlier version is not reused (2: entries' values escaped before formatting as HTML;
# 3: in-text forms as HTML too, italic et al., quotes alternated, substituted names suppressed).
FORMAT_VERSION = b"3"
_CSL = "{http://purl.org/net/xbiblio/csl}"


@dataclass(frozen=True)
class InText:
    """The in-text form of one cited item and its key: as plain text ('Bate et al. 2004: 64')
    and as HTML with the style's markup ('Bate <i>et al.</i> 2004: 64'), in which every
    character of the entry's values and of the locator is a character reference, so that it is
    text in HTML and in a line of Markdown alike."""

    key: str
    text: str
    html: str


@dataclass(frozen=True)
class Affixes:
    """How a style wraps and joins the items of one citation, e.g. '(', ', ', ')'."""

    prefix: str
    delimiter: str
    suffix: str


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
        csl = self._style = style_path(style).read_bytes()
        self.affixes = citation_affixes(csl)
        prefix = hashlib.sha256(FORMAT_VERSION + csl + locale.encode()).hexdigest()[:16]
        self._prefix = prefix
        self._items = {key: to_csl(ref) for key, ref in references.items()}
        self._keys = {
            key: prefix + hashlib.sha256(json.dumps(item, sort_keys=True).encode()).hexdigest()[:24]
            for key, item in self._items.items()
        }
        self.cache: dict[str, str] = cache if cache is not None else {}
        self._processor: tuple[CitationStylesStyle, CiteProcJSON, CiteProcJSON] | None = None
        self._plain: dict[str, str] = {}
        self._quotes = Quotes(("", ""), ("", ""))

    @property
    def processor_started(self) -> bool:
        """Whether the CSL processor has been started (a form was not in the cache)."""
        return self._processor is not None

    def _csl(self) -> tuple[CitationStylesStyle, CiteProcJSON, CiteProcJSON]:
        """The CSL processor and its two sources (plain values for text, escaped values for
        HTML), started only when a form is not in the cache."""
        if self._processor is None:
            csl = self._style
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                as_written = CitationStylesStyle(BytesIO(csl), locale=self.locale, validate=False)
                self._quotes = quotes_of(as_written)
                placeholders = BytesIO(with_quote_placeholders(csl))
                style = CitationStylesStyle(placeholders, locale=self.locale, validate=False)
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
            formatted = finish(str(bibliography.bibliography()[0]), self._quotes)
            self.cache[cache_key] = _link_urls(formatted)
        return self.cache[cache_key]

    def bibliography_order(self) -> list[str]:
        """Every key in the order of the style's reference list (csl_order), kept in the cache
        under the style, the locale and the content of every entry."""
        digest = hashlib.sha256("\n".join(sorted(self._keys.values())).encode()).hexdigest()
        cache_key = f"order:{self._prefix}{digest[:24]}"
        if cache_key not in self.cache:
            order = bibliography_order(self._style, self.locale, list(self._items.values()))
            self.cache[cache_key] = "\n".join(order)
        return self.cache[cache_key].split("\n") if self.references else []

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
            self._plain[key] = _plain(self.reference_html(key))
        return self._plain[key]

    def in_text_label(self, key: str) -> str:
        """The parenthetical in-text form of a key without brackets, e.g. 'Bate et al. 2004'."""
        return self._in_text(key, None, "parenthetical").text

    def in_text(self, item: CiteItem, narrative: bool) -> InText:
        """One item's in-text form: 'Bate et al. 2004: 64', 'Bate et al. (2004)' or '2004'."""
        mode = "narrative" if narrative else "year" if item.suppress_author else "parenthetical"
        return self._in_text(item.key, item.locator, mode)

    def _in_text(self, key: str, locator: tuple[str, str] | None, mode: str) -> InText:
        """A form with a locator is the form with a placeholder locator, filled in: so each
        reference costs the CSL processor a few calls, however many pages it is cited at."""
        if locator is None:
            form = self._form(key, mode, None)
        else:
            label, value = locator
            plural = bool(re.search(r"[-–,&]", value))
            shape = self._form(key, mode, (label, _PLURAL_SENTINEL if plural else _SENTINEL))
            written = escape_values(re.sub(r"(?<=\d)-{1,2}(?=\d)", "–", value))
            form = _SENTINEL_RENDERED.sub(lambda _: written, shape, count=1)
        return InText(key, _plain(form), form)

    def _form(self, key: str, mode: str, locator: tuple[str, str] | None) -> str:
        where = ":".join(locator) if locator else ""
        cache_key = f"cite:{self._keys[key]}:{mode}:{where}"
        if cache_key not in self.cache:
            self.cache[cache_key] = self._format_in_text(key, locator, mode)
        return self.cache[cache_key]

    def _format_in_text(self, key: str, locator: tuple[str, str] | None, mode: str) -> str:
        style, _, source = self._csl()
        cite_item = CitationItem(key, locator=Locator(*locator)) if locator else CitationItem(key)
        bibliography = CitationStylesBibliography(style, source, formatter.html)
        citation = Citation([cite_item])
        bibliography.register(citation)
        text = finish(str(bibliography.cite(citation, lambda _: None)), self._quotes)
        prefix = html.escape(self.affixes.prefix, quote=False)
        suffix = html.escape(self.affixes.suffix, quote=False)
        inner = text.removeprefix(prefix).removesuffix(suffix)
        if mode == "parenthetical":
            return inner
        authors, _, rest = _split_locator(inner)
        if mode == "year" or not authors:
            return rest
        return f"{authors} ({rest})"


def _plain(formatted: str) -> str:
    """A formatted form as plain text: its markup removed, its character references read."""
    return html.unescape(re.sub(r"<[^>]+>", "", formatted))


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
