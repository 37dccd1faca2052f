"""Render stage: corpus + index -> Markdown pages and the JSON export (presentation in templates)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from dataclasses import fields as dataclass_fields
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2

from build_scripts.anchors import AnchorPlan, ExtraAnchor, as_file_redirect, redirect_html
from build_scripts.citations import parse_citations
from build_scripts.cite import Citer
from build_scripts.cores import interleave, shared_out, workers_for
from build_scripts.jsonld import page_jsonld
from build_scripts.model import Corpus, Entity, Index, Quote, Ref, Stage, prose_of
from build_scripts.plan import PagePlan, page_plan
from build_scripts.prose_html import prose_to_html
from build_scripts.unit_citations import UnitCitation, cite_unit
from build_scripts.urls import (
    location,
    matrix_page,
    page_url,
    relative_link,
    site_url,
    source_notes_page,
)

TEMPLATES = Path(__file__).parent / "templates"
EXPORT_SCHEMA = Path(__file__).parent / "schema" / "evidence.schema.json"
EXPORT_VERSION = "1.0"
PAGE_TITLES = {"index.md": "Home page", "about.md": "About this site"}
# Entities by kind, and the name of their list in data/evidence.json.
EXPORTED = {
    "study": "studies",
    "model": "models",
    "stage": "stages",
    "finding": "findings",
    "quote": "quotes",
    "role": "roles",
    "group": "groups",
    "concept": "concepts",
}
_MERMAID = '\n<pre class="mermaid">'
# Listings that repeat what the entity pages say: left out of the search index (the theme's
# `search: exclude`), so a search leads to the finding, quotation or reference itself.
NOT_SEARCHED = frozenset(
    {
        "findings-index.md.j2",
        "quotes-index.md.j2",
        "bibliography.md.j2",
        "concepts.md.j2",
        "roles.md.j2",
        "studies.md.j2",
        "list-page.md.j2",
        "matrix.md.j2",
        "soqf.md.j2",
    }
)
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


def mermaid_text(text: str) -> str:
    """Plain text for a quoted Mermaid label: one line, markup characters as Mermaid entities."""
    flat = " ".join(str(text).split())
    for char, code in (("#", "#35;"), ('"', "#quot;"), ("<", "#lt;"), (">", "#gt;")):
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


@dataclass(frozen=True)
class Page:
    """One generated file: its docs-relative path and its text."""

    path: str
    text: str


class PageContext:
    """What a template needs to write links, prose and citations from one page."""

    def __init__(
        self,
        page: str,
        corpus: Corpus,
        index: Index,
        citer: Citer,
        pandoc: bool = False,
        previews: dict[Ref, str] | None = None,
        file_urls: bool = False,
    ) -> None:
        self.page = page
        self.file_urls = file_urls
        self.corpus = corpus
        self.index = index
        self.citer = citer
        self.pandoc = pandoc
        self.previews = previews if previews is not None else {}

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
        return entity_label(self.corpus.get(ref), self.citer)

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
            self.previews[ref] = self._preview(ref)
        return self.previews[ref]

    def _preview(self, ref: Ref) -> str:
        kind, ident = ref
        if kind == "reference":
            return self.citer.reference_plain(ident)
        if kind == "quote":
            quote = self.corpus.quotes[ident]
            return f"{quote.text} ({quote.speaker})"
        if kind == "finding":
            return self.plain(self.corpus.findings[ident].statement)
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
        flat = " ".join(_MARKS.sub(r"\1", "".join(out)).split())
        return flat if len(flat) <= limit else flat[: limit - 1].rsplit(" ", 1)[0] + " …"

    def links(self, kind: str, ids: Any, separator: str = " · ") -> str:
        """Markdown links to several entities of one kind, joined."""
        return self.join([(kind, ident) for ident in ids], separator)

    def join(self, refs: Any, separator: str = " · ", preview: bool = True) -> str:
        """Markdown links to several entities, joined."""
        return separator.join(self.a(ref, preview) for ref in refs)

    def prose(self, text: str | None) -> str:
        """Markdown prose with raw HTML neutralised and citations turned into links."""
        if not text:
            return ""
        clusters, _ = parse_citations(text)
        out, last = [], 0
        for cluster in clusters:
            out.append(_neutralise_html(text[last : cluster.start]))
            written = text[cluster.start : cluster.end]
            out.append(written if self.pandoc else self._cluster(cluster.items, cluster.narrative))
            last = cluster.end
        out.append(_neutralise_html(text[last:]))
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
            parts.append(prefix + md_link(md_escape(form.text), target, title))
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
        return "../" * page_url(self.page, "", self.file_urls).count("/")

    def href(self, ref: Ref) -> str:
        """A URL for raw HTML (which mkdocs does not rewrite) from this page to an entity."""
        return self.root + page_url(*location(ref, self.corpus), file_urls=self.file_urls)

    def page_href(self, page: str) -> str:
        """A URL for raw HTML from this page to another page."""
        return self.root + page_url(page, file_urls=self.file_urls)

    def cite_this(self, ref: Ref) -> UnitCitation:
        """Text, BibTeX and CSL-JSON citations of one unit, with its permalink."""
        title = entity_label(self.corpus.get(ref), self.citer)
        return cite_unit(ref, title, self.permalink(ref), self.corpus, self.citer)

    def matrix_page(self, study_id: str) -> str:
        """Relative link to a study's evidence matrix."""
        return self.to(matrix_page(study_id))

    def notes_page(self, study_id: str, fragment: str = "") -> str:
        """Relative link to a study's notes on its source."""
        return self.to(source_notes_page(study_id), fragment)

    def reference(self, key: str) -> str:
        """The full formatted reference (CSL HTML)."""
        return self.citer.reference_html(key)

    def cited_in(self, ref: Ref) -> list[str]:
        """Keys of the references an entity cites, in order of first citation."""
        keys: dict[str, None] = {}
        for text in prose_of(self.corpus.get(ref)):
            for cluster in parse_citations(text)[0]:
                keys.update((item.key, None) for item in cluster.items)
        return list(keys)


