"""What a template needs from one page: links, labels, previews, prose and citations, and the
filters that escape text for Markdown, HTML and Mermaid."""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache
from typing import Any

from build_scripts.pipeline.backlinks import MATRIX
from build_scripts.pipeline.citations import parse_citations
from build_scripts.pipeline.csl import Citer
from build_scripts.pipeline.csl_json import to_csl
from build_scripts.pipeline.entities import Corpus, Entity, Index, Quote, Ref, Stage
from build_scripts.pipeline.locate import context, normalise, place_label, under
from build_scripts.pipeline.model import prose_of, study_of
from build_scripts.pipeline.prose_checks import neutralise
from build_scripts.pipeline.provenance import Judgement, judgement
from build_scripts.pipeline.unit_links import with_unit_links
from build_scripts.pipeline.urls import (
    location,
    matrix_page,
    page_url,
    relative_link,
    root_of,
    site_url,
    source_notes_page,
)
from build_scripts.render.citable import (
    KIND_NAMES,
    UnitItem,
    abstract_of,
    cut,
    is_absolute,
    unit_coins,
    work_coins,
)
from build_scripts.render.cite_this import UnitCitation, cite_unit
from build_scripts.render.prose_html import prose_to_html
from build_scripts.render.reads import CITATIONS, Read, Reads

PAGE_TITLES = {"index.md": "Home page", "about.md": "About this site"}
_MD_INLINE = re.compile(r"([\\`*_{}\[\]])")
_MD_LINE_START = re.compile(r"^(\s*)([#+-]|\d+(?=[.)]))")


@lru_cache(maxsize=65536)
def md_escape(text: str) -> str:
    """Plain text -> Markdown that shows exactly that text (one line, no markup, no HTML)."""
    flat = " ".join(str(text).split())
    flat = (
        flat.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("|", "&#124;")
    )
    flat = _MD_INLINE.sub(r"\\\1", flat)
    return _MD_LINE_START.sub(_escape_line_start, flat)


def _escape_line_start(match: re.Match[str]) -> str:
    marker = match.group(2)
    return match.group(1) + (marker + "\\" if marker[0].isdigit() else "\\" + marker)


_MARKS = re.compile(r"\[([^\]]*)\]\([^)]*\)|[*_`]")


def link_title(text: str) -> str:
    """Text for a Markdown link title: one line, its double quotes as entities."""
    return " ".join(text.split()).replace('"', "&quot;")


def md_link(label: str, target: str, title: str = "") -> str:
    """A Markdown link. A titled one puts its target in <...>: Python-Markdown then reads it with
    one regular expression instead of scanning the title a character at a time."""
    if not title:
        return f"[{label}]({target})"
    return f'[{label}](<{target}> "{link_title(title)}")'


# '#' first: the entities that follow are written with it.
_MERMAID_ENTITIES = (
    ("#", "#35;"),
    ('"', "#quot;"),
    ("<", "#lt;"),
    (">", "#gt;"),
    ("%", "#37;"),
    (":", "#58;"),
)


def mermaid_text(text: str) -> str:
    """Plain text for a quoted Mermaid label: one line, markup characters as Mermaid entities.
    Mermaid reads some text before it parses: '%' (a `%%{init}%%` directive anywhere) and ':'
    (a line with `style` or `classDef`, then ':' and an entity loses its ';') are entities too."""
    flat = " ".join(str(text).split())
    for char, code in _MERMAID_ENTITIES:
        flat = flat.replace(char, code)
    return flat.replace("&", "#amp;")


