"""Render stage: corpus + index -> Markdown pages and the JSON export (presentation in templates)."""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Protocol, TypeVar

import jinja2

from build_scripts.folders import TEMPLATES
from build_scripts.pipeline.anchors import AnchorPlan, ExtraAnchor, as_file_redirect, redirect_html
from build_scripts.pipeline.citations import CiteItem, parse_citations
from build_scripts.pipeline.csl import Citer
from build_scripts.pipeline.csl_json import to_csl
from build_scripts.pipeline.model import (
    ENTITY_KINDS,
    Corpus,
    Index,
    Place,
    Ref,
    Reference,
    prose_of,
    site_prose,
)
from build_scripts.pipeline.plan import PagePlan, page_plan
from build_scripts.render.citable import KIND_NAMES, UnitItem, cut, unit_tags, work_tags
from build_scripts.render.context import (
    PageContext,
    html_escape,
    html_text,
    md_escape,
    mermaid_text,
)
from build_scripts.render.export import EXPORT_SCHEMA, export_items, export_text, json_item
from build_scripts.render.jsonld import page_jsonld
from build_scripts.render.reads import (
    Earlier,
    PageRecord,
    Read,
    Reads,
    changed,
    collections,
    tracked,
)
from build_scripts.render.urls import (
    location,
)
from build_scripts.render.wayfinding import by_kind, study_nav

# Fewer uncited references than this a share are formatted as pages need them (the bench
# measures where a share of its own pays).
REFERENCES_PER_WORKER = 30
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


@dataclass(frozen=True)
class Page:
    """One generated file: its docs-relative path, its text and the place in the content it is
    written from (an entity's id, the site's settings; None for listings), so that a problem
    the engine finds in it can be reported there."""

    path: str
    text: str
    source: Place | None = None


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
    env.filters["quotations"] = lambda n: f"{n} quotation" if n == 1 else f"{n} quotations"
    env.filters["attr"] = html_escape
    env.filters["html"] = html_text
    env.filters["mermaid"] = mermaid_text
    env.filters["by_kind"] = by_kind
    return env


@dataclass(frozen=True)
class RenderOptions:
    """How to render: `file_urls` for the copy that opens from the file system (raw-HTML links
    to .html files, the export as a script too); `pandoc` to leave prose citations in pandoc
    syntax ([@key]) for another processor (the bench compares the two); `anchors`, the
    permalinks of earlier ids (redirect pages, moved quotations); `template_cache`, a folder for
    compiled templates."""

    file_urls: bool = False
    pandoc: bool = False
    anchors: AnchorPlan | None = None
    template_cache: Path | None = None


T = TypeVar("T")


class Tasks(Protocol):
    """Shares work out: `share(task, n)` is [task(0, n), …, task(n - 1, n)], run wherever the
    executor runs them (engine.executor: in forked workers); `workers_for(items)` says how many
    shares pay for so many items."""

    def workers_for(self, items: int) -> int: ...

    def share(self, task: Callable[[int, int], T], workers: int) -> list[T]: ...


class SerialTasks:
    """Every share in this process, one after another."""

    def workers_for(self, items: int) -> int:
        """One share, whatever the number of items."""
        return 1

    def share(self, task: Callable[[int, int], T], workers: int) -> list[T]:
        """task(0, workers), …, task(workers - 1, workers)."""
        return [task(number, workers) for number in range(workers)]


SERIAL = SerialTasks()