def _neutralise_html(text: str) -> str:
    return text.replace("<", "&lt;")


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


def make_environment(bytecode_cache: Path | None = None) -> jinja2.Environment:
    """The Jinja environment: Markdown output, so escaping is explicit through filters."""
    cache = None
    if bytecode_cache is not None:
        bytecode_cache.mkdir(parents=True, exist_ok=True)
        cache = jinja2.FileSystemBytecodeCache(str(bytecode_cache))
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        bytecode_cache=cache,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.filters["md"] = md_escape
    env.filters["tuple_of"] = lambda ident, kind: (kind, ident)
    env.filters["quote_count"] = lambda finding_id, index: len(index.quotes_of.get(finding_id, ()))
    env.filters["attr"] = html_escape
    env.filters["html"] = html_text
    env.filters["mermaid"] = mermaid_text
    return env


def render_site(
    corpus: Corpus,
    index: Index,
    citer: Citer,
    template_cache: Path | None = None,
    pandoc: bool = False,
    anchors: AnchorPlan | None = None,
    file_urls: bool = False,
    workers: int | None = None,
) -> list[Page]:
    """Every page of the site and the data export, in a stable order.

    With pandoc=True, prose citations stay in pandoc syntax ([@key]) for another processor;
    with file_urls=True, raw-HTML links suit the offline build (pages as .html files). A large
    site's pages are rendered on every core (`workers` overrides the choice; 1: one process).
    """
    env = make_environment(template_cache)
    previews: dict[Ref, str] = {}
    moved = _moved_by_page(anchors, corpus)
    plans = list(page_plan(corpus, index))

    def render(plan: PagePlan) -> Page:
        ctx = PageContext(plan.path, corpus, index, citer, pandoc, previews, file_urls)
        plan.values.setdefault("moved", moved.get(plan.path, []))
        template = env.get_template(plan.template)
        body = template.render(ctx=ctx, corpus=corpus, index=index, **plan.values)
        head = front_matter(plan.template, _MERMAID in body)
        return Page(plan.path, head + body + jsonld_script(ctx, plan))

    count = workers_for(len(plans)) if workers is None else workers
    if count > 1:
        format_citations(corpus, citer, count)
    known = len(citer.cache)  # a dict keeps insertion order: what a worker adds comes after

    def render_share(number: int, count: int) -> tuple[list[Page], dict[str, str]]:
        pages = [render(plan) for plan in plans[number::count]]
        return pages, dict(list(citer.cache.items())[known:])

    if count > 1:  # forked workers; the citations they format come back into the cache
        shares = shared_out(render_share, count)
        for _, cache in shares:
            citer.cache.update(cache)
        pages = interleave([share for share, _ in shares])
    else:
        pages = [render(plan) for plan in plans]
    export = export_json(corpus, index, citer)
    pages.append(Page("data/evidence.json", export))
    if file_urls:  # the browser cannot fetch() from file://, but it can load a script
        pages.append(Page("data/evidence.js", f"window.evidenceData = {export.rstrip()};\n"))
    pages.append(Page("data/evidence.schema.json", EXPORT_SCHEMA.read_text(encoding="utf-8")))
    for redirect in anchors.redirects if anchors else ():
        redirect = as_file_redirect(redirect) if file_urls else redirect
        pages.append(Page(redirect.path, redirect_html(redirect)))
    return pages


