"""What the online search finds: a record for every page and every citable unit, each with its
own address, its kind and its study (render.search_index writes them as files)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from build_scripts.pipeline.csl_json import to_csl
from build_scripts.pipeline.entities import Quote, Reference
from build_scripts.pipeline.model import prose_of, site_prose
from build_scripts.pipeline.plan import PagePlan
from build_scripts.pipeline.urls import location, site_url
from build_scripts.render.citable import KIND_NAMES, abstract_of
from build_scripts.render.context import PageContext, entity_label
from build_scripts.render.page_head import heading_text
from build_scripts.render.search_index import Record

PAGE_KIND = "Page"
_HEADING = re.compile(r"^# .*$", re.MULTILINE)
# Prose is made plain text whole: its words are all indexed.
_WHOLE = 1_000_000


def search_records(
    plans: Sequence[PagePlan], texts: Sequence[str], ctx: PageContext
) -> list[Record]:
    """A record for each Markdown page (plans[i] rendered as texts[i]), titled by its heading:
    an entity's own page is that unit (its kind, its study, all its prose as text); a finding's
    page is followed by its quotations, each at its own anchor. The home and about pages hold
    the site's prose; other pages are found by their titles."""
    prose = {ref[1]: texts for ref, texts in site_prose(ctx.corpus)}
    records: list[Record] = []
    for plan, text in zip(plans, texts, strict=True):
        if not plan.path.endswith(".md"):
            continue
        found = _HEADING.search(text)
        title = heading_text(found.group(0)) if found else plan.path
        entity = plan.values.get("entity")
        if entity is None or location((entity.kind, entity.id), ctx.corpus)[0] != plan.path:
            body = " ".join(ctx.plain(part, _WHOLE) for part in prose.get(plan.path, []) if part)
            records.append(Record(site_url(plan.path), PAGE_KIND, "", title, body, title))
            continue
        ref = (entity.kind, entity.id)
        records.append(
            Record(
                site_url(plan.path),
                KIND_NAMES.get(entity.kind, "Reference"),
                ctx.study_label(ref),
                _titled(entity, title),
                _text_of(entity, ctx),
                title,
            )
        )
        if entity.kind == "finding":
            records.extend(_quotations(entity.id, plan.path, title, ctx))
    return records


def _titled(entity: object, heading: str) -> str:
    """A result's title: its page's heading, and a reference's (an in-text label) with the
    title of the work, the words a reader searches for it by."""
    if isinstance(entity, Reference):
        work = to_csl(entity).get("title")
        return f"{heading}: {work}" if work else heading
    return heading


def _text_of(entity: object, ctx: PageContext) -> str:
    """An entity's words for the search: its abstract first (what a result shows), then the
    rest of its prose; a reference, its full entry."""
    kind = getattr(entity, "kind", "")
    if kind == "reference":
        return ctx.citer.reference_plain(getattr(entity, "id", ""))
    first = abstract_of(entity, lambda text: ctx.plain(text, _WHOLE), ctx.name)
    rest = [ctx.plain(text, _WHOLE) for text in prose_of(entity, ctx.corpus.schema)]  # type: ignore[arg-type]
    return " ".join(dict.fromkeys(part for part in [first, *rest] if part))


def _quotations(finding: str, page: str, title: str, ctx: PageContext) -> Iterator[Record]:
    """A finding's quotations, each a record at its own anchor on the finding's page."""
    for ident in ctx.index.quotes_of.get(finding, ()):
        quote: Quote = ctx.corpus.quotes[ident]
        ref = ("quote", ident)
        yield Record(
            site_url(page, ident),
            KIND_NAMES["quote"],
            ctx.study_label(ref),
            entity_label(quote, ctx.citer),
            f"{' '.join(quote.text.split())} ({quote.speaker})",
            title,
        )