def html_text(text: str) -> str:
    """Escape text for the content of an HTML element (quotes need no escaping there)."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def html_escape(text: str) -> str:
    """Escape text for an HTML attribute or element."""
    return (
        str(text)
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
    )


class PageContext:
    """What a template needs to write links, prose and citations from one page. What the page
    reads through it is recorded in `reads`: the corpus and index given (render.reads.tracked
    copies record their own), every formatted citation, and the reads behind each preview,
    whether made for this page or taken from `previews`, which pages share."""

    def __init__(
        self,
        page: str,
        corpus: Corpus,
        index: Index,
        citer: Citer,
        pandoc: bool = False,
        previews: dict[Ref, tuple[str, frozenset[Read]]] | None = None,
        file_urls: bool = False,
        reads: Reads | None = None,
    ) -> None:
        self.page = page
        self.file_urls = file_urls
        self.corpus = corpus
        self.index = index
        self._citer = citer
        self.pandoc = pandoc
        self.previews = previews if previews is not None else {}
        self.reads = reads if reads is not None else Reads()

    @property
    def citer(self) -> Citer:
        """The formatter of citations, whose forms are made from the bibliography."""
        self.reads.current.add(CITATIONS)
        return self._citer

    def link(self, ref: Ref) -> str:
        """Relative link target from this page to an entity."""
        return relative_link(self.page, *location(ref, self.corpus))

    def to(self, page: str, fragment: str = "") -> str:
        """Relative link target from this page to another page."""
        return relative_link(self.page, page, fragment)

    def name(self, ref: Ref) -> str:
        """A short name for an entity or page, as plain text, for link text."""
        if ref[0] == "page":
            return PAGE_TITLES[ref[1]]
        if ref[0] == MATRIX:
            return f"Evidence matrix ({self.short_title(ref[1])})"
        return entity_label(self.corpus.get(ref), self.citer)

    def short_title(self, study_id: str) -> str:
        """A study's short name: its publication's in-text form ('Waring and Crompton, 2017')."""
        return self.citer.in_text_label(self.corpus.studies[study_id].reference)

    def study_of(self, ref: Ref) -> str | None:
        """The study a unit belongs to (pipeline.model.study_of), None for one across studies."""
        return study_of(ref, self.corpus)

    def study_label(self, ref: Ref) -> str:
        """The short label of a unit's study ('Waring and Crompton, 2017'), "" for none: every
        unit shown away from its study's own pages names its study."""
        study = self.study_of(ref)
        return self.short_title(study) if study else ""

    def study_a(self, study_id: str, html: bool = False) -> str:
        """A link to a study labelled with its short label, in Markdown or in HTML."""
        ref, label = ("study", study_id), self.short_title(study_id)
        if html:
            return f'<a href="{html_escape(self.href(ref))}">{html_text(label)}</a>'
        return md_link(md_escape(label), self.link(ref), "")

    def label(self, ref: Ref) -> str:
        """A short, escaped label for an entity, for link text."""
        return md_escape(self.name(ref))

    def a(self, ref: Ref, preview: bool = True) -> str:
        """A Markdown link to an entity labelled with its name, previewing it on hover."""
        return md_link(self.label(ref), self.link(ref), self.preview(ref) if preview else "")

    def html_a(self, ref: Ref, preview: bool = True) -> str:
        """The same link as `a` written as HTML, for raw HTML blocks (which Markdown skips)."""
        label = self.name(ref)
        title = " ".join(self.preview(ref).split()) if preview else ""
        title_attr = f' title="{html_escape(title)}"' if title else ""
        return f'<a href="{html_escape(self.href(ref))}"{title_attr}>{html_text(label)}</a>'

    def preview(self, ref: Ref) -> str:
        """Plain text shown when a reader hovers over or focuses a link to an entity."""
        if ref not in self.previews:
            outer, self.reads.current = self.reads.current, set()
            self.previews[ref] = (self._preview(ref), self.reads.taken())
            self.reads.current = outer
        text, reads = self.previews[ref]
        self.reads.current |= reads
        return text

    def _preview(self, ref: Ref) -> str:
        kind, ident = ref
        if kind == "reference":
            return self.citer.reference_plain(ident)
        if kind == "quote":
            quote = self.corpus.quotes[ident]
            return f"{self.study_label(ref)}: {quote.text} ({quote.speaker})"
        if kind == "finding":
            return f"{self.study_label(ref)}: {self.plain(self.corpus.findings[ident].statement)}"
        if kind == "stage":
            return self.plain(self.corpus.stages[ident].definition)
        if kind == "concept":
            return self.plain(self.corpus.concepts[ident].definition)
        return ""

    def plain(self, text: str, limit: int = 300) -> str:
        """Prose as plain text: citations in their in-text form, Markdown marks removed."""
        clusters, _ = parse_citations(text)
        out, last = [], 0
        for cluster in clusters:
            forms = [self.citer.in_text(i, cluster.narrative).text for i in cluster.items]
            joined = self.citer.affixes.delimiter.join(forms)
            out += [text[last : cluster.start], joined if cluster.narrative else f"({joined})"]
            last = cluster.end
        out.append(text[last:])
        return cut(_MARKS.sub(r"\1", "".join(out)), limit)

    def judgement(self, ref: Ref, target: str) -> Judgement | None:
        """Who placed an entity under the entities of kind `target` it links to (a finding at
        its stages, a role in its group), and why."""
        return judgement(self.corpus.get(ref), target)

    def links(self, kind: str, ids: Any, separator: str = " · ") -> str:
        """Markdown links to several entities of one kind, joined."""
        return self.join([(kind, ident) for ident in ids], separator)

    def join(self, refs: Any, separator: str = " · ", preview: bool = True) -> str:
        """Markdown links to several entities, joined."""
        return separator.join(self.a(ref, preview) for ref in refs)

    def prose(self, text: str | None) -> str:
        """Markdown prose with raw HTML neutralised, citations turned into links, and links to
        units by kind and id (pipeline.unit_links) into links to their pages."""
        if not text:
            return ""
        text = with_unit_links(text, self.link)  # [x](finding:id) -> a link to its page
        clusters, _ = parse_citations(text)
        out, last = [], 0
        for cluster in clusters:
            out.append(neutralise(text[last : cluster.start]))
            written = text[cluster.start : cluster.end]
            out.append(written if self.pandoc else self._cluster(cluster.items, cluster.narrative))
            last = cluster.end
        out.append(neutralise(text[last:]))
        return "".join(out).strip()

    def prose_html(self, text: str | None, inline: bool = False) -> str:
        """Prose as HTML, for a raw HTML block: `prose`, converted as mkdocs would convert it."""
        return prose_to_html(self.prose(text), self.page, self.file_urls, inline) if text else ""

    def _cluster(self, items: Any, narrative: bool) -> str:
        parts = []
        for item in items:
            form = self.citer.in_text(item, narrative)
            prefix = f"{md_escape(item.prefix)} " if item.prefix else ""
            target = self.link(("reference", item.key))
            title = self.citer.reference_plain(item.key)
            # form.html: the style's italics (et al.), every value a character reference
            parts.append(prefix + md_link(form.html, target, title))
        affixes = self.citer.affixes
        joined = affixes.delimiter.join(parts)
        return (
            joined
            if narrative
            else f"{md_escape(affixes.prefix)}{joined}{md_escape(affixes.suffix)}"
        )

    def site_path(self, ref: Ref) -> str:
        """An entity's site-relative URL with its fragment, e.g. findings/x/#q-y."""
        return site_url(*location(ref, self.corpus))

    def permalink(self, ref: Ref) -> str:
        """An entity's permalink: absolute when the site's address is configured."""
        relative = self.site_path(ref)
        return f"{self.corpus.site.url}{relative}" if self.corpus.site.url else relative

    @property
    def root(self) -> str:
        """The relative URL from this page to the site's root, as the browser resolves it."""
        return root_of(self.page, self.file_urls)

    def href(self, ref: Ref) -> str:
        """A URL for raw HTML (which mkdocs does not rewrite) from this page to an entity."""
        return self.root + page_url(*location(ref, self.corpus), file_urls=self.file_urls)

    def page_href(self, page: str) -> str:
        """A URL for raw HTML from this page to another page."""
        return self.root + page_url(page, file_urls=self.file_urls)

    def unit(self, ref: Ref) -> UnitItem:
        """A unit of the site as reference managers save it: its title, text and permalink."""
        entity = self.corpus.get(ref)
        title = entity_label(entity, self.citer)
        abstract = abstract_of(entity, lambda text: self.plain(text, 4000), self.name)
        return UnitItem(ref, KIND_NAMES[ref[0]], title, abstract, self.permalink(ref))

    def cite_this(self, ref: Ref) -> UnitCitation:
        """Text, BibTeX and CSL-JSON citations of one unit, with its permalink."""
        return cite_unit(self.unit(ref), self.corpus, self.citer)

    def coins(self, ref: Ref, brief: bool = False) -> str:
        """A unit's COinS span (empty, read by reference managers). A brief one, for a row of a
        list, leaves out the unit's text (its own page's item has it), so that a page of rows
        stays small."""
        unit = self.unit(ref)
        return self.page_coins(replace(unit, abstract="") if brief else unit)

    def page_coins(self, unit: UnitItem) -> str:
        """The COinS span of a unit or page; a relative address is carried in data-permalink
        (with the way to the site's root) for evidence.js to add, made absolute."""
        relative = "" if is_absolute(unit.url) else unit.url
        extra = ""
        if relative and not self.file_urls:
            extra = f' data-permalink="{html_escape(relative)}" data-root="{self.root}"'
        title = html_escape(unit_coins(unit, self.corpus.site))
        return f'<span class="Z3988" title="{title}"{extra}></span>'

    def work_coins(self, key: str) -> str:
        """A cited work's COinS span: reference managers save the work itself."""
        title = html_escape(work_coins(to_csl(self.corpus.references[key])))
        return f'<span class="Z3988" title="{title}"></span>'

    def matrix_page(self, study_id: str) -> str:
        """Relative link to a study's evidence matrix."""
        return self.to(matrix_page(study_id))

    def notes_page(self, study_id: str, fragment: str = "") -> str:
        """Relative link to a study's notes on its source."""
        return self.to(source_notes_page(study_id), fragment)

    def source_place(self, quote_id: str) -> tuple[str, str] | None:
        """Where a quotation sits in its study's source text, as its label and a link to the
        text as the site publishes it ("" when it does not); None when its study names no
        source text."""
        located = self.corpus.locations.get(quote_id)
        if located is None:
            return None
        return place_label(located), self.root + located.source if located.published else ""

    def source_context(self, quote_id: str) -> tuple[str, str, str] | None:
        """A quotation as its source text prints it (whitespace normalised), with the words
        before and after it (pipeline.locate.context); None without a source text."""
        located = self.corpus.locations.get(quote_id)
        if located is None or not located.published:
            return None
        text = self.corpus.source_texts[located.source]
        before, after = context(text, located.start, located.end)
        return before, normalise(located.exact), after

    def source_outline(self, study_id: str) -> list[tuple[int, str, int]]:
        """A study's source-text headings (level, title) with how many of its quotations stand
        directly under each."""
        study = self.corpus.studies[study_id]
        counts: dict[tuple[str, ...], int] = {}
        for finding_id in self.index.findings_of.get(study_id, ()):
            for quote_id in self.index.quotes_of.get(finding_id, ()):
                located = self.corpus.locations.get(quote_id)
                if located is not None:
                    counts[located.section] = counts.get(located.section, 0) + 1
        outline: list[tuple[int, str, int]] = []
        path: tuple[str, ...] = ()
        for heading in study.source_headings:
            path = under(path, heading)
            outline.append((heading.level, heading.title, counts.get(path, 0)))
        return outline

    def reference(self, key: str) -> str:
        """The full formatted reference (CSL HTML)."""
        return self.citer.reference_html(key)

    def cited_in(self, ref: Ref) -> list[str]:
        """Keys of the references an entity cites, in order of first citation."""
        keys: dict[str, None] = {}
        for text in prose_of(self.corpus.get(ref), self.corpus.schema):
            for cluster in parse_citations(text)[0]:
                keys.update((item.key, None) for item in cluster.items)
        return list(keys)


def entity_label(entity: Entity, citer: Citer) -> str:
    """How an entity is named in links and lists."""
    kind = entity.kind
    if kind == "stage":
        assert isinstance(entity, Stage)
        return f"Stage {entity.number}: {entity.title}"
    if kind == "quote":
        assert isinstance(entity, Quote)
        words = entity.text.split()
        short = " ".join(words[:12]) + (" …" if len(words) > 12 else "")
        return f"“{short}” ({entity.speaker})"
    if kind == "reference":
        return citer.in_text_label(entity.id)
    for attribute in ("title", "term", "label"):
        if hasattr(entity, attribute):
            return str(getattr(entity, attribute))
    return entity.id