def interleave(shares: list[list[T]]) -> list[T]:
    """Undo a sharing out by every n-th item: item i came back as shares[i % n][i // n]."""
    total = sum(len(share) for share in shares)
    return [shares[i % len(shares)][i // len(shares)] for i in range(total)]


def render_site(
    corpus: Corpus,
    index: Index,
    citer: Citer,
    options: RenderOptions = RenderOptions(),
    tasks: Tasks = SERIAL,
) -> list[Page]:
    """Every page of the site and the data export, in a stable order: the same pages however
    `tasks` shares them out; the citations formatted in any share come back into citer's cache."""
    return render_pages(corpus, index, citer, options, tasks).pages


@dataclass(frozen=True)
class Rendered:
    """A render's pages (as render_site gives them), what it leaves for the next render, and
    the paths of the pages it took from the one before rather than rendered."""

    pages: list[Page]
    earlier: Earlier
    kept: frozenset[str]

    @property
    def rendered(self) -> int:
        """How many pages were rendered (not taken from the render before)."""
        return len(self.earlier.pages) - len(self.kept)


def render_pages(
    corpus: Corpus,
    index: Index,
    citer: Citer,
    options: RenderOptions = RenderOptions(),
    tasks: Tasks = SERIAL,
    key: str = "",
    earlier: Earlier | None = None,
    texts: Callable[[str, str], str | None] = lambda path, digest: None,
) -> Rendered:
    """render_site's pages, each rendered again only when it must be: a page is taken from
    `earlier` (a render under the same `key`, the caller's digest of everything reads do not
    record) when its plan is the same, nothing it read has changed and `texts(path, digest)`
    still has the text it rendered (that text, whose text_digest is digest; else None). So is
    each item of the data export. The result is the same as rendering everything."""
    env = make_environment(options.template_cache)
    moved = _moved_by_page(options.anchors, corpus)
    plans = list(page_plan(corpus, index, citer.bibliography_order()))
    for plan in plans:
        plan.values.setdefault("moved", moved.get(plan.path, []))
    now = collections(corpus, index)
    usable = earlier if earlier and earlier.key == key else None
    dirty = changed(usable.collections, now) if usable else set()
    kept = _unchanged(plans, dirty, usable, texts)
    todo = [plan for plan in plans if plan.path not in kept]
    reads = Reads()
    read_corpus, read_index = tracked(corpus, index, reads)
    previews: dict[Ref, tuple[str, frozenset[Read]]] = {}

    def render(plan: PagePlan) -> tuple[Page, frozenset[Read], str]:
        reads.start()
        ctx = PageContext(
            plan.path,
            read_corpus,
            read_index,
            citer,
            options.pandoc,
            previews,
            options.file_urls,
            reads,
        )
        template = env.get_template(plan.template)
        values = {"ctx": ctx, "corpus": read_corpus, "index": read_index, **plan.values}
        module = template.make_module(values)
        body = str(module)
        title, rest = body.split("\n", 1)
        meta = page_meta(ctx, plan, heading_text(title), getattr(module, "description", ""))
        crumbs = getattr(module, "breadcrumb", "")
        extra = _wayfinding_meta(ctx, plan, html_text(meta.title) if crumbs else "")
        head = front_matter(plan.template, _MERMAID in body, meta, extra)
        text = f"{head}{crumbs}{title}\n\n{meta.coins}{rest}{jsonld_script(ctx, plan, meta.title)}"
        page = Page(plan.path, text, page_source(plan, corpus))
        return page, reads.taken(), text_digest(text)

    count = tasks.workers_for(len(todo))
    format_citations(corpus, citer, tasks, count)
    known = len(citer.cache)

    def render_share(
        number: int, count: int
    ) -> tuple[list[tuple[Page, frozenset[Read], str]], dict[str, str]]:
        return [render(plan) for plan in todo[number::count]], citer.added_since(known)

    shares = tasks.share(render_share, count)
    for _, cache in shares:
        citer.cache.update(cache)
    fresh = {made[0].path: made for made in interleave([s for s, _ in shares])}
    pages, records = [], {}
    one: dict[Read, Read] = {}  # each read one object: pages share them, and so does the state
    for plan in plans:
        if plan.path in fresh:
            page, read, digest = fresh[plan.path]
            read = frozenset(one.setdefault(r, r) for r in read)
            records[plan.path] = PageRecord(plan.values, read, digest)
        else:
            assert usable is not None
            page = Page(plan.path, kept[plan.path], page_source(plan, corpus))
            records[plan.path] = replace(usable.pages[plan.path], values=plan.values)
        pages.append(page)
    export, items = _export(read_corpus, read_index, citer, reads, dirty, usable)
    return Rendered(
        [*pages, *_data_pages(export, options, corpus.source_texts)],
        Earlier(key, now, records, items),
        frozenset(kept),
    )


def _unchanged(
    plans: list[PagePlan],
    dirty: set[Read],
    earlier: Earlier | None,
    texts: Callable[[str, str], str | None],
) -> dict[str, str]:
    """The texts of the pages an earlier render leaves nothing to redo in, by path."""
    if earlier is None:
        return {}
    kept = {}
    for plan in plans:
        record = earlier.pages.get(plan.path)
        if record is None or record.reads & dirty or record.values != plan.values:
            continue
        text = texts(plan.path, record.digest)
        if text is not None:
            kept[plan.path] = text
    return kept


def _export(
    corpus: Corpus,
    index: Index,
    citer: Citer,
    reads: Reads,
    dirty: set[Read],
    earlier: Earlier | None,
) -> tuple[str, dict[Ref, tuple[frozenset[Read], str]]]:
    """The data export, each item's line taken from `earlier` when nothing it read changed;
    with each item's reads and line, for the next render."""
    made: dict[Ref, tuple[frozenset[Read], str]] = {}
    lists = []
    for name, items in export_items(corpus, index, citer):
        lines = []
        for ref, make in items:
            item = earlier.export.get(ref) if earlier else None
            if item is None or item[0] & dirty:
                reads.start()
                line = json_item(make())
                item = (reads.taken(), line)
            made[ref] = item
            lines.append(item[1])
        lists.append((name, lines))
    return export_text(lists), made


def text_digest(text: str) -> str:
    """A digest of a page's text, to tell whether a text kept elsewhere is still the same."""
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def _data_pages(export: str, options: RenderOptions, texts: Mapping[str, str]) -> list[Page]:
    """The data export (and its schema), the studies' source texts (where quotations' locations
    point) and the redirects from earlier permalinks."""
    pages = [Page("data/evidence.json", export)]
    pages.extend(Page(path, text) for path, text in sorted(texts.items()))
    if options.file_urls:  # the browser cannot fetch() from file://, but it can load a script
        pages.append(Page("data/evidence.js", f"window.evidenceData = {export.rstrip()};\n"))
    pages.append(Page("data/evidence.schema.json", EXPORT_SCHEMA.read_text(encoding="utf-8")))
    for redirect in options.anchors.redirects if options.anchors else ():
        redirect = as_file_redirect(redirect) if options.file_urls else redirect
        pages.append(Page(redirect.path, redirect_html(redirect)))
    return pages


SITE_PAGES = frozenset({"index.md", "about.md", "how-to-cite.md"})


def page_source(plan: PagePlan, corpus: Corpus) -> Place | None:
    """Where a page is written from: its entity (a continuation of its lists too), the site's
    settings for the home, about and how-to-cite pages, else nothing in particular."""
    entity = plan.values.get("entity")
    if entity is not None:
        return corpus.sources.get((entity.kind, entity.id))
    if plan.path in SITE_PAGES:
        return corpus.sources.get(("site", ""))
    return None


def format_citations(corpus: Corpus, citer: Citer, tasks: Tasks, workers: int) -> None:
    """Format the references the cache lacks in `workers` shares, each reference in one share
    only (shares rendering pages would each format nearly every reference a page cites); with
    few references, leave them to be formatted as pages need them."""
    keys = citer.uncached()
    if workers < 2 or len(keys) < workers * REFERENCES_PER_WORKER:
        return
    cited = cited_items(corpus)
    for formatted in tasks.share(lambda n, count: citer.prepare(keys[n::count], cited), workers):
        citer.cache.update(formatted)


def cited_items(corpus: Corpus) -> list[tuple[CiteItem, bool]]:
    """Every item cited in prose (every entity's and the site's pages'), with whether its
    citation is narrative."""
    texts = [
        text
        for kind in ENTITY_KINDS
        for e in corpus.collection(kind).values()
        for text in prose_of(e)
    ]
    texts += [text for _, page_texts in site_prose(corpus) for text in page_texts]
    return [
        (item, cluster.narrative)
        for text in texts
        if text
        for cluster in parse_citations(text)[0]
        for item in cluster.items
    ]


@dataclass(frozen=True)
class PageMeta:
    """What a page tells reference managers and search engines about itself: its title and
    description,
    its head metadata as (attribute, name, content), and the COinS of its own unit (HTML)."""

    title: str
    description: str
    tags: list[tuple[str, str, str]]
    coins: str


def page_meta(ctx: PageContext, plan: PagePlan, title: str, description: str) -> PageMeta:
    """A page about one unit describes that unit; a reference page, the cited work; any other
    page describes itself (its heading as title, the template's `description`)."""
    entity = plan.values.get("entity")
    own_page = entity is not None and plan.template == f"{entity.kind}.md.j2"
    if own_page and isinstance(entity, Reference):
        text = cut(ctx.citer.reference_plain(entity.id))
        work = to_csl(entity)
        return PageMeta(title, text, work_tags(work), _hidden(ctx.work_coins(entity.id)))
    if own_page and entity is not None:
        ref = (entity.kind, entity.id)
        unit = ctx.unit(ref)
        coins = ctx.coins(ref)
    else:
        about = description or f"{title}: a page of {ctx.corpus.site.title}."
        ref = ("page", plan.path)
        unit = UnitItem(ref, KIND_NAMES["page"], title, about, ctx.permalink(ref))
        coins = ctx.page_coins(unit)
    text = cut(unit.abstract)
    return PageMeta(title, text, unit_tags(unit, ctx.corpus.site, text), _hidden(coins))


def _hidden(coins: str) -> str:
    """A raw HTML block holding a COinS span: read by reference managers, never shown."""
    return f'<div class="unit-item" hidden>{coins}</div>\n'


_MD_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")
_HEADING_ATTRS = re.compile(r"\s*\{[^{}]*\}\s*$")


def heading_text(line: str) -> str:
    """The text of a page's first line, a Markdown heading written from text with md_escape
    and an attribute list: its marks and escapes undone."""
    text = _HEADING_ATTRS.sub("", line.lstrip("#").strip())
    return html.unescape(_MD_ESCAPED.sub(r"\1", text))


def _wayfinding_meta(ctx: PageContext, plan: PagePlan, title: str) -> dict[str, Any]:
    """Front matter for finding pages' left column (`study_nav`), and the page's `title` when
    its breadcrumb comes before its heading (the engines take a page's title from its front
    matter, else only from a heading that comes first). The title is HTML, the heading's text
    escaped, as the engines take it from a heading: the theme writes it unescaped."""
    extra: dict[str, Any] = {"title": title} if title else {}
    column = plan.values.get("column")
    if column is not None:
        extra["study_nav"] = study_nav(ctx, column)
    return extra


def front_matter(
    template: str,
    diagram: bool = False,
    meta: PageMeta | None = None,
    extra: dict[str, Any] | None = None,
) -> str:
    """The page's YAML front matter: its description and head metadata (written by
    overrides/main.html), `diagram: true` on pages with a Mermaid diagram, so only they load the
    vendored Mermaid, `search: exclude` on listings, and `extra`'s values (in flow style)."""
    extra = extra or {}
    lines = [f"title: {yaml_text(extra['title'])}"] if "title" in extra else []
    if meta is not None:
        lines.append(f"description: {yaml_text(meta.description)}")
        tags = ", ".join(f"[{', '.join(yaml_text(v) for v in tag)}]" for tag in meta.tags)
        lines.append(f"meta_tags: [{tags}]")
    if diagram:
        lines.append("diagram: true")
    if template in NOT_SEARCHED:
        lines.append("search:\n  exclude: true")
    lines += [f"{key}: {yaml_flow(value)}" for key, value in extra.items() if key != "title"]
    return "---\n" + "".join(f"{line}\n" for line in lines) + "---\n\n" if lines else ""


# YAML's double-quoted escapes for what it would not read back as written: the quote and the
# backslash, C0 and C1 controls, DEL, and the characters YAML takes as line breaks or marks.
_YAML_ESCAPES = {
    **{code: f"\\x{code:02x}" for code in [*range(0x20), 0x7F, *range(0x80, 0xA0)]},
    ord('"'): '\\"',
    ord("\\"): "\\\\",
    0x2028: "\\L",
    0x2029: "\\P",
    0xFEFF: "\\uFEFF",
}


def yaml_text(text: str) -> str:
    """Text as a YAML double-quoted scalar that any YAML loader reads back as that text."""
    return '"' + text.translate(_YAML_ESCAPES) + '"'


def yaml_flow(value: Any) -> str:
    """Strings, numbers, booleans, lists and mappings (string keys) as YAML flow style on one
    line, every string double-quoted (yaml_text)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return yaml_text(value)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key}: {yaml_flow(item)}" for key, item in value.items()) + "}"
    return "[" + ", ".join(yaml_flow(item) for item in value) + "]"


def jsonld_script(ctx: PageContext, plan: PagePlan, title: str) -> str:
    """The page's schema.org JSON-LD as a script block at the end of its content (not in the
    front matter, which the engine parses as YAML)."""
    entity = plan.values.get("entity")
    own_page = entity is not None and plan.template == f"{entity.kind}.md.j2"
    jsonld = page_jsonld(ctx, entity if own_page else None, title)
    return f'\n<script type="application/ld+json">{jsonld}</script>\n'


def _moved_by_page(anchors: AnchorPlan | None, corpus: Corpus) -> dict[str, list[ExtraAnchor]]:
    """Old quotation anchors that stand on a page the quotation itself no longer is on."""
    moved: dict[str, list[ExtraAnchor]] = {}
    for extra in anchors.extra if anchors else ():
        if location(extra.target, corpus)[0] != extra.page:
            moved.setdefault(extra.page, []).append(extra)
    return moved
