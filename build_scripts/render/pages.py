"""Render stage: corpus + index -> Markdown pages and the JSON export (presentation in templates)."""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TypeVar

import jinja2

from build_scripts.folders import TEMPLATES
from build_scripts.pipeline.anchors import AnchorPlan, as_file_redirect, redirect_html
from build_scripts.pipeline.citations import CiteItem, parse_citations
from build_scripts.pipeline.csl import Citer
from build_scripts.pipeline.entities import ENTITY_KINDS, Corpus, Index, Place, Ref
from build_scripts.pipeline.model import prose_of, site_prose
from build_scripts.pipeline.plan import PagePlan, plan_site
from build_scripts.render.context import (
    PageContext,
    html_escape,
    html_text,
    md_escape,
    mermaid_text,
)
from build_scripts.render.export import EXPORT_SCHEMA, export_items, export_text, json_item
from build_scripts.render.page_head import (
    front_matter,
    heading_text,
    jsonld_script,
    page_meta,
    wayfinding_meta,
)
from build_scripts.render.reads import Read, Reads, tracked
from build_scripts.render.search_index import index_files
from build_scripts.render.search_records import search_records
from build_scripts.render.wayfinding import by_kind

# Fewer uncited references than this a share are formatted as pages need them (the bench
# measures where a share of its own pays).
REFERENCES_PER_WORKER = 30
_MERMAID = '\n<pre class="mermaid">'


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
    env.filters["findings"] = lambda n: f"{n} finding" if n == 1 else f"{n} findings"
    env.filters["attr"] = html_escape
    env.filters["html"] = html_text
    env.filters["mermaid"] = mermaid_text
    env.filters["by_kind"] = by_kind
    env.filters["csv_table"] = csv_table
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
    plans = plan_site(corpus, index, citer.bibliography_order(), options.anchors)
    made = render_pages(corpus, index, citer, plans, options, tasks)
    export, _ = render_export(corpus, index, citer)
    return [*(m.page for m in made), *data_pages(export, options, corpus.source_texts)]


@dataclass(frozen=True)
class Made:
    """A page as rendered: the page, what its render read of the corpus and the index
    (render.reads), and its text's digest (text_digest)."""

    page: Page
    reads: frozenset[Read]
    digest: str


# An item of the data export: what it read and its line.
ExportItem = tuple[frozenset[Read], str]


@dataclass(frozen=True)
class _Job:
    """What every page of one render is rendered with: the templates, the corpus and index
    (each as given, and as tracked copies that record what a page reads), the citer, the
    options, the previews shared between pages and the reads of the page being rendered."""

    env: jinja2.Environment
    corpus: Corpus
    read_corpus: Corpus
    read_index: Index
    citer: Citer
    options: RenderOptions
    previews: dict[Ref, tuple[str, frozenset[Read]]]
    reads: Reads


def render_pages(
    corpus: Corpus,
    index: Index,
    citer: Citer,
    plans: list[PagePlan],
    options: RenderOptions = RenderOptions(),
    tasks: Tasks = SERIAL,
) -> list[Made]:
    """Each of the plans rendered (those, and no other), in their order, with what each read:
    the same however `tasks` shares them out; the citations formatted in any share come back
    into citer's cache."""
    reads = Reads()
    read_corpus, read_index = tracked(corpus, index, reads)
    env = make_environment(options.template_cache)
    job = _Job(env, corpus, read_corpus, read_index, citer, options, {}, reads)
    count = tasks.workers_for(len(plans))
    format_citations(corpus, citer, tasks, count)
    known = len(citer.cache)

    def render_share(number: int, count: int) -> tuple[list[Made], dict[str, str]]:
        return [_render(job, plan) for plan in plans[number::count]], citer.added_since(known)

    shares = tasks.share(render_share, count)
    for _, cache in shares:
        citer.cache.update(cache)
    return interleave([made for made, _ in shares])


def _render(job: _Job, plan: PagePlan) -> Made:
    """One page: its template with the plan's values; a Markdown page with its head (front
    matter, title, COinS, JSON-LD), a data file (a table as CSV) as the template gives it."""
    job.reads.start()
    ctx = PageContext(
        plan.path,
        job.read_corpus,
        job.read_index,
        job.citer,
        job.options.pandoc,
        job.previews,
        job.options.file_urls,
        job.reads,
    )
    template = job.env.get_template(plan.template)
    values = {"ctx": ctx, "corpus": job.read_corpus, "index": job.read_index, **plan.values}
    module = template.make_module(values)
    text = str(module)
    if plan.path.endswith(".md"):
        title, rest = text.split("\n", 1)
        meta = page_meta(ctx, plan, heading_text(title), getattr(module, "description", ""))
        crumbs = getattr(module, "breadcrumb", "")
        extra = wayfinding_meta(ctx, plan, html_text(meta.title) if crumbs else "")
        head = front_matter(plan.template, _MERMAID in text, meta, extra)
        text = f"{head}{crumbs}{title}\n\n{meta.coins}{rest}{jsonld_script(ctx, plan, meta.title)}"
    page = Page(plan.path, text, page_source(plan, job.corpus))
    return Made(page, job.reads.taken(), text_digest(text))


def render_export(
    corpus: Corpus,
    index: Index,
    citer: Citer,
    earlier: Callable[[Ref], ExportItem | None] = lambda ref: None,
) -> tuple[str, dict[Ref, ExportItem]]:
    """The data export, each item's line taken from `earlier(ref)` when it gives one (the
    caller knows nothing it read has changed), else made; with each item's reads and line."""
    reads = Reads()
    read_corpus, read_index = tracked(corpus, index, reads)
    made: dict[Ref, ExportItem] = {}
    lists = []
    for name, items in export_items(read_corpus, read_index, citer):
        lines = []
        for ref, make in items:
            item = earlier(ref)
            if item is None:
                reads.start()
                line = json_item(make())
                item = (reads.taken(), line)
            made[ref] = item
            lines.append(item[1])
        lists.append((name, lines))
    return export_text(lists), made


# What a spreadsheet reads as the start of a formula: such a cell is written with a quote mark
# before it, so that text from content stays text when the table is opened (OWASP's advice).
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def csv_table(records: list[list[Any]]) -> str:
    """A CSV file (RFC 4180: quoted as needed, CRLF) of records, each cell text, with a
    byte-order mark so that spreadsheets read it as UTF-8."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for cells in records:
        texts = [str(cell) for cell in cells]
        writer.writerow(["'" + text if text.startswith(_FORMULA) else text for text in texts])
    return "\ufeff" + out.getvalue()


def text_digest(text: str) -> str:
    """A digest of a page's text, to tell whether a text kept elsewhere is still the same."""
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def data_pages(export: str, options: RenderOptions, texts: Mapping[str, str]) -> list[Page]:
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


def search_files(
    plans: list[PagePlan], pages: list[Page], corpus: Corpus, index: Index, citer: Citer
) -> dict[str, str]:
    """The online site's search index (render.search_index) of every page and unit; the
    offline copy keeps the theme's own search, which works from file://."""
    ctx = PageContext("index.md", corpus, index, citer)
    records = search_records(plans, [page.text for page in pages], ctx)
    return index_files(records, corpus.site.locale)


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
        for text in prose_of(e, corpus.schema)
    ]
    texts += [text for _, page_texts in site_prose(corpus) for text in page_texts]
    return [
        (item, cluster.narrative)
        for text in texts
        if text
        for cluster in parse_citations(text)[0]
        for item in cluster.items
    ]