def format_citations(corpus: Corpus, citer: Citer, workers: int) -> None:
    """Format the references the cache lacks on every core, each reference by one worker only:
    workers rendering pages would each format nearly every reference a page cites."""
    keys = citer.uncached()
    if len(keys) < workers * 10:
        return
    cited = [
        (item, cluster.narrative)
        for kind in EXPORTED
        for entity in corpus.collection(kind).values()
        for text in prose_of(entity)
        for cluster in parse_citations(text)[0]
        for item in cluster.items
    ]
    for formatted in shared_out(lambda n, count: citer.prepare(keys[n::count], cited), workers):
        citer.cache.update(formatted)


def front_matter(template: str, diagram: bool = False) -> str:
    """YAML front matter where a page needs it: `diagram: true` on pages with a Mermaid diagram,
    so only they load the vendored Mermaid, and `search: exclude` on listings."""
    flags = "diagram: true\n" if diagram else ""
    flags += "search:\n  exclude: true\n" if template in NOT_SEARCHED else ""
    return f"---\n{flags}---\n\n" if flags else ""


def jsonld_script(ctx: PageContext, plan: PagePlan) -> str:
    """The page's schema.org JSON-LD as a script block at the end of its content. (In the front
    matter, mkdocs would parse it as YAML on every page: a tenth of its time on a large site.)"""
    entity = plan.values.get("entity")
    own_page = entity is not None and plan.template == f"{entity.kind}.md.j2"
    jsonld = page_jsonld(ctx, entity if own_page else None)
    return f'\n<script type="application/ld+json">{jsonld}</script>\n'


def _moved_by_page(anchors: AnchorPlan | None, corpus: Corpus) -> dict[str, list[ExtraAnchor]]:
    """Old quotation anchors that stand on a page the quotation itself no longer is on."""
    moved: dict[str, list[ExtraAnchor]] = {}
    for extra in anchors.extra if anchors else ():
        if location(extra.target, corpus)[0] != extra.page:
            moved.setdefault(extra.page, []).append(extra)
    return moved


def export_json(corpus: Corpus, index: Index, citer: Citer) -> str:
    """site/data/evidence.json: every entity with its id, permalink and fields."""
    data: dict[str, Any] = {"$schema": "evidence.schema.json", "version": EXPORT_VERSION}
    for kind, name in EXPORTED.items():
        data[name] = [_export(entity, corpus) for entity in corpus.collection(kind).values()]
    data["references"] = [
        {
            "id": r.id,
            "url": site_url(*location(("reference", r.id), corpus)),
            "type": r.entry_type,
            "formatted": citer.reference_plain(r.id),
            "cited_by": [{"kind": k, "id": i} for k, i in index.cited_by.get(r.id, ())],
        }
        for r in corpus.references.values()
    ]
    return _json_lines(data)


def _json_lines(data: dict[str, Any]) -> str:
    """JSON with one line per top-level value and per list item: a diff shows which entity
    changed, and json's C encoder writes each line (an indented dump runs in Python)."""
    lines = []
    for key, value in data.items():
        name = json.dumps(key)
        if isinstance(value, list) and value:
            items = ",\n".join(f"  {json.dumps(item, ensure_ascii=False)}" for item in value)
            lines.append(f" {name}: [\n{items}\n ]")
        else:
            lines.append(f" {name}: {json.dumps(value, ensure_ascii=False)}")
    return "{\n" + ",\n".join(lines) + "\n}\n"


def _export(entity: Entity, corpus: Corpus) -> dict[str, Any]:
    fields = {k: v for k, v in _plain(entity).items() if k != "kind"}
    return {"id": entity.id, "url": site_url(*location((entity.kind, entity.id), corpus)), **fields}


def _plain(value: Any) -> Any:
    """A model value as JSON data, as dataclasses.asdict gives it, but without its deep copy of
    every leaf (json.dumps only reads them)."""
    if value is None or isinstance(value, str | int | float):
        return value
    if isinstance(value, tuple | list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return {field.name: _plain(getattr(value, field.name)) for field in dataclass_fields(value)}
